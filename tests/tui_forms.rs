//! Key-sequence tests for "adding and wiring without detours" (issue 16 item 5, audit rows 5, 8,
//! 16, 17 and 19): each drives the app by keys only and checks the design (and, where routing is
//! the point, the matrix verdicts). Each fails on the behaviour the audit recorded: `a Enter` on
//! a VNet made a subnet, route tables could not be attached where they were made, the gateway
//! form refused without a GatewaySubnet, the peering form refused Local = Remote, and `H` offered
//! the hub as its own spoke and left A↔C blocked.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use tui_support::{app_with, form_value, press, screen, verdict};
use vnetlab::engine::Verdict;
use vnetlab::lint::Code;
use vnetlab::model::{Design, SubnetRef};
use vnetlab::tui::forms::FieldKey;
use vnetlab::tui::{App, Overlay};

/// The note (or error) under a field of the open form.
fn form_hint(app: &App, key: FieldKey) -> String {
    match app.overlay() {
        Some(Overlay::Form(_, form)) => form
            .fields
            .iter()
            .find(|f| f.key == key)
            .and_then(|f| f.error.clone().or_else(|| f.note.clone()))
            .unwrap_or_default(),
        other => panic!("no form is open: {other:?}"),
    }
}

fn prefix(app: &App, vnet: &str, subnet: &str) -> Option<String> {
    app.session()
        .design()
        .subnet(&SubnetRef::new(vnet, subnet))
        .map(|s| s.prefix.to_string())
}

/// Audit row 5: the keys that made a subnet named `vnet-b` inside vnet-a now make two VNets,
/// each with the first subnet the VNet form offers (the address planner's first /24).
#[test]
fn a_enter_adds_a_vnet_whatever_is_selected_and_the_vnet_comes_with_a_subnet() {
    let mut app = app_with(Design::example_pair());
    press(
        &mut app,
        "ctrl-n a enter \"vnet-a\" enter a enter \"vnet-b\" enter",
    );
    let design = app.session().design();
    let names: Vec<&str> = design.vnets.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["vnet-a", "vnet-b"], "{:?}", app.status());
    assert_eq!(
        prefix(&app, "vnet-a", "default").as_deref(),
        Some("10.0.0.0/24")
    );
    assert_eq!(
        prefix(&app, "vnet-b", "default").as_deref(),
        Some("10.1.0.0/24")
    );
    // The menu says where the other kinds go.
    press(&mut app, "a");
    match app.overlay() {
        Some(Overlay::Choose(choose)) => {
            assert_eq!(choose.selected, 0);
            assert_eq!(choose.options[0].0, "VNet");
            assert_eq!(choose.options[1].0, "Subnet in vnet-b");
        }
        other => panic!("expected the add menu, got {other:?}"),
    }
    // Clearing the first subnet's name adds a VNet without one.
    press(&mut app, "1 tab tab tab tab ctrl-u enter");
    let design = app.session().design();
    assert_eq!(design.vnets.len(), 3);
    assert!(design.vnets[2].subnets.is_empty());
}

/// Audit row 8: a route table and an NSG are attached to subnets from their own forms, as one
/// undoable step; a route table left unattached gets its info diagnostic.
#[test]
fn route_tables_and_nsgs_attach_to_subnets_from_their_forms() {
    let mut app = app_with(Design::example_pair());
    // Fields: Name, attach to a/default, attach to b/default, Propagate.
    press(&mut app, "4 a \"rt-a\" tab space enter");
    let design = app.session().design();
    assert!(design.route_table("rt-a").is_some(), "{:?}", app.status());
    let attached = |app: &App, s: &str| {
        let d = app.session().design();
        let subnet = d.subnet(&SubnetRef::new(s, "default")).unwrap();
        (subnet.route_table.clone(), subnet.nsg.clone())
    };
    assert_eq!(attached(&app, "a").0.as_deref(), Some("rt-a"));
    assert_eq!(attached(&app, "b").0, None);
    assert!(
        !app.session()
            .diagnostics()
            .iter()
            .any(|d| d.code == Code::RouteTableUnused)
    );
    // One undo removes the table and its attachment.
    press(&mut app, "u");
    assert!(app.session().design().route_tables.is_empty());
    assert_eq!(attached(&app, "a").0, None);
    // Unattached: the diagnostic says so.
    press(&mut app, "4 a enter");
    assert!(
        app.session()
            .diagnostics()
            .iter()
            .any(|d| d.code == Code::RouteTableUnused && d.subject.name == "rt1"),
        "{:?}",
        app.session().diagnostics()
    );
    // NSG: option 1 of its menu; attach to b/default.
    press(&mut app, "5 a 1 \"nsg-b\" tab tab space enter");
    assert_eq!(attached(&app, "b").1.as_deref(), Some("nsg-b"));
    assert_eq!(attached(&app, "a").1, None);
    // Editing it lists b/default switched on; switching it off detaches.
    press(&mut app, "5 g j enter tab tab space enter");
    assert_eq!(attached(&app, "b").1, None, "{:?}", app.status());
}

/// Audit row 16: the gateway form adds the GatewaySubnet (the planner's /27) when the VNet has
/// none, and the subnet form suggests a /27 for that name.
#[test]
fn the_gateway_form_adds_a_gateway_subnet_and_the_subnet_form_suggests_a_27() {
    let mut app = app_with(Design::example_pair());
    press(&mut app, "1 g j a 2 \"GatewaySubnet\"");
    assert_eq!(form_value(&app, FieldKey::Prefix), "10.1.0.0/27");
    assert!(
        form_hint(&app, FieldKey::Prefix).contains("/27"),
        "{}",
        form_hint(&app, FieldKey::Prefix)
    );
    press(&mut app, "esc 3 a 1");
    assert!(
        form_hint(&app, FieldKey::AddGatewaySubnet).contains("adds GatewaySubnet"),
        "{}",
        form_hint(&app, FieldKey::AddGatewaySubnet)
    );
    let vnet = form_value(&app, FieldKey::Vnet);
    press(&mut app, "enter");
    let design = app.session().design();
    assert_eq!(design.gateways.len(), 1, "{:?}", app.status());
    let gateway_subnet = design
        .subnet(&SubnetRef::new(&vnet, "GatewaySubnet"))
        .expect("the gateway form added the GatewaySubnet");
    assert_eq!(gateway_subnet.prefix.prefix_len(), 27);
}

/// Audit row 16: a VNet made ready for a gateway (a GatewaySubnet, no gateway) is the default,
/// whatever VNet was selected last.
#[test]
fn the_gateway_form_defaults_to_the_vnet_made_ready_for_it() {
    let mut design = Design::example_pair();
    design.vnets[1].subnets.push(vnetlab::model::Subnet::new(
        "GatewaySubnet",
        "10.2.255.0/27".parse().unwrap(),
    ));
    let mut app = app_with(design);
    press(&mut app, "1 g j 3 a 1");
    assert_eq!(form_value(&app, FieldKey::Vnet), "b");
}

/// Audit row 17: the peering form proposes the unlinked pair in design order (not the last
/// selected VNet as Local), and choosing Local = Remote swaps the two.
#[test]
fn the_peering_form_defaults_sensibly_and_swaps_instead_of_refusing() {
    let mut app = app_with(Design::example_pair());
    // Select VNet b (the old default took it as Local).
    press(&mut app, "1 g j j j j 2 a 1");
    assert_eq!(form_value(&app, FieldKey::Local), "a");
    assert_eq!(form_value(&app, FieldKey::Remote), "b");
    press(&mut app, "tab right");
    assert_eq!(form_value(&app, FieldKey::Local), "b");
    assert_eq!(form_value(&app, FieldKey::Remote), "a");
    assert_eq!(form_value(&app, FieldKey::Name), "b-to-a");
    assert!(!form_hint(&app, FieldKey::Remote).contains("itself"));
    press(&mut app, "enter");
    let design = app.session().design();
    let link = design.peering("b-to-a").expect("the swapped link");
    assert_eq!((link.local.as_str(), link.remote.as_str()), ("b", "a"));
}

fn non_transitive() -> Design {
    let text = include_str!("../saves/02-non-transitive.ron");
    vnetlab::io::parse_design(text, "02-non-transitive.ron").unwrap()
}

/// Audit row 19 on saves/02-non-transitive.ron: `H` with vnet-b as hub no longer offers vnet-b
/// as a spoke, and "Route spokes through: new NVA" adds the NVA, a route table per spoke and the
/// forwarded-traffic flags, so vm-a and vm-c reach each other through the hub.
#[test]
fn hub_and_spokes_routes_the_spokes_through_a_new_nva() {
    let mut app = app_with(non_transitive());
    assert_eq!(verdict(&app, "vm-a", "vm-c"), Verdict::Blocked);
    press(&mut app, "2 H");
    if form_value(&app, FieldKey::Hub) != "vnet-b" {
        press(&mut app, "right");
    }
    assert_eq!(form_value(&app, FieldKey::Hub), "vnet-b");
    match app.overlay() {
        Some(Overlay::Form(_, form)) => {
            let labels: Vec<&str> = form.fields.iter().map(|f| f.label.as_str()).collect();
            assert!(!labels.contains(&"spoke vnet-b"), "{labels:?}");
            assert!(labels.contains(&"spoke vnet-a") && labels.contains(&"spoke vnet-c"));
        }
        other => panic!("{other:?}"),
    }
    // Spokes a and c, forwarded traffic (on), transit (off), then the appliance: new NVA.
    press(&mut app, "tab space tab space tab tab tab right");
    assert_eq!(
        form_value(&app, FieldKey::ViaAppliance),
        "new NVA in the hub"
    );
    press(&mut app, "enter");
    let design = app.session().design();
    let nva = design.vm("nva-vnet-b").expect("the wizard's NVA");
    assert!(nva.appliance.is_some() && nva.nics[0].ip_forwarding);
    let table = design.route_table("rt-vnet-a").expect("vnet-a's table");
    assert_eq!(table.routes[0].prefix.to_string(), "10.3.0.0/16");
    for (from, to) in [("vm-a", "vm-c"), ("vm-c", "vm-a"), ("vm-a", "vm-b")] {
        assert_eq!(verdict(&app, from, to), Verdict::Reachable, "{from} → {to}");
    }
    // One step: undo gives the lesson back.
    press(&mut app, "u");
    assert_eq!(verdict(&app, "vm-a", "vm-c"), Verdict::Blocked);
    assert!(app.session().design().vm("nva-vnet-b").is_none());
}

/// Audit row 17: a long hint under a field wraps in the column under the value, never back to
/// the form's left edge (at 80×24 the popup's text starts at column 3).
#[test]
fn a_long_form_hint_wraps_under_its_value() {
    let mut app = app_with(Design::example_pair());
    press(&mut app, "2 a 1 tab tab tab tab tab tab tab \"nope\"");
    assert!(form_hint(&app, FieldKey::LocalSubnets).contains("no subnet nope"));
    let text = screen(&mut app, 80, 24);
    let lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let at = lines
        .iter()
        .position(|l| l.iter().collect::<String>().contains("✗ a has no subnet"))
        .unwrap_or_else(|| panic!("{text}"));
    let indent = |line: &[char]| line[3..].iter().take_while(|c| **c == ' ').count();
    assert!(indent(&lines[at]) >= 10, "{text}");
    let rest: String = lines[at + 1].iter().collect();
    assert!(rest.contains("default"), "the hint goes on below:\n{text}");
    assert_eq!(indent(&lines[at + 1]), indent(&lines[at]) + 2, "{text}");
}
