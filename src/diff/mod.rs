//! Reachability diff of two designs, for pull requests (`vnetlab diff BEFORE AFTER`): what
//! changed ([`objects`]), which pairs of endpoints flipped between reachable and blocked and
//! why (the blockers' codes before and now, and the changed object on the path, `cause`),
//! which endpoints exist on one side only, whether the intents of AFTER hold, and whether a
//! pair the user protects flipped.
//!
//! Flipped pairs are never listed one by one: the engine folds them class by class into cells
//! of (source group, destination group, codes before, codes now) ([`flip_cells`]), and cells
//! with the same codes and the same cause form one [`FlipGroup`]. A change that flips a
//! million pairs between hundreds of spokes is one group with its list of cells.
//!
//! Cost: two compiles and, per flow, two all-pairs analyses; then O(keys²) key comparisons
//! (keys ≈ classes, see [`crate::engine::flip_cells`]), two traces per distinct attribution
//! (at most `cause::MAX_TRACED`), and one trace per intent.

mod cause;
pub mod objects;

pub use objects::{ChangeKind, FieldChange, ObjectChange, design_fields, object_changes};

use crate::edit::ObjectRef;
use crate::engine::{EngineKind, ReasonCode, Tracer, Verdict, flip_cells};
use crate::lint::IntentOutcome;
use crate::model::{Design, Endpoint, EndpointGroup, Expectation, Flow};
use cause::{Attributor, Question};
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A pair (or a set of pairs) whose verdict must not change: `SRC:DST`, each an endpoint name
/// or a group (a VNet, a site, a gateway's point-to-site clients) standing for its endpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Protect {
    /// The source endpoint or group.
    pub from: String,
    /// The destination endpoint or group.
    pub to: String,
}

impl std::str::FromStr for Protect {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text.split_once(':') {
            Some((from, to)) if !from.trim().is_empty() && !to.trim().is_empty() => Ok(Protect {
                from: from.trim().to_string(),
                to: to.trim().to_string(),
            }),
            _ => Err(format!(
                "invalid protected pair `{text}`: write it as SRC:DST, endpoint or VNet names, like vm-web:vm-db or spoke1:hub"
            )),
        }
    }
}

impl std::fmt::Display for Protect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.from, self.to)
    }
}

/// Why a diff cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    /// A side of a `--protect` names no endpoint or group in either design.
    #[error("--protect {spec}: `{name}` is no endpoint, VNet, site or gateway in BEFORE or AFTER")]
    UnknownProtected {
        /// The whole spec.
        spec: String,
        /// The side that matched nothing.
        name: String,
    },
}

/// What makes flipped cells one [`FlipGroup`]: the direction (0 now blocked, 1 now reachable,
/// so blocked groups sort first), the codes before and now, and the changed objects (indexes
/// into the object changes) on the path.
type GroupKey = (u8, Vec<ReasonCode>, Vec<ReasonCode>, Vec<usize>);

/// What to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffOptions {
    /// The flows evaluated (each gives its own [`FlowDiff`]).
    pub flows: Vec<Flow>,
    /// Pairs that must not flip.
    pub protect: Vec<Protect>,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            flows: vec![Flow::DEFAULT],
            protect: Vec::new(),
        }
    }
}

fn as_text<T: std::fmt::Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

/// Endpoints of one group present on one side only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupEndpoints {
    /// The group.
    #[serde(serialize_with = "as_text")]
    pub group: EndpointGroup,
    /// The endpoints' names, in design order.
    pub names: Vec<String>,
}

/// One (source group, destination group) cell of a [`FlipGroup`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlipCellSummary {
    /// The source group.
    #[serde(serialize_with = "as_text")]
    pub from: EndpointGroup,
    /// The destination group.
    #[serde(serialize_with = "as_text")]
    pub to: EndpointGroup,
    /// How many pairs flipped there.
    pub pairs: usize,
}

/// Pairs that flipped the same way, for the same reasons, because of the same change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlipGroup {
    /// The verdict now (the pairs had the other one before).
    pub now: Verdict,
    /// The blockers' codes before (empty when the pairs were reachable).
    pub before: Vec<ReasonCode>,
    /// The blockers' codes now (empty when the pairs are reachable).
    pub after: Vec<ReasonCode>,
    /// The changed objects found on the path (see the module docs of `cause`); empty when the
    /// change is design-wide (an assumption) or could not be placed.
    pub causes: Vec<ObjectRef>,
    /// How many pairs.
    pub pairs: usize,
    /// One of the pairs, as traced.
    pub example: (String, String),
    /// The cells, largest first.
    pub cells: Vec<FlipCellSummary>,
}

/// The flipped pairs of one flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowDiff {
    /// The flow.
    #[serde(serialize_with = "as_text")]
    pub flow: Flow,
    /// Pairs reachable before and blocked now.
    pub became_blocked: usize,
    /// Pairs blocked before and reachable now.
    pub became_reachable: usize,
    /// The groups, most pairs first.
    pub groups: Vec<FlipGroup>,
}

/// A protected pair set and how it fared for one flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProtectedOutcome {
    /// The spec, `SRC:DST`.
    #[serde(serialize_with = "as_text")]
    pub spec: Protect,
    /// The flow.
    #[serde(serialize_with = "as_text")]
    pub flow: Flow,
    /// Pairs of the spec that flipped.
    pub flipped: usize,
    /// One flipped pair, with its verdict now.
    pub example: Option<(String, String, Verdict)>,
    /// Endpoints of the spec in BEFORE that AFTER no longer has (their pairs are gone).
    pub gone: Vec<String>,
}

impl ProtectedOutcome {
    /// Whether the protection was broken: a pair flipped or an endpoint disappeared.
    pub fn broken(&self) -> bool {
        self.flipped > 0 || !self.gone.is_empty()
    }
}

/// Everything `vnetlab diff` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    /// Objects added, removed or changed.
    pub changes: Vec<ObjectChange>,
    /// Design-level fields that changed (name, description, assumptions).
    pub design_fields: Vec<FieldChange>,
    /// Endpoints only AFTER has, by group.
    pub added_endpoints: Vec<GroupEndpoints>,
    /// Endpoints only BEFORE has, by group.
    pub removed_endpoints: Vec<GroupEndpoints>,
    /// Per flow, the pairs that flipped.
    pub flows: Vec<FlowDiff>,
    /// Every intent of AFTER and its outcome there.
    pub intents: Vec<IntentOutcome>,
    /// Every `--protect` spec per flow.
    pub protected: Vec<ProtectedOutcome>,
}

impl DiffReport {
    /// Whether CI should fail: an intent of AFTER fails, or a protected pair flipped.
    pub fn failed(&self) -> bool {
        self.intents.iter().any(|i| !i.pass) || self.protected.iter().any(|p| p.broken())
    }
}

/// Compares two designs.
///
/// ```
/// use vnetlab::diff::{diff, DiffOptions};
/// use vnetlab::engine::Verdict;
/// use vnetlab::model::{Design, Peering};
/// let before = Design::example_pair();
/// let mut after = before.clone();
/// after.peerings.push(Peering::new("a-to-b", "a", "b"));
/// after.peerings.push(Peering::new("b-to-a", "b", "a"));
/// let report = diff(&before, &after, &DiffOptions::default()).unwrap();
/// assert_eq!(report.flows[0].became_reachable, 2);
/// let group = &report.flows[0].groups[0];
/// assert_eq!((group.now, group.before[0].as_str()), (Verdict::Reachable, "ROUTE_NONE"));
/// assert_eq!(group.causes.len(), 2); // both new peerings are on the path
/// ```
pub fn diff(
    before: &Design,
    after: &Design,
    options: &DiffOptions,
) -> Result<DiffReport, DiffError> {
    let changes = object_changes(before, after);
    let old = Tracer::new(before);
    let new = Tracer::new(after);
    let (added_endpoints, removed_endpoints) = one_sided(old.endpoints(), new.endpoints());
    let selections = options
        .protect
        .iter()
        .map(|spec| select(spec, old.endpoints(), new.endpoints()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut attributor = Attributor::new(&changes, &old, &new);
    let mut flows = Vec::new();
    let mut protected = Vec::new();
    for &flow in &options.flows {
        let was = old.analyze(flow, EngineKind::Fast);
        let is = new.analyze(flow, EngineKind::Fast);
        let endpoints = is.endpoints();
        let mut labels: Vec<EndpointGroup> = Vec::new();
        let mut ids: HashMap<EndpointGroup, usize> = HashMap::new();
        let groups: Vec<Option<usize>> = endpoints
            .iter()
            .map(|e| {
                let group = e.group();
                Some(*ids.entry(group.clone()).or_insert_with(|| {
                    labels.push(group);
                    labels.len() - 1
                }))
            })
            .collect();
        let cells = flip_cells(&was, &is, &groups, &groups);
        let mut by_cause: BTreeMap<GroupKey, FlipGroup> = BTreeMap::new();
        let (mut became_blocked, mut became_reachable) = (0, 0);
        for cell in &cells {
            let (a, b) = cell.example;
            let (from, to) = (&endpoints[a].name, &endpoints[b].name);
            let causes = attributor.explain(&Question {
                flow,
                now: cell.now,
                from: (&labels[cell.row], from),
                to: (&labels[cell.column], to),
                before: &cell.before,
                after: &cell.after,
            });
            match cell.now {
                Verdict::Blocked => became_blocked += cell.pairs,
                Verdict::Reachable => became_reachable += cell.pairs,
            }
            let order = u8::from(cell.now == Verdict::Reachable);
            let key = (order, cell.before.clone(), cell.after.clone(), causes);
            let group = by_cause.entry(key).or_insert_with_key(|key| FlipGroup {
                now: cell.now,
                before: cell.before.clone(),
                after: cell.after.clone(),
                causes: key.3.iter().map(|&i| changes[i].object.clone()).collect(),
                pairs: 0,
                example: (from.clone(), to.clone()),
                cells: Vec::new(),
            });
            group.pairs += cell.pairs;
            group.cells.push(FlipCellSummary {
                from: labels[cell.row].clone(),
                to: labels[cell.column].clone(),
                pairs: cell.pairs,
            });
        }
        let mut groups_out: Vec<FlipGroup> = by_cause.into_values().collect();
        for group in &mut groups_out {
            group.cells.sort_by_key(|c| std::cmp::Reverse(c.pairs));
        }
        groups_out.sort_by_key(|g| std::cmp::Reverse(g.pairs));
        for (spec, (rows, columns, gone)) in options.protect.iter().zip(&selections) {
            let rows: Vec<Option<usize>> = endpoints
                .iter()
                .map(|e| rows.contains(&e.name).then_some(0))
                .collect();
            let columns: Vec<Option<usize>> = endpoints
                .iter()
                .map(|e| columns.contains(&e.name).then_some(0))
                .collect();
            let flipped = flip_cells(&was, &is, &rows, &columns);
            protected.push(ProtectedOutcome {
                spec: spec.clone(),
                flow,
                flipped: flipped.iter().map(|c| c.pairs).sum(),
                example: flipped.first().map(|c| {
                    let (a, b) = c.example;
                    (endpoints[a].name.clone(), endpoints[b].name.clone(), c.now)
                }),
                gone: gone.clone(),
            });
        }
        flows.push(FlowDiff {
            flow,
            became_blocked,
            became_reachable,
            groups: groups_out,
        });
    }
    Ok(DiffReport {
        design_fields: design_fields(before, after),
        changes,
        added_endpoints,
        removed_endpoints,
        flows,
        intents: intents(&new),
        protected,
    })
}

/// Endpoints only AFTER has, and endpoints only BEFORE has, by group.
fn one_sided(
    before: &[Endpoint],
    after: &[Endpoint],
) -> (Vec<GroupEndpoints>, Vec<GroupEndpoints>) {
    let only = |these: &[Endpoint], others: &[Endpoint]| {
        let names: HashSet<&str> = others.iter().map(|e| e.name.as_str()).collect();
        let mut groups: Vec<GroupEndpoints> = Vec::new();
        for e in these.iter().filter(|e| !names.contains(e.name.as_str())) {
            let group = e.group();
            match groups.iter_mut().find(|g| g.group == group) {
                Some(g) => g.names.push(e.name.clone()),
                None => groups.push(GroupEndpoints {
                    group,
                    names: vec![e.name.clone()],
                }),
            }
        }
        groups
    };
    (only(after, before), only(before, after))
}

/// Whether an endpoint is `name` or belongs to the group called `name`.
fn picked(e: &Endpoint, name: &str) -> bool {
    e.name == name
        || match e.group() {
            EndpointGroup::Vnet(g) | EndpointGroup::Site(g) | EndpointGroup::P2sClients(g) => {
                g == name
            }
            EndpointGroup::Alone(_) => false,
        }
        || e.group().to_string() == name
}

type Selection = (HashSet<String>, HashSet<String>, Vec<String>);

/// The source and destination endpoints of a spec in AFTER, and those of BEFORE that AFTER no
/// longer has.
fn select(spec: &Protect, before: &[Endpoint], after: &[Endpoint]) -> Result<Selection, DiffError> {
    let mut sides = Vec::new();
    let mut gone = Vec::new();
    let now: HashSet<&str> = after.iter().map(|e| e.name.as_str()).collect();
    for name in [&spec.from, &spec.to] {
        let in_after: HashSet<String> = after
            .iter()
            .filter(|e| picked(e, name))
            .map(|e| e.name.clone())
            .collect();
        let in_before: Vec<String> = before
            .iter()
            .filter(|e| picked(e, name))
            .map(|e| e.name.clone())
            .collect();
        if in_after.is_empty() && in_before.is_empty() {
            return Err(DiffError::UnknownProtected {
                spec: spec.to_string(),
                name: name.clone(),
            });
        }
        for n in in_before {
            if !now.contains(n.as_str()) && !gone.contains(&n) {
                gone.push(n);
            }
        }
        sides.push(in_after);
    }
    let to = sides.pop().unwrap_or_default();
    let from = sides.pop().unwrap_or_default();
    Ok((from, to, gone))
}

/// Every intent of the design, traced.
fn intents(tracer: &Tracer) -> Vec<IntentOutcome> {
    tracer
        .design()
        .intents
        .iter()
        .map(|intent| {
            let traced = tracer.trace(&intent.from, &intent.to, intent.flow).ok();
            let actual = traced.as_ref().map(|t| t.verdict);
            let pass = matches!(
                (intent.expect, actual),
                (Expectation::Reachable, Some(Verdict::Reachable))
                    | (Expectation::Blocked, Some(Verdict::Blocked))
            );
            let mut reasons: Vec<ReasonCode> = Vec::new();
            for blocker in traced.iter().flat_map(|t| &t.blockers) {
                if !reasons.contains(&blocker.code) {
                    reasons.push(blocker.code);
                }
            }
            IntentOutcome {
                name: intent.name.clone(),
                from: intent.from.clone(),
                to: intent.to.clone(),
                flow: intent.flow,
                expect: intent.expect,
                actual,
                pass,
                reasons,
            }
        })
        .collect()
}
