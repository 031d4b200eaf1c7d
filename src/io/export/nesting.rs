//! Where each resource of the ARM export deploys, and the `dependsOn` that orders them.
//!
//! A template deploys into one resource group. Resources the design places elsewhere (a VNet
//! naming its subscription or resource group, and what sits beside it) go into nested
//! deployments, one per place (`subscriptionId` and `resourceGroup` set to what the design
//! names), with inner-scope expressions; their peerings and connections go into a second
//! deployment per place that depends on every first one, so a peering between two places never
//! waits on itself. References are `resourceId()` expressions relative to the deployment that
//! holds the referring resource; a reference to the template's own place from a nested
//! deployment names it through the parameters `vnetlabSubscription` and `vnetlabResourceGroup`.

use super::arm::drop_read_only;
use crate::io::azure::ResourceId;
use serde_json::{Map, Value, json};

/// The schema of a resource-group template.
const SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
/// Parameters a nested deployment receives to name the template's own place.
const OUTER_SUBSCRIPTION: &str = "vnetlabSubscription";
const OUTER_GROUP: &str = "vnetlabResourceGroup";

/// A resource's place relative to the deployment's own: `None` where it is the deployment's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Place {
    subscription: Option<String>,
    resource_group: Option<String>,
}

impl Place {
    /// The place of an ID; `home` is the (subscription, resource group) the design leaves unnamed.
    pub(super) fn of(id: &ResourceId, home: &(String, String)) -> Place {
        let other = |value: &Option<String>, home: &str| {
            value
                .as_ref()
                .filter(|v| !v.eq_ignore_ascii_case(home))
                .cloned()
        };
        Place {
            subscription: other(&id.subscription, &home.0),
            resource_group: other(&id.resource_group, &home.1),
        }
    }

    fn is_home(&self) -> bool {
        self.subscription.is_none() && self.resource_group.is_none()
    }
}

/// `'text'` as an ARM string literal.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The literal ID text of an ID (after its segments were changed).
pub(super) trait IdText {
    /// `/subscriptions/…/providers/…`.
    fn to_string_id(&self) -> String;
}

impl IdText for ResourceId {
    fn to_string_id(&self) -> String {
        let segments: Vec<(&str, &str)> = self
            .segments
            .iter()
            .map(|(k, n)| (k.as_str(), n.as_str()))
            .collect();
        crate::io::azure::ids::build(
            self.subscription.as_deref().unwrap_or_default(),
            self.resource_group.as_deref().unwrap_or_default(),
            &self.namespace,
            &segments,
        )
    }
}

/// The lookup key of an ID, from its parts (its `text` may be stale after its segments changed).
pub(super) fn key(id: &ResourceId) -> String {
    crate::io::azure::ids::key_of(&id.to_string_id())
}

/// `[resourceId(…)]` naming `target` (at `place`) from a deployment at `from`.
fn expression(target: &ResourceId, place: &Place, from: &Place) -> String {
    let kind = std::iter::once(target.namespace.as_str())
        .chain(target.segments.iter().map(|(k, _)| k.as_str()))
        .collect::<Vec<_>>()
        .join("/");
    let mut args: Vec<String> = Vec::new();
    if place != from {
        let outer = |named: &Option<String>, here: &str, passed: &str| match named {
            Some(name) => quote(name),
            None if from.is_home() => here.to_string(),
            None => format!("parameters('{passed}')"),
        };
        args.push(outer(
            &place.subscription,
            "subscription().subscriptionId",
            OUTER_SUBSCRIPTION,
        ));
        args.push(outer(
            &place.resource_group,
            "resourceGroup().name",
            OUTER_GROUP,
        ));
    }
    args.push(quote(&kind));
    args.extend(target.segments.iter().map(|(_, n)| quote(n)));
    format!("[resourceId({})]", args.join(", "))
}

/// One resource of the template on its way: its place, ID, template JSON and the top-level
/// resources it refers to.
pub(super) struct Item {
    place: Place,
    pub(super) id: ResourceId,
    pub(super) resource: Value,
    refers: Vec<ResourceId>,
}

impl Item {
    /// A template resource from an ARM-shaped one: type, API version, name, location, tags,
    /// SKU and properties.
    pub(super) fn new(place: Place, id: ResourceId, rest: &Value, api: &str) -> Item {
        let mut resource = Map::new();
        resource.insert("type".into(), rest["type"].clone());
        resource.insert("apiVersion".into(), json!(api));
        let name: Vec<&str> = id.segments.iter().map(|(_, n)| n.as_str()).collect();
        resource.insert("name".into(), json!(name.join("/")));
        for key in ["location", "tags", "sku"] {
            if let Some(value) = rest.get(key).filter(|v| !v.is_null()) {
                resource.insert(key.into(), value.clone());
            }
        }
        resource.insert("properties".into(), rest["properties"].clone());
        Item {
            place,
            id,
            resource: Value::Object(resource),
            refers: Vec::new(),
        }
    }

    /// Drops read-only properties and turns every `{"id": literal}` into an expression,
    /// remembering the top-level resource it names.
    pub(super) fn clean(&mut self, home: &(String, String)) {
        if self.id.segments.len() > 1 {
            // A child (a peering) deploys after its parent.
            self.refers.push(self.top());
        }
        let mut properties = self.resource["properties"].take();
        drop_read_only(&mut properties);
        self.references(&mut properties, home);
        self.resource["properties"] = properties;
    }

    fn references(&mut self, value: &mut Value, home: &(String, String)) {
        match value {
            Value::Object(map) => {
                let literal = map
                    .get("id")
                    .and_then(Value::as_str)
                    .and_then(ResourceId::parse);
                if let Some(target) = literal {
                    let place = Place::of(&target, home);
                    map.insert("id".into(), json!(expression(&target, &place, &self.place)));
                    let mut top = target;
                    top.segments.truncate(1);
                    if key(&top) != key(&self.top())
                        && !self.refers.iter().any(|r| key(r) == key(&top))
                    {
                        self.refers.push(top);
                    }
                }
                for (_, child) in map.iter_mut().filter(|(k, _)| k.as_str() != "id") {
                    self.references(child, home);
                }
            }
            Value::Array(items) => {
                for child in items {
                    self.references(child, home);
                }
            }
            _ => {}
        }
    }

    /// Makes this resource deploy after `target` (a top-level resource of the template), for an
    /// order Azure enforces that no reference in the properties shows.
    pub(super) fn deploy_after(&mut self, target: ResourceId) {
        if !self.refers.iter().any(|r| key(r) == key(&target)) {
            self.refers.push(target);
        }
    }

    fn top(&self) -> ResourceId {
        let mut top = self.id.clone();
        top.segments.truncate(1);
        top
    }

    /// Peerings and connections deploy after every VNet and gateway of every place.
    fn is_link(&self) -> bool {
        let kind = self.resource["type"].as_str().unwrap_or_default();
        kind.eq_ignore_ascii_case("Microsoft.Network/virtualNetworks/virtualNetworkPeerings")
            || kind.eq_ignore_ascii_case("Microsoft.Network/connections")
    }
}

/// The deployment a resource goes into: the template itself (`None`) or a nested one.
type Unit = Option<(Place, bool)>;

fn unit_of(item: &Item) -> Unit {
    (!item.place.is_home()).then(|| (item.place.clone(), item.is_link()))
}

/// The template: the items at home at the top level, the others in nested deployments.
pub(super) fn assemble(
    items: Vec<Item>,
    parameters: Map<String, Value>,
    metadata: Map<String, Value>,
) -> Value {
    let mut units: Vec<(Place, bool)> = items.iter().filter_map(unit_of).collect();
    units.sort();
    units.dedup();
    let name_of = |unit: &(Place, bool)| {
        let index = units
            .iter()
            .position(|u| u.0 == unit.0 && !u.1)
            .unwrap_or(0);
        let base = format!("vnetlab-place-{}", index + 1);
        if unit.1 {
            format!("{base}-links")
        } else {
            base
        }
    };
    let mut top: Vec<Value> = Vec::new();
    let mut nested: Vec<(Vec<Value>, Vec<String>)> = vec![(Vec::new(), Vec::new()); units.len()];
    for item in &items {
        let unit = unit_of(item);
        let mut inner: Vec<String> = Vec::new();
        let mut outer: Vec<String> = Vec::new();
        for target in &item.refers {
            let Some(dep) = items.iter().find(|i| key(&i.id) == key(target)) else {
                continue;
            };
            let dep_unit = unit_of(dep);
            if dep_unit == unit {
                inner.push(expression(&dep.id, &dep.place, &item.place));
            } else {
                let on = match &dep_unit {
                    None => expression(&dep.id, &dep.place, &Place::of_home()),
                    Some(u) => name_of(u),
                };
                if unit.is_none() {
                    inner.push(on);
                } else {
                    outer.push(on);
                }
            }
        }
        let mut resource = item.resource.clone();
        if !inner.is_empty() {
            inner.dedup();
            resource["dependsOn"] = json!(inner);
        }
        match unit.and_then(|u| units.iter().position(|x| *x == u)) {
            None => top.push(resource),
            Some(index) => {
                nested[index].0.push(resource);
                for on in outer {
                    if !nested[index].1.contains(&on) {
                        nested[index].1.push(on);
                    }
                }
            }
        }
    }
    let base_names: Vec<String> = units.iter().filter(|u| !u.1).map(name_of).collect();
    for (unit, (resources, mut depends)) in units.iter().zip(nested) {
        if unit.1 {
            for name in &base_names {
                if !depends.contains(name) {
                    depends.push(name.clone());
                }
            }
        }
        top.push(deployment(
            &name_of(unit),
            &unit.0,
            resources,
            depends,
            &parameters,
        ));
    }
    json!({
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": metadata,
        "parameters": parameters,
        "resources": top,
    })
}

impl Place {
    fn of_home() -> Place {
        Place {
            subscription: None,
            resource_group: None,
        }
    }
}

/// A nested deployment at `place` holding `resources`, passed every template parameter.
fn deployment(
    name: &str,
    place: &Place,
    resources: Vec<Value>,
    depends: Vec<String>,
    parameters: &Map<String, Value>,
) -> Value {
    let mut declared = Map::new();
    let mut passed = Map::new();
    for (key, here) in [
        (OUTER_SUBSCRIPTION, "[subscription().subscriptionId]"),
        (OUTER_GROUP, "[resourceGroup().name]"),
    ] {
        declared.insert(key.into(), json!({"type": "string"}));
        passed.insert(key.into(), json!({"value": here}));
    }
    for (key, declaration) in parameters {
        declared.insert(key.clone(), json!({"type": declaration["type"]}));
        passed.insert(
            key.clone(),
            json!({"value": format!("[parameters({})]", quote(key))}),
        );
    }
    let mut resource = json!({
        "type": "Microsoft.Resources/deployments",
        "apiVersion": "2022-09-01",
        "name": name,
    });
    if let Some(subscription) = &place.subscription {
        resource["subscriptionId"] = json!(subscription);
    }
    if let Some(group) = &place.resource_group {
        resource["resourceGroup"] = json!(group);
    }
    if !depends.is_empty() {
        resource["dependsOn"] = json!(depends);
    }
    resource["properties"] = json!({
        "mode": "Incremental",
        "expressionEvaluationOptions": {"scope": "inner"},
        "parameters": passed,
        "template": {
            "$schema": SCHEMA,
            "contentVersion": "1.0.0.0",
            "parameters": declared,
            "resources": resources,
        },
    });
    resource
}
