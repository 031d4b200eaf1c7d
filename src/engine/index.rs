//! Compile stage 1, the index: names resolved to typed indexes, and the facts every later stage
//! and every walk needs (peering facts, gateway transit, gateway-learned prefixes, NIC
//! placement). It reads only the design. Dangling references resolve to `None` and are
//! skipped, never unwrapped; names used twice resolve to their last holder, as one map insert
//! after another leaves them. Cost: linear in the design's objects, plus one scan of the
//! peerings per subnet-level peering.

use super::groups::Groups;
use super::ix::{
    GatewayIx, NicIx, NsgIx, PeeringIx, ServerIx, SiteIx, SubnetIx, TableIx, VmIx, VnetIx,
};
use super::learned::{GatewayRoutes, LearnInput};
pub(crate) use super::learned::{Learned, LearnedRoute};
use super::per_nic::PerNic;
use super::prefixes::mask;
use super::servers::Servers;
use crate::model::{
    ConnectionRemote, Design, PeeringIndex, PeeringState, PeeringViolation, SharedVec, SubnetRef,
};
use ipnet::Ipv4Net;
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::net::Ipv4Addr;
use std::sync::Arc;
use typed_index_collections::{TiSlice, TiVec};

/// Derived facts about one peering resource.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PeeringFacts {
    /// The local VNet, when its name resolves.
    pub local: Option<VnetIx>,
    /// The remote VNet, when its name resolves.
    pub remote: Option<VnetIx>,
    pub state: PeeringState,
    /// Azure accepts the resource: both VNets exist and no V1–V3/Government violation.
    pub valid: bool,
    pub violations: Vec<PeeringViolation>,
    /// `useRemoteGateways` takes effect (set, valid, no V4–V9 violation, connected).
    pub transit: bool,
    /// The VNets are in different regions.
    pub global: bool,
    /// Carries traffic: valid and connected.
    pub usable: bool,
    /// The peering going the other way, if it exists.
    pub reverse: Option<PeeringIx>,
}

impl PeeringFacts {
    /// Both VNets, when both resolve (always so for a valid, usable or transit peering).
    pub fn ends(&self) -> Option<(VnetIx, VnetIx)> {
        self.local.zip(self.remote)
    }
}

/// One compiled subnet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SubnetInfo {
    pub vnet: VnetIx,
    /// Its position in the VNet's `subnets`.
    pub index_in_vnet: usize,
    /// `vnet/subnet`.
    pub name: String,
    pub nsg: Option<NsgIx>,
    pub table: Option<TableIx>,
    pub gateway_subnet: bool,
    /// Subnet-level peerings of this subnet's VNet that do not list it: packets it sends
    /// through them are dropped before delivery (§1.9).
    pub outside_peerings: Vec<PeeringIx>,
}

/// Compile stage 1: names → indexes and the derived facts that need no routing.
#[derive(Debug, Clone)]
pub(crate) struct Index {
    pub vnet_ix: Arc<FxHashMap<String, VnetIx>>,
    pub subnets: Arc<TiVec<SubnetIx, SubnetInfo>>,
    /// VNet name → subnet name → subnet.
    subnet_ix: Arc<SubnetNames>,
    pub nsg_ix: Arc<FxHashMap<String, NsgIx>>,
    pub gateway_ix: Arc<FxHashMap<String, GatewayIx>>,
    pub site_ix: Arc<FxHashMap<String, SiteIx>>,
    /// (local VNet, remote VNet) → the first peering between them.
    pub peer: FxHashMap<(VnetIx, VnetIx), PeeringIx>,
    pub peerings: TiVec<PeeringIx, PeeringFacts>,
    /// Per VNet: the peering through which it uses a remote gateway effectively.
    pub transit_via: TiVec<VnetIx, Option<PeeringIx>>,
    /// Per VNet: its gateways.
    pub vnet_gateways: TiVec<VnetIx, Vec<GatewayIx>>,
    /// Per gateway: the VNet it lives in (`None` when the VNet is unknown).
    pub gateway_vnet: TiVec<GatewayIx, Option<VnetIx>>,
    /// What each gateway owns, learns and is linked to (`learned`).
    pub gateways: GatewayRoutes,
    /// Route Servers and the routes they program (`servers`).
    pub servers: Servers,
    /// AVNM connected groups (`groups`).
    pub groups: Groups,
    /// Per ASG name: the addresses of its member NICs.
    pub asg_members: Arc<FxHashMap<String, Arc<FxHashSet<Ipv4Addr>>>>,
    /// NIC owner by (VNet, IP): the first NIC with that address.
    pub nic_at: Arc<NicsByAddress>,
    /// Per VM: the subnet of each NIC (`None` when dangling).
    nic_subnet: Arc<PerNic<Option<SubnetIx>>>,
    /// Per VNet: its usable (valid, connected) outgoing peerings.
    pub vnet_peers: TiVec<VnetIx, Vec<PeeringIx>>,
    /// Per VNet: every peering with the VNet at either end, in design order (what a scan of
    /// every peering for those of one VNet finds, without visiting the others).
    pub peerings_of: TiVec<VnetIx, Vec<PeeringIx>>,
    /// Per peering: the remote prefixes it carries (the synced snapshot, or else the remote
    /// space, or the listed remote subnets' prefixes for a subnet-level peering).
    pub peered_space: TiVec<PeeringIx, Vec<Ipv4Net>>,
    /// Per VNet: its address ranges as (network, mask) bits.
    vnet_ranges: Arc<TiVec<VnetIx, Vec<(u32, u32)>>>,
}

/// Name → index of every object of a list (a later duplicate replaces an earlier one).
fn names<'a, K: From<usize>, S: BuildHasher + Default>(
    list: impl ExactSizeIterator<Item = &'a str>,
) -> HashMap<String, K, S> {
    let mut map = HashMap::with_capacity_and_hasher(list.len(), S::default());
    map.extend(
        list.enumerate()
            .map(|(i, name)| (name.to_string(), K::from(i))),
    );
    map
}

impl Index {
    /// Stage 1 of compiling `design`, whose peerings' facts (state, violations) are `facts`
    /// (a [`PeeringIndex`] of this same design).
    #[cfg(test)]
    pub fn new(design: &Design, facts: &PeeringIndex) -> Self {
        Self::after(design, facts, None)
    }

    /// [`Index::new`] for the revision after `previous` (its design and index): the parts built
    /// from lists of objects the edit left shared with it ([`SharedVec::same`]) are the
    /// previous index's, shared, not built again. At 2 hubs × 1,000 spokes a peering or route
    /// edit so skips the name tables and the placement of 10,000 NICs; the comparison of the
    /// two indexes (`same_outside_peerings`) is then one pointer comparison per kept part.
    pub fn after(
        design: &Design,
        facts: &PeeringIndex,
        previous: Option<(&Design, &Index)>,
    ) -> Self {
        let kept = |same: fn(&Design, &Design) -> bool| {
            previous.and_then(|(before, index)| same(design, before).then_some(index))
        };
        let same_vnets = |a: &Design, b: &Design| SharedVec::same(&a.vnets, &b.vnets);
        let vnet_ix: Arc<FxHashMap<String, VnetIx>> = match kept(same_vnets) {
            Some(before) => Arc::clone(&before.vnet_ix),
            None => Arc::new(names(design.vnets.iter().map(|v| v.name.as_str()))),
        };
        let nsg_ix: Arc<FxHashMap<String, NsgIx>> =
            match kept(|a, b| same_names(&a.nsgs, &b.nsgs, |n| &n.name)) {
                Some(before) => Arc::clone(&before.nsg_ix),
                None => Arc::new(names(design.nsgs.iter().map(|n| n.name.as_str()))),
            };
        let gateway_ix: Arc<FxHashMap<String, GatewayIx>> =
            match kept(|a, b| SharedVec::same(&a.gateways, &b.gateways)) {
                Some(before) => Arc::clone(&before.gateway_ix),
                None => Arc::new(names(design.gateways.iter().map(|g| g.name.as_str()))),
            };
        let site_ix: Arc<FxHashMap<String, SiteIx>> =
            match kept(|a, b| SharedVec::same(&a.sites, &b.sites)) {
                Some(before) => Arc::clone(&before.site_ix),
                None => Arc::new(names(design.sites.iter().map(|s| s.name.as_str()))),
            };
        // A subnet's facts read its VNet, the NSG and route table names (not their rules or
        // routes, so an NSG or route edit keeps them), and the subnet-level peerings (usually
        // none).
        let subnets_kept = kept(|a, b| {
            SharedVec::same(&a.vnets, &b.vnets)
                && same_names(&a.nsgs, &b.nsgs, |n| &n.name)
                && same_names(&a.route_tables, &b.route_tables, |t| &t.name)
                && (SharedVec::same(&a.peerings, &b.peerings)
                    || !a
                        .peerings
                        .iter()
                        .chain(&*b.peerings)
                        .any(|p| p.is_subnet_peering()))
        });
        let (subnets, subnet_ix) = match subnets_kept {
            Some(before) => (Arc::clone(&before.subnets), Arc::clone(&before.subnet_ix)),
            None => {
                let table_ix: FxHashMap<String, TableIx> =
                    names(design.route_tables.iter().map(|t| t.name.as_str()));
                let (subnets, subnet_ix) = subnets(design, &nsg_ix, &table_ix);
                (Arc::new(subnets), Arc::new(subnet_ix))
            }
        };
        let vnets = design.vnets.len();

        let peerings_list: &TiSlice<PeeringIx, _> = TiSlice::from_ref(&design.peerings);
        let mut peer = FxHashMap::with_capacity_and_hasher(design.peerings.len(), FxBuildHasher);
        for (i, p) in peerings_list.iter_enumerated() {
            if let (Some(&l), Some(&r)) = (
                vnet_ix.get(p.local.as_str()),
                vnet_ix.get(p.remote.as_str()),
            ) {
                peer.entry((l, r)).or_insert(i);
            }
        }
        debug_assert_eq!(
            facts.all().len(),
            design.peerings.len(),
            "facts of this design"
        );
        let peerings: TiVec<PeeringIx, PeeringFacts> = design
            .peerings
            .iter()
            .zip(facts.all())
            .map(|(p, shared)| {
                let local = vnet_ix.get(p.local.as_str()).copied();
                let remote = vnet_ix.get(p.remote.as_str()).copied();
                let violations = shared.violations.clone();
                let region = |v: VnetIx| &design.vnets[usize::from(v)].region;
                let valid = local.is_some()
                    && remote.is_some()
                    && !violations.iter().any(PeeringViolation::invalidates_peering);
                let state = shared.state;
                let usable = valid && state == PeeringState::Connected;
                PeeringFacts {
                    local,
                    remote,
                    state,
                    valid,
                    transit: usable && p.use_remote_gateways && violations.is_empty(),
                    global: valid
                        && local
                            .zip(remote)
                            .is_some_and(|(l, r)| region(l) != region(r)),
                    usable,
                    reverse: local
                        .zip(remote)
                        .and_then(|(l, r)| peer.get(&(r, l)).copied()),
                    violations,
                }
            })
            .collect();
        let mut vnet_peers: TiVec<VnetIx, Vec<PeeringIx>> = vec![Vec::new(); vnets].into();
        let mut peerings_of: TiVec<VnetIx, Vec<PeeringIx>> = vec![Vec::new(); vnets].into();
        let mut transit_via: TiVec<VnetIx, Option<PeeringIx>> = vec![None; vnets].into();
        for (i, f) in peerings.iter_enumerated() {
            for end in [f.local, f.remote.filter(|&r| Some(r) != f.local)]
                .into_iter()
                .flatten()
            {
                if let Some(list) = peerings_of.get_mut(end) {
                    list.push(i);
                }
            }
            let Some((local, _)) = f.ends() else { continue };
            if f.usable {
                vnet_peers[local].push(i);
            }
            if f.transit && transit_via[local].is_none() {
                transit_via[local] = Some(i);
            }
        }

        let gateway_vnet: TiVec<GatewayIx, Option<VnetIx>> = design
            .gateways
            .iter()
            .map(|g| vnet_ix.get(g.vnet.as_str()).copied())
            .collect();
        let mut vnet_gateways: TiVec<VnetIx, Vec<GatewayIx>> = vec![Vec::new(); vnets].into();
        for (g, v) in gateway_vnet.iter_enumerated() {
            if let Some(v) = v {
                vnet_gateways[*v].push(g);
            }
        }

        // NICs are placed by their subnet: kept with the subnets and the VMs.
        let (nic_at, nic_subnet) = match subnets_kept
            .filter(|before| Arc::ptr_eq(&before.subnets, &subnets))
            .zip(kept(|a, b| SharedVec::same(&a.vms, &b.vms)))
        {
            Some((before, _)) => (Arc::clone(&before.nic_at), Arc::clone(&before.nic_subnet)),
            None => {
                let (nic_at, nic_subnet) = place_nics(design, &subnets, &subnet_ix);
                (Arc::new(nic_at), Arc::new(nic_subnet))
            }
        };

        let peered_space: TiVec<PeeringIx, Vec<Ipv4Net>> = design
            .peerings
            .iter()
            .zip(peerings.iter())
            .map(|(p, facts)| match (&p.remote_address_space, facts.remote) {
                (Some(snapshot), _) => snapshot.clone(),
                (None, _) if p.is_subnet_peering() => design.current_remote_space(p).into_owned(),
                (None, Some(r)) => design.vnets[usize::from(r)].address_space.clone(),
                (None, None) => Vec::new(),
            })
            .collect();
        let gateways = GatewayRoutes::new(&LearnInput {
            design,
            gateway_ix: &gateway_ix,
            site_ix: &site_ix,
            gateway_vnet: &gateway_vnet,
            transit_via: &transit_via,
            peerings: &peerings,
            peered_space: &peered_space,
        });
        let servers = Servers::new(design, &vnet_ix);
        let groups = Groups::new(design, &vnet_ix);
        let asg_members = match kept(|a, b| SharedVec::same(&a.vms, &b.vms)) {
            Some(before) => Arc::clone(&before.asg_members),
            None => Arc::new(asg_members(design)),
        };
        let vnet_ranges = match kept(same_vnets) {
            Some(before) => Arc::clone(&before.vnet_ranges),
            None => Arc::new(vnet_ranges(design)),
        };
        Index {
            vnet_ix,
            subnets,
            subnet_ix,
            nsg_ix,
            gateway_ix,
            site_ix,
            peer,
            peerings,
            transit_via,
            vnet_gateways,
            gateway_vnet,
            gateways,
            servers,
            groups,
            asg_members,
            nic_at,
            nic_subnet,
            vnet_peers,
            peerings_of,
            peered_space,
            vnet_ranges,
        }
    }

    /// Whether two indexes agree on everything but the per-peering facts the walk reads
    /// through its recorded accessors (`peerings` beyond their ends, `peered_space`): the
    /// "rest" of an incremental re-analysis (`footprint`). The destructuring names every field,
    /// so a new field must be sorted into one side or the other before this compiles.
    pub fn same_outside_peerings(&self, other: &Index) -> bool {
        let Index {
            vnet_ix,
            subnets,
            subnet_ix,
            nsg_ix,
            gateway_ix,
            site_ix,
            peer,
            peerings,
            transit_via,
            vnet_gateways,
            gateway_vnet,
            gateways,
            servers,
            groups,
            asg_members,
            nic_at,
            nic_subnet,
            vnet_peers,
            // Built from the peerings' ends, compared below.
            peerings_of: _,
            peered_space,
            vnet_ranges,
        } = self;
        // Helpers outside the recorded accessors read a peering's ends (`serving_gateways`,
        // `site_gateways`): those stay in the rest.
        let ends = |f: &PeeringFacts| (f.local, f.remote, f.reverse, f.global);
        // A part kept from the previous revision (`Index::after`) is the same without reading.
        fn same<T: PartialEq>(a: &Arc<T>, b: &Arc<T>) -> bool {
            Arc::ptr_eq(a, b) || **a == **b
        }
        peerings.len() == other.peerings.len()
            && peered_space.len() == other.peered_space.len()
            && peerings
                .iter()
                .zip(other.peerings.iter())
                .all(|(a, b)| ends(a) == ends(b))
            && same(vnet_ix, &other.vnet_ix)
            && same(subnets, &other.subnets)
            && same(subnet_ix, &other.subnet_ix)
            && same(nsg_ix, &other.nsg_ix)
            && same(gateway_ix, &other.gateway_ix)
            && same(site_ix, &other.site_ix)
            && *peer == other.peer
            && *transit_via == other.transit_via
            && *vnet_gateways == other.vnet_gateways
            && *gateway_vnet == other.gateway_vnet
            && *gateways == other.gateways
            && *servers == other.servers
            && *groups == other.groups
            && same(asg_members, &other.asg_members)
            && same(nic_at, &other.nic_at)
            && same(nic_subnet, &other.nic_subnet)
            && *vnet_peers == other.vnet_peers
            && same(vnet_ranges, &other.vnet_ranges)
    }

    /// Whether both indexes place every NIC alike: the very same placement, kept by
    /// [`Index::after`] (a pointer comparison, not a comparison of every NIC).
    pub fn same_nic_placement(&self, other: &Index) -> bool {
        Arc::ptr_eq(&self.nic_at, &other.nic_at) && Arc::ptr_eq(&self.nic_subnet, &other.nic_subnet)
    }

    /// The subnet of a `vnet/subnet` reference.
    pub fn subnet_of(&self, r: &SubnetRef) -> Option<SubnetIx> {
        lookup_subnet(&self.subnet_ix, r)
    }

    /// The subnet a NIC is attached to (`None` for a dangling reference or a NIC that does not
    /// exist, such as the primary NIC of a VM without NICs).
    pub fn nic_subnet(&self, nic: NicIx) -> Option<SubnetIx> {
        self.nic_subnet.get(nic).flatten()
    }

    /// The VNet a NIC is attached to.
    pub fn nic_vnet(&self, nic: NicIx) -> Option<VnetIx> {
        self.nic_subnet(nic).map(|s| self.subnets[s].vnet)
    }

    /// Whether `ip` is inside VNet `v`'s address space.
    pub fn vnet_contains(&self, v: VnetIx, ip: Ipv4Addr) -> bool {
        let bits = u32::from(ip);
        self.vnet_ranges[v]
            .iter()
            .any(|&(net, mask)| bits & mask == net)
    }

    /// The gateways whose routes reach VNet `v`'s subnets: its own, or its hub's through
    /// effective gateway transit.
    pub fn serving_gateways(&self, v: VnetIx) -> &[GatewayIx] {
        if !self.vnet_gateways[v].is_empty() {
            return &self.vnet_gateways[v];
        }
        match self.transit_via[v].and_then(|p| self.peerings[p].remote) {
            Some(hub) => &self.vnet_gateways[hub],
            None => &[],
        }
    }

    /// The Route Server whose routes reach VNet `v`'s subnets: its own, or its hub's through
    /// effective gateway transit ("Use the remote virtual network's gateway or Route Server").
    pub fn serving_server(&self, v: VnetIx) -> Option<ServerIx> {
        self.servers.of_vnet[v].or_else(|| {
            let hub = self.transit_via[v].and_then(|p| self.peerings[p].remote)?;
            self.servers.of_vnet[hub]
        })
    }

    /// What gateway `g` learned.
    pub fn learned(&self, g: GatewayIx) -> &[LearnedRoute] {
        &self.gateways.learned[g]
    }

    /// Whether VNet `v` has a gateway of its own.
    pub fn has_gateway(&self, v: VnetIx) -> bool {
        self.vnet_gateways.get(v).is_some_and(|g| !g.is_empty())
    }

    /// The gateways connected to site `site` (site-to-site connections whose gateway resolves).
    pub fn site_gateways(&self, design: &Design, site: SiteIx) -> Vec<GatewayIx> {
        let name = &design.sites[usize::from(site)].name;
        design
            .connections
            .iter()
            .filter(|conn| matches!(&conn.remote, ConnectionRemote::Site(s) if s == name))
            .filter_map(|conn| self.gateway_ix.get(conn.gateway.as_str()).copied())
            .collect()
    }
}

/// Whether two revisions' lists name the same objects in the same order: shared, or equal
/// name by name (an edit of an NSG's rules or a table's routes keeps every name).
fn same_names<T>(a: &SharedVec<T>, b: &SharedVec<T>, name: fn(&T) -> &String) -> bool {
    SharedVec::same(a, b) || a.iter().map(name).eq(b.iter().map(name))
}

/// The first NIC at each (VNet, address).
type NicsByAddress = FxHashMap<(VnetIx, Ipv4Addr), NicIx>;

/// Per VM, the subnet of each NIC, and the first NIC at each (VNet, address).
fn place_nics(
    design: &Design,
    subnets: &TiSlice<SubnetIx, SubnetInfo>,
    subnet_ix: &SubnetNames,
) -> (NicsByAddress, PerNic<Option<SubnetIx>>) {
    let mut nic_at = FxHashMap::with_capacity_and_hasher(design.vms.len(), FxBuildHasher);
    let mut nic_subnet = PerNic::with_capacity(design.vms.len(), design.vms.len());
    for (m, vm) in design.vms.iter().enumerate() {
        let vm_ix = VmIx::from(m);
        nic_subnet.push_vm(vm.nics.iter().enumerate().map(|(slot, nic)| {
            let s = lookup_subnet(subnet_ix, &nic.subnet);
            if let Some(s) = s {
                nic_at
                    .entry((subnets[s].vnet, nic.ip))
                    .or_insert(NicIx { vm: vm_ix, slot });
            }
            s
        }));
    }
    (nic_at, nic_subnet)
}

/// Per ASG name, the addresses of its member NICs.
fn asg_members(design: &Design) -> FxHashMap<String, Arc<FxHashSet<Ipv4Addr>>> {
    let mut members: FxHashMap<String, FxHashSet<Ipv4Addr>> = FxHashMap::default();
    for nic in design.vms.iter().flat_map(|vm| vm.nics.iter()) {
        for asg in &nic.asgs {
            members.entry(asg.clone()).or_default().insert(nic.ip);
        }
    }
    members
        .into_iter()
        .map(|(name, set)| (name, Arc::new(set)))
        .collect()
}

/// Per VNet, its address ranges as (network, mask) bits.
fn vnet_ranges(design: &Design) -> TiVec<VnetIx, Vec<(u32, u32)>> {
    design
        .vnets
        .iter()
        .map(|v| {
            v.address_space
                .iter()
                .map(|n| (u32::from(n.network()), mask(n.prefix_len())))
                .collect()
        })
        .collect()
}

/// VNet name → subnet name → subnet.
type SubnetNames = FxHashMap<String, FxHashMap<String, SubnetIx>>;

fn lookup_subnet(subnet_ix: &SubnetNames, r: &SubnetRef) -> Option<SubnetIx> {
    subnet_ix
        .get(r.vnet.as_str())?
        .get(r.subnet.as_str())
        .copied()
}

type SubnetTables = (TiVec<SubnetIx, SubnetInfo>, SubnetNames);

/// Every subnet of every VNet, with its NSG, route table and the subnet peerings it is not in.
fn subnets(
    design: &Design,
    nsg_ix: &FxHashMap<String, NsgIx>,
    table_ix: &FxHashMap<String, TableIx>,
) -> SubnetTables {
    // Usually none: whole-VNet links need no per-subnet bookkeeping.
    let subnet_peerings: Vec<PeeringIx> = TiSlice::<PeeringIx, _>::from_ref(&design.peerings)
        .iter_enumerated()
        .filter(|(_, p)| p.is_subnet_peering())
        .map(|(i, _)| i)
        .collect();
    let mut subnets: TiVec<SubnetIx, SubnetInfo> = TiVec::new();
    let mut subnet_ix: SubnetNames =
        FxHashMap::with_capacity_and_hasher(design.vnets.len(), FxBuildHasher);
    for (v, vnet) in design.vnets.iter().enumerate() {
        // One entry per VNet name (VNets of one name share it, as before).
        let by_name = subnet_ix.entry(vnet.name.clone()).or_default();
        by_name.reserve(vnet.subnets.len());
        for (k, subnet) in vnet.subnets.iter().enumerate() {
            let ix = subnets.push_and_get_key(SubnetInfo {
                vnet: VnetIx::from(v),
                index_in_vnet: k,
                name: format!("{}/{}", vnet.name, subnet.name),
                nsg: subnet.nsg.as_deref().and_then(|n| nsg_ix.get(n).copied()),
                table: subnet
                    .route_table
                    .as_deref()
                    .and_then(|t| table_ix.get(t).copied()),
                gateway_subnet: subnet.is_gateway_subnet(),
                outside_peerings: subnet_peerings
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let p = &design.peerings[usize::from(i)];
                        p.local == vnet.name && !p.includes_local_subnet(&subnet.name)
                    })
                    .collect(),
            });
            by_name.insert(subnet.name.clone(), ix);
        }
    }
    (subnets, subnet_ix)
}

#[cfg(test)]
#[path = "index_tests.rs"]
mod tests;
