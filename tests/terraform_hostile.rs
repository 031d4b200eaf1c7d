//! Hostile Terraform JSON: deep module nesting, too many instances, cyclic references, wrong
//! shapes and randomly damaged plans are refused with one sentence or imported with the damage
//! named, never a panic or a hang.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use proptest::prelude::*;
use serde_json::{Value, json};
use vnetlab::io::azure;

fn import(value: &Value) -> Result<azure::Imported, String> {
    azure::import_values(&[("plan.json".to_string(), value.clone())]).map_err(|e| e.to_string())
}

fn plan(root_module: Value) -> Value {
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "planned_values": { "root_module": root_module },
    })
}

fn one_sentence(message: &str) {
    assert!(message.starts_with("plan.json: "), "{message}");
    assert!(!message.contains('\n'), "{message}");
}

#[test]
fn deep_module_nesting_is_refused() {
    let mut module = json!({ "resources": [] });
    let mut address = String::new();
    let mut addresses = Vec::new();
    for level in 0..40 {
        address = if address.is_empty() {
            format!("module.m{level}")
        } else {
            format!("{address}.module.m{level}")
        };
        addresses.push(address.clone());
    }
    for address in addresses.iter().rev() {
        module = json!({ "address": address, "child_modules": [module] });
    }
    let root = json!({ "child_modules": [module] });
    let message = import(&plan(root)).unwrap_err();
    one_sentence(&message);
    assert!(message.contains("nest more than 32 levels"), "{message}");
}

#[test]
fn too_many_instances_are_refused_before_translation() {
    let resources: Vec<Value> = (0..=vnetlab::io::azure::MAX_RESOURCES)
        .map(|i| json!({"address": format!("random_id.r{i}"), "mode": "managed", "type": "random_id", "name": format!("r{i}")}))
        .collect();
    let message = import(&plan(json!({ "resources": resources }))).unwrap_err();
    one_sentence(&message);
    assert!(
        message.contains("more than 100000 resource instances"),
        "{message}"
    );
}

#[test]
fn cyclic_references_end_unresolved() {
    // A peering whose remote ID comes from module `a`'s output `x`, which is `var.y`, which the
    // module call sets to `module.a.x` again.
    let mut value = plan(json!({
        "resources": [
            {"address": "azurerm_virtual_network.hub", "mode": "managed", "type": "azurerm_virtual_network", "name": "hub",
             "values": {"name": "hub", "resource_group_name": "rg", "location": "westeurope", "address_space": ["10.0.0.0/16"]}},
        ],
        "child_modules": [{"address": "module.a", "resources": [
            {"address": "module.a.azurerm_virtual_network_peering.p", "mode": "managed", "type": "azurerm_virtual_network_peering", "name": "p",
             "values": {"name": "p", "resource_group_name": "rg", "virtual_network_name": "hub"}},
        ]}],
    }));
    value["configuration"] = json!({"root_module": {"module_calls": {"a": {
        "expressions": {"y": {"references": ["module.a.x", "module.a"]}},
        "module": {
            "outputs": {"x": {"expression": {"references": ["var.y"]}}},
            "resources": [{"address": "azurerm_virtual_network_peering.p", "mode": "managed",
                "type": "azurerm_virtual_network_peering", "name": "p",
                "expressions": {"remote_virtual_network_id": {"references": ["module.a.x", "var.y"]}}}],
        },
    }}}});
    let imported = import(&value).unwrap();
    assert!(imported.design.peerings.is_empty());
    let report = imported.report.to_string();
    assert!(
        report.contains("`remote_virtual_network_id` is unknown until apply"),
        "{report}"
    );
}

#[test]
fn wrong_shapes_are_refused_with_one_sentence() {
    let cases = [
        (
            json!({"format_version": "1.0", "terraform_version": "1.5.0"}),
            "neither `planned_values`",
        ),
        (
            json!({"format_version": "1.0", "terraform_version": "1.5.0", "planned_values": 5}),
            "is not an object",
        ),
        (
            plan(json!({"resources": {"a": 1}})),
            "`resources` is not a list",
        ),
        (
            plan(json!({"child_modules": [{"address": "azurerm_x.y"}]})),
            "not a module address",
        ),
        (
            plan(json!({"child_modules": [{"address": "module.a.module.b"}]})),
            "not inside the module",
        ),
        (
            json!({"version": 4, "terraform_version": "1.5.0", "lineage": "x", "resources": []}),
            "raw state file",
        ),
        (
            json!({"format_version": "1.0", "terraform_version": "1.5.0", "resource_changes": []}),
            "no `planned_values`",
        ),
    ];
    for (value, expected) in cases {
        let message = import(&value).unwrap_err();
        one_sentence(&message);
        assert!(message.contains(expected), "{message}");
    }
}

#[test]
fn values_of_the_wrong_type_are_left_out_with_a_line() {
    let value = plan(json!({"resources": [
        {"address": "azurerm_virtual_network.a", "mode": "managed", "type": "azurerm_virtual_network", "name": "a",
         "values": {"name": 7, "resource_group_name": ["rg"], "address_space": "10.0.0.0/16", "subnet": "x"}},
        {"address": "azurerm_route_table.r", "mode": "managed", "type": "azurerm_route_table", "name": "r",
         "values": {"name": "r", "resource_group_name": "rg", "route": [{"name": "x", "address_prefix": 5, "next_hop_type": "VirtualAppliance"}]}},
        {"address": "azurerm_network_interface.n", "mode": "managed", "type": "azurerm_network_interface", "name": "n",
         "values": {"name": "n", "resource_group_name": "rg", "ip_configuration": {"subnet_id": 1}}},
        "not an object",
    ]}));
    let imported = import(&value).unwrap();
    assert!(imported.design.vnets.is_empty());
    assert!(
        !imported.report.placeholders.is_empty(),
        "{}",
        imported.report
    );
}

/// Replaces, removes or retypes the value at a random path, `depth` levels down at most.
fn damage(value: &mut Value, choices: &[u16], depth: usize) {
    let Some((&choice, rest)) = choices.split_first() else {
        return;
    };
    let replacement = |c: u16| match c % 6 {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!("x"),
        4 => json!([]),
        _ => json!({}),
    };
    match value {
        Value::Object(map) if !map.is_empty() && depth > 0 => {
            let key = map
                .keys()
                .nth(usize::from(choice) % map.len())
                .unwrap()
                .clone();
            if choice % 7 == 0 {
                map.remove(&key);
            } else if choice % 5 == 0 {
                map.insert(key, replacement(choice / 5));
            } else {
                damage(map.get_mut(&key).unwrap(), rest, depth - 1);
            }
        }
        Value::Array(items) if !items.is_empty() && depth > 0 => {
            let at = usize::from(choice) % items.len();
            if choice % 7 == 0 {
                items.remove(at);
            } else {
                damage(&mut items[at], rest, depth - 1);
            }
        }
        other => *other = replacement(choice),
    }
}

fn sample() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/terraform/lz-vending-mesh-azapi.derived.plan.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn damaged_plans_never_panic(cuts in proptest::collection::vec(proptest::collection::vec(any::<u16>(), 1..12), 1..6)) {
        let mut value = sample();
        for choices in &cuts {
            damage(&mut value, choices, 12);
        }
        if let Err(message) = import(&value) {
            prop_assert!(!message.contains('\n'), "{}", message);
        }
    }
}
