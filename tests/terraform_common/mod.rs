//! A test-only stand-in for `terraform plan` + `terraform show -json`: it evaluates the HCL that
//! `vnetlab export --to terraform` writes (with `hcl-rs`) into the JSON shape Terraform prints
//! for a plan of new resources. As in a real first plan, every `id` is unknown until apply: an
//! attribute that refers to another resource's `id` is left out of `planned_values`, marked in
//! `after_unknown`, and its `references` are listed in `configuration`, so the importer must
//! resolve them the way it does for real plans. Only what the exporter writes is supported
//! (literals, `var.*`, references to other resources, nested blocks, outputs, providers).
#![allow(dead_code, clippy::unwrap_used, clippy::type_complexity)]

use hcl::eval::{Context, Evaluate};
use hcl::expr::{Expression, TraversalOperator};
use serde_json::{Map, Value, json};

/// Values for variables without a default.
pub const STAND_INS: &[(&str, &str)] = &[
    ("subscription_id", "00000000-0000-0000-0000-000000000000"),
    ("admin_ssh_public_key", "ssh-ed25519 AAAA test"),
    ("vpn_shared_key", "test-key"),
];

fn references(expr: &Expression, out: &mut Vec<String>) {
    match expr {
        Expression::Traversal(t) => {
            let Expression::Variable(root) = &t.expr else {
                return;
            };
            let mut parts = vec![root.to_string()];
            for op in &t.operators {
                match op {
                    TraversalOperator::GetAttr(name) => parts.push(name.to_string()),
                    _ => break,
                }
            }
            // Terraform lists the longest form first, then the resource (`type.name`).
            out.push(parts.join("."));
            if parts.len() > 2 && parts[0] != "var" {
                out.push(parts[..2].join("."));
            }
        }
        Expression::Array(items) => items.iter().for_each(|e| references(e, out)),
        Expression::Object(object) => object.values().for_each(|e| references(e, out)),
        _ => {}
    }
}

fn to_json(value: hcl::Value) -> Value {
    serde_json::to_value(value).unwrap()
}

/// Evaluates a body's attributes and nested blocks: `(values, after_unknown, expressions)`.
fn evaluate_body(
    body: &hcl::Body,
    ctx: &Context,
) -> (
    Map<String, Value>,
    Map<String, Value>,
    Map<String, Value>,
    Option<String>,
) {
    let mut values = Map::new();
    let mut unknown = Map::new();
    let mut expressions = Map::new();
    let mut provider = None;
    for attribute in body.attributes() {
        let key = attribute.key().to_string();
        if key == "provider" {
            let mut refs = Vec::new();
            references(attribute.expr(), &mut refs);
            provider = refs.first().cloned();
            continue;
        }
        let mut refs = Vec::new();
        references(attribute.expr(), &mut refs);
        match attribute.expr().evaluate(ctx) {
            Ok(value) => {
                let value = to_json(value);
                let expression = if refs.is_empty() {
                    json!({ "constant_value": value })
                } else {
                    json!({ "references": refs })
                };
                values.insert(key.clone(), value);
                expressions.insert(key, expression);
            }
            Err(_) => {
                unknown.insert(key.clone(), json!(true));
                expressions.insert(key, json!({ "references": refs }));
            }
        }
    }
    for block in body.blocks() {
        let (v, u, e, _) = evaluate_body(block.body(), ctx);
        let name = block.identifier().to_string();
        for (map, item) in [(&mut values, v), (&mut unknown, u), (&mut expressions, e)] {
            map.entry(name.clone())
                .or_insert_with(|| json!([]))
                .as_array_mut()
                .unwrap()
                .push(Value::Object(item));
        }
    }
    (values, unknown, expressions, provider)
}

/// The plan JSON for an HCL text, as `terraform show -json` prints it for a first plan.
pub fn plan(text: &str) -> Value {
    let body = hcl::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let mut variables = Map::new();
    for block in body.blocks().filter(|b| b.identifier() == "variable") {
        let name = block.labels()[0].as_str().to_string();
        let default = block
            .body()
            .attributes()
            .find(|a| a.key() == "default")
            .map(|a| to_json(a.expr().evaluate(&Context::new()).unwrap()));
        let value = default.unwrap_or_else(|| {
            let stand_in = STAND_INS.iter().find(|(k, _)| *k == name).unwrap();
            json!(stand_in.1)
        });
        variables.insert(name, value);
    }
    let mut ctx = Context::new();
    ctx.declare_var("var", hcl::to_value(&variables).unwrap());
    let mut provider_config = Map::new();
    for block in body.blocks().filter(|b| b.identifier() == "provider") {
        let alias = block
            .body()
            .attributes()
            .find(|a| a.key() == "alias")
            .map(|a| to_json(a.expr().evaluate(&ctx).unwrap()));
        let key = match &alias {
            Some(Value::String(a)) => format!("azurerm.{a}"),
            _ => "azurerm".to_string(),
        };
        let (_, _, expressions, _) = evaluate_body(block.body(), &ctx);
        provider_config.insert(
            key,
            json!({ "name": "azurerm", "expressions": expressions }),
        );
    }
    let mut known: Map<String, Value> = Map::new();
    let mut planned = Vec::new();
    let mut changes = Vec::new();
    let mut configured = Vec::new();
    for block in body.blocks().filter(|b| b.identifier() == "resource") {
        let kind = block.labels()[0].as_str().to_string();
        let name = block.labels()[1].as_str().to_string();
        let (values, unknown, expressions, provider) = evaluate_body(block.body(), &ctx);
        let address = format!("{kind}.{name}");
        known
            .entry(kind.clone())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .unwrap()
            .insert(name.clone(), Value::Object(values.clone()));
        for (k, v) in &known {
            ctx.declare_var(k.as_str(), hcl::to_value(v).unwrap());
        }
        planned.push(json!({
            "address": address, "mode": "managed", "type": kind, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/azurerm", "values": values,
        }));
        changes.push(json!({
            "address": address, "mode": "managed", "type": kind, "name": name,
            "change": { "actions": ["create"], "after_unknown": unknown },
        }));
        configured.push(json!({
            "address": address, "mode": "managed", "type": kind, "name": name,
            "provider_config_key": provider.unwrap_or_else(|| "azurerm".to_string()),
            "expressions": expressions,
        }));
    }
    let mut outputs = Map::new();
    for block in body.blocks().filter(|b| b.identifier() == "output") {
        let value = block
            .body()
            .attributes()
            .find(|a| a.key() == "value")
            .map(|a| to_json(a.expr().evaluate(&ctx).unwrap()))
            .unwrap();
        outputs.insert(
            block.labels()[0].as_str().to_string(),
            json!({ "sensitive": false, "value": value }),
        );
    }
    let variables: Map<String, Value> = variables
        .into_iter()
        .map(|(k, v)| (k, json!({ "value": v })))
        .collect();
    json!({
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "variables": variables,
        "planned_values": { "outputs": outputs, "root_module": { "resources": planned } },
        "resource_changes": changes,
        "configuration": {
            "provider_config": provider_config,
            "root_module": { "resources": configured },
        },
    })
}
