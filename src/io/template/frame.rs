//! Building a template's frame ([`Engine::new_frame`]): its parameters bound to the values
//! given (or their defaults, checked against `allowedValues`), its variables and user functions
//! waiting to be evaluated on first use. Linear in the template's parameters and variables.

use super::eval::{Engine, Frame, Slot, member};
use super::limits::{EvalError, MAX_PARAMETERS, MAX_VARIABLES};
use super::value::Val;
use super::{DeploymentScope, ParamValue};
use serde_json::Value;
use std::path::PathBuf;
use std::rc::Rc;

impl Engine {
    /// Builds the frame of a template: its parameters bound to `given`, its variables and
    /// functions waiting to be evaluated.
    #[allow(clippy::too_many_arguments)]
    pub fn new_frame(
        template: &Value,
        file: String,
        dir: PathBuf,
        link_uri: String,
        scope: DeploymentScope,
        given: &[(String, ParamValue)],
        nesting: usize,
    ) -> Result<Frame, EvalError> {
        if !template.is_object() {
            return Err(EvalError::Shape(
                "the template is not a JSON object".to_string(),
            ));
        }
        let mut frame = Frame {
            file,
            dir,
            link_uri,
            scope,
            nesting,
            ..Frame::default()
        };
        let declared = member(template, "parameters").and_then(Value::as_object);
        let declared_count = declared.map_or(0, serde_json::Map::len);
        if declared_count > MAX_PARAMETERS {
            return Err(EvalError::TooManyDeclarations {
                what: "parameters",
                count: declared_count,
                limit: MAX_PARAMETERS,
            });
        }
        for (name, definition) in declared.into_iter().flatten() {
            let kind = member(definition, "type")
                .and_then(Value::as_str)
                .unwrap_or("");
            let value = given
                .iter()
                .rev()
                .find(|(k, _)| k.eq_ignore_ascii_case(name));
            // A null value takes the parameter's default, as Azure does for nullable parameters.
            let value = value.filter(|(_, v)| {
                !(matches!(v, ParamValue::Value(Val::Null))
                    && member(definition, "defaultValue").is_some())
            });
            let slot = match value {
                Some((_, value)) => value.bind(name, kind)?,
                None => match member(definition, "defaultValue") {
                    Some(default) => Slot::Pending(Rc::new(default.clone())),
                    None if member(definition, "nullable").and_then(Value::as_bool)
                        == Some(true) =>
                    {
                        Slot::Done(Val::Null)
                    }
                    None => Slot::Missing(Rc::from(format!(
                        "parameter `{name}` has no value (give it with --param {name}=… or a parameters file)"
                    ))),
                },
            };
            frame.params.insert(name.to_lowercase(), slot);
        }
        let variables = member(template, "variables").and_then(Value::as_object);
        let variable_count = variables.map_or(0, serde_json::Map::len);
        if variable_count > MAX_VARIABLES {
            return Err(EvalError::TooManyDeclarations {
                what: "variables",
                count: variable_count,
                limit: MAX_VARIABLES,
            });
        }
        for (name, value) in variables.into_iter().flatten() {
            if name.eq_ignore_ascii_case("copy") && value.is_array() {
                for definition in value.as_array().into_iter().flatten() {
                    if let Some(var) = member(definition, "name").and_then(Value::as_str) {
                        frame.vars.insert(
                            var.to_lowercase(),
                            Slot::PendingCopy(Rc::new(definition.clone())),
                        );
                    }
                }
            } else {
                frame
                    .vars
                    .insert(name.to_lowercase(), Slot::Pending(Rc::new(value.clone())));
            }
        }
        for namespace in member(template, "functions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let prefix = member(namespace, "namespace")
                .and_then(Value::as_str)
                .unwrap_or("");
            for (name, definition) in member(namespace, "members")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                frame.functions.insert(
                    format!("{prefix}.{name}").to_lowercase(),
                    Rc::new(definition.clone()),
                );
            }
        }
        Ok(frame)
    }
}
