//! The engine answers for any design, even one that would not validate (a file edited by hand,
//! an import in progress): dangling names are skipped, never unwrapped.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::net::Ipv4Addr;
use vnetlab::engine::{EngineKind, analyze, effective_routes, trace};
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
