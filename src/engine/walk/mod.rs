//! The hop walk of azure-semantics.md §8: one packet from a source endpoint towards a
//! destination endpoint, through outbound NSGs, route lookups, peerings (state, access,
//! forwarded traffic), appliances (IP forwarding, rules, state), gateways (own or the hub's,
//! site-to-site, VNet-to-VNet, point-to-site) and inbound NSGs, with a loop guard. A blocker does
//! not end the walk when the path can continue as if it were fixed (NSG, access, forwarding,
//! appliance rules); routing dead ends do end it.
//!
//! The same walk serves the reply: it then honours NSG flow records and appliance sessions of
//! the request's path, and reports stateful appliances seen in one direction only.

use super::compile::{Compiled, NsgPoint};
use super::nsg::{NsgDecision, Packet};
use super::routes::RouteHop;
use super::types::{Hop, ReasonCode};
use crate::model::Direction;
use std::net::Ipv4Addr;

mod hops;
mod why;

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
    /// The peering is subnet-level and does not list the destination's subnet (peering index,
    /// destination subnet index), so it carries no route there.
    SubnetNotPeered(usize, usize),
    /// Gateway routes would cover the destination but this table does not propagate them.
    PropagationOff(usize),
    /// The VNet is peered with the gateway's hub but does not use its gateway (peering index).
    NoTransit(usize),
    /// The VNet asks for the hub's gateway but transit does not take effect (peering index).
    TransitNotEffective(usize),
    /// A VNet with a gateway that reaches the destination is peered with this one only through
    /// a one-sided or disconnected peering (peering index), so no gateway routes arrive here.
    GatewayPeeringDown(usize),
    /// A VNet with a gateway that reaches the destination is not peered with this one at all
    /// (the gateway's VNet index).
    GatewayNotPeered(usize),
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
    /// Subnet `subnet` sends over subnet-level peering `peering` without being listed in it.
    SubnetNotInPeering {
        peering: usize,
        subnet: usize,
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
    /// The destination is inside VNet `inside`'s own range because the peering is invalid.
    PeeringInvalid {
        peering: usize,
        inside: usize,
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
    /// Gateways the packet went through (loop guard).
    pub gateways: Vec<usize>,
}

impl PathOut {
    /// Empties the buffer, keeping its allocations.
    fn clear(&mut self) {
        self.arrived = false;
        self.blockers.clear();
        self.hops.clear();
        self.stateful.clear();
        self.points.clear();
        self.appliances.clear();
        self.first_ctx = None;
        self.gateways.clear();
    }
}

/// Who put the packet on the wire for the next route lookup or peering crossing.
#[derive(Debug, Clone, Copy)]
enum Sender {
    /// A NIC, with its outbound NSG result: VNet, NSGs evaluated, all decided by explicit IPs.
    Nic {
        vnet: usize,
        nsgs: usize,
        explicit: bool,
    },
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
    out: &'a mut PathOut,
    pending_access: Option<usize>,
}

impl<'a, 'd> Walker<'a, 'd> {
    pub fn new(
        c: &'a Compiled<'d>,
        packet: Packet,
        from: Spot,
        to: Spot,
        request: Option<&'a PathOut>,
        detail: bool,
        out: &'a mut PathOut,
    ) -> Self {
        out.clear();
        Walker {
            c,
            packet,
            from,
            to,
            request,
            detail,
            out,
            pending_access: None,
        }
    }

    fn hop(
        &mut self,
        at: impl FnOnce() -> String,
        step: &str,
        decision: &str,
        detail: impl FnOnce() -> String,
    ) {
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

    /// Runs the walk to its end, leaving the result in the buffer given to [`Walker::new`].
    pub fn run(mut self) {
        let mut cursor = self.start();
        for _ in 0..MAX_STEPS {
            cursor = match cursor {
                Cursor::Done => return,
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
            Place::Site(site) if self.to.place == Place::Site(site) => self.on_premises(site),
            Place::Site(site) => self.enter_from_outside(site, true),
            Place::P2s(g) => self.enter_from_outside(g, false),
            Place::Unknown => self.no_such_host("an endpoint missing from the design".to_string()),
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
            self.block(
                ReasonCode::PeeringVnetAccessBlocked,
                Cause::VnetAccess { peering },
            );
        }
    }

    /// Evaluates NSGs at these points in order; returns how many were evaluated and whether
    /// all allowed by an explicit address. A reply passes points holding a flow record.
    fn nsg_points(&mut self, points: &[NsgPoint], direction: Direction) -> (usize, bool) {
        let c = self.c;
        let mut count = 0;
        let mut explicit = true;
        for point in points {
            let Some(id) = c.nsg_at(*point) else { continue };
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
                if self.outside_subnet_peering(ctx, p) {
                    return Cursor::Done;
                }
                self.cross(p, sender);
                self.deliver_in(c.peerings[p].remote)
            }
            RouteHop::Appliance(ip) => self.forward_to_appliance(ctx, row_ix, ip, sender),
            RouteHop::Learned(g, _) => self.forward_to_gateway(x, g, sender),
            RouteHop::UdrGateway => match c.udr_gateway(x) {
                Some(g) => self.forward_to_gateway(x, g, sender),
                None => {
                    match self.transit_not_effective(x) {
                        Some(peering) => self.block(
                            ReasonCode::GatewayNotTransit,
                            Cause::GatewayNotTransit { peering },
                        ),
                        None => self.block(
                            ReasonCode::GatewayMissing,
                            Cause::GatewayMissing { ctx, row: row_ix },
                        ),
                    }
                    Cursor::Done
                }
            },
            RouteHop::Internet | RouteHop::None => {
                if let Some(udr) = self.unusable_gateway_udr(ctx, row.prefix.prefix_len()) {
                    match self.transit_not_effective(x) {
                        Some(peering) => self.block(
                            ReasonCode::GatewayNotTransit,
                            Cause::GatewayNotTransit { peering },
                        ),
                        None => self.block(
                            ReasonCode::GatewayMissing,
                            Cause::GatewayMissing { ctx, row: udr },
                        ),
                    }
                    return Cursor::Done;
                }
                let hint = if row.udr.is_some() {
                    Hint::Plain
                } else {
                    self.hint(ctx)
                };
                let code = match (hint, row.hop) {
                    (Hint::NotConnected(_) | Hint::GatewayPeeringDown(_), _) => {
                        ReasonCode::PeeringNotConnected
                    }
                    (Hint::Invalid(_), _) => ReasonCode::PeeringInvalid,
                    (Hint::NotSynced(_), _) => ReasonCode::AddressSpaceNotSynced,
                    (Hint::SubnetNotPeered(..), _) => ReasonCode::SubnetNotInSubnetPeering,
                    (Hint::TransitNotEffective(_), _) => ReasonCode::GatewayNotTransit,
                    (_, RouteHop::Internet) => ReasonCode::NoRouteInternet,
                    _ => ReasonCode::RouteNone,
                };
                self.block(
                    code,
                    Cause::Route {
                        ctx,
                        row: row_ix,
                        hint,
                    },
                );
                Cursor::Done
            }
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
        self.forward
            .blockers
            .iter()
            .chain(self.reverse.blockers.iter())
    }
}

/// Walks the request and, when it arrives, the reply; then checks stateful appliances the
/// reply skipped.
pub(crate) fn walk_pair(
    c: &Compiled,
    from: Spot,
    to: Spot,
    packet: Packet,
    detail: bool,
) -> PairOut {
    let mut pair = PairOut::default();
    walk_pair_into(c, from, to, packet, detail, &mut pair);
    pair
}

/// [`walk_pair`] into reused buffers (the all-pairs loop walks hundreds of thousands of pairs).
pub(crate) fn walk_pair_into(
    c: &Compiled,
    from: Spot,
    to: Spot,
    packet: Packet,
    detail: bool,
    pair: &mut PairOut,
) {
    let PairOut { forward, reverse } = pair;
    Walker::new(c, packet, from, to, None, detail, forward).run();
    if !forward.arrived {
        reverse.clear();
        return;
    }
    Walker::new(c, packet.reply(), to, from, Some(forward), detail, reverse).run();
    if reverse.arrived {
        for &vm in &forward.stateful {
            if !reverse.appliances.contains(&vm) {
                reverse.blockers.push(RawBlocker {
                    code: ReasonCode::AsymmetricStatefulDrop,
                    cause: Cause::Asymmetric {
                        vm,
                        forward_only: true,
                    },
                    reply: true,
                });
            }
        }
    }
}
