//! Copy loops at property, variable and output level (`copy: [{name, count, input}]`, and an
//! output's `copy: {count, input}`), `copyIndex()` with its loop name and offset, and the count
//! check against Azure's limit of 800. Resource-level loops are expanded in [`super::expand`].

use super::eval::{Engine, Frame, Loop, arity_error, member};
use super::functions;
use super::limits::{EvalError, MAX_COPY_COUNT};
use super::parse::Expr;
use super::value::Val;
use serde_json::Value;

impl Engine {
    /// Runs a copy loop `{name, count, input}`; returns the name and the array of inputs.
    /// `unnamed` lets `copyIndex()` without a name refer to it (output loops).
    pub fn copy_loop(
        &mut self,
        frame: &mut Frame,
        definition: &Value,
        unnamed: bool,
    ) -> Result<(String, Val), EvalError> {
        let name = member(definition, "name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let count = self.copy_count(frame, definition, &name)?;
        let input = member(definition, "input").cloned().unwrap_or(Value::Null);
        let mut items = Vec::new();
        for index in 0..count {
            frame.loops.push(Loop {
                name: name.to_lowercase(),
                index,
                unnamed,
            });
            let item = self.eval_json(frame, &input);
            frame.loops.pop();
            items.push(item?);
        }
        Ok((name, functions::new_array(&mut self.budget, items)?))
    }

    /// The `count` of a copy loop, checked against Azure's limit. An unknown count is zero
    /// iterations, reported as a placeholder.
    pub fn copy_count(
        &mut self,
        frame: &mut Frame,
        definition: &Value,
        name: &str,
    ) -> Result<i64, EvalError> {
        let count = match member(definition, "count") {
            Some(json) => self.eval_json(frame, json)?,
            None => Val::Int(0),
        };
        let count = match count {
            Val::Unknown(why) => {
                self.placeholder(
                    &why,
                    format!("the count of copy loop `{name}` (no copies imported)"),
                );
                return Ok(0);
            }
            other => functions::int_arg("copy", &other)?,
        };
        if !(0..=MAX_COPY_COUNT).contains(&count) {
            return Err(EvalError::CopyCount {
                name: name.to_string(),
                count,
            });
        }
        Ok(count)
    }

    pub fn copy_index(&mut self, frame: &mut Frame, args: &[Expr]) -> Result<Val, EvalError> {
        let mut values = Vec::new();
        for arg in args {
            values.push(self.eval(frame, arg)?);
        }
        let (name, offset) = match values.as_slice() {
            [] => (None, 0),
            [Val::Str(name)] => (Some(name.to_lowercase()), 0),
            [offset] => (None, functions::int_arg("copyIndex", offset)?),
            [Val::Str(name), offset] => (
                Some(name.to_lowercase()),
                functions::int_arg("copyIndex", offset)?,
            ),
            _ => {
                return Err(arity_error(
                    "copyIndex",
                    "a loop name and an offset, at most",
                    args.len(),
                ));
            }
        };
        let found = frame.loops.iter().rev().find(|l| match &name {
            Some(name) => &l.name == name,
            None => l.unnamed,
        });
        match found {
            Some(l) => l
                .index
                .checked_add(offset)
                .map(Val::Int)
                .ok_or_else(|| EvalError::Overflow("copyIndex".to_string())),
            None => Err(functions::invalid(
                "copyIndex",
                match name {
                    Some(name) => format!("there is no copy loop named `{name}` here"),
                    None => "it is used outside a copy loop".to_string(),
                },
            )),
        }
    }
}

/// Whether a `copy` member is a property copy loop: an array of `{name, count, input}`.
pub fn is_property_copy(value: &Value) -> bool {
    value.as_array().is_some_and(|items| {
        !items.is_empty()
            && items.iter().all(|item| {
                member(item, "name").is_some()
                    && member(item, "count").is_some()
                    && member(item, "input").is_some()
            })
    })
}
