//! Intents (DESIGN.md §2): the expectations a design carries as its own tests, evaluated with
//! the engine's per-pair trace. A failing intent is an error naming what is missing, taken from
//! the trace's blockers (every blocker on both paths, with its reason code), and a fix: the
//! blockers' own fixes applied together (the engine's fixes, the same the matrix and `trace`
//! offer), else the fix of a configuration finding that repairs the flow (a one-sided peering
//! behind a `ROUTE_NONE`, say), or for a flow that should be blocked but is not, a deny rule in
//! the destination subnet's NSG. A fix is offered as an edit only when the engine proves it
//! ([`crate::engine::Trial`]): applied to a copy of the design, the intent holds and no intent
//! that held fails (blockers left after the first edits have their fixes batched after them);
//! otherwise it is advice that says what stands in the way.
//!
//! Given the session's all-pairs analysis of the same design, an intent with the analysis's
//! flow that holds is read from it instead of traced, so a refresh costs no trace per passing
//! intent; failing intents are always traced, for their explanation.

use super::{Code, Diagnostic, Remedy, Severity};
use crate::edit::{Edit, Object};
use crate::engine::{
    Analysis, Fix, FixCheck, ReasonCode, Trace, Tracer, Verdict, meets, merge, prove_for_intent,
};
use crate::model::{
    Access, AddressMatch, Design, Direction, EndpointKind, Expectation, Flow, Intent, NsgRule,
    ObjectKind, PortRange, plan::unique_name,
};
use serde::{Serialize, Serializer};

/// The result of evaluating one intent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntentOutcome {
    /// The intent's name.
    pub name: String,
    /// Source endpoint.
    pub from: String,
    /// Destination endpoint.
    pub to: String,
    /// The flow tested.
    #[serde(serialize_with = "as_text")]
    pub flow: Flow,
    /// What the design expects.
    #[serde(serialize_with = "as_text")]
    pub expect: Expectation,
    /// What the engine found; `None` when it could not evaluate the intent (unknown endpoint).
    pub actual: Option<Verdict>,
    /// Whether the expectation holds.
    pub pass: bool,
    /// The engine's reason codes of every blocker (e.g. `ROUTE_NONE`), empty when reachable.
    pub reasons: Vec<ReasonCode>,
}

fn as_text<T: std::fmt::Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

/// How many copies of the design one report may compile to prove fixes (each proof round
/// costs one). `vnetlab check` can afford many; the live session refreshes after every
/// keystroke, so it proves few and offers the rest as advice.
pub(super) const TRIALS_FOR_CHECK: usize = 32;
/// See [`TRIALS_FOR_CHECK`].
pub(super) const TRIALS_FOR_SESSION: usize = 4;

/// Evaluates every intent of the design, in design order, with a diagnostic for each that fails.
/// `config` are the design's configuration findings, whose fixes may repair a failing intent;
/// `analysis` and `compiled`, when given, must be of this very design; `trials` bounds the fixes
/// proven.
pub(super) fn evaluate(
    design: &Design,
    config: &[Diagnostic],
    (analysis, compiled): (Option<&Analysis>, Option<&Tracer>),
    trials: usize,
) -> (Vec<IntentOutcome>, Vec<Diagnostic>) {
    let mut budget = trials;
    let mut outcomes = Vec::with_capacity(design.intents.len());
    let mut found = Vec::new();
    let mut failed: Vec<(&Intent, Trace)> = Vec::new();
    // Compiled once, and only if some intent needs tracing and no compiled design was given.
    let mut own: Option<Tracer> = None;
    for intent in &design.intents {
        let mut outcome = IntentOutcome {
            name: intent.name.clone(),
            from: intent.from.clone(),
            to: intent.to.clone(),
            flow: intent.flow,
            expect: intent.expect,
            actual: None,
            pass: false,
            reasons: Vec::new(),
        };
        if let Some((verdict, reasons)) = from_analysis(analysis, intent)
            && meets(intent.expect, verdict)
        {
            outcome.actual = Some(verdict);
            outcome.pass = true;
            outcome.reasons = reasons;
            outcomes.push(outcome);
            continue;
        }
        let tracer = match compiled {
            Some(tracer) => tracer,
            None => own.get_or_insert_with(|| Tracer::new(design)),
        };
        match tracer.trace(&intent.from, &intent.to, intent.flow) {
            Err(error) => found.push(Diagnostic::new(
                Severity::Error,
                Code::IntentUnresolved,
                ObjectKind::Intent,
                &intent.name,
                format!("intent `{}` cannot be evaluated: {error}", intent.name),
            )),
            Ok(traced) => {
                outcome.actual = Some(traced.verdict);
                outcome.pass = meets(intent.expect, traced.verdict);
                outcome.reasons = traced.blockers.iter().map(|b| b.code).collect();
                if !outcome.pass {
                    failed.push((intent, traced));
                }
            }
        }
        outcomes.push(outcome);
    }
    // A fix must not make an intent that holds fail: those are known only now.
    let held: Vec<&Intent> = design
        .intents
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| o.pass)
        .map(|(i, _)| i)
        .collect();
    let mut prove = Proofs {
        design,
        held: &held,
        budget: &mut budget,
    };
    for (intent, traced) in &failed {
        found.push(failure(intent, traced, config, &mut prove));
    }
    (outcomes, found)
}

/// What proving a fix of a failing intent needs: the design, the intents that hold, and the
/// budget of trials left.
struct Proofs<'a> {
    design: &'a Design,
    held: &'a [&'a Intent],
    budget: &'a mut usize,
}

impl Proofs<'_> {
    /// The engine's proof that `fix` makes `intent` hold and breaks no intent that held;
    /// `None` when the budget is spent.
    // The error carries the withheld candidate (see `engine::explain::proof`).
    #[allow(clippy::result_large_err)]
    fn prove(&mut self, intent: &Intent, fix: Fix) -> Option<Result<Fix, FixCheck>> {
        prove_for_intent(self.design, intent, fix, self.held, self.budget)
            .map(|proved| proved.map(|(fix, _)| fix))
    }
}

/// The verdict and reason codes of the intent's pair, when the analysis evaluated its flow.
fn from_analysis(
    analysis: Option<&Analysis>,
    intent: &Intent,
) -> Option<(Verdict, Vec<ReasonCode>)> {
    let analysis = analysis.filter(|a| a.flow() == intent.flow)?;
    let (from, to) = (
        analysis.index_of(&intent.from)?,
        analysis.index_of(&intent.to)?,
    );
    Some((analysis.verdict(from, to), analysis.reason_codes(from, to)))
}

fn failure(
    intent: &Intent,
    traced: &Trace,
    config: &[Diagnostic],
    prove: &mut Proofs,
) -> Diagnostic {
    let expectation = format!(
        "expected {} → {} {} on {}",
        intent.from, intent.to, intent.expect, intent.flow
    );
    let (message, fix) = match intent.expect {
        Expectation::Reachable => {
            let why: Vec<String> = traced
                .blockers
                .iter()
                .map(|b| format!("{} ({})", clause(&b.message), b.code))
                .collect();
            (
                format!(
                    "intent `{}` fails: {expectation}, but it is blocked: {}",
                    intent.name,
                    why.join("; ")
                ),
                unblock(intent, traced, config, prove),
            )
        }
        Expectation::Blocked => {
            let mut path: Vec<&str> = Vec::new();
            for hop in &traced.forward {
                if path.last() != Some(&hop.at.as_str()) {
                    path.push(&hop.at);
                }
            }
            (
                format!(
                    "intent `{}` fails: {expectation}, but it is reachable along {}",
                    intent.name,
                    path.join(" → ")
                ),
                Some(block(intent, prove)),
            )
        }
    };
    Diagnostic::new(
        Severity::Error,
        Code::IntentFailed,
        ObjectKind::Intent,
        &intent.name,
        message,
    )
    .with_optional_fix(fix)
}

/// An engine sentence as a clause of ours: no final period, and a lower-case first letter
/// unless the first word is an acronym (`NSG`).
fn clause(sentence: &str) -> String {
    let sentence = sentence.trim().trim_end_matches('.');
    let mut chars = sentence.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => first
            .to_lowercase()
            .chain(sentence.chars().skip(1))
            .collect(),
        _ => sentence.to_string(),
    }
}

/// The blockers' fixes, applied in path order (skipping any the design refuses once the earlier
/// ones are in, such as a second copy of the same new peering), proven by the engine; when they
/// are not enough, the first configuration fix that is.
fn unblock(
    intent: &Intent,
    traced: &Trace,
    config: &[Diagnostic],
    prove: &mut Proofs,
) -> Option<Remedy> {
    let design = prove.design;
    let mut trial = design.clone();
    let mut edits = Vec::new();
    let mut steps = Vec::new();
    for fix in traced.blockers.iter().filter_map(|b| b.fix.as_ref()) {
        if edits.contains(&fix.edit) {
            continue;
        }
        if fix.edit.apply(&mut trial).is_ok() {
            edits.push(fix.edit.clone());
            steps.push(fix.description.trim_end_matches('.').to_string());
        }
    }
    let from_blockers = (!edits.is_empty()).then(|| Fix {
        description: steps.join("; then "),
        edit: merge(edits),
    });
    let blockers_proof = from_blockers
        .clone()
        .and_then(|fix| prove.prove(intent, fix));
    if let Some(Ok(fix)) = blockers_proof {
        return Some(Remedy::edit(fix.description, fix.edit));
    }
    let candidates = config
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .filter_map(|d| Some((d, d.fix.as_ref()?, d.fix.as_ref()?.edit.as_ref()?)));
    for (diagnostic, remedy, edit) in candidates {
        let fix = Fix {
            description: format!(
                "{} (fixes {} on {})",
                remedy.description, diagnostic.code, diagnostic.subject
            ),
            edit: edit.clone(),
        };
        match prove.prove(intent, fix) {
            Some(Ok(fix)) => return Some(Remedy::edit(fix.description, fix.edit)),
            Some(Err(_)) => continue,
            None => break,
        }
    }
    let description = from_blockers?.description;
    Some(Remedy::advice(match blockers_proof {
        Some(Err(FixCheck::BreaksIntents { intents, .. })) => format!(
            "{description}; but that makes {} fail",
            intents
                .iter()
                .map(|i| format!("intent `{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(Err(_)) => format!(
            "{description}; more changes are needed after that (run `vnetlab trace` on the pair)"
        ),
        _ => description,
    }))
}

/// A deny rule for exactly this flow from this source, in the NSG of the destination VM's
/// subnet, at the lowest free inbound priority.
fn block(intent: &Intent, prove: &mut Proofs) -> Remedy {
    let design = prove.design;
    let advice = || {
        Remedy::advice(format!(
            "deny {} from {} with an NSG rule on the subnet or NIC of {}, or remove the route or peering that carries it",
            intent.flow, intent.from, intent.to
        ))
    };
    let endpoints = design.endpoints();
    let source = endpoints.iter().find(|e| e.name == intent.from);
    let target = endpoints
        .iter()
        .find(|e| e.name == intent.to)
        .filter(|e| e.kind == EndpointKind::Vm);
    let (Some(source), Some(target)) = (source, target) else {
        return advice();
    };
    let nsg = target
        .vnet
        .as_deref()
        .and_then(|v| design.vnet(v))
        .and_then(|v| v.subnet(target.subnet.as_deref().unwrap_or_default()))
        .and_then(|s| s.nsg.as_deref())
        .and_then(|n| design.nsg(n));
    let Some(nsg) = nsg else {
        return advice();
    };
    let Some(priority) = nsg.free_priority(Direction::Inbound, NsgRule::PRIORITIES) else {
        return advice();
    };
    let name = unique_name(&format!("deny-{}", intent.name), |n| {
        nsg.rules.iter().any(|r| r.name.eq_ignore_ascii_case(n))
    });
    let protocol = intent.flow.protocol;
    let mut rule = NsgRule::new(&name, priority, Direction::Inbound, Access::Deny, protocol);
    rule.source = vec![AddressMatch::Cidr(source.ip.into())];
    if let Some(port) = intent.flow.port {
        rule.destination_ports = vec![PortRange::single(port)];
    }
    let mut changed = nsg.clone();
    changed.rules.push(rule);
    let fix = Fix {
        description: format!(
            "add rule `{name}` to NSG `{}`: deny {} from {} ({}) at priority {priority}",
            nsg.name, intent.flow, intent.from, source.ip
        ),
        edit: Edit::Replace(Object::Nsg(changed)),
    };
    match prove.prove(intent, fix) {
        Some(Ok(fix)) => Remedy::edit(fix.description, fix.edit),
        _ => advice(),
    }
}
