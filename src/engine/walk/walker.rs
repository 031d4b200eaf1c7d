//! The walker: one direction of one pair, from its first hop to delivery or a dead end, with
//! the NSG checks every NIC makes on the way out and on the way in.

use super::{Cause, PathOut, Place, RawBlocker, Spot, WalkSpec};
use crate::engine::compile::Compiled;
use crate::engine::ix::{CtxIx, GatewayIx, NicIx, PeeringIx, SubnetIx, VnetIx};
use crate::engine::nsg::Packet;
use crate::engine::policies::NsgPoint;
use crate::engine::routes::Routing;
use crate::engine::types::{Hop, HopDecision, HopStep, ReasonCode};
use crate::model::Direction;

/// Who put the packet on the wire for the next route lookup or peering crossing.
#[derive(Debug, Clone, Copy)]
pub(super) enum Sender {
    /// A NIC, with its outbound NSG result: VNet, NSGs evaluated, all decided by explicit IPs.
    Nic {
        vnet: VnetIx,
        nsgs: usize,
        explicit: bool,
    },
    /// A virtual network gateway.
    Gateway(GatewayIx),
}

/// Where the walk goes next.
pub(super) enum Cursor {
    /// Look the destination up in a route context, as sent by `sender`.
    Lookup {
        ctx: CtxIx,
        sender: Sender,
    },
    /// Arrive at a gateway.
    Gateway {
        g: GatewayIx,
    },
    Done,
}

/// Hop limit: longer paths are loops the guard did not name.
const MAX_STEPS: usize = 32;

/// Walks one direction.
pub(crate) struct Walker<'a> {
    pub(super) c: &'a Compiled,
    pub(super) packet: Packet,
    pub(super) from: Spot,
    pub(super) to: Spot,
    /// The request's path when this walk is the reply.
    pub(super) request: Option<&'a PathOut>,
    detail: bool,
    pub(super) out: &'a mut PathOut,
    /// A peering whose remote side has access off: the destination's inbound NSGs decide.
    pub(super) pending_access: Option<PeeringIx>,
}

impl<'a> Walker<'a> {
    /// A walker for `spec`, writing into `out` (emptied first).
    pub fn new(c: &'a Compiled, spec: WalkSpec<'a>, out: &'a mut PathOut) -> Self {
        out.clear();
        Walker {
            c,
            packet: spec.packet,
            from: spec.from,
            to: spec.to,
            request: spec.request,
            detail: spec.detail,
            out,
            pending_access: None,
        }
    }

    /// Records a hop when the walk keeps details (the texts are built only then).
    pub(super) fn hop(
        &mut self,
        at: impl FnOnce() -> String,
        step: HopStep,
        decision: HopDecision,
        detail: impl FnOnce() -> String,
    ) {
        if self.detail {
            self.out.hops.push(Hop {
                at: at(),
                step,
                decision,
                detail: detail(),
            });
        }
    }

    /// Whether the walk records hops (a trace), not only blockers.
    pub(super) fn detailed(&self) -> bool {
        self.detail
    }

    pub(super) fn block(&mut self, code: ReasonCode, cause: Cause) {
        self.out.blockers.push(RawBlocker {
            code,
            cause,
            reply: self.request.is_some(),
        });
    }

    pub(super) fn is_reply(&self) -> bool {
        self.request.is_some()
    }

    /// Runs the walk to its end, leaving the result in the buffer given to [`Walker::new`].
    pub fn run(mut self) {
        let mut cursor = self.start();
        for _ in 0..MAX_STEPS {
            cursor = match cursor {
                Cursor::Done => return,
                Cursor::Lookup { ctx, sender } => self.route(ctx, sender),
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
            Place::Nic(nic) => {
                let Some(s) = self.c.index.nic_subnet(nic) else {
                    let name = &self.c.vms()[nic.vm].name;
                    return self.no_such_host(format!("VM `{name}`"));
                };
                let sender = self.egress(nic, s);
                Cursor::Lookup {
                    ctx: Routing::of_subnet(s),
                    sender,
                }
            }
            Place::Site(site) if self.to.place == Place::Site(site) => self.on_premises(site),
            Place::Site(site) => self.enter_from_site(site),
            Place::P2s(g) => self.enter_from_p2s(g),
            Place::Unknown => self.no_such_host("an endpoint missing from the design".to_string()),
        }
    }

    pub(super) fn no_such_host(&mut self, place: String) -> Cursor {
        self.block(ReasonCode::NoSuchHost, Cause::NoSuchHost { place });
        Cursor::Done
    }

    /// Outbound NSGs of a NIC: NIC first, then subnet.
    pub(super) fn egress(&mut self, nic: NicIx, subnet: SubnetIx) -> Sender {
        let points = [NsgPoint::Nic(nic), NsgPoint::Subnet(subnet)];
        let (nsgs, explicit) = self.nsg_points(&points, Direction::Outbound);
        Sender::Nic {
            vnet: self.c.index.subnets[subnet].vnet,
            nsgs,
            explicit,
        }
    }

    /// Inbound NSGs of a NIC: subnet first, then NIC; then any pending access check.
    pub(super) fn ingress(&mut self, nic: NicIx) {
        let Some(subnet) = self.c.index.nic_subnet(nic) else {
            return;
        };
        let points = [NsgPoint::Subnet(subnet), NsgPoint::Nic(nic)];
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
        let step = match direction {
            Direction::Inbound => HopStep::NsgIn,
            Direction::Outbound => HopStep::NsgOut,
        };
        for point in points {
            let Some(compiled) = self.program_at(*point) else {
                continue;
            };
            // Read only for a hop's text: the NSG's model is another cache line.
            let name = || c.nsgs()[compiled.nsg].name.clone();
            if let Some(request) = self.request
                && request.points.contains(point)
            {
                self.hop(name, step, HopDecision::Allow, || {
                    "reply of a recorded flow (NSGs are stateful)".to_string()
                });
                continue;
            }
            count += 1;
            let hit = compiled.first_match(direction, &self.packet);
            explicit &= hit.allow && hit.explicit;
            self.hop(
                name,
                step,
                if hit.allow {
                    HopDecision::Allow
                } else {
                    HopDecision::Deny
                },
                || {
                    let decision = hit.decision();
                    format!("rule `{}` (priority {})", decision.rule, decision.priority)
                },
            );
            self.out.points.push(*point);
            if !hit.allow {
                self.block(
                    ReasonCode::NsgDeny,
                    Cause::Nsg {
                        point: *point,
                        nsg: compiled.nsg,
                        direction,
                        decision: hit.decision(),
                    },
                );
            }
        }
        (count, explicit)
    }
}
