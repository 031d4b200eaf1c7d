//! The real binary in tmux, whose server is then killed: the terminal goes away, as when a
//! terminal window is closed. The UI must end (it gets SIGHUP, and its terminal reads fail)
//! and keep the unsaved edit in its recovery file. With crossterm's default mio event source
//! it spun at full CPU for ever instead, deaf to SIGHUP and SIGTERM, and the edit was lost;
//! Cargo.toml turns on the `/dev/tty` source for this. Needs tmux: `.ci/run` installs it and
//! sets `VNETLAB_REQUIRE_TMUX`; elsewhere the test is skipped with a note when tmux is missing.
#![cfg(all(feature = "cli", feature = "tui", unix))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Generous for a loaded two-core machine; every wait polls and returns as soon as it can.
const PATIENCE: Duration = Duration::from_secs(60);

/// Keys that make an edit (a peering flag toggled in the start-up design), as in pty_signals.
const EDIT: &str = "2 j j r";

fn tmux(socket: &str, args: &[&str]) -> std::process::Output {
    Command::new("tmux")
        .arg("-L")
        .arg(socket)
        .args(args)
        .output()
        .unwrap()
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Kills the process with its pid (SIGKILL) when dropped, if it still runs.
struct Reaper(String);

impl Drop for Reaper {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-9", &self.0]).output();
    }
}

#[test]
fn killing_the_terminal_ends_the_ui_and_keeps_the_edit() {
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(
            std::env::var_os("VNETLAB_REQUIRE_TMUX").is_none(),
            "tmux is required (VNETLAB_REQUIRE_TMUX is set) but not installed"
        );
        eprintln!("tmux is not installed; skipping (.ci/run installs it)");
        return;
    }
    let dirs = tempfile::tempdir().unwrap();
    let (file, edited) = tui_support::saved_and_edited(dirs.path(), EDIT);

    let socket = format!("vnetlab-test-{}", std::process::id());
    let quoted = |p: &Path| format!("'{}'", p.display());
    let command = format!(
        "exec env TERM=xterm-256color VNETLAB_CONFIG={} VNETLAB_DATA={} {} {}",
        quoted(&dirs.path().join("config")),
        quoted(&dirs.path().join("data")),
        quoted(Path::new(env!("CARGO_BIN_EXE_vnetlab"))),
        quoted(&file)
    );
    let started = tmux(
        &socket,
        &[
            "new-session",
            "-d",
            "-s",
            "v",
            "-x",
            "120",
            "-y",
            "36",
            &command,
        ],
    );
    assert!(started.status.success(), "{started:?}");
    let screen = || {
        String::from_utf8_lossy(&tmux(&socket, &["capture-pane", "-p", "-t", "v"]).stdout)
            .to_string()
    };
    wait_until("the UI", || screen().contains("Reachability"));
    let pid = String::from_utf8_lossy(
        &tmux(&socket, &["list-panes", "-t", "v", "-F", "#{pane_pid}"]).stdout,
    )
    .trim()
    .to_string();
    assert!(
        Path::new(&format!("/proc/{pid}")).exists(),
        "pane pid {pid}"
    );
    // A UI that does not end would spin on after a failed test: end it whatever happens.
    let _reaper = Reaper(pid.clone());
    for key in EDIT.split(' ') {
        tmux(&socket, &["send-keys", "-t", "v", key]);
    }
    wait_until("the edit", || screen().contains("spoke3-to-hub"));

    let killed = tmux(&socket, &["kill-server"]);
    assert!(killed.status.success(), "{killed:?}");
    wait_until("the UI to end after its terminal went away", || {
        // A zombie (its parent, the tmux server, is gone too) counts as ended.
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map_or(true, |stat| stat.split(' ').nth(2) == Some("Z"))
    });
    let (_, kept) = tui_support::only_recovery_file(&dirs.path().join("data"));
    assert_eq!(kept.design, edited);
}
