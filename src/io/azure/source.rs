//! Reading export files safely and finding the resources in them.
//!
//! Every guard runs before the expensive step it protects: the size is checked from the file's
//! metadata before reading, the text is decoded (UTF-8, or the UTF-16 that PowerShell's `>`
//! writes) before parsing, and parsing itself is guarded (`guarded_json`: depth, value
//! count and overlong strings are refused before a tree is built). Then the shapes of
//! azure-semantics.md §7 are unwrapped: a single resource, an array, `{"value": [...]}` (REST
//! lists), `{"data": [...]}` (Resource Graph), and one-key wrappers such as
//! `{"newVNet": {...}}`.

use super::ImportError;
pub use super::guarded_json::{MAX_JSON_DEPTH, MAX_JSON_VALUES, parse};
use crate::io::read::InputKind;
use serde_json::Value;
use std::path::Path;

pub use crate::io::read::MAX_EXPORT_BYTES;

/// Reads one export file through the one bounded reader ([`crate::io::read::read_text`]):
/// folder and size checks from the metadata, then decoding to text.
pub fn read_text(path: &Path) -> Result<String, ImportError> {
    Ok(crate::io::read::read_text(path, InputKind::Export)?)
}

/// Bytes to text: UTF-8 (with or without a byte-order mark) or UTF-16 with a byte-order mark
/// ([`crate::io::text::decode`]); anything else is refused at the first byte that is not text.
pub fn decode(bytes: Vec<u8>, file: &str) -> Result<String, ImportError> {
    Ok(crate::io::read::decode(bytes, file)?)
}

/// Whether text looks like JSON (rather than a RON design file): it starts with `{` or `[`.
pub fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().chars().next(), Some('{' | '['))
}

/// The resources found in one document, and how many items were not resources.
#[derive(Debug, Default)]
pub struct Found<'a> {
    /// Resource objects, in document order.
    pub resources: Vec<&'a Value>,
    /// Items that are neither resources nor a known wrapper.
    pub unrecognised: usize,
}

/// Finds the resources in a parsed document; an error when there are none but there was content.
pub fn resources_in<'a>(value: &'a Value, file: &str) -> Result<Found<'a>, ImportError> {
    if let Some(map) = value.as_object()
        && map.keys().any(|k| k.eq_ignore_ascii_case("$schema"))
        && map.keys().any(|k| k.eq_ignore_ascii_case("resources"))
    {
        return Err(ImportError::WrongShape {
            file: file.to_string(),
            reason: "it is an ARM template, whose resources hold template expressions rather than \
                     deployed values; export the deployed resources instead (`az network vnet list -o json`, \
                     `az graph query`, or the REST API)"
                .to_string(),
        });
    }
    let mut found = Found::default();
    collect(value, &mut found);
    if found.resources.is_empty() && found.unrecognised > 0 {
        return Err(ImportError::WrongShape {
            file: file.to_string(),
            reason: explain_unrecognised(value),
        });
    }
    Ok(found)
}

fn is_resource(map: &serde_json::Map<String, Value>) -> bool {
    map.iter().any(|(k, v)| {
        (k.eq_ignore_ascii_case("id") || k.eq_ignore_ascii_case("type")) && v.is_string()
    })
}

fn collect<'a>(value: &'a Value, found: &mut Found<'a>) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| collect(item, found)),
        Value::Object(map) if is_resource(map) => found.resources.push(value),
        Value::Object(map) => {
            let list = map.iter().find(|(k, v)| {
                (k.eq_ignore_ascii_case("value") || k.eq_ignore_ascii_case("data")) && v.is_array()
            });
            match list {
                Some((_, items)) => collect(items, found),
                // One-key wrappers: `az network vnet create` prints {"newVNet": {...}}.
                None if map.len() == 1 && map.values().all(|v| v.is_object() || v.is_array()) => {
                    map.values().for_each(|v| collect(v, found));
                }
                None => found.unrecognised += 1,
            }
        }
        _ => found.unrecognised += 1,
    }
}

/// Says what a document without resources looks like, so the user can pick the right file.
fn explain_unrecognised(value: &Value) -> String {
    let first_item = match value {
        Value::Object(map) => map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("value") || k.eq_ignore_ascii_case("data"))
            .and_then(|(_, v)| v.as_array())
            .and_then(|items| items.first()),
        Value::Array(items) => items.first(),
        _ => None,
    };
    let has = |key: &str| {
        first_item
            .and_then(Value::as_object)
            .is_some_and(|m| m.keys().any(|k| k.eq_ignore_ascii_case(key)))
    };
    if has("nextHopType") {
        "it is an effective route table (`az network nic show-effective-route-table`), a diagnostic view of one \
         NIC rather than resources; export the VNets, NICs and route tables instead"
            .to_string()
    } else if has("effectiveSecurityRules") {
        "it is an effective NSG view (`az network nic list-effective-nsg`), a diagnostic view rather than \
         resources; export the NSGs instead"
            .to_string()
    } else if has("name") || has("properties") {
        "its items have no `id` or `type`; keep both in the output (for Resource Graph: \
         `project id, type, name, location, resourceGroup, subscriptionId, properties`)"
            .to_string()
    } else {
        let what = match value {
            Value::Object(_) => "an object without `id` or `type`",
            Value::Array(_) => "an array without resource objects",
            Value::String(_) => "a string",
            Value::Number(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Null => "null",
        };
        format!(
            "it is {what}; give a resource object, an array of them, \
             `{{\"value\": [...]}}` (REST) or `{{\"data\": [...]}}` (Resource Graph)"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read::ReadError;
    use serde_json::json;

    #[test]
    fn every_list_shape_yields_its_resources() {
        let resource = json!({"id": "/x", "name": "a"});
        for doc in [
            json!([resource.clone(), resource.clone()]),
            json!({"value": [resource.clone(), resource.clone()], "nextLink": null}),
            json!({"data": [resource.clone(), resource.clone()], "count": 2}),
            json!([{"newVNet": resource.clone()}, [resource.clone()]]),
        ] {
            assert_eq!(resources_in(&doc, "f").unwrap().resources.len(), 2, "{doc}");
        }
        assert_eq!(
            resources_in(&json!({"NewNIC": resource}), "f")
                .unwrap()
                .resources
                .len(),
            1
        );
    }

    #[test]
    fn documents_without_resources_are_explained() {
        let routes = json!({"value": [{"source": "Default", "nextHopType": "None"}]});
        let err = resources_in(&routes, "r.json").unwrap_err().to_string();
        assert!(err.contains("effective route table"), "{err}");
        let err = resources_in(&json!(42), "n.json").unwrap_err().to_string();
        assert!(
            err.starts_with("n.json: ") && err.contains("a number"),
            "{err}"
        );
        let projected = json!({"data": [{"name": "hub", "properties": {}}], "count": 1});
        assert!(
            resources_in(&projected, "g")
                .unwrap_err()
                .to_string()
                .contains("project id, type")
        );
        let template = json!({"$schema": "x", "resources": []});
        assert!(
            resources_in(&template, "t")
                .unwrap_err()
                .to_string()
                .contains("ARM template")
        );
        assert!(resources_in(&json!([]), "e").unwrap().resources.is_empty());
    }

    #[test]
    fn utf16_and_byte_order_marks_decode() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("[1]".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(bytes, "f").unwrap(), "[1]");
        assert_eq!(decode(b"\xEF\xBB\xBF[]".to_vec(), "f").unwrap(), "[]");
        assert!(matches!(
            decode(vec![0xC3, 0x28], "f"),
            Err(ImportError::Read(ReadError::NotText { .. }))
        ));
    }
}
