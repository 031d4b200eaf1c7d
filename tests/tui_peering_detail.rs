//! Issue 16 item 1 (audit row 1): the Peerings pane's detail is sized to what it holds and to
//! the room the list leaves, at 80×24, 100×30, 140×36 and 160×48, and when it cannot hold
//! everything it scrolls to the link the flag cursor is on. (It had a fixed height: at 140×36
//! only the flag line and the first link's name showed, whichever side the cursor was on.)
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use tui_support::{app_with, pane_text, press};
use vnetlab::model::Design;
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};
use vnetlab::tui::panes::PaneId;

const SIZES: [(u16, u16); 4] = [(80, 24), (100, 30), (140, 36), (160, 48)];

fn example(name: &str) -> Design {
    let text = vnetlab::io::examples::example(name).unwrap();
    vnetlab::io::parse_design(text, name).unwrap()
}

/// The lines under the detail's rule.
fn detail(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let rule = lines
        .iter()
        .position(|l| l.starts_with("│──"))
        .unwrap_or_else(|| panic!("no detail rule:\n{text}"));
    lines[rule + 1..lines.len() - 1]
        .iter()
        .map(|l| {
            l.trim_start_matches('│')
                .trim_end_matches('│')
                .trim_end()
                .to_string()
        })
        .collect()
}

#[test]
fn the_detail_shows_the_link_under_the_cursor_at_every_size() {
    for (width, height) in SIZES {
        let mut app = app_with(example("03-hub-spoke-nva.ron"));
        press(&mut app, "2");
        let text = pane_text(&mut app, PaneId::Peerings, width, height);
        let shown = detail(&text);
        assert!(
            shown[0].starts_with("→ allow virtual network access: on"),
            "{width}×{height}\n{text}"
        );
        assert!(
            shown
                .iter()
                .any(|l| l.starts_with("→ hub-to-spoke1 Connected")),
            "{width}×{height}\n{text}"
        );
        // Five steps right: the cursor is on the reverse link's forwarded-traffic flag.
        press(&mut app, "l l l l l");
        let text = pane_text(&mut app, PaneId::Peerings, width, height);
        let shown = detail(&text);
        assert!(
            shown[0].starts_with("← allow forwarded traffic: on"),
            "{width}×{height}\n{text}"
        );
        let reverse = shown
            .iter()
            .position(|l| l.starts_with("← spoke1-to-hub Connected"))
            .unwrap_or_else(|| panic!("{width}×{height}: the cursor's link is hidden\n{text}"));
        // Its flags in words follow its name.
        assert!(
            shown[reverse + 1..]
                .iter()
                .any(|l| l.contains("allow virtual network access")),
            "{width}×{height}\n{text}"
        );
        // The pair stays in view.
        assert!(text.contains("hub ⇄ spoke1"), "{width}×{height}\n{text}");
    }
}

#[test]
fn with_room_the_detail_holds_both_links_and_the_legend() {
    for (width, height) in [(80, 24), (100, 30)] {
        let mut app = app_with(example("03-hub-spoke-nva.ron"));
        press(&mut app, "2");
        let text = pane_text(&mut app, PaneId::Peerings, width, height);
        let shown = detail(&text).join("\n");
        for wanted in ["→ hub-to-spoke1", "← spoke1-to-hub", "· off  ~ not in sync"] {
            assert!(shown.contains(wanted), "{width}×{height}: {wanted}\n{text}");
        }
    }
}

/// With 61 pairs the list keeps the header and at least three pairs (the cursor's among them)
/// and the detail still shows the cursor's link.
#[test]
fn a_long_list_keeps_the_cursor_row_and_the_detail_its_link() {
    let design = hub_spoke(&HubSpokeParams {
        hubs: 2,
        spokes: 60,
        subnets_per_spoke: 1,
        vms_per_subnet: 1,
    })
    .unwrap();
    for (width, height) in SIZES {
        let mut app = app_with(design.clone());
        press(&mut app, "2 j j j j j j j j j l l l l l");
        let text = pane_text(&mut app, PaneId::Peerings, width, height);
        let shown = detail(&text);
        assert!(shown[0].starts_with("← "), "{width}×{height}\n{text}");
        assert!(
            shown.iter().any(|l| l.starts_with("← spoke9-to-hub1")),
            "{width}×{height}\n{text}"
        );
        assert!(text.contains("hub1 ⇄ spoke9"), "{width}×{height}\n{text}");
        let pairs = text.lines().filter(|l| l.contains(" ⇄ ")).count();
        assert!(pairs >= 3, "{width}×{height}\n{text}");
    }
}

/// Without a selected pair the hint wraps whole (it was cut at the pane's width with `…`
/// once the first line was drawn on one line).
#[test]
fn the_hint_without_a_pair_wraps_whole() {
    for (width, height) in SIZES {
        let mut app = app_with(example("03-hub-spoke-nva.ron"));
        press(&mut app, "2 g");
        let text = pane_text(&mut app, PaneId::Peerings, width, height);
        let shown = detail(&text).join(" ");
        assert!(shown.contains("Select a pair:"), "{width}×{height}\n{text}");
        assert!(
            shown.contains("peers a hub with spokes."),
            "{width}×{height}\n{text}"
        );
    }
}

/// A detail that does not fit drops its legend rather than stop mid-sentence (on the start-up
/// design at 160×48 the legend's second line was cut off by the frame), and what it cannot
/// show is marked by a `…` in its last cell.
#[test]
fn the_legend_shows_whole_or_not_at_all() {
    for (width, height) in SIZES {
        let mut app = tui_support::startup_app();
        press(&mut app, "2");
        let text = pane_text(&mut app, PaneId::Peerings, width, height);
        let shown = detail(&text).join(" ");
        if shown.contains("· off") {
            assert!(shown.contains("? lists marks"), "{width}×{height}\n{text}");
        }
        // The other link shows, or the last row's `…` says more follows.
        let last = detail(&text).last().cloned().unwrap_or_default();
        assert!(
            shown.contains("← spoke1-to-hub") || last.ends_with('…'),
            "{width}×{height}\n{text}"
        );
    }
}
