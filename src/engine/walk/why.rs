//! Why a packet fell to a `None` or internet route: the more specific cause a trainee needs
//! (an unpeered, one-sided, invalid or unsynced peering; gateway routes not propagated; a
//! spoke not using, or unable to use, its hub's gateway; an unusable gateway UDR; a gateway that
//! is joined to the destination's gateway only without BGP, or only by one of the pair of
//! connections a VNet-to-VNet link needs).

use super::walker::Walker;
use super::{Hint, Place};
use crate::engine::index::Learned;
use crate::engine::ix::{ConnectionIx, CtxIx, GatewayIx, PeeringIx, RowIx, VnetIx};
use crate::engine::routes::RouteHop;
use crate::model::PeeringState;
use std::collections::{HashMap, VecDeque};

impl Walker<'_> {
    /// An Invalid `VirtualNetworkGateway` UDR more specific than the route that won: the
    /// destination would have gone to a gateway had there been a usable one.
    pub(super) fn unusable_gateway_udr(&mut self, ctx: CtxIx, won_len: u8) -> Option<RowIx> {
        let dst = self.packet.dst;
        self.context(ctx).rows.position(|r| {
            !r.active
                && r.hop == RouteHop::UdrGateway
                && r.prefix.prefix_len() > won_len
                && r.prefix.contains(&dst)
        })
    }

    /// A peering of VNet `x` that sets `useRemoteGateways` towards a VNet with a gateway, but
    /// does not take effect.
    pub(super) fn transit_not_effective(&mut self, x: VnetIx) -> Option<PeeringIx> {
        let c = self.c;
        let scan = self.peerings_of(x);
        scan.ids.iter().find_map(|&i| {
            let view = self.scanned(&scan, i);
            let f = view.facts;
            (f.local == Some(x)
                && view.model.use_remote_gateways
                && !f.transit
                && f.remote.is_some_and(|r| c.index.has_gateway(r)))
            .then_some(i)
        })
    }

    /// Why the destination fell to a `None` or internet system route in context `ctx`.
    pub(super) fn hint(&mut self, ctx: CtxIx) -> Hint {
        let x = self.context(ctx).vnet;
        match self.to.place {
            Place::Nic(nic) => match self.c.index.nic_subnet(nic) {
                Some(s) => match self.peering_hint(x, self.c.index.subnets[s].vnet, s) {
                    Hint::NoPeering(y) => self
                        .connection_down(x)
                        .or_else(|| self.no_bgp_transit(x))
                        .unwrap_or(Hint::NoPeering(y)),
                    hint => hint,
                },
                None => Hint::Plain,
            },
            Place::Site(_) | Place::P2s(_) => self.gateway_hint(ctx, x),
            Place::Unknown => Hint::Plain,
        }
    }

    /// The destination is a NIC in VNet `y` (subnet `s`): what about the peering from `x`?
    fn peering_hint(&mut self, x: VnetIx, y: VnetIx, s: crate::engine::ix::SubnetIx) -> Hint {
        let c = self.c;
        let dst = self.packet.dst;
        if y == x {
            return Hint::Plain;
        }
        if let Some(&p) = c.index.peer.get(&(x, y)) {
            let view = self.peering(p);
            let f = view.facts;
            if !f.valid {
                return Hint::Invalid(p);
            }
            if f.state != PeeringState::Connected {
                return Hint::NotConnected(p);
            }
            let peering = view.model;
            let covers = |space: &[ipnet::Ipv4Net]| space.iter().any(|n| n.contains(&dst));
            if peering.is_subnet_peering() && !covers(&c.design.current_remote_space(peering)) {
                return Hint::SubnetNotPeered(p, s);
            }
            if !covers(view.space) {
                return Hint::NotSynced(p);
            }
            return Hint::Plain;
        }
        match c.index.peer.get(&(y, x)) {
            Some(&p) if !self.peering(p).facts.valid => Hint::Invalid(p),
            Some(&p) => Hint::NotConnected(p),
            None => Hint::NoPeering(y),
        }
    }

    /// The destination is outside Azure (a site or P2S client): which gateway would have
    /// carried it, and why its routes are not here.
    fn gateway_hint(&mut self, ctx: CtxIx, x: VnetIx) -> Hint {
        let c = self.c;
        let dst = self.packet.dst;
        let covering = |g: &GatewayIx| c.index.learned(*g).iter().any(|r| r.prefix.contains(&dst));
        if !c.index.serving_gateways(x).iter().any(covering)
            && let Some(hint) = self.connection_down(x).or_else(|| self.no_bgp_transit(x))
        {
            return hint;
        }
        if c.index.serving_gateways(x).iter().any(covering) {
            if let Some(t) = self.context(ctx).table
                && !c.tables()[t].propagate_gateway_routes
            {
                return Hint::PropagationOff(t);
            }
            return Hint::Plain;
        }
        // VNets whose own gateway would have carried the packet: a peering with one of them is
        // what is missing or not working.
        let hubs = |z: VnetIx| {
            z != x
                && c.index
                    .vnet_gateways
                    .get(z)
                    .is_some_and(|gs| gs.iter().any(covering))
        };
        let scan = self.peerings_of(x);
        for &i in scan.ids {
            let view = self.scanned(&scan, i);
            let f = view.facts;
            if f.local != Some(x) || !f.remote.is_some_and(hubs) {
                continue;
            }
            if view.model.use_remote_gateways {
                return Hint::TransitNotEffective(i);
            }
            if f.usable {
                return Hint::NoTransit(i);
            }
        }
        // A one-sided or disconnected peering with such a VNet, from either side.
        for &i in scan.ids {
            let view = self.scanned(&scan, i);
            let f = view.facts;
            let Some((local, remote)) = f.ends() else {
                continue;
            };
            let hub = match (local == x && hubs(remote), remote == x && hubs(local)) {
                (true, _) => remote,
                (_, true) => local,
                _ => continue,
            };
            if f.valid && f.state != PeeringState::Connected {
                return Hint::GatewayPeeringDown(i, hub);
            }
        }
        if !c.index.has_gateway(x)
            && let Some(z) = c.index.vnet_gateways.keys().find(|&z| {
                hubs(z)
                    && !c.index.peer.contains_key(&(x, z))
                    && !c.index.peer.contains_key(&(z, x))
            })
        {
            return Hint::GatewayNotPeered(z);
        }
        Hint::Plain
    }
}

impl Walker<'_> {
    /// A gateway serving VNet `x` reaches, over VNet-to-VNet connections, a gateway that holds
    /// the destination (its VNet or spokes, its P2S pool, a site of its), but not over BGP all
    /// the way, so the route never arrived: without BGP there is no transit across a second
    /// connection, and a P2S pool is not advertised to VNet-to-VNet peers
    /// (vpn-gateway-about-point-to-site-routing.md).
    pub(super) fn no_bgp_transit(&self, x: VnetIx) -> Option<Hint> {
        let index = &self.c.index;
        let dst = self.packet.dst;
        let holds = |o: GatewayIx| {
            index.gateways.own[o].iter().any(|n| n.contains(&dst))
                || index.learned(o).iter().any(|r| {
                    matches!(r.origin, Learned::P2s | Learned::Site(_)) && r.prefix.contains(&dst)
                })
        };
        for &learner in index.serving_gateways(x) {
            // Breadth first over every VNet-to-VNet link, remembering how each gateway was reached.
            let mut came_from: HashMap<GatewayIx, (GatewayIx, bool)> = HashMap::new();
            let mut queue = VecDeque::from([learner]);
            while let Some(k) = queue.pop_front() {
                if k != learner && holds(k) {
                    let mut plain: Vec<(GatewayIx, GatewayIx)> = Vec::new();
                    let mut at = k;
                    while let Some(&(before, bgp)) = came_from.get(&at) {
                        if !bgp {
                            plain.push((before, at));
                        }
                        at = before;
                    }
                    let link = match plain.as_slice() {
                        [only] => Some(*only),
                        _ => None,
                    };
                    return Some(Hint::NoBgpTransit {
                        learner,
                        owner: k,
                        link,
                    });
                }
                for &(next, bgp) in &index.gateways.links[k] {
                    if next != learner && !came_from.contains_key(&next) {
                        came_from.insert(next, (k, bgp));
                        queue.push_back(next);
                    }
                }
            }
        }
        None
    }

    /// A gateway serving VNet `x` has a VNet-to-VNet connection to or from a gateway that would
    /// have given it the destination over that link (its own prefixes; over BGP also what it
    /// learned), but not the pair of that connection, so the link never came up. Checked before
    /// [`Walker::no_bgp_transit`]: the direct link is the nearer cause.
    pub(super) fn connection_down(&self, x: VnetIx) -> Option<Hint> {
        let c = self.c;
        let index = &c.index;
        let dst = self.packet.dst;
        let gives = |h: GatewayIx, connection: ConnectionIx| {
            index.gateways.own[h].iter().any(|n| n.contains(&dst))
                || (c.connections()[connection].bgp
                    && index.learned(h).iter().any(|r| r.prefix.contains(&dst)))
        };
        index.serving_gateways(x).iter().find_map(|&g| {
            index.gateways.half_links[g]
                .iter()
                .find(|&&(h, connection)| gives(h, connection))
                .map(|&(_, connection)| Hint::ConnectionDown(connection))
        })
    }
}
