//! The topology graph: VNets, on-premises sites and point-to-site pools as nodes; peerings (both
//! sides on one edge), site-to-site, VNet-to-VNet and point-to-site connections as edges. Built
//! from a [`Design`] in one pass (O(objects)); whatever is not drawn as a node is counted in
//! [`NotDrawn`], never dropped.

use super::NodeId;
use crate::model::{ApplianceKind, Design, GatewayKind, PeeringState, Region, SyncLevel};
use crate::session::PeeringStatus;
use ipnet::Ipv4Net;
use petgraph::graph::{EdgeIndex, UnGraph};
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// What kind of thing a node is; with the name, the stable key of a node across rebuilds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    /// A virtual network.
    Vnet,
    /// An on-premises site (local network gateway).
    Site,
    /// The point-to-site client pool of a gateway (named after the gateway).
    P2s,
}

/// A node's stable identity: kind and name. Selections and expand sets hold keys, not indexes,
/// so they survive rebuilding the topology after an edit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeKey {
    /// VNet, site or P2S pool.
    pub kind: NodeKind,
    /// The VNet or site name, or the gateway name of a P2S pool.
    pub name: String,
}

/// A node of the topology.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A virtual network with what lives in it.
    Vnet(VnetNode),
    /// An on-premises site.
    Site(SiteNode),
    /// A point-to-site client pool, drawn beside its gateway's VNet.
    P2s(P2sNode),
}

impl Node {
    /// The node's name (a P2S pool is named after its gateway).
    pub fn name(&self) -> &str {
        match self {
            Node::Vnet(v) => &v.name,
            Node::Site(s) => &s.name,
            Node::P2s(p) => &p.gateway,
        }
    }
    /// VNet, site or P2S pool.
    pub fn kind(&self) -> NodeKind {
        match self {
            Node::Vnet(_) => NodeKind::Vnet,
            Node::Site(_) => NodeKind::Site,
            Node::P2s(_) => NodeKind::P2s,
        }
    }
    /// The stable key of the node.
    pub fn key(&self) -> NodeKey {
        NodeKey {
            kind: self.kind(),
            name: self.name().to_string(),
        }
    }
    /// The VNet data, for a VNet node.
    pub fn as_vnet(&self) -> Option<&VnetNode> {
        match self {
            Node::Vnet(v) => Some(v),
            _ => None,
        }
    }
}

/// A VNet node: name, region, address space, gateways and appliances, subnets with their VMs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VnetNode {
    /// VNet name.
    pub name: String,
    /// Azure region.
    pub region: Region,
    /// Address space.
    pub address_space: Vec<Ipv4Net>,
    /// Gateways in its `GatewaySubnet`.
    pub gateways: Vec<GatewayMark>,
    /// Names of the VMs in it that forward traffic (NVAs, firewalls).
    pub appliances: Vec<String>,
    /// Subnets, in design order.
    pub subnets: Vec<SubnetNode>,
    /// A classic (ASM) VNet.
    pub classic: bool,
}

impl VnetNode {
    /// How many VMs live in the VNet.
    pub fn vm_count(&self) -> usize {
        self.subnets.iter().map(|s| s.vms.len()).sum()
    }
}

/// A gateway as a mark on its VNet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayMark {
    /// Gateway name.
    pub name: String,
    /// VPN or ExpressRoute.
    pub kind: GatewayKind,
}

/// A subnet with its NSG and route-table marks and its VMs (shown at deeper zoom).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetNode {
    /// Subnet name.
    pub name: String,
    /// Its prefix (the first of a multi-prefix subnet).
    pub prefix: Ipv4Net,
    /// The NSG on the subnet.
    pub nsg: Option<String>,
    /// The route table on the subnet.
    pub route_table: Option<String>,
    /// VMs whose primary NIC is here.
    pub vms: Vec<VmMark>,
}

/// A VM as a line inside its subnet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VmMark {
    /// VM name.
    pub name: String,
    /// Primary IP.
    pub ip: Ipv4Addr,
    /// Set for NVAs and firewalls.
    pub appliance: Option<ApplianceKind>,
    /// The NSG on the primary NIC.
    pub nic_nsg: Option<String>,
}

/// An on-premises site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteNode {
    /// Site name.
    pub name: String,
    /// Announced prefixes.
    pub prefixes: Vec<Ipv4Net>,
    /// Host endpoint names.
    pub hosts: Vec<String>,
}

/// A point-to-site client pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct P2sNode {
    /// The gateway serving it.
    pub gateway: String,
    /// The gateway's VNet.
    pub vnet: String,
    /// Client address pool.
    pub pool: Vec<Ipv4Net>,
    /// The endpoint name of its representative client.
    pub client: String,
}

/// The four peering flags of one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PeeringFlags {
    /// `allowVirtualNetworkAccess`.
    pub access: bool,
    /// `allowForwardedTraffic`.
    pub forwarded: bool,
    /// `allowGatewayTransit`.
    pub gateway_transit: bool,
    /// `useRemoteGateways`.
    pub remote_gateways: bool,
    /// A subnet-level peering.
    pub subnet_level: bool,
}

impl PeeringFlags {
    /// Short marks, as drawn beside the owning end: `F` forwarded traffic, `G` gateway
    /// transit, `R` use remote gateways, `S` subnet-level, `¬A` (`!A` in ASCII) access off.
    pub fn marks(self, ascii: bool) -> String {
        let mut text = String::new();
        if !self.access {
            text.push_str(if ascii { "!A" } else { "¬A" });
        }
        for (on, mark) in [
            (self.forwarded, 'F'),
            (self.gateway_transit, 'G'),
            (self.remote_gateways, 'R'),
            (self.subnet_level, 'S'),
        ] {
            if on {
                text.push(mark);
            }
        }
        text
    }
}

/// One side of a peering: the directional resource, with its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeeringSide {
    /// Peering resource name.
    pub name: String,
    /// Index in `design.peerings`.
    pub index: usize,
    /// `peeringState`.
    pub state: PeeringState,
    /// `peeringSyncLevel`.
    pub sync: SyncLevel,
    /// The four flags.
    pub flags: PeeringFlags,
}

/// How a peering pair looks as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkStatus {
    /// Both sides exist and are Connected and in sync: drawn solid.
    Connected,
    /// One side is missing: drawn dashed.
    Initiated,
    /// A side is Disconnected: drawn dotted with a ✕.
    Disconnected,
    /// Both sides connected but an address space is not synced: solid with a ≠.
    OutOfSync,
}

/// A VNet peering pair as one edge; `a` is the edge's first node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeeringLink {
    /// The side owned by node `a` (a → b).
    pub a_to_b: Option<PeeringSide>,
    /// The side owned by node `b` (b → a).
    pub b_to_a: Option<PeeringSide>,
    /// The two VNets are in different regions.
    pub global: bool,
}

impl PeeringLink {
    /// The pair's status from both sides' states and sync levels.
    pub fn status(&self) -> LinkStatus {
        let sides = [self.a_to_b.as_ref(), self.b_to_a.as_ref()];
        if sides
            .into_iter()
            .flatten()
            .any(|s| s.state == PeeringState::Disconnected)
        {
            return LinkStatus::Disconnected;
        }
        let connected = sides
            .into_iter()
            .flatten()
            .all(|s| s.state == PeeringState::Connected);
        // One side missing leaves the other Initiated (unless the remote VNet is classic, where
        // the one ARM side is Connected on its own).
        if !connected {
            return LinkStatus::Initiated;
        }
        if sides
            .into_iter()
            .flatten()
            .any(|s| s.sync != SyncLevel::FullyInSync)
        {
            return LinkStatus::OutOfSync;
        }
        LinkStatus::Connected
    }
    /// The peering names of both sides, for messages and hit tests.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        [&self.a_to_b, &self.b_to_a]
            .into_iter()
            .flatten()
            .map(|s| s.name.as_str())
    }
}

/// Site-to-site or VNet-to-VNet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectionKind {
    /// IPsec to an on-premises site.
    SiteToSite,
    /// VPN gateway to VPN gateway.
    VnetToVnet,
}

/// A gateway connection as an edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionLink {
    /// Connection names (a VNet-to-VNet pair is usually two resources, one per side).
    pub names: Vec<String>,
    /// The Azure-side gateway of the first connection.
    pub gateway: String,
    /// S2S or V2V.
    pub kind: ConnectionKind,
    /// BGP on any of the connections.
    pub bgp: bool,
    /// Whether the link is up: a site-to-site connection always is; a VNet-to-VNet link only
    /// with a connection on each gateway ([`Design::vnet_to_vnet_partner`]), as the engine
    /// reads it, so the picture and the matrix agree.
    ///
    /// [`Design::vnet_to_vnet_partner`]: crate::model::Design::vnet_to_vnet_partner
    pub up: bool,
}

/// An edge of the topology.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A VNet peering pair.
    Peering(PeeringLink),
    /// Site-to-site or VNet-to-VNet connection(s).
    Connection(ConnectionLink),
    /// A gateway's point-to-site pool.
    P2s {
        /// The gateway.
        gateway: String,
    },
}

/// Objects the topology holds but does not draw as nodes: counted on the grey box.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotDrawn {
    /// NSGs (shown as marks at subnet zoom).
    pub nsgs: usize,
    /// Route tables (shown as marks at subnet zoom).
    pub route_tables: usize,
    /// Intents.
    pub intents: usize,
    /// Subscriptions.
    pub subscriptions: usize,
    /// Objects whose references do not resolve, in words (`peering x: no VNet y`).
    pub unplaced: Vec<String>,
}

/// The design as a graph; see the module docs.
#[derive(Debug, Clone)]
pub struct Topology {
    pub(super) graph: UnGraph<Node, Link>,
    pub(super) by_key: HashMap<NodeKey, NodeId>,
    pub(super) not_drawn: NotDrawn,
    /// The design's title.
    pub title: String,
}

impl Topology {
    /// Builds the topology, deriving each peering's state and sync level from the design.
    pub fn build(design: &Design) -> Topology {
        Topology::build_with_status(design, &PeeringStatus::of_all(design))
    }

    /// Builds the topology with peering statuses already derived (the session's
    /// `peering_status()`, in design order); falls back to deriving them when the lengths differ.
    pub fn build_with_status(design: &Design, status: &[PeeringStatus]) -> Topology {
        if status.len() != design.peerings.len() {
            return Topology::build(design);
        }
        super::build::build(design, status)
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }
    /// Every node id, in build order (VNets, sites, P2S pools; each in design order).
    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.graph.node_indices().map(NodeId)
    }
    /// The node with this id.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.graph[id.0]
    }
    /// The node with this key.
    pub fn find(&self, key: &NodeKey) -> Option<NodeId> {
        self.by_key.get(key).copied()
    }
    /// The VNet node with this name.
    pub fn vnet(&self, name: &str) -> Option<NodeId> {
        self.find(&NodeKey {
            kind: NodeKind::Vnet,
            name: name.to_string(),
        })
    }
    /// Every edge as `(id, a, b, link)`, in build order.
    pub fn links(&self) -> impl Iterator<Item = (LinkId, NodeId, NodeId, &Link)> + '_ {
        self.graph.edge_indices().filter_map(|e| {
            let (a, b) = self.graph.edge_endpoints(e)?;
            Some((LinkId(e), NodeId(a), NodeId(b), &self.graph[e]))
        })
    }
    /// The edge with this id, with its ends.
    pub fn link(&self, id: LinkId) -> Option<(NodeId, NodeId, &Link)> {
        let (a, b) = self.graph.edge_endpoints(id.0)?;
        Some((NodeId(a), NodeId(b), &self.graph[id.0]))
    }
    /// The edges joining two nodes.
    pub fn links_between(&self, a: NodeId, b: NodeId) -> impl Iterator<Item = LinkId> + '_ {
        self.graph.edges_connecting(a.0, b.0).map(|e| {
            use petgraph::visit::EdgeRef;
            LinkId(e.id())
        })
    }
    /// The neighbours of a node, each once.
    pub fn neighbours(&self, id: NodeId) -> Vec<NodeId> {
        let mut out: Vec<NodeId> = self.graph.neighbors(id.0).map(NodeId).collect();
        out.sort();
        out.dedup();
        out
    }
    /// What the design holds that is not drawn as a node.
    pub fn not_drawn(&self) -> &NotDrawn {
        &self.not_drawn
    }
}

/// Typed index of a topology edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkId(pub(super) EdgeIndex);

impl LinkId {
    /// The edge's position in build order.
    pub fn index(self) -> usize {
        self.0.index()
    }
}
