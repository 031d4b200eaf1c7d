//! What decides a topology's structure, kept so that an edit which leaves it alone (a route, an
//! NSG rule, a peering flag or state, an assumption) costs only a recolour: no rebuild of the
//! graph, no layout check.
//!
//! [`Structure`] keeps the design facts [`Topology::build`] reads for nodes and edges: the VNets,
//! VMs, gateways, sites and connections whole (shared with the design, not copied:
//! [`SharedVec`]), each peering's name and two ends (not its flags
//! or its remote address space, which only colour the edge), the counts the grey box shows and
//! the title. Whatever a build reads must be in here; `restate_matches_a_fresh_build` holds the
//! two together. [`Structure::matches`] compares it with a design without allocating: a list
//! the edit left alone is still shared, one pointer comparison; a changed one is compared
//! element by element, stopping at the first difference. [`Topology::restate`] then
//! refreshes each peering side's state, sync level and flags in place, O(peerings).

use super::graph::{Link, Topology};
use crate::model::{Connection, Design, Gateway, SharedVec, Site, Vm, Vnet};
use crate::session::PeeringStatus;

/// The structure-deciding facts of a design; see the module docs.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    title: String,
    vnets: SharedVec<Vnet>,
    vms: SharedVec<Vm>,
    gateways: SharedVec<Gateway>,
    sites: SharedVec<Site>,
    connections: SharedVec<Connection>,
    /// Each peering's name, local and remote VNet, in design order.
    peerings: Vec<[String; 3]>,
    /// NSGs, route tables, intents, subscriptions: what the grey box counts.
    counts: [usize; 4],
}

fn counts(design: &Design) -> [usize; 4] {
    [
        design.nsgs.len(),
        design.route_tables.len(),
        design.intents.len(),
        design.subscriptions.len(),
    ]
}

impl Structure {
    /// The structure-deciding facts of `design`: the lists shared, the peerings' names copied
    /// (O(peerings)).
    pub fn of(design: &Design) -> Structure {
        Structure {
            title: design.name.clone(),
            vnets: design.vnets.clone(),
            vms: design.vms.clone(),
            gateways: design.gateways.clone(),
            sites: design.sites.clone(),
            connections: design.connections.clone(),
            peerings: design
                .peerings
                .iter()
                .map(|p| [p.name.clone(), p.local.clone(), p.remote.clone()])
                .collect(),
            counts: counts(design),
        }
    }

    /// Whether `design` would build a topology of this structure: the same nodes with the same
    /// text and the same edges, so a layout of it is still current.
    pub fn matches(&self, design: &Design) -> bool {
        self.counts == counts(design)
            && self.peerings.len() == design.peerings.len()
            && self.title == design.name
            && self
                .peerings
                .iter()
                .zip(&design.peerings)
                .all(|([name, local, remote], p)| {
                    *name == p.name && *local == p.local && *remote == p.remote
                })
            && self.gateways == design.gateways
            && self.sites == design.sites
            && self.connections == design.connections
            && self.vnets == design.vnets
            && self.vms == design.vms
    }
}

impl Topology {
    /// Refreshes every peering side's state, sync level and flags from `design`, whose
    /// [`Structure`] must match the one this topology was built from; `status` holds one entry
    /// per peering (the session's [`PeeringStatus`]es, or [`PeeringStatus::of_all`]). The result
    /// equals [`Topology::build_with_status`] of the same design, at O(peerings).
    pub fn restate(&mut self, design: &Design, status: &[PeeringStatus]) {
        for link in self.graph.edge_weights_mut() {
            let Link::Peering(peering) = link else {
                continue;
            };
            for side in [&mut peering.a_to_b, &mut peering.b_to_a]
                .into_iter()
                .flatten()
            {
                let (Some(p), Some(st)) = (design.peerings.get(side.index), status.get(side.index))
                else {
                    continue;
                };
                side.state = st.state;
                side.sync = st.sync;
                side.flags = super::build::flags_of(p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Structure;
    use crate::model::generate::{HubSpokeParams, hub_spoke};
    use crate::session::PeeringStatus;
    use crate::topology::Topology;

    fn same(a: &Topology, b: &Topology) -> bool {
        a.node_ids()
            .map(|id| a.node(id))
            .eq(b.node_ids().map(|id| b.node(id)))
            && a.links().eq(b.links())
            && a.not_drawn() == b.not_drawn()
            && a.title == b.title
    }

    #[test]
    fn restate_matches_a_fresh_build() {
        let mut design = crate::io::examples::default_design();
        let mut topo = Topology::build(&design);
        let structure = Structure::of(&design);
        // Flags, a peering's remote address space, a route and an NSG rule: not structural.
        for p in &mut design.peerings {
            p.allow_forwarded_traffic = !p.allow_forwarded_traffic;
            p.allow_gateway_transit = !p.allow_gateway_transit;
        }
        design.peerings[0].remote_address_space = Some(Vec::new());
        if let Some(table) = design.route_tables.first_mut() {
            table.routes.clear();
        }
        if let Some(nsg) = design.nsgs.first_mut() {
            nsg.rules.clear();
        }
        assert!(structure.matches(&design));
        topo.restate(&design, &PeeringStatus::of_all(&design));
        assert!(same(&topo, &Topology::build(&design)));
    }

    #[test]
    fn a_new_vnet_peering_or_vm_is_structural() {
        let design = hub_spoke(&HubSpokeParams {
            hubs: 1,
            spokes: 3,
            subnets_per_spoke: 1,
            vms_per_subnet: 1,
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let structure = Structure::of(&design);
        assert!(structure.matches(&design));
        let mut more = design.clone();
        let mut vnet = more.vnets[1].clone();
        vnet.name = "another".into();
        more.vnets.push(vnet);
        assert!(!structure.matches(&more));
        let mut more = design.clone();
        let mut peering = more.peerings[0].clone();
        peering.name = "another".into();
        more.peerings.push(peering);
        assert!(!structure.matches(&more));
        let mut more = design.clone();
        more.vms.pop();
        assert!(!structure.matches(&more));
        let mut more = design;
        more.peerings[0].remote = "elsewhere".into();
        assert!(!structure.matches(&more));
    }
}
