//! Virtual machines, their NICs, and appliances (NVAs and firewalls) that forward traffic.

use super::address::ip;
use super::net::{AddressMatch, PortRange, Protocol};
use super::vnet::SubnetRef;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// A virtual machine with one or more NICs; the first NIC's IP is its endpoint address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vm {
    /// Unique name; also the endpoint name in the reachability matrix.
    pub name: String,
    /// Network interfaces, primary first. All must sit in the same VNet, as Azure requires.
    pub nics: Vec<Nic>,
    /// Present when the VM forwards traffic for others (an NVA or a firewall).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appliance: Option<Appliance>,
}

impl Vm {
    /// A workload VM with one NIC.
    pub fn new(name: impl Into<String>, subnet: SubnetRef, ip: Ipv4Addr) -> Self {
        Vm {
            name: name.into(),
            nics: vec![Nic::new(subnet, ip)],
            appliance: None,
        }
    }
    /// The primary NIC, if the VM has any.
    pub fn primary(&self) -> Option<&Nic> {
        self.nics.first()
    }
    /// The endpoint address (primary NIC's IP).
    pub fn ip(&self) -> Option<Ipv4Addr> {
        self.primary().map(|n| n.ip)
    }
    /// The VNet the VM lives in (its primary NIC's VNet).
    pub fn vnet(&self) -> Option<&str> {
        self.primary().map(|n| n.subnet.vnet.as_str())
    }
}

/// A network interface: one private IP in one subnet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nic {
    /// The subnet, as `vnet/subnet`.
    pub subnet: SubnetRef,
    /// Private IPv4 address, inside the subnet.
    #[serde(with = "ip")]
    pub ip: Ipv4Addr,
    /// NSG associated with the NIC itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsg: Option<String>,
    /// Azure IP forwarding (`enableIPForwarding`): needed to receive or send traffic that is not
    /// addressed to or from this NIC.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ip_forwarding: bool,
    /// Application security groups the NIC is a member of (`applicationSecurityGroups`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asgs: Vec<String>,
}

impl Nic {
    /// A NIC with no NSG and forwarding off.
    pub fn new(subnet: SubnetRef, ip: Ipv4Addr) -> Self {
        Nic {
            subnet,
            ip,
            nsg: None,
            ip_forwarding: false,
            asgs: Vec::new(),
        }
    }
}

/// What kind of forwarding device a VM is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ApplianceKind {
    /// A generic network virtual appliance: forwards everything unless its rules say otherwise.
    #[default]
    Nva,
    /// A firewall (e.g. Azure Firewall): stateful, denies unless a rule allows.
    Firewall,
}

/// Forwarding behaviour of an NVA or firewall VM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appliance {
    /// NVA or firewall.
    pub kind: ApplianceKind,
    /// Whether the device tracks sessions (and so drops replies it never saw the request for).
    #[serde(default)]
    pub stateful: bool,
    /// Ordered rules; the first that matches decides.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<ApplianceRule>,
}

impl Appliance {
    /// A stateless NVA that forwards everything.
    pub fn nva() -> Self {
        Appliance {
            kind: ApplianceKind::Nva,
            stateful: false,
            rules: Vec::new(),
        }
    }
    /// A stateful firewall that denies until rules allow.
    pub fn firewall() -> Self {
        Appliance {
            kind: ApplianceKind::Firewall,
            stateful: true,
            rules: Vec::new(),
        }
    }
}

/// Allow or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Access {
    /// Let the traffic through.
    Allow,
    /// Drop the traffic.
    Deny,
}

impl Access {
    /// The other decision: what toggling a rule's access makes it.
    ///
    /// ```
    /// use vnetlab::model::Access;
    /// assert_eq!(Access::Allow.flipped(), Access::Deny);
    /// assert_eq!(Access::Deny.flipped(), Access::Allow);
    /// ```
    #[must_use]
    pub fn flipped(self) -> Access {
        match self {
            Access::Allow => Access::Deny,
            Access::Deny => Access::Allow,
        }
    }
}

/// One rule of an appliance: first match wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplianceRule {
    /// Rule name, shown in explanations.
    pub name: String,
    /// Allow or deny.
    pub action: Access,
    /// Source addresses.
    #[serde(default = "any_address")]
    pub source: AddressMatch,
    /// Destination addresses.
    #[serde(default = "any_address")]
    pub destination: AddressMatch,
    /// Protocol.
    #[serde(default)]
    pub protocol: Protocol,
    /// Destination ports (TCP/UDP only).
    #[serde(default = "all_ports")]
    pub ports: PortRange,
}

fn any_address() -> AddressMatch {
    AddressMatch::Any
}

fn all_ports() -> PortRange {
    PortRange::ALL
}
