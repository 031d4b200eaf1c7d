//! One explanation per cause that is not a route dead end: NSGs, appliances, IP forwarding,
//! peering flags, unlisted subnets, unusable next hops and gateways, loops, asymmetric
//! appliances, missing hosts, unadvertised destinations and invalid peerings.

use super::{Explanation, Scene, capitalise, listed};
use crate::edit::{Edit, Object};
use crate::engine::ix::{
    CtxIx, GatewayIx, NicIx, NsgIx, PeeringIx, RowIx, SiteIx, SubnetIx, VmIx, VnetIx,
};
use crate::engine::nsg::{NsgDecision, Packet};
use crate::engine::policies::NsgPoint;
use crate::engine::routes::{RouteHop, overrides_default_route};
use crate::engine::types::{Assumption, Fix};
use crate::engine::walk::Place;
use crate::model::{
    ApplianceKind, Direction, ForwardedTraffic, Peering, PeeringFlag, PeeringState, VnetAccessMode,
};
use std::net::Ipv4Addr;

impl Scene<'_> {
    pub(super) fn nsg(
        &self,
        point: NsgPoint,
        nsg: NsgIx,
        direction: Direction,
        decision: &NsgDecision,
        packet: &Packet,
        way: &str,
    ) -> Explanation {
        let c = self.c;
        let (src, dst) = (packet.src, packet.dst);
        let name = &c.nsgs()[nsg].name;
        let on = match point {
            NsgPoint::Subnet(s) => format!("subnet `{}`", c.index.subnets[s].name),
            NsgPoint::Nic(nic) => format!("the NIC of `{}`", c.vms()[nic.vm].name),
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
        let message = format!("NSG `{name}` on {on} checks {way} {src} → {dst} {dir}: {why}.");
        let subnet = match point {
            NsgPoint::Subnet(s) => Some(s),
            NsgPoint::Nic(nic) => c.index.nic_subnet(nic),
        };
        // A 0/0 UDR to an appliance or gateway may have widened the `VirtualNetwork` tag.
        let widened = subnet
            .and_then(|s| c.index.subnets[s].table)
            .is_some_and(|t| overrides_default_route(&c.tables()[t].routes));
        let assumption = widened.then_some(Assumption::VnetTagWidensWithDefaultRoute(
            c.design.assumptions.vnet_tag_widens_with_default_route,
        ));
        let fixes = self.nsg_fixes(
            nsg,
            direction,
            decision.priority,
            decision.custom_index,
            packet,
        );
        Explanation::new(name.clone(), message)
            .with_assumption(assumption)
            .with_fixes(fixes)
    }

    pub(super) fn appliance(
        &self,
        vm: VmIx,
        rule: Option<usize>,
        packet: &Packet,
        way: &str,
    ) -> Explanation {
        let (src, dst) = (packet.src, packet.dst);
        let machine = &self.c.vms()[vm];
        let name = &machine.name;
        let kind = match machine.appliance.as_ref().map(|a| a.kind) {
            Some(ApplianceKind::Firewall) => "Firewall",
            _ => "NVA",
        };
        let why = match rule {
            Some(r) => format!(
                "its rule `{}` denies it",
                machine
                    .appliance
                    .as_ref()
                    .and_then(|a| a.rules.get(r))
                    .map_or("", |r| r.name.as_str())
            ),
            None => "no rule allows it and a firewall denies by default".to_string(),
        };
        let message = format!("{kind} `{name}` drops {way} {src} → {dst}: {why}.");
        Explanation::new(name.clone(), message).with_fixes(self.appliance_fixes(vm, rule, packet))
    }

    pub(super) fn ip_forwarding(&self, nic: NicIx, dst: Ipv4Addr) -> Explanation {
        let vm = &self.c.vms()[nic.vm];
        let name = &vm.name;
        let ip = vm.nics[nic.slot].ip;
        let message = format!(
            "`{name}` ({ip}) is the next hop for traffic to {dst}, but IP forwarding is off on its NIC, so Azure drops packets not addressed to it."
        );
        let mut vm_fixed = vm.clone();
        vm_fixed.nics[nic.slot].ip_forwarding = true;
        let fix = Fix {
            description: format!("turn on IP forwarding on the NIC {ip} of `{name}`"),
            edit: Edit::Replace(Object::Vm(vm_fixed)),
        };
        Explanation::new(name.clone(), message).with_fix(Some(fix))
    }

    pub(super) fn vnet_access(&self, peering: PeeringIx) -> Explanation {
        let p = &self.c.peerings()[peering];
        let assumption = Assumption::VnetAccessDisabled(VnetAccessMode::DocumentedIntent);
        let flag = PeeringFlag::AllowVirtualNetworkAccess;
        let message = format!(
            "Peering `{}` has {} off, so new flows between `{}` and `{}` are denied unless every NSG on the `{}` side allows them by IP address (assumption {assumption}).",
            p.name,
            flag.api_name(),
            p.local,
            p.remote,
            p.local
        );
        Self::flag_off(p, flag, message, assumption)
    }

    pub(super) fn subnet_not_in_peering(
        &self,
        peering: PeeringIx,
        subnet: SubnetIx,
        packet: &Packet,
        way: &str,
    ) -> Explanation {
        let c = self.c;
        let (src, dst) = (packet.src, packet.dst);
        let p = &c.peerings()[peering];
        let info = &c.index.subnets[subnet];
        let message = format!(
            "Peering `{}` is a subnet-level peering that lists only {} of `{}`, so subnet `{}` gets routes to `{}` but Azure drops {way} {src} → {dst} before it reaches the VM.",
            p.name,
            listed(&p.local_subnets),
            p.local,
            info.name,
            p.remote
        );
        let name = &c.vnets()[info.vnet].subnets[info.index_in_vnet].name;
        Explanation::new(format!("peering `{}`", p.name), message)
            .with_fix(self.subnet_peering_fix(peering, name, true))
    }

    pub(super) fn forwarded(&self, peering: PeeringIx, src: Ipv4Addr) -> Explanation {
        let p = &self.c.peerings()[peering];
        let assumption = Assumption::ForwardedTraffic(ForwardedTraffic::Enforce);
        let flag = PeeringFlag::AllowForwardedTraffic;
        let message = format!(
            "{src} is not in `{}`, so packets from it that enter `{}` over the peering are forwarded traffic, and peering `{}` does not allow forwarded traffic ({} is off; assumption {assumption}).",
            p.remote,
            p.local,
            p.name,
            flag.api_name()
        );
        Self::flag_off(p, flag, message, assumption)
    }

    pub(super) fn next_hop_unreachable(
        &self,
        ctx: CtxIx,
        row: RowIx,
        dst: Ipv4Addr,
    ) -> Explanation {
        let c = self.c;
        let context = c.ctx(ctx);
        let r = &context.rows[row];
        let ip = match r.hop {
            RouteHop::Appliance(ip) => ip,
            _ => dst,
        };
        let x = context.vnet;
        let at = self.route_label(ctx, row);
        let message = format!(
            "{at} sends {} to the appliance {ip}, but no NIC with that address is in `{}` or in a VNet directly peered with it, so the route cannot be used.",
            r.prefix,
            c.vnet_name(x)
        );
        // The appliance exists in another VNet: peering the two makes it directly reachable.
        let owner = c
            .design
            .vms
            .iter()
            .flat_map(|vm| vm.nics.iter())
            .find(|n| n.ip == ip)
            .and_then(|n| c.index.vnet_ix.get(n.subnet.vnet.as_str()).copied());
        let fix = owner.filter(|&z| z != x).and_then(|z| self.peer_fix(x, z));
        Explanation::new(at, message).with_fix(fix)
    }

    pub(super) fn gateway_missing(&self, ctx: CtxIx, row: RowIx) -> Explanation {
        let c = self.c;
        let context = c.ctx(ctx);
        let at = self.route_label(ctx, row);
        let message = format!(
            "{at} sends {} to VirtualNetworkGateway, but `{}` has no VPN gateway of its own or through gateway transit (an ExpressRoute gateway cannot be a UDR next hop).",
            context.rows[row].prefix,
            c.vnet_name(context.vnet)
        );
        Explanation::new(at, message)
    }

    pub(super) fn site_without_gateway(&self, site: SiteIx) -> Explanation {
        let name = &self.c.sites()[site].name;
        let message = format!(
            "Site `{name}` has no connection to any gateway, so its hosts reach nothing in Azure."
        );
        Explanation::new(format!("site `{name}`"), message)
    }

    pub(super) fn routing_loop(cycle: &[String], dst: Ipv4Addr) -> Explanation {
        let path = cycle.join(" → ");
        let message = format!(
            "The packet to {dst} loops ({path}): each hop's routes send it on to the next and back, so it never arrives."
        );
        Explanation::new(cycle.first().cloned().unwrap_or_default(), message)
    }

    pub(super) fn asymmetric(&self, vm: VmIx, forward_only: bool) -> Explanation {
        let machine = &self.c.vms()[vm];
        let name = &machine.name;
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
            let ip = machine.primary()?.ip;
            let prefix = self.covering_prefix(towards);
            self.udr_fix(ctx, prefix, ip)
        });
        Explanation::new(name.clone(), message).with_fix(fix)
    }

    pub(super) fn no_such_host(place: &str, dst: Ipv4Addr) -> Explanation {
        let message =
            format!("The route delivers {dst} to {place}, but no NIC there has that address.");
        Explanation::new(place.to_string(), message)
    }

    pub(super) fn not_advertised(&self, origin: Place, dst: Ipv4Addr) -> Explanation {
        let c = self.c;
        let (at, gateways): (String, Vec<GatewayIx>) = match origin {
            Place::Site(s) => (
                format!("site `{}`", c.sites()[s].name),
                c.index.site_gateways(&c.design, s),
            ),
            Place::P2s(g) => (
                format!("P2S clients of `{}`", c.gateways()[g].name),
                vec![g],
            ),
            _ => (String::new(), Vec::new()),
        };
        let message = format!(
            "{} {} no route to {dst}: the gateway advertises only its own VNet, spokes that use it through gateway transit, and (over BGP) its other connections.",
            capitalise(&at),
            if at.starts_with("P2S") { "have" } else { "has" }
        );
        // The destination's VNet would be advertised if it used one of these gateways.
        let fix = match self.to.place {
            Place::Nic(nic) => c.index.nic_subnet(nic).and_then(|s| {
                let y = c.index.subnets[s].vnet;
                gateways
                    .iter()
                    .filter_map(|&g| c.index.gateway_vnet[g])
                    .find_map(|hub| {
                        let ctx = crate::engine::routes::Routing::of_subnet(s);
                        // A down peering with the hub is the root cause other pairs name too.
                        let down = [(y, hub), (hub, y)]
                            .iter()
                            .filter_map(|key| c.index.peer.get(key).copied())
                            .find(|&p| c.index.peerings[p].state != PeeringState::Connected);
                        match down {
                            Some(p) => self.gateway_peering_fix(p, y, hub, ctx),
                            None => self.gateway_fix(y, hub, Some(ctx)),
                        }
                    })
            }),
            _ => None,
        };
        Explanation::new(at, message).with_fix(fix)
    }

    pub(super) fn peering_invalid(
        &self,
        peering: PeeringIx,
        inside: VnetIx,
        dst: Ipv4Addr,
    ) -> Explanation {
        let c = self.c;
        let p = &c.peerings()[peering];
        let message = format!(
            "Peering `{}` is invalid: {}. Azure refuses it, and {dst} is inside the address space of `{}` itself, so the packet never leaves `{}`.",
            p.name,
            self.invalidating(peering).join("; "),
            c.vnet_name(inside),
            c.vnet_name(inside)
        );
        Explanation::new(format!("peering `{}`", p.name), message)
    }

    /// A setting of link `p` that is off stops the packet: `message` says how (under
    /// `assumption`); the fix turns the setting on.
    fn flag_off(
        p: &Peering,
        flag: PeeringFlag,
        message: String,
        assumption: Assumption,
    ) -> Explanation {
        let mut fixed = p.clone();
        flag.set(&mut fixed, true);
        let fix = Fix {
            description: format!("{flag} on peering `{}`", p.name),
            edit: Edit::Replace(Object::Peering(fixed)),
        };
        Explanation::new(format!("peering `{}`", p.name), message)
            .with_assumption(Some(assumption))
            .with_fix(Some(fix))
    }

    /// The violations that make a peering invalid, as `V1 (…)` texts.
    pub(super) fn invalidating(&self, peering: PeeringIx) -> Vec<String> {
        self.c.index.peerings[peering]
            .violations
            .iter()
            .filter(|v| v.invalidates_peering())
            .map(|v| format!("{} ({v})", v.rule()))
            .collect()
    }
}
