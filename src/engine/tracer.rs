//! The compiled design as callers keep it: a [`Tracer`] compiles a design once and then answers
//! every question about it (all pairs, one pair hop by hop, a subnet's effective routes)
//! without compiling again. It owns what it needs (the design through an [`Arc`]), so a
//! session keeps it for the revision and it can be built on another thread.

use super::allpairs::{analyze_classes, analyze_compiled};
use super::analysis::Analysis;
use super::classes::{Classes, locate, packet_for};
use super::compile::Compiled;
use super::explain::{Candidates, Scene};
use super::incremental::{Basis, Reuse, analyze_after};
use super::routes::{Routing, effective_rows};
use super::types::{Blocker, EffectiveRoute, EngineError, EngineKind, Trace, Verdict};
use super::walk::{PairOut, Spot, WalkSpec, walk_pair};
use crate::model::suggest::Suggestion;
use crate::model::{Design, Endpoint, Flow, PeeringIndex, SubnetRef};
use std::fmt;
use std::sync::Arc;

/// A design compiled once for many questions: all pairs, traces, effective routes.
///
/// ```
/// use vnetlab::engine::{EngineKind, Tracer, Verdict};
/// use vnetlab::model::{Design, Flow, SubnetRef};
/// let tracer = Tracer::new(&Design::example_pair());
/// let analysis = tracer.analyze(Flow::DEFAULT, EngineKind::Fast);
/// assert_eq!(analysis.verdict(0, 1), Verdict::Blocked);
/// let trace = tracer.trace_indexes(0, 1, Flow::DEFAULT).unwrap();
/// assert_eq!(trace.verdict, analysis.verdict(0, 1));
/// assert!(tracer.effective_routes(&SubnetRef::new("a", "default")).is_ok());
/// ```
#[derive(Clone)]
pub struct Tracer {
    pub(super) c: Compiled,
    endpoints: Arc<[Endpoint]>,
    pub(super) spots: Vec<Spot>,
}

impl fmt::Debug for Tracer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tracer")
            .field("design", &self.c.design.name)
            .field("endpoints", &self.endpoints.len())
            .field("contexts", &self.c.routing.contexts.len())
            .finish_non_exhaustive()
    }
}

impl Tracer {
    /// Compiles a copy of `design`.
    pub fn new(design: &Design) -> Self {
        Self::from_shared(Arc::new(design.clone()))
    }

    /// Compiles a shared design without copying it.
    pub fn from_shared(design: Arc<Design>) -> Self {
        let peerings = Arc::new(PeeringIndex::new(&design));
        Self::with_peerings(design, peerings)
    }

    /// [`Tracer::from_shared`] with the design's peering facts built already
    /// (`PeeringIndex::new` of this same design): the session builds them first, so lint can
    /// start on them while the rest compiles.
    pub fn with_peerings(design: Arc<Design>, peerings: Arc<PeeringIndex>) -> Self {
        Self::after(design, peerings, None)
    }

    /// [`Tracer::with_peerings`] for the revision after `previous`: when the design still lists
    /// the endpoints `previous` has (an edit that adds, removes, renames and moves none), the
    /// list is shared, not built again, and the compile keeps what the edit cannot have
    /// changed ([`Compiled::after`]).
    pub(crate) fn after(
        design: Arc<Design>,
        peerings: Arc<PeeringIndex>,
        previous: Option<&Tracer>,
    ) -> Self {
        let endpoints = match previous {
            // Endpoints come from the VMs, sites and gateways alone: when the edit left those
            // lists shared with the previous revision, so is the list of endpoints.
            Some(before) if lists_shared(&design, before.design()) => Arc::clone(&before.endpoints),
            Some(before) if design.lists_endpoints(&before.endpoints) => {
                Arc::clone(&before.endpoints)
            }
            _ => design.endpoints().into(),
        };
        let spots = locate(&design, &endpoints);
        Tracer {
            c: Compiled::after(design, peerings, previous.map(|before| &before.c)),
            endpoints,
            spots,
        }
    }

    /// The design compiled, as given (without the derived links the engine adds).
    // `c.design` holds the design with derived links; callers want the user's.
    #[allow(clippy::misnamed_getters)]
    pub fn design(&self) -> &Design {
        &self.c.source
    }

    /// The design compiled, as given, shared.
    pub fn shared_design(&self) -> &Arc<Design> {
        &self.c.source
    }

    /// The facts of the given design's peerings (state, sync level, violations), built once
    /// with the compile: what the session and lint read instead of deriving them again.
    pub fn peering_index(&self) -> &Arc<crate::model::PeeringIndex> {
        &self.c.source_peerings
    }

    /// The endpoints, in `Design::endpoints()` order (the indexes of every answer).
    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    /// Evaluates every ordered pair of endpoints for `flow`.
    pub fn analyze(&self, flow: Flow, kind: EngineKind) -> Analysis {
        self.analyze_with(flow, kind, None)
    }

    /// [`Tracer::analyze`] with a fixed number of threads (`None`: by size and cores).
    pub(crate) fn analyze_with(
        &self,
        flow: Flow,
        kind: EngineKind,
        threads: Option<usize>,
    ) -> Analysis {
        analyze_compiled(&self.c, &self.endpoints, &self.spots, flow, kind, threads)
    }

    /// The fast analysis for `flow`, keeping each class cell's footprint so that the analysis
    /// after the next edit ([`Tracer::analyze_after`]) re-walks only the cells it touches: what
    /// a session makes when it opens a design or changes the flow. It walks slower than
    /// [`Tracer::analyze`] (each read is checked against the cell's home VNets and the rest
    /// recorded: about 1.5–2× on `gen hub-spoke --hubs 2 --spokes 1000`) and keeps one more
    /// `u32` per cell.
    pub(crate) fn analyze_recorded(&self, flow: Flow) -> Analysis {
        let classes = Classes::of(&self.c, &self.spots);
        analyze_classes(
            &self.c,
            &self.endpoints,
            &self.spots,
            flow,
            classes,
            true,
            None,
        )
    }

    /// The fast analysis for `flow` after an edit: `before` is the previous revision's compiled
    /// design and `analysis` its fast analysis; the class cells the edit did not touch keep
    /// their outcome (see `incremental`), and the result equals [`Tracer::analyze`]'s.
    pub(crate) fn analyze_after(
        &self,
        flow: Flow,
        before: &Tracer,
        analysis: &Analysis,
    ) -> (Analysis, Reuse) {
        let basis = Basis {
            c: &before.c,
            spots: &before.spots,
            analysis,
        };
        analyze_after(&self.c, &self.endpoints, &self.spots, flow, &basis)
    }

    /// Traces the pair named `from` → `to`; see [`trace`](super::trace). The fixes are not
    /// checked ([`Tracer::trace_checked`] checks them).
    pub fn trace(&self, from: &str, to: &str, flow: Flow) -> Result<Trace, EngineError> {
        let (a, b) = (self.find(from)?, self.find(to)?);
        Ok(self
            .trace_indexes(a, b, flow)
            .unwrap_or_else(|| unreachable_trace(from, to, flow)))
    }

    /// The index of the endpoint named `name`, or the error naming it.
    pub(crate) fn find(&self, name: &str) -> Result<usize, EngineError> {
        self.endpoints
            .iter()
            .position(|e| e.name == name)
            .ok_or_else(|| EngineError::NoSuchEndpoint {
                name: name.to_string(),
                suggestion: Suggestion::for_name(
                    name,
                    self.endpoints.iter().map(|e| e.name.as_str()),
                ),
            })
    }

    /// Traces the pair at these endpoint indexes; `None` when an index is out of range.
    pub fn trace_indexes(&self, a: usize, b: usize, flow: Flow) -> Option<Trace> {
        self.explained(a, b, flow).map(|(trace, _)| trace)
    }

    /// [`Tracer::trace_indexes`], with each blocker's other candidate fixes and the peering
    /// settings its cause names (what checking a fix needs besides the trace).
    pub(crate) fn explained(
        &self,
        a: usize,
        b: usize,
        flow: Flow,
    ) -> Option<(Trace, Vec<Candidates>)> {
        let (src, dst) = (*self.spots.get(a)?, *self.spots.get(b)?);
        let packet = packet_for(flow, src, dst);
        let pair = if a == b {
            PairOut::default()
        } else {
            walk_pair(&self.c, WalkSpec::request(packet, src, dst, true))
        };
        let scene = Scene {
            c: &self.c,
            from: src,
            to: dst,
            packet,
            first_ctx: [pair.forward.first_ctx, pair.reverse.first_ctx],
        };
        let (blockers, candidates): (Vec<Blocker>, Vec<Candidates>) =
            pair.blockers().map(|raw| scene.explain_all(raw)).unzip();
        let trace = Trace {
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
        };
        Some((trace, candidates))
    }

    /// The verdict of one pair by the hop walk alone (no hops recorded, nothing explained):
    /// what checking an intent costs. `None` when an index is out of range.
    pub(crate) fn verdict_indexes(&self, a: usize, b: usize, flow: Flow) -> Option<Verdict> {
        let (src, dst) = (*self.spots.get(a)?, *self.spots.get(b)?);
        if a == b {
            return Some(Verdict::Reachable);
        }
        let pair = walk_pair(
            &self.c,
            WalkSpec::request(packet_for(flow, src, dst), src, dst, false),
        );
        Some(if pair.blockers().next().is_none() {
            Verdict::Reachable
        } else {
            Verdict::Blocked
        })
    }

    /// The effective route table of a subnet, in the order Azure lists it; see
    /// [`effective_routes`](super::effective_routes).
    pub fn effective_routes(&self, subnet: &SubnetRef) -> Result<Vec<EffectiveRoute>, EngineError> {
        let c = &self.c;
        let s = c
            .index
            .subnet_of(subnet)
            .ok_or_else(|| EngineError::NoSuchSubnet {
                name: subnet.to_string(),
                suggestion: Suggestion::for_name(
                    &subnet.to_string(),
                    c.index.subnets.iter().map(|s| s.name.as_str()),
                ),
            })?;
        Ok(effective_rows(
            &c.design,
            &c.index,
            c.ctx(Routing::of_subnet(s)),
        ))
    }
}

/// An empty trace, for indexes that were just found and so cannot be out of range.
/// Whether `design` still shares, with the `previous` revision, every list its endpoints come
/// from (VMs, sites, gateways: [`Design::endpoints`]), so that it has the same endpoints.
fn lists_shared(design: &Design, previous: &Design) -> bool {
    use crate::model::SharedVec;
    SharedVec::same(&design.vms, &previous.vms)
        && SharedVec::same(&design.sites, &previous.sites)
        && SharedVec::same(&design.gateways, &previous.gateways)
}

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
