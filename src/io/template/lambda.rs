//! Functions that take functions: the lambda functions (`map`, `filter`, `reduce`, `sort`,
//! `toObject`, `mapValues`, `groupBy`, with `lambda(...)` and `lambdaVariables()`), and
//! user-defined functions (`functions` in a template, `namespace.member(...)`), which see only
//! their own parameters.

use super::eval::{Engine, Frame, Slot, arity_error};
use super::functions::{self, logic::truth};
use super::limits::EvalError;
use super::parse::Expr;
use super::value::Val;

impl Engine {
    pub fn lambda_call(
        &mut self,
        frame: &mut Frame,
        lower: &str,
        args: &[Expr],
    ) -> Result<Val, EvalError> {
        let (wanted, lambdas) = match lower {
            "reduce" => (3, 1),
            "toobject" => (
                if args.len() == 3 { 3 } else { 2 },
                args.len().saturating_sub(1),
            ),
            _ => (2, 1),
        };
        if args.len() != wanted {
            return Err(arity_error(lower, "a collection and a lambda", args.len()));
        }
        let input = self.eval(frame, &args[0])?;
        if let Val::Unknown(_) = input {
            return Ok(input);
        }
        let initial = if lower == "reduce" {
            Some(self.eval(frame, &args[1])?)
        } else {
            None
        };
        let bodies: Vec<(Vec<String>, &Expr)> = args[args.len() - lambdas..]
            .iter()
            .map(|a| lambda_parts(lower, a))
            .collect::<Result<_, _>>()?;
        let (params, body) = bodies[0].clone();
        if lower == "mapvalues" {
            let obj = input
                .as_obj()
                .ok_or_else(|| functions::type_error(lower, "an object", &input))?;
            let mut members = Vec::new();
            for (key, value) in obj.iter() {
                let mapped = self.apply(frame, &params, std::slice::from_ref(value), body)?;
                members.push((key.to_string(), mapped));
            }
            return functions::new_object(&mut self.budget, members);
        }
        let items = functions::list_arg(lower, &input)?.to_vec();
        let index = |i: usize| Val::Int(i64::try_from(i).unwrap_or(i64::MAX));
        match lower {
            "map" => {
                let mut out = Vec::new();
                for (i, item) in items.into_iter().enumerate() {
                    out.push(self.apply(frame, &params, &[item, index(i)], body)?);
                }
                functions::new_array(&mut self.budget, out)
            }
            "filter" => {
                let mut out = Vec::new();
                for (i, item) in items.into_iter().enumerate() {
                    match self.apply(frame, &params, &[item.clone(), index(i)], body)? {
                        Val::Unknown(why) => return Ok(Val::Unknown(why)),
                        keep if truth("filter", &keep)? => out.push(item),
                        _ => {}
                    }
                }
                functions::new_array(&mut self.budget, out)
            }
            "reduce" => {
                let mut acc = initial.unwrap_or(Val::Null);
                for (i, item) in items.into_iter().enumerate() {
                    acc = self.apply(frame, &params, &[acc, item, index(i)], body)?;
                }
                Ok(acc)
            }
            "sort" => {
                // Insertion sort: the lambda may fail, and the fuel bounds the comparisons.
                let mut sorted: Vec<Val> = Vec::with_capacity(items.len());
                for item in items {
                    let mut at = sorted.len();
                    while at > 0 {
                        let less = self.apply(
                            frame,
                            &params,
                            &[item.clone(), sorted[at - 1].clone()],
                            body,
                        )?;
                        if !truth("sort", &less)? {
                            break;
                        }
                        at -= 1;
                    }
                    sorted.insert(at, item);
                }
                functions::new_array(&mut self.budget, sorted)
            }
            "groupby" => {
                let mut groups: Vec<(String, Vec<Val>)> = Vec::new();
                for item in items {
                    let key = self.apply(frame, &params, std::slice::from_ref(&item), body)?;
                    let key = functions::string_arg("groupBy", &key)?.to_string();
                    match groups
                        .iter_mut()
                        .find(|(k, _)| k.eq_ignore_ascii_case(&key))
                    {
                        Some((_, list)) => list.push(item),
                        None => groups.push((key, vec![item])),
                    }
                }
                let mut members = Vec::new();
                for (key, list) in groups {
                    members.push((key, functions::new_array(&mut self.budget, list)?));
                }
                functions::new_object(&mut self.budget, members)
            }
            _ => {
                let mut members = Vec::new();
                for item in items {
                    let key = self.apply(frame, &params, std::slice::from_ref(&item), body)?;
                    let key = functions::string_arg("toObject", &key)?.to_string();
                    let value = match bodies.get(1) {
                        Some((value_params, value_body)) => {
                            self.apply(frame, value_params, &[item], value_body)?
                        }
                        None => item,
                    };
                    members.push((key, value));
                }
                functions::new_object(&mut self.budget, members)
            }
        }
    }

    /// Evaluates a lambda body with its variables bound (extra values, such as an index the
    /// lambda does not name, are ignored).
    fn apply(
        &mut self,
        frame: &mut Frame,
        params: &[String],
        values: &[Val],
        body: &Expr,
    ) -> Result<Val, EvalError> {
        let before = frame.lambda.len();
        for (name, value) in params.iter().zip(values) {
            frame.lambda.push((name.clone(), value.clone()));
        }
        let result = self.eval(frame, body);
        frame.lambda.truncate(before);
        result
    }

    pub fn user_function(
        &mut self,
        frame: &mut Frame,
        lower: &str,
        name: &str,
        args: &[Expr],
    ) -> Result<Val, EvalError> {
        let Some(definition) = frame.functions.get(lower).cloned() else {
            self.unsupported.insert(name.to_string());
            return Ok(Val::unknown(format!(
                "function `{name}` is not defined by the template"
            )));
        };
        let params: Vec<String> = super::eval::member(&definition, "parameters")
            .and_then(serde_json::Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|p| {
                        super::eval::member(p, "name").and_then(serde_json::Value::as_str)
                    })
                    .map(str::to_lowercase)
                    .collect()
            })
            .unwrap_or_default();
        if params.len() != args.len() {
            return Err(functions::invalid(
                name,
                format!("it takes {} argument(s), not {}", params.len(), args.len()),
            ));
        }
        let values = self.eval_all(frame, args)?;
        let output = super::eval::member(&definition, "output")
            .and_then(|o| super::eval::member(o, "value"))
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        let mut inner = Frame {
            file: frame.file.clone(),
            dir: frame.dir.clone(),
            link_uri: frame.link_uri.clone(),
            scope: frame.scope.clone(),
            params: params
                .into_iter()
                .zip(values)
                .map(|(k, v)| (k, Slot::Done(v)))
                .collect(),
            functions: frame.functions.clone(),
            nesting: frame.nesting,
            ..Frame::default()
        };
        self.eval_json(&mut inner, &output)
            .map_err(|e| e.at(format!("function `{name}`")))
    }
}

/// The variable names and body of `lambda('a', 'b', body)`.
fn lambda_parts<'e>(function: &str, expr: &'e Expr) -> Result<(Vec<String>, &'e Expr), EvalError> {
    let not_lambda = || {
        functions::invalid(
            function,
            "expects `lambda('name', ...)` as its function argument",
        )
    };
    let Expr::Call { name, args } = expr else {
        return Err(not_lambda());
    };
    if !name.eq_ignore_ascii_case("lambda") {
        return Err(not_lambda());
    }
    let (body, names) = args.split_last().ok_or_else(not_lambda)?;
    let names = names
        .iter()
        .map(|n| match n {
            Expr::Str(s) => Ok(s.to_lowercase()),
            _ => Err(not_lambda()),
        })
        .collect::<Result<_, _>>()?;
    Ok((names, body))
}
