//! Why a packet fell to a `None` or internet route: the more specific cause a trainee needs
//! (an unpeered, one-sided, invalid or unsynced peering; gateway routes not propagated; a
//! spoke not using, or unable to use, its hub's gateway; an unusable gateway UDR).

use super::{Hint, Place, Walker};
use crate::engine::routes::RouteHop;
use crate::model::PeeringState;

impl Walker<'_, '_> {
    /// An Invalid `VirtualNetworkGateway` UDR more specific than the route that won: the
    /// destination would have gone to a gateway had there been a usable one.
    pub(super) fn unusable_gateway_udr(&self, ctx: usize, won_len: u8) -> Option<usize> {
        let dst = self.packet.dst;
        self.c.contexts[ctx].rows.iter().position(|r| {
            !r.active
                && r.hop == RouteHop::UdrGateway
                && r.prefix.prefix_len() > won_len
                && r.prefix.contains(&dst)
        })
    }

    /// A peering of VNet `x` that sets `useRemoteGateways` towards a VNet with a gateway, but
    /// does not take effect.
    pub(super) fn transit_not_effective(&self, x: usize) -> Option<usize> {
        let c = self.c;
        c.peerings.iter().enumerate().find_map(|(i, f)| {
            (f.local == x
                && c.design.peerings[i].use_remote_gateways
                && !f.transit
                && c.vnet_gateways.get(f.remote).is_some_and(|g| !g.is_empty()))
            .then_some(i)
        })
    }

    /// Why the destination fell to a `None` or internet system route in context `ctx`.
    pub(super) fn hint(&self, ctx: usize) -> Hint {
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
                    if c.design.peerings[p].is_subnet_peering()
                        && !c.peered_space[p].iter().any(|n| n.contains(&dst))
                    {
                        return Hint::SubnetNotPeered(p, s);
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
                // VNets whose own gateway would have carried the packet: a peering with one of
                // them is what is missing or not working.
                let hubs = |z: usize| {
                    z != x
                        && c.vnet_gateways
                            .get(z)
                            .is_some_and(|gs| gs.iter().any(|&g| covering(g)))
                };
                for (i, f) in c.peerings.iter().enumerate() {
                    if f.local != x || !hubs(f.remote) {
                        continue;
                    }
                    if c.design.peerings[i].use_remote_gateways {
                        return Hint::TransitNotEffective(i);
                    }
                    if f.usable {
                        return Hint::NoTransit(i);
                    }
                }
                // A one-sided or disconnected peering with such a VNet, from either side.
                for (i, f) in c.peerings.iter().enumerate() {
                    let between =
                        (f.local == x && hubs(f.remote)) || (f.remote == x && hubs(f.local));
                    if between && f.valid && f.state != PeeringState::Connected {
                        return Hint::GatewayPeeringDown(i);
                    }
                }
                if c.vnet_gateways[x].is_empty()
                    && let Some(z) = (0..c.vnet_gateways.len()).find(|&z| {
                        hubs(z) && !c.peer.contains_key(&(x, z)) && !c.peer.contains_key(&(z, x))
                    })
                {
                    return Hint::GatewayNotPeered(z);
                }
                Hint::Plain
            }
            Place::Unknown => Hint::Plain,
        }
    }
}
