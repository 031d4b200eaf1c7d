//! The TUI figures of `vnetlab bench`, measured on a headless [`App`] drawing into a 160×48
//! `TestBackend`: an edit of each kind until the next frame shows its result (after the
//! evaluation has landed, inline or from the background thread, exactly as the app decides),
//! and cursor moves in the VNets list and in the reachability matrix until the next frame.
//! Drawing into a test backend skips only the terminal's own output.

use crate::bench::{EditKind, TuiSamples, millis};
use crate::model::{Design, Flow};
use crate::session::Session;
use crate::tui::action::Action;
use crate::tui::{App, Config, MemoryFiles};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Instant;

/// The terminal size of the figures.
const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;
/// Cursor moves per pane: half down (or right), then back.
const CURSOR_MOVES: usize = 20;

/// Measures the TUI figures on `design`; `None` if the headless terminal cannot be made.
pub fn measure(design: &Design, flow: Flow, per_kind: usize) -> Option<TuiSamples> {
    let mut session = Session::new(design.clone());
    session.set_flow(flow);
    let files = Box::new(MemoryFiles::default());
    let mut app = App::new(session, Config::embedded(), files, None);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).ok()?;
    frame(&mut app, &mut terminal);
    // One unmeasured edit and its toggle back: the app times every evaluation and moves the
    // next ones to the background when one takes longer than a frame, as it would for a user.
    for sample in 0..2 {
        if let Some(edit) = EditKind::SpokePeeringFlag.edit(app.session().design(), sample) {
            app.apply_edit(edit);
            app.wait_idle();
        }
    }
    let mut samples = TuiSamples::default();
    for kind in EditKind::ALL {
        for sample in 0..per_kind {
            let Some(edit) = kind.edit(app.session().design(), sample) else {
                break;
            };
            let start = Instant::now();
            if !app.apply_edit(edit) {
                break;
            }
            app.wait_idle();
            frame(&mut app, &mut terminal);
            samples
                .edit_frame
                .get_mut(kind)
                .push(millis(start.elapsed()));
        }
    }
    for (pane, forth, back) in [
        (Action::FocusVnets, Action::Down, Action::Up),
        (Action::FocusReach, Action::Down, Action::Up),
        (Action::FocusReach, Action::Right, Action::Left),
    ] {
        app.update(pane);
        frame(&mut app, &mut terminal);
        for step in 0..CURSOR_MOVES {
            let action = if step < CURSOR_MOVES / 2 { forth } else { back };
            let start = Instant::now();
            app.update(action);
            frame(&mut app, &mut terminal);
            samples.cursor.push(millis(start.elapsed()));
        }
    }
    Some(samples)
}

/// Draws one frame (the test backend cannot fail).
fn frame(app: &mut App, terminal: &mut Terminal<TestBackend>) {
    app.draw(terminal).unwrap_or_else(|e| match e {});
}
