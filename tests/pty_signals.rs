//! The real binary in a pseudo-terminal stopped right after an edit (well inside the autosave's
//! two-second pause), by SIGTERM, SIGHUP or SIGINT, or by a panic (`VNETLAB_PANIC_KEY`): it
//! writes the recovery file with the edit, leaves the terminal restored (alternate screen left,
//! cursor shown, mouse capture off, raw mode off), says where the work is, and exits with 128
//! plus the signal's number, or 2 after a panic (issue 15, items 3-4).
#![cfg(all(feature = "cli", feature = "tui", unix))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod pty_support;
mod tui_support;

use pty_support::{Running, position, visible};
use std::time::{Duration, Instant};
use vnetlab::io::recovery;

/// Generous for a loaded two-core machine; every wait polls and returns as soon as it can.
const PATIENCE: Duration = Duration::from_secs(60);

/// Keys that make an edit (a peering flag toggled in the start-up design).
const EDIT: &str = "2 j j r";

/// How the running UI is stopped.
enum Stop {
    /// `kill -s NAME`, with the signal's number.
    Signal(&'static str, i32),
    /// The key F12, which `VNETLAB_PANIC_KEY=f12` turns into a panic.
    Panic,
}

fn stopped(how: &Stop) {
    let dirs = tempfile::tempdir().unwrap();
    // The same edit made headless: what the recovery file must hold.
    let (file, edited) = tui_support::saved_and_edited(dirs.path(), EDIT);

    let env: &[(&str, &str)] = match how {
        Stop::Signal(..) => &[],
        // A short report (no backtrace), whatever the environment running the tests sets.
        Stop::Panic => &[
            (vnetlab::tui::PANIC_KEY_VARIABLE, "f12"),
            ("RUST_BACKTRACE", "0"),
        ],
    };
    let mut vnetlab = Running::start(dirs.path(), &[&file], env);
    vnetlab.screen.wait_for("Reachability");
    vnetlab.screen.wait_for("A.ron");
    vnetlab.send(EDIT.replace(' ', "").as_bytes());
    // The status bar reports the edit (the terminal redraws only the cells that change, so
    // whole phrases are reliable only in new text).
    vnetlab.screen.wait_for("add peering spoke3-to-hub");
    assert!(vnetlab.raw_mode(), "the UI runs the terminal in raw mode");

    let pid = vnetlab.child.process_id().unwrap();
    let expected_exit = match how {
        Stop::Signal(signal, number) => {
            let sent = std::process::Command::new("kill")
                .args(["-s", signal, &pid.to_string()])
                .status()
                .unwrap();
            assert!(sent.success(), "kill -s {signal} {pid}");
            128 + number
        }
        Stop::Panic => {
            vnetlab.send(b"\x1b[24~"); // F12
            2
        }
    };
    let status = vnetlab.wait_exit(PATIENCE);
    assert_eq!(
        status.exit_code(),
        u32::try_from(expected_exit).unwrap(),
        "{status:?}"
    );
    assert!(!vnetlab.raw_mode(), "raw mode is off after the stop");

    // The restoring sequences are the last of their kind (waits for the reader to drain).
    let restored = |raw: &[u8]| {
        let after = |off: &[u8], on: &[u8]| {
            position(raw, off).is_some_and(|o| position(raw, on).is_none_or(|i| o > i))
        };
        after(b"\x1b[?1049l", b"\x1b[?1049h")
            && after(b"\x1b[?25h", b"\x1b[?25l")
            && after(b"\x1b[?1000l", b"\x1b[?1000h")
            && visible(raw).contains("unsaved work is in")
    };
    let deadline = Instant::now() + PATIENCE;
    while !restored(&vnetlab.screen.raw()) {
        assert!(
            Instant::now() < deadline,
            "terminal not restored; output ends:\n{:?}",
            String::from_utf8_lossy(&vnetlab.screen.raw())
                .chars()
                .rev()
                .take(400)
                .collect::<String>()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let text = visible(&vnetlab.screen.raw());
    match how {
        Stop::Signal(signal, _) => {
            assert!(text.contains(&format!("stopped by SIG{signal}")), "{text}");
        }
        Stop::Panic => {
            // The whole panic report stays on the screen, above vnetlab's last word (leaving
            // the alternate screen twice used to put the cursor back and write over it).
            let report = text.find("The application panicked (crashed).");
            let last_word = text.find("stopped by an internal error");
            assert!(report.zip(last_word).is_some_and(|(r, w)| r < w), "{text}");
            assert!(
                text.contains("a panic asked for by VNETLAB_PANIC_KEY"),
                "{text}"
            );
        }
    }

    // The recovery file: one, for A.ron, holding the edit.
    let (found, kept) = tui_support::only_recovery_file(&dirs.path().join("data"));
    assert_eq!(kept.header.source, Some(recovery::canonical(&file)));
    assert_eq!(kept.header.instance.pid, pid);
    assert_eq!(kept.design, edited);
    assert!(text.contains(&found.display().to_string()) || text.contains("recovery"));
}

#[test]
fn sigterm_keeps_the_edit_and_restores_the_terminal() {
    stopped(&Stop::Signal("TERM", 15));
}

#[test]
fn sighup_keeps_the_edit_and_restores_the_terminal() {
    stopped(&Stop::Signal("HUP", 1));
}

#[test]
fn sigint_keeps_the_edit_and_restores_the_terminal() {
    stopped(&Stop::Signal("INT", 2));
}

#[test]
fn a_panic_keeps_the_edit_and_restores_the_terminal() {
    stopped(&Stop::Panic);
}
