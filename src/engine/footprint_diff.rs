//! What an edit changed of the keyed reads (`footprint`): [`Diff`] compares each route
//! context, NSG point and peering of two compiled designs whose rest is the same, once each
//! (dense memos), and tells how a kept footprint is touched ([`Touch`]): not at all, wholly, or
//! only at some prefixes, which then decide per cell by its endpoints' addresses.
//!
//! Cost: per edit, one comparison of every route context, NSG program pair and peering that a
//! footprint or a VNet check asks about, memoised; a footprint check is then a few array reads.

use super::{Passthrough, Read, ReadOf, owners};
use crate::engine::compile::Compiled;
use crate::engine::ix::ProgramIx;
use crate::engine::ix::{CtxIx, NicIx, PeeringIx, SubnetIx, VmIx};
use crate::engine::policies::NsgPoint;
use crate::engine::prefixes::symmetric_difference;
use crate::engine::routes::{RouteContext, RouteRow};
use ipnet::Ipv4Net;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// Which reads differ between two compiled designs whose rest is the same
/// ([`same_rest`](super::same_rest)),
/// each compared once (dense memos: a footprint check is a few array reads).
pub(crate) struct Diff<'a> {
    old: &'a Compiled,
    new: &'a Compiled,
    contexts: Vec<Memo>,
    peerings: Vec<Memo>,
    /// Compiled NSGs compared, by (old program, new program) packed in a `u64`: NSG points
    /// share programs, so each pair is compared once however many NICs use it.
    programs: HashMap<u64, bool, BuildHasherDefault<Passthrough>>,
    any_peering: Option<bool>,
    /// [`Diff::changed_prefixes`] per context compared.
    prefixes: HashMap<usize, Option<Vec<Ipv4Net>>>,
    /// [`Diff::changed_tag_prefixes`] per (old program, new program), packed as `programs`.
    tag_prefixes: HashMap<u64, Option<Vec<Ipv4Net>>, BuildHasherDefault<Passthrough>>,
}

/// How an edit meets a kept footprint ([`Diff::touch`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Touch {
    /// No read changed: the cell can be reused.
    No,
    /// A read changed that any lookup may see: the cell is walked.
    Yes,
    /// Only rows of route contexts, or the `VirtualNetwork` tags of NSG programs, changed, at
    /// these prefixes: the cell is walked when one of them contains either endpoint's address.
    Near(Vec<Ipv4Net>),
}

impl Touch {
    /// Whether a cell between endpoints at `from` and `to` with this footprint is touched.
    pub fn reaches(&self, from: std::net::Ipv4Addr, to: std::net::Ipv4Addr) -> bool {
        match self {
            Touch::No => false,
            Touch::Yes => true,
            Touch::Near(prefixes) => prefixes
                .iter()
                .any(|p| p.contains(&from) || p.contains(&to)),
        }
    }
}

/// A memoised comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Memo {
    Unknown,
    Same,
    Changed,
}

/// The memo of `k` in `memo`, computed by `compare` (whether it is the same) once.
fn memoised(memo: &mut [Memo], k: usize, compare: impl FnOnce() -> bool) -> bool {
    match memo.get(k) {
        Some(Memo::Same) => false,
        Some(Memo::Changed) => true,
        Some(Memo::Unknown) => {
            let changed = !compare();
            memo[k] = if changed { Memo::Changed } else { Memo::Same };
            changed
        }
        None => !compare(),
    }
}

impl<'a> Diff<'a> {
    /// A diff of `old` against `new`.
    pub fn new(old: &'a Compiled, new: &'a Compiled) -> Self {
        Diff {
            old,
            new,
            contexts: vec![Memo::Unknown; new.routing.contexts.len()],
            peerings: vec![Memo::Unknown; new.design.peerings.len()],
            programs: HashMap::default(),
            any_peering: None,
            prefixes: HashMap::new(),
            tag_prefixes: HashMap::default(),
        }
    }

    /// How an edit meets a kept footprint: not at all, wholly, or only through rows of route
    /// contexts ([`Diff::changed_prefixes`]) and tags of NSG programs
    /// ([`Diff::changed_tag_prefixes`]), whose prefixes then decide per cell.
    pub fn touch(&mut self, set: &[Read]) -> Touch {
        let mut near = Vec::new();
        for &read in set {
            if !self.changed(read) {
                continue;
            }
            match read.of() {
                ReadOf::Context(ctx) => match self.changed_prefixes(ctx) {
                    Some(prefixes) => near.extend(prefixes),
                    None => return Touch::Yes,
                },
                ReadOf::Point(point) => match self.changed_tag_prefixes(point) {
                    Some(prefixes) => near.extend(prefixes),
                    None => return Touch::Yes,
                },
                _ => return Touch::Yes,
            }
        }
        if near.is_empty() {
            Touch::No
        } else {
            Touch::Near(near)
        }
    }

    /// Whether what `read` reads differs between the two designs.
    pub fn changed(&mut self, read: Read) -> bool {
        let (old, new) = (self.old, self.new);
        match read.of() {
            ReadOf::Context(ctx) => memoised(&mut self.contexts, usize::from(ctx), || {
                old.routing.contexts.get(ctx) == new.routing.contexts.get(ctx)
            }),
            ReadOf::Point(point) => {
                match (old.policies.nsg_at(point), new.policies.nsg_at(point)) {
                    (None, None) => false,
                    (Some(a), Some(b)) => {
                        *self.programs.entry(program_pair(a, b)).or_insert_with(|| {
                            old.policies.programs.get(a) != new.policies.programs.get(b)
                        })
                    }
                    _ => true,
                }
            }
            ReadOf::Peering(p) => memoised(&mut self.peerings, usize::from(p), || {
                same_peering(old, new, p)
            }),
            ReadOf::AllPeerings => *self.any_peering.get_or_insert_with(|| {
                let n = old.design.peerings.len();
                n != new.design.peerings.len()
                    || (0..n).any(|p| !same_peering(old, new, PeeringIx::from(p)))
            }),
            ReadOf::Opaque => true,
        }
    }

    /// How the program at NSG point `point` changed when only its `VirtualNetwork` tag's
    /// prefixes did ([`CompiledNsg::tag_change`](crate::engine::nsg::CompiledNsg::tag_change)): the
    /// prefixes in one tag and not the other. `None` when anything else differs. An NSG sees
    /// only the packet's two addresses, which are the cell's endpoints' (the walk translates
    /// none), so a cell whose endpoints are outside these prefixes gets the same answers: a
    /// peering flag that adds or removes a VNet from a hub's tag no longer re-walks the pairs
    /// that cross the hub between its own spokes.
    pub fn changed_tag_prefixes(&mut self, point: NsgPoint) -> Option<Vec<Ipv4Net>> {
        let (old, new) = (self.old, self.new);
        let (a, b) = (old.policies.nsg_at(point)?, new.policies.nsg_at(point)?);
        let key = program_pair(a, b);
        if let Some(known) = self.tag_prefixes.get(&key) {
            return known.clone();
        }
        let found = old
            .policies
            .programs
            .get(a)?
            .tag_change(new.policies.programs.get(b)?);
        self.tag_prefixes.insert(key, found.clone());
        found
    }

    /// How route context `ctx` changed when only its rows and its `VirtualNetwork` tag did: the
    /// prefixes whose rows differ (added, removed or changed) and those in one tag and not the
    /// other. `None` when anything else differs (its table, connected groups, or peered VNets
    /// when it has groups), so every lookup in it may differ.
    ///
    /// The walk looks a context up only for the packet's destination (the request's or the
    /// reply's, so one of the cell's two endpoint addresses), reads the row that won and rows
    /// containing the destination, asks its tag only whether the packet's source or
    /// destination is in it (appliance rules), and reads its other fields whole: a packet
    /// between addresses no changed prefix contains gets the same answers.
    pub fn changed_prefixes(&mut self, ctx: CtxIx) -> Option<Vec<Ipv4Net>> {
        if let Some(known) = self.prefixes.get(&usize::from(ctx)) {
            return known.clone();
        }
        let found = rows_changed(
            self.old.routing.contexts.get(ctx)?,
            self.new.routing.contexts.get(ctx)?,
        );
        self.prefixes.insert(usize::from(ctx), found.clone());
        found
    }

    /// Per VNet (by index), whether a read it owns ([`owners`], in either design) changed:
    /// every route context, NSG point and peering is compared once (linear in the design,
    /// memoised with the reads of kept footprints).
    pub fn changed_vnets(&mut self) -> Vec<bool> {
        let (old, new) = (self.old, self.new);
        let mut changed = vec![false; old.design.vnets.len().max(new.design.vnets.len())];
        let mut reads: Vec<Read> = (0..new.routing.contexts.len())
            .map(|ctx| Read::context(CtxIx::from(ctx)))
            .chain(
                (0..new.index.subnets.len())
                    .map(|s| Read::point(NsgPoint::Subnet(SubnetIx::from(s)))),
            )
            .chain((0..new.design.peerings.len()).map(|p| Read::peering(PeeringIx::from(p))))
            .collect();
        for (vm, machine) in new.design.vms.iter().enumerate() {
            reads.extend((0..machine.nics.len()).map(|slot| {
                Read::point(NsgPoint::Nic(NicIx {
                    vm: VmIx::from(vm),
                    slot,
                }))
            }));
        }
        for read in reads {
            if self.changed(read) {
                for v in owners(old, read)
                    .into_iter()
                    .chain(owners(new, read))
                    .flatten()
                {
                    if let Some(flag) = changed.get_mut(usize::from(v)) {
                        *flag = true;
                    }
                }
            }
        }
        changed
    }
}

/// The prefixes whose rows differ between two versions of one context, and those in one
/// `VirtualNetwork` tag and not the other, when nothing else differs (see
/// [`Diff::changed_prefixes`]).
fn rows_changed(old: &RouteContext, new: &RouteContext) -> Option<Vec<Ipv4Net>> {
    if old.vnet != new.vnet
        || old.subnet != new.subnet
        || old.table != new.table
        || old.groups != new.groups
        // The peered VNets matter only to connected groups' routes (equal, checked above).
        || (!old.groups.is_empty() && old.peered != new.peered)
    {
        return None;
    }
    // Rows by prefix, in table order within a prefix (which row of a prefix wins depends on
    // its source and on the others).
    fn by_prefix(c: &RouteContext) -> Vec<(Ipv4Net, &RouteRow)> {
        let mut rows: Vec<(Ipv4Net, &RouteRow)> = c.rows.iter().map(|r| (r.prefix, r)).collect();
        rows.sort_by_key(|(prefix, _)| *prefix);
        rows
    }
    let (a, b) = (by_prefix(old), by_prefix(new));
    let mut prefixes: Vec<Ipv4Net> = a.iter().chain(&b).map(|(p, _)| *p).collect();
    prefixes.sort();
    prefixes.dedup();
    fn rows_at<'a>(
        list: &'a [(Ipv4Net, &'a RouteRow)],
        p: Ipv4Net,
    ) -> &'a [(Ipv4Net, &'a RouteRow)] {
        let start = list.partition_point(|(q, _)| *q < p);
        let end = list.partition_point(|(q, _)| *q <= p);
        &list[start..end]
    }
    let mut changed: Vec<Ipv4Net> = prefixes
        .into_iter()
        .filter(|&p| rows_at(&a, p) != rows_at(&b, p))
        .collect();
    // The `VirtualNetwork` tag is read only as whether the packet's source or destination is
    // in it (appliance rules): the prefixes in one tag and not the other decide like rows.
    changed.extend(symmetric_difference(&old.vnet_tag, &new.vnet_tag));
    Some(changed)
}

/// An (old program, new program) pair packed in a `u64`, the key of the program memos.
fn program_pair(old: ProgramIx, new: ProgramIx) -> u64 {
    (usize::from(old) as u64) << 32 ^ usize::from(new) as u64
}

fn same_peering(old: &Compiled, new: &Compiled, p: PeeringIx) -> bool {
    old.peerings().get(p) == new.peerings().get(p)
        && old.index.peerings.get(p) == new.index.peerings.get(p)
        && old.index.peered_space.get(p) == new.index.peered_space.get(p)
}
