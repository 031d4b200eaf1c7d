//! Design → Bicep, printed from the ARM template [`arm_template`] builds (one mapping of the
//! model to Azure's resources; this module only changes the notation).
//!
//! The template's parameters become `param` declarations (`@secure()` for secure strings,
//! `@description` from their metadata), its `metadata.vnetlab` a `metadata vnetlab` statement
//! (which the compiler copies back into the template's metadata, where the template importer
//! reads it), and each top-level resource a `resource` declaration whose symbolic name is its
//! type's last segment and its name (`virtualNetworks_hub`). Values are printed as Bicep
//! literals; every ARM expression string (`[resourceId('…', '…')]`, `[parameters('x')]`,
//! `[subscription().subscriptionId]`) is parsed with the template importer's parser and printed
//! as the Bicep expression it is (`resourceId('…', '…')`, `x`, `subscription().subscriptionId`),
//! and `[[` escapes become plain text (the compiler escapes it again). `dependsOn` lists the
//! symbolic names of the resources (and nested deployments) an ARM `dependsOn` names.
//!
//! Nested deployments (objects outside the deployment's own subscription or resource group)
//! stay `Microsoft.Resources/deployments` resources with an inline template of inner scope:
//! inside it, expressions are printed the same way and compile back to the same ARM strings,
//! which the nested deployment evaluates in its own scope. The parameters the nested templates
//! receive (`vnetlabSubscription`, `vnetlabResourceGroup`) become top-level parameters with
//! the deployment's own place as default, so inner references compile. Cost: linear in the
//! template.

use super::arm::arm_template;
use crate::io::template::parse::{Expr, Text, classify, parse};
use crate::model::Design;
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// Why a template could not be printed as Bicep.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BicepExportError {
    /// An expression of the template did not parse (the ARM writer emitted something new).
    #[error("the template expression `{text}` could not be translated to Bicep: {reason}")]
    Expression {
        /// The expression, with its brackets.
        text: String,
        /// The parser's reason.
        reason: String,
    },
}

/// The parameters nested deployments receive to name the template's own place.
const PLACE_PARAMETERS: [(&str, &str); 2] = [
    ("vnetlabSubscription", "subscription().subscriptionId"),
    ("vnetlabResourceGroup", "resourceGroup().name"),
];

/// The design as Bicep text, ending with a newline.
pub fn bicep_text(design: &Design) -> Result<String, BicepExportError> {
    let template = arm_template(design);
    let mut out = String::from(
        "// Written by `vnetlab export --to bicep`; `bicep build` gives the template\n\
         // `vnetlab export --to arm` writes. Deploy with `az deployment group create`.\n",
    );
    if let Some(meta) = template["metadata"].get(super::METADATA_KEY) {
        out.push_str("\nmetadata vnetlab = ");
        print_value(meta, 0, &mut out)?;
        out.push('\n');
    }
    let resources: Vec<&Value> = template["resources"]
        .as_array()
        .map(|r| r.iter().collect())
        .unwrap_or_default();
    let mut text = String::new();
    let symbols = symbols(&resources);
    for (resource, symbol) in resources.iter().zip(&symbols) {
        text.push('\n');
        print_resource(resource, symbol, &resources, &symbols, &mut text)?;
    }
    out.push('\n');
    print_parameters(&template["parameters"], &mut out)?;
    if text.contains("vnetlabSubscription") {
        for (name, default) in PLACE_PARAMETERS {
            let _ = writeln!(
                out,
                "@description('Passed to nested deployments: this deployment\\'s own place.')\n\
                 param {name} string = {default}"
            );
        }
    }
    out.push_str(&text);
    Ok(out)
}

fn print_parameters(parameters: &Value, out: &mut String) -> Result<(), BicepExportError> {
    for (name, declaration) in parameters.as_object().into_iter().flatten() {
        if let Some(description) = declaration["metadata"]["description"].as_str() {
            let _ = writeln!(out, "@description({})", string(description));
        }
        let kind = declaration["type"].as_str().unwrap_or("string");
        let kind = if kind.eq_ignore_ascii_case("securestring") {
            out.push_str("@secure()\n");
            "string"
        } else if kind.eq_ignore_ascii_case("secureobject") {
            out.push_str("@secure()\n");
            "object"
        } else {
            kind
        };
        let _ = write!(out, "param {name} {kind}");
        if let Some(default) = declaration.get("defaultValue") {
            out.push_str(" = ");
            print_value(default, 0, out)?;
        }
        out.push('\n');
    }
    Ok(())
}

/// A unique Bicep identifier per resource: its type's last segment and its name.
fn symbols(resources: &[&Value]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for resource in resources {
        let kind = resource["type"].as_str().unwrap_or_default();
        let last = kind.rsplit('/').next().unwrap_or("resource");
        let name = resource["name"].as_str().unwrap_or_default();
        let base: String = format!("{last}_{name}")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let base = if base.starts_with(|c: char| c.is_ascii_digit()) {
            format!("_{base}")
        } else {
            base
        };
        let symbol = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}_{n}")))
            .find(|s| !out.contains(s))
            .unwrap_or(base);
        out.push(symbol);
    }
    out
}

fn print_resource(
    resource: &Value,
    symbol: &str,
    resources: &[&Value],
    symbols: &[String],
    out: &mut String,
) -> Result<(), BicepExportError> {
    let kind = resource["type"].as_str().unwrap_or_default();
    let api = resource["apiVersion"].as_str().unwrap_or_default();
    let _ = writeln!(
        out,
        "resource {symbol} {} = {{",
        string(&format!("{kind}@{api}"))
    );
    let body = resource.as_object().cloned().unwrap_or_default();
    // `name` first and `dependsOn` last, as Bicep files are written; the rest in JSON order.
    let mut keys: Vec<&String> = body.keys().collect();
    keys.sort_by_key(|k| match k.as_str() {
        "name" => 0,
        "dependsOn" => 2,
        _ => 1,
    });
    for key in keys {
        let value = &body[key.as_str()];
        match key.as_str() {
            "type" | "apiVersion" => {}
            "dependsOn" => {
                let on: Vec<&str> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .filter_map(|d| depended_on(d, resources, symbols))
                    .collect();
                if !on.is_empty() {
                    out.push_str("  dependsOn: [\n");
                    for symbol in on {
                        let _ = writeln!(out, "    {symbol}");
                    }
                    out.push_str("  ]\n");
                }
            }
            _ => {
                let _ = write!(out, "  {}: ", key_text(key));
                print_value(value, 1, out)?;
                out.push('\n');
            }
        }
    }
    out.push_str("}\n");
    Ok(())
}

/// The symbol of the top-level resource an ARM `dependsOn` entry names: a nested deployment by
/// name, or `[resourceId('type', 'name'…)]` of a resource in this deployment.
fn depended_on<'a>(entry: &str, resources: &[&Value], symbols: &'a [String]) -> Option<&'a str> {
    let (kind, name) = match classify(entry) {
        Text::Literal(name) => (
            "Microsoft.Resources/deployments".to_string(),
            name.to_string(),
        ),
        Text::Expression(text) => match parse(text).ok()? {
            Expr::Call { name, args } if name.eq_ignore_ascii_case("resourceId") => {
                let texts: Vec<&str> = args
                    .iter()
                    .map(|a| match a {
                        Expr::Str(s) => Some(&**s),
                        _ => None,
                    })
                    .collect::<Option<_>>()?;
                let (kind, names) = texts.split_first()?;
                ((*kind).to_string(), names.join("/"))
            }
            _ => return None,
        },
    };
    resources
        .iter()
        .position(|r| {
            r["type"]
                .as_str()
                .is_some_and(|t| t.eq_ignore_ascii_case(&kind))
                && r["name"] == name.as_str()
        })
        .and_then(|i| symbols.get(i))
        .map(String::as_str)
}

/// An object key: bare when it is an identifier, else a string.
fn key_text(key: &str) -> String {
    let identifier = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if identifier {
        key.to_string()
    } else {
        string(key)
    }
}

/// A Bicep string literal.
fn string(text: &str) -> String {
    let mut out = String::from("'");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:X}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}

/// A JSON value as a Bicep value at `depth` (continuation lines indented to it).
fn print_value(value: &Value, depth: usize, out: &mut String) -> Result<(), BicepExportError> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(text) => match classify(text) {
            Text::Literal(literal) => out.push_str(&string(literal)),
            Text::Expression(inner) => {
                let expr = parse(inner).map_err(|e| BicepExportError::Expression {
                    text: text.clone(),
                    reason: e.to_string(),
                })?;
                out.push_str(&expression(&expr));
            }
        },
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push_str("[\n");
            for item in items {
                out.push_str(&indent(depth + 1));
                print_value(item, depth + 1, out)?;
                out.push('\n');
            }
            let _ = write!(out, "{}]", indent(depth));
        }
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => print_object(map, depth, out)?,
    }
    Ok(())
}

fn print_object(
    map: &Map<String, Value>,
    depth: usize,
    out: &mut String,
) -> Result<(), BicepExportError> {
    out.push_str("{\n");
    for (key, item) in map {
        let _ = write!(out, "{}{}: ", indent(depth + 1), key_text(key));
        print_value(item, depth + 1, out)?;
        out.push('\n');
    }
    let _ = write!(out, "{}}}", indent(depth));
    Ok(())
}

/// An ARM expression as Bicep: `parameters('x')` is the parameter `x`; other functions the
/// writer uses (`resourceId`, `subscription`, `resourceGroup`) are Bicep functions of the same
/// name and arguments.
fn expression(expr: &Expr) -> String {
    match expr {
        Expr::Str(text) => string(text),
        Expr::Int(n) => n.to_string(),
        Expr::Float(x) => x.to_string(),
        Expr::Bool(b) => b.to_string(),
        Expr::Null => "null".to_string(),
        Expr::Call { name, args } => match (name.to_ascii_lowercase().as_str(), args.as_slice()) {
            ("parameters", [Expr::Str(parameter)]) => parameter.to_string(),
            _ => {
                let args: Vec<String> = args.iter().map(expression).collect();
                format!("{name}({})", args.join(", "))
            }
        },
        Expr::Member { target, name, safe } => {
            format!(
                "{}{}{name}",
                expression(target),
                if *safe { ".?" } else { "." }
            )
        }
        Expr::Index { target, index } => format!("{}[{}]", expression(target), expression(index)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_for_bicep() {
        assert_eq!(string("it's"), r"'it\'s'");
        assert_eq!(string("a${b}\\c\nd"), r"'a\${b}\\c\nd'");
        assert_eq!(string("$x"), "'$x'");
    }

    #[test]
    fn arm_expressions_become_bicep_expressions() {
        let translate = |text: &str| {
            let mut out = String::new();
            print_value(&Value::String(text.into()), 0, &mut out).map(|()| out)
        };
        assert_eq!(
            translate("[resourceId('Microsoft.Network/virtualNetworks', 'it''s')]"),
            Ok(r"resourceId('Microsoft.Network/virtualNetworks', 'it\'s')".to_string())
        );
        assert_eq!(translate("[parameters('vmSize')]"), Ok("vmSize".into()));
        assert_eq!(
            translate("[subscription().subscriptionId]"),
            Ok("subscription().subscriptionId".into())
        );
        assert_eq!(translate("[[literal]"), Ok("'[literal]'".into()));
        assert!(matches!(
            translate("[resourceId('a']"),
            Err(BicepExportError::Expression { .. })
        ));
    }
}
