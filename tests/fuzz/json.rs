//! Mutations of a JSON document's tree rather than its tokens: a value replaced by another kind
//! of value (an ARM expression, an address, a path with `/`, a number out of range), by a copy of
//! another value of the same document, removed, duplicated or wrapped in an array. Token
//! mutations mostly break the JSON, so the importers would only ever see the parser's refusal;
//! these keep it JSON and reach the importers' own reading. Text that is not JSON is left as it
//! is. Cost: one parse and one pretty-print of the document per mutation.

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};

/// One change to a JSON tree; `u32`s pick a value (in depth-first order, modulo the count).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonEdit {
    /// Put one of [`VALUES`] in place of value `i`.
    Set(u32, &'static str),
    /// Put a copy of value `j` in place of value `i`.
    Splice(u32, u32),
    /// Remove value `i` from its object or array.
    Remove(u32),
    /// Repeat value `i` in its array (or wrap it in one, outside arrays).
    Duplicate(u32),
    /// Put value `i` inside a one-element array.
    Wrap(u32),
}

/// Values that mean something to an importer, written as JSON.
pub const VALUES: &[&str] = &[
    "null",
    "true",
    "0",
    "-1",
    "65536",
    "4294967296",
    "1e300",
    "-0.5",
    "\"\"",
    "[]",
    "{}",
    "\"*\"",
    "\"x/y\"",
    "\"10.0.0.0/8\"",
    "\"10.0.0.0/33\"",
    "\"0.0.0.0/0\"",
    "\"10.1.1.4\"",
    "\"eastus\"",
    "\"nowhere\"",
    "\"Allow\"",
    "\"Deny\"",
    "\"Inbound\"",
    "\"Tcp\"",
    "\"22-21\"",
    "\"80-443\"",
    "[\"\"]",
    "[\"*\"]",
    "\"VirtualNetwork\"",
    "\"Internet\"",
    "\"Microsoft.Network/virtualNetworks\"",
    "\"Microsoft.Network/virtualNetworks/subnets\"",
    "\"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v\"",
    "\"[parameters('missing')]\"",
    "\"[variables('missing')]\"",
    "\"[copyIndex()]\"",
    "\"[concat('a', 'b')]\"",
    "\"[reference('x').outputs.y.value]\"",
    "\"[[escaped]\"",
    "\"[length(range(0, 800))]\"",
    "\"[resourceId('Microsoft.Network/virtualNetworks', 'v')]\"",
    "\"Connected\"",
    "\"Initiated\"",
    "\"Disconnected\"",
    "\"VnetLocal\"",
    "\"VirtualAppliance\"",
    "{\"count\": 800, \"name\": \"c\"}",
    "\"(known after apply)\"",
    "\"azurerm_subnet\"",
    "\"a\\u0000b\"",
    "\"\\u001b[2J\"",
];

fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    out.push(at.to_string());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                pointers(child, &format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn parent_and_last(pointer: &str) -> Option<(&str, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((parent, last.replace("~1", "/").replace("~0", "~")))
}

/// Applies one edit to `text`; text that is not JSON comes back unchanged.
pub fn edit(text: &[u8], change: &JsonEdit) -> Vec<u8> {
    let Ok(mut root) = serde_json::from_slice::<Value>(text) else {
        return text.to_vec();
    };
    let mut all = Vec::new();
    pointers(&root, "", &mut all);
    let pick = |i: &u32| all[*i as usize % all.len()].clone();
    match change {
        JsonEdit::Set(i, word) => {
            let new = serde_json::from_str(word).unwrap_or(Value::Null);
            if let Some(slot) = root.pointer_mut(&pick(i)) {
                *slot = new;
            }
        }
        JsonEdit::Splice(i, j) => {
            let copy = root.pointer(&pick(j)).cloned().unwrap_or(Value::Null);
            if let Some(slot) = root.pointer_mut(&pick(i)) {
                *slot = copy;
            }
        }
        JsonEdit::Wrap(i) => {
            if let Some(slot) = root.pointer_mut(&pick(i)) {
                *slot = json!([slot.take()]);
            }
        }
        JsonEdit::Remove(i) | JsonEdit::Duplicate(i) => {
            let target = pick(i);
            if let Some((parent, last)) = parent_and_last(&target) {
                match root.pointer_mut(parent) {
                    Some(Value::Object(map)) if matches!(change, JsonEdit::Remove(_)) => {
                        map.remove(&last);
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(n) = last.parse::<usize>()
                            && n < items.len()
                        {
                            if matches!(change, JsonEdit::Remove(_)) {
                                items.remove(n);
                            } else {
                                let copy = items[n].clone();
                                items.insert(n, copy);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    serde_json::to_vec_pretty(&root).unwrap_or_else(|_| text.to_vec())
}

/// One tree edit.
pub fn json_edit() -> impl Strategy<Value = JsonEdit> {
    prop_oneof![
        5 => (any::<u32>(), select(VALUES)).prop_map(|(i, w)| JsonEdit::Set(i, w)),
        3 => (any::<u32>(), any::<u32>()).prop_map(|(i, j)| JsonEdit::Splice(i, j)),
        3 => any::<u32>().prop_map(JsonEdit::Remove),
        2 => any::<u32>().prop_map(JsonEdit::Duplicate),
        1 => any::<u32>().prop_map(JsonEdit::Wrap),
    ]
}
