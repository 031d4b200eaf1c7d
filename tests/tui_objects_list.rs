//! The objects of issue 11 have rows (issue 11, TUI): application security groups in the NSG
//! pane; Route Servers with their BGP peers, AVNM network groups and connectivity
//! configurations in the Gateway pane. `Enter` opens the object's form filled in, `d` removes it
//! through the core (so no reference dangles and `u` restores it), and the matrix follows. Also
//! the ASG fields of the VM and NSG rule forms: a NIC's memberships and several ASGs per rule
//! end, with what Azure refuses refused.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use tui_support::{app_with, form_value, pane_text, press, verdict};
use vnetlab::engine::Verdict;
use vnetlab::model::{
    Access, Asg, BgpPeer, Connectivity, Design, Direction, GroupLink, NetworkGroup, Nsg, NsgRule,
    Peering, Protocol, RouteServer, Subnet, Topology,
};
use vnetlab::tui::forms::FieldKey;
use vnetlab::tui::panes::{PaneId, Target};
use vnetlab::tui::{App, Overlay};

/// Focuses `pane` (its digit) and moves down from the top until `target` is selected.
fn select(app: &mut App, pane: PaneId, target: &Target) {
    press(app, &format!("{} g", pane.index() + 1));
    for _ in 0..40 {
        if app.selected().as_ref() == Some(target) {
            return;
        }
        press(app, "j");
    }
    panic!("{target:?} is not listed in {pane:?}");
}

/// The open form's title, or a panic.
fn form_title(app: &App) -> String {
    match app.overlay() {
        Some(Overlay::Form(_, form)) => form.title.clone(),
        other => panic!("no form is open: {other:?}"),
    }
}

/// The error shown under the open form's field `key`.
fn form_error(app: &App, key: FieldKey) -> Option<String> {
    match app.overlay() {
        Some(Overlay::Form(_, form)) => form.field(key).and_then(|f| f.error.clone()),
        other => panic!("no form is open: {other:?}"),
    }
}

fn toggle_on(app: &App, key: FieldKey) -> bool {
    match app.overlay() {
        Some(Overlay::Form(_, form)) => form.is_on(key),
        other => panic!("no form is open: {other:?}"),
    }
}

/// The question of the open confirmation.
fn question(app: &App) -> String {
    match app.overlay() {
        Some(Overlay::Confirm(confirm)) => confirm.message.clone(),
        other => panic!("no confirmation is open: {other:?}"),
    }
}

fn rule(name: &str, priority: u32, destination: &[&str]) -> NsgRule {
    let mut r = NsgRule::new(
        name,
        priority,
        Direction::Inbound,
        Access::Deny,
        Protocol::Any,
    );
    r.destination_asgs = destination.iter().map(ToString::to_string).collect();
    r
}

/// `a` and `b` peered; ASGs `web` and `app` both hold vm-b; nsg-b on b/default denies to `web`
/// alone and to `web` or `app`.
fn asg_design() -> Design {
    let mut d = Design::example_pair();
    d.peerings.push(Peering::new("a-to-b", "a", "b"));
    d.peerings.push(Peering::new("b-to-a", "b", "a"));
    d.asgs.push(Asg::new("web"));
    d.asgs.push(Asg::new("app"));
    d.vms[1].nics[0].asgs = vec!["web".into(), "app".into()];
    let mut nsg = Nsg::new("nsg-b");
    nsg.rules.push(rule("deny-web", 100, &["web"]));
    nsg.rules
        .push(rule("deny-web-or-app", 110, &["web", "app"]));
    d.nsgs.push(nsg);
    d.vnets[1].subnets[0].nsg = Some("nsg-b".into());
    d
}

#[test]
fn asgs_are_listed_edited_and_deleted_from_the_nsg_pane() {
    let mut app = app_with(asg_design());
    assert_eq!(verdict(&app, "vm-a", "vm-b"), Verdict::Blocked);
    let text = pane_text(&mut app, PaneId::Nsg, 160, 48);
    assert!(text.contains("Application security groups (2)"), "{text}");
    assert!(
        text.contains("web  in b  members: vm-b  named by 2 rules"),
        "{text}"
    );
    // A rule that names ASGs shows them instead of its (ignored) addresses.
    assert!(text.contains("* → asg:web+app:"), "{text}");
    // Enter opens the ASG's form filled in.
    let web = Target::Asg("web".into());
    select(&mut app, PaneId::Nsg, &web);
    press(&mut app, "enter");
    assert_eq!(form_title(&app), "Edit application security group web");
    assert_eq!(form_value(&app, FieldKey::Name), "web");
    assert!(toggle_on(&app, FieldKey::Member(1)), "vm-b is a member");
    press(&mut app, "esc");
    // d asks, saying what goes; yes removes it through the core.
    press(&mut app, "d");
    assert_eq!(
        question(&app),
        "Delete application security group web? NICs leaving it: 1; rules that go (they name only it on an end): 1; rules that keep their other ASGs: 1."
    );
    press(&mut app, "y");
    let design = app.session().design();
    assert!(design.asg("web").is_none());
    assert_eq!(design.vm("vm-b").unwrap().nics[0].asgs, ["app"]);
    let rules = &design.nsg("nsg-b").unwrap().rules;
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].destination_asgs, ["app"]);
    assert_eq!(verdict(&app, "vm-a", "vm-b"), Verdict::Blocked);
    // The last ASG goes with the rule left naming it alone: the pair opens up.
    select(&mut app, PaneId::Nsg, &Target::Asg("app".into()));
    press(&mut app, "d y");
    assert!(
        app.session()
            .design()
            .nsg("nsg-b")
            .unwrap()
            .rules
            .is_empty()
    );
    assert_eq!(verdict(&app, "vm-a", "vm-b"), Verdict::Reachable);
    // Undo restores both, with their memberships and rules.
    press(&mut app, "u u");
    assert_eq!(app.session().design(), &asg_design());
    assert_eq!(verdict(&app, "vm-a", "vm-b"), Verdict::Blocked);
}

/// Unpeered `a` and `b` meshed by AVNM; a Route Server in `a` with one BGP peer.
fn hub_services() -> Design {
    let mut d = Design::example_pair();
    d.vnets[0].subnets.push(Subnet::new(
        "RouteServerSubnet",
        "10.1.254.0/27".parse().unwrap(),
    ));
    let mut rs = RouteServer::new("rs-a", "a");
    rs.peers.push(BgpPeer {
        name: "nva".into(),
        ip: "10.1.0.200".parse().unwrap(),
        asn: 65001,
        announces: vec!["10.0.0.0/8".parse().unwrap()],
    });
    d.route_servers.push(rs);
    d.network_groups
        .push(NetworkGroup::new("both", vec!["a".into(), "b".into()]));
    d.connectivity.push(Connectivity {
        name: "mesh1".into(),
        topology: Topology::Mesh,
        groups: vec![GroupLink::new("both")],
        global: false,
    });
    d
}

#[test]
fn hub_services_are_listed_edited_and_deleted_from_the_gateway_pane() {
    let mut app = app_with(hub_services());
    assert_eq!(verdict(&app, "vm-a", "vm-b"), Verdict::Reachable);
    let text = pane_text(&mut app, PaneId::Gateway, 200, 48);
    for expected in [
        "Route Servers (1)",
        "rs-a  in a  branch-to-branch off  1 peer",
        "nva  10.1.0.200 AS 65001  announces 10.0.0.0/8  down:",
        "Network groups (1)",
        "both  members: a, b",
        "Connectivity configurations (1)",
        "mesh1  mesh  over both",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    // Enter on each opens its form filled in.
    let cases = [
        (Target::RouteServer("rs-a".into()), "Edit Route Server rs-a"),
        (
            Target::BgpPeer {
                server: "rs-a".into(),
                peer: "nva".into(),
            },
            "Edit BGP peer nva of rs-a",
        ),
        (
            Target::NetworkGroup("both".into()),
            "Edit network group both",
        ),
        (
            Target::Connectivity("mesh1".into()),
            "Edit connectivity configuration mesh1",
        ),
    ];
    for (target, title) in &cases {
        select(&mut app, PaneId::Gateway, target);
        press(&mut app, "enter");
        assert_eq!(form_title(&app), *title);
        press(&mut app, "esc");
    }
    select(&mut app, PaneId::Gateway, &cases[1].0);
    press(&mut app, "enter");
    assert_eq!(form_value(&app, FieldKey::Ip), "10.1.0.200");
    assert_eq!(form_value(&app, FieldKey::Prefixes), "10.0.0.0/8");
    press(&mut app, "esc");
    // Deleting the group takes it out of the mesh: the pair is cut, live.
    select(&mut app, PaneId::Gateway, &cases[2].0);
    press(&mut app, "d");
    assert_eq!(
        question(&app),
        "Delete network group both? Configurations that stop applying to it: 1."
    );
    press(&mut app, "y");
    let design = app.session().design();
    assert!(design.network_groups.is_empty());
    assert!(design.connectivity[0].groups.is_empty());
    assert_eq!(verdict(&app, "vm-a", "vm-b"), Verdict::Blocked);
    // A peer goes from its server; the server and the configuration go whole.
    select(&mut app, PaneId::Gateway, &cases[1].0);
    press(&mut app, "d y");
    assert!(app.session().design().route_servers[0].peers.is_empty());
    select(&mut app, PaneId::Gateway, &cases[0].0);
    press(&mut app, "d y");
    select(&mut app, PaneId::Gateway, &cases[3].0);
    press(&mut app, "d y");
    let design = app.session().design();
    assert!(design.route_servers.is_empty() && design.connectivity.is_empty());
    assert!(
        design
            .subnet(&"a/RouteServerSubnet".parse().unwrap())
            .is_some()
    );
    press(&mut app, "u u u u");
    assert_eq!(app.session().design(), &hub_services());
    assert_eq!(verdict(&app, "vm-a", "vm-b"), Verdict::Reachable);
}

#[test]
fn the_vm_form_edits_asg_membership_and_refuses_a_second_vnet() {
    let mut d = Design::example_pair();
    d.asgs.push(Asg::new("web"));
    d.vms[0].nics[0].asgs = vec!["web".into()];
    let mut app = app_with(d);
    // vm-b's form: Name, Subnet, IP, Role, Stateful, IP forwarding, NIC NSG, "in ASG web".
    select(&mut app, PaneId::Vnets, &Target::Vm("vm-b".into()));
    press(&mut app, "enter");
    assert!(!toggle_on(&app, FieldKey::Asg(0)));
    press(&mut app, "tab tab tab tab tab tab tab space enter");
    assert_eq!(
        form_error(&app, FieldKey::Asg(0)).as_deref(),
        Some("web's NICs are in a; Azure keeps every NIC of an ASG in one VNet")
    );
    assert!(
        app.session().design().vm("vm-b").unwrap().nics[0]
            .asgs
            .is_empty()
    );
    press(&mut app, "esc");
    // vm-a's form shows its membership; switching it off round-trips.
    select(&mut app, PaneId::Vnets, &Target::Vm("vm-a".into()));
    press(&mut app, "enter");
    assert!(toggle_on(&app, FieldKey::Asg(0)));
    press(&mut app, "tab tab tab tab tab tab tab space enter");
    assert!(
        app.session().design().vm("vm-a").unwrap().nics[0]
            .asgs
            .is_empty()
    );
    press(&mut app, "enter");
    assert!(!toggle_on(&app, FieldKey::Asg(0)));
    press(&mut app, "esc");
    // Now that web is empty, vm-b may join it.
    select(&mut app, PaneId::Vnets, &Target::Vm("vm-b".into()));
    press(&mut app, "enter tab tab tab tab tab tab tab space enter");
    assert_eq!(
        app.session().design().vm("vm-b").unwrap().nics[0].asgs,
        ["web"]
    );
}

#[test]
fn an_nsg_rule_names_several_asgs_per_end_but_only_of_one_vnet() {
    let mut d = Design::example_pair();
    for name in ["web", "db", "jump"] {
        d.asgs.push(Asg::new(name));
    }
    d.vms[1].nics[0].asgs = vec!["web".into(), "db".into()];
    d.vms[0].nics[0].asgs = vec!["jump".into()];
    d.nsgs.push(Nsg::new("nsg-b"));
    let mut app = app_with(d);
    // Rule form: eight fields, then source ASG web, db, jump, then destination ASG web, db, jump.
    press(&mut app, "5 a 2 \"to-data\"");
    press(
        &mut app,
        "tab tab tab tab tab tab tab tab tab tab tab space tab space enter",
    );
    let rule = app.session().design().nsg("nsg-b").unwrap().rules[0].clone();
    assert_eq!(rule.destination_asgs, ["web", "db"], "{:?}", app.status());
    // Editing it keeps both; adding jump (in a) as a source is refused on its toggle.
    select(
        &mut app,
        PaneId::Nsg,
        &Target::NsgRule {
            nsg: "nsg-b".into(),
            rule: "to-data".into(),
        },
    );
    press(&mut app, "enter");
    assert!(toggle_on(&app, FieldKey::DestinationAsg(0)));
    assert!(toggle_on(&app, FieldKey::DestinationAsg(1)));
    press(
        &mut app,
        "tab tab tab tab tab tab tab tab tab tab space enter",
    );
    assert_eq!(
        form_error(&app, FieldKey::DestinationAsg(0)).as_deref(),
        Some(
            "Azure refuses it: ASG `jump` has NICs in `a` and ASG `web` in `b`; Azure requires every ASG of one rule to be in the same VNet"
        )
    );
    press(&mut app, "esc");
    let unchanged = &app.session().design().nsg("nsg-b").unwrap().rules[0];
    assert_eq!(unchanged, &rule);
}
