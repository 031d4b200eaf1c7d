//! Route lookups and the one dispatch on a route's next hop. A NIC's subnet and a gateway look
//! routes up the same way and follow peerings, VNet-local routes and appliances the same way;
//! they differ only where the route leads to a gateway or nowhere:
//!
//! - a route learned by a gateway: a NIC's packet goes to that gateway (crossing to its VNet);
//!   a gateway's goes on to the owning gateway, or out to the site or P2S client;
//! - a `VirtualNetworkGateway` UDR: a NIC's packet goes to the VNet's VPN gateway, else it is
//!   `GATEWAY_MISSING` or `GATEWAY_NOT_TRANSIT`; a gateway's would loop into itself;
//! - `Internet` or `None`: a dead end; for a NIC's packet with its specific cause when one is
//!   known (`why`), for a gateway's a plain one.

use super::walker::{Cursor, Sender, Walker};
use super::{Cause, Hint, Place, context_name};
use crate::engine::groups::GroupHit;
use crate::engine::index::Learned;
use crate::engine::ix::{CtxIx, GatewayIx, RowIx, SiteIx};
use crate::engine::routes::{Hit, RouteHop, next_hop_type, udr};
use crate::engine::types::{HopDecision, HopStep, ReasonCode};

impl Walker<'_> {
    /// Looks the destination up in context `ctx` and follows the route that wins.
    pub(super) fn route(&mut self, ctx: CtxIx, sender: Sender) -> Cursor {
        let dst = self.packet.dst;
        self.out.first_ctx.get_or_insert(ctx);
        match self.context(ctx).route_for(dst) {
            None => self.no_such_host(format!("{dst}")),
            Some(Hit::Row(row_ix)) => {
                self.route_hop(ctx, row_ix, sender);
                self.dispatch(ctx, row_ix, sender)
            }
            Some(Hit::Group { table, hit }) => self.connected_group(ctx, table, hit),
        }
    }

    /// A connected group's route: straight into the member that holds the destination, or
    /// dropped when several members hold it (overlapping ranges).
    fn connected_group(&mut self, ctx: CtxIx, table: usize, hit: GroupHit) -> Cursor {
        let c = self.c;
        let context = self.context(ctx);
        let group = &context.groups[table];
        let x = context.vnet;
        self.hop(
            || context_name(c, ctx),
            HopStep::Route,
            HopDecision::Forward,
            || {
                format!(
                    "{} → ConnectedGroup (connectivity configuration `{}`)",
                    hit.prefix(),
                    group.config
                )
            },
        );
        match hit {
            GroupHit::Member { member, .. } => {
                self.hop(
                    || format!("connected group of `{}`", group.config),
                    HopStep::Peering,
                    HopDecision::Cross,
                    || format!("{} → {}", c.vnet_name(x), c.vnet_name(member)),
                );
                self.deliver_in(member)
            }
            GroupHit::Overlap { prefix, members } => {
                self.block(
                    ReasonCode::ConnectedGroupOverlap,
                    Cause::GroupOverlap {
                        config: group.config.clone(),
                        prefix,
                        members,
                    },
                );
                Cursor::Done
            }
        }
    }

    /// The `route` hop: a subnet's lookup names the appliance address and the user route; a
    /// gateway's names only the prefix and next hop type.
    fn route_hop(&mut self, ctx: CtxIx, row_ix: RowIx, sender: Sender) {
        // The hop is text only: without details, not even the next hop type is looked up (it
        // reads the peering's facts, a cache miss per lookup in a big hub's table).
        if !self.detailed() {
            return;
        }
        let c = self.c;
        let row = &self.context(ctx).rows[row_ix];
        let hop_type = next_hop_type(&c.index, row);
        match sender {
            Sender::Nic { .. } => self.hop(
                || context_name(c, ctx),
                HopStep::Route,
                HopDecision::Forward,
                || {
                    let via = match row.hop {
                        RouteHop::Appliance(ip) => format!(" {ip}"),
                        _ => String::new(),
                    };
                    let name = match row.udr {
                        Some(u) => format!(
                            " (user route `{}` in `{}`)",
                            udr(&c.design, u).name,
                            c.tables()[u.table].name
                        ),
                        None => String::new(),
                    };
                    format!("{} → {hop_type}{via}{name}", row.prefix)
                },
            ),
            Sender::Gateway(g) => self.hop(
                || format!("gateway `{}`", c.gateways()[g].name),
                HopStep::Route,
                HopDecision::Forward,
                || format!("{} → {hop_type}", row.prefix),
            ),
        }
    }

    /// Follows row `row_ix` of context `ctx` (see the module table for what differs by sender).
    fn dispatch(&mut self, ctx: CtxIx, row_ix: RowIx, sender: Sender) -> Cursor {
        let c = self.c;
        let context = self.context(ctx);
        let x = context.vnet;
        match (context.rows[row_ix].hop, sender) {
            (RouteHop::VnetLocal, _) => self.deliver_in(x),
            (RouteHop::Peering(p, remote), _) => {
                if self.outside_subnet_peering(ctx, p) {
                    return Cursor::Done;
                }
                self.cross(p, x, sender);
                self.deliver_in(remote)
            }
            (RouteHop::Appliance(ip) | RouteHop::Injected { ip, .. }, _) => {
                self.forward_to_appliance(ctx, row_ix, ip, sender)
            }
            (RouteHop::Learned(g, _), Sender::Nic { .. }) => self.forward_to_gateway(x, g, sender),
            (RouteHop::Learned(owner, origin), Sender::Gateway(g)) => {
                self.gateway_onward(g, owner, origin)
            }
            (RouteHop::UdrGateway, Sender::Nic { .. }) => match c.udr_gateway(x) {
                Some(g) => self.forward_to_gateway(x, g, sender),
                None => {
                    self.gateway_unusable(ctx, row_ix);
                    Cursor::Done
                }
            },
            (RouteHop::UdrGateway, Sender::Gateway(g)) => {
                let name = c.gateways()[g].name.clone();
                self.block(
                    ReasonCode::RoutingLoop,
                    Cause::Loop {
                        cycle: vec![name.clone(), name],
                    },
                );
                Cursor::Done
            }
            (RouteHop::Internet | RouteHop::None, Sender::Nic { .. }) => {
                // An Invalid gateway UDR more specific than the winner is what really failed.
                let won_len = context.rows[row_ix].prefix.prefix_len();
                if let Some(udr) = self.unusable_gateway_udr(ctx, won_len) {
                    self.gateway_unusable(ctx, udr);
                    return Cursor::Done;
                }
                let hint = if context.rows[row_ix].udr.is_some() {
                    Hint::Plain
                } else {
                    self.hint(ctx)
                };
                self.dead_end(ctx, row_ix, hint)
            }
            (RouteHop::Internet | RouteHop::None, Sender::Gateway(_)) => {
                self.dead_end(ctx, row_ix, Hint::Plain)
            }
        }
    }

    /// A gateway route that Azure cannot use: transit asked for but not in effect, or no VPN
    /// gateway at all.
    fn gateway_unusable(&mut self, ctx: CtxIx, row: RowIx) {
        let x = self.context(ctx).vnet;
        match self.transit_not_effective(x) {
            Some(peering) => self.block(
                ReasonCode::GatewayNotTransit,
                Cause::GatewayNotTransit { peering },
            ),
            None => self.block(
                ReasonCode::GatewayMissing,
                Cause::GatewayMissing { ctx, row },
            ),
        }
    }

    /// The packet fell to an Internet or `None` route: the code follows the hint when it names
    /// a more specific cause.
    fn dead_end(&mut self, ctx: CtxIx, row: RowIx, hint: Hint) -> Cursor {
        let code = match (hint, self.context(ctx).rows[row].hop) {
            (Hint::NotConnected(_) | Hint::GatewayPeeringDown(..), _) => {
                ReasonCode::PeeringNotConnected
            }
            (Hint::Invalid(_), _) => ReasonCode::PeeringInvalid,
            (Hint::NotSynced(_), _) => ReasonCode::AddressSpaceNotSynced,
            (Hint::SubnetNotPeered(..), _) => ReasonCode::SubnetNotInSubnetPeering,
            (Hint::TransitNotEffective(_), _) => ReasonCode::GatewayNotTransit,
            (Hint::ConnectionDown(_), _) => ReasonCode::ConnectionNotConnected,
            (_, RouteHop::Internet) => ReasonCode::NoRouteInternet,
            _ => ReasonCode::RouteNone,
        };
        self.block(code, Cause::Route { ctx, row, hint });
        Cursor::Done
    }

    /// A gateway's learned route: on to the gateway that owns it, or out to where it leads.
    fn gateway_onward(&mut self, g: GatewayIx, owner: GatewayIx, origin: Learned) -> Cursor {
        if owner != g {
            return Cursor::Gateway { g: owner };
        }
        match origin {
            Learned::Site(s) => self.deliver_to_site(s),
            Learned::P2s => self.deliver_to_p2s(g),
            Learned::Gateway(other) => Cursor::Gateway { g: other },
        }
    }

    fn deliver_to_site(&mut self, s: SiteIx) -> Cursor {
        let name = &self.c.sites()[s].name;
        let here = matches!(self.to.place, Place::Site(t) if t == s);
        self.deliver_beyond(
            here,
            || format!("site `{name}`"),
            || format!("at site `{name}`"),
        )
    }

    fn deliver_to_p2s(&mut self, g: GatewayIx) -> Cursor {
        let name = &self.c.gateways()[g].name;
        let here = matches!(self.to.place, Place::P2s(t) if t == g);
        self.deliver_beyond(
            here,
            || format!("P2S client of `{name}`"),
            || format!("in the client pool of `{name}`"),
        )
    }

    /// Delivery outside Azure's VNets (to a site, or to a gateway's point-to-site clients): the
    /// packet arrives when the destination is `here`; otherwise no host there has its address
    /// (`place` says where it looked).
    fn deliver_beyond(
        &mut self,
        here: bool,
        at: impl FnOnce() -> String,
        place: impl FnOnce() -> String,
    ) -> Cursor {
        if here {
            self.hop(at, HopStep::Deliver, HopDecision::Deliver, String::new);
            self.out.arrived = true;
            return Cursor::Done;
        }
        let dst = self.packet.dst;
        self.no_such_host(format!("{dst} {}", place()))
    }
}
