//! Helpers for the TUI tests: build an app headless over in-memory files, press keys written
//! as a string, and draw into a `TestBackend`.

#![allow(dead_code)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use vnetlab::model::Design;
use vnetlab::session::Session;
use vnetlab::tui::keymap::KeyChord;
use vnetlab::tui::{App, Config, MemoryFiles};

/// An app over `design` with the embedded config and no files.
/// The start-up design saved as `dir/A.ron` (its path), and the design that `keys` pressed in a
/// headless app make of it: what a recovery file written after those keys must hold.
pub fn saved_and_edited(dir: &std::path::Path, keys: &str) -> (std::path::PathBuf, Design) {
    let file = dir.join("A.ron");
    let original = vnetlab::io::examples::default_design();
    vnetlab::io::save_design(&file, &original).unwrap();
    let mut headless = app_with(original.clone());
    press(&mut headless, keys);
    let edited = headless.session().design().clone();
    assert_ne!(edited, original, "`{keys}` makes no edit");
    (file, edited)
}

pub fn app_with(design: Design) -> App {
    App::new(
        Session::new(design),
        Config::embedded(),
        Box::new(MemoryFiles::default()),
        None,
    )
}

/// An app over the embedded start-up design.
pub fn startup_app() -> App {
    app_with(vnetlab::io::examples::default_design())
}

/// Presses keys. Words separated by spaces: a key name (`enter`, `tab`, `ctrl-s`, `space`…) or
/// a single character; `"text"` in double quotes types each character.
///
/// After each key it waits for any background evaluation: the app moves design changes to the
/// background once one takes longer than a frame, which on a loaded machine can happen to the
/// small designs of these tests too, and a test must not depend on the machine's speed.
pub fn press(app: &mut App, keys: &str) {
    press_with(app, keys, true);
}

/// Presses keys like [`press`] without waiting for background evaluations, for tests of the
/// background evaluation itself.
pub fn press_without_waiting(app: &mut App, keys: &str) {
    press_with(app, keys, false);
}

fn press_with(app: &mut App, keys: &str, wait: bool) {
    let key = |app: &mut App, event: KeyEvent| {
        app.handle_key(event);
        if wait {
            app.wait_idle();
        }
    };
    let mut rest = keys.trim();
    while !rest.is_empty() {
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').expect("closing quote");
            for c in quoted[..end].chars() {
                key(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
            }
            rest = quoted[end + 1..].trim_start();
            continue;
        }
        let (word, tail) = rest.split_once(' ').unwrap_or((rest, ""));
        let chord: KeyChord = word.parse().unwrap_or_else(|e| panic!("{e}"));
        let mut modifiers = chord.modifiers;
        if let KeyCode::Char(c) = chord.code
            && c.is_ascii_uppercase()
        {
            modifiers |= KeyModifiers::SHIFT;
        }
        key(app, KeyEvent::new(chord.code, modifiers));
        rest = tail.trim_start();
    }
}

/// Draws the app at `width`×`height` (laying it out for that size first) and returns the
/// terminal.
pub fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    app.draw(&mut terminal).unwrap_or_else(|e| match e {});
    terminal
}

/// The screen as text, one line per row.
pub fn screen(app: &mut App, width: u16, height: u16) -> String {
    let terminal = draw(app, width, height);
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..height {
        for x in 0..width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

/// The verdict the app's current analysis gives the pair `from` → `to`.
pub fn verdict(app: &App, from: &str, to: &str) -> vnetlab::engine::Verdict {
    let analysis = app.session().analysis();
    let a = analysis.index_of(from).expect("a known source");
    let b = analysis.index_of(to).expect("a known destination");
    analysis.verdict(a, b)
}

/// The value of a field of the open form.
pub fn form_value(app: &App, key: vnetlab::tui::forms::FieldKey) -> String {
    match app.overlay() {
        Some(vnetlab::tui::Overlay::Form(_, form)) => form.value(key).to_string(),
        other => panic!("no form is open: {other:?}"),
    }
}

/// The text of one pane after drawing at `width`×`height`, lines trimmed at the right.
pub fn pane_text(
    app: &mut App,
    pane: vnetlab::tui::panes::PaneId,
    width: u16,
    height: u16,
) -> String {
    let terminal = draw(app, width, height);
    let rect = app.screen().areas.rect_of(pane).expect("the pane is shown");
    area_text(terminal.backend().buffer(), rect)
}

/// The text of `rect` in a drawn buffer, lines trimmed at the right.
pub fn area_text(buffer: &ratatui::buffer::Buffer, rect: ratatui::layout::Rect) -> String {
    let mut lines = Vec::new();
    for y in rect.y..rect.y + rect.height {
        let mut line = String::new();
        for x in rect.x..rect.x + rect.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        lines.push(line.trim_end().to_string());
    }
    lines.join("\n") + "\n"
}

/// The one recovery file under the data directory `data` and what it holds (fails the test when
/// there is none or more than one).
pub fn only_recovery_file(
    data: &std::path::Path,
) -> (std::path::PathBuf, vnetlab::io::recovery::Recovered) {
    let found: Vec<_> = std::fs::read_dir(data.join("recovery"))
        .expect("a recovery folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    let text = std::fs::read_to_string(&found[0]).expect("a readable recovery file");
    let kept = vnetlab::io::recovery::decode("r", &text).expect("a recovery file vnetlab can read");
    (found[0].clone(), kept)
}
