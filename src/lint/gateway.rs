//! Gateway checks: one VPN and one ExpressRoute gateway per VNet, the GatewaySubnet they need
//! (present, large enough, no NSG, no 0.0.0.0/0 route, propagation on, no VMs), and gateway
//! settings Azure refuses (BGP on Basic, policy-based where route-based is needed, VPN features
//! on an ExpressRoute gateway) (azure-semantics.md §2.3, §3.3, §4.1).

use super::support::Context;
use super::{Code, Diagnostic, Remedy, Severity};
use crate::edit::{Edit, Object, ObjectRef};
use crate::model::plan::free_subnet;
use crate::model::{
    Connection, ConnectionRemote, Design, GATEWAY_SUBNET, Gateway, GatewayKind, GatewaySku,
    ObjectKind, RouteTable, Subnet, Vnet, VpnType,
};

/// The smallest GatewaySubnet Azure accepts.
const GATEWAY_SUBNET_MIN_LEN: u8 = 29;
/// The GatewaySubnet size Azure recommends (and needs for VPN and ExpressRoute side by side).
const GATEWAY_SUBNET_RECOMMENDED_LEN: u8 = 27;

pub(super) fn check(cx: &Context, found: &mut Vec<Diagnostic>) {
    for gateway in &cx.design.gateways {
        gateway_settings(cx, gateway, found);
    }
    for vnet in &cx.design.vnets {
        gateways_per_vnet(cx, vnet, found);
        if let Some(subnet) = vnet.subnet(GATEWAY_SUBNET) {
            gateway_subnet(cx, vnet, subnet, found);
        }
    }
}

fn gateways_per_vnet(cx: &Context, vnet: &Vnet, found: &mut Vec<Diagnostic>) {
    let gateways: Vec<&Gateway> = cx.design.gateways_in(&vnet.name).collect();
    for (i, gateway) in gateways.iter().enumerate() {
        if let Some(first) = gateways[..i].iter().find(|g| g.kind == gateway.kind) {
            found.push(
                Diagnostic::new(
                    Severity::Error,
                    Code::GatewayTooMany,
                    ObjectKind::Gateway,
                    &gateway.name,
                    format!(
                        "VNet `{}` already has {} gateway `{}`; Azure allows one {} gateway per VNet",
                        vnet.name, gateway.kind, first.name, gateway.kind
                    ),
                )
                .with_fix(Remedy::edit(
                    format!("remove gateway `{}`", gateway.name),
                    Edit::Remove(ObjectRef::new(ObjectKind::Gateway, &gateway.name)),
                )),
            );
        }
        if vnet.subnet(GATEWAY_SUBNET).is_none() {
            let fix = free_subnet(vnet, GATEWAY_SUBNET_RECOMMENDED_LEN).map(|prefix| {
                Remedy::edit(
                    format!("add subnet `{GATEWAY_SUBNET}` {prefix} to `{}`", vnet.name),
                    Edit::Add {
                        object: Object::Subnet {
                            vnet: vnet.name.clone(),
                            subnet: Subnet::new(GATEWAY_SUBNET, prefix),
                        },
                        at: None,
                    },
                )
            });
            found.push(
                Diagnostic::new(
                    Severity::Error,
                    Code::GatewaySubnetMissing,
                    ObjectKind::Gateway,
                    &gateway.name,
                    format!(
                        "gateway `{}` needs a subnet named exactly `{GATEWAY_SUBNET}` in VNet `{}`, and there is none",
                        gateway.name, vnet.name
                    ),
                )
                .with_fix(fix.unwrap_or_else(|| {
                    Remedy::advice(format!(
                        "add a /{GATEWAY_SUBNET_RECOMMENDED_LEN} subnet named `{GATEWAY_SUBNET}` to `{}` (its address space has no free /{GATEWAY_SUBNET_RECOMMENDED_LEN} left)",
                        vnet.name
                    ))
                })),
            );
        }
    }
}

fn gateway_subnet(cx: &Context, vnet: &Vnet, subnet: &Subnet, found: &mut Vec<Diagnostic>) {
    let design = cx.design;
    let path = format!("{}/{}", vnet.name, subnet.name);
    let has_gateway = design.gateways_in(&vnet.name).next().is_some();
    let len = subnet.prefix.prefix_len();
    if len > GATEWAY_SUBNET_MIN_LEN {
        let (severity, consequence) = if has_gateway {
            (Severity::Error, "Azure refuses a gateway there")
        } else {
            (
                Severity::Warning,
                "Azure will refuse to create a gateway there",
            )
        };
        found.push(
            Diagnostic::new(
                severity,
                Code::GatewaySubnetTooSmall,
                ObjectKind::Subnet,
                &path,
                format!("`{path}` is a /{len}, smaller than the minimum /{GATEWAY_SUBNET_MIN_LEN}, so {consequence}"),
            )
            .with_fix(Remedy::advice(format!(
                "make `{path}` a /{GATEWAY_SUBNET_RECOMMENDED_LEN} or larger"
            ))),
        );
    } else if len > GATEWAY_SUBNET_RECOMMENDED_LEN && has_gateway {
        found.push(
            Diagnostic::new(
                Severity::Info,
                Code::GatewaySubnetTooSmall,
                ObjectKind::Subnet,
                &path,
                format!(
                    "`{path}` is a /{len}; Azure recommends /{GATEWAY_SUBNET_RECOMMENDED_LEN} or larger, which VPN and ExpressRoute gateways side by side need"
                ),
            )
            .with_fix(Remedy::advice(format!(
                "make `{path}` a /{GATEWAY_SUBNET_RECOMMENDED_LEN} when you next re-address"
            ))),
        );
    }
    if let Some(nsg) = &subnet.nsg {
        let mut without = subnet.clone();
        without.nsg = None;
        found.push(
            Diagnostic::new(
                Severity::Warning,
                Code::GatewaySubnetNsg,
                ObjectKind::Subnet,
                &path,
                format!("NSG `{nsg}` is associated with `{path}`; NSGs on GatewaySubnet are not supported and can stop the gateway working"),
            )
            .with_fix(Remedy::edit(
                format!("remove NSG `{nsg}` from `{path}`"),
                Edit::Replace(Object::Subnet {
                    vnet: vnet.name.clone(),
                    subnet: without,
                }),
            )),
        );
    }
    if let Some(table) = subnet
        .route_table
        .as_deref()
        .and_then(|t| design.route_table(t))
    {
        // Changing the table is only a safe fix when GatewaySubnets are its only users.
        let only_gateway_subnets = cx
            .subnets_using_table(&table.name)
            .iter()
            .all(|(_, s)| s.name == GATEWAY_SUBNET);
        let default_routes: Vec<&str> = table
            .routes
            .iter()
            .filter(|r| r.prefix.prefix_len() == 0)
            .map(|r| r.name.as_str())
            .collect();
        if !default_routes.is_empty() {
            let fix = table_fix(
                table,
                only_gateway_subnets,
                &format!("remove the 0.0.0.0/0 route from `{}`", table.name),
                |t| t.routes.retain(|r| r.prefix.prefix_len() != 0),
                &format!("give `{path}` its own route table without a 0.0.0.0/0 route"),
            );
            found.push(
                Diagnostic::new(
                    Severity::Warning,
                    Code::GatewaySubnetDefaultRoute,
                    ObjectKind::Subnet,
                    &path,
                    format!(
                        "route table `{}` on `{path}` has a 0.0.0.0/0 route (`{}`), which Azure does not support on GatewaySubnet: the gateway's own traffic would follow it",
                        table.name,
                        default_routes.join("`, `")
                    ),
                )
                .with_fix(fix),
            );
        }
        if !table.propagate_gateway_routes {
            let fix = table_fix(
                table,
                only_gateway_subnets,
                &format!("turn gateway route propagation on in `{}`", table.name),
                |t| t.propagate_gateway_routes = true,
                &format!("give `{path}` its own route table that propagates gateway routes"),
            );
            found.push(
                Diagnostic::new(
                    Severity::Warning,
                    Code::GatewaySubnetPropagationDisabled,
                    ObjectKind::Subnet,
                    &path,
                    format!(
                        "route table `{}` on `{path}` disables gateway route propagation, which stops the gateway from working",
                        table.name
                    ),
                )
                .with_fix(fix),
            );
        }
    }
    for vm in &design.vms {
        if vm
            .nics
            .iter()
            .any(|n| n.subnet.vnet == vnet.name && n.subnet.subnet == GATEWAY_SUBNET)
        {
            found.push(
                Diagnostic::new(
                    Severity::Warning,
                    Code::GatewaySubnetHasVms,
                    ObjectKind::Vm,
                    &vm.name,
                    format!(
                        "VM `{}` has a NIC in `{path}`; GatewaySubnet must hold only the gateway",
                        vm.name
                    ),
                )
                .with_fix(Remedy::advice(format!(
                    "move `{}` to another subnet",
                    vm.name
                ))),
            );
        }
    }
}

fn gateway_settings(cx: &Context, gateway: &Gateway, found: &mut Vec<Diagnostic>) {
    let design = cx.design;
    let upgraded = |sku: GatewaySku| {
        let mut changed = gateway.clone();
        changed.sku = sku;
        Edit::Replace(Object::Gateway(changed))
    };
    let bgp_connections: Vec<&str> = design
        .connections
        .iter()
        .filter(|c| c.bgp && c.gateway == gateway.name)
        .map(|c| c.name.as_str())
        .collect();
    if gateway.sku == GatewaySku::Basic && (gateway.bgp || !bgp_connections.is_empty()) {
        let what = if gateway.bgp {
            "has BGP enabled".to_string()
        } else {
            format!("has BGP connections (`{}`)", bgp_connections.join("`, `"))
        };
        found.push(
            Diagnostic::new(
                Severity::Error,
                Code::GatewayBasicBgp,
                ObjectKind::Gateway,
                &gateway.name,
                format!(
                    "gateway `{}` {what}, but the Basic SKU does not support BGP",
                    gateway.name
                ),
            )
            .with_fix(Remedy::edit(
                format!("upgrade gateway `{}` to the VpnGw1 SKU", gateway.name),
                upgraded(GatewaySku::VpnGw1),
            )),
        );
    }
    match gateway.kind {
        GatewayKind::Vpn => vpn_settings(cx, gateway, found),
        GatewayKind::ExpressRoute => express_route_settings(cx, gateway, found),
    }
}

fn vpn_settings(cx: &Context, gateway: &Gateway, found: &mut Vec<Diagnostic>) {
    let design = cx.design;
    if is_express_route_only_sku(gateway.sku) {
        found.push(
            Diagnostic::new(
                Severity::Error,
                Code::GatewayKindMismatch,
                ObjectKind::Gateway,
                &gateway.name,
                format!(
                    "VPN gateway `{}` has the ExpressRoute SKU {}; a VPN gateway takes a VPN SKU such as VpnGw1",
                    gateway.name, gateway.sku
                ),
            )
            .with_fix(Remedy::edit(
                format!("set the SKU of `{}` to VpnGw1", gateway.name),
                Edit::Replace(Object::Gateway(Gateway {
                    sku: GatewaySku::VpnGw1,
                    ..gateway.clone()
                })),
            )),
        );
    }
    if gateway.vpn_type != VpnType::PolicyBased {
        return;
    }
    let mut needs_route_based = Vec::new();
    if !gateway.client_pool.is_empty() {
        needs_route_based.push("point-to-site".to_string());
    }
    if gateway.bgp {
        needs_route_based.push("BGP".to_string());
    }
    for conn in connections_of(design, gateway) {
        if matches!(conn.remote, ConnectionRemote::Gateway(_)) {
            needs_route_based.push(format!("VNet-to-VNet connection `{}`", conn.name));
        }
    }
    for &i in cx.peerings_of(&gateway.vnet) {
        let peering = &design.peerings[i];
        if peering.allow_gateway_transit {
            needs_route_based.push(format!("gateway transit on `{}`", peering.name));
        }
    }
    let route_based = || {
        Remedy::edit(
            format!(
                "recreate `{}` as a route-based gateway (Azure cannot convert it in place)",
                gateway.name
            ),
            Edit::Replace(Object::Gateway(Gateway {
                vpn_type: VpnType::RouteBased,
                ..gateway.clone()
            })),
        )
    };
    features_refused(
        found,
        gateway,
        Code::GatewayPolicyBasedUnsupported,
        &needs_route_based,
        |features| {
            format!(
                "gateway `{}` is policy-based, but {features} needs a route-based VPN gateway",
                gateway.name
            )
        },
        route_based,
    );
}

fn express_route_settings(cx: &Context, gateway: &Gateway, found: &mut Vec<Diagnostic>) {
    let design = cx.design;
    let mut vpn_only = Vec::new();
    if is_vpn_only_sku(gateway.sku) {
        vpn_only.push(format!("the VPN SKU {}", gateway.sku));
    }
    if !gateway.client_pool.is_empty() {
        vpn_only.push("a point-to-site client pool".to_string());
    }
    for conn in connections_of(design, gateway) {
        vpn_only.push(format!("VPN connection `{}`", conn.name));
    }
    let separate = || {
        Remedy::advice(format!(
            "add a separate VPN gateway to `{}` for VPN features (both kinds can coexist)",
            gateway.vnet
        ))
    };
    features_refused(
        found,
        gateway,
        Code::GatewayKindMismatch,
        &vpn_only,
        |features| {
            format!(
                "ExpressRoute gateway `{}` has {features}, which only a VPN gateway can have",
                gateway.name
            )
        },
        separate,
    );
}

/// The connections with `gateway` at either end.
fn connections_of<'a>(
    design: &'a Design,
    gateway: &'a Gateway,
) -> impl Iterator<Item = &'a Connection> + 'a {
    design.connections.iter().filter(move |c| {
        c.gateway == gateway.name
            || matches!(&c.remote, ConnectionRemote::Gateway(other) if *other == gateway.name)
    })
}

/// One error listing the features a gateway has that its kind or type cannot carry (nothing
/// when there are none): the VPN features of an ExpressRoute gateway, the route-based features
/// of a policy-based one.
fn features_refused(
    found: &mut Vec<Diagnostic>,
    gateway: &Gateway,
    code: Code,
    features: &[String],
    sentence: impl FnOnce(String) -> String,
    remedy: impl FnOnce() -> Remedy,
) {
    if features.is_empty() {
        return;
    }
    found.push(
        Diagnostic::new(
            Severity::Error,
            code,
            ObjectKind::Gateway,
            &gateway.name,
            sentence(features.join(", ")),
        )
        .with_fix(remedy()),
    );
}

/// SKUs only ExpressRoute gateways take (Standard and HighPerformance are legacy SKUs of both).
fn is_express_route_only_sku(sku: GatewaySku) -> bool {
    matches!(
        sku,
        GatewaySku::UltraPerformance
            | GatewaySku::ErGw1AZ
            | GatewaySku::ErGw2AZ
            | GatewaySku::ErGw3AZ
            | GatewaySku::ErGwScale
    )
}

/// SKUs only VPN gateways take.
fn is_vpn_only_sku(sku: GatewaySku) -> bool {
    !is_express_route_only_sku(sku)
        && !matches!(sku, GatewaySku::Standard | GatewaySku::HighPerformance)
}

/// The fix for a GatewaySubnet's route table: change the table itself when GatewaySubnets are
/// its only users; otherwise changing it would affect other subnets, so advise a table of its own.
fn table_fix(
    table: &RouteTable,
    only_gateway_subnets: bool,
    change_text: &str,
    change: impl FnOnce(&mut RouteTable),
    own_table_text: &str,
) -> Remedy {
    if only_gateway_subnets {
        let mut changed = table.clone();
        change(&mut changed);
        Remedy::edit(change_text, Edit::Replace(Object::RouteTable(changed)))
    } else {
        Remedy::advice(format!(
            "{own_table_text} (`{}` is shared with other subnets)",
            table.name
        ))
    }
}
