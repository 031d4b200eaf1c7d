//! The path of one pair on the picture: each hop of an engine [`Trace`] (request and reply)
//! resolved to the node, subnet, VM or edge it happened at, the edges between consecutive
//! nodes that the hops imply (a gateway to its site), and each blocker at its spot with its
//! reason code. Hop places are the engine's words (`peering \`x\``, `gateway \`g\``,
//! `site \`s\``, `P2S client of \`g\``, `vnet/subnet`, a VM, NSG or route name); one that
//! resolves to nothing is kept in the step list without a spot. O(hops × nodes).

use super::graph::{Link, Node, NodeKey, NodeKind, Topology};
use super::view::Part;
use super::{LinkId, NodeId};
use crate::engine::{EngineError, ReasonCode, Trace, Verdict};
use crate::model::{Design, Flow};

/// Which direction of the conversation passes a spot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Way {
    /// The request.
    Forward,
    /// The reply.
    Reply,
    /// Both.
    Both,
}

impl Way {
    fn with(self, other: Way) -> Way {
        if self == other { self } else { Way::Both }
    }
}

/// Where on the picture something happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Spot {
    /// A node as a whole.
    Node(NodeId),
    /// A subnet or VM line of a VNet.
    Part(NodeId, Part),
    /// An edge.
    Link(LinkId),
}

impl Spot {
    /// The node of a node or part spot.
    pub fn node(self) -> Option<NodeId> {
        match self {
            Spot::Node(n) | Spot::Part(n, _) => Some(n),
            Spot::Link(_) => None,
        }
    }
}

/// One hop, numbered per direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Request or reply.
    pub way: Way,
    /// 1-based number within its direction.
    pub number: usize,
    /// The engine's words for the place.
    pub at: String,
    /// What was evaluated and decided, e.g. `route forward`.
    pub what: String,
    /// Where it is on the picture, when it resolves.
    pub spot: Option<Spot>,
}

/// A blocker on the picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Where the ✗ goes.
    pub spot: Option<Spot>,
    /// The stable reason code.
    pub code: ReasonCode,
    /// The engine's words for the blocking object.
    pub at: String,
}

/// A pair's path on the picture; see the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathOverlay {
    /// Source endpoint.
    pub from: String,
    /// Destination endpoint.
    pub to: String,
    /// The flow, as text (`tcp/443`).
    pub flow: String,
    /// Reachable or blocked.
    pub verdict: Verdict,
    /// Spots passed, each with the directions passing it, in first-seen order.
    pub spots: Vec<(Spot, Way)>,
    /// The hops, request then reply.
    pub steps: Vec<Step>,
    /// Every blocker.
    pub blocks: Vec<Block>,
}

impl PathOverlay {
    /// Traces a pair and resolves it on the topology (built from the same design).
    pub fn trace(
        design: &Design,
        topo: &Topology,
        from: &str,
        to: &str,
        flow: Flow,
    ) -> Result<PathOverlay, EngineError> {
        Ok(PathOverlay::new(
            topo,
            &crate::engine::trace(design, from, to, flow)?,
        ))
    }

    /// Resolves a trace on the topology.
    pub fn new(topo: &Topology, trace: &Trace) -> PathOverlay {
        let mut overlay = PathOverlay {
            from: trace.from.clone(),
            to: trace.to.clone(),
            flow: trace.flow.to_string(),
            verdict: trace.verdict,
            spots: Vec::new(),
            steps: Vec::new(),
            blocks: Vec::new(),
        };
        let start = endpoint(topo, &trace.from);
        for (way, hops) in [(Way::Forward, &trace.forward), (Way::Reply, &trace.reverse)] {
            let mut context = match way {
                Way::Forward => start,
                _ => endpoint(topo, &trace.to),
            };
            if way == Way::Forward
                && let Some(spot) = start
            {
                overlay.pass(spot, way);
            }
            let mut last_node = context.and_then(Spot::node);
            for (k, hop) in hops.iter().enumerate() {
                let spot = resolve(topo, &hop.at, last_node);
                overlay.steps.push(Step {
                    way,
                    number: k + 1,
                    at: hop.at.clone(),
                    what: format!("{} {}", hop.step, hop.decision),
                    spot,
                });
                let Some(spot) = spot else { continue };
                if let Some(node) = spot.node() {
                    // Hops between two nodes with no peering hop between them crossed the
                    // link that joins them (a gateway to its site, a P2S pool to its gateway).
                    if let (Some(previous), Some(Spot::Node(_) | Spot::Part(..))) =
                        (last_node, context)
                        && previous != node
                        && let Some(link) = topo.links_between(previous, node).next()
                    {
                        overlay.pass(Spot::Link(link), way);
                    }
                    last_node = Some(node);
                }
                context = Some(spot);
                overlay.pass(spot, way);
            }
        }
        for blocker in &trace.blockers {
            let near = overlay.spots.iter().rev().find_map(|(s, _)| s.node());
            let spot =
                resolve(topo, &blocker.at, near).or_else(|| overlay.spots.last().map(|(s, _)| *s));
            overlay.blocks.push(Block {
                spot,
                code: blocker.code,
                at: blocker.at.clone(),
            });
        }
        overlay
    }

    fn pass(&mut self, spot: Spot, way: Way) {
        match self.spots.iter_mut().find(|(s, _)| *s == spot) {
            Some((_, w)) => *w = w.with(way),
            None => self.spots.push((spot, way)),
        }
    }

    /// Every node the path touches (edge ends and blocking spots included): pin their keys in
    /// [`super::View::pinned`] so no `+N more` box hides the path.
    pub fn touched(&self, topo: &Topology) -> Vec<NodeKey> {
        let spots = self
            .spots
            .iter()
            .map(|(s, _)| *s)
            .chain(self.blocks.iter().filter_map(|b| b.spot));
        let mut keys: Vec<NodeKey> = spots
            .flat_map(|s| match s {
                Spot::Link(l) => topo.link(l).map(|(a, b, _)| vec![a, b]).unwrap_or_default(),
                other => other.node().into_iter().collect(),
            })
            .map(|id| topo.node(id).key())
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// The way a spot is passed, if it is.
    pub fn way_at(&self, spot: Spot) -> Option<Way> {
        self.spots.iter().find(|(s, _)| *s == spot).map(|(_, w)| *w)
    }
}

/// The spot of an endpoint: a VM's line, a site, a P2S pool.
fn endpoint(topo: &Topology, name: &str) -> Option<Spot> {
    for id in topo.node_ids() {
        match topo.node(id) {
            Node::Vnet(_) => {
                if let Some(part) = vm_part(topo, id, name) {
                    return Some(Spot::Part(id, part));
                }
            }
            Node::Site(s) if s.hosts.iter().any(|h| h == name) => return Some(Spot::Node(id)),
            Node::P2s(p) if p.client == name => return Some(Spot::Node(id)),
            _ => {}
        }
    }
    None
}

fn vm_part(topo: &Topology, id: NodeId, name: &str) -> Option<Part> {
    let vnet = topo.node(id).as_vnet()?;
    vnet.subnets.iter().enumerate().find_map(|(i, s)| {
        s.vms
            .iter()
            .position(|vm| vm.name == name)
            .map(|j| Part::Vm(i, j))
    })
}

/// The name inside the first pair of backticks after `prefix`.
fn quoted<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(prefix)?;
    let rest = rest.strip_prefix('`')?;
    rest.split('`').next()
}

/// Resolves the engine's words for a place; `near` is the node the path was last at, which
/// decides between subnets sharing an NSG or route table.
fn resolve(topo: &Topology, at: &str, near: Option<NodeId>) -> Option<Spot> {
    let at = at.trim();
    if let Some(name) = quoted(at, "peering ") {
        return topo.links().find_map(|(id, _, _, link)| match link {
            Link::Peering(p) if p.names().any(|n| n == name) => Some(Spot::Link(id)),
            _ => None,
        });
    }
    if let Some(name) = quoted(at, "gateway ") {
        return topo.node_ids().find_map(|id| {
            let v = topo.node(id).as_vnet()?;
            v.gateways
                .iter()
                .any(|g| g.name == name)
                .then_some(Spot::Node(id))
        });
    }
    if let Some(name) = quoted(at, "site ") {
        return key_spot(topo, NodeKind::Site, name);
    }
    if let Some(name) = quoted(at, "P2S client of ") {
        return key_spot(topo, NodeKind::P2s, name);
    }
    let plain = quoted(at, "subnet ")
        .or_else(|| quoted(at, "the NIC of "))
        .or_else(|| quoted(at, "NSG "))
        .or_else(|| quoted(at, "route table "))
        .or_else(|| at.split('`').nth(1))
        .unwrap_or(at);
    resolve_name(topo, plain, near)
}

fn key_spot(topo: &Topology, kind: NodeKind, name: &str) -> Option<Spot> {
    topo.find(&NodeKey {
        kind,
        name: name.to_string(),
    })
    .map(Spot::Node)
}

/// A bare name: `vnet/subnet`, `table/route`, a VM, an NSG, a VNet or a site.
fn resolve_name(topo: &Topology, name: &str, near: Option<NodeId>) -> Option<Spot> {
    if let Some((first, second)) = name.split_once('/') {
        if let Some(id) = topo.vnet(first)
            && let Some(i) = topo
                .node(id)
                .as_vnet()
                .and_then(|v| v.subnets.iter().position(|s| s.name == second))
        {
            return Some(Spot::Part(id, Part::Subnet(i)));
        }
        return subnet_with(topo, near, |s| s.route_table.as_deref() == Some(first));
    }
    for id in topo.node_ids() {
        if let Some(part) = vm_part(topo, id, name) {
            return Some(Spot::Part(id, part));
        }
    }
    if let Some(spot) = subnet_with(topo, near, |s| s.nsg.as_deref() == Some(name)) {
        return Some(spot);
    }
    if let Some(spot) = topo.node_ids().find_map(|id| {
        let v = topo.node(id).as_vnet()?;
        v.subnets.iter().enumerate().find_map(|(i, s)| {
            let j = s
                .vms
                .iter()
                .position(|vm| vm.nic_nsg.as_deref() == Some(name))?;
            Some(Spot::Part(id, Part::Vm(i, j)))
        })
    }) {
        return Some(spot);
    }
    topo.vnet(name)
        .map(Spot::Node)
        .or_else(|| key_spot(topo, NodeKind::Site, name))
}

/// The first subnet matching, preferring the VNet the path is at.
fn subnet_with(
    topo: &Topology,
    near: Option<NodeId>,
    test: impl Fn(&super::graph::SubnetNode) -> bool,
) -> Option<Spot> {
    let find = |id: NodeId| {
        let v = topo.node(id).as_vnet()?;
        let i = v.subnets.iter().position(&test)?;
        Some(Spot::Part(id, Part::Subnet(i)))
    };
    near.and_then(find)
        .or_else(|| topo.node_ids().find_map(find))
}
