//! Predict, then reveal, by keys: "reachable or blocked?", then "which hop blocks it?" from the
//! hops of the pair's own trace, then the reveal (verdict, path, right or wrong, the concept).
//! Answered right and wrong on a blocked pair and on a reachable pair of lesson 11 (NSGs
//! between peered VNets: vm-web → vm-db on tcp/1433 is denied by nsg-db; vm-db → vm-web gets
//! through), at 100×30.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)]

mod tui_support;

use tui_support::{draw, press, screen};
use vnetlab::engine::ReasonCode;
use vnetlab::model::Design;
use vnetlab::session::Session;
use vnetlab::tui::{App, Config, MemoryFiles, Overlay};

fn lesson_app() -> App {
    let mut app = App::new(
        Session::new(Design::empty("before")),
        Config::embedded(),
        Box::new(MemoryFiles::default()),
        None,
    );
    app.open_lesson("nsg-between-peers").unwrap();
    app
}

/// The labels of the open choice list.
fn options(app: &App) -> Vec<String> {
    match app.overlay() {
        Some(Overlay::Choose(choose)) => choose.options.iter().map(|o| o.0.clone()).collect(),
        other => panic!("no choice list is open: {other:?}"),
    }
}

/// The place of the pair's first blocker, as the engine's trace names it.
fn blocking_hop(app: &App, from: &str, to: &str) -> String {
    let trace =
        vnetlab::engine::trace(app.session().design(), from, to, app.session().flow()).unwrap();
    assert_eq!(trace.blockers[0].code, ReasonCode::NsgDeny);
    trace.blockers[0].at.clone()
}

/// Predicts on vm-web → vm-db (blocked): R on, the pair, R asks, "blocked" asks the hop.
fn ask_blocked_pair(app: &mut App) -> Vec<String> {
    press(app, "R 6 g l R");
    let first = options(app);
    assert_eq!(first.len(), 2, "{first:?}");
    assert!(first[1].ends_with("then: which hop?"), "{first:?}");
    press(app, "j enter");
    options(app)
}

#[test]
fn the_hops_offered_are_the_traces_and_include_the_one_it_names() {
    let mut app = lesson_app();
    let hops = ask_blocked_pair(&mut app);
    let blocking = blocking_hop(&app, "vm-web", "vm-db");
    assert_eq!(blocking, "nsg-db");
    assert_eq!(
        hops.iter()
            .filter(|h| h.starts_with(&format!("{blocking} ")))
            .count(),
        1,
        "{hops:?}"
    );
    // The other places the request and the reply pass are the distractors.
    assert!(hops.iter().any(|h| h.starts_with("peering `web-to-db`")));
    assert!(hops.iter().any(|h| h.starts_with("vnet-web/web")));
    assert!(!hops.iter().any(|h| h.starts_with("vm-db")), "{hops:?}");
    insta::assert_snapshot!(
        "predict_which_hop_100x30",
        draw(&mut app, 100, 30).backend()
    );
}

#[test]
fn a_blocked_pair_answered_with_the_right_hop() {
    let mut app = lesson_app();
    let hops = ask_blocked_pair(&mut app);
    let blocking = blocking_hop(&app, "vm-web", "vm-db");
    let at = hops
        .iter()
        .position(|h| h.starts_with(&format!("{blocking} ")))
        .unwrap();
    press(&mut app, &(at + 1).to_string());
    let status = app.status().unwrap().text.clone();
    assert_eq!(
        status,
        "✓ right: vm-web → vm-db is blocked at nsg-db · concept: NSG_DENY"
    );
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("You predicted: blocked, at nsg-db (NSG, inbound)"));
    assert!(shown.contains("✓ Right."), "{shown}");
    assert!(
        shown.contains("Request: vnet-web/web › peering `web-to-db` › nsg-db › vm-db"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!(
            "Concept: NSG_DENY: {}",
            ReasonCode::NsgDeny.description()
        )),
        "{shown}"
    );
    insta::assert_snapshot!(
        "predict_blocked_right_100x30",
        draw(&mut app, 100, 30).backend()
    );
    // Closed, the pair is revealed and the score counts it.
    press(&mut app, "esc");
    let after = screen(&mut app, 100, 30);
    assert!(after.contains("1 of 1 right"), "{after}");
    assert!(
        after.contains("vm-web → vm-db tcp/1433 ✗ blocked"),
        "{after}"
    );
}

#[test]
fn a_blocked_pair_answered_with_another_hop_or_as_reachable() {
    let mut app = lesson_app();
    let hops = ask_blocked_pair(&mut app);
    let wrong = hops.iter().position(|h| !h.starts_with("nsg-db ")).unwrap();
    press(&mut app, &(wrong + 1).to_string());
    let status = app.status().unwrap().text.clone();
    assert!(status.starts_with("✗ not quite: vm-web → vm-db is blocked at nsg-db"));
    let shown = screen(&mut app, 100, 30);
    assert!(
        shown.contains("✗ Blocked, yes, but not there: the blocking hop is nsg-db (NSG, inbound)."),
        "{shown}"
    );
    insta::assert_snapshot!(
        "predict_blocked_wrong_hop_100x30",
        draw(&mut app, 100, 30).backend()
    );
    // "Reachable" on the same kind of pair: the verdict itself is wrong.
    let mut app = lesson_app();
    press(&mut app, "R 6 g l R enter");
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("You predicted: reachable"), "{shown}");
    assert!(shown.contains("✗ Not quite: it is blocked."), "{shown}");
    press(&mut app, "esc");
    assert!(screen(&mut app, 100, 30).contains("0 of 1 right"));
}

#[test]
fn a_reachable_pair_answered_right_and_wrong() {
    // vm-db → vm-web: the second row, first column.
    let mut app = lesson_app();
    press(&mut app, "R 6 g j R enter");
    assert_eq!(
        app.status().unwrap().text,
        "✓ right: vm-db → vm-web is reachable · concept: nsg-across-peering"
    );
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Verdict: reachable"), "{shown}");
    assert!(shown.contains("Reply: "), "{shown}");
    assert!(
        shown.contains("teaches: NSGs between peered VNets"),
        "{shown}"
    );
    insta::assert_snapshot!(
        "predict_reachable_right_100x30",
        draw(&mut app, 100, 30).backend()
    );
    // Blocked, at any hop, is wrong.
    let mut app = lesson_app();
    press(&mut app, "R 6 g j R j enter 1");
    assert!(
        app.status()
            .unwrap()
            .text
            .starts_with("✗ not quite: vm-db → vm-web is reachable"),
        "{:?}",
        app.status()
    );
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("✗ Not quite: it is reachable."), "{shown}");
    insta::assert_snapshot!(
        "predict_reachable_wrong_100x30",
        draw(&mut app, 100, 30).backend()
    );
}
