//! Values unknown until apply, found through the configuration instead.
//!
//! In a plan, the `id` of a VNet that does not exist yet is unknown, and so is every attribute
//! that copies it (a peering's `remote_virtual_network_id`, a NIC's `subnet_id`). Terraform
//! still says what each expression refers to: `configuration…expressions.<attr>.references`
//! lists `azurerm_virtual_network.spoke.id`, `var.subnet_id`, `module.hub.vnet_id`, longest
//! first. [`Resolver`] follows such a reference to the resource instance it names: a resource
//! in the same module (with the referring instance's own index when the expression used
//! `count.index` or `each`), an input variable through the parent's module call, a module
//! output through the child's output expression. `local.*` values are not in Terraform's JSON,
//! so references through locals stay unknown and the caller names a placeholder. Every
//! resolution has a hop budget, so a hostile document with cyclic references ends, unresolved.

use super::document::{Document, Instance, ModuleStep, PathStep};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Following a reference takes at most this many hops (variable → module call → output …).
const MAX_HOPS: usize = 64;

/// One segment of a reference or address: `name`, `[0]` or `["key"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// An identifier.
    Name(String),
    /// A numeric index.
    Index(u64),
    /// A string key.
    Key(String),
}

/// Parses `azurerm_subnet.a[0].id`, `module.m["k"].out`, `var.x`; `None` for anything else.
pub fn parse(text: &str) -> Option<Vec<Segment>> {
    let mut segments = Vec::new();
    let mut chars = text.chars().peekable();
    let mut expect_name = true;
    while let Some(&c) = chars.peek() {
        match c {
            '.' if !expect_name => {
                chars.next();
                expect_name = true;
            }
            '[' => {
                chars.next();
                if chars.peek() == Some(&'"') {
                    chars.next();
                    let mut key = String::new();
                    loop {
                        match chars.next()? {
                            '\\' => key.push(chars.next()?),
                            '"' => break,
                            other => key.push(other),
                        }
                    }
                    segments.push(Segment::Key(key));
                } else {
                    let digits: String =
                        std::iter::from_fn(|| chars.next_if(char::is_ascii_digit)).collect();
                    segments.push(Segment::Index(digits.parse().ok()?));
                }
                if chars.next()? != ']' {
                    return None;
                }
                expect_name = false;
            }
            c if expect_name && (c.is_alphanumeric() || c == '_' || c == '-') => {
                let name: String = std::iter::from_fn(|| {
                    chars.next_if(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                })
                .collect();
                segments.push(Segment::Name(name));
                expect_name = false;
            }
            _ => return None,
        }
    }
    (!expect_name || segments.is_empty()).then_some(segments)
}

/// What a reference leads to.
#[derive(Debug, Clone)]
pub enum Target<'a> {
    /// An attribute path (possibly empty: the whole resource) of a resource instance, by its
    /// position in [`Document::instances`].
    Instance(usize, Vec<Segment>),
    /// A value known in the document (a variable's value, a module call's constant).
    Value(&'a Value),
}

/// Follows references through one document's configuration.
pub struct Resolver<'d, 'a> {
    document: &'d Document<'a>,
    /// `(module instance path, config address) → instance positions`.
    by_config: HashMap<(String, String), Vec<usize>>,
    /// `(module call path, config address) → the resource's configuration`.
    resources: HashMap<(String, String), &'a Value>,
}

fn module_key(path: &[ModuleStep]) -> String {
    path.iter()
        .map(|s| match &s.key {
            Some(k) => format!("{}[{k}]", s.name),
            None => s.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

impl<'d, 'a> Resolver<'d, 'a> {
    /// A resolver over a document.
    pub fn new(document: &'d Document<'a>) -> Self {
        let mut by_config: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, instance) in document.instances.iter().enumerate() {
            by_config
                .entry((module_key(&instance.module), instance.config_address()))
                .or_default()
                .push(i);
        }
        let mut resources = HashMap::new();
        if let Some(root) = document.config {
            index_resources(root, String::new(), 0, &mut resources);
        }
        Resolver {
            document,
            by_config,
            resources,
        }
    }

    /// The configuration block of a module (by call names from the root).
    fn module_config(&self, path: &[&str]) -> Option<&'a Map<String, Value>> {
        let mut module = self.document.config?;
        for name in path {
            module = module
                .get("module_calls")?
                .get(*name)?
                .get("module")?
                .as_object()?;
        }
        Some(module)
    }

    /// The expression node of an attribute of an instance: `{references}` or
    /// `{constant_value}`; for a nested block given as one expression (a `dynamic` block),
    /// the expression of the whole block, flagged `true`.
    pub fn expression(
        &self,
        instance: &Instance<'a>,
        path: &[PathStep<'_>],
    ) -> Option<(&'a Value, bool)> {
        let key = (instance.config_path().join("."), instance.config_address());
        let mut node = self.resources.get(&key)?.get("expressions")?;
        for (i, step) in path.iter().enumerate() {
            if i > 0 && is_expression(node) {
                return Some((node, true));
            }
            node = match (step, node) {
                (PathStep::Key(k), Value::Object(m)) => m.get(*k)?,
                (PathStep::Index(n), Value::Array(a)) => a.get(*n).or_else(|| a.first())?,
                (PathStep::Index(_), other) if is_expression(other) => return Some((other, true)),
                _ => return None,
            };
        }
        is_expression(node).then_some((node, false))
    }

    /// The subscription of the provider an instance is configured with, when the provider
    /// block sets `subscription_id` to a constant or a root variable.
    pub fn provider_subscription(&self, instance: &Instance<'a>) -> Option<String> {
        let key = (instance.config_path().join("."), instance.config_address());
        let provider = self
            .resources
            .get(&key)?
            .get("provider_config_key")?
            .as_str()?;
        let expression = self
            .document
            .providers?
            .get(provider)?
            .get("expressions")?
            .get("subscription_id")?;
        let value = match expression.get("constant_value") {
            Some(constant) => constant,
            None => {
                let reference = expression.get("references")?.get(0)?.as_str()?;
                let variable = reference.strip_prefix("var.")?;
                self.document.variables?.get(variable)?.get("value")?
            }
        };
        value.as_str().filter(|s| !s.is_empty()).map(str::to_string)
    }

    /// Every target the expression of an attribute refers to, in the order Terraform lists
    /// them, each instance once; a constant expression is one [`Target::Value`].
    pub fn targets(&self, from: usize, path: &[PathStep<'_>]) -> Vec<Target<'a>> {
        let instance = &self.document.instances[from];
        let Some((node, _)) = self.expression(instance, path) else {
            return Vec::new();
        };
        let mut budget = MAX_HOPS;
        self.targets_of(node, &instance.module, instance.index, &mut budget)
    }

    fn targets_of(
        &self,
        node: &'a Value,
        module: &[ModuleStep],
        index: Option<&Value>,
        budget: &mut usize,
    ) -> Vec<Target<'a>> {
        if let Some(constant) = node.get("constant_value") {
            return vec![Target::Value(constant)];
        }
        let refs: Vec<&str> = node
            .get("references")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let by_index = refs
            .iter()
            .any(|r| r.starts_with("count.") || r.starts_with("each."));
        let mut out: Vec<Target<'a>> = Vec::new();
        for text in &refs {
            if *budget == 0 {
                break;
            }
            let Some(segments) = parse(text) else {
                continue;
            };
            if let Some(target) = self.resolve(&segments, module, index, by_index, budget) {
                let same = |t: &Target<'a>| match (t, &target) {
                    (Target::Instance(a, _), Target::Instance(b, _)) => a == b,
                    _ => false,
                };
                if !out.iter().any(same) {
                    out.push(target);
                }
            }
        }
        out
    }

    /// Follows one parsed reference from a module instance.
    fn resolve(
        &self,
        segments: &[Segment],
        module: &[ModuleStep],
        index: Option<&Value>,
        by_index: bool,
        budget: &mut usize,
    ) -> Option<Target<'a>> {
        *budget = budget.checked_sub(1)?;
        let name = |i: usize| match segments.get(i) {
            Some(Segment::Name(n)) => Some(n.as_str()),
            _ => None,
        };
        match name(0)? {
            "var" => {
                let var = name(1)?;
                let rest = &segments[2..];
                let Some((call, parent)) = module.split_last() else {
                    let value = self.document.variables?.get(var)?.get("value")?;
                    return Some(Target::Value(navigate(value, rest)?));
                };
                let parent_path: Vec<&str> = parent.iter().map(|s| s.name.as_str()).collect();
                let expression = self
                    .module_config(&parent_path)?
                    .get("module_calls")?
                    .get(&call.name)?
                    .get("expressions")?
                    .get(var)?;
                if let Some(constant) = expression.get("constant_value") {
                    return Some(Target::Value(navigate(constant, rest)?));
                }
                let targets = self.targets_of(expression, parent, call.key.as_ref(), budget);
                extend(targets.into_iter().next()?, rest)
            }
            "module" => {
                let call = name(1)?;
                let (key, rest_at) = match segments.get(2) {
                    Some(Segment::Index(n)) => (Some(Value::from(*n)), 3),
                    Some(Segment::Key(k)) => (Some(Value::from(k.clone())), 3),
                    _ => (None, 2),
                };
                let output = name(rest_at)?;
                let rest = &segments[rest_at + 1..];
                let key = match key {
                    Some(key) => Some(key),
                    None => self.only_module_key(module, call)?,
                };
                let mut child = module.to_vec();
                child.push(ModuleStep {
                    name: call.to_string(),
                    key,
                });
                let child_path: Vec<&str> = child.iter().map(|s| s.name.as_str()).collect();
                let expression = self
                    .module_config(&child_path)?
                    .get("outputs")?
                    .get(output)?
                    .get("expression")?;
                let targets = self.targets_of(expression, &child, index, budget);
                extend(targets.into_iter().next()?, rest)
            }
            "data" => {
                let address = format!("data.{}.{}", name(1)?, name(2)?);
                self.instance_target(&address, &segments[3..], module, index, by_index)
            }
            "local" | "each" | "count" | "path" | "terraform" | "self" => None,
            kind => {
                let address = format!("{kind}.{}", name(1)?);
                self.instance_target(&address, &segments[2..], module, index, by_index)
            }
        }
    }

    /// The key of the only instance of a module call under `module`, `None` (outer) when the
    /// call has several instances and the reference does not say which.
    fn only_module_key(&self, module: &[ModuleStep], call: &str) -> Option<Option<Value>> {
        let prefix = module_key(module);
        let mut keys: Vec<Option<Value>> = Vec::new();
        for instance in &self.document.instances {
            if instance.module.len() > module.len()
                && module_key(&instance.module[..module.len()]) == prefix
                && instance.module[module.len()].name == call
            {
                let key = instance.module[module.len()].key.clone();
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        match keys.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        }
    }

    fn instance_target(
        &self,
        address: &str,
        rest: &[Segment],
        module: &[ModuleStep],
        index: Option<&Value>,
        by_index: bool,
    ) -> Option<Target<'a>> {
        let candidates = self
            .by_config
            .get(&(module_key(module), address.to_string()))?;
        let (wanted, rest): (Option<Value>, &[Segment]) = match rest.first() {
            Some(Segment::Index(n)) => (Some(Value::from(*n)), &rest[1..]),
            Some(Segment::Key(k)) => (Some(Value::from(k.clone())), &rest[1..]),
            _ if by_index => (index.cloned(), rest),
            _ => (None, rest),
        };
        let found = match wanted {
            Some(key) => candidates
                .iter()
                .copied()
                .find(|&i| self.document.instances[i].index == Some(&key)),
            None if candidates.len() == 1 => candidates.first().copied(),
            None => None,
        }?;
        Some(Target::Instance(found, rest.to_vec()))
    }
}

/// Indexes every configured resource by module call path and address.
fn index_resources<'a>(
    module: &'a Map<String, Value>,
    path: String,
    depth: usize,
    out: &mut HashMap<(String, String), &'a Value>,
) {
    if depth > super::document::MAX_MODULE_DEPTH {
        return;
    }
    for resource in module
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(address) = resource.get("address").and_then(Value::as_str) {
            out.entry((path.clone(), address.to_string()))
                .or_insert(resource);
        }
    }
    for (name, call) in module
        .get("module_calls")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(child) = call.get("module").and_then(Value::as_object) {
            let child_path = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            index_resources(child, child_path, depth + 1, out);
        }
    }
}

fn is_expression(node: &Value) -> bool {
    node.as_object().is_some_and(|m| {
        m.contains_key("references") || m.contains_key("constant_value") || m.is_empty()
    })
}

/// Appends an attribute path to a target.
fn extend<'a>(target: Target<'a>, rest: &[Segment]) -> Option<Target<'a>> {
    Some(match target {
        Target::Instance(i, mut path) => {
            path.extend_from_slice(rest);
            Target::Instance(i, path)
        }
        Target::Value(value) => Target::Value(navigate(value, rest)?),
    })
}

/// Follows an attribute path into a known value.
fn navigate<'a>(mut value: &'a Value, path: &[Segment]) -> Option<&'a Value> {
    for segment in path {
        value = match segment {
            Segment::Name(k) | Segment::Key(k) => value.get(k)?,
            Segment::Index(n) => value.get(usize::try_from(*n).ok()?)?,
        };
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse() {
        assert_eq!(
            parse(r#"module.m["a.b"].out[2]"#).unwrap(),
            vec![
                Segment::Name("module".into()),
                Segment::Name("m".into()),
                Segment::Key("a.b".into()),
                Segment::Name("out".into()),
                Segment::Index(2),
            ]
        );
        assert!(parse("a..b").is_none());
        assert!(parse("a.").is_none());
        assert!(parse("a[").is_none());
        assert!(parse("a[x]").is_none());
        assert!(parse("a b").is_none());
    }
}
