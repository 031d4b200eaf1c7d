//! What several rules need to look up, indexed at most once per check so that no rule is
//! quadratic in the size of the design: subnets by route table and NSG, NICs by address,
//! peerings by VNet. Each table is built when a rule first asks for it.

use crate::model::{
    Design, Nic, PeeringFacts, PeeringIndex, PeeringState, PeeringViolation, Subnet, SubnetRef, Vm,
    Vnet,
};
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::cell::OnceCell;
use std::net::Ipv4Addr;
use std::sync::Arc;

/// A design with lookup tables, each built on its first use and kept for the rest of the
/// check: an edit that re-checks only the NSG rules (`super::parts`) builds only the NSG use
/// counts, not the NIC sort.
pub(super) struct Context<'a> {
    /// The design being checked.
    pub design: &'a Design,
    vnets: OnceCell<FxHashMap<&'a str, &'a Vnet>>,
    subnets_by_table: OnceCell<FxHashMap<&'a str, Vec<(&'a Vnet, &'a Subnet)>>>,
    nsg_users: OnceCell<FxHashMap<&'a str, usize>>,
    /// Every NIC, sorted by address (in design order for one address): one sort instead of a
    /// `Vec` per address (10,010 allocations per check at 2 hubs × 1,000 spokes).
    nics_by_ip: OnceCell<Vec<(&'a Vm, &'a Nic)>>,
    peerings: OnceCell<PeeringTables<'a>>,
    facts: Arc<PeeringIndex>,
}

/// The peerings by local VNet, and the first peering of each (local, remote) pair.
struct PeeringTables<'a> {
    by_local: FxHashMap<&'a str, Vec<usize>>,
    by_pair: FxHashMap<(&'a str, &'a str), usize>,
}

impl<'a> Context<'a> {
    /// A context over `design`, whose peerings' facts are `facts` (the compile's, shared, or
    /// built here when `None`).
    pub fn new(design: &'a Design, facts: Option<Arc<PeeringIndex>>) -> Self {
        // Computed once per revision (by the compile when there is one): the peering rules, the
        // next-hop reachability and the engine all need them.
        let facts = facts.unwrap_or_else(|| Arc::new(PeeringIndex::new(design)));
        debug_assert_eq!(
            facts.all().len(),
            design.peerings.len(),
            "facts of this design"
        );
        Context {
            design,
            vnets: OnceCell::new(),
            subnets_by_table: OnceCell::new(),
            nsg_users: OnceCell::new(),
            nics_by_ip: OnceCell::new(),
            peerings: OnceCell::new(),
            facts,
        }
    }

    fn vnets(&self) -> &FxHashMap<&'a str, &'a Vnet> {
        self.vnets.get_or_init(|| {
            let design = self.design;
            let mut vnets = FxHashMap::with_capacity_and_hasher(design.vnets.len(), FxBuildHasher);
            for vnet in &design.vnets {
                vnets.entry(vnet.name.as_str()).or_insert(vnet);
            }
            vnets
        })
    }

    fn subnets_by_table(&self) -> &FxHashMap<&'a str, Vec<(&'a Vnet, &'a Subnet)>> {
        self.subnets_by_table.get_or_init(|| {
            let design = self.design;
            let mut by_table: FxHashMap<&str, Vec<(&Vnet, &Subnet)>> =
                FxHashMap::with_capacity_and_hasher(design.route_tables.len(), FxBuildHasher);
            for vnet in &design.vnets {
                for subnet in &vnet.subnets {
                    if let Some(table) = &subnet.route_table {
                        by_table.entry(table).or_default().push((vnet, subnet));
                    }
                }
            }
            by_table
        })
    }

    fn nsg_users(&self) -> &FxHashMap<&'a str, usize> {
        self.nsg_users.get_or_init(|| {
            let design = self.design;
            let mut users: FxHashMap<&str, usize> =
                FxHashMap::with_capacity_and_hasher(design.nsgs.len(), FxBuildHasher);
            let subnets = design.vnets.iter().flat_map(|v| &v.subnets);
            for nsg in subnets.filter_map(|s| s.nsg.as_deref()) {
                *users.entry(nsg).or_default() += 1;
            }
            let nics = design.vms.iter().flat_map(|vm| &vm.nics);
            for nsg in nics.filter_map(|nic| nic.nsg.as_deref()) {
                *users.entry(nsg).or_default() += 1;
            }
            users
        })
    }

    fn nics_by_ip(&self) -> &[(&'a Vm, &'a Nic)] {
        self.nics_by_ip.get_or_init(|| {
            let design = self.design;
            let mut nics: Vec<(&Vm, &Nic)> = Vec::with_capacity(design.vms.len());
            for vm in &design.vms {
                nics.extend(vm.nics.iter().map(|nic| (vm, nic)));
            }
            // Stable: the NICs of one address stay in design order.
            nics.sort_by_key(|(_, nic)| nic.ip);
            nics
        })
    }

    fn peering_tables(&self) -> &PeeringTables<'a> {
        self.peerings.get_or_init(|| {
            let design = self.design;
            let mut by_local: FxHashMap<&str, Vec<usize>> =
                FxHashMap::with_capacity_and_hasher(design.vnets.len(), FxBuildHasher);
            let mut by_pair =
                FxHashMap::with_capacity_and_hasher(design.peerings.len(), FxBuildHasher);
            for (i, p) in design.peerings.iter().enumerate() {
                by_local.entry(p.local.as_str()).or_default().push(i);
                by_pair
                    .entry((p.local.as_str(), p.remote.as_str()))
                    .or_insert(i);
            }
            PeeringTables { by_local, by_pair }
        })
    }

    /// The VNet with this name.
    pub fn vnet(&self, name: &str) -> Option<&'a Vnet> {
        self.vnets().get(name).copied()
    }

    /// The subnet a reference points to.
    pub fn subnet(&self, subnet: &SubnetRef) -> Option<&'a Subnet> {
        self.vnet(&subnet.vnet)?.subnet(&subnet.subnet)
    }

    /// The subnets a route table is associated with, in design order.
    pub fn subnets_using_table(&self, table: &str) -> &[(&'a Vnet, &'a Subnet)] {
        self.subnets_by_table()
            .get(table)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// How many subnets and NICs an NSG is associated with.
    pub fn nsg_use_count(&self, nsg: &str) -> usize {
        self.nsg_users().get(nsg).copied().unwrap_or(0)
    }

    /// Every NIC with this IP, in any VNet.
    pub fn nics_with_ip(&self, ip: Ipv4Addr) -> &[(&'a Vm, &'a Nic)] {
        let nics = self.nics_by_ip();
        let start = nics.partition_point(|(_, nic)| nic.ip < ip);
        let len = nics[start..].partition_point(|(_, nic)| nic.ip == ip);
        &nics[start..start + len]
    }

    /// Indexes (into `design.peerings`) of the peerings a VNet owns.
    pub fn peerings_of(&self, vnet: &str) -> &[usize] {
        self.peering_tables()
            .by_local
            .get(vnet)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The §1.6 rules peering number `index` breaks ([`Design::peering_violations`]).
    pub fn violations(&self, index: usize) -> &[PeeringViolation] {
        self.facts
            .facts(index)
            .map_or(&[], |f| f.violations.as_slice())
    }

    /// The derived facts (reverse link, state, sync level) of peering number `index`.
    pub fn facts(&self, index: usize) -> Option<&PeeringFacts> {
        self.facts.facts(index)
    }

    /// Whether Azure accepts peering number `index` at all.
    fn accepted(&self, index: usize) -> bool {
        !self
            .violations(index)
            .iter()
            .any(PeeringViolation::invalidates_peering)
    }

    /// Whether traffic can cross directly from `from` into `to`: the same VNet, or a peering
    /// pair whose link from `from` is Connected and valid, with a valid link back.
    pub fn directly_connected(&self, from: &str, to: &str) -> bool {
        if from == to {
            return true;
        }
        let by_pair = &self.peering_tables().by_pair;
        let link = |a: &str, b: &str| by_pair.get(&(a, b)).copied();
        match (link(from, to), link(to, from)) {
            (Some(forward), Some(back)) => {
                self.facts(forward).map(|f| f.state) == Some(PeeringState::Connected)
                    && self.accepted(forward)
                    && self.accepted(back)
            }
            _ => false,
        }
    }

    /// Whether `ip` is routable over the direct link from `from` into `to`: inside `to`'s own
    /// space when they are the same VNet, else inside what the peering carries (its synced copy of
    /// it, or the listed subnets of a subnet-level peering).
    pub fn carried_over_link(&self, from: &str, to: &str, ip: Ipv4Addr) -> bool {
        if from == to {
            return self.vnet(to).is_some_and(|v| v.contains(ip));
        }
        self.peering_tables()
            .by_pair
            .get(&(from, to))
            .map(|&i| &self.design.peerings[i])
            .is_some_and(|p| {
                self.design
                    .peered_remote_space(p)
                    .iter()
                    .any(|n| n.contains(&ip))
            })
    }
}

/// A subnet's `vnet/subnet` path, written out only when a diagnostic needs it: the checks
/// visit every subnet on every edit and report on few.
#[derive(Clone, Copy)]
pub(super) struct SubnetPath<'a>(pub &'a str, pub &'a str);

impl std::fmt::Display for SubnetPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.0, self.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nics_with_an_address_are_every_nic_that_has_it_in_design_order() {
        let mut design = Design::example_pair();
        let ip = |text: &str| text.parse::<Ipv4Addr>().expect("an address");
        let subnet = |vnet: &str| SubnetRef::new(vnet, "default");
        // Two more VMs: one with the address of the first VM of `b`, one elsewhere.
        let taken = design
            .vms
            .iter()
            .find(|vm| vm.name == "vm-b")
            .map(|vm| vm.nics[0].ip);
        let taken = taken.expect("the example has vm-b");
        design.vms.push(Vm::new("twin", subnet("a"), taken));
        design
            .vms
            .push(Vm::new("other", subnet("a"), ip("10.1.0.200")));
        let cx = Context::new(&design, None);
        let names = |ip: Ipv4Addr| -> Vec<&str> {
            cx.nics_with_ip(ip)
                .iter()
                .map(|(vm, _)| vm.name.as_str())
                .collect()
        };
        assert_eq!(names(taken), ["vm-b", "twin"]);
        assert_eq!(names(ip("10.1.0.200")), ["other"]);
        assert!(names(ip("192.0.2.1")).is_empty());
        assert!(names(ip("0.0.0.0")).is_empty());
        assert!(names(ip("255.255.255.255")).is_empty());
    }
}
