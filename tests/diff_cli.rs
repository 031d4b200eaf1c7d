//! `vnetlab diff BEFORE AFTER` as CI runs it: the text names the changed object and the reason
//! of the pairs that flipped, `--json` carries the same facts, and the exit code is 1 when an
//! intent of AFTER fails or a `--protect` pair flips, 0 otherwise, 2 on bad input.
//!
//! Sources: saves/02 (non-transitive peering, azure-semantics.md §1.4: a peering carries traffic
//! only when both links exist, `PEERING_NOT_CONNECTED`), saves/06 (one-sided peering), the
//! Terraform plan fixture `lz-vending-mesh-azapi.derived.plan.json` (two VNets peered both
//! ways, tests/fixtures/terraform/README.md), and a generated 2-hub × 200-spoke design where
//! the hub-to-hub link stops accepting forwarded traffic (§1.5, `FORWARDED_TRAFFIC_BLOCKED`).
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};

fn vnetlab() -> Command {
    Command::cargo_bin("vnetlab").unwrap()
}

fn saves(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("saves")
        .join(name)
}

fn plan() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform/lz-vending-mesh-azapi.derived.plan.json")
}

/// Writes `text` of a saves/ file with every line containing `drop` removed.
fn edited(dir: &Path, save: &str, drop: &str) -> PathBuf {
    let text = std::fs::read_to_string(saves(save)).unwrap();
    let kept: Vec<&str> = text.lines().filter(|l| !l.contains(drop)).collect();
    assert_eq!(
        kept.len() + 1,
        text.lines().count(),
        "`{drop}` is on one line"
    );
    let path = dir.join(save);
    std::fs::write(&path, kept.join("\n")).unwrap();
    path
}

fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

#[test]
fn removing_one_peering_link_names_it_and_fails_the_intent_it_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let after = edited(dir.path(), "02-non-transitive.ron", "\"b-to-a\"");
    let assert = vnetlab()
        .arg("diff")
        .arg(saves("02-non-transitive.ron"))
        .arg(&after)
        .assert()
        .code(1);
    let text = stdout(&assert);
    for line in [
        "Changes (1):",
        "  - peering `b-to-a`",
        "Flow tcp/443: 2 pairs flipped (2 now blocked, 0 now reachable)",
        "  ✗ 2 pairs now blocked: reachable → PEERING_NOT_CONNECTED; changed: peering `b-to-a`",
        "      vnet-a → vnet-b (1), vnet-b → vnet-a (1)",
        "Intents of AFTER: 2 of 3 hold",
        "  FAIL a-reaches-b: vm-a → vm-b tcp/443, expected reachable, blocked (PEERING_NOT_CONNECTED)",
        "Result: FAIL (an intent of AFTER fails or a protected pair flipped)",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }

    let assert = vnetlab()
        .arg("diff")
        .arg(saves("02-non-transitive.ron"))
        .arg(&after)
        .arg("--json")
        .assert()
        .code(1);
    let json: serde_json::Value = serde_json::from_str(&stdout(&assert)).unwrap();
    assert_eq!(json["changes"][0]["object"]["kind"], "Peering");
    assert_eq!(json["changes"][0]["object"]["name"], "b-to-a");
    assert_eq!(json["changes"][0]["change"], "removed");
    let flow = &json["flows"][0];
    assert_eq!(flow["flow"], "tcp/443");
    assert_eq!(
        (
            flow["became_blocked"].as_u64(),
            flow["became_reachable"].as_u64()
        ),
        (Some(2), Some(0))
    );
    let group = &flow["groups"][0];
    assert_eq!(group["now"], "blocked");
    assert_eq!(group["after"], serde_json::json!(["PEERING_NOT_CONNECTED"]));
    assert_eq!(group["causes"][0]["name"], "b-to-a");
    assert_eq!(group["pairs"], 2);
}

#[test]
fn a_repair_without_intents_passes_unless_the_pair_is_protected() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(saves("06-one-sided-peering.ron")).unwrap();
    let repaired = text.replace(
        "Peering(name: \"a-to-b\", local: \"vnet-a\", remote: \"vnet-b\"),",
        "Peering(name: \"a-to-b\", local: \"vnet-a\", remote: \"vnet-b\"),\n        Peering(name: \"b-to-a\", local: \"vnet-b\", remote: \"vnet-a\"),",
    );
    assert_ne!(text, repaired);
    let after = dir.path().join("06-repaired.ron");
    std::fs::write(&after, repaired).unwrap();
    let before = saves("06-one-sided-peering.ron");

    let assert = vnetlab()
        .arg("diff")
        .arg(&before)
        .arg(&after)
        .assert()
        .code(0);
    let text = stdout(&assert);
    assert!(text.contains("  + peering `b-to-a`"), "{text}");
    assert!(
        text.contains("  ✓ 2 pairs now reachable: PEERING_NOT_CONNECTED → reachable; changed: peering `b-to-a`"),
        "{text}"
    );
    assert!(
        text.ends_with("Result: OK (every intent of AFTER holds; no protected pair flipped)\n")
    );

    // Protected by VNet names, and by endpoint names: the flip fails the check.
    for spec in ["vnet-a:vnet-b", "vm-b:vm-a"] {
        let assert = vnetlab()
            .arg("diff")
            .arg(&before)
            .arg(&after)
            .args(["--protect", spec])
            .assert()
            .code(1);
        let text = stdout(&assert);
        assert!(
            text.contains(&format!("Protected {spec} (tcp/443): 1 pair flipped")),
            "{text}"
        );
    }
    // A protected pair that does not flip: inside one VNet nothing changed.
    vnetlab()
        .arg("diff")
        .arg(&before)
        .arg(&after)
        .args(["--protect", "vnet-a:vnet-a"])
        .assert()
        .code(0);
}

#[test]
fn a_terraform_plan_against_the_current_design_is_the_ci_check() {
    let dir = tempfile::tempdir().unwrap();
    let current = dir.path().join("current.ron");
    vnetlab()
        .arg("import")
        .arg(plan())
        .arg("-o")
        .arg(&current)
        .assert()
        .success();
    // The plan deploys what the design says: nothing changes.
    let assert = vnetlab()
        .args(["diff", "-q"])
        .arg(&current)
        .arg(plan())
        .assert()
        .code(0)
        .stderr("");
    let text = stdout(&assert);
    assert!(
        text.contains("No object changed.\nFlow tcp/443: no pair flipped\n"),
        "{text}"
    );

    // The current estate lacks one link; the plan adds it and connects the pair.
    let one_sided = dir.path().join("one-sided.ron");
    let mut design = vnetlab::io::load_design(&current).unwrap();
    design.peerings.retain(|p| p.name != "vnet-b-vnet-a");
    vnetlab::io::save_design(&one_sided, &design).unwrap();
    let assert = vnetlab()
        .args(["diff", "-q"])
        .arg(&one_sided)
        .arg(plan())
        .assert()
        .code(0);
    let text = stdout(&assert);
    assert!(text.contains("  + peering `vnet-b-vnet-a`"), "{text}");
    assert!(
        text.contains("Flow tcp/443: 2 pairs flipped (0 now blocked, 2 now reachable)"),
        "{text}"
    );
    // The other way round, a plan that removes the link breaks a protected pair.
    vnetlab()
        .args(["diff", "-q", "--protect", "vnet-a:vnet-b"])
        .arg(plan())
        .arg(&one_sided)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "✗ 2 pairs now blocked: reachable → PEERING_NOT_CONNECTED; changed: peering `vnet-b-vnet-a`",
        ));
}

#[test]
fn an_arm_template_is_a_side_too() {
    let template = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/templates/quickstart-vnet-to-vnet-peering/azuredeploy.json");
    vnetlab()
        .args(["diff", "-q"])
        .arg(&template)
        .arg(&template)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No object changed."));
}

#[test]
fn bad_input_exits_2_with_one_sentence() {
    let before = saves("02-non-transitive.ron");
    for extra in [
        vec!["/nonexistent/after.ron"],
        vec!["--protect", "vm-a"],
        vec!["--protect", "nobody:vm-a"],
        vec!["--flow", "tcp/99999"],
    ] {
        let mut args = vec!["diff".to_string(), before.display().to_string()];
        if extra[0].starts_with('/') {
            args.push(extra[0].to_string());
        } else {
            args.push(before.display().to_string());
            args.extend(extra.iter().map(ToString::to_string));
        }
        let assert = vnetlab().args(&args).assert().code(2).stdout("");
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("vnetlab diff: "), "{stderr}");
    }
}

/// 2 hubs × 200 spokes (2 VMs each): the hub-to-hub link stops accepting forwarded traffic, so
/// every pair between the two hubs' spokes flips — tens of thousands — and the text still fits
/// a screen, naming the link and the reason.
#[test]
fn thousands_of_flips_fit_a_screen() {
    let dir = tempfile::tempdir().unwrap();
    let before = hub_spoke(&HubSpokeParams {
        hubs: 2,
        spokes: 200,
        subnets_per_spoke: 1,
        vms_per_subnet: 2,
    })
    .unwrap();
    let mut after = before.clone();
    after
        .peerings
        .iter_mut()
        .find(|p| p.name == "hub1-to-hub2")
        .unwrap()
        .allow_forwarded_traffic = false;
    let (b, a) = (dir.path().join("before.ron"), dir.path().join("after.ron"));
    vnetlab::io::save_design(&b, &before).unwrap();
    vnetlab::io::save_design(&a, &after).unwrap();

    let assert = vnetlab().arg("diff").arg(&b).arg(&a).assert();
    let text = stdout(&assert);
    assert!(text.lines().count() <= 24, "{text}");
    let flipped = text
        .lines()
        .find_map(|l| l.strip_prefix("Flow tcp/443: "))
        .and_then(|l| l.split(' ').next())
        .map(|n| n.replace(',', "").parse::<usize>().unwrap())
        .unwrap();
    assert!(flipped >= 10_000, "{text}");
    assert!(
        text.contains("~ peering `hub1-to-hub2`: allow_forwarded_traffic: true → false"),
        "{text}"
    );
    assert!(
        text.contains("reachable → FORWARDED_TRAFFIC_BLOCKED; changed: peering `hub1-to-hub2`"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_slice(
        &vnetlab()
            .arg("diff")
            .arg(&b)
            .arg(&a)
            .arg("--json")
            .assert()
            .get_output()
            .stdout,
    )
    .unwrap();
    let flow = &json["flows"][0];
    assert_eq!(flow["became_blocked"].as_u64(), Some(flipped as u64));
    let grouped: u64 = flow["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["pairs"].as_u64().unwrap())
        .sum();
    assert_eq!(grouped, flipped as u64);
}

/// `export --to arm` writes a template the other commands read back: diffing it against the
/// design it came from changes nothing.
#[test]
fn an_arm_export_diffs_clean_against_its_design() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("03.json");
    vnetlab()
        .arg("export")
        .arg(saves("03-hub-spoke-nva.ron"))
        .args(["--to", "arm", "-o"])
        .arg(&template)
        .assert()
        .success();
    let text = std::fs::read_to_string(&template).unwrap();
    assert!(text.contains("\"contentVersion\": \"1.0.0.0\""), "{text}");
    vnetlab()
        .args(["diff", "-q"])
        .arg(saves("03-hub-spoke-nva.ron"))
        .arg(&template)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "No object changed.\nFlow tcp/443: no pair flipped\nIntents of AFTER: 2 of 2 hold\n",
        ));
}
