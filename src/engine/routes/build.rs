//! One route context: system routes (VNet ranges, 0/0 Internet, the four reserved `None`
//! prefixes with their replacement and removal), peering routes from the synced snapshot,
//! gateway routes (own gateway or the hub's through transit, unless propagation is off), and
//! UDRs. Selection: longest prefix first; on the same prefix User > gateway (BGP) > System,
//! except that VNet and peering system routes beat gateway routes, even more specific ones.

use super::lookup::Lookup;
use super::{ApplianceAt, RouteContext, RouteHop, RouteRow, udr_gateway};
use crate::engine::index::Index;
use crate::engine::ix::{RowIx, SubnetIx, TableIx, UdrIx, VnetIx};
use crate::engine::prefixes::{HOST_IP, RESERVED};
use crate::engine::types::RouteSource;
use crate::model::{Design, GatewayKind, NextHop, Route};
use ipnet::Ipv4Net;
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::net::Ipv4Addr;
use typed_index_collections::{TiSlice, TiVec};

/// Builds the effective routes of VNet `v` seen from subnet `subnet` (`None`: a gateway's view
/// in a VNet without a `GatewaySubnet`).
pub(super) fn context(
    design: &Design,
    index: &Index,
    v: VnetIx,
    subnet: Option<SubnetIx>,
) -> RouteContext {
    let vnet = &design.vnets[usize::from(v)];
    let table = subnet.and_then(|s| index.subnets[s].table);
    let propagate = table.is_none_or(|t| route_table(design, t).propagate_gateway_routes);
    let mut rows: TiVec<RowIx, RouteRow> = TiVec::new();
    let system = |prefix, hop| RouteRow {
        prefix,
        source: RouteSource::Default,
        hop,
        udr: None,
        active: true,
        note: None,
        appliance: None,
    };
    for range in &vnet.address_space {
        rows.push(system(*range, RouteHop::VnetLocal));
    }
    for &i in &index.vnet_peers[v] {
        // A usable peering has both ends.
        let Some(remote) = index.peerings[i].remote else {
            continue;
        };
        for prefix in &index.peered_space[i] {
            rows.push(system(*prefix, RouteHop::Peering(i, remote)));
        }
    }
    if propagate {
        gateway_rows(design, index, v, subnet, &mut rows);
    }
    rows.push(system(Ipv4Net::default(), RouteHop::Internet));
    let udrs = table.map_or(&[][..], |t| &route_table(design, t).routes[..]);
    let default_route_overridden = overrides_default_route(udrs);
    for reserved in RESERVED {
        let replaced = vnet.address_space.iter().any(|r| r.contains(&reserved));
        if replaced || default_route_overridden {
            continue;
        }
        rows.push(system(reserved, RouteHop::None));
    }
    let gateway = udr_gateway(design, index, v);
    if let Some(t) = table {
        for (slot, route) in udrs.iter().enumerate() {
            let hop = match route.next_hop {
                NextHop::VirtualAppliance(ip) => RouteHop::Appliance(ip),
                NextHop::VirtualNetworkGateway => RouteHop::UdrGateway,
                NextHop::VnetLocal => RouteHop::VnetLocal,
                NextHop::Internet => RouteHop::Internet,
                NextHop::None => RouteHop::None,
            };
            // A `VirtualNetworkGateway` UDR needs a VPN gateway, own or through transit: an
            // ExpressRoute gateway cannot be a UDR next hop (§2.3).
            let usable = hop != RouteHop::UdrGateway || gateway.is_some();
            rows.push(RouteRow {
                prefix: route.prefix,
                source: RouteSource::User,
                hop,
                udr: Some(UdrIx { table: t, slot }),
                appliance: match hop {
                    RouteHop::Appliance(ip) => resolve_appliance(index, v, ip),
                    _ => None,
                },
                active: usable,
                note: (!usable).then(|| {
                    "no VPN gateway in this VNet or through gateway transit (an ExpressRoute gateway cannot be a UDR next hop)"
                        .to_string()
                }),
            });
        }
    }
    select(&mut rows, design);
    let lookup = lookup(&rows);
    let vnet_tag = vnet_tag(design, index, v, &rows, udrs, default_route_overridden);
    let mut peered: Vec<VnetIx> = index.vnet_peers[v]
        .iter()
        .filter_map(|&p| index.peerings[p].remote)
        .collect();
    peered.sort_unstable();
    peered.dedup();
    RouteContext {
        vnet: v,
        subnet,
        table,
        rows,
        lookup,
        vnet_tag,
        groups: index.groups.of(v).to_vec(),
        peered,
    }
}

/// Routes learned by the serving gateways (ExpressRoute first, which Azure prefers for the same
/// prefix), then those the serving Route Server programs. A gateway's own view gets the Route
/// Server's routes only with branch-to-branch on (route-server/expressroute-vpn-support.md).
/// Propagation off on the subnet's table stops both kinds (route-injection-in-spokes.md).
fn gateway_rows(
    design: &Design,
    index: &Index,
    v: VnetIx,
    subnet: Option<SubnetIx>,
    rows: &mut TiVec<RowIx, RouteRow>,
) {
    let vnet = &design.vnets[usize::from(v)];
    let mut serving = index.serving_gateways(v).to_vec();
    serving.sort_by_key(|g| design.gateways[usize::from(*g)].kind != GatewayKind::ExpressRoute);
    let gateway_row = |prefix, hop, appliance| RouteRow {
        prefix,
        source: RouteSource::VirtualNetworkGateway,
        hop,
        udr: None,
        active: true,
        appliance,
        note: None,
    };
    for g in serving {
        for learned in index.learned(g) {
            // Azure drops gateway advertisements equal to a VNet prefix of this VNet.
            if vnet.address_space.contains(&learned.prefix) {
                continue;
            }
            rows.push(gateway_row(
                learned.prefix,
                RouteHop::Learned(g, learned.origin),
                None,
            ));
        }
    }
    let gateway_view = subnet.is_none_or(|s| index.subnets[s].gateway_subnet);
    let Some(server) = index.serving_server(v) else {
        return;
    };
    let facts = &index.servers.facts[server];
    if gateway_view && !facts.branch_to_branch {
        return;
    }
    for route in &facts.routes {
        rows.push(gateway_row(
            route.prefix,
            RouteHop::Injected {
                server,
                peer: route.peer,
                ip: route.ip,
            },
            resolve_appliance(index, v, route.ip),
        ));
    }
}

fn route_table(design: &Design, t: TableIx) -> &crate::model::RouteTable {
    &design.route_tables[usize::from(t)]
}

/// Whether a 0/0 UDR sends everything to an appliance or gateway (which removes the reserved
/// `None` routes and, under its assumption, widens the `VirtualNetwork` tag).
pub(crate) fn overrides_default_route(udrs: &[Route]) -> bool {
    udrs.iter().any(|r| {
        r.prefix.prefix_len() == 0
            && matches!(
                r.next_hop,
                NextHop::VirtualAppliance(_) | NextHop::VirtualNetworkGateway
            )
    })
}

/// The longest-prefix lookup over the active rows; the first active row of a prefix wins.
fn lookup(rows: &TiSlice<RowIx, RouteRow>) -> Lookup {
    let mut active: Vec<(u32, u8, RowIx)> = rows
        .iter_enumerated()
        .filter(|(_, row)| row.active)
        .map(|(i, row)| (u32::from(row.prefix.network()), row.prefix.prefix_len(), i))
        .collect();
    // Stable, so the first row of each prefix is the one `dedup` keeps.
    active.sort_by_key(|&(net, len, _)| (net, len));
    active.dedup_by_key(|&mut (net, len, _)| (net, len));
    Lookup::new(active)
}

/// The NIC owning `ip` in VNet `v` or in a VNet `v` is usefully peered with (§2.3: the next
/// hop must be directly reachable).
fn resolve_appliance(index: &Index, v: VnetIx, ip: Ipv4Addr) -> Option<ApplianceAt> {
    index
        .nic_at
        .get(&(v, ip))
        .map(|&nic| ApplianceAt { nic, via: None })
        .or_else(|| {
            index.vnet_peers[v].iter().find_map(|&p| {
                let remote = index.peerings[p].remote?;
                index
                    .nic_at
                    .get(&(remote, ip))
                    .map(|&nic| ApplianceAt { nic, via: Some(p) })
            })
        })
}

/// Marks losers Invalid: per prefix one winner (User > VNet/peering system > gateway > other
/// system), and gateway routes inside an active VNet or peering range.
fn select(rows: &mut TiSlice<RowIx, RouteRow>, design: &Design) {
    let rank = |r: &RouteRow| match r.source {
        RouteSource::User => 0,
        _ if r.is_vnet_or_peering() => 1,
        RouteSource::VirtualNetworkGateway => 2,
        RouteSource::Default => 3,
    };
    let mut winner_of: FxHashMap<Ipv4Net, RowIx> =
        FxHashMap::with_capacity_and_hasher(rows.len(), FxBuildHasher);
    for (i, row) in rows.iter_enumerated() {
        if !row.active {
            continue;
        }
        winner_of
            .entry(row.prefix)
            .and_modify(|b| {
                if rank(row) < rank(&rows[*b]) {
                    *b = i;
                }
            })
            .or_insert(i);
    }
    for i in rows.keys() {
        let Some(&w) = winner_of.get(&rows[i].prefix) else {
            continue;
        };
        if w != i && rows[i].active {
            let reason = match rows[w].source {
                RouteSource::User => {
                    format!("overridden by user route `{}`", udr_name(design, &rows[w]))
                }
                _ if rows[w].is_vnet_or_peering() => {
                    "a VNet or peering system route for the same prefix takes precedence"
                        .to_string()
                }
                RouteSource::VirtualNetworkGateway => {
                    "overridden by a gateway route for the same prefix".to_string()
                }
                RouteSource::Default => {
                    "overridden by a system route for the same prefix".to_string()
                }
            };
            rows[i].active = false;
            rows[i].note = Some(reason);
        }
    }
    let covering: Vec<Ipv4Net> = rows
        .iter()
        .filter(|r| r.active && r.is_vnet_or_peering())
        .map(|r| r.prefix)
        .collect();
    for row in rows.iter_mut() {
        if row.active
            && row.source == RouteSource::VirtualNetworkGateway
            && let Some(cover) = covering.iter().find(|p| p.contains(&row.prefix))
        {
            row.active = false;
            let reason = format!(
                "the VNet or peering route {cover} takes precedence over more specific gateway routes"
            );
            row.note = Some(match row.note.take() {
                Some(origin) => format!("{origin}; {reason}"),
                None => reason,
            });
        }
    }
}

/// The name of the user route a row is (empty for a system or gateway row).
pub(crate) fn udr_name<'a>(design: &'a Design, row: &RouteRow) -> &'a str {
    row.udr.map_or("", |u| udr(design, u).name.as_str())
}

/// The user route a [`UdrIx`] names.
pub(crate) fn udr(design: &Design, u: UdrIx) -> &Route {
    &route_table(design, u.table).routes[u.slot]
}

/// The `VirtualNetwork` tag of this context (§3.4): own space, peered spaces where this side
/// allows access, gateway-learned prefixes present here, UDR prefixes, the host IP, and
/// everything when a 0/0 UDR to an appliance or gateway widens it (under that assumption).
fn vnet_tag(
    design: &Design,
    index: &Index,
    v: VnetIx,
    rows: &TiSlice<RowIx, RouteRow>,
    udrs: &[Route],
    default_route_overridden: bool,
) -> Vec<Ipv4Net> {
    if default_route_overridden && design.assumptions.vnet_tag_widens_with_default_route {
        return vec![Ipv4Net::default()];
    }
    let mut tag: Vec<Ipv4Net> = design.vnets[usize::from(v)].address_space.clone();
    for &i in &index.vnet_peers[v] {
        if design.peerings[usize::from(i)].allow_virtual_network_access {
            tag.extend(index.peered_space[i].iter().copied());
        }
    }
    tag.extend(
        rows.iter()
            .filter(|r| r.source == RouteSource::VirtualNetworkGateway)
            .map(|r| r.prefix),
    );
    // A 0/0 UDR adds everything only under the widening assumption (handled above).
    tag.extend(udrs.iter().map(|r| r.prefix).filter(|p| p.prefix_len() > 0));
    tag.push(Ipv4Net::from(HOST_IP));
    tag.sort();
    tag.dedup();
    tag
}
