//! Design checks: what Azure would refuse, and what deploys but silently breaks connectivity,
//! found offline before anything is deployed (azure-semantics.md §1.6, §2.3, §3.3, §4.1, §6).
//!
//! [`check`] runs every rule over a design and returns [`Diagnostic`]s, errors first; [`report`]
//! adds the outcome of every intent (what `vnetlab check` prints), and [`report_using`] reads
//! intents from the session's all-pairs analysis. Each diagnostic has a [`Severity`] (error:
//! Azure would refuse it, or an intent fails; warning: it deploys but does not do what it seems
//! to; info: worth knowing), a stable [`Code`], the object it is about, one sentence, and, where
//! one exists, a [`Remedy`]: advice, with the [`Edit`] that removes the diagnostic when the
//! design can express it (tests apply every such edit and check the diagnostic is gone).
//!
//! # Codes
//!
//! Codes are SCREAMING_SNAKE strings that never change once published (scripts match on them):
//! the first word names the area (`PEERING_`, `ADDRESS_`, `GATEWAY_`, `ROUTE_`, `NSG_`,
//! `NAME_`, `PERMISSION_`, `INTENT_`, `AVNM_`), the rest names the problem. Rules that
//! azure-semantics.md numbers (V1–V9, and `GOV` for Government-cloud global peering) start
//! their message with that number, e.g. `PEERING_OVERLAP`'s with "V1: ". New rules add new
//! codes; [`Code::ALL`] lists them.
//!
//! # Areas
//!
//! One file per area: `peering` (V1–V9, state, sync, limits), `addressing`
//! (subnets and VM addresses), `gateway` (GatewaySubnet, gateway SKUs and counts), `connections` (the pair
//! of connections a VNet-to-VNet link needs, and BGP on both), `routing`
//! (UDR next hops), `nsg` (priorities and placement), `names` (duplicates, Azure naming
//! rules), `permissions` (the roles needed to create peerings) and `intents` (expectations
//! evaluated with the engine), and `managed` (application security groups, Route Servers,
//! Virtual Network Manager connectivity). `support` indexes the design at most once per check,
//! so that the rules stay linear on large designs. `parts` keeps each area's findings (and each
//! list's name findings) from the revision before when the edit left every list it reads
//! alone: in the live session an NSG edit re-runs three parts of eighteen. The rules read the
//! design only; hard invariants (references
//! resolve, names are unique) are [`Design::validate`]'s job, but every rule here tolerates a
//! design that breaks them, because `check` may be called on anything.

mod addressing;
mod code;
mod connections;
mod gateway;
mod intents;
mod managed;
mod names;
mod nsg;
mod parts;
mod peering;
mod permissions;
mod routing;
mod support;

pub use code::Code;
pub use intents::IntentOutcome;
pub use parts::Findings;

use crate::edit::{Edit, ObjectRef};
use crate::engine::{Analysis, Tracer};
use crate::model::{Design, ObjectKind, PeeringIndex};
use serde::Serialize;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Azure would refuse the configuration, or an intent of the design fails.
    Error,
    /// Azure accepts it, but it does not do what it seems to (traffic silently breaks).
    Warning,
    /// Worth knowing; nothing is broken.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// How to make a diagnostic go away: advice in one sentence, with the edit that carries it out
/// when the design can express it (a diagnostic's `fix` in `vnetlab check --json`).
///
/// Not to be confused with the engine's [`Fix`](crate::engine::Fix), which is narrower: it is
/// always an edit, computed from one trace to remove one blocker of one pair. A remedy may be
/// words only (a role assignment to ask for, a re-addressing to plan), so its `edit` is
/// optional; where lint's rules and the engine repair the same thing, both build their edit
/// with the same core function (for peerings, [`crate::edit::peering`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Remedy {
    /// What to do, as one imperative sentence ("add peering `b-to-a` from b to a").
    pub description: String,
    /// The change that removes the diagnostic, when the design itself can express it. `None`
    /// when the fix lies outside the design (for example asking for a role assignment).
    pub edit: Option<Edit>,
}

impl Remedy {
    /// A remedy the design can apply.
    pub fn edit(description: impl Into<String>, edit: Edit) -> Self {
        Remedy {
            description: description.into(),
            edit: Some(edit),
        }
    }

    /// A remedy described in words only.
    pub fn advice(description: impl Into<String>) -> Self {
        Remedy {
            description: description.into(),
            edit: None,
        }
    }
}

/// One finding about a design.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error, warning or info.
    pub severity: Severity,
    /// Stable code, e.g. `PEERING_OVERLAP`.
    pub code: Code,
    /// The object the finding is about.
    pub subject: ObjectRef,
    /// One sentence: what is wrong and why it matters.
    pub message: String,
    /// How to fix it, if known (the field keeps its published JSON name, `fix`).
    pub fix: Option<Remedy>,
}

impl Diagnostic {
    /// A diagnostic without a fix.
    pub fn new(
        severity: Severity,
        code: Code,
        kind: ObjectKind,
        name: impl Into<String>,
        message: String,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            subject: ObjectRef::new(kind, name),
            message,
            fix: None,
        }
    }

    /// Attaches a fix.
    pub fn with_fix(mut self, fix: Remedy) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Attaches a fix when there is one.
    pub fn with_optional_fix(mut self, fix: Option<Remedy>) -> Self {
        self.fix = fix;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} ({}): {}",
            self.severity, self.code, self.subject, self.message
        )
    }
}

/// Everything `check` finds, with the outcome of every intent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Configuration findings and failed intents, errors first.
    pub diagnostics: Vec<Diagnostic>,
    /// Every intent of the design with its outcome, in design order.
    pub intents: Vec<IntentOutcome>,
}

/// Every diagnostic of a design, errors first, then warnings, then info; within a severity,
/// in area order (peerings, addressing, gateways, routing, NSGs, names, permissions, intents)
/// and design order. A failing intent is an error.
///
/// ```
/// use vnetlab::lint::{check, Severity};
/// use vnetlab::model::{Design, Peering};
/// let mut d = Design::example_pair();
/// d.peerings.push(Peering::new("a-to-b", "a", "b"));
/// let found = check(&d);
/// let one_sided = found.iter().find(|x| x.code.as_str() == "PEERING_INITIATED").unwrap();
/// assert_eq!(one_sided.severity, Severity::Warning);
/// assert!(one_sided.fix.as_ref().unwrap().description.starts_with("add peering `b-to-a`"));
/// ```
pub fn check(design: &Design) -> Vec<Diagnostic> {
    report(design).diagnostics
}

/// [`check`], together with the outcome of every intent (for `vnetlab check` and the TUI).
pub fn report(design: &Design) -> Report {
    build(design, None, None, intents::TRIALS_FOR_CHECK).0
}

/// [`report`] for the live session: intents that hold are read from an all-pairs analysis of
/// this same design instead of traced (only failing intents and intents with another flow are
/// traced), and only a few fixes of failing intents are proven, so a refresh stays quick; the
/// rest are offered as advice.
pub fn report_using(design: &Design, analysis: &Analysis) -> Report {
    build(design, Some(analysis), None, intents::TRIALS_FOR_SESSION).0
}

/// [`report_using`] for a design already compiled (the session's [`Tracer`], which the
/// analysis came from): intents that must be traced use it instead of compiling again.
pub fn report_compiled(tracer: &Tracer, analysis: &Analysis) -> Report {
    report_compiled_timed(tracer, analysis).0
}

/// How long the two parts of a lint pass took: the configuration rules, and the intents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LintTimes {
    /// Every rule of every area (peerings, addressing, gateways, routing, NSGs, names,
    /// permissions), including indexing the design once.
    pub checks: Duration,
    /// Evaluating the intents (and proving a few fixes of failing ones), and sorting.
    pub intents: Duration,
}

/// [`report_compiled`], also returning how long its parts took (for `vnetlab bench`).
pub fn report_compiled_timed(tracer: &Tracer, analysis: &Analysis) -> (Report, LintTimes) {
    let findings = findings_of(
        tracer.shared_design(),
        Arc::clone(tracer.peering_index()),
        None,
    );
    report_from(&findings, tracer, analysis)
}

/// The design rules' findings for `design`, whose peering facts (`PeeringIndex::new` of this
/// same design) are built already, keeping those of `previous` that the edit since cannot
/// have changed (see [`Findings`]).
pub fn findings_of(
    design: &Arc<Design>,
    peerings: Arc<PeeringIndex>,
    previous: Option<&Findings>,
) -> Findings {
    Findings::after(Arc::clone(design), Some(peerings), previous)
}

/// The [`report_compiled_timed`] of a design whose rules were checked already: its intents are
/// evaluated against `analysis` (of the same design as `findings`), then everything is sorted.
pub fn report_from(
    findings: &Findings,
    tracer: &Tracer,
    analysis: &Analysis,
) -> (Report, LintTimes) {
    finish(
        tracer.design(),
        findings,
        (Some(analysis), Some(tracer)),
        intents::TRIALS_FOR_SESSION,
    )
}

fn build(
    design: &Design,
    analysis: Option<&Analysis>,
    tracer: Option<&Tracer>,
    trials: usize,
) -> (Report, LintTimes) {
    let peerings = tracer.map(|t| Arc::clone(t.peering_index()));
    finish(
        design,
        &Findings::after(Arc::new(design.clone()), peerings, None),
        (analysis, tracer),
        trials,
    )
}

fn finish(
    design: &Design,
    findings: &Findings,
    (analysis, tracer): (Option<&Analysis>, Option<&Tracer>),
    trials: usize,
) -> (Report, LintTimes) {
    let (mut found, took) = (findings.diagnostics(), findings.took());
    let started = Instant::now();
    let (intents, failed) = intents::evaluate(design, &found, (analysis, tracer), trials);
    found.extend(failed);
    found.sort_by_key(|d| d.severity);
    let times = LintTimes {
        checks: took,
        intents: started.elapsed(),
    };
    let report = Report {
        diagnostics: found,
        intents,
    };
    (report, times)
}

/// Whether any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}
