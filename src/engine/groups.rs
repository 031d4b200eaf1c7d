//! AVNM connected groups compiled for lookups (the membership rule itself is
//! `Design::connected_groups`). A regional group is split by region, since only members of one
//! region reach each other; each part is one shared table of its members' address ranges, which
//! every member's route contexts point to, so a mesh of N VNets costs N ranges once, not a route
//! per pair.
//!
//! A lookup finds the members whose ranges hold the destination, leaving out the sender and
//! members it also reaches over a peering of its own (a peering between two members takes
//! precedence over their connected group, as the subnet-peering doc says of subnet peerings).
//! One member: the packet goes there (next hop `ConnectedGroup`). Several members: their ranges
//! overlap, and Azure drops traffic to the overlap, since routing there is non-deterministic
//! (concept-connectivity-configuration.md). Cost: one hash probe per distinct prefix length.

use super::ix::VnetIx;
use super::prefixes::mask;
use crate::model::{Design, Region};
use ipnet::Ipv4Net;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::sync::Arc;

/// The ranges of one prefix length: network address → the members with a range there.
type RangesOfLength = HashMap<u32, Vec<(Ipv4Net, VnetIx)>>;

/// One connected group (or its part in one region), ready for lookups.
#[derive(Debug, PartialEq)]
pub(crate) struct GroupTable {
    /// The connectivity configuration it comes from.
    pub config: String,
    /// Its members.
    pub members: Vec<VnetIx>,
    /// Per prefix length, longest first: network → the members with a range there.
    by_length: Vec<(u8, RangesOfLength)>,
}

/// What a lookup in a connected group found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GroupHit {
    /// One member holds the destination in this range.
    Member { member: VnetIx, prefix: Ipv4Net },
    /// Several members hold it (the first range found, and the members): traffic is dropped.
    Overlap {
        prefix: Ipv4Net,
        members: Vec<VnetIx>,
    },
}

impl GroupHit {
    /// The range the hit was found in.
    pub fn prefix(&self) -> Ipv4Net {
        match self {
            GroupHit::Member { prefix, .. } | GroupHit::Overlap { prefix, .. } => *prefix,
        }
    }
}

impl GroupTable {
    fn new(design: &Design, config: &str, members: Vec<VnetIx>) -> Self {
        let mut by_length: Vec<(u8, RangesOfLength)> = Vec::new();
        for &m in &members {
            for range in &design.vnets[usize::from(m)].address_space {
                let len = range.prefix_len();
                let slot = match by_length.iter().position(|(l, _)| *l == len) {
                    Some(i) => i,
                    None => {
                        by_length.push((len, HashMap::new()));
                        by_length.len() - 1
                    }
                };
                by_length[slot]
                    .1
                    .entry(u32::from(range.network()))
                    .or_default()
                    .push((*range, m));
            }
        }
        by_length.sort_by_key(|(len, _)| std::cmp::Reverse(*len));
        GroupTable {
            config: config.to_string(),
            members,
            by_length,
        }
    }

    /// The members (other than `from` and those `skip` accepts) whose ranges hold `ip`.
    pub fn lookup(
        &self,
        ip: Ipv4Addr,
        from: VnetIx,
        skip: impl Fn(VnetIx) -> bool,
    ) -> Option<GroupHit> {
        let bits = u32::from(ip);
        let mut found: Option<Ipv4Net> = None;
        let mut members: Vec<VnetIx> = Vec::new();
        for (len, nets) in &self.by_length {
            let Some(entries) = nets.get(&(bits & mask(*len))) else {
                continue;
            };
            for &(range, m) in entries {
                if m == from || skip(m) {
                    continue;
                }
                found.get_or_insert(range);
                if !members.contains(&m) {
                    members.push(m);
                }
            }
        }
        let prefix = found?;
        Some(match members.as_slice() {
            [member] => GroupHit::Member {
                member: *member,
                prefix,
            },
            _ => GroupHit::Overlap { prefix, members },
        })
    }

    /// Whether a member other than `from` has a range holding `ip` (the `VirtualNetwork` tag).
    pub fn holds(&self, ip: Ipv4Addr, from: VnetIx) -> bool {
        self.lookup(ip, from, |_| false).is_some()
    }

    /// Every member range other than `from`'s, for the effective-routes view.
    pub fn ranges(&self, design: &Design, from: VnetIx) -> Vec<(Ipv4Net, VnetIx)> {
        self.members
            .iter()
            .filter(|&&m| m != from)
            .flat_map(|&m| {
                design.vnets[usize::from(m)]
                    .address_space
                    .iter()
                    .map(move |r| (*r, m))
            })
            .collect()
    }
}

/// Every connected group of the design as tables, and each VNet's tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Groups {
    /// Per VNet (by index): the tables it is a member of.
    pub of_vnet: Vec<Vec<Arc<GroupTable>>>,
}

impl Groups {
    /// Compiles the design's connected groups (names resolved through `vnet_ix`).
    pub fn new(design: &Design, vnet_ix: &FxHashMap<String, VnetIx>) -> Self {
        let mut of_vnet: Vec<Vec<Arc<GroupTable>>> = vec![Vec::new(); design.vnets.len()];
        for group in design.connected_groups() {
            let members: Vec<VnetIx> = group
                .members
                .iter()
                .filter_map(|m| vnet_ix.get(*m).copied())
                .collect();
            let parts: Vec<Vec<VnetIx>> = if group.global {
                vec![members]
            } else {
                let mut by_region: Vec<(&Region, Vec<VnetIx>)> = Vec::new();
                for m in members {
                    let region = &design.vnets[usize::from(m)].region;
                    match by_region.iter_mut().find(|(r, _)| *r == region) {
                        Some((_, list)) => list.push(m),
                        None => by_region.push((region, vec![m])),
                    }
                }
                by_region.into_iter().map(|(_, list)| list).collect()
            };
            for part in parts.into_iter().filter(|p| p.len() > 1) {
                let table = Arc::new(GroupTable::new(design, group.config, part));
                for &m in &table.members {
                    of_vnet[usize::from(m)].push(Arc::clone(&table));
                }
            }
        }
        Groups { of_vnet }
    }

    /// The tables VNet `v` belongs to.
    pub fn of(&self, v: VnetIx) -> &[Arc<GroupTable>] {
        self.of_vnet.get(usize::from(v)).map_or(&[], Vec::as_slice)
    }
}
