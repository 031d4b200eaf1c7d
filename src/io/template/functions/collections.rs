//! Array functions (several also take strings or objects, as in ARM): `concat`, `contains`,
//! `createArray`, `empty`, `first`, `last`, `length`, `skip`, `take`, `union`, `intersection`,
//! `range`, `array`, `flatten`, `indexOf`, `lastIndexOf`, `min`, `max`. The functions that only
//! take or build objects are [`super::objects`].

use super::{Budget, EvalError, Val, arity, int_arg, invalid, list_arg, new_array, new_object};
use super::{new_str, scalar_text, string_arg, type_error};
use crate::io::template::limits::{MAX_RANGE, check_items, check_string};

/// Calls an array or object function; `None` when `name` is not one.
pub fn call(name: &str, args: &[Val], budget: &mut Budget) -> Option<Result<Val, EvalError>> {
    let result = match name {
        "concat" => concat(args, budget),
        "contains" => contains(args),
        "createarray" => new_array(budget, args.to_vec()),
        "empty" => arity(name, args, 1, 1, "one").map(|()| Val::Bool(is_empty(&args[0]))),
        "length" => length(args),
        "first" | "last" => first_last(name, args, budget),
        "skip" | "take" => skip_take(name, args, budget),
        "union" => union(args, budget),
        "intersection" => intersection(args, budget),
        "range" => range(args, budget),
        "array" => arity(name, args, 1, 1, "one").and_then(|()| match &args[0] {
            Val::Array(_) => Ok(args[0].clone()),
            other => new_array(budget, vec![other.clone()]),
        }),
        "flatten" => flatten(args, budget),
        "indexof" | "lastindexof" => index_of(name, args),
        "min" | "max" => min_max(name, args),
        _ => return None,
    };
    Some(result)
}

/// `empty()`: null, `""`, `[]` and `{}` are empty.
pub fn is_empty(value: &Val) -> bool {
    match value {
        Val::Null => true,
        Val::Str(s) => s.is_empty(),
        Val::Array(list) => list.items().is_empty(),
        Val::Object(obj) => obj.is_empty(),
        _ => false,
    }
}

fn concat(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    if args.first().is_some_and(|a| matches!(a, Val::Array(_))) {
        let mut items = Vec::new();
        for arg in args {
            match arg {
                Val::Array(list) => items.extend(list.items().iter().cloned()),
                Val::Null => {}
                other => {
                    return Err(type_error(
                        "concat",
                        "arrays only, once the first is an array",
                        other,
                    ));
                }
            }
            check_items(items.len())?;
        }
        return new_array(budget, items);
    }
    let mut text = String::new();
    for arg in args {
        let part = scalar_text(arg)
            .ok_or_else(|| type_error("concat", "strings, numbers or booleans", arg))?;
        text.push_str(&part);
        check_string(text.len())?;
    }
    new_str(budget, text)
}

fn contains(args: &[Val]) -> Result<Val, EvalError> {
    arity("contains", args, 2, 2, "two")?;
    let found = match &args[0] {
        Val::Str(s) => s.contains(
            scalar_text(&args[1])
                .ok_or_else(|| type_error("contains", "a string to look for", &args[1]))?
                .as_str(),
        ),
        Val::Array(list) => list.items().iter().any(|item| item.same(&args[1])),
        Val::Object(obj) => obj.get(string_arg("contains", &args[1])?).is_some(),
        other => {
            return Err(type_error(
                "contains",
                "a string, an array or an object",
                other,
            ));
        }
    };
    Ok(Val::Bool(found))
}

fn length(args: &[Val]) -> Result<Val, EvalError> {
    arity("length", args, 1, 1, "one")?;
    let n = match &args[0] {
        Val::Str(s) => s.chars().count(),
        Val::Array(list) => list.items().len(),
        Val::Object(obj) => obj.len(),
        Val::Unknown(_) => return Ok(args[0].clone()),
        other => {
            return Err(type_error(
                "length",
                "a string, an array or an object",
                other,
            ));
        }
    };
    Ok(Val::Int(i64::try_from(n).unwrap_or(i64::MAX)))
}

fn first_last(name: &str, args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity(name, args, 1, 1, "one")?;
    let first = name == "first";
    match &args[0] {
        Val::Str(s) => {
            let c = if first {
                s.chars().next()
            } else {
                s.chars().next_back()
            };
            new_str(budget, c.map(String::from).unwrap_or_default())
        }
        Val::Array(list) => {
            let items = list.items();
            Ok(if first { items.first() } else { items.last() }
                .cloned()
                .unwrap_or(Val::Null))
        }
        other => Err(type_error(name, "a string or an array", other)),
    }
}

fn skip_take(name: &str, args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity(name, args, 2, 2, "two")?;
    let n = usize::try_from(int_arg(name, &args[1])?.max(0)).unwrap_or(usize::MAX);
    let skip = name == "skip";
    match &args[0] {
        Val::Str(s) => {
            let chars = s.chars();
            let text: String = if skip {
                chars.skip(n).collect()
            } else {
                chars.take(n).collect()
            };
            new_str(budget, text)
        }
        Val::Array(list) => {
            let items = list.items();
            let n = n.min(items.len());
            let part = if skip { &items[n..] } else { &items[..n] };
            new_array(budget, part.to_vec())
        }
        other => Err(type_error(name, "a string or an array", other)),
    }
}

fn union(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity("union", args, 1, usize::MAX, "at least one")?;
    match &args[0] {
        Val::Array(_) => {
            let mut items: Vec<Val> = Vec::new();
            for arg in args {
                for item in list_arg("union", arg)? {
                    if !items.iter().any(|seen| seen.same(item)) {
                        items.push(item.clone());
                        budget.charge(32)?;
                    }
                }
                check_items(items.len())?;
            }
            new_array(budget, items)
        }
        Val::Object(_) => {
            let mut merged = Val::empty_object();
            for arg in args {
                if !matches!(arg, Val::Object(_)) {
                    return Err(type_error(
                        "union",
                        "objects only, once the first is an object",
                        arg,
                    ));
                }
                merged = merge_deep(&merged, arg, budget)?;
            }
            Ok(merged)
        }
        other => Err(type_error("union", "arrays or objects", other)),
    }
}

/// `union` of objects: members of `b` win, nested objects merge (as the ARM reference says).
fn merge_deep(a: &Val, b: &Val, budget: &mut Budget) -> Result<Val, EvalError> {
    let (Some(left), Some(right)) = (a.as_obj(), b.as_obj()) else {
        return Ok(b.clone());
    };
    let mut members: Vec<(String, Val)> = left
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    for (key, value) in right.iter() {
        match members
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            Some(slot) => slot.1 = merge_deep(&slot.1, value, budget)?,
            None => members.push((key.to_string(), value.clone())),
        }
    }
    new_object(budget, members)
}

fn intersection(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity("intersection", args, 1, usize::MAX, "at least one")?;
    match &args[0] {
        Val::Array(first) => {
            let mut items: Vec<Val> = Vec::new();
            for item in first.items() {
                let everywhere = args[1..].iter().all(|other| {
                    other
                        .as_list()
                        .is_some_and(|l| l.iter().any(|x| x.same(item)))
                });
                if everywhere && !items.iter().any(|seen| seen.same(item)) {
                    items.push(item.clone());
                }
            }
            new_array(budget, items)
        }
        Val::Object(first) => {
            let members = first
                .iter()
                .filter(|(k, v)| {
                    args[1..].iter().all(|other| {
                        other
                            .as_obj()
                            .and_then(|o| o.get(k))
                            .is_some_and(|x| x.same(v))
                    })
                })
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            new_object(budget, members)
        }
        other => Err(type_error("intersection", "arrays or objects", other)),
    }
}

fn range(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity("range", args, 2, 2, "two")?;
    let start = int_arg("range", &args[0])?;
    let count = int_arg("range", &args[1])?;
    if !(0..=MAX_RANGE).contains(&count) {
        return Err(invalid(
            "range",
            format!("the count {count} is outside 0 to {MAX_RANGE}"),
        ));
    }
    if start
        .checked_add(count)
        .is_none_or(|end| end > i64::from(i32::MAX))
    {
        return Err(invalid(
            "range",
            "the start plus count is larger than 2147483647",
        ));
    }
    new_array(budget, (start..start + count).map(Val::Int).collect())
}

fn flatten(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity("flatten", args, 1, 1, "one")?;
    let mut items = Vec::new();
    for inner in list_arg("flatten", &args[0])? {
        items.extend(list_arg("flatten", inner)?.iter().cloned());
        check_items(items.len())?;
    }
    new_array(budget, items)
}

fn index_of(name: &str, args: &[Val]) -> Result<Val, EvalError> {
    arity(name, args, 2, 2, "two")?;
    let last = name == "lastindexof";
    let position = match &args[0] {
        Val::Str(s) => {
            let hay = s.to_lowercase();
            let needle = string_arg(name, &args[1])?.to_lowercase();
            let at = if last {
                hay.rfind(&needle)
            } else {
                hay.find(&needle)
            };
            at.map(|byte| hay[..byte].chars().count())
        }
        Val::Array(list) => {
            let mut found = list
                .items()
                .iter()
                .enumerate()
                .filter(|(_, x)| x.same(&args[1]));
            if last {
                found.next_back()
            } else {
                found.next()
            }
            .map(|(i, _)| i)
        }
        other => return Err(type_error(name, "a string or an array", other)),
    };
    Ok(Val::Int(
        position.map_or(-1, |p| i64::try_from(p).unwrap_or(i64::MAX)),
    ))
}

fn min_max(name: &str, args: &[Val]) -> Result<Val, EvalError> {
    arity(name, args, 1, usize::MAX, "at least one")?;
    let values: Vec<i64> = match args {
        [Val::Array(list)] => list
            .items()
            .iter()
            .map(|v| int_arg(name, v))
            .collect::<Result<_, _>>()?,
        _ => args
            .iter()
            .map(|v| int_arg(name, v))
            .collect::<Result<_, _>>()?,
    };
    let pick = if name == "min" {
        values.iter().min()
    } else {
        values.iter().max()
    };
    pick.map(|v| Val::Int(*v))
        .ok_or_else(|| invalid(name, "there are no values"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Through every pure function, so the object functions of [`super::super::objects`]
    /// answer too.
    fn run(name: &str, args: Vec<Val>) -> Result<Val, EvalError> {
        super::super::call(name, &args, &mut Budget::default()).unwrap()
    }

    fn v(json: serde_json::Value) -> Val {
        Val::from_json(&json).unwrap()
    }

    fn assert_json(value: Result<Val, EvalError>, expected: serde_json::Value) {
        let got = value.unwrap().to_json(&mut String::new(), &mut |_, _| {});
        assert_eq!(got, expected);
    }

    #[test]
    fn concat_builds_strings_and_arrays() {
        assert_json(
            run(
                "concat",
                vec![v(json!("10.5")), Val::Int(1), v(json!(".0.0/22"))],
            ),
            json!("10.51.0.0/22"),
        );
        assert_json(
            run("concat", vec![v(json!([1])), Val::Null, v(json!([2, 3]))]),
            json!([1, 2, 3]),
        );
        assert!(run("concat", vec![v(json!([1])), v(json!("x"))]).is_err());
    }

    #[test]
    fn union_merges_objects_deeply_and_arrays_without_duplicates() {
        assert_json(
            run(
                "union",
                vec![
                    v(json!({"a": {"x": 1, "y": 2}, "b": 1})),
                    v(json!({"A": {"y": 3}, "c": 4})),
                ],
            ),
            json!({"a": {"x": 1, "y": 3}, "b": 1, "c": 4}),
        );
        assert_json(
            run("union", vec![v(json!([1, 2])), v(json!([2, 3]))]),
            json!([1, 2, 3]),
        );
    }

    #[test]
    fn range_is_bounded_as_azure_bounds_it() {
        assert_json(
            run("range", vec![Val::Int(5), Val::Int(3)]),
            json!([5, 6, 7]),
        );
        assert!(run("range", vec![Val::Int(0), Val::Int(MAX_RANGE + 1)]).is_err());
        assert!(run("range", vec![Val::Int(i64::MAX), Val::Int(2)]).is_err());
    }

    #[test]
    fn lookups_work_on_strings_arrays_and_objects() {
        assert_json(
            run("contains", vec![v(json!({"Key": 1})), v(json!("key"))]),
            json!(true),
        );
        assert_json(
            run("indexof", vec![v(json!("abcABC")), v(json!("C"))]),
            json!(2),
        );
        assert_json(
            run("lastindexof", vec![v(json!([1, 2, 1])), Val::Int(1)]),
            json!(2),
        );
        assert_json(run("first", vec![v(json!([]))]), json!(null));
        assert_json(
            run("take", vec![v(json!("abc")), Val::Int(9)]),
            json!("abc"),
        );
        assert_json(
            run("items", vec![v(json!({"b": 2, "a": 1}))]),
            json!([{"key": "a", "value": 1}, {"key": "b", "value": 2}]),
        );
        assert_json(
            run(
                "tryget",
                vec![v(json!({"a": [5]})), v(json!("a")), Val::Int(0)],
            ),
            json!(5),
        );
        assert_json(run("max", vec![v(json!([3, 9, 2]))]), json!(9));
    }
}
