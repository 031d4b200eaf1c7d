//! Verdicts by endpoint group, computed when a cell is asked for: the grouped reachability
//! matrix of the TUI, which must follow every edit within a frame on designs with ten thousand
//! endpoints.
//!
//! [`Analysis::fold`](super::Analysis::fold) fills every (group, group) cell at once, which is
//! what `reach` prints. A screen shows a few hundred cells of a matrix that, grouped by VNet, has
//! a million on Azure's largest estates, so [`GroupedVerdicts`] instead keeps, per group, its
//! distinct (class, delta combination) keys with their sizes, and shares the analysis and the
//! delta it reads. Building it costs O(endpoints log endpoints) and no memory per cell; a cell
//! costs O(keys of its row group × keys of its column group), one or two keys each when groups
//! follow VNets (classes never span VNets). It answers exactly what the fold answers for the
//! same groups (a test compares them cell by cell).

use super::analysis::Analysis;
use super::delta::{Combo, Delta};
use super::fold::FoldCell;
use super::ix::ClassIx;
use super::types::Verdict;
use std::fmt;
use std::sync::Arc;

/// Endpoints of one group that fold alike: one class and one delta combination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct GroupKey {
    class: ClassIx,
    combo: Option<Combo>,
    size: usize,
}

/// The verdicts of every (group, group) cell of a square grouping of an analysis's endpoints,
/// computed on demand. Cloning shares the analysis and the delta.
#[derive(Clone)]
pub struct GroupedVerdicts {
    analysis: Arc<Analysis>,
    delta: Option<Arc<Delta>>,
    /// `keys[starts[g]..starts[g + 1]]` are group `g`'s keys.
    starts: Vec<usize>,
    keys: Vec<GroupKey>,
}

impl fmt::Debug for GroupedVerdicts {
    /// The shape only: the analysis it shares is printed where it is owned.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GroupedVerdicts")
            .field("groups", &self.groups())
            .field("keys", &self.keys.len())
            .finish_non_exhaustive()
    }
}

impl GroupedVerdicts {
    /// Groups `analysis`'s endpoints: `groups[e]` is endpoint `e`'s group, the same on both
    /// axes (endpoints past the slice are left out). With a `delta` of this analysis, a cell is
    /// marked when one of its pairs flipped.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use vnetlab::engine::{analyze, EngineKind, FoldVerdict, GroupedVerdicts};
    /// use vnetlab::model::{Design, Flow};
    /// let analysis = Arc::new(analyze(&Design::example_pair(), Flow::DEFAULT, EngineKind::Fast));
    /// let grouped = GroupedVerdicts::new(analysis, None, &[0, 1]);
    /// assert_eq!(grouped.cell(0, 1).and_then(|c| c.verdict()), Some(FoldVerdict::Blocked));
    /// assert_eq!(grouped.cell(0, 0).and_then(|c| c.verdict()), None); // one endpoint, itself
    /// ```
    pub fn new(analysis: Arc<Analysis>, delta: Option<Arc<Delta>>, groups: &[usize]) -> Self {
        let combos = delta.as_deref().map_or(&[][..], Delta::combo_of);
        let mut tagged: Vec<(usize, ClassIx, Option<Combo>)> = groups
            .iter()
            .zip(analysis.class_of())
            .enumerate()
            .map(|(e, (&group, &class))| (group, class, combos.get(e).copied().flatten()))
            .collect();
        tagged.sort_unstable();
        let count = tagged.last().map_or(0, |&(group, ..)| group + 1);
        let mut starts = Vec::with_capacity(count + 1);
        let mut keys: Vec<GroupKey> = Vec::new();
        let mut last: Option<(usize, ClassIx, Option<Combo>)> = None;
        for &(group, class, combo) in &tagged {
            while starts.len() <= group {
                starts.push(keys.len());
            }
            if last == Some((group, class, combo)) {
                if let Some(key) = keys.last_mut() {
                    key.size += 1;
                }
            } else {
                keys.push(GroupKey {
                    class,
                    combo,
                    size: 1,
                });
                last = Some((group, class, combo));
            }
        }
        starts.push(keys.len());
        GroupedVerdicts {
            analysis,
            delta,
            starts,
            keys,
        }
    }

    /// How many groups (the largest group id + 1).
    pub fn groups(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    fn keys_of(&self, group: usize) -> &[GroupKey] {
        match (self.starts.get(group), self.starts.get(group + 1)) {
            (Some(&start), Some(&end)) => &self.keys[start..end],
            _ => &[],
        }
    }

    /// The cell of row group `row` and column group `column` (`None` past the last group): the
    /// pairs of distinct endpoints it covers, by verdict, and whether one of them flipped.
    pub fn cell(&self, row: usize, column: usize) -> Option<FoldCell> {
        let groups = self.groups();
        if row >= groups || column >= groups {
            return None;
        }
        let mut cell = FoldCell::default();
        let (sources, destinations) = (self.keys_of(row), self.keys_of(column));
        for (i, from) in sources.iter().enumerate() {
            for (j, to) in destinations.iter().enumerate() {
                // On the diagonal a key meets itself: its endpoints' pairs with themselves are
                // not pairs.
                let selves = if row == column && i == j {
                    from.size
                } else {
                    0
                };
                let pairs = from.size * to.size - selves;
                if pairs == 0 {
                    continue;
                }
                match self.analysis.class_verdict(from.class, to.class) {
                    Verdict::Reachable => cell.reachable += pairs,
                    Verdict::Blocked => cell.blocked += pairs,
                }
                if let (Some(delta), Some(a), Some(b)) = (&self.delta, from.combo, to.combo) {
                    cell.flipped |= delta.combo_flip(a, b).is_some();
                }
            }
        }
        Some(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{EngineKind, Tracer, delta};
    use crate::model::Flow;
    use crate::model::generate::{HubSpokeParams, hub_spoke};

    #[test]
    fn every_cell_equals_the_eager_fold_with_flips_and_arbitrary_groups() {
        let mut design = hub_spoke(&HubSpokeParams {
            hubs: 2,
            spokes: 6,
            subnets_per_spoke: 2,
            vms_per_subnet: 3,
        })
        .expect("valid counts");
        let before = Tracer::new(&design).analyze(Flow::DEFAULT, EngineKind::Fast);
        // Cut one spoke's outbound peerings: some pairs flip, others do not.
        let spoke = design.vnets[3].name.clone();
        design.peerings.retain(|p| p.local != spoke);
        let after = Arc::new(Tracer::new(&design).analyze(Flow::DEFAULT, EngineKind::Fast));
        let flipped = delta(&before, &after);
        assert!(!flipped.is_empty());
        let n = after.endpoints().len();
        let by_vnet: Vec<usize> = {
            let mut names: Vec<Option<String>> = Vec::new();
            after
                .endpoints()
                .iter()
                .map(|e| {
                    names.iter().position(|v| *v == e.vnet).unwrap_or_else(|| {
                        names.push(e.vnet.clone());
                        names.len() - 1
                    })
                })
                .collect()
        };
        // By VNet; every endpoint alone; groups that cut across classes and VNets.
        let groupings = [
            by_vnet,
            (0..n).collect::<Vec<_>>(),
            (0..n).map(|e| (e * 7) % 5).collect(),
        ];
        let shared = Arc::new(flipped.clone());
        let mut flips_seen = false;
        for groups in &groupings {
            let eager = after.fold(groups, Some(&flipped));
            let lazy = GroupedVerdicts::new(Arc::clone(&after), Some(Arc::clone(&shared)), groups);
            assert_eq!(lazy.groups(), eager.rows());
            for row in 0..=eager.rows() {
                for column in 0..=eager.columns() {
                    assert_eq!(
                        lazy.cell(row, column),
                        eager.cell(row, column),
                        "{row},{column}"
                    );
                    flips_seen |= lazy.cell(row, column).is_some_and(|c| c.flipped);
                }
            }
        }
        assert!(flips_seen, "the test must cover flipped cells");
    }
}
