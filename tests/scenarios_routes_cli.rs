//! The routing worked example of azure-semantics.md §2 (the Subnet1 table of Microsoft's
//! routing overview) as a user sees it through `vnetlab routes FILE TARGET --json`, in the shape
//! of `az network nic show-effective-route-table`: the four reserved None routes, a same-prefix
//! UDR making the system route Invalid, a 0.0.0.0/0 UDR to an appliance removing the None routes
//! and overriding the internet route, and a reserved prefix used exactly as a VNet range.
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scenarios;

use assert_cmd::Command;
use predicates::prelude::*;
use scenarios::*;
use serde_json::Value;
use vnetlab::model::NextHop;

const RESERVED: [&str; 4] = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
];

/// `vnet1` 10.0.0.0/16 with Subnet1 (UDRs), Subnet2 (none) and a DMZ holding the NVA
/// 10.0.100.4; `campus` uses the reserved 172.16.0.0/12 exactly.
fn worked_example() -> tempfile::TempDir {
    let mut d = design();
    vnet(&mut d, "vnet1", "10.0.0.0/16");
    subnet(&mut d, "vnet1", "Subnet1", "10.0.0.0/24");
    subnet(&mut d, "vnet1", "Subnet2", "10.0.1.0/24");
    subnet(&mut d, "vnet1", "DMZ", "10.0.100.0/24");
    nva(&mut d, "nva", "vnet1/DMZ", "10.0.100.4", false);
    vm(&mut d, "vm1", "vnet1/Subnet1", "10.0.0.4");
    udr(
        &mut d,
        "vnet1/Subnet1",
        "10.0.0.0/16",
        appliance("10.0.100.4"),
    );
    udr(&mut d, "vnet1/Subnet1", "10.0.0.0/24", NextHop::VnetLocal);
    udr(
        &mut d,
        "vnet1/Subnet1",
        "0.0.0.0/0",
        appliance("10.0.100.4"),
    );
    vnet(&mut d, "campus", "172.16.0.0/12");
    subnet(&mut d, "campus", "s1", "172.16.1.0/24");
    assert_eq!(d.validate(), Vec::new());
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("example.ron"),
        vnetlab::io::to_ron(&d).unwrap(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// One effective route as the tests compare it: prefix, source, state, next hop type, next-hop
/// addresses and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    prefix: String,
    source: String,
    state: String,
    hop: String,
    ips: Vec<String>,
    name: Option<String>,
}

/// The table `vnetlab routes FILE TARGET --json` prints, checking every row has Azure's keys.
fn routes_json(dir: &tempfile::TempDir, target: &str) -> Vec<Row> {
    let output = Command::cargo_bin("vnetlab")
        .unwrap_or_else(|e| panic!("{e}"))
        .arg("routes")
        .arg(dir.path().join("example.ron"))
        .arg(target)
        .arg("--json")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}"));
    let rows = json["value"]
        .as_array()
        .unwrap_or_else(|| panic!("no `value` array: {json}"));
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let texts = |v: &Value| v.as_array().map(|a| a.iter().map(text).collect::<Vec<_>>());
    rows.iter()
        .flat_map(|r| {
            for key in [
                "source",
                "state",
                "addressPrefix",
                "nextHopType",
                "nextHopIpAddress",
                "name",
            ] {
                assert!(r.get(key).is_some(), "row without `{key}`: {r}");
            }
            let prefixes = texts(&r["addressPrefix"])
                .unwrap_or_else(|| panic!("`addressPrefix` is an array: {r}"));
            let ips = texts(&r["nextHopIpAddress"])
                .unwrap_or_else(|| panic!("`nextHopIpAddress` is an array: {r}"));
            prefixes.into_iter().map(move |prefix| Row {
                prefix,
                source: text(&r["source"]),
                state: text(&r["state"]),
                hop: text(&r["nextHopType"]),
                ips: ips.clone(),
                name: r["name"].as_str().map(String::from),
            })
        })
        .collect()
}

/// The same table from the library, for the same comparisons.
fn routes_library(dir: &tempfile::TempDir, subnet: &str) -> Vec<Row> {
    let design =
        vnetlab::io::load_design(&dir.path().join("example.ron")).unwrap_or_else(|e| panic!("{e}"));
    routes(&design, subnet)
        .into_iter()
        .map(|r| Row {
            prefix: r.prefix.to_string(),
            source: format!("{:?}", r.source),
            state: format!("{:?}", r.state),
            hop: r.next_hop_type.to_string(),
            ips: r.next_hop_ip.map(|ip| ip.to_string()).into_iter().collect(),
            name: r.name,
        })
        .collect()
}

/// The rows for one prefix, as `(source, state, nextHopType, nextHopIpAddress)`, sorted.
fn rows_for(rows: &[Row], prefix: &str) -> Vec<(String, String, String, Vec<String>)> {
    let mut found: Vec<_> = rows
        .iter()
        .filter(|r| r.prefix == prefix)
        .map(|r| {
            (
                r.source.clone(),
                r.state.clone(),
                r.hop.clone(),
                r.ips.clone(),
            )
        })
        .collect();
    found.sort();
    found
}

fn row(
    source: &str,
    state: &str,
    hop: &str,
    ips: &[&str],
) -> (String, String, String, Vec<String>) {
    (
        source.to_string(),
        state.to_string(),
        hop.to_string(),
        ips.iter().map(std::string::ToString::to_string).collect(),
    )
}

/// Checks run on both the library's table and the command's JSON.
fn check_unrouted_subnet(rows: &[Row]) {
    assert_eq!(
        rows_for(rows, "10.0.0.0/16"),
        vec![row("Default", "Active", "VnetLocal", &[])]
    );
    assert_eq!(
        rows_for(rows, "0.0.0.0/0"),
        vec![row("Default", "Active", "Internet", &[])]
    );
    for reserved in RESERVED {
        assert_eq!(
            rows_for(rows, reserved),
            vec![row("Default", "Active", "None", &[])],
            "{reserved}"
        );
    }
}

fn check_routed_subnet(rows: &[Row]) {
    assert_eq!(
        rows_for(rows, "10.0.0.0/16"),
        vec![
            row("Default", "Invalid", "VnetLocal", &[]),
            row("User", "Active", "VirtualAppliance", &["10.0.100.4"]),
        ]
    );
    assert_eq!(
        rows_for(rows, "10.0.0.0/24"),
        vec![row("User", "Active", "VnetLocal", &[])]
    );
    assert_eq!(
        rows_for(rows, "0.0.0.0/0"),
        vec![
            row("Default", "Invalid", "Internet", &[]),
            row("User", "Active", "VirtualAppliance", &["10.0.100.4"]),
        ]
    );
    for reserved in RESERVED {
        assert_eq!(
            rows_for(rows, reserved),
            Vec::new(),
            "{reserved} None is removed by the 0/0 UDR"
        );
    }
    // User routes carry their names, as in Azure.
    assert!(
        rows.iter()
            .any(|r| r.source == "User" && r.name.as_deref() == Some("to-0-0-0-0-0")),
        "{rows:#?}"
    );
}

fn check_exact_reserved_range(rows: &[Row]) {
    assert_eq!(
        rows_for(rows, "172.16.0.0/12"),
        vec![row("Default", "Active", "VnetLocal", &[])]
    );
    assert_eq!(
        rows_for(rows, "10.0.0.0/8"),
        vec![row("Default", "Active", "None", &[])]
    );
}

#[test]
fn the_library_computes_the_worked_example() {
    let dir = worked_example();
    check_unrouted_subnet(&routes_library(&dir, "vnet1/Subnet2"));
    check_routed_subnet(&routes_library(&dir, "vnet1/Subnet1"));
    check_exact_reserved_range(&routes_library(&dir, "campus/s1"));
}

#[test]
fn a_subnet_without_udrs_has_the_system_routes_and_the_reserved_none_routes() {
    check_unrouted_subnet(&routes_json(&worked_example(), "vnet1/Subnet2"));
}

#[test]
fn same_prefix_udr_invalidates_the_system_route_and_a_default_udr_removes_the_none_routes() {
    let dir = worked_example();
    let rows = routes_json(&dir, "vnet1/Subnet1");
    check_routed_subnet(&rows);
    // A VM's table is its subnet's table.
    assert_eq!(routes_json(&dir, "vm1"), rows);
}

#[test]
fn a_reserved_prefix_used_exactly_as_a_vnet_range_becomes_vnet_local() {
    check_exact_reserved_range(&routes_json(&worked_example(), "campus/s1"));
}

#[test]
fn an_unknown_target_is_refused_with_a_suggestion() {
    let dir = worked_example();
    Command::cargo_bin("vnetlab")
        .unwrap_or_else(|e| panic!("{e}"))
        .arg("routes")
        .arg(dir.path().join("example.ron"))
        .arg("vnet1/Subnet3")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("vnet1/Subnet"));
}
