//! The workload commands as a user runs them: `vnetlab gen hub-spoke` (deterministic files,
//! valid designs that behave as documented, readable refusals with exit code 2) and `vnetlab
//! bench` (text and the JSON keys of DESIGN.md §4 / issue 3).
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scenarios;

use assert_cmd::Command;
use predicates::prelude::*;
use scenarios::evaluate;
use vnetlab::engine::ReasonCode::{NotAdvertised, NsgDeny, RouteNone};
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};

fn vnetlab() -> Command {
    Command::cargo_bin("vnetlab").unwrap_or_else(|e| panic!("{e}"))
}

fn gen_args(hubs: &str, spokes: &str, subnets: &str, vms: &str) -> Vec<String> {
    [
        "gen",
        "hub-spoke",
        "--hubs",
        hubs,
        "--spokes",
        spokes,
        "--subnets",
        subnets,
        "--vms",
        vms,
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn gen_writes_the_same_bytes_every_time_and_the_file_loads() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("workshop.ron");
    vnetlab()
        .args(gen_args("1", "8", "2", "5"))
        .arg("-o")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("9 VNets").and(predicate::str::contains("85 endpoints")));
    let written = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
    let printed = vnetlab()
        .args(gen_args("1", "8", "2", "5"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(printed.status.success());
    assert_eq!(
        written, printed.stdout,
        "file and standard output hold the same bytes"
    );
    let design = vnetlab::io::load_design(&file).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(design.endpoints().len(), 85);
    // The summary command reads it back.
    vnetlab()
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("spoke8"));
}

/// The generated design carries traffic the way its documentation says: spoke to spoke through
/// the hub NVAs (across hubs too), NSG tiers, on-premises SSH through gateway transit, DNS in
/// the hub; and both engines agree on every pair (checked by `evaluate`).
#[test]
fn generated_design_routes_through_the_hub_nvas_and_enforces_its_tiers() {
    let params = HubSpokeParams {
        hubs: 2,
        spokes: 3,
        subnets_per_spoke: 1,
        vms_per_subnet: 1,
    };
    let d = hub_spoke(&params).unwrap_or_else(|e| panic!("{e}"));
    // spoke1 and spoke3 belong to hub1, spoke2 to hub2; spoke3 is a database tier.
    let same_hub = evaluate(&d, "spoke1-vm1-1", "spoke3-vm1-1", "tcp/1433");
    same_hub.assert_reachable();
    assert_eq!(same_hub.forward_appliances(), ["hub1-nva"]);
    evaluate(&d, "spoke1-vm1-1", "spoke3-vm1-1", "tcp/443")
        .assert_blocked(&[NsgDeny])
        .assert_blocker_mentions(NsgDeny, "nsg-spoke3");
    let across = evaluate(&d, "spoke1-vm1-1", "spoke2-vm1-1", "tcp/443");
    across.assert_reachable();
    assert_eq!(across.forward_appliances(), ["hub1-nva", "hub2-nva"]);
    evaluate(&d, "onprem1-host1", "spoke1-vm1-1", "tcp/22").assert_reachable();
    evaluate(&d, "onprem1-host1", "spoke2-vm1-1", "tcp/22")
        .assert_blocked_by_one_of(&[NotAdvertised, RouteNone]);
    evaluate(&d, "spoke2-vm1-1", "hub1-dns", "udp/53").assert_reachable();
    evaluate(&d, "spoke2-vm1-1", "hub1-dns", "tcp/443").assert_blocked(&[NsgDeny]);
}

#[test]
fn gen_refuses_impossible_counts_with_exit_code_2() {
    vnetlab()
        .args(gen_args("0", "4", "1", "1"))
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("--hubs must be at least 1"));
    vnetlab()
        .args(gen_args("1", "20000", "1", "1"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not fit in 10.0.0.0/8"));
    vnetlab()
        .args(gen_args("1", "1", "1", "0"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--vms must be at least 1"));
}

#[test]
fn bench_reports_timings_and_memory_in_text_and_json() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("small.ron");
    vnetlab()
        .args(gen_args("2", "4", "1", "2"))
        .arg("-o")
        .arg(&file)
        .assert()
        .success();

    let output = vnetlab()
        .arg("bench")
        .arg(&file)
        .args(["--edits", "4", "--samples", "2", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}"));
    // 2 hubs × (NVA, shared VM, 2 hosts, 1 P2S client) + 4 spokes × 1 subnet × 2 VMs.
    assert_eq!(json["endpoints"], 18);
    assert_eq!(json["pairs"], 18 * 17);
    assert!(
        json["classes"]
            .as_u64()
            .is_some_and(|n| (1..=18).contains(&n)),
        "{json}"
    );
    // Every timing of issue 10's list is measured on a hub-and-spoke design, each with its
    // median inside its range.
    let phases = [
        "edit", "validate", "compile", "peerings", "walk", "delta", "lint", "intents",
    ];
    let timings = [
        "cold_ms",
        "edit_ms",
        "tui_edit_frame_ms",
        "tui_cursor_ms",
        "edits/spoke_peering_flag",
        "edits/spoke_route",
        "edits/subnet_nsg_rule",
        "edits/hub_peering_flag",
    ]
    .map(String::from)
    .into_iter()
    .chain(phases.map(|phase| format!("phases_ms/{phase}")));
    for timing in timings {
        let t = json
            .pointer(&format!("/{timing}"))
            .unwrap_or(&serde_json::Value::Null);
        let [median, min, max] = ["median", "min", "max"].map(|k| t[k].as_f64().unwrap_or(-1.0));
        assert!(
            min >= 0.0 && min <= median && median <= max,
            "{timing} in {json}"
        );
    }
    if cfg!(target_os = "linux") {
        assert!(
            json["peak_rss_mb"].as_f64().is_some_and(|mb| mb > 0.0),
            "{json}"
        );
    }

    vnetlab()
        .arg("bench")
        .arg(&file)
        .args([
            "--engine",
            "reference",
            "--edits",
            "2",
            "--samples",
            "0",
            "--no-tui",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("engine reference")
                .and(predicate::str::contains("  endpoints             18\n"))
                .and(predicate::str::contains("median of 2 edits"))
                .and(predicate::str::contains("TUI edit + next frame")),
        );
}

#[test]
fn bench_reads_azure_json_exports_like_every_headless_command() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let design = dir.path().join("small.ron");
    let export = dir.path().join("small.json");
    vnetlab()
        .args(gen_args("1", "2", "1", "1"))
        .arg("-o")
        .arg(&design)
        .assert()
        .success();
    vnetlab()
        .arg("export")
        .arg(&design)
        .args(["--to", "azure-json", "-o"])
        .arg(&export)
        .assert()
        .success();
    let output = vnetlab()
        .arg("bench")
        .arg(&export)
        .args(["--edits", "2", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}"));
    // The NVA, the shared VM, two hosts, a P2S client and one VM per spoke.
    assert_eq!(json["endpoints"], 7, "{json}");
}

#[test]
fn bench_on_a_missing_file_says_so_with_exit_code_2() {
    vnetlab()
        .args(["bench", "/nonexistent/vnetlab-design.ron"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/vnetlab-design.ron"));
}

#[test]
fn gen_tiered_writes_an_nsg_and_a_route_table_per_spoke_subnet() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("tiered.ron");
    vnetlab()
        .args(gen_args("1", "2", "3", "1"))
        .args(["--tiered", "-o"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("3 VNets, 8 VMs"));
    let design = vnetlab::io::load_design(&file).unwrap_or_else(|e| panic!("{e}"));
    let spoke1 = design.vnet("spoke1").unwrap();
    let policies: Vec<(Option<&str>, Option<&str>)> = spoke1
        .subnets
        .iter()
        .map(|s| (s.nsg.as_deref(), s.route_table.as_deref()))
        .collect();
    assert_eq!(
        policies,
        [
            (Some("nsg-spoke1-snet1"), Some("rt-spoke1-snet1")),
            (Some("nsg-spoke1-snet2"), Some("rt-spoke1-snet2")),
            (Some("nsg-spoke1-snet3"), Some("rt-spoke1-snet3")),
        ]
    );
    assert!(design.name.ends_with("tiered)"), "{}", design.name);
}
