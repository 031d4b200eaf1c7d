//! Building the topology from a design: one pass over each list, with maps from names to node
//! ids; peerings of one VNet pair merge into one edge, as do the two resources of a VNet-to-VNet
//! connection. References that do not resolve are described in [`NotDrawn::unplaced`].

use super::NodeId;
use super::graph::{
    ConnectionKind, ConnectionLink, GatewayMark, Link, Node, NodeKey, NotDrawn, P2sNode,
    PeeringFlags, PeeringLink, PeeringSide, SiteNode, SubnetNode, Topology, VmMark, VnetNode,
};
use crate::model::{ConnectionRemote, DeploymentModel, Design, Peering};
use crate::session::PeeringStatus;
use petgraph::graph::{EdgeIndex, UnGraph};
use std::collections::HashMap;

/// See [`Topology::build_with_status`]; `status` has one entry per peering.
pub(super) fn build(design: &Design, status: &[PeeringStatus]) -> Topology {
    let mut b = Builder {
        graph: UnGraph::default(),
        by_key: HashMap::new(),
        not_drawn: NotDrawn {
            nsgs: design.nsgs.len(),
            route_tables: design.route_tables.len(),
            intents: design.intents.len(),
            subscriptions: design.subscriptions.len(),
            unplaced: Vec::new(),
        },
    };
    b.vnets(design);
    b.sites_and_pools(design);
    b.peerings(design, status);
    b.connections(design);
    Topology {
        graph: b.graph,
        by_key: b.by_key,
        not_drawn: b.not_drawn,
        title: design.name.clone(),
    }
}

/// The flags a peering side shows on its edge.
pub(super) fn flags_of(peering: &Peering) -> PeeringFlags {
    PeeringFlags {
        access: peering.allow_virtual_network_access,
        forwarded: peering.allow_forwarded_traffic,
        gateway_transit: peering.allow_gateway_transit,
        remote_gateways: peering.use_remote_gateways,
        subnet_level: peering.is_subnet_peering(),
    }
}

struct Builder {
    graph: UnGraph<Node, Link>,
    by_key: HashMap<NodeKey, NodeId>,
    not_drawn: NotDrawn,
}

impl Builder {
    fn add(&mut self, node: Node) -> Option<NodeId> {
        let key = node.key();
        if self.by_key.contains_key(&key) {
            self.not_drawn
                .unplaced
                .push(format!("a second {:?} named `{}`", key.kind, key.name));
            return None;
        }
        let id = NodeId(self.graph.add_node(node));
        self.by_key.insert(key, id);
        Some(id)
    }

    fn vnet_id(&self, name: &str) -> Option<NodeId> {
        self.by_key
            .get(&NodeKey {
                kind: super::NodeKind::Vnet,
                name: name.to_string(),
            })
            .copied()
    }

    fn vnet_mut(&mut self, name: &str) -> Option<&mut VnetNode> {
        let id = self.vnet_id(name)?;
        match &mut self.graph[id.0] {
            Node::Vnet(v) => Some(v),
            _ => None,
        }
    }

    fn vnets(&mut self, design: &Design) {
        for vnet in &design.vnets {
            let subnets = vnet
                .subnets
                .iter()
                .map(|s| SubnetNode {
                    name: s.name.clone(),
                    prefix: s.prefix,
                    nsg: s.nsg.clone(),
                    route_table: s.route_table.clone(),
                    vms: Vec::new(),
                })
                .collect();
            self.add(Node::Vnet(VnetNode {
                name: vnet.name.clone(),
                region: vnet.region,
                address_space: vnet.address_space.clone(),
                gateways: Vec::new(),
                appliances: Vec::new(),
                subnets,
                classic: vnet.deployment == DeploymentModel::Classic,
            }));
        }
        for vm in &design.vms {
            let Some(nic) = vm.primary() else {
                self.not_drawn
                    .unplaced
                    .push(format!("VM `{}` has no NIC", vm.name));
                continue;
            };
            let appliance = vm.appliance.as_ref().map(|a| a.kind);
            let mark = VmMark {
                name: vm.name.clone(),
                ip: nic.ip,
                appliance,
                nic_nsg: nic.nsg.clone(),
            };
            let Some(node) = self.vnet_mut(&nic.subnet.vnet) else {
                self.not_drawn
                    .unplaced
                    .push(format!("VM `{}`: no VNet `{}`", vm.name, nic.subnet.vnet));
                continue;
            };
            if appliance.is_some() {
                node.appliances.push(vm.name.clone());
            }
            match node
                .subnets
                .iter_mut()
                .find(|s| s.name == nic.subnet.subnet)
            {
                Some(subnet) => subnet.vms.push(mark),
                None => self
                    .not_drawn
                    .unplaced
                    .push(format!("VM `{}`: no subnet `{}`", vm.name, nic.subnet)),
            }
        }
        for gateway in &design.gateways {
            let mark = GatewayMark {
                name: gateway.name.clone(),
                kind: gateway.kind,
            };
            match self.vnet_mut(&gateway.vnet) {
                Some(node) => node.gateways.push(mark),
                None => self.not_drawn.unplaced.push(format!(
                    "gateway `{}`: no VNet `{}`",
                    gateway.name, gateway.vnet
                )),
            }
        }
    }

    fn sites_and_pools(&mut self, design: &Design) {
        for site in &design.sites {
            self.add(Node::Site(SiteNode {
                name: site.name.clone(),
                prefixes: site.prefixes.clone(),
                hosts: site.hosts.iter().map(|h| h.name.clone()).collect(),
            }));
        }
        for gateway in &design.gateways {
            if gateway.client_pool.is_empty() {
                continue;
            }
            let Some(vnet) = self.vnet_id(&gateway.vnet) else {
                continue; // already counted with the gateway
            };
            let pool = Node::P2s(P2sNode {
                gateway: gateway.name.clone(),
                vnet: gateway.vnet.clone(),
                pool: gateway.client_pool.clone(),
                client: crate::model::endpoint_names::p2s_client_name(&gateway.name),
            });
            if let Some(id) = self.add(pool) {
                self.graph.add_edge(
                    vnet.0,
                    id.0,
                    Link::P2s {
                        gateway: gateway.name.clone(),
                    },
                );
            }
        }
    }

    fn peerings(&mut self, design: &Design, status: &[PeeringStatus]) {
        let mut pairs: HashMap<(NodeId, NodeId), EdgeIndex> = HashMap::new();
        for (index, (peering, st)) in design.peerings.iter().zip(status).enumerate() {
            let (Some(local), Some(remote)) =
                (self.vnet_id(&peering.local), self.vnet_id(&peering.remote))
            else {
                self.not_drawn.unplaced.push(format!(
                    "peering `{}`: `{}` or `{}` is not a VNet of the design",
                    peering.name, peering.local, peering.remote
                ));
                continue;
            };
            if local == remote {
                self.not_drawn.unplaced.push(format!(
                    "peering `{}` joins `{}` to itself",
                    peering.name, peering.local
                ));
                continue;
            }
            let side = PeeringSide {
                name: peering.name.clone(),
                index,
                state: st.state,
                sync: st.sync,
                flags: flags_of(peering),
            };
            let (a, b) = (local.min(remote), local.max(remote));
            let edge = *pairs.entry((a, b)).or_insert_with(|| {
                let global = match (&self.graph[a.0], &self.graph[b.0]) {
                    (Node::Vnet(x), Node::Vnet(y)) => x.region != y.region,
                    _ => false,
                };
                self.graph.add_edge(
                    a.0,
                    b.0,
                    Link::Peering(PeeringLink {
                        a_to_b: None,
                        b_to_a: None,
                        global,
                    }),
                )
            });
            let Link::Peering(link) = &mut self.graph[edge] else {
                continue;
            };
            let slot = if local == a {
                &mut link.a_to_b
            } else {
                &mut link.b_to_a
            };
            if slot.is_some() {
                self.not_drawn.unplaced.push(format!(
                    "peering `{}`: a second peering from `{}` to `{}`",
                    peering.name, peering.local, peering.remote
                ));
            } else {
                *slot = Some(side);
            }
        }
    }

    fn connections(&mut self, design: &Design) {
        let mut merged: HashMap<(NodeId, NodeId, bool), EdgeIndex> = HashMap::new();
        for connection in &design.connections {
            let gateway_vnet =
                |name: &str| design.gateway(name).and_then(|g| self.vnet_id(&g.vnet));
            let ends = match &connection.remote {
                ConnectionRemote::Site(site) => gateway_vnet(&connection.gateway)
                    .zip(
                        self.by_key
                            .get(&NodeKey {
                                kind: super::NodeKind::Site,
                                name: site.clone(),
                            })
                            .copied(),
                    )
                    .map(|e| (e, ConnectionKind::SiteToSite)),
                ConnectionRemote::Gateway(other) => gateway_vnet(&connection.gateway)
                    .zip(gateway_vnet(other))
                    .map(|e| (e, ConnectionKind::VnetToVnet)),
            };
            let Some(((x, y), kind)) = ends.filter(|((x, y), _)| x != y) else {
                self.not_drawn.unplaced.push(format!(
                    "connection `{}`: its gateway or far end is not in the design",
                    connection.name
                ));
                continue;
            };
            let up = match kind {
                ConnectionKind::SiteToSite => true,
                ConnectionKind::VnetToVnet => design.vnet_to_vnet_partner(connection).is_some(),
            };
            let key = (x.min(y), x.max(y), kind == ConnectionKind::SiteToSite);
            match merged.get(&key) {
                Some(&edge) => {
                    if let Link::Connection(link) = &mut self.graph[edge] {
                        link.names.push(connection.name.clone());
                        link.bgp |= connection.bgp;
                        link.up |= up;
                    }
                }
                None => {
                    let link = Link::Connection(ConnectionLink {
                        names: vec![connection.name.clone()],
                        gateway: connection.gateway.clone(),
                        kind,
                        bgp: connection.bgp,
                        up,
                    });
                    merged.insert(key, self.graph.add_edge(x.0, y.0, link));
                }
            }
        }
    }
}
