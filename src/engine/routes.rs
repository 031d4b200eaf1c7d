//! Effective routes of a subnet, as Azure computes them (azure-semantics.md §2): system routes
//! (VNet ranges, 0/0 Internet, the four reserved `None` prefixes with their replacement and
//! removal), peering routes from the synced snapshot, gateway routes (own gateway or the hub's
//! through transit, unless propagation is off), and UDRs. Selection: longest prefix first; on
//! the same prefix User > gateway (BGP) > System, except that VNet and peering system routes
//! beat gateway routes, even more specific ones. Losers stay in the table as `Invalid` with a
//! note, as `az network nic show-effective-route-table` shows them.

use super::compile::{Compiled, Learned, reserved_prefixes};
use super::types::{EffectiveRoute, RouteSource, RouteState};
use crate::model::NextHop;
use ipnet::Ipv4Net;
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// Where a route sends traffic, with the indexes the walk needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RouteHop {
    VnetLocal,
    /// Over this peering (index into `design.peerings`).
    Peering(usize),
    /// To a gateway that learned the prefix, and where the gateway sends it.
    Learned(usize, Learned),
    /// A UDR naming `VirtualNetworkGateway`; resolved during the walk.
    UdrGateway,
    Appliance(Ipv4Addr),
    Internet,
    None,
}

/// One row of a context's route table.
#[derive(Debug, Clone)]
pub(crate) struct RouteRow {
    pub prefix: Ipv4Net,
    pub source: RouteSource,
    pub hop: RouteHop,
    /// UDR name (and the table it is in) for user routes.
    pub udr: Option<(usize, usize)>,
    pub active: bool,
    pub note: Option<String>,
    /// For `VirtualAppliance` rows: the NIC owning the address (VM, NIC) in this VNet or a
    /// usable peer, and the peering crossed to reach it.
    pub appliance: Option<(usize, usize, Option<usize>)>,
}

impl RouteRow {
    /// Whether this is a system route for the VNet itself or a peering (they beat gateway routes).
    fn is_vnet_or_peering(&self) -> bool {
        self.source == RouteSource::Default
            && matches!(self.hop, RouteHop::VnetLocal | RouteHop::Peering(_))
    }
}

/// Tables with at most this many active routes are scanned linearly (faster than hashing).
const SCAN_LIMIT: usize = 24;

fn mask(len: u8) -> u32 {
    if len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(len))
    }
}

/// The routing view of one subnet (or of a gateway VNet without a `GatewaySubnet`).
#[derive(Debug, Clone)]
pub(crate) struct RouteContext {
    pub vnet: usize,
    pub subnet: Option<usize>,
    pub table: Option<usize>,
    pub rows: Vec<RouteRow>,
    /// Active rows of large tables: per prefix length (longest first) the sorted networks.
    by_length: Vec<(u32, Vec<(u32, usize)>)>,
    /// Active rows as (network, mask, row), longest prefix first (small tables scan this).
    scan: Vec<(u32, u32, usize)>,
    /// Content of the `VirtualNetwork` service tag in this context (§3.4).
    pub vnet_tag: Vec<Ipv4Net>,
}

impl RouteContext {
    /// The active route for `ip`, by longest prefix.
    pub fn route_for(&self, ip: Ipv4Addr) -> Option<usize> {
        let bits = u32::from(ip);
        if self.scan.len() <= SCAN_LIMIT {
            return self
                .scan
                .iter()
                .find(|(net, mask, _)| bits & mask == *net)
                .map(|(_, _, row)| *row);
        }
        self.by_length.iter().find_map(|(mask, nets)| {
            let key = bits & mask;
            nets.binary_search_by_key(&key, |(net, _)| *net)
                .ok()
                .map(|i| nets[i].1)
        })
    }

    /// Whether `ip` is inside this context's `VirtualNetwork` tag.
    pub fn in_vnet_tag(&self, ip: Ipv4Addr) -> bool {
        self.vnet_tag.iter().any(|n| n.contains(&ip))
    }
}

/// Builds the effective routes of VNet `v` seen from subnet `subnet` (`None`: a gateway's view
/// in a VNet without a `GatewaySubnet`).
pub(crate) fn build_context(c: &Compiled, v: usize, subnet: Option<usize>) -> RouteContext {
    let design = c.design;
    let vnet = &design.vnets[v];
    let table = subnet.and_then(|s| c.subnets[s].table);
    let propagate = table.is_none_or(|t| design.route_tables[t].propagate_gateway_routes);
    let mut rows: Vec<RouteRow> = Vec::new();
    let system = |prefix, hop, note: Option<String>| RouteRow {
        prefix,
        source: RouteSource::Default,
        hop,
        udr: None,
        active: true,
        note,
        appliance: None,
    };
    for range in &vnet.address_space {
        rows.push(system(*range, RouteHop::VnetLocal, None));
    }
    for &i in &c.vnet_peers[v] {
        for prefix in c.peered_space[i].iter() {
            rows.push(system(*prefix, RouteHop::Peering(i), None));
        }
    }
    if propagate {
        for g in c.serving_gateways(v) {
            for (prefix, origin) in &c.learned[g] {
                // Azure drops gateway advertisements equal to a VNet prefix of this VNet.
                if vnet.address_space.contains(prefix) {
                    continue;
                }
                rows.push(RouteRow {
                    prefix: *prefix,
                    source: RouteSource::VirtualNetworkGateway,
                    hop: RouteHop::Learned(g, *origin),
                    udr: None,
                    active: true,
                    appliance: None,
                    note: None,
                });
            }
        }
    }
    rows.push(system(Ipv4Net::default(), RouteHop::Internet, None));
    let udrs = table
        .map(|t| &design.route_tables[t].routes[..])
        .unwrap_or(&[]);
    let default_route_overridden = udrs.iter().any(|r| {
        r.prefix.prefix_len() == 0
            && matches!(
                r.next_hop,
                NextHop::VirtualAppliance(_) | NextHop::VirtualNetworkGateway
            )
    });
    for reserved in reserved_prefixes() {
        let replaced = vnet.address_space.iter().any(|r| r.contains(&reserved));
        if replaced || default_route_overridden {
            continue;
        }
        rows.push(system(reserved, RouteHop::None, None));
    }
    let udr_gateway = c.udr_gateway(v);
    if let Some(t) = table {
        for (k, route) in udrs.iter().enumerate() {
            let hop = match route.next_hop {
                NextHop::VirtualAppliance(ip) => RouteHop::Appliance(ip),
                NextHop::VirtualNetworkGateway => RouteHop::UdrGateway,
                NextHop::VnetLocal => RouteHop::VnetLocal,
                NextHop::Internet => RouteHop::Internet,
                NextHop::None => RouteHop::None,
            };
            // A `VirtualNetworkGateway` UDR needs a VPN gateway, own or through transit: an
            // ExpressRoute gateway cannot be a UDR next hop (§2.3).
            let usable = hop != RouteHop::UdrGateway || udr_gateway.is_some();
            rows.push(RouteRow {
                prefix: route.prefix,
                source: RouteSource::User,
                hop,
                udr: Some((t, k)),
                appliance: match hop {
                    RouteHop::Appliance(ip) => resolve_appliance(c, v, ip),
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
    select(&mut rows, c);
    let mut lookup = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        if row.active {
            lookup
                .entry((row.prefix.prefix_len(), u32::from(row.prefix.network())))
                .or_insert(i);
        }
    }
    let mut scan: Vec<(u32, u32, usize)> = lookup
        .iter()
        .map(|(&(len, net), &row)| (net, mask(len), row))
        .collect();
    scan.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut by_length: Vec<(u32, Vec<(u32, usize)>)> = Vec::new();
    for &(net, mask, row) in &scan {
        match by_length.last_mut() {
            Some((m, nets)) if *m == mask => nets.push((net, row)),
            _ => by_length.push((mask, vec![(net, row)])),
        }
    }
    let vnet_tag = vnet_tag(c, v, &rows, udrs, default_route_overridden);
    RouteContext {
        vnet: v,
        subnet,
        table,
        rows,
        by_length,
        scan,
        vnet_tag,
    }
}

/// The NIC owning `ip` in VNet `v` or in a VNet `v` is usefully peered with (§2.3: the next
/// hop must be directly reachable).
fn resolve_appliance(
    c: &Compiled,
    v: usize,
    ip: Ipv4Addr,
) -> Option<(usize, usize, Option<usize>)> {
    c.nic_at
        .get(&(v, ip))
        .map(|&(vm, nic)| (vm, nic, None))
        .or_else(|| {
            c.vnet_peers[v].iter().find_map(|&p| {
                c.nic_at
                    .get(&(c.peerings[p].remote, ip))
                    .map(|&(vm, nic)| (vm, nic, Some(p)))
            })
        })
}

/// Marks losers Invalid: per prefix one winner (User > VNet/peering system > gateway > other
/// system), and gateway routes inside an active VNet or peering range.
fn select(rows: &mut [RouteRow], c: &Compiled) {
    let rank = |r: &RouteRow| match r.source {
        RouteSource::User => 0,
        _ if r.is_vnet_or_peering() => 1,
        RouteSource::VirtualNetworkGateway => 2,
        RouteSource::Default => 3,
    };
    let mut best: HashMap<Ipv4Net, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        if !row.active {
            continue;
        }
        best.entry(row.prefix)
            .and_modify(|b| {
                if rank(row) < rank(&rows[*b]) {
                    *b = i;
                }
            })
            .or_insert(i);
    }
    let winners: Vec<(Ipv4Net, usize)> = best.into_iter().collect();
    let winner_of: HashMap<Ipv4Net, usize> = winners.iter().copied().collect();
    for i in 0..rows.len() {
        let Some(&w) = winner_of.get(&rows[i].prefix) else {
            continue;
        };
        if w != i && rows[i].active {
            let reason = match rows[w].source {
                RouteSource::User => {
                    format!("overridden by user route `{}`", udr_name(c, &rows[w]))
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

fn udr_name<'a>(c: &'a Compiled, row: &RouteRow) -> &'a str {
    row.udr.map_or("", |(t, k)| {
        c.design.route_tables[t].routes[k].name.as_str()
    })
}

/// The `VirtualNetwork` tag of this context (§3.4): own space, peered spaces where this side
/// allows access, gateway-learned prefixes present here, UDR prefixes, the host IP, and
/// everything when a 0/0 UDR to an appliance or gateway widens it (under that assumption).
fn vnet_tag(
    c: &Compiled,
    v: usize,
    rows: &[RouteRow],
    udrs: &[crate::model::Route],
    default_route_overridden: bool,
) -> Vec<Ipv4Net> {
    let design = c.design;
    if default_route_overridden && design.assumptions.vnet_tag_widens_with_default_route {
        return vec![Ipv4Net::default()];
    }
    let mut tag: Vec<Ipv4Net> = design.vnets[v].address_space.clone();
    for &i in &c.vnet_peers[v] {
        if design.peerings[i].allow_virtual_network_access {
            tag.extend(c.peered_space[i].iter().copied());
        }
    }
    tag.extend(
        rows.iter()
            .filter(|r| r.source == RouteSource::VirtualNetworkGateway)
            .map(|r| r.prefix),
    );
    // A 0/0 UDR adds everything only under the widening assumption (handled above).
    tag.extend(udrs.iter().map(|r| r.prefix).filter(|p| p.prefix_len() > 0));
    tag.push(Ipv4Net::from(super::compile::HOST_IP));
    tag.sort();
    tag.dedup();
    tag
}

/// The next hop type Azure prints for a row.
pub(crate) fn next_hop_type(c: &Compiled, row: &RouteRow) -> &'static str {
    match row.hop {
        RouteHop::VnetLocal => "VnetLocal",
        RouteHop::Peering(p) if c.peerings[p].global => "VNetGlobalPeering",
        RouteHop::Peering(_) => "VNetPeering",
        RouteHop::Learned(..) | RouteHop::UdrGateway => "VirtualNetworkGateway",
        RouteHop::Appliance(_) => "VirtualAppliance",
        RouteHop::Internet => "Internet",
        RouteHop::None => "None",
    }
}

/// Where a peering or gateway route comes from, for the `note` column.
fn origin_note(c: &Compiled, row: &RouteRow) -> Option<String> {
    let design = c.design;
    match row.hop {
        RouteHop::Peering(p) => {
            let peering = &design.peerings[p];
            Some(format!(
                "peering `{}` to `{}`",
                peering.name, peering.remote
            ))
        }
        RouteHop::Learned(g, origin) => {
            let from = match origin {
                Learned::Site(s) => format!("site `{}`", design.sites[s].name),
                Learned::Gateway(o) => {
                    format!("VNet-to-VNet gateway `{}`", design.gateways[o].name)
                }
                Learned::P2s => "point-to-site client pool".to_string(),
            };
            Some(format!(
                "learned by gateway `{}` from {from}",
                design.gateways[g].name
            ))
        }
        _ => None,
    }
}

/// The public view of a context's table, in Azure's order: system, gateway, user.
pub(crate) fn effective_rows(c: &Compiled, ctx: &RouteContext) -> Vec<EffectiveRoute> {
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
            next_hop_type: next_hop_type(c, r).to_string(),
            next_hop_ip: match r.hop {
                RouteHop::Appliance(ip) => Some(ip),
                _ => None,
            },
            name: r.udr.map(|_| udr_name(c, r).to_string()),
            note: match (origin_note(c, r), &r.note) {
                (Some(origin), Some(reason)) => Some(format!("{origin}; {reason}")),
                (origin, reason) => origin.or_else(|| reason.clone()),
            },
        })
        .collect()
}
