//! Flipped pairs between two analyses of two designs (`vnetlab diff`), folded into cells: one
//! per (source group, destination group, codes before, codes after), with the number of pairs
//! and one example pair.
//!
//! Endpoints are matched by name. A pair's verdict and codes depend only on its endpoints'
//! classes, so the endpoints of an axis are keyed by (group, class before, class after), as
//! [`Analysis::fold_axes`] keys them by (group, class), and keys are compared instead of pairs.
//! Cost: O(endpoints + row keys × column keys); keys number about the classes when groups
//! follow VNets, so a change that flips a million pairs of a 2,000-endpoint design is a few
//! hundred thousand key comparisons and no per-pair structure.

use super::analysis::Analysis;
use super::ix::ClassIx;
use super::types::{ReasonCode, Verdict};
use std::collections::HashMap;

/// A cell's identity while folding: (row key, column key, codes before, codes now).
type CellKey<'a> = (usize, usize, &'a [ReasonCode], &'a [ReasonCode]);

/// Pairs of one cell that flipped the same way for the same reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlipCell {
    /// The source group (the value given in `rows`).
    pub row: usize,
    /// The destination group (the value given in `columns`).
    pub column: usize,
    /// The verdict in the newer analysis (the older one had the other).
    pub now: Verdict,
    /// The blockers' codes in the older analysis.
    pub before: Vec<ReasonCode>,
    /// The blockers' codes in the newer analysis.
    pub after: Vec<ReasonCode>,
    /// How many ordered pairs of distinct endpoints.
    pub pairs: usize,
    /// One of them: indexes into the newer analysis's endpoints.
    pub example: (usize, usize),
}

/// The endpoints of one axis sharing (group, class before, class after), with up to two
/// members (a class with itself needs two distinct endpoints for an example).
struct Key {
    group: usize,
    was: ClassIx,
    is: ClassIx,
    size: usize,
    members: [Option<usize>; 2],
}

fn keys_of(
    groups: &[Option<usize>],
    before: &Analysis,
    after: &Analysis,
) -> (Vec<Key>, Vec<Option<usize>>) {
    let mut index: HashMap<(usize, ClassIx, ClassIx), usize> = HashMap::new();
    let mut keys: Vec<Key> = Vec::new();
    let key_of = after
        .endpoints()
        .iter()
        .enumerate()
        .map(|(new, endpoint)| {
            let group = (*groups.get(new)?)?;
            let old = before.index_of(&endpoint.name)?;
            let (was, is) = (before.class_of()[old], after.class_of()[new]);
            let k = *index.entry((group, was, is)).or_insert_with(|| {
                keys.push(Key {
                    group,
                    was,
                    is,
                    size: 0,
                    members: [None, None],
                });
                keys.len() - 1
            });
            let key = &mut keys[k];
            key.size += 1;
            if let Some(slot) = key.members.iter_mut().find(|m| m.is_none()) {
                *slot = Some(new);
            }
            Some(k)
        })
        .collect();
    (keys, key_of)
}

/// Two distinct members, one of each key, if there are.
fn example(a: &Key, b: &Key) -> Option<(usize, usize)> {
    a.members
        .iter()
        .flatten()
        .flat_map(|&x| b.members.iter().flatten().map(move |&y| (x, y)))
        .find(|(x, y)| x != y)
}

/// The pairs whose verdict differs between `before` and `after`, folded into cells: `rows[e]`
/// and `columns[e]` are the source and destination groups of `after`'s endpoint `e` (`None`
/// leaves it off that axis). Endpoints `before` does not have are left out (their pairs did
/// not flip; they are new). Cells come in row-key, column-key order.
pub fn flip_cells(
    before: &Analysis,
    after: &Analysis,
    rows: &[Option<usize>],
    columns: &[Option<usize>],
) -> Vec<FlipCell> {
    let (row_keys, row_of) = keys_of(rows, before, after);
    let (column_keys, column_of) = keys_of(columns, before, after);
    // Endpoints on both axes: their pairs with themselves are not pairs.
    let mut selves: HashMap<(usize, usize), usize> = HashMap::new();
    for (r, c) in row_of.iter().zip(&column_of) {
        if let (Some(r), Some(c)) = (r, c) {
            *selves.entry((*r, *c)).or_default() += 1;
        }
    }
    let mut cells: Vec<FlipCell> = Vec::new();
    let mut index: HashMap<CellKey<'_>, usize> = HashMap::new();
    for (rk, row) in row_keys.iter().enumerate() {
        for (ck, column) in column_keys.iter().enumerate() {
            let was = before.class_codes(row.was, column.was);
            let is = after.class_codes(row.is, column.is);
            if was.is_empty() == is.is_empty() {
                continue;
            }
            let pairs = row.size * column.size - selves.get(&(rk, ck)).copied().unwrap_or(0);
            let Some(pair) = example(row, column).filter(|_| pairs > 0) else {
                continue;
            };
            let slot = *index
                .entry((row.group, column.group, was, is))
                .or_insert_with(|| {
                    cells.push(FlipCell {
                        row: row.group,
                        column: column.group,
                        now: if is.is_empty() {
                            Verdict::Reachable
                        } else {
                            Verdict::Blocked
                        },
                        before: was.to_vec(),
                        after: is.to_vec(),
                        pairs: 0,
                        example: pair,
                    });
                    cells.len() - 1
                });
            cells[slot].pairs += pairs;
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{EngineKind, Tracer, delta};
    use crate::model::Flow;
    use crate::model::generate::{HubSpokeParams, hub_spoke};

    #[test]
    fn cells_count_exactly_the_pairs_the_delta_lists() {
        let before_design = hub_spoke(&HubSpokeParams {
            hubs: 2,
            spokes: 6,
            subnets_per_spoke: 2,
            vms_per_subnet: 2,
        })
        .expect("valid counts");
        let mut after_design = before_design.clone();
        let spoke = after_design.vnets[3].name.clone();
        after_design.peerings.retain(|p| p.local != spoke);
        after_design.vms.remove(0);
        let before = Tracer::new(&before_design).analyze(Flow::DEFAULT, EngineKind::Fast);
        let after = Tracer::new(&after_design).analyze(Flow::DEFAULT, EngineKind::Fast);
        let flipped = delta(&before, &after);
        assert!(!flipped.is_empty());
        let n = after.endpoints().len();
        let singles: Vec<Option<usize>> = (0..n).map(Some).collect();
        let cells = flip_cells(&before, &after, &singles, &singles);
        let mut listed: Vec<(usize, usize)> = cells.iter().map(|c| (c.row, c.column)).collect();
        listed.sort_unstable();
        let names: Vec<&str> = after.endpoints().iter().map(|e| e.name.as_str()).collect();
        let mut expected: Vec<(usize, usize)> = flipped
            .became_blocked()
            .chain(flipped.became_reachable())
            .map(|(a, b)| {
                let at = |x: &str| names.iter().position(|n| *n == x).expect("listed");
                (at(a), at(b))
            })
            .collect();
        expected.sort_unstable();
        assert_eq!(listed, expected);
        for cell in &cells {
            let (a, b) = cell.example;
            assert_eq!(cell.pairs, 1);
            assert_eq!(after.reason_codes(a, b), cell.after);
            assert_eq!(after.verdict(a, b), cell.now);
            let old = |i: usize| before.index_of(names[i]).expect("in both");
            assert_eq!(before.reason_codes(old(a), old(b)), cell.before);
        }
        // By VNet, the cells add up to the delta's counts.
        let groups: Vec<Option<usize>> = after
            .endpoints()
            .iter()
            .map(|e| {
                after_design
                    .vnets
                    .iter()
                    .position(|v| e.vnet.as_deref() == Some(&v.name))
            })
            .map(|g| Some(g.unwrap_or(after_design.vnets.len())))
            .collect();
        let folded = flip_cells(&before, &after, &groups, &groups);
        let blocked: usize = folded
            .iter()
            .filter(|c| c.now == Verdict::Blocked)
            .map(|c| c.pairs)
            .sum();
        let reachable: usize = folded
            .iter()
            .filter(|c| c.now == Verdict::Reachable)
            .map(|c| c.pairs)
            .sum();
        assert_eq!(
            (blocked, reachable),
            (flipped.blocked_count(), flipped.reachable_count())
        );
    }
}
