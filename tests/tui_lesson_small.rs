//! The lesson at 80×24, outside the presenter mode: the panes need all 24 rows, so the key-hint
//! line becomes a strip with the lesson's progress and keys, and `C` shows the card full height
//! (page text, the goal checklist with every goal's message, progress), `]` reading on.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)]

mod tui_support;

use tui_support::{draw, press, screen};
use vnetlab::lesson::bundled;
use vnetlab::model::Design;
use vnetlab::session::Session;
use vnetlab::tui::{App, Config, MemoryFiles};

fn lesson_app(id: &str) -> App {
    let mut app = App::new(
        Session::new(Design::empty("before")),
        Config::embedded(),
        Box::new(MemoryFiles::default()),
        None,
    );
    app.open_lesson(id).unwrap();
    app
}

fn last_row(text: &str) -> &str {
    text.lines().last().unwrap()
}

#[test]
fn at_80x24_the_strip_shows_progress_and_the_card_key() {
    let mut app = lesson_app("one-sided-peering");
    let text = screen(&mut app, 80, 24);
    // The panes keep their layout; the last row is the lesson's.
    assert!(text.contains("┌ VNets"), "{text}");
    let strip = last_row(&text);
    // The title gets what the progress and the keys leave.
    assert!(
        strip.starts_with(" 0 of 3 goals · page 1 of 3 · A peering"),
        "{strip}"
    );
    assert!(
        strip.ends_with("│ C card ] page I hint L lessons ? help"),
        "{strip}"
    );
    insta::assert_snapshot!("strip_80x24", draw(&mut app, 80, 24).backend());
    // Predicting hides the progress there too.
    press(&mut app, "R");
    let strip = screen(&mut app, 80, 24);
    assert!(
        last_row(&strip).starts_with(" goals hidden · page 1 of 3 · A peering"),
        "{strip}"
    );
    assert!(last_row(&strip).ends_with("L lessons ? help"), "{strip}");
}

#[test]
fn c_shows_the_card_full_height_with_page_goals_and_progress_at_80x24() {
    let mut app = lesson_app("one-sided-peering");
    let lesson = bundled::lesson("one-sided-peering").unwrap();
    press(&mut app, "C");
    let text = screen(&mut app, 80, 24);
    let first_words: String = lesson.pages[0]
        .split(' ')
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains(&first_words), "{text}");
    assert!(text.contains("Goals: 0 of 3 goals"), "{text}");
    for goal in &lesson.goals {
        assert!(text.contains(&format!("✗ {}", goal.title)), "{text}");
    }
    // Every key on the card's last line, in fewer words, including the way back.
    assert!(
        text.contains(" [ back  ] on  I hint 3  L lessons  P present  C card back"),
        "{text}"
    );
    insta::assert_snapshot!("card_full_80x24", draw(&mut app, 80, 24).backend());
    // `]` turns the page (or reads on) in the full card.
    press(&mut app, "]");
    let next = screen(&mut app, 80, 24);
    assert!(
        next.contains("page 2 of 3") || next.contains("[ … "),
        "{next}"
    );
    // Back to the panes, an edit, and the card again: the goals were regraded.
    press(&mut app, "C 2 r C");
    let solved = screen(&mut app, 80, 24);
    assert!(solved.contains("★ lesson complete"), "{solved}");
    assert!(solved.contains("3 of 3 goals"), "{solved}");
    insta::assert_snapshot!("card_complete_80x24", draw(&mut app, 80, 24).backend());
    press(&mut app, "C");
    let strip = screen(&mut app, 80, 24);
    assert!(last_row(&strip).contains("★ 3 of 3 goals"), "{strip}");
}

#[test]
fn c_without_a_lesson_is_refused_and_a_larger_card_goes_full_height_too() {
    let mut app = tui_support::startup_app();
    press(&mut app, "C");
    let status = app.status().unwrap();
    assert!(status.error, "{status:?}");
    assert_eq!(status.text, "no lesson is open: L opens one");
    // At 100×30 the card is a band; C gives it the screen above the status line.
    let mut app = lesson_app("non-transitive");
    let band = screen(&mut app, 100, 30);
    assert!(band.contains("┌ Reachability"), "{band}");
    press(&mut app, "C");
    let full = screen(&mut app, 100, 30);
    assert!(!full.contains("┌ Reachability"), "{full}");
    assert!(full.contains("C card back"), "{full}");
}
