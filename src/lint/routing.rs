//! Routing checks on user-defined routes (azure-semantics.md §2.3, §2.9): a `VirtualAppliance`
//! next hop must be a NIC that is directly reachable (same VNet or a connected peer, within the
//! synced space) and has IP forwarding on, and must not sit in a subnet its own route steers
//! (loop); a `VirtualNetworkGateway` next hop needs a VPN gateway, never ExpressRoute; routes
//! in one table need distinct prefixes; a table no subnet uses does nothing.

use super::support::Context;
use super::{Code, Diagnostic, Remedy, Severity};
use crate::edit::{Edit, Object, ObjectRef};
use crate::model::{GatewayKind, NextHop, Nic, ObjectKind, Route, RouteTable, Subnet, Vm, Vnet};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::net::Ipv4Addr;

pub(super) fn check(cx: &Context, found: &mut Vec<Diagnostic>) {
    // An appliance NIC is reported once, however many routes point at it.
    let mut reported_forwarding: HashSet<(String, usize)> = HashSet::default();
    for table in &cx.design.route_tables {
        duplicate_prefixes(table, found);
        let users = cx.subnets_using_table(&table.name);
        if users.is_empty() {
            found.push(
                Diagnostic::new(
                    Severity::Info,
                    Code::RouteTableUnused,
                    ObjectKind::RouteTable,
                    &table.name,
                    format!(
                        "route table `{}` is associated with no subnet, so its routes have no effect",
                        table.name
                    ),
                )
                .with_fix(Remedy::edit(
                    format!("delete route table `{}`", table.name),
                    Edit::Remove(ObjectRef::new(ObjectKind::RouteTable, &table.name)),
                )),
            );
        }
        for route in &table.routes {
            match route.next_hop {
                NextHop::VirtualAppliance(ip) => {
                    appliance_hop(cx, table, route, ip, users, &mut reported_forwarding, found);
                }
                NextHop::VirtualNetworkGateway => gateway_hop(cx, table, route, users, found),
                NextHop::VnetLocal | NextHop::Internet | NextHop::None => {}
            }
        }
    }
}

/// How a diagnostic names a route: ``route `name` of `table` (prefix → next hop)``. Written
/// out only when a diagnostic is made (every route of every table is checked, and most are
/// fine).
struct RouteText<'a> {
    route: &'a Route,
    table: &'a RouteTable,
}

impl std::fmt::Display for RouteText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let RouteText { route, table } = self;
        write!(
            f,
            "route `{}` of `{}` ({} → {})",
            route.name, table.name, route.prefix, route.next_hop
        )
    }
}

fn duplicate_prefixes(table: &RouteTable, found: &mut Vec<Diagnostic>) {
    for (i, route) in table.routes.iter().enumerate() {
        if let Some(first) = table.routes[..i].iter().find(|r| r.prefix == route.prefix) {
            let mut cleaned = table.clone();
            cleaned.routes.remove(i);
            found.push(
                Diagnostic::new(
                    Severity::Error,
                    Code::RouteDuplicatePrefix,
                    ObjectKind::RouteTable,
                    &table.name,
                    format!(
                        "routes `{}` and `{}` of route table `{}` both have the prefix {}; Azure refuses two routes for one prefix in a table",
                        first.name, route.name, table.name, route.prefix
                    ),
                )
                .with_fix(Remedy::edit(
                    format!("remove route `{}` from `{}`", route.name, table.name),
                    Edit::Replace(Object::RouteTable(cleaned)),
                )),
            );
        }
    }
}

/// The VNets among a table's users, each once, in design order.
fn user_vnets<'a>(users: &[(&'a Vnet, &'a Subnet)]) -> Vec<&'a Vnet> {
    let mut seen = HashSet::default();
    users
        .iter()
        .filter(|(vnet, _)| seen.insert(vnet.name.as_str()))
        .map(|(vnet, _)| *vnet)
        .collect()
}

fn appliance_hop(
    cx: &Context,
    table: &RouteTable,
    route: &Route,
    ip: Ipv4Addr,
    users: &[(&Vnet, &Subnet)],
    reported_forwarding: &mut HashSet<(String, usize)>,
    found: &mut Vec<Diagnostic>,
) {
    let candidates = cx.nics_with_ip(ip);
    let route_text = RouteText { route, table };
    if candidates.is_empty() {
        found.push(
            Diagnostic::new(
                Severity::Warning,
                Code::RouteNextHopNotFound,
                ObjectKind::RouteTable,
                &table.name,
                format!(
                    "{route_text} points at an address no NIC has, so matching traffic is dropped"
                ),
            )
            .with_fix(Remedy::advice(format!(
                "point `{}` at the IP of an appliance NIC, or add the appliance",
                route.name
            ))),
        );
        return;
    }
    // The appliance each using VNet reaches, resolved once per VNet (tables are often shared
    // by every subnet of hundreds of spokes).
    let mut resolved: HashMap<&str, Option<(&Vm, &Nic)>> = HashMap::default();
    for (vnet, subnet) in users {
        let target = *resolved.entry(vnet.name.as_str()).or_insert_with(|| {
            let reachable = candidates
                .iter()
                .find(|(_, nic)| {
                    cx.directly_connected(&vnet.name, &nic.subnet.vnet)
                        && cx.carried_over_link(&vnet.name, &nic.subnet.vnet, ip)
                })
                .copied();
            match reachable {
                Some((vm, nic)) => forwarding(vm, nic, &route_text, ip, reported_forwarding, found),
                None => unreachable(vnet, candidates[0], &route_text, ip, &table.name, found),
            }
            reachable
        });
        let Some((vm, nic)) = target else {
            continue;
        };
        if nic.subnet.vnet == vnet.name && nic.subnet.subnet == subnet.name {
            let path = format!("{}/{}", vnet.name, subnet.name);
            found.push(
                Diagnostic::new(
                    Severity::Warning,
                    Code::RouteApplianceInSameSubnet,
                    ObjectKind::Subnet,
                    &path,
                    format!(
                        "{route_text} steers traffic from `{path}` to `{}`, which sits in `{path}` itself: the appliance's forwarded packets match the same route and loop back to it",
                        vm.name
                    ),
                )
                .with_fix(Remedy::advice(format!(
                    "move `{}` to its own subnet that does not use `{}`",
                    vm.name, table.name
                ))),
            );
        }
    }
}

fn unreachable(
    vnet: &Vnet,
    (vm, nic): (&Vm, &Nic),
    route_text: &RouteText<'_>,
    ip: Ipv4Addr,
    table: &str,
    found: &mut Vec<Diagnostic>,
) {
    found.push(
        Diagnostic::new(
            Severity::Warning,
            Code::RouteNextHopUnreachable,
            ObjectKind::RouteTable,
            table,
            format!(
                "{route_text} is used in VNet `{}`, but {ip} (`{}` in `{}`) is not directly reachable from there: a next hop must be in the same VNet or a peered VNet connected on both sides",
                vnet.name, vm.name, nic.subnet.vnet
            ),
        )
        .with_fix(Remedy::advice(format!(
            "peer `{}` with `{}` on both sides, or use an appliance in `{}` or a VNet peered with it",
            vnet.name, nic.subnet.vnet, vnet.name
        ))),
    );
}

/// Reports an appliance NIC a route targets with IP forwarding off, once per NIC.
fn forwarding(
    vm: &Vm,
    nic: &Nic,
    route_text: &RouteText<'_>,
    ip: Ipv4Addr,
    reported: &mut HashSet<(String, usize)>,
    found: &mut Vec<Diagnostic>,
) {
    let index = vm
        .nics
        .iter()
        .position(|n| std::ptr::eq(n, nic))
        .unwrap_or(0);
    if nic.ip_forwarding || !reported.insert((vm.name.clone(), index)) {
        return;
    }
    let mut enabled = vm.clone();
    if let Some(target) = enabled.nics.get_mut(index) {
        target.ip_forwarding = true;
    }
    found.push(
        Diagnostic::new(
            Severity::Warning,
            Code::RouteNextHopNoIpForwarding,
            ObjectKind::Vm,
            &vm.name,
            format!(
                "{route_text} targets `{}`, whose NIC has IP forwarding off, so Azure drops the traffic it should forward",
                vm.name
            ),
        )
        .with_fix(Remedy::edit(
            format!("turn IP forwarding on for the NIC {ip} of `{}`", vm.name),
            Edit::Replace(Object::Vm(enabled)),
        )),
    );
}

fn gateway_hop(
    cx: &Context,
    table: &RouteTable,
    route: &Route,
    users: &[(&Vnet, &Subnet)],
    found: &mut Vec<Diagnostic>,
) {
    let design = cx.design;
    let route_text = RouteText { route, table };
    for vnet in user_vnets(users) {
        let own: Vec<_> = design.gateways_in(&vnet.name).collect();
        let (gateways, whose) = if own.is_empty() {
            let hub = cx
                .peerings_of(&vnet.name)
                .iter()
                .find(|&&i| design.peerings[i].use_remote_gateways && cx.violations(i).is_empty())
                .map(|&i| &design.peerings[i]);
            match hub {
                Some(p) => (
                    design.gateways_in(&p.remote).collect(),
                    format!("hub `{}`", p.remote),
                ),
                None => (Vec::new(), String::new()),
            }
        } else {
            (own, format!("`{}`", vnet.name))
        };
        let has_vpn = gateways.iter().any(|g| g.kind == GatewayKind::Vpn);
        let has_er = gateways.iter().any(|g| g.kind == GatewayKind::ExpressRoute);
        let (code, problem, advice) = match (has_vpn, has_er) {
            (true, false) => continue,
            (false, false) => (
                Code::RouteGatewayMissing,
                format!(
                    "VNet `{}` has no VPN gateway of its own and uses none through gateway transit, so matching traffic is dropped",
                    vnet.name
                ),
                format!(
                    "add a VPN gateway to `{}`, or use a hub's gateway ({})",
                    vnet.name,
                    crate::model::PeeringFlag::UseRemoteGateways
                ),
            ),
            (false, true) => (
                Code::RouteGatewayExpressRoute,
                format!(
                    "the gateway of {whose} is an ExpressRoute gateway, which cannot be a route's next hop, so the route is invalid"
                ),
                "use a VPN gateway as the next hop, or an appliance".to_string(),
            ),
            (true, true) => (
                Code::RouteGatewayExpressRoute,
                format!(
                    "{whose} has both a VPN and an ExpressRoute gateway, and Azure does not allow VirtualNetworkGateway as a next hop when they coexist"
                ),
                "route through an appliance instead".to_string(),
            ),
        };
        found.push(
            Diagnostic::new(
                Severity::Warning,
                code,
                ObjectKind::RouteTable,
                &table.name,
                format!(
                    "{route_text} is used in VNet `{}`, but {problem}",
                    vnet.name
                ),
            )
            .with_fix(Remedy::advice(advice)),
        );
    }
}
