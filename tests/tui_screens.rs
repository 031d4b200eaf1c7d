//! Snapshot tests of whole screens (TestBackend + insta): the start-up screen at the wide and
//! the minimum size, the too-small notice, help, the palette and a form.

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
    assert!(text.contains("needs a terminal of at least 80×24"), "{text}");
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
    assert!(!filtered.contains("redo") && !filtered.contains("ctrl-r"), "{filtered}");
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
    // a on the VNets header opens the Add menu on "VNet"; Enter picks it.
    press(&mut app, "a enter tab tab \"10.0.0.0/8\"");
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}
