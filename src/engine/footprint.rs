//! Footprints: what the walk of one class cell read of the compiled design, and whether it
//! changed between two revisions (issue 10, item 3).
//!
//! The compiled design is split in two. The *keyed* part is read by the walk only through the
//! walker's recording accessors (`walk/reads.rs`): route contexts, the compiled NSG at each
//! attachment point, and each peering (its resource, facts and synced space). Each such read
//! leaves a [`Read`] in the walk's output; a cell's footprint is the sorted set of its reads,
//! interned so cells that read the same things share one set. The *rest* (names, subnets,
//! NICs, gateways and what they learned, the VMs, sites, assumptions...) is compared whole by
//! [`same_rest`]: when any of it differs, nothing is reused.
//!
//! A cell keeps only its *transit* reads: those owned by neither endpoint's VNet ([`owners`],
//! [`Homes`]). The reads in the endpoints' own VNets are covered per VNet instead
//! ([`Diff::changed_vnets`]): how the VNet's route contexts and NSG points changed (wholly, or
//! only at some prefixes, which then decide by the cell's two addresses as for a kept read),
//! and which of its peerings changed. Of the peerings of its own VNets, a cell keeps only the
//! third VNets they lead to ([`Read::home_peering_to`]), not which peering it was; a changed
//! peering re-walks the cells of one of its VNets that read a peering to its other VNet, and
//! those between its two VNets. So the distinct footprints are the few transit paths (spoke to
//! spoke through a hub, hub to site...) rather than one per cell: the third VNet of a spoke's
//! cells is its hub, whichever spoke it is.
//!
//! A kept route context whose rows or `VirtualNetwork` tag alone changed, or an NSG program
//! whose tag alone changed, touches only the cells whose endpoint addresses a changed prefix
//! contains ([`Diff::touch`], in `footprint_diff.rs`): a lookup is always for one of them, and
//! a tag is asked only about the packet's two addresses.
//!
//! A cell's outcome can be reused when the rest is the same, neither endpoint's VNet changed
//! and no read of its kept footprint changed (as far as its addresses go): the walk is
//! deterministic, so it would read the same values, take the same path and find the same
//! blockers. A read is compared by value ([`Diff::changed`]), never by the index of a program
//! or row, so a recompiled revision with equal content reuses everything.
//!
//! Cost: one `u64` per read and a filter per cell while walking, plus a sort and a hash lookup
//! when the cell read other things than the last few cells its thread walked
//! (`allpairs::Scratch`); one `u32` per cell kept (on a generated 2 hubs × 16 spokes design,
//! 576 cells share fewer than 32 footprints); per edit one comparison of the rest and of every
//! keyed item (linear in the design, memoised).

use super::compile::Compiled;
use super::grid::Grid;
use super::ix::{ClassIx, CtxIx, NicIx, PeeringIx, SubnetIx, VmIx, VnetIx};
use super::policies::NsgPoint;
use super::walk::{Place, Spot};
use crate::model::{Design, Nsg, RouteTable, SharedVec};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use typed_index_collections::TiVec;

/// One read of the keyed part of a compiled design, packed in a `u64` (kind in the top three
/// bits) so footprints sort, deduplicate and hash cheaply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Read(u64);

/// What a [`Read`] is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReadOf {
    /// A route context: its rows, table, tag and connected groups.
    Context(CtxIx),
    /// The compiled NSG at an attachment point (or that there is none).
    Point(NsgPoint),
    /// One peering: its resource, derived facts and carried space.
    Peering(PeeringIx),
    /// Every peering (a scan over all of them).
    AllPeerings,
    /// Some peering between an endpoint's own VNet and this third VNet (`None`: a VNet missing
    /// from the design). Which peering is not kept, only the VNet across it; see [`Homes`].
    HomePeering(Option<VnetIx>),
    /// Something too large to pack: always counts as changed.
    Opaque,
}

const KIND_SHIFT: u32 = 61;
const INDEX_MASK: u64 = (1 << KIND_SHIFT) - 1;
/// Bits of a NIC's slot in a packed NIC point (the VM index takes the rest).
const SLOT_BITS: u32 = 20;

impl Read {
    const CONTEXT: u64 = 0;
    const SUBNET_POINT: u64 = 1;
    const NIC_POINT: u64 = 2;
    const PEERING: u64 = 3;
    const ALL_PEERINGS: u64 = 4;
    const HOME_PEERINGS: u64 = 5;
    const OPAQUE: u64 = 7;

    fn pack(kind: u64, index: usize) -> Self {
        match u64::try_from(index) {
            Ok(i) if i <= INDEX_MASK => Read((kind << KIND_SHIFT) | i),
            _ => Read(Self::OPAQUE << KIND_SHIFT),
        }
    }

    /// A read of route context `ctx`.
    pub fn context(ctx: CtxIx) -> Self {
        Self::pack(Self::CONTEXT, usize::from(ctx))
    }

    /// A read of the compiled NSG at `point`.
    pub fn point(point: NsgPoint) -> Self {
        match point {
            NsgPoint::Subnet(s) => Self::pack(Self::SUBNET_POINT, usize::from(s)),
            NsgPoint::Nic(nic) if nic.slot < 1 << SLOT_BITS => {
                match usize::from(nic.vm).checked_mul(1 << SLOT_BITS) {
                    Some(vm) => Self::pack(Self::NIC_POINT, vm | nic.slot),
                    None => Read(Self::OPAQUE << KIND_SHIFT),
                }
            }
            NsgPoint::Nic(_) => Read(Self::OPAQUE << KIND_SHIFT),
        }
    }

    /// A read of peering `p`.
    pub fn peering(p: PeeringIx) -> Self {
        Self::pack(Self::PEERING, usize::from(p))
    }

    /// A scan over every peering.
    pub const ALL: Read = Read(Self::ALL_PEERINGS << KIND_SHIFT);

    /// A read of some peering between a home VNet and `third`, a VNet that is not one of the
    /// cell's two homes (`None`: the peering's other end is missing from the design); see
    /// [`ReadOf::HomePeering`]. The index is the VNet's plus one, so `None` packs as 0.
    pub fn home_peering_to(third: Option<VnetIx>) -> Self {
        Self::pack(Self::HOME_PEERINGS, third.map_or(0, |v| usize::from(v) + 1))
    }

    /// Whether this is a read of one peering.
    pub fn is_peering(self) -> bool {
        self.0 >> KIND_SHIFT == Self::PEERING
    }

    /// What this read is of.
    pub fn of(self) -> ReadOf {
        // The index fits a usize (it was packed from one); were it not to, the read is opaque.
        let Ok(index) = usize::try_from(self.0 & INDEX_MASK) else {
            return ReadOf::Opaque;
        };
        match self.0 >> KIND_SHIFT {
            Self::CONTEXT => ReadOf::Context(CtxIx::from(index)),
            Self::SUBNET_POINT => ReadOf::Point(NsgPoint::Subnet(SubnetIx::from(index))),
            Self::NIC_POINT => ReadOf::Point(NsgPoint::Nic(NicIx {
                vm: VmIx::from(index >> SLOT_BITS),
                slot: index & ((1 << SLOT_BITS) - 1),
            })),
            Self::PEERING => ReadOf::Peering(PeeringIx::from(index)),
            Self::ALL_PEERINGS => ReadOf::AllPeerings,
            Self::HOME_PEERINGS => ReadOf::HomePeering(index.checked_sub(1).map(VnetIx::from)),
            _ => ReadOf::Opaque,
        }
    }
}

/// Footprints of a class matrix: one set id per cell, and the distinct sets.
#[derive(Debug, Clone, Default)]
pub(crate) struct CellReads {
    /// Set id per (source class, destination class).
    pub cells: Grid,
    /// The distinct footprints.
    pub sets: Sets,
    /// How many sets there were when every cell was last walked: a reused analysis compacts
    /// its sets once they have grown well past it (sets no cell uses any more).
    pub built_with: usize,
}

/// Distinct footprints stored end to end in one buffer (no allocation per set), each sorted
/// and without duplicates, found again by a hash of their reads.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sets {
    arena: Vec<Read>,
    /// Where each set starts in `arena`; set `k` ends where set `k + 1` starts.
    starts: Vec<usize>,
    /// Hash of a set → its id. A set whose hash another set already took is stored again:
    /// interning only saves memory, it never merges different sets.
    ids: HashMap<u64, u32, BuildHasherDefault<Passthrough>>,
}

impl Sets {
    /// How many sets are stored.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Set `id` (empty for an unknown id).
    pub fn get(&self, id: u32) -> &[Read] {
        let k = id as usize;
        let (Some(&start), end) = (self.starts.get(k), self.starts.get(k + 1)) else {
            return &[];
        };
        &self.arena[start..end.copied().unwrap_or(self.arena.len())]
    }

    /// The id of `reads` after sorting and deduplicating them in place.
    pub fn intern(&mut self, reads: &mut Vec<Read>) -> u32 {
        reads.sort_unstable();
        reads.dedup();
        self.insert(reads)
    }

    /// The id of an already sorted, deduplicated set.
    pub fn insert(&mut self, set: &[Read]) -> u32 {
        let hash = set.iter().fold(0x9E37_79B9_7F4A_7C15_u64, |h, r| {
            (h.rotate_left(5) ^ r.0).wrapping_mul(0x517C_C1B7_2722_0A95)
        });
        if let Some(&id) = self.ids.get(&hash)
            && self.get(id) == set
        {
            return id;
        }
        let id = u32::try_from(self.starts.len()).unwrap_or(u32::MAX);
        self.starts.push(self.arena.len());
        self.arena.extend_from_slice(set);
        self.ids.entry(hash).or_insert(id);
        id
    }
}

/// A hasher for keys that are already hashes.
#[derive(Default)]
pub(crate) struct Passthrough(u64);

impl Hasher for Passthrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8)) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Whether everything the walk may read outside its recorded accessors is the same in two
/// compiled designs (see the module documentation). Equal designs are equal here.
pub(crate) fn same_rest(old: &Compiled, new: &Compiled) -> bool {
    old.index.same_outside_peerings(&new.index)
        && old.routing.same_outside_contexts(&new.routing)
        && same_design_rest(&old.design, &new.design)
}

/// The design as the walk reads it directly: every list but the peerings (read per peering),
/// NSG rules (read through compiled programs) and routes (read through route contexts); the
/// design's name, description and intents are never read by the walk.
fn same_design_rest(a: &Design, b: &Design) -> bool {
    let Design {
        version: _,
        name: _,
        description: _,
        vnets,
        vms,
        peerings,
        nsgs,
        asgs,
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
    } = a;
    fn nsg(n: &Nsg) -> &str {
        &n.name
    }
    fn table(t: &RouteTable) -> (&str, bool) {
        (&t.name, t.propagate_gateway_routes)
    }
    // Lists the edit left alone are still shared with the previous revision (`SharedVec`):
    // each of those comparisons is one pointer comparison.
    peerings.len() == b.peerings.len()
        && *vnets == b.vnets
        && *vms == b.vms
        && (SharedVec::same(nsgs, &b.nsgs) || nsgs.iter().map(nsg).eq(b.nsgs.iter().map(nsg)))
        && *asgs == b.asgs
        && (SharedVec::same(route_tables, &b.route_tables)
            || route_tables
                .iter()
                .map(table)
                .eq(b.route_tables.iter().map(table)))
        && *gateways == b.gateways
        && *sites == b.sites
        && *connections == b.connections
        && *route_servers == b.route_servers
        && *network_groups == b.network_groups
        && *connectivity == b.connectivity
        && *subscriptions == b.subscriptions
        && *assumptions == b.assumptions
}

/// The VNets a read belongs to, its *owners*: a route context's and an NSG point's VNet, both
/// ends of a peering. A cell's reads owned by the VNet of either of its endpoints are not kept
/// in its footprint (see [`Homes`]); a scan over every peering and an opaque read belong to none.
pub(crate) fn owners(c: &Compiled, read: Read) -> [Option<VnetIx>; 2] {
    let subnet_vnet = |s: SubnetIx| c.index.subnets.get(s).map(|info| info.vnet);
    match read.of() {
        ReadOf::Context(ctx) => [c.routing.contexts.get(ctx).map(|x| x.vnet), None],
        ReadOf::Point(NsgPoint::Subnet(s)) => [subnet_vnet(s), None],
        ReadOf::Point(NsgPoint::Nic(nic)) => [c.index.nic_vnet(nic), None],
        ReadOf::Peering(p) => c
            .index
            .peerings
            .get(p)
            .map_or([None, None], |facts| [facts.local, facts.remote]),
        ReadOf::AllPeerings | ReadOf::HomePeering(_) | ReadOf::Opaque => [None, None],
    }
}

/// The VNet of each class's endpoints (`None` for sites, point-to-site clients and NICs
/// outside any subnet): a class's members share it, as the VNet is part of a VM's class key.
///
/// Footprints are kept in two parts, so that their memory grows with the few distinct transit
/// paths rather than with cells: the reads a cell's walk made in the VNets of its two endpoints
/// are summed up per VNet ([`Diff::changed_vnets`]) and only the others (the hubs, appliances
/// and peerings the packet crossed in between) are kept per cell, with a mark per third VNet
/// that a peering of its own VNets it read leads to. A cell is touched when either endpoint's
/// VNet changed wholly or at one of the two addresses, when a changed peering joins its two
/// VNets or joins one of them to a third VNet the cell has a mark for, or when a read of its
/// kept footprint changed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Homes(Vec<Option<VnetIx>>);

impl Homes {
    /// The home VNet of each class, from its first member's place.
    pub fn of(c: &Compiled, spots: &[Spot], members: &TiVec<ClassIx, Vec<usize>>) -> Self {
        Homes(
            members
                .iter()
                .map(|m| match m.first().and_then(|&e| spots.get(e))?.place {
                    Place::Nic(nic) => c.index.nic_vnet(nic),
                    Place::Site(_) | Place::P2s(_) | Place::Unknown => None,
                })
                .collect(),
        )
    }

    /// The home VNet of class `a`.
    pub fn get(&self, a: ClassIx) -> Option<VnetIx> {
        self.0.get(usize::from(a)).copied().flatten()
    }

    /// The home VNets of cell (`a`, `b`): a walk of the cell records no read they own.
    pub fn pair(&self, a: ClassIx, b: ClassIx) -> [Option<VnetIx>; 2] {
        [self.get(a), self.get(b)]
    }
}

#[path = "footprint_diff.rs"]
mod diff;
pub(crate) use diff::{Diff, Touch};

/// Flips `allow_virtual_network_access` of the generator's hub1 → hub2 peering: the hub edit
/// the footprint and incremental tests share.
#[cfg(test)]
pub(crate) fn flip_hub_link(design: &mut crate::model::Design) {
    if let Some(link) = design
        .peerings
        .iter_mut()
        .find(|p| p.local == "hub1" && p.remote == "hub2")
    {
        link.allow_virtual_network_access = !link.allow_virtual_network_access;
    }
}

#[cfg(test)]
#[path = "footprint_tests.rs"]
mod tests;
