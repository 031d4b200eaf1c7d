//! Expanding a template's resources: resource copy loops, `condition`, child resources given
//! nested (relative type and name) or top-level (`vnet/subnet`), `languageVersion 2.0` resources
//! keyed by symbolic name (and `existing` ones, which are referenced but not deployed), and
//! nested deployments (`Microsoft.Resources/deployments`) with an inline template in inner or
//! outer expression scope, or a linked template read from disk.
//!
//! Resources are first *declared* (copy loops expanded, names and IDs computed) so that
//! `reference()` can find any of them; each is then evaluated on first need, so the order of
//! `dependsOn` does not matter and a resource that refers to itself is reported, not followed.

use super::Expanded;
use super::eval::{Engine, Frame, Loop, member};
use super::functions::{self, ids::typed_path, logic::truth};
use super::limits::{EvalError, MAX_RESOURCES_PER_TEMPLATE, MAX_RESOURCES_TOTAL};
use super::value::Val;
use serde_json::Value;
use std::rc::Rc;

/// How far a resource's evaluation has got.
#[derive(Debug, Clone)]
pub enum State {
    /// Not evaluated yet.
    Pending,
    /// Being evaluated; meeting it again is a cycle.
    InProgress,
    /// Not deployed: its condition (or its parent's) is false.
    Skipped,
    /// The evaluated resource.
    Done(Val),
}

/// One resource of a template after copy loops.
#[derive(Debug, Clone)]
pub struct Instance {
    /// The declaration as written.
    pub decl: Rc<Value>,
    /// The copy loops it was declared in.
    pub loops: Vec<Loop>,
    /// Full type, `Microsoft.Network/virtualNetworks/subnets`.
    pub full_type: String,
    /// Full name, `vnet/subnet`, when known offline.
    pub name: Option<String>,
    /// Resource ID, when the name is known.
    pub id: Option<String>,
    /// Why the name is not known.
    pub unknown_name: Option<Rc<str>>,
    /// `existing: true` (languageVersion 2.0): referenced, not deployed.
    pub existing: bool,
    /// The enclosing resource, for children given nested.
    pub parent: Option<usize>,
    /// Why the condition could not be evaluated offline (the resource is then imported).
    pub unknown_condition: Option<Rc<str>>,
    /// Evaluation state.
    pub state: State,
}

const DEPLOYMENTS: &str = "microsoft.resources/deployments";

/// Members of a resource declaration that are instructions to the deployment, not values.
const NOT_VALUES: [&str; 8] = [
    "copy",
    "condition",
    "dependsOn",
    "resources",
    "comments",
    "existing",
    "type",
    "name",
];

impl Engine {
    /// Declares and evaluates every resource of a template, adding the deployed ones to the
    /// output in order.
    pub fn expand_frame(&mut self, frame: &mut Frame, template: &Value) -> Result<(), EvalError> {
        if let Some(resources) = member(template, "resources") {
            self.declare(frame, resources, None)?;
        }
        for index in 0..frame.instances.len() {
            self.instance_value(frame, index)?;
            self.emit(frame, index)?;
        }
        Ok(())
    }

    fn declare(
        &mut self,
        frame: &mut Frame,
        resources: &Value,
        parent: Option<usize>,
    ) -> Result<(), EvalError> {
        let entries: Vec<(Option<String>, Rc<Value>)> = match resources {
            Value::Array(items) => items.iter().map(|r| (None, Rc::new(r.clone()))).collect(),
            Value::Object(map) => map
                .iter()
                .map(|(k, r)| (Some(k.clone()), Rc::new(r.clone())))
                .collect(),
            Value::Null => Vec::new(),
            _ => {
                return Err(EvalError::Shape(
                    "`resources` is neither an array nor an object".to_string(),
                ));
            }
        };
        for (symbolic, decl) in entries {
            if !decl.is_object() {
                return Err(EvalError::Shape(
                    "an item of `resources` is not an object".to_string(),
                ));
            }
            let copy = member(&decl, "copy").filter(|c| c.is_object()).cloned();
            let Some(copy) = copy else {
                self.declare_instance(frame, symbolic.clone(), &decl, parent)?;
                continue;
            };
            let name = member(&copy, "name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let count = self
                .copy_count(frame, &copy, &name)
                .map_err(|e| e.at(format!("copy loop `{name}`")))?;
            for index in 0..count {
                frame.loops.push(Loop {
                    name: name.to_lowercase(),
                    index,
                    unnamed: true,
                });
                let symbolic = symbolic.as_ref().map(|s| format!("{s}[{index}]"));
                let result = self.declare_instance(frame, symbolic, &decl, parent);
                frame.loops.pop();
                result?;
            }
        }
        Ok(())
    }

    fn declare_instance(
        &mut self,
        frame: &mut Frame,
        symbolic: Option<String>,
        decl: &Rc<Value>,
        parent: Option<usize>,
    ) -> Result<(), EvalError> {
        if frame.instances.len() >= MAX_RESOURCES_PER_TEMPLATE {
            return Err(EvalError::TooManyResources {
                limit: MAX_RESOURCES_PER_TEMPLATE,
                what: "Azure allows in one template",
            });
        }
        self.total_resources += 1;
        if self.total_resources > MAX_RESOURCES_TOTAL {
            return Err(EvalError::TooManyResources {
                limit: MAX_RESOURCES_TOTAL,
                what: "vnetlab expands in one import",
            });
        }
        let shown = symbolic
            .clone()
            .or_else(|| {
                member(decl, "name")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_default();
        let place = || format!("resource `{shown}`");
        // The condition comes first: a resource that is not deployed may have a name that
        // cannot be evaluated (Bicep relies on it).
        let condition = match member(decl, "condition") {
            Some(json) => self.eval_json(frame, json).map_err(|e| e.at(place()))?,
            None => Val::Bool(true),
        };
        let unknown_condition = match &condition {
            Val::Unknown(why) => Some(why.clone()),
            value if truth("condition", value).map_err(|e| e.at(place()))? => None,
            _ => return Ok(()),
        };
        let type_value = match member(decl, "type") {
            Some(json) => self.eval_json(frame, json).map_err(|e| e.at(place()))?,
            None => return Err(EvalError::Shape(format!("{}: it has no `type`", place()))),
        };
        let Some(own_type) = type_value.as_str().map(str::to_string) else {
            return Err(EvalError::Shape(format!(
                "{}: its type is not a string known offline",
                place()
            )));
        };
        let own_type = own_type.split('@').next().unwrap_or("").to_string();
        let name_value = match member(decl, "name") {
            Some(json) => self.eval_json(frame, json).map_err(|e| e.at(place()))?,
            None => Val::unknown(format!("{} has no name", place())),
        };
        let parent_info = parent.map(|p| {
            (
                frame.instances[p].full_type.clone(),
                frame.instances[p].name.clone(),
            )
        });
        let (full_type, name, unknown_name) = match (&name_value, parent_info) {
            (Val::Str(own), None) => (own_type, Some(own.to_string()), None),
            (Val::Str(own), Some((parent_type, parent_name))) => {
                let relative = !own_type.contains('.');
                let full_type = if relative {
                    format!("{parent_type}/{own_type}")
                } else {
                    own_type
                };
                let wanted = full_type
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .count()
                    .saturating_sub(1);
                let have = own.split('/').filter(|s| !s.is_empty()).count();
                let name = match parent_name {
                    Some(p) if have < wanted => Some(format!("{p}/{own}")),
                    Some(_) => Some(own.to_string()),
                    None => None,
                };
                (full_type, name, None)
            }
            (Val::Unknown(why), _) => (own_type, None, Some(why.clone())),
            (other, _) => {
                return Err(functions::type_error("name", "a string", other).at(place()));
            }
        };
        let id = match &name {
            Some(name) => Some(Self::id_of(frame, &full_type, name).map_err(|e| e.at(place()))?),
            None => None,
        };
        let index = frame.instances.len();
        for key in [
            id.as_deref().map(crate::io::azure::ids::key_of),
            name.as_deref().map(str::to_lowercase),
            symbolic.map(|s| s.to_lowercase()),
        ]
        .into_iter()
        .flatten()
        {
            frame.lookup.entry(key).or_insert(index);
        }
        frame.instances.push(Instance {
            decl: decl.clone(),
            loops: frame.loops.clone(),
            full_type,
            name,
            id,
            unknown_name,
            existing: member(decl, "existing").and_then(Value::as_bool) == Some(true),
            parent,
            unknown_condition,
            state: State::Pending,
        });
        if let Some(children) = member(decl, "resources") {
            self.declare(frame, children, Some(index))?;
        }
        Ok(())
    }

    /// The ID a resource of this type and full name gets in the frame's scope.
    fn id_of(frame: &Frame, full_type: &str, name: &str) -> Result<String, EvalError> {
        let path = typed_path("resource", full_type, &[name])?;
        let scope = &frame.scope;
        Ok(format!(
            "/subscriptions/{}/resourceGroups/{}/providers/{path}",
            scope.subscription, scope.resource_group
        ))
    }

    /// Evaluates a resource on first need; `None` when it is not deployed.
    pub fn instance_value(
        &mut self,
        frame: &mut Frame,
        index: usize,
    ) -> Result<Option<Val>, EvalError> {
        match &frame.instances[index].state {
            State::Done(value) => return Ok(Some(value.clone())),
            State::Skipped => return Ok(None),
            State::InProgress => {
                return Ok(Some(Val::unknown(format!(
                    "resource `{}` refers to itself through reference()",
                    frame.instances[index].name.as_deref().unwrap_or("?")
                ))));
            }
            State::Pending => {}
        }
        self.enter()?;
        frame.instances[index].state = State::InProgress;
        let instance = frame.instances[index].clone();
        let saved = std::mem::replace(&mut frame.loops, instance.loops.clone());
        let shown = instance
            .name
            .clone()
            .unwrap_or_else(|| format!("#{}", index + 1));
        let result = self
            .evaluate_instance(frame, index, &instance)
            .map_err(|e| e.at(format!("resource `{shown}` ({})", instance.full_type)));
        frame.loops = saved;
        self.leave();
        let state = match result? {
            Some(value) => State::Done(value),
            None => State::Skipped,
        };
        frame.instances[index].state = state.clone();
        if let (State::Done(value), Some(id)) = (&state, &instance.id) {
            self.known
                .insert(crate::io::azure::ids::key_of(id), value.clone());
        }
        Ok(match state {
            State::Done(value) => Some(value),
            _ => None,
        })
    }

    fn evaluate_instance(
        &mut self,
        frame: &mut Frame,
        index: usize,
        instance: &Instance,
    ) -> Result<Option<Val>, EvalError> {
        if let Some(parent) = instance.parent
            && self.instance_value(frame, parent)?.is_none()
        {
            return Ok(None);
        }
        let decl = &instance.decl;
        if let Some(why) = &instance.unknown_condition {
            let what = instance.name.clone().unwrap_or_default();
            self.placeholder(
                why,
                format!("the condition of `{what}` (imported as if true)"),
            );
        }
        let leaf = instance
            .name
            .as_deref()
            .map(|n| n.rsplit('/').next().unwrap_or(n).to_string());
        let mut members = vec![
            (
                "id".to_string(),
                instance.id.clone().map_or(Val::Null, Val::str),
            ),
            (
                "name".to_string(),
                leaf.map_or_else(
                    || {
                        Val::Unknown(
                            instance
                                .unknown_name
                                .clone()
                                .unwrap_or_else(|| Rc::from("?")),
                        )
                    },
                    Val::str,
                ),
            ),
            ("type".to_string(), Val::str(instance.full_type.as_str())),
        ];
        if instance.existing {
            members.push((
                "properties".to_string(),
                Val::unknown(format!(
                    "`{}` is an existing resource outside the template",
                    instance.name.as_deref().unwrap_or("?")
                )),
            ));
            return Val::object(members).map(Some);
        }
        let is_deployment = instance.full_type.eq_ignore_ascii_case(DEPLOYMENTS);
        for (key, value) in decl.as_object().into_iter().flatten() {
            if NOT_VALUES.iter().any(|k| k.eq_ignore_ascii_case(key)) {
                continue;
            }
            if is_deployment && key.eq_ignore_ascii_case("properties") {
                let properties = self.deployment(frame, index, instance, value)?;
                members.push((key.clone(), properties));
                continue;
            }
            let evaluated = self
                .eval_json(frame, value)
                .map_err(|e| e.at(format!("`{key}`")))?;
            members.push((key.clone(), evaluated));
        }
        functions::new_object(&mut self.budget, members).map(Some)
    }

    /// Adds a deployed resource to the output (deployments are containers, not resources).
    fn emit(&mut self, frame: &Frame, index: usize) -> Result<(), EvalError> {
        let instance = &frame.instances[index];
        let State::Done(value) = &instance.state else {
            return Ok(());
        };
        if instance.existing || instance.full_type.eq_ignore_ascii_case(DEPLOYMENTS) {
            return Ok(());
        }
        let short = instance
            .full_type
            .rsplit('/')
            .next()
            .unwrap_or(&instance.full_type)
            .to_string();
        let Some(name) = instance.name.clone() else {
            let why = instance
                .unknown_name
                .as_deref()
                .unwrap_or("its name is not known offline")
                .to_string();
            self.placeholder(&why, format!("the name of a {short} resource (left out)"));
            return Ok(());
        };
        // The JSON is a copy of every part of the value, shared or not: it is paid for too.
        self.budget.charge(value.deep_cost())?;
        let mut found: Vec<(String, String)> = Vec::new();
        let json = value.to_json(&mut String::new(), &mut |path, why| {
            found.push((path.to_string(), why.to_string()));
        });
        if super::rest::is_network_type(&instance.full_type) {
            for (path, why) in found {
                self.placeholder(&why, format!("{short} `{name}` {path}"));
            }
        }
        self.output.push(Expanded { json });
        Ok(())
    }
}
