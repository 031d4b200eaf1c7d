//! Explain: put a raw blocker into words a trainee understands (naming the blocking object and
//! the assumption it depends on) and attach a fix, an [`Edit`] that really removes it. Fixes
//! are built from the design as it is (free NSG priorities, unique names), so applying one
//! always succeeds on the design it was computed for.

mod fixes;
mod routes;

use super::compile::{Compiled, NsgPoint};
use super::nsg::Packet;
use super::routes::RouteHop;
use super::types::{Blocker, Fix};
use super::walk::{Cause, Place, RawBlocker, Spot};
use crate::edit::{Edit, Object};
use crate::model::{ApplianceKind, Direction, NextHop};

/// Everything an explanation needs besides the blocker itself.
pub(crate) struct Scene<'a, 'd> {
    pub c: &'a Compiled<'d>,
    pub from: Spot,
    pub to: Spot,
    pub packet: Packet,
    /// The first route context of the request's and of the reply's path.
    pub first_ctx: [Option<usize>; 2],
}

impl Scene<'_, '_> {
    /// The blocker in words, with its fix.
    pub fn explain(&self, raw: &RawBlocker) -> Blocker {
        let packet = if raw.reply {
            self.packet.reply()
        } else {
            self.packet
        };
        let (at, message, assumption, fix) = self.describe(raw, &packet);
        Blocker {
            code: raw.code,
            at,
            message,
            assumption,
            fix,
        }
    }

    fn describe(
        &self,
        raw: &RawBlocker,
        packet: &Packet,
    ) -> (String, String, Option<String>, Option<Fix>) {
        let c = self.c;
        let d = c.design;
        let dst = packet.dst;
        let src = packet.src;
        let way = if raw.reply {
            "the reply"
        } else {
            "the request"
        };
        match &raw.cause {
            Cause::Nsg {
                point,
                nsg,
                direction,
                decision,
            } => {
                let name = &d.nsgs[*nsg].name;
                let on = match point {
                    NsgPoint::Subnet(s) => format!("subnet `{}`", c.subnets[*s].name),
                    NsgPoint::Nic(vm, _) => format!("the NIC of `{}`", d.vms[*vm].name),
                };
                let dir = match direction {
                    Direction::Inbound => "inbound",
                    Direction::Outbound => "outbound",
                };
                let why = if decision.custom_index.is_none() {
                    format!(
                        "no rule allows it, so the default rule `{}` (priority {}) denies it",
                        decision.rule, decision.priority
                    )
                } else {
                    format!(
                        "rule `{}` (priority {}) denies it",
                        decision.rule, decision.priority
                    )
                };
                let message =
                    format!("NSG `{name}` on {on} checks {way} {src} → {dst} {dir}: {why}.");
                let subnet = match point {
                    NsgPoint::Subnet(s) => Some(*s),
                    NsgPoint::Nic(vm, nic) => c.nic_subnet[*vm][*nic],
                };
                let widened = subnet.and_then(|s| c.subnets[s].table).is_some_and(|t| {
                    d.route_tables[t].routes.iter().any(|r| {
                        r.prefix.prefix_len() == 0
                            && matches!(
                                r.next_hop,
                                NextHop::VirtualAppliance(_) | NextHop::VirtualNetworkGateway
                            )
                    })
                });
                let assumption = widened.then(|| {
                    format!(
                        "vnet_tag_widens_with_default_route={}",
                        d.assumptions.vnet_tag_widens_with_default_route
                    )
                });
                let fix = self.nsg_fix(
                    *nsg,
                    *direction,
                    decision.priority,
                    decision.custom_index,
                    packet,
                );
                (name.clone(), message, assumption, fix)
            }
            Cause::Appliance { vm, rule } => {
                let name = &d.vms[*vm].name;
                let kind = match d.vms[*vm].appliance.as_ref().map(|a| a.kind) {
                    Some(ApplianceKind::Firewall) => "Firewall",
                    _ => "NVA",
                };
                let why = match rule {
                    Some(r) => format!(
                        "its rule `{}` denies it",
                        d.vms[*vm]
                            .appliance
                            .as_ref()
                            .map_or("", |a| a.rules[*r].name.as_str())
                    ),
                    None => "no rule allows it and a firewall denies by default".to_string(),
                };
                let message = format!("{kind} `{name}` drops {way} {src} → {dst}: {why}.");
                (
                    name.clone(),
                    message,
                    None,
                    self.appliance_fix(*vm, *rule, packet),
                )
            }
            Cause::IpForwarding { vm, nic } => {
                let name = &d.vms[*vm].name;
                let ip = d.vms[*vm].nics[*nic].ip;
                let message = format!(
                    "`{name}` ({ip}) is the next hop for traffic to {dst}, but IP forwarding is off on its NIC, so Azure drops packets not addressed to it."
                );
                let mut vm_fixed = d.vms[*vm].clone();
                vm_fixed.nics[*nic].ip_forwarding = true;
                let fix = Fix {
                    description: format!("turn on IP forwarding on the NIC {ip} of `{name}`"),
                    edit: Edit::Replace(Object::Vm(vm_fixed)),
                };
                (name.clone(), message, None, Some(fix))
            }
            Cause::VnetAccess { peering } => {
                let p = &d.peerings[*peering];
                let message = format!(
                    "Peering `{}` has \"allow virtual network access\" off, so new flows between `{}` and `{}` are denied unless every NSG on the `{}` side allows them by IP address (assumption vnet_access_disabled=DocumentedIntent).",
                    p.name, p.local, p.remote, p.local
                );
                let mut fixed = p.clone();
                fixed.allow_virtual_network_access = true;
                let fix = Fix {
                    description: format!("allow virtual network access on peering `{}`", p.name),
                    edit: Edit::Replace(Object::Peering(fixed)),
                };
                (
                    format!("peering `{}`", p.name),
                    message,
                    Some("vnet_access_disabled=DocumentedIntent".to_string()),
                    Some(fix),
                )
            }
            Cause::SubnetNotInPeering { peering, subnet } => {
                let p = &d.peerings[*peering];
                let info = &c.subnets[*subnet];
                let message = format!(
                    "Peering `{}` is a subnet-level peering that lists only {} of `{}`, so subnet `{}` gets routes to `{}` but Azure drops {way} {src} → {dst} before it reaches the VM.",
                    p.name,
                    listed(&p.local_subnets),
                    p.local,
                    info.name,
                    p.remote
                );
                let name = &d.vnets[info.vnet].subnets[info.index_in_vnet].name;
                (
                    format!("peering `{}`", p.name),
                    message,
                    None,
                    self.subnet_peering_fix(*peering, name, true),
                )
            }
            Cause::Forwarded { peering } => {
                let p = &d.peerings[*peering];
                let message = format!(
                    "{src} is not in `{}`, so packets from it that enter `{}` over the peering are forwarded traffic, and peering `{}` does not allow forwarded traffic (assumption forwarded_traffic=Enforce).",
                    p.remote, p.local, p.name
                );
                let mut fixed = p.clone();
                fixed.allow_forwarded_traffic = true;
                let fix = Fix {
                    description: format!("allow forwarded traffic on peering `{}`", p.name),
                    edit: Edit::Replace(Object::Peering(fixed)),
                };
                (
                    format!("peering `{}`", p.name),
                    message,
                    Some("forwarded_traffic=Enforce".to_string()),
                    Some(fix),
                )
            }
            Cause::Route { ctx, row, hint } => self.route(*ctx, *row, *hint, packet),
            Cause::NextHopUnreachable { ctx, row } => {
                let context = &c.contexts[*ctx];
                let r = &context.rows[*row];
                let ip = match r.hop {
                    RouteHop::Appliance(ip) => ip,
                    _ => dst,
                };
                let x = context.vnet;
                let at = self.route_label(*ctx, *row);
                let message = format!(
                    "{at} sends {} to the appliance {ip}, but no NIC with that address is in `{}` or in a VNet directly peered with it, so the route cannot be used.",
                    r.prefix,
                    c.vnet_name(x)
                );
                let owner = d
                    .vms
                    .iter()
                    .flat_map(|vm| vm.nics.iter())
                    .find(|n| n.ip == ip)
                    .and_then(|n| c.vnet_ix.get(n.subnet.vnet.as_str()).copied());
                let fix = owner.filter(|&z| z != x).and_then(|z| self.peer_fix(x, z));
                (at, message, None, fix)
            }
            Cause::GatewayMissing { ctx, row } => {
                let context = &c.contexts[*ctx];
                let at = self.route_label(*ctx, *row);
                let message = format!(
                    "{at} sends {} to VirtualNetworkGateway, but `{}` has no VPN gateway of its own or through gateway transit (an ExpressRoute gateway cannot be a UDR next hop).",
                    context.rows[*row].prefix,
                    c.vnet_name(context.vnet)
                );
                (at, message, None, None)
            }
            Cause::SiteWithoutGateway { site } => {
                let name = &d.sites[*site].name;
                let message = format!(
                    "Site `{name}` has no connection to any gateway, so its hosts reach nothing in Azure."
                );
                (format!("site `{name}`"), message, None, None)
            }
            Cause::GatewayNotTransit { peering } => self.not_transit(*peering, dst, None),
            Cause::Loop { cycle } => {
                let path = cycle.join(" → ");
                let message = format!(
                    "The packet to {dst} loops ({path}): each hop's routes send it on to the next and back, so it never arrives."
                );
                (
                    cycle.first().cloned().unwrap_or_default(),
                    message,
                    None,
                    None,
                )
            }
            Cause::Asymmetric { vm, forward_only } => self.asymmetric(*vm, *forward_only),
            Cause::NoSuchHost { place } => {
                let message = format!(
                    "The route delivers {dst} to {place}, but no NIC there has that address."
                );
                (place.clone(), message, None, None)
            }
            Cause::NotAdvertised { origin } => self.not_advertised(*origin, dst),
            Cause::PeeringInvalid { peering, inside } => {
                let p = &d.peerings[*peering];
                let why: Vec<String> = c.peerings[*peering]
                    .violations
                    .iter()
                    .filter(|v| v.invalidates_peering())
                    .map(|v| format!("{} ({v})", v.rule()))
                    .collect();
                let message = format!(
                    "Peering `{}` is invalid: {}. Azure refuses it, and {dst} is inside the address space of `{}` itself, so the packet never leaves `{}`.",
                    p.name,
                    why.join("; "),
                    c.vnet_name(*inside),
                    c.vnet_name(*inside)
                );
                (format!("peering `{}`", p.name), message, None, None)
            }
        }
    }

    fn asymmetric(
        &self,
        vm: usize,
        forward_only: bool,
    ) -> (String, String, Option<String>, Option<Fix>) {
        let c = self.c;
        let name = &c.design.vms[vm].name;
        let message = if forward_only {
            format!(
                "`{name}` is stateful and sees the request but not the reply, which takes another path back, so the session never completes."
            )
        } else {
            format!(
                "`{name}` is stateful and sees the reply without having seen the request, so it drops it."
            )
        };
        // Steer the other direction through the appliance: a UDR where that direction starts.
        let (ctx, towards) = if forward_only {
            (self.first_ctx[1], self.from)
        } else {
            (self.first_ctx[0], self.to)
        };
        let fix = ctx.and_then(|ctx| {
            let ip = c.design.vms[vm].primary()?.ip;
            let prefix = self.covering_prefix(towards);
            self.udr_fix(ctx, prefix, ip)
        });
        (name.clone(), message, None, fix)
    }

    fn not_advertised(
        &self,
        origin: Place,
        dst: std::net::Ipv4Addr,
    ) -> (String, String, Option<String>, Option<Fix>) {
        let c = self.c;
        let d = c.design;
        let (at, gateways) = match origin {
            Place::Site(s) => {
                let name = &d.sites[s].name;
                let gws: Vec<usize> = d
                    .connections
                    .iter()
                    .filter(|k| k.remote == crate::model::ConnectionRemote::Site(name.clone()))
                    .filter_map(|k| c.gateway_ix.get(k.gateway.as_str()).copied())
                    .collect();
                (format!("site `{name}`"), gws)
            }
            Place::P2s(g) => (format!("P2S clients of `{}`", d.gateways[g].name), vec![g]),
            _ => (String::new(), Vec::new()),
        };
        let message = format!(
            "{} {} no route to {dst}: the gateway advertises only its own VNet, spokes that use it through gateway transit, and (over BGP) its other connections.",
            capitalise(&at),
            if at.starts_with("P2S") { "have" } else { "has" }
        );
        // The destination's VNet would be advertised if it used one of these gateways.
        let fix = match self.to.place {
            Place::Nic(vm, nic) => c.nic_subnet[vm][nic].and_then(|s| {
                let y = c.subnets[s].vnet;
                gateways
                    .iter()
                    .filter_map(|&g| c.gateway_vnet[g])
                    .find_map(|hub| self.gateway_fix(y, hub, Some(s)))
            }),
            _ => None,
        };
        (at, message, None, fix)
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The subnets of a subnet-level peering's list, in words.
fn listed(subnets: &[String]) -> String {
    match subnets {
        [] => "no subnets".to_string(),
        [one] => format!("subnet `{one}`"),
        many => format!(
            "subnets {}",
            many.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
