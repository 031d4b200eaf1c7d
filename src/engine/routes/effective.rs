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
        RouteHop::Learned(..) | RouteHop::UdrGateway | RouteHop::Injected { .. } => {
            NextHopType::VirtualNetworkGateway
        }
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
        RouteHop::Injected { server, peer, .. } => {
            let rs = &design.route_servers[usize::from(server)];
            let p = rs.peers.get(peer)?;
            Some(format!(
                "announced by BGP peer `{}` (ASN {}) of Route Server `{}`",
                p.name, p.asn, rs.name
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
    let groups = group_routes(design, ctx);
    let mut out: Vec<EffectiveRoute> = rows
        .into_iter()
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
                RouteHop::Appliance(ip) | RouteHop::Injected { ip, .. } => Some(ip),
                _ => None,
            },
            name: r.udr.map(|_| udr_name(design, r).to_string()),
            note: match (origin_note(design, r), &r.note) {
                (Some(origin), Some(reason)) => Some(format!("{origin}; {reason}")),
                (origin, reason) => origin.or_else(|| reason.clone()),
            },
        })
        .collect();
    // Connected-group routes beat gateway routes inside them, as peering routes do.
    for route in out
        .iter_mut()
        .filter(|r| r.source == RouteSource::VirtualNetworkGateway && r.state == RouteState::Active)
    {
        if let Some(cover) = groups
            .iter()
            .find(|g| g.state == RouteState::Active && g.prefix.contains(&route.prefix))
        {
            route.state = RouteState::Invalid;
            let reason = format!(
                "the connected-group route {} takes precedence over gateway routes inside it",
                cover.prefix
            );
            route.note = Some(match route.note.take() {
                Some(origin) => format!("{origin}; {reason}"),
                None => reason,
            });
        }
    }
    let at = out
        .iter()
        .position(|r| r.source != RouteSource::Default)
        .unwrap_or(out.len());
    out.splice(at..at, groups);
    out
}

/// The routes of this context's connected groups: one per range of every other member, next hop
/// `ConnectedGroup`; Invalid where a peering of this VNet's reaches that member instead.
fn group_routes(design: &Design, ctx: &RouteContext) -> Vec<EffectiveRoute> {
    let mut out = Vec::new();
    for table in &ctx.groups {
        for (prefix, member) in table.ranges(design, ctx.vnet) {
            let peered = ctx.peered.contains(&member);
            let name = &design.vnets[usize::from(member)].name;
            let origin = format!(
                "connected group of connectivity configuration `{}` to `{name}`",
                table.config
            );
            out.push(EffectiveRoute {
                source: RouteSource::Default,
                state: if peered {
                    RouteState::Invalid
                } else {
                    RouteState::Active
                },
                prefix,
                next_hop_type: NextHopType::ConnectedGroup,
                next_hop_ip: None,
                name: None,
                note: Some(if peered {
                    format!("{origin}; a peering with `{name}` takes precedence")
                } else {
                    origin
                }),
            });
        }
    }
    out
}
