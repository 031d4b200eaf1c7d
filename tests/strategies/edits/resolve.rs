//! Resolving an [`EditSpec`] against the design it is applied to.

use super::{EditSpec, NewName};
use crate::strategies::build::{at, link};
use crate::strategies::spec::Pick;
use crate::strategies::targets::Targets;
use ipnet::Ipv4Net;
use vnetlab::edit::{Edit, Object, ObjectRef};
use vnetlab::model::{
    Connection, ConnectionRemote, Design, GATEWAY_SUBNET, Host, Intent, Nic, ObjectKind, Site,
    Subnet, SubnetRef, Subscription, Vm, Vnet,
};

/// Every object of a kind, as references.
pub fn refs(d: &Design, kind: ObjectKind) -> Vec<ObjectRef> {
    let names: Vec<String> = match kind {
        ObjectKind::Vnet => d.vnets.iter().map(|o| o.name.clone()).collect(),
        ObjectKind::Subnet => d
            .vnets
            .iter()
            .flat_map(|v| v.subnets.iter().map(|s| format!("{}/{}", v.name, s.name)))
            .collect(),
        ObjectKind::Vm => d.vms.iter().map(|o| o.name.clone()).collect(),
        ObjectKind::Peering => d.peerings.iter().map(|o| o.name.clone()).collect(),
        ObjectKind::Nsg => d.nsgs.iter().map(|o| o.name.clone()).collect(),
        ObjectKind::RouteTable => d.route_tables.iter().map(|o| o.name.clone()).collect(),
        ObjectKind::Gateway => d.gateways.iter().map(|o| o.name.clone()).collect(),
        ObjectKind::Site => d.sites.iter().map(|o| o.name.clone()).collect(),
        ObjectKind::Connection => d.connections.iter().map(|o| o.name.clone()).collect(),
        ObjectKind::Intent => d.intents.iter().map(|o| o.name.clone()).collect(),
        ObjectKind::Subscription => d.subscriptions.iter().map(|o| o.name.clone()).collect(),
        ObjectKind::Asg => d.asgs.iter().map(|o| o.name.clone()).collect(),
        ObjectKind::RouteServer => d.route_servers.iter().map(|o| o.name.clone()).collect(),
        ObjectKind::NetworkGroup => d.network_groups.iter().map(|o| o.name.clone()).collect(),
        ObjectKind::Connectivity => d.connectivity.iter().map(|o| o.name.clone()).collect(),
    };
    names
        .into_iter()
        .map(|name| ObjectRef::new(kind, name))
        .collect()
}

fn nth<'a, T>(list: &'a [T], pick: &Pick) -> Option<&'a T> {
    at(pick, list.len()).map(|i| &list[i])
}

fn subnets(d: &Design) -> Vec<(String, Subnet)> {
    d.vnets
        .iter()
        .flat_map(|v| v.subnets.iter().map(|s| (v.name.clone(), s.clone())))
        .collect()
}

fn named(d: &Design, kind: ObjectKind, pick: Option<&Pick>) -> Option<String> {
    let list = refs(d, kind);
    pick.and_then(|p| nth(&list, p)).map(|r| r.name.clone())
}

fn host(prefix: &Ipv4Net, n: usize) -> std::net::Ipv4Addr {
    prefix.hosts().nth(n).unwrap_or(prefix.network())
}

fn add(object: Object) -> Edit {
    Edit::Add { object, at: None }
}

impl EditSpec {
    /// The edit this spec makes on design `d`, as step `step` of a sequence (fresh names are
    /// `x<step>`); `None` when the design has nothing for it to act on.
    pub fn resolve(&self, d: &Design, step: usize) -> Option<Edit> {
        let fresh = format!("x{step}");
        let targets = Targets::new(d);
        Some(match self {
            EditSpec::AddVnet {
                region,
                second_prefix,
            } => {
                let n = u8::try_from(100 + step % 150).ok()?;
                let mut space = vec![Ipv4Net::new([10, n, 0, 0].into(), 16).ok()?];
                if *second_prefix {
                    space.push(Ipv4Net::new([172, 24 + n % 8, 0, 0].into(), 16).ok()?);
                }
                let mut vnet = Vnet::new(&fresh, *region, space.clone());
                vnet.subnets
                    .push(Subnet::new("default", space[0].subnets(24).ok()?.nth(1)?));
                add(Object::Vnet(vnet))
            }
            EditSpec::AddSubnet {
                vnet,
                extra_prefix,
                nsg,
                route_table,
            } => {
                let v = nth(&d.vnets, vnet)?;
                let base = *v.address_space.first()?;
                let len = (base.prefix_len() + 4).min(29);
                let mut subnet = Subnet::new(&fresh, base.subnets(len).ok()?.nth(3 + step % 12)?);
                if *extra_prefix {
                    subnet.extra_prefixes.push(base.subnets(len).ok()?.last()?);
                }
                subnet.nsg = named(d, ObjectKind::Nsg, nsg.as_ref());
                subnet.route_table = named(d, ObjectKind::RouteTable, route_table.as_ref());
                add(Object::Subnet {
                    vnet: v.name.clone(),
                    subnet,
                })
            }
            EditSpec::AddVm {
                subnet,
                appliance,
                secondary,
                nic_nsg,
            } => {
                let (vnet, s) = nth(&subnets(d), subnet)?.clone();
                let mut vm = Vm::new(
                    &fresh,
                    SubnetRef::new(&vnet, &s.name),
                    host(&s.prefix, 20 + step),
                );
                vm.nics[0].nsg = named(d, ObjectKind::Nsg, nic_nsg.as_ref());
                if let Some(appliance) = appliance {
                    vm.nics[0].ip_forwarding = true;
                    vm.appliance = Some(targets.appliance(appliance));
                }
                if *secondary {
                    vm.nics.push(Nic::new(
                        SubnetRef::new(&vnet, &s.name),
                        host(&s.prefix, 60 + step),
                    ));
                }
                add(Object::Vm(vm))
            }
            EditSpec::AddPeering {
                a,
                b,
                link: spec,
                reuse_name,
            } => {
                let (a, b) = (at(a, d.vnets.len())?, at(b, d.vnets.len())?);
                let name = match d.peerings.first() {
                    Some(existing) if *reuse_name => existing.name.clone(),
                    _ => fresh,
                };
                add(Object::Peering(link(d, name, a, b, spec)))
            }
            EditSpec::AddNsg {
                rules,
                attach_to_subnet,
            } => {
                let nsg = targets.nsg(fresh.clone(), rules);
                match attach_to_subnet
                    .as_ref()
                    .and_then(|p| nth(&subnets(d), p).cloned())
                {
                    Some((vnet, mut subnet)) => {
                        subnet.nsg = Some(fresh);
                        Edit::Batch(vec![
                            add(Object::Nsg(nsg)),
                            Edit::Replace(Object::Subnet { vnet, subnet }),
                        ])
                    }
                    None => add(Object::Nsg(nsg)),
                }
            }
            EditSpec::AddRouteTable {
                table,
                attach_to_subnet,
            } => {
                let table = targets.route_table(fresh.clone(), table);
                match attach_to_subnet
                    .as_ref()
                    .and_then(|p| nth(&subnets(d), p).cloned())
                {
                    Some((vnet, mut subnet)) => {
                        subnet.route_table = Some(fresh);
                        Edit::Batch(vec![
                            add(Object::RouteTable(table)),
                            Edit::Replace(Object::Subnet { vnet, subnet }),
                        ])
                    }
                    None => add(Object::RouteTable(table)),
                }
            }
            EditSpec::AddGateway {
                vnet,
                gateway,
                site,
            } => {
                let v = nth(&d.vnets, vnet)?;
                let mut batch = Vec::new();
                if v.subnet(GATEWAY_SUBNET).is_none() {
                    let base = *v.address_space.first()?;
                    let prefix = base.subnets(base.prefix_len().max(27)).ok()?.last()?;
                    batch.push(add(Object::Subnet {
                        vnet: v.name.clone(),
                        subnet: Subnet::new(GATEWAY_SUBNET, prefix),
                    }));
                }
                batch.push(add(Object::Gateway(vnetlab::model::Gateway {
                    name: fresh.clone(),
                    vnet: v.name.clone(),
                    kind: gateway.kind,
                    sku: gateway.sku,
                    vpn_type: vnetlab::model::VpnType::RouteBased,
                    client_pool: if gateway.p2s {
                        vec![
                            Ipv4Net::new([172, 201, u8::try_from(step % 250).ok()?, 0].into(), 24)
                                .ok()?,
                        ]
                    } else {
                        Vec::new()
                    },
                    bgp: gateway.bgp,
                })));
                if *site {
                    let octet = u8::try_from(100 + step % 150).ok()?;
                    batch.push(add(Object::Site(Site {
                        name: format!("{fresh}-site"),
                        prefixes: vec![Ipv4Net::new([192, 168, octet, 0].into(), 24).ok()?],
                        hosts: vec![Host {
                            name: format!("{fresh}-host"),
                            ip: [192, 168, octet, 7].into(),
                        }],
                        bgp: gateway.bgp,
                    })));
                    batch.push(add(Object::Connection(Connection {
                        name: format!("{fresh}-conn"),
                        gateway: fresh.clone(),
                        remote: ConnectionRemote::Site(format!("{fresh}-site")),
                        bgp: gateway.bgp,
                    })));
                }
                Edit::Batch(batch)
            }
            EditSpec::AddVnetToVnet { from, to, bgp } => add(Object::Connection(Connection {
                name: fresh,
                gateway: nth(&d.gateways, from)?.name.clone(),
                remote: ConnectionRemote::Gateway(nth(&d.gateways, to)?.name.clone()),
                bgp: *bgp,
            })),
            EditSpec::AddIntent(spec) => {
                let endpoints = d.endpoints();
                add(Object::Intent(Intent {
                    name: fresh,
                    from: nth(&endpoints, &spec.from)?.name.clone(),
                    to: nth(&endpoints, &spec.to)?.name.clone(),
                    flow: spec.flow,
                    expect: spec.expect,
                }))
            }
            EditSpec::AddSubscription(role) => add(Object::Subscription(Subscription {
                name: fresh,
                role: role.clone(),
            })),
            EditSpec::Remove(kind, pick) => Edit::Remove(nth(&refs(d, *kind), pick)?.clone()),
            EditSpec::Withdraw(kind, pick) => Edit::Withdraw(nth(&refs(d, *kind), pick)?.clone()),
            EditSpec::Rename(kind, pick, to) => {
                let all = refs(d, *kind);
                let target = nth(&all, pick)?.clone();
                let to = match to {
                    NewName::Fresh => fresh,
                    NewName::Taken(other) => {
                        let name = &nth(&all, other)?.name;
                        // A subnet is renamed by its own part only.
                        name.rsplit('/').next().unwrap_or(name).to_string()
                    }
                    NewName::Odd(name) => name.clone(),
                };
                Edit::Rename { target, to }
            }
            EditSpec::ChangePeering { peering, change } => {
                let mut p = nth(&d.peerings, peering)?.clone();
                match change {
                    0 => p.allow_virtual_network_access = !p.allow_virtual_network_access,
                    1 => p.allow_forwarded_traffic = !p.allow_forwarded_traffic,
                    2 => p.allow_gateway_transit = !p.allow_gateway_transit,
                    3 => p.use_remote_gateways = !p.use_remote_gateways,
                    4 => p.disconnected = !p.disconnected,
                    5 => {
                        p.remote_address_space = match p.remote_address_space {
                            Some(_) => None,
                            None => Some(
                                d.vnet(&p.remote)?
                                    .address_space
                                    .iter()
                                    .take(1)
                                    .copied()
                                    .collect(),
                            ),
                        };
                    }
                    _ if p.is_subnet_peering() => {
                        p.local_subnets.clear();
                        p.remote_subnets.clear();
                    }
                    _ => {
                        p.local_subnets = d
                            .vnet(&p.local)?
                            .subnets
                            .iter()
                            .take(1)
                            .map(|s| s.name.clone())
                            .collect();
                        p.remote_subnets = d
                            .vnet(&p.remote)?
                            .subnets
                            .iter()
                            .map(|s| s.name.clone())
                            .collect();
                    }
                }
                Edit::Replace(Object::Peering(p))
            }
            EditSpec::ChangeSpace { vnet, grow } => {
                let mut v = nth(&d.vnets, vnet)?.clone();
                if v.address_space.len() > 1 && !grow {
                    v.address_space.pop();
                } else {
                    let octet = u8::try_from(24 + step % 8).ok()?;
                    v.address_space
                        .push(Ipv4Net::new([172, octet, 0, 0].into(), 16).ok()?);
                }
                Edit::Replace(Object::Vnet(v))
            }
            EditSpec::ChangeSubnet {
                subnet,
                nsg,
                route_table,
                extra_prefix,
            } => {
                let (vnet, mut s) = nth(&subnets(d), subnet)?.clone();
                s.nsg = named(d, ObjectKind::Nsg, nsg.as_ref());
                s.route_table = named(d, ObjectKind::RouteTable, route_table.as_ref());
                if *extra_prefix {
                    if s.extra_prefixes.is_empty() {
                        let base = *d.vnet(&vnet)?.address_space.last()?;
                        let len = (base.prefix_len() + 4).min(29);
                        s.extra_prefixes.push(base.subnets(len).ok()?.nth(14)?);
                    } else {
                        s.extra_prefixes.clear();
                    }
                }
                Edit::Replace(Object::Subnet { vnet, subnet: s })
            }
            EditSpec::ChangeVm {
                vm,
                forwarding,
                nic_nsg,
                appliance,
                secondary,
            } => {
                let mut vm = nth(&d.vms, vm)?.clone();
                let primary = vm.nics.first_mut()?;
                primary.ip_forwarding = *forwarding;
                primary.nsg = named(d, ObjectKind::Nsg, nic_nsg.as_ref());
                let subnet = primary.subnet.clone();
                vm.appliance = appliance.as_ref().map(|a| targets.appliance(a));
                if *secondary {
                    if vm.nics.len() > 1 {
                        vm.nics.pop();
                    } else {
                        let prefix = d.subnet(&subnet)?.prefix;
                        vm.nics.push(Nic::new(subnet, host(&prefix, 60 + step)));
                    }
                }
                Edit::Replace(Object::Vm(vm))
            }
            EditSpec::ChangeGateway {
                gateway,
                bgp,
                p2s,
                sku,
            } => {
                let mut g = nth(&d.gateways, gateway)?.clone();
                g.bgp = *bgp;
                g.sku = *sku;
                if *p2s && g.client_pool.is_empty() {
                    g.client_pool = vec![
                        Ipv4Net::new([172, 202, u8::try_from(step % 250).ok()?, 0].into(), 24)
                            .ok()?,
                    ];
                } else if *p2s {
                    g.client_pool.clear();
                }
                Edit::Replace(Object::Gateway(g))
            }
            EditSpec::ChangeRouteTable { table, spec } => {
                let name = nth(&d.route_tables, table)?.name.clone();
                Edit::Replace(Object::RouteTable(targets.route_table(name, spec)))
            }
            EditSpec::ChangeNsg { nsg, rules } => {
                let name = nth(&d.nsgs, nsg)?.name.clone();
                Edit::Replace(Object::Nsg(targets.nsg(name, rules)))
            }
            EditSpec::Sync(pick) => Edit::SyncPeering(nth(&d.peerings, pick)?.name.clone()),
            EditSpec::SetAssumptions(assumptions) => Edit::SetAssumptions(*assumptions),
            EditSpec::SetInfo(text) => Edit::SetInfo {
                name: fresh,
                description: text.clone(),
            },
        })
    }
}
