//! Painting a layout onto a [`Canvas`] and recolouring it. [`Picture::paint`] draws boxes and
//! edges once per layout; [`Picture::recolour`] runs after every edit or selection change: it
//! redraws only the edges' cells from the current peering states (dashed, dotted, marks, flag
//! letters) and rebuilds a sparse list of overlay marks (path, ✗ with its reason code,
//! selection, filter matches). [`Picture::render`] copies a window and lays the marks over it.
//! Recolour costs O(edge cells + marks); render O(window + marks).

use super::canvas::{Canvas, Class, EAST, NORTH, SOUTH, Stroke, WEST};
use super::graph::{ConnectionKind, Link, LinkStatus, PeeringSide, Topology};
use super::layout::{Frame, Item, ItemKey, Layout, Placed, Point, Route};
use super::path::{PathOverlay, Spot, Way};
use super::view::{Part, Tone, View};

/// What to lay over the picture.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overlay {
    /// The selected pair's path.
    pub path: Option<PathOverlay>,
    /// The selected box.
    pub selected: Option<ItemKey>,
    /// Boxes matching the filter (indexes into the layout's items).
    pub matches: Vec<usize>,
}

/// A character and/or style laid over one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    /// Where.
    pub at: Point,
    /// A character replacing the cell's, if any.
    pub ch: Option<char>,
    /// The style.
    pub class: Class,
}

/// A painted layout plus its overlay; see the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    canvas: Canvas,
    marks: Vec<Mark>,
    route_cells: Vec<Vec<Point>>,
    ascii: bool,
}

impl Picture {
    /// Paints boxes and edges, with the topology's current peering states.
    pub fn paint(layout: &Layout, topo: &Topology, view: &View) -> Picture {
        let width = usize::try_from(layout.width + 2).unwrap_or(0);
        let height = usize::try_from(layout.height + 1).unwrap_or(0);
        let mut canvas = Canvas::new(width, height, view.ascii);
        for placed in &layout.items {
            paint_box(&mut canvas, placed);
        }
        let route_cells = layout.routes.iter().map(Route::cells).collect();
        let mut picture = Picture {
            canvas,
            marks: Vec::new(),
            route_cells,
            ascii: view.ascii,
        };
        picture.recolour(layout, topo, &Overlay::default());
        picture
    }

    /// The painted canvas without the overlay.
    pub fn canvas(&self) -> &Canvas {
        &self.canvas
    }

    /// The overlay marks of the last recolour.
    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// Redraws the edges from the topology's states and rebuilds the overlay marks.
    pub fn recolour(&mut self, layout: &Layout, topo: &Topology, overlay: &Overlay) {
        for (route, cells) in layout.routes.iter().zip(&self.route_cells) {
            let look = look(route, topo);
            paint_route(&mut self.canvas, route, cells, look, self.ascii);
        }
        self.marks.clear();
        if let Some(path) = &overlay.path {
            self.path_marks(layout, topo, path);
        }
        for &i in &overlay.matches {
            if let Some(placed) = layout.items.get(i) {
                self.title_marks(placed, Class::Match);
            }
        }
        if let Some(i) = overlay.selected.as_ref().and_then(|k| layout.find(k)) {
            self.frame_marks(layout.items[i].rect, Class::Selected);
        }
    }

    /// A window of the picture with the overlay laid on.
    pub fn render(&self, x: i32, y: i32, width: usize, height: usize) -> Canvas {
        let mut out = self.canvas.window(x, y, width, height);
        for mark in &self.marks {
            let (cx, cy) = (mark.at.x - x, mark.at.y - y);
            match mark.ch {
                Some(ch) => out.put(cx, cy, ch, mark.class),
                None => out.set_class(cx, cy, mark.class),
            }
        }
        out
    }

    /// The whole picture with the overlay, as text.
    pub fn to_text(&self) -> String {
        self.render(0, 0, self.canvas.width(), self.canvas.height())
            .to_text()
    }

    fn frame_marks(&mut self, r: super::layout::Rect, class: Class) {
        for x in r.x..r.x + r.w {
            for y in [r.y, r.bottom()] {
                self.marks.push(Mark {
                    at: Point { x, y },
                    ch: None,
                    class,
                });
            }
        }
        for y in r.y + 1..r.bottom() {
            for x in [r.x, r.right()] {
                self.marks.push(Mark {
                    at: Point { x, y },
                    ch: None,
                    class,
                });
            }
        }
    }

    fn title_marks(&mut self, placed: &Placed, class: Class) {
        if let Some(line) = placed.lines.first() {
            let y = placed.rect.y + 1;
            for k in 0..line.text.chars().count() as i32 {
                let at = Point {
                    x: placed.rect.x + 2 + k,
                    y,
                };
                self.marks.push(Mark {
                    at,
                    ch: None,
                    class,
                });
            }
        }
    }

    fn line_marks(&mut self, placed: &Placed, part: Part, class: Class) -> bool {
        let Some(row) = placed.lines.iter().position(|l| l.part == part) else {
            return false;
        };
        let y = placed.rect.y + 1 + row as i32;
        for x in placed.rect.x + 1..placed.rect.right() {
            self.marks.push(Mark {
                at: Point { x, y },
                ch: None,
                class,
            });
        }
        true
    }

    fn path_marks(&mut self, layout: &Layout, topo: &Topology, path: &PathOverlay) {
        let class = |way: Way| match way {
            Way::Forward => Class::PathForward,
            Way::Reply => Class::PathReply,
            Way::Both => Class::PathBoth,
        };
        for (spot, way) in &path.spots {
            match *spot {
                Spot::Node(n) | Spot::Part(n, _) => {
                    let Some(i) = layout.item_of(n) else { continue };
                    let placed = layout.items[i].clone();
                    self.frame_marks(placed.rect, class(*way));
                    if let Spot::Part(_, part) = *spot
                        && !self.line_marks(&placed, part, class(*way))
                        && let Part::Vm(s, _) = part
                    {
                        self.line_marks(&placed, Part::Subnet(s), class(*way));
                    }
                }
                Spot::Link(link) => {
                    for r in Self::routes_showing(layout, (link, ends(topo, link))) {
                        let cells = self.route_cells[r].clone();
                        for at in cells {
                            self.marks.push(Mark {
                                at,
                                ch: None,
                                class: class(*way),
                            });
                        }
                    }
                }
            }
        }
        for block in &path.blocks {
            let at = match block.spot {
                Some(Spot::Link(link)) => Self::routes_showing(layout, (link, ends(topo, link)))
                    .first()
                    .map(|r| middle(&self.route_cells[*r])),
                Some(Spot::Node(n) | Spot::Part(n, _)) => layout
                    .item_of(n)
                    .map(|i| layout.items[i].rect)
                    .map(|r| Point {
                        x: r.right() - 1,
                        y: r.y,
                    }),
                None => None,
            };
            let Some(at) = at else { continue };
            let cross = if self.ascii { 'X' } else { '✗' };
            self.marks.push(Mark {
                at,
                ch: Some(cross),
                class: Class::Blocked,
            });
            self.callout(layout, at, &format!("{cross} {}", block.code));
        }
    }

    /// The routes drawing a link: its own, or the edge to the `+N more` box hiding an end.
    fn routes_showing(
        layout: &Layout,
        topo_link: (super::LinkId, Option<[super::NodeId; 2]>),
    ) -> Vec<usize> {
        let (link, ends) = topo_link;
        let own: Vec<usize> = (0..layout.routes.len())
            .filter(|r| layout.routes[*r].link == Some(link))
            .collect();
        if !own.is_empty() {
            return own;
        }
        let folds: Vec<usize> = ends
            .into_iter()
            .flatten()
            .filter_map(|n| layout.item_of(n))
            .filter(|i| matches!(layout.items[*i].item, Item::Fold { .. }))
            .collect();
        (0..layout.routes.len())
            .filter(|r| layout.routes[*r].link.is_none() && folds.contains(&layout.routes[*r].to))
            .collect()
    }

    /// Writes `text` on blank cells outside every box near `at` (below, above, then further),
    /// if there is room.
    fn callout(&mut self, layout: &Layout, at: Point, text: &str) {
        let len = text.chars().count() as i32;
        for dy in [1, -1, 2, -2] {
            for dx in [-len / 2, 1, -len] {
                let (x, y) = (at.x + dx, at.y + dy);
                let free = (0..len).all(|k| {
                    self.canvas.is_blank(x + k, y)
                        && layout.item_at(Point { x: x + k, y }).is_none()
                        && !self
                            .marks
                            .iter()
                            .any(|m| m.ch.is_some() && m.at == Point { x: x + k, y })
                });
                if free {
                    for (k, ch) in text.chars().enumerate() {
                        let at = Point { x: x + k as i32, y };
                        self.marks.push(Mark {
                            at,
                            ch: Some(ch),
                            class: Class::Blocked,
                        });
                    }
                    return;
                }
            }
        }
    }
}

fn middle(cells: &[Point]) -> Point {
    cells.get(cells.len() / 2).copied().unwrap_or_default()
}

fn paint_box(canvas: &mut Canvas, placed: &Placed) {
    let r = placed.rect;
    let (stroke, class) = match placed.frame {
        Frame::Hub => (Stroke::Double, Class::Hub),
        Frame::Outside => (Stroke::Light, Class::Outside),
        Frame::Plain => (Stroke::Light, Class::Normal),
        Frame::Grey => (Stroke::Light, Class::Dim),
    };
    let class = Some(class);
    canvas.arm(r.x, r.y, EAST | SOUTH, stroke, class);
    canvas.arm(r.right(), r.y, WEST | SOUTH, stroke, class);
    canvas.arm(r.x, r.bottom(), NORTH | EAST, stroke, class);
    canvas.arm(r.right(), r.bottom(), NORTH | WEST, stroke, class);
    for x in r.x + 1..r.right() {
        canvas.arm(x, r.y, EAST | WEST, stroke, class);
        canvas.arm(x, r.bottom(), EAST | WEST, stroke, class);
    }
    for y in r.y + 1..r.bottom() {
        canvas.arm(r.x, y, NORTH | SOUTH, stroke, class);
        canvas.arm(r.right(), y, NORTH | SOUTH, stroke, class);
    }
    if placed.frame == Frame::Outside && !canvas.is_ascii() {
        for (x, y, ch) in [
            (r.x, r.y, '╭'),
            (r.right(), r.y, '╮'),
            (r.x, r.bottom(), '╰'),
            (r.right(), r.bottom(), '╯'),
        ] {
            canvas.put(x, y, ch, Class::Outside);
        }
    }
    for (k, line) in placed.lines.iter().enumerate() {
        let class = match (line.tone, placed.frame) {
            (_, Frame::Grey) | (Tone::Dim, _) => Class::Dim,
            (Tone::Title, _) => Class::Title,
            (Tone::Normal, _) => Class::Normal,
        };
        canvas.text(r.x + 2, r.y + 1 + k as i32, &line.text, class);
    }
}

fn ends(topo: &Topology, link: super::LinkId) -> Option<[super::NodeId; 2]> {
    topo.link(link).map(|(a, b, _)| [a, b])
}

/// How an edge looks now.
struct Look {
    stroke: Stroke,
    class: Class,
    /// Text near the `from` end and near the `to` end.
    ends: [String; 2],
    /// Text in the middle.
    middle: Option<String>,
}

fn look(route: &Route, topo: &Topology) -> Look {
    let plain = |stroke, class, middle: Option<&str>| Look {
        stroke,
        class,
        ends: [String::new(), String::new()],
        middle: middle.map(str::to_string),
    };
    let Some((_, _, link)) = route.link.and_then(|l| topo.link(l)) else {
        return plain(Stroke::Light, Class::Dim, None);
    };
    match link {
        Link::Peering(p) => {
            let status = p.status();
            let (stroke, class, middle) = match (status, p.global) {
                (LinkStatus::Connected, false) => (Stroke::Light, Class::Normal, None),
                (LinkStatus::Connected, true) => (Stroke::Double, Class::Normal, None),
                (LinkStatus::Initiated, false) => (Stroke::Dashed, Class::Warn, None),
                (LinkStatus::Initiated, true) => (Stroke::HeavyDashed, Class::Warn, None),
                (LinkStatus::Disconnected, _) => (Stroke::Dotted, Class::Blocked, Some("✕")),
                (LinkStatus::OutOfSync, g) => (
                    if g { Stroke::Double } else { Stroke::Light },
                    Class::Blocked,
                    Some("≠"),
                ),
            };
            let side = |s: &Option<PeeringSide>| match s {
                Some(side) => side.flags.marks(false),
                None => "?".to_string(),
            };
            let (a, b) = (side(&p.a_to_b), side(&p.b_to_a));
            let ends = if route.a_at_from { [a, b] } else { [b, a] };
            Look {
                stroke,
                class,
                ends,
                middle: middle.map(str::to_string),
            }
        }
        Link::Connection(c) => {
            let middle = match c.kind {
                ConnectionKind::SiteToSite => "S2S",
                ConnectionKind::VnetToVnet => "V2V",
            };
            // A VNet-to-VNet connection without its pair is drawn like a one-sided peering.
            if c.up {
                plain(Stroke::Light, Class::Outside, Some(middle))
            } else {
                plain(Stroke::Dashed, Class::Warn, Some(middle))
            }
        }
        Link::P2s { .. } => plain(Stroke::Light, Class::Outside, Some("P2S")),
    }
}

fn paint_route(canvas: &mut Canvas, route: &Route, cells: &[Point], look: Look, ascii: bool) {
    let n = cells.len();
    for (k, at) in cells.iter().enumerate() {
        let mut mask = 0;
        for other in [k.checked_sub(1), (k + 1 < n).then_some(k + 1)]
            .into_iter()
            .flatten()
        {
            let o = cells[other];
            mask |= match (o.x - at.x, o.y - at.y) {
                (1, _) => EAST,
                (-1, _) => WEST,
                (_, 1) => SOUTH,
                _ => NORTH,
            };
        }
        // The end cells sit on box borders: keep the border's style there.
        let class = (k != 0 && k + 1 != n).then_some(look.class);
        canvas.arm(at.x, at.y, mask, look.stroke, class);
    }
    let fix = |text: &str| -> String {
        if ascii {
            text.replace('¬', "!").replace('✕', "x").replace('≠', "#")
        } else {
            text.to_string()
        }
    };
    // Flag letters run along the first and last horizontal stretch, two cells from the box.
    let straight = |from_end: bool| -> Option<(Point, i32)> {
        let (p, q) = if from_end {
            (*route.points.first()?, *route.points.get(1)?)
        } else {
            (
                *route.points.last()?,
                *route.points.get(route.points.len() - 2)?,
            )
        };
        (p.y == q.y).then_some((p, (q.x - p.x).signum()))
    };
    for (end, text) in look.ends.iter().enumerate() {
        let Some((p, dir)) = straight(end == 0) else {
            continue;
        };
        let text = fix(text);
        let len = text.chars().count() as i32;
        if len == 0 {
            continue;
        }
        let x = if dir > 0 { p.x + 2 } else { p.x - 1 - len };
        canvas.text(x, p.y, &text, look.class);
    }
    if let Some(text) = look.middle {
        let text = fix(&text);
        let at = middle(cells);
        let len = text.chars().count() as i32;
        canvas.text(at.x - len / 2, at.y, &text, look.class);
    }
}
