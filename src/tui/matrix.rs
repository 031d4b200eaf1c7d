//! The reachability matrix as the panel draws it: one row and column per endpoint when they fit,
//! otherwise one per VNet (or site, or point-to-site pool), with chosen groups expanded. Cells
//! aggregate the verdicts of the pairs they cover and carry a mark when a pair flipped with the
//! last edit. Built once per (revision, flow, expansion, grouping) and kept by `Live`, since a
//! 2,000-endpoint design has four million pairs to fold into the group cells (the fold is per
//! pair; a class-level fold in the engine would make it per class). It is a model, not a pane:
//! the Reachability pane draws it, `Live` keeps it.

use crate::engine::{Analysis, Delta, Verdict};
use crate::model::{Endpoint, EndpointKind, Flow};
use std::collections::{BTreeSet, HashMap};

/// One row (and the same column) of the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AxisItem {
    /// A single endpoint, by index into the analysis' endpoints.
    One(usize),
    /// A collapsed group of endpoints.
    Group {
        /// The group's key (a VNet name, `site X`, `p2s X`).
        key: String,
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
    pub expanded: BTreeSet<String>,
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
    cells: Vec<Cell>,
}

/// The group an endpoint belongs to.
pub fn group_of(endpoint: &Endpoint) -> String {
    match endpoint.kind {
        EndpointKind::Vm => endpoint.vnet.clone().unwrap_or_default(),
        EndpointKind::SiteHost => format!("site {}", endpoint.attached_to.as_deref().unwrap_or("")),
        EndpointKind::P2sClient => format!("p2s {}", endpoint.attached_to.as_deref().unwrap_or("")),
    }
}

impl Matrix {
    /// Builds the matrix for `analysis`, marking the pairs of `delta`.
    pub fn build(analysis: &Analysis, delta: &Delta, key: MatrixKey) -> Matrix {
        let endpoints = analysis.endpoints();
        let axis: Vec<AxisItem> = if key.grouped {
            let mut order: Vec<String> = Vec::new();
            let mut members: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, e) in endpoints.iter().enumerate() {
                let g = group_of(e);
                if !members.contains_key(&g) {
                    order.push(g.clone());
                }
                members.entry(g).or_default().push(i);
            }
            order
                .into_iter()
                .flat_map(|g| {
                    let list = members.remove(&g).unwrap_or_default();
                    if key.expanded.contains(&g) || list.len() == 1 {
                        list.into_iter().map(AxisItem::One).collect::<Vec<_>>()
                    } else {
                        vec![AxisItem::Group {
                            key: g,
                            members: list,
                        }]
                    }
                })
                .collect()
        } else {
            (0..endpoints.len()).map(AxisItem::One).collect()
        };
        let mut position = vec![0usize; endpoints.len()];
        for (p, item) in axis.iter().enumerate() {
            match item {
                AxisItem::One(i) => position[*i] = p,
                AxisItem::Group { members, .. } => members.iter().for_each(|i| position[*i] = p),
            }
        }
        let n = axis.len();
        let mut counts = vec![(0usize, 0usize); n * n];
        let mut flipped = vec![false; n * n];
        // Fold every pair into its cell: the cost is per pair, paid once per revision.
        for from in 0..endpoints.len() {
            let row = position[from] * n;
            for (to, column) in position.iter().enumerate() {
                if from == to {
                    continue;
                }
                // The delta's indexes are those of the session's current analysis, this one.
                if delta.flipped(from, to).is_some() {
                    flipped[row + column] = true;
                }
                let slot = &mut counts[row + column];
                match analysis.verdict(from, to) {
                    Verdict::Reachable => slot.0 += 1,
                    Verdict::Blocked => slot.1 += 1,
                }
            }
        }
        let cells: Vec<Cell> = counts
            .into_iter()
            .zip(flipped)
            .map(|((reachable, blocked), flipped)| Cell {
                value: match (reachable, blocked) {
                    (0, 0) => CellValue::Itself,
                    (_, 0) => CellValue::Reachable,
                    (0, _) => CellValue::Blocked,
                    (reachable, blocked) => CellValue::Mixed { reachable, blocked },
                },
                flipped,
            })
            .collect();
        Matrix { key, axis, cells }
    }

    /// The cell at (row, column) of the axis.
    pub fn cell(&self, row: usize, column: usize) -> Option<Cell> {
        let n = self.axis.len();
        (row < n && column < n).then(|| self.cells[row * n + column])
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
        let analysis = analyze(&d, Flow::DEFAULT, EngineKind::Fast);
        let key = |grouped, expanded: &[&str]| MatrixKey {
            revision: 1,
            flow: Flow::DEFAULT,
            expanded: expanded.iter().map(|s| s.to_string()).collect(),
            grouped,
        };
        let grouped = Matrix::build(&analysis, &Delta::default(), key(true, &[]));
        // Group `a` holds two VMs, `b` one (shown as itself).
        assert_eq!(grouped.axis.len(), 2);
        assert_eq!(grouped.cell(0, 1).unwrap().value, CellValue::Reachable);
        // Within group a: vm-a ↔ vm-a2 both reachable (same subnet).
        assert_eq!(grouped.cell(0, 0).unwrap().value, CellValue::Reachable);
        let expanded = Matrix::build(&analysis, &Delta::default(), key(true, &["a"]));
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
        let flat = Matrix::build(&analysis, &delta, key(false, &[]));
        assert!(flat.cell(0, 1).unwrap().flipped);
        assert!(!flat.cell(1, 0).unwrap().flipped);
    }
}
