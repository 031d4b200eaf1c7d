//! The Topology pane in step with the session and the matrix (issue 12): an edit that leaves
//! the structure alone (a peering flag) only recolours the kept layout, one that changes it (a
//! new VNet) lays out again; a pair selected in the matrix selects its source's box and draws
//! its path, and a pair picked on the picture with `space` on two boxes is selected in the
//! matrix and explained there.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use tui_support::{app_with, draw, press, screen, startup_app};
use vnetlab::topology::{ItemKey, NodeKey, NodeKind};
use vnetlab::tui::App;
use vnetlab::tui::panes::PaneId;

fn pane(app: &mut App) -> String {
    tui_support::pane_text(app, PaneId::Topology, 160, 48)
}

fn node(kind: NodeKind, name: &str) -> Option<ItemKey> {
    Some(ItemKey::Node(NodeKey {
        kind,
        name: name.to_string(),
    }))
}

fn status(app: &App) -> String {
    format!("{:?}", app.status())
}

#[test]
fn a_flag_edit_only_recolours_and_a_new_vnet_lays_out_again() {
    let mut app = startup_app();
    draw(&mut app, 160, 48);
    press(&mut app, "8 z");
    let before = pane(&mut app);
    let start = app.topology_work();
    // Space in the Peerings pane flips the flag under the cursor: not structural.
    press(&mut app, "2 g j l space 8");
    let flipped = pane(&mut app);
    let work = app.topology_work();
    assert_ne!(
        app.session().design().peerings,
        startup_app().session().design().peerings
    );
    assert_eq!(work.builds, start.builds, "no rebuild");
    assert_eq!(work.layouts, start.layouts, "the layout is kept");
    assert_eq!(work.restates, start.restates + 1, "only restated");
    assert_ne!(flipped, before, "the edge's flag marks changed");
    // The restated picture is the one a fresh build draws.
    let mut fresh = app_with(app.session().design().clone());
    draw(&mut fresh, 160, 48);
    press(&mut fresh, "8 z");
    assert_eq!(pane(&mut fresh), flipped);
    // Undo is an edit too: restated, not rebuilt, and the picture is back.
    press(&mut app, "u");
    assert_eq!(pane(&mut app), before);
    let undone = app.topology_work();
    assert_eq!(
        (undone.builds, undone.layouts),
        (start.builds, start.layouts)
    );
    assert_eq!(undone.restates, start.restates + 2);
    // Deleting an NSG rule: not structural either.
    let rules = |app: &App| -> usize {
        app.session()
            .design()
            .nsgs
            .iter()
            .map(|n| n.rules.len())
            .sum()
    };
    let before_rules = rules(&app);
    press(&mut app, "5 g j j d y 8");
    assert_eq!(rules(&app), before_rules - 1, "{}", status(&app));
    let work = app.topology_work();
    assert_eq!((work.builds, work.layouts), (start.builds, start.layouts));
    assert_eq!(work.restates, start.restates + 3);
    assert_eq!(pane(&mut app), before);

    // A new VNet changes the structure: rebuilt and laid out again, its box drawn.
    press(&mut app, "1 a enter \"vnet-new\" enter 8");
    assert!(
        app.session().design().vnet("vnet-new").is_some(),
        "{}",
        status(&app)
    );
    let added = pane(&mut app);
    let work = app.topology_work();
    assert_eq!(work.builds, start.builds + 1);
    assert_eq!(work.layouts, start.layouts + 1);
    assert!(added.contains("vnet-new"), "{added}");
}

#[test]
fn a_new_peering_is_rebuilt_and_a_new_edge_laid_out_again() {
    let mut app = startup_app();
    draw(&mut app, 160, 48);
    press(&mut app, "8 z");
    let start = app.topology_work();
    // `x` on vm-app3 → hq-web adds the missing spoke3 → hub side: a new peering on an edge
    // already drawn (dashed), so the topology is rebuilt, the layout kept (same boxes, same
    // edges) and the edge drawn solid.
    press(&mut app, "6 j j j j l l l l x 8");
    let work = app.topology_work();
    assert_eq!(work.builds, start.builds + 1);
    assert_eq!(work.layouts, start.layouts);
    assert!(pane(&mut app).contains("vm-app3 → hq-web tcp/443 ✓ reachable"));
    // A peering between two VNets not yet peered is a new edge: laid out again.
    let peerings = app.session().design().peerings.len();
    let before = pane(&mut app);
    press(&mut app, "2 a enter enter 8");
    let design = app.session().design();
    assert_eq!(design.peerings.len(), peerings + 1, "{}", status(&app));
    let work = app.topology_work();
    assert_eq!(work.builds, start.builds + 2);
    assert_eq!(work.layouts, start.layouts + 1);
    assert_ne!(pane(&mut app), before);
}

#[test]
fn a_pair_selected_in_the_matrix_selects_its_source_box_and_draws_its_path() {
    let mut app = startup_app();
    draw(&mut app, 160, 48);
    press(&mut app, "6 j j j j l l l l");
    let whole = screen(&mut app, 160, 48);
    assert!(whole.contains("vm-app3 → hq-web tcp/443 ✗"), "{whole}");
    assert_eq!(
        app.topology_selected().cloned(),
        node(NodeKind::Vnet, "spoke3")
    );
    press(&mut app, "8 z");
    let text = pane(&mut app);
    assert!(
        text.contains(
            "vm-app3 → hq-web tcp/443 ✗ PEERING_NOT_CONNECTED at peering `hub-to-spoke3`"
        ),
        "{text}"
    );
}

#[test]
fn space_on_two_boxes_selects_their_pair_in_the_matrix_and_its_explanation() {
    let mut app = startup_app();
    draw(&mut app, 160, 48);
    // From the intents list (no pair selected): picking on the picture leaves it.
    press(&mut app, "6 G G G G G G G G 8 z");
    assert!(pane(&mut app).contains("select a pair in the matrix (6)"));
    press(&mut app, "/ \"spoke1\" enter esc space");
    assert!(
        status(&app).contains("from vm-app1 (spoke1)"),
        "{}",
        status(&app)
    );
    // Space on the source again cancels; then pick it again.
    press(&mut app, "space");
    assert!(
        status(&app).contains("no longer the pair's source"),
        "{}",
        status(&app)
    );
    press(&mut app, "space / \"onprem\" enter esc space");
    assert!(
        status(&app).contains("selected vm-app1 → hq-web in the matrix"),
        "{}",
        status(&app)
    );
    assert_eq!(
        app.topology_selected().cloned(),
        node(NodeKind::Site, "onprem-hq"),
        "the picture keeps the box just pressed"
    );
    let text = pane(&mut app);
    assert!(text.contains("vm-app1 → hq-web tcp/443"), "{text}");
    // The matrix and its explanation show the same pair.
    press(&mut app, "z 6");
    let whole = screen(&mut app, 160, 48);
    assert!(whole.contains("vm-app1 → hq-web tcp/443"), "{whole}");

    // A box holding an end of the current pair keeps that endpoint: spoke3's vm-app3 stays
    // the source when the destination moves to the hub.
    press(&mut app, "6 j j j j l l l l 8");
    press(
        &mut app,
        "/ \"spoke3\" enter esc space / \"hub\" enter esc space",
    );
    assert!(
        status(&app).contains("selected vm-app3 → "),
        "{}",
        status(&app)
    );
    let text = pane(&mut app);
    assert!(text.contains("vm-app3 → "), "{text}");
}
