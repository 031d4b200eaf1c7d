//! The engine's public vocabulary: verdicts, stable reason codes, blockers with their fixes and
//! assumptions, trace hops, effective routes, summaries and errors. Everything here is plain
//! data the CLI prints and the TUI shows; the computations live in the sibling modules.

mod assumption;
mod hop;
mod reason;
mod route;
mod setting;

pub use assumption::Assumption;
pub use hop::{Hop, HopDecision, HopStep};
pub use reason::ReasonCode;
pub use route::{EffectiveRoute, NextHopType, RouteSource, RouteState};
pub use setting::PeeringSetting;

use crate::edit::{Edit, ObjectRef};
use crate::model::Flow;
use crate::model::suggest::Suggestion;
use serde::{Serialize, Serializer};
use std::fmt;

/// Which all-pairs strategy to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EngineKind {
    /// Shares work across endpoints that behave alike (equivalence classes).
    #[default]
    Fast,
    /// Walks every pair on its own: the yardstick the fast engine is tested against.
    Reference,
}

/// Whether a pair can communicate (forward and reply).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The flow and its reply both get through.
    Reachable,
    /// Something on the forward or reverse path stops it.
    Blocked,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Reachable => "reachable",
            Verdict::Blocked => "blocked",
        })
    }
}

/// Pair counts of an analysis; self-pairs are excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Ordered pairs of distinct endpoints.
    pub pairs: u64,
    /// Pairs whose flow and reply get through.
    pub reachable: u64,
    /// Pairs with at least one blocker.
    pub blocked: u64,
}

/// A concrete change that removes a blocker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the edit does, in words.
    pub description: String,
    /// The edit; applying it removes this blocker.
    pub edit: Edit,
}

/// What checking a blocker's fix on a copy of the design found (see
/// [`Tracer::trace_checked`](super::Tracer::trace_checked)). Serialised with a `status` key:
/// `proven`, `breaks_intents`, `does_not_clear` or `refused`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FixCheck {
    /// Applied to a copy of the design, the fix removes the blocker and every intent that held
    /// still holds. `rounds` is how many edits the fix batches: more than one when the first
    /// edit alone left a blocker on an object it changed (a new reverse peering that must also
    /// allow forwarded traffic, say).
    Proven {
        /// Edits batched into the fix (1 for a single edit).
        rounds: usize,
    },
    /// Every candidate that removes the blocker makes an intent that held fail; no fix is
    /// offered, and `fix` is the first candidate.
    BreaksIntents {
        /// The candidate withheld.
        fix: Fix,
        /// The intents it would make fail.
        intents: Vec<String>,
    },
    /// No candidate removes the blocker: it, or a blocker on an object the fix changed, remains.
    DoesNotClear {
        /// The candidate withheld.
        fix: Fix,
        /// The code and place of what remains.
        remains: String,
    },
    /// The design refuses the candidate (it would break an invariant).
    Refused {
        /// The candidate withheld.
        fix: Fix,
        /// Why the design refuses it.
        error: String,
    },
}

impl FixCheck {
    /// Whether the fix was proven.
    pub fn is_proven(&self) -> bool {
        matches!(self, FixCheck::Proven { .. })
    }
}

impl fmt::Display for FixCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixCheck::Proven { .. } => f.write_str(
                "checked on a copy of the design: it removes this blocker and every intent that held still holds",
            ),
            FixCheck::BreaksIntents { fix, intents } => {
                let list: Vec<String> = intents.iter().map(|i| format!("`{i}`")).collect();
                write!(
                    f,
                    "no fix offered: the edit that removes it ({}) makes {} {} fail",
                    fix.description,
                    if intents.len() == 1 { "intent" } else { "intents" },
                    list.join(", ")
                )
            }
            FixCheck::DoesNotClear { fix, remains } => write!(
                f,
                "no fix offered: {} does not remove it ({remains} remains)",
                fix.description
            ),
            FixCheck::Refused { fix, error } => write!(
                f,
                "no fix offered: the design refuses {} ({error})",
                fix.description
            ),
        }
    }
}

/// One thing that stops a pair, found while walking its path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocker {
    /// Stable reason code.
    pub code: ReasonCode,
    /// The blocking object (`nsg-b`, `peering a-to-b`, `rt-a/to-b`, …).
    pub at: String,
    /// A sentence a trainee understands, naming the blocking object.
    pub message: String,
    /// The contested behaviour this blocker depends on, with the value assumed.
    pub assumption: Option<Assumption>,
    /// How to remove it, when there is a clear single change. Unchecked in a plain
    /// [`Trace`]; in a checked one (see `fix_check`), only a proven fix is offered.
    pub fix: Option<Fix>,
    /// The design object the blocker is about, when it is one (the NSG, peering, route table,
    /// VM…), as `{"kind", "name"}`.
    pub object: Option<ObjectRef>,
    /// The peering settings the blocker or its fix is about, with every name people know them
    /// by ([`PeeringSetting`]).
    pub settings: Vec<PeeringSetting>,
    /// What checking the fix on a copy of the design found; `None` when it was not checked.
    pub fix_check: Option<FixCheck>,
}

/// One pair traced hop by hop, in both directions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trace {
    /// Source endpoint name.
    pub from: String,
    /// Destination endpoint name.
    pub to: String,
    /// The flow traced.
    #[serde(serialize_with = "flow_text")]
    pub flow: Flow,
    /// Reachable iff there are no blockers.
    pub verdict: Verdict,
    /// The request's path.
    pub forward: Vec<Hop>,
    /// The reply's path (empty when the request never arrives).
    pub reverse: Vec<Hop>,
    /// Every blocker on both paths, in path order.
    pub blockers: Vec<Blocker>,
}

impl Trace {
    /// The places `hops` pass through, in order, each once where consecutive steps happen at the
    /// same place (a gateway's route lookup and its forwarding are one stop): the breadcrumb
    /// of a path, never `gateway g › gateway g`.
    pub fn places(hops: &[Hop]) -> Vec<&str> {
        let mut places: Vec<&str> = Vec::with_capacity(hops.len());
        for hop in hops {
            if places.last() != Some(&hop.at.as_str()) {
                places.push(hop.at.as_str());
            }
        }
        places
    }

    /// Whether the request reached its destination: its last hop delivers it and no hop on
    /// the way denied or dropped it (the engine walks on past a denial to show the rest of the
    /// path, so a delivered last hop alone is not enough). Only then does a reply exist.
    pub fn request_arrived(&self) -> bool {
        self.forward
            .last()
            .is_some_and(|hop| hop.decision == HopDecision::Deliver)
            && !self
                .forward
                .iter()
                .any(|hop| matches!(hop.decision, HopDecision::Deny | HopDecision::Drop))
    }
}

fn flow_text<S: Serializer>(flow: &Flow, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(flow)
}

/// Why the engine could not answer a question about a design.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// No VM, site host or P2S client has this name.
    #[error("there is no endpoint `{name}`{}", suffix(.suggestion.as_ref()))]
    NoSuchEndpoint {
        /// The name asked for.
        name: String,
        /// A close name, or the few known ones.
        suggestion: Option<Suggestion>,
    },
    /// No subnet is called this (`vnet/subnet`).
    #[error("there is no subnet `{name}`{}", suffix(.suggestion.as_ref()))]
    NoSuchSubnet {
        /// The name asked for.
        name: String,
        /// A close name, or the few known ones.
        suggestion: Option<Suggestion>,
    },
}

/// `; did you mean …` after the sentence, or nothing.
fn suffix(suggestion: Option<&Suggestion>) -> String {
    suggestion.map_or_else(String::new, |s| format!("; {s}"))
}
