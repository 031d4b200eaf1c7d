//! Predict, then reveal: the question a presenter asks about one pair before showing its
//! verdict ("reachable or blocked? and if blocked, which hop blocks it?"), built from the
//! engine's [`Trace`] of the pair and judged against it. Nothing here is written per lesson: the
//! hops offered are the places the trace walks through (both directions, and the reply pair's
//! own walk when the request never arrives), the blocking hop is the place of the trace's first
//! blocker, and the concept the reveal names is that blocker's reason-code description.
//!
//! Cost: building a question reads one or two traces the caller already has; linear in their
//! hops.

use crate::engine::{HopDecision, HopStep, ReasonCode, Trace, Verdict};
use crate::model::Flow;

/// At most this many hops are offered (the blocking hop is always one of them).
pub const MAX_CHOICES: usize = 6;

/// One place on the pair's path offered as the answer to "which hop blocks it?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HopChoice {
    /// The place, as the trace names it (`nsg-db`, ``peering `a-to-b` ``, `vnet-a/default`).
    pub at: String,
    /// What happens there, in words ("NSG, inbound", "route lookup").
    pub what: String,
}

impl HopChoice {
    /// The label a list shows: the place and what happens there.
    pub fn label(&self) -> String {
        if self.what.is_empty() {
            self.at.clone()
        } else {
            format!("{} ({})", self.at, self.what)
        }
    }
}

/// The question about one pair, with its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Source endpoint.
    pub from: String,
    /// Destination endpoint.
    pub to: String,
    /// The flow asked about.
    pub flow: Flow,
    /// The engine's verdict.
    pub verdict: Verdict,
    /// The hops offered, in path order: the request's, the blocker's place when the walk did
    /// not pass it, the reply's.
    pub choices: Vec<HopChoice>,
    /// The place of the first blocker (one of `choices`); `None` when reachable.
    pub blocking: Option<String>,
    /// The first blocker's reason code; `None` when reachable.
    pub code: Option<ReasonCode>,
    /// The first blocker's sentence, naming the blocking object; `None` when reachable.
    pub message: Option<String>,
    /// The request's path as places (`vnet-a/default › peering `a-to-b` › vm-b`).
    pub path: Vec<String>,
    /// The reply's path as places (empty when the request never arrives).
    pub reply: Vec<String>,
}

/// What the presenter or trainee predicted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prediction {
    /// The flow and its reply get through.
    Reachable,
    /// Something stops it; at this hop, when the hop was asked.
    Blocked(Option<String>),
}

/// How a prediction compares with the engine's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judgement {
    /// The verdict (and, when one was chosen, the blocking hop) is right.
    Right,
    /// Blocked is right, but another hop blocks it.
    WrongHop,
    /// The verdict is wrong.
    Wrong,
}

impl Judgement {
    /// Whether the prediction counts as right.
    pub fn is_right(self) -> bool {
        self == Judgement::Right
    }
}

/// What a hop step is, in words for the choice list.
fn step_words(step: HopStep) -> &'static str {
    match step {
        HopStep::NsgOut => "NSG, outbound",
        HopStep::Route => "route lookup: routes and UDRs",
        HopStep::Peering => "peering",
        HopStep::Appliance => "appliance: NVA or firewall",
        HopStep::Gateway => "gateway",
        HopStep::NsgIn => "NSG, inbound",
        HopStep::Deliver => "destination",
    }
}

impl Question {
    /// The question about `trace`'s pair. `reply_pair` is the trace of the opposite pair (`to`
    /// → `from`), whose places are offered too when the request's own walk is short (a packet
    /// dropped at its first route lookup passes nothing else).
    pub fn about(trace: &Trace, reply_pair: Option<&Trace>) -> Question {
        let first = trace.blockers.first();
        let blocking = first.map(|b| b.at.clone());
        let mut choices: Vec<HopChoice> = Vec::new();
        let offer = |at: &str, what: String, choices: &mut Vec<HopChoice>| {
            if !choices.iter().any(|c| c.at == at) {
                choices.push(HopChoice {
                    at: at.to_string(),
                    what,
                });
            }
        };
        let walks = [Some(&trace.forward), Some(&trace.reverse)]
            .into_iter()
            .chain(reply_pair.map(|r| Some(&r.forward)));
        let mut blocker_offered = false;
        for hops in walks.flatten() {
            for hop in hops {
                // The destination itself is no hop that could stop it, unless a blocker says
                // it is (no host owns the address).
                let is_blocker = blocking.as_deref() == Some(hop.at.as_str());
                if hop.decision == HopDecision::Deliver && !is_blocker {
                    continue;
                }
                offer(&hop.at, step_words(hop.step).to_string(), &mut choices);
            }
            // The blocker's place, where the walk did not pass it (a peering not connected is
            // named by the blocker, not walked), right after the request's hops.
            if !blocker_offered && let Some(blocker) = first {
                let what = blocker
                    .object
                    .as_ref()
                    .map_or_else(String::new, |o| o.kind.to_string());
                offer(&blocker.at, what, &mut choices);
                blocker_offered = true;
            }
        }
        // Keep the blocking hop when cutting the list.
        if choices.len() > MAX_CHOICES {
            let keep = blocking.as_deref();
            let mut kept = Vec::with_capacity(MAX_CHOICES);
            let mut spare = MAX_CHOICES - usize::from(keep.is_some());
            for choice in choices {
                if Some(choice.at.as_str()) == keep {
                    kept.push(choice);
                } else if spare > 0 {
                    spare -= 1;
                    kept.push(choice);
                }
            }
            choices = kept;
        }
        let places = |hops: &[crate::engine::Hop]| {
            Trace::places(hops)
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        Question {
            from: trace.from.clone(),
            to: trace.to.clone(),
            flow: trace.flow,
            verdict: trace.verdict,
            choices,
            blocking,
            code: first.map(|b| b.code),
            message: first.map(|b| b.message.clone()),
            path: places(&trace.forward),
            reply: places(&trace.reverse),
        }
    }

    /// Whether "which hop blocks it?" is worth asking: there is more than one hop to choose.
    pub fn asks_hop(&self) -> bool {
        self.choices.len() > 1
    }

    /// How `prediction` compares with the engine's answer.
    pub fn judge(&self, prediction: &Prediction) -> Judgement {
        match (prediction, self.verdict) {
            (Prediction::Reachable, Verdict::Reachable) => Judgement::Right,
            (Prediction::Blocked(None), Verdict::Blocked) => Judgement::Right,
            (Prediction::Blocked(Some(at)), Verdict::Blocked) => {
                if self.blocking.as_deref() == Some(at.as_str()) {
                    Judgement::Right
                } else {
                    Judgement::WrongHop
                }
            }
            _ => Judgement::Wrong,
        }
    }

    /// What the pair illustrates: the first blocker's reason code and its description, from
    /// the engine's code list; `None` when reachable.
    pub fn concept(&self) -> Option<(ReasonCode, &'static str)> {
        self.code.map(|c| (c, c.description()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::parse_design;

    fn design() -> crate::model::Design {
        parse_design(
            r#"Design(version: 1, name: "q",
                vnets: [
                    Vnet(name: "vnet-a", region: "eastus", address_space: ["10.1.0.0/16"], subnets: [Subnet(name: "default", prefix: "10.1.1.0/24")]),
                    Vnet(name: "vnet-b", region: "eastus", address_space: ["10.2.0.0/16"], subnets: [Subnet(name: "default", prefix: "10.2.1.0/24", nsg: "nsg-b")]),
                ],
                peerings: [
                    Peering(name: "a-to-b", local: "vnet-a", remote: "vnet-b"),
                    Peering(name: "b-to-a", local: "vnet-b", remote: "vnet-a"),
                ],
                nsgs: [Nsg(name: "nsg-b", rules: [NsgRule(name: "deny-a", priority: 100, direction: Inbound, access: Deny, source: ["10.1.0.0/16"])])],
                vms: [
                    Vm(name: "vm-a", nics: [Nic(subnet: "vnet-a/default", ip: "10.1.1.4")]),
                    Vm(name: "vm-b", nics: [Nic(subnet: "vnet-b/default", ip: "10.2.1.4")]),
                ],
            )"#,
            "q.ron",
        )
        .expect("the test design parses")
    }

    fn question(from: &str, to: &str) -> Question {
        let design = design();
        let flow = Flow::default();
        let trace = crate::engine::trace(&design, from, to, flow).expect("traced");
        let back = crate::engine::trace(&design, to, from, flow).expect("traced");
        Question::about(&trace, Some(&back))
    }

    #[test]
    fn the_blocking_hop_is_the_traces_first_blocker_and_is_offered() {
        let q = question("vm-a", "vm-b");
        assert_eq!(q.verdict, Verdict::Blocked);
        assert_eq!(q.blocking.as_deref(), Some("nsg-b"));
        assert_eq!(q.code, Some(ReasonCode::NsgDeny));
        let places: Vec<&str> = q.choices.iter().map(|c| c.at.as_str()).collect();
        assert!(places.contains(&"nsg-b"), "{places:?}");
        assert!(places.contains(&"peering `a-to-b`"), "{places:?}");
        assert!(!places.contains(&"vm-b"), "{places:?}");
        assert!(q.asks_hop());
        assert_eq!(
            q.judge(&Prediction::Blocked(Some("nsg-b".into()))),
            Judgement::Right
        );
        assert_eq!(
            q.judge(&Prediction::Blocked(Some("peering `a-to-b`".into()))),
            Judgement::WrongHop
        );
        assert_eq!(q.judge(&Prediction::Reachable), Judgement::Wrong);
        assert_eq!(
            q.concept().map(|c| c.1),
            Some(ReasonCode::NsgDeny.description())
        );
    }

    #[test]
    fn a_blocker_the_walk_does_not_pass_is_offered_after_the_requests_hops() {
        // One side of the peering only: Initiated, so the route lookup drops the packet and
        // the blocker names the peering, which no hop walked.
        let mut design = design();
        design.peerings.retain(|p| p.name == "a-to-b");
        design.nsgs.clear();
        for vnet in &mut design.vnets {
            for subnet in &mut vnet.subnets {
                subnet.nsg = None;
            }
        }
        let flow = Flow::default();
        let trace = crate::engine::trace(&design, "vm-a", "vm-b", flow).expect("traced");
        let back = crate::engine::trace(&design, "vm-b", "vm-a", flow).expect("traced");
        let q = Question::about(&trace, Some(&back));
        assert_eq!(q.code, Some(ReasonCode::PeeringNotConnected));
        let blocking = q.blocking.clone().expect("blocked");
        assert!(!trace.forward.iter().any(|h| h.at == blocking));
        let places: Vec<&str> = q.choices.iter().map(|c| c.at.as_str()).collect();
        assert_eq!(places[0], "vnet-a/default", "{places:?}");
        assert_eq!(places[1], blocking, "{places:?}");
        assert!(places.contains(&"vnet-b/default"), "{places:?}");
        assert!(q.choices.len() <= MAX_CHOICES);
    }

    #[test]
    fn a_reachable_pair_is_judged_on_its_verdict() {
        let q = question("vm-b", "vm-a");
        assert_eq!(q.verdict, Verdict::Reachable);
        assert_eq!(q.blocking, None);
        assert_eq!(q.judge(&Prediction::Reachable), Judgement::Right);
        assert_eq!(q.judge(&Prediction::Blocked(None)), Judgement::Wrong);
        assert!(q.concept().is_none());
        assert_eq!(q.path.last().map(String::as_str), Some("vm-a"));
    }
}
