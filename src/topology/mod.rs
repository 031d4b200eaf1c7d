//! The topology view's core: the design as a petgraph graph, two layouts, a terminal-agnostic
//! canvas, the path of a pair drawn on it, and exports (Mermaid, DOT, SVG, a Markdown matrix).
//! Pure: no terminal, no argument parsing; the TUI pane and `vnetlab diagram` are thin shells.
//!
//! The pipeline, and what each step costs:
//!
//! 1. [`Topology::build`] after an edit that changes the structure: nodes (VNets, sites, P2S
//!    pools) and edges (peering pairs with both sides' states and flags, connections),
//!    O(objects). A [`Structure`] kept beside it says whether an edit did
//!    ([`Structure::matches`], O(objects) compares, no allocation); when it did not (a route, an
//!    NSG rule, a peering flag), [`Topology::restate`] refreshes the peering states and flags in
//!    place, O(peerings), and the layout is current without checking.
//! 2. [`Layout::compute`] only when [`Layout::is_current`] says the structure or the [`View`]
//!    changed (boxes, their text, edges, zoom, folding): the hub-and-spoke layout in O(n), the
//!    layered layout in O(E² · sweeps) on the folded graph.
//! 3. [`Picture::paint`] once per layout; [`Picture::recolour`] after every edit or selection
//!    change, O(edge cells + overlay): peering states redraw their edges, a [`PathOverlay`]
//!    (from an engine [`crate::engine::Trace`]) marks the hops and ✗ with the reason code.
//! 4. [`Picture::render`] copies the visible window: O(window).
//!
//! Navigation works on the layout: [`Layout::item_at`] (mouse), [`Layout::nearest`] (`hjkl`),
//! [`Layout::matching`] (`/`), [`Layout::item_of`] (where a node is, folded or not). Selections
//! and expand sets hold [`NodeKey`]s and [`ItemKey`]s, which survive rebuilds.

mod build;
pub mod canvas;
pub mod export;
mod graph;
pub mod layout;
mod paint;
mod path;
mod shape;
mod structure;
pub mod view;

pub use canvas::{Canvas, Cell, Class};
pub use graph::{
    ConnectionKind, ConnectionLink, GatewayMark, Link, LinkId, LinkStatus, Node, NodeKey, NodeKind,
    NotDrawn, P2sNode, PeeringFlags, PeeringLink, PeeringSide, SiteNode, SubnetNode, Topology,
    VmMark, VnetNode,
};
pub use layout::{Direction, Item, ItemKey, Layout, Placed, Point, Rect, Route};
pub use paint::{Mark, Overlay, Picture};
pub use path::{Block, PathOverlay, Spot, Step, Way};
pub use shape::{Role, Shape, ShapeKind, shape};
pub use structure::Structure;
pub use view::{View, Zoom};

use petgraph::graph::NodeIndex;

/// Typed index of a topology node; valid for the topology it came from (use [`NodeKey`] to
/// hold on to a node across rebuilds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(NodeIndex);

impl NodeId {
    /// The node's position in build order.
    pub fn index(self) -> usize {
        self.0.index()
    }
}

/// Every name a node answers to in a filter: its own, its subnets', VMs', gateways', hosts'.
pub(crate) fn names_of(node: &Node) -> Box<dyn Iterator<Item = &str> + '_> {
    match node {
        Node::Vnet(v) => Box::new(
            std::iter::once(v.name.as_str())
                .chain(v.gateways.iter().map(|g| g.name.as_str()))
                .chain(v.subnets.iter().flat_map(|s| {
                    std::iter::once(s.name.as_str()).chain(s.vms.iter().map(|vm| vm.name.as_str()))
                })),
        ),
        Node::Site(s) => {
            Box::new(std::iter::once(s.name.as_str()).chain(s.hosts.iter().map(String::as_str)))
        }
        Node::P2s(p) => Box::new([p.gateway.as_str(), p.client.as_str()].into_iter()),
    }
}

/// The whole picture of a design as text: layout, paint, overlay.
pub fn draw(topo: &Topology, view: &View, overlay: &Overlay) -> String {
    let layout = Layout::compute(topo, view);
    let mut picture = Picture::paint(&layout, topo, view);
    picture.recolour(&layout, topo, overlay);
    picture.to_text()
}
