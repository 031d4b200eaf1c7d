//! The command line as a user meets it: version and directories, readable errors, exit codes.
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use assert_cmd::Command;
use predicates::prelude::*;

fn vnetlab() -> Command {
    Command::cargo_bin("vnetlab").unwrap()
}

#[test]
fn version_prints_the_resolved_directories() {
    let dir = tempfile::tempdir().unwrap();
    vnetlab()
        .arg("--version")
        .env("VNETLAB_CONFIG", dir.path().join("cfg"))
        .env("VNETLAB_DATA", dir.path().join("data"))
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "vnetlab {}\n",
            env!("CARGO_PKG_VERSION")
        )))
        .stdout(predicate::str::contains(format!(
            "config: {}",
            dir.path().join("cfg").display()
        )))
        .stdout(predicate::str::contains(format!(
            "data:   {}",
            dir.path().join("data").display()
        )));
}

#[test]
fn every_subcommand_has_help() {
    for sub in [
        "reach", "trace", "routes", "check", "import", "export", "gen", "bench",
    ] {
        vnetlab()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: vnetlab"));
    }
}

#[test]
fn bad_usage_exits_2() {
    vnetlab()
        .arg("frobnicate-this")
        .arg("extra")
        .assert()
        .code(2);
    vnetlab()
        .args(["reach"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("required"));
}

#[test]
fn summary_of_the_startup_design_lists_vnets_and_peering_states() {
    let summary = vnetlab::cli::summary_text(&vnetlab::io::examples::default_design(), "embedded");
    assert!(
        summary.contains("spoke3           northeurope"),
        "{summary}"
    );
    assert!(
        summary.contains("hub-to-spoke3") && summary.contains("Initiated"),
        "{summary}"
    );
}
