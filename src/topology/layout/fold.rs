//! The visible graph: which nodes get a box and which fold into a `+N more` box. A node's leaf
//! VNets (peered or connected to it alone) beyond [`View::fold_after`] fold, unless the node is
//! in [`View::expanded`] or the leaf is in [`View::pinned`]. Leaves are ordered by region, then
//! name with numbers compared as numbers (`spoke2` before `spoke10`).

use crate::topology::NodeId;
use crate::topology::graph::{Node, NodeKind, Topology};
use crate::topology::shape::Shape;
use crate::topology::view::View;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// The folded neighbours of one node.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FoldGroup {
    /// The node they hang off.
    pub parent: NodeId,
    /// The folded nodes, in order.
    pub hidden: Vec<NodeId>,
}

/// Which nodes are drawn; see the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visible {
    hidden: Vec<bool>,
    /// The `+N more` groups, by parent in node order.
    pub folds: Vec<FoldGroup>,
}

impl Visible {
    /// Whether the node has a box of its own.
    pub fn shown(&self, id: NodeId) -> bool {
        !self.hidden.get(id.index()).copied().unwrap_or(true)
    }
    /// The fold group hanging off a node.
    pub fn fold_of(&self, parent: NodeId) -> Option<&FoldGroup> {
        self.folds.iter().find(|f| f.parent == parent)
    }
}

/// Computes the visible graph.
pub fn visible(topo: &Topology, _shape: &Shape, view: &View) -> Visible {
    let n = topo.node_count();
    let mut leaves: BTreeMap<NodeId, Vec<NodeId>> = BTreeMap::new();
    for id in topo.node_ids() {
        if topo.node(id).kind() != NodeKind::Vnet {
            continue;
        }
        let neighbours = topo.neighbours(id);
        if let [parent] = neighbours[..]
            && topo.neighbours(parent).len() > 1
        {
            leaves.entry(parent).or_default().push(id);
        }
    }
    let mut hidden = vec![false; n];
    let mut folds = Vec::new();
    for (parent, mut group) in leaves {
        if group.len() <= view.fold_after.max(1) || view.expanded.contains(&topo.node(parent).key())
        {
            continue;
        }
        group.sort_by(|a, b| order(topo, *a, *b));
        let keep = view.fold_after.saturating_sub(1).max(1);
        let folded: Vec<NodeId> = group
            .into_iter()
            .skip(keep)
            .filter(|id| !view.pinned.contains(&topo.node(*id).key()))
            .collect();
        if folded.len() < 2 {
            continue;
        }
        for id in &folded {
            hidden[id.index()] = true;
        }
        folds.push(FoldGroup {
            parent,
            hidden: folded,
        });
    }
    Visible { hidden, folds }
}

/// Layout order: VNets by region then natural name; sites before P2S pools.
pub(super) fn order(topo: &Topology, a: NodeId, b: NodeId) -> Ordering {
    let key = |id: NodeId| match topo.node(id) {
        Node::Vnet(v) => (0, v.region.name()),
        Node::Site(_) => (1, ""),
        Node::P2s(_) => (2, ""),
    };
    key(a)
        .cmp(&key(b))
        .then_with(|| natural(topo.node(a).name(), topo.node(b).name()))
        .then(a.cmp(&b))
}

/// Compares names with runs of digits compared as numbers.
pub(super) fn natural(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let number = |it: &mut std::iter::Peekable<std::str::Chars>| {
                    let mut digits = String::new();
                    while let Some(c) = it.peek().copied().filter(char::is_ascii_digit) {
                        digits.push(c);
                        it.next();
                    }
                    let trimmed = digits.trim_start_matches('0').to_string();
                    (trimmed.len(), trimmed)
                };
                let ordering = number(&mut x).cmp(&number(&mut y));
                if ordering != Ordering::Equal {
                    return ordering;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x.next();
                y.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::natural;
    use std::cmp::Ordering;

    #[test]
    fn numbers_in_names_compare_as_numbers() {
        assert_eq!(natural("spoke2", "spoke10"), Ordering::Less);
        assert_eq!(natural("spoke10", "spoke9"), Ordering::Greater);
        assert_eq!(natural("a", "a"), Ordering::Equal);
        assert_eq!(natural("hub", "hub-1"), Ordering::Less);
    }
}
