//! Gateway fixes: what lets a spoke use its hub's gateway (both sides of the peering,
//! connected, `useRemoteGateways` on the spoke's side and off on its other peerings,
//! `allowGatewayTransit` on the hub's side, route propagation), or what resolves a spoke that
//! asks for the hub's gateway while it has its own.

use super::Scene;
use super::fixes::batch;
use crate::edit::{Edit, Object, ObjectRef};
use crate::engine::ix::{CtxIx, GatewayIx, PeeringIx, VnetIx};
use crate::engine::types::Fix;
use crate::model::plan::unique_name;
use crate::model::{ConnectionRemote, ObjectKind, Peering, PeeringFlag, PeeringState};

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
        PeeringFlag::UseRemoteGateways.set(&mut fixed, false);
        Some(Fix {
            description: format!(
                "unset {} on peering `{}`: `{xn}` keeps its own gateway {}, which carries its connections",
                PeeringFlag::UseRemoteGateways,
                fixed.name,
                names.join(", ")
            ),
            edit: Edit::Replace(Object::Peering(fixed)),
        })
    }

    /// The edits (and their descriptions) of [`Scene::gateway_fix`], whether or not `x` has a
    /// gateway of its own. A missing side of the pair mirrors the other side
    /// ([`Peering::reverse_for`], with the gateway setting it needs on top); a Disconnected side
    /// is recreated in place ([`Peering::recreated`]).
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
        // The spoke's side first: the hub's side, when missing, mirrors it.
        let mut created: Option<Peering> = None;
        for (local, remote, flag) in [
            (x, hub, PeeringFlag::UseRemoteGateways),
            (hub, x, PeeringFlag::AllowGatewayTransit),
        ] {
            let (ln, rn) = (c.vnet_name(local), c.vnet_name(remote));
            let with_flag = |mut p: Peering| {
                flag.set(&mut p, true);
                p
            };
            match c
                .index
                .peer
                .get(&(local, remote))
                .map(|&i| (i, &c.peerings()[i]))
            {
                None => {
                    let other = created.as_ref().or_else(|| d.peering_between(rn, ln));
                    let mut link = match other {
                        Some(other) => other.reverse_for(d),
                        None => Peering::new(
                            unique_name(&Peering::default_name(ln, rn), |n| d.peering(n).is_some()),
                            ln,
                            rn,
                        ),
                    };
                    if let Some(first) = &created {
                        link.name =
                            unique_name(&link.name, |n| d.peering(n).is_some() || n == first.name);
                    }
                    let link = with_flag(link);
                    steps.push(format!(
                        "create peering `{}` ({ln} → {rn}) with {}",
                        link.name,
                        link.non_default_settings().join(", ")
                    ));
                    edits.push(Edit::Add {
                        object: Object::Peering(link.clone()),
                        at: None,
                    });
                    created = Some(link);
                }
                Some((i, existing)) if c.index.peerings[i].state == PeeringState::Disconnected => {
                    steps.push(format!(
                        "recreate the disconnected peering `{}` with {flag}",
                        existing.name
                    ));
                    edits.push(Edit::Replace(Object::Peering(with_flag(
                        existing.recreated(),
                    ))));
                }
                Some((_, existing)) => {
                    if !flag.get(existing) {
                        steps.push(format!("set {flag} on peering `{}`", existing.name));
                        edits.push(Edit::Replace(Object::Peering(with_flag(existing.clone()))));
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
            PeeringFlag::UseRemoteGateways.set(&mut fixed, false);
            steps.push(format!(
                "unset {} on peering `{}`",
                PeeringFlag::UseRemoteGateways,
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
