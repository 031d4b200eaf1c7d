//! What a gateway advertises to a site or to its point-to-site clients (the learning rules are
//! in `learned`): its own prefixes (VNet and gateway-transit spokes) and its client pool always;
//! to P2S clients also what it learned from its VNet-to-VNet peers (with or without BGP, as
//! vpn-gateway-about-point-to-site-routing.md lists them) and over BGP; to a site over a BGP
//! connection what it learned over BGP from elsewhere. With a Route Server in its VNet set to
//! branch-to-branch, a gateway also advertises, to sites it speaks BGP with (ExpressRoute always
//! does), the routes the NVAs announce and the sites of the VNet's other gateways
//! (expressroute-vpn-support.md; transit with point-to-site is not offered, route-server-faq.md).
//! Computed once per gateway and per connected site.

use crate::engine::index::{Index, Learned};
use crate::engine::ix::{GatewayIx, SiteIx};
use crate::model::{ConnectionRemote, Design, GatewayKind};
use ipnet::Ipv4Net;
use rustc_hash::FxHashMap;

/// Every gateway's advertisement to its P2S clients (`None`) and to each connected site.
pub(super) fn all(
    design: &Design,
    index: &Index,
) -> FxHashMap<(GatewayIx, Option<SiteIx>), Vec<Ipv4Net>> {
    let mut advertised = FxHashMap::default();
    for g in index.gateway_vnet.keys() {
        advertised.insert((g, None), prefixes(design, index, g, None));
    }
    for conn in &design.connections {
        if let (Some(&g), ConnectionRemote::Site(site)) =
            (index.gateway_ix.get(conn.gateway.as_str()), &conn.remote)
            && let Some(&s) = index.site_ix.get(site.as_str())
        {
            advertised.insert((g, Some(s)), prefixes(design, index, g, Some(s)));
        }
    }
    advertised
}

/// The prefixes gateway `g` advertises to a site (or, with `None`, to a point-to-site client).
fn prefixes(design: &Design, index: &Index, g: GatewayIx, to_site: Option<SiteIx>) -> Vec<Ipv4Net> {
    let mut out = Vec::new();
    let Some(hub) = index.gateway_vnet[g] else {
        return out;
    };
    out.extend(index.gateways.own[g].iter().copied());
    out.extend(design.gateways[usize::from(g)].client_pool.iter().copied());
    let learned = index.learned(g).iter();
    match to_site {
        None => out.extend(
            learned
                .filter(|r| r.bgp || matches!(r.origin, Learned::Gateway(_)))
                .map(|r| r.prefix),
        ),
        Some(site) => {
            let name = &design.sites[usize::from(site)].name;
            let bgp = design.connections.iter().any(|c| {
                c.bgp
                    && index.gateway_ix.get(c.gateway.as_str()) == Some(&g)
                    && matches!(&c.remote, ConnectionRemote::Site(s) if s == name)
            });
            if bgp {
                out.extend(
                    learned
                        .filter(|r| r.bgp && r.origin != Learned::Site(site))
                        .map(|r| r.prefix),
                );
            }
            let speaks_bgp =
                bgp || design.gateways[usize::from(g)].kind == GatewayKind::ExpressRoute;
            if speaks_bgp {
                out.extend(branch_to_branch(index, g, hub));
            }
        }
    }
    out
}

/// With a branch-to-branch Route Server in the gateway's VNet: the NVAs' routes and the sites of
/// the VNet's other gateways.
fn branch_to_branch(index: &Index, g: GatewayIx, hub: crate::engine::ix::VnetIx) -> Vec<Ipv4Net> {
    let Some(server) = index.servers.of_vnet[hub] else {
        return Vec::new();
    };
    let facts = &index.servers.facts[server];
    if !facts.branch_to_branch {
        return Vec::new();
    }
    let mut out: Vec<Ipv4Net> = facts.routes.iter().map(|r| r.prefix).collect();
    for &other in index.vnet_gateways[hub].iter().filter(|&&o| o != g) {
        out.extend(
            index
                .learned(other)
                .iter()
                .filter(|r| matches!(r.origin, Learned::Site(_)))
                .map(|r| r.prefix),
        );
    }
    out
}
