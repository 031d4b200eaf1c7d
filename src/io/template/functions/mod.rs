//! The template functions that depend only on their arguments, grouped as the ARM reference
//! groups them: strings ([`text`]), arrays ([`collections`]), objects ([`objects`]),
//! comparison, logic, numbers and conversions ([`logic`]), CIDR arithmetic ([`cidr`]) and
//! resource IDs ([`ids`]).
//! Functions that need the template's state (`parameters`, `variables`, `copyIndex`,
//! `reference`, the scope functions, lambdas) live with the evaluator.
//!
//! Every function checks its arguments and returns an [`EvalError`] naming itself, never panics,
//! and pays for what it builds through the [`Budget`]. Names are matched case-insensitively, as
//! Azure does.

pub mod cidr;
pub mod collections;
pub mod encode;
pub mod ids;
pub mod logic;
pub mod objects;
pub mod text;

use super::limits::{Budget, EvalError, check_items, check_string};
use super::value::Val;

/// Calls the pure function `name` (lower-cased) with evaluated arguments; `None` when no pure
/// function has that name.
pub fn call(name: &str, args: &[Val], budget: &mut Budget) -> Option<Result<Val, EvalError>> {
    text::call(name, args, budget)
        .or_else(|| collections::call(name, args, budget))
        .or_else(|| objects::call(name, args, budget))
        .or_else(|| logic::call(name, args, budget))
        .or_else(|| cidr::call(name, args, budget))
}

/// Whether a function takes unknown arguments as values (building a container around them)
/// instead of becoming unknown itself.
pub fn holds_unknowns(name: &str) -> bool {
    matches!(
        name,
        "createarray" | "createobject" | "array" | "coalesce" | "length"
    )
}

/// Whether a function's answer depends on every part of its arguments, so an unknown anywhere
/// inside them (an array holding an unknown) makes the answer unknown rather than `false`.
pub fn looks_inside(name: &str) -> bool {
    matches!(
        name,
        "equals" | "contains" | "indexof" | "lastindexof" | "intersection"
    )
}

/// Checks the number of arguments.
pub fn arity(
    function: &str,
    args: &[Val],
    min: usize,
    max: usize,
    expected: &'static str,
) -> Result<(), EvalError> {
    if args.len() < min || args.len() > max {
        return Err(EvalError::Arity {
            function: function.to_string(),
            expected,
            given: args.len(),
        });
    }
    Ok(())
}

/// A type error for `function`.
pub fn type_error(function: &str, expected: &'static str, found: &Val) -> EvalError {
    EvalError::Type {
        function: function.to_string(),
        expected,
        found: found.kind(),
    }
}

/// Any other argument error for `function`.
pub fn invalid(function: &str, reason: impl Into<String>) -> EvalError {
    EvalError::Invalid {
        function: function.to_string(),
        reason: reason.into(),
    }
}

/// The string argument, or a type error.
pub fn string_arg<'a>(function: &str, value: &'a Val) -> Result<&'a str, EvalError> {
    value
        .as_str()
        .ok_or_else(|| type_error(function, "a string", value))
}

/// The integer argument (a whole float or a numeric string also count), or a type error.
pub fn int_arg(function: &str, value: &Val) -> Result<i64, EvalError> {
    match value {
        Val::Int(i) => Ok(*i),
        #[allow(clippy::cast_possible_truncation)]
        Val::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => Ok(*f as i64),
        _ => Err(type_error(function, "an integer", value)),
    }
}

/// The array argument, or a type error.
pub fn list_arg<'a>(function: &str, value: &'a Val) -> Result<&'a [Val], EvalError> {
    value
        .as_list()
        .ok_or_else(|| type_error(function, "an array", value))
}

/// A new string, checked and paid for.
pub fn new_str(budget: &mut Budget, text: String) -> Result<Val, EvalError> {
    check_string(text.len())?;
    budget.charge(32 + text.len() as u64)?;
    Ok(Val::str(text))
}

/// A new array, checked and paid for.
pub fn new_array(budget: &mut Budget, items: Vec<Val>) -> Result<Val, EvalError> {
    check_items(items.len())?;
    budget.charge(32 + 32 * items.len() as u64)?;
    Val::array(items)
}

/// A new object, checked and paid for.
pub fn new_object(budget: &mut Budget, members: Vec<(String, Val)>) -> Result<Val, EvalError> {
    check_items(members.len())?;
    let keys: u64 = members.iter().map(|(k, _)| 2 * k.len() as u64 + 64).sum();
    budget.charge(32 + keys)?;
    Val::object(members)
}

/// How `concat`, `format` and `string` print a scalar, as .NET does (`True`, not `true`).
pub fn scalar_text(value: &Val) -> Option<String> {
    match value {
        Val::Str(s) => Some(s.to_string()),
        Val::Int(i) => Some(i.to_string()),
        Val::Float(f) => Some(f.to_string()),
        Val::Bool(true) => Some("True".to_string()),
        Val::Bool(false) => Some("False".to_string()),
        Val::Null => Some(String::new()),
        _ => None,
    }
}
