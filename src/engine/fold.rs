//! Verdicts folded by endpoint group: the grouped matrix of the TUI and `reach`, computed per
//! class instead of per pair.
//!
//! Endpoints of one group and one class (and, with a delta, one before/after combination)
//! behave alike, so each (row key, column key) contributes `size × size` pairs (less the
//! self-pairs of endpoints on both axes) with one verdict and one flip. Cost:
//! O(endpoints + row keys × column keys); keys number about the classes when groups follow
//! VNets (classes never span VNets), so a 2,000-endpoint design folds in classes², not in the
//! four million pairs.

use super::analysis::Analysis;
use super::delta::{Combo, Delta};
use super::ix::ClassIx;
use super::types::{ReasonCode, Verdict};
use std::collections::HashMap;

/// How the pairs of one cell fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FoldCell {
    /// Pairs whose flow and reply get through.
    pub reachable: usize,
    /// Pairs with at least one blocker.
    pub blocked: usize,
    /// Whether a pair of the cell flipped in the delta given to the fold.
    pub flipped: bool,
}

/// The verdict of a cell as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FoldVerdict {
    /// Every pair reachable.
    Reachable,
    /// Every pair blocked.
    Blocked,
    /// Some of each.
    Mixed,
}

impl FoldCell {
    /// The cell's verdict; `None` when it holds no pair (one endpoint with itself).
    pub fn verdict(&self) -> Option<FoldVerdict> {
        match (self.reachable, self.blocked) {
            (0, 0) => None,
            (_, 0) => Some(FoldVerdict::Reachable),
            (0, _) => Some(FoldVerdict::Blocked),
            _ => Some(FoldVerdict::Mixed),
        }
    }

    /// How many pairs the cell holds.
    pub fn pairs(&self) -> usize {
        self.reachable + self.blocked
    }
}

/// A matrix of [`FoldCell`]s, row groups by column groups.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Folded {
    rows: usize,
    columns: usize,
    cells: Vec<FoldCell>,
}

impl Folded {
    /// How many row groups (the largest row group id + 1).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// How many column groups (the largest column group id + 1).
    pub fn columns(&self) -> usize {
        self.columns
    }

    /// The cell of row group `row` and column group `column`.
    pub fn cell(&self, row: usize, column: usize) -> Option<FoldCell> {
        (row < self.rows && column < self.columns).then(|| self.cells[row * self.columns + column])
    }
}

/// Endpoints that fold alike on one axis: (group, class, delta combination).
type Key = (usize, ClassIx, Option<Combo>);

/// One axis: its keys with their sizes, and each endpoint's key.
struct Axis {
    keys: Vec<(Key, usize)>,
    key_of: Vec<Option<usize>>,
    groups: usize,
}

impl Axis {
    fn new(groups: &[Option<usize>], analysis: &Analysis, combos: &[Option<Combo>]) -> Self {
        let mut index: HashMap<Key, usize> = HashMap::new();
        let mut keys: Vec<(Key, usize)> = Vec::new();
        let mut count = 0;
        let key_of = analysis
            .class_of()
            .iter()
            .enumerate()
            .map(|(e, &class)| {
                let group = (*groups.get(e)?)?;
                count = count.max(group + 1);
                let key = (group, class, combos.get(e).copied().flatten());
                let k = *index.entry(key).or_insert_with(|| {
                    keys.push((key, 0));
                    keys.len() - 1
                });
                keys[k].1 += 1;
                Some(k)
            })
            .collect();
        Axis {
            keys,
            key_of,
            groups: count,
        }
    }
}

impl Analysis {
    /// Folds the verdicts of every pair of distinct endpoints into groups, the same on both
    /// axes: `groups[e]` is endpoint `e`'s group (indexes of [`Analysis::endpoints`]; endpoints
    /// past the slice are left out). With a `delta` of this analysis, a cell is marked when one
    /// of its pairs flipped.
    ///
    /// ```
    /// use vnetlab::engine::{analyze, EngineKind, FoldVerdict};
    /// use vnetlab::model::{Design, Flow};
    /// let analysis = analyze(&Design::example_pair(), Flow::DEFAULT, EngineKind::Fast);
    /// let folded = analysis.fold(&[0, 0], None);
    /// let cell = folded.cell(0, 0).unwrap();
    /// assert_eq!((cell.blocked, cell.verdict()), (2, Some(FoldVerdict::Blocked)));
    /// ```
    pub fn fold(&self, groups: &[usize], delta: Option<&Delta>) -> Folded {
        let groups: Vec<Option<usize>> = groups.iter().copied().map(Some).collect();
        self.fold_axes(&groups, &groups, delta)
    }

    /// [`Analysis::fold`] with different groups for rows (sources) and columns (destinations);
    /// `None` leaves an endpoint off that axis.
    pub fn fold_axes(
        &self,
        rows: &[Option<usize>],
        columns: &[Option<usize>],
        delta: Option<&Delta>,
    ) -> Folded {
        let combos = delta.map_or(&[][..], Delta::combo_of);
        let (r, c) = (
            Axis::new(rows, self, combos),
            Axis::new(columns, self, combos),
        );
        let mut folded = Folded {
            rows: r.groups,
            columns: c.groups,
            cells: vec![FoldCell::default(); r.groups * c.groups],
        };
        for_cells(
            &r,
            &c,
            |(row, from, was_from), (column, to, was_to), pairs| {
                let cell = &mut folded.cells[row * c.groups + column];
                match self.class_verdict(from, to) {
                    Verdict::Reachable => cell.reachable += pairs,
                    Verdict::Blocked => cell.blocked += pairs,
                }
                if let (Some(delta), Some(a), Some(b)) = (delta, was_from, was_to) {
                    cell.flipped |= delta.combo_flip(a, b).is_some();
                }
            },
        );
        folded
    }

    /// How many pairs from the endpoints marked in `from` to those marked in `to` (self-pairs
    /// excluded) each reason code blocks, counted per class cell like [`Analysis::fold_axes`]:
    /// O(endpoints + classes²), never per pair.
    ///
    /// ```
    /// use vnetlab::engine::{analyze, EngineKind, ReasonCode};
    /// use vnetlab::model::{Design, Flow};
    /// let analysis = analyze(&Design::example_pair(), Flow::DEFAULT, EngineKind::Fast);
    /// let counts = analysis.count_reasons(&[true, true], &[true, true]);
    /// assert_eq!(counts, [(ReasonCode::RouteNone, 2)]);
    /// ```
    pub fn count_reasons(&self, from: &[bool], to: &[bool]) -> Vec<(ReasonCode, usize)> {
        let axis = |marked: &[bool]| -> Vec<Option<usize>> {
            marked.iter().map(|&m| m.then_some(0)).collect()
        };
        let (r, c) = (
            Axis::new(&axis(from), self, &[]),
            Axis::new(&axis(to), self, &[]),
        );
        let mut counts: std::collections::BTreeMap<ReasonCode, usize> = Default::default();
        for_cells(&r, &c, |(_, a, _), (_, b, _), pairs| {
            for &code in self.class_codes(a, b) {
                *counts.entry(code).or_default() += pairs;
            }
        });
        counts.into_iter().collect()
    }
}

/// Calls `visit(row key, column key, pairs)` for every pair of keys of two axes holding pairs:
/// `size × size`, less the self-pairs of endpoints on both axes.
fn for_cells(r: &Axis, c: &Axis, mut visit: impl FnMut(Key, Key, usize)) {
    // Endpoints on both axes: their pairs with themselves are not pairs.
    let mut selves: HashMap<(usize, usize), usize> = HashMap::new();
    for (rk, ck) in r.key_of.iter().zip(&c.key_of) {
        if let (Some(rk), Some(ck)) = (rk, ck) {
            *selves.entry((*rk, *ck)).or_default() += 1;
        }
    }
    for (rk, &(row_key, row_size)) in r.keys.iter().enumerate() {
        for (ck, &(column_key, column_size)) in c.keys.iter().enumerate() {
            let pairs = row_size * column_size - selves.get(&(rk, ck)).copied().unwrap_or(0);
            if pairs > 0 {
                visit(row_key, column_key, pairs);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{EngineKind, Tracer, delta};
    use crate::model::generate::{HubSpokeParams, hub_spoke};
    use crate::model::{Endpoint, Flow};

    fn by_vnet(endpoints: &[Endpoint]) -> Vec<usize> {
        let mut names: Vec<String> = Vec::new();
        endpoints
            .iter()
            .map(|e| {
                let key = e.vnet.clone().unwrap_or_else(|| e.name.clone());
                names.iter().position(|n| *n == key).unwrap_or_else(|| {
                    names.push(key);
                    names.len() - 1
                })
            })
            .collect()
    }

    /// The fold of every pair, one by one.
    fn brute(
        a: &Analysis,
        rows: &[Option<usize>],
        columns: &[Option<usize>],
        d: Option<&Delta>,
    ) -> Folded {
        let groups = |g: &[Option<usize>]| g.iter().flatten().map(|g| g + 1).max().unwrap_or(0);
        let (nr, nc) = (groups(rows), groups(columns));
        let mut cells = vec![FoldCell::default(); nr * nc];
        for (from, row) in rows.iter().enumerate() {
            for (to, column) in columns.iter().enumerate() {
                let (Some(row), Some(column)) = (row, column) else {
                    continue;
                };
                if from == to {
                    continue;
                }
                let cell = &mut cells[row * nc + column];
                match a.verdict(from, to) {
                    Verdict::Reachable => cell.reachable += 1,
                    Verdict::Blocked => cell.blocked += 1,
                }
                cell.flipped |= d.is_some_and(|d| d.flipped(from, to).is_some());
            }
        }
        Folded {
            rows: nr,
            columns: nc,
            cells,
        }
    }

    #[test]
    fn folding_classes_equals_folding_every_pair() {
        let mut design = hub_spoke(&HubSpokeParams {
            hubs: 1,
            spokes: 4,
            subnets_per_spoke: 2,
            vms_per_subnet: 3,
        })
        .expect("valid counts");
        let before = Tracer::new(&design).analyze(Flow::DEFAULT, EngineKind::Fast);
        // Cut one spoke's peerings in one direction: some pairs flip, others do not.
        let spoke = design.vnets[2].name.clone();
        design.peerings.retain(|p| p.local != spoke);
        let after = Tracer::new(&design).analyze(Flow::DEFAULT, EngineKind::Fast);
        let flipped = delta(&before, &after);
        assert!(!flipped.is_empty());
        assert!(after.classes() < after.endpoints().len());

        let groups = by_vnet(after.endpoints());
        let square: Vec<Option<usize>> = groups.iter().copied().map(Some).collect();
        let folded = after.fold(&groups, Some(&flipped));
        assert_eq!(folded, brute(&after, &square, &square, Some(&flipped)));
        assert!(folded.cells.iter().any(|c| c.flipped));
        assert!(
            folded
                .cells
                .iter()
                .any(|c| c.verdict() == Some(FoldVerdict::Mixed))
                || folded
                    .cells
                    .iter()
                    .any(|c| c.verdict() == Some(FoldVerdict::Blocked))
        );

        // Rows and columns grouped differently, with endpoints left off each axis; every
        // endpoint its own group (the ungrouped matrix); arbitrary groups cutting classes.
        let n = after.endpoints().len();
        let rows: Vec<Option<usize>> = (0..n).map(|e| (e % 3 != 0).then_some(e % 4)).collect();
        let columns: Vec<Option<usize>> =
            (0..n).map(|e| (e % 5 != 1).then_some(groups[e])).collect();
        assert_eq!(
            after.fold_axes(&rows, &columns, Some(&flipped)),
            brute(&after, &rows, &columns, Some(&flipped))
        );
        let singles: Vec<usize> = (0..n).collect();
        let single_axis: Vec<Option<usize>> = singles.iter().copied().map(Some).collect();
        assert_eq!(
            after.fold(&singles, None),
            brute(&after, &single_axis, &single_axis, None)
        );
        assert_eq!(
            folded.cell(0, 0).map(|c| c.pairs()),
            Some(
                groups.iter().filter(|&&g| g == 0).count()
                    * (groups.iter().filter(|&&g| g == 0).count() - 1)
            )
        );
        assert_eq!(folded.cell(folded.rows(), 0), None);
    }
}
