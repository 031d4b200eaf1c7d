//! Evaluating expressions and template JSON in the state of one template (a [`Frame`]):
//! parameters and variables evaluated on first use (so order does not matter and a cycle is
//! found rather than followed forever), copy loops at property, variable and output level, and
//! the dispatch of every function call to the pure library or to the functions that need the
//! template's state ([`super::context`]).
//!
//! One [`Engine`] serves a whole import: it holds the fuel, the depth counter every recursion
//! passes through, the resources expanded so far, and the placeholders to report.

use super::copy::is_property_copy;
use super::functions::{self, holds_unknowns, logic::truth};
use super::limits::{Budget, CALL_COST, EvalError, MAX_EVAL_DEPTH};
use super::parse::{Expr, Text, classify, parse};
use super::value::Val;
use super::{DeploymentScope, Expanded};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::rc::Rc;

/// A parameter or variable: given, waiting to be evaluated, being evaluated, or done.
#[derive(Debug, Clone)]
pub enum Slot {
    /// JSON to evaluate on first use (a variable, or a parameter's default).
    Pending(Rc<Value>),
    /// A variable defined by a copy loop (`variables.copy[]`).
    PendingCopy(Rc<Value>),
    /// A parameter without value or default: unknown, for this reason.
    Missing(Rc<str>),
    /// Being evaluated now; meeting it again is a cycle.
    InProgress,
    /// The value.
    Done(Val),
}

/// One iteration of a copy loop.
#[derive(Debug, Clone)]
pub struct Loop {
    /// The loop's name, lower-cased.
    pub name: String,
    /// The iteration.
    pub index: i64,
    /// Whether `copyIndex()` without a name may mean this loop (resource and output loops).
    pub unnamed: bool,
}

/// The state of one template while it is expanded.
#[derive(Debug, Default)]
pub struct Frame {
    /// How messages name this template (`main.json`, `main.json › deployment \`x\``).
    pub file: String,
    /// The folder relative links resolve from.
    pub dir: PathBuf,
    /// What `deployment().properties.templateLink.uri` answers.
    pub link_uri: String,
    /// Where the template deploys.
    pub scope: DeploymentScope,
    /// Parameters by lower-cased name.
    pub params: HashMap<String, Slot>,
    /// Variables by lower-cased name.
    pub vars: HashMap<String, Slot>,
    /// User-defined functions by lower-cased `namespace.member`.
    pub functions: HashMap<String, Rc<Value>>,
    /// The copy loops being iterated, innermost last.
    pub loops: Vec<Loop>,
    /// Lambda variables in scope, innermost last.
    pub lambda: Vec<(String, Val)>,
    /// The template's resources after copy loops (see [`super::expand`]).
    pub instances: Vec<super::expand::Instance>,
    /// Instance index by lower-cased ID, full name and symbolic name.
    pub lookup: HashMap<String, usize>,
    /// How many deployments enclose this one.
    pub nesting: usize,
}

/// The state of a whole import.
#[derive(Debug, Default)]
pub struct Engine {
    /// Fuel left.
    pub budget: Budget,
    /// Levels of recursion now.
    pub depth: usize,
    /// Resources expanded so far, over all templates.
    pub output: Vec<Expanded>,
    /// Values left to deployment time, by reason, with where each was used.
    pub placeholders: Vec<(String, Vec<String>)>,
    /// Other lines for the summary (linked templates read, scope assumptions).
    pub notes: BTreeSet<String>,
    /// Functions met that vnetlab does not implement.
    pub unsupported: BTreeSet<String>,
    /// Member lookups that found nothing (a second pass may know more).
    pub misses: usize,
    /// `reference()` by ID to resources not evaluated yet (a second pass may know them).
    pub outside: usize,
    /// Resources as a first pass deployed them, by lower-cased ID, for `reference()`.
    pub deployed: HashMap<String, Value>,
    /// [`Self::deployed`] converted, on demand.
    pub deployed_vals: HashMap<String, Val>,
    /// Every resource and deployment evaluated so far, in any template, by lower-cased ID: what
    /// `reference()` finds when a linked template names a resource of its parent.
    pub known: HashMap<String, Val>,
    /// Resources declared over all templates.
    pub total_resources: usize,
    /// Linked template files already read.
    pub linked: super::linked::Linked,
}

impl Engine {
    /// Counts one level of recursion.
    pub fn enter(&mut self) -> Result<(), EvalError> {
        self.depth += 1;
        if self.depth > MAX_EVAL_DEPTH {
            self.depth -= 1;
            return Err(EvalError::EvalTooDeep);
        }
        Ok(())
    }

    /// Leaves one level of recursion.
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Records a value left to deployment time: `reason`, used at `place`.
    pub fn placeholder(&mut self, reason: &str, place: String) {
        match self.placeholders.iter_mut().find(|(r, _)| r == reason) {
            Some((_, places)) => {
                if !places.contains(&place) {
                    places.push(place);
                }
            }
            None => self.placeholders.push((reason.to_string(), vec![place])),
        }
    }

    /// Evaluates a piece of template JSON: expressions in strings, property copy loops in
    /// objects.
    pub fn eval_json(&mut self, frame: &mut Frame, json: &Value) -> Result<Val, EvalError> {
        self.enter()?;
        let result = self.eval_json_inner(frame, json);
        self.leave();
        result
    }

    fn eval_json_inner(&mut self, frame: &mut Frame, json: &Value) -> Result<Val, EvalError> {
        match json {
            Value::String(text) => self.eval_text(frame, text),
            Value::Array(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    values.push(self.eval_json(frame, item)?);
                }
                functions::new_array(&mut self.budget, values)
            }
            Value::Object(map) => {
                let mut members = Vec::with_capacity(map.len());
                for (key, value) in map {
                    if key.eq_ignore_ascii_case("copy") && is_property_copy(value) {
                        for definition in value.as_array().into_iter().flatten() {
                            let (name, items) = self.copy_loop(frame, definition, false)?;
                            members.push((name, items));
                        }
                    } else {
                        members.push((key.clone(), self.eval_json(frame, value)?));
                    }
                }
                functions::new_object(&mut self.budget, members)
            }
            other => Val::from_json(other),
        }
    }

    /// Evaluates a template string: an expression, or a literal.
    pub fn eval_text(&mut self, frame: &mut Frame, text: &str) -> Result<Val, EvalError> {
        match classify(text) {
            Text::Literal(literal) => functions::new_str(&mut self.budget, literal.to_string()),
            Text::Expression(inner) => {
                let expr = parse(inner)?;
                self.eval(frame, &expr)
            }
        }
    }

    /// Evaluates an expression.
    pub fn eval(&mut self, frame: &mut Frame, expr: &Expr) -> Result<Val, EvalError> {
        self.enter()?;
        let result = self.eval_inner(frame, expr);
        self.leave();
        result
    }

    fn eval_inner(&mut self, frame: &mut Frame, expr: &Expr) -> Result<Val, EvalError> {
        match expr {
            Expr::Str(s) => Ok(Val::Str(s.clone())),
            Expr::Int(i) => Ok(Val::Int(*i)),
            Expr::Float(f) => Ok(Val::Float(*f)),
            Expr::Bool(b) => Ok(Val::Bool(*b)),
            Expr::Null => Ok(Val::Null),
            Expr::Member { target, name, safe } => {
                let target_value = self.eval(frame, target)?;
                self.member_of(&target_value, name, *safe, expr)
            }
            Expr::Index { target, index } => {
                let target_value = self.eval(frame, target)?;
                let index_value = self.eval(frame, index)?;
                match (&target_value, &index_value) {
                    (Val::Unknown(_), _) => Ok(target_value),
                    (_, Val::Unknown(_)) => Ok(index_value),
                    (Val::Array(list), Val::Int(i)) => usize::try_from(*i)
                        .ok()
                        .and_then(|i| list.items().get(i))
                        .cloned()
                        .ok_or_else(|| {
                            functions::invalid(
                                "[]",
                                format!(
                                    "index {i} is outside an array of {} items",
                                    list.items().len()
                                ),
                            )
                        }),
                    (Val::Object(_), Val::Str(name)) => {
                        self.member_of(&target_value, name, false, expr)
                    }
                    (Val::Null, _) => Ok(Val::Null),
                    (target, _) => {
                        Err(functions::type_error("[]", "an array or an object", target))
                    }
                }
            }
            Expr::Call { name, args } => {
                self.budget.charge(CALL_COST)?;
                self.call(frame, name, args)
            }
        }
    }

    /// `value.name`: a member, null when absent and `safe`, else unknown (a miss: only a
    /// deployment knows what is not in the template).
    fn member_of(
        &mut self,
        value: &Val,
        name: &str,
        safe: bool,
        expr: &Expr,
    ) -> Result<Val, EvalError> {
        match value {
            Val::Unknown(_) => Ok(value.clone()),
            Val::Object(obj) => match obj.get(name) {
                Some(found) => Ok(found.clone()),
                None if safe => Ok(Val::Null),
                None => {
                    self.misses += 1;
                    Ok(Val::unknown(format!(
                        "`{expr}` is not known offline (the value has no member `{name}`)"
                    )))
                }
            },
            Val::Null if safe => Ok(Val::Null),
            other => Err(functions::type_error(
                &format!(".{name}"),
                "an object",
                other,
            )),
        }
    }

    /// Calls a function by name.
    fn call(&mut self, frame: &mut Frame, name: &str, args: &[Expr]) -> Result<Val, EvalError> {
        let lower = name.to_lowercase();
        match lower.as_str() {
            "parameters" => {
                let key = self.name_arg(frame, "parameters", args)?;
                self.parameter(frame, &key)
            }
            "variables" => {
                let key = self.name_arg(frame, "variables", args)?;
                self.variable(frame, &key)
            }
            "copyindex" => self.copy_index(frame, args),
            "if" => {
                if args.len() != 3 {
                    return Err(arity_error("if", "three", args.len()));
                }
                match self.eval(frame, &args[0])? {
                    Val::Unknown(why) => Ok(Val::Unknown(why)),
                    condition => {
                        let branch = if truth("if", &condition)? {
                            &args[1]
                        } else {
                            &args[2]
                        };
                        self.eval(frame, branch)
                    }
                }
            }
            "and" | "or" => {
                if args.len() < 2 {
                    return Err(arity_error(name, "two or more", args.len()));
                }
                let stop = lower == "or";
                for arg in args {
                    match self.eval(frame, arg)? {
                        Val::Unknown(why) => return Ok(Val::Unknown(why)),
                        value if truth(name, &value)? == stop => return Ok(Val::Bool(stop)),
                        _ => {}
                    }
                }
                Ok(Val::Bool(!stop))
            }
            "coalesce" => {
                for arg in args {
                    match self.eval(frame, arg)? {
                        Val::Null => {}
                        value => return Ok(value),
                    }
                }
                Ok(Val::Null)
            }
            _ => {
                if let Some(result) = self.call_in_context(frame, &lower, name, args) {
                    return result;
                }
                let mut values = Vec::with_capacity(args.len());
                for arg in args {
                    values.push(self.eval(frame, arg)?);
                }
                if !holds_unknowns(&lower)
                    && let Some(unknown) = values.iter().find(|v| matches!(v, Val::Unknown(_)))
                {
                    return Ok(unknown.clone());
                }
                if functions::looks_inside(&lower) && values.iter().any(Val::contains_unknown) {
                    return Ok(Val::unknown(format!(
                        "`{name}` compares values that are known only after deployment"
                    )));
                }
                match functions::call(&lower, &values, &mut self.budget) {
                    Some(result) => result,
                    None => {
                        self.unsupported.insert(name.to_string());
                        Ok(Val::unknown(format!(
                            "function `{name}` is not supported by vnetlab"
                        )))
                    }
                }
            }
        }
    }

    /// The one string argument of `parameters`, `variables` and similar.
    pub fn name_arg(
        &mut self,
        frame: &mut Frame,
        function: &str,
        args: &[Expr],
    ) -> Result<String, EvalError> {
        if args.len() != 1 {
            return Err(arity_error(function, "one", args.len()));
        }
        match self.eval(frame, &args[0])? {
            Val::Str(s) => Ok(s.to_string()),
            other => Err(functions::type_error(function, "a name", &other)),
        }
    }

    fn parameter(&mut self, frame: &mut Frame, name: &str) -> Result<Val, EvalError> {
        let key = name.to_lowercase();
        let slot = frame.params.get(&key).cloned().ok_or_else(|| {
            functions::invalid(
                "parameters",
                format!("the template declares no parameter `{name}`"),
            )
        })?;
        match slot {
            Slot::Done(value) => Ok(value),
            Slot::Missing(why) => Ok(Val::Unknown(why)),
            Slot::InProgress => Err(EvalError::CyclicParameter(name.to_string())),
            Slot::Pending(json) | Slot::PendingCopy(json) => {
                frame.params.insert(key.clone(), Slot::InProgress);
                let value = self
                    .eval_json(frame, &json)
                    .map_err(|e| e.at(format!("the default of parameter `{name}`")));
                frame
                    .params
                    .insert(key, value.clone().map_or(Slot::Pending(json), Slot::Done));
                value
            }
        }
    }

    fn variable(&mut self, frame: &mut Frame, name: &str) -> Result<Val, EvalError> {
        let key = name.to_lowercase();
        let slot = frame.vars.get(&key).cloned().ok_or_else(|| {
            functions::invalid(
                "variables",
                format!("the template declares no variable `{name}`"),
            )
        })?;
        let (json, copy) = match slot {
            Slot::Done(value) => return Ok(value),
            Slot::Missing(why) => return Ok(Val::Unknown(why)),
            Slot::InProgress => return Err(EvalError::CyclicVariable(name.to_string())),
            Slot::Pending(json) => (json, false),
            Slot::PendingCopy(json) => (json, true),
        };
        frame.vars.insert(key.clone(), Slot::InProgress);
        // A variable sees no copy loop of the place that uses it.
        let loops = std::mem::take(&mut frame.loops);
        let value = if copy {
            self.copy_loop(frame, &json, false).map(|(_, items)| items)
        } else {
            self.eval_json(frame, &json)
        }
        .map_err(|e| e.at(format!("variable `{name}`")));
        frame.loops = loops;
        let restored = match &value {
            Ok(v) => Slot::Done(v.clone()),
            Err(_) if copy => Slot::PendingCopy(json),
            Err(_) => Slot::Pending(json),
        };
        frame.vars.insert(key, restored);
        value
    }
}

/// An arity error for a lazily evaluated function.
pub fn arity_error(function: &str, expected: &'static str, given: usize) -> EvalError {
    EvalError::Arity {
        function: function.to_string(),
        expected,
        given,
    }
}

/// A member of a JSON object, compared case-insensitively.
pub fn member<'a>(json: &'a Value, key: &str) -> Option<&'a Value> {
    let map = json.as_object()?;
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

impl EvalError {
    /// Says where the error happened: `outer › inner › …`.
    #[must_use]
    pub fn at(self, place: String) -> EvalError {
        match self {
            EvalError::At {
                place: inner,
                error,
            } => EvalError::At {
                place: shorten(&format!("{place} › {inner}")),
                error,
            },
            other => EvalError::At {
                place,
                error: Box::new(other),
            },
        }
    }
}

/// Keeps a place readable: `a › b › c › … › y › z` when variables chain through many others.
fn shorten(place: &str) -> String {
    const KEEP_FIRST: usize = 3;
    const KEEP_LAST: usize = 2;
    let parts: Vec<&str> = place.split(" › ").collect();
    if parts.len() <= KEEP_FIRST + KEEP_LAST + 1 {
        return place.to_string();
    }
    let mut kept: Vec<&str> = parts[..KEEP_FIRST].to_vec();
    kept.push("…");
    kept.extend(&parts[parts.len() - KEEP_LAST..]);
    kept.join(" › ")
}
