//! The commands that take a design accept Terraform plan JSON (told apart by content), `import`
//! prints the placeholders, `export --to terraform` writes HCL, and unreadable Terraform input
//! is refused with one sentence and exit 2.
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use assert_cmd::Command;
use predicates::prelude::*;

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/terraform/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn vnetlab() -> Command {
    Command::cargo_bin("vnetlab").unwrap()
}

#[test]
fn reach_and_trace_take_a_plan() {
    vnetlab()
        .args(["reach", &fixture("lz-vending-mesh-azapi.derived.plan.json")])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2 endpoints, 2 pairs, 2 reachable, 0 blocked",
        ));
    vnetlab()
        .args([
            "trace",
            &fixture("zodiac-appgw-privateendpoint-firewalls.plan.json"),
            "vmappgw0",
            "vmfrontend",
        ])
        .assert()
        .code(1);
}

#[test]
fn import_names_the_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.ron");
    vnetlab()
        .args(["import", &fixture("tfcompliance-issue-294.plan.json"), "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "2 placeholders for values unknown until apply:",
        ))
        .stderr(predicate::str::contains("placed at 10.0.2.4"));
    let design = vnetlab::io::load_design(&out).unwrap();
    assert_eq!(design.vms.len(), 2);
}

#[test]
fn export_writes_terraform() {
    let saves = concat!(env!("CARGO_MANIFEST_DIR"), "/saves/03-hub-spoke-nva.ron");
    vnetlab()
        .args(["export", saves, "--to", "terraform"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "resource \"azurerm_virtual_network_peering\" \"hub-to-spoke1\"",
        ))
        .stdout(predicate::str::contains(
            "remote_virtual_network_id = azurerm_virtual_network.spoke1.id",
        ));
}

#[test]
fn raw_state_and_broken_plans_exit_2_with_one_sentence() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        (
            "state.tfstate",
            r#"{"version": 4, "terraform_version": "1.5.0", "lineage": "x", "resources": []}"#,
        ),
        (
            "plan.json",
            r#"{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": 3}"#,
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let assert = vnetlab().arg("reach").arg(&path).assert().code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}
