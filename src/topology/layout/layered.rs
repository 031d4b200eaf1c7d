//! The layered layout (Sugiyama-style, left to right) for meshes, chains, several hubs and
//! spoke-to-spoke links. Per connected component: rank by longest path over edges oriented
//! away from the strongest hub (petgraph: Dijkstra distances, then a topological sort), break
//! edges that span several ranks with one-row dummies, order each rank by barycentre sweeps
//! (keeping the order with fewest crossings), give every edge its own port row on each box
//! side, place rows by pulling boxes towards their neighbours' ports, and pack the vertical
//! parts of the edges between two ranks onto tracks (interval colouring) so no two overlap.
//! Cost: O(E² · sweeps) for the crossing counts, fine for the folded graphs drawn here.
//!
//! This module ranks and orders a component; `place` gives it rows, columns and edge routes.

mod place;

use super::boxes::{bottom_row, fold_box, node_box, not_drawn_box};
use super::fold::{Visible, order};
use super::{Placed, Route};
use crate::topology::graph::Topology;
use crate::topology::shape::{Role, Shape};
use crate::topology::view::View;
use crate::topology::{LinkId, NodeId};
use petgraph::graph::{DiGraph, NodeIndex, UnGraph};
use std::collections::HashMap;

/// Columns each end of an edge runs straight before turning: room for the flag marks.
const STUB: i32 = 8;
/// Sweeps of barycentre ordering.
const SWEEPS: usize = 6;

struct Vertex {
    item: usize,
    node: NodeId,
}

struct Edge {
    u: usize,
    v: usize,
    link: Option<LinkId>,
}

/// A box or a dummy in a rank.
#[derive(Clone)]
struct Slot {
    rank: usize,
    vertex: Option<usize>,
    h: i32,
    y: i32,
}

/// One piece of an edge between adjacent ranks, from slot `a` (rank r) to slot `b` (rank r+1).
struct Piece {
    a: usize,
    b: usize,
    edge: usize,
    a_row: i32,
    b_row: i32,
}

/// Lays out any topology.
pub fn layout(
    topo: &Topology,
    shape: &Shape,
    view: &View,
    visible: &Visible,
) -> (Vec<Placed>, Vec<Route>) {
    let mut items = Vec::new();
    let mut vertices = Vec::new();
    let mut vertex_of: HashMap<NodeId, usize> = HashMap::new();
    let mut ids: Vec<NodeId> = topo.node_ids().filter(|id| visible.shown(*id)).collect();
    ids.sort_by(|a, b| order(topo, *a, *b));
    // Unlinked nodes go to the row under the picture.
    let (linked, lonely): (Vec<NodeId>, Vec<NodeId>) = ids.into_iter().partition(|id| {
        visible.fold_of(*id).is_some() || topo.neighbours(*id).iter().any(|n| visible.shown(*n))
    });
    for id in linked {
        items.push(node_box(topo, shape, view, id));
        vertex_of.insert(id, vertices.len());
        vertices.push(Vertex {
            item: items.len() - 1,
            node: id,
        });
    }
    let mut edges = Vec::new();
    for (link, a, b, _) in topo.links() {
        if let (Some(&u), Some(&v)) = (vertex_of.get(&a), vertex_of.get(&b)) {
            edges.push(Edge {
                u,
                v,
                link: Some(link),
            });
        }
    }
    for group in &visible.folds {
        let Some(&parent) = vertex_of.get(&group.parent) else {
            continue;
        };
        items.push(fold_box(topo, view, group));
        vertices.push(Vertex {
            item: items.len() - 1,
            node: group.parent,
        });
        edges.push(Edge {
            u: parent,
            v: vertices.len() - 1,
            link: None,
        });
    }
    let mut graph = UnGraph::<(), usize>::default();
    let nodes: Vec<NodeIndex> = vertices.iter().map(|_| graph.add_node(())).collect();
    for (e, edge) in edges.iter().enumerate() {
        graph.add_edge(nodes[edge.u], nodes[edge.v], e);
    }
    let mut routes = Vec::new();
    let mut done = vec![false; vertices.len()];
    let mut y_offset = 0;
    for start in 0..vertices.len() {
        if done[start] {
            continue;
        }
        // The component's root: the strongest hub in it, else its best-connected vertex.
        let distances = petgraph::algo::dijkstra(&graph, nodes[start], None, |_| 1usize);
        let members: Vec<usize> = (0..vertices.len())
            .filter(|v| distances.contains_key(&nodes[*v]))
            .collect();
        for v in &members {
            done[*v] = true;
        }
        let root = members
            .iter()
            .copied()
            .min_by_key(|v| {
                let is_fold = matches!(items[vertices[*v].item].item, super::Item::Fold { .. });
                let hub = !is_fold && shape.role(vertices[*v].node) == Role::Hub;
                (
                    !hub,
                    std::cmp::Reverse(graph.neighbors(nodes[*v]).count()),
                    *v,
                )
            })
            .unwrap_or(start);
        let component = Component::new(&graph, &nodes, &edges, &members, root);
        let bottom = component.place(&mut items, &mut routes, topo, &vertices, &edges, y_offset);
        y_offset = bottom + 3;
    }
    let from = items.len();
    items.extend(lonely.into_iter().map(|id| node_box(topo, shape, view, id)));
    items.extend(not_drawn_box(topo, view));
    bottom_row(&mut items, from);
    (items, routes)
}

struct Component {
    slots: Vec<Slot>,
    ranks: Vec<Vec<usize>>,
    pieces: Vec<Piece>,
    /// Slots of each edge's chain, from its lower-rank end.
    chains: Vec<(usize, Vec<usize>)>,
}

impl Component {
    fn new(
        graph: &UnGraph<(), usize>,
        nodes: &[NodeIndex],
        edges: &[Edge],
        members: &[usize],
        root: usize,
    ) -> Component {
        let dist = petgraph::algo::dijkstra(graph, nodes[root], None, |_| 1usize);
        let key = |v: usize| (dist.get(&nodes[v]).copied().unwrap_or(usize::MAX), v);
        // Orient every edge away from the root; longest path over a topological order.
        let mut dag = DiGraph::<usize, usize>::default();
        let local: HashMap<usize, NodeIndex> =
            members.iter().map(|v| (*v, dag.add_node(*v))).collect();
        let mut oriented = Vec::new();
        for (e, edge) in edges.iter().enumerate() {
            let (Some(&u), Some(&v)) = (local.get(&edge.u), local.get(&edge.v)) else {
                continue;
            };
            let (from, to) = if key(edge.u) < key(edge.v) {
                (u, v)
            } else {
                (v, u)
            };
            dag.add_edge(from, to, e);
            oriented.push(e);
        }
        let topological = petgraph::algo::toposort(&dag, None).unwrap_or_default();
        let mut rank: HashMap<usize, usize> = HashMap::new();
        for n in &topological {
            let r = dag
                .neighbors_directed(*n, petgraph::Direction::Incoming)
                .map(|p| rank.get(&dag[p]).copied().unwrap_or(0) + 1)
                .max()
                .unwrap_or(0);
            rank.insert(dag[*n], r);
        }
        let depth = rank.values().max().copied().unwrap_or(0) + 1;
        let mut slots = Vec::new();
        let mut ranks: Vec<Vec<usize>> = vec![Vec::new(); depth];
        let mut slot_of: HashMap<usize, usize> = HashMap::new();
        let mut sorted: Vec<usize> = members.to_vec();
        sorted.sort_by_key(|v| key(*v));
        for v in sorted {
            let r = rank.get(&v).copied().unwrap_or(0);
            slot_of.insert(v, slots.len());
            ranks[r].push(slots.len());
            slots.push(Slot {
                rank: r,
                vertex: Some(v),
                h: 0,
                y: 0,
            });
        }
        let mut chains = Vec::new();
        for e in oriented {
            let (u, v) = (edges[e].u, edges[e].v);
            let (lo, hi) = if rank[&u] <= rank[&v] { (u, v) } else { (v, u) };
            let mut chain = vec![slot_of[&lo]];
            let (low, high) = (rank[&lo], rank[&hi]);
            for (r, layer) in ranks.iter_mut().enumerate().take(high).skip(low + 1) {
                layer.push(slots.len());
                chain.push(slots.len());
                slots.push(Slot {
                    rank: r,
                    vertex: None,
                    h: 1,
                    y: 0,
                });
            }
            chain.push(slot_of[&hi]);
            chains.push((e, chain));
        }
        let pieces = chains
            .iter()
            .flat_map(|(e, chain)| {
                chain.windows(2).map(move |w| Piece {
                    a: w[0],
                    b: w[1],
                    edge: *e,
                    a_row: 0,
                    b_row: 0,
                })
            })
            .collect();
        let mut component = Component {
            slots,
            ranks,
            pieces,
            chains,
        };
        component.order();
        component
    }

    fn position(&self) -> Vec<usize> {
        let mut pos = vec![0; self.slots.len()];
        for rank in &self.ranks {
            for (i, s) in rank.iter().enumerate() {
                pos[*s] = i;
            }
        }
        pos
    }

    fn crossings(&self) -> usize {
        let pos = self.position();
        let mut total = 0;
        for r in 0..self.ranks.len().saturating_sub(1) {
            let here: Vec<(usize, usize)> = self
                .pieces
                .iter()
                .filter(|p| self.slots[p.a].rank == r)
                .map(|p| (pos[p.a], pos[p.b]))
                .collect();
            for (i, x) in here.iter().enumerate() {
                total += here[i + 1..]
                    .iter()
                    .filter(|y| (x.0 < y.0 && x.1 > y.1) || (x.0 > y.0 && x.1 < y.1))
                    .count();
            }
        }
        total
    }

    /// Barycentre sweeps down and up; keeps the order with the fewest crossings.
    fn order(&mut self) {
        let mut best = (self.crossings(), self.ranks.clone());
        for sweep in 0..SWEEPS {
            let down = sweep % 2 == 0;
            let range: Vec<usize> = if down {
                (1..self.ranks.len()).collect()
            } else {
                (0..self.ranks.len().saturating_sub(1)).rev().collect()
            };
            for r in range {
                let pos = self.position();
                let mut keyed: Vec<(f64, usize, usize)> = self.ranks[r]
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let others: Vec<usize> = self
                            .pieces
                            .iter()
                            .filter_map(|p| match down {
                                true if p.b == *s => Some(pos[p.a]),
                                false if p.a == *s => Some(pos[p.b]),
                                _ => None,
                            })
                            .collect();
                        let centre = if others.is_empty() {
                            i as f64
                        } else {
                            others.iter().sum::<usize>() as f64 / others.len() as f64
                        };
                        (centre, i, *s)
                    })
                    .collect();
                keyed.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
                self.ranks[r] = keyed.into_iter().map(|k| k.2).collect();
            }
            let crossings = self.crossings();
            if crossings < best.0 {
                best = (crossings, self.ranks.clone());
            }
        }
        self.ranks = best.1;
    }
}
