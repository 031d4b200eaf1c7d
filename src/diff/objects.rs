//! The semantic diff of two designs: which named objects were added, removed or changed, and for
//! a changed one which fields, down to the named items inside it (an NSG's rules, a route
//! table's routes, a site's hosts). Objects are matched by kind and name, as edits and the TUI
//! name them ([`ObjectRef`]); a subnet is its own object, `vnet/subnet`, so a VNet whose subnet
//! changed is not reported as changed itself.
//!
//! Objects are compared through their serde form (the design file's fields), so a field added
//! to the model is compared without a change here. Cost: one serialisation of each object and
//! a map look-up per name; linear in the size of the two designs.

use crate::edit::ObjectRef;
use crate::model::{Design, ObjectKind};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// How an object differs between the two designs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only AFTER has it.
    Added,
    /// Only BEFORE has it.
    Removed,
    /// Both have it, with different fields.
    Changed,
}

/// One field that differs; `None` is a field the design file leaves out (its default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The field, with named items in brackets: `allow_forwarded_traffic`,
    /// `rules[deny-ssh].priority`, `rules[allow-web]` (a whole rule added or removed).
    pub field: String,
    /// The value in BEFORE.
    pub before: Option<Value>,
    /// The value in AFTER.
    pub after: Option<Value>,
}

impl FieldChange {
    /// `field: before → after`, with a left-out field shown as its default where that is
    /// certain (a left-out flag is the opposite of a written one; a left-out list is empty).
    pub fn describe(&self) -> String {
        let shown = |value: &Option<Value>, other: &Option<Value>| match (value, other) {
            (Some(v), _) => compact(v),
            (None, Some(Value::Bool(b))) => (!b).to_string(),
            (None, Some(Value::Array(_))) => "[]".to_string(),
            (None, _) => "none".to_string(),
        };
        match (&self.before, &self.after) {
            (None, Some(v)) if self.field.ends_with(']') => {
                format!("{} added: {}", self.field, compact(v))
            }
            (Some(_), None) if self.field.ends_with(']') => format!("{} removed", self.field),
            _ => format!(
                "{}: {} → {}",
                self.field,
                shown(&self.before, &self.after),
                shown(&self.after, &self.before)
            ),
        }
    }
}

/// Short JSON text of a value: strings unquoted, the rest compact.
fn compact(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One object that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectChange {
    /// The object (kind and name).
    pub object: ObjectRef,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// The fields that differ (empty when added or removed).
    pub fields: Vec<FieldChange>,
}

impl ObjectChange {
    /// `+ peering `a-to-b``, `- NSG `x``, `~ VNet `hub`: address_space: … → …`.
    pub fn describe(&self) -> String {
        match self.change {
            ChangeKind::Added => format!("+ {}", self.object),
            ChangeKind::Removed => format!("- {}", self.object),
            ChangeKind::Changed => {
                let fields: Vec<String> = self.fields.iter().map(FieldChange::describe).collect();
                format!("~ {}: {}", self.object, fields.join("; "))
            }
        }
    }
}

/// Every object change from `before` to `after`, in kind order (VNets, subnets, VMs,
/// peerings, NSGs, route tables, gateways, sites, connections, subscriptions, intents) and,
/// within a kind, in AFTER's order followed by what was removed. Design-level fields (name,
/// description, assumptions) are in [`design_fields`].
pub fn object_changes(before: &Design, after: &Design) -> Vec<ObjectChange> {
    let mut changes = Vec::new();
    for kind in ObjectKind::ALL {
        let (old, new) = (objects_of(before, kind), objects_of(after, kind));
        let old_by_name: HashMap<&str, &Value> = old.iter().map(|(n, v)| (n.as_str(), v)).collect();
        let new_names: HashSet<&str> = new.iter().map(|(n, _)| n.as_str()).collect();
        for (name, value) in &new {
            match old_by_name.get(name.as_str()) {
                None => changes.push(ObjectChange {
                    object: ObjectRef::new(kind, name.clone()),
                    change: ChangeKind::Added,
                    fields: Vec::new(),
                }),
                Some(old_value) => {
                    let mut fields = Vec::new();
                    compare(old_value, value, "", &mut fields);
                    if !fields.is_empty() {
                        changes.push(ObjectChange {
                            object: ObjectRef::new(kind, name.clone()),
                            change: ChangeKind::Changed,
                            fields,
                        });
                    }
                }
            }
        }
        for (name, _) in old.iter().filter(|(n, _)| !new_names.contains(n.as_str())) {
            changes.push(ObjectChange {
                object: ObjectRef::new(kind, name.clone()),
                change: ChangeKind::Removed,
                fields: Vec::new(),
            });
        }
    }
    changes
}

/// The design-level fields that differ: `name`, `description`, and each assumption
/// (`assumptions.gov_global_peering`).
pub fn design_fields(before: &Design, after: &Design) -> Vec<FieldChange> {
    let mut fields = Vec::new();
    let text = |d: &Design| Value::String(d.name.clone());
    if before.name != after.name {
        fields.push(FieldChange {
            field: "name".into(),
            before: Some(text(before)),
            after: Some(text(after)),
        });
    }
    if before.description != after.description {
        fields.push(FieldChange {
            field: "description".into(),
            before: Some(Value::String(before.description.clone())),
            after: Some(Value::String(after.description.clone())),
        });
    }
    let as_value = |d: &Design| serde_json::to_value(d.assumptions).unwrap_or(Value::Null);
    compare(
        &as_value(before),
        &as_value(after),
        "assumptions",
        &mut fields,
    );
    fields
}

fn values<T: Serialize>(items: &[T], name: impl Fn(&T) -> String) -> Vec<(String, Value)> {
    items
        .iter()
        .map(|item| {
            (
                name(item),
                serde_json::to_value(item).unwrap_or(Value::Null),
            )
        })
        .collect()
}

/// The objects of one kind, by name, as JSON; a VNet without its subnets (they are objects of
/// their own).
fn objects_of(design: &Design, kind: ObjectKind) -> Vec<(String, Value)> {
    match kind {
        ObjectKind::Vnet => values(&design.vnets, |v| v.name.clone())
            .into_iter()
            .map(|(name, mut value)| {
                if let Some(map) = value.as_object_mut() {
                    map.remove("subnets");
                }
                (name, value)
            })
            .collect(),
        ObjectKind::Subnet => design
            .vnets
            .iter()
            .flat_map(|v| values(&v.subnets, |s| format!("{}/{}", v.name, s.name)))
            .collect(),
        ObjectKind::Vm => values(&design.vms, |o| o.name.clone()),
        ObjectKind::Peering => values(&design.peerings, |o| o.name.clone()),
        ObjectKind::Nsg => values(&design.nsgs, |o| o.name.clone()),
        ObjectKind::RouteTable => values(&design.route_tables, |o| o.name.clone()),
        ObjectKind::Gateway => values(&design.gateways, |o| o.name.clone()),
        ObjectKind::Site => values(&design.sites, |o| o.name.clone()),
        ObjectKind::Connection => values(&design.connections, |o| o.name.clone()),
        ObjectKind::Subscription => values(&design.subscriptions, |o| o.name.clone()),
        ObjectKind::Intent => values(&design.intents, |o| o.name.clone()),
        ObjectKind::Asg => values(&design.asgs, |o| o.name.clone()),
        ObjectKind::RouteServer => values(&design.route_servers, |o| o.name.clone()),
        ObjectKind::NetworkGroup => values(&design.network_groups, |o| o.name.clone()),
        ObjectKind::Connectivity => values(&design.connectivity, |o| o.name.clone()),
    }
}

/// A list whose items are objects with distinct `name`s, as a name → item map.
fn named_items(value: &Value) -> Option<Vec<(&str, &Value)>> {
    let items = value.as_array()?;
    let mut seen = HashSet::new();
    let named: Option<Vec<(&str, &Value)>> = items
        .iter()
        .map(|item| item.get("name").and_then(Value::as_str).map(|n| (n, item)))
        .collect();
    let named = named?;
    named.iter().all(|(n, _)| seen.insert(*n)).then_some(named)
}

fn path(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_string()
    } else {
        format!("{prefix}.{field}")
    }
}

/// Compares two objects field by field; lists of named objects item by item.
fn compare(old: &Value, new: &Value, prefix: &str, out: &mut Vec<FieldChange>) {
    let empty = Map::new();
    let (old_map, new_map) = (
        old.as_object().unwrap_or(&empty),
        new.as_object().unwrap_or(&empty),
    );
    let mut keys: Vec<&String> = old_map.keys().collect();
    keys.extend(new_map.keys().filter(|k| !old_map.contains_key(*k)));
    for key in keys {
        let (a, b) = (old_map.get(key), new_map.get(key));
        if a == b {
            continue;
        }
        let field = path(prefix, key);
        if let (Some(a), Some(b)) = (a, b)
            && let (Some(xs), Some(ys)) = (named_items(a), named_items(b))
            && !(xs.is_empty() && ys.is_empty())
        {
            compare_items(&xs, &ys, &field, out);
            continue;
        }
        out.push(FieldChange {
            field,
            before: a.cloned(),
            after: b.cloned(),
        });
    }
}

fn compare_items(
    old: &[(&str, &Value)],
    new: &[(&str, &Value)],
    field: &str,
    out: &mut Vec<FieldChange>,
) {
    let old_by: HashMap<&str, &Value> = old.iter().copied().collect();
    let new_by: HashMap<&str, &Value> = new.iter().copied().collect();
    for (name, value) in new {
        let item = format!("{field}[{name}]");
        match old_by.get(name) {
            None => out.push(FieldChange {
                field: item,
                before: None,
                after: Some((*value).clone()),
            }),
            Some(old_value) if old_value != value => compare(old_value, value, &item, out),
            Some(_) => {}
        }
    }
    for (name, value) in old.iter().filter(|(n, _)| !new_by.contains_key(n)) {
        out.push(FieldChange {
            field: format!("{field}[{name}]"),
            before: Some((*value).clone()),
            after: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Peering;

    #[test]
    fn a_flag_change_names_the_field_with_both_values() {
        let mut before = Design::example_pair();
        before.peerings.push(Peering::new("a-to-b", "a", "b"));
        let mut after = before.clone();
        after.peerings[0].allow_forwarded_traffic = true;
        after.vnets[1].subnets[0].name = "web".into();
        let changes = object_changes(&before, &after);
        let lines: Vec<String> = changes.iter().map(ObjectChange::describe).collect();
        assert_eq!(
            lines,
            [
                "+ subnet `b/web`",
                "- subnet `b/default`",
                "~ peering `a-to-b`: allow_forwarded_traffic: false → true",
            ]
        );
    }
}
