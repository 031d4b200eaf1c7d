//! Helpers for tests of the real binary in a pseudo-terminal: starting it with its own config
//! and data directories ([`Running::start`]), the screen the output draws ([`visible`]),
//! waiting for text to appear, finding an escape sequence in the raw output, and reading the
//! terminal's own mode (raw or cooked) from the pseudo-terminal.

#![allow(dead_code)]

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The real binary running in a 140×40 pseudo-terminal, its output collected by a thread.
pub struct Running {
    pub child: Box<dyn Child + Send + Sync>,
    pub screen: Screen,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
}

impl Running {
    /// Starts `vnetlab ARGS` with config and data directories under `dirs` and `env` set.
    pub fn start(dirs: &Path, args: &[&Path], env: &[(&str, &str)]) -> Running {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_vnetlab"));
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env("VNETLAB_CONFIG", dirs.join("config"));
        command.env("VNETLAB_DATA", dirs.join("data"));
        for (name, value) in env {
            command.env(name, value);
        }
        let child = pair.slave.spawn_command(command).expect("start vnetlab");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&output);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .extend_from_slice(&buffer[..n]);
            }
        });
        Running {
            child,
            screen: Screen { output },
            writer,
            master: pair.master,
        }
    }

    /// Types `keys` (bytes as a terminal sends them).
    pub fn send(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    /// Waits up to `patience` for the process to end.
    pub fn wait_exit(&mut self, patience: Duration) -> ExitStatus {
        let deadline = Instant::now() + patience;
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                return status;
            }
            assert!(Instant::now() < deadline, "vnetlab did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether the terminal is in raw mode now (no line editing, no echo), read from the
    /// pseudo-terminal's settings, which the program and the terminal share.
    pub fn raw_mode(&self) -> bool {
        use nix::sys::termios::LocalFlags;
        let settings = self
            .master
            .get_termios()
            .expect("cannot read the terminal settings");
        !settings
            .local_flags
            .intersects(LocalFlags::ICANON | LocalFlags::ECHO)
    }
}

/// The pseudo-terminal's size.
const ROWS: u16 = 40;
const COLS: u16 = 140;

/// What a terminal of the pseudo-terminal's size shows after `bytes`, with the lines that
/// scrolled off its top before it (the `vt100` crate emulates the terminal: cursor moves, the
/// alternate screen and its leaving, wrapping, scrolling), so text drawn in pieces or split by
/// style changes reads whole, and what was on the alternate screen is gone once the program
/// leaves it, as on a real terminal.
pub fn visible(bytes: &[u8]) -> String {
    let size = |n| std::num::NonZeroU16::new(n).expect("a terminal has rows and columns");
    let mut terminal = vt100::Parser::new(size(ROWS), size(COLS), 10_000);
    terminal.process(bytes);
    // The scrolled-off lines, oldest first: the top row of each scrollback position.
    terminal.screen_mut().set_scrollback(usize::MAX);
    let above = terminal.screen().scrollback();
    let mut lines = Vec::with_capacity(above + 1);
    for offset in (1..=above).rev() {
        terminal.screen_mut().set_scrollback(offset);
        lines.extend(terminal.screen().rows(0, COLS).next());
    }
    terminal.screen_mut().set_scrollback(0);
    lines.push(terminal.screen().contents());
    lines.join("\n")
}

pub struct Screen {
    pub output: Arc<Mutex<Vec<u8>>>,
}

impl Screen {
    pub fn raw(&self) -> Vec<u8> {
        self.output
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Waits until the screen shows `needle`, ignoring spaces (so a needle may span a
    /// column gap).
    pub fn wait_for(&self, needle: &str) {
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let needle = squeeze(needle);
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if squeeze(&visible(&self.raw())).contains(&needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "`{needle}` never appeared; output:\n{}",
            visible(&self.raw())
        );
    }
}

pub fn position(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}
