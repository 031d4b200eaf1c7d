//! TUI key fuzzing (issue 15, item 7): random key sequences (letters, digits, Enter, Esc, Tab,
//! arrows, Delete, undo/redo, save/open/new, form typing) sent to the headless app over random
//! valid designs and the bundled saves, at several terminal sizes down to 20×5, drawing after
//! every key. After every key the app has not panicked and the session's design still
//! validates.
//!
//! Seeded and bounded: `cargo test` runs a few dozen sequences (a few seconds); a long run is
//! `PROPTEST_CASES=20000 cargo test --test tui_fuzz` (see the README, "TUI key fuzzing"). Every
//! crash it finds becomes a case in `regressions` below.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod strategies;
mod tui_support;

use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use vnetlab::model::Design;
use vnetlab::session::Session;
use vnetlab::tui::{App, Config, MemoryFiles};

/// Terminal sizes: tiny, small, usual, large.
const SIZES: [(u16, u16); 5] = [(20, 5), (33, 9), (60, 18), (100, 30), (160, 48)];

/// The bundled saves, as designs.
fn saves() -> Vec<Design> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("saves");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| vnetlab::io::load_design(p).unwrap())
        .collect()
}

/// One key press, weighted towards what moves through the UI and edits.
fn key() -> impl Strategy<Value = KeyEvent> {
    let plain = |code| KeyEvent::new(code, KeyModifiers::NONE);
    let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    prop_oneof![
        // Letters and digits: pane keys, form typing, list picks.
        8 => proptest::char::range('a', 'z').prop_map(move |c| plain(KeyCode::Char(c))),
        2 => proptest::char::range('A', 'Z')
            .prop_map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT)),
        3 => proptest::char::range('0', '9').prop_map(move |c| plain(KeyCode::Char(c))),
        // What forms, filters and the palette type: addresses, names, commands.
        2 => proptest::sample::select(vec!['.', '/', '-', ':', '?', ' ', '*', '_'])
            .prop_map(move |c| plain(KeyCode::Char(c))),
        3 => Just(plain(KeyCode::Enter)),
        3 => Just(plain(KeyCode::Esc)),
        2 => Just(plain(KeyCode::Tab)),
        1 => Just(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
        4 => proptest::sample::select(vec![
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::PageUp,
            KeyCode::PageDown,
        ])
        .prop_map(plain),
        2 => proptest::sample::select(vec![KeyCode::Delete, KeyCode::Backspace]).prop_map(plain),
        // Undo, redo, save, save as, open, new, quit.
        2 => proptest::sample::select(vec!['z', 'y', 'r', 's', 'w', 'o', 'n', 'c']).prop_map(ctrl),
    ]
}

/// A design to start from: a random valid one or a bundled save.
fn design() -> impl Strategy<Value = strategies::Generated> {
    let saves: Vec<strategies::Generated> =
        saves().into_iter().map(strategies::Generated).collect();
    prop_oneof![
        2 => strategies::valid_design(),
        1 => proptest::sample::select(saves),
    ]
}

/// Sends `keys` to an app over `design` at `size`, drawing after each; fails the property when
/// the app panics or the design stops validating. Answers whether the keys changed the design.
fn drive(design: &Design, size: (u16, u16), keys: &[KeyEvent]) -> Result<bool, TestCaseError> {
    let mut app = App::new(
        Session::new(design.clone()),
        Config::embedded(),
        Box::new(MemoryFiles::default()),
        None,
    );
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    app.draw(&mut terminal).unwrap_or_else(|e| match e {});
    for (i, &key) in keys.iter().enumerate() {
        if app.should_quit() {
            break;
        }
        app.handle_key(key);
        app.wait_idle();
        app.draw(&mut terminal).unwrap_or_else(|e| match e {});
        let errors = app.session().design().validate();
        prop_assert!(
            errors.is_empty(),
            "after key {i} ({key:?}) the design no longer validates: {}",
            errors[0]
        );
    }
    Ok(app.session().design() != design)
}

#[test]
fn random_keys_over_random_designs_never_panic_and_keep_the_design_valid() {
    let mut runner = TestRunner::new_with_rng(
        strategies::config(24),
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    );
    let case = (
        design(),
        proptest::sample::select(SIZES.to_vec()),
        proptest::collection::vec(key(), 1..80),
    );
    let cases = std::cell::Cell::new(0_u32);
    let edited = std::cell::Cell::new(0_u32);
    runner
        .run(&case, |(design, size, keys)| {
            let changed = drive(&design, size, &keys)?;
            cases.set(cases.get() + 1);
            edited.set(edited.get() + u32::from(changed));
            Ok(())
        })
        .unwrap();
    // Not vacuous: a fair share of the sequences really edit the design.
    assert!(
        edited.get() * 5 >= cases.get(),
        "only {} of {} key sequences changed the design",
        edited.get(),
        cases.get()
    );
}

/// Crashes the fuzzer found, kept as fixed cases.
mod regressions {}
