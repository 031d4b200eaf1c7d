//! "As if every rule allowed it" (issue 11 item 7): the path routing alone gives a pair, and
//! every NSG and appliance rule on it that would drop the packet, so that routing problems and
//! filtering problems read apart.
//!
//! The hop walk already goes on past a denying NSG or appliance rule as if the rule allowed the
//! packet (it records the blocker and walks on; the reply honours the request's flow records
//! and sessions as if it had passed), so a trace's hops are the path routing alone takes and its
//! blockers include every rule on it. This module sorts them: rules on one side, everything
//! else (routing, peerings, IP forwarding, stateful appliances) on the other. Cost: one trace
//! with checked fixes ([`Tracer::trace_checked`]).

use crate::engine::tracer::Tracer;
use crate::engine::types::{Blocker, EngineError, Trace, Verdict};
use crate::model::{Design, Flow};
use serde::Serialize;

/// One pair as if every NSG and appliance rule allowed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PermitAll {
    /// The pair traced (with checked fixes): its hops are the path routing alone takes, its
    /// verdict the real one.
    pub trace: Trace,
    /// Reachable when routing alone gets the request there and the reply back, that is when
    /// every blocker is a rule.
    pub routed: Verdict,
    /// Every NSG and appliance rule on the path that drops the packet, request first, in path
    /// order (not only the first).
    pub rules: Vec<Blocker>,
    /// Every other blocker: routing, peerings, IP forwarding, stateful appliances.
    pub other: Vec<Blocker>,
}

impl PermitAll {
    /// Sorts the blockers of a trace.
    pub fn of(trace: Trace) -> PermitAll {
        let (rules, other): (Vec<Blocker>, Vec<Blocker>) = trace
            .blockers
            .iter()
            .cloned()
            .partition(|b| b.code.is_rule());
        let routed = if other.is_empty() {
            Verdict::Reachable
        } else {
            Verdict::Blocked
        };
        PermitAll {
            trace,
            routed,
            rules,
            other,
        }
    }
}

impl Tracer {
    /// The pair `from` → `to` as if every NSG and appliance rule allowed it; see [`PermitAll`].
    pub fn trace_permit_all(
        &self,
        from: &str,
        to: &str,
        flow: Flow,
    ) -> Result<PermitAll, EngineError> {
        self.trace_checked(from, to, flow).map(PermitAll::of)
    }
}

/// [`Tracer::trace_permit_all`] on a design compiled for this one question.
///
/// ```
/// use vnetlab::engine::{trace_permit_all, ReasonCode, Verdict};
/// use vnetlab::model::{Design, Flow};
/// let d = Design::example_pair(); // two VNets, not peered
/// let p = trace_permit_all(&d, "vm-a", "vm-b", Flow::DEFAULT).unwrap();
/// assert_eq!(p.routed, Verdict::Blocked); // no rule is to blame: routing is
/// assert!(p.rules.is_empty());
/// assert_eq!(p.other[0].code, ReasonCode::RouteNone);
/// ```
pub fn trace_permit_all(
    design: &Design,
    from: &str,
    to: &str,
    flow: Flow,
) -> Result<PermitAll, EngineError> {
    Tracer::new(design).trace_permit_all(from, to, flow)
}
