//! The reachability engine (DESIGN.md §3, azure-semantics.md §1–§4 and §8): compile the design
//! into index tables, compute each subnet's effective routes, evaluate NSGs, walk packets hop by
//! hop in both directions, evaluate all pairs (sharing work across equivalence classes), and
//! explain every blocker with a fix. Pure: no file system, no terminal. It answers for any
//! [`Design`] value, valid or not: dangling names are skipped, never unwrapped.
//!
//! Modules, in the order data flows (each uses only those before it):
//! - `ix` (typed indexes) and `prefixes` (constant prefixes);
//! - the compile stages `index` (names → indexes, peering facts; with `learned` what gateways
//!   know over VNet-to-VNet and BGP, `servers` the Route Servers' routes, `groups` the AVNM
//!   connected groups), `routes`
//!   (effective routes, the `VirtualNetwork` tag, gateway advertisements), `nsg` and
//!   `policies` (NSGs compiled per subnet context), tied together by `compile`;
//! - `walk` (the hop walk, whose reads of route contexts, NSG points and peerings are recorded),
//!   `classes` (where endpoints sit, equivalence classes over the atoms of `design_prefixes`),
//!   `footprint` (what a class cell's walk read, and what an edit changed), `grid` (per-cell
//!   ids in copy-on-write tiles),
//!   `analysis` (the [`Analysis`]: every pair's verdict and codes, per class cell),
//!   `allpairs` (walking every cell into one), `incremental` (the analysis
//!   after an edit, re-walking only touched cells), `explain` (messages and candidate fixes),
//!   `tracer` (the compiled design callers keep), `proof` (fixes proven on a traced copy) and
//!   `permit` (the path as if every rule allowed it), `delta` (pairs that flipped), `fold`
//!   (verdicts folded by endpoint group), `grouped` (the same, one cell at a time on demand)
//!   and `diff_cells` (pairs that flipped between two designs, folded by group and reason).

mod allpairs;
mod analysis;
mod class_keys;
mod classes;
mod compile;
mod delta;
mod design_prefixes;
mod diff_cells;
mod explain;
mod fold;
mod footprint;
mod grid;
mod grouped;
mod groups;
mod incremental;
mod index;
mod ix;
mod learned;
mod nsg;
mod per_nic;
mod permit;
mod policies;
mod prefixes;
mod proof;
mod routes;
mod servers;
mod tracer;
mod types;
mod walk;

pub use analysis::Analysis;
pub use delta::{Delta, delta};
pub use diff_cells::{FlipCell, flip_cells};
pub use fold::{FoldCell, FoldVerdict, Folded};
pub use grouped::GroupedVerdicts;
pub use permit::{PermitAll, trace_permit_all};
pub(crate) use prefixes::RESERVED;
pub use proof::{MAX_EDITS, Trial, meets};
pub(crate) use proof::{merge, prove_for_intent};
pub use tracer::Tracer;
pub use types::{
    Assumption, Blocker, EffectiveRoute, EngineError, EngineKind, Fix, FixCheck, Hop, HopDecision,
    HopStep, NextHopType, PeeringSetting, ReasonCode, RouteSource, RouteState, Summary, Trace,
    Verdict,
};

use crate::model::{Design, Flow, SubnetRef};

/// Evaluates every ordered pair of endpoints of `design` for `flow` (compiling a copy of it; a
/// caller with more questions keeps a [`Tracer`]).
///
/// ```
/// use vnetlab::engine::{analyze, EngineKind, ReasonCode, Verdict};
/// use vnetlab::model::{Design, Flow};
/// let analysis = analyze(&Design::example_pair(), Flow::DEFAULT, EngineKind::Fast);
/// assert_eq!(analysis.verdict(0, 1), Verdict::Blocked);
/// assert_eq!(analysis.reason_codes(0, 1), [ReasonCode::RouteNone]);
/// ```
pub fn analyze(design: &Design, flow: Flow, kind: EngineKind) -> Analysis {
    Tracer::new(design).analyze(flow, kind)
}

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

/// [`trace`], with every blocker's fix checked on a copy of the design
/// ([`Tracer::trace_checked`]): what `vnetlab trace` prints.
///
/// ```
/// use vnetlab::engine::{trace_checked, FixCheck};
/// use vnetlab::model::{Design, Flow};
/// let t = trace_checked(&Design::example_pair(), "vm-a", "vm-b", Flow::DEFAULT).unwrap();
/// assert_eq!(t.blockers[0].fix_check, Some(FixCheck::Proven { rounds: 1 }));
/// ```
pub fn trace_checked(
    design: &Design,
    from: &str,
    to: &str,
    flow: Flow,
) -> Result<Trace, EngineError> {
    Tracer::new(design).trace_checked(from, to, flow)
}

/// The effective route table of a subnet, in the order Azure lists it.
///
/// ```
/// use vnetlab::engine::{effective_routes, NextHopType, RouteState};
/// use vnetlab::model::{Design, SubnetRef};
/// let routes = effective_routes(&Design::example_pair(), &SubnetRef::new("a", "default")).unwrap();
/// assert_eq!(routes[0].next_hop_type, NextHopType::VnetLocal);
/// assert!(routes.iter().all(|r| r.state == RouteState::Active));
/// ```
pub fn effective_routes(
    design: &Design,
    subnet: &SubnetRef,
) -> Result<Vec<EffectiveRoute>, EngineError> {
    Tracer::new(design).effective_routes(subnet)
}
