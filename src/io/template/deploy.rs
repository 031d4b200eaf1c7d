//! Nested deployments (`Microsoft.Resources/deployments`): the inline template of a deployment
//! in inner or outer expression scope, or the linked template it names; its parameters, target
//! resource group and subscription; and its `outputs`, which `reference()` returns to the parent.
//! With outer scope (the default for inline templates) the nested template sees its parent's
//! parameters and variables; a linked template always has its own (inner) scope.

use super::ParamValue;
use super::eval::{Engine, Frame, member};
use super::expand::Instance;
use super::functions::{self, logic::truth};
use super::limits::{EvalError, MAX_DEPLOYMENT_DEPTH};
use super::value::Val;
use serde_json::Value;
use std::path::PathBuf;
use std::rc::Rc;

impl Engine {
    /// Evaluates a deployment's `properties` and runs its template; `outputs` is added.
    pub fn deployment(
        &mut self,
        frame: &mut Frame,
        index: usize,
        instance: &Instance,
        properties: &Value,
    ) -> Result<Val, EvalError> {
        let mut members = Vec::new();
        for (key, value) in properties.as_object().into_iter().flatten() {
            if key.eq_ignore_ascii_case("template") {
                continue;
            }
            members.push((
                key.clone(),
                self.eval_json(frame, value)
                    .map_err(|e| e.at(format!("`properties.{key}`")))?,
            ));
        }
        let evaluated = Val::object(members.clone())?;
        let outputs = self.run_deployment(frame, index, instance, properties, &evaluated)?;
        members.push(("outputs".to_string(), outputs));
        members.push(("provisioningState".to_string(), Val::str("Succeeded")));
        functions::new_object(&mut self.budget, members)
    }

    fn run_deployment(
        &mut self,
        frame: &mut Frame,
        index: usize,
        instance: &Instance,
        raw: &Value,
        properties: &Val,
    ) -> Result<Val, EvalError> {
        if frame.nesting + 1 > MAX_DEPLOYMENT_DEPTH {
            return Err(EvalError::DeploymentsTooDeep);
        }
        let name = instance
            .name
            .clone()
            .unwrap_or_else(|| format!("deployment #{}", index + 1));
        let mut scope = frame.scope.clone();
        scope.deployment.clone_from(&name);
        for (key, slot) in [("subscriptionId", 0), ("resourceGroup", 1)] {
            if let Some(json) = member(&instance.decl, key) {
                match self.eval_json(frame, json)? {
                    Val::Str(s) if slot == 0 => scope.subscription = s.to_string(),
                    Val::Str(s) => {
                        if !s.eq_ignore_ascii_case(&frame.scope.resource_group) {
                            self.notes.insert(format!(
                                "deployment `{name}` targets resource group `{s}`; its location is taken as `{}`",
                                scope.location
                            ));
                        }
                        scope.resource_group = s.to_string();
                    }
                    Val::Unknown(why) => {
                        self.placeholder(&why, format!("the {key} of deployment `{name}`"));
                    }
                    other => return Err(functions::type_error(key, "a string", &other)),
                }
            }
        }
        let obj = properties.as_obj();
        let get = |key: &str| obj.and_then(|o| o.get(key)).cloned();
        let inner_scope = get("expressionEvaluationOptions")
            .and_then(|o| o.as_obj().and_then(|o| o.get("scope")).cloned())
            .and_then(|s| s.as_str().map(|s| s.eq_ignore_ascii_case("inner")))
            .unwrap_or(false);
        let (template, file, dir, link_uri, linked) = match member(raw, "template") {
            Some(template) => (
                Rc::new(template.clone()),
                format!("{} › deployment `{name}`", frame.file),
                frame.dir.clone(),
                frame.link_uri.clone(),
                false,
            ),
            None => match self.linked_template(frame, &name, get("templateLink"))? {
                Some((path, template, uri)) => {
                    let dir = path.parent().map(PathBuf::from).unwrap_or_default();
                    (template, path.display().to_string(), dir, uri, true)
                }
                None => {
                    return Ok(Val::unknown(format!(
                        "the outputs of deployment `{name}`, whose template was not found"
                    )));
                }
            },
        };
        let nesting = frame.nesting + 1;
        let mut child = if inner_scope || linked {
            let mut given = self.linked_parameters(frame, &name, get("parametersLink"))?;
            if let Some(Val::Object(params)) = get("parameters") {
                for (key, value) in params.iter() {
                    let value = match value.as_obj() {
                        Some(v) if v.get("value").is_some() => {
                            ParamValue::Value(v.get("value").cloned().unwrap_or(Val::Null))
                        }
                        Some(v) if v.get("reference").is_some() => ParamValue::Missing(format!(
                            "parameter `{key}` of deployment `{name}` is a Key Vault secret, known only to a deployment"
                        )),
                        _ => ParamValue::Value(value.clone()),
                    };
                    given.push((key.to_string(), value));
                }
            }
            Self::new_frame(&template, file, dir, link_uri, scope, &given, nesting)?
        } else {
            // Outer scope: the nested template sees the parameters and variables of its parent.
            let mut child = Self::new_frame(&template, file, dir, link_uri, scope, &[], nesting)?;
            child.params = frame.params.clone();
            child.vars = frame.vars.clone();
            child
                .functions
                .extend(frame.functions.iter().map(|(k, v)| (k.clone(), v.clone())));
            child
        };
        self.enter()?;
        let expanded = self.expand_frame(&mut child, &template);
        let outputs = expanded.and_then(|()| self.outputs(&mut child, &template));
        self.leave();
        outputs.map_err(|e| e.at(format!("template of deployment `{name}`")))
    }

    /// A template's `outputs`: `{name: {type, value}}`.
    pub fn outputs(&mut self, frame: &mut Frame, template: &Value) -> Result<Val, EvalError> {
        let mut members = Vec::new();
        for (name, definition) in member(template, "outputs")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(condition) = member(definition, "condition") {
                let keep = self.eval_json(frame, condition)?;
                if !matches!(keep, Val::Unknown(_)) && !truth("condition", &keep)? {
                    continue;
                }
            }
            let value = match (member(definition, "copy"), member(definition, "value")) {
                (Some(copy), _) => self.copy_loop(frame, copy, true).map(|(_, items)| items),
                (None, Some(value)) => self.eval_json(frame, value),
                (None, None) => Ok(Val::Null),
            }
            .map_err(|e| e.at(format!("output `{name}`")))?;
            let kind = member(definition, "type")
                .and_then(Value::as_str)
                .unwrap_or("object");
            members.push((
                name.clone(),
                Val::object([
                    ("type".to_string(), Val::str(kind)),
                    ("value".to_string(), value),
                ])?,
            ));
        }
        functions::new_object(&mut self.budget, members)
    }
}
