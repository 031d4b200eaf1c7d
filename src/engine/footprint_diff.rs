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
use crate::engine::ix::{CtxIx, NicIx, PeeringIx, SubnetIx, VmIx, VnetIx};
use crate::engine::policies::NsgPoint;
use crate::engine::prefixes::symmetric_difference;
use crate::engine::routes::{RouteContext, RouteRow};
use ipnet::Ipv4Net;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

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
            // Kept routing: every context is the same without comparing it.
            contexts: vec![
                if new.same_routing(old) {
                    Memo::Same
                } else {
                    Memo::Unknown
                };
                new.routing.contexts.len()
            ],
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
                let (was, is) = (old.routing.contexts.get(ctx), new.routing.contexts.get(ctx));
                // A context kept from the previous revision is shared.
                was.zip(is).is_some_and(|(a, b)| Arc::ptr_eq(a, b)) || was == is
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
            // Not a read of anything in particular: the cell's home VNets' peerings decide
            // (`Homes`, `VnetChanges::peerings`).
            ReadOf::HomePeering(_) => false,
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

    /// What changed in the VNets, for the reads no footprint keeps (`Homes`): per VNet, how its
    /// route contexts and NSG points changed (not at all, wholly, or only at some prefixes, as
    /// [`Diff::touch`] tells for a kept read), and the owners of every peering that changed.
    /// Every route context, NSG point and peering is compared once (linear in the design,
    /// memoised with the reads of kept footprints).
    pub fn changed_vnets(&mut self) -> VnetChanges {
        let (old, new) = (self.old, self.new);
        let mut changes = VnetChanges {
            vnets: vec![Touch::No; old.design.vnets.len().max(new.design.vnets.len())],
            peerings: Vec::new(),
        };
        let mut reads: Vec<Read> = (0..new.routing.contexts.len())
            .map(|ctx| Read::context(CtxIx::from(ctx)))
            .chain(
                (0..new.index.subnets.len())
                    .map(|s| Read::point(NsgPoint::Subnet(SubnetIx::from(s)))),
            )
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
            let touch = self.touch(&[read]);
            if touch == Touch::No {
                continue;
            }
            for v in owners(old, read)
                .into_iter()
                .chain(owners(new, read))
                .flatten()
            {
                if let Some(slot) = changes.vnets.get_mut(usize::from(v)) {
                    slot.add(&touch);
                }
            }
        }
        for p in (0..new.design.peerings.len()).map(PeeringIx::from) {
            let read = Read::peering(p);
            if self.changed(read) {
                let (was, is) = (owners(old, read), owners(new, read));
                changes.peerings.push(was);
                if is != was {
                    changes.peerings.push(is);
                }
            }
        }
        changes
    }
}

impl Touch {
    /// This touch and `other` together: wholly if either is, else at both's prefixes.
    fn add(&mut self, other: &Touch) {
        match (&mut *self, other) {
            (_, Touch::No) | (Touch::Yes, _) => {}
            (Touch::Near(mine), Touch::Near(theirs)) => mine.extend_from_slice(theirs),
            (me, other) => *me = other.clone(),
        }
    }
}

/// What an edit changed in the VNets ([`Diff::changed_vnets`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct VnetChanges {
    /// Per VNet (by index): how the route contexts and NSG points it owns changed. A cell with
    /// an endpoint in a VNet changed at some prefixes is touched when one of them holds either
    /// endpoint's address (the walk asks a context or an NSG only about those two).
    pub vnets: Vec<Touch>,
    /// The owners (local and remote VNet, in either design) of each peering that changed.
    pub peerings: Vec<[Option<VnetIx>; 2]>,
}

impl VnetChanges {
    /// Whether VNet `v` owns a changed peering.
    pub fn peering_of(&self, v: VnetIx) -> bool {
        self.peerings.iter().any(|owners| owners.contains(&Some(v)))
    }

    /// Whether a changed peering joins one of the VNets `homes` to a third VNet that footprint
    /// `set` (sorted) marks ([`Read::home_peering_to`]): the cell read a peering between them,
    /// perhaps that one.
    pub fn leads_to_marked(&self, homes: [Option<VnetIx>; 2], set: &[Read]) -> bool {
        let home = |v: &Option<VnetIx>| v.is_some() && homes.contains(v);
        self.peerings.iter().any(|owners| {
            owners.iter().any(home)
                && owners
                    .iter()
                    .filter(|v| !home(v))
                    .any(|v| set.binary_search(&Read::home_peering_to(*v)).is_ok())
        })
    }

    /// Whether a changed peering joins the two VNets `homes` (each of its owners is one of
    /// them): a cell between them reads it without keeping the read.
    pub fn joins(&self, homes: [Option<VnetIx>; 2]) -> bool {
        self.peerings.iter().any(|owners| {
            owners.iter().any(Option::is_some)
                && owners.iter().flatten().all(|v| homes.contains(&Some(*v)))
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_peering_joins_the_cells_between_its_two_vnets_only() {
        let (hub, spoke, other) = (VnetIx::from(0), VnetIx::from(1), VnetIx::from(2));
        let changes = VnetChanges {
            vnets: vec![Touch::No; 3],
            peerings: vec![[Some(spoke), Some(hub)]],
        };
        assert!(changes.peering_of(hub) && changes.peering_of(spoke));
        assert!(!changes.peering_of(other));
        // Between its two VNets, either way round: the walk reads it without keeping it.
        assert!(changes.joins([Some(hub), Some(spoke)]));
        assert!(changes.joins([Some(spoke), Some(hub)]));
        // One end elsewhere, or not in a VNet: such a walk keeps a home-peering mark instead.
        assert!(!changes.joins([Some(hub), Some(other)]));
        assert!(!changes.joins([Some(hub), None]));
        // A peering to a VNet missing from the design joins the cells of its one VNet.
        let dangling = VnetChanges {
            vnets: Vec::new(),
            peerings: vec![[Some(spoke), None]],
        };
        assert!(dangling.joins([Some(spoke), Some(other)]));
        assert!(dangling.joins([Some(spoke), Some(spoke)]));
    }

    #[test]
    fn a_changed_peering_meets_a_mark_for_the_vnet_across_it_from_a_home() {
        let (hub, spoke, other, hub2) = (
            VnetIx::from(0),
            VnetIx::from(1),
            VnetIx::from(2),
            VnetIx::from(3),
        );
        let changes = VnetChanges {
            vnets: vec![Touch::No; 4],
            peerings: vec![[Some(spoke), Some(hub)]],
        };
        let marks = |vnets: &[VnetIx]| {
            let mut set: Vec<Read> = vnets
                .iter()
                .map(|&v| Read::home_peering_to(Some(v)))
                .collect();
            set.sort_unstable();
            set
        };
        // A cell of the hub that read a hub peering leading to the spoke: perhaps this one.
        assert!(changes.leads_to_marked([Some(hub), Some(other)], &marks(&[spoke, hub2])));
        // A cell of the spoke that read its peering to the hub.
        assert!(changes.leads_to_marked([Some(spoke), None], &marks(&[hub])));
        // A cell of the hub whose peering reads led to the other hub only: not this one.
        assert!(!changes.leads_to_marked([Some(hub), Some(other)], &marks(&[hub2])));
        // Neither end is a home VNet of the cell: a kept read would say it, not a mark.
        assert!(!changes.leads_to_marked([Some(other), Some(hub2)], &marks(&[spoke, hub])));
        // A mark for a VNet missing from the design meets only a peering to nowhere.
        assert!(!changes.leads_to_marked([Some(hub), None], &[Read::home_peering_to(None)]));
    }

    #[test]
    fn touches_add_up_to_the_widest() {
        let net = |text: &str| text.parse::<Ipv4Net>().expect("a prefix");
        let mut touch = Touch::No;
        touch.add(&Touch::No);
        assert_eq!(touch, Touch::No);
        touch.add(&Touch::Near(vec![net("10.1.0.0/16")]));
        touch.add(&Touch::Near(vec![net("10.2.0.0/16")]));
        assert_eq!(
            touch,
            Touch::Near(vec![net("10.1.0.0/16"), net("10.2.0.0/16")])
        );
        touch.add(&Touch::Yes);
        touch.add(&Touch::Near(vec![net("10.3.0.0/16")]));
        assert_eq!(touch, Touch::Yes);
    }
}
