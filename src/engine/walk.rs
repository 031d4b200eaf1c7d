//! The hop walk of azure-semantics.md §8: one packet from a source endpoint towards a
//! destination endpoint, through outbound NSGs, route lookups, peerings (state, access,
//! forwarded traffic), appliances (IP forwarding, rules, state), gateways (own or the hub's,
//! site-to-site, VNet-to-VNet, point-to-site) and inbound NSGs, with a loop guard. A blocker does
//! not end the walk when the path can continue as if it were fixed (NSG, access, forwarding,
//! appliance rules); routing dead ends do end it.
//!
//! The same walk serves the reply: it then honours NSG flow records and appliance sessions of
//! the request's path, and reports stateful appliances seen in one direction only.

use super::compile::{Compiled, Learned, NsgPoint};
use super::nsg::{NsgDecision, Packet, appliance_rule};
use super::routes::RouteHop;
use super::types::{Hop, ReasonCode};
use crate::model::{ApplianceKind, ConnectionRemote, Direction, ForwardedTraffic, PeeringState, VnetAccessMode};
use std::net::Ipv4Addr;

/// Where an endpoint sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Place {
    /// A VM's NIC (VM index, NIC index).
    Nic(usize, usize),
    /// A host at this site.
    Site(usize),
    /// A point-to-site client of this gateway.
    P2s(usize),
    /// The endpoint's object is missing from the design.
    Unknown,
}

/// An endpoint as the walk sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spot {
    pub place: Place,
    pub ip: Ipv4Addr,
}

/// Why a `None` (or internet) route was hit, when a more specific cause is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hint {
    Plain,
    /// The destination VNet is not peered at all.
    NoPeering(usize),
    NotConnected(usize),
    Invalid(usize),
    NotSynced(usize),
    /// Gateway routes would cover the destination but this table does not propagate them.
    PropagationOff(usize),
    /// The VNet is peered with the gateway's hub but does not use its gateway (peering index).
    NoTransit(usize),
    /// The VNet asks for the hub's gateway but transit does not take effect (peering index).
    TransitNotEffective(usize),
}

/// What a blocker is about, with the indexes the explanation needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cause {
    Nsg {
        point: NsgPoint,
        nsg: usize,
        direction: Direction,
        decision: NsgDecision,
    },
    Appliance {
        vm: usize,
        rule: Option<usize>,
    },
    IpForwarding {
        vm: usize,
        nic: usize,
    },
    VnetAccess {
        peering: usize,
    },
    Forwarded {
        peering: usize,
    },
    Route {
        ctx: usize,
        row: usize,
        hint: Hint,
    },
    NextHopUnreachable {
        ctx: usize,
        row: usize,
    },
    GatewayMissing {
        ctx: usize,
        row: usize,
    },
    SiteWithoutGateway {
        site: usize,
    },
    GatewayNotTransit {
        peering: usize,
    },
    Loop {
        cycle: Vec<String>,
    },
    Asymmetric {
        vm: usize,
        forward_only: bool,
    },
    NoSuchHost {
        place: String,
    },
    NotAdvertised {
        origin: Place,
    },
}

/// A blocker as found, before it is put into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawBlocker {
    pub code: ReasonCode,
    pub cause: Cause,
    /// Found on the reply's path.
    pub reply: bool,
}

/// The result of walking one direction.
#[derive(Debug, Clone, Default)]
pub(crate) struct PathOut {
    pub arrived: bool,
    pub blockers: Vec<RawBlocker>,
    pub hops: Vec<Hop>,
    /// Stateful appliances (VM indexes) the packet went through.
    pub stateful: Vec<usize>,
    /// NSG attachment points that evaluated the packet (they keep a flow record).
    pub points: Vec<NsgPoint>,
    /// Every appliance (VM index) the packet went through.
    pub appliances: Vec<usize>,
    /// The first route context the packet was looked up in.
    pub first_ctx: Option<usize>,
}

/// Who put the packet on the wire for the next route lookup or peering crossing.
#[derive(Debug, Clone, Copy)]
enum Sender {
    /// A NIC, with its outbound NSG result: VNet, NSGs evaluated, all decided by explicit IPs.
    Nic { vnet: usize, nsgs: usize, explicit: bool },
    /// A virtual network gateway.
    Gateway,
}

enum Cursor {
    Lookup { ctx: usize, sender: Sender },
    Gateway { g: usize },
    Done,
}

/// Hop limit: longer paths are loops the guard did not name.
const MAX_STEPS: usize = 32;

/// Walks one direction. `request` is the request's path when this walk is the reply.
pub(crate) struct Walker<'a, 'd> {
    c: &'a Compiled<'d>,
    packet: Packet,
    from: Spot,
    to: Spot,
    request: Option<&'a PathOut>,
    detail: bool,
    out: PathOut,
    pending_access: Option<usize>,
    appliances_seen: Vec<usize>,
    gateways_seen: Vec<usize>,
}

impl<'a, 'd> Walker<'a, 'd> {
    pub fn new(
        c: &'a Compiled<'d>,
        packet: Packet,
        from: Spot,
        to: Spot,
        request: Option<&'a PathOut>,
        detail: bool,
    ) -> Self {
        Walker {
            c,
            packet,
            from,
            to,
            request,
            detail,
            out: PathOut::default(),
            pending_access: None,
            appliances_seen: Vec::new(),
            gateways_seen: Vec::new(),
        }
    }

    fn hop(&mut self, at: impl FnOnce() -> String, step: &str, decision: &str, detail: impl FnOnce() -> String) {
        if self.detail {
            self.out.hops.push(Hop {
                at: at(),
                step: step.to_string(),
                decision: decision.to_string(),
                detail: detail(),
            });
        }
    }

    fn block(&mut self, code: ReasonCode, cause: Cause) {
        self.out.blockers.push(RawBlocker {
            code,
            cause,
            reply: self.request.is_some(),
        });
    }

    fn is_reply(&self) -> bool {
        self.request.is_some()
    }

    /// Runs the walk to its end.
    pub fn run(mut self) -> PathOut {
        let mut cursor = self.start();
        for _ in 0..MAX_STEPS {
            cursor = match cursor {
                Cursor::Done => return self.out,
                Cursor::Lookup { ctx, sender } => self.lookup(ctx, sender),
                Cursor::Gateway { g } => self.at_gateway(g),
            };
        }
        if !matches!(cursor, Cursor::Done) {
            self.block(
                ReasonCode::RoutingLoop,
                Cause::Loop {
                    cycle: vec![format!("more than {MAX_STEPS} hops")],
                },
            );
        }
        self.out
    }

    fn start(&mut self) -> Cursor {
        match self.from.place {
            Place::Nic(vm, nic) => {
                let Some(s) = self.c.nic_subnet[vm][nic] else {
                    return self.no_such_host(format!("VM `{}`", self.c.design.vms[vm].name));
                };
                let sender = self.egress(vm, nic, s);
                Cursor::Lookup { ctx: s, sender }
            }
            Place::Site(site) => self.enter_from_outside(site, true),
            Place::P2s(g) => self.enter_from_outside(g, false),
            Place::Unknown => self.no_such_host("an endpoint missing from the design".to_string()),
        }
    }

    /// A site host or P2S client sends: it needs a gateway that advertises the destination.
    fn enter_from_outside(&mut self, index: usize, is_site: bool) -> Cursor {
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
            self.block(ReasonCode::GatewayMissing, Cause::SiteWithoutGateway { site: index });
            return Cursor::Done;
        }
        let dst = self.packet.dst;
        let site = is_site.then_some(index);
        match gateways
            .iter()
            .copied()
            .find(|&g| c.advertised(g, site).iter().any(|p| p.contains(&dst)))
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
                    || format!("{dst} is advertised by gateway `{}`", c.design.gateways[g].name),
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

    fn no_such_host(&mut self, place: String) -> Cursor {
        self.block(ReasonCode::NoSuchHost, Cause::NoSuchHost { place });
        Cursor::Done
    }

    /// Outbound NSGs of a NIC: NIC first, then subnet.
    fn egress(&mut self, vm: usize, nic: usize, subnet: usize) -> Sender {
        let points = [NsgPoint::Nic(vm, nic), NsgPoint::Subnet(subnet)];
        let (nsgs, explicit) = self.nsg_points(&points, Direction::Outbound);
        Sender::Nic {
            vnet: self.c.subnets[subnet].vnet,
            nsgs,
            explicit,
        }
    }

    /// Inbound NSGs of a NIC: subnet first, then NIC; then any pending access check.
    fn ingress(&mut self, vm: usize, nic: usize) {
        let Some(subnet) = self.c.nic_subnet[vm][nic] else {
            return;
        };
        let points = [NsgPoint::Subnet(subnet), NsgPoint::Nic(vm, nic)];
        let (nsgs, explicit) = self.nsg_points(&points, Direction::Inbound);
        if let Some(peering) = self.pending_access.take()
            && (nsgs == 0 || !explicit)
        {
            self.block(ReasonCode::PeeringVnetAccessBlocked, Cause::VnetAccess { peering });
        }
    }

    /// Evaluates NSGs at these points in order; returns how many were evaluated and whether
    /// all allowed by an explicit address. A reply passes points holding a flow record.
    fn nsg_points(&mut self, points: &[NsgPoint], direction: Direction) -> (usize, bool) {
        let c = self.c;
        let mut count = 0;
        let mut explicit = true;
        for point in points {
            let Some(&id) = c.nsg_at.get(point) else { continue };
            let compiled = &c.nsgs[id];
            let name = &c.design.nsgs[compiled.nsg].name;
            let step = match direction {
                Direction::Inbound => "nsg-in",
                Direction::Outbound => "nsg-out",
            };
            if let Some(request) = self.request
                && request.points.contains(point)
            {
                self.hop(
                    || name.clone(),
                    step,
                    "allow",
                    || "reply of a recorded flow (NSGs are stateful)".to_string(),
                );
                continue;
            }
            count += 1;
            let decision = compiled.evaluate(direction, &self.packet);
            explicit &= decision.allow && decision.explicit;
            self.hop(
                || name.clone(),
                step,
                if decision.allow { "allow" } else { "deny" },
                || format!("rule `{}` (priority {})", decision.rule, decision.priority),
            );
            self.out.points.push(*point);
            if !decision.allow {
                self.block(
                    ReasonCode::NsgDeny,
                    Cause::Nsg {
                        point: *point,
                        nsg: compiled.nsg,
                        direction,
                        decision,
                    },
                );
            }
        }
        (count, explicit)
    }

    fn lookup(&mut self, ctx: usize, sender: Sender) -> Cursor {
        let c = self.c;
        let context = &c.contexts[ctx];
        let dst = self.packet.dst;
        self.out.first_ctx.get_or_insert(ctx);
        let Some(row_ix) = context.route_for(dst) else {
            return self.no_such_host(format!("{dst}"));
        };
        let row = &context.rows[row_ix];
        self.hop(
            || context_name(c, ctx),
            "route",
            "forward",
            || {
                let hop = super::routes::next_hop_type(c, row);
                let via = match row.hop {
                    RouteHop::Appliance(ip) => format!(" {ip}"),
                    _ => String::new(),
                };
                let name = match row.udr {
                    Some((t, k)) => format!(
                        " (user route `{}` in `{}`)",
                        c.design.route_tables[t].routes[k].name, c.design.route_tables[t].name
                    ),
                    None => String::new(),
                };
                format!("{} → {hop}{via}{name}", row.prefix)
            },
        );
        let x = context.vnet;
        match row.hop {
            RouteHop::VnetLocal => self.deliver_in(x),
            RouteHop::Peering(p) => {
                self.cross(p, sender);
                self.deliver_in(c.peerings[p].remote)
            }
            RouteHop::Appliance(ip) => self.forward_to_appliance(ctx, row_ix, x, ip, sender),
            RouteHop::Learned(g, _) => self.forward_to_gateway(x, g, sender),
            RouteHop::UdrGateway => match c.udr_gateway(x) {
                Some(g) => self.forward_to_gateway(x, g, sender),
                None => {
                    match self.transit_not_effective(x) {
                        Some(peering) => {
                            self.block(ReasonCode::GatewayNotTransit, Cause::GatewayNotTransit { peering })
                        }
                        None => self.block(ReasonCode::GatewayMissing, Cause::GatewayMissing { ctx, row: row_ix }),
                    }
                    Cursor::Done
                }
            },
            RouteHop::Internet | RouteHop::None => {
                let hint = if row.udr.is_some() { Hint::Plain } else { self.hint(ctx) };
                let code = match (hint, row.hop) {
                    (Hint::NotConnected(_), _) => ReasonCode::PeeringNotConnected,
                    (Hint::Invalid(_), _) => ReasonCode::PeeringInvalid,
                    (Hint::NotSynced(_), _) => ReasonCode::AddressSpaceNotSynced,
                    (Hint::TransitNotEffective(_), _) => ReasonCode::GatewayNotTransit,
                    (_, RouteHop::Internet) => ReasonCode::NoRouteInternet,
                    _ => ReasonCode::RouteNone,
                };
                self.block(code, Cause::Route { ctx, row: row_ix, hint });
                Cursor::Done
            }
        }
    }

    /// A peering of VNet `x` that sets `useRemoteGateways` towards a VNet with a gateway, but
    /// does not take effect.
    fn transit_not_effective(&self, x: usize) -> Option<usize> {
        let c = self.c;
        c.peerings.iter().enumerate().find_map(|(i, f)| {
            (f.local == x
                && c.design.peerings[i].use_remote_gateways
                && !f.transit
                && !c.vnet_gateways[f.remote].is_empty())
            .then_some(i)
        })
    }

    /// Why the destination fell to a `None` or internet system route in context `ctx`.
    fn hint(&self, ctx: usize) -> Hint {
        let c = self.c;
        let x = c.contexts[ctx].vnet;
        let dst = self.packet.dst;
        match self.to.place {
            Place::Nic(vm, nic) => {
                let Some(s) = c.nic_subnet[vm][nic] else {
                    return Hint::Plain;
                };
                let y = c.subnets[s].vnet;
                if y == x {
                    return Hint::Plain;
                }
                if let Some(&p) = c.peer.get(&(x, y)) {
                    let f = &c.peerings[p];
                    if !f.valid {
                        return Hint::Invalid(p);
                    }
                    if f.state != PeeringState::Connected {
                        return Hint::NotConnected(p);
                    }
                    if !c
                        .design
                        .peered_remote_space(&c.design.peerings[p])
                        .iter()
                        .any(|n| n.contains(&dst))
                    {
                        return Hint::NotSynced(p);
                    }
                    return Hint::Plain;
                }
                match c.peer.get(&(y, x)) {
                    Some(&p) if !c.peerings[p].valid => Hint::Invalid(p),
                    Some(&p) => Hint::NotConnected(p),
                    None => Hint::NoPeering(y),
                }
            }
            Place::Site(_) | Place::P2s(_) => {
                let covering = |g: usize| c.learned[g].iter().any(|(n, _)| n.contains(&dst));
                let serving = c.serving_gateways(x);
                if serving.iter().any(|&g| covering(g)) {
                    if let Some(t) = c.contexts[ctx].table
                        && !c.design.route_tables[t].propagate_gateway_routes
                    {
                        return Hint::PropagationOff(t);
                    }
                    return Hint::Plain;
                }
                for (i, f) in c.peerings.iter().enumerate() {
                    if f.local != x || !c.vnet_gateways[f.remote].iter().any(|&g| covering(g)) {
                        continue;
                    }
                    if c.design.peerings[i].use_remote_gateways {
                        return Hint::TransitNotEffective(i);
                    }
                    if f.usable {
                        return Hint::NoTransit(i);
                    }
                }
                Hint::Plain
            }
            Place::Unknown => Hint::Plain,
        }
    }

    /// Crossing peering `p` from its local VNet into its remote VNet.
    fn cross(&mut self, p: usize, sender: Sender) {
        let c = self.c;
        let facts = &c.peerings[p];
        let (x, y) = (facts.local, facts.remote);
        let reverse = c.peer.get(&(y, x)).copied();
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
            self.block(ReasonCode::ForwardedTrafficBlocked, Cause::Forwarded { peering: r });
        }
        if self.is_reply() || forwarded || assumptions.vnet_access_disabled != VnetAccessMode::DocumentedIntent {
            return;
        }
        if !peering.allow_virtual_network_access {
            let explicit = matches!(sender, Sender::Nic { vnet, nsgs, explicit } if vnet == x && nsgs > 0 && explicit);
            if !explicit {
                self.block(ReasonCode::PeeringVnetAccessBlocked, Cause::VnetAccess { peering: p });
            }
        }
        if let Some(r) = reverse
            && !c.design.peerings[r].allow_virtual_network_access
        {
            self.pending_access = Some(r);
        }
    }

    /// Delivers to the destination NIC if it lives in VNet `v`.
    fn deliver_in(&mut self, v: usize) -> Cursor {
        let c = self.c;
        match self.to.place {
            Place::Nic(vm, nic) if c.nic_subnet[vm][nic].is_some_and(|s| c.subnets[s].vnet == v) => {
                self.ingress(vm, nic);
                self.hop(|| c.design.vms[vm].name.clone(), "deliver", "deliver", String::new);
                self.out.arrived = true;
                Cursor::Done
            }
            _ => {
                let dst = self.packet.dst;
                self.no_such_host(format!("{dst} in VNet `{}`", c.vnet_name(v)))
            }
        }
    }

    fn forward_to_gateway(&mut self, x: usize, g: usize, sender: Sender) -> Cursor {
        let c = self.c;
        if let Some(hub) = c.gateway_vnet[g]
            && hub != x
            && let Some(p) = c.transit_via[x].or_else(|| c.peer.get(&(x, hub)).copied())
        {
            self.cross(p, sender);
        }
        Cursor::Gateway { g }
    }

    fn at_gateway(&mut self, g: usize) -> Cursor {
        let c = self.c;
        let gateway = &c.design.gateways[g];
        if self.gateways_seen.contains(&g) {
            let mut cycle: Vec<String> = self
                .gateways_seen
                .iter()
                .map(|&k| c.design.gateways[k].name.clone())
                .collect();
            cycle.push(gateway.name.clone());
            self.block(ReasonCode::RoutingLoop, Cause::Loop { cycle });
            return Cursor::Done;
        }
        self.gateways_seen.push(g);
        self.hop(
            || format!("gateway `{}`", gateway.name),
            "gateway",
            "forward",
            || format!("{} {}", gateway.kind, gateway.sku),
        );
        if let Some(peering) = self.pending_access.take() {
            self.block(ReasonCode::PeeringVnetAccessBlocked, Cause::VnetAccess { peering });
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
            || format!("{} → {}", row.prefix, super::routes::next_hop_type(c, row)),
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
                self.cross(p, sender);
                self.deliver_in(c.peerings[p].remote)
            }
            RouteHop::Appliance(ip) => self.forward_to_appliance(ctx, row_ix, context.vnet, ip, sender),
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
    fn forward_to_appliance(&mut self, ctx: usize, row: usize, x: usize, ip: Ipv4Addr, sender: Sender) -> Cursor {
        let c = self.c;
        let found = c.nic_at.get(&(x, ip)).map(|&(vm, nic)| (vm, nic, None)).or_else(|| {
            c.peerings.iter().enumerate().find_map(|(p, f)| {
                (f.local == x && f.usable)
                    .then(|| c.nic_at.get(&(f.remote, ip)).map(|&(vm, nic)| (vm, nic, Some(p))))
                    .flatten()
            })
        });
        let Some((vm, nic, via)) = found else {
            self.block(ReasonCode::NextHopUnreachable, Cause::NextHopUnreachable { ctx, row });
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
        if let Some(first) = self.appliances_seen.iter().position(|&a| a == vm) {
            let mut cycle: Vec<String> = self.appliances_seen[first..]
                .iter()
                .map(|&a| c.design.vms[a].name.clone())
                .collect();
            cycle.push(name.clone());
            self.block(ReasonCode::RoutingLoop, Cause::Loop { cycle });
            return Cursor::Done;
        }
        self.appliances_seen.push(vm);
        self.out.appliances.push(vm);
        if !c.design.vms[vm].nics[nic].ip_forwarding {
            self.hop(
                || name.clone(),
                "appliance",
                "drop",
                || "IP forwarding is off on this NIC".to_string(),
            );
            self.block(ReasonCode::IpForwardingDisabled, Cause::IpForwarding { vm, nic });
        }
        self.appliance_policy(vm, subnet);
        let sender = self.egress(vm, nic, subnet);
        Cursor::Lookup { ctx: subnet, sender }
    }

    /// The appliance's own rules and session state.
    fn appliance_policy(&mut self, vm: usize, subnet: usize) {
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

/// The display name of a route context: its subnet, or the VNet's gateway view.
pub(crate) fn context_name(c: &Compiled, ctx: usize) -> String {
    match c.contexts[ctx].subnet {
        Some(s) => c.subnets[s].name.clone(),
        None => format!("{}/GatewaySubnet", c.vnet_name(c.contexts[ctx].vnet)),
    }
}

/// Both directions of one pair.
#[derive(Debug, Clone, Default)]
pub(crate) struct PairOut {
    pub forward: PathOut,
    pub reverse: PathOut,
}

impl PairOut {
    /// Every blocker, request first.
    pub fn blockers(&self) -> impl Iterator<Item = &RawBlocker> {
        self.forward.blockers.iter().chain(self.reverse.blockers.iter())
    }
}

/// Walks the request and, when it arrives, the reply; then checks stateful appliances the
/// reply skipped.
pub(crate) fn walk_pair(c: &Compiled, from: Spot, to: Spot, packet: Packet, detail: bool) -> PairOut {
    let forward = Walker::new(c, packet, from, to, None, detail).run();
    if !forward.arrived {
        return PairOut {
            forward,
            reverse: PathOut::default(),
        };
    }
    let mut reverse = Walker::new(c, packet.reply(), to, from, Some(&forward), detail).run();
    if reverse.arrived {
        for &vm in &forward.stateful {
            if !reverse.appliances.contains(&vm) {
                reverse.blockers.push(RawBlocker {
                    code: ReasonCode::AsymmetricStatefulDrop,
                    cause: Cause::Asymmetric { vm, forward_only: true },
                    reply: true,
                });
            }
        }
    }
    PairOut { forward, reverse }
}
