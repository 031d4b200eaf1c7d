//! Gateway fixes: what lets a spoke use its hub's gateway (both sides of the peering,
//! connected, `useRemoteGateways` on the spoke's side and off on its other peerings,
//! `allowGatewayTransit` on the hub's side, route propagation), or what resolves a spoke that
//! asks for the hub's gateway while it has its own.

use super::Scene;
use super::fixes::{batch, unique};
use crate::edit::{Edit, Object, ObjectRef};
use crate::engine::ix::{CtxIx, GatewayIx, PeeringIx, VnetIx};
use crate::engine::types::Fix;
use crate::model::{ConnectionRemote, ObjectKind, Peering, PeeringState};

impl Scene<'_> {
    /// Lets VNet `x` use the gateway of VNet `hub`, whatever is missing for that: both sides of
    /// their peering, connected (a disconnected side is deleted and created again),
    /// `useRemoteGateways` on `x`'s side and off on its other peerings (Azure allows it on one
    /// only), `allowGatewayTransit` on the hub's side, and gateway route propagation in the route
    /// table of context `ctx`. `None` when `x` has a gateway of its own (it then cannot use a
    /// remote one) or nothing is missing.
    pub(super) fn gateway_fix(&self, x: VnetIx, hub: VnetIx, ctx: Option<CtxIx>) -> Option<Fix> {
        if self.c.index.has_gateway(x) {
            return None;
        }
        let (edits, steps) = self.gateway_edits(x, hub, ctx);
        let (xn, hn) = (self.c.vnet_name(x), self.c.vnet_name(hub));
        Some(Fix {
            description: format!(
                "use the gateway of `{hn}` from `{xn}`: {}",
                steps.join("; ")
            ),
            edit: batch(edits)?,
        })
    }

    /// Fixes a spoke that asks for its hub's gateway while it has one of its own (V4): when its
    /// own gateways serve no connection and no point-to-site clients, removing them lets it use
    /// the hub's (with whatever else [`Scene::gateway_fix`] would add); otherwise its own gateway
    /// is in use, and the invalid flag on peering `p` is unset.
    pub(super) fn own_gateway_fix(&self, p: PeeringIx, ctx: Option<CtxIx>) -> Option<Fix> {
        let c = self.c;
        let d = &*c.design;
        let (x, hub) = c.index.peerings[p].ends()?;
        let own = &c.index.vnet_gateways[x];
        let idle = |g: GatewayIx| {
            let gateway = &c.gateways()[g];
            let name = gateway.name.as_str();
            gateway.client_pool.is_empty()
                && !d.connections.iter().any(|k| {
                    k.gateway == name
                        || matches!(&k.remote, ConnectionRemote::Gateway(other) if other == name)
                })
        };
        let (xn, hn) = (c.vnet_name(x), c.vnet_name(hub));
        let names: Vec<String> = own
            .iter()
            .map(|&g| format!("`{}`", c.gateways()[g].name))
            .collect();
        if own.iter().all(|&g| idle(g)) {
            let mut edits: Vec<Edit> = own
                .iter()
                .map(|&g| {
                    Edit::Remove(ObjectRef::new(
                        ObjectKind::Gateway,
                        c.gateways()[g].name.clone(),
                    ))
                })
                .collect();
            let mut steps = vec![format!(
                "remove the unused gateway {} of `{xn}`",
                names.join(", ")
            )];
            let (more, more_steps) = self.gateway_edits(x, hub, ctx);
            edits.extend(more);
            steps.extend(more_steps);
            return Some(Fix {
                description: format!(
                    "use the gateway of `{hn}` from `{xn}`: {}",
                    steps.join("; ")
                ),
                edit: batch(edits)?,
            });
        }
        let mut fixed = c.peerings()[p].clone();
        fixed.use_remote_gateways = false;
        Some(Fix {
            description: format!(
                "unset use remote gateways on peering `{}`: `{xn}` keeps its own gateway {}, which carries its connections",
                fixed.name,
                names.join(", ")
            ),
            edit: Edit::Replace(Object::Peering(fixed)),
        })
    }

    /// The edits (and their descriptions) of [`Scene::gateway_fix`], whether or not `x` has a
    /// gateway of its own.
    fn gateway_edits(
        &self,
        x: VnetIx,
        hub: VnetIx,
        ctx: Option<CtxIx>,
    ) -> (Vec<Edit>, Vec<String>) {
        let c = self.c;
        let d = &*c.design;
        if x == hub {
            return (Vec::new(), Vec::new());
        }
        let (xn, hn) = (c.vnet_name(x), c.vnet_name(hub));
        let mut edits = Vec::new();
        let mut steps = Vec::new();
        let mut taken: Vec<String> = Vec::new();
        for (local, remote, spoke_side) in [(x, hub, true), (hub, x, false)] {
            let (ln, rn) = (c.vnet_name(local), c.vnet_name(remote));
            let flag = if spoke_side {
                "use remote gateways"
            } else {
                "allow gateway transit"
            };
            let with_flag = |mut p: Peering| {
                if spoke_side {
                    p.use_remote_gateways = true;
                } else {
                    p.allow_gateway_transit = true;
                }
                p
            };
            match c
                .index
                .peer
                .get(&(local, remote))
                .map(|&i| (i, &c.peerings()[i]))
            {
                None => {
                    let name = unique(&Peering::default_name(ln, rn), |n| {
                        d.peering(n).is_some() || taken.iter().any(|t| t == n)
                    });
                    taken.push(name.clone());
                    steps.push(format!("create peering `{name}` ({ln} → {rn}) with {flag}"));
                    edits.push(Edit::Add {
                        object: Object::Peering(with_flag(Peering::new(name, ln, rn))),
                        at: None,
                    });
                }
                Some((i, existing)) if c.index.peerings[i].state == PeeringState::Disconnected => {
                    let mut fresh = with_flag(existing.clone());
                    fresh.disconnected = false;
                    fresh.remote_address_space = None;
                    steps.push(format!(
                        "delete the disconnected peering `{}` and create it again with {flag}",
                        existing.name
                    ));
                    edits.push(Edit::Remove(ObjectRef::new(
                        ObjectKind::Peering,
                        existing.name.clone(),
                    )));
                    edits.push(Edit::Add {
                        object: Object::Peering(fresh),
                        at: None,
                    });
                }
                Some((_, existing)) => {
                    let fixed = with_flag(existing.clone());
                    if fixed != *existing {
                        steps.push(format!("set {flag} on peering `{}`", existing.name));
                        edits.push(Edit::Replace(Object::Peering(fixed)));
                    }
                }
            }
        }
        for other in d
            .peerings
            .iter()
            .filter(|p| p.local == xn && p.remote != hn && p.use_remote_gateways)
        {
            let mut fixed = other.clone();
            fixed.use_remote_gateways = false;
            steps.push(format!(
                "unset use remote gateways on peering `{}`",
                other.name
            ));
            edits.push(Edit::Replace(Object::Peering(fixed)));
        }
        if let Some(t) = ctx.and_then(|ctx| c.routing.contexts.get(ctx)?.table)
            && !c.tables()[t].propagate_gateway_routes
        {
            let mut fixed = c.tables()[t].clone();
            fixed.propagate_gateway_routes = true;
            steps.push(format!(
                "turn on gateway route propagation in route table `{}`",
                fixed.name
            ));
            edits.push(Edit::Replace(Object::RouteTable(fixed)));
        }
        (edits, steps)
    }
}
