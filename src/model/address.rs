//! The text form of CIDRs and IPv4 addresses: parsing them the way Azure accepts them, with a
//! [`CidrError`] whose sentence says what to write instead, and the serde adapters that make
//! design files carry them as strings (`"10.1.0.0/16"`). Lists are read element by element, so
//! a bad value is reported at the value itself, not at the end of its list.

use ipnet::Ipv4Net;
use serde::{Deserialize, Deserializer, Serializer};
use std::net::Ipv4Addr;

/// Why a text is not a CIDR or an IPv4 address. Each variant carries the text as written
/// (trimmed), and its sentence says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CidrError {
    /// No `/len` part.
    #[error("invalid CIDR `{text}`: it needs a prefix length, for example `{text}/24`")]
    MissingLength {
        /// The text as written.
        text: String,
    },
    /// The part before `/` is not an IPv4 address.
    #[error(
        "invalid CIDR `{text}`: `{address}` is not an IPv4 address; write it like `10.0.0.0/16`"
    )]
    BadAddress {
        /// The text as written.
        text: String,
        /// The address part.
        address: String,
    },
    /// The prefix length is not a number from 0 to 32.
    #[error("invalid CIDR `{text}`: the prefix length must be a number from 0 to 32")]
    BadLength {
        /// The text as written.
        text: String,
    },
    /// Bits below the prefix length are set (`10.1.2.3/16`); Azure wants the network address.
    #[error("invalid CIDR `{text}`: host bits are set; the network is `{network}`")]
    HostBits {
        /// The text as written.
        text: String,
        /// The network the user probably meant.
        network: Ipv4Net,
    },
    /// Not an IPv4 address.
    #[error("invalid IP address `{text}`: write four numbers 0–255, like `10.0.1.4`")]
    BadIp {
        /// The text as written.
        text: String,
    },
}

impl CidrError {
    /// The text that could not be read, as written.
    pub fn text(&self) -> &str {
        match self {
            CidrError::MissingLength { text }
            | CidrError::BadAddress { text, .. }
            | CidrError::BadLength { text }
            | CidrError::HostBits { text, .. }
            | CidrError::BadIp { text } => text,
        }
    }
}

/// The sentence, for callers that collect messages as text (form errors, import notes).
impl From<CidrError> for String {
    fn from(error: CidrError) -> String {
        error.to_string()
    }
}

/// Parses a CIDR the way Azure accepts it: `a.b.c.d/len`, with no host bits set.
///
/// ```
/// use vnetlab::model::{CidrError, parse_cidr};
/// assert_eq!(parse_cidr("10.1.0.0/16").unwrap().to_string(), "10.1.0.0/16");
/// assert!(matches!(parse_cidr("10.0.0.0/33"), Err(CidrError::BadLength { .. })));
/// let error = parse_cidr("10.1.2.3/16").unwrap_err();
/// assert_eq!(error.to_string(), "invalid CIDR `10.1.2.3/16`: host bits are set; the network is `10.1.0.0/16`");
/// ```
pub fn parse_cidr(text: &str) -> Result<Ipv4Net, CidrError> {
    let text = text.trim();
    let owned = || text.to_string();
    let Some((address, len)) = text.split_once('/') else {
        return Err(CidrError::MissingLength { text: owned() });
    };
    let Ok(parsed) = address.parse::<Ipv4Addr>() else {
        return Err(CidrError::BadAddress {
            text: owned(),
            address: address.to_string(),
        });
    };
    let Ok(Ok(net)) = len.parse::<u8>().map(|len| Ipv4Net::new(parsed, len)) else {
        return Err(CidrError::BadLength { text: owned() });
    };
    if net.network() != parsed {
        return Err(CidrError::HostBits {
            text: owned(),
            network: net.trunc(),
        });
    }
    Ok(net)
}

/// Parses an IPv4 address with a message that names the bad text.
///
/// ```
/// use vnetlab::model::parse_ip;
/// assert_eq!(parse_ip(" 10.0.1.4 ").unwrap().to_string(), "10.0.1.4");
/// assert_eq!(parse_ip("10.0.1.400").unwrap_err().text(), "10.0.1.400");
/// ```
pub fn parse_ip(text: &str) -> Result<Ipv4Addr, CidrError> {
    let text = text.trim();
    text.parse().map_err(|_| CidrError::BadIp {
        text: text.to_string(),
    })
}

/// Whether two CIDRs share any address.
pub fn overlaps(a: &Ipv4Net, b: &Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

/// One CIDR read from its string, so that an error is raised at the value itself.
struct CidrText(Ipv4Net);

impl<'de> Deserialize<'de> for CidrText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        cidr::deserialize(d).map(CidrText)
    }
}

/// serde helpers for a single CIDR written as a string.
pub mod cidr {
    use super::*;
    /// Writes the CIDR as `a.b.c.d/len`.
    pub fn serialize<S: Serializer>(net: &Ipv4Net, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(net)
    }
    /// Reads and validates a CIDR.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Ipv4Net, D::Error> {
        let text = String::deserialize(d)?;
        parse_cidr(&text).map_err(serde::de::Error::custom)
    }
}

/// serde helpers for a list of CIDRs.
pub mod cidrs {
    use super::*;
    /// Writes each CIDR as a string.
    pub fn serialize<S: Serializer>(nets: &[Ipv4Net], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(nets.iter().map(|n| n.to_string()))
    }
    /// Reads and validates every CIDR, each as it is read.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Ipv4Net>, D::Error> {
        let nets = Vec::<CidrText>::deserialize(d)?;
        Ok(nets.into_iter().map(|n| n.0).collect())
    }
}

/// serde helpers for an optional list of CIDRs.
pub mod opt_cidrs {
    use super::*;
    /// Writes `None` or the list.
    pub fn serialize<S: Serializer>(nets: &Option<Vec<Ipv4Net>>, s: S) -> Result<S::Ok, S::Error> {
        match nets {
            None => s.serialize_none(),
            Some(list) => {
                let texts: Vec<String> = list.iter().map(|n| n.to_string()).collect();
                s.serialize_some(&texts)
            }
        }
    }
    /// Reads `None` or a validated list.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<Ipv4Net>>, D::Error> {
        let nets = Option::<Vec<CidrText>>::deserialize(d)?;
        Ok(nets.map(|list| list.into_iter().map(|n| n.0).collect()))
    }
}

/// serde helpers for an IPv4 address written as a string.
pub mod ip {
    use super::*;
    /// Writes the address as dotted quad.
    pub fn serialize<S: Serializer>(ip: &Ipv4Addr, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(ip)
    }
    /// Reads and validates an address.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Ipv4Addr, D::Error> {
        let text = String::deserialize(d)?;
        parse_ip(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_errors_say_what_to_write() {
        let message = |text: &str| parse_cidr(text).unwrap_err().to_string();
        assert!(message("10.0.0.0").contains("prefix length"));
        assert!(message("10.0.0/16").contains("not an IPv4 address"));
        assert!(message("10.0.0.0/x").contains("0 to 32"));
        assert!(message("10.0.0.0/33").contains("0 to 32"));
        assert_eq!(parse_cidr(" 0.0.0.0/0 ").unwrap().prefix_len(), 0);
    }

    #[test]
    fn errors_carry_the_text_and_the_network_meant() {
        assert_eq!(
            parse_cidr("10.1.2.3/16"),
            Err(CidrError::HostBits {
                text: "10.1.2.3/16".to_string(),
                network: "10.1.0.0/16".parse().unwrap(),
            })
        );
        assert_eq!(parse_cidr(" 10.0.0/16 ").unwrap_err().text(), "10.0.0/16");
        assert_eq!(
            parse_ip("10.0.1.400").unwrap_err().to_string(),
            "invalid IP address `10.0.1.400`: write four numbers 0–255, like `10.0.1.4`"
        );
    }

    #[test]
    fn overlap_is_symmetric() {
        let a = parse_cidr("10.0.0.0/16").unwrap();
        let b = parse_cidr("10.0.128.0/17").unwrap();
        let c = parse_cidr("10.1.0.0/16").unwrap();
        assert!(overlaps(&a, &b) && overlaps(&b, &a));
        assert!(!overlaps(&a, &c));
    }
}
