//! Application security groups (ASGs): named groups of NICs that NSG rules name as a source or
//! destination instead of addresses (application-security-groups.md). A NIC joins by listing the
//! ASG (`Nic::asgs`, Azure's `applicationSecurityGroups` on an IP configuration); a rule names
//! ASGs in `NsgRule::source_asgs` / `destination_asgs` (Azure's
//! `sourceApplicationSecurityGroups` / `destinationApplicationSecurityGroups`).
//!
//! Azure's rule that every NIC of an ASG sits in the VNet of its first NIC is an invariant here
//! ([`super::ModelError::AsgInSeveralVnets`]): Azure refuses a NIC from another VNet, so no
//! design can hold one. Azure's rule that every ASG one security rule names (on both ends)
//! is in one VNet ("All ASGs on the Security Rule must be from the same virtual network",
//! `AllApplicationSecurityGroupsInSecurityRuleMustBeFromSameVnet`) is
//! [`Design::rule_asg_clash`], which lint reports and the rule form refuses. A rule may name
//! several ASGs per end (Azure lifted the limit of one in 2021).
//!
//! Named reading *ASG matched by IP* (README, "Readings of Azure's documentation"): the engine
//! matches an ASG as the addresses of its member NICs, as Azure's effective security rules
//! expand it; an ASG without members matches nothing.

use super::{Design, ModelError, NsgRule, Vm};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// An application security group. Membership is on the NICs; rules name it by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asg {
    /// Unique name of the ASG in the design.
    pub name: String,
}

impl Asg {
    /// An ASG with no members yet.
    pub fn new(name: impl Into<String>) -> Self {
        Asg { name: name.into() }
    }
}

impl Design {
    /// The ASG with this name.
    pub fn asg(&self, name: &str) -> Option<&Asg> {
        self.asgs.iter().find(|a| a.name == name)
    }

    /// The VNet each ASG's members live in: the VNet of its first member NIC, in file order
    /// (an ASG without members is in no VNet yet).
    ///
    /// ```
    /// use vnetlab::model::{Asg, Design};
    /// let mut d = Design::example_pair();
    /// d.asgs.push(Asg::new("web"));
    /// d.vms[1].nics[0].asgs = vec!["web".into()];
    /// assert_eq!(d.asg_vnets().get("web").copied(), Some("b"));
    /// ```
    pub fn asg_vnets(&self) -> HashMap<&str, &str> {
        let mut first: HashMap<&str, &str> = HashMap::new();
        for nic in self.vms.iter().flat_map(|vm| vm.nics.iter()) {
            for asg in &nic.asgs {
                first
                    .entry(asg.as_str())
                    .or_insert(nic.subnet.vnet.as_str());
            }
        }
        first
    }

    /// Azure's rule "all network interfaces assigned to an application security group have to
    /// exist in the same virtual network that the first network interface assigned to it is in":
    /// one error per NIC that joins an ASG from another VNet.
    pub(super) fn check_asg_members(&self, errors: &mut Vec<ModelError>) {
        let mut first: HashMap<&str, &str> = HashMap::new();
        for vm in &self.vms {
            for nic in &vm.nics {
                for asg in &nic.asgs {
                    let vnet = *first
                        .entry(asg.as_str())
                        .or_insert(nic.subnet.vnet.as_str());
                    if vnet != nic.subnet.vnet {
                        errors.push(ModelError::AsgInSeveralVnets {
                            asg: asg.clone(),
                            vm: vm.name.clone(),
                            first: vnet.to_string(),
                            other: nic.subnet.vnet.clone(),
                        });
                    }
                }
            }
        }
    }
}

/// Two ASGs one NSG rule names whose NICs sit in different VNets: Azure refuses the rule
/// (`AllApplicationSecurityGroupsInSecurityRuleMustBeFromSameVnet`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsgVnetClash {
    /// The first ASG the rule names that has members (sources first), and its VNet.
    pub first: (String, String),
    /// An ASG of the same rule whose members are in another VNet, and that VNet.
    pub other: (String, String),
}

impl std::fmt::Display for AsgVnetClash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ASG `{}` has NICs in `{}` and ASG `{}` in `{}`; Azure requires every ASG of one rule to be in the same VNet",
            self.first.0, self.first.1, self.other.0, self.other.1
        )
    }
}

impl Design {
    /// Whether the ASGs `rule` names (source and destination alike) sit in more than one VNet,
    /// which Azure refuses; an ASG without members is in no VNet yet and never clashes.
    ///
    /// ```
    /// use vnetlab::model::{Access, Asg, Design, Direction, NsgRule, Protocol};
    /// let mut d = Design::example_pair();
    /// d.asgs.extend([Asg::new("web-a"), Asg::new("web-b")]);
    /// d.vms[0].nics[0].asgs = vec!["web-a".into()];
    /// d.vms[1].nics[0].asgs = vec!["web-b".into()];
    /// let mut rule = NsgRule::new("r", 100, Direction::Inbound, Access::Allow, Protocol::Any);
    /// rule.source_asgs = vec!["web-a".into(), "web-b".into()];
    /// let clash = d.rule_asg_clash(&rule).unwrap();
    /// assert_eq!(clash.other, ("web-b".to_string(), "b".to_string()));
    /// ```
    pub fn rule_asg_clash(&self, rule: &NsgRule) -> Option<AsgVnetClash> {
        let vnet_of = self.asg_vnets();
        let mut named = rule
            .source_asgs
            .iter()
            .chain(&rule.destination_asgs)
            .filter_map(|a| vnet_of.get(a.as_str()).map(|v| (a.as_str(), *v)));
        let (asg, vnet) = named.next()?;
        let (other, other_vnet) = named.find(|(_, v)| *v != vnet)?;
        Some(AsgVnetClash {
            first: (asg.to_string(), vnet.to_string()),
            other: (other.to_string(), other_vnet.to_string()),
        })
    }

    /// The first ASG `vm`'s NICs would join from another VNet than its other members', as
    /// (ASG, the members' VNet), with `vm` in place of the design's VM named `replaced` (the
    /// VM's name before an edit): Azure refuses such a NIC ([`ModelError::AsgInSeveralVnets`]
    /// once applied).
    pub fn asg_membership_clash(&self, replaced: &str, vm: &Vm) -> Option<(String, String)> {
        let mut vnet_of: HashMap<&str, &str> = HashMap::new();
        for other in self.vms.iter().filter(|o| o.name != replaced) {
            for nic in &other.nics {
                for asg in &nic.asgs {
                    vnet_of.entry(asg).or_insert(&nic.subnet.vnet);
                }
            }
        }
        for nic in &vm.nics {
            for asg in &nic.asgs {
                let vnet = *vnet_of.entry(asg).or_insert(&nic.subnet.vnet);
                if vnet != nic.subnet.vnet {
                    return Some((asg.clone(), vnet.to_string()));
                }
            }
        }
        None
    }
}
