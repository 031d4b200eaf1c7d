//! What each virtual network gateway knows, and what it tells: the one place for the rules of
//! site-to-site, VNet-to-VNet, point-to-site and BGP learning (azure-semantics.md §4.3–§4.6).
//!
//! - A gateway's **own prefixes** are its VNet's space and those of the spokes that use it
//!   through gateway transit, each as the hub's link to the spoke carries it (so a subnet-level
//!   peering contributes only its peered subnets): "Connectivity available on the VPN gateway,
//!   including S2S, P2S, and VNet-to-VNet connections, applies to all three virtual networks"
//!   (vpn-gateway-peering-gateway-transit.md).
//! - Over a **VNet-to-VNet connection** each side learns the other's own prefixes, both ways,
//!   with or without BGP. The link is a pair of connection resources, one on each gateway: a
//!   connection without its pair is never up (Azure leaves it `NotConnected`), and BGP runs on
//!   the link only when both of the pair enable it.
//! - Over **BGP**, a gateway re-advertises what it learned over its other BGP connections (VNet
//!   peers, sites) and its point-to-site pool, so transit is multi-hop (the vnet-transitive-bgp
//!   quickstart; vpn-gateway-about-point-to-site-routing.md: "the access is transitive"). The
//!   walk is a breadth-first search over BGP links from each gateway; a gateway never learns its
//!   own routes back (AS path), nor a default route another gateway learned.
//! - Without BGP there is no transit across a second connection, and a gateway's P2S pool is not
//!   advertised to its VNet-to-VNet peers: its P2S clients get a route to the peer's VNet, but
//!   that VNet has no route back to them.
//!
//! Cost: per gateway, linear in the gateways and sites it reaches over BGP.

use super::index::PeeringFacts;
use super::ix::{ConnectionIx, GatewayIx, PeeringIx, SiteIx, VnetIx};
use crate::model::{ConnectionRemote, Design};
use ipnet::Ipv4Net;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::VecDeque;
use typed_index_collections::{TiSlice, TiVec};

/// Where a gateway-learned prefix leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Learned {
    /// A site's prefixes, over a site-to-site connection.
    Site(SiteIx),
    /// Something a VNet-to-VNet peer gateway told it: sent to that gateway (the first hop).
    Gateway(GatewayIx),
    /// The gateway's own point-to-site client pool.
    P2s,
}

/// One prefix a gateway knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LearnedRoute {
    pub prefix: Ipv4Net,
    pub origin: Learned,
    /// Learned over BGP all the way (so the gateway re-advertises it over BGP).
    pub bgp: bool,
}

/// What every gateway knows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GatewayRoutes {
    /// Per gateway: its own prefixes (VNet space and transit spokes).
    pub own: TiVec<GatewayIx, Vec<Ipv4Net>>,
    /// Per gateway: what it learned, one entry per prefix (the first way found).
    pub learned: TiVec<GatewayIx, Vec<LearnedRoute>>,
    /// Per gateway: its VNet-to-VNet peers and whether the link runs BGP.
    pub links: TiVec<GatewayIx, Vec<(GatewayIx, bool)>>,
    /// Per gateway: VNet-to-VNet connections from or to it that lack their pair (so are down),
    /// with the gateway at the other end.
    pub half_links: TiVec<GatewayIx, Vec<(GatewayIx, ConnectionIx)>>,
}

/// The facts learning needs from the index.
pub(crate) struct LearnInput<'a> {
    pub design: &'a Design,
    pub gateway_ix: &'a FxHashMap<String, GatewayIx>,
    pub site_ix: &'a FxHashMap<String, SiteIx>,
    pub gateway_vnet: &'a TiSlice<GatewayIx, Option<VnetIx>>,
    /// Per VNet: the peering through which it uses a remote gateway effectively.
    pub transit_via: &'a TiSlice<VnetIx, Option<PeeringIx>>,
    /// Per peering: its facts (remote VNet, reverse link).
    pub peerings: &'a TiSlice<PeeringIx, PeeringFacts>,
    /// Per peering: the prefixes it carries.
    pub peered_space: &'a TiSlice<PeeringIx, Vec<Ipv4Net>>,
}

impl GatewayRoutes {
    /// Computes what every gateway knows.
    pub fn new(input: &LearnInput<'_>) -> Self {
        let design = input.design;
        let count = design.gateways.len();
        let own = own_prefixes(input);
        let mut links: TiVec<GatewayIx, Vec<(GatewayIx, bool)>> = vec![Vec::new(); count].into();
        let mut sites: TiVec<GatewayIx, Vec<(SiteIx, bool)>> = vec![Vec::new(); count].into();
        let mut half_links: TiVec<GatewayIx, Vec<(GatewayIx, ConnectionIx)>> =
            vec![Vec::new(); count].into();
        for (k, c) in design.connections.iter().enumerate() {
            let Some(&g) = input.gateway_ix.get(c.gateway.as_str()) else {
                continue;
            };
            match &c.remote {
                ConnectionRemote::Site(name) => {
                    if let Some(&s) = input.site_ix.get(name.as_str()) {
                        upsert(&mut sites[g], s, c.bgp);
                    }
                }
                // A VNet-to-VNet link is a pair of connections, one on each gateway: each of
                // the pair adds its own gateway's side, and BGP runs only when both enable it.
                // A connection without its pair is never up; it is listed for the explanation.
                ConnectionRemote::Gateway(name) => {
                    let Some(&h) = input.gateway_ix.get(name.as_str()) else {
                        continue;
                    };
                    if h == g {
                        continue;
                    }
                    match design.vnet_to_vnet_partner(c) {
                        Some(back) => upsert(&mut links[g], h, c.bgp && back.bgp),
                        None => {
                            let k = ConnectionIx::from(k);
                            half_links[g].push((h, k));
                            half_links[h].push((g, k));
                        }
                    }
                }
            }
        }
        let learned = links
            .keys()
            .map(|g| learn(input, g, &own, &links, &sites))
            .collect();
        GatewayRoutes {
            own,
            learned,
            links,
            half_links,
        }
    }
}

/// Adds `(key, bgp)` to a list, or turns BGP on for a key already there.
fn upsert<K: PartialEq>(list: &mut Vec<(K, bool)>, key: K, bgp: bool) {
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some(entry) => entry.1 |= bgp,
        None => list.push((key, bgp)),
    }
}

/// Each gateway's own prefixes: its VNet's space and its transit spokes as the hub carries them.
fn own_prefixes(input: &LearnInput<'_>) -> TiVec<GatewayIx, Vec<Ipv4Net>> {
    let design = input.design;
    let mut spokes: FxHashMap<VnetIx, Vec<Ipv4Net>> = FxHashMap::default();
    for (v, via) in input.transit_via.iter_enumerated() {
        let Some(p) = *via else { continue };
        let facts = &input.peerings[p];
        let Some(hub) = facts.remote else {
            continue;
        };
        let carried = match facts.reverse {
            Some(back) => input.peered_space[back].clone(),
            None => design.vnets[usize::from(v)].address_space.clone(),
        };
        spokes.entry(hub).or_default().extend(carried);
    }
    input
        .gateway_vnet
        .iter()
        .map(|vnet| {
            let Some(v) = *vnet else { return Vec::new() };
            let mut own = design.vnets[usize::from(v)].address_space.clone();
            own.extend(spokes.get(&v).into_iter().flatten().copied());
            own
        })
        .collect()
}

/// What gateway `g` learns: its sites, its pool, its VNet-to-VNet peers' own prefixes, and over
/// BGP everything the gateways it reaches over BGP links own or learned from BGP sites.
fn learn(
    input: &LearnInput<'_>,
    g: GatewayIx,
    own: &TiSlice<GatewayIx, Vec<Ipv4Net>>,
    links: &TiSlice<GatewayIx, Vec<(GatewayIx, bool)>>,
    sites: &TiSlice<GatewayIx, Vec<(SiteIx, bool)>>,
) -> Vec<LearnedRoute> {
    let design = input.design;
    let mut out: Vec<LearnedRoute> = Vec::new();
    let mut seen: FxHashSet<Ipv4Net> = FxHashSet::default();
    let mut push = |prefix: Ipv4Net, origin: Learned, bgp: bool| {
        if seen.insert(prefix) {
            out.push(LearnedRoute {
                prefix,
                origin,
                bgp,
            });
        }
    };
    let site_prefixes = |s: SiteIx| design.sites[usize::from(s)].prefixes.iter().copied();
    for &(s, bgp) in &sites[g] {
        for prefix in site_prefixes(s) {
            push(prefix, Learned::Site(s), bgp);
        }
    }
    for pool in &design.gateways[usize::from(g)].client_pool {
        push(*pool, Learned::P2s, false);
    }
    for &(h, bgp) in &links[g] {
        for prefix in &own[h] {
            push(*prefix, Learned::Gateway(h), bgp);
        }
    }
    // Over BGP: breadth first, so each prefix comes from the nearest gateway (shortest AS path).
    let mut visited: FxHashSet<GatewayIx> = FxHashSet::from_iter([g]);
    let mut queue: VecDeque<(GatewayIx, GatewayIx)> = VecDeque::new();
    for &(h, bgp) in &links[g] {
        if bgp && visited.insert(h) {
            queue.push_back((h, h));
        }
    }
    while let Some((k, first)) = queue.pop_front() {
        let via = Learned::Gateway(first);
        for prefix in &own[k] {
            push(*prefix, via, true);
        }
        for pool in &design.gateways[usize::from(k)].client_pool {
            push(*pool, via, true);
        }
        // A gateway never re-advertises a default route to its other BGP peers (§4.3).
        for &(s, bgp) in &sites[k] {
            for prefix in site_prefixes(s).filter(|p| bgp && p.prefix_len() > 0) {
                push(prefix, via, true);
            }
        }
        for &(j, bgp) in &links[k] {
            if bgp && visited.insert(j) {
                queue.push_back((j, first));
            }
        }
    }
    out
}
