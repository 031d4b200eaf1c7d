//! Random edit sequences: applying them and undoing them all gives back the original design
//! exactly; redoing them all gives the edited design exactly. Refused edits change nothing.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use proptest::prelude::*;
use vnetlab::edit::{Edit, Object, ObjectRef};
use vnetlab::io::examples;
use vnetlab::model::{
    Access, Appliance, Connection, ConnectionRemote, Design, Direction, Expectation, Flow, Gateway,
    GatewayKind, GatewaySku, Host, Intent, Nsg, NsgRule, ObjectKind, Peering, Protocol, Route,
    RouteTable, Site, Subnet, SubnetRef, Vm, Vnet, VpnType,
};
use vnetlab::session::Session;

/// A tiny deterministic generator so each proptest case is a list of plain numbers.
struct Picker(u64);

impl Picker {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            Some(&items[self.below(items.len())])
        }
    }
}

fn all_refs(d: &Design) -> Vec<ObjectRef> {
    let mut refs = Vec::new();
    refs.extend(
        d.vnets
            .iter()
            .map(|o| ObjectRef::new(ObjectKind::Vnet, &o.name)),
    );
    for v in &d.vnets {
        refs.extend(
            v.subnets
                .iter()
                .map(|s| ObjectRef::new(ObjectKind::Subnet, format!("{}/{}", v.name, s.name))),
        );
    }
    refs.extend(
        d.vms
            .iter()
            .map(|o| ObjectRef::new(ObjectKind::Vm, &o.name)),
    );
    refs.extend(
        d.peerings
            .iter()
            .map(|o| ObjectRef::new(ObjectKind::Peering, &o.name)),
    );
    refs.extend(
        d.nsgs
            .iter()
            .map(|o| ObjectRef::new(ObjectKind::Nsg, &o.name)),
    );
    refs.extend(
        d.route_tables
            .iter()
            .map(|o| ObjectRef::new(ObjectKind::RouteTable, &o.name)),
    );
    refs.extend(
        d.gateways
            .iter()
            .map(|o| ObjectRef::new(ObjectKind::Gateway, &o.name)),
    );
    refs.extend(
        d.sites
            .iter()
            .map(|o| ObjectRef::new(ObjectKind::Site, &o.name)),
    );
    refs.extend(
        d.connections
            .iter()
            .map(|o| ObjectRef::new(ObjectKind::Connection, &o.name)),
    );
    refs.extend(
        d.intents
            .iter()
            .map(|o| ObjectRef::new(ObjectKind::Intent, &o.name)),
    );
    refs.extend(
        d.subscriptions
            .iter()
            .map(|o| ObjectRef::new(ObjectKind::Subscription, &o.name)),
    );
    refs
}

/// Builds one edit that makes sense for the current design (it may still be refused).
fn make_edit(d: &Design, p: &mut Picker, step: usize) -> Edit {
    let fresh = format!("x{step}");
    match p.below(16) {
        0 => {
            let n = 100 + step % 150;
            let mut vnet = Vnet::new(
                &fresh,
                "eastus".parse().unwrap(),
                vec![format!("10.{n}.0.0/16").parse().unwrap()],
            );
            vnet.subnets.push(Subnet::new(
                "default",
                format!("10.{n}.1.0/24").parse().unwrap(),
            ));
            Edit::Add {
                object: Object::Vnet(vnet),
                at: None,
            }
        }
        1 => match p.pick(&d.vnets) {
            Some(v) => {
                let base = v.address_space[0];
                let len = (base.prefix_len() + 4).min(29);
                let sub = base
                    .subnets(len)
                    .ok()
                    .and_then(|mut it| it.nth(p.below(8) + 3));
                match sub {
                    Some(prefix) => Edit::Add {
                        object: Object::Subnet {
                            vnet: v.name.clone(),
                            subnet: Subnet::new(&fresh, prefix),
                        },
                        at: None,
                    },
                    None => Edit::SyncPeering("nothing".into()),
                }
            }
            None => Edit::SyncPeering("nothing".into()),
        },
        2 => {
            let subnets: Vec<(String, Subnet)> = d
                .vnets
                .iter()
                .flat_map(|v| v.subnets.iter().map(|s| (v.name.clone(), s.clone())))
                .collect();
            match p.pick(&subnets) {
                Some((vnet, s)) => {
                    let host = s
                        .prefix
                        .hosts()
                        .nth(4 + p.below(20))
                        .unwrap_or(s.prefix.network());
                    let mut vm = Vm::new(&fresh, SubnetRef::new(vnet, &s.name), host);
                    if p.below(3) == 0 {
                        vm.nics[0].ip_forwarding = true;
                        vm.appliance = Some(Appliance::nva());
                    }
                    Edit::Add {
                        object: Object::Vm(vm),
                        at: None,
                    }
                }
                None => Edit::SetInfo {
                    name: fresh,
                    description: String::new(),
                },
            }
        }
        3 | 4 => {
            let (a, b) = (p.pick(&d.vnets), p.pick(&d.vnets));
            match (a, b) {
                (Some(a), Some(b)) => {
                    // Sometimes reuse a name, so refusals (and their rollback) are exercised too.
                    let name = match p.pick(&d.peerings) {
                        Some(existing) if p.below(4) == 0 => existing.name.clone(),
                        _ => fresh,
                    };
                    let mut peering = Peering::new(&name, &a.name, &b.name);
                    peering.allow_forwarded_traffic = p.below(2) == 0;
                    // Sometimes a subnet-level peering, so subnet renames and removals must keep
                    // its lists (and their undo) exact.
                    if p.below(3) == 0 {
                        peering.local_subnets =
                            a.subnets.iter().take(1).map(|s| s.name.clone()).collect();
                        peering.remote_subnets =
                            b.subnets.iter().take(2).map(|s| s.name.clone()).collect();
                    }
                    Edit::Add {
                        object: Object::Peering(peering),
                        at: None,
                    }
                }
                _ => Edit::SetInfo {
                    name: fresh,
                    description: "x".into(),
                },
            }
        }
        5 | 6 => match p.pick(&all_refs(d)) {
            Some(r) => Edit::Remove(r.clone()),
            None => Edit::SetInfo {
                name: fresh,
                description: String::new(),
            },
        },
        7 => match p.pick(&all_refs(d)) {
            Some(r) => Edit::Rename {
                target: r.clone(),
                to: fresh,
            },
            None => Edit::SetInfo {
                name: fresh,
                description: String::new(),
            },
        },
        8 => match p.pick(&d.peerings) {
            Some(peering) => {
                let mut changed = peering.clone();
                match p.below(4) {
                    0 => {
                        changed.allow_virtual_network_access =
                            !changed.allow_virtual_network_access;
                    }
                    1 => changed.allow_forwarded_traffic = !changed.allow_forwarded_traffic,
                    2 => changed.allow_gateway_transit = !changed.allow_gateway_transit,
                    _ => changed.use_remote_gateways = !changed.use_remote_gateways,
                }
                Edit::Replace(Object::Peering(changed))
            }
            None => Edit::SetInfo {
                name: fresh,
                description: String::new(),
            },
        },
        9 => match p.pick(&d.vnets) {
            // Grow or shrink a VNet's address space: remote peerings fall out of sync.
            Some(v) => {
                let mut changed = v.clone();
                if changed.address_space.len() > 1 && p.below(2) == 0 {
                    changed.address_space.pop();
                } else {
                    changed
                        .address_space
                        .push(format!("172.{}.0.0/16", 16 + step % 16).parse().unwrap());
                }
                Edit::Replace(Object::Vnet(changed))
            }
            None => Edit::SetInfo {
                name: fresh,
                description: String::new(),
            },
        },
        10 => match p.pick(&d.peerings) {
            Some(peering) => Edit::SyncPeering(peering.name.clone()),
            None => Edit::SyncPeering("missing".into()),
        },
        11 => {
            let mut nsg = Nsg::new(&fresh);
            let mut rule = NsgRule::new(
                "deny-ssh",
                100 + step as u32,
                Direction::Inbound,
                Access::Deny,
                Protocol::Tcp,
            );
            rule.destination_ports = vec!["22".parse().unwrap()];
            nsg.rules.push(rule);
            let attach = d
                .vnets
                .first()
                .and_then(|v| v.subnets.first().map(|s| (v.name.clone(), s.clone())));
            match attach {
                Some((vnet, mut subnet)) if p.below(2) == 0 => {
                    subnet.nsg = Some(fresh.clone());
                    Edit::Batch(vec![
                        Edit::Add {
                            object: Object::Nsg(nsg),
                            at: None,
                        },
                        Edit::Replace(Object::Subnet { vnet, subnet }),
                    ])
                }
                _ => Edit::Add {
                    object: Object::Nsg(nsg),
                    at: Some(p.below(3)),
                },
            }
        }
        12 => {
            let mut table = RouteTable::new(&fresh);
            table.routes.push(Route {
                name: "default".into(),
                prefix: "0.0.0.0/0".parse().unwrap(),
                next_hop: vnetlab::model::NextHop::VirtualAppliance("10.0.1.4".parse().unwrap()),
            });
            table.propagate_gateway_routes = p.below(2) == 0;
            Edit::Add {
                object: Object::RouteTable(table),
                at: None,
            }
        }
        13 => match p.pick(&d.vnets) {
            Some(v) => {
                let gw = Gateway {
                    name: fresh.clone(),
                    vnet: v.name.clone(),
                    kind: if p.below(2) == 0 {
                        GatewayKind::Vpn
                    } else {
                        GatewayKind::ExpressRoute
                    },
                    sku: GatewaySku::VpnGw1,
                    vpn_type: VpnType::RouteBased,
                    client_pool: vec![],
                    bgp: false,
                };
                let site = Site {
                    name: format!("{fresh}-site"),
                    prefixes: vec!["192.168.0.0/16".parse().unwrap()],
                    hosts: vec![Host {
                        name: format!("{fresh}-host"),
                        ip: "192.168.7.7".parse().unwrap(),
                    }],
                    bgp: false,
                };
                let conn = Connection {
                    name: format!("{fresh}-conn"),
                    gateway: fresh.clone(),
                    remote: ConnectionRemote::Site(site.name.clone()),
                    bgp: false,
                };
                Edit::Batch(vec![
                    Edit::Add {
                        object: Object::Gateway(gw),
                        at: None,
                    },
                    Edit::Add {
                        object: Object::Site(site),
                        at: None,
                    },
                    Edit::Add {
                        object: Object::Connection(conn),
                        at: None,
                    },
                ])
            }
            None => Edit::SetInfo {
                name: fresh,
                description: String::new(),
            },
        },
        14 => {
            let endpoints = d.endpoints();
            match (p.pick(&endpoints), p.pick(&endpoints)) {
                (Some(a), Some(b)) => Edit::Add {
                    object: Object::Intent(Intent {
                        name: fresh,
                        from: a.name.clone(),
                        to: b.name.clone(),
                        flow: Flow::DEFAULT,
                        expect: Expectation::Blocked,
                    }),
                    at: None,
                },
                _ => Edit::SetInfo {
                    name: fresh,
                    description: String::new(),
                },
            }
        }
        _ => {
            let mut a = d.assumptions;
            a.vnet_tag_widens_with_default_route = !a.vnet_tag_widens_with_default_route;
            Edit::SetAssumptions(a)
        }
    }
}

fn starting_designs() -> Vec<Design> {
    let mut designs = vec![examples::default_design()];
    for (name, text) in examples::EXAMPLES {
        designs.push(vnetlab::io::parse_design(text, name).unwrap());
    }
    designs
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn undo_all_restores_and_redo_all_replays(start in 0usize..8, seeds in proptest::collection::vec(any::<u64>(), 1..40)) {
        let designs = starting_designs();
        let original = designs[start % designs.len()].clone();
        let mut session = Session::new(original.clone());
        let mut applied = 0;
        for (step, seed) in seeds.iter().enumerate() {
            let mut picker = Picker(*seed);
            let edit = make_edit(session.design(), &mut picker, step);
            let before = session.design().clone();
            match session.apply(edit.clone()) {
                Ok(()) => {
                    applied += 1;
                    prop_assert!(session.design().validate().is_empty(), "edit left an invalid design: {edit:?}");
                }
                // A refused edit leaves the design exactly as it was.
                Err(_) => prop_assert_eq!(&before, session.design()),
            }
        }
        let edited = session.design().clone();
        for _ in 0..applied {
            prop_assert!(session.undo().unwrap().is_some());
        }
        prop_assert_eq!(session.undo().unwrap(), None);
        prop_assert_eq!(session.design(), &original);
        prop_assert!(!session.is_dirty());
        for _ in 0..applied {
            prop_assert!(session.redo().unwrap().is_some());
        }
        prop_assert_eq!(session.design(), &edited);
    }
}

/// Guards the property above against vacuity: most generated edits must really apply, and
/// every kind of edit must apply at least once over a fixed run.
#[test]
fn generated_edits_mostly_apply() {
    let mut session = Session::new(examples::default_design());
    let mut applied = std::collections::BTreeMap::<String, usize>::new();
    let mut refused = 0;
    for step in 0..400 {
        let mut picker = Picker(step as u64 * 7919 + 1);
        let edit = make_edit(session.design(), &mut picker, step);
        let kind = format!("{edit:?}")
            .split(['(', ' ', '{'])
            .next()
            .unwrap_or("")
            .to_string();
        match session.apply(edit) {
            Ok(()) => *applied.entry(kind).or_default() += 1,
            Err(_) => refused += 1,
        }
    }
    let total: usize = applied.values().sum();
    assert!(
        total > 200,
        "only {total} of 400 edits applied ({refused} refused): {applied:?}"
    );
    for kind in [
        "Add",
        "Remove",
        "Rename",
        "Replace",
        "SyncPeering",
        "SetAssumptions",
        "Batch",
    ] {
        assert!(
            applied.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} applied: {applied:?}"
        );
    }
}
