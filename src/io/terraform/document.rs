//! Reading the JSON of `terraform show -json`: telling a plan from state, walking the module
//! tree (`child_modules`, recursively) into a flat list of resource instances, and refusing
//! shapes that are not what Terraform prints, with one sentence each.
//!
//! A plan holds its values in `planned_values` (values unknown until apply are left out and
//! marked in `resource_changes[].change.after_unknown`); state holds them in `values`. Data
//! sources read during planning sit in `prior_state`, and are taken from there too.

use super::TerraformError;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Module nesting deeper than this is refused: real configurations nest a few levels.
pub const MAX_MODULE_DEPTH: usize = 32;

/// Plans with more resource instances than this are refused before any translation, the same
/// bound the ARM importer puts on resources.
pub const MAX_INSTANCES: usize = crate::io::azure::MAX_RESOURCES;

/// Whether a parsed document is the JSON of `terraform show -json` (plan or state): it has both
/// `format_version` and `terraform_version`.
pub fn is_terraform_json(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|m| m.contains_key("format_version") && m.contains_key("terraform_version"))
}

/// Whether a document is a raw state file (`terraform.tfstate`), which vnetlab does not read
/// directly.
pub fn is_raw_state(value: &Value) -> bool {
    value.as_object().is_some_and(|m| {
        m.contains_key("terraform_version")
            && m.contains_key("lineage")
            && m.get("resources").is_some_and(Value::is_array)
    })
}

/// Plan or state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// `terraform show -json PLANFILE`.
    Plan,
    /// `terraform show -json` of state.
    State,
}

/// One module instance on the way from the root: the call's name and its `count`/`for_each` key.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleStep {
    /// The module call's name (`module.NAME`).
    pub name: String,
    /// The instance key (`[0]`, `["a"]`), absent for a single instance.
    pub key: Option<Value>,
}

/// A resource instance (one element of a `count`/`for_each` resource, or the only one).
#[derive(Debug, Clone)]
pub struct Instance<'a> {
    /// The full address, e.g. `module.spoke[0].azurerm_subnet.app["a"]`.
    pub address: &'a str,
    /// The module instance path from the root.
    pub module: Vec<ModuleStep>,
    /// `managed` resources, or data sources.
    pub data: bool,
    /// The resource type, e.g. `azurerm_virtual_network`.
    pub kind: &'a str,
    /// The resource name in the configuration.
    pub name: &'a str,
    /// The `count`/`for_each` index, absent for a single instance.
    pub index: Option<&'a Value>,
    /// The known values (planned, or in state).
    pub values: &'a Map<String, Value>,
    /// `after_unknown` from the plan's `resource_changes`, when the plan has it.
    pub unknown: Option<&'a Value>,
}

impl Instance<'_> {
    /// The configuration address within its module: `type.name` or `data.type.name`.
    pub fn config_address(&self) -> String {
        if self.data {
            format!("data.{}.{}", self.kind, self.name)
        } else {
            format!("{}.{}", self.kind, self.name)
        }
    }

    /// The names of the module calls on the way from the root (instance keys dropped).
    pub fn config_path(&self) -> Vec<&str> {
        self.module.iter().map(|s| s.name.as_str()).collect()
    }

    /// Whether Terraform marked an attribute (by path) unknown until apply.
    pub fn is_unknown(&self, path: &[PathStep<'_>]) -> bool {
        let Some(mut node) = self.unknown else {
            return false;
        };
        for step in path {
            node = match (step, node) {
                (PathStep::Key(k), Value::Object(m)) => match m.get(*k) {
                    Some(n) => n,
                    None => return false,
                },
                (PathStep::Index(i), Value::Array(a)) => match a.get(*i) {
                    Some(n) => n,
                    None => return false,
                },
                (_, Value::Bool(b)) => return *b,
                _ => return false,
            };
        }
        match node {
            Value::Bool(b) => *b,
            _ => false,
        }
    }
}

/// One step of an attribute path: `ip_configuration` `[0]` `subnet_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStep<'s> {
    /// An attribute or block name.
    Key(&'s str),
    /// A position in a list of blocks.
    Index(usize),
}

/// A parsed document: its kind, its resource instances, the configuration (plans only) and the
/// root module's input variables and outputs.
#[derive(Debug)]
pub struct Document<'a> {
    /// Plan or state.
    pub kind: DocumentKind,
    /// Every resource instance, in document order (managed first, then data sources that are
    /// only in `prior_state`).
    pub instances: Vec<Instance<'a>>,
    /// `configuration.root_module`, when present.
    pub config: Option<&'a Map<String, Value>>,
    /// `configuration.provider_config`, when present.
    pub providers: Option<&'a Map<String, Value>>,
    /// Root input variables: `variables.NAME.value`.
    pub variables: Option<&'a Map<String, Value>>,
    /// Root outputs (`planned_values.outputs` or `values.outputs`).
    pub outputs: Option<&'a Map<String, Value>>,
}

/// Reads a document that [`is_terraform_json`] accepted.
pub fn read(value: &Value) -> Result<Document<'_>, TerraformError> {
    let map = value
        .as_object()
        .ok_or_else(|| TerraformError::shape("the document is not a JSON object"))?;
    let (kind, root_values) = if let Some(planned) = map.get("planned_values") {
        (DocumentKind::Plan, planned)
    } else if let Some(values) = map.get("values") {
        (DocumentKind::State, values)
    } else if map.contains_key("resource_changes") || map.contains_key("configuration") {
        return Err(TerraformError::shape(
            "the plan has no `planned_values`; give the output of `terraform show -json PLANFILE`",
        ));
    } else {
        return Err(TerraformError::shape(
            "it has neither `planned_values` (a plan) nor `values` (state); give the output of \
             `terraform show -json PLANFILE` or `terraform show -json`",
        ));
    };
    // An empty state prints `"values": null` or no root module; both mean "no resources".
    let root_values = match root_values {
        Value::Null => None,
        Value::Object(m) => Some(m),
        _ => {
            return Err(TerraformError::shape(
                "`planned_values`/`values` is not an object",
            ));
        }
    };
    let unknowns = after_unknowns(map)?;
    let mut instances = Vec::new();
    let mut seen: HashMap<&str, ()> = HashMap::new();
    if let Some(root) = root_values.and_then(|m| m.get("root_module")) {
        walk(root, Vec::new(), 0, &unknowns, &mut instances, &mut seen)?;
    }
    // Data sources read during planning live in prior_state.
    if let Some(prior) = map
        .get("prior_state")
        .and_then(|p| p.get("values"))
        .and_then(|v| v.get("root_module"))
    {
        let mut prior_instances = Vec::new();
        walk(
            prior,
            Vec::new(),
            0,
            &unknowns,
            &mut prior_instances,
            &mut seen,
        )?;
        instances.extend(prior_instances.into_iter().filter(|i| i.data));
    }
    let outputs = root_values
        .and_then(|m| m.get("outputs"))
        .and_then(Value::as_object);
    Ok(Document {
        kind,
        instances,
        config: map
            .get("configuration")
            .and_then(|c| c.get("root_module"))
            .and_then(Value::as_object),
        providers: map
            .get("configuration")
            .and_then(|c| c.get("provider_config"))
            .and_then(Value::as_object),
        variables: map.get("variables").and_then(Value::as_object),
        outputs,
    })
}

/// `address → after_unknown` from `resource_changes`.
fn after_unknowns(map: &Map<String, Value>) -> Result<HashMap<&str, &Value>, TerraformError> {
    let mut unknowns = HashMap::new();
    match map.get("resource_changes") {
        None | Some(Value::Null) => {}
        Some(Value::Array(changes)) => {
            for change in changes {
                if let (Some(address), Some(unknown)) = (
                    change.get("address").and_then(Value::as_str),
                    change.get("change").and_then(|c| c.get("after_unknown")),
                ) {
                    unknowns.insert(address, unknown);
                }
            }
        }
        Some(_) => {
            return Err(TerraformError::shape("`resource_changes` is not a list"));
        }
    }
    Ok(unknowns)
}

fn walk<'a>(
    module: &'a Value,
    path: Vec<ModuleStep>,
    depth: usize,
    unknowns: &HashMap<&str, &'a Value>,
    out: &mut Vec<Instance<'a>>,
    seen: &mut HashMap<&'a str, ()>,
) -> Result<(), TerraformError> {
    if depth > MAX_MODULE_DEPTH {
        return Err(TerraformError::shape(format!(
            "its modules nest more than {MAX_MODULE_DEPTH} levels deep, deeper than any real configuration"
        )));
    }
    let module = module
        .as_object()
        .ok_or_else(|| TerraformError::shape("a module in the plan is not an object"))?;
    match module.get("resources") {
        None | Some(Value::Null) => {}
        Some(Value::Array(resources)) => {
            for resource in resources {
                if let Some(instance) = instance(resource, &path, unknowns)
                    && seen.insert(instance.address, ()).is_none()
                {
                    out.push(instance);
                }
                if out.len() > MAX_INSTANCES {
                    return Err(TerraformError::shape(format!(
                        "it plans more than {MAX_INSTANCES} resource instances, more than vnetlab imports at once; \
                         plan the network in smaller parts (`terraform plan -target=…`)"
                    )));
                }
            }
        }
        Some(_) => {
            return Err(TerraformError::shape(
                "a module's `resources` is not a list",
            ));
        }
    }
    match module.get("child_modules") {
        None | Some(Value::Null) => {}
        Some(Value::Array(children)) => {
            for child in children {
                let address = child.get("address").and_then(Value::as_str).unwrap_or("");
                let steps = parse_module_address(address).ok_or_else(|| {
                    TerraformError::shape(format!(
                        "a child module has the address `{}`, which is not a module address",
                        address.chars().take(80).collect::<String>()
                    ))
                })?;
                if steps.len() != path.len() + 1 || steps[..path.len()] != path[..] {
                    return Err(TerraformError::shape(format!(
                        "the child module `{}` is not inside the module that lists it",
                        address.chars().take(80).collect::<String>()
                    )));
                }
                walk(child, steps, depth + 1, unknowns, out, seen)?;
            }
        }
        Some(_) => {
            return Err(TerraformError::shape(
                "a module's `child_modules` is not a list",
            ));
        }
    }
    Ok(())
}

fn instance<'a>(
    resource: &'a Value,
    path: &[ModuleStep],
    unknowns: &HashMap<&str, &'a Value>,
) -> Option<Instance<'a>> {
    let map = resource.as_object()?;
    let address = map.get("address")?.as_str()?;
    let kind = map.get("type")?.as_str()?;
    let name = map.get("name")?.as_str()?;
    let data = map.get("mode").and_then(Value::as_str) == Some("data");
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    let values = map
        .get("values")
        .and_then(Value::as_object)
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new));
    Some(Instance {
        address,
        module: module_of(address).unwrap_or_else(|| path.to_vec()),
        data,
        kind,
        name,
        index: map.get("index").filter(|v| !v.is_null()),
        values,
        unknown: unknowns.get(address).copied(),
    })
}

/// The module steps at the start of a resource address (`module.a[0].azurerm_x.y` → `a[0]`):
/// the address is the truth, whichever module lists the resource.
fn module_of(address: &str) -> Option<Vec<ModuleStep>> {
    let segments = super::refs::parse(address)?;
    let mut end = 0;
    while let (Some(super::refs::Segment::Name(m)), Some(super::refs::Segment::Name(_))) =
        (segments.get(end), segments.get(end + 1))
    {
        if m != "module" {
            break;
        }
        end += 2;
        if matches!(
            segments.get(end),
            Some(super::refs::Segment::Index(_) | super::refs::Segment::Key(_))
        ) {
            end += 1;
        }
    }
    let prefix: Vec<String> = segments[..end]
        .iter()
        .map(|s| match s {
            super::refs::Segment::Name(n) => format!(".{n}"),
            super::refs::Segment::Index(n) => format!("[{n}]"),
            super::refs::Segment::Key(k) => format!("[{}]", Value::from(k.clone())),
        })
        .collect();
    parse_module_address(prefix.concat().trim_start_matches('.'))
}

/// Parses `module.a[0].module.b["x"]` into its steps; `None` when it is not a module address.
pub fn parse_module_address(address: &str) -> Option<Vec<ModuleStep>> {
    let segments = super::refs::parse(address)?;
    let mut steps = Vec::new();
    let mut i = 0;
    while i < segments.len() {
        match (&segments[i], segments.get(i + 1)) {
            (super::refs::Segment::Name(m), Some(super::refs::Segment::Name(name)))
                if m == "module" =>
            {
                let key = match segments.get(i + 2) {
                    Some(super::refs::Segment::Index(n)) => Some(Value::from(*n)),
                    Some(super::refs::Segment::Key(k)) => Some(Value::from(k.clone())),
                    _ => None,
                };
                i += if key.is_some() { 3 } else { 2 };
                steps.push(ModuleStep {
                    name: name.clone(),
                    key,
                });
            }
            _ => return None,
        }
    }
    Some(steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn module_addresses_parse_with_keys() {
        let steps = parse_module_address(r#"module.a[0].module.b["x.y"]"#).unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].key, Some(json!(0)));
        assert_eq!(steps[1].name, "b");
        assert_eq!(steps[1].key, Some(json!("x.y")));
        assert!(parse_module_address("azurerm_subnet.a").is_none());
        assert_eq!(parse_module_address("").unwrap().len(), 0);
    }

    #[test]
    fn unknown_paths_follow_after_unknown() {
        let unknown = json!({"id": true, "ip_configuration": [{"private_ip_address": true}]});
        let values = Map::new();
        let instance = Instance {
            address: "a.b",
            module: vec![],
            data: false,
            kind: "a",
            name: "b",
            index: None,
            values: &values,
            unknown: Some(&unknown),
        };
        assert!(instance.is_unknown(&[PathStep::Key("id")]));
        assert!(instance.is_unknown(&[
            PathStep::Key("ip_configuration"),
            PathStep::Index(0),
            PathStep::Key("private_ip_address")
        ]));
        assert!(!instance.is_unknown(&[PathStep::Key("name")]));
    }
}
