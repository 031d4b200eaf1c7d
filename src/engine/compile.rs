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
    Connection, Design, Gateway, Nsg, Peering, PeeringIndex, RouteTable, SharedVec, Site, Vm, Vnet,
};
use ipnet::Ipv4Net;
use std::sync::{Arc, OnceLock};
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
    /// ([`rebuilt_vnets`]): an NSG edit keeps every route context; a table's routes or a
    /// peering's access flag rebuild only the contexts of the VNets that read them.
    pub routing: Arc<Routing>,
    pub policies: Policies,
    /// The design's prefixes as the classes read them (`design_prefixes`), computed on first
    /// use, or taken from the previous revision when nothing they are read from changed
    /// (`design_prefixes::prefix_lists_same`: shared lists, or peerings differing only in their
    /// access and forwarded-traffic flags, NSGs only outside their rules' addresses). A class
    /// check after an edit compares both revisions' prefixes, so each revision computes its
    /// own once.
    prefixes: OnceLock<Arc<[Ipv4Net]>>,
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
        // The peerings whose access flag changed, when the peerings differ at most in flags
        // only the walk and the `VirtualNetwork` tag read: compared once, for the routing and
        // the prefixes.
        let flags = previous.map(|p| walk_flag_changes(&p.design.peerings, &design.peerings));
        let routing = match previous.zip(flags.as_ref()) {
            Some((p, flags)) => match rebuilt_vnets(p, &source, flags.as_deref(), &index) {
                Some(vnets) if !vnets.contains(&true) => Arc::clone(&p.routing),
                Some(vnets) => Arc::new(p.routing.with_vnets_rebuilt(&design, &index, &vnets)),
                None => Arc::new(Routing::new(&design, &index)),
            },
            None => Arc::new(Routing::new(&design, &index)),
        };
        let policies = Policies::after(
            &design,
            &index,
            &routing,
            previous.map(|p| (&*p.design, &p.index, &*p.routing, &p.policies)),
        );
        let prefixes = match previous.zip(flags) {
            Some((p, flags))
                if super::design_prefixes::prefix_lists_same(
                    &p.design,
                    &design,
                    flags.is_some(),
                ) =>
            {
                p.prefixes.clone()
            }
            _ => OnceLock::new(),
        };
        Compiled {
            design,
            source,
            source_peerings,
            index,
            routing,
            policies,
            prefixes,
        }
    }

    /// Every prefix the walk may test an address against (`design_prefixes`), sorted
    /// and distinct.
    pub fn design_prefixes(&self) -> &[Ipv4Net] {
        self.prefixes
            .get_or_init(|| super::design_prefixes::design_prefixes(&self.design).into())
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

/// What an edit changed that [`Routing::new`] reads, when it is at most the contents of some
/// route tables (routes, gateway route propagation) and peerings' access and forwarded-traffic
/// flags: a mark per VNet ([`VnetIx`] order) whose route contexts are to be built again (none
/// marked: the routing is kept whole). A table is read by the contexts of the subnets it is
/// associated with; an access flag by the contexts of the peering's local VNet (their
/// `VirtualNetwork` tag holds the space of a usable outgoing peering that allows access, §3.4);
/// forwarded traffic by no context.
///
/// `None` when anything else routing reads changed, directly or through the index and the
/// derived links: any list but the NSGs, ASGs and intents, a table's name or place in its list,
/// any other field of a peering, or the assumptions. `source` is the edited design as given,
/// `flags` the peerings (with the derived links) whose access flag changed
/// ([`walk_flag_changes`]), `index` built from the edited design.
fn rebuilt_vnets(
    previous: &Compiled,
    source: &Design,
    flags: Option<&[usize]>,
    index: &Index,
) -> Option<Vec<bool>> {
    if !routing_inputs_same_but_peerings_and_tables(&previous.source, source) {
        return None;
    }
    let access = flags?;
    let mut rebuilt = vec![false; index.vnet_peers.len()];
    // A list an edit did not touch is shared: one pointer comparison.
    if !SharedVec::same(&previous.source.route_tables, &source.route_tables) {
        // Names and order kept: the index numbers the tables and places them as before.
        let tables = changed_items(
            &previous.source.route_tables,
            &source.route_tables,
            |old, new| old.name == new.name,
            |old, new| old != new,
        )?;
        for info in index.subnets.iter() {
            if info.table.is_some_and(|t| tables.contains(&usize::from(t))) {
                rebuilt[usize::from(info.vnet)] = true;
            }
        }
    }
    for (v, peers) in index.vnet_peers.iter_enumerated() {
        if peers.iter().any(|&p| access.contains(&usize::from(p))) {
            rebuilt[usize::from(v)] = true;
        }
    }
    Some(rebuilt)
}

/// The peerings whose access flag differs between two revisions' lists (with their derived
/// links), when they differ at most in access and forwarded traffic
/// ([`same_but_walk_flags`]); `None` otherwise. A list an edit did not touch is shared: one
/// pointer comparison.
fn walk_flag_changes(was: &SharedVec<Peering>, is: &SharedVec<Peering>) -> Option<Vec<usize>> {
    if SharedVec::same(was, is) {
        return Some(Vec::new());
    }
    changed_items(was, is, same_but_walk_flags, |old, new| {
        old.allow_virtual_network_access != new.allow_virtual_network_access
    })
}

/// The positions where two lists of as many items differ in a way `changed` tells, or `None`
/// when their lengths differ or a pair of items is not `alike`.
fn changed_items<T>(
    was: &[T],
    is: &[T],
    alike: impl Fn(&T, &T) -> bool,
    changed: impl Fn(&T, &T) -> bool,
) -> Option<Vec<usize>> {
    if was.len() != is.len() {
        return None;
    }
    let mut positions = Vec::new();
    for (k, (old, new)) in was.iter().zip(is).enumerate() {
        if !alike(old, new) {
            return None;
        }
        if changed(old, new) {
            positions.push(k);
        }
    }
    Some(positions)
}

/// Whether two peerings differ at most in the two flags only the walk and the `VirtualNetwork`
/// tag read: access and forwarded traffic.
fn same_but_walk_flags(old: &Peering, new: &Peering) -> bool {
    // Destructured so that a field added to `Peering` must be compared here.
    let Peering {
        name,
        local,
        remote,
        allow_virtual_network_access: _,
        allow_forwarded_traffic: _,
        allow_gateway_transit,
        use_remote_gateways,
        remote_address_space,
        disconnected,
        local_subnets,
        remote_subnets,
        derived,
    } = old;
    *name == new.name
        && *local == new.local
        && *remote == new.remote
        && *allow_gateway_transit == new.allow_gateway_transit
        && *use_remote_gateways == new.use_remote_gateways
        && *remote_address_space == new.remote_address_space
        && *disconnected == new.disconnected
        && *local_subnets == new.local_subnets
        && *remote_subnets == new.remote_subnets
        && *derived == new.derived
}

/// Whether two given designs (before derived links) agree on every list [`Routing::new`] reads
/// besides the peerings and route tables, and on the assumptions.
fn routing_inputs_same_but_peerings_and_tables(old: &Design, new: &Design) -> bool {
    // Destructured so that a list added to `Design` must be placed on one side or the other.
    let Design {
        version: _,
        name: _,
        description: _,
        vnets,
        vms,
        peerings: _,
        nsgs: _,
        asgs: _,
        route_tables: _,
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

    /// How much of the previous routing an edit kept.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Kept {
        /// The routing whole.
        All,
        /// Some route contexts (those of VNets the edit cannot have changed).
        Some,
        /// No route context.
        None,
    }

    /// The routing kept by an edit, whole or in part, equals the routing built afresh: an edit
    /// of nothing routing reads keeps it whole, a table's routes or a peering's access flag
    /// rebuild only the contexts of the VNets that read them, and any other edit routing reads
    /// builds it again. Each case: what it edits, how much is kept.
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
        // Computed now, so that an edit that keeps them takes them from `before`.
        let prefixes = before.design_prefixes().to_vec();
        type Change = fn(&mut Design);
        /// The first peering from `local` to `remote`.
        fn link<'a>(d: &'a mut Design, local: &str, remote: &str) -> &'a mut Peering {
            d.peerings
                .iter_mut()
                .find(|p| p.local == local && p.remote == remote)
                .expect("generated")
        }
        let cases: [(&str, Change, Kept); 14] = [
            ("an NSG's rules", |d| d.nsgs[0].rules.clear(), Kept::All),
            (
                "an NSG rule's verdict",
                |d| d.nsgs[0].rules[0].access = d.nsgs[0].rules[0].access.flipped(),
                Kept::All,
            ),
            (
                "an NSG rule's source",
                |d| {
                    let net = "192.0.2.0/24".parse().expect("a CIDR");
                    d.nsgs[0].rules[0].source = vec![crate::model::AddressMatch::Cidr(net)];
                },
                Kept::All,
            ),
            ("the intents", |d| d.intents.clear(), Kept::All),
            (
                "an equal copy of the route tables",
                |d| d.route_tables = d.route_tables.to_vec().into(),
                Kept::All,
            ),
            (
                "a route table's routes",
                |d| d.route_tables[0].routes.clear(),
                Kept::Some,
            ),
            (
                "a route table's gateway route propagation",
                |d| d.route_tables[0].propagate_gateway_routes ^= true,
                Kept::Some,
            ),
            (
                "a route table renamed",
                |d| d.route_tables[0].name.push('x'),
                Kept::None,
            ),
            (
                "a peering's forwarded-traffic flag",
                |d| d.peerings[0].allow_forwarded_traffic ^= true,
                Kept::All,
            ),
            (
                "a spoke's access flag to its hub",
                |d| link(d, "spoke1", "hub1").allow_virtual_network_access ^= true,
                Kept::Some,
            ),
            (
                "a hub's access flag to the other hub",
                |d| link(d, "hub1", "hub2").allow_virtual_network_access ^= true,
                Kept::Some,
            ),
            (
                "a hub's access flag and its gateway transit",
                |d| {
                    let hub = link(d, "hub1", "spoke1");
                    hub.allow_virtual_network_access ^= true;
                    hub.allow_gateway_transit ^= true;
                },
                Kept::None,
            ),
            (
                "a peering disconnected",
                |d| link(d, "spoke1", "hub1").disconnected ^= true,
                Kept::None,
            ),
            (
                "a subnet's table",
                |d| d.vnets[2].subnets[0].route_table = None,
                Kept::None,
            ),
        ];
        for (what, change, kept) in cases {
            let mut edited = design.clone();
            change(&mut edited);
            let edited = Arc::new(edited);
            let peerings = Arc::new(PeeringIndex::new(&edited));
            let after = Compiled::after(Arc::clone(&edited), peerings, Some(&before));
            let fresh = Compiled::new(edited);
            let shared = (after.routing.contexts.iter())
                .zip(before.routing.contexts.iter())
                .filter(|(a, b)| Arc::ptr_eq(a, b))
                .count();
            let found = if after.same_routing(&before) {
                Kept::All
            } else if shared > 0 {
                Kept::Some
            } else {
                Kept::None
            };
            assert_eq!(found, kept, "{what}");
            assert_eq!(*after.routing, *fresh.routing, "{what}");
            // The design's prefixes, kept or computed, are the edited design's.
            assert_eq!(after.design_prefixes(), fresh.design_prefixes(), "{what}");
            if what.contains("source") {
                assert_ne!(after.design_prefixes(), prefixes, "{what}");
            }
            // The rebuilt contexts differ from the previous ones (they are not copies).
            if kept == Kept::Some {
                assert_ne!(*after.routing, *before.routing, "{what}");
            }
        }
    }
}
