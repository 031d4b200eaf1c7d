//! The real binary in a pseudo-terminal: it starts in the alternate screen, draws the panes,
//! answers keys (help opens and closes), quits on `q`, and leaves the terminal restored (the
//! alternate screen left, the cursor shown, mouse capture off).
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod pty_support;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use pty_support::{Screen, position};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
fn the_binary_runs_in_a_pty_answers_keys_and_restores_the_terminal() {
    let dirs = tempfile::tempdir().expect("temp dir");
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 40,
            cols: 140,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pseudo-terminal");
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_vnetlab"));
    command.env("TERM", "xterm-256color");
    command.env("VNETLAB_CONFIG", dirs.path().join("config"));
    command.env("VNETLAB_DATA", dirs.path().join("data"));
    let mut child = pair.slave.spawn_command(command).expect("start vnetlab");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let mut writer = pair.master.take_writer().expect("pty writer");
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
    let screen = Screen { output };
    screen.wait_for("Reachability");
    screen.wait_for("hub ⇄ spoke1");
    writer.write_all(b"?").expect("send ?");
    writer.flush().expect("flush");
    screen.wait_for("Help: keys");
    writer.write_all(b"\x1b").expect("send esc");
    writer.flush().expect("flush");
    // A lone ESC followed at once by `q` would read as Alt-q.
    std::thread::sleep(Duration::from_millis(400));
    writer.write_all(b"q").expect("send q");
    writer.flush().expect("flush");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("child status") {
            break status;
        }
        assert!(Instant::now() < deadline, "vnetlab did not quit on q");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "exit status {status:?}");
    // Let the reader drain what the child wrote last.
    std::thread::sleep(Duration::from_millis(200));
    let raw = screen.raw();
    let entered = position(&raw, b"\x1b[?1049h").expect("entered the alternate screen");
    let left = position(&raw, b"\x1b[?1049l").expect("left the alternate screen");
    assert!(
        left > entered,
        "the alternate screen was left after being entered"
    );
    let shown = position(&raw, b"\x1b[?25h").expect("cursor shown again");
    let hidden = position(&raw, b"\x1b[?25l").unwrap_or(0);
    assert!(shown > hidden, "the cursor is shown at the end");
    let mouse_off = position(&raw, b"\x1b[?1000l").expect("mouse capture turned off");
    assert!(mouse_off > position(&raw, b"\x1b[?1000h").unwrap_or(0));
}
