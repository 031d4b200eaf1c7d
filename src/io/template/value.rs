//! The values template expressions compute with: JSON's kinds plus `Unknown`, a value that exists
//! only after deployment (a `reference()` outside the template, a `list*()` call, a parameter
//! without a value), carried through every function so that it ends as a named placeholder
//! rather than a guess.
//!
//! Arrays, objects and strings are reference-counted, so passing a variable around costs nothing;
//! only new values are paid for (see [`super::limits::Budget`]). Every array and object knows its
//! nesting depth and none is built deeper than [`MAX_VALUE_DEPTH`], which keeps every recursive
//! walk over a value (conversion, comparison, drop) within a bounded stack.

use super::limits::EvalError;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;

/// The deepest array or object an expression may build (JSON input is already limited to 128).
pub const MAX_VALUE_DEPTH: usize = 200;

/// A value of the template language.
#[derive(Debug, Clone)]
pub enum Val {
    /// `null()`.
    Null,
    /// `true()` / `false()`.
    Bool(bool),
    /// Integers (the language has no other numbers; floats only pass through from JSON).
    Int(i64),
    /// A JSON number that is not an integer.
    Float(f64),
    /// A string.
    Str(Rc<str>),
    /// An array.
    Array(Rc<List>),
    /// An object, keys compared case-insensitively as ARM does.
    Object(Rc<Obj>),
    /// A value known only after deployment; the text says where it came from.
    Unknown(Rc<str>),
}

/// The items of an array and its nesting depth.
#[derive(Debug, Default)]
pub struct List {
    items: Vec<Val>,
    depth: usize,
}

/// The members of an object (keyed by lower-cased name, keeping the name as written) and its
/// nesting depth.
#[derive(Debug, Default)]
pub struct Obj {
    members: BTreeMap<String, (String, Val)>,
    depth: usize,
}

impl List {
    /// The items.
    pub fn items(&self) -> &[Val] {
        &self.items
    }
}

impl Obj {
    /// The member named `key`, compared case-insensitively.
    pub fn get(&self, key: &str) -> Option<&Val> {
        self.members.get(&key.to_lowercase()).map(|(_, v)| v)
    }

    /// The members as `(name as written, value)`, in case-insensitive name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Val)> {
        self.members.values().map(|(k, v)| (k.as_str(), v))
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

fn depth_of(value: &Val) -> usize {
    match value {
        Val::Array(list) => list.depth,
        Val::Object(obj) => obj.depth,
        _ => 0,
    }
}

impl Val {
    /// A string value.
    pub fn str(text: impl Into<Rc<str>>) -> Val {
        Val::Str(text.into())
    }

    /// An array of these items, refused when it would nest too deeply.
    pub fn array(items: Vec<Val>) -> Result<Val, EvalError> {
        let depth = 1 + items.iter().map(depth_of).max().unwrap_or(0);
        if depth > MAX_VALUE_DEPTH {
            return Err(EvalError::TooDeep);
        }
        Ok(Val::Array(Rc::new(List { items, depth })))
    }

    /// An object of these members (a later duplicate name, in any case, wins), refused when it
    /// would nest too deeply.
    pub fn object(members: impl IntoIterator<Item = (String, Val)>) -> Result<Val, EvalError> {
        let mut map = BTreeMap::new();
        let mut depth = 1;
        for (key, value) in members {
            depth = depth.max(1 + depth_of(&value));
            map.insert(key.to_lowercase(), (key, value));
        }
        if depth > MAX_VALUE_DEPTH {
            return Err(EvalError::TooDeep);
        }
        Ok(Val::Object(Rc::new(Obj {
            members: map,
            depth,
        })))
    }

    /// An empty object.
    pub fn empty_object() -> Val {
        Val::Object(Rc::new(Obj {
            members: BTreeMap::new(),
            depth: 1,
        }))
    }

    /// An unknown value described by `what`.
    pub fn unknown(what: impl Into<Rc<str>>) -> Val {
        Val::Unknown(what.into())
    }

    /// The language's name for this value's type, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "bool",
            Val::Int(_) | Val::Float(_) => "int",
            Val::Str(_) => "string",
            Val::Array(_) => "array",
            Val::Object(_) => "object",
            Val::Unknown(_) => "unknown",
        }
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The items, when this is an array.
    pub fn as_list(&self) -> Option<&[Val]> {
        match self {
            Val::Array(list) => Some(&list.items),
            _ => None,
        }
    }

    /// The object, when this is one.
    pub fn as_obj(&self) -> Option<&Obj> {
        match self {
            Val::Object(obj) => Some(obj),
            _ => None,
        }
    }

    /// What an unknown value stands for, when this is one.
    pub fn unknown_reason(&self) -> Option<&str> {
        match self {
            Val::Unknown(why) => Some(why),
            _ => None,
        }
    }

    /// Whether the value is unknown, or holds an unknown anywhere inside.
    pub fn contains_unknown(&self) -> bool {
        match self {
            Val::Unknown(_) => true,
            Val::Array(list) => list.items.iter().any(Val::contains_unknown),
            Val::Object(obj) => obj.members.values().any(|(_, v)| v.contains_unknown()),
            _ => false,
        }
    }

    /// The bytes this value newly occupies when built from existing parts: what the
    /// [`super::limits::Budget`] charges for it. Items shared with other values are not counted.
    pub fn shallow_cost(&self) -> u64 {
        const NODE: u64 = 32;
        match self {
            Val::Str(s) | Val::Unknown(s) => NODE + s.len() as u64,
            Val::Array(list) => NODE + NODE * list.items.len() as u64,
            Val::Object(obj) => {
                NODE + obj
                    .members
                    .iter()
                    .map(|(k, (name, _))| 2 * NODE + (k.len() + name.len()) as u64)
                    .sum::<u64>()
            }
            _ => NODE,
        }
    }

    /// The whole size in bytes, counting shared parts as often as they appear: what a copy to
    /// JSON costs.
    pub fn deep_cost(&self) -> u64 {
        match self {
            Val::Array(list) => {
                self.shallow_cost() + list.items.iter().map(Val::deep_cost).sum::<u64>()
            }
            Val::Object(obj) => {
                self.shallow_cost()
                    + obj
                        .members
                        .values()
                        .map(|(_, v)| v.deep_cost())
                        .sum::<u64>()
            }
            _ => self.shallow_cost(),
        }
    }

    /// Converts template JSON into a value, without evaluating expressions.
    pub fn from_json(value: &Value) -> Result<Val, EvalError> {
        Ok(match value {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Val::Int(i),
                None => Val::Float(n.as_f64().unwrap_or(0.0)),
            },
            Value::String(s) => Val::str(s.as_str()),
            Value::Array(items) => {
                Val::array(items.iter().map(Val::from_json).collect::<Result<_, _>>()?)?
            }
            Value::Object(map) => Val::object(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), Val::from_json(v)?)))
                    .collect::<Result<Vec<_>, EvalError>>()?,
            )?,
        })
    }

    /// Converts to JSON; each unknown becomes the text `unknown: <what>` and is reported to
    /// `found` with its path under `path`.
    pub fn to_json(&self, path: &mut String, found: &mut dyn FnMut(&str, &str)) -> Value {
        match self {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Int(i) => Value::from(*i),
            Val::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Val::Str(s) => Value::String(s.to_string()),
            Val::Unknown(why) => {
                found(path, why);
                Value::String("(unknown)".to_string())
            }
            Val::Array(list) => {
                let len = path.len();
                let items = list
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let _ = write!(path, "[{i}]");
                        let json = item.to_json(path, found);
                        path.truncate(len);
                        json
                    })
                    .collect();
                Value::Array(items)
            }
            Val::Object(obj) => {
                let len = path.len();
                let map = obj
                    .members
                    .values()
                    .map(|(key, item)| {
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push_str(key);
                        let json = item.to_json(path, found);
                        path.truncate(len);
                        (key.clone(), json)
                    })
                    .collect();
                Value::Object(map)
            }
        }
    }

    /// The value as `string()` prints it: strings as they are, everything else as compact JSON.
    pub fn to_text(&self) -> String {
        match self {
            Val::Str(s) => s.to_string(),
            Val::Unknown(why) => format!("unknown: {why}"),
            other => other
                .to_json(&mut String::new(), &mut |_, _| {})
                .to_string(),
        }
    }

    /// Equality as `equals()` sees it: deep, with strings compared case-sensitively and object
    /// names case-insensitively. Unknowns are never equal to anything.
    pub fn same(&self, other: &Val) -> bool {
        match (self, other) {
            (Val::Null, Val::Null) => true,
            (Val::Bool(a), Val::Bool(b)) => a == b,
            (Val::Int(a), Val::Int(b)) => a == b,
            #[allow(clippy::cast_precision_loss)]
            (Val::Int(a), Val::Float(b)) | (Val::Float(b), Val::Int(a)) => (*a as f64) == *b,
            (Val::Float(a), Val::Float(b)) => a == b,
            (Val::Str(a), Val::Str(b)) => a == b,
            (Val::Array(a), Val::Array(b)) => {
                a.items.len() == b.items.len()
                    && a.items.iter().zip(&b.items).all(|(x, y)| x.same(y))
            }
            (Val::Object(a), Val::Object(b)) => {
                a.members.len() == b.members.len()
                    && a.members
                        .iter()
                        .all(|(k, (_, v))| b.members.get(k).is_some_and(|(_, w)| v.same(w)))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_round_trips_and_names_are_case_insensitive() {
        let json = json!({"Name": "a", "list": [1, true, null, {"x": "y"}]});
        let value = Val::from_json(&json).unwrap();
        assert_eq!(
            value.as_obj().unwrap().get("NAME").unwrap().as_str(),
            Some("a")
        );
        let back = value.to_json(&mut String::new(), &mut |_, _| {});
        assert_eq!(back, json);
        assert!(value.same(
            &Val::from_json(&json!({"name": "a", "LIST": [1, true, null, {"X": "y"}]})).unwrap()
        ));
    }

    #[test]
    fn unknowns_are_reported_with_their_path() {
        let value = Val::object([(
            "properties".to_string(),
            Val::array(vec![Val::Int(1), Val::unknown("reference('x')")]).unwrap(),
        )])
        .unwrap();
        let mut seen = Vec::new();
        let json = value.to_json(&mut String::new(), &mut |path, why| {
            seen.push(format!("{path}: {why}"));
        });
        assert_eq!(seen, ["properties[1]: reference('x')"]);
        assert_eq!(json["properties"][1], "(unknown)");
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused() {
        let mut value = Val::Null;
        for _ in 0..MAX_VALUE_DEPTH {
            value = Val::array(vec![value]).unwrap();
        }
        assert!(matches!(Val::array(vec![value]), Err(EvalError::TooDeep)));
    }
}
