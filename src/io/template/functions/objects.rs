//! Object functions: `createObject`, `items`, `objectKeys`, `tryGet` (which also walks arrays)
//! and `shallowMerge`. `union`, `contains`, `length` and `empty`, which take objects as well as
//! arrays, are [`super::collections`]. Each costs one pass over its arguments, paid for through
//! the [`Budget`].

use super::{Budget, EvalError, Val, arity, invalid, list_arg, new_array, new_object};
use super::{string_arg, type_error};

/// Calls an object function; `None` when `name` is not one.
pub fn call(name: &str, args: &[Val], budget: &mut Budget) -> Option<Result<Val, EvalError>> {
    let result = match name {
        "createobject" => create_object(args, budget),
        "items" => items(args, budget),
        "objectkeys" => object_arg(name, args)
            .and_then(|obj| new_array(budget, obj.iter().map(|(k, _)| Val::str(k)).collect())),
        "tryget" => try_get(args),
        "shallowmerge" => shallow_merge(args, budget),
        _ => return None,
    };
    Some(result)
}

fn object_arg<'a>(
    name: &str,
    args: &'a [Val],
) -> Result<&'a crate::io::template::value::Obj, EvalError> {
    arity(name, args, 1, 1, "one")?;
    args[0]
        .as_obj()
        .ok_or_else(|| type_error(name, "an object", &args[0]))
}

fn create_object(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    if !args.len().is_multiple_of(2) {
        return Err(invalid("createObject", "it takes pairs of name and value"));
    }
    let members = args
        .chunks(2)
        .map(|pair| {
            Ok((
                string_arg("createObject", &pair[0])?.to_string(),
                pair[1].clone(),
            ))
        })
        .collect::<Result<Vec<_>, EvalError>>()?;
    new_object(budget, members)
}

fn items(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    let obj = object_arg("items", args)?;
    let mut entries = Vec::new();
    for (key, value) in obj.iter() {
        entries.push(new_object(
            budget,
            vec![
                ("key".to_string(), Val::str(key)),
                ("value".to_string(), value.clone()),
            ],
        )?);
    }
    new_array(budget, entries)
}

fn try_get(args: &[Val]) -> Result<Val, EvalError> {
    arity("tryGet", args, 2, usize::MAX, "two or more")?;
    let mut current = args[0].clone();
    for key in &args[1..] {
        current = match (&current, key) {
            (Val::Object(obj), Val::Str(k)) => obj.get(k).cloned().unwrap_or(Val::Null),
            (Val::Array(list), Val::Int(i)) => usize::try_from(*i)
                .ok()
                .and_then(|i| list.items().get(i).cloned())
                .unwrap_or(Val::Null),
            (Val::Unknown(_), _) => return Ok(current),
            _ => Val::Null,
        };
    }
    Ok(current)
}

fn shallow_merge(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity("shallowMerge", args, 1, 1, "one")?;
    let mut members: Vec<(String, Val)> = Vec::new();
    for item in list_arg("shallowMerge", &args[0])? {
        let obj = item
            .as_obj()
            .ok_or_else(|| type_error("shallowMerge", "an array of objects", item))?;
        for (key, value) in obj.iter() {
            members.retain(|(k, _)| !k.eq_ignore_ascii_case(key));
            members.push((key.to_string(), value.clone()));
        }
    }
    new_object(budget, members)
}
