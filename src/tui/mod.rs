//! The terminal UI (DESIGN.md §5): the only module that uses ratatui and crossterm.
//!
//! One data flow: a terminal event → [`keymap`] → [`action::Action`] → `App::update` → either UI
//! state or an edit through the session → the app settles (live results, layout) → draw, which
//! only reads. [`App`] holds the UI state and is drivable headless (tests feed keys and draw into
//! a `TestBackend`); [`run`] is the thin loop around it that owns the real terminal and restores
//! it on exit, on error, on panic and on SIGTERM, SIGHUP or SIGINT, writing the recovery file
//! first when the design has unsaved edits.

pub mod action;
mod add_menu;
mod app;
pub mod commands;
pub mod config;
pub mod files;
pub mod find;
pub mod forms;
pub mod goto;
pub mod keymap;
pub mod layout;
pub mod lesson;
mod lifecycle;
pub mod live;
pub mod matrix;
pub mod matrix_view;
mod memory_files;
mod mouse;
mod objects_delete;
mod overlay;
pub mod pane_id;
pub mod panes;
mod permit;
mod render;
mod selection;
mod sync;
pub mod theme;
pub mod topology;
mod topology_actions;
mod update;
pub mod widgets;
mod worker;

pub use app::{AUTOSAVE_DELAY, App, Status};
pub use config::Config;
pub use files::{DiskFiles, Files, Loaded, MemoryFiles, MemoryState};
pub use overlay::{Overlay, Pending, Source};

use crate::io::AppDirs;
use crate::session::Session;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How the UI ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The user quit.
    Quit,
    /// This signal asked it to stop (the recovery file was written and the terminal restored);
    /// the conventional exit status is 128 plus its number.
    Signal(i32),
}

/// The signals that stop the UI cleanly.
#[cfg(unix)]
const STOP_SIGNALS: [i32; 3] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
];
#[cfg(not(unix))]
const STOP_SIGNALS: [i32; 0] = [];

/// The name of a stop signal, for the closing message.
fn signal_name(signal: i32) -> String {
    #[cfg(unix)]
    match signal {
        signal_hook::consts::SIGTERM => return "SIGTERM".to_string(),
        signal_hook::consts::SIGHUP => return "SIGHUP".to_string(),
        signal_hook::consts::SIGINT => return "SIGINT".to_string(),
        _ => {}
    }
    format!("signal {signal}")
}

/// Opens the UI on `file` (or the embedded start-up design), or in the lesson `lesson`, and
/// runs until the user quits or a stop signal arrives. A file that cannot be opened or a lesson
/// that does not exist is reported before the terminal is touched. With `NO_COLOR` set the
/// colourless theme is used ([`theme::no_color_requested`]).
pub fn run(file: Option<PathBuf>, lesson: Option<&str>) -> color_eyre::Result<Ended> {
    let files = DiskFiles::new(AppDirs::resolve());
    // `vnetlab NEW.ron` for a file that does not exist yet starts a new design saved there.
    let new_file = file
        .as_deref()
        .filter(|path| files::starts_new_design(path));
    let (design, import) = match &file {
        Some(_) if new_file.is_some() => (crate::model::Design::empty("untitled"), None),
        Some(path) => {
            let loaded = files.load(path).map_err(|e| color_eyre::eyre::eyre!(e))?;
            (loaded.design, loaded.import)
        }
        None => (crate::io::examples::default_design(), None),
    };
    let new_note = new_file.map(files::new_design_note);
    let mut config = Config::load(&files);
    if theme::no_color_requested() {
        config.theme = theme::Theme::no_color();
    }
    let started = Instant::now();
    // The first evaluation runs on a thread that then ends. glibc's allocator gives each thread
    // an arena and hands an ended thread's arena to the next thread started, which for a big
    // design is the evaluation thread (`worker`): the evaluations that follow reuse this one's
    // memory once it is freed, instead of leaving it free in the UI thread's arena. Measured
    // at 2 hubs × 1,000 spokes after hub and spoke edits: a peak (`VmHWM`) of 95,576–97,160 kB
    // instead of 100,596–104,076 kB. Other allocators lose nothing but a thread start.
    let session = std::thread::spawn(move || Session::new(design))
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    // A design whose first evaluation takes longer than a frame is evaluated in the background
    // from the first change on (see `worker` for when it switches back).
    let slow = started.elapsed() > worker::FRAME;
    let mut app = match import {
        // An Azure export opens as new, unsaved work (never saved back over the export).
        Some(report) => {
            let mut session = session;
            session.mark_unsaved();
            let mut app = App::new(session, config, Box::new(files), None);
            app.adopt_import(&report);
            app
        }
        None => App::new(session, config, Box::new(files), file),
    };
    if let Some(note) = new_note {
        app.say_new(note);
    }
    app.set_background(slow);
    if let Some(id) = lesson {
        app.open_lesson(id)
            .map_err(|e| color_eyre::eyre::eyre!(e))?;
    }
    // A stop signal only sets this flag (the handler does nothing else); the loop sees it within
    // one poll and ends cleanly.
    let stop = Arc::new(AtomicUsize::new(0));
    for signal in STOP_SIGNALS {
        #[allow(clippy::cast_sign_loss)] // signal numbers are small and positive
        signal_hook::flag::register_usize(signal, Arc::clone(&stop), signal as usize).map_err(
            |e| color_eyre::eyre::eyre!("cannot watch for {}: {e}", signal_name(signal)),
        )?;
    }
    // `try_init` rather than `run`: without a usable terminal this is an error, not a panic.
    // Like `init`, it installs the panic hook that restores the terminal.
    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(e) => {
            let _ = ratatui::try_restore();
            return Err(color_eyre::eyre::eyre!(
                "cannot open the terminal UI ({e}); run vnetlab in a terminal, or use a subcommand such as `vnetlab check FILE`"
            ));
        }
    };
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Release the mouse before ratatui's own hook restores the screen; the loop's caller
        // then writes the recovery file and says where it is.
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        previous(info);
    }));
    let panic_key = injected_panic_key();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        event_loop(&mut terminal, &mut app, &stop, panic_key)
    }));
    // Unsaved work is on disk before anything else happens (a signal or a panic).
    let kept = match &result {
        Ok(Ok(Ended::Quit)) => Ok(None),
        _ => app.write_recovery_now(),
    };
    // After a panic the hooks have restored the terminal already, and the panic report is on
    // the normal screen: leaving the alternate screen a second time would move the cursor back
    // to where the UI started (xterm restores the cursor it saved) and write over the report.
    let restored = if result.is_err() {
        Ok(())
    } else {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        ratatui::try_restore()
    };
    let where_kept = match &kept {
        Ok(Some(path)) => format!("unsaved work is in {}", path.display()),
        Ok(None) => "there were no unsaved edits".to_string(),
        Err(e) => format!("unsaved work could not be kept: {e}"),
    };
    match result {
        Ok(Ok(Ended::Signal(signal))) => {
            eprintln!("vnetlab: stopped by {}; {where_kept}", signal_name(signal));
            Ok(Ended::Signal(signal))
        }
        Ok(outcome) => {
            let ended = outcome?;
            restored.map_err(|e| color_eyre::eyre::eyre!("could not restore the terminal: {e}"))?;
            Ok(ended)
        }
        // The panic hook restored the terminal and printed the panic; say where the work is.
        Err(_) => Err(color_eyre::eyre::eyre!(
            "stopped by an internal error (a bug, please report it); {where_kept}"
        )),
    }
}

/// The environment variable naming a key that makes the UI panic on purpose (for example
/// `VNETLAB_PANIC_KEY=f12`), so that tests of the real binary can prove that a panic anywhere
/// restores the terminal and keeps the unsaved work. Unset, no key panics.
pub const PANIC_KEY_VARIABLE: &str = "VNETLAB_PANIC_KEY";

/// The key named by [`PANIC_KEY_VARIABLE`], if it is set to a key the keymap can read.
fn injected_panic_key() -> Option<keymap::KeyChord> {
    std::env::var(PANIC_KEY_VARIABLE).ok()?.parse().ok()
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    stop: &AtomicUsize,
    panic_key: Option<keymap::KeyChord>,
) -> color_eyre::Result<Ended> {
    loop {
        let signal = stop.load(Ordering::Relaxed);
        if signal != 0 {
            return Ok(Ended::Signal(i32::try_from(signal).unwrap_or(i32::MAX)));
        }
        // Lays the frame out for the terminal's current size (a resize regroups the matrix),
        // then draws it.
        app.draw(terminal)?;
        if app.should_quit() {
            return Ok(Ended::Quit);
        }
        // While an evaluation is pending, wake every few milliseconds to install its result
        // (`tick` collects it without blocking); otherwise only for input, the autosave and
        // stop signals.
        let wait = if app.evaluating() { 4 } else { 100 };
        let ready = match event::poll(Duration::from_millis(wait)) {
            Ok(ready) => ready,
            // A signal interrupted the wait: the loop's next turn reads the flag.
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => false,
            Err(e) => return Err(e.into()),
        };
        if ready {
            let event = event::read()?;
            if let Some(key) = event.as_key_press_event() {
                if panic_key == Some(keymap::KeyChord::from_event(key)) {
                    // On purpose: the test hook documented at `PANIC_KEY_VARIABLE`.
                    panic!("a panic asked for by {PANIC_KEY_VARIABLE}");
                }
                app.handle_key(key);
            } else if let Event::Mouse(mouse) = event {
                app.handle_mouse(mouse);
            }
        }
        app.tick(Instant::now());
    }
}
