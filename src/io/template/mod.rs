//! ARM templates (and Bicep, through its compiler) as input: a template is expanded offline into
//! the resources a deployment would create, and those go through the Azure importer like any
//! export. Nothing here maps resources to the model; [`crate::io::azure`] does.
//!
//! Expansion evaluates template expressions ([`parse`], [`functions`], `eval`, `context`),
//! expands copy loops, conditions, child resources and nested or linked deployments (`expand`,
//! `linked`), then brings the result to the REST shape a deployment reports (`rest`).
//! Whatever only a deployment knows — a `reference()` to a resource outside the template, a
//! `list*()` call, a parameter without a value, a linked template not found locally, a dynamic
//! private IP — becomes an unknown value or an assumed one, and each is named in the import
//! summary ([`TemplateSummary::placeholders`]), never guessed silently.
//!
//! Cost: linear in the expanded template, bounded by [`limits`] (Azure's own limits plus a fuel
//! budget); a second pass runs only when `reference()` asked for something the first pass had
//! to deploy first (a dynamic IP, a child's ID). Evaluation runs on a thread of its own with a
//! large stack, so the depth bounds, not the caller's stack, decide how deep templates may nest.

pub mod bicep;
mod context;
mod copy;
mod deploy;
mod eval;
mod expand;
mod frame;
pub mod functions;
mod lambda;
pub mod limits;
mod linked;
mod metadata;
pub mod parse;
mod rest;
mod run;
pub mod value;

pub use limits::EvalError;
pub use run::{ExpandedDocuments, expand_documents};

use eval::Slot;
use run::parameters_of;
use serde_json::Value;
use std::path::PathBuf;
use value::Val;

/// Where templates deploy, and what the scope functions (`subscription()`, `resourceGroup()`,
/// `deployment()`) answer. Offline there is no real scope, so these are stated assumptions, listed
/// in the import summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentScope {
    /// The subscription ID.
    pub subscription: String,
    /// The resource group name.
    pub resource_group: String,
    /// The resource group's location (`resourceGroup().location`).
    pub location: String,
    /// The tenant ID.
    pub tenant: String,
    /// The deployment's name (`deployment().name`).
    pub deployment: String,
}

impl Default for DeploymentScope {
    fn default() -> Self {
        DeploymentScope {
            subscription: "00000000-0000-0000-0000-000000000000".to_string(),
            resource_group: "vnetlab-rg".to_string(),
            location: "eastus".to_string(),
            tenant: "00000000-0000-0000-0000-000000000000".to_string(),
            deployment: String::new(),
        }
    }
}

/// How templates among the inputs are expanded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateOptions {
    /// `--param NAME=VALUE`, in order; the text is read as the parameter's declared type.
    pub parameters: Vec<(String, String)>,
    /// `--params FILE`: parameter files for every template.
    pub parameter_files: Vec<PathBuf>,
    /// The deployment scope assumed.
    pub scope: DeploymentScope,
    /// Where linked templates are looked for first (the template's own folder is always searched).
    pub template_dir: Option<PathBuf>,
}

/// Splits `NAME=VALUE` as `--param` takes it.
pub fn parse_param_arg(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!(
            "`{text}` is not NAME=VALUE; write for example --param location=westeurope"
        )),
    }
}

/// A parameter value on its way into a template.
#[derive(Debug, Clone)]
pub enum ParamValue {
    /// A value (from a parameters file or a deployment's `parameters`).
    Value(Val),
    /// Text from the command line, read as the parameter's declared type.
    Text(String),
    /// No value can be known offline (a Key Vault reference).
    Missing(String),
}

impl ParamValue {
    fn bind(&self, name: &str, kind: &str) -> Result<Slot, EvalError> {
        let text = match self {
            ParamValue::Value(value) => return Ok(Slot::Done(value.clone())),
            ParamValue::Missing(why) => return Ok(Slot::Missing(why.as_str().into())),
            ParamValue::Text(text) => text,
        };
        let wrong = || {
            EvalError::Shape(format!(
                "parameter `{name}` is declared `{kind}`, and `{text}` is not one"
            ))
        };
        let json = |t: &str| serde_json::from_str::<Value>(t).ok();
        let value = match kind.to_ascii_lowercase().as_str() {
            "string" | "securestring" => Val::str(text.as_str()),
            "int" => Val::Int(text.trim().parse().map_err(|_| wrong())?),
            "bool" => match text.trim().to_ascii_lowercase().as_str() {
                "true" => Val::Bool(true),
                "false" => Val::Bool(false),
                _ => return Err(wrong()),
            },
            "array" | "object" | "secureobject" => {
                let parsed = json(text)
                    .filter(|v| v.is_array() || v.is_object())
                    .ok_or_else(wrong)?;
                Val::from_json(&parsed)?
            }
            _ => match json(text) {
                Some(parsed) if !parsed.is_string() => Val::from_json(&parsed)?,
                _ => Val::str(text.as_str()),
            },
        };
        Ok(Slot::Done(value))
    }
}

/// One resource as a template deploys it (REST shape after `rest::normalize`).
#[derive(Debug, Clone)]
pub struct Expanded {
    /// The resource JSON.
    pub json: Value,
}

/// What the import summary says about templates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateSummary {
    /// The deployment scope assumed, as one line.
    pub scope: String,
    /// Linked templates read, parameters ignored, functions not evaluated.
    pub notes: Vec<String>,
    /// Every value left to deployment time or assumed, with where it is used.
    pub placeholders: Vec<String>,
}

/// Why templates could not be expanded.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// Evaluation failed (a hostile or broken template).
    // The message quotes template text (names, types, expressions): bounded and with control
    // characters escaped, like every refusal.
    #[error("{file}: {}", crate::io::text::bounded_message(&error.to_string()))]
    Eval {
        /// The template.
        file: String,
        /// What went wrong, and where in the template.
        error: EvalError,
    },
    /// A parameters file or `--param` could not be used.
    #[error("{file}: {}", crate::io::text::bounded_message(reason))]
    Parameters {
        /// The file, or `--param`.
        file: String,
        /// Why.
        reason: String,
    },
    /// A Bicep file could not be compiled.
    #[error(transparent)]
    Bicep(#[from] bicep::BicepError),
}

fn has_key(map: &serde_json::Map<String, Value>, key: &str) -> bool {
    map.keys().any(|k| k.eq_ignore_ascii_case(key))
}

fn schema_has(value: &Value, word: &str) -> bool {
    eval::member(value, "$schema")
        .and_then(Value::as_str)
        .is_some_and(|s| s.to_ascii_lowercase().contains(&word.to_ascii_lowercase()))
}

/// Whether a document is an ARM template: its `$schema` names a deployment template, or it
/// has `resources` and `contentVersion`.
pub fn is_template(value: &Value) -> bool {
    let Some(map) = value.as_object() else {
        return false;
    };
    schema_has(value, "deploymentTemplate")
        || (has_key(map, "resources") && has_key(map, "contentVersion"))
}

/// Whether a document is a parameters file: its `$schema` says so, or it has `parameters` and
/// `contentVersion` but no `resources`.
pub fn is_parameters(value: &Value) -> bool {
    let Some(map) = value.as_object() else {
        return false;
    };
    schema_has(value, "deploymentParameters")
        || (has_key(map, "parameters")
            && has_key(map, "contentVersion")
            && !has_key(map, "resources"))
}
