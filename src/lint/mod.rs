//! Design checks: what Azure would refuse, and what deploys but silently breaks connectivity,
//! found offline before anything is deployed (azure-semantics.md §1.6, §2.3, §3.3, §4.1, §6).
//!
//! [`check`] runs every rule over a design and returns [`Diagnostic`]s, errors first. Each
//! diagnostic has a [`Severity`] (error: Azure would refuse it; warning: it deploys but does not
//! do what it seems to; info: worth knowing), a stable [`Code`], the object it is about, one
//! sentence, and, where one exists, a [`Fix`] carrying the [`Edit`] that removes it.
//!
//! # Codes
//!
//! Codes are SCREAMING_SNAKE strings that never change once published (scripts match on them):
//! the first word names the area (`PEERING_`, `ADDRESS_`, `GATEWAY_`, `ROUTE_`, `NSG_`,
//! `NAME_`, `PERMISSION_`, `INTENT_`), the rest names the problem. Rules that
//! azure-semantics.md numbers (V1–V9, and `GOV` for Government-cloud global peering) carry that
//! number in their message, e.g. `PEERING_OVERLAP` says "(V1)". New rules add new codes.
//!
//! # Areas
//!
//! One file per area: [`peering`](self::peering) (V1–V9, state, sync, limits), `addressing`
//! (subnets and VM addresses), `gateway` (GatewaySubnet, gateway SKUs and counts), `routing`
//! (UDR next hops), `nsg` (priorities and placement), `names` (duplicates, Azure naming
//! rules), `permissions` (the roles needed to create peerings) and `intents` (expectations
//! evaluated with the engine). The rules read the design only; hard invariants (references
//! resolve, names are unique) are [`Design::validate`]'s job, but every rule here tolerates a
//! design that breaks them, because `check` may be called on anything.

mod addressing;
mod code;
mod gateway;
mod names;
mod nsg;
mod peering;
mod permissions;
mod routing;
mod support;

pub use code::Code;

use crate::edit::{Edit, ObjectRef};
use crate::model::{Design, ObjectKind};
use serde::Serialize;
use std::fmt;

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

/// How to make a diagnostic go away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What to do, as one imperative sentence ("add peering `b-to-a` from b to a").
    pub description: String,
    /// The change that removes the diagnostic, when the design itself can express it. `None`
    /// when the fix lies outside the design (for example asking for a role assignment).
    pub edit: Option<Edit>,
}

impl Fix {
    /// A fix the design can apply.
    pub fn edit(description: impl Into<String>, edit: Edit) -> Self {
        Fix {
            description: description.into(),
            edit: Some(edit),
        }
    }

    /// A fix described in words only.
    pub fn advice(description: impl Into<String>) -> Self {
        Fix {
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
    /// How to fix it, if known.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic without a fix.
    pub fn new(severity: Severity, code: Code, kind: ObjectKind, name: impl Into<String>, message: String) -> Self {
        Diagnostic {
            severity,
            code,
            subject: ObjectRef::new(kind, name),
            message,
            fix: None,
        }
    }

    /// Attaches a fix.
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Attaches a fix when there is one.
    pub fn with_optional_fix(mut self, fix: Option<Fix>) -> Self {
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

/// Every configuration diagnostic of a design, errors first, then warnings, then info; within
/// a severity, in area order (peerings, addressing, gateways, routing, NSGs, names,
/// permissions) and design order.
///
/// Intents are not evaluated here, as that needs the engine; see [`report`].
///
/// ```
/// use vnetlab::lint::{check, Severity};
/// use vnetlab::model::{Design, Peering};
/// let mut d = Design::example_pair();
/// d.peerings.push(Peering::new("a-to-b", "a", "b"));
/// let found = check(&d);
/// assert_eq!(found[0].code.as_str(), "PEERING_INITIATED");
/// assert_eq!(found[0].severity, Severity::Warning);
/// ```
pub fn check(design: &Design) -> Vec<Diagnostic> {
    let context = support::Context::new(design);
    let mut found = Vec::new();
    peering::check(&context, &mut found);
    addressing::check(&context, &mut found);
    gateway::check(&context, &mut found);
    routing::check(&context, &mut found);
    nsg::check(&context, &mut found);
    names::check(&context, &mut found);
    permissions::check(&context, &mut found);
    found.sort_by_key(|d| d.severity);
    found
}

/// Whether any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}
