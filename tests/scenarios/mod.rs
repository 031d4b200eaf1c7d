//! Builders and checks shared by the scenario tests (azure-semantics.md §12).
//!
//! Builders write a scenario the way §12 states it: `vnet(&mut d, "A", "10.1.0.0/16")`,
//! `peer_both(&mut d, "A", "B")`, `udr(&mut d, "A/s1", "10.2.0.0/16", appliance("10.0.1.4"))`.
//! They panic on a typo, which is what a test wants. `standard_*` builds the §12 conventions
//! (vmA1 = 10.1.1.4 in VNet A 10.1.0.0/16, and so on).
//!
//! [`evaluate`] runs a pair through both engines and `trace`, and checks on every call that the
//! fast and reference engines agree on *every* pair of the design, that the trace agrees
//! with the analysis, and that every fix `trace` offers for the pair is proven (`proof`);
//! scenarios then assert the verdict and the reason codes.

// Each scenario file uses a different subset of these helpers.
#![allow(dead_code)]

mod build;
mod proof;

pub use build::*;
pub use proof::*;
use vnetlab::engine::{
    self, Analysis, EffectiveRoute, EngineKind, Hop, ReasonCode, RouteSource, RouteState, Trace,
    Verdict,
};
use vnetlab::model::{Design, Flow};

// ---------------------------------------------------------------------------------------------
// Evaluation and checks
// ---------------------------------------------------------------------------------------------

/// One pair evaluated: the verdict and codes (both engines agree on them) and its trace.
#[derive(Debug)]
pub struct Outcome {
    pub from: String,
    pub to: String,
    pub flow: Flow,
    pub verdict: Verdict,
    /// Sorted, without repeats.
    pub codes: Vec<ReasonCode>,
    pub trace: Trace,
}

fn sorted(mut codes: Vec<ReasonCode>) -> Vec<ReasonCode> {
    codes.sort();
    codes.dedup();
    codes
}

fn assert_engines_agree(fast: &Analysis, reference: &Analysis) {
    let endpoints = fast.endpoints();
    assert_eq!(endpoints.len(), reference.endpoints().len());
    for i in 0..endpoints.len() {
        for j in 0..endpoints.len() {
            if i == j {
                continue;
            }
            let (a, b) = (&endpoints[i].name, &endpoints[j].name);
            assert_eq!(
                fast.verdict(i, j),
                reference.verdict(i, j),
                "fast and reference engines disagree on the verdict of {a} → {b}"
            );
            assert_eq!(
                sorted(fast.reason_codes(i, j)),
                sorted(reference.reason_codes(i, j)),
                "fast and reference engines disagree on the reasons of {a} → {b}"
            );
        }
    }
    assert_eq!(fast.summary(), reference.summary());
}

/// Evaluates `from` → `to` with `flow` (`tcp/443`, `icmp`…) after checking the design is sound.
pub fn evaluate(d: &Design, from: &str, to: &str, flow: &str) -> Outcome {
    assert_eq!(
        d.validate(),
        Vec::new(),
        "the scenario design itself must be valid"
    );
    let flow: Flow = flow.parse().unwrap_or_else(|e| panic!("{e}"));
    let fast = engine::analyze(d, flow, EngineKind::Fast);
    let reference = engine::analyze(d, flow, EngineKind::Reference);
    assert_engines_agree(&fast, &reference);
    let index = |name: &str| {
        fast.index_of(name)
            .unwrap_or_else(|| panic!("no endpoint {name}"))
    };
    let (i, j) = (index(from), index(to));
    let verdict = fast.verdict(i, j);
    let codes = sorted(fast.reason_codes(i, j));
    let trace = engine::trace(d, from, to, flow).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        trace.verdict, verdict,
        "trace and analysis disagree on {from} → {to}"
    );
    assert_eq!(
        sorted(trace.blockers.iter().map(|b| b.code).collect()),
        codes,
        "trace and analysis list different blockers for {from} → {to}"
    );
    for blocker in &trace.blockers {
        assert!(
            !blocker.message.trim().is_empty() && !blocker.at.trim().is_empty(),
            "every blocker says where and why: {blocker:?}"
        );
    }
    assert_pair_fixes_proven(d, from, to, flow);
    Outcome {
        from: from.to_string(),
        to: to.to_string(),
        flow,
        verdict,
        codes,
        trace,
    }
}

impl Outcome {
    fn context(&self) -> String {
        format!(
            "{} → {}: {:?} {:?}\nblockers: {:#?}",
            self.from, self.to, self.verdict, self.codes, self.trace.blockers
        )
    }

    /// Reachable, with no blocker at all.
    pub fn assert_reachable(&self) -> &Self {
        assert_eq!(self.verdict, Verdict::Reachable, "{}", self.context());
        assert!(self.codes.is_empty(), "{}", self.context());
        self
    }

    /// Blocked by exactly these codes.
    pub fn assert_blocked(&self, expected: &[ReasonCode]) -> &Self {
        assert_eq!(self.verdict, Verdict::Blocked, "{}", self.context());
        assert_eq!(self.codes, sorted(expected.to_vec()), "{}", self.context());
        self
    }

    /// Blocked, with at least one code and every code among `allowed` (for scenarios where §12
    /// leaves the code open between equally correct explanations).
    pub fn assert_blocked_by_one_of(&self, allowed: &[ReasonCode]) -> &Self {
        assert_eq!(self.verdict, Verdict::Blocked, "{}", self.context());
        assert!(!self.codes.is_empty(), "{}", self.context());
        assert!(
            self.codes.iter().all(|c| allowed.contains(c)),
            "{}",
            self.context()
        );
        self
    }

    /// Some blocker with `code` names `needle` in where it sits or in its sentence.
    pub fn assert_blocker_mentions(&self, code: ReasonCode, needle: &str) -> &Self {
        assert!(
            self.trace
                .blockers
                .iter()
                .any(|b| b.code == code && (b.at.contains(needle) || b.message.contains(needle))),
            "no {code} blocker mentions `{needle}`\n{}",
            self.context()
        );
        self
    }

    /// The blocker with `code` depends on the named assumption and says so.
    pub fn assert_blocker_names_assumption(&self, code: ReasonCode, assumption: &str) -> &Self {
        assert!(
            self.trace.blockers.iter().any(|b| b.code == code
                && b.assumption
                    .is_some_and(|a| a.to_string().contains(assumption))),
            "the {code} blocker does not name the assumption `{assumption}`\n{}",
            self.context()
        );
        self
    }

    /// Every blocker that offers a fix: applying its edit to a copy of `d` (the design this
    /// outcome was evaluated on) removes that blocker (same code at the same place), as the
    /// engine contract promises. At least one blocker must offer a fix.
    pub fn assert_fixes_work(&self, d: &Design) -> &Self {
        let mut checked = 0;
        for blocker in &self.trace.blockers {
            let Some(fix) = &blocker.fix else { continue };
            let mut fixed = d.clone();
            fix.edit
                .apply(&mut fixed)
                .unwrap_or_else(|e| panic!("the fix `{}` does not apply: {e}", fix.description));
            let after = engine::trace(&fixed, &self.from, &self.to, self.flow)
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(
                !after
                    .blockers
                    .iter()
                    .any(|b| b.code == blocker.code && b.at == blocker.at),
                "the fix `{}` leaves {} at {}: {:#?}",
                fix.description,
                blocker.code,
                blocker.at,
                after.blockers
            );
            checked += 1;
        }
        assert!(checked > 0, "no blocker offers a fix\n{}", self.context());
        self
    }

    /// Names of the appliances that forward the packet on the forward path.
    pub fn forward_appliances(&self) -> Vec<String> {
        forwarding_appliances(&self.trace.forward)
    }

    /// Names of the appliances that forward the reply.
    pub fn reverse_appliances(&self) -> Vec<String> {
        forwarding_appliances(&self.trace.reverse)
    }
}

fn forwarding_appliances(hops: &[Hop]) -> Vec<String> {
    hops.iter()
        .filter(|h| h.step == "appliance" && h.decision == "forward")
        .map(|h| h.at.clone())
        .collect()
}

/// Whether some hop of `hops` has this step (`peering`, `gateway`, `appliance`, `nsg-in`…).
pub fn has_step(hops: &[Hop], step: &str) -> bool {
    hops.iter().any(|h| h.step == step)
}

/// The effective routes of a subnet (`vnet/subnet`).
pub fn routes(d: &Design, subnet: &str) -> Vec<EffectiveRoute> {
    engine::effective_routes(d, &subnet_ref(subnet)).unwrap_or_else(|e| panic!("{e}"))
}

/// The route a subnet uses for `destination`: the longest Active prefix containing it.
pub fn route_for(d: &Design, subnet: &str, destination: &str) -> EffectiveRoute {
    let address = ip(destination);
    let table = routes(d, subnet);
    table
        .iter()
        .filter(|r| r.state == RouteState::Active && r.prefix.contains(&address))
        .max_by_key(|r| r.prefix.prefix_len())
        .cloned()
        .unwrap_or_else(|| panic!("{subnet} has no active route for {destination}: {table:#?}"))
}

/// Whether a subnet's effective routes hold a row with this prefix, source, next hop type and state.
pub fn has_route(
    d: &Design,
    subnet: &str,
    prefix: &str,
    source: RouteSource,
    hop: &str,
    state: RouteState,
) -> bool {
    let prefix = cidr(prefix);
    routes(d, subnet).iter().any(|r| {
        r.prefix == prefix && r.source == source && r.next_hop_type == hop && r.state == state
    })
}

/// Whether any Active route of the subnet has next hop type `VirtualNetworkGateway`.
pub fn has_gateway_routes(d: &Design, subnet: &str) -> bool {
    routes(d, subnet)
        .iter()
        .any(|r| r.state == RouteState::Active && r.source == RouteSource::VirtualNetworkGateway)
}

/// Applies the fix of the first blocker with `code` to a copy of the design and returns it.
pub fn apply_fix(d: &Design, outcome: &Outcome, code: ReasonCode) -> Design {
    let blocker = outcome
        .trace
        .blockers
        .iter()
        .find(|b| b.code == code)
        .unwrap_or_else(|| panic!("no {code} blocker\n{}", outcome.context()));
    let fix = blocker
        .fix
        .as_ref()
        .unwrap_or_else(|| panic!("the {code} blocker has no fix: {blocker:?}"));
    let mut fixed = d.clone();
    fix.edit
        .apply(&mut fixed)
        .unwrap_or_else(|e| panic!("the fix `{}` does not apply: {e}", fix.description));
    fixed
}
