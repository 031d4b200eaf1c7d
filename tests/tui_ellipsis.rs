//! Audit row 9 (issue 16 item 6, `shared/review/ux-audit.md`): text the TUI cuts ends with
//! `…`. These tests look at the places the last review still found cut hard: the matrix row
//! labels, lines set straight into the buffer (dialogs, the typed path), and the empty text of
//! a list. Each fails on the hard cut it replaces.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use tui_support::{pane_text, press, screen, startup_app};
use vnetlab::tui::App;
use vnetlab::tui::panes::PaneId;

/// The sizes the audit tried.
const SIZES: [(u16, u16); 4] = [(80, 24), (100, 30), (140, 36), (160, 48)];

/// The matrix rows of the Reachability pane: (row number, label as drawn).
fn matrix_labels(text: &str) -> Vec<(usize, String)> {
    let mut labels = Vec::new();
    for line in text.lines() {
        // A row starts with its number right-aligned in three cells, then a space.
        let inner: Vec<char> = line.trim_start_matches('│').chars().collect();
        if inner.len() < 5 || inner[3] != ' ' {
            continue;
        }
        let number: String = inner[..3].iter().collect();
        let Ok(number) = number.trim().parse::<usize>() else {
            continue;
        };
        let rest: String = inner[4..].iter().collect();
        // The label ends where the cells start: a space, then a mark.
        let end = ["✓", "✗", "◐", "·"]
            .iter()
            .filter_map(|mark| rest.find(&format!(" {mark}")))
            .min()
            .unwrap_or(rest.len());
        let label = rest[..end].trim().to_string();
        labels.push((number, label));
    }
    labels
}

/// Every drawn matrix label is a whole endpoint name (or group) or a prefix of one ending
/// in `…`; a group's label ends with its count `(n)` or `…`. The audit saw
/// `8 vpngw-hub-p2s-clie` and `▸ site onprem-hq (`, cut with nothing to say so.
fn assert_labels_whole_or_marked(app: &mut App, width: u16, height: u16) -> usize {
    let names: Vec<String> = app
        .session()
        .analysis()
        .endpoints()
        .iter()
        .map(|e| e.name.clone())
        .collect();
    let text = pane_text(app, PaneId::Reach, width, height);
    let labels = matrix_labels(&text);
    assert!(
        !labels.is_empty(),
        "{width}×{height}: no matrix rows\n{text}"
    );
    let mut cut = 0;
    for (number, label) in labels {
        if let Some(kept) = label.strip_suffix('…') {
            cut += 1;
            assert!(
                names.iter().any(|n| n.starts_with(kept)) || label.starts_with('▸'),
                "{width}×{height}: row {number} `{label}` is no endpoint's name\n{text}"
            );
        } else {
            assert!(
                names.contains(&label) || (label.starts_with('▸') && label.ends_with(')')),
                "{width}×{height}: row {number} `{label}` is cut without `…`\n{text}"
            );
        }
    }
    cut
}

#[test]
fn matrix_row_labels_are_whole_or_end_with_an_ellipsis() {
    for (width, height) in SIZES {
        let mut app = startup_app();
        press(&mut app, "6");
        let cut = assert_labels_whole_or_marked(&mut app, width, height);
        assert!(
            cut > 0,
            "the P2S client's long name is cut at {width}×{height}"
        );
        let text = pane_text(&mut app, PaneId::Reach, width, height);
        assert!(text.contains("vpngw-hub-p2s-cli…"), "{text}");
    }
}

/// A typed path longer than the prompt shows its end, after a `…` that says the start is cut
/// (it was cut with nothing to say so).
#[test]
fn a_long_typed_path_is_cut_at_its_start_with_an_ellipsis() {
    let mut app = startup_app();
    press(&mut app, "ctrl-o 8");
    let long = "designs/".repeat(12) + "workshop-final.ron";
    press(&mut app, &format!("ctrl-u \"{long}\""));
    let text = screen(&mut app, 80, 24);
    let line = text
        .lines()
        .find(|l| l.contains("> "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("> …"), "{line}");
    assert!(line.contains("workshop-final.ron▏"), "{line}");
}

/// The one way lines are set straight into the buffer (the matrix header, dialogs, the tab
/// bar, the typed path) cuts them with `…`; `Buffer::set_line` alone stops mid-word.
#[test]
fn lines_set_into_the_buffer_end_with_an_ellipsis_when_cut() {
    let mut line = ratatui::text::Line::from("a-very-long-name-indeed");
    line.spans.push(ratatui::text::Span::raw(" and more"));
    let mut buffer = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 12, 1));
    vnetlab::tui::widgets::text::put_line(&mut buffer, 0, 0, &line, 12);
    let drawn: String = (0..12)
        .map(|x| buffer[(x, 0)].symbol().to_string())
        .collect();
    assert_eq!(drawn, "a-very-long…");
}

/// A wrapped explanation cut by the bottom of its pane ends with `…` (the Diagnostics detail
/// at 160×48 stopped at `expected vm-app3 → hq-web reachable on`).
#[test]
fn a_wrapped_detail_cut_at_the_bottom_ends_with_an_ellipsis() {
    let mut app = startup_app();
    let text = pane_text(&mut app, PaneId::Diagnostics, 160, 48);
    let lines: Vec<&str> = text.lines().collect();
    let last = lines[lines.len() - 2].trim_end_matches('│');
    assert!(last.ends_with('…'), "{text}");
}
