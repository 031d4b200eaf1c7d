//! The hub-and-spoke layout, O(n) and stable. One hub: the hub in the centre, its spokes in a
//! column on each side (first half left, second half right, each ordered by region then name).
//! Two hubs: side by side, joined by their peering (and VNet-to-VNet connection) lines, the
//! first hub's spokes on the left, the second's on the right. Sites and P2S pools sit in a row
//! above their hub, joined by vertical lines. Every spoke edge is one straight horizontal line
//! from the spoke's name row to the hub's side, so nothing crosses and each edge keeps its own
//! style; the hub box is as tall as its spoke columns. Adding a spoke moves only the spokes
//! after it in its column (and at most one across the split).

use super::boxes::{bottom_row, fold_box, links_between, node_box, not_drawn_box, route};
use super::fold::{Visible, order};
use super::{Placed, Point, Route};
use crate::topology::NodeId;
use crate::topology::graph::Topology;
use crate::topology::shape::{Role, Shape};
use crate::topology::view::View;

/// Columns between a spoke and its hub: room for both sides' flag marks.
pub(super) const SPOKE_GAP: i32 = 16;
/// Columns between two hubs.
const HUB_GAP: i32 = 18;
/// Rows between the site row and the hub.
const SITE_GAP: i32 = 3;

struct Group {
    hub: NodeId,
    item: usize,
    left: Vec<(usize, Option<NodeId>)>,
    right: Vec<(usize, Option<NodeId>)>,
    outside: Vec<(usize, NodeId)>,
}

/// Lays out a star-shaped topology.
pub fn layout(
    topo: &Topology,
    shape: &Shape,
    view: &View,
    visible: &Visible,
) -> (Vec<Placed>, Vec<Route>) {
    let mut hubs = shape.hubs.clone();
    hubs.sort();
    let mut items: Vec<Placed> = Vec::new();
    let mut placed = vec![false; topo.node_count()];
    let mut groups: Vec<Group> = Vec::new();
    for (h, &hub) in hubs.iter().enumerate() {
        placed[hub.index()] = true;
        items.push(node_box(topo, shape, view, hub));
        let item = items.len() - 1;
        let mut neighbours = topo.neighbours(hub);
        neighbours.sort_by(|a, b| order(topo, *a, *b));
        let mut spokes = Vec::new();
        let mut outside = Vec::new();
        for nb in neighbours {
            if !visible.shown(nb) || placed[nb.index()] && shape.role(nb) != Role::Hub {
                continue;
            }
            match shape.role(nb) {
                Role::Hub => {}
                Role::Outside => {
                    placed[nb.index()] = true;
                    items.push(node_box(topo, shape, view, nb));
                    outside.push((items.len() - 1, nb));
                }
                Role::Spoke | Role::Vnet => {
                    placed[nb.index()] = true;
                    items.push(node_box(topo, shape, view, nb));
                    spokes.push((items.len() - 1, Some(nb)));
                }
            }
        }
        if let Some(group) = visible.fold_of(hub) {
            items.push(fold_box(topo, view, group));
            spokes.push((items.len() - 1, None));
        }
        let (left, right) = if hubs.len() == 1 {
            let split = spokes.len().div_ceil(2);
            let right = spokes.split_off(split);
            (spokes, right)
        } else if h == 0 {
            (spokes, Vec::new())
        } else {
            (Vec::new(), spokes)
        };
        groups.push(Group {
            hub,
            item,
            left,
            right,
            outside,
        });
    }
    let mut routes = Vec::new();
    place_groups(topo, &mut items, &mut routes, &groups);
    let from = items.len();
    for id in topo.node_ids() {
        if visible.shown(id) && !placed[id.index()] {
            items.push(node_box(topo, shape, view, id));
        }
    }
    items.extend(not_drawn_box(topo, view));
    bottom_row(&mut items, from);
    (items, routes)
}

fn place_groups(topo: &Topology, items: &mut [Placed], routes: &mut Vec<Route>, groups: &[Group]) {
    let site_row = groups
        .iter()
        .flat_map(|g| &g.outside)
        .map(|(i, _)| items[*i].rect.h)
        .max()
        .map_or(0, |h| h + SITE_GAP);
    let y0 = site_row;
    let hub_links = match groups {
        [g, h] => links_between(topo, g.hub, h.hub),
        _ => Vec::new(),
    };
    let mut x = 0;
    for (n, group) in groups.iter().enumerate() {
        // Left column, right-aligned so every edge has the same length.
        let lw = group
            .left
            .iter()
            .map(|(i, _)| items[*i].rect.w)
            .max()
            .unwrap_or(0);
        let left_bottom = stack(items, &group.left, y0, |w| x + lw - w);
        if lw > 0 {
            x += lw + SPOKE_GAP;
        }
        let row_width: i32 = group
            .outside
            .iter()
            .map(|(i, _)| items[*i].rect.w + 2)
            .sum::<i32>();
        let hub_x = x;
        let hub_w = items[group.item].rect.w.max(row_width + 2);
        let right_x = hub_x + hub_w + SPOKE_GAP;
        let right_bottom = stack(items, &group.right, y0, |_| right_x);
        let hub = &mut items[group.item];
        hub.rect.x = hub_x;
        hub.rect.y = y0;
        hub.rect.w = hub_w;
        hub.rect.h = hub
            .rect
            .h
            .max(left_bottom - y0 + 1)
            .max(right_bottom - y0 + 1)
            .max(hub_links.len() as i32 + 2);
        let hub_rect = hub.rect;
        // Sites and pools above the hub, bottom-aligned, with a vertical line down to it.
        let mut ox = hub_x + 2;
        for (i, id) in &group.outside {
            let r = &mut items[*i].rect;
            r.x = ox;
            r.y = y0 - SITE_GAP - r.h;
            ox += r.w + 2;
            let cx = r.x + r.w / 2;
            let points = vec![
                Point {
                    x: cx,
                    y: r.bottom(),
                },
                Point {
                    x: cx,
                    y: hub_rect.y,
                },
            ];
            for link in links_between(topo, *id, group.hub) {
                routes.push(route(
                    topo,
                    Some(link),
                    (*i, *id),
                    group.item,
                    points.clone(),
                ));
            }
        }
        for (i, spoke) in &group.left {
            let r = items[*i].rect;
            spoke_routes(
                topo,
                routes,
                (*i, *spoke),
                (group.item, group.hub),
                |row| {
                    vec![
                        Point {
                            x: r.right(),
                            y: row,
                        },
                        Point {
                            x: hub_rect.x,
                            y: row,
                        },
                    ]
                },
                r.y,
            );
        }
        for (i, spoke) in &group.right {
            let r = items[*i].rect;
            let links = spoke.map(|s| links_between(topo, group.hub, s));
            for (k, link) in links
                .map_or(vec![None], |l| l.into_iter().map(Some).collect())
                .into_iter()
                .enumerate()
            {
                let row = r.y + 1 + k as i32;
                let points = vec![
                    Point {
                        x: hub_rect.right(),
                        y: row,
                    },
                    Point { x: r.x, y: row },
                ];
                routes.push(route(topo, link, (group.item, group.hub), *i, points));
            }
        }
        x = if group.right.is_empty() {
            hub_x + hub_w
        } else {
            right_x
                + group
                    .right
                    .iter()
                    .map(|(i, _)| items[*i].rect.w)
                    .max()
                    .unwrap_or(0)
        };
        if n + 1 < groups.len() {
            x += HUB_GAP;
        }
    }
    if let [g, h] = groups {
        let (from, to) = (items[g.item].rect, items[h.item].rect);
        for (k, link) in hub_links.into_iter().enumerate() {
            let row = y0 + 1 + k as i32;
            let points = vec![
                Point {
                    x: from.right(),
                    y: row,
                },
                Point { x: to.x, y: row },
            ];
            routes.push(route(topo, Some(link), (g.item, g.hub), h.item, points));
        }
    }
}

/// Routes from a left spoke (or fold box, `spoke` None) to its hub, one row per link.
fn spoke_routes(
    topo: &Topology,
    routes: &mut Vec<Route>,
    spoke: (usize, Option<NodeId>),
    hub: (usize, NodeId),
    points: impl Fn(i32) -> Vec<Point>,
    top: i32,
) {
    let links = match spoke.1 {
        Some(s) => links_between(topo, s, hub.1)
            .into_iter()
            .map(Some)
            .collect(),
        None => vec![None],
    };
    for (k, link) in links.into_iter().enumerate() {
        let from = (spoke.0, spoke.1.unwrap_or(hub.1));
        routes.push(route(topo, link, from, hub.0, points(top + 1 + k as i32)));
    }
}

/// Stacks boxes downwards from `y0` with one blank row between; returns the last bottom row.
fn stack(
    items: &mut [Placed],
    column: &[(usize, Option<NodeId>)],
    y0: i32,
    x_for_width: impl Fn(i32) -> i32,
) -> i32 {
    let mut y = y0;
    let mut bottom = y0;
    for (i, _) in column {
        let r = &mut items[*i].rect;
        r.x = x_for_width(r.w);
        r.y = y;
        bottom = r.bottom();
        y += r.h + 1;
    }
    bottom
}
