//! The terminal UI (DESIGN.md §5): the only module that uses ratatui and crossterm.
//!
//! One data flow: a terminal event → [`keymap`] → [`action::Action`] → `App::update` → either UI
//! state or an edit through the session → the app settles (live results, layout) → draw, which
//! only reads. [`App`] holds the UI state and is drivable headless (tests feed keys and draw into
//! a `TestBackend`); [`run`] is the thin loop around it that owns the real terminal and restores
//! it on exit, on error and on panic.

pub mod action;
mod add_menu;
mod app;
pub mod commands;
pub mod config;
pub mod files;
pub mod forms;
pub mod keymap;
pub mod layout;
mod lifecycle;
pub mod live;
pub mod matrix;
mod mouse;
mod overlay;
pub mod panes;
mod render;
mod selection;
pub mod theme;
pub mod topology;
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
use std::time::{Duration, Instant};

/// Opens the UI on `file` (or the embedded start-up design) and runs until the user quits.
/// A file that cannot be opened is reported before the terminal is touched.
pub fn run(file: Option<PathBuf>) -> color_eyre::Result<()> {
    let files = DiskFiles::new(AppDirs::resolve());
    let (design, import) = match &file {
        Some(path) => {
            let loaded = files.load(path).map_err(|e| color_eyre::eyre::eyre!(e))?;
            (loaded.design, loaded.import)
        }
        None => (crate::io::examples::default_design(), None),
    };
    let config = Config::load(&files);
    let started = Instant::now();
    let session = Session::new(design);
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
    app.set_background(slow);
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
        // Release the mouse before ratatui's own hook restores the screen.
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        previous(info);
    }));
    let result = event_loop(&mut terminal, &mut app);
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    let restored = ratatui::try_restore();
    result?;
    restored.map_err(|e| color_eyre::eyre::eyre!("could not restore the terminal: {e}"))
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App) -> color_eyre::Result<()> {
    loop {
        // Lays the frame out for the terminal's current size (a resize regroups the matrix),
        // then draws it.
        app.draw(terminal)?;
        if app.should_quit() {
            return Ok(());
        }
        // While an evaluation is pending, wake every few milliseconds to install its result
        // (`tick` collects it without blocking); otherwise only for input and the autosave.
        let wait = if app.evaluating() { 4 } else { 250 };
        if event::poll(Duration::from_millis(wait))? {
            let event = event::read()?;
            if let Some(key) = event.as_key_press_event() {
                app.handle_key(key);
            } else if let Event::Mouse(mouse) = event {
                app.handle_mouse(mouse);
            }
        }
        app.tick(Instant::now());
    }
}
