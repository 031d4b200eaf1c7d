//! Name references, listed in one place. A design refers to objects by name (DESIGN keeps it
//! that way: files stay readable and diff well), so a NIC names its VNet and subnet, a peering
//! its two VNets, a connection its gateway and site, an intent its endpoints. [`RefSlot`] is
//! every field that holds such a name; [`Design::references_of`] lists them for one object.
//! Validation checks them, renaming rewrites them and removal follows them through these two,
//! so a new reference field is one new slot here: the compiler then asks for the rest in this
//! file ([`Design::reference_mut`], [`RefSlot::holder`]).
//!
//! Slots are positions (indexes into the design's lists), valid for the design they were read
//! from until that design changes shape. Listing every reference of a design allocates one
//! small vector per object; it is linear in the design.

use super::{ConnectionRemote, Design, ObjectKind, Side};

/// What kind of object a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefKind {
    /// A VNet, by name.
    Vnet,
    /// A subnet, by its name within a VNet (the reference's scope).
    Subnet,
    /// An NSG.
    Nsg,
    /// A route table.
    RouteTable,
    /// A gateway.
    Gateway,
    /// An on-premises site.
    Site,
    /// An endpoint: a VM, a site host or a gateway's point-to-site client.
    Endpoint,
    /// A subscription. VNets name theirs as free text: such a reference need not resolve.
    Subscription,
}

impl RefKind {
    /// How a sentence names the kind of object ("there is no route table `x`").
    pub fn label(self) -> &'static str {
        match self {
            RefKind::Vnet => "VNet",
            RefKind::Subnet => "subnet",
            RefKind::Nsg => "NSG",
            RefKind::RouteTable => "route table",
            RefKind::Gateway => "gateway",
            RefKind::Site => "site",
            RefKind::Endpoint => "VM, host or P2S client",
            RefKind::Subscription => "subscription",
        }
    }
}

/// An object that holds references, by position in the design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Holder {
    /// VNet `vnet` (its subscription).
    Vnet(usize),
    /// Subnet `subnet` of VNet `vnet`.
    Subnet {
        /// Index of the VNet.
        vnet: usize,
        /// Index of the subnet in the VNet.
        subnet: usize,
    },
    /// NIC `nic` of VM `vm`.
    Nic {
        /// Index of the VM.
        vm: usize,
        /// Index of the NIC in the VM.
        nic: usize,
    },
    /// A peering.
    Peering(usize),
    /// A gateway.
    Gateway(usize),
    /// A connection.
    Connection(usize),
    /// An intent.
    Intent(usize),
}

/// A field of the design that names another object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefSlot {
    /// A VNet's `subscription`.
    VnetSubscription(usize),
    /// A subnet's `nsg`.
    SubnetNsg {
        /// Index of the VNet.
        vnet: usize,
        /// Index of the subnet in the VNet.
        subnet: usize,
    },
    /// A subnet's `route_table`.
    SubnetRouteTable {
        /// Index of the VNet.
        vnet: usize,
        /// Index of the subnet in the VNet.
        subnet: usize,
    },
    /// The VNet part of a NIC's `subnet`.
    NicVnet {
        /// Index of the VM.
        vm: usize,
        /// Index of the NIC.
        nic: usize,
    },
    /// The subnet part of a NIC's `subnet` (scoped by its VNet part).
    NicSubnet {
        /// Index of the VM.
        vm: usize,
        /// Index of the NIC.
        nic: usize,
    },
    /// A NIC's `nsg`.
    NicNsg {
        /// Index of the VM.
        vm: usize,
        /// Index of the NIC.
        nic: usize,
    },
    /// A peering's `local` or `remote` VNet.
    PeeringEnd {
        /// Index of the peering.
        peering: usize,
        /// Which end.
        side: Side,
    },
    /// One entry of a peering's `local_subnets` or `remote_subnets` (scoped by that end's VNet).
    PeeringSubnet {
        /// Index of the peering.
        peering: usize,
        /// Which end's list.
        side: Side,
        /// Index in the list.
        index: usize,
    },
    /// A gateway's `vnet`.
    GatewayVnet(usize),
    /// A connection's `gateway`.
    ConnectionGateway(usize),
    /// A connection's `remote`: a site or a gateway.
    ConnectionRemote(usize),
    /// An intent's `from` endpoint.
    IntentFrom(usize),
    /// An intent's `to` endpoint.
    IntentTo(usize),
}

impl RefSlot {
    /// The object holding the field.
    pub fn holder(self) -> Holder {
        match self {
            RefSlot::VnetSubscription(vnet) => Holder::Vnet(vnet),
            RefSlot::SubnetNsg { vnet, subnet } | RefSlot::SubnetRouteTable { vnet, subnet } => {
                Holder::Subnet { vnet, subnet }
            }
            RefSlot::NicVnet { vm, nic }
            | RefSlot::NicSubnet { vm, nic }
            | RefSlot::NicNsg { vm, nic } => Holder::Nic { vm, nic },
            RefSlot::PeeringEnd { peering, .. } | RefSlot::PeeringSubnet { peering, .. } => {
                Holder::Peering(peering)
            }
            RefSlot::GatewayVnet(gateway) => Holder::Gateway(gateway),
            RefSlot::ConnectionGateway(c) | RefSlot::ConnectionRemote(c) => Holder::Connection(c),
            RefSlot::IntentFrom(i) | RefSlot::IntentTo(i) => Holder::Intent(i),
        }
    }

    /// Whether the field may be left empty (an association that can be removed): a subnet's
    /// NSG and route table, a NIC's NSG. Clearing such a field is how a dangling one is repaired;
    /// any other dangling reference makes its holder unusable.
    pub fn is_optional(self) -> bool {
        matches!(
            self,
            RefSlot::SubnetNsg { .. } | RefSlot::SubnetRouteTable { .. } | RefSlot::NicNsg { .. }
        )
    }
}

/// One reference: where it is and what it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reference<'a> {
    /// The field.
    pub slot: RefSlot,
    /// What kind of object it names.
    pub kind: RefKind,
    /// The name it holds.
    pub name: &'a str,
    /// For a subnet reference, the VNet the subnet is looked up in.
    pub scope: Option<&'a str>,
}

impl Design {
    /// Every reference one object holds, in field order. Empty for a holder that does not
    /// exist.
    ///
    /// ```
    /// use vnetlab::model::{Design, Holder, RefKind};
    /// let d = Design::example_pair();
    /// let refs = d.references_of(Holder::Nic { vm: 0, nic: 0 });
    /// let named: Vec<_> = refs.iter().map(|r| (r.kind, r.name, r.scope)).collect();
    /// assert_eq!(named, [(RefKind::Vnet, "a", None), (RefKind::Subnet, "default", Some("a"))]);
    /// ```
    pub fn references_of(&self, holder: Holder) -> Vec<Reference<'_>> {
        let reference = |slot, kind, name, scope| Reference {
            slot,
            kind,
            name,
            scope,
        };
        let mut refs = Vec::new();
        match holder {
            Holder::Vnet(v) => {
                if let Some(vnet) = self.vnets.get(v)
                    && !vnet.subscription.is_empty()
                {
                    let slot = RefSlot::VnetSubscription(v);
                    refs.push(reference(
                        slot,
                        RefKind::Subscription,
                        vnet.subscription.as_str(),
                        None,
                    ));
                }
            }
            Holder::Subnet { vnet, subnet } => {
                let Some(s) = self.vnets.get(vnet).and_then(|v| v.subnets.get(subnet)) else {
                    return refs;
                };
                if let Some(nsg) = &s.nsg {
                    refs.push(reference(
                        RefSlot::SubnetNsg { vnet, subnet },
                        RefKind::Nsg,
                        nsg,
                        None,
                    ));
                }
                if let Some(table) = &s.route_table {
                    let slot = RefSlot::SubnetRouteTable { vnet, subnet };
                    refs.push(reference(slot, RefKind::RouteTable, table, None));
                }
            }
            Holder::Nic { vm, nic } => {
                let Some(n) = self.vms.get(vm).and_then(|v| v.nics.get(nic)) else {
                    return refs;
                };
                let at = &n.subnet;
                refs.push(reference(
                    RefSlot::NicVnet { vm, nic },
                    RefKind::Vnet,
                    &at.vnet,
                    None,
                ));
                let slot = RefSlot::NicSubnet { vm, nic };
                refs.push(reference(
                    slot,
                    RefKind::Subnet,
                    &at.subnet,
                    Some(at.vnet.as_str()),
                ));
                if let Some(nsg) = &n.nsg {
                    refs.push(reference(
                        RefSlot::NicNsg { vm, nic },
                        RefKind::Nsg,
                        nsg,
                        None,
                    ));
                }
            }
            Holder::Peering(peering) => {
                let Some(p) = self.peerings.get(peering) else {
                    return refs;
                };
                for side in [Side::Local, Side::Remote] {
                    let slot = RefSlot::PeeringEnd { peering, side };
                    refs.push(reference(slot, RefKind::Vnet, p.end(side), None));
                }
                for side in [Side::Local, Side::Remote] {
                    for (index, name) in p.subnets(side).iter().enumerate() {
                        let slot = RefSlot::PeeringSubnet {
                            peering,
                            side,
                            index,
                        };
                        refs.push(reference(slot, RefKind::Subnet, name, Some(p.end(side))));
                    }
                }
            }
            Holder::Gateway(g) => {
                if let Some(gateway) = self.gateways.get(g) {
                    let slot = RefSlot::GatewayVnet(g);
                    refs.push(reference(slot, RefKind::Vnet, &gateway.vnet, None));
                }
            }
            Holder::Connection(c) => {
                if let Some(connection) = self.connections.get(c) {
                    let slot = RefSlot::ConnectionGateway(c);
                    refs.push(reference(slot, RefKind::Gateway, &connection.gateway, None));
                    let (kind, name) = match &connection.remote {
                        ConnectionRemote::Gateway(g) => (RefKind::Gateway, g),
                        ConnectionRemote::Site(s) => (RefKind::Site, s),
                    };
                    refs.push(reference(RefSlot::ConnectionRemote(c), kind, name, None));
                }
            }
            Holder::Intent(i) => {
                if let Some(intent) = self.intents.get(i) {
                    refs.push(reference(
                        RefSlot::IntentFrom(i),
                        RefKind::Endpoint,
                        &intent.from,
                        None,
                    ));
                    refs.push(reference(
                        RefSlot::IntentTo(i),
                        RefKind::Endpoint,
                        &intent.to,
                        None,
                    ));
                }
            }
        }
        refs
    }

    /// Every object that can hold references, in file order.
    pub fn holders(&self) -> Vec<Holder> {
        let vnets = self.vnets.iter().enumerate().flat_map(|(v, vnet)| {
            std::iter::once(Holder::Vnet(v))
                .chain((0..vnet.subnets.len()).map(move |s| Holder::Subnet { vnet: v, subnet: s }))
        });
        let nics = self
            .vms
            .iter()
            .enumerate()
            .flat_map(|(vm, v)| (0..v.nics.len()).map(move |nic| Holder::Nic { vm, nic }));
        vnets
            .chain(nics)
            .chain((0..self.peerings.len()).map(Holder::Peering))
            .chain((0..self.gateways.len()).map(Holder::Gateway))
            .chain((0..self.connections.len()).map(Holder::Connection))
            .chain((0..self.intents.len()).map(Holder::Intent))
            .collect()
    }

    /// Every reference of the design, in file order.
    pub fn references(&self) -> Vec<Reference<'_>> {
        self.holders()
            .into_iter()
            .flat_map(|h| self.references_of(h))
            .collect()
    }

    /// The fields that name object `name` of `kind` (a subnet's `scope` is its VNet).
    ///
    /// ```
    /// use vnetlab::model::{Design, RefKind, RefSlot};
    /// let d = Design::example_pair();
    /// assert_eq!(d.referencing(RefKind::Vnet, None, "b"), [RefSlot::NicVnet { vm: 1, nic: 0 }]);
    /// ```
    pub fn referencing(&self, kind: RefKind, scope: Option<&str>, name: &str) -> Vec<RefSlot> {
        self.references_where(kind, |s, n| {
            n == name && (kind != RefKind::Subnet || s == scope)
        })
    }

    /// The fields of `kind` whose scope and name `wanted` accepts, in file order.
    pub fn references_where(
        &self,
        kind: RefKind,
        wanted: impl Fn(Option<&str>, &str) -> bool,
    ) -> Vec<RefSlot> {
        self.references()
            .into_iter()
            .filter(|r| r.kind == kind && wanted(r.scope, r.name))
            .map(|r| r.slot)
            .collect()
    }

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
        }
    }

    /// Empties an optional field ([`RefSlot::is_optional`]); `false` for any other slot.
    pub fn clear_reference(&mut self, slot: RefSlot) -> bool {
        let field = match slot {
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

    /// The kind and name of a holder, as messages name it (a subnet as `vnet/subnet`, a NIC by
    /// its VM), and the names that lead to it in a design file, outermost first.
    pub fn holder_names(&self, holder: Holder) -> Option<(ObjectKind, String, Vec<String>)> {
        Some(match holder {
            Holder::Vnet(v) => {
                let name = self.vnets.get(v)?.name.clone();
                (ObjectKind::Vnet, name.clone(), vec![name])
            }
            Holder::Subnet { vnet, subnet } => {
                let v = self.vnets.get(vnet)?;
                let s = v.subnets.get(subnet)?;
                let path = format!("{}/{}", v.name, s.name);
                (
                    ObjectKind::Subnet,
                    path,
                    vec![v.name.clone(), s.name.clone()],
                )
            }
            Holder::Nic { vm, .. } => {
                let name = self.vms.get(vm)?.name.clone();
                (ObjectKind::Vm, name.clone(), vec![name])
            }
            Holder::Peering(p) => {
                let name = self.peerings.get(p)?.name.clone();
                (ObjectKind::Peering, name.clone(), vec![name])
            }
            Holder::Gateway(g) => {
                let name = self.gateways.get(g)?.name.clone();
                (ObjectKind::Gateway, name.clone(), vec![name])
            }
            Holder::Connection(c) => {
                let name = self.connections.get(c)?.name.clone();
                (ObjectKind::Connection, name.clone(), vec![name])
            }
            Holder::Intent(i) => {
                let name = self.intents.get(i)?.name.clone();
                (ObjectKind::Intent, name.clone(), vec![name])
            }
        })
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
