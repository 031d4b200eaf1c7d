//! `vnetlab check` as CI uses it: text grouped by severity, JSON, exit codes.
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;

fn vnetlab() -> Command {
    Command::cargo_bin("vnetlab").unwrap()
}

fn file(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn the_startup_design_fails_with_its_mistake_named_and_fixes_listed() {
    vnetlab()
        .arg("check")
        .arg(file("assets/designs/hub-spoke.ron"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "1 error, 3 warnings, 0 info; 3 of 4 intents hold",
        ))
        .stdout(predicate::str::contains(
            "\nErrors:\n  INTENT_FAILED: intent `app3-to-hq` fails",
        ))
        .stdout(predicate::str::contains(
            "\nWarnings:\n  PEERING_INITIATED: peering `hub-to-spoke3`",
        ))
        .stdout(predicate::str::contains(
            "    fix: add peering `spoke3-to-hub`",
        ))
        .stdout(predicate::str::contains(
            "  FAIL app3-to-hq: vm-app3 → hq-web tcp/443, expected reachable, blocked",
        ))
        .stdout(predicate::str::contains("  pass app1-to-app2:"));
}

#[test]
fn a_clean_design_exits_0() {
    vnetlab()
        .arg("check")
        .arg(file("saves/03-hub-spoke-nva.ron"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "0 errors, 0 warnings, 0 info; 2 of 2 intents hold",
        ));
}

#[test]
fn warnings_alone_exit_0() {
    vnetlab()
        .arg("check")
        .arg(file("saves/06-one-sided-peering.ron"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Warnings:"))
        .stdout(predicate::str::contains("no intents"));
}

#[test]
fn json_has_the_documented_shape() {
    let output = vnetlab()
        .args(["check", "--json"])
        .arg(file("assets/designs/hub-spoke.ron"))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&output).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    for d in diagnostics {
        for key in ["severity", "code", "subject", "message", "fix"] {
            assert!(d.get(key).is_some(), "{key} missing in {d}");
        }
    }
    assert_eq!(diagnostics[0]["severity"], "error");
    assert_eq!(diagnostics[0]["code"], "INTENT_FAILED");
    assert_eq!(diagnostics[0]["subject"]["name"], "app3-to-hq");
    assert!(diagnostics[0]["fix"]["edit"]["Add"].is_object());
    let intents = json["intents"].as_array().unwrap();
    assert_eq!(intents.len(), 4);
    let failing = intents.iter().find(|i| i["name"] == "app3-to-hq").unwrap();
    for (key, value) in [
        ("from", "vm-app3"),
        ("to", "hq-web"),
        ("flow", "tcp/443"),
        ("expect", "reachable"),
        ("actual", "blocked"),
    ] {
        assert_eq!(failing[key], value, "{key}");
    }
    assert_eq!(failing["pass"], false);
    assert_eq!(failing["reasons"][0], "PEERING_NOT_CONNECTED");
}

#[test]
fn unreadable_input_exits_2() {
    vnetlab()
        .args(["check", "no-such-file.ron"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("vnetlab check: no-such-file.ron"));
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "Design(version: 1, vnets: [").unwrap();
    vnetlab()
        .arg("check")
        .arg(&broken)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.ron:1:"));
}

#[test]
fn assumptions_can_be_switched_for_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let gov = dir.path().join("gov.ron");
    std::fs::write(
        &gov,
        r#"Design(version: 1, name: "gov",
    vnets: [
        Vnet(name: "va", region: "usgovvirginia", address_space: ["10.1.0.0/16"]),
        Vnet(name: "tx", region: "usgovtexas", address_space: ["10.2.0.0/16"]),
    ],
    peerings: [
        Peering(name: "va-to-tx", local: "va", remote: "tx"),
        Peering(name: "tx-to-va", local: "tx", remote: "va"),
    ],
)"#,
    )
    .unwrap();
    vnetlab()
        .arg("check")
        .arg(&gov)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("PEERING_GOV_GLOBAL"));
    vnetlab()
        .args(["check", "--assume", "gov_global_peering=Allowed"])
        .arg(&gov)
        .assert()
        .code(0);
    vnetlab()
        .args(["check", "--assume", "gov_global_peering"])
        .arg(&gov)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("write it as key=value"));
}

#[test]
fn azure_exports_are_checked_like_design_files() {
    // An export of a real estate (REST shapes, several files): the findings are Azure's own
    // peering states, with no false alarm from imported names or addresses.
    let dir = file("tests/fixtures/azure/realistic");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    vnetlab()
        .arg("check")
        .args(&files)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors, 3 warnings, 0 info"))
        .stdout(predicate::str::contains(
            "PEERING_NOT_SYNCED: peering `hub-to-spoke2`",
        ))
        .stdout(predicate::str::contains(
            "PEERING_DISCONNECTED: peering `spoke1-to-spoke2`",
        ))
        .stdout(predicate::str::contains(
            "PEERING_INITIATED: peering `spoke2-to-spoke1`",
        ));
}

#[test]
fn a_folder_named_as_the_design_is_refused_with_a_sentence() {
    // `vnetlab check saves` (or `vnetlab .`): say it is a folder, not "Is a directory (os error 21)".
    let saves = file("saves");
    for args in [vec!["check".into(), saves.clone()], vec![saves.clone()]] {
        vnetlab()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{} is a folder; name a design file in it",
                saves.display()
            )))
            .stderr(predicate::str::contains("os error").not());
    }
}
