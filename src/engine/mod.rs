//! The reachability engine (DESIGN.md §3, azure-semantics.md §1–§4 and §8): compile the design
//! into index tables, compute each subnet's effective routes, evaluate NSGs, walk packets hop by
//! hop in both directions, evaluate all pairs (sharing work across equivalence classes), and
//! explain every blocker with a fix. Pure: no file system, no terminal.
//!
//! Modules, in the order data flows: `compile` (names → indexes, peering facts, gateway
//! prefixes), `routes` (effective routes and the `VirtualNetwork` tag), `nsg` (rule
//! evaluation), `walk` (the hop walk), `allpairs` (classes and the [`Analysis`]), `explain`
//! (messages and fixes), `delta` (pairs that flipped).

mod allpairs;
mod compile;
mod delta;
mod explain;
mod nsg;
mod routes;
mod types;
mod walk;

pub use allpairs::{Analysis, analyze};
pub use delta::{Delta, delta};
pub use types::{
    Blocker, EffectiveRoute, EngineError, EngineKind, Fix, Hop, ReasonCode, RouteSource,
    RouteState, Summary, Trace, Verdict,
};

use crate::model::{Design, Endpoint, Flow, SubnetRef};
use compile::Compiled;

/// Traces one pair hop by hop in both directions, with every blocker and its fix.
///
/// ```
/// use vnetlab::engine::{trace, ReasonCode, Verdict};
/// use vnetlab::model::{Design, Flow};
/// let d = Design::example_pair();
/// let t = trace(&d, "vm-a", "vm-b", Flow::DEFAULT).unwrap();
/// assert_eq!(t.verdict, Verdict::Blocked);
/// assert_eq!(t.blockers[0].code, ReasonCode::RouteNone);
/// assert!(t.blockers[0].fix.is_some());
/// assert!(trace(&d, "vm-x", "vm-b", Flow::DEFAULT).unwrap_err().to_string().contains("did you mean `vm-a`"));
/// ```
pub fn trace(design: &Design, from: &str, to: &str, flow: Flow) -> Result<Trace, EngineError> {
    Tracer::new(design).trace(from, to, flow)
}

/// Traces many pairs of one design, compiling it once (for `reach --json` and the TUI).
pub struct Tracer<'d> {
    c: Compiled<'d>,
    endpoints: Vec<Endpoint>,
    spots: Vec<walk::Spot>,
}

impl<'d> Tracer<'d> {
    /// Compiles `design` for tracing.
    pub fn new(design: &'d Design) -> Self {
        let c = Compiled::new(design);
        let endpoints = design.endpoints();
        let spots = allpairs::spots(&c, &endpoints);
        Tracer {
            c,
            endpoints,
            spots,
        }
    }

    /// The endpoints, in `Design::endpoints()` order.
    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    /// Traces the pair named `from` → `to`; see [`trace`].
    pub fn trace(&self, from: &str, to: &str, flow: Flow) -> Result<Trace, EngineError> {
        let find = |name: &str| {
            self.endpoints
                .iter()
                .position(|e| e.name == name)
                .ok_or_else(|| EngineError::NoSuchEndpoint {
                    name: name.to_string(),
                    suggestion: crate::model::suggest::did_you_mean(
                        name,
                        self.endpoints.iter().map(|e| e.name.as_str()),
                    ),
                })
        };
        let (a, b) = (find(from)?, find(to)?);
        Ok(self
            .trace_indexes(a, b, flow)
            .unwrap_or_else(|| unreachable_trace(from, to, flow)))
    }

    /// Traces the pair at these endpoint indexes; `None` when an index is out of range.
    pub fn trace_indexes(&self, a: usize, b: usize, flow: Flow) -> Option<Trace> {
        let (src, dst) = (*self.spots.get(a)?, *self.spots.get(b)?);
        let packet = allpairs::packet_for(flow, src, dst);
        let pair = if a == b {
            walk::PairOut::default()
        } else {
            walk::walk_pair(&self.c, src, dst, packet, true)
        };
        let scene = explain::Scene {
            c: &self.c,
            from: src,
            to: dst,
            packet,
            first_ctx: [pair.forward.first_ctx, pair.reverse.first_ctx],
        };
        let blockers: Vec<Blocker> = pair.blockers().map(|raw| scene.explain(raw)).collect();
        Some(Trace {
            from: self.endpoints[a].name.clone(),
            to: self.endpoints[b].name.clone(),
            flow,
            verdict: if blockers.is_empty() {
                Verdict::Reachable
            } else {
                Verdict::Blocked
            },
            forward: pair.forward.hops,
            reverse: pair.reverse.hops,
            blockers,
        })
    }
}

/// An empty trace, for indexes that were just found and so cannot be out of range.
fn unreachable_trace(from: &str, to: &str, flow: Flow) -> Trace {
    Trace {
        from: from.to_string(),
        to: to.to_string(),
        flow,
        verdict: Verdict::Blocked,
        forward: Vec::new(),
        reverse: Vec::new(),
        blockers: Vec::new(),
    }
}

/// The effective route table of a subnet, in the order Azure lists it.
///
/// ```
/// use vnetlab::engine::{effective_routes, RouteState};
/// use vnetlab::model::{Design, SubnetRef};
/// let routes = effective_routes(&Design::example_pair(), &SubnetRef::new("a", "default")).unwrap();
/// assert_eq!(routes[0].next_hop_type, "VnetLocal");
/// assert!(routes.iter().all(|r| r.state == RouteState::Active));
/// ```
pub fn effective_routes(
    design: &Design,
    subnet: &SubnetRef,
) -> Result<Vec<EffectiveRoute>, EngineError> {
    let c = Compiled::new(design);
    let s = c
        .subnet_of(subnet)
        .ok_or_else(|| EngineError::NoSuchSubnet {
            name: subnet.to_string(),
            suggestion: crate::model::suggest::did_you_mean(
                &subnet.to_string(),
                c.subnets.iter().map(|s| s.name.as_str()),
            ),
        })?;
    Ok(routes::effective_rows(&c, &c.contexts[s]))
}
