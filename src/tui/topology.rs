//! The Topology pane's state and moves: the picture of the design from `crate::topology`, kept
//! in the app between frames, with the selected box, the zoom level, the opened `+N more` boxes
//! and the scroll position, and the moves on them (step, zoom, pan, Enter). The app calls them
//! from `topology_actions`; this module knows nothing of the app.
//!
//! What each settle costs: when the session's revision changed, the design is compared with the
//! [`Structure`] the topology was built from (O(objects), no allocation). An edit that left it
//! alone (a route, an NSG rule, a peering flag) only restates the peering edges
//! ([`Topology::restate`], O(peerings)) and recolours: the layout is current by construction.
//! An edit that changed it rebuilds the topology (O(objects)) and lays out again only when the
//! layout's fingerprint changed ([`Layout::update`]: boxes, their text, edges, zoom, folding —
//! the path's ends are pinned so a `+N more` box never hides them). When only the matrix's
//! selected pair, the selection or the filter changed, the picture is only recoloured
//! (O(edge cells + marks)). Otherwise a settle compares a few keys and does nothing. Drawing
//! copies the visible window.
//!
//! The path drawn is the trace of the pair selected in the matrix (`Live::trace`), resolved on
//! the picture with [`PathOverlay::new`]: the same data as `vnetlab diagram --path`.

use super::forms::FormSpec;
use crate::engine::Trace;
use crate::session::{PeeringStatus, Session};
use crate::topology::{
    Canvas, Direction, Item, ItemKey, Layout, Node, NodeKey, Overlay, PathOverlay, Picture, Point,
    Structure, Topology, View, Zoom,
};
use ratatui::layout::Rect;
use std::collections::BTreeSet;

/// Columns or rows one pan key moves the picture.
pub(super) const PAN_STEP: i32 = 8;

/// Boxes are sized for a picture at least this wide, whatever the pane's width: a narrow
/// pane pans over a readable picture rather than showing cut labels.
const MIN_PICTURE_WIDTH: usize = 140;

/// Which trace a path overlay was resolved from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PathKey {
    evaluated: u64,
    from: String,
    to: String,
    flow: String,
}

/// The picture as last laid out and recoloured.
#[derive(Debug)]
struct Drawn {
    /// The session revision the topology was built or restated from.
    revision: u64,
    /// What the topology's structure was built from.
    structure: Structure,
    topo: Topology,
    view: View,
    layout: Layout,
    picture: Picture,
    path_key: Option<PathKey>,
    path: Option<PathOverlay>,
    overlay: Overlay,
}

/// What the window scrolls to show at the next refresh: the window moves only when something
/// moved (the selection, the layout, the window, a new path), never on its own after a pan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Reveal {
    /// The selected box (on the first frame, after a move, a relayout or a resize).
    #[default]
    Selection,
    /// The first ✗ of a newly selected pair's path.
    Block,
    /// Nothing: the window stays where it is.
    Nothing,
}

/// How much work the pane has done since it was created: what a non-structural edit must not
/// cause (a build or a layout) and what it does (a restate). For tests and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TopologyWork {
    /// Topologies built from the design.
    pub builds: usize,
    /// Topologies restated in place after an edit that left the structure alone.
    pub restates: usize,
    /// Layouts computed.
    pub layouts: usize,
}

/// The Topology pane's state; see the module docs.
#[derive(Debug, Default)]
pub struct TopologyPane {
    zoom: Zoom,
    expanded: BTreeSet<NodeKey>,
    pub(super) selected: Option<ItemKey>,
    scroll: Point,
    /// What the window scrolls to show at the next refresh.
    reveal: Reveal,
    /// The filter the matches were last computed for.
    filter: String,
    /// The size of the window the picture was last shown in.
    window: (u16, u16),
    drawn: Option<Drawn>,
    /// The matrix's pair (endpoint indexes) the selection last followed.
    pub(super) followed: Option<(usize, usize)>,
    /// The box marked with Space as the source of a pair to select.
    pub(super) marked: Option<NodeKey>,
    /// The work done so far.
    work: TopologyWork,
}

impl TopologyPane {
    /// Brings the picture up to date with the session, the matrix's selected pair (`trace`)
    /// and the pane's filter, for a window of `window` cells.
    pub fn refresh(
        &mut self,
        session: &Session,
        trace: Option<&Trace>,
        filter: &str,
        window: Rect,
    ) {
        let width = usize::from(window.width).max(MIN_PICTURE_WIDTH);
        let revision = session.revision();
        let path_key = trace.map(|t| PathKey {
            evaluated: session.evaluated_revision(),
            from: t.from.clone(),
            to: t.to.clone(),
            flow: t.flow.to_string(),
        });
        let design = session.design();
        // The session's statuses are of the evaluated revision; derive them while it lags.
        let derived;
        let status = if session.is_stale() {
            derived = PeeringStatus::of_all(design);
            &derived
        } else {
            session.peering_status()
        };
        // `restated`: the picture's states changed; `changed`: its structure (or the view) did.
        let (mut drawn, mut changed, restated) = match self.drawn.take() {
            Some(d) if d.revision == revision => (d, false, false),
            Some(mut d) if d.structure.matches(design) => {
                d.topo.restate(design, status);
                d.revision = revision;
                self.work.restates += 1;
                (d, false, true)
            }
            Some(mut d) => {
                d.topo = Topology::build_with_status(design, status);
                d.structure = Structure::of(design);
                d.revision = revision;
                self.work.builds += 1;
                (d, true, false)
            }
            None => {
                let topo = Topology::build_with_status(design, status);
                let view = View::for_width(width);
                let layout = Layout::compute(&topo, &view);
                let picture = Picture::paint(&layout, &topo, &view);
                self.work.builds += 1;
                self.work.layouts += 1;
                let drawn = Drawn {
                    revision,
                    structure: Structure::of(design),
                    topo,
                    view,
                    layout,
                    picture,
                    path_key: None,
                    path: None,
                    overlay: Overlay::default(),
                };
                (drawn, true, false)
            }
        };
        let new_path = changed || restated || drawn.path_key != path_key;
        if new_path {
            drawn.path = trace.map(|t| PathOverlay::new(&drawn.topo, t));
            drawn.path_key = path_key;
        }
        let mut view = View::for_width(width);
        view.zoom = self.zoom;
        view.expanded.clone_from(&self.expanded);
        if let Some(path) = &drawn.path {
            view.pinned.extend(path.touched(&drawn.topo));
        }
        if changed || view != drawn.view {
            if drawn.layout.update(&drawn.topo, &view) {
                self.work.layouts += 1;
                drawn.picture = Picture::paint(&drawn.layout, &drawn.topo, &view);
                self.reveal = Reveal::Selection;
            }
            drawn.view = view;
            changed = true;
        }
        let filter_changed = self.filter != filter;
        if filter_changed {
            self.filter = filter.to_string();
        }
        let matches = if filter.is_empty() {
            Vec::new()
        } else if changed || filter_changed {
            drawn.layout.matching(&drawn.topo, filter)
        } else {
            drawn.overlay.matches.clone()
        };
        if filter_changed && let Some(&first) = matches.first() {
            self.selected = Some(drawn.layout.items[first].key.clone());
            self.reveal = Reveal::Selection;
        }
        if self
            .selected
            .as_ref()
            .is_none_or(|key| drawn.layout.find(key).is_none())
        {
            self.selected = first_node(&drawn.layout);
        }
        // The selection is laid on when drawing (see `selected_frame`), so a path through the
        // selected box keeps its heavy frame.
        let overlay = Overlay {
            path: drawn.path.clone(),
            selected: None,
            matches,
        };
        if changed || restated || overlay != drawn.overlay {
            drawn.picture.recolour(&drawn.layout, &drawn.topo, &overlay);
            drawn.overlay = overlay;
        }
        if self.window != (window.width, window.height) {
            self.window = (window.width, window.height);
            self.reveal = Reveal::Selection;
        }
        self.drawn = Some(drawn);
        if new_path && self.reveal != Reveal::Selection && self.block_mark().is_some() {
            self.reveal = Reveal::Block;
        }
        let shown = match self.reveal {
            Reveal::Block => self.block_mark().map(|at| (at, at)),
            Reveal::Selection => self.selected_rect().map(|r| {
                let end = Point {
                    x: r.right(),
                    y: r.bottom(),
                };
                (Point { x: r.x, y: r.y }, end)
            }),
            Reveal::Nothing => None,
        };
        if let Some((start, end)) = shown {
            self.scroll_to(start, end);
        }
        self.reveal = Reveal::Nothing;
        self.clamp_scroll();
    }

    /// The window of the picture to show, with the overlay laid on, and whether each edge has
    /// more picture beyond it (left, right, up, down).
    pub fn window(&self) -> Option<(Canvas, [bool; 4])> {
        let drawn = self.drawn.as_ref()?;
        let (w, h) = self.window;
        let canvas = drawn.picture.canvas();
        let (cw, ch) = (canvas.width() as i32, canvas.height() as i32);
        let more = [
            self.scroll.x > 0,
            self.scroll.x + i32::from(w) < cw,
            self.scroll.y > 0,
            self.scroll.y + i32::from(h) < ch,
        ];
        Some((
            drawn
                .picture
                .render(self.scroll.x, self.scroll.y, usize::from(w), usize::from(h)),
            more,
        ))
    }

    /// The selected box's rectangle, in the window's cells (it may reach outside the window).
    pub fn selected_frame(&self) -> Option<crate::topology::Rect> {
        let rect = self.selected_rect()?;
        Some(crate::topology::Rect {
            x: rect.x - self.scroll.x,
            y: rect.y - self.scroll.y,
            ..rect
        })
    }

    /// The path drawn, if a pair is selected in the matrix.
    pub fn path(&self) -> Option<&PathOverlay> {
        self.drawn.as_ref()?.path.as_ref()
    }

    /// The selected box.
    pub fn selected(&self) -> Option<&ItemKey> {
        self.selected.as_ref()
    }

    /// The work done so far (builds, restates, layouts).
    pub fn work(&self) -> TopologyWork {
        self.work
    }

    /// The zoom level.
    pub fn zoom(&self) -> Zoom {
        self.zoom
    }

    /// The node under the selected box, if it is a node's box.
    pub(super) fn selected_node(&self) -> Option<&Node> {
        let drawn = self.drawn.as_ref()?;
        let i = drawn.layout.find(self.selected.as_ref()?)?;
        match drawn.layout.items[i].item {
            Item::Node(id) => Some(drawn.topo.node(id)),
            _ => None,
        }
    }

    fn selected_rect(&self) -> Option<crate::topology::Rect> {
        let drawn = self.drawn.as_ref()?;
        let i = drawn.layout.find(self.selected.as_ref()?)?;
        Some(drawn.layout.items[i].rect)
    }

    /// Where the first ✗ of the path is drawn.
    fn block_mark(&self) -> Option<Point> {
        let drawn = self.drawn.as_ref()?;
        drawn
            .picture
            .marks()
            .iter()
            .find(|m| matches!(m.ch, Some('✗' | 'X')))
            .map(|m| m.at)
    }

    /// Scrolls as little as possible to show the cells from `start` to `end`.
    fn scroll_to(&mut self, start: Point, end: Point) {
        let (w, h) = (i32::from(self.window.0), i32::from(self.window.1));
        for (scroll, lo, hi, size) in [
            (&mut self.scroll.x, start.x, end.x, w),
            (&mut self.scroll.y, start.y, end.y, h),
        ] {
            if hi >= *scroll + size {
                *scroll = hi - size + 1;
            }
            if lo < *scroll {
                *scroll = lo;
            }
        }
    }

    fn clamp_scroll(&mut self) {
        let Some(drawn) = &self.drawn else { return };
        let canvas = drawn.picture.canvas();
        let max_x = (canvas.width() as i32 - i32::from(self.window.0)).max(0);
        let max_y = (canvas.height() as i32 - i32::from(self.window.1)).max(0);
        self.scroll.x = self.scroll.x.clamp(0, max_x);
        self.scroll.y = self.scroll.y.clamp(0, max_y);
    }

    /// Moves the selection to the nearest box in a direction.
    pub(super) fn step(&mut self, direction: Direction) -> bool {
        let Some(drawn) = &self.drawn else {
            return false;
        };
        let Some(from) = self.selected.as_ref().and_then(|k| drawn.layout.find(k)) else {
            return false;
        };
        match drawn.layout.nearest(from, direction) {
            Some(to) => {
                self.selected = Some(drawn.layout.items[to].key.clone());
                self.reveal = Reveal::Selection;
                true
            }
            None => false,
        }
    }

    fn select_index(&mut self, index: usize) {
        if let Some(placed) = self.drawn.as_ref().and_then(|d| d.layout.items.get(index)) {
            self.selected = Some(placed.key.clone());
            self.reveal = Reveal::Selection;
        }
    }

    /// Selects the first box of the picture, or the last.
    pub(super) fn select_end(&mut self, last: bool) {
        let index = match (&self.drawn, last) {
            (Some(drawn), true) => drawn.layout.items.len().saturating_sub(1),
            _ => 0,
        };
        self.select_index(index);
    }

    /// Shows one level of detail more (`deeper`) or less; returns the new level.
    pub(super) fn zoom_by(&mut self, deeper: bool) -> Zoom {
        self.zoom = if deeper {
            self.zoom.deeper()
        } else {
            self.zoom.shallower()
        };
        self.reveal = Reveal::Selection;
        self.zoom
    }

    /// Moves the window `dx` columns and `dy` rows over the picture (kept on it); the window
    /// then stays where it is until something else moves.
    pub(super) fn pan(&mut self, dx: i32, dy: i32) {
        self.scroll.x += dx;
        self.scroll.y += dy;
        self.reveal = Reveal::Nothing;
        self.clamp_scroll();
    }

    /// Enter on the selected box: a VNet, site or point-to-site pool names its form; a `+N more`
    /// box opens (or closes) here, the selection staying on its hub.
    pub(super) fn open_selection(&mut self) -> Opened {
        let Some(drawn) = &self.drawn else {
            return Opened::NothingSelected;
        };
        let Some(i) = self.selected.as_ref().and_then(|k| drawn.layout.find(k)) else {
            return Opened::NothingSelected;
        };
        match &drawn.layout.items[i].item {
            Item::Node(id) => Opened::Form(match drawn.topo.node(*id) {
                Node::Vnet(v) => FormSpec::Vnet(Some(v.name.clone())),
                Node::Site(s) => FormSpec::Site(Some(s.name.clone())),
                Node::P2s(p) => FormSpec::Gateway(Some(p.gateway.clone())),
            }),
            Item::Fold { parent, .. } => {
                let key = drawn.topo.node(*parent).key();
                if !self.expanded.remove(&key) {
                    self.expanded.insert(key.clone());
                }
                // The `+N more` box goes away when opened: keep the selection on its hub.
                self.selected = Some(ItemKey::Node(key));
                Opened::Folding
            }
            Item::NotDrawn => Opened::NotDrawn,
        }
    }

    /// Selects the box at a cell of the window; returns whether there was one.
    pub(super) fn click(&mut self, x: u16, y: u16) -> bool {
        let at = Point {
            x: self.scroll.x + i32::from(x),
            y: self.scroll.y + i32::from(y),
        };
        match self.drawn.as_ref().and_then(|d| d.layout.item_at(at)) {
            Some(i) => {
                self.select_index(i);
                true
            }
            None => false,
        }
    }
}

fn first_node(layout: &Layout) -> Option<ItemKey> {
    layout
        .items
        .iter()
        .find(|p| matches!(p.key, ItemKey::Node(_)))
        .or(layout.items.first())
        .map(|p| p.key.clone())
}

/// What Enter on the picture did ([`TopologyPane::open_selection`]).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Opened {
    /// No box is selected.
    NothingSelected,
    /// The selected box is an object with a form: open it.
    Form(FormSpec),
    /// A `+N more` box was opened or closed.
    Folding,
    /// The selected box stands for objects the picture does not draw.
    NotDrawn,
}

/// The zoom level in words.
pub fn zoom_name(zoom: Zoom) -> &'static str {
    match zoom {
        Zoom::Vnets => "VNets",
        Zoom::Subnets => "subnets",
        Zoom::Vms => "VMs",
    }
}
