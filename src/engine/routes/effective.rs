//! The public view of a route context: Azure's next hop types and the rows in Azure's order,
//! with a note saying where each peering or gateway route comes from and why a loser lost.

use super::build::udr_name;
use super::{RouteContext, RouteHop, RouteRow};
use crate::engine::index::{Index, Learned};
use crate::engine::types::{EffectiveRoute, NextHopType, RouteSource, RouteState};
use crate::model::Design;

/// The next hop type Azure prints for a row.
pub(crate) fn next_hop_type(index: &Index, row: &RouteRow) -> NextHopType {
    match row.hop {
        RouteHop::VnetLocal => NextHopType::VnetLocal,
        RouteHop::Peering(p, _) if index.peerings[p].global => NextHopType::VnetGlobalPeering,
        RouteHop::Peering(..) => NextHopType::VnetPeering,
        RouteHop::Learned(..) | RouteHop::UdrGateway => NextHopType::VirtualNetworkGateway,
        RouteHop::Appliance(_) => NextHopType::VirtualAppliance,
        RouteHop::Internet => NextHopType::Internet,
        RouteHop::None => NextHopType::None,
    }
}

/// Where a peering or gateway route comes from, for the `note` column.
fn origin_note(design: &Design, row: &RouteRow) -> Option<String> {
    match row.hop {
        RouteHop::Peering(p, _) => {
            let peering = &design.peerings[usize::from(p)];
            Some(format!(
                "peering `{}` to `{}`",
                peering.name, peering.remote
            ))
        }
        RouteHop::Learned(g, origin) => {
            let from = match origin {
                Learned::Site(s) => format!("site `{}`", design.sites[usize::from(s)].name),
                Learned::Gateway(o) => {
                    format!(
                        "VNet-to-VNet gateway `{}`",
                        design.gateways[usize::from(o)].name
                    )
                }
                Learned::P2s => "point-to-site client pool".to_string(),
            };
            Some(format!(
                "learned by gateway `{}` from {from}",
                design.gateways[usize::from(g)].name
            ))
        }
        _ => None,
    }
}

/// The public view of a context's table, in Azure's order: system, gateway, user.
pub(crate) fn effective_rows(
    design: &Design,
    index: &Index,
    ctx: &RouteContext,
) -> Vec<EffectiveRoute> {
    let order = |r: &RouteRow| match r.source {
        RouteSource::Default => 0,
        RouteSource::VirtualNetworkGateway => 1,
        RouteSource::User => 2,
    };
    let mut rows: Vec<&RouteRow> = ctx.rows.iter().collect();
    rows.sort_by_key(|r| order(r));
    rows.into_iter()
        .map(|r| EffectiveRoute {
            source: r.source,
            state: if r.active {
                RouteState::Active
            } else {
                RouteState::Invalid
            },
            prefix: r.prefix,
            next_hop_type: next_hop_type(index, r),
            next_hop_ip: match r.hop {
                RouteHop::Appliance(ip) => Some(ip),
                _ => None,
            },
            name: r.udr.map(|_| udr_name(design, r).to_string()),
            note: match (origin_note(design, r), &r.note) {
                (Some(origin), Some(reason)) => Some(format!("{origin}; {reason}")),
                (origin, reason) => origin.or_else(|| reason.clone()),
            },
        })
        .collect()
}
