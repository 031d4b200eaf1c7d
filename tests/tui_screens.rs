//! Snapshot tests of whole screens (TestBackend + insta): the start-up screen at the wide and
//! the minimum size, the too-small notice, help, the palette and a form.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use tui_support::{draw, press, startup_app};

#[test]
fn startup_screen_160x48() {
    let mut app = startup_app();
    insta::assert_snapshot!(draw(&mut app, 160, 48).backend());
}

#[test]
fn startup_screen_80x24() {
    let mut app = startup_app();
    insta::assert_snapshot!(draw(&mut app, 80, 24).backend());
}

#[test]
fn below_the_minimum_the_ui_says_so() {
    let mut app = startup_app();
    let text = tui_support::screen(&mut app, 60, 20);
    assert!(
        text.contains("needs a terminal of at least 80×24"),
        "{text}"
    );
    assert!(text.contains("60×20"));
}

#[test]
fn help_lists_the_keymap_and_filters_by_typing() {
    let mut app = startup_app();
    press(&mut app, "?");
    let all = tui_support::screen(&mut app, 120, 40);
    assert!(
        all.contains("Help: keys") && all.contains("ctrl-s") && all.contains("undo"),
        "{all}"
    );
    press(&mut app, "\"reverse\"");
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
    let filtered = tui_support::screen(&mut app, 100, 30);
    assert!(filtered.contains("create the reverse peering"));
    assert!(
        !filtered.contains("redo") && !filtered.contains("ctrl-r"),
        "{filtered}"
    );
    press(&mut app, "esc");
    assert!(app.overlay().is_none());
}

#[test]
fn palette_runs_an_action_found_by_fuzzy_matching() {
    let mut app = startup_app();
    press(&mut app, ": \"nxt pane\"");
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
    press(&mut app, "enter");
    assert_eq!(app.focus(), vnetlab::tui::panes::PaneId::Peerings);
}

#[test]
fn a_form_shows_errors_as_you_type() {
    let mut app = startup_app();
    // a opens the Add menu; 1 picks "VNet". The third field is the address space.
    press(&mut app, "a 1 tab tab \"10.0.0.0/8\"");
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn a_click_focuses_the_pane_and_selects_the_row() {
    use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mut app = startup_app();
    draw(&mut app, 160, 48);
    // The Peerings pane starts at column 48; its third list line (y = 3) is hub ⇄ spoke2.
    app.handle_mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 60,
        row: 3,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(app.focus(), vnetlab::tui::panes::PaneId::Peerings);
    assert_eq!(
        app.selected(),
        Some(vnetlab::tui::panes::Target::PeeringPair {
            a: "hub".into(),
            b: "spoke2".into()
        })
    );
    // In the compact layout the tab line focuses panes.
    draw(&mut app, 80, 24);
    app.handle_mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 2,
        row: 0,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(app.focus(), vnetlab::tui::panes::PaneId::Vnets);
}

#[test]
fn the_matrix_colours_every_cell_by_its_verdict() {
    use vnetlab::engine::Verdict;
    use vnetlab::tui::matrix::AxisItem;
    let mut app = startup_app();
    press(&mut app, "6");
    let terminal = draw(&mut app, 160, 48);
    let buffer = terminal.backend().buffer();
    let theme = vnetlab::tui::theme::Theme::embedded();
    let layout = app.screen().matrix.clone().expect("the matrix is laid out");
    let matrix = app.matrix().expect("a matrix");
    let analysis = app.session().analysis();
    // At 160×48 the start-up design's eight endpoints are shown one by one, every cell in view.
    assert_eq!(matrix.axis.len(), analysis.endpoints().len());
    assert_eq!(layout.rows, (0..matrix.axis.len()).collect::<Vec<_>>());
    assert_eq!(layout.columns, (0..matrix.axis.len()).collect::<Vec<_>>());
    // The cursor starts on row 1, column 2, drawn in the selection's colours.
    let cursor = (0, 1);
    let mut counted = (0, 0, 0);
    for row in layout.rows.clone() {
        for column in layout.columns.clone() {
            let (AxisItem::One(from), AxisItem::One(to)) =
                (&matrix.axis[row], &matrix.axis[column])
            else {
                panic!("every axis item is one endpoint");
            };
            let (symbol, style) = if from == to {
                counted.2 += 1;
                ("·", theme.dim)
            } else {
                match analysis.verdict(*from, *to) {
                    Verdict::Reachable => {
                        counted.0 += 1;
                        ("✓", theme.reachable)
                    }
                    Verdict::Blocked => {
                        counted.1 += 1;
                        ("✗", theme.blocked)
                    }
                }
            };
            let style = if (row, column) == cursor {
                style.patch(theme.selected)
            } else {
                style
            };
            let rect = layout.cell(row, column).expect("a shown cell");
            let cell = &buffer[(rect.x + 1, rect.y)];
            let at = format!("cell ({row}, {column}) at {rect:?}");
            assert_eq!(cell.symbol(), symbol, "{at}");
            assert_eq!(Some(cell.fg), style.fg, "{at}");
            assert_eq!(cell.bg, style.bg.unwrap_or_default(), "{at}");
        }
    }
    // Both verdicts occur, so a cell coloured wrongly either way would fail above.
    let (reachable, blocked, itself) = counted;
    assert!(reachable > 0 && blocked > 0, "{counted:?}");
    assert_eq!(itself, matrix.axis.len());
    assert_eq!(
        reachable + blocked,
        analysis.summary().reachable + analysis.summary().blocked
    );
}

#[test]
fn an_untouched_suggestion_follows_its_choice_and_a_typed_value_stays() {
    let mut app = startup_app();
    // Add subnet on hub (selected at start; the menu's second choice): the prefix suggests
    // hub's next free /24.
    press(&mut app, "a 2");
    let screen_hub = tui_support::screen(&mut app, 160, 48);
    assert!(screen_hub.contains("10.0.0.0/24"), "{screen_hub}");
    // Switch the VNet to spoke1: the untouched prefix follows.
    press(&mut app, "tab right");
    let screen_spoke = tui_support::screen(&mut app, 160, 48);
    assert!(screen_spoke.contains("10.1.0.0/24"), "{screen_spoke}");
    // A typed prefix outside the VNet is reported as you type and not replaced.
    press(&mut app, "tab \"10.9.0.0/24\" shift-tab right");
    let typed = tui_support::screen(&mut app, 160, 48);
    assert!(
        typed.contains("10.9.0.0/24") && typed.contains("is outside spoke2's space"),
        "{typed}"
    );
}

/// The words of a text, separated by single spaces (to compare wrapped text).
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_size_from_tiny_to_wide_shows_the_notice_or_the_panes() {
    use vnetlab::tui::layout::tab_label;
    use vnetlab::tui::panes::PaneId;
    let tab_line: String = PaneId::ALL
        .iter()
        .enumerate()
        .map(|(i, pane)| format!("{} ", tab_label(*pane, i)))
        .collect();
    // Key presses, and the words of the overlay they leave open.
    let cases = [
        ("", None),
        ("?", Some("Help: keys")),
        (": \"sa\"", Some("Command palette")),
        ("a", Some("Add to VNets")),
        ("a 2", Some("Add subnet")),
        ("6 j j", None),
        ("2 d", Some("Delete peering hub-to-spoke1?")),
    ];
    for (keys, overlay) in cases {
        let mut app = startup_app();
        press(&mut app, keys);
        assert_eq!(app.overlay().is_some(), overlay.is_some(), "{keys:?}");
        for (width, height) in [
            (1, 1),
            (20, 5),
            (79, 23),
            (80, 24),
            (81, 30),
            (100, 24),
            (139, 35),
            (140, 36),
            (200, 60),
        ] {
            let text = tui_support::screen(&mut app, width, height);
            let lines: Vec<&str> = text.lines().collect();
            let at = format!("{keys:?} at {width}×{height}:\n{text}");
            if width < 80 || height < 24 {
                // Only the notice, as much of it as fits (all of it from 20×5 up).
                let notice = words(&format!(
                    "vnetlab needs a terminal of at least 80×24; this one is {width}×{height}. Enlarge the window (q quits)."
                ));
                let shown = words(&text);
                assert!(!shown.is_empty() && notice.starts_with(&shown), "{at}");
                if width >= 20 {
                    assert_eq!(shown, notice, "{at}");
                }
                continue;
            }
            if let Some(overlay) = overlay {
                assert!(words(&text).contains(overlay), "{at}");
            }
            assert!(
                lines[height as usize - 1].starts_with(" a add  enter edit"),
                "{at}"
            );
            if width >= 140 && height >= 36 {
                // Every pane at once, each under its title (unless an overlay covers some);
                // the Topology pane takes their place only while it has the focus (8).
                if overlay.is_none() {
                    for pane in PaneId::ALL.into_iter().filter(|p| *p != PaneId::Topology) {
                        assert!(text.contains(&format!("┌ {} ", pane.title())), "{at}");
                    }
                }
            } else {
                // The tab line names every pane (shorter labels when narrow), and the focused
                // pane sits beside Reachability.
                let labels = vnetlab::tui::layout::tab_labels(width).join(" ");
                assert!(
                    lines[0].trim_end() == labels.trim_end() && labels.contains("8 Topology"),
                    "{at}"
                );
                assert!(
                    width < 104 || tab_line.starts_with(lines[0].trim_end()),
                    "{at}"
                );
                if overlay.is_none() {
                    assert!(text.contains("┌ Reachability · tcp/443 "), "{at}");
                    let focus = app.focus().title();
                    assert!(text.contains(&format!("┌ {focus} ")), "{at}");
                }
            }
            if overlay != Some("Help: keys") {
                assert!(
                    lines[height as usize - 2].contains("│ flow tcp/443 │"),
                    "{at}"
                );
            }
        }
    }
}
