//! Proven fixes (issue 11 item 6): before a fix is offered, it is applied to a copy of the
//! design ([`Trial`]) and the pair is traced again there. The fix is proven when its blocker is
//! gone, no blocker sits on an object the fix changed (a new reverse peering that must also
//! allow forwarded traffic, say), and every intent of the design that held still holds.
//!
//! When the first edit leaves a blocker on an object it changed, that blocker's own fix is
//! batched after it (at most [`MAX_EDITS`] edits, one [`Edit::Batch`]: one undo step). When the
//! first candidate breaks an intent, the blocker's other candidates are tried (removing the
//! denying rule instead of adding an allowing one); when every candidate fails, no fix is offered
//! and the [`FixCheck`] says why.
//!
//! One place for everyone: `vnetlab trace` checks every blocker's fix
//! ([`Tracer::trace_checked`]); the TUI checks the fix of the pair it shows
//! ([`Tracer::check_blocker`]); lint proves its intent fixes with the same [`Trial`] and the same
//! batching ([`prove_for_intent`]). Cost: a copy of the design, one compile and one trace of the
//! pair per edit tried, plus a walk per intent that held; nothing evaluates all pairs.

use crate::edit::{Edit, EditError, ObjectRef};
use crate::engine::tracer::Tracer;
use crate::engine::types::{Blocker, EngineError, Fix, FixCheck, Trace, Verdict};
use crate::model::{Design, Expectation, Flow, Intent};
use std::sync::Arc;

/// At most this many edits are batched into one fix.
pub const MAX_EDITS: usize = 3;

/// Whether a pair with `verdict` meets `expect`.
///
/// ```
/// use vnetlab::engine::{meets, Verdict};
/// use vnetlab::model::Expectation;
/// assert!(meets(Expectation::Blocked, Verdict::Blocked));
/// assert!(!meets(Expectation::Reachable, Verdict::Blocked));
/// ```
pub fn meets(expect: Expectation, verdict: Verdict) -> bool {
    matches!(
        (expect, verdict),
        (Expectation::Reachable, Verdict::Reachable) | (Expectation::Blocked, Verdict::Blocked)
    )
}

/// A copy of a design with an edit applied, compiled: what a fix is tried on.
#[derive(Debug)]
pub struct Trial {
    tracer: Tracer,
}

impl Trial {
    /// Applies `edit` to a copy of `design` and compiles it; the error is the design's refusal.
    pub fn new(design: &Design, edit: &Edit) -> Result<Trial, EditError> {
        let mut copy = design.clone();
        edit.apply(&mut copy)?;
        Ok(Trial {
            tracer: Tracer::from_shared(Arc::new(copy)),
        })
    }

    /// The compiled copy.
    pub fn tracer(&self) -> &Tracer {
        &self.tracer
    }

    /// The intents among `intents` that fail on the copy (an intent whose endpoint the edit
    /// removed fails too).
    pub fn broken<'i>(&self, intents: &[&'i Intent]) -> Vec<&'i Intent> {
        intents
            .iter()
            .copied()
            .filter(|i| self.tracer.intent_holds(i) != Some(true))
            .collect()
    }
}

impl Tracer {
    /// Whether `intent` holds on this design, by the hop walk of its pair alone; `None` when an
    /// endpoint is unknown.
    pub fn intent_holds(&self, intent: &Intent) -> Option<bool> {
        let (a, b) = (self.find(&intent.from).ok()?, self.find(&intent.to).ok()?);
        let verdict = self.verdict_indexes(a, b, intent.flow)?;
        Some(meets(intent.expect, verdict))
    }

    /// The design's intents that hold, in design order (one walk each).
    pub fn held_intents(&self) -> Vec<&Intent> {
        self.design()
            .intents
            .iter()
            .filter(|i| self.intent_holds(i) == Some(true))
            .collect()
    }

    /// [`Tracer::trace`], with every blocker's fix checked on a copy of the design: a blocker
    /// offers a fix only when it is proven, and its `fix_check` says what the check found.
    /// Cost: per blocker with a candidate fix, a compile and a trace per edit tried, plus a walk
    /// per intent.
    pub fn trace_checked(&self, from: &str, to: &str, flow: Flow) -> Result<Trace, EngineError> {
        let (a, b) = (self.find(from)?, self.find(to)?);
        let Some((mut trace, candidates)) = self.explained(a, b, flow) else {
            return self.trace(from, to, flow);
        };
        let prover = Prover {
            design: self.design(),
            from: &trace.from,
            to: &trace.to,
            flow,
            before: &trace.blockers.clone(),
            held: self.held_intents(),
        };
        let checked: Vec<Blocker> = trace
            .blockers
            .iter()
            .cloned()
            .zip(candidates)
            .map(|(blocker, candidates)| prover.check(blocker, candidates))
            .collect();
        trace.blockers = checked;
        Ok(trace)
    }

    /// Blocker `index` of `trace` (a trace of this design) with its fix checked, as
    /// [`Tracer::trace_checked`] checks it: for a caller that shows one blocker at a time. `None`
    /// when the trace does not match this design.
    pub fn check_blocker(&self, trace: &Trace, index: usize) -> Option<Blocker> {
        let (a, b) = (self.find(&trace.from).ok()?, self.find(&trace.to).ok()?);
        let (fresh, mut candidates) = self.explained(a, b, trace.flow)?;
        let blocker = fresh.blockers.get(index)?.clone();
        if blocker.code != trace.blockers.get(index)?.code {
            return None;
        }
        let prover = Prover {
            design: self.design(),
            from: &fresh.from,
            to: &fresh.to,
            flow: fresh.flow,
            before: &fresh.blockers,
            held: self.held_intents(),
        };
        Some(prover.check(blocker, candidates.swap_remove(index)))
    }
}

/// Proves fixes for the blockers of one traced pair.
struct Prover<'a> {
    design: &'a Design,
    from: &'a str,
    to: &'a str,
    flow: Flow,
    /// Every blocker of the pair as it is.
    before: &'a [Blocker],
    /// The intents that hold as the design is.
    held: Vec<&'a Intent>,
}

impl Prover<'_> {
    /// The blocker with its first proven candidate as its fix, or with none and the reason.
    fn check(&self, mut blocker: Blocker, candidates: super::Candidates) -> Blocker {
        let Some(first) = blocker.fix.take() else {
            return blocker;
        };
        let mut failures = Vec::new();
        let mut proven = None;
        for candidate in std::iter::once(first).chain(candidates.alternatives) {
            match self.prove(&blocker, candidate) {
                Ok(found) => {
                    proven = Some(found);
                    break;
                }
                Err(failure) => failures.push(failure),
            }
        }
        let (fix, check) = match proven {
            Some((fix, rounds)) => (Some(fix), FixCheck::Proven { rounds }),
            None => {
                // Say that an intent stands in the way when one does: that is the news.
                let first_breaking = failures
                    .iter()
                    .position(|f| matches!(f, FixCheck::BreaksIntents { .. }))
                    .unwrap_or(0);
                (None, failures.swap_remove(first_breaking))
            }
        };
        blocker.settings = super::settings(self.design, candidates.named, fix.as_ref());
        blocker.fix = fix;
        blocker.fix_check = Some(check);
        blocker
    }

    /// Proves one candidate, batching the fixes of blockers it leaves on objects it changed;
    /// the proven fix and how many edits it batches, or why it fails.
    // The error is the withheld candidate with why; it is made once per blocker, so boxing
    // it would cost a field of indirection everywhere for nothing.
    #[allow(clippy::result_large_err)]
    fn prove(&self, target: &Blocker, candidate: Fix) -> Result<(Fix, usize), FixCheck> {
        let mut steps = vec![candidate];
        loop {
            let fix = batched(&steps);
            let trial = match Trial::new(self.design, &fix.edit) {
                Ok(trial) => trial,
                Err(error) => {
                    return Err(FixCheck::Refused {
                        fix,
                        error: error.to_string(),
                    });
                }
            };
            let Ok(after) = trial.tracer.trace(self.from, self.to, self.flow) else {
                return Err(FixCheck::DoesNotClear {
                    fix,
                    remains: format!("the pair {} → {} itself", self.from, self.to),
                });
            };
            if let Some(same) = after.blockers.iter().find(|b| same_blocker(b, target)) {
                return Err(FixCheck::DoesNotClear {
                    remains: format!("{} at {}", same.code, same.at),
                    fix,
                });
            }
            let touched = touched(&fix.edit);
            let caused = after.blockers.iter().find(|b| {
                !self.before.iter().any(|old| same_blocker(old, b))
                    && b.object.as_ref().is_some_and(|o| touched.contains(o))
            });
            match caused {
                None => {
                    let broken = trial.broken(&self.held);
                    if broken.is_empty() {
                        return Ok((fix, steps.len()));
                    }
                    return Err(FixCheck::BreaksIntents {
                        fix,
                        intents: broken.iter().map(|i| i.name.clone()).collect(),
                    });
                }
                Some(next) => match &next.fix {
                    Some(more) if steps.len() < MAX_EDITS => steps.push(more.clone()),
                    _ => {
                        return Err(FixCheck::DoesNotClear {
                            remains: format!("{} at {}", next.code, next.at),
                            fix,
                        });
                    }
                },
            }
        }
    }
}

/// Proves a fix meant to make `intent` hold on `design` (lint's fix of a failing intent):
/// applied to a copy, the intent holds and none of `held` fails. While the intent still fails,
/// the fixes of the blockers left on its pair are batched after the edits so far (at most
/// [`MAX_EDITS`] rounds). Each round compiles a copy and spends one of `budget`; `None` when the
/// budget ran out before an answer.
pub(crate) fn prove_for_intent(
    design: &Design,
    intent: &Intent,
    first: Fix,
    held: &[&Intent],
    budget: &mut usize,
) -> Option<Result<(Fix, usize), FixCheck>> {
    let mut steps = vec![first];
    loop {
        *budget = budget.checked_sub(1)?;
        let fix = batched(&steps);
        let trial = match Trial::new(design, &fix.edit) {
            Ok(trial) => trial,
            Err(error) => {
                let error = error.to_string();
                return Some(Err(FixCheck::Refused { fix, error }));
            }
        };
        if trial.tracer.intent_holds(intent) == Some(true) {
            let broken = trial.broken(held);
            return Some(if broken.is_empty() {
                Ok((fix, steps.len()))
            } else {
                Err(FixCheck::BreaksIntents {
                    fix,
                    intents: broken.iter().map(|i| i.name.clone()).collect(),
                })
            });
        }
        let after = trial
            .tracer
            .trace(&intent.from, &intent.to, intent.flow)
            .ok();
        let remains = after.as_ref().map_or_else(
            || "the intent's pair".to_string(),
            |t| {
                let codes: Vec<&str> = t.blockers.iter().map(|b| b.code.as_str()).collect();
                codes.join(", ")
            },
        );
        let more: Vec<Fix> = after
            .into_iter()
            .flat_map(|t| t.blockers)
            .filter_map(|b| b.fix)
            .collect();
        if more.is_empty() || steps.len() >= MAX_EDITS {
            return Some(Err(FixCheck::DoesNotClear { fix, remains }));
        }
        steps.extend(more);
    }
}

/// Whether two blockers (of one pair, possibly on two versions of the design) are the same.
fn same_blocker(a: &Blocker, b: &Blocker) -> bool {
    a.code == b.code && a.at == b.at && a.message == b.message
}

/// The steps as one fix: the single edit, or a batch ([`merge`]d), described in order.
fn batched(steps: &[Fix]) -> Fix {
    match steps {
        [one] => one.clone(),
        many => Fix {
            description: many
                .iter()
                .map(|f| f.description.trim_end_matches('.'))
                .collect::<Vec<_>>()
                .join("; then "),
            edit: merge(many.iter().map(|f| f.edit.clone())),
        },
    }
}

/// Edits as one batch, flattened, with a later replacement of an object folded into the edit
/// that added or replaced it before (so a batch adds a new link once, with its final settings).
pub(crate) fn merge(edits: impl IntoIterator<Item = Edit>) -> Edit {
    let mut flat: Vec<Edit> = Vec::new();
    let mut stack: Vec<Edit> = edits.into_iter().collect();
    stack.reverse();
    while let Some(edit) = stack.pop() {
        match edit {
            Edit::Batch(inner) => stack.extend(inner.into_iter().rev()),
            Edit::Replace(object) => {
                let target = object.reference();
                let earlier = flat.iter_mut().rev().find(|e| match e {
                    Edit::Add { object: o, .. } | Edit::Replace(o) => o.reference() == target,
                    _ => false,
                });
                match earlier {
                    Some(Edit::Add { object: o, .. } | Edit::Replace(o)) => *o = object,
                    _ => flat.push(Edit::Replace(object)),
                }
            }
            other => flat.push(other),
        }
    }
    match flat.len() {
        1 => flat.remove(0),
        _ => Edit::Batch(flat),
    }
}

/// The objects an edit adds, changes or removes.
fn touched(edit: &Edit) -> Vec<ObjectRef> {
    match edit {
        Edit::Add { object, .. } | Edit::Replace(object) => vec![object.reference()],
        Edit::Remove(target) | Edit::Withdraw(target) | Edit::Rename { target, .. } => {
            vec![target.clone()]
        }
        Edit::SyncPeering(name) => vec![ObjectRef::new(crate::model::ObjectKind::Peering, name)],
        Edit::Batch(edits) => edits.iter().flat_map(touched).collect(),
        Edit::SetAssumptions(_) | Edit::SetInfo { .. } => Vec::new(),
    }
}
