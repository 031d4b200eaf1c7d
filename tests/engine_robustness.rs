//! The engine answers for any design, even one that would not validate (a file edited by hand,
//! an import in progress): dangling names are skipped, never unwrapped, and names used twice,
//! empty address spaces and VMs without NICs neither panic nor mislead the analysis.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use proptest::prelude::*;
use std::net::Ipv4Addr;
use vnetlab::engine::{EngineKind, ReasonCode, Tracer, Verdict, analyze, effective_routes, trace};
use vnetlab::model::{
    Connection, ConnectionRemote, Design, Flow, Gateway, GatewayKind, GatewaySku, Nic, Peering,
    SubnetRef, Vm, VpnType,
};

#[test]
fn dangling_references_do_not_panic() {
    let mut d = Design::example_pair();
    d.peerings.push(Peering::new("a-to-ghost", "a", "ghost"));
    d.peerings.push(Peering::new("ghost-to-a", "ghost", "a"));
    let mut to_ghost = Peering::new("b-to-ghost", "b", "ghost");
    to_ghost.use_remote_gateways = true;
    d.peerings.push(to_ghost);
    d.vnets[0].subnets[0].nsg = Some("no-such-nsg".into());
    d.vnets[0].subnets[0].route_table = Some("no-such-table".into());
    let mut stray = Vm::new(
        "stray",
        SubnetRef::new("ghost", "default"),
        Ipv4Addr::new(10, 9, 1, 4),
    );
    stray.nics.push(Nic::new(
        SubnetRef::new("a", "nowhere"),
        Ipv4Addr::new(10, 1, 9, 4),
    ));
    stray.nics[0].nsg = Some("missing".into());
    d.vms.push(stray);
    d.gateways.push(Gateway {
        name: "gw".into(),
        vnet: "ghost".into(),
        kind: GatewayKind::Vpn,
        sku: GatewaySku::VpnGw1,
        vpn_type: VpnType::RouteBased,
        client_pool: vec!["172.16.201.0/24".parse().expect("literal")],
        bgp: false,
    });
    d.connections.push(Connection {
        name: "c".into(),
        gateway: "gw".into(),
        remote: ConnectionRemote::Site("nowhere".into()),
        bgp: true,
    });
    d.connections.push(Connection {
        name: "c2".into(),
        gateway: "nogw".into(),
        remote: ConnectionRemote::Gateway("gw".into()),
        bgp: true,
    });
    assert!(!d.validate().is_empty(), "the design really is broken");
    for flow in ["tcp/443", "icmp", "any"] {
        let flow: Flow = flow.parse().expect("flow");
        let fast = analyze(&d, flow, EngineKind::Fast);
        let reference = analyze(&d, flow, EngineKind::Reference);
        assert_eq!(fast.summary(), reference.summary());
        let names: Vec<String> = fast.endpoints().iter().map(|e| e.name.clone()).collect();
        for a in &names {
            for b in &names {
                trace(&d, a, b, flow).expect("both endpoints exist");
            }
        }
    }
    effective_routes(&d, &SubnetRef::new("a", "default")).expect("the subnet exists");
    assert!(effective_routes(&d, &SubnetRef::new("ghost", "default")).is_err());
}

/// Every question the engine answers, asked of every endpoint pair and every subnet: none may
/// panic, and the fast engine agrees with the reference engine pair by pair.
fn ask_everything(d: &Design) {
    for flow in ["tcp/443", "icmp"] {
        let flow: Flow = flow.parse().expect("flow");
        let fast = analyze(d, flow, EngineKind::Fast);
        let reference = analyze(d, flow, EngineKind::Reference);
        assert_eq!(fast.summary(), reference.summary());
        let n = fast.endpoints().len();
        assert_eq!(n, d.endpoints().len());
        let tracer = Tracer::new(d);
        for a in 0..n {
            for b in 0..n {
                assert_eq!(fast.reason_codes(a, b), reference.reason_codes(a, b));
                let traced = tracer.trace_indexes(a, b, flow).expect("indexes in range");
                assert_eq!(traced.verdict, fast.verdict(a, b), "{a} → {b}");
            }
        }
        assert!(tracer.trace_indexes(n, 0, flow).is_none());
    }
    for vnet in &d.vnets {
        for subnet in &vnet.subnets {
            effective_routes(d, &SubnetRef::new(&vnet.name, &subnet.name))
                .expect("a listed subnet has routes");
        }
    }
}

#[test]
fn a_twin_vm_without_nics_does_not_take_the_endpoint() {
    // The second `vm-a` has no NIC, so it is no endpoint: the endpoint `vm-a` is the first VM,
    // and its answers are those of the design without the twin.
    let original = Design::example_pair();
    let mut d = original.clone();
    let mut twin = d.vms[0].clone();
    twin.nics.clear();
    d.vms.push(twin);
    assert!(!d.validate().is_empty(), "duplicate names do not validate");
    ask_everything(&d);
    let flow = Flow::DEFAULT;
    let (with_twin, without) = (
        analyze(&d, flow, EngineKind::Fast),
        analyze(&original, flow, EngineKind::Fast),
    );
    assert_eq!(with_twin.endpoints(), without.endpoints());
    assert_eq!(with_twin.reason_codes(0, 1), [ReasonCode::RouteNone]);
    assert_eq!(with_twin.reason_codes(0, 1), without.reason_codes(0, 1));
    let t = trace(&d, "vm-a", "vm-b", flow).expect("both endpoints exist");
    assert_eq!(t.verdict, Verdict::Blocked);
    assert_eq!(t.blockers[0].code, ReasonCode::RouteNone);
    // The twin placed first: the endpoint comes from the second VM, which has the NIC.
    let mut d = original;
    let mut twin = d.vms[0].clone();
    twin.nics.clear();
    d.vms.insert(0, twin);
    ask_everything(&d);
    assert_eq!(
        analyze(&d, flow, EngineKind::Fast).reason_codes(0, 1),
        [ReasonCode::RouteNone]
    );
}

/// A named way to break a design.
type Damage = (&'static str, fn(&mut Design));

/// Ways to break a design that validation would refuse: names used twice, empty spaces,
/// objects removed from under their references.
fn damages() -> Vec<Damage> {
    vec![
        ("twin VNet", |d| {
            if let Some(twin) = d.vnets.first().cloned() {
                d.vnets.push(twin);
            }
        }),
        ("twin VNet with other subnets", |d| {
            if let Some(mut twin) = d.vnets.last().cloned() {
                twin.subnets.retain(|s| s.is_gateway_subnet());
                d.vnets.insert(0, twin);
            }
        }),
        ("twin subnet", |d| {
            if let Some(vnet) = d.vnets.first_mut()
                && let Some(twin) = vnet.subnets.first().cloned()
            {
                vnet.subnets.push(twin);
            }
        }),
        ("twin NSG with no rules", |d| {
            if let Some(mut twin) = d.nsgs.first().cloned() {
                twin.rules.clear();
                d.nsgs.push(twin);
            }
        }),
        ("twin route table", |d| {
            if let Some(table) = d.route_tables.first() {
                let mut twin = table.clone();
                twin.routes.clear();
                d.route_tables.push(twin);
            }
        }),
        ("twin gateway", |d| {
            if let Some(gateway) = d.gateways.first() {
                let mut twin = gateway.clone();
                twin.vnet = "ghost".into();
                d.gateways.push(twin);
            }
        }),
        ("twin site", |d| {
            if let Some(site) = d.sites.first() {
                let mut twin = site.clone();
                twin.prefixes.clear();
                d.sites.insert(0, twin);
            }
        }),
        ("twin peering", |d| {
            if let Some(mut twin) = d.peerings.first().cloned() {
                twin.allow_forwarded_traffic = !twin.allow_forwarded_traffic;
                d.peerings.push(twin);
            }
        }),
        ("twin VM with NICs", |d| {
            if let Some(mut twin) = d.vms.first().cloned() {
                for nic in &mut twin.nics {
                    nic.ip = Ipv4Addr::new(10, 250, 0, 4);
                }
                d.vms.push(twin);
            }
        }),
        ("twin VM without NICs", |d| {
            if let Some(mut twin) = d.vms.last().cloned() {
                twin.nics.clear();
                d.vms.insert(0, twin);
            }
        }),
        ("empty address spaces", |d| {
            for vnet in &mut d.vnets {
                vnet.address_space.clear();
            }
        }),
        ("a peering with itself", |d| {
            if let Some(name) = d.vnets.first().map(|v| v.name.clone()) {
                d.peerings
                    .push(Peering::new("self", name.as_str(), name.as_str()));
            }
        }),
        ("VNets removed under everything", |d| {
            d.vnets.truncate(1);
        }),
        ("NICs in a missing subnet", |d| {
            for vm in &mut d.vms {
                for nic in &mut vm.nics {
                    nic.subnet.subnet = "missing".into();
                }
            }
        }),
    ]
}

#[test]
fn duplicate_names_and_empty_spaces_do_not_panic() {
    let base = vnetlab::io::examples::default_design();
    assert!(base.validate().is_empty(), "the base design is valid");
    for (name, damage) in damages() {
        let mut d = base.clone();
        damage(&mut d);
        assert_ne!(d, base, "{name} changed nothing");
        ask_everything(&d);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Damages combined, on every bundled design: still no panic, and the engines agree.
    #[test]
    fn combined_damage_does_not_panic(
        base in 0..vnetlab::io::examples::EXAMPLES.len() + 1,
        picks in proptest::collection::vec(0..14usize, 1..4),
    ) {
        let mut d = match vnetlab::io::examples::EXAMPLES.get(base) {
            Some((name, text)) => vnetlab::io::parse_design(text, name).expect("bundled"),
            None => vnetlab::io::examples::default_design(),
        };
        let all = damages();
        for pick in picks {
            (all[pick % all.len()].1)(&mut d);
        }
        ask_everything(&d);
    }
}
