//! The real binary in a pseudo-terminal stopped by SIGTERM, SIGHUP or SIGINT right after an
//! edit (well inside the autosave's two-second pause): it writes the recovery file with the
//! edit, leaves the terminal restored (alternate screen left, cursor shown, mouse capture off),
//! says where the work is, and exits with 128 plus the signal's number (issue 15, items 3-4).
#![cfg(all(feature = "cli", feature = "tui", unix))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod pty_support;
mod tui_support;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use pty_support::{Screen, position, strip_escapes};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use vnetlab::io::recovery;

/// Generous for a loaded two-core machine; every wait polls and returns as soon as it can.
const PATIENCE: Duration = Duration::from_secs(60);

/// Keys that make an edit (a peering flag toggled in the start-up design).
const EDIT: &str = "2 j j j r";

fn stopped_by(signal: &str, number: i32) {
    let dirs = tempfile::tempdir().unwrap();
    let file = dirs.path().join("A.ron");
    let original = vnetlab::io::examples::default_design();
    vnetlab::io::save_design(&file, &original).unwrap();
    // The same edit made headless: what the recovery file must hold.
    let mut headless = tui_support::app_with(original.clone());
    tui_support::press(&mut headless, EDIT);
    let edited = headless.session().design().clone();
    assert_ne!(edited, original);

    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 140,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_vnetlab"));
    command.arg(&file);
    command.env("TERM", "xterm-256color");
    command.env("VNETLAB_CONFIG", dirs.path().join("config"));
    command.env("VNETLAB_DATA", dirs.path().join("data"));
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
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
    screen.wait_for("A.ron");
    writer.write_all(EDIT.replace(' ', "").as_bytes()).unwrap();
    writer.flush().unwrap();
    // The status bar reports the edit (the terminal redraws only the cells that change, so
    // whole phrases are reliable only in new text).
    screen.wait_for("add peering spoke3-to-hub");

    let pid = child.process_id().unwrap();
    let sent = std::process::Command::new("kill")
        .args(["-s", signal, &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success(), "kill -s {signal} {pid}");
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "vnetlab did not stop on {signal}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(
        status.exit_code(),
        u32::try_from(128 + number).unwrap(),
        "{status:?}"
    );

    // The restoring sequences are the last of their kind (waits for the reader to drain).
    let restored = |raw: &[u8]| {
        let after = |off: &[u8], on: &[u8]| {
            position(raw, off).is_some_and(|o| position(raw, on).is_none_or(|i| o > i))
        };
        after(b"\x1b[?1049l", b"\x1b[?1049h")
            && after(b"\x1b[?25h", b"\x1b[?25l")
            && after(b"\x1b[?1000l", b"\x1b[?1000h")
            && strip_escapes(raw).contains("unsaved work is in")
    };
    let deadline = Instant::now() + PATIENCE;
    while !restored(&screen.raw()) {
        assert!(
            Instant::now() < deadline,
            "terminal not restored after {signal}; output ends:\n{:?}",
            String::from_utf8_lossy(&screen.raw())
                .chars()
                .rev()
                .take(400)
                .collect::<String>()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let text = strip_escapes(&screen.raw());
    assert!(text.contains(&format!("stopped by SIG{signal}")), "{text}");

    // The recovery file: one, for A.ron, holding the edit.
    let found: Vec<_> = std::fs::read_dir(dirs.path().join("data/recovery"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    let kept = recovery::decode("r", &std::fs::read_to_string(&found[0]).unwrap()).unwrap();
    assert_eq!(kept.header.source, Some(recovery::canonical(&file)));
    assert_eq!(kept.header.instance.pid, pid);
    assert_eq!(kept.design, edited);
    assert!(text.contains(&found[0].display().to_string()) || text.contains("recovery"));
}

#[test]
fn sigterm_keeps_the_edit_and_restores_the_terminal() {
    stopped_by("TERM", 15);
}

#[test]
fn sighup_keeps_the_edit_and_restores_the_terminal() {
    stopped_by("HUP", 1);
}

#[test]
fn sigint_keeps_the_edit_and_restores_the_terminal() {
    stopped_by("INT", 2);
}
