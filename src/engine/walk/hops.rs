//! The hops of the walk other than route lookups: a site host or P2S client entering Azure (or
//! staying on its own site's network), crossing a peering (forwarded traffic, access),
//! delivering to a NIC, arriving at a gateway (loop guard, pending access) and appliances (IP
//! forwarding, rules, sessions, loop guard).

use super::walker::{Cursor, Sender, Walker};
use super::{Cause, Place};
use crate::engine::ix::{CtxIx, GatewayIx, PeeringIx, RowIx, SiteIx, SubnetIx, VmIx, VnetIx};
use crate::engine::nsg::appliance_rule;
use crate::engine::routes::Routing;
use crate::engine::types::{HopDecision, HopStep, ReasonCode};
use crate::model::{Access, ApplianceKind, ForwardedTraffic, VnetAccessMode};
use std::net::Ipv4Addr;

impl Walker<'_> {
    /// Crossing peering `p` from its local VNet `x` (where the packet is) into its remote VNet.
    pub(super) fn cross(&mut self, p: PeeringIx, x: VnetIx, sender: Sender) {
        let c = self.c;
        let view = self.peering(p);
        let (facts, peering) = (view.facts, view.model);
        let reverse = facts.reverse;
        // The peering going back, as its flags decide forwarded traffic and access.
        let back = reverse.map(|r| (r, self.peering(r).model));
        self.hop(
            || format!("peering `{}`", peering.name),
            HopStep::Peering,
            HopDecision::Cross,
            || {
                format!(
                    "{} → {} ({})",
                    peering.local,
                    peering.remote,
                    if facts.global { "global" } else { "regional" }
                )
            },
        );
        let assumptions = &c.design.assumptions;
        let forwarded = !c.index.vnet_contains(x, self.packet.src);
        let from_gateway = matches!(sender, Sender::Gateway(_));
        if forwarded
            && assumptions.forwarded_traffic == ForwardedTraffic::Enforce
            && !(from_gateway && assumptions.gateway_hops_exempt_from_forwarding_check)
            && let Some((r, back)) = back
            && !back.allow_forwarded_traffic
        {
            self.block(
                ReasonCode::ForwardedTrafficBlocked,
                Cause::Forwarded { peering: r },
            );
        }
        if self.is_reply()
            || forwarded
            || assumptions.vnet_access_disabled != VnetAccessMode::DocumentedIntent
        {
            return;
        }
        if !peering.allow_virtual_network_access {
            let explicit = matches!(sender, Sender::Nic { vnet, nsgs, explicit } if vnet == x && nsgs > 0 && explicit);
            if !explicit {
                self.block(
                    ReasonCode::PeeringVnetAccessBlocked,
                    Cause::VnetAccess { peering: p },
                );
            }
        }
        if let Some((r, back)) = back
            && !back.allow_virtual_network_access
        {
            self.pending_access = Some(r);
        }
    }

    /// A subnet-level peering carries routes to every subnet of its VNet, but Azure drops what
    /// a subnet it does not list sends over it (§1.9). Returns whether the packet was dropped.
    pub(super) fn outside_subnet_peering(&mut self, ctx: CtxIx, p: PeeringIx) -> bool {
        let c = self.c;
        let Some(subnet) = self.context(ctx).subnet else {
            return false;
        };
        if !c.index.subnets[subnet].outside_peerings.contains(&p) {
            return false;
        }
        let peering = self.peering(p).model;
        self.hop(
            || format!("peering `{}`", peering.name),
            HopStep::Peering,
            HopDecision::Drop,
            || {
                format!(
                    "subnet `{}` is not in the subnet peering",
                    c.index.subnets[subnet].name
                )
            },
        );
        self.block(
            ReasonCode::SubnetNotInSubnetPeering,
            Cause::SubnetNotInPeering { peering: p, subnet },
        );
        true
    }

    /// Delivers to the destination NIC if it lives in VNet `v`.
    pub(super) fn deliver_in(&mut self, v: VnetIx) -> Cursor {
        let c = self.c;
        let dst = self.packet.dst;
        let Place::Nic(nic) = self.to.place else {
            return self.no_such_host(format!("{dst} in VNet `{}`", c.vnet_name(v)));
        };
        let y = c.index.nic_vnet(nic);
        if y == Some(v) {
            self.ingress(nic);
            self.hop(
                || c.vms()[nic.vm].name.clone(),
                HopStep::Deliver,
                HopDecision::Deliver,
                String::new,
            );
            self.out.arrived = true;
            return Cursor::Done;
        }
        // The destination lives in another VNet whose range overlaps this one: name the
        // invalid peering between them, if there is one.
        let invalid = y.and_then(|y| {
            [c.index.peer.get(&(v, y)), c.index.peer.get(&(y, v))]
                .into_iter()
                .flatten()
                .copied()
                .find(|&p| !self.peering(p).facts.valid)
        });
        match invalid {
            Some(peering) => {
                self.block(
                    ReasonCode::PeeringInvalid,
                    Cause::PeeringInvalid { peering, inside: v },
                );
                Cursor::Done
            }
            None => self.no_such_host(format!("{dst} in VNet `{}`", c.vnet_name(v))),
        }
    }

    /// To gateway `g` from VNet `x`, crossing to the gateway's VNet when it is another one.
    pub(super) fn forward_to_gateway(&mut self, x: VnetIx, g: GatewayIx, sender: Sender) -> Cursor {
        let c = self.c;
        if let Some(hub) = c.index.gateway_vnet[g]
            && hub != x
            && let Some(p) = c.index.transit_via[x].or_else(|| c.index.peer.get(&(x, hub)).copied())
        {
            self.cross(p, x, sender);
        }
        Cursor::Gateway { g }
    }

    /// Arriving at gateway `g`: the loop guard, the gateway hop, a pending access check, then
    /// the gateway's own route lookup.
    pub(super) fn at_gateway(&mut self, g: GatewayIx) -> Cursor {
        let c = self.c;
        let gateway = &c.gateways()[g];
        if self.out.gateways.contains(&g) {
            let mut cycle: Vec<String> = self
                .out
                .gateways
                .iter()
                .map(|&k| c.gateways()[k].name.clone())
                .collect();
            cycle.push(gateway.name.clone());
            self.block(ReasonCode::RoutingLoop, Cause::Loop { cycle });
            return Cursor::Done;
        }
        self.out.gateways.push(g);
        self.hop(
            || format!("gateway `{}`", gateway.name),
            HopStep::Gateway,
            HopDecision::Forward,
            || format!("{} {}", gateway.kind, gateway.sku),
        );
        if let Some(peering) = self.pending_access.take() {
            self.block(
                ReasonCode::PeeringVnetAccessBlocked,
                Cause::VnetAccess { peering },
            );
        }
        let Some(ctx) = c.routing.gateway_ctx[g] else {
            return self.no_such_host(format!("gateway `{}`", gateway.name));
        };
        self.route(ctx, Sender::Gateway(g))
    }

    /// Next hop `VirtualAppliance ip`, row `row` of context `ctx`.
    pub(super) fn forward_to_appliance(
        &mut self,
        ctx: CtxIx,
        row: RowIx,
        ip: Ipv4Addr,
        sender: Sender,
    ) -> Cursor {
        let c = self.c;
        let context = self.context(ctx);
        let Some(found) = context.rows[row].appliance else {
            self.block(
                ReasonCode::NextHopUnreachable,
                Cause::NextHopUnreachable { ctx, row },
            );
            return Cursor::Done;
        };
        if let Some(p) = found.via {
            self.cross(p, context.vnet, sender);
        }
        let nic = found.nic;
        let vm = nic.vm;
        let Some(subnet) = c.index.nic_subnet(nic) else {
            return self.no_such_host(format!("{ip}"));
        };
        self.ingress(nic);
        let name = &c.vms()[vm].name;
        if ip == self.packet.dst {
            return match self.to.place {
                Place::Nic(t) if t.vm == vm => {
                    self.hop(
                        || name.clone(),
                        HopStep::Deliver,
                        HopDecision::Deliver,
                        String::new,
                    );
                    self.out.arrived = true;
                    Cursor::Done
                }
                _ => self.no_such_host(format!("{ip}")),
            };
        }
        if let Some(first) = self.out.appliances.iter().position(|&a| a == vm) {
            let mut cycle: Vec<String> = self.out.appliances[first..]
                .iter()
                .map(|&a| c.vms()[a].name.clone())
                .collect();
            cycle.push(name.clone());
            self.block(ReasonCode::RoutingLoop, Cause::Loop { cycle });
            return Cursor::Done;
        }
        self.out.appliances.push(vm);
        if !c.vms()[vm].nics[nic.slot].ip_forwarding {
            self.hop(
                || name.clone(),
                HopStep::Appliance,
                HopDecision::Drop,
                || "IP forwarding is off on this NIC".to_string(),
            );
            self.block(
                ReasonCode::IpForwardingDisabled,
                Cause::IpForwarding { nic },
            );
        }
        self.appliance_policy(vm, subnet);
        let sender = self.egress(nic, subnet);
        Cursor::Lookup {
            ctx: Routing::of_subnet(subnet),
            sender,
        }
    }

    /// The appliance's own rules and session state.
    fn appliance_policy(&mut self, vm: VmIx, subnet: SubnetIx) {
        let c = self.c;
        let name = &c.vms()[vm].name;
        let Some(appliance) = &c.vms()[vm].appliance else {
            self.hop(
                || name.clone(),
                HopStep::Appliance,
                HopDecision::Forward,
                || "plain VM routing (no appliance rules)".to_string(),
            );
            return;
        };
        if appliance.stateful {
            if let Some(request) = self.request {
                if request.stateful.contains(&vm) {
                    self.hop(
                        || name.clone(),
                        HopStep::Appliance,
                        HopDecision::Forward,
                        || "reply of a tracked session".to_string(),
                    );
                } else {
                    self.hop(
                        || name.clone(),
                        HopStep::Appliance,
                        HopDecision::Drop,
                        || "reply without a session (it never saw the request)".to_string(),
                    );
                    self.block(
                        ReasonCode::AsymmetricStatefulDrop,
                        Cause::Asymmetric {
                            vm,
                            forward_only: false,
                        },
                    );
                }
                return;
            }
            self.out.stateful.push(vm);
        }
        let ctx = self.context(Routing::of_subnet(subnet));
        let rule = appliance_rule(&appliance.rules, &self.packet, ctx);
        let allow = match rule {
            Some(r) => appliance.rules[r].action == Access::Allow,
            None => appliance.kind == ApplianceKind::Nva,
        };
        self.hop(
            || name.clone(),
            HopStep::Appliance,
            if allow {
                HopDecision::Forward
            } else {
                HopDecision::Drop
            },
            || match rule {
                Some(r) => format!("rule `{}`", appliance.rules[r].name),
                None if allow => "no rule matched; an NVA forwards by default".to_string(),
                None => "no rule matched; a firewall denies by default".to_string(),
            },
        );
        if !allow {
            self.block(ReasonCode::ApplianceDeny, Cause::Appliance { vm, rule });
        }
    }

    /// Two hosts of the same site talk over the site's own network, which Azure never sees: the
    /// packet arrives in one hop, whatever the gateways and connections.
    pub(super) fn on_premises(&mut self, site: SiteIx) -> Cursor {
        let c = self.c;
        self.hop(
            || format!("site `{}`", c.sites()[site].name),
            HopStep::Deliver,
            HopDecision::Deliver,
            || "on-premises network (outside Azure's model)".to_string(),
        );
        self.out.arrived = true;
        Cursor::Done
    }

    /// A site host sends: it needs a connected gateway that advertises the destination to it.
    pub(super) fn enter_from_site(&mut self, site: SiteIx) -> Cursor {
        let gateways = self.c.index.site_gateways(&self.c.design, site);
        if gateways.is_empty() {
            self.block(
                ReasonCode::GatewayMissing,
                Cause::SiteWithoutGateway { site },
            );
            return Cursor::Done;
        }
        let origin = format!("site `{}`", self.c.sites()[site].name);
        self.enter(&gateways, Some(site), origin)
    }

    /// A point-to-site client sends: its gateway must advertise the destination to it.
    pub(super) fn enter_from_p2s(&mut self, g: GatewayIx) -> Cursor {
        let origin = format!("P2S client of `{}`", self.c.gateways()[g].name);
        self.enter(&[g], None, origin)
    }

    /// Enters Azure through the first of `gateways` that advertises the destination to `site`
    /// (`None`: to its P2S clients).
    fn enter(&mut self, gateways: &[GatewayIx], site: Option<SiteIx>, origin: String) -> Cursor {
        let c = self.c;
        let dst = self.packet.dst;
        match gateways
            .iter()
            .copied()
            .find(|&g| c.routing.advertises(g, site, dst))
        {
            Some(g) => {
                self.hop(
                    || origin,
                    HopStep::Route,
                    HopDecision::Forward,
                    || format!("{dst} is advertised by gateway `{}`", c.gateways()[g].name),
                );
                Cursor::Gateway { g }
            }
            None => {
                let origin = self.from.place;
                self.block(ReasonCode::NotAdvertised, Cause::NotAdvertised { origin });
                Cursor::Done
            }
        }
    }
}
