//! Snapshots of the forms added for issue 16 (audit rows 5, 8, 16, 19 and the AVNM, ASG and
//! Route Server objects), opened by the keys a user types, at 80×24, 100×30, 140×36 and
//! 160×48. Only the form's popup is snapshotted, so changes to the panes behind it do not churn
//! these files. Each snapshot is also checked: the title and the key hints show whole, and
//! Tab walks every field with the focused one on screen and its label whole.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use ratatui::layout::Rect;
use tui_support::{app_with, area_text, draw, press, startup_app};
use vnetlab::model::Design;
use vnetlab::tui::{App, Overlay};

/// The sizes every form is drawn at.
const SIZES: [(u16, u16); 4] = [(80, 24), (100, 30), (140, 36), (160, 48)];

fn save(name: &str) -> Design {
    let path = format!("{}/saves/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    vnetlab::io::parse_design(&text, name).unwrap()
}

/// The open form's popup at `width`×`height`, as text, and the form's title, labels and focus.
fn popup(app: &mut App, width: u16, height: u16) -> (String, Vec<String>, usize, String) {
    let terminal = draw(app, width, height);
    let Some(Overlay::Form(_, form)) = app.overlay() else {
        panic!("no form is open: {:?}", app.status());
    };
    let rect = form.popup_area(Rect::new(0, 0, width, height));
    let labels = form.fields.iter().map(|f| f.label.clone()).collect();
    (
        area_text(terminal.backend().buffer(), rect),
        labels,
        form.focus,
        form.title.clone(),
    )
}

/// The checks every drawn form passes: its title and key hints whole, the focused field's row
/// on screen with its label whole.
fn check(text: &str, labels: &[String], focus: usize, title: &str, at: &str) {
    let top = text.lines().next().unwrap();
    assert!(
        top.contains(&format!(" {title} ")),
        "{at}: title cut\n{text}"
    );
    let bottom = text.lines().last().unwrap();
    assert!(
        bottom.contains("enter apply") && bottom.contains("←→/space choose"),
        "{at}: key hints cut\n{text}"
    );
    let focused = text
        .lines()
        .find(|l| l.contains('▸'))
        .unwrap_or_else(|| panic!("{at}: the focused field is off-screen\n{text}"));
    let label = labels[focus].trim();
    assert!(
        focused.contains(&format!("▸ {label}")),
        "{at}: the focused label `{label}` is cut\n{text}"
    );
}

/// Opens a form with `keys` at every size, snapshots it as `name`, and Tabs through its fields
/// checking each focus.
fn snapshot_form(name: &str, make: impl Fn() -> App, keys: &str) {
    for (width, height) in SIZES {
        let mut app = make();
        press(&mut app, keys);
        let (text, labels, focus, title) = popup(&mut app, width, height);
        let at = format!("{name} at {width}×{height}");
        check(&text, &labels, focus, &title, &at);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), text);
        for step in 1..labels.len() {
            press(&mut app, "tab");
            let (text, labels, focus, title) = popup(&mut app, width, height);
            check(&text, &labels, focus, &title, &format!("{at}, tab ×{step}"));
        }
    }
}

/// The VNet form offers its first subnet (audit row 5): `a Enter` from anywhere.
#[test]
fn vnet_form_with_first_subnet() {
    snapshot_form("vnet", startup_app, "1 a enter");
}

/// The gateway form on a VNet without a GatewaySubnet offers to add one (audit row 16).
#[test]
fn gateway_form_offering_a_gateway_subnet() {
    snapshot_form(
        "gateway",
        || app_with(save("02-non-transitive.ron")),
        "3 a 1",
    );
}

/// The hub-with-NVA wizard `H` (audit row 19), on a design with three VNets.
#[test]
fn hub_and_spokes_wizard() {
    snapshot_form(
        "hub_spokes",
        || app_with(save("02-non-transitive.ron")),
        "2 H",
    );
}

/// The application security group form: its members are the design's VMs.
#[test]
fn asg_form() {
    snapshot_form("asg", || app_with(save("02-non-transitive.ron")), "5 a 2");
}

/// The Route Server form, on a design without one.
#[test]
fn route_server_form() {
    snapshot_form(
        "route_server",
        || app_with(save("02-non-transitive.ron")),
        "3 a 6",
    );
}

/// The BGP peer form, once the design has a Route Server (added by keys first). The design
/// has no NVA to propose, so the Peer IP asks for one (it said "invalid IP address ``").
#[test]
fn bgp_peer_form() {
    snapshot_form(
        "bgp_peer",
        || {
            let mut app = app_with(save("02-non-transitive.ron"));
            press(&mut app, "3 a 6 enter");
            app
        },
        "3 a 7",
    );
    let mut app = app_with(save("02-non-transitive.ron"));
    press(&mut app, "3 a 6 enter 3 a 7");
    let (text, ..) = popup(&mut app, 80, 24);
    assert!(text.contains("✗ enter an IP address, like"), "{text}");
}

/// The AVNM network group form: its members are the design's VNets.
#[test]
fn network_group_form() {
    snapshot_form("network_group", startup_app, "2 a 3");
}

/// The AVNM connectivity configuration form, once a network group exists.
#[test]
fn connectivity_configuration_form() {
    snapshot_form(
        "connectivity",
        || {
            let mut app = startup_app();
            press(&mut app, "2 a 3 \"spokes\" tab space tab space enter");
            app
        },
        "2 a 4",
    );
}
