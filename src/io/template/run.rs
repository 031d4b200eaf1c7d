//! Running expansion over the inputs of one import: templates paired with the parameters
//! files that follow them, `--params` and `--param` applied, every template expanded on a
//! thread with a large stack, a second pass when `reference()` needed what the first deployed,
//! and the summary lines gathered.

use super::eval::{self, Engine};
use super::limits::{Budget, EvalError};
use super::metadata;
use super::value::Val;
use super::{
    ParamValue, TemplateError, TemplateOptions, TemplateSummary, is_parameters, is_template, rest,
};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A parameter value from a file or the command line, before evaluation starts.
#[derive(Debug, Clone)]
enum Given {
    Json(Value),
    Text(String),
    Missing(String),
}

impl Given {
    fn to_param(&self) -> ParamValue {
        match self {
            Given::Json(json) => Val::from_json(json)
                .map_or_else(|e| ParamValue::Missing(e.to_string()), ParamValue::Value),
            Given::Text(text) => ParamValue::Text(text.clone()),
            Given::Missing(why) => ParamValue::Missing(why.clone()),
        }
    }
}

/// The parameters of a parameters file (`{"parameters": {"name": {"value": …}}}`), and a note
/// for each entry without `value` or `reference`, which Azure would refuse and vnetlab ignores.
fn given_of(file: &Value, shown: &str, notes: &mut Vec<String>) -> Vec<(String, Given)> {
    let entries = eval::member(file, "parameters").and_then(Value::as_object);
    let mut given = Vec::new();
    for (name, entry) in entries.into_iter().flatten() {
        match (eval::member(entry, "value"), eval::member(entry, "reference")) {
            (Some(value), _) => given.push((name.clone(), Given::Json(value.clone()))),
            (None, Some(_)) => given.push((
                name.clone(),
                Given::Missing(format!("parameter `{name}` is a Key Vault secret, known only to a deployment")),
            )),
            (None, None) => notes.push(format!(
                "{shown}: parameter `{name}` has no `value` and was ignored (the template's default applies)"
            )),
        }
    }
    given
}

/// [`given_of`], ready for a frame (for a deployment's `parametersLink`).
pub(crate) fn parameters_of(
    file: &Value,
    shown: &str,
    notes: &mut Vec<String>,
) -> Vec<(String, ParamValue)> {
    given_of(file, shown, notes)
        .into_iter()
        .map(|(k, g)| (k, g.to_param()))
        .collect()
}

/// Documents with every template replaced by the resources it deploys, and the summary.
pub type ExpandedDocuments = (Vec<(String, Value)>, TemplateSummary);

/// A template among the inputs, with the parameter files that follow it.
struct Job<'a> {
    document: usize,
    file: &'a str,
    template: &'a Value,
    parameters: Vec<(String, Given)>,
}

/// Expands every template among `documents` into an array of deployed resources; parameters
/// files are applied (to the template before them, or to all when they come first) and
/// dropped; other documents pass through. `None` when there is no template.
pub fn expand_documents(
    documents: &[(String, Value)],
    options: &TemplateOptions,
) -> Result<Option<ExpandedDocuments>, TemplateError> {
    if !documents.iter().any(|(_, v)| is_template(v)) {
        if let Some((file, _)) = documents.iter().find(|(_, v)| is_parameters(v)) {
            return Err(TemplateError::Parameters {
                file: file.clone(),
                reason: "this is a parameters file of an ARM template; give the template first, then its parameters file"
                    .to_string(),
            });
        }
        return Ok(None);
    }
    let mut global: Vec<(String, Given)> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for path in &options.parameter_files {
        let file = path.display().to_string();
        let error = |reason: String| TemplateError::Parameters {
            file: file.clone(),
            reason,
        };
        let text = crate::io::azure::source::read_text(path).map_err(|e| error(e.to_string()))?;
        let value =
            crate::io::azure::source::parse(&text, &file).map_err(|e| error(e.to_string()))?;
        if !is_parameters(&value) {
            return Err(error(
                "not a parameters file (it has no `parameters` object)".to_string(),
            ));
        }
        global.extend(given_of(&value, &file, &mut notes));
    }
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for (index, (file, value)) in documents.iter().enumerate() {
        if is_template(value) {
            jobs.push(Job {
                document: index,
                file,
                template: value,
                parameters: global.clone(),
            });
        } else if is_parameters(value) {
            let given = given_of(value, file, &mut notes);
            match jobs.last_mut() {
                Some(job) => job.parameters.extend(given),
                None => global.extend(given),
            }
        }
    }
    let command_line: Vec<(String, Given)> = options
        .parameters
        .iter()
        .map(|(k, v)| (k.clone(), Given::Text(v.clone())))
        .collect();
    for job in &mut jobs {
        job.parameters.extend(command_line.iter().cloned());
    }
    let (per_template, mut summary) = run_on_big_stack(|| expand_jobs(&jobs, options))
        .unwrap_or_else(|| {
            Err(TemplateError::Eval {
                file: jobs.iter().map(|j| j.file).collect::<Vec<_>>().join(", "),
                error: EvalError::Shape("the template evaluation could not be run".to_string()),
            })
        })?;
    summary.notes.splice(0..0, notes);
    let mut by_document: HashMap<usize, Vec<Value>> = per_template.into_iter().collect();
    let expanded = documents
        .iter()
        .enumerate()
        .filter(|(_, (_, v))| !is_parameters(v) || is_template(v))
        .map(|(i, (file, value))| match by_document.remove(&i) {
            Some(mut resources) => {
                resources.extend(metadata::design_element(value, &options.scope));
                resources.extend(metadata::existing_resources(value, &options.scope));
                (file.clone(), Value::Array(resources))
            }
            None => (file.clone(), value.clone()),
        })
        .collect();
    Ok(Some((expanded, summary)))
}

/// The stack evaluation runs on. Evaluation [`MAX_EVAL_DEPTH`](super::limits::MAX_EVAL_DEPTH)
/// levels deep fits in 8 MiB in a debug build (`tests/template_hostile.rs` reaches it along every
/// kind of nesting); this leaves eight times that.
const EVAL_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Runs `work` on a thread with a large stack; when no such thread can be started, runs it
/// here (the depth bounds still hold, with less room). `None` only if the work was lost.
fn run_on_big_stack<T: Send>(work: impl FnOnce() -> T + Send) -> Option<T> {
    let slot = std::sync::Mutex::new(Some(work));
    let take = || slot.lock().ok().and_then(|mut w| w.take());
    let spawned = std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("vnetlab-template".to_string())
            .stack_size(EVAL_STACK_BYTES)
            .spawn_scoped(scope, || take().map(|work| work()))
            .ok()?;
        match handle.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    spawned.or_else(|| take().map(|work| work()))
}

type Expansion = (Vec<(usize, Vec<Value>)>, TemplateSummary);

fn expand_jobs(jobs: &[Job<'_>], options: &TemplateOptions) -> Result<Expansion, TemplateError> {
    let first = expand_pass(
        jobs,
        options,
        HashMap::new(),
        HashMap::new(),
        Budget::default(),
    )?;
    let (mut results, mut engine, mut assumed) = first;
    if engine.misses > 0 || engine.outside > 0 {
        let deployed: HashMap<String, Value> = results
            .iter()
            .flat_map(|(_, resources)| resources.iter())
            .filter_map(|r| {
                let id = r.get("id")?.as_str()?;
                Some((crate::io::azure::ids::key_of(id), r.clone()))
            })
            .collect();
        let known = std::mem::take(&mut engine.known);
        // The second pass spends what the first left: one import, one budget.
        let budget = engine.budget.clone();
        (results, engine, assumed) = expand_pass(jobs, options, deployed, known, budget)?;
    }
    let mut placeholders: Vec<String> = engine
        .placeholders
        .drain(..)
        .map(|(reason, places)| {
            const SHOWN: usize = 4;
            let more = places.len().saturating_sub(SHOWN);
            let mut line = format!(
                "{reason}: used by {}",
                places[..places.len().min(SHOWN)].join("; ")
            );
            if more > 0 {
                line.push_str(&format!(" (and {more} more)"));
            }
            line
        })
        .collect();
    placeholders.append(&mut assumed);
    let mut notes: Vec<String> = engine.notes.into_iter().collect();
    if !engine.unsupported.is_empty() {
        notes.push(format!(
            "functions vnetlab does not evaluate (their results are unknown): {}",
            engine
                .unsupported
                .into_iter()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for job in jobs {
        let declared = eval::member(job.template, "parameters").and_then(Value::as_object);
        for (name, _) in &job.parameters {
            if !declared.is_some_and(|d| d.keys().any(|k| k.eq_ignore_ascii_case(name))) {
                let note = format!(
                    "parameter `{name}` is not declared by `{}` and was ignored",
                    job.file
                );
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
    }
    let scope = &options.scope;
    let summary = TemplateSummary {
        scope: format!(
            "deployed to subscription `{}`, resource group `{}`, location `{}` (set with --scope-subscription, --scope-resource-group, --scope-location)",
            scope.subscription, scope.resource_group, scope.location
        ),
        notes,
        placeholders,
    };
    Ok((results, summary))
}

type Pass = (Vec<(usize, Vec<Value>)>, Engine, Vec<String>);

fn expand_pass(
    jobs: &[Job<'_>],
    options: &TemplateOptions,
    deployed: HashMap<String, Value>,
    known: HashMap<String, Val>,
    budget: Budget,
) -> Result<Pass, TemplateError> {
    let mut engine = Engine {
        deployed,
        known,
        budget,
        ..Engine::default()
    };
    let mut results = Vec::new();
    let mut all: Vec<Value> = Vec::new();
    let mut bounds = Vec::new();
    for job in jobs {
        let path = Path::new(job.file);
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        engine.linked.roots = options
            .template_dir
            .iter()
            .cloned()
            .chain([if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir.clone()
            }])
            .collect();
        let name = path
            .file_name()
            .map_or_else(|| job.file.to_string(), |n| n.to_string_lossy().to_string());
        let mut scope = options.scope.clone();
        if scope.deployment.is_empty() {
            scope.deployment = path.file_stem().map_or_else(
                || "vnetlab".to_string(),
                |s| s.to_string_lossy().to_string(),
            );
        }
        let error = |error: EvalError| TemplateError::Eval {
            file: job.file.to_string(),
            error,
        };
        let link_uri = format!("https://template.vnetlab.invalid/{name}");
        let given: Vec<(String, ParamValue)> = job
            .parameters
            .iter()
            .map(|(k, g)| (k.clone(), g.to_param()))
            .collect();
        let mut frame = Engine::new_frame(
            job.template,
            job.file.to_string(),
            dir,
            link_uri,
            scope,
            &given,
            0,
        )
        .map_err(error)?;
        engine
            .expand_frame(&mut frame, job.template)
            .map_err(error)?;
        let start = all.len();
        all.extend(engine.output.drain(..).map(|e| e.json));
        bounds.push((job.document, start, all.len()));
    }
    let normalized = rest::normalize(&mut all);
    engine.notes.extend(normalized.notes);
    let assumed = normalized.assumed;
    for (document, start, end) in bounds {
        results.push((document, all[start..end].to_vec()));
    }
    Ok((results, engine, assumed))
}
