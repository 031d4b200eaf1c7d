//! The hops of the walk other than route lookups: a site host or P2S client entering Azure (or
//! staying on its own site's network), crossing a peering (forwarded traffic, access),
//! delivering to a NIC, gateways (transit, site-to-site, VNet-to-VNet, P2S) and appliances (IP
//! forwarding, rules, sessions, loop guard).

use super::{Cause, Cursor, Hint, Place, Sender, Walker};
use crate::engine::compile::Learned;
use crate::engine::nsg::appliance_rule;
use crate::engine::routes::RouteHop;
use crate::engine::types::ReasonCode;
use crate::model::{ApplianceKind, ConnectionRemote, ForwardedTraffic, VnetAccessMode};
use std::net::Ipv4Addr;

impl Walker<'_, '_> {
    /// Crossing peering `p` from its local VNet into its remote VNet.
    pub(super) fn cross(&mut self, p: usize, sender: Sender) {
        let c = self.c;
        let facts = &c.peerings[p];
        let x = facts.local;
        let reverse = facts.reverse;
        let peering = &c.design.peerings[p];
        self.hop(
            || format!("peering `{}`", peering.name),
            "peering",
            "cross",
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
        let forwarded = !c.vnet_contains(x, self.packet.src);
        let from_gateway = matches!(sender, Sender::Gateway);
        if forwarded
            && assumptions.forwarded_traffic == ForwardedTraffic::Enforce
            && !(from_gateway && assumptions.gateway_hops_exempt_from_forwarding_check)
            && let Some(r) = reverse
            && !c.design.peerings[r].allow_forwarded_traffic
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
        if let Some(r) = reverse
            && !c.design.peerings[r].allow_virtual_network_access
        {
            self.pending_access = Some(r);
        }
    }

    /// A subnet-level peering carries routes to every subnet of its VNet, but Azure drops what
    /// a subnet it does not list sends over it (§1.9). Returns whether the packet was dropped.
    pub(super) fn outside_subnet_peering(&mut self, ctx: usize, p: usize) -> bool {
        let c = self.c;
        if let Some(subnet) = c.contexts[ctx].subnet
            && c.subnets[subnet].outside_peerings.contains(&p)
        {
            self.hop(
                || format!("peering `{}`", c.design.peerings[p].name),
                "peering",
                "drop",
                || {
                    format!(
                        "subnet `{}` is not in the subnet peering",
                        c.subnets[subnet].name
                    )
                },
            );
            self.block(
                ReasonCode::SubnetNotInSubnetPeering,
                Cause::SubnetNotInPeering { peering: p, subnet },
            );
            return true;
        }
        false
    }

    /// Delivers to the destination NIC if it lives in VNet `v`.
    pub(super) fn deliver_in(&mut self, v: usize) -> Cursor {
        let c = self.c;
        match self.to.place {
            Place::Nic(vm, nic)
                if c.nic_subnet[vm][nic].is_some_and(|s| c.subnets[s].vnet == v) =>
            {
                self.ingress(vm, nic);
                self.hop(
                    || c.design.vms[vm].name.clone(),
                    "deliver",
                    "deliver",
                    String::new,
                );
                self.out.arrived = true;
                Cursor::Done
            }
            Place::Nic(vm, nic) => {
                // The destination lives in another VNet whose range overlaps this one: name the
                // invalid peering between them, if there is one.
                let y = c.nic_subnet[vm][nic].map(|s| c.subnets[s].vnet);
                let invalid = y.and_then(|y| {
                    [c.peer.get(&(v, y)), c.peer.get(&(y, v))]
                        .into_iter()
                        .flatten()
                        .copied()
                        .find(|&p| !c.peerings[p].valid)
                });
                match invalid {
                    Some(peering) => {
                        self.block(
                            ReasonCode::PeeringInvalid,
                            Cause::PeeringInvalid { peering, inside: v },
                        );
                        Cursor::Done
                    }
                    None => {
                        let dst = self.packet.dst;
                        self.no_such_host(format!("{dst} in VNet `{}`", c.vnet_name(v)))
                    }
                }
            }
            _ => {
                let dst = self.packet.dst;
                self.no_such_host(format!("{dst} in VNet `{}`", c.vnet_name(v)))
            }
        }
    }

    pub(super) fn forward_to_gateway(&mut self, x: usize, g: usize, sender: Sender) -> Cursor {
        let c = self.c;
        if let Some(hub) = c.gateway_vnet[g]
            && hub != x
            && let Some(p) = c.transit_via[x].or_else(|| c.peer.get(&(x, hub)).copied())
        {
            self.cross(p, sender);
        }
        Cursor::Gateway { g }
    }

    pub(super) fn at_gateway(&mut self, g: usize) -> Cursor {
        let c = self.c;
        let gateway = &c.design.gateways[g];
        if self.out.gateways.contains(&g) {
            let mut cycle: Vec<String> = self
                .out
                .gateways
                .iter()
                .map(|&k| c.design.gateways[k].name.clone())
                .collect();
            cycle.push(gateway.name.clone());
            self.block(ReasonCode::RoutingLoop, Cause::Loop { cycle });
            return Cursor::Done;
        }
        self.out.gateways.push(g);
        self.hop(
            || format!("gateway `{}`", gateway.name),
            "gateway",
            "forward",
            || format!("{} {}", gateway.kind, gateway.sku),
        );
        if let Some(peering) = self.pending_access.take() {
            self.block(
                ReasonCode::PeeringVnetAccessBlocked,
                Cause::VnetAccess { peering },
            );
        }
        let Some(ctx) = c.gateway_ctx[g] else {
            return self.no_such_host(format!("gateway `{}`", gateway.name));
        };
        let context = &c.contexts[ctx];
        let dst = self.packet.dst;
        self.out.first_ctx.get_or_insert(ctx);
        let Some(row_ix) = context.route_for(dst) else {
            return self.no_such_host(format!("{dst}"));
        };
        let row = &context.rows[row_ix];
        self.hop(
            || format!("gateway `{}`", gateway.name),
            "route",
            "forward",
            || {
                format!(
                    "{} → {}",
                    row.prefix,
                    crate::engine::routes::next_hop_type(c, row)
                )
            },
        );
        let sender = Sender::Gateway;
        match row.hop {
            RouteHop::Learned(owner, _) if owner != g => Cursor::Gateway { g: owner },
            RouteHop::Learned(_, Learned::Site(s)) => match self.to.place {
                Place::Site(t) if t == s => {
                    self.hop(
                        || format!("site `{}`", c.design.sites[s].name),
                        "deliver",
                        "deliver",
                        String::new,
                    );
                    self.out.arrived = true;
                    Cursor::Done
                }
                _ => self.no_such_host(format!("{dst} at site `{}`", c.design.sites[s].name)),
            },
            RouteHop::Learned(_, Learned::P2s) => match self.to.place {
                Place::P2s(t) if t == g => {
                    self.hop(
                        || format!("P2S client of `{}`", gateway.name),
                        "deliver",
                        "deliver",
                        String::new,
                    );
                    self.out.arrived = true;
                    Cursor::Done
                }
                _ => self.no_such_host(format!("{dst} in the client pool of `{}`", gateway.name)),
            },
            RouteHop::Learned(_, Learned::Gateway(other)) => Cursor::Gateway { g: other },
            RouteHop::VnetLocal => self.deliver_in(context.vnet),
            RouteHop::Peering(p) => {
                if self.outside_subnet_peering(ctx, p) {
                    return Cursor::Done;
                }
                self.cross(p, sender);
                self.deliver_in(c.peerings[p].remote)
            }
            RouteHop::Appliance(ip) => self.forward_to_appliance(ctx, row_ix, ip, sender),
            RouteHop::UdrGateway => {
                self.block(
                    ReasonCode::RoutingLoop,
                    Cause::Loop {
                        cycle: vec![gateway.name.clone(), gateway.name.clone()],
                    },
                );
                Cursor::Done
            }
            RouteHop::Internet | RouteHop::None => {
                let code = if row.hop == RouteHop::Internet {
                    ReasonCode::NoRouteInternet
                } else {
                    ReasonCode::RouteNone
                };
                self.block(
                    code,
                    Cause::Route {
                        ctx,
                        row: row_ix,
                        hint: Hint::Plain,
                    },
                );
                Cursor::Done
            }
        }
    }

    /// Next hop `VirtualAppliance ip` from VNet `x`.
    pub(super) fn forward_to_appliance(
        &mut self,
        ctx: usize,
        row: usize,
        ip: Ipv4Addr,
        sender: Sender,
    ) -> Cursor {
        let c = self.c;
        let found = c.contexts[ctx].rows[row].appliance;
        let Some((vm, nic, via)) = found else {
            self.block(
                ReasonCode::NextHopUnreachable,
                Cause::NextHopUnreachable { ctx, row },
            );
            return Cursor::Done;
        };
        if let Some(p) = via {
            self.cross(p, sender);
        }
        let Some(subnet) = c.nic_subnet[vm][nic] else {
            return self.no_such_host(format!("{ip}"));
        };
        self.ingress(vm, nic);
        let name = &c.design.vms[vm].name;
        if ip == self.packet.dst {
            return match self.to.place {
                Place::Nic(t, _) if t == vm => {
                    self.hop(|| name.clone(), "deliver", "deliver", String::new);
                    self.out.arrived = true;
                    Cursor::Done
                }
                _ => self.no_such_host(format!("{ip}")),
            };
        }
        if let Some(first) = self.out.appliances.iter().position(|&a| a == vm) {
            let mut cycle: Vec<String> = self.out.appliances[first..]
                .iter()
                .map(|&a| c.design.vms[a].name.clone())
                .collect();
            cycle.push(name.clone());
            self.block(ReasonCode::RoutingLoop, Cause::Loop { cycle });
            return Cursor::Done;
        }
        self.out.appliances.push(vm);
        if !c.design.vms[vm].nics[nic].ip_forwarding {
            self.hop(
                || name.clone(),
                "appliance",
                "drop",
                || "IP forwarding is off on this NIC".to_string(),
            );
            self.block(
                ReasonCode::IpForwardingDisabled,
                Cause::IpForwarding { vm, nic },
            );
        }
        self.appliance_policy(vm, subnet);
        let sender = self.egress(vm, nic, subnet);
        Cursor::Lookup {
            ctx: subnet,
            sender,
        }
    }

    /// The appliance's own rules and session state.
    pub(super) fn appliance_policy(&mut self, vm: usize, subnet: usize) {
        let c = self.c;
        let name = &c.design.vms[vm].name;
        let Some(appliance) = &c.design.vms[vm].appliance else {
            self.hop(
                || name.clone(),
                "appliance",
                "forward",
                || "plain VM routing (no appliance rules)".to_string(),
            );
            return;
        };
        if appliance.stateful {
            if let Some(request) = self.request {
                if request.stateful.contains(&vm) {
                    self.hop(
                        || name.clone(),
                        "appliance",
                        "forward",
                        || "reply of a tracked session".to_string(),
                    );
                } else {
                    self.hop(
                        || name.clone(),
                        "appliance",
                        "drop",
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
        let rule = appliance_rule(&appliance.rules, &self.packet, &c.contexts[subnet]);
        let allow = match rule {
            Some(r) => appliance.rules[r].action == crate::model::Access::Allow,
            None => appliance.kind == ApplianceKind::Nva,
        };
        self.hop(
            || name.clone(),
            "appliance",
            if allow { "forward" } else { "drop" },
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
}

impl Walker<'_, '_> {
    /// Two hosts of the same site talk over the site's own network, which Azure never sees: the
    /// packet arrives in one hop, whatever the gateways and connections.
    pub(super) fn on_premises(&mut self, site: usize) -> Cursor {
        let c = self.c;
        self.hop(
            || format!("site `{}`", c.design.sites[site].name),
            "deliver",
            "deliver",
            || "on-premises network (outside Azure's model)".to_string(),
        );
        self.out.arrived = true;
        Cursor::Done
    }

    /// A site host or P2S client sends: it needs a gateway that advertises the destination.
    pub(super) fn enter_from_outside(&mut self, index: usize, is_site: bool) -> Cursor {
        let c = self.c;
        let gateways: Vec<usize> = if is_site {
            let name = &c.design.sites[index].name;
            c.design
                .connections
                .iter()
                .filter(|conn| conn.remote == ConnectionRemote::Site(name.clone()))
                .filter_map(|conn| c.gateway_ix.get(conn.gateway.as_str()).copied())
                .collect()
        } else {
            vec![index]
        };
        if gateways.is_empty() {
            self.block(
                ReasonCode::GatewayMissing,
                Cause::SiteWithoutGateway { site: index },
            );
            return Cursor::Done;
        }
        let dst = self.packet.dst;
        let site = is_site.then_some(index);
        match gateways
            .iter()
            .copied()
            .find(|&g| c.advertises(g, site, dst))
        {
            Some(g) => {
                let origin = if is_site {
                    format!("site `{}`", c.design.sites[index].name)
                } else {
                    format!("P2S client of `{}`", c.design.gateways[index].name)
                };
                self.hop(
                    || origin,
                    "route",
                    "forward",
                    || {
                        format!(
                            "{dst} is advertised by gateway `{}`",
                            c.design.gateways[g].name
                        )
                    },
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
