//! Network security groups: custom rules plus the six default rules every NSG carries.

use super::net::{AddressMatch, PortRange, Protocol, ServiceTag};
use super::shared::SharedVec;
use super::vm::Access;
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// A network security group, associated with subnets and/or NICs by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nsg {
    /// Unique name of the NSG in the design.
    pub name: String,
    /// Custom rules; the defaults are implied and never stored. Shared between revisions
    /// until one changes them ([`SharedVec`]), so an edit of one NSG copies no other's rules.
    #[serde(default)]
    pub rules: SharedVec<NsgRule>,
}

impl Nsg {
    /// An NSG with only the default rules.
    pub fn new(name: impl Into<String>) -> Self {
        Nsg {
            name: name.into(),
            rules: SharedVec::new(),
        }
    }

    /// Whether a custom rule of `direction` already has `priority` (Azure refuses a second one).
    pub fn priority_taken(&self, direction: Direction, priority: u32) -> bool {
        self.rules
            .iter()
            .any(|r| r.direction == direction && r.priority == priority)
    }

    /// The first of `candidates` that is a custom priority ([`NsgRule::PRIORITIES`]) and that
    /// no rule of `direction` has: the priority a new rule of that direction can take.
    ///
    /// ```
    /// use vnetlab::model::{Direction, Nsg, NsgRule};
    /// let nsg = Nsg::new("nsg");
    /// assert_eq!(nsg.free_priority(Direction::Inbound, NsgRule::PRIORITIES), Some(100));
    /// // In steps of ten, as a form suggests; or the highest below 200.
    /// assert_eq!(nsg.free_priority(Direction::Inbound, NsgRule::PRIORITIES.step_by(10)), Some(100));
    /// assert_eq!(nsg.free_priority(Direction::Inbound, (0..200).rev()), Some(199));
    /// ```
    pub fn free_priority(
        &self,
        direction: Direction,
        candidates: impl IntoIterator<Item = u32>,
    ) -> Option<u32> {
        candidates
            .into_iter()
            .filter(|p| NsgRule::PRIORITIES.contains(p))
            .find(|&p| !self.priority_taken(direction, p))
    }

    /// The highest free custom priority of `direction` evaluated before `priority` (lower
    /// numbers win): where a rule that must override the one at `priority` can go.
    ///
    /// ```
    /// use vnetlab::model::{Access, Direction, Nsg, NsgRule, Protocol};
    /// let mut nsg = Nsg::new("nsg");
    /// nsg.rules.push(NsgRule::new("deny", 300, Direction::Inbound, Access::Deny, Protocol::Any));
    /// nsg.rules.push(NsgRule::new("x", 299, Direction::Inbound, Access::Allow, Protocol::Tcp));
    /// assert_eq!(nsg.free_priority_before(Direction::Inbound, 300), Some(298));
    /// assert_eq!(nsg.free_priority_before(Direction::Inbound, 65000), Some(4096));
    /// assert_eq!(nsg.free_priority_before(Direction::Inbound, 100), None);
    /// ```
    pub fn free_priority_before(&self, direction: Direction, priority: u32) -> Option<u32> {
        let (first, last) = (*NsgRule::PRIORITIES.start(), *NsgRule::PRIORITIES.end());
        self.free_priority(
            direction,
            (first..=priority.saturating_sub(1).min(last)).rev(),
        )
    }

    /// The free custom priority of `direction` nearest to `priority` (clamped into
    /// [`NsgRule::PRIORITIES`]), above it on a tie: where a rule whose own priority Azure
    /// refuses (out of range, or taken by another rule) moves with the least change to the
    /// evaluation order.
    ///
    /// ```
    /// use vnetlab::model::{Access, Direction, Nsg, NsgRule, Protocol};
    /// let mut nsg = Nsg::new("nsg");
    /// for p in [200, 201, 199] {
    ///     nsg.rules.push(NsgRule::new(format!("r{p}"), p, Direction::Inbound, Access::Allow, Protocol::Tcp));
    /// }
    /// assert_eq!(nsg.nearest_free_priority(Direction::Inbound, 200), Some(202));
    /// assert_eq!(nsg.nearest_free_priority(Direction::Inbound, 50), Some(100));
    /// assert_eq!(nsg.nearest_free_priority(Direction::Outbound, 200), Some(200));
    /// ```
    pub fn nearest_free_priority(&self, direction: Direction, priority: u32) -> Option<u32> {
        let (first, last) = (*NsgRule::PRIORITIES.start(), *NsgRule::PRIORITIES.end());
        let wanted = priority.clamp(first, last);
        // wanted, wanted + 1, wanted - 1, wanted + 2, …: nearest first, above before below.
        let nearest_first = (0..=last - first).flat_map(move |d| {
            [
                wanted.checked_add(d),
                wanted.checked_sub(d).filter(|_| d > 0),
            ]
            .into_iter()
            .flatten()
        });
        self.free_priority(direction, nearest_first)
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

/// The source or destination end of an NSG rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RuleEnd {
    /// `source…` fields.
    Source,
    /// `destination…` fields.
    Destination,
}

impl NsgRule {
    /// The ASGs named at one end of the rule.
    pub fn asgs(&self, end: RuleEnd) -> &[String] {
        match end {
            RuleEnd::Source => &self.source_asgs,
            RuleEnd::Destination => &self.destination_asgs,
        }
    }

    /// The ASG list of one end, mutably.
    pub fn asgs_mut(&mut self, end: RuleEnd) -> &mut Vec<String> {
        match end {
            RuleEnd::Source => &mut self.source_asgs,
            RuleEnd::Destination => &mut self.destination_asgs,
        }
    }
}

/// One security rule. Lower priority numbers are evaluated first; the first match decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NsgRule {
    /// Rule name, unique in its NSG.
    pub name: String,
    /// [`NsgRule::PRIORITIES`] for custom rules; 65000+ for the defaults.
    pub priority: u32,
    /// Inbound or outbound.
    pub direction: Direction,
    /// Allow or deny.
    pub access: Access,
    /// Protocol.
    #[serde(default)]
    pub protocol: Protocol,
    /// Source addresses (any of them matches). Ignored when `source_asgs` names ASGs.
    #[serde(default = "any_addresses")]
    pub source: Vec<AddressMatch>,
    /// Source application security groups (`sourceApplicationSecurityGroups`): when present,
    /// the rule matches packets from the NICs of these ASGs instead of `source`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_asgs: Vec<String>,
    /// Source ports.
    #[serde(default = "all_ports", skip_serializing_if = "is_all_ports")]
    pub source_ports: Vec<PortRange>,
    /// Destination addresses (any of them matches). Ignored when `destination_asgs` names ASGs.
    #[serde(default = "any_addresses")]
    pub destination: Vec<AddressMatch>,
    /// Destination application security groups (`destinationApplicationSecurityGroups`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_asgs: Vec<String>,
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
    /// The priorities Azure accepts for custom rules: 100 to 4096 (azure-semantics.md §3.1).
    /// Lower numbers are evaluated first; the default rules sit at 65000 and above.
    pub const PRIORITIES: RangeInclusive<u32> = 100..=4096;

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
            source_asgs: Vec::new(),
            source_ports: all_ports(),
            destination: any_addresses(),
            destination_asgs: Vec::new(),
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
        source_asgs: Vec::new(),
        source_ports: all_ports(),
        destination,
        destination_asgs: Vec::new(),
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

/// A rule's port ranges in the one form that says what they mean: `*` among other ranges is
/// every port, and a range named twice is named once. Imports read port lists this way and
/// exports write them this way, so a design survives export and import with its meaning (and
/// the lists come back in this form).
///
/// ```
/// use vnetlab::model::{PortRange, canonical_ports};
/// let p80 = PortRange::single(80);
/// assert_eq!(canonical_ports(&[p80, PortRange::ALL]), vec![PortRange::ALL]);
/// assert_eq!(canonical_ports(&[p80, p80]), vec![p80]);
/// ```
pub fn canonical_ports(ports: &[PortRange]) -> Vec<PortRange> {
    if ports.contains(&PortRange::ALL) {
        return vec![PortRange::ALL];
    }
    let mut out: Vec<PortRange> = Vec::with_capacity(ports.len());
    for port in ports {
        if !out.contains(port) {
            out.push(*port);
        }
    }
    out
}

/// A rule's addresses in the one form that says what they mean: `Any` among others is any
/// address, and an address named twice is named once (see [`canonical_ports`]).
pub fn canonical_addresses(addresses: &[AddressMatch]) -> Vec<AddressMatch> {
    if addresses.contains(&AddressMatch::Any) {
        return vec![AddressMatch::Any];
    }
    let mut out: Vec<AddressMatch> = Vec::with_capacity(addresses.len());
    for address in addresses {
        if !out.contains(address) {
            out.push(address.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::{HubSpokeParams, hub_spoke};

    /// A revision that changes one NSG's rule copies that NSG's rules alone: every other NSG's
    /// rules stay the very list the previous revision holds.
    #[test]
    fn editing_one_nsg_copies_no_other_nsgs_rules() {
        let before = hub_spoke(&HubSpokeParams {
            hubs: 1,
            spokes: 4,
            subnets_per_spoke: 1,
            vms_per_subnet: 1,
        })
        .expect("valid counts");
        let mut after = before.clone();
        let edited = after
            .nsgs
            .iter()
            .position(|n| !n.rules.is_empty())
            .expect("the generator gives NSGs rules");
        let rule = &mut after.nsgs[edited].rules[0];
        rule.access = rule.access.flipped();
        for (k, (now, was)) in after.nsgs.iter().zip(before.nsgs.iter()).enumerate() {
            assert_eq!(
                SharedVec::same(&now.rules, &was.rules),
                k != edited,
                "NSG {}",
                now.name
            );
        }
        assert_ne!(after.nsgs[edited], before.nsgs[edited]);
    }
}
