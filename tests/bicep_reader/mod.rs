//! Reads the Bicep that `vnetlab export --to bicep` writes back into the ARM template JSON a
//! Bicep compiler would give, for the forms that export uses, so the tests can import it and
//! compare designs where no `bicep` is installed (none is on the registries this project can
//! reach). It parses with tree-sitter-bicep, the grammar Bicep's editors use, and translates as
//! `bicep build` does: a literal stays a JSON value, any other expression becomes an ARM
//! expression string (`[...]`), a parameter name becomes `parameters('name')`, a resource
//! symbol in `dependsOn` becomes that resource's `resourceId()`. A form the export does not use
//! fails the test loudly rather than being guessed. This is a test's reader, not a compiler: it
//! checks neither types nor resource schemas.

use serde_json::{Map, Value, json};
use std::collections::HashMap;
use tree_sitter::Node;

/// The ARM template for `bicep`, or a sentence saying which form it does not read.
pub fn to_arm(bicep: &str) -> Result<Value, String> {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_bicep::LANGUAGE.into())
        .map_err(|e| e.to_string())?;
    let tree = parser.parse(bicep, None).ok_or("the parser gave no tree")?;
    let reader = Reader::new(bicep, tree.root_node())?;
    reader.template(tree.root_node())
}

struct Reader<'a> {
    text: &'a str,
    params: Vec<String>,
    /// Resource symbol → `(type, name)`.
    symbols: HashMap<String, (String, String)>,
}

fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect()
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, root: Node<'_>) -> Result<Self, String> {
        let mut reader = Reader {
            text,
            params: Vec::new(),
            symbols: HashMap::new(),
        };
        for statement in named_children(root) {
            let parts = named_children(statement);
            match statement.kind() {
                "parameter_declaration" => reader.params.push(reader.of(parts[0]).to_string()),
                "resource_declaration" => {
                    let (kind, _) = reader.type_and_api(parts[1])?;
                    let name = named_children(parts[2])
                        .into_iter()
                        .map(named_children)
                        .find(|p| reader.of(p[0]) == "name")
                        .map(|p| reader.literal(p[1]))
                        .ok_or("a resource without a name")??;
                    reader
                        .symbols
                        .insert(reader.of(parts[0]).to_string(), (kind, name));
                }
                _ => {}
            }
        }
        Ok(reader)
    }

    fn of(&self, node: Node<'_>) -> &'a str {
        &self.text[node.byte_range()]
    }

    fn unsupported(&self, node: Node<'_>) -> String {
        format!(
            "{}:{}: a Bicep form this reader does not know ({}): {}",
            node.start_position().row + 1,
            node.start_position().column + 1,
            node.kind(),
            self.of(node)
        )
    }

    fn template(&self, root: Node<'_>) -> Result<Value, String> {
        let mut metadata = Map::new();
        let mut parameters = Map::new();
        let mut resources = Vec::new();
        let mut secure = false;
        let mut description = None;
        for statement in named_children(root) {
            let parts = named_children(statement);
            match statement.kind() {
                "decorators" => {
                    for decorator in parts {
                        let call = named_children(decorator)[0];
                        let call_parts = named_children(call);
                        match self.of(call_parts[0]) {
                            "secure" => secure = true,
                            "description" => {
                                description = named_children(call_parts[1])
                                    .first()
                                    .map(|s| self.value(*s))
                                    .transpose()?;
                            }
                            _ => return Err(self.unsupported(decorator)),
                        }
                    }
                }
                "metadata_declaration" => {
                    metadata.insert(self.of(parts[0]).into(), self.value(parts[1])?);
                }
                "parameter_declaration" => {
                    let kind = match (self.of(parts[1]), secure) {
                        ("string", true) => "securestring",
                        ("object", true) => "secureObject",
                        (kind, _) => kind,
                    };
                    let mut param = Map::new();
                    param.insert("type".into(), json!(kind));
                    if let Some(default) = parts.get(2) {
                        param.insert("defaultValue".into(), self.value(*default)?);
                    }
                    if let Some(text) = description.take() {
                        param.insert("metadata".into(), json!({ "description": text }));
                    }
                    parameters.insert(self.of(parts[0]).into(), Value::Object(param));
                    secure = false;
                }
                "resource_declaration" => {
                    let (kind, api) = self.type_and_api(parts[1])?;
                    let mut resource = Map::new();
                    resource.insert("type".into(), json!(kind));
                    resource.insert("apiVersion".into(), json!(api));
                    if let Value::Object(body) = self.object(parts[2])? {
                        resource.extend(body);
                    }
                    resources.push(Value::Object(resource));
                }
                _ => return Err(self.unsupported(statement)),
            }
        }
        Ok(json!({
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0",
            "metadata": metadata,
            "parameters": parameters,
            "resources": resources,
        }))
    }

    fn type_and_api(&self, node: Node<'_>) -> Result<(String, String), String> {
        let text = self.literal(node)?;
        let (kind, api) = text
            .split_once('@')
            .ok_or_else(|| format!("a resource type without an API version: {text}"))?;
        Ok((kind.to_string(), api.to_string()))
    }

    /// An object body, with `dependsOn` symbols turned into `resourceId()` expressions.
    fn object(&self, node: Node<'_>) -> Result<Value, String> {
        let mut body = self.value(node)?;
        if let Some(list) = body.get_mut("dependsOn").and_then(Value::as_array_mut) {
            for entry in list {
                let symbol = entry
                    .as_str()
                    .and_then(|e| e.strip_prefix("[@"))
                    .and_then(|e| e.strip_suffix(']'));
                if let Some((kind, name)) = symbol.and_then(|s| self.symbols.get(s)) {
                    let segments: Vec<String> = name.split('/').map(quote).collect();
                    *entry = json!(format!(
                        "[resourceId({}, {})]",
                        quote(kind),
                        segments.join(", ")
                    ));
                }
            }
        }
        Ok(body)
    }

    /// A Bicep expression as the JSON `bicep build` writes for it.
    fn value(&self, node: Node<'_>) -> Result<Value, String> {
        Ok(match node.kind() {
            "object" => {
                let mut map = Map::new();
                for property in named_children(node) {
                    let parts = named_children(property);
                    let key = match parts[0].kind() {
                        "string" => self.literal(parts[0])?,
                        _ => self.of(parts[0]).to_string(),
                    };
                    map.insert(key, self.value(parts[1])?);
                }
                Value::Object(map)
            }
            "array" => {
                let items = named_children(node);
                let mut out = Vec::new();
                let mut i = 0;
                while i < items.len() {
                    // The grammar reads `f(a, b)` on its own line in an array as an identifier
                    // and a parenthesised expression; Bicep reads a call.
                    let call = items.get(i + 1).filter(|next| {
                        items[i].kind() == "identifier"
                            && next.kind() == "parenthesized_expression"
                            && next.start_byte() == items[i].end_byte()
                    });
                    if let Some(arguments) = call {
                        let args = self.arguments(*arguments)?;
                        out.push(json!(format!("[{}({args})]", self.of(items[i]))));
                        i += 2;
                    } else if items[i].kind() == "identifier"
                        && self.symbols.contains_key(self.of(items[i]))
                    {
                        out.push(json!(format!("[@{}]", self.of(items[i]))));
                        i += 1;
                    } else {
                        out.push(self.value(items[i])?);
                        i += 1;
                    }
                }
                Value::Array(out)
            }
            "string" if !has_interpolation(node) => {
                let text = self.literal(node)?;
                if text.starts_with('[') {
                    json!(format!("[{text}"))
                } else {
                    json!(text)
                }
            }
            "number" => serde_json::from_str(self.of(node)).map_err(|e| e.to_string())?,
            "boolean" => json!(self.of(node) == "true"),
            "null" => Value::Null,
            _ => json!(format!("[{}]", self.expression(node)?)),
        })
    }

    fn arguments(&self, node: Node<'_>) -> Result<String, String> {
        let args: Result<Vec<String>, String> = named_children(node)
            .into_iter()
            .map(|a| self.expression(a))
            .collect();
        Ok(args?.join(", "))
    }

    /// A Bicep expression as an ARM expression (without the brackets).
    fn expression(&self, node: Node<'_>) -> Result<String, String> {
        let parts = named_children(node);
        Ok(match node.kind() {
            "call_expression" => {
                let arguments = node
                    .child_by_field_name("arguments")
                    .ok_or_else(|| self.unsupported(node))?;
                format!("{}({})", self.of(parts[0]), self.arguments(arguments)?)
            }
            "member_expression" => format!("{}.{}", self.expression(parts[0])?, self.of(parts[1])),
            "subscript_expression" => format!(
                "{}[{}]",
                self.expression(parts[0])?,
                self.expression(parts[1])?
            ),
            "identifier" if self.params.iter().any(|p| p == self.of(node)) => {
                format!("parameters({})", quote(self.of(node)))
            }
            "string" if has_interpolation(node) => {
                let mut pieces = Vec::new();
                for part in parts {
                    match part.kind() {
                        "interpolation" => {
                            pieces.push(self.expression(named_children(part)[0])?);
                        }
                        _ => pieces.push(quote(&unescape(self.of(part)))),
                    }
                }
                format!("concat({})", pieces.join(", "))
            }
            "string" => quote(&self.literal(node)?),
            "number" | "boolean" | "null" => self.of(node).to_string(),
            _ => return Err(self.unsupported(node)),
        })
    }

    /// A string without interpolation, unescaped.
    fn literal(&self, node: Node<'_>) -> Result<String, String> {
        if node.kind() != "string" || has_interpolation(node) {
            return Err(self.unsupported(node));
        }
        let inner = self.of(node);
        let inner = inner
            .strip_prefix('\'')
            .and_then(|s| s.strip_suffix('\''))
            .ok_or_else(|| self.unsupported(node))?;
        Ok(unescape(inner))
    }
}

fn has_interpolation(node: Node<'_>) -> bool {
    named_children(node)
        .iter()
        .any(|c| c.kind() == "interpolation")
}

/// `text` as an ARM string literal.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Bicep's escapes: `\'`, `\\`, `\n`, `\r`, `\t`, `\$`.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}
