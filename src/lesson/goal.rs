//! Grading goals: each goal is checked on its own against the design, reachability goals with
//! the engine's trace (one compile for all of them), diagnostic goals against the design checks
//! the caller already has.

use super::constraint::ConstraintStatus;
use super::{Check, Lesson, Presence};
use crate::engine::{EngineError, Tracer, Verdict};
use crate::lint::{Code, Diagnostic, Severity};
use crate::model::{DeploymentModel, Design, Expectation, Peering, PeeringState, PeeringViolation};
use serde::Serialize;

/// The outcome of one goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoalStatus {
    /// The goal's index in the lesson.
    pub index: usize,
    /// The goal's checklist line.
    pub title: String,
    /// Whether it passes.
    pub pass: bool,
    /// The goal's pass or fail message, whichever applies.
    pub message: String,
    /// What the design shows, for the curious: the verdict and first blocker of a reachability
    /// goal, the diagnostic found, or the first error.
    pub detail: Option<String>,
}

/// A lesson's goals and constraints graded against one design.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grade {
    /// Every goal, in lesson order.
    pub goals: Vec<GoalStatus>,
    /// Every constraint, in lesson order.
    pub constraints: Vec<ConstraintStatus>,
}

impl Grade {
    /// How many goals pass.
    pub fn passed(&self) -> usize {
        self.goals.iter().filter(|g| g.pass).count()
    }

    /// How many goals there are.
    pub fn total(&self) -> usize {
        self.goals.len()
    }

    /// Whether every goal passes.
    pub fn all_goals_pass(&self) -> bool {
        self.goals.iter().all(|g| g.pass)
    }

    /// Whether every constraint holds.
    pub fn constraints_hold(&self) -> bool {
        self.constraints.iter().all(|c| c.holds)
    }

    /// Solved: every goal passes and no constraint is broken.
    pub fn solved(&self) -> bool {
        self.all_goals_pass() && self.constraints_hold()
    }
}

/// Grades every goal of `lesson` against `design`, whose design checks are `diagnostics`.
pub(super) fn check_goals(
    lesson: &Lesson,
    design: &Design,
    diagnostics: &[Diagnostic],
) -> Vec<GoalStatus> {
    // Compiled once, and only when some goal needs a trace.
    let mut tracer: Option<Tracer> = None;
    lesson
        .goals
        .iter()
        .enumerate()
        .map(|(index, goal)| {
            let (pass, detail) = match &goal.check {
                Check::Reach {
                    from,
                    to,
                    flow,
                    expect,
                } => {
                    let tracer = tracer.get_or_insert_with(|| Tracer::new(design));
                    match tracer.trace(from, to, *flow) {
                        Err(EngineError::NoSuchEndpoint { name, .. }) => (
                            false,
                            Some(format!("there is no endpoint `{name}` in this design yet")),
                        ),
                        Err(error) => (false, Some(error.to_string())),
                        Ok(trace) => {
                            let pass = matches!(
                                (expect, trace.verdict),
                                (Expectation::Reachable, Verdict::Reachable)
                                    | (Expectation::Blocked, Verdict::Blocked)
                            );
                            let detail = match trace.blockers.first() {
                                None => format!("{from} → {to} {flow}: reachable"),
                                Some(first) => format!(
                                    "{from} → {to} {flow}: blocked: {} ({})",
                                    first.message, first.code
                                ),
                            };
                            (pass, Some(detail))
                        }
                    }
                }
                Check::Diagnostic { code, on, expect } => {
                    let found = diagnostics.iter().find(|d| {
                        d.code == *code && on.as_ref().is_none_or(|name| &d.subject.name == name)
                    });
                    let pass = found.is_some() == (*expect == Presence::Present);
                    (pass, found.map(|d| format!("{}: {}", d.code, d.message)))
                }
                Check::NoErrors => {
                    let first = diagnostics.iter().find(|d| is_configuration_error(d));
                    (
                        first.is_none(),
                        first.map(|d| format!("{}: {}", d.code, d.message)),
                    )
                }
                Check::Peered { a, b } => peered(design, a, b),
            };
            GoalStatus {
                index,
                title: goal.title.clone(),
                pass,
                message: if pass { &goal.pass } else { &goal.fail }.clone(),
                detail,
            }
        })
        .collect()
}

/// Whether a link between `a` and `b` that Azure would accept is Connected, with what the links
/// show.
fn peered(design: &Design, a: &str, b: &str) -> (bool, Option<String>) {
    let links: Vec<&Peering> = design
        .peerings
        .iter()
        .filter(|p| (p.local == a && p.remote == b) || (p.local == b && p.remote == a))
        .collect();
    if links.is_empty() {
        return (false, Some(format!("no peering joins `{a}` and `{b}`")));
    }
    let mut pass = false;
    let shown: Vec<String> = links
        .iter()
        .map(|p| {
            let on_classic = design
                .vnet(&p.local)
                .is_some_and(|v| v.deployment == DeploymentModel::Classic);
            let refused = on_classic
                || design
                    .peering_violations(p)
                    .iter()
                    .any(PeeringViolation::invalidates_peering);
            let state = design.peering_state(p);
            pass |= !refused && state == PeeringState::Connected;
            if refused {
                format!("`{}`: refused by Azure", p.name)
            } else {
                format!("`{}`: {state}", p.name)
            }
        })
        .collect();
    (pass, Some(shown.join(", ")))
}

/// An error about the configuration (not a failed intent of the design itself).
fn is_configuration_error(d: &Diagnostic) -> bool {
    d.severity == Severity::Error && !matches!(d.code, Code::IntentFailed | Code::IntentUnresolved)
}

/// How a check is put in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wording {
    /// The checklist line a goal gets when its file gives no title ("vm-a reaches vm-b on
    /// tcp/3389").
    Title,
    /// The check as authors write it, for `vnetlab lesson show` ("vm-a → vm-b tcp/3389
    /// reachable").
    Terse,
}

impl Check {
    /// The check in words, as `wording` asks.
    pub fn words(&self, wording: Wording) -> String {
        let title = wording == Wording::Title;
        match self {
            Check::Reach {
                from,
                to,
                flow,
                expect,
            } => match (wording, expect) {
                (Wording::Terse, _) => format!("{from} → {to} {flow} {expect}"),
                (Wording::Title, Expectation::Reachable) => {
                    format!("{from} reaches {to} on {flow}")
                }
                (Wording::Title, Expectation::Blocked) => {
                    format!("{from} cannot reach {to} on {flow}")
                }
            },
            Check::Diagnostic { code, on, expect } => {
                let on = on.as_ref().map_or(String::new(), |n| {
                    if title {
                        format!(" on `{n}`")
                    } else {
                        format!(" on {n}")
                    }
                });
                match (wording, expect) {
                    (Wording::Title, Presence::Present) => format!("{code} is reported{on}"),
                    (Wording::Title, Presence::Absent) => format!("no {code}{on}"),
                    (Wording::Terse, Presence::Present) => format!("{code}{on} present"),
                    (Wording::Terse, Presence::Absent) => format!("{code}{on} absent"),
                }
            }
            Check::NoErrors if title => "Azure would accept the whole design".to_string(),
            Check::NoErrors => "no errors".to_string(),
            Check::Peered { a, b } if title => format!("{a} and {b} are peered (Connected)"),
            Check::Peered { a, b } => format!("{a} ⇄ {b} Connected"),
        }
    }
}
