//! `azapi_resource` and `azapi_update_resource`: their `body` is ARM-shaped already (an object
//! in azapi 2.x, a `jsonencode`d string in 1.x), so they become ARM resources as they are, typed
//! by the ARM `type` without its `@api-version`, and the ARM importer maps them like any export.
//! An update's body is merged into the resource it updates.

use super::translate::{Translator, path};
use crate::io::azure::ids::key_of;
use serde_json::{Map, Value, json};

/// `Microsoft.Network/virtualNetworks@2023-11-01` → `Microsoft.Network/virtualNetworks`.
fn arm_type(text: &str) -> &str {
    text.split('@').next().unwrap_or(text)
}

/// The ID Azure gives an `azapi_resource`: under its `parent_id`.
pub(super) fn build_id(translator: &Translator<'_, '_>, i: usize, _depth: usize) -> Option<String> {
    let kind = translator.string(i, &path(&["type"]))?;
    let name = translator.string(i, &path(&["name"]))?;
    let parent = translator.string(i, &path(&["parent_id"]))?;
    let parent = parent.trim_end_matches('/');
    let parts: Vec<&str> = arm_type(&kind).split('/').collect();
    let (namespace, types) = parts.split_first()?;
    match types {
        [] => None,
        ["resourceGroups"] if namespace.eq_ignore_ascii_case("Microsoft.Resources") => {
            Some(format!("{parent}/resourceGroups/{name}"))
        }
        [single] => Some(format!("{parent}/providers/{namespace}/{single}/{name}")),
        [.., child] => Some(format!("{parent}/{child}/{name}")),
    }
}

impl Translator<'_, '_> {
    /// The `body` as an object: azapi 2.x gives one, 1.x a JSON string.
    fn body(&mut self, i: usize) -> Option<Value> {
        match self.known(i, &path(&["body"]))? {
            Value::Object(map) => Some(Value::Object(map.clone())),
            Value::String(text) => match serde_json::from_str::<Value>(text) {
                Ok(value @ Value::Object(_)) => Some(value),
                _ => {
                    let address = self.instance(i).address;
                    self.note(format!(
                        "`{address}`: its `body` is not a JSON object; the resource was left out"
                    ));
                    None
                }
            },
            _ => None,
        }
    }

    pub(super) fn azapi_resource(&mut self, i: usize) {
        let kind = self.string(i, &path(&["type"])).unwrap_or_default();
        let arm = arm_type(&kind).to_string();
        if !arm.to_ascii_lowercase().starts_with("microsoft.network/") {
            *self
                .out
                .unsupported
                .entry(format!("azapi_resource ({arm})"))
                .or_default() += 1;
            return;
        }
        let name = self.name(i);
        let Some(id) = self.id_of(i) else {
            self.unresolved(i, "parent_id", "the resource was left out");
            return;
        };
        let Some(body) = self.body(i) else {
            self.unresolved(i, "body", "the resource was left out");
            return;
        };
        let mut resource = Map::new();
        resource.insert("id".into(), json!(id));
        resource.insert("name".into(), json!(name));
        resource.insert("type".into(), json!(arm));
        if let Some(location) = self.location(i) {
            resource.insert("location".into(), json!(location));
        }
        resource.insert(
            "properties".into(),
            body.get("properties").cloned().unwrap_or_else(|| json!({})),
        );
        if let Some(tags) = body.get("tags").or_else(|| self.known(i, &path(&["tags"]))) {
            resource.insert("tags".into(), tags.clone());
        }
        self.emit(i, Value::Object(resource));
    }

    /// Merges an update's body into the resource it updates, or adds it when that resource is
    /// not in the plan.
    pub(super) fn azapi_update(&mut self, i: usize) {
        let kind = self.string(i, &path(&["type"])).unwrap_or_default();
        let arm = arm_type(&kind).to_string();
        if !arm.to_ascii_lowercase().starts_with("microsoft.network/") {
            *self
                .out
                .unsupported
                .entry(format!("azapi_update_resource ({arm})"))
                .or_default() += 1;
            return;
        }
        let target = self
            .string(i, &path(&["resource_id"]))
            .or_else(|| build_id(self, i, 0));
        let Some(target) = target else {
            self.unresolved(i, "resource_id", "the update was left out");
            return;
        };
        let Some(body) = self.body(i) else {
            return;
        };
        let key = key_of(&target);
        let existing = self.out.resources.iter_mut().find(|r| {
            r.get("id")
                .and_then(Value::as_str)
                .is_some_and(|id| key_of(id) == key)
        });
        match existing {
            Some(resource) => {
                if let (Some(into), Some(from)) =
                    (resource.get_mut("properties"), body.get("properties"))
                {
                    merge(into, from);
                }
            }
            None => {
                let name = target.rsplit('/').next().unwrap_or("").to_string();
                self.emit(
                    i,
                    json!({
                        "id": target,
                        "name": name,
                        "type": arm,
                        "properties": body.get("properties").cloned().unwrap_or_else(|| json!({})),
                    }),
                );
            }
        }
    }
}

/// Deep merge of JSON objects (`from` wins), as an ARM PATCH of properties would.
fn merge(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (into, from) => *into = from.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_overrides_and_keeps() {
        let mut a = json!({"x": {"y": 1, "z": 2}, "k": [1]});
        merge(&mut a, &json!({"x": {"y": 3}, "k": [2, 3]}));
        assert_eq!(a, json!({"x": {"y": 3, "z": 2}, "k": [2, 3]}));
    }

    #[test]
    fn arm_types_lose_their_version() {
        assert_eq!(
            arm_type("Microsoft.Network/virtualNetworks@2023-11-01"),
            "Microsoft.Network/virtualNetworks"
        );
    }
}
