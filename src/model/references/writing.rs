//! Changing references: the field behind a slot, clearing an optional association, and
//! pointing every reference to an object at its new name.

use super::{RefKind, RefSlot};
use crate::model::{ConnectionRemote, Design, Side, Topology};

impl Design {
    /// The name a field holds, mutably; `None` when the slot does not exist (or is an empty
    /// optional field).
    pub fn reference_mut(&mut self, slot: RefSlot) -> Option<&mut String> {
        match slot {
            RefSlot::VnetSubscription(v) => Some(&mut self.vnets.get_mut(v)?.subscription),
            RefSlot::SubnetNsg { vnet, subnet } => self
                .vnets
                .get_mut(vnet)?
                .subnets
                .get_mut(subnet)?
                .nsg
                .as_mut(),
            RefSlot::SubnetRouteTable { vnet, subnet } => self
                .vnets
                .get_mut(vnet)?
                .subnets
                .get_mut(subnet)?
                .route_table
                .as_mut(),
            RefSlot::NicVnet { vm, nic } => {
                Some(&mut self.vms.get_mut(vm)?.nics.get_mut(nic)?.subnet.vnet)
            }
            RefSlot::NicSubnet { vm, nic } => {
                Some(&mut self.vms.get_mut(vm)?.nics.get_mut(nic)?.subnet.subnet)
            }
            RefSlot::NicNsg { vm, nic } => self.vms.get_mut(vm)?.nics.get_mut(nic)?.nsg.as_mut(),
            RefSlot::PeeringEnd { peering, side } => {
                let p = self.peerings.get_mut(peering)?;
                Some(match side {
                    Side::Local => &mut p.local,
                    Side::Remote => &mut p.remote,
                })
            }
            RefSlot::PeeringSubnet {
                peering,
                side,
                index,
            } => self
                .peerings
                .get_mut(peering)?
                .subnets_mut(side)
                .get_mut(index),
            RefSlot::GatewayVnet(g) => Some(&mut self.gateways.get_mut(g)?.vnet),
            RefSlot::ConnectionGateway(c) => Some(&mut self.connections.get_mut(c)?.gateway),
            RefSlot::ConnectionRemote(c) => Some(match &mut self.connections.get_mut(c)?.remote {
                ConnectionRemote::Gateway(name) | ConnectionRemote::Site(name) => name,
            }),
            RefSlot::IntentFrom(i) => Some(&mut self.intents.get_mut(i)?.from),
            RefSlot::IntentTo(i) => Some(&mut self.intents.get_mut(i)?.to),
            RefSlot::NicAsg { vm, nic, index } => {
                self.vms.get_mut(vm)?.nics.get_mut(nic)?.asgs.get_mut(index)
            }
            RefSlot::RuleAsg {
                nsg,
                rule,
                end,
                index,
            } => self
                .nsgs
                .get_mut(nsg)?
                .rules
                .get_mut(rule)?
                .asgs_mut(end)
                .get_mut(index),
            RefSlot::RouteServerVnet(r) => Some(&mut self.route_servers.get_mut(r)?.vnet),
            RefSlot::GroupMember { group, index } => {
                self.network_groups.get_mut(group)?.members.get_mut(index)
            }
            RefSlot::ConnectivityHub(c) => match &mut self.connectivity.get_mut(c)?.topology {
                Topology::HubAndSpoke { hub } => Some(hub),
                Topology::Mesh => None,
            },
            RefSlot::ConnectivityGroup { config, index } => Some(
                &mut self
                    .connectivity
                    .get_mut(config)?
                    .groups
                    .get_mut(index)?
                    .group,
            ),
        }
    }

    /// Empties an optional field ([`RefSlot::is_optional`]), or drops an optional list entry
    /// (which shifts the entries after it); `false` for any other slot.
    pub fn clear_reference(&mut self, slot: RefSlot) -> bool {
        fn drop_entry<T>(list: Option<&mut Vec<T>>, index: usize) -> bool {
            match list {
                Some(list) if index < list.len() => {
                    list.remove(index);
                    true
                }
                _ => false,
            }
        }
        let field = match slot {
            RefSlot::NicAsg { vm, nic, index } => {
                let list = self
                    .vms
                    .get_mut(vm)
                    .and_then(|v| v.nics.get_mut(nic))
                    .map(|n| &mut n.asgs);
                return drop_entry(list, index);
            }
            RefSlot::GroupMember { group, index } => {
                let list = self.network_groups.get_mut(group).map(|g| &mut g.members);
                return drop_entry(list, index);
            }
            RefSlot::ConnectivityGroup { config, index } => {
                let list = self.connectivity.get_mut(config).map(|c| &mut c.groups);
                return drop_entry(list, index);
            }
            RefSlot::SubnetNsg { vnet, subnet } => self
                .vnets
                .get_mut(vnet)
                .and_then(|v| v.subnets.get_mut(subnet))
                .map(|s| &mut s.nsg),
            RefSlot::SubnetRouteTable { vnet, subnet } => self
                .vnets
                .get_mut(vnet)
                .and_then(|v| v.subnets.get_mut(subnet))
                .map(|s| &mut s.route_table),
            RefSlot::NicNsg { vm, nic } => self
                .vms
                .get_mut(vm)
                .and_then(|v| v.nics.get_mut(nic))
                .map(|n| &mut n.nsg),
            _ => None,
        };
        field.is_some_and(|f| f.take().is_some())
    }

    /// Points every reference to `old` (of `kind`; for a subnet, in VNet `scope`) at `new`,
    /// and returns how many were changed. Renaming an object is renaming it and then this.
    ///
    /// ```
    /// use vnetlab::model::{Design, RefKind};
    /// let mut d = Design::example_pair();
    /// assert_eq!(d.rename_references(RefKind::Subnet, Some("a"), "default", "web"), 1);
    /// assert_eq!(d.vms[0].nics[0].subnet.to_string(), "a/web");
    /// assert_eq!(d.vms[1].nics[0].subnet.to_string(), "b/default");
    /// ```
    pub fn rename_references(
        &mut self,
        kind: RefKind,
        scope: Option<&str>,
        old: &str,
        new: &str,
    ) -> usize {
        let slots = self.referencing(kind, scope, old);
        for &slot in &slots {
            if let Some(name) = self.reference_mut(slot) {
                *name = new.to_string();
            }
        }
        slots.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Connection, Expectation, Flow, Intent, Peering};

    #[test]
    fn every_slot_reads_back_the_name_it_was_listed_with() {
        let mut d = Design::example_pair();
        d.vnets[0].subscription = "sub".into();
        d.vnets[0].subnets[0].nsg = Some("nsg".into());
        d.vnets[0].subnets[0].route_table = Some("rt".into());
        d.vms[0].nics[0].nsg = Some("nic-nsg".into());
        let mut p = Peering::new("a-to-b", "a", "b");
        p.local_subnets = vec!["default".into()];
        p.remote_subnets = vec!["default".into()];
        d.peerings.push(p);
        d.connections.push(Connection {
            name: "c".into(),
            gateway: "gw".into(),
            remote: ConnectionRemote::Site("hq".into()),
            bgp: false,
        });
        d.intents.push(Intent {
            name: "i".into(),
            from: "vm-a".into(),
            to: "vm-b".into(),
            flow: Flow::DEFAULT,
            expect: Expectation::Reachable,
        });
        let listed: Vec<(RefSlot, String)> = d
            .references()
            .iter()
            .map(|r| (r.slot, r.name.to_string()))
            .collect();
        assert_eq!(listed.len(), 16);
        for (slot, name) in listed {
            assert_eq!(
                d.reference_mut(slot).map(|n| n.clone()),
                Some(name),
                "{slot:?}"
            );
        }
    }

    #[test]
    fn clearing_works_on_optional_fields_only() {
        let mut d = Design::example_pair();
        d.vnets[0].subnets[0].nsg = Some("nsg".into());
        assert!(d.clear_reference(RefSlot::SubnetNsg { vnet: 0, subnet: 0 }));
        assert_eq!(d.vnets[0].subnets[0].nsg, None);
        assert!(!d.clear_reference(RefSlot::NicVnet { vm: 0, nic: 0 }));
        assert!(!d.clear_reference(RefSlot::SubnetNsg { vnet: 9, subnet: 0 }));
    }
}
