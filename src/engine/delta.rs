//! Delta: the pairs whose verdict flipped between two analyses, matched by endpoint name so
//! added, removed or reordered endpoints never produce false flips (a pair present in only one
//! analysis did not flip).
//!
//! A pair's verdict depends only on its endpoints' classes, so endpoints are grouped by their
//! (class before, class after) combination and combinations are compared, not the millions of
//! pairs. The delta keeps that grouping rather than a list of pairs: one edit to a hub can flip
//! more than a million pairs of a large design, and the session computes a delta after every
//! keystroke. Counts and per-pair questions are answered from the grouping; the pairs are
//! listed, in endpoint order, only when someone iterates them.

use super::analysis::{Analysis, Rewalked};
use super::ix::ClassIx;
use super::types::Verdict;
use crate::model::Endpoint;
use rustc_hash::FxHashMap;
use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::sync::Arc;

/// A (class before, class after) combination of endpoints present in both analyses.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub(crate) struct Combo(u32);

impl Combo {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// Pairs that flipped between two analyses, by endpoint name; indexes are those of the newer
/// analysis.
#[derive(Debug, Clone, Default)]
pub struct Delta {
    /// The newer analysis's endpoints, shared with it (their names name the pairs).
    endpoints: Arc<[Endpoint]>,
    /// Per endpoint of the newer analysis: its (class before, class after) combination, or
    /// `None` for an endpoint the older analysis did not have.
    combo_of: Vec<Option<Combo>>,
    /// How many combinations there are.
    combos: usize,
    /// Per (source combination, destination combination), row-major: the verdict its pairs
    /// flipped to, `None` when they did not flip.
    flips: Vec<Option<Verdict>>,
    /// Per combination: whether any pair starting there flipped.
    row_flips: Vec<bool>,
    reachable: usize,
    blocked: usize,
}

impl Delta {
    /// Whether nothing flipped.
    pub fn is_empty(&self) -> bool {
        self.reachable == 0 && self.blocked == 0
    }

    /// How many pairs were blocked before and are reachable now.
    pub fn reachable_count(&self) -> usize {
        self.reachable
    }

    /// How many pairs were reachable before and are blocked now.
    pub fn blocked_count(&self) -> usize {
        self.blocked
    }

    /// The verdict the pair flipped to (indexes into the newer analysis's endpoints), or `None`
    /// when it did not flip: a self-pair, a pair with a new endpoint, or an index out of range.
    pub fn flipped(&self, from: usize, to: usize) -> Option<Verdict> {
        if from == to {
            return None;
        }
        let (a, b) = ((*self.combo_of.get(from)?)?, (*self.combo_of.get(to)?)?);
        self.combo_flip(a, b)
    }

    /// The verdict the pairs from combination `a` to `b` flipped to, if they flipped.
    pub(crate) fn combo_flip(&self, a: Combo, b: Combo) -> Option<Verdict> {
        self.flips[a.index() * self.combos + b.index()]
    }

    /// Each endpoint's combination (`None`: new), by index into the newer analysis.
    pub(crate) fn combo_of(&self) -> &[Option<Combo>] {
        &self.combo_of
    }

    /// The pairs blocked before and reachable now, by name, in endpoint order.
    pub fn became_reachable(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.pairs(Verdict::Reachable)
    }

    /// The pairs reachable before and blocked now, by name, in endpoint order.
    pub fn became_blocked(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.pairs(Verdict::Blocked)
    }

    fn pairs(&self, now: Verdict) -> impl Iterator<Item = (&str, &str)> + '_ {
        let n = self.endpoints.len();
        (0..n)
            .filter(|&a| self.combo_of[a].is_some_and(|combo| self.row_flips[combo.index()]))
            .flat_map(move |a| {
                (0..n)
                    .filter(move |&b| self.flipped(a, b) == Some(now))
                    .map(move |b| {
                        let name = |i: usize| self.endpoints[i].name.as_str();
                        (name(a), name(b))
                    })
            })
    }
}

/// Two deltas are equal when the same pairs flipped the same way.
impl PartialEq for Delta {
    fn eq(&self, other: &Self) -> bool {
        self.reachable == other.reachable
            && self.blocked == other.blocked
            && self.became_reachable().eq(other.became_reachable())
            && self.became_blocked().eq(other.became_blocked())
    }
}

impl Eq for Delta {}

/// Serialised as the two lists of `[from, to]` name pairs.
impl Serialize for Delta {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Pairs<'a>(&'a Delta, Verdict);
        impl Serialize for Pairs<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.pairs(self.1))
            }
        }
        let mut state = serializer.serialize_struct("Delta", 2)?;
        state.serialize_field("became_reachable", &Pairs(self, Verdict::Reachable))?;
        state.serialize_field("became_blocked", &Pairs(self, Verdict::Blocked))?;
        state.end()
    }
}

/// The pairs that became reachable or blocked from `before` to `after`.
pub fn delta(before: &Analysis, after: &Analysis) -> Delta {
    // Endpoints of `after` that also exist in `before`, grouped by class combination.
    let mut index: FxHashMap<(ClassIx, ClassIx), Combo> = FxHashMap::default();
    let mut keys: Vec<(ClassIx, ClassIx)> = Vec::new();
    let mut sizes: Vec<usize> = Vec::new();
    // After the usual edit the endpoints are the same, in the same order: no lookup by name.
    let same_names = after.same_names_as(before);
    let combo_of: Vec<Option<Combo>> = after
        .endpoints()
        .iter()
        .enumerate()
        .map(|(new, endpoint)| {
            let old = if same_names {
                new
            } else {
                before.index_of(&endpoint.name)?
            };
            let key = (before.class_of()[old], after.class_of()[new]);
            let id = *index.entry(key).or_insert_with(|| {
                keys.push(key);
                sizes.push(0);
                Combo((keys.len() - 1) as u32)
            });
            sizes[id.index()] += 1;
            Some(id)
        })
        .collect();
    let combos = keys.len();
    let mut flips = vec![None; combos * combos];
    let mut row_flips = vec![false; combos];
    let (mut reachable, mut blocked) = (0, 0);
    // Every combination pair reads two cells: verdicts by outcome id and whole rows of cells,
    // taken once per source combination, keep the million reads of a big design to two loads
    // and a table look-up each.
    let (verdicts_before, verdicts_after) = (before.verdicts_by_id(), after.verdicts_by_id());
    let mut compare = |(a, b): (usize, usize), was: Verdict, is: Verdict| {
        if was == is {
            return;
        }
        // Every ordered pair of distinct endpoints of the two combinations.
        let pairs = sizes[a] * sizes[b] - if a == b { sizes[a] } else { 0 };
        if pairs == 0 {
            return;
        }
        flips[a * combos + b] = Some(is);
        row_flips[a] = true;
        match is {
            Verdict::Reachable => reachable += pairs,
            Verdict::Blocked => blocked += pairs,
        }
    };
    match after.rewalked_since(before).filter(|_| same_names) {
        // Re-walked from `before`: only the re-walked cells, and the cells of the combinations
        // whose class was not carried from their class before, can differ (a one-subnet edit:
        // ≈2,000 of 10^6 cells, and one or two classes when it split or merged some).
        Some(Rewalked { cells, carried }) => {
            let n = after.classes();
            // Per class after: its combination, when its cells were carried from the class
            // before of that combination (then it is the only combination with that class).
            let mut combo_of_class: Vec<Option<usize>> = vec![None; n];
            let mut others = Vec::new();
            for (k, &(was, is)) in keys.iter().enumerate() {
                let kept = carried.as_deref().is_none_or(|carried| {
                    carried.get(usize::from(is)).copied().flatten() == Some(usize::from(was))
                });
                match combo_of_class.get_mut(usize::from(is)) {
                    Some(slot) if kept => *slot = Some(k),
                    _ => others.push(k),
                }
            }
            let mut compare_cells = |(a, b): (usize, usize)| {
                let (from, to) = (keys[a], keys[b]);
                let was = verdicts_before[before.class_cell(from.0, to.0) as usize];
                let is = verdicts_after[after.class_cell(from.1, to.1) as usize];
                compare((a, b), was, is);
            };
            for &cell in cells.iter() {
                let (x, y) = (cell / n, cell % n);
                if let (Some(Some(a)), Some(Some(b))) =
                    (combo_of_class.get(x), combo_of_class.get(y))
                {
                    compare_cells((*a, *b));
                }
            }
            // The combinations not carried: their whole rows, and their columns in the rows of
            // the carried ones (each pair once).
            let carried_combos: Vec<usize> = combo_of_class.iter().flatten().copied().collect();
            for &a in &others {
                (0..combos).for_each(|b| compare_cells((a, b)));
            }
            for &a in &carried_combos {
                others.iter().for_each(|&b| compare_cells((a, b)));
            }
        }
        None => {
            // Every combination pair reads two cells: verdicts by outcome id and whole rows of
            // cells, taken once per source combination, keep the million reads of a big
            // design to two loads and a table look-up each.
            let (mut row_before, mut row_after) = (Vec::new(), Vec::new());
            for (a, &(was_a, is_a)) in keys.iter().enumerate() {
                before.copy_class_row(was_a, &mut row_before);
                after.copy_class_row(is_a, &mut row_after);
                for (b, &(was_b, is_b)) in keys.iter().enumerate() {
                    let was = verdicts_before[row_before[usize::from(was_b)] as usize];
                    let is = verdicts_after[row_after[usize::from(is_b)] as usize];
                    compare((a, b), was, is);
                }
            }
        }
    }
    Delta {
        endpoints: after.shared_endpoints(),
        combo_of,
        combos,
        flips,
        row_flips,
        reachable,
        blocked,
    }
}
