//! Key-sequence tests for the TUI forms of issue 11's objects: application security groups (and
//! NSG rules that name them), Azure Route Server with a BGP peer, and AVNM network groups with a
//! connectivity configuration. Each adds the object by keys, checks the design, and checks that
//! the matrix verdicts change as the engine says they should.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use tui_support::{app_with, form_value, press, screen, verdict};
use vnetlab::engine::Verdict;
use vnetlab::model::{
    Access, Appliance, Design, Direction, Nsg, NsgRule, Peering, Protocol, SubnetRef, Topology, Vm,
};
use vnetlab::tui::forms::FieldKey;
use vnetlab::tui::{App, Overlay};

/// `a` and `b` peered both ways.
fn peered_pair() -> Design {
    let mut d = Design::example_pair();
    d.peerings.push(Peering::new("a-to-b", "a", "b"));
    d.peerings.push(Peering::new("b-to-a", "b", "a"));
    d
}

/// An ASG with vm-b as member, and a Deny rule whose destination is that ASG, block vm-a → vm-b;
/// taking vm-b out of the ASG (editing the ASG by keys) lets it through again.
#[test]
fn an_asg_made_by_keys_drives_an_nsg_rule() {
    let mut app = app_with(peered_pair());
    assert_eq!(verdict(&app, "vm-a", "vm-b"), Verdict::Reachable);
    // NSG pane, menu: 1 NSG, 2 Application security group. Members: vm-a, vm-b.
    press(&mut app, "5 a 2 \"web\" tab tab space enter");
    let design = app.session().design();
    assert!(design.asg("web").is_some(), "{:?}", app.status());
    assert_eq!(design.vm("vm-b").unwrap().nics[0].asgs, ["web"]);
    assert!(design.vm("vm-a").unwrap().nics[0].asgs.is_empty());
    // An NSG on b/default (fields: Name, attach a/default, attach b/default).
    press(&mut app, "5 a 1 \"nsg-b\" tab tab space enter");
    // Its rule: Deny tcp/443 to the ASG (fields: eight, then "source ASG web", then
    // "destination ASG web", the tenth).
    press(
        &mut app,
        "5 a 2 \"deny-web\" tab tab tab tab tab tab tab tab tab space",
    );
    press(&mut app, "enter");
    let rule = &app.session().design().nsg("nsg-b").unwrap().rules[0];
    assert_eq!(rule.destination_asgs, ["web"], "{:?}", app.status());
    assert!(rule.source_asgs.is_empty());
    assert_eq!(verdict(&app, "vm-a", "vm-b"), Verdict::Blocked);
    // Edit the ASG from its row, the last of the NSG pane: vm-b leaves; the rule matches nothing.
    press(&mut app, "5 G enter tab tab space enter");
    assert!(
        app.session().design().vm("vm-b").unwrap().nics[0]
            .asgs
            .is_empty()
    );
    assert_eq!(verdict(&app, "vm-a", "vm-b"), Verdict::Reachable);
}

/// The lesson of saves/02 made into a Route Server hub: an NVA in vnet-b, the spokes using the
/// hub's "gateway or Route Server". A Route Server added by keys (its RouteServerSubnet placed
/// by the planner) and a BGP peer announcing 10.0.0.0/8 give vm-a and vm-c a path through the
/// NVA (route-injection-in-spokes.md).
#[test]
fn a_route_server_and_its_bgp_peer_made_by_keys_connect_the_spokes() {
    let text = include_str!("../saves/02-non-transitive.ron");
    let mut d = vnetlab::io::parse_design(text, "02").unwrap();
    let mut nva = Vm::new(
        "nva-b",
        SubnetRef::new("vnet-b", "default"),
        "10.2.1.10".parse().unwrap(),
    );
    nva.appliance = Some(Appliance::nva());
    nva.nics[0].ip_forwarding = true;
    d.vms.push(nva);
    for p in &mut d.peerings {
        p.allow_forwarded_traffic = true;
        if p.local == "vnet-b" {
            p.allow_gateway_transit = true;
        } else {
            p.use_remote_gateways = true;
        }
    }
    let mut app = app_with(d);
    assert_eq!(verdict(&app, "vm-a", "vm-c"), Verdict::Blocked);
    // Gateway pane, option 6: Route Server.
    press(&mut app, "3 a 6");
    press(&mut app, "tab");
    for _ in 0..3 {
        if form_value(&app, FieldKey::Vnet) != "vnet-b" {
            press(&mut app, "right");
        }
    }
    press(&mut app, "enter");
    let design = app.session().design();
    assert_eq!(design.route_servers.len(), 1, "{:?}", app.status());
    let subnet = design
        .subnet(&SubnetRef::new("vnet-b", "RouteServerSubnet"))
        .expect("the form added the RouteServerSubnet");
    assert_eq!(subnet.prefix.prefix_len(), 27);
    // Option 7: BGP peer of the server; the NVA's address is proposed.
    press(&mut app, "3 a 7");
    assert_eq!(form_value(&app, FieldKey::Ip), "10.2.1.10");
    press(&mut app, "tab tab tab \"10.0.0.0/8\" enter");
    let server = &app.session().design().route_servers[0];
    assert_eq!(server.peers.len(), 1, "{:?}", app.status());
    assert_eq!(server.peers[0].asn, 65001);
    assert_eq!(verdict(&app, "vm-a", "vm-c"), Verdict::Reachable);
    assert_eq!(verdict(&app, "vm-c", "vm-a"), Verdict::Reachable);
}

/// Two unpeered VNets become one AVNM mesh: a network group with both, and a mesh
/// configuration over it, connect them with no peering object (next hop ConnectedGroup).
#[test]
fn a_network_group_and_a_mesh_made_by_keys_connect_two_vnets() {
    let mut app = app_with(Design::example_pair());
    assert_eq!(verdict(&app, "vm-a", "vm-b"), Verdict::Blocked);
    // Peerings pane, option 3: network group; members a and b.
    press(&mut app, "2 a 3 \"both\" tab space tab space enter");
    let group = app.session().design().network_group("both").cloned();
    assert_eq!(group.map(|g| g.members), Some(vec!["a".into(), "b".into()]));
    // Option 4: connectivity; topology mesh, the only group on by default.
    press(&mut app, "2 a 4 tab right");
    assert_eq!(form_value(&app, FieldKey::Kind), "mesh");
    press(&mut app, "enter");
    let design = app.session().design();
    assert_eq!(design.connectivity.len(), 1, "{:?}", app.status());
    assert_eq!(design.connectivity[0].topology, Topology::Mesh);
    assert!(design.peerings.is_empty());
    assert_eq!(verdict(&app, "vm-a", "vm-b"), Verdict::Reachable);
    assert_eq!(verdict(&app, "vm-b", "vm-a"), Verdict::Reachable);
}

/// `p` in the Reachability pane (issue 11 item 7): a pair an NSG blocks reads "routed" as if
/// every rule allowed it, lists the one rule that drops it, and no routing problem; an
/// unpeered pair reads "NOT routed" with no rule to blame.
#[test]
fn p_shows_the_pair_as_if_every_rule_allowed_it() {
    let mut design = peered_pair();
    let mut nsg = Nsg::new("nsg-b");
    nsg.rules.push(NsgRule::new(
        "deny-all-in",
        100,
        Direction::Inbound,
        Access::Deny,
        Protocol::Any,
    ));
    design.nsgs.push(nsg);
    design.vnets[1].subnets[0].nsg = Some("nsg-b".into());
    let mut app = app_with(design);
    assert_eq!(verdict(&app, "vm-a", "vm-b"), Verdict::Blocked);
    press(&mut app, "6");
    for _ in 0..4 {
        if screen(&mut app, 160, 48).contains("vm-a → vm-b") {
            break;
        }
        press(&mut app, "l");
    }
    press(&mut app, "p");
    let lines = match app.overlay() {
        Some(Overlay::Note(note)) => note.lines.join("\n"),
        other => panic!("expected the permit-all view, got {other:?}"),
    };
    assert!(lines.starts_with("vm-a → vm-b"), "{lines}");
    assert!(
        lines.contains(
            "as if every NSG and appliance rule allowed it: routed (as designed: blocked)"
        ),
        "{lines}"
    );
    assert!(
        lines.contains("rules that would drop it (1 rule, in path order):"),
        "{lines}"
    );
    assert!(lines.contains("deny-all-in"), "{lines}");
    assert!(
        lines.contains("routing and peering problems: none"),
        "{lines}"
    );
    // Any other key closes it; on an unpeered design routing is to blame.
    press(&mut app, "esc");
    assert!(app.overlay().is_none());
    let mut app = app_with(Design::example_pair());
    press(&mut app, "6");
    for _ in 0..4 {
        if screen(&mut app, 160, 48).contains("vm-a → vm-b") {
            break;
        }
        press(&mut app, "l");
    }
    press(&mut app, "p");
    let lines = match app.overlay() {
        Some(Overlay::Note(note)) => note.lines.join("\n"),
        other => panic!("{other:?}"),
    };
    assert!(lines.contains("NOT routed"), "{lines}");
    assert!(lines.contains("rules that would drop it: none"), "{lines}");
}

/// The TUI's import summary counts the objects of issue 11 the export carried: here the ASG of
/// the realistic fixtures (its NICs and its NSG rule).
#[test]
fn the_import_summary_counts_asgs() {
    use std::path::PathBuf;
    use vnetlab::session::Session;
    use vnetlab::tui::{Config, MemoryFiles};
    let read = |name: &str| -> serde_json::Value {
        let text =
            std::fs::read_to_string(format!("tests/fixtures/azure/realistic/{name}")).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let mut all: Vec<serde_json::Value> = read("vnets.json").as_array().unwrap().clone();
    all.extend(
        read("nics.json")["value"]
            .as_array()
            .unwrap()
            .iter()
            .cloned(),
    );
    all.extend(
        read("security.json")["data"]
            .as_array()
            .unwrap()
            .iter()
            .cloned(),
    );
    let files = MemoryFiles::default();
    files.state().files.insert(
        PathBuf::from("saves/estate.json"),
        serde_json::to_string(&all).unwrap(),
    );
    let mut app = App::new(
        Session::new(Design::example_pair()),
        Config::load(&files),
        Box::new(files.clone()),
        None,
    );
    press(&mut app, "ctrl-o enter");
    assert_eq!(app.session().design().asgs.len(), 1, "{:?}", app.status());
    let status = app.status().map(|s| s.text.clone()).unwrap_or_default();
    assert!(status.ends_with(", 1 ASG"), "{status}");
}
