//! Comparison, logic, integer arithmetic and conversions: `equals`, `greater`, `less` (and their
//! `OrEquals`), `not`, `and`, `or`, `if`, `coalesce`, `true`, `false`, `null`, `add`, `sub`,
//! `mul`, `div`, `mod`, `int`, `float`, `bool`, `json`. Arithmetic is checked: an overflow or a
//! division by zero is an error, as in Azure.

use super::{Budget, EvalError, Val, arity, int_arg, invalid, string_arg, type_error};
use crate::io::template::limits::check_string;

/// Calls a logic, comparison, number or conversion function; `None` when `name` is not one.
pub fn call(name: &str, args: &[Val], budget: &mut Budget) -> Option<Result<Val, EvalError>> {
    let result = match name {
        "equals" => arity(name, args, 2, 2, "two").map(|()| Val::Bool(args[0].same(&args[1]))),
        "greater" | "greaterorequals" | "less" | "lessorequals" => compare(name, args),
        "not" => arity(name, args, 1, 1, "one")
            .and_then(|()| truth(name, &args[0]).map(|b| Val::Bool(!b))),
        "and" | "or" => and_or(name, args),
        "if" => arity(name, args, 3, 3, "three")
            .and_then(|()| truth(name, &args[0]))
            .map(|b| if b { args[1].clone() } else { args[2].clone() }),
        "coalesce" => Ok(args
            .iter()
            .find(|a| !matches!(a, Val::Null))
            .cloned()
            .unwrap_or(Val::Null)),
        "true" | "false" => arity(name, args, 0, 0, "no").map(|()| Val::Bool(name == "true")),
        "null" => arity(name, args, 0, 0, "no").map(|()| Val::Null),
        "add" | "sub" | "mul" | "div" | "mod" => arithmetic(name, args),
        "int" => arity(name, args, 1, 1, "one").and_then(|()| to_int(&args[0])),
        "float" => arity(name, args, 1, 1, "one").and_then(|()| to_float(&args[0])),
        "bool" => arity(name, args, 1, 1, "one").and_then(|()| to_bool(&args[0])),
        "json" => arity(name, args, 1, 1, "one").and_then(|()| json(&args[0], budget)),
        _ => return None,
    };
    Some(result)
}

/// The truth of a condition: a boolean, or the strings `true`/`false` templates often pass.
pub fn truth(function: &str, value: &Val) -> Result<bool, EvalError> {
    match value {
        Val::Bool(b) => Ok(*b),
        Val::Str(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Val::Str(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(type_error(function, "a boolean", other)),
    }
}

fn and_or(name: &str, args: &[Val]) -> Result<Val, EvalError> {
    arity(name, args, 2, usize::MAX, "two or more")?;
    let mut result = name == "and";
    for arg in args {
        let b = truth(name, arg)?;
        result = if name == "and" {
            result && b
        } else {
            result || b
        };
    }
    Ok(Val::Bool(result))
}

fn compare(name: &str, args: &[Val]) -> Result<Val, EvalError> {
    arity(name, args, 2, 2, "two")?;
    let ordering = match (&args[0], &args[1]) {
        (Val::Str(a), Val::Str(b)) => a.cmp(b),
        (a, b) => int_arg(name, a)?.cmp(&int_arg(name, b)?),
    };
    Ok(Val::Bool(match name {
        "greater" => ordering.is_gt(),
        "greaterorequals" => ordering.is_ge(),
        "less" => ordering.is_lt(),
        _ => ordering.is_le(),
    }))
}

fn arithmetic(name: &str, args: &[Val]) -> Result<Val, EvalError> {
    arity(name, args, 2, 2, "two")?;
    let a = int_arg(name, &args[0])?;
    let b = int_arg(name, &args[1])?;
    if matches!(name, "div" | "mod") && b == 0 {
        return Err(invalid(name, "division by zero"));
    }
    let result = match name {
        "add" => a.checked_add(b),
        "sub" => a.checked_sub(b),
        "mul" => a.checked_mul(b),
        "div" => a.checked_div(b),
        _ => a.checked_rem(b),
    };
    result
        .map(Val::Int)
        .ok_or_else(|| EvalError::Overflow(format!("{name}({a}, {b})")))
}

fn to_int(value: &Val) -> Result<Val, EvalError> {
    match value {
        Val::Int(_) => Ok(value.clone()),
        #[allow(clippy::cast_possible_truncation)]
        Val::Float(f) if f.is_finite() && f.abs() < 9.0e18 => Ok(Val::Int(f.trunc() as i64)),
        Val::Str(s) => s
            .trim()
            .parse()
            .map(Val::Int)
            .map_err(|_| invalid("int", format!("`{s}` is not an integer"))),
        Val::Bool(b) => Ok(Val::Int(i64::from(*b))),
        other => Err(type_error("int", "a string or a number", other)),
    }
}

fn to_float(value: &Val) -> Result<Val, EvalError> {
    match value {
        #[allow(clippy::cast_precision_loss)]
        Val::Int(i) => Ok(Val::Float(*i as f64)),
        Val::Float(_) => Ok(value.clone()),
        Val::Str(s) => s
            .trim()
            .parse()
            .map(Val::Float)
            .map_err(|_| invalid("float", format!("`{s}` is not a number"))),
        other => Err(type_error("float", "a string or a number", other)),
    }
}

fn to_bool(value: &Val) -> Result<Val, EvalError> {
    match value {
        Val::Int(i) => Ok(Val::Bool(*i != 0)),
        other => truth("bool", other).map(Val::Bool),
    }
}

fn json(value: &Val, budget: &mut Budget) -> Result<Val, EvalError> {
    let text = string_arg("json", value)?;
    check_string(text.len())?;
    budget.charge(8 * text.len() as u64)?;
    // serde_json refuses nesting deeper than 128, so parsing is bounded too.
    let parsed: serde_json::Value =
        serde_json::from_str(text).map_err(|e| invalid("json", format!("not valid JSON: {e}")))?;
    Val::from_json(&parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, args: Vec<Val>) -> Result<Val, EvalError> {
        call(name, &args, &mut Budget::default()).unwrap()
    }

    fn is(result: Result<Val, EvalError>, expected: &Val) -> bool {
        result.unwrap().same(expected)
    }

    #[test]
    fn comparisons_and_logic() {
        assert!(is(
            run("equals", vec![Val::str("Yes"), Val::str("Yes")]),
            &Val::Bool(true)
        ));
        assert!(is(
            run("equals", vec![Val::str("Yes"), Val::str("yes")]),
            &Val::Bool(false)
        ));
        assert!(is(
            run("greater", vec![Val::Int(3), Val::Int(2)]),
            &Val::Bool(true)
        ));
        assert!(is(
            run("lessorequals", vec![Val::str("a"), Val::str("b")]),
            &Val::Bool(true)
        ));
        assert!(is(
            run(
                "and",
                vec![Val::Bool(true), Val::str("true"), Val::Bool(false)]
            ),
            &Val::Bool(false)
        ));
        assert!(is(run("not", vec![Val::str("false")]), &Val::Bool(true)));
        assert!(run("not", vec![Val::Int(1)]).is_err());
    }

    #[test]
    fn arithmetic_is_checked() {
        assert!(is(run("mod", vec![Val::Int(7), Val::Int(3)]), &Val::Int(1)));
        assert!(is(run("div", vec![Val::Int(7), Val::Int(2)]), &Val::Int(3)));
        assert!(run("div", vec![Val::Int(1), Val::Int(0)]).is_err());
        assert!(matches!(
            run("add", vec![Val::Int(i64::MAX), Val::Int(1)]),
            Err(EvalError::Overflow(_))
        ));
    }

    #[test]
    fn conversions() {
        assert!(is(run("int", vec![Val::str(" 42 ")]), &Val::Int(42)));
        assert!(is(run("bool", vec![Val::str("TRUE")]), &Val::Bool(true)));
        assert!(is(
            run("json", vec![Val::str("{\"a\": [1]}")]),
            &Val::from_json(&serde_json::json!({"a": [1]})).unwrap()
        ));
        assert!(run("json", vec![Val::str("[".repeat(200))]).is_err());
    }
}
