//! Making boxes (size, text, frame) for nodes, `+N more` groups and the grey box, and the row
//! of leftovers under a picture (unlinked VNets, the grey box). Shared by both layouts.

use super::fold::FoldGroup;
use super::{Frame, Item, ItemKey, Placed, Point, Rect, Route, sized};
use crate::topology::graph::{Link, Node, Topology};
use crate::topology::shape::{Role, Shape};
use crate::topology::view::{View, fold_lines, node_lines, not_drawn_lines};
use crate::topology::{LinkId, NodeId};

/// A node's box at the origin.
pub fn node_box(topo: &Topology, shape: &Shape, view: &View, id: NodeId) -> Placed {
    let node = topo.node(id);
    let (w, h, lines) = sized(node_lines(node, view.zoom, view.ascii), view);
    let frame = match (node, shape.role(id)) {
        (Node::Site(_) | Node::P2s(_), _) => Frame::Outside,
        (_, Role::Hub) => Frame::Hub,
        _ => Frame::Plain,
    };
    Placed {
        item: Item::Node(id),
        key: ItemKey::Node(node.key()),
        rect: Rect { x: 0, y: 0, w, h },
        lines,
        frame,
    }
}

/// A `+N more` box at the origin.
pub fn fold_box(topo: &Topology, view: &View, group: &FoldGroup) -> Placed {
    let names: Vec<&str> = group
        .hidden
        .iter()
        .map(|id| topo.node(*id).name())
        .collect();
    let (w, h, lines) = sized(fold_lines(&names), view);
    Placed {
        item: Item::Fold {
            parent: group.parent,
            hidden: group.hidden.clone(),
        },
        key: ItemKey::Fold(topo.node(group.parent).key()),
        rect: Rect { x: 0, y: 0, w, h },
        lines,
        frame: Frame::Grey,
    }
}

/// The grey box at the origin, when something is not drawn.
pub fn not_drawn_box(topo: &Topology, view: &View) -> Option<Placed> {
    let lines = not_drawn_lines(topo.not_drawn());
    if lines.is_empty() {
        return None;
    }
    let wide = View {
        max_box_width: view.max_box_width.max(48),
        ..view.clone()
    };
    let (w, h, lines) = sized(lines, &wide);
    Some(Placed {
        item: Item::NotDrawn,
        key: ItemKey::NotDrawn,
        rect: Rect { x: 0, y: 0, w, h },
        lines,
        frame: Frame::Grey,
    })
}

/// Places the boxes `items[from..]` (all at the origin) in a row under the others, left to
/// right, wrapping at the picture's width (at least 60 cells).
pub fn bottom_row(items: &mut [Placed], from: usize) {
    let (above, row) = items.split_at_mut(from.min(items.len()));
    let mut y = above
        .iter()
        .map(|p| p.rect.y + p.rect.h + 2)
        .max()
        .unwrap_or(0);
    let width = above
        .iter()
        .map(|p| p.rect.x + p.rect.w)
        .max()
        .unwrap_or(0)
        .max(60);
    let mut x = 0;
    let mut tallest = 0;
    for placed in row {
        if x > 0 && x + placed.rect.w > width {
            y += tallest + 1;
            x = 0;
            tallest = 0;
        }
        placed.rect.x = x;
        placed.rect.y = y;
        x += placed.rect.w + 2;
        tallest = tallest.max(placed.rect.h);
    }
}

/// The route for a topology edge between boxes `from` and `to`, with `a_at_from` set from the
/// edge's first node.
pub fn route(
    topo: &Topology,
    link: Option<LinkId>,
    from: (usize, NodeId),
    to: usize,
    points: Vec<Point>,
) -> Route {
    let a_at_from = link
        .and_then(|l| topo.link(l))
        .is_some_and(|(a, _, _)| a == from.1);
    Route {
        link,
        from: from.0,
        to,
        points,
        a_at_from,
    }
}

/// Links between two nodes, peerings first, in build order.
pub fn links_between(topo: &Topology, a: NodeId, b: NodeId) -> Vec<LinkId> {
    let mut links: Vec<LinkId> = topo.links_between(a, b).collect();
    links.sort_by_key(|l| {
        let peering = topo
            .link(*l)
            .is_some_and(|(_, _, link)| matches!(link, Link::Peering(_)));
        (!peering, *l)
    });
    links
}
