//! The compiled design: the three compile stages in order, each built from the design and the
//! stages before it, [`Index`] → [`Routing`] → [`Policies`], so using one before it exists is a
//! type error. The result owns everything it needs (the design is shared through an [`Arc`],
//! never borrowed), so a session can keep it for as long as the revision lasts and another
//! thread can build it.
//!
//! The engine answers for any design, even one that would not validate: every name is looked
//! up in a map and a dangling one resolves to `None` and is skipped; typed indexes are only
//! ever made from the design they index, and a NIC that may not exist (a VM's primary NIC) is
//! read with `get`.

use super::index::Index;
use super::ix::{ConnectionIx, CtxIx, GatewayIx, NsgIx, PeeringIx, SiteIx, TableIx, VmIx, VnetIx};
use super::policies::Policies;
use super::routes::{RouteContext, Routing};
use crate::model::{
    Connection, Design, Gateway, Nsg, Peering, PeeringIndex, RouteTable, Site, Vm, Vnet,
};
use std::sync::Arc;
use typed_index_collections::TiSlice;

/// A design compiled for walking.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    /// The design as evaluated: the caller's, plus the links Azure has without a peering object
    /// (`Design::with_derived_links`), which the walk and the explanations see like any other.
    pub design: Arc<Design>,
    /// The design as given (the same `Arc` when nothing is derived).
    pub source: Arc<Design>,
    /// The facts of the given design's peerings (state, sync, violations), built once and
    /// shared with the session and lint.
    pub source_peerings: Arc<PeeringIndex>,
    pub index: Index,
    /// Shared with the previous revision when the edit changed nothing routing reads
    /// ([`routing_inputs_same`]): an NSG edit keeps every route context.
    pub routing: Arc<Routing>,
    pub policies: Policies,
}

impl Compiled {
    /// Compiles `design` with its derived links: index, then routing, then policies.
    #[cfg(test)]
    pub fn new(source: Arc<Design>) -> Self {
        let source_peerings = Arc::new(PeeringIndex::new(&source));
        Self::with_peerings(source, source_peerings)
    }

    /// [`Compiled::new`] with the given design's peering facts built already (by
    /// `PeeringIndex::new` of `source`).
    #[cfg(test)]
    pub fn with_peerings(source: Arc<Design>, source_peerings: Arc<PeeringIndex>) -> Self {
        Self::after(source, source_peerings, None)
    }

    /// [`Compiled::with_peerings`] for the revision after `previous`, whose compile keeps what
    /// the edit cannot have changed ([`Index::after`], [`Policies::after`]).
    pub fn after(
        source: Arc<Design>,
        source_peerings: Arc<PeeringIndex>,
        previous: Option<&Compiled>,
    ) -> Self {
        let (design, effective_peerings) = match source.with_derived_links() {
            Some(effective) => {
                let facts = Arc::new(PeeringIndex::new(&effective));
                (Arc::new(effective), facts)
            }
            None => (Arc::clone(&source), Arc::clone(&source_peerings)),
        };
        let index = Index::after(
            &design,
            &effective_peerings,
            previous.map(|p| (&*p.design, &p.index)),
        );
        let routing = match previous {
            Some(p) if routing_inputs_same(&p.source, &source) => Arc::clone(&p.routing),
            _ => Arc::new(Routing::new(&design, &index)),
        };
        let policies = Policies::after(
            &design,
            &index,
            &routing,
            previous.map(|p| (&*p.design, &p.index, &p.policies)),
        );
        Compiled {
            design,
            source,
            source_peerings,
            index,
            routing,
            policies,
        }
    }

    /// Whether this revision shares its routing with `other` (kept whole by
    /// [`Compiled::after`]), so no route context can differ between them.
    pub fn same_routing(&self, other: &Compiled) -> bool {
        Arc::ptr_eq(&self.routing, &other.routing)
    }

    /// The design's VNets, by [`VnetIx`].
    pub fn vnets(&self) -> &TiSlice<VnetIx, Vnet> {
        TiSlice::from_ref(&self.design.vnets)
    }

    /// The design's peerings, by [`PeeringIx`].
    pub fn peerings(&self) -> &TiSlice<PeeringIx, Peering> {
        TiSlice::from_ref(&self.design.peerings)
    }

    /// The design's gateways, by [`GatewayIx`].
    pub fn gateways(&self) -> &TiSlice<GatewayIx, Gateway> {
        TiSlice::from_ref(&self.design.gateways)
    }

    /// The design's gateway connections, by [`ConnectionIx`].
    pub fn connections(&self) -> &TiSlice<ConnectionIx, Connection> {
        TiSlice::from_ref(&self.design.connections)
    }

    /// The design's sites, by [`SiteIx`].
    pub fn sites(&self) -> &TiSlice<SiteIx, Site> {
        TiSlice::from_ref(&self.design.sites)
    }

    /// The design's VMs, by [`VmIx`].
    pub fn vms(&self) -> &TiSlice<VmIx, Vm> {
        TiSlice::from_ref(&self.design.vms)
    }

    /// The design's NSGs, by [`NsgIx`].
    pub fn nsgs(&self) -> &TiSlice<NsgIx, Nsg> {
        TiSlice::from_ref(&self.design.nsgs)
    }

    /// The design's route tables, by [`TableIx`].
    pub fn tables(&self) -> &TiSlice<TableIx, RouteTable> {
        TiSlice::from_ref(&self.design.route_tables)
    }

    /// A route context.
    pub fn ctx(&self, ctx: CtxIx) -> &RouteContext {
        &self.routing.contexts[ctx]
    }

    /// The name of a VNet.
    pub fn vnet_name(&self, v: VnetIx) -> &str {
        &self.vnets()[v].name
    }

    /// The VPN gateway a `VirtualNetworkGateway` UDR in VNet `v` resolves to, if any.
    pub fn udr_gateway(&self, v: VnetIx) -> Option<GatewayIx> {
        super::routes::udr_gateway(&self.design, &self.index, v)
    }
}

/// Whether two given designs (before derived links) agree on everything [`Routing::new`] reads,
/// directly or through the index and the derived links: every list but the NSGs, ASGs and
/// intents, and the assumptions. Lists an edit did not touch are shared, so this costs a
/// pointer comparison each; a touched list is compared by value, so an edit and its undo, or
/// a rule edit that wrote an equal list, still keep the routing.
fn routing_inputs_same(old: &Design, new: &Design) -> bool {
    use crate::model::SharedVec;
    // Destructured so that a list added to `Design` must be placed on one side or the other.
    let Design {
        version: _,
        name: _,
        description: _,
        vnets,
        vms,
        peerings,
        nsgs: _,
        asgs: _,
        route_tables,
        gateways,
        sites,
        connections,
        route_servers,
        network_groups,
        connectivity,
        subscriptions,
        intents: _,
        assumptions,
    } = old;
    SharedVec::equal(vnets, &new.vnets)
        && SharedVec::equal(vms, &new.vms)
        && SharedVec::equal(peerings, &new.peerings)
        && SharedVec::equal(route_tables, &new.route_tables)
        && SharedVec::equal(gateways, &new.gateways)
        && SharedVec::equal(sites, &new.sites)
        && SharedVec::equal(connections, &new.connections)
        && SharedVec::equal(route_servers, &new.route_servers)
        && SharedVec::equal(network_groups, &new.network_groups)
        && SharedVec::equal(connectivity, &new.connectivity)
        && SharedVec::equal(subscriptions, &new.subscriptions)
        && *assumptions == new.assumptions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::{HubSpokeParams, hub_spoke_tiered};

    /// The routing kept by an edit that reads nothing routing reads equals the routing built
    /// afresh; an edit routing reads builds it again. Each case: what it edits, whether the
    /// routing is kept.
    #[test]
    fn kept_routing_equals_a_fresh_one() {
        let params = HubSpokeParams {
            hubs: 2,
            spokes: 4,
            subnets_per_spoke: 2,
            vms_per_subnet: 1,
        };
        let design = hub_spoke_tiered(&params).expect("valid counts");
        let before = Compiled::new(Arc::new(design.clone()));
        type Change = fn(&mut Design);
        let cases: [(&str, Change, bool); 6] = [
            ("an NSG's rules", |d| d.nsgs[0].rules.clear(), true),
            ("the intents", |d| d.intents.clear(), true),
            (
                "an equal copy of the route tables",
                |d| d.route_tables = d.route_tables.to_vec().into(),
                true,
            ),
            (
                "a route table's routes",
                |d| d.route_tables[0].routes.clear(),
                false,
            ),
            (
                "a peering flag",
                |d| d.peerings[0].allow_forwarded_traffic ^= true,
                false,
            ),
            (
                "a subnet's table",
                |d| d.vnets[2].subnets[0].route_table = None,
                false,
            ),
        ];
        for (what, change, kept) in cases {
            let mut edited = design.clone();
            change(&mut edited);
            let edited = Arc::new(edited);
            let peerings = Arc::new(PeeringIndex::new(&edited));
            let after = Compiled::after(Arc::clone(&edited), peerings, Some(&before));
            let fresh = Compiled::new(edited);
            assert_eq!(after.same_routing(&before), kept, "{what}");
            assert_eq!(*after.routing, *fresh.routing, "{what}");
        }
    }
}
