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
//! A cell's outcome can be reused when the rest is the same and no read of its footprint
//! changed: the walk is deterministic, so it would read the same values, take the same path
//! and find the same blockers. A read is compared by value ([`Diff::changed`]), never by the
//! index of a program or row, so a recompiled revision with equal content reuses everything.
//!
//! Cost: one `u64` per read, a sort and a hash lookup per cell while walking; per edit one
//! comparison of the rest (linear in the design) and one of each distinct read that some
//! footprint holds, memoised.

use super::compile::Compiled;
use super::ix::{CtxIx, NicIx, PeeringIx, SubnetIx, VmIx};
use super::policies::NsgPoint;
use crate::model::{Design, Nsg, RouteTable};
use std::collections::HashMap;

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
                let packed = usize::from(nic.vm)
                    .checked_mul(1 << SLOT_BITS)
                    .map_or(usize::MAX, |vm| vm | nic.slot);
                Self::pack(Self::NIC_POINT, packed)
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

    /// What this read is of.
    pub fn of(self) -> ReadOf {
        // The index fits a usize: it was packed from one.
        let index = usize::try_from(self.0 & INDEX_MASK).unwrap_or(usize::MAX);
        match self.0 >> KIND_SHIFT {
            Self::CONTEXT => ReadOf::Context(CtxIx::from(index)),
            Self::SUBNET_POINT => ReadOf::Point(NsgPoint::Subnet(SubnetIx::from(index))),
            Self::NIC_POINT => ReadOf::Point(NsgPoint::Nic(NicIx {
                vm: VmIx::from(index >> SLOT_BITS),
                slot: index & ((1 << SLOT_BITS) - 1),
            })),
            Self::PEERING => ReadOf::Peering(PeeringIx::from(index)),
            Self::ALL_PEERINGS => ReadOf::AllPeerings,
            _ => ReadOf::Opaque,
        }
    }
}

/// Footprints of a class matrix: one set id per cell, and the distinct sets.
#[derive(Debug, Clone, Default)]
pub(crate) struct CellReads {
    /// Set id per (source class, destination class), row-major.
    pub cells: Vec<u32>,
    /// The distinct footprints, each sorted and without duplicates.
    pub sets: Vec<Box<[Read]>>,
}

/// Interns footprints: equal sets get one id.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    ids: HashMap<Box<[Read]>, u32>,
    /// The sets, by id.
    pub sets: Vec<Box<[Read]>>,
}

impl Interner {
    /// The id of `reads` after sorting and deduplicating them in place.
    pub fn intern(&mut self, reads: &mut Vec<Read>) -> u32 {
        reads.sort_unstable();
        reads.dedup();
        if let Some(&id) = self.ids.get(reads.as_slice()) {
            return id;
        }
        self.insert(reads.as_slice().into())
    }

    /// The id of an already sorted, deduplicated set.
    pub fn insert(&mut self, set: Box<[Read]>) -> u32 {
        if let Some(&id) = self.ids.get(&set) {
            return id;
        }
        let id = u32::try_from(self.sets.len()).unwrap_or(u32::MAX);
        self.sets.push(set.clone());
        self.ids.insert(set, id);
        id
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
    let nsg = |n: &Nsg| n.name.clone();
    let table = |t: &RouteTable| (t.name.clone(), t.propagate_gateway_routes);
    peerings.len() == b.peerings.len()
        && *vnets == b.vnets
        && *vms == b.vms
        && nsgs.iter().map(nsg).eq(b.nsgs.iter().map(nsg))
        && *asgs == b.asgs
        && route_tables
            .iter()
            .map(table)
            .eq(b.route_tables.iter().map(table))
        && *gateways == b.gateways
        && *sites == b.sites
        && *connections == b.connections
        && *route_servers == b.route_servers
        && *network_groups == b.network_groups
        && *connectivity == b.connectivity
        && *subscriptions == b.subscriptions
        && *assumptions == b.assumptions
}

/// Which reads differ between two compiled designs whose rest is the same ([`same_rest`]),
/// each compared once.
pub(crate) struct Diff<'a> {
    old: &'a Compiled,
    new: &'a Compiled,
    memo: HashMap<Read, bool>,
    any_peering: Option<bool>,
}

impl<'a> Diff<'a> {
    /// A diff of `old` against `new`.
    pub fn new(old: &'a Compiled, new: &'a Compiled) -> Self {
        Diff {
            old,
            new,
            memo: HashMap::new(),
            any_peering: None,
        }
    }

    /// Whether any read of `set` changed.
    pub fn touches(&mut self, set: &[Read]) -> bool {
        set.iter().any(|&read| self.changed(read))
    }

    /// Whether what `read` reads differs between the two designs.
    pub fn changed(&mut self, read: Read) -> bool {
        if let Some(&known) = self.memo.get(&read) {
            return known;
        }
        let changed = match read.of() {
            ReadOf::Context(ctx) => {
                self.old.routing.contexts.get(ctx) != self.new.routing.contexts.get(ctx)
            }
            ReadOf::Point(point) => {
                self.old.policies.program_at(point) != self.new.policies.program_at(point)
            }
            ReadOf::Peering(p) => !same_peering(self.old, self.new, p),
            ReadOf::AllPeerings => *self.any_peering.get_or_insert_with(|| {
                let n = self.old.design.peerings.len();
                n != self.new.design.peerings.len()
                    || (0..n).any(|p| !same_peering(self.old, self.new, PeeringIx::from(p)))
            }),
            ReadOf::Opaque => true,
        };
        self.memo.insert(read, changed);
        changed
    }
}

fn same_peering(old: &Compiled, new: &Compiled, p: PeeringIx) -> bool {
    old.peerings().get(p) == new.peerings().get(p)
        && old.index.peerings.get(p) == new.index.peerings.get(p)
        && old.index.peered_space.get(p) == new.index.peered_space.get(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Access;
    use crate::model::generate::{HubSpokeParams, hub_spoke};
    use std::sync::Arc;

    fn small() -> Design {
        let params = HubSpokeParams {
            hubs: 2,
            spokes: 3,
            subnets_per_spoke: 2,
            vms_per_subnet: 2,
        };
        hub_spoke(&params).expect("valid counts")
    }

    fn compiled(design: &Design) -> Compiled {
        Compiled::new(Arc::new(design.clone()))
    }

    #[test]
    fn reads_pack_and_unpack_to_what_was_read() {
        let nic = NicIx {
            vm: VmIx::from(12_345),
            slot: 3,
        };
        for of in [
            ReadOf::Context(CtxIx::from(7)),
            ReadOf::Point(NsgPoint::Subnet(SubnetIx::from(9))),
            ReadOf::Point(NsgPoint::Nic(nic)),
            ReadOf::Peering(PeeringIx::from(400)),
            ReadOf::AllPeerings,
        ] {
            let read = match of {
                ReadOf::Context(c) => Read::context(c),
                ReadOf::Point(p) => Read::point(p),
                ReadOf::Peering(p) => Read::peering(p),
                _ => Read::ALL,
            };
            assert_eq!(read.of(), of);
        }
        let huge = NicIx {
            vm: VmIx::from(1),
            slot: 1 << SLOT_BITS,
        };
        assert_eq!(Read::point(NsgPoint::Nic(huge)).of(), ReadOf::Opaque);
        assert_eq!(
            Read::peering(PeeringIx::from(usize::MAX)).of(),
            ReadOf::Opaque
        );
    }

    #[test]
    fn equal_sets_share_one_id_whatever_their_order() {
        let mut interner = Interner::default();
        let a = Read::context(CtxIx::from(1));
        let b = Read::peering(PeeringIx::from(2));
        let first = interner.intern(&mut vec![b, a, b]);
        let second = interner.intern(&mut vec![a, b]);
        let other = interner.intern(&mut vec![a]);
        assert_eq!(first, second);
        assert_ne!(first, other);
        assert_eq!(&*interner.sets[first as usize], &[a, b]);
    }

    #[test]
    fn a_recompiled_design_changes_nothing() {
        let design = small();
        let (old, new) = (compiled(&design), compiled(&design));
        assert!(same_rest(&old, &new));
        let mut diff = Diff::new(&old, &new);
        assert!(!diff.changed(Read::ALL));
        assert!(!diff.changed(Read::context(CtxIx::from(0))));
        assert!(!diff.changed(Read::point(NsgPoint::Subnet(SubnetIx::from(0)))));
        assert!(diff.changed(Read(Read::OPAQUE << KIND_SHIFT)));
    }

    #[test]
    fn a_peering_flag_changes_that_peering_and_the_scan_only() {
        let design = small();
        let mut edited = design.clone();
        let flipped = &mut edited.peerings[0];
        flipped.allow_forwarded_traffic = !flipped.allow_forwarded_traffic;
        let (old, new) = (compiled(&design), compiled(&edited));
        assert!(same_rest(&old, &new));
        let mut diff = Diff::new(&old, &new);
        assert!(diff.changed(Read::peering(PeeringIx::from(0))));
        assert!(diff.changed(Read::ALL));
        for p in 1..design.peerings.len() {
            assert!(!diff.changed(Read::peering(PeeringIx::from(p))));
        }
        assert!(diff.touches(&[
            Read::context(CtxIx::from(0)),
            Read::peering(PeeringIx::from(0))
        ]));
        assert!(!diff.touches(&[Read::peering(PeeringIx::from(1))]));
    }

    #[test]
    fn an_nsg_rule_changes_the_points_it_guards_and_not_the_rest() {
        let design = small();
        let Some(at) = design.nsgs.iter().position(|n| !n.rules.is_empty()) else {
            return;
        };
        let mut edited = design.clone();
        let rule = &mut edited.nsgs[at].rules[0];
        rule.access = match rule.access {
            Access::Allow => Access::Deny,
            Access::Deny => Access::Allow,
        };
        let (old, new) = (compiled(&design), compiled(&edited));
        assert!(
            same_rest(&old, &new),
            "NSG rules are read through programs only"
        );
        let mut diff = Diff::new(&old, &new);
        let guarded = |s: usize| {
            old.index.subnets[SubnetIx::from(s)].nsg == Some(crate::engine::ix::NsgIx::from(at))
        };
        let subnets = old.index.subnets.len();
        assert!(
            (0..subnets).any(guarded),
            "the example's NSG guards a subnet"
        );
        for s in 0..subnets {
            let read = Read::point(NsgPoint::Subnet(SubnetIx::from(s)));
            assert_eq!(diff.changed(read), guarded(s), "subnet {s}");
        }
        assert!(!diff.changed(Read::ALL));
    }

    #[test]
    fn a_renamed_vm_or_a_new_assumption_is_outside_any_footprint() {
        let design = small();
        let mut renamed = design.clone();
        renamed.vms[0].name.push('x');
        assert!(!same_rest(&compiled(&design), &compiled(&renamed)));
        let mut assumed = design.clone();
        assumed
            .assumptions
            .gateway_hops_exempt_from_forwarding_check = !assumed
            .assumptions
            .gateway_hops_exempt_from_forwarding_check;
        assert!(!same_rest(&compiled(&design), &compiled(&assumed)));
    }
}
