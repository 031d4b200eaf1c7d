//! The reachability matrix as the panel draws it: one row and column per endpoint when they fit,
//! otherwise one per [`EndpointGroup`] (a VNet, a site, a gateway's point-to-site clients), with
//! chosen groups expanded. Cells aggregate the verdicts of the pairs they cover and carry a mark
//! when a pair flipped with the last edit. It is a model, not a pane: the Reachability pane draws
//! it, `Live` keeps it.
//!
//! Cost: building lays the axis out and groups each item's endpoints by class and flip
//! ([`GroupedVerdicts`], O(endpoints log endpoints)); it is built once per (revision, flow,
//! expansion, grouping). A cell is computed when it is asked for, from the analysis and delta
//! the matrix shares with the session: O(keys of its row × keys of its column), one each when
//! the matrix is grouped by VNet. Nothing is stored per cell, so a matrix of a thousand VNets
//! (a million cells) is ready in a few milliseconds and costs no memory per cell.

use crate::engine::{Analysis, Delta, FoldVerdict, GroupedVerdicts};
use crate::model::{Endpoint, EndpointGroup, Flow};
use std::collections::BTreeSet;
use std::sync::Arc;

/// One row (and the same column) of the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AxisItem {
    /// A single endpoint, by index into the analysis' endpoints.
    One(usize),
    /// A collapsed group of endpoints.
    Group {
        /// The group (its label is its `Display`).
        key: EndpointGroup,
        /// Its endpoints.
        members: Vec<usize>,
    },
}

/// What a cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellValue {
    /// Every pair reachable.
    Reachable,
    /// Every pair blocked.
    Blocked,
    /// Some of each.
    Mixed {
        /// Reachable pairs.
        reachable: usize,
        /// Blocked pairs.
        blocked: usize,
    },
    /// An endpoint with itself (no verdict).
    Itself,
}

/// A cell: the verdicts it covers and whether one flipped with the last edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// The aggregate verdict.
    pub value: CellValue,
    /// Whether a pair in the cell flipped with the last edit.
    pub flipped: bool,
}

/// The key identifying what a matrix was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixKey {
    /// Session revision.
    pub revision: u64,
    /// Flow.
    pub flow: Flow,
    /// Expanded groups.
    pub expanded: BTreeSet<EndpointGroup>,
    /// Whether endpoints are grouped.
    pub grouped: bool,
}

/// The matrix.
#[derive(Debug, Clone)]
pub struct Matrix {
    /// What it was built from.
    pub key: MatrixKey,
    /// Rows and columns.
    pub axis: Vec<AxisItem>,
    /// The cells' verdicts, per axis item.
    verdicts: GroupedVerdicts,
}

/// The axis: every endpoint alone, or grouped by [`Endpoint::group`] in order of first
/// appearance, with the groups of `expanded` (and groups of one) shown endpoint by endpoint.
fn axis(endpoints: &[Endpoint], key: &MatrixKey) -> Vec<AxisItem> {
    if !key.grouped {
        return (0..endpoints.len()).map(AxisItem::One).collect();
    }
    let mut order: Vec<EndpointGroup> = Vec::new();
    let mut members: rustc_hash::FxHashMap<EndpointGroup, Vec<usize>> =
        rustc_hash::FxHashMap::default();
    for (i, e) in endpoints.iter().enumerate() {
        let group = e.group();
        if !members.contains_key(&group) {
            order.push(group.clone());
        }
        members.entry(group).or_default().push(i);
    }
    order
        .into_iter()
        .flat_map(|group| {
            let list = members.remove(&group).unwrap_or_default();
            if key.expanded.contains(&group) || list.len() == 1 {
                list.into_iter().map(AxisItem::One).collect::<Vec<_>>()
            } else {
                vec![AxisItem::Group {
                    key: group,
                    members: list,
                }]
            }
        })
        .collect()
}

impl Matrix {
    /// Builds the matrix for `analysis`, marking the pairs of `delta` (a delta of this
    /// analysis: its indexes are the analysis's endpoints).
    pub fn build(analysis: Arc<Analysis>, delta: Arc<Delta>, key: MatrixKey) -> Matrix {
        let endpoints = analysis.endpoints();
        let axis = axis(endpoints, &key);
        // Each endpoint's axis item is its group in the fold.
        let mut position = vec![0usize; endpoints.len()];
        for (p, item) in axis.iter().enumerate() {
            match item {
                AxisItem::One(i) => position[*i] = p,
                AxisItem::Group { members, .. } => members.iter().for_each(|i| position[*i] = p),
            }
        }
        let verdicts = GroupedVerdicts::new(analysis, Some(delta), &position);
        Matrix {
            key,
            axis,
            verdicts,
        }
    }

    /// The cell at (row, column) of the axis.
    pub fn cell(&self, row: usize, column: usize) -> Option<Cell> {
        let n = self.axis.len();
        if row >= n || column >= n {
            return None;
        }
        let cell = self.verdicts.cell(row, column).unwrap_or_default();
        Some(Cell {
            value: match cell.verdict() {
                None => CellValue::Itself,
                Some(FoldVerdict::Reachable) => CellValue::Reachable,
                Some(FoldVerdict::Blocked) => CellValue::Blocked,
                Some(FoldVerdict::Mixed) => CellValue::Mixed {
                    reachable: cell.reachable,
                    blocked: cell.blocked,
                },
            },
            flipped: cell.flipped,
        })
    }

    /// The label of an axis item.
    pub fn label(&self, item: usize, endpoints: &[Endpoint]) -> String {
        match self.axis.get(item) {
            Some(AxisItem::One(i)) => endpoints
                .get(*i)
                .map_or_else(String::new, |e| e.name.clone()),
            Some(AxisItem::Group { key, members }) => format!("▸ {key} ({})", members.len()),
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{EngineKind, analyze};
    use crate::model::{Access, AddressMatch, Design, Direction, Nsg, NsgRule, Peering, Protocol};

    #[test]
    fn groups_fold_pairs_and_expansion_splits_them() {
        let mut d = Design::example_pair();
        d.peerings.push(Peering::new("a-to-b", "a", "b"));
        d.peerings.push(Peering::new("b-to-a", "b", "a"));
        let mut extra = d.vms[0].clone();
        extra.name = "vm-a2".into();
        extra.nics[0].ip = "10.1.1.5".parse().unwrap();
        d.vms.push(extra);
        let analysis = Arc::new(analyze(&d, Flow::DEFAULT, EngineKind::Fast));
        let key = |grouped, expanded: &[&str]| MatrixKey {
            revision: 1,
            flow: Flow::DEFAULT,
            expanded: expanded
                .iter()
                .map(|s| EndpointGroup::Vnet(s.to_string()))
                .collect(),
            grouped,
        };
        let grouped = Matrix::build(Arc::clone(&analysis), Arc::default(), key(true, &[]));
        // Group `a` holds two VMs, `b` one (shown as itself).
        assert_eq!(grouped.axis.len(), 2);
        assert_eq!(grouped.cell(0, 1).unwrap().value, CellValue::Reachable);
        // Within group a: vm-a ↔ vm-a2 both reachable (same subnet).
        assert_eq!(grouped.cell(0, 0).unwrap().value, CellValue::Reachable);
        let expanded = Matrix::build(Arc::clone(&analysis), Arc::default(), key(true, &["a"]));
        assert_eq!(expanded.axis.len(), 3);
        assert_eq!(expanded.cell(0, 0).unwrap().value, CellValue::Itself);
        // Before, b's NSG denied vm-a alone: only vm-a → vm-b flipped.
        let mut before = d.clone();
        let mut nsg = Nsg::new("nsg-b");
        let mut deny = NsgRule::new(
            "deny-vm-a",
            100,
            Direction::Inbound,
            Access::Deny,
            Protocol::Any,
        );
        deny.source = vec![AddressMatch::Cidr("10.1.1.4/32".parse().unwrap())];
        nsg.rules.push(deny);
        before.nsgs.push(nsg);
        before.vnets[1].subnets[0].nsg = Some("nsg-b".into());
        let delta = crate::engine::delta(
            &analyze(&before, Flow::DEFAULT, EngineKind::Fast),
            &analysis,
        );
        let flat = Matrix::build(analysis, Arc::new(delta), key(false, &[]));
        assert!(flat.cell(0, 1).unwrap().flipped);
        assert!(!flat.cell(1, 0).unwrap().flipped);
    }
    /// The matrix cells folded pair by pair, as the panel once built them.
    fn per_pair(analysis: &Analysis, delta: &Delta, matrix: &Matrix) -> Vec<Cell> {
        let n = matrix.axis.len();
        let mut position = vec![0; analysis.endpoints().len()];
        for (p, item) in matrix.axis.iter().enumerate() {
            match item {
                AxisItem::One(i) => position[*i] = p,
                AxisItem::Group { members, .. } => members.iter().for_each(|i| position[*i] = p),
            }
        }
        let mut counts = vec![(0, 0, false); n * n];
        for (from, row) in position.iter().enumerate() {
            for (to, column) in position.iter().enumerate() {
                if from == to {
                    continue;
                }
                let slot = &mut counts[row * n + column];
                match analysis.verdict(from, to) {
                    crate::engine::Verdict::Reachable => slot.0 += 1,
                    crate::engine::Verdict::Blocked => slot.1 += 1,
                }
                slot.2 |= delta.flipped(from, to).is_some();
            }
        }
        counts
            .into_iter()
            .map(|(reachable, blocked, flipped)| Cell {
                value: match (reachable, blocked) {
                    (0, 0) => CellValue::Itself,
                    (_, 0) => CellValue::Reachable,
                    (0, _) => CellValue::Blocked,
                    (reachable, blocked) => CellValue::Mixed { reachable, blocked },
                },
                flipped,
            })
            .collect()
    }

    #[test]
    fn the_class_fold_draws_what_folding_every_pair_draws() {
        use crate::model::generate::{HubSpokeParams, hub_spoke};
        let before = hub_spoke(&HubSpokeParams {
            hubs: 2,
            spokes: 6,
            subnets_per_spoke: 2,
            vms_per_subnet: 2,
        })
        .unwrap();
        // Cut one spoke's links one way: some pairs of some groups flip, others do not.
        let mut after = before.clone();
        let spoke = after.vnets[3].name.clone();
        after.peerings.retain(|p| p.local != spoke);
        let old = analyze(&before, Flow::DEFAULT, EngineKind::Fast);
        let analysis = Arc::new(analyze(&after, Flow::DEFAULT, EngineKind::Fast));
        let delta = Arc::new(crate::engine::delta(&old, &analysis));
        assert!(!delta.is_empty());
        let groups: Vec<EndpointGroup> = analysis.endpoints().iter().map(Endpoint::group).collect();
        let key = |grouped, expanded: &[&EndpointGroup]| MatrixKey {
            revision: 1,
            flow: Flow::DEFAULT,
            expanded: expanded.iter().map(|g| (*g).clone()).collect(),
            grouped,
        };
        for key in [
            key(false, &[]),
            key(true, &[]),
            key(true, &[&groups[0], &groups[groups.len() - 1]]),
        ] {
            let matrix = Matrix::build(Arc::clone(&analysis), Arc::clone(&delta), key);
            let n = matrix.axis.len();
            let cells: Vec<Cell> = (0..n * n)
                .map(|i| matrix.cell(i / n, i % n).unwrap())
                .collect();
            assert_eq!(cells, per_pair(&analysis, &delta, &matrix));
            assert!(cells.iter().any(|c| c.flipped));
        }
    }
}
