//! Route dead ends in words: a packet that fell to a `None` or Internet route, with the more
//! specific cause the walk found (an unpeered, one-sided, invalid or unsynced peering, gateway
//! routes that never arrived, a VNet-to-VNet connection without its pair, a user route to None)
//! and the fix for it. One function per
//! [`Hint`]; [`DeadEnd`] carries what they share.

use super::{Explanation, Scene};
use crate::edit::{Edit, Object};
use crate::engine::ix::{
    ConnectionIx, CtxIx, GatewayIx, PeeringIx, RowIx, SubnetIx, TableIx, UdrIx, VnetIx,
};
use crate::engine::prefixes::not_internet_routed;
use crate::engine::routes::{RouteHop, udr};
use crate::engine::types::{Assumption, Fix};
use crate::engine::walk::{Hint, Place, context_name};
use crate::model::{ConnectionRemote, GovGlobalPeering, PeeringState, PeeringViolation};
use std::net::Ipv4Addr;

/// Where a packet fell to a default route: the context, the row, and the words every dead-end
/// message ends with.
struct DeadEnd {
    ctx: CtxIx,
    row: RowIx,
    /// The context's name (`vnet/subnet`).
    here: String,
    /// The context's VNet.
    x: VnetIx,
    dst: Ipv4Addr,
    /// "falls to the … route … and is dropped" (or why the internet does not deliver it).
    fell: String,
}

impl Scene<'_> {
    /// `User route `x` in route table `t``, or `The route in `vnet/subnet``.
    pub(super) fn route_label(&self, ctx: CtxIx, row: RowIx) -> String {
        let c = self.c;
        match c.ctx(ctx).rows[row].udr {
            Some(u) => format!(
                "User route `{}` in route table `{}`",
                udr(&c.design, u).name,
                c.tables()[u.table].name
            ),
            None => format!("The route in `{}`", context_name(c, ctx)),
        }
    }

    /// A packet to `dst` fell to row `row` of context `ctx`, for the reason `hint` names.
    pub(super) fn route(&self, ctx: CtxIx, row: RowIx, hint: Hint, dst: Ipv4Addr) -> Explanation {
        let c = self.c;
        let context = c.ctx(ctx);
        let r = &context.rows[row];
        let here = context_name(c, ctx);
        let fell = match r.hop {
            RouteHop::Internet => format!(
                "falls to the Internet route {} in `{here}`, and {}",
                r.prefix,
                self.why_not_over_internet(dst)
            ),
            _ => format!(
                "falls to the default None route {} in `{here}` and is dropped",
                r.prefix
            ),
        };
        let end = DeadEnd {
            ctx,
            row,
            here,
            x: context.vnet,
            dst,
            fell,
        };
        match hint {
            Hint::Plain => match r.udr {
                Some(u) => self.user_route_drops(&end, u),
                None => Self::no_route(end),
            },
            Hint::NoPeering(y) => self.no_peering(end, y),
            Hint::NotConnected(p) => self.not_connected(&end, p),
            Hint::Invalid(p) => self.invalid_peering(&end, p),
            Hint::NotSynced(p) => self.not_synced(&end, p),
            Hint::SubnetNotPeered(p, s) => self.subnet_not_peered(&end, p, s),
            Hint::PropagationOff(t) => self.propagation_off(&end, t),
            Hint::NoTransit(p) => self.no_transit(&end, p),
            Hint::TransitNotEffective(p) => self.not_transit(p, dst, Some(ctx)),
            Hint::GatewayPeeringDown(p, hub) => self.gateway_peering_down(&end, p, hub),
            Hint::GatewayNotPeered(hub) => self.gateway_not_peered(end, hub),
            Hint::NoBgpTransit {
                learner,
                owner,
                link,
            } => self.no_bgp_transit(end, learner, owner, link),
            Hint::ConnectionDown(k) => self.connection_down(end, k),
        }
    }

    /// A VNet-to-VNet connection that would have carried the destination has no pair from the
    /// other gateway; the fix adds the pair.
    fn connection_down(&self, end: DeadEnd, k: ConnectionIx) -> Explanation {
        let c = self.c;
        let conn = &c.connections()[k];
        let far = conn.remote_gateway().unwrap_or_default();
        let message = format!(
            "Connection `{}` joins gateway `{}` to gateway `{far}`, but `{far}` has no connection back to `{}`. Azure brings a VNet-to-VNet link up only when each gateway has a connection to the other (with the same shared key), so this one stays NotConnected, nothing is learned over it, and {} {}.",
            conn.name, conn.gateway, conn.gateway, end.dst, end.fell
        );
        let fix = conn.partner_for(&c.design).map(|back| Fix {
            description: format!(
                "add connection `{}` from gateway `{far}` back to `{}`",
                back.name, conn.gateway
            ),
            edit: Edit::Add {
                object: Object::Connection(back),
                at: None,
            },
        });
        Explanation::new(format!("connection `{}`", conn.name), message).with_fix(fix)
    }

    /// The serving gateway reaches the destination's gateway only over VNet-to-VNet connections
    /// without BGP, so it never learned the route (the fix turns BGP on when one link lacks it).
    fn no_bgp_transit(
        &self,
        end: DeadEnd,
        learner: GatewayIx,
        owner: GatewayIx,
        link: Option<(GatewayIx, GatewayIx)>,
    ) -> Explanation {
        let c = self.c;
        let name = |g: GatewayIx| c.gateways()[g].name.as_str();
        let message = format!(
            "Gateway `{}` (serving `{}`) reaches gateway `{}`, which holds {}, only over VNet-to-VNet connections without BGP all the way; without BGP a gateway learns only its peer's VNet and gateway-transit spokes, not what the peer learned nor its point-to-site pool, so {} {}.",
            name(learner),
            c.vnet_name(end.x),
            name(owner),
            end.dst,
            end.dst,
            end.fell
        );
        let fix = link.and_then(|(a, b)| {
            let (a, b) = (name(a), name(b));
            let edits: Vec<Edit> = c
                .design
                .connections
                .iter()
                .filter(|conn| {
                    matches!(&conn.remote, ConnectionRemote::Gateway(r)
                        if (conn.gateway == a && r == b) || (conn.gateway == b && r == a))
                })
                .map(|conn| {
                    let mut on = conn.clone();
                    on.bgp = true;
                    Edit::Replace(Object::Connection(on))
                })
                .collect();
            (!edits.is_empty()).then(|| Fix {
                description: format!(
                    "turn on BGP on the VNet-to-VNet connection between `{a}` and `{b}`"
                ),
                edit: Edit::Batch(edits),
            })
        });
        Explanation::new(end.here, message).with_fix(fix)
    }

    /// A user route sends the destination to the Internet or to None.
    fn user_route_drops(&self, end: &DeadEnd, u: UdrIx) -> Explanation {
        let table = &self.c.tables()[u.table];
        let route = &table.routes[u.slot];
        let verb = if self.c.ctx(end.ctx).rows[end.row].hop == RouteHop::Internet {
            "to the Internet"
        } else {
            "to None (drop)"
        };
        let message = format!(
            "User route `{}` in route table `{}` sends {} {verb}, so the packet to {} never arrives.",
            route.name, table.name, route.prefix, end.dst
        );
        let mut fixed = table.clone();
        fixed.routes.remove(u.slot);
        let fix = Fix {
            description: format!(
                "remove route `{}` from route table `{}`",
                route.name, table.name
            ),
            edit: Edit::Replace(Object::RouteTable(fixed)),
        };
        Explanation::new(format!("route `{}/{}`", table.name, route.name), message)
            .with_fix(Some(fix))
    }

    /// Nothing more specific is known: only a default route covers the destination.
    fn no_route(end: DeadEnd) -> Explanation {
        let message = format!(
            "No route in `{}` covers {} except a default one: it {}.",
            end.here, end.dst, end.fell
        );
        Explanation::new(end.here, message)
    }

    fn no_peering(&self, end: DeadEnd, y: VnetIx) -> Explanation {
        let c = self.c;
        let message = format!(
            "`{}` and `{}` are not peered (peering is not transitive), so {} {}.",
            c.vnet_name(end.x),
            c.vnet_name(y),
            end.dst,
            end.fell
        );
        Explanation::new(end.here, message).with_fix(self.peer_fix(end.x, y))
    }

    fn not_connected(&self, end: &DeadEnd, p: PeeringIx) -> Explanation {
        let c = self.c;
        let peering = &c.peerings()[p];
        let (dst, fell) = (end.dst, &end.fell);
        let message = match c.index.peerings[p].state {
            PeeringState::Disconnected => format!(
                "Peering `{}` is Disconnected (its other side was deleted), so no routes are installed and {dst} {fell}.",
                peering.name
            ),
            state => format!(
                "Peering `{}` is {state}: only one side of the pair exists, so no routes are installed and {dst} {fell}.",
                peering.name
            ),
        };
        Explanation::new(format!("peering `{}`", peering.name), message)
            .with_fix(self.connect_fix(p))
    }

    fn invalid_peering(&self, end: &DeadEnd, p: PeeringIx) -> Explanation {
        let c = self.c;
        let peering = &c.peerings()[p];
        let message = format!(
            "Peering `{}` is invalid: {}. Azure refuses it, so it carries no routes and {} {}.",
            peering.name,
            self.invalidating(p).join("; "),
            end.dst,
            end.fell
        );
        let gov = c.index.peerings[p]
            .violations
            .contains(&PeeringViolation::GovGlobalPeering);
        let explanation = Explanation::new(format!("peering `{}`", peering.name), message);
        if !gov {
            return explanation;
        }
        // The Government rule is an assumption: the current product docs allow it.
        let mut assumptions = c.design.assumptions;
        assumptions.gov_global_peering = GovGlobalPeering::Allowed;
        explanation
            .with_assumption(Some(Assumption::GovGlobalPeering(GovGlobalPeering::Forbidden)))
            .with_fix(Some(Fix {
                description:
                    "follow the current product docs: allow global peering between Government regions"
                        .to_string(),
                edit: Edit::SetAssumptions(assumptions),
            }))
    }

    fn not_synced(&self, end: &DeadEnd, p: PeeringIx) -> Explanation {
        let peering = &self.c.peerings()[p];
        let dst = end.dst;
        let message = format!(
            "Peering `{}` still carries the old address space of `{}`; {dst} is in a range added since, so {dst} {}. Sync the peering.",
            peering.name, peering.remote, end.fell
        );
        let fix = Fix {
            description: format!("sync peering `{}`", peering.name),
            edit: Edit::SyncPeering(peering.name.clone()),
        };
        Explanation::new(format!("peering `{}`", peering.name), message).with_fix(Some(fix))
    }

    fn subnet_not_peered(&self, end: &DeadEnd, p: PeeringIx, s: SubnetIx) -> Explanation {
        let c = self.c;
        let peering = &c.peerings()[p];
        let info = &c.index.subnets[s];
        let message = format!(
            "Peering `{}` is a subnet-level peering that does not list subnet `{}`, so it carries no route to {}, which {}.",
            peering.name, info.name, end.dst, end.fell
        );
        let name = &c.vnets()[info.vnet].subnets[info.index_in_vnet].name;
        Explanation::new(format!("peering `{}`", peering.name), message)
            .with_fix(self.subnet_peering_fix(p, name, false))
    }

    fn propagation_off(&self, end: &DeadEnd, t: TableIx) -> Explanation {
        let table = &self.c.tables()[t];
        let message = format!(
            "Route table `{}` has \"propagate gateway routes\" off, so `{}` gets no gateway route to {}, which {}.",
            table.name, end.here, end.dst, end.fell
        );
        let mut fixed = table.clone();
        fixed.propagate_gateway_routes = true;
        let fix = Fix {
            description: format!(
                "turn on gateway route propagation in route table `{}`",
                table.name
            ),
            edit: Edit::Replace(Object::RouteTable(fixed)),
        };
        Explanation::new(format!("route table `{}`", table.name), message).with_fix(Some(fix))
    }

    fn no_transit(&self, end: &DeadEnd, p: PeeringIx) -> Explanation {
        let c = self.c;
        let peering = &c.peerings()[p];
        let dst = end.dst;
        let message = format!(
            "`{}` is peered with `{}`, whose gateway reaches {dst}, but peering `{}` does not use the remote gateway, so {dst} {}.",
            peering.local, peering.remote, peering.name, end.fell
        );
        let fix = c.index.peerings[p]
            .remote
            .and_then(|hub| self.gateway_fix(end.x, hub, Some(end.ctx)));
        Explanation::new(format!("peering `{}`", peering.name), message).with_fix(fix)
    }

    fn gateway_peering_down(&self, end: &DeadEnd, p: PeeringIx, hub: VnetIx) -> Explanation {
        let c = self.c;
        let peering = &c.peerings()[p];
        let facts = &c.index.peerings[p];
        let why = match facts.state {
            PeeringState::Disconnected => {
                "is Disconnected (its other side was deleted)".to_string()
            }
            state => format!("is {state}: only one side of the pair exists"),
        };
        let dst = end.dst;
        let message = format!(
            "`{}` has a gateway that reaches {dst}, but peering `{}` {why}, so `{}` cannot use that gateway and learns no route to {dst}, which {}.",
            c.vnet_name(hub),
            peering.name,
            c.vnet_name(end.x),
            end.fell
        );
        Explanation::new(format!("peering `{}`", peering.name), message)
            .with_fix(self.gateway_peering_fix(p, end.x, hub, end.ctx))
    }

    /// The fix of a gateway path cut by a down peering: the repair of the peering itself (the
    /// same edit, in the same words, as lint's and as every other pair blocked by it), unless the
    /// spoke needs more than that to use the hub's gateway (a gateway setting, route
    /// propagation), in which case the whole gateway fix.
    pub(super) fn gateway_peering_fix(
        &self,
        p: PeeringIx,
        x: VnetIx,
        hub: VnetIx,
        ctx: CtxIx,
    ) -> Option<Fix> {
        let connect = self.connect_fix(p);
        let gateway = self.gateway_fix(x, hub, Some(ctx));
        match (connect, gateway) {
            (Some(connect), Some(gateway)) if same_edit(&connect.edit, &gateway.edit) => {
                Some(connect)
            }
            (connect, gateway) => gateway.or(connect),
        }
    }

    fn gateway_not_peered(&self, end: DeadEnd, hub: VnetIx) -> Explanation {
        let c = self.c;
        let dst = end.dst;
        let message = format!(
            "`{}` has a gateway that reaches {dst}, but `{}` is not peered with it, so it learns no route to {dst}, which {}.",
            c.vnet_name(hub),
            c.vnet_name(end.x),
            end.fell
        );
        let fix = self.gateway_fix(end.x, hub, Some(end.ctx));
        Explanation::new(end.here, message).with_fix(fix)
    }

    /// Why a packet that leaves Azure for the internet does not arrive, by the kind of
    /// address and endpoint it is meant for.
    fn why_not_over_internet(&self, dst: Ipv4Addr) -> String {
        let place = if dst == self.to.ip {
            self.to.place
        } else {
            self.from.place
        };
        if not_internet_routed(dst) {
            return "a private address is not reachable over the internet".to_string();
        }
        match place {
            Place::Nic(..) => format!(
                "a VM is not reachable from the internet at its VNet address {dst}, only through a public IP or load balancer"
            ),
            Place::Site(s) => format!(
                "{dst} is a public address, but what lies beyond Azure's internet edge is outside the design, so the packet is not counted as arriving; connect site `{}` to a gateway to reach it through Azure",
                self.c.sites()[s].name
            ),
            Place::P2s(_) | Place::Unknown => {
                format!(
                    "{dst} is a public address, but what lies beyond Azure's internet edge is outside the design, so the packet is not counted as arriving"
                )
            }
        }
    }

    /// Peering `p` asks for the remote gateway but transit does not take effect.
    pub(super) fn not_transit(
        &self,
        p: PeeringIx,
        dst: Ipv4Addr,
        ctx: Option<CtxIx>,
    ) -> Explanation {
        let c = self.c;
        let peering = &c.peerings()[p];
        let facts = &c.index.peerings[p];
        let why: Vec<String> = facts
            .violations
            .iter()
            .map(|v| format!("{} ({v})", v.rule()))
            .collect();
        let why = if why.is_empty() {
            format!("the peering is {}", facts.state)
        } else {
            why.join("; ")
        };
        let message = format!(
            "Peering `{}` asks to use the gateway of `{}`, but gateway transit does not take effect: {why}; so {dst} cannot go through that gateway.",
            peering.name, peering.remote
        );
        let fixable = facts.violations.iter().all(|v| {
            matches!(
                v,
                PeeringViolation::RemoteGatewayWithoutTransit
                    | PeeringViolation::UseRemoteGatewaysWithOwnGateway
            )
        });
        let fix = match facts.ends() {
            _ if !fixable || !facts.valid => None,
            _ if facts
                .violations
                .contains(&PeeringViolation::UseRemoteGatewaysWithOwnGateway) =>
            {
                self.own_gateway_fix(p, ctx)
            }
            Some((local, remote)) => self.gateway_fix(local, remote, ctx),
            None => None,
        };
        Explanation::new(format!("peering `{}`", peering.name), message).with_fix(fix)
    }
}

/// Whether two edits do the same thing once batches are flattened.
fn same_edit(a: &Edit, b: &Edit) -> bool {
    fn flat<'e>(edit: &'e Edit, into: &mut Vec<&'e Edit>) {
        match edit {
            Edit::Batch(edits) => edits.iter().for_each(|e| flat(e, into)),
            other => into.push(other),
        }
    }
    let (mut x, mut y) = (Vec::new(), Vec::new());
    flat(a, &mut x);
    flat(b, &mut y);
    x == y
}
