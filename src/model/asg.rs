//! Application security groups (ASGs): named groups of NICs that NSG rules name as a source or
//! destination instead of addresses (application-security-groups.md). A NIC joins by listing the
//! ASG (`Nic::asgs`, Azure's `applicationSecurityGroups` on an IP configuration); a rule names
//! ASGs in `NsgRule::source_asgs` / `destination_asgs` (Azure's
//! `sourceApplicationSecurityGroups` / `destinationApplicationSecurityGroups`).
//!
//! Azure's rule that every NIC of an ASG sits in the VNet of its first NIC is an invariant here
//! ([`super::ModelError::AsgInSeveralVnets`]): Azure refuses a NIC from another VNet, so no
//! design can hold one. The engine matches an ASG as the addresses of its member NICs, as
//! Azure's effective security rules expand it.

use super::{Design, ModelError};
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
