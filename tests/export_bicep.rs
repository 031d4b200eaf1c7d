//! export(bicep): the Bicep text is the ARM export in Bicep notation. No Bicep compiler is on
//! the registries this project can reach, so every run checks it three ways over every design
//! in saves/, the start-up design (nested deployments), the every-feature design and generated
//! hub-and-spoke designs: the translation itself (no ARM expression string is left, every
//! `resourceId()` of the template is there as a Bicep call, parameters are `param`s, every
//! `dependsOn` names a declared resource); the syntax, with the Bicep grammar editors use
//! (tree-sitter-bicep); and the meaning, reading the Bicep back as `bicep build` would
//! (tests/bicep_reader) into the very template the ARM export writes, which imports to the same
//! design. With `bicep` (or `az`) on the PATH, the text is also compiled with
//! `bicep build --stdout` and imported back through the template importer.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod design_changes;

mod bicep_reader;

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
    assert_parses(label, &bicep);
    read_back(label, design, &template, &bicep);
    compile_and_import(label, design, &bicep);
}

/// The Bicep read back as `bicep build` would (tests/bicep_reader) is the ARM template the
/// ARM export writes, value for value, and imports to the same design.
fn read_back(label: &str, design: &Design, template: &Value, bicep: &str) {
    let mut read = bicep_reader::to_arm(bicep).unwrap_or_else(|e| panic!("{label}: {e}"));
    // The Bicep declares the nested deployments' place parameters at the top too, so that
    // `vnetlabSubscription` inside a nested template names a parameter (the ARM template needs
    // no such declaration: its expressions are strings).
    for place in ["vnetlabSubscription", "vnetlabResourceGroup"] {
        if template["parameters"].get(place).is_none() {
            read["parameters"].as_object_mut().unwrap().remove(place);
        }
    }
    let mut expected = template.clone();
    expected["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("_generator");
    // ARM lets a top-level `dependsOn` name a resource by its name alone; `bicep build` writes
    // the resource's `resourceId()`: the same dependency.
    let top = expected["resources"].clone();
    for resource in expected["resources"].as_array_mut().unwrap() {
        for entry in resource["dependsOn"].as_array_mut().into_iter().flatten() {
            let Some(name) = entry.as_str().filter(|e| !e.starts_with('[')) else {
                continue;
            };
            let target = top.as_array().unwrap().iter().find(|r| r["name"] == name);
            let kind = target.unwrap()["type"].as_str().unwrap();
            *entry = serde_json::json!(format!("[resourceId('{kind}', '{name}')]"));
        }
    }
    if let Some(at) = first_difference(&read, &expected, String::new()) {
        panic!("{label}: the Bicep reads back to another template, first at {at}");
    }
    let imported = azure::import_texts(&[(format!("{label}.json"), read.to_string())])
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    let changes = design_changes::described(design, &imported.design);
    assert_eq!(changes, Vec::<String>::new(), "{label}");
}

/// The Bicep parses with the grammar Bicep's editors use (tree-sitter-bicep): no node is an
/// error or a token the parser had to invent. This is the syntax check that runs everywhere;
/// types and resource schemas are checked only where a Bicep compiler is installed.
fn assert_parses(label: &str, bicep: &str) {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_bicep::LANGUAGE.into())
        .unwrap();
    let tree = parser.parse(bicep, None).unwrap();
    let mut cursor = tree.walk();
    let mut problems = Vec::new();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            let at = node.start_position();
            let line = bicep.lines().nth(at.row).unwrap_or_default();
            problems.push(format!(
                "{}:{} {} in `{line}`",
                at.row + 1,
                at.column + 1,
                if node.is_missing() {
                    format!("missing {}", node.kind())
                } else {
                    "syntax error".to_string()
                }
            ));
        }
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                assert!(problems.is_empty(), "{label}: {problems:#?}");
                return;
            }
        }
    }
}

#[test]
fn the_syntax_check_finds_errors() {
    // The check itself: a Bicep with a missing brace or a stray token is refused.
    for broken in [
        "resource a 'Microsoft.Network/virtualNetworks@2023-09-01' = {\n  name: 'a'\n",
        "param x string =\n",
        "resource a 'T@1' = {\n  name: 'a' 'b'\n}\n",
    ] {
        let caught = std::panic::catch_unwind(|| assert_parses("broken", broken));
        assert!(caught.is_err(), "not caught: {broken}");
    }
    assert_parses(
        "fine",
        "param x string = 'a'\nresource a 'T@1' = {\n  name: x\n}\n",
    );
}

/// The path of the first place two JSON values differ, with both sides.
fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                first_difference(
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                    format!("{at}.{k}"),
                )
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, format!("{at}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} (read) vs {b} (ARM export)")),
    }
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
    assert_eq!(changes, Vec::<String>::new(), "{label}");
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

#[test]
fn the_read_back_catches_a_changed_value() {
    // The reader is not vacuous: one flag changed in the Bicep is a different template.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/04-gateway-transit.ron");
    let design = load_design(&path).unwrap();
    let template = arm_template(&design);
    let bicep = bicep_text(&design).unwrap();
    read_back("04", &design, &template, &bicep);
    let changed = bicep.replacen("useRemoteGateways: true", "useRemoteGateways: false", 1);
    assert_ne!(changed, bicep);
    let caught = std::panic::catch_unwind(|| read_back("04", &design, &template, &changed));
    assert!(caught.is_err());
}
