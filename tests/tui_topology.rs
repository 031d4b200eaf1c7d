//! The Topology pane in the TUI (issue 12): snapshots of the pane for the start-up design and
//! every file in `saves/` at 160×48 and 100×30, the selected pair's path with ✗ and its reason
//! code turning reachable after `x`, moving between boxes, zoom, full screen and clicks.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::style::Color;
use tui_support::{app_with, draw, press, screen, startup_app};
use vnetlab::topology::{ItemKey, NodeKey, NodeKind};
use vnetlab::tui::forms::FormSpec;
use vnetlab::tui::panes::{PaneId, Target};
use vnetlab::tui::{App, Overlay};

/// The text inside the Topology pane's border (trailing blanks trimmed), as drawn at
/// `width`×`height`.
fn pane(app: &mut App, width: u16, height: u16) -> String {
    tui_support::pane_text(app, PaneId::Topology, width, height)
}

/// The designs the pane is snapshot for: the start-up design and every bundled save.
fn designs() -> Vec<(String, vnetlab::model::Design)> {
    let mut out = vec![(
        "startup".to_string(),
        vnetlab::io::examples::default_design(),
    )];
    for (name, text) in vnetlab::io::examples::EXAMPLES {
        out.push((
            name.trim_end_matches(".ron").to_string(),
            vnetlab::io::parse_design(text, name).unwrap(),
        ));
    }
    out
}

fn vnet(name: &str) -> Option<ItemKey> {
    Some(ItemKey::Node(NodeKey {
        kind: NodeKind::Vnet,
        name: name.to_string(),
    }))
}

#[test]
fn the_pane_for_every_bundled_design_at_160x48_and_100x30() {
    let saves = std::fs::read_dir("saves").unwrap().count();
    let designs = designs();
    assert_eq!(designs.len(), saves + 1, "every file in saves/ is drawn");
    for (name, design) in designs {
        for (width, height) in [(160, 48), (100, 30)] {
            let mut app = app_with(design.clone());
            draw(&mut app, width, height);
            press(&mut app, "8");
            let text = pane(&mut app, width, height);
            // Every VNet of the design is in the picture or in the window's caption of what
            // lies beyond; the border names the pane and its zoom.
            assert!(text.starts_with("┌ Topology · VNets "), "{name}\n{text}");
            insta::assert_snapshot!(format!("pane_{name}_{width}x{height}"), text);
        }
    }
}

/// Selects vm-app3 → hq-web in the matrix (row 5, column 6 of the start-up design's matrix).
fn select_vm_app3_to_hq_web(app: &mut App) {
    draw(app, 160, 48);
    press(app, "6 j j j j l l l l");
    let text = screen(app, 160, 48);
    assert!(text.contains("vm-app3 → hq-web tcp/443 ✗"), "{text}");
}

/// The cell of the picture at a character's first appearance on a line containing `anchor`.
fn find(terminal_text: &str, anchor: &str, ch: char) -> Option<(u16, u16)> {
    terminal_text.lines().enumerate().find_map(|(y, line)| {
        if !line.contains(anchor) {
            return None;
        }
        let x = line.chars().position(|c| c == ch)?;
        Some((x as u16, y as u16))
    })
}

#[test]
fn the_blocked_pair_shows_its_path_with_the_cross_at_the_one_sided_peering_until_fixed() {
    let mut app = startup_app();
    select_vm_app3_to_hq_web(&mut app);
    // The Topology pane, full screen: the whole picture fits.
    press(&mut app, "8 z");
    let blocked = pane(&mut app, 160, 48);
    insta::assert_snapshot!("path_blocked_vm_app3_hq_web", blocked);
    // ✗ sits on the spoke3 ⇄ hub edge (the only edge on spoke3's line), with its code above,
    // and the caption names the blocking peering.
    let edge = blocked
        .lines()
        .find(|l| l.contains("spoke3") && l.contains("hub"))
        .unwrap();
    assert!(edge.contains('✗') && edge.contains('╍'), "{edge}");
    assert!(
        blocked.contains("✗ PEERING_NOT_CONNECTED\n")
            || blocked.contains("✗ PEERING_NOT_CONNECTED ")
    );
    assert!(
        blocked.contains(
            "vm-app3 → hq-web tcp/443 ✗ PEERING_NOT_CONNECTED at peering `hub-to-spoke3`"
        ),
        "{blocked}"
    );
    // The ✗ is drawn in the blocked colour, the path's cells in heavy lines.
    let whole = screen(&mut app, 160, 48);
    let (x, y) = find(&whole, "spoke3", '✗').unwrap();
    let terminal = draw(&mut app, 160, 48);
    assert_eq!(terminal.backend().buffer()[(x, y)].fg, Color::Red);
    assert!(whole.contains("┏━━━━"), "the source's box is on the path");

    // x applies the fix (the missing spoke3 → hub side): the same pair is now reachable, its
    // request and reply drawn through the hub to the site, with no ✗ left.
    press(&mut app, "x");
    let fixed = pane(&mut app, 160, 48);
    insta::assert_snapshot!("path_fixed_vm_app3_hq_web", fixed);
    assert!(
        fixed.contains("vm-app3 → hq-web tcp/443 ✓ reachable"),
        "{fixed}"
    );
    assert!(!fixed.contains('✗'), "{fixed}");
    let edge = fixed
        .lines()
        .find(|l| l.contains("spoke3") && l.contains("hub"))
        .unwrap();
    assert!(edge.contains("━FR━") && !edge.contains('╍'), "{edge}");
    let whole = screen(&mut app, 160, 48);
    let (x, y) = find(&whole, "spoke3", '━').unwrap();
    let terminal = draw(&mut app, 160, 48);
    assert_eq!(terminal.backend().buffer()[(x, y)].fg, Color::Green);
    // Undo brings the ✗ back: the picture recolours with the design.
    press(&mut app, "u");
    assert!(pane(&mut app, 160, 48).contains("✗ PEERING_NOT_CONNECTED at"));
}

#[test]
fn the_path_follows_the_matrix_cursor() {
    let mut app = startup_app();
    draw(&mut app, 160, 48);
    press(&mut app, "8");
    assert!(pane(&mut app, 160, 48).contains("nva1 → vm-dns tcp/443 ✓ reachable"));
    press(&mut app, "6 j j j j l l l l 8");
    assert!(pane(&mut app, 160, 48).contains("vm-app3 → hq-web tcp/443 ✗"));
    // In the intents list no pair is selected: the caption says how to pick one.
    press(&mut app, "6 G G G G G G G G 8");
    let text = pane(&mut app, 160, 48);
    assert!(text.contains("select a pair in the matrix (6)"), "{text}");
}

#[test]
fn hjkl_moves_to_the_nearest_box_and_enter_opens_its_form() {
    let mut app = startup_app();
    draw(&mut app, 160, 48);
    press(&mut app, "8 z");
    draw(&mut app, 160, 48);
    assert_eq!(app.topology_selected().cloned(), vnet("hub"));
    press(&mut app, "l");
    assert_eq!(app.topology_selected().cloned(), vnet("spoke2"));
    press(&mut app, "left");
    assert_eq!(app.topology_selected().cloned(), vnet("hub"));
    press(&mut app, "h");
    assert_eq!(app.topology_selected().cloned(), vnet("spoke1"));
    press(&mut app, "k");
    assert_eq!(app.topology_selected().cloned(), vnet("spoke3"));
    // Nothing further left: the selection stays.
    press(&mut app, "h");
    assert_eq!(app.topology_selected().cloned(), vnet("spoke3"));
    press(&mut app, "l k");
    assert_eq!(
        app.topology_selected().cloned(),
        Some(ItemKey::Node(NodeKey {
            kind: NodeKind::Site,
            name: "onprem-hq".to_string()
        }))
    );
    press(&mut app, "enter");
    assert!(
        matches!(app.overlay(), Some(Overlay::Form(FormSpec::Site(Some(s)), _)) if s == "onprem-hq"),
        "{:?}",
        app.overlay().map(|_| "another overlay")
    );
    press(&mut app, "esc j h k enter");
    assert!(
        matches!(app.overlay(), Some(Overlay::Form(FormSpec::Vnet(Some(v)), _)) if v == "spoke3"),
        "site, down to the hub, left to spoke1, up to spoke3"
    );
    // The VNets pane followed the picture's selection.
    press(&mut app, "esc z 1");
    assert_eq!(app.selected(), Some(Target::Vnet("spoke3".to_string())));
}

#[test]
fn a_click_selects_the_box_under_it() {
    let mut app = startup_app();
    draw(&mut app, 160, 48);
    press(&mut app, "8");
    let text = screen(&mut app, 160, 48);
    let (x, y) = find(&text, "│ spoke1", 's').unwrap();
    app.handle_mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x + 2,
        row: y,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(app.focus(), PaneId::Topology);
    assert_eq!(app.topology_selected().cloned(), vnet("spoke1"));
}

#[test]
fn zoom_shows_subnets_then_vms_and_back() {
    let mut app = startup_app();
    draw(&mut app, 160, 48);
    press(&mut app, "8 z +");
    let subnets = pane(&mut app, 160, 48);
    assert!(subnets.starts_with("┌ Topology · subnets "), "{subnets}");
    assert!(subnets.contains("workload 10.3.1.0/24"), "{subnets}");
    assert!(!subnets.contains("vm-app3 10.3.1.4"), "{subnets}");
    press(&mut app, "=");
    let vms = pane(&mut app, 160, 48);
    assert!(vms.starts_with("┌ Topology · VMs "), "{vms}");
    assert!(vms.contains("vm-app3 10.3.1.4"), "{vms}");
    press(&mut app, "- -");
    let back = pane(&mut app, 160, 48);
    assert!(back.starts_with("┌ Topology · VNets ") && back.contains("1 subnet · 1 VM"));
    // Outside the picture, zoom keys are not bound.
    press(&mut app, "1 +");
    assert_eq!(app.focus(), PaneId::Vnets);
}

#[test]
fn a_picture_wider_than_the_pane_pans() {
    let mut app = startup_app();
    draw(&mut app, 100, 30);
    press(&mut app, "8");
    let before = pane(&mut app, 100, 30);
    assert!(before.contains("more ◂▸"), "{before}");
    press(
        &mut app,
        "shift-left shift-left shift-left shift-left shift-left shift-left",
    );
    let left = pane(&mut app, 100, 30);
    assert_ne!(before, left);
    assert!(
        left.contains("more ▸"),
        "at the left edge nothing more is left: {left}"
    );
    assert!(left.contains("│ spoke3"), "{left}");
    // The window stays where it was panned to until something moves.
    press(&mut app, "esc");
    assert_eq!(pane(&mut app, 100, 30), left);
    press(&mut app, "shift-right");
    assert!(pane(&mut app, 100, 30).contains("more ◂▸"));
}

#[test]
fn z_shows_any_pane_full_screen_and_back() {
    let mut app = startup_app();
    draw(&mut app, 100, 30);
    press(&mut app, "2 z");
    draw(&mut app, 100, 30);
    let shown: Vec<PaneId> = app.screen().areas.panes.iter().map(|(p, _)| *p).collect();
    assert_eq!(shown, [PaneId::Peerings]);
    assert_eq!(app.screen().areas.panes[0].1.width, 100);
    press(&mut app, "z");
    draw(&mut app, 100, 30);
    assert_eq!(app.screen().areas.panes.len(), 2);
    let help = {
        press(&mut app, "? \"full screen\"");
        screen(&mut app, 100, 30)
    };
    assert!(help.contains("show the focused pane full screen"), "{help}");
}

#[test]
fn slash_filters_and_selects_the_first_matching_box() {
    let mut app = startup_app();
    draw(&mut app, 160, 48);
    press(&mut app, "8 z");
    draw(&mut app, 160, 48);
    // A VM's name finds the VNet it lives in.
    press(&mut app, "/ \"vm-app2\" enter");
    assert_eq!(app.topology_selected().cloned(), vnet("spoke2"));
    // The match's name is styled; Esc clears the filter and the selection stays.
    press(&mut app, "esc");
    assert_eq!(app.topology_selected().cloned(), vnet("spoke2"));
    assert!(app.pane_state(PaneId::Topology).filter.is_empty());
}
