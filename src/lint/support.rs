//! What several rules need to look up, indexed once per check so that no rule is quadratic in
//! the size of the design: subnets by route table and NSG, NICs by address, peerings by VNet.

use crate::model::{
    Design, Nic, PeeringFacts, PeeringIndex, PeeringState, PeeringViolation, Subnet, SubnetRef, Vm,
    Vnet,
};
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::net::Ipv4Addr;
use std::sync::Arc;

/// A design with lookup tables built once per [`check`](super::check).
pub(super) struct Context<'a> {
    /// The design being checked.
    pub design: &'a Design,
    vnets: FxHashMap<&'a str, &'a Vnet>,
    subnets_by_table: FxHashMap<&'a str, Vec<(&'a Vnet, &'a Subnet)>>,
    nsg_users: FxHashMap<&'a str, usize>,
    /// Every NIC, sorted by address (in design order for one address): one sort instead of a
    /// `Vec` per address (10,010 allocations per check at 2 hubs × 1,000 spokes).
    nics_by_ip: Vec<(&'a Vm, &'a Nic)>,
    peerings_by_local: FxHashMap<&'a str, Vec<usize>>,
    peering_index: FxHashMap<(&'a str, &'a str), usize>,
    facts: Arc<PeeringIndex>,
}

impl<'a> Context<'a> {
    /// Indexes `design`, whose peerings' facts are `facts` (the compile's, shared, or built
    /// here when `None`).
    pub fn new(design: &'a Design, facts: Option<Arc<PeeringIndex>>) -> Self {
        let mut vnets = FxHashMap::with_capacity_and_hasher(design.vnets.len(), FxBuildHasher);
        let mut subnets_by_table: FxHashMap<&str, Vec<(&Vnet, &Subnet)>> =
            FxHashMap::with_capacity_and_hasher(design.route_tables.len(), FxBuildHasher);
        let mut nsg_users: FxHashMap<&str, usize> =
            FxHashMap::with_capacity_and_hasher(design.nsgs.len(), FxBuildHasher);
        for vnet in &design.vnets {
            vnets.entry(vnet.name.as_str()).or_insert(vnet);
            for subnet in &vnet.subnets {
                if let Some(table) = &subnet.route_table {
                    subnets_by_table
                        .entry(table)
                        .or_default()
                        .push((vnet, subnet));
                }
                if let Some(nsg) = &subnet.nsg {
                    *nsg_users.entry(nsg).or_default() += 1;
                }
            }
        }
        let mut nics_by_ip: Vec<(&Vm, &Nic)> = Vec::with_capacity(design.vms.len());
        for vm in &design.vms {
            for nic in &vm.nics {
                nics_by_ip.push((vm, nic));
                if let Some(nsg) = &nic.nsg {
                    *nsg_users.entry(nsg).or_default() += 1;
                }
            }
        }
        // Stable: the NICs of one address stay in design order.
        nics_by_ip.sort_by_key(|(_, nic)| nic.ip);
        let mut peerings_by_local: FxHashMap<&str, Vec<usize>> =
            FxHashMap::with_capacity_and_hasher(design.vnets.len(), FxBuildHasher);
        let mut peering_index =
            FxHashMap::with_capacity_and_hasher(design.peerings.len(), FxBuildHasher);
        for (i, p) in design.peerings.iter().enumerate() {
            peerings_by_local
                .entry(p.local.as_str())
                .or_default()
                .push(i);
            peering_index
                .entry((p.local.as_str(), p.remote.as_str()))
                .or_insert(i);
        }
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
            vnets,
            subnets_by_table,
            nsg_users,
            nics_by_ip,
            peerings_by_local,
            peering_index,
            facts,
        }
    }

    /// The VNet with this name.
    pub fn vnet(&self, name: &str) -> Option<&'a Vnet> {
        self.vnets.get(name).copied()
    }

    /// The subnet a reference points to.
    pub fn subnet(&self, subnet: &SubnetRef) -> Option<&'a Subnet> {
        self.vnet(&subnet.vnet)?.subnet(&subnet.subnet)
    }

    /// The subnets a route table is associated with, in design order.
    pub fn subnets_using_table(&self, table: &str) -> &[(&'a Vnet, &'a Subnet)] {
        self.subnets_by_table
            .get(table)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// How many subnets and NICs an NSG is associated with.
    pub fn nsg_use_count(&self, nsg: &str) -> usize {
        self.nsg_users.get(nsg).copied().unwrap_or(0)
    }

    /// Every NIC with this IP, in any VNet.
    pub fn nics_with_ip(&self, ip: Ipv4Addr) -> &[(&'a Vm, &'a Nic)] {
        let start = self.nics_by_ip.partition_point(|(_, nic)| nic.ip < ip);
        let len = self.nics_by_ip[start..].partition_point(|(_, nic)| nic.ip == ip);
        &self.nics_by_ip[start..start + len]
    }

    /// Indexes (into `design.peerings`) of the peerings a VNet owns.
    pub fn peerings_of(&self, vnet: &str) -> &[usize] {
        self.peerings_by_local
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
        let link = |a: &str, b: &str| self.peering_index.get(&(a, b)).copied();
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
        self.peering_index
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
