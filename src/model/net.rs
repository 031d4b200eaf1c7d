//! Addresses, prefixes, ports and flows: the small value types every other object is built from.
//!
//! CIDRs and IPs live in the model as `ipnet::Ipv4Net` and `std::net::Ipv4Addr`, with their
//! text form in `model::address`; this module owns NSG address matches (`*`, CIDR, IP, service
//! tag), port ranges and flows (`tcp/443`). vnetlab models IPv4 only, as the Azure peering and
//! routing rules it evaluates are IPv4 rules.

use super::address::{parse_cidr, parse_ip};
use super::value_error::{ValueError, shown};
use ipnet::Ipv4Net;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A service tag as used in NSG rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceTag {
    /// The VNet's own space, peered spaces (where access is allowed), on-premises ranges and
    /// UDR prefixes: computed per subnet by the engine (azure-semantics.md §3.4).
    VirtualNetwork,
    /// Public address space outside the VirtualNetwork tag.
    Internet,
    /// The Azure infrastructure load balancer, 168.63.129.16.
    AzureLoadBalancer,
    /// Any other tag (`Storage`, `AzureCloud.WestEurope`, …): kept, matched as no private address.
    Other(String),
}

impl ServiceTag {
    /// Recognises tag names, including the classic spellings (`VIRTUAL_NETWORK`).
    fn parse(text: &str) -> Option<ServiceTag> {
        let canonical: String = text
            .chars()
            .filter(|c| *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        match canonical.as_str() {
            "virtualnetwork" => Some(ServiceTag::VirtualNetwork),
            "internet" => Some(ServiceTag::Internet),
            "azureloadbalancer" => Some(ServiceTag::AzureLoadBalancer),
            _ if text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-') =>
            {
                Some(ServiceTag::Other(text.to_string()))
            }
            _ => None,
        }
    }
}

impl fmt::Display for ServiceTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServiceTag::VirtualNetwork => f.write_str("VirtualNetwork"),
            ServiceTag::Internet => f.write_str("Internet"),
            ServiceTag::AzureLoadBalancer => f.write_str("AzureLoadBalancer"),
            ServiceTag::Other(name) => f.write_str(name),
        }
    }
}

/// The source or destination of an NSG or appliance rule: `*`, a CIDR, an IP or a service tag.
///
/// ```
/// use vnetlab::model::{AddressMatch, ServiceTag};
/// assert_eq!("*".parse::<AddressMatch>().unwrap(), AddressMatch::Any);
/// assert_eq!("10.1.1.4".parse::<AddressMatch>().unwrap().to_string(), "10.1.1.4/32");
/// assert_eq!("VirtualNetwork".parse::<AddressMatch>().unwrap(), AddressMatch::Tag(ServiceTag::VirtualNetwork));
/// assert!("10.1.1.300".parse::<AddressMatch>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AddressMatch {
    /// `*`: every address.
    Any,
    /// A CIDR; a single IP is stored as a /32.
    Cidr(Ipv4Net),
    /// A service tag.
    Tag(ServiceTag),
}

impl FromStr for AddressMatch {
    type Err = ValueError;
    fn from_str(text: &str) -> Result<Self, ValueError> {
        let text = text.trim();
        if text == "*" || text.eq_ignore_ascii_case("any") {
            return Ok(AddressMatch::Any);
        }
        if text.starts_with(|c: char| c.is_ascii_digit()) {
            if text.contains('/') {
                return Ok(AddressMatch::Cidr(parse_cidr(text)?));
            }
            let ip = parse_ip(text)?;
            return Ok(AddressMatch::Cidr(Ipv4Net::from(ip)));
        }
        ServiceTag::parse(text)
            .map(AddressMatch::Tag)
            .ok_or_else(|| ValueError::Address { text: shown(text) })
    }
}

impl fmt::Display for AddressMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressMatch::Any => f.write_str("*"),
            AddressMatch::Cidr(net) => write!(f, "{net}"),
            AddressMatch::Tag(tag) => write!(f, "{tag}"),
        }
    }
}

/// An inclusive port range; `*` is 0–65535.
///
/// ```
/// use vnetlab::model::PortRange;
/// assert_eq!("443".parse::<PortRange>().unwrap(), PortRange { start: 443, end: 443 });
/// assert_eq!("*".parse::<PortRange>().unwrap(), PortRange::ALL);
/// assert!("2000-1000".parse::<PortRange>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PortRange {
    /// First port, inclusive.
    pub start: u16,
    /// Last port, inclusive.
    pub end: u16,
}

impl PortRange {
    /// Every port.
    pub const ALL: PortRange = PortRange {
        start: 0,
        end: 65535,
    };
    /// One port.
    pub fn single(port: u16) -> Self {
        PortRange {
            start: port,
            end: port,
        }
    }
    /// Whether `port` falls in the range.
    pub fn contains(&self, port: u16) -> bool {
        self.start <= port && port <= self.end
    }
}

impl FromStr for PortRange {
    type Err = ValueError;
    fn from_str(text: &str) -> Result<Self, ValueError> {
        let text = text.trim();
        if text == "*" || text.eq_ignore_ascii_case("any") {
            return Ok(PortRange::ALL);
        }
        let bad = || ValueError::PortRange { text: shown(text) };
        let (a, b) = text.split_once('-').unwrap_or((text, text));
        let start: u16 = a.trim().parse().map_err(|_| bad())?;
        let end: u16 = b.trim().parse().map_err(|_| bad())?;
        if start > end {
            return Err(ValueError::PortRangeReversed { text: shown(text) });
        }
        Ok(PortRange { start, end })
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == PortRange::ALL {
            f.write_str("*")
        } else if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}-{}", self.start, self.end)
        }
    }
}

/// Implements serde through `FromStr`/`Display`, so design files show the compact text form.
macro_rules! serde_via_str {
    ($ty:ty) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
serde_via_str!(AddressMatch);
serde_via_str!(PortRange);
serde_via_str!(Flow);

/// A protocol as NSG rules name it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub enum Protocol {
    /// `*`: TCP, UDP, ICMP (and ESP/AH).
    #[default]
    Any,
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// ICMP.
    Icmp,
    /// IPsec ESP.
    Esp,
    /// IPsec AH.
    Ah,
}

impl Protocol {
    /// Whether a rule with this protocol matches a packet of protocol `packet`.
    pub fn matches(self, packet: Protocol) -> bool {
        self == Protocol::Any || self == packet
    }
    /// Whether the protocol carries ports.
    pub fn has_ports(self) -> bool {
        matches!(self, Protocol::Tcp | Protocol::Udp)
    }
    /// The protocol as Azure's API, templates and azurerm write it (`*`, `Tcp`, …).
    pub fn azure_name(self) -> &'static str {
        match self {
            Protocol::Any => "*",
            Protocol::Tcp => "Tcp",
            Protocol::Udp => "Udp",
            Protocol::Icmp => "Icmp",
            Protocol::Esp => "Esp",
            Protocol::Ah => "Ah",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Any => "any",
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
            Protocol::Esp => "esp",
            Protocol::Ah => "ah",
        })
    }
}

/// What is being tested between two endpoints: a protocol and, for TCP/UDP, a destination port.
///
/// ```
/// use vnetlab::model::{Flow, Protocol};
/// let f: Flow = "tcp/443".parse().unwrap();
/// assert_eq!((f.protocol, f.port), (Protocol::Tcp, Some(443)));
/// assert_eq!("icmp".parse::<Flow>().unwrap().to_string(), "icmp");
/// assert!("tcp".parse::<Flow>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Flow {
    /// `tcp`, `udp`, `icmp` or `any`.
    pub protocol: Protocol,
    /// Destination port, present exactly for TCP and UDP.
    pub port: Option<u16>,
}

impl Flow {
    /// The flow the TUI starts with: `tcp/443`.
    pub const DEFAULT: Flow = Flow {
        protocol: Protocol::Tcp,
        port: Some(443),
    };
}

impl Default for Flow {
    fn default() -> Self {
        Flow::DEFAULT
    }
}

impl FromStr for Flow {
    type Err = ValueError;
    fn from_str(text: &str) -> Result<Self, ValueError> {
        let lower = text.trim().to_ascii_lowercase();
        let (proto, port) = match lower.split_once('/') {
            Some((p, port)) => (p, Some(port)),
            None => (lower.as_str(), None),
        };
        let protocol = match proto {
            "tcp" => Protocol::Tcp,
            "udp" => Protocol::Udp,
            "icmp" => Protocol::Icmp,
            "any" | "*" => Protocol::Any,
            _ => {
                return Err(ValueError::FlowProtocol { text: shown(text) });
            }
        };
        match (protocol.has_ports(), port) {
            (true, Some(p)) => {
                let port = p
                    .parse::<u16>()
                    .map_err(|_| ValueError::FlowPort { text: shown(text) })?;
                Ok(Flow {
                    protocol,
                    port: Some(port),
                })
            }
            (true, None) => Err(ValueError::FlowNeedsPort {
                text: shown(text),
                protocol,
            }),
            (false, Some(_)) => Err(ValueError::FlowHasNoPorts {
                text: shown(text),
                protocol,
            }),
            (false, None) => Ok(Flow {
                protocol,
                port: None,
            }),
        }
    }
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}/{}", self.protocol, port),
            None => write!(f, "{}", self.protocol),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flows_round_trip() {
        for text in ["tcp/443", "udp/53", "icmp", "any", "tcp/0", "udp/65535"] {
            assert_eq!(text.parse::<Flow>().unwrap().to_string(), text);
        }
        assert!("udp/70000".parse::<Flow>().is_err());
        assert!("icmp/8".parse::<Flow>().is_err());
        assert!("gre".parse::<Flow>().is_err());
    }

    #[test]
    fn address_matches_round_trip_and_normalise_tags() {
        for text in [
            "*",
            "10.0.0.0/8",
            "VirtualNetwork",
            "Internet",
            "AzureLoadBalancer",
            "Storage.WestEurope",
        ] {
            assert_eq!(text.parse::<AddressMatch>().unwrap().to_string(), text);
        }
        assert_eq!(
            "VIRTUAL_NETWORK".parse::<AddressMatch>().unwrap(),
            AddressMatch::Tag(ServiceTag::VirtualNetwork)
        );
    }
}
