//! What a gateway advertises to a site or to its point-to-site clients: its VNet, the spokes
//! using it through gateway transit, its client pool, and (over BGP) the other side of its
//! connections. Computed once per gateway and per connected site.

use crate::engine::index::{Index, Learned};
use crate::engine::ix::{GatewayIx, SiteIx};
use crate::model::{ConnectionRemote, Design};
use ipnet::Ipv4Net;
use std::collections::HashMap;

/// Every gateway's advertisement to its P2S clients (`None`) and to each connected site.
pub(super) fn all(
    design: &Design,
    index: &Index,
) -> HashMap<(GatewayIx, Option<SiteIx>), Vec<Ipv4Net>> {
    let mut advertised = HashMap::new();
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
    out.extend(design.vnets[usize::from(hub)].address_space.iter().copied());
    for (v, via) in index.transit_via.iter_enumerated() {
        if let Some(p) = via
            && index.peerings[*p].remote == Some(hub)
        {
            out.extend(design.vnets[usize::from(v)].address_space.iter().copied());
        }
    }
    out.extend(design.gateways[usize::from(g)].client_pool.iter().copied());
    let site_remote = |s: SiteIx| ConnectionRemote::Site(design.sites[usize::from(s)].name.clone());
    let bgp_towards_client = match to_site {
        Some(site) => connection_bgp(design, index, g, |r| *r == site_remote(site)),
        None => true,
    };
    if bgp_towards_client {
        for (prefix, origin) in &index.learned[g] {
            let over_bgp = match origin {
                Learned::Site(s) => {
                    Some(*s) != to_site
                        && connection_bgp(design, index, g, |r| *r == site_remote(*s))
                }
                Learned::Gateway(o) => connection_bgp(design, index, g, |r| {
                    *r == ConnectionRemote::Gateway(design.gateways[usize::from(*o)].name.clone())
                }),
                Learned::P2s => false,
            };
            if over_bgp {
                out.push(*prefix);
            }
        }
    }
    out
}

/// Whether gateway `g` has a BGP connection whose remote end passes `remote`.
fn connection_bgp(
    design: &Design,
    index: &Index,
    g: GatewayIx,
    remote: impl Fn(&ConnectionRemote) -> bool,
) -> bool {
    design
        .connections
        .iter()
        .any(|c| c.bgp && index.gateway_ix.get(c.gateway.as_str()) == Some(&g) && remote(&c.remote))
}
