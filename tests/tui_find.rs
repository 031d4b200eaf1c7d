//! Finding a pair at scale in the TUI (issue 16 item 3, issue 12's selection in step; audit
//! table (a) rows 3, 4, 14, 15): the go-to prompt, the matrix filter, the only-blocked and
//! only-changed views, paging, folding that keeps the cursor's pair, a click on a cell, one
//! cursor in the Reachability panel, and the picture and the matrix selecting together.

#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)]

mod tui_support;

use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::style::Color;
use tui_support::{app_with, draw, press, screen, startup_app};
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};
use vnetlab::topology::{ItemKey, NodeKey, NodeKind};
use vnetlab::tui::App;
use vnetlab::tui::matrix::AxisItem;
use vnetlab::tui::panes::{PaneId, Target};

/// The audit's designer estate: 2 hubs, 60 spokes, two VMs in each spoke.
fn sixty_spokes() -> App {
    app_with(
        hub_spoke(&HubSpokeParams {
            hubs: 2,
            spokes: 60,
            subnets_per_spoke: 2,
            vms_per_subnet: 1,
        })
        .unwrap(),
    )
}

fn example(name: &str) -> App {
    let text = vnetlab::io::examples::example(name).unwrap();
    app_with(vnetlab::io::parse_design(text, name).unwrap())
}

/// The names of the selected pair, as the Reachability panel selects it.
fn selected_pair(app: &App) -> Option<(String, String)> {
    let endpoints = app.session().analysis().endpoints();
    let cursor = app.matrix_cursor();
    let matrix = app.matrix()?;
    match (
        matrix.axis.get(cursor.row)?,
        matrix.axis.get(cursor.column)?,
    ) {
        (AxisItem::One(a), AxisItem::One(b)) => {
            Some((endpoints[*a].name.clone(), endpoints[*b].name.clone()))
        }
        _ => None,
    }
}

/// The labels of the matrix's shown rows.
fn shown_rows(app: &App) -> Vec<String> {
    let endpoints = app.session().analysis().endpoints();
    let matrix = app.matrix().unwrap();
    let layout = app.screen().matrix.clone().unwrap();
    layout
        .rows
        .iter()
        .map(|r| matrix.label(*r, endpoints))
        .collect()
}

fn click(app: &mut App, x: u16, y: u16) {
    app.handle_mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    });
}

#[test]
fn go_to_selects_the_named_pair_of_a_sixty_spoke_design_and_the_picture_draws_it() {
    let mut app = sixty_spokes();
    draw(&mut app, 160, 48);
    assert!(app.matrix().unwrap().key.grouped);
    // Partial names complete; Tab takes the highlighted completion.
    press(
        &mut app,
        "1 ctrl-g \"spoke37-vm2\" tab \"spoke12-vm1\" enter",
    );
    assert_eq!(app.overlay(), None);
    assert_eq!(app.focus(), PaneId::Reach);
    assert_eq!(
        selected_pair(&app),
        Some(("spoke37-vm2-1".to_string(), "spoke12-vm1-1".to_string()))
    );
    assert_eq!(
        app.status().map(|s| s.text.as_str()),
        Some("went to spoke37-vm2-1 → spoke12-vm1-1")
    );
    let text = screen(&mut app, 160, 48);
    assert!(
        text.contains("spoke37-vm2-1 → spoke12-vm1-1 tcp/443"),
        "{text}"
    );
    // The column's name is shown in full beside the numbers.
    assert!(text.contains("spoke12-vm1-1"), "{text}");
    // A typo resolves as the CLI's "did you mean" does; the picture draws the pair's path.
    press(
        &mut app,
        "ctrl-g \"spkoe12-vm1-1\" tab \"hub1-nva\" enter 8",
    );
    assert_eq!(
        selected_pair(&app),
        Some(("spoke12-vm1-1".to_string(), "hub1-nva".to_string()))
    );
    let text = screen(&mut app, 160, 48);
    assert!(text.contains("spoke12-vm1-1 → hub1-nva tcp/443"), "{text}");
    // A name that matches nothing is refused with what was typed.
    press(&mut app, "ctrl-g \"zzzz\" tab \"hub1-nva\" enter");
    let status = app.status().unwrap();
    assert!(status.error && status.text.starts_with("there is no endpoint `zzzz`"));
}

#[test]
fn the_filter_narrows_the_matrix_rows_and_columns() {
    let mut app = sixty_spokes();
    draw(&mut app, 160, 48);
    press(&mut app, "6 / \"spoke37\" enter");
    draw(&mut app, 160, 48);
    assert_eq!(shown_rows(&app), ["▸ spoke37 (2)"]);
    let layout = app.screen().matrix.clone().unwrap();
    assert_eq!(layout.columns, layout.rows);
    // Two names: both rows and both columns; the prompt sits beside the matrix.
    press(&mut app, "esc / \"spoke37 spoke12\" enter");
    let text = screen(&mut app, 160, 48);
    assert_eq!(shown_rows(&app), ["▸ spoke12 (2)", "▸ spoke37 (2)"]);
    assert_eq!(app.screen().matrix.as_ref().unwrap().columns.len(), 2);
    assert!(text.contains("/spoke37 spoke12  2×2 of 66"), "{text}");
    // The cursor is on a shown cell: j moves among the shown rows only.
    press(&mut app, "g j");
    let label = app.matrix().unwrap().label(
        app.matrix_cursor().row,
        app.session().analysis().endpoints(),
    );
    assert_eq!(label, "▸ spoke37 (2)");
    press(&mut app, "esc");
    assert_eq!(
        shown_rows(&app).len(),
        app.screen().matrix.as_ref().unwrap().rows.len()
    );
    assert!(shown_rows(&app).len() > 2);
}

#[test]
fn only_blocked_and_only_changed_views_keep_the_rows_that_have_such_pairs() {
    // vnet-b is the middle of A–B–C: vm-b reaches both, vm-a and vm-c do not reach each other.
    let mut app = example("02-non-transitive.ron");
    draw(&mut app, 160, 48);
    assert_eq!(shown_rows(&app), ["vm-a", "vm-b", "vm-c"]);
    press(&mut app, "6 b");
    draw(&mut app, 160, 48);
    assert_eq!(shown_rows(&app), ["vm-a", "vm-c"]);
    assert!(screen(&mut app, 160, 48).contains("only blocked (b: all)"));
    press(&mut app, "b");
    assert_eq!(shown_rows(&app), ["vm-a", "vm-b", "vm-c"]);
    // Nothing changed yet: the changed view is empty. After fixing vm-a → vm-c only the
    // pairs that flipped are left.
    press(&mut app, "c");
    assert!(shown_rows(&app).is_empty());
    press(&mut app, "c g l l x");
    assert_eq!(
        app.status().map(|s| s.error),
        Some(false),
        "{:?}",
        app.status()
    );
    press(&mut app, "c");
    draw(&mut app, 160, 48);
    let rows = shown_rows(&app);
    assert!(
        !rows.is_empty() && !rows.contains(&"vm-b".to_string()),
        "{rows:?}"
    );
    assert!(screen(&mut app, 160, 48).contains("only changed by the last edit (c: all)"));
}

#[test]
fn page_keys_move_the_matrix_cursor_by_a_page_and_half_a_page() {
    let mut app = sixty_spokes();
    draw(&mut app, 100, 30);
    press(&mut app, "6");
    let page = app.screen().matrix.as_ref().unwrap().rows.len();
    assert!(page > 2, "{page}");
    press(&mut app, "pagedown");
    assert_eq!(app.matrix_cursor().row, page);
    press(&mut app, "ctrl-u");
    assert_eq!(app.matrix_cursor().row, page - page / 2);
    press(&mut app, "ctrl-d ctrl-d pageup");
    assert_eq!(app.matrix_cursor().row, page / 2);
    // Long lists page too.
    press(&mut app, "1 pagedown");
    assert!(app.pane_state(PaneId::Vnets).selected > 5);
}

#[test]
fn expanding_then_collapsing_keeps_the_cursor_on_its_pair() {
    let mut app = sixty_spokes();
    draw(&mut app, 160, 48);
    let endpoints = app.session().analysis().endpoints().to_vec();
    let matrix = app.matrix().unwrap().clone();
    let at = |label: &str| {
        (0..matrix.axis.len())
            .find(|i| matrix.label(*i, &endpoints) == label)
            .unwrap()
    };
    let (row, column) = (at("▸ spoke37 (2)"), at("▸ spoke12 (2)"));
    press(&mut app, "6");
    for _ in 0..row {
        press(&mut app, "j");
    }
    for _ in 1..column {
        press(&mut app, "l");
    }
    press(&mut app, "enter");
    assert_eq!(
        selected_pair(&app),
        Some(("spoke37-vm1-1".to_string(), "spoke12-vm1-1".to_string()))
    );
    press(&mut app, "backspace");
    let label = |app: &App, i: usize| {
        app.matrix()
            .unwrap()
            .label(i, app.session().analysis().endpoints())
    };
    let cursor = app.matrix_cursor();
    assert_eq!(label(&app, cursor.row), "▸ spoke37 (2)");
    assert_eq!(label(&app, cursor.column), "▸ spoke12 (2)");
    assert_eq!(
        app.status().map(|s| s.text.as_str()),
        Some("collapsed spoke37 and spoke12")
    );
}

#[test]
fn a_click_on_a_matrix_cell_selects_that_pair() {
    let mut app = startup_app();
    draw(&mut app, 160, 48);
    let layout = app.screen().matrix.clone().unwrap();
    let cell = layout.cell(4, 6).unwrap();
    click(&mut app, cell.x + 1, cell.y);
    assert_eq!(app.focus(), PaneId::Reach);
    assert_eq!(app.selected(), Some(Target::Pair { from: 4, to: 6 }));
}

#[test]
fn the_reachability_panel_highlights_one_cursor_at_a_time() {
    let mut app = example("03-hub-spoke-nva.ron");
    draw(&mut app, 160, 48);
    let intents = app.session().design().intents.len();
    assert!(intents > 0);
    // Down past the last matrix row into the intents list, then back up.
    press(&mut app, "6 G j");
    assert!(app.matrix_cursor().in_intents);
    // The default theme's selection background.
    let selected = Color::Rgb(0x26, 0x4f, 0x78);
    let reversed_rows = |app: &mut App| {
        let terminal = draw(app, 160, 48);
        let buffer = terminal.backend().buffer().clone();
        let rect = app.screen().areas.rect_of(PaneId::Reach).unwrap();
        (rect.y..rect.y + rect.height)
            .filter(|y| (rect.x..rect.x + rect.width).any(|x| buffer[(x, *y)].bg == selected))
            .count()
    };
    assert_eq!(reversed_rows(&mut app), 1, "only the intent row");
    press(&mut app, "k");
    assert!(!app.matrix_cursor().in_intents);
    assert_eq!(reversed_rows(&mut app), 1, "only the matrix cell");
}

#[test]
fn the_picture_and_the_matrix_select_together() {
    let mut app = startup_app();
    draw(&mut app, 160, 48);
    let vnet = |name: &str| {
        Some(ItemKey::Node(NodeKey {
            kind: NodeKind::Vnet,
            name: name.to_string(),
        }))
    };
    // Matrix → picture: vm-app3 → hq-web selects vm-app3's VNet in the picture.
    press(&mut app, "6 j j j j l l l l");
    draw(&mut app, 160, 48);
    assert_eq!(
        selected_pair(&app),
        Some(("vm-app3".to_string(), "hq-web".to_string()))
    );
    assert_eq!(app.topology_selected().cloned(), vnet("spoke3"));
    // Picture → matrix: space on spoke3 (the current pair's source lives there), then on spoke1,
    // selects vm-app3 and spoke1's first VM.
    press(&mut app, "8 space");
    let said = app.status().unwrap().text.clone();
    assert!(said.starts_with("from vm-app3 (spoke3)"), "{said}");
    press(&mut app, "j");
    assert_eq!(app.topology_selected().cloned(), vnet("spoke1"));
    press(&mut app, "space");
    assert_eq!(app.topology_selected().cloned(), vnet("spoke1"));
    let pair = selected_pair(&app).unwrap();
    let endpoints = app.session().analysis().endpoints();
    let vnet_of = |name: &str| {
        endpoints
            .iter()
            .find(|e| e.name == name)
            .and_then(|e| e.vnet.clone())
    };
    assert_eq!(vnet_of(&pair.0).as_deref(), Some("spoke3"));
    assert_eq!(vnet_of(&pair.1).as_deref(), Some("spoke1"));
    let text = screen(&mut app, 160, 48);
    assert!(text.contains(&format!("{} → {}", pair.0, pair.1)), "{text}");
}

#[test]
fn the_tab_line_names_every_pane_down_to_eighty_columns() {
    let mut app = startup_app();
    for (width, line) in [
        (
            80,
            "1 VNets 2 Peerings 3 Gateway 4 Routes 5 NSG 6 Reach 7 Diag 8 Topology",
        ),
        (
            100,
            "1 VNets 2 Peerings 3 Gateway 4 Route table 5 NSG 6 Reachability 7 Diagnostics 8 Topology",
        ),
        (
            105,
            " 1 VNets   2 Peerings   3 Gateway   4 Route table   5 NSG   6 Reachability   7 Diagnostics   8 Topology",
        ),
    ] {
        let text = screen(&mut app, width, 30);
        assert_eq!(text.lines().next().unwrap().trim_end(), line, "at {width}");
    }
    // A click on the last tab focuses the Topology pane.
    let text = screen(&mut app, 80, 24);
    let x = text.lines().next().unwrap().find("8 Topology").unwrap();
    let x = text.lines().next().unwrap()[..x].chars().count() as u16;
    click(&mut app, x + 2, 0);
    assert_eq!(app.focus(), PaneId::Topology);
}

#[test]
fn a_filtered_matrix_after_go_to_at_100x30_and_160x48() {
    for (width, height) in [(100, 30), (160, 48)] {
        let mut app = sixty_spokes();
        draw(&mut app, width, height);
        press(
            &mut app,
            "ctrl-g \"spoke37-vm2\" tab \"spoke12-vm1\" enter / \"spoke37 spoke12\" enter",
        );
        // Typing the filter did not lose the pair.
        assert_eq!(
            selected_pair(&app),
            Some(("spoke37-vm2-1".to_string(), "spoke12-vm1-1".to_string()))
        );
        insta::assert_snapshot!(
            format!("go_to_and_filter_{width}x{height}"),
            draw(&mut app, width, height).backend()
        );
    }
}
