//! `vnetlab diagram` as a user runs it: formats, the path, errors and exit codes.
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use assert_cmd::Command;
use predicates::prelude::*;

fn vnetlab() -> Command {
    Command::cargo_bin("vnetlab").unwrap()
}

const STARTUP: &str = "assets/designs/hub-spoke.ron";

#[test]
fn the_text_picture_marks_the_blocked_hop_and_lists_the_path() {
    vnetlab()
        .args(["diagram", STARTUP, "--path", "vm-app3", "hq-web"])
        .assert()
        .success()
        .stdout(predicate::str::contains("✗ PEERING_NOT_CONNECTED"))
        .stdout(predicate::str::contains(
            "path vm-app3 → hq-web tcp/443: BLOCKED",
        ))
        .stdout(predicate::str::contains(
            "✗ PEERING_NOT_CONNECTED at peering `hub-to-spoke3`",
        ));
}

#[test]
fn mermaid_and_dot_carry_the_path() {
    vnetlab()
        .args([
            "diagram", STARTUP, "--format", "mermaid", "--path", "vm-app1", "hq-web",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("flowchart LR\n"))
        .stdout(predicate::str::contains("linkStyle"));
    vnetlab()
        .args([
            "diagram", STARTUP, "--format", "dot", "--path", "vm-app1", "hq-web",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("penwidth=3"));
    vnetlab()
        .args(["diagram", STARTUP, "--format", "svg"])
        .assert()
        .success()
        .stdout(predicate::str::contains("font-family=\"DejaVu Sans Mono"));
}

#[test]
fn bad_input_exits_2_with_a_readable_message() {
    vnetlab()
        .args(["diagram", STARTUP, "--path", "vm-app9", "hq-web"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("there is no endpoint `vm-app9`"));
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.ron");
    vnetlab()
        .args(["gen", "hub-spoke", "--spokes", "20", "-o"])
        .arg(&big)
        .assert()
        .success();
    vnetlab()
        .args(["diagram", "--format", "markdown"])
        .arg(&big)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("stays readable up to 16"));
}
