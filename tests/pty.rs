//! The real binary in a pseudo-terminal: it starts in the alternate screen and in raw mode,
//! draws the panes, answers keys (help opens and closes), quits on `q`, and leaves the terminal
//! restored (the alternate screen left, the cursor shown, mouse capture off, raw mode off).
#![cfg(all(feature = "cli", feature = "tui", unix))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod pty_support;

use pty_support::{Running, position};
use std::time::Duration;

#[test]
fn the_binary_runs_in_a_pty_answers_keys_and_restores_the_terminal() {
    let dirs = tempfile::tempdir().expect("temp dir");
    let mut vnetlab = Running::start(dirs.path(), &[], &[]);
    assert!(!vnetlab.raw_mode(), "a new pseudo-terminal starts cooked");
    vnetlab.screen.wait_for("Reachability");
    vnetlab.screen.wait_for("hub ⇄ spoke1");
    assert!(vnetlab.raw_mode(), "the UI runs the terminal in raw mode");
    vnetlab.send(b"?");
    vnetlab.screen.wait_for("Help: keys");
    vnetlab.send(b"\x1b");
    // A lone ESC followed at once by `q` would read as Alt-q.
    std::thread::sleep(Duration::from_millis(400));
    vnetlab.send(b"q");
    let status = vnetlab.wait_exit(Duration::from_secs(20));
    assert!(status.success(), "exit status {status:?}");
    assert!(!vnetlab.raw_mode(), "raw mode is off after quitting");
    // Let the reader drain what the child wrote last.
    std::thread::sleep(Duration::from_millis(200));
    let raw = vnetlab.screen.raw();
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
