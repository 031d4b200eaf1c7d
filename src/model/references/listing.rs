//! Reading references: one object's, every object's, those naming a given object.

use super::{Holder, RefKind, RefSlot, Reference};
use crate::model::{ConnectionRemote, Design, ObjectKind, RuleEnd, Side, Topology};

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
                for (index, asg) in n.asgs.iter().enumerate() {
                    let slot = RefSlot::NicAsg { vm, nic, index };
                    refs.push(reference(slot, RefKind::Asg, asg, None));
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
            Holder::Nsg(n) => {
                let Some(nsg) = self.nsgs.get(n) else {
                    return refs;
                };
                for (rule, r) in nsg.rules.iter().enumerate() {
                    for end in [RuleEnd::Source, RuleEnd::Destination] {
                        for (index, asg) in r.asgs(end).iter().enumerate() {
                            let slot = RefSlot::RuleAsg {
                                nsg: n,
                                rule,
                                end,
                                index,
                            };
                            refs.push(reference(slot, RefKind::Asg, asg, None));
                        }
                    }
                }
            }
            Holder::RouteServer(r) => {
                if let Some(server) = self.route_servers.get(r) {
                    let slot = RefSlot::RouteServerVnet(r);
                    refs.push(reference(slot, RefKind::Vnet, &server.vnet, None));
                }
            }
            Holder::NetworkGroup(g) => {
                if let Some(group) = self.network_groups.get(g) {
                    for (index, vnet) in group.members.iter().enumerate() {
                        let slot = RefSlot::GroupMember { group: g, index };
                        refs.push(reference(slot, RefKind::Vnet, vnet, None));
                    }
                }
            }
            Holder::Connectivity(c) => {
                let Some(config) = self.connectivity.get(c) else {
                    return refs;
                };
                if let Topology::HubAndSpoke { hub } = &config.topology {
                    let slot = RefSlot::ConnectivityHub(c);
                    refs.push(reference(slot, RefKind::Vnet, hub, None));
                }
                for (index, link) in config.groups.iter().enumerate() {
                    let slot = RefSlot::ConnectivityGroup { config: c, index };
                    refs.push(reference(slot, RefKind::NetworkGroup, &link.group, None));
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
            .chain((0..self.nsgs.len()).map(Holder::Nsg))
            .chain((0..self.route_servers.len()).map(Holder::RouteServer))
            .chain((0..self.network_groups.len()).map(Holder::NetworkGroup))
            .chain((0..self.connectivity.len()).map(Holder::Connectivity))
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
            Holder::Nsg(n) => {
                let name = self.nsgs.get(n)?.name.clone();
                (ObjectKind::Nsg, name.clone(), vec![name])
            }
            Holder::RouteServer(r) => {
                let name = self.route_servers.get(r)?.name.clone();
                (ObjectKind::RouteServer, name.clone(), vec![name])
            }
            Holder::NetworkGroup(g) => {
                let name = self.network_groups.get(g)?.name.clone();
                (ObjectKind::NetworkGroup, name.clone(), vec![name])
            }
            Holder::Connectivity(c) => {
                let name = self.connectivity.get(c)?.name.clone();
                (ObjectKind::Connectivity, name.clone(), vec![name])
            }
        })
    }
}
