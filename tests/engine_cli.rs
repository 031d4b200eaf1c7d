//! `vnetlab reach`, `trace` and `routes` as a user runs them: text and JSON shapes of
//! DESIGN.md §4, `--flow`, `--from/--to`, `--assume`, `--summary`, `--engine`, and exit codes
//! (0 answer, 1 blocked trace, 2 bad input).
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::PathBuf;

fn vnetlab() -> Command {
    Command::cargo_bin("vnetlab").expect("binary built")
}

fn save(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("saves")
        .join(name)
}

fn json(args: &[&str], file: &PathBuf) -> (Value, i32) {
    let output = vnetlab().args(args).arg(file).output().expect("runs");
    let value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&output.stdout));
    });
    (value, output.status.code().unwrap_or(-1))
}

#[test]
fn reach_prints_an_aligned_matrix_with_a_legend() {
    vnetlab()
        .args(["reach"])
        .arg(save("02-non-transitive.ron"))
        .assert()
        .success()
        .stdout(predicate::str::contains("6 pairs, 4 reachable, 2 blocked"))
        .stdout(predicate::str::contains("✓").and(predicate::str::contains("✗")))
        .stdout(predicate::str::contains("ROUTE_NONE"))
        .stdout(predicate::str::contains("legend"));
}

#[test]
fn reach_summary_prints_only_the_counts_for_either_engine() {
    for engine in ["fast", "reference"] {
        vnetlab()
            .args(["reach", "--summary", "--engine", engine])
            .arg(save("04-gateway-transit.ron"))
            .assert()
            .success()
            .stdout("flow tcp/443: 4 endpoints, 12 pairs, 8 reachable, 4 blocked\n");
    }
}

#[test]
fn reach_json_has_the_documented_keys_and_filters_pairs() {
    let file = save("03-hub-spoke-nva.ron");
    let output = vnetlab()
        .args([
            "reach",
            "--json",
            "--from",
            "spoke1",
            "--to",
            "vm-spoke2",
            "--flow",
            "udp/53",
        ])
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(v["flow"]["protocol"], "udp");
    assert_eq!(v["flow"]["port"], 53);
    assert_eq!(v["endpoints"].as_array().map(Vec::len), Some(3));
    for key in ["name", "kind", "ip", "vnet", "subnet"] {
        assert!(v["endpoints"][0].get(key).is_some(), "endpoint key {key}");
    }
    let pairs = v["pairs"].as_array().expect("pairs");
    assert_eq!(pairs.len(), 1, "only vm-spoke1 → vm-spoke2: {pairs:#?}");
    assert_eq!(pairs[0]["from"], "vm-spoke1");
    assert_eq!(pairs[0]["verdict"], "reachable");
    let path: Vec<&str> = pairs[0]["path"]
        .as_array()
        .expect("path")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(path.contains(&"nva1"), "{path:?}");
    assert_eq!(v["summary"]["pairs"], 1);
}

#[test]
fn reach_json_reasons_carry_code_at_and_message() {
    // Unexplained, every pair carries the analysis's codes only (no trace per pair).
    let (v, code) = json(&["reach", "--json"], &save("06-one-sided-peering.ron"));
    assert_eq!(code, 0);
    assert_eq!(v["explained"], false);
    let reason = &v["pairs"][0]["reasons"][0];
    assert_eq!(reason["code"], "PEERING_NOT_CONNECTED");
    assert!(reason.get("at").is_none() && reason.get("message").is_none());
    assert!(v["pairs"][0].get("path").is_none());
    // Explained, each code gets its place and sentence, from the pair's trace.
    let (v, code) = json(
        &["reach", "--json", "--explain"],
        &save("06-one-sided-peering.ron"),
    );
    assert_eq!(code, 0);
    assert_eq!(v["explained"], true);
    let reason = &v["pairs"][0]["reasons"][0];
    assert_eq!(reason["code"], "PEERING_NOT_CONNECTED");
    assert!(reason["at"].as_str().is_some_and(|a| a.contains("peering")));
    assert!(
        reason["message"]
            .as_str()
            .is_some_and(|m| m.contains("Initiated"))
    );
    assert_eq!(v["summary"]["blocked"], 2);
}

#[test]
fn trace_exits_0_when_reachable_and_1_when_blocked() {
    let file = save("03-hub-spoke-nva.ron");
    vnetlab()
        .arg("trace")
        .arg(&file)
        .args(["vm-spoke1", "vm-spoke2"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("REACHABLE"))
        .stdout(predicate::str::contains("request:").and(predicate::str::contains("reply:")))
        .stdout(predicate::str::contains("user route `to-spoke2`"));
    vnetlab()
        .arg("trace")
        .arg(save("01-two-vnets-unpeered.ron"))
        .args(["vm-a", "vm-b"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ROUTE_NONE"))
        .stdout(predicate::str::contains(
            "no fix offered: the edit that removes it (peer `vnet-a` and `vnet-b` in both directions) makes intent `a-cannot-reach-b` fail",
        ));
}

#[test]
fn trace_json_lists_hops_both_ways_and_blockers_with_fixes() {
    let output = vnetlab()
        .arg("trace")
        .arg(save("05-nsg-blocks-peered.ron"))
        .args(["vm-a", "vm-b", "--json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(v["verdict"], "blocked");
    for key in ["from", "to", "flow", "forward", "reverse", "blockers"] {
        assert!(v.get(key).is_some(), "key {key}");
    }
    let hop = &v["forward"][0];
    for key in ["at", "step", "decision", "detail"] {
        assert!(hop.get(key).is_some(), "hop key {key}");
    }
    let blocker = &v["blockers"][0];
    assert_eq!(blocker["code"], "NSG_DENY");
    assert_eq!(blocker["object"]["kind"], "Nsg");
    assert_eq!(blocker["object"]["name"], "nsg-b");
    // The design's intent `https-blocked` expects exactly this deny: the only edit that removes
    // it (the rule sits at the lowest priority, so no allow rule can go above it) would break
    // that intent, so no fix is offered and the check says why.
    assert!(blocker["fix"].is_null(), "{blocker:#}");
    assert_eq!(blocker["fix_check"]["status"], "breaks_intents");
    assert_eq!(
        blocker["fix_check"]["intents"],
        serde_json::json!(["https-blocked"])
    );
    assert_eq!(
        blocker["fix_check"]["fix"]["description"],
        "remove rule `deny-https-from-a` from NSG `nsg-b`"
    );
    // Without the intent the same edit is offered, proven.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut d = vnetlab::io::load_design(&save("05-nsg-blocks-peered.ron")).expect("save");
    d.intents.clear();
    let file = dir.path().join("no-intent.ron");
    vnetlab::io::save_design(&file, &d).expect("saved");
    let output = vnetlab()
        .arg("trace")
        .arg(&file)
        .args(["vm-a", "vm-b", "--json"])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let blocker = &v["blockers"][0];
    assert!(blocker["fix"]["edit"].is_object());
    assert_eq!(blocker["fix_check"]["status"], "proven");
}

#[test]
fn assumptions_switch_from_the_command_line() {
    // Two Government regions: forbidden by default, allowed under the product-docs assumption.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut d = vnetlab::model::Design::example_pair();
    d.vnets[0].region = "usgovvirginia".parse().expect("region");
    d.vnets[1].region = "usgovtexas".parse().expect("region");
    d.peerings
        .push(vnetlab::model::Peering::new("a-to-b", "a", "b"));
    d.peerings
        .push(vnetlab::model::Peering::new("b-to-a", "b", "a"));
    let file = dir.path().join("gov.ron");
    vnetlab::io::save_design(&file, &d).expect("saved");
    vnetlab()
        .arg("trace")
        .arg(&file)
        .args(["vm-a", "vm-b"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("PEERING_INVALID"));
    vnetlab()
        .arg("trace")
        .arg(&file)
        .args(["vm-a", "vm-b", "--assume", "gov_global_peering=Allowed"])
        .assert()
        .code(0);
}

#[test]
fn bad_input_exits_2_with_a_sentence() {
    let file = save("02-non-transitive.ron");
    vnetlab()
        .args(["reach", "--flow", "gre"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid flow `gre`"));
    vnetlab()
        .args(["reach", "--assume", "gov_global_peering"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("key=value"));
    vnetlab()
        .args(["reach", "--from", "vm-z"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean"));
    vnetlab()
        .arg("trace")
        .arg(&file)
        .args(["vm-a", "vm-q"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("there is no endpoint `vm-q`"));
    vnetlab()
        .args(["routes"])
        .arg(&file)
        .arg("a/nosuch")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("there is no subnet `a/nosuch`"));
}

#[test]
fn routes_prints_the_table_for_a_vm_or_a_subnet() {
    let file = save("04-gateway-transit.ron");
    vnetlab()
        .args(["routes"])
        .arg(&file)
        .arg("vm-spoke1")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "effective routes of spoke1/workload",
        ))
        .stdout(predicate::str::contains("VirtualNetworkGateway"))
        .stdout(predicate::str::contains("Invalid"));
    vnetlab()
        .args(["routes", "--json"])
        .arg(&file)
        .assert()
        .code(2);
}

#[test]
fn routes_json_has_the_azure_shape() {
    let output = vnetlab()
        .args(["routes", "--json"])
        .arg(save("03-hub-spoke-nva.ron"))
        .arg("spoke1/workload")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let rows = v["value"].as_array().expect("value");
    let udr = rows
        .iter()
        .find(|r| r["source"] == "User")
        .expect("the UDR to the NVA");
    assert_eq!(udr["addressPrefix"], serde_json::json!(["10.2.0.0/16"]));
    assert_eq!(udr["nextHopType"], "VirtualAppliance");
    assert_eq!(udr["nextHopIpAddress"], serde_json::json!(["10.0.1.4"]));
    assert_eq!(udr["name"], "to-spoke2");
    assert_eq!(udr["state"], "Active");
    assert!(
        rows.iter()
            .all(|r| r["addressPrefix"].is_array() && r["nextHopIpAddress"].is_array())
    );
}

#[test]
fn large_matrices_are_grouped_by_vnet() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("big.ron");
    vnetlab()
        .args([
            "gen",
            "hub-spoke",
            "--hubs",
            "1",
            "--spokes",
            "8",
            "--subnets",
            "2",
            "--vms",
            "5",
            "-o",
        ])
        .arg(&file)
        .assert()
        .success();
    vnetlab()
        .arg("reach")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("grouped by VNet"))
        .stdout(predicate::str::contains("spoke1 (10)"))
        .stdout(predicate::str::contains("legend"));
    // Narrowed to two VNets, single endpoints are shown again.
    vnetlab()
        .arg("reach")
        .arg(&file)
        .args(["--from", "spoke1", "--to", "spoke2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("grouped").not())
        .stdout(predicate::str::contains("spoke1-vm1-1"));
}
