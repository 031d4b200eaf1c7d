//! export(bicep): the Bicep text is the ARM export in Bicep notation. Without a Bicep compiler
//! (none is installed where these tests usually run) the tests check the translation itself
//! over every design in saves/, the start-up design (nested deployments), the every-feature
//! design and generated hub-and-spoke designs: no ARM expression string is left, every
//! `resourceId()` of the template is there as a Bicep call, parameters are `param`s, every
//! `dependsOn` names a declared resource. With `bicep` (or `az`) on the PATH, the text is
//! compiled with `bicep build --stdout` and imported back through the template importer,
//! which must give the design back.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use serde_json::Value;
use std::path::Path;
use vnetlab::io::export::{arm_template, bicep_text};
use vnetlab::io::{azure, examples, load_design, parse_design};
use vnetlab::model::Design;
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};

fn designs() -> Vec<(String, Design)> {
    let mut out = Vec::new();
    for (name, text) in
        std::iter::once(examples::DEFAULT_DESIGN).chain(examples::EXAMPLES.iter().copied())
    {
        out.push((name.to_string(), parse_design(text, name).unwrap()));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("saves")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            out.push((path.display().to_string(), load_design(&path).unwrap()));
        }
    }
    let every = root.join("tests/fixtures/azure/every-feature.ron");
    out.push(("every-feature".into(), load_design(&every).unwrap()));
    for (hubs, spokes) in [(1, 3), (2, 12)] {
        let params = HubSpokeParams {
            hubs,
            spokes,
            subnets_per_spoke: 2,
            vms_per_subnet: 1,
        };
        out.push((format!("gen-{hubs}x{spokes}"), hub_spoke(&params).unwrap()));
    }
    out
}

/// Every string of a JSON value.
fn strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

fn check_translation(label: &str, design: &Design) {
    let template = arm_template(design);
    let bicep = bicep_text(design).unwrap_or_else(|e| panic!("{label}: {e}"));
    // No ARM expression is left as a string: a literal never starts with `[` and a name.
    for (i, _) in bicep.match_indices("'[") {
        let after = &bicep[i + 2..];
        let word: String = after
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        assert!(
            word.is_empty() || !after[word.len()..].starts_with('('),
            "{label}: untranslated expression at {}",
            &bicep[i..(i + 60).min(bicep.len())]
        );
    }
    assert!(
        !bicep.contains("parameters('"),
        "{label}: parameters() left"
    );
    // Every expression form the ARM writer emits is translated, one for one (the top-level
    // `dependsOn` entries become symbols, counted below).
    let mut without_depends = template.clone();
    for resource in without_depends["resources"].as_array_mut().unwrap() {
        resource.as_object_mut().unwrap().remove("dependsOn");
    }
    let mut all = Vec::new();
    strings(&without_depends, &mut all);
    let expressions: Vec<&str> = all
        .into_iter()
        .filter(|s| s.starts_with('[') && !s.starts_with("[["))
        .collect();
    for form in ["resourceId(", "subscription()", "resourceGroup()"] {
        let in_arm: usize = expressions.iter().map(|e| e.matches(form).count()).sum();
        // (The parameters for nested deployments default to `subscription()`/`resourceGroup()`.)
        let in_bicep: usize = bicep
            .lines()
            .filter(|l| !l.starts_with("param "))
            .map(|l| l.matches(form).count())
            .sum();
        assert_eq!(in_bicep, in_arm, "{label}: {form}");
    }
    for e in &expressions {
        let known = [
            "[resourceId(",
            "[parameters(",
            "[subscription()",
            "[resourceGroup()",
        ];
        assert!(
            known.iter().any(|k| e.starts_with(k)),
            "{label}: a form this test does not know: {e}"
        );
    }
    for (name, _) in template["parameters"].as_object().unwrap() {
        assert!(
            bicep.contains(&format!("\nparam {name} ")),
            "{label}: param {name}"
        );
    }
    // One declaration per top-level resource; every top-level dependsOn kept as symbols.
    let top = template["resources"].as_array().unwrap();
    let declared: Vec<&str> = bicep
        .lines()
        .filter_map(|l| l.strip_prefix("resource "))
        .filter_map(|l| l.split(' ').next())
        .collect();
    assert_eq!(declared.len(), top.len(), "{label}");
    let depends_in_arm: usize = top
        .iter()
        .map(|r| r["dependsOn"].as_array().map_or(0, Vec::len))
        .sum();
    let mut depends_in_bicep = 0;
    let mut inside = false;
    for line in bicep.lines() {
        match line {
            "  dependsOn: [" => inside = true,
            "  ]" if inside => inside = false,
            symbol if inside => {
                assert!(declared.contains(&symbol.trim()), "{label}: {symbol}");
                depends_in_bicep += 1;
            }
            _ => {}
        }
    }
    assert_eq!(depends_in_bicep, depends_in_arm, "{label}: dependsOn kept");
    assert!(
        bicep.contains("\nmetadata vnetlab = {"),
        "{label}: vnetlab metadata"
    );
    compile_and_import(label, design, &bicep);
}

/// With a Bicep compiler: `bicep build --stdout`, then the template importer gives the design
/// back (lists compared in name order: nested deployments group objects by place).
fn compile_and_import(label: &str, design: &Design, bicep: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.bicep");
    std::fs::write(&path, bicep).unwrap();
    let json = match vnetlab::io::template::bicep::compile(&path) {
        Ok(json) => json,
        Err(vnetlab::io::template::bicep::BicepError::NoCompiler { .. }) => {
            println!("{label}: no `bicep` or `az` on the PATH; the Bicep was not compiled");
            return;
        }
        Err(e) => panic!("{label}: {e}\n{bicep}"),
    };
    let imported = azure::import_texts(&[(format!("{label}.json"), json)]).unwrap();
    let changes: Vec<String> = vnetlab::diff::object_changes(design, &imported.design)
        .iter()
        .map(vnetlab::diff::ObjectChange::describe)
        .collect();
    // The every-feature design's classic VM does not come back from any ARM template
    // (tests/export_arm.rs says why).
    let known: &[&str] = if label == "every-feature" {
        &["- VM `web-classic`", "- intent `app-to-web`"]
    } else {
        &[]
    };
    assert_eq!(changes, known, "{label}");
}

#[test]
fn every_design_translates_every_expression() {
    let designs = designs();
    assert!(designs.len() >= 10);
    for (label, design) in &designs {
        check_translation(label, design);
    }
}

#[test]
fn the_gateway_transit_bicep_is_stable() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/04-gateway-transit.ron");
    let bicep = bicep_text(&load_design(&path).unwrap()).unwrap();
    assert!(bicep.contains("@secure()\nparam vpnSharedKey string\n"));
    assert!(bicep.contains("sharedKey: vpnSharedKey\n"));
    insta::assert_snapshot!("bicep_04-gateway-transit", bicep);
}

#[test]
fn nested_deployments_pass_the_home_place() {
    let design = parse_design(examples::DEFAULT_DESIGN.1, "hub-spoke.ron").unwrap();
    let bicep = bicep_text(&design).unwrap();
    assert!(bicep.contains("param vnetlabSubscription string = subscription().subscriptionId\n"));
    assert!(bicep.contains("param vnetlabResourceGroup string = resourceGroup().name\n"));
    assert!(bicep.contains(
        "resource deployments_vnetlab_place_1 'Microsoft.Resources/deployments@2022-09-01' = {"
    ));
    assert!(bicep.contains("\n  dependsOn: [\n    deployments_vnetlab_place_1\n"));
    assert!(bicep.contains("scope: 'inner'"));
}

#[cfg(all(feature = "cli", feature = "tui"))]
#[test]
fn the_cli_writes_bicep() {
    use predicates::prelude::*;
    let save = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/03-hub-spoke-nva.ron");
    assert_cmd::Command::cargo_bin("vnetlab")
        .unwrap()
        .args(["export", "--to", "bicep"])
        .arg(&save)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "resource virtualNetworks_hub 'Microsoft.Network/virtualNetworks@2023-09-01' = {",
        ))
        .stdout(predicate::str::contains("[resourceId").not());
}
