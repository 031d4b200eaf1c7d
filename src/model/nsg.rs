//! Network security groups: custom rules plus the six default rules every NSG carries.

use super::net::{AddressMatch, PortRange, Protocol, ServiceTag};
use super::vm::Access;
use serde::{Deserialize, Serialize};

/// A network security group, associated with subnets and/or NICs by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nsg {
    /// Unique name of the NSG in the design.
    pub name: String,
    /// Custom rules; the defaults are implied and never stored.
    #[serde(default)]
    pub rules: Vec<NsgRule>,
}

impl Nsg {
    /// An NSG with only the default rules.
    pub fn new(name: impl Into<String>) -> Self {
        Nsg {
            name: name.into(),
            rules: Vec::new(),
        }
    }

    /// Custom and default rules of one direction, in evaluation order (ascending priority).
    pub fn effective_rules(&self, direction: Direction) -> Vec<NsgRule> {
        let mut rules: Vec<NsgRule> = self
            .rules
            .iter()
            .filter(|r| r.direction == direction)
            .cloned()
            .chain(
                default_rules()
                    .into_iter()
                    .filter(|r| r.direction == direction),
            )
            .collect();
        rules.sort_by_key(|r| r.priority);
        rules
    }
}

/// Traffic direction relative to the subnet or NIC the NSG is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// Towards the NIC.
    Inbound,
    /// Away from the NIC.
    Outbound,
}

/// One security rule. Lower priority numbers are evaluated first; the first match decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NsgRule {
    /// Rule name, unique in its NSG.
    pub name: String,
    /// 100–4096 for custom rules; 65000+ for the defaults.
    pub priority: u32,
    /// Inbound or outbound.
    pub direction: Direction,
    /// Allow or deny.
    pub access: Access,
    /// Protocol.
    #[serde(default)]
    pub protocol: Protocol,
    /// Source addresses (any of them matches).
    #[serde(default = "any_addresses")]
    pub source: Vec<AddressMatch>,
    /// Source ports.
    #[serde(default = "all_ports", skip_serializing_if = "is_all_ports")]
    pub source_ports: Vec<PortRange>,
    /// Destination addresses (any of them matches).
    #[serde(default = "any_addresses")]
    pub destination: Vec<AddressMatch>,
    /// Destination ports.
    #[serde(default = "all_ports")]
    pub destination_ports: Vec<PortRange>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

fn any_addresses() -> Vec<AddressMatch> {
    vec![AddressMatch::Any]
}

fn all_ports() -> Vec<PortRange> {
    vec![PortRange::ALL]
}

fn is_all_ports(ports: &Vec<PortRange>) -> bool {
    ports.as_slice() == [PortRange::ALL]
}

impl NsgRule {
    /// A rule matching any source and ports, with the given destination ports.
    pub fn new(
        name: impl Into<String>,
        priority: u32,
        direction: Direction,
        access: Access,
        protocol: Protocol,
    ) -> Self {
        NsgRule {
            name: name.into(),
            priority,
            direction,
            access,
            protocol,
            source: any_addresses(),
            source_ports: all_ports(),
            destination: any_addresses(),
            destination_ports: all_ports(),
            description: None,
        }
    }

    /// Whether this is one of the six rules Azure puts in every NSG.
    pub fn is_default(&self) -> bool {
        self.priority >= 65000
    }
}

/// The six default rules of every NSG (azure-semantics.md §3.2), in priority order per direction.
pub fn default_rules() -> Vec<NsgRule> {
    use AddressMatch::{Any, Tag};
    let vnet = || vec![Tag(ServiceTag::VirtualNetwork)];
    let rule = |name: &str,
                priority,
                direction,
                access,
                source: Vec<AddressMatch>,
                destination: Vec<AddressMatch>| NsgRule {
        name: name.to_string(),
        priority,
        direction,
        access,
        protocol: Protocol::Any,
        source,
        source_ports: all_ports(),
        destination,
        destination_ports: all_ports(),
        description: None,
    };
    vec![
        rule(
            "AllowVnetInBound",
            65000,
            Direction::Inbound,
            Access::Allow,
            vnet(),
            vnet(),
        ),
        rule(
            "AllowAzureLoadBalancerInBound",
            65001,
            Direction::Inbound,
            Access::Allow,
            vec![Tag(ServiceTag::AzureLoadBalancer)],
            vec![Any],
        ),
        rule(
            "DenyAllInBound",
            65500,
            Direction::Inbound,
            Access::Deny,
            vec![Any],
            vec![Any],
        ),
        rule(
            "AllowVnetOutBound",
            65000,
            Direction::Outbound,
            Access::Allow,
            vnet(),
            vnet(),
        ),
        rule(
            "AllowInternetOutBound",
            65001,
            Direction::Outbound,
            Access::Allow,
            vec![Any],
            vec![Tag(ServiceTag::Internet)],
        ),
        rule(
            "DenyAllOutBound",
            65500,
            Direction::Outbound,
            Access::Deny,
            vec![Any],
            vec![Any],
        ),
    ]
}
