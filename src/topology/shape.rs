//! Reading the shape of a topology with petgraph: peering degree, hub detection, connected
//! components (union-find over the edges), and whether the whole picture is a hub-and-spoke
//! star that the purpose-built layout can draw. O(nodes + edges).

use super::NodeId;
use super::graph::{Link, Node, Topology};
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;

/// The part a node plays in the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// A VNet recognised as a hub: gateways, appliances, peering degree.
    Hub,
    /// A VNet whose only neighbours are hubs.
    Spoke,
    /// Any other VNet (meshes, chains, unpeered VNets).
    Vnet,
    /// An on-premises site or a P2S pool.
    Outside,
}

/// Which layout fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShapeKind {
    /// One or two hubs, every other VNet peered to exactly one hub, sites and pools on hubs,
    /// and nothing else linked: the hub-and-spoke layout.
    Star,
    /// Anything else: the layered layout.
    General,
}

/// The shape of a topology.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// Role per node, by node index.
    pub roles: Vec<Role>,
    /// Component number per node, by node index; components are numbered in node order.
    pub components: Vec<usize>,
    /// Number of components.
    pub component_count: usize,
    /// Hubs, strongest first (peering degree, then design order).
    pub hubs: Vec<NodeId>,
    /// Distinct peered VNets per node, by node index.
    pub degree: Vec<usize>,
    /// Star or general.
    pub kind: ShapeKind,
}

impl Shape {
    /// The role of a node.
    pub fn role(&self, id: NodeId) -> Role {
        self.roles.get(id.index()).copied().unwrap_or(Role::Vnet)
    }
}

/// Reads the shape of a topology.
pub fn shape(topo: &Topology) -> Shape {
    let g = &topo.graph;
    let n = g.node_count();
    let mut degree = vec![0usize; n];
    for id in topo.node_ids() {
        let mut peers: Vec<usize> = g
            .edges(id.0)
            .filter(|e| matches!(e.weight(), Link::Peering(_)))
            .map(|e| {
                if e.source() == id.0 {
                    e.target().index()
                } else {
                    e.source().index()
                }
            })
            .collect();
        peers.sort_unstable();
        peers.dedup();
        degree[id.index()] = peers.len();
    }
    let mut hubs: Vec<NodeId> = topo
        .node_ids()
        .filter(|&id| match topo.node(id) {
            Node::Vnet(v) => {
                let d = degree[id.index()];
                let equipped = !v.gateways.is_empty() || !v.appliances.is_empty();
                d >= 3 || d >= 1 && equipped
            }
            _ => false,
        })
        .collect();
    hubs.sort_by_key(|id| (std::cmp::Reverse(degree[id.index()]), *id));
    let roles: Vec<Role> = topo
        .node_ids()
        .map(|id| match topo.node(id) {
            Node::Site(_) | Node::P2s(_) => Role::Outside,
            Node::Vnet(_) if hubs.contains(&id) => Role::Hub,
            Node::Vnet(_) => {
                let neighbours = topo.neighbours(id);
                if !neighbours.is_empty() && neighbours.iter().all(|nb| hubs.contains(nb)) {
                    Role::Spoke
                } else {
                    Role::Vnet
                }
            }
        })
        .collect();
    let mut sets = UnionFind::<usize>::new(n);
    for edge in g.edge_references() {
        sets.union(edge.source().index(), edge.target().index());
    }
    let mut numbers: Vec<Option<usize>> = vec![None; n];
    let mut components = vec![0; n];
    let mut component_count = 0;
    for (i, component) in components.iter_mut().enumerate() {
        let root = sets.find(i);
        let number = *numbers[root].get_or_insert_with(|| {
            component_count += 1;
            component_count - 1
        });
        *component = number;
    }
    let kind = if is_star(topo, &roles, &hubs) {
        ShapeKind::Star
    } else {
        ShapeKind::General
    };
    Shape {
        roles,
        components,
        component_count,
        hubs,
        degree,
        kind,
    }
}

/// One or two hubs; each spoke linked to one hub only; sites and pools linked only to hubs;
/// every other node unlinked.
fn is_star(topo: &Topology, roles: &[Role], hubs: &[NodeId]) -> bool {
    if hubs.is_empty() || hubs.len() > 2 {
        return false;
    }
    topo.node_ids().all(|id| {
        let neighbours = topo.neighbours(id);
        match roles[id.index()] {
            Role::Hub => neighbours.iter().all(|nb| roles[nb.index()] != Role::Vnet),
            Role::Spoke => neighbours.len() == 1,
            Role::Outside => neighbours.len() == 1 && roles[neighbours[0].index()] == Role::Hub,
            Role::Vnet => neighbours.is_empty(),
        }
    })
}
