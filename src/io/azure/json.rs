//! A read-only view over one JSON object that hides the differences between the shapes Azure
//! tools print (azure-semantics.md §7.1): keys are compared case-insensitively (`enableIPForwarding`
//! and the older CLI's `enableIpForwarding` are the same key), and the keys of a `properties`
//! object count as keys of the object itself, so the REST shape and the flattened CLI shape read
//! alike. Nothing is copied: a [`Node`] borrows the parsed `serde_json::Value`.

use serde_json::{Map, Value};

/// One JSON object seen through the importer's rules.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    map: &'a Map<String, Value>,
}

impl<'a> Node<'a> {
    /// The view of `value`, if it is an object.
    pub fn of(value: &'a Value) -> Option<Node<'a>> {
        value.as_object().map(|map| Node { map })
    }

    /// The underlying object.
    pub fn map(&self) -> &'a Map<String, Value> {
        self.map
    }

    /// The value of `key`: the object's own key first, then the same key inside `properties`.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        find(self.map, key).filter(|v| !v.is_null()).or_else(|| {
            self.properties()
                .and_then(|p| find(p, key))
                .filter(|v| !v.is_null())
        })
    }

    fn properties(&self) -> Option<&'a Map<String, Value>> {
        find(self.map, "properties").and_then(Value::as_object)
    }

    /// A string value; numbers and booleans are not strings.
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.get(key).and_then(Value::as_str)
    }

    /// A boolean value; Azure tools sometimes print booleans as `"true"`/`"false"` strings.
    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// An unsigned number, also accepted when printed as a string.
    pub fn u64(&self, key: &str) -> Option<u64> {
        match self.get(key)? {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A nested object.
    pub fn node(&self, key: &str) -> Option<Node<'a>> {
        self.get(key).and_then(Node::of)
    }

    /// The objects of an array value; a single object counts as a one-element list.
    pub fn nodes(&self, key: &str) -> Vec<Node<'a>> {
        match self.get(key) {
            Some(Value::Array(items)) => items.iter().filter_map(Node::of).collect(),
            Some(value @ Value::Object(_)) => Node::of(value).into_iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The strings of an array value; a single string counts as a one-element list.
    pub fn strings(&self, key: &str) -> Vec<&'a str> {
        match self.get(key) {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            Some(Value::String(s)) => vec![s.as_str()],
            _ => Vec::new(),
        }
    }

    /// The `id` of a reference such as `"subnet": {"id": "…"}`; a bare string also counts.
    pub fn reference(&self, key: &str) -> Option<&'a str> {
        match self.get(key)? {
            Value::String(s) => Some(s.as_str()),
            value => Node::of(value)?.str("id"),
        }
    }

    /// The `addressPrefixes` list of an address-space object such as `addressSpace`.
    pub fn prefixes_of(&self, key: &str) -> Vec<&'a str> {
        self.node(key)
            .map(|n| n.strings("addressPrefixes"))
            .unwrap_or_default()
    }

    /// The resource's tags (always at the top level, never inside `properties`).
    pub fn tag(&self, name: &str) -> Option<&'a str> {
        find(self.map, "tags")
            .and_then(Value::as_object)
            .and_then(|tags| find(tags, name))
            .and_then(Value::as_str)
    }
}

/// Case-insensitive key lookup; an exact match wins over a case-folded one.
fn find<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rest_and_cli_shapes_read_alike() {
        let rest = json!({"name": "n", "properties": {"enableIPForwarding": true, "subnet": {"id": "/x"}}});
        let cli = json!({"name": "n", "enableIpForwarding": "true", "subnet": {"id": "/x", "resourceGroup": "rg"}});
        for value in [&rest, &cli] {
            let node = Node::of(value).unwrap();
            assert_eq!(node.bool("enableipforwarding"), Some(true));
            assert_eq!(node.reference("subnet"), Some("/x"));
            assert_eq!(node.str("NAME"), Some("n"));
        }
    }

    #[test]
    fn singular_values_read_as_lists_and_nulls_as_absent() {
        let value = json!({"addressPrefixes": "10.0.0.0/8", "subnets": {"name": "a"}, "x": null,
                           "properties": {"x": "inner"}});
        let node = Node::of(&value).unwrap();
        assert_eq!(node.strings("addressPrefixes"), ["10.0.0.0/8"]);
        assert_eq!(node.nodes("subnets").len(), 1);
        assert_eq!(node.str("x"), Some("inner"));
    }
}
