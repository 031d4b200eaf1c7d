//! Azure JSON: importing real exports into a design, and exporting a design as ARM-shaped
//! resource JSON that imports back to the same design.
//!
//! Import accepts what people actually have (azure-semantics.md §7): REST/ARM bodies with a
//! `properties` wrapper, the flattened Azure CLI shape (`az network … -o json`, with
//! `resourceGroup` fields and `newVNet`-style wrappers), Resource Graph rows (`{"data": [...]}`,
//! lower-case types), lists (`[...]`, `{"value": [...]}`) and single objects, from several files
//! merged into one design. [`source`] reads and unwraps files safely, [`json`] gives the
//! case-insensitive, `properties`-flattening view, [`ids`] parses resource IDs, `import` maps
//! resources to the model, and [`report`] is the summary that names everything left out.
//! [`read_effective_routes`] and [`compare_routes`] read Azure's effective route table of a NIC
//! and compare it with the one vnetlab computes (`vnetlab routes … --compare`).
//! [`open_files`] is the door for callers that take either a design file or exports (the
//! headless commands; the TUI can use it to open an export and offer to save it as a design).
//! ARM templates among the inputs (and Bicep files, compiled first) are expanded by
//! [`crate::io::template`] into the resources they deploy, which then import like an export.
//!
//! # Choices an importer has to make (documented here once)
//!
//! - **Names** must be unique per kind in a design, while Azure names are unique per resource
//!   group (per VNet for peerings). The first resource keeps its name; a later one with the
//!   same name gets its resource group appended in parentheses, `vnet1 (rg-b)` (then the
//!   subscription, then a number). Peerings are qualified by their VNet: `peer (vnet2)`.
//!   Names never contain `/` (it separates `vnet/subnet`); a `/` becomes `-`.
//! - **Peering states** are derived in the model from which links exist, so the model is what
//!   decides. `Disconnected` in the export sets the link's `disconnected` mark; a
//!   `remoteAddressSpace` that differs from the remote VNet's current space becomes the
//!   link's synced snapshot. When the export's `peeringState` or `peeringSyncLevel` differs
//!   from what the imported links derive (an `Initiated` link whose reverse link is in the
//!   export, typically because the files were exported at different times), the design keeps
//!   what the links say and the summary names each such peering.
//! - **Appliances**: a VM with IP forwarding on any NIC and no vnetlab tag is imported as a
//!   generic, stateless NVA (with a note); Azure Firewalls become a firewall appliance at
//!   their private IP, with their classic network rule collections as rules.
//! - **Sites** get one representative host, `<site>-host`, at the first usable address of the
//!   first prefix.
//! - **Unknown regions** keep the VNet, placed in a stand-in region of the cloud its name
//!   suggests, with a note.
//!
//! # What the exporter adds so that import(export(d)) == d
//!
//! The exporter writes plain ARM resources plus three things only vnetlab reads:
//! - a tag `vnetlab-appliance` on every VM's primary NIC: `none`, or the appliance settings as
//!   compact JSON (`{"kind":"Nva","stateful":true,"rules":[...]}`). Azure caps tag values at
//!   256 characters, so an appliance with many rules exceeds what Azure would accept; vnetlab
//!   reads it regardless;
//! - a tag `vnetlab-hosts` on every local network gateway: the site's hosts as JSON;
//! - one extra array element of type `vnetlab/design` holding the design's name, description,
//!   assumptions, intents, subscriptions (roles) and the placeholder subscription and resource
//!   group used for VNets that had none, so those read back as absent. Azure tools ignore it.

mod effective;
mod export;
mod guarded_json;
pub mod ids;
mod import;
pub mod json;
pub mod report;
pub mod source;

pub use effective::{
    DeployedRoute, DeployedTable, RouteComparison, RouteDifference, compare_routes,
    read_effective_routes,
};
pub use export::{export_design, export_text};
pub use ids::ResourceId;
pub use import::{MAX_PEERINGS, MAX_RESOURCES};
pub use report::{ImportCounts, ImportReport};

use crate::io::template::{self, TemplateError, TemplateOptions};
use crate::model::Design;
use std::path::PathBuf;

/// A design built from Azure exports, with the summary of what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The design; it satisfies `Design::validate()`.
    pub design: Design,
    /// What was imported and what was left out.
    pub report: ImportReport,
}

/// Why an export could not be imported at all. Everything short of this is a line in the
/// [`ImportReport`] instead.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read as text: missing, a folder, too large for an export, or
    /// not text ([`crate::io::read::ReadError`]).
    #[error(transparent)]
    Read(#[from] crate::io::read::ReadError),
    /// A value longer than any Azure export holds (a name, an ID, a location, …).
    #[error("{file}:{line}:{column}: {reason}")]
    TooLong {
        /// The file as named.
        file: String,
        /// 1-based line where the value starts.
        line: usize,
        /// 1-based column where the value starts.
        column: usize,
        /// Which value, how long, and the limit.
        reason: String,
    },
    /// The text is not JSON.
    #[error(
        "{file}:{line}:{column}: not valid JSON: {reason}; give the JSON that Azure tools print"
    )]
    NotJson {
        /// The file as named.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser found.
        reason: String,
    },
    /// The JSON is valid but is not a resource export.
    #[error("{file}: not an Azure resource export: {reason}")]
    WrongShape {
        /// The file as named.
        file: String,
        /// What it looks like instead, and what to give.
        reason: String,
    },
    /// The document is Terraform JSON (`terraform show -json`) that cannot be read.
    #[error("{file}: not a Terraform plan or state vnetlab can read: {reason}")]
    Terraform {
        /// The file as named.
        file: String,
        /// What is wrong, and what to give instead.
        reason: String,
    },
    /// The document holds more values than any export vnetlab can hold.
    #[error(
        "{file}: the JSON holds more than {limit} values, more than vnetlab imports at once; split the export"
    )]
    TooManyValues {
        /// The file as named.
        file: String,
        /// The limit.
        limit: u64,
    },
    /// The exports together hold more resources (or peerings) than vnetlab imports at once.
    #[error(
        "{files}: the exports hold more than {limit} {what} (counted {count} so far), more than vnetlab imports at once; import fewer subscriptions or resource groups"
    )]
    TooManyResources {
        /// The files, comma-separated.
        files: String,
        /// `resources` or `peerings`.
        what: &'static str,
        /// How many were counted when the limit was passed.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// An ARM template (or Bicep file) could not be expanded.
    #[error(transparent)]
    Template(#[from] TemplateError),
}

/// What [`open_files`] read: the design, and the import summary when the files were Azure JSON
/// (a caller such as the TUI can then offer to save the result as a design file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// The design to work on.
    pub design: Design,
    /// The import summary, when the input was Azure JSON.
    pub report: Option<ImportReport>,
}

/// Opens one design file (RON) or one or more Azure exports (JSON) merged into one design,
/// telling them apart by content, not by name: JSON starts with `{` or `[`, a design file never
/// does. ARM templates and their parameters files are JSON too; a `.bicep` file is compiled to a
/// template first. The error is one sentence naming the file.
pub fn open_files(paths: &[PathBuf]) -> Result<Opened, String> {
    open_files_with(paths, &TemplateOptions::default())
}

/// [`open_files`], expanding templates with these parameters and scope.
pub fn open_files_with(paths: &[PathBuf], options: &TemplateOptions) -> Result<Opened, String> {
    if paths.is_empty() {
        return Err(
            "no input file given; name a design file (.ron) or Azure JSON exports".to_string(),
        );
    }
    let mut designs = Vec::new();
    let mut exports = Vec::new();
    for path in paths {
        let shown = path.display().to_string();
        if template::bicep::is_bicep_params(path) {
            return Err(template::bicep::bicep_params_advice(path));
        }
        if template::bicep::is_bicep(path) {
            let text = template::bicep::compile(path).map_err(|e| e.to_string())?;
            exports.push((shown, text));
            continue;
        }
        let text = source::read_text(path).map_err(|e| e.to_string())?;
        if source::looks_like_json(&text) {
            exports.push((shown, text));
        } else {
            designs.push((shown, text));
        }
    }
    match (designs.as_slice(), exports.is_empty()) {
        ([], false) => {
            let imported = import_texts_with(&exports, options).map_err(|e| e.to_string())?;
            Ok(Opened {
                design: imported.design,
                report: Some(imported.report),
            })
        }
        ([(file, text)], true) => Ok(Opened {
            design: crate::io::parse_design(text, file).map_err(|e| e.to_string())?,
            report: None,
        }),
        _ => Err(format!(
            "{}: give one design file (.ron), or one or more Azure JSON exports, not a mix or several designs",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Reads, parses and imports export files into one design.
pub fn import_files(paths: &[PathBuf]) -> Result<Imported, ImportError> {
    let texts = paths
        .iter()
        .map(|p| Ok((p.display().to_string(), source::read_text(p)?)))
        .collect::<Result<Vec<_>, ImportError>>()?;
    import_texts(&texts)
}

/// Imports export texts, each with the file name used in messages.
pub fn import_texts(texts: &[(String, String)]) -> Result<Imported, ImportError> {
    import_texts_with(texts, &TemplateOptions::default())
}

/// [`import_texts`], expanding templates with these parameters and scope.
pub fn import_texts_with(
    texts: &[(String, String)],
    options: &TemplateOptions,
) -> Result<Imported, ImportError> {
    let values = texts
        .iter()
        .map(|(file, text)| Ok((file.clone(), source::parse(text, file)?)))
        .collect::<Result<Vec<_>, ImportError>>()?;
    import_values_with(&values, options)
}

/// Imports parsed export documents, each with the file name used in messages.
pub fn import_values(documents: &[(String, serde_json::Value)]) -> Result<Imported, ImportError> {
    import_values_with(documents, &TemplateOptions::default())
}

/// [`import_values`], expanding templates with these parameters and scope; the import summary
/// then lists the scope assumed and every placeholder. Terraform plan/state JSON is told apart by
/// content and translated to ARM resources first.
pub fn import_values_with(
    documents: &[(String, serde_json::Value)],
    options: &TemplateOptions,
) -> Result<Imported, ImportError> {
    if documents.iter().any(|(_, v)| {
        crate::io::terraform::is_terraform_json(v) || crate::io::terraform::is_raw_state(v)
    }) {
        return crate::io::terraform::import(documents, import::import);
    }
    let Some((expanded, summary)) = template::expand_documents(documents, options)? else {
        return import::import(documents);
    };
    let mut imported = import::import(&expanded)?;
    let report = &mut imported.report;
    report.template = std::iter::once(summary.scope)
        .chain(summary.notes)
        .collect();
    report.placeholders = summary.placeholders;
    Ok(imported)
}
