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
fn the_matrix_colours_verdicts() {
    let mut app = startup_app();
    press(&mut app, "6");
    let terminal = draw(&mut app, 160, 48);
    let buffer = terminal.backend().buffer();
    let theme = vnetlab::tui::theme::Theme::embedded();
    let mut seen = (false, false);
    for y in 0..48 {
        for x in 102..160 {
            let cell = &buffer[(x, y)];
            match cell.symbol() {
                "✓" if cell.fg == theme.reachable.fg.unwrap_or_default() => seen.0 = true,
                "✗" if cell.fg == theme.blocked.fg.unwrap_or_default() => seen.1 = true,
                _ => {}
            }
        }
    }
    assert_eq!(
        seen,
        (true, true),
        "✓ drawn in the reachable colour and ✗ in the blocked colour"
    );
}

#[test]
fn an_untouched_suggestion_follows_its_choice_and_a_typed_value_stays() {
    let mut app = startup_app();
    // Add subnet on hub (selected at start): the prefix suggests hub's next free /24.
    press(&mut app, "a enter");
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

#[test]
fn every_size_from_tiny_to_wide_draws_without_panicking() {
    for keys in ["", "?", ": \"sa\"", "a", "a enter", "6 j j", "2 j d"] {
        let mut app = startup_app();
        press(&mut app, keys);
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
            assert_eq!(
                text.lines().count(),
                height as usize,
                "{keys:?} at {width}×{height}"
            );
        }
    }
}
