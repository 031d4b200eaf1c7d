//! Hostile templates are refused with one sentence, never a panic, a hang or unbounded memory:
//! deep expressions, huge copy counts and resource counts, cyclic variables, over-long
//! expressions, strings and arrays grown by loops, deep value nesting through variable chains,
//! deployments nested without end. A seeded, bounded proptest throws random and mutated
//! expressions and templates at the parser and the evaluator.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod template_support;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use template_support::import_error;
use vnetlab::io::azure;
use vnetlab::io::template::{TemplateOptions, parse::parse};

const SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

fn template(variables: Value, resources: Value) -> Value {
    json!({"$schema": SCHEMA, "contentVersion": "1.0.0.0", "variables": variables, "resources": resources})
}

/// A VNet whose address space is the expression under test.
fn vnet_with(space: &str) -> Value {
    json!([{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "v",
            "location": "eastus", "properties": {"addressSpace": {"addressPrefixes": [space]}}}])
}

/// The error for a hostile template, checked to be one sentence and quick.
fn refused(t: Value) -> String {
    let started = Instant::now();
    let message = import_error(&[("hostile.json", t)]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    assert!(message.starts_with("hostile.json: "), "{message}");
    assert!(!message.contains('\n'), "one line: {message}");
    message
}

#[test]
fn deeply_nested_expressions_are_refused() {
    let deep = format!("[{}1{}]", "createArray(".repeat(200), ")".repeat(200));
    assert_eq!(
        refused(template(json!({}), vnet_with(&deep))),
        "hostile.json: resource `v` (Microsoft.Network/virtualNetworks) › `properties`: the expression nests more than 64 levels deep"
    );
    let chain = format!("[parameters('x'){}]", ".a".repeat(5_000));
    assert!(
        refused(template(json!({}), vnet_with(&chain))).ends_with("nests more than 64 levels deep")
    );
}

#[test]
fn over_long_expressions_are_refused() {
    let long = format!("[concat('{}')]", "a".repeat(30_000));
    assert!(
        refused(template(json!({}), vnet_with(&long))).ends_with(
            "the expression is 30010 characters long, longer than the 24576 Azure accepts"
        )
    );
}

#[test]
fn huge_copy_counts_are_refused() {
    let resources = json!([{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01",
        "name": "[concat('v', copyIndex())]", "location": "eastus",
        "copy": {"name": "many", "count": 1_000_000_000}, "properties": {}}]);
    assert_eq!(
        refused(template(json!({}), resources)),
        "hostile.json: copy loop `many`: copy loop `many` has count 1000000000; Azure allows 0 to 800"
    );
    let property_copy = json!([{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01",
        "name": "v", "location": "eastus", "properties": {"copy": [{"name": "subnets", "count": -1, "input": {}}]}}]);
    assert!(
        refused(template(json!({}), property_copy))
            .ends_with("copy loop `subnets` has count -1; Azure allows 0 to 800")
    );
}

#[test]
fn more_than_800_resources_are_refused() {
    let resources = json!([
        {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01",
         "name": "[concat('n', copyIndex())]", "location": "eastus", "copy": {"name": "a", "count": 800}},
        {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "one-more", "location": "eastus"}
    ]);
    assert!(
        refused(template(json!({}), resources))
            .ends_with("the template declares more than 800 resources after copy loops, more than Azure allows in one template")
    );
}

#[test]
fn cyclic_variables_are_refused() {
    let variables = json!({"a": "[variables('b')]", "b": "[concat(variables('a'), 'x')]"});
    assert_eq!(
        refused(template(variables, vnet_with("[variables('a')]"))),
        "hostile.json: resource `v` (Microsoft.Network/virtualNetworks) › `properties` › variable `a` › variable `b`: variable `a` refers to itself"
    );
    let parameters = json!({"$schema": SCHEMA, "contentVersion": "1.0.0.0",
        "parameters": {"p": {"type": "string", "defaultValue": "[parameters('p')]"}},
        "resources": vnet_with("[parameters('p')]")});
    assert!(refused(parameters).ends_with("the default of parameter `p` refers to itself"));
}

#[test]
fn strings_and_arrays_grown_by_loops_are_bounded() {
    // Each variable doubles the previous one: 2^40 characters if nothing stopped it.
    let mut variables = serde_json::Map::new();
    variables.insert("v0".into(), json!("a".repeat(1_000)));
    for i in 1..=40 {
        variables.insert(
            format!("v{i}"),
            json!(format!(
                "[concat(variables('v{0}'), variables('v{0}'))]",
                i - 1
            )),
        );
    }
    assert!(
        refused(template(
            Value::Object(variables.clone()),
            vnet_with("[variables('v40')]")
        ))
        .ends_with("a string grew longer than 4194304 bytes")
    );
    for i in 1..=40 {
        variables.insert(
            format!("v{i}"),
            json!(format!(
                "[concat(variables('v{0}'), variables('v{0}'))]",
                i - 1
            )),
        );
    }
    variables.insert("v0".into(), json!("[range(0, 10000)]"));
    assert!(
        refused(template(
            Value::Object(variables),
            vnet_with("[length(variables('v40'))]")
        ))
        .ends_with("an array grew longer than 100000 items")
    );
    assert!(
        refused(template(
            json!({}),
            vnet_with("[string(range(0, 2000000))]")
        ))
        .ends_with("`range`: the count 2000000 is outside 0 to 10000")
    );
}

#[test]
fn copy_loops_that_build_too_much_run_out_of_fuel() {
    // 800 resources × 800 property copies × 2 KB each is 1.3 GB: the fuel stops it early.
    let resources = json!([{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01",
        "name": "[concat('n', copyIndex())]", "location": "eastus", "copy": {"name": "r", "count": 800},
        "properties": {"copy": [{"name": "securityRules", "count": 800,
            "input": {"name": "[concat(copyIndex('securityRules'), variables('big'))]"}}]}}]);
    let message = refused(template(json!({"big": "b".repeat(2_000)}), resources));
    assert!(message.ends_with("evaluating the template built more than 64 MiB of values, far more than any real template"), "{message}");
}

#[test]
fn values_nested_through_variable_chains_are_bounded() {
    let mut variables = serde_json::Map::new();
    variables.insert("v0".into(), json!(1));
    for i in 1..250 {
        variables.insert(
            format!("v{i}"),
            json!(format!(
                "[createArray(createArray(variables('v{}')))]",
                i - 1
            )),
        );
    }
    let message = refused(template(
        Value::Object(variables),
        vnet_with("[string(variables('v249'))]"),
    ));
    assert!(
        message.ends_with("evaluation nests more than 256 levels deep (variables built from variables, or resources referring to resources)")
            || message.ends_with("a value nests more than 200 levels deep"),
        "{message}"
    );
}

#[test]
fn deployments_nested_without_end_are_refused() {
    let mut inner = template(json!({}), vnet_with("10.0.0.0/16"));
    for level in 0..12 {
        inner = template(
            json!({}),
            json!([{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01",
            "name": format!("d{level}"), "properties": {"mode": "Incremental", "template": inner}}]),
        );
    }
    assert!(refused(inner).ends_with("deployments nest more than 10 levels deep"));
}

#[test]
fn a_linked_template_that_links_itself_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let me = template(
        json!({}),
        json!([{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01",
        "name": "again", "properties": {"mode": "Incremental", "templateLink": {"relativePath": "self.json"}}}]),
    );
    let path = dir.path().join("self.json");
    std::fs::write(&path, me.to_string()).unwrap();
    let message = azure::open_files_with(&[path], &TemplateOptions::default()).unwrap_err();
    assert!(
        message.ends_with("deployments nest more than 10 levels deep"),
        "{message}"
    );
}

/// Pieces real expressions are made of, and some that break them.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("concat(".to_string()),
        Just("createArray(".to_string()),
        Just("createObject('a', ".to_string()),
        Just("parameters('p')".to_string()),
        Just("variables('v')".to_string()),
        Just("copyIndex()".to_string()),
        Just("range(0, 3)".to_string()),
        Just("split('a,b', ',')".to_string()),
        Just("format('{0}-{1}', ".to_string()),
        Just("cidrSubnet('10.0.0.0/16', 24, ".to_string()),
        Just("parseCidr(".to_string()),
        Just("cidrHost('10.0.0.0/24', ".to_string()),
        Just("union(".to_string()),
        Just("if(".to_string()),
        Just("reference('v')".to_string()),
        Just("resourceId('Microsoft.Network/virtualNetworks', ".to_string()),
        Just("json('".to_string()),
        Just("substring('abcdef', ".to_string()),
        Just("padLeft(".to_string()),
        Just("map(range(0, 2), lambda('x', ".to_string()),
        Just("lambdaVariables('x')".to_string()),
        Just("ns.fn(".to_string()),
        Just("'it''s'".to_string()),
        Just("-1".to_string()),
        Just("9223372036854775807".to_string()),
        Just(".a".to_string()),
        Just(".?b".to_string()),
        Just("[0]".to_string()),
        Just("['k']".to_string()),
        Just(", ".to_string()),
        Just(")".to_string()),
        Just("(".to_string()),
        Just("]".to_string()),
        Just("'".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        "[a-z]{1,6}\\(".prop_map(|s| s),
        "[ -~]{0,4}".prop_map(|s| s),
    ]
}

fn expression() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..24).prop_map(|parts| parts.concat())
}

fn seeded(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x7e3d_1a5c),
        ..Config::default()
    })
}

/// The parser takes anything without panicking, and what it accepts prints back to text that
/// parses to the same tree.
#[test]
fn random_expressions_never_panic_the_parser() {
    seeded(2_000)
        .run(&expression(), |text| {
            if let Ok(expr) = parse(&text) {
                let printed = expr.to_string();
                prop_assert_eq!(
                    parse(&printed).ok(),
                    Some(expr),
                    "{} printed as {}",
                    text,
                    printed
                );
            }
            Ok(())
        })
        .unwrap();
}

/// Random expressions in every place of a template (variables, names, copy counts, conditions,
/// properties, nested deployments) import or fail with a one-line message, never a panic.
#[test]
fn random_templates_never_panic_the_evaluator() {
    let strategy = (
        expression(),
        expression(),
        expression(),
        expression(),
        0usize..6,
    );
    seeded(300)
        .run(&strategy, |(a, b, c, d, shape)| {
            let e = |s: &str| format!("[{s}]");
            let resources = match shape {
                0 => vnet_with(&e(&a)),
                1 => json!([{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "x", "name": e(&a),
                             "location": e(&b), "copy": {"name": "l", "count": e(&c)},
                             "properties": {"addressSpace": {"addressPrefixes": [e(&d)]}}}]),
                2 => json!([{"condition": e(&a), "type": "Microsoft.Network/virtualNetworks", "apiVersion": "x",
                             "name": "v", "properties": {"copy": [{"name": "subnets", "count": e(&b),
                                 "input": {"name": e(&c), "properties": {"addressPrefix": e(&d)}}}]}}]),
                3 => json!([{"type": "Microsoft.Resources/deployments", "apiVersion": "x", "name": e(&a),
                             "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
                                 "parameters": {"p": {"value": e(&b)}},
                                 "template": template(json!({"v": e(&c)}), vnet_with(&e(&d)))}}]),
                4 => json!({"sym": {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "x", "name": e(&a),
                                    "properties": {"x": e(&b)}}}),
                _ => vnet_with(&format!("[{a}{b}{c}{d}]")),
            };
            let t = json!({"$schema": SCHEMA, "contentVersion": "1.0.0.0", "languageVersion": "2.0",
                "parameters": {"p": {"type": "object", "defaultValue": {"a": [1, {"b": "c"}]}}},
                "functions": [{"namespace": "ns", "members": {"fn": {"parameters": [{"name": "x", "type": "int"}],
                    "output": {"type": "string", "value": "[string(parameters('x'))]"}}}}],
                "variables": {"v": e(&a), "copy": [{"name": "vs", "count": 2, "input": e(&b)}]},
                "resources": resources});
            let documents = vec![("fuzz.json".to_string(), t)];
            match azure::import_values_with(&documents, &TemplateOptions::default()) {
                Ok(imported) => prop_assert!(imported.design.validate().is_empty()),
                Err(error) => {
                    let message = error.to_string();
                    prop_assert!(message.starts_with("fuzz.json: "), "{}", message);
                    prop_assert!(!message.contains('\n'), "{}", message);
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn resources_referring_to_resources_in_a_long_chain_are_bounded() {
    let resources: Vec<Value> = (0..700)
        .map(|i| {
            let value = if i == 0 { "x".to_string() } else { format!("[reference('n{}').tag]", i - 1) };
            json!({"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "x", "name": format!("n{i}"),
                   "location": "eastus", "properties": {"tag": value}})
        })
        .rev()
        .collect();
    let message = refused(template(json!({}), Value::Array(resources)));
    assert!(message.ends_with("evaluation nests more than 256 levels deep (variables built from variables, or resources referring to resources)"), "{message}");
}
