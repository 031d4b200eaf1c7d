//! Layouts: where each box goes and how each edge runs, in terminal cells. Two layouts share
//! one output ([`Layout`]): the purpose-built hub-and-spoke layout (`star`, O(n), stable) and a
//! Sugiyama-style layered layout for every other shape (`layered`). Both start from the same
//! visible graph (`fold`): spokes beyond [`View::fold_after`] fold into `+N more` boxes unless
//! their hub is in [`View::expanded`]. A layout is computed only when the topology's structure
//! or the view changes ([`Layout::is_current`]); states, paths and selection only recolour.
//!
//! The layout also answers the questions a pane asks: the item at a cell (mouse), the nearest
//! item in a direction (`hjkl`), the items matching a filter.

mod boxes;
mod fold;
mod layered;
mod star;

pub use fold::{Visible, visible};

use super::graph::{Link, NodeKey, Topology};
use super::shape::{ShapeKind, shape};
use super::view::{BoxLine, View};
use super::{LinkId, NodeId};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// A cell position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Point {
    /// Column.
    pub x: i32,
    /// Row.
    pub y: i32,
}

/// A rectangle of cells, borders included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Rect {
    /// Left column.
    pub x: i32,
    /// Top row.
    pub y: i32,
    /// Width in cells.
    pub w: i32,
    /// Height in cells.
    pub h: i32,
}

impl Rect {
    /// Whether the cell is inside (borders included).
    pub fn contains(self, p: Point) -> bool {
        p.x >= self.x && p.x < self.x + self.w && p.y >= self.y && p.y < self.y + self.h
    }
    /// The rightmost column.
    pub fn right(self) -> i32 {
        self.x + self.w - 1
    }
    /// The bottom row.
    pub fn bottom(self) -> i32 {
        self.y + self.h - 1
    }
    /// The centre cell.
    pub fn centre(self) -> Point {
        Point {
            x: self.x + self.w / 2,
            y: self.y + self.h / 2,
        }
    }
}

/// What a box stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A node of the topology.
    Node(NodeId),
    /// A `+N more` box holding the folded neighbours of `parent`.
    Fold {
        /// The node whose neighbours folded.
        parent: NodeId,
        /// The folded nodes.
        hidden: Vec<NodeId>,
    },
    /// The grey box counting what the design holds but the picture does not draw.
    NotDrawn,
}

/// The stable identity of a box across rebuilds, for selections.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKey {
    /// A node.
    Node(NodeKey),
    /// The `+N more` box of this parent.
    Fold(NodeKey),
    /// The grey box.
    NotDrawn,
}

/// How a box's frame is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frame {
    /// Light lines.
    Plain,
    /// Double lines: a hub.
    Hub,
    /// Rounded corners: outside Azure (sites, P2S pools).
    Outside,
    /// Dim light lines: `+N more` and the grey box.
    Grey,
}

/// A placed box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// What it stands for.
    pub item: Item,
    /// Its stable key.
    pub key: ItemKey,
    /// Where it is.
    pub rect: Rect,
    /// Its text lines, already cut to fit.
    pub lines: Vec<BoxLine>,
    /// How its frame is drawn.
    pub frame: Frame,
}

/// A routed edge: an axis-aligned polyline from one box border to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The topology edge, or `None` for the edge to a `+N more` box.
    pub link: Option<LinkId>,
    /// Index in [`Layout::items`] of the box the polyline starts at.
    pub from: usize,
    /// Index of the box it ends at.
    pub to: usize,
    /// Corner points, the first and last on the two borders.
    pub points: Vec<Point>,
    /// Whether the topology edge's first node (`a`) is the `from` box.
    pub a_at_from: bool,
}

impl Route {
    /// Every cell of the polyline, in order, each once.
    pub fn cells(&self) -> Vec<Point> {
        let mut out: Vec<Point> = Vec::new();
        for pair in self.points.windows(2) {
            let (p, q) = (pair[0], pair[1]);
            let (dx, dy) = ((q.x - p.x).signum(), (q.y - p.y).signum());
            let mut c = p;
            loop {
                if out.last() != Some(&c) {
                    out.push(c);
                }
                if c == q {
                    break;
                }
                c = Point {
                    x: c.x + dx,
                    y: c.y + dy,
                };
            }
        }
        out
    }
}

/// A laid-out topology. See the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The boxes.
    pub items: Vec<Placed>,
    /// The edges.
    pub routes: Vec<Route>,
    /// Width of the picture in cells.
    pub width: i32,
    /// Height of the picture in cells.
    pub height: i32,
    /// Which layout drew it.
    pub kind: ShapeKind,
    signature: u64,
    node_item: HashMap<NodeId, usize>,
}

/// Which way to move from a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `h`.
    Left,
    /// `l`.
    Right,
    /// `k`.
    Up,
    /// `j`.
    Down,
}

impl Layout {
    /// Lays out the topology for the view.
    pub fn compute(topo: &Topology, view: &View) -> Layout {
        let shape = shape(topo);
        let visible = visible(topo, &shape, view);
        let signature = signature(topo, view, &visible);
        let (items, routes) = match shape.kind {
            ShapeKind::Star => star::layout(topo, &shape, view, &visible),
            ShapeKind::General => layered::layout(topo, &shape, view, &visible),
        };
        let mut node_item = HashMap::new();
        for (i, placed) in items.iter().enumerate() {
            match &placed.item {
                Item::Node(id) => {
                    node_item.insert(*id, i);
                }
                Item::Fold { hidden, .. } => {
                    for id in hidden {
                        node_item.insert(*id, i);
                    }
                }
                Item::NotDrawn => {}
            }
        }
        let width = items.iter().map(|p| p.rect.x + p.rect.w).max().unwrap_or(0);
        let height = items.iter().map(|p| p.rect.y + p.rect.h).max().unwrap_or(0);
        Layout {
            items,
            routes,
            width,
            height,
            kind: shape.kind,
            signature,
            node_item,
        }
    }

    /// Whether this layout still fits the topology and view: same boxes with the same text,
    /// same edges. When it does, an edit needs only a recolour.
    pub fn is_current(&self, topo: &Topology, view: &View) -> bool {
        let shape = shape(topo);
        let visible = visible(topo, &shape, view);
        signature(topo, view, &visible) == self.signature
    }

    /// Lays out again only when needed; returns whether it did.
    pub fn update(&mut self, topo: &Topology, view: &View) -> bool {
        if self.is_current(topo, view) {
            return false;
        }
        *self = Layout::compute(topo, view);
        true
    }

    /// The box showing a node: its own, or the `+N more` box it folded into.
    pub fn item_of(&self, node: NodeId) -> Option<usize> {
        self.node_item.get(&node).copied()
    }

    /// The box with this key.
    pub fn find(&self, key: &ItemKey) -> Option<usize> {
        self.items.iter().position(|p| &p.key == key)
    }

    /// The box at a cell (a mouse click).
    pub fn item_at(&self, at: Point) -> Option<usize> {
        self.items.iter().position(|p| p.rect.contains(at))
    }

    /// The edge passing through a cell, if no box is there.
    pub fn route_at(&self, at: Point) -> Option<usize> {
        if self.item_at(at).is_some() {
            return None;
        }
        self.routes.iter().position(|r| {
            r.points.windows(2).any(|s| {
                let (p, q) = (s[0], s[1]);
                at.x >= p.x.min(q.x)
                    && at.x <= p.x.max(q.x)
                    && at.y >= p.y.min(q.y)
                    && at.y <= p.y.max(q.y)
            })
        })
    }

    /// The nearest box in a direction from box `from`: among boxes whose centre lies that way,
    /// those within 45° of the direction first, then the least distance with the sideways
    /// offset counting double.
    pub fn nearest(&self, from: usize, direction: Direction) -> Option<usize> {
        let origin = self.items.get(from)?.rect.centre();
        self.items
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != from)
            .filter_map(|(i, p)| {
                let c = p.rect.centre();
                let (along, across) = match direction {
                    Direction::Left => (origin.x - c.x, c.y - origin.y),
                    Direction::Right => (c.x - origin.x, c.y - origin.y),
                    Direction::Up => (origin.y - c.y, c.x - origin.x),
                    Direction::Down => (c.y - origin.y, c.x - origin.x),
                };
                // Rows are about twice as tall as columns are wide: weigh them alike.
                let (along, across) = match direction {
                    Direction::Left | Direction::Right => (along, across * 2),
                    Direction::Up | Direction::Down => (along * 2, across),
                };
                let outside_cone = across.abs() > along;
                (along > 0).then_some((outside_cone, along + 2 * across.abs(), i))
            })
            .min()
            .map(|(_, _, i)| i)
    }

    /// The boxes whose node name, subnet or VM names contain `query` (case-insensitive).
    pub fn matching(&self, topo: &Topology, query: &str) -> Vec<usize> {
        let query = query.to_lowercase();
        let hit = |id: &NodeId| {
            super::names_of(topo.node(*id)).any(|n| n.to_lowercase().contains(&query))
        };
        self.items
            .iter()
            .enumerate()
            .filter(|(_, p)| match &p.item {
                Item::Node(id) => hit(id),
                Item::Fold { hidden, .. } => hidden.iter().any(hit),
                Item::NotDrawn => false,
            })
            .map(|(i, _)| i)
            .collect()
    }
}

fn signature(topo: &Topology, view: &View, visible: &Visible) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    // Not `view.pinned`: it only decides what folds, and the folds are hashed below, so a new
    // path whose ends were shown anyway keeps the layout.
    let View {
        zoom,
        fold_after,
        expanded,
        pinned: _,
        ascii,
        max_box_width,
    } = view;
    (zoom, fold_after, expanded, ascii, max_box_width).hash(&mut h);
    for id in topo.node_ids() {
        if visible.shown(id) {
            topo.node(id).key().hash(&mut h);
            super::view::node_lines(topo.node(id), view.zoom, view.ascii).hash(&mut h);
        }
    }
    for fold in &visible.folds {
        fold.parent.hash(&mut h);
        fold.hidden.hash(&mut h);
    }
    for (id, a, b, link) in topo.links() {
        (id, a, b, std::mem::discriminant(link)).hash(&mut h);
        if let Link::Peering(p) = link {
            p.global.hash(&mut h);
        }
    }
    super::view::not_drawn_lines(topo.not_drawn()).hash(&mut h);
    h.finish()
}

/// Box size for lines cut to the view's width: `(width, height, cut lines)`.
pub(super) fn sized(lines: Vec<BoxLine>, view: &View) -> (i32, i32, Vec<BoxLine>) {
    let inner = view.max_box_width.saturating_sub(4).max(8);
    let lines: Vec<BoxLine> = lines
        .into_iter()
        .map(|mut l| {
            l.text = super::view::cut(&l.text, inner);
            l
        })
        .collect();
    let w = lines
        .iter()
        .map(|l| l.text.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    (w as i32 + 4, lines.len() as i32 + 2, lines)
}
