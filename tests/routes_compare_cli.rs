//! `vnetlab routes DESIGN TARGET --compare FILE` (issue 11, item 9): design versus what is
//! deployed, on Azure's own effective route table sample (`NetworkInterfaceEffectiveRouteTableList`
//! from the Azure REST API specification examples, a copy in tests/fixtures/azure/rest/): a NIC in
//! 172.20.2.0/24 with the default routes. Each route that differs is listed; the exit code is 0
//! when none does, 1 when some do, 2 when the file cannot be read.
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scenarios;

use assert_cmd::Command;
use scenarios::*;
use serde_json::Value;
use std::path::PathBuf;
use vnetlab::model::Design;

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/azure/rest/effective-route-table.json")
}

/// VNet `vnet` with `space`, subnet `default` 172.20.2.0/24 and VM `vm1` 172.20.2.4.
fn design_with(space: &str) -> Design {
    let mut d = design();
    vnet(&mut d, "vnet", space);
    subnet(&mut d, "vnet", "default", "172.20.2.0/24");
    vm(&mut d, "vm1", "vnet/default", "172.20.2.4");
    d
}

/// Runs `routes DESIGN vm1 --compare FILE [--json]`: (exit code, stdout, stderr).
fn compare(d: &Design, file: &std::path::Path, json: bool) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.ron");
    std::fs::write(&path, vnetlab::io::to_ron(d).unwrap()).unwrap();
    let mut command = Command::cargo_bin("vnetlab").unwrap();
    command
        .arg("routes")
        .arg(&path)
        .arg("vm1")
        .arg("--compare")
        .arg(file);
    if json {
        command.arg("--json");
    }
    let output = command.output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_design_that_matches_azure_has_no_differences_and_exits_0() {
    let (code, out, err) = compare(&design_with("172.20.2.0/24"), &sample(), false);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("effective routes of vnet/default compared with "),
        "{out}"
    );
    assert!(
        out.contains("no differences: every route matches\n"),
        "{out}"
    );
    assert!(out.ends_with("\n0 differences\n"), "{out}");
}

#[test]
fn a_wider_vnet_space_shows_one_route_missing_and_one_only_in_azure_and_exits_1() {
    let (code, out, err) = compare(&design_with("172.20.0.0/16"), &sample(), false);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("missing in Azure:  Default Active 172.20.0.0/16 → VnetLocal\n"),
        "{out}"
    );
    assert!(
        out.contains("only in Azure:     Default Active 172.20.2.0/24 → VnetLocal\n"),
        "{out}"
    );
    assert!(out.ends_with("\n2 differences\n"), "{out}");
}

#[test]
fn a_default_route_to_an_nva_in_the_design_shows_what_azure_lacks() {
    let mut d = design_with("172.20.2.0/24");
    subnet(&mut d, "vnet", "nva", "172.20.2.128/25");
    // The default subnet shrinks to make room for the NVA's subnet.
    subnet_mut(&mut d, "vnet/default").prefix = cidr("172.20.2.0/25");
    nva(&mut d, "nva1", "vnet/nva", "172.20.2.132", false);
    udr(
        &mut d,
        "vnet/default",
        "0.0.0.0/0",
        appliance("172.20.2.132"),
    );
    let (code, out, err) = compare(&d, &sample(), true);
    assert_eq!(code, 1, "{out}{err}");
    let value: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["subnet"], "vnet/default");
    let differences = value["differences"].as_array().unwrap();
    let kinds: Vec<(&str, &str)> = differences
        .iter()
        .map(|x| {
            let kind = x["difference"].as_str().unwrap();
            let prefix = match kind {
                "only_in_azure" => x["deployed"]["prefix"].as_str(),
                _ => x["design"]["prefix"].as_str(),
            };
            (kind, prefix.unwrap())
        })
        .collect();
    // The user route Azure does not have; the system default route it overrides (Invalid in the
    // design, Active in Azure); and the four reserved `None` routes the user route removes,
    // which Azure still lists.
    assert!(
        kinds.contains(&("missing_in_azure", "0.0.0.0/0")),
        "{kinds:?}"
    );
    assert!(kinds.contains(&("state", "0.0.0.0/0")), "{kinds:?}");
    for reserved in [
        "10.0.0.0/8",
        "100.64.0.0/10",
        "172.16.0.0/12",
        "192.168.0.0/16",
    ] {
        assert!(
            kinds.contains(&("only_in_azure", reserved)),
            "{reserved}: {kinds:?}"
        );
    }
    assert_eq!(kinds.len(), 6, "{kinds:?}");
    assert_eq!(value["not_modelled"], Value::Array(Vec::new()));
}

#[test]
fn a_file_that_is_not_a_route_table_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("routes.json");
    std::fs::write(&bad, r#"{"routes": []}"#).unwrap();
    let (code, out, err) = compare(&design_with("172.20.2.0/24"), &bad, false);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.starts_with("vnetlab routes: ") && err.contains("show-effective-route-table"),
        "{err}"
    );
    let (code, _, err) = compare(
        &design_with("172.20.2.0/24"),
        &dir.path().join("missing.json"),
        false,
    );
    assert_eq!(code, 2, "{err}");
}
