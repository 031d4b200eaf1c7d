//! [`Analysis`]: the verdict and reason codes of every ordered pair of endpoints for one flow,
//! stored per (source class, destination class) cell of [`Classes`](super::classes), with the
//! interned outcomes, the pair counts and (fast engine, in a session) each cell's footprint.
//! `allpairs` and `incremental` build it; everything else reads it.
//!
//! Cost: one `u32` outcome id per class cell, in tiles shared with the previous revision where an
//! edit left them (`grid`), and one endpoint-name index (shared while the names are the same);
//! reading a pair is a tile look-up and two indexed loads.

use super::footprint::CellReads;
use super::grid::Grid;
use super::ix::ClassIx;
use super::types::{ReasonCode, Summary, Verdict};
use crate::model::{Endpoint, Flow};
use std::collections::HashMap;
use std::sync::Arc;

/// The result of evaluating every ordered pair of endpoints for one flow.
#[derive(Debug, Clone)]
pub struct Analysis {
    flow: Flow,
    endpoints: Arc<[Endpoint]>,
    /// Endpoint index by name, shared with the previous revision's analysis while the names
    /// are the same (rebuilding it was a millisecond per edit at 10,000 endpoints).
    by_name: Arc<HashMap<String, usize>>,
    class_of: Vec<ClassIx>,
    classes: usize,
    /// Outcome id per (source class, destination class), in copy-on-write tiles: the analysis
    /// after an edit shares every tile it does not re-walk with the previous one, where a flat
    /// copy was 4 MB per edit at 1,008 classes (16 MB at 2,008). Readers of many cells of a row
    /// copy the row out first ([`Analysis::copy_class_row`]).
    cells: Grid,
    /// Interned outcomes; id 0 is "reachable, no codes".
    outcomes: Vec<Vec<ReasonCode>>,
    summary: Summary,
    /// What each cell's walk read (fast engine): shared, as it is read by the next revision.
    footprints: Option<Arc<CellReads>>,
    /// Tells analyses apart (a clone keeps it: it has the same verdicts).
    id: u64,
    /// The analysis this one was made from by re-walking only some cells: its id, the
    /// re-walked cells (`a * classes + b`, ascending) and, when the edit split or merged
    /// classes, each class's previous class whose cells it carried ([`Rewalked`]). Every other
    /// cell has that analysis's outcome, so a delta from it reads these alone.
    rewalked: Option<(u64, Rewalked)>,
}

/// How an analysis was made from an earlier one by re-walking some cells (see
/// [`Analysis::rewalked_since`]).
#[derive(Debug, Clone)]
pub(crate) struct Rewalked {
    /// The re-walked cells, `a * classes + b`, ascending.
    pub cells: Arc<[usize]>,
    /// `None`: the classes are the earlier analysis's. Otherwise, per class, the earlier class
    /// with exactly its members whose cells it carried (a cell between two such classes that
    /// was not re-walked has the outcome of their earlier classes' cell); `None` for a class
    /// whose cells were all re-walked.
    pub carried: Option<Arc<[Option<usize>]>>,
}

/// The next [`Analysis`] id.
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Analysis {
    /// The flow evaluated.
    pub fn flow(&self) -> Flow {
        self.flow
    }

    /// The endpoints, in `Design::endpoints()` order.
    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    /// The endpoints, shared (a delta names its pairs from them without copying the names).
    pub(crate) fn shared_endpoints(&self) -> Arc<[Endpoint]> {
        Arc::clone(&self.endpoints)
    }

    /// The verdict of each outcome id: what a delta compares cell by cell.
    pub(super) fn verdicts_by_id(&self) -> Vec<Verdict> {
        self.outcomes
            .iter()
            .map(|codes| verdict_of(codes))
            .collect()
    }

    /// The outcome ids of class `a`'s row (one per destination class), into `out`.
    pub(super) fn copy_class_row(&self, a: ClassIx, out: &mut Vec<u32>) {
        self.cells.row_into(usize::from(a), out);
    }

    /// The outcome id of cell (`a`, `b`).
    pub(super) fn class_cell(&self, a: ClassIx, b: ClassIx) -> u32 {
        self.cells.get(usize::from(a), usize::from(b))
    }

    /// The index of the endpoint with this name (the last one, if a name is used twice).
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    fn outcome(&self, from: usize, to: usize) -> &[ReasonCode] {
        if from == to {
            return &[];
        }
        match (self.class_of.get(from), self.class_of.get(to)) {
            (Some(&a), Some(&b)) => self.class_outcome(a, b),
            _ => &[],
        }
    }

    fn class_outcome(&self, a: ClassIx, b: ClassIx) -> &[ReasonCode] {
        &self.outcomes[self.class_cell(a, b) as usize]
    }

    /// The verdict for a pair (indexes into [`Analysis::endpoints`]); a self-pair is reachable.
    pub fn verdict(&self, from: usize, to: usize) -> Verdict {
        verdict_of(self.outcome(from, to))
    }

    /// The codes of every blocker on the pair's request and reply paths, in path order.
    pub fn reason_codes(&self, from: usize, to: usize) -> Vec<ReasonCode> {
        self.outcome(from, to).to_vec()
    }

    /// [`Analysis::reason_codes`], borrowed (no allocation per pair, for callers that visit
    /// millions of pairs).
    pub fn reasons(&self, from: usize, to: usize) -> &[ReasonCode] {
        self.outcome(from, to)
    }

    /// Pair counts (self-pairs excluded).
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// The class of each endpoint.
    pub(crate) fn class_of(&self) -> &[ClassIx] {
        &self.class_of
    }

    /// The verdict between two classes (a class with itself: between its distinct members).
    pub(crate) fn class_verdict(&self, a: ClassIx, b: ClassIx) -> Verdict {
        verdict_of(self.class_outcome(a, b))
    }

    /// The reason codes between two classes (a class with itself: between its distinct
    /// members); empty when reachable.
    pub(crate) fn class_codes(&self, a: ClassIx, b: ClassIx) -> &[ReasonCode] {
        self.class_outcome(a, b)
    }

    /// How many equivalence classes the endpoints fell into (the number of endpoints for the
    /// reference engine).
    pub fn classes(&self) -> usize {
        self.classes
    }
}

fn verdict_of(codes: &[ReasonCode]) -> Verdict {
    if codes.is_empty() {
        Verdict::Reachable
    } else {
        Verdict::Blocked
    }
}

/// Whether two endpoint lists have the same names in the same order.
fn same_names(these: &Arc<[Endpoint]>, those: &Arc<[Endpoint]>) -> bool {
    Arc::ptr_eq(these, those)
        || these.len() == those.len()
            && these
                .iter()
                .zip(those.iter())
                .all(|(a, b)| a.name == b.name)
}

impl Analysis {
    /// An analysis of `endpoints` from its class cells. Its endpoint-name index is
    /// `names_like`'s when that analysis has the same names in the same order (see
    /// [`Analysis::sharing_names_with`]); otherwise it is built, one `String` per endpoint.
    pub(super) fn assemble(
        flow: Flow,
        (endpoints, names_like): (&Arc<[Endpoint]>, Option<&Analysis>),
        class_of: Vec<ClassIx>,
        classes: usize,
        (cells, outcomes): (Grid, Vec<Vec<ReasonCode>>),
        summary: Summary,
        footprints: Option<Arc<CellReads>>,
    ) -> Self {
        let by_name = match names_like {
            Some(before) if same_names(endpoints, &before.endpoints) => Arc::clone(&before.by_name),
            _ => Arc::new(
                endpoints
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.name.clone(), i))
                    .collect(),
            ),
        };
        Analysis {
            flow,
            endpoints: Arc::clone(endpoints),
            by_name,
            class_of,
            classes,
            cells,
            outcomes,
            summary,
            footprints,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            rewalked: None,
        }
    }

    /// This analysis, made from `before` by re-walking `cells` alone with the same classes.
    pub(super) fn rewalked_from(mut self, before: &Analysis, cells: Vec<usize>) -> Self {
        if self.class_of == before.class_of && self.classes == before.classes {
            let rewalked = Rewalked {
                cells: cells.into(),
                carried: None,
            };
            self.rewalked = Some((before.id, rewalked));
        }
        self
    }

    /// This analysis, made from `before` by an edit that split or merged classes: `cells` were
    /// re-walked, and every other cell between two classes with an earlier class in `carried`
    /// (one per class) holds the outcome of those earlier classes' cell.
    pub(super) fn carried_from(
        mut self,
        before: &Analysis,
        cells: Vec<usize>,
        carried: Vec<Option<usize>>,
    ) -> Self {
        if carried.len() == self.classes && carried.iter().flatten().all(|&x| x < before.classes) {
            let rewalked = Rewalked {
                cells: cells.into(),
                carried: Some(carried.into()),
            };
            self.rewalked = Some((before.id, rewalked));
        }
        self
    }

    /// How this analysis was made from `before` by re-walking some cells, when it was
    /// ([`Analysis::rewalked_from`], [`Analysis::carried_from`]): only those cells, and the
    /// cells of classes it did not carry, can differ.
    pub(super) fn rewalked_since(&self, before: &Analysis) -> Option<&Rewalked> {
        match &self.rewalked {
            Some((id, rewalked)) if *id == before.id => Some(rewalked),
            _ => None,
        }
    }

    /// This analysis with `before`'s name index when their endpoints have the same names in
    /// the same order (the usual edit: nothing added, removed or renamed).
    pub(super) fn sharing_names_with(mut self, before: &Analysis) -> Self {
        if same_names(&self.endpoints, &before.endpoints) {
            self.by_name = Arc::clone(&before.by_name);
        }
        self
    }

    /// Whether `other` is known to list the same endpoint names in the same order, each name
    /// once: it shares this analysis's name index ([`Analysis::sharing_names_with`]), or is
    /// this analysis. Then an endpoint's index in one is its index in the other.
    pub(super) fn same_names_as(&self, other: &Analysis) -> bool {
        Arc::ptr_eq(&self.by_name, &other.by_name) && self.by_name.len() == self.endpoints.len()
    }

    /// What each cell's walk read (the fast engine only): what the next revision's analysis
    /// checks against its edit to reuse the cell.
    pub(super) fn footprints(&self) -> Option<&CellReads> {
        self.footprints.as_deref()
    }

    /// The outcome id of each cell and the outcomes, as stored.
    pub(super) fn cell_outcomes(&self) -> (&Grid, &[Vec<ReasonCode>]) {
        (&self.cells, &self.outcomes)
    }
}
