//! Placing one component of the layered layout: each edge piece gets its own port row on each
//! box side, boxes are pulled towards their neighbours' ports (rows), the vertical parts of the
//! edges between two ranks are packed onto tracks (interval colouring), then the boxes get their
//! columns and the edges their polylines. Cost: O(slots · pieces) per pulling round, four
//! rounds; the tracks are O(pieces log pieces) per rank.

use super::super::boxes::route;
use super::super::{Placed, Point, Route};
use super::{Component, Edge, STUB, Vertex};
use crate::topology::graph::Topology;
use std::collections::HashMap;

impl Component {
    /// Places the component's boxes from row `y_offset` and routes its edges; returns its
    /// bottom row.
    pub(super) fn place(
        mut self,
        items: &mut [Placed],
        routes: &mut Vec<Route>,
        topo: &Topology,
        vertices: &[Vertex],
        edges: &[Edge],
        y_offset: i32,
    ) -> i32 {
        let pos = self.position();
        // Ports: each piece gets its own row on each box side, in the order of the far end.
        for s in 0..self.slots.len() {
            let Some(v) = self.slots[s].vertex else {
                continue;
            };
            let mut left: Vec<usize> = (0..self.pieces.len())
                .filter(|p| self.pieces[*p].b == s)
                .collect();
            let mut right: Vec<usize> = (0..self.pieces.len())
                .filter(|p| self.pieces[*p].a == s)
                .collect();
            left.sort_by_key(|p| pos[self.pieces[*p].a]);
            right.sort_by_key(|p| pos[self.pieces[*p].b]);
            for (k, p) in left.iter().enumerate() {
                self.pieces[*p].b_row = 1 + k as i32;
            }
            for (k, p) in right.iter().enumerate() {
                self.pieces[*p].a_row = 1 + k as i32;
            }
            let ports = left.len().max(right.len()) as i32;
            self.slots[s].h = items[vertices[v].item].rect.h.max(ports + 2);
        }
        self.place_rows();
        let top = self.slots.iter().map(|s| s.y).min().unwrap_or(0);
        for slot in &mut self.slots {
            slot.y += y_offset - top;
        }
        // Columns: widest box of each rank, then room for the tracks between ranks.
        let width: Vec<i32> = self
            .ranks
            .iter()
            .map(|rank| {
                rank.iter()
                    .filter_map(|s| self.slots[*s].vertex)
                    .map(|v| items[vertices[v].item].rect.w)
                    .max()
                    .unwrap_or(1)
            })
            .collect();
        let mut track: HashMap<usize, i32> = HashMap::new();
        let mut x = vec![0; self.ranks.len()];
        for r in 0..self.ranks.len() {
            let mut spans: Vec<(i32, i32, usize)> = (0..self.pieces.len())
                .filter(|p| self.slots[self.pieces[*p].a].rank == r)
                .filter_map(|p| {
                    let (ya, yb) = self.rows(p);
                    (ya != yb).then_some((ya.min(yb), ya.max(yb), p))
                })
                .collect();
            spans.sort();
            let mut ends: Vec<i32> = Vec::new();
            for (lo, hi, p) in spans {
                let t = match ends.iter().position(|end| *end + 1 < lo) {
                    Some(t) => t,
                    None => {
                        ends.push(i32::MIN);
                        ends.len() - 1
                    }
                };
                ends[t] = hi;
                track.insert(p, t as i32);
            }
            if r + 1 < self.ranks.len() {
                x[r + 1] = x[r] + width[r] + 2 * STUB + ends.len() as i32;
            }
        }
        for slot in &self.slots {
            if let Some(v) = slot.vertex {
                let rect = &mut items[vertices[v].item].rect;
                rect.x = x[slot.rank];
                rect.y = slot.y;
                rect.h = slot.h;
            }
        }
        for (e, chain) in &self.chains {
            let mut points = Vec::new();
            for w in chain.windows(2) {
                let Some(p) = self
                    .pieces
                    .iter()
                    .position(|p| p.a == w[0] && p.b == w[1] && p.edge == *e)
                else {
                    continue;
                };
                let (ya, yb) = self.rows(p);
                let a = &self.slots[w[0]];
                let xa = match a.vertex {
                    Some(v) => items[vertices[v].item].rect.right(),
                    None => x[a.rank] + width[a.rank] - 1,
                };
                let xb = x[self.slots[w[1]].rank];
                if points.is_empty() {
                    points.push(Point { x: xa, y: ya });
                }
                points.push(Point { x: xa, y: ya });
                if ya != yb {
                    let tx = x[a.rank] + width[a.rank] + STUB + track.get(&p).copied().unwrap_or(0);
                    points.push(Point { x: tx, y: ya });
                    points.push(Point { x: tx, y: yb });
                }
                points.push(Point { x: xb, y: yb });
            }
            simplify(&mut points);
            let (first, last) = (chain[0], chain[chain.len() - 1]);
            let (Some(u), Some(v)) = (self.slots[first].vertex, self.slots[last].vertex) else {
                continue;
            };
            let link = edges[*e].link;
            routes.push(route(
                topo,
                link,
                (vertices[u].item, vertices[u].node),
                vertices[v].item,
                points,
            ));
        }
        self.slots
            .iter()
            .map(|s| s.y + s.h - 1)
            .max()
            .unwrap_or(y_offset)
    }

    /// The rows a piece leaves and enters at.
    fn rows(&self, p: usize) -> (i32, i32) {
        let piece = &self.pieces[p];
        let row = |s: usize, offset: i32| {
            let slot = &self.slots[s];
            if slot.vertex.is_some() {
                slot.y + offset
            } else {
                slot.y
            }
        };
        (row(piece.a, piece.a_row), row(piece.b, piece.b_row))
    }

    /// Stacks each rank, then pulls boxes towards their neighbours' ports, down then up.
    fn place_rows(&mut self) {
        for r in 0..self.ranks.len() {
            let mut y = 0;
            for s in self.ranks[r].clone() {
                self.slots[s].y = y;
                y += self.slots[s].h + 1;
            }
        }
        for round in 0..4 {
            let down = round % 2 == 0;
            let range: Vec<usize> = if down {
                (1..self.ranks.len()).collect()
            } else {
                (0..self.ranks.len().saturating_sub(1)).rev().collect()
            };
            for r in range {
                let mut floor = i32::MIN;
                for s in self.ranks[r].clone() {
                    let wanted: Vec<i32> = (0..self.pieces.len())
                        .filter_map(|p| {
                            let piece = &self.pieces[p];
                            let (ya, yb) = self.rows(p);
                            let own = |off: i32| {
                                if self.slots[s].vertex.is_some() {
                                    off
                                } else {
                                    0
                                }
                            };
                            match down {
                                true if piece.b == s => Some(ya - own(piece.b_row)),
                                false if piece.a == s => Some(yb - own(piece.a_row)),
                                _ => None,
                            }
                        })
                        .collect();
                    let target = if wanted.is_empty() {
                        self.slots[s].y
                    } else {
                        wanted.iter().sum::<i32>() / wanted.len() as i32
                    };
                    let y = if floor == i32::MIN {
                        target
                    } else {
                        target.max(floor)
                    };
                    self.slots[s].y = y;
                    floor = y + self.slots[s].h + 1;
                }
            }
        }
    }
}

/// Drops repeated and collinear middle points.
fn simplify(points: &mut Vec<Point>) {
    points.dedup();
    let mut i = 1;
    while i + 1 < points.len() {
        let (a, b, c) = (points[i - 1], points[i], points[i + 1]);
        if (a.x == b.x && b.x == c.x) || (a.y == b.y && b.y == c.y) {
            points.remove(i);
        } else {
            i += 1;
        }
    }
}
