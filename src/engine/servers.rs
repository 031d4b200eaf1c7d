//! Azure Route Servers compiled for routing: which ones Azure accepts, and the routes each
//! programs (the prefixes its established BGP peers announce, minus those inside a VNet it
//! serves). The rules are the model's (`Design::route_server_violations`,
//! `Design::bgp_peer_problem`, `Design::route_server_drops`); this only gathers their answers
//! once per compile. Cost: linear in Route Servers, peers and announced prefixes.

use super::ix::{ServerIx, VnetIx};
use crate::model::Design;
use ipnet::Ipv4Net;
use rustc_hash::FxHashMap;
use std::net::Ipv4Addr;
use typed_index_collections::TiVec;

/// A route a Route Server programs: an NVA's announced prefix, with the NVA as next hop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Injected {
    pub prefix: Ipv4Net,
    /// The BGP peer (its position in the Route Server's `peers`).
    pub peer: usize,
    /// The peer's address: the next hop.
    pub ip: Ipv4Addr,
}

/// One compiled Route Server.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ServerFacts {
    pub vnet: Option<VnetIx>,
    /// Azure accepts it (its subnet, one per VNet).
    pub valid: bool,
    pub branch_to_branch: bool,
    /// The routes it programs (none when it is not valid).
    pub routes: Vec<Injected>,
}

/// Every Route Server, and the valid one of each VNet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Servers {
    pub facts: TiVec<ServerIx, ServerFacts>,
    /// Per VNet: its Route Server that Azure accepts.
    pub of_vnet: TiVec<VnetIx, Option<ServerIx>>,
}

impl Servers {
    /// Compiles the design's Route Servers.
    pub fn new(design: &Design, vnet_ix: &FxHashMap<String, VnetIx>) -> Self {
        let mut of_vnet: TiVec<VnetIx, Option<ServerIx>> = vec![None; design.vnets.len()].into();
        let facts: TiVec<ServerIx, ServerFacts> = design
            .route_servers
            .iter()
            .map(|server| {
                let vnet = vnet_ix.get(server.vnet.as_str()).copied();
                let valid = vnet.is_some() && design.route_server_is_valid(server);
                let routes = if valid {
                    server
                        .peers
                        .iter()
                        .enumerate()
                        .filter(|(_, peer)| design.bgp_peer_problem(server, peer).is_none())
                        .flat_map(|(i, peer)| {
                            peer.announces
                                .iter()
                                .filter(|p| design.route_server_drops(server, p).is_none())
                                .map(move |prefix| Injected {
                                    prefix: *prefix,
                                    peer: i,
                                    ip: peer.ip,
                                })
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                ServerFacts {
                    vnet,
                    valid,
                    branch_to_branch: server.branch_to_branch,
                    routes,
                }
            })
            .collect();
        for (r, f) in facts.iter_enumerated() {
            if let (true, Some(v)) = (f.valid, f.vnet)
                && of_vnet[v].is_none()
            {
                of_vnet[v] = Some(r);
            }
        }
        Servers { facts, of_vnet }
    }
}
