//! The walker's only way into the keyed part of the compiled design (see `footprint`): route
//! contexts, the compiled NSG at each attachment point and each peering. Every accessor
//! records a [`Read`] in the walk's output before it answers, so a cell's footprint holds all
//! that its walk read there; the other walk files never name those tables (a test scans them).

use super::walker::Walker;
use crate::engine::footprint::{self, Read};
use crate::engine::index::PeeringFacts;
use crate::engine::ix::{CtxIx, PeeringIx, VnetIx};
use crate::engine::nsg::CompiledNsg;
use crate::engine::policies::NsgPoint;
use crate::engine::routes::RouteContext;
use crate::model::Peering;
use ipnet::Ipv4Net;

/// One peering as the walk sees it.
#[derive(Clone, Copy)]
pub(super) struct PeeringView<'a> {
    /// The resource.
    pub model: &'a Peering,
    /// Its derived facts.
    pub facts: &'a PeeringFacts,
    /// The remote prefixes it carries.
    pub space: &'a [Ipv4Net],
}

impl<'a> Walker<'a> {
    /// Records `read`, whose owners (`footprint::owners`) the accessor passes from what it
    /// looked up anyway: finding them again from the packed read was a tenth of a recorded
    /// walk.
    fn note(&mut self, read: Read, owners: impl FnOnce() -> [Option<VnetIx>; 2]) {
        // The walk reads the same context several times in a row: keep the list short. Reads
        // in the cell's home VNets are covered per VNet (`footprint::Homes`): not kept.
        if !self.out.record || self.out.reads.last() == Some(&read) {
            return;
        }
        let owners = owners();
        debug_assert_eq!(owners, footprint::owners(self.c, read));
        let homes = self.out.homes;
        let at_home = |v: &Option<VnetIx>| v.is_some() && homes.contains(v);
        if !owners.iter().any(at_home) {
            self.out.reads.push(read);
        } else if read.is_peering()
            && let Some(third) = owners.iter().find(|v| !at_home(v))
        {
            // A home VNet's peering to a third VNet: which peering is not kept (one set per
            // spoke pair otherwise), only the third VNet, so that a change to a peering
            // between a home VNet and that VNet re-walks the cell (`footprint::Homes`). A
            // peering joining the cell's two VNets is covered by them.
            self.out.reads.push(Read::home_peering_to(*third));
        }
    }

    /// Route context `ctx` (recorded).
    pub(super) fn context(&mut self, ctx: CtxIx) -> &'a RouteContext {
        let c = self.c;
        let context = &c.routing.contexts[ctx];
        self.note(Read::context(ctx), || [Some(context.vnet), None]);
        context
    }

    /// The compiled NSG at `point`, if any (recorded, also when there is none).
    pub(super) fn program_at(&mut self, point: NsgPoint) -> Option<&'a CompiledNsg> {
        let c = self.c;
        self.note(Read::point(point), || {
            let vnet = match point {
                NsgPoint::Subnet(s) => c.index.subnets.get(s).map(|info| info.vnet),
                NsgPoint::Nic(nic) => c.index.nic_vnet(nic),
            };
            [vnet, None]
        });
        c.policies.program_at(point)
    }

    /// Peering `p` (recorded).
    pub(super) fn peering(&mut self, p: PeeringIx) -> PeeringView<'a> {
        let seen = view(self.c, p);
        self.note(Read::peering(p), || [seen.facts.local, seen.facts.remote]);
        seen
    }

    /// The peerings with VNet `x` at either end, in design order: what a scan of every
    /// peering keeping those of `x` finds. Which peerings those are follows from every
    /// peering's ends, part of the rest (`footprint::same_rest`), so a short scan records only
    /// the peerings its caller reads ([`Walker::scanned`]): a scan that stops at the first
    /// match recorded as a read of each peering it passed reads the same ones again unless
    /// one of them changed. A scan of more than [`SCAN_READS`] peerings (a big hub's) is
    /// recorded as a scan of all of them instead, so a footprint stays short.
    pub(super) fn peerings_of(&mut self, x: VnetIx) -> Scan<'a> {
        let ids: &'a [PeeringIx] = self
            .c
            .index
            .peerings_of
            .get(x)
            .map_or(&[], |list| list.as_slice());
        let whole = ids.len() > SCAN_READS;
        if whole {
            self.note(Read::ALL, || [None, None]);
        }
        Scan { ids, whole }
    }

    /// Peering `p` of `scan`: recorded, unless the scan was recorded whole.
    pub(super) fn scanned(&mut self, scan: &Scan<'a>, p: PeeringIx) -> PeeringView<'a> {
        if scan.whole {
            view(self.c, p)
        } else {
            self.peering(p)
        }
    }
}

/// The longest scan of a VNet's peerings recorded peering by peering (see
/// [`Walker::peerings_of`]).
const SCAN_READS: usize = 16;

/// The peerings of one VNet, as [`Walker::peerings_of`] found them.
pub(super) struct Scan<'a> {
    /// Their indexes, in design order.
    pub ids: &'a [PeeringIx],
    /// Recorded as a scan of every peering: reading one records nothing more.
    whole: bool,
}

fn view(c: &crate::engine::compile::Compiled, p: PeeringIx) -> PeeringView<'_> {
    PeeringView {
        model: &c.peerings()[p],
        facts: &c.index.peerings[p],
        space: &c.index.peered_space[p],
    }
}

#[cfg(test)]
mod tests {
    /// The walk files other than this one, which must reach the keyed tables only through the
    /// accessors above (a direct read would be missing from the footprint: a wrong answer
    /// after an edit).
    const WALK_FILES: [(&str, &str); 4] = [
        ("walker.rs", include_str!("walker.rs")),
        ("dispatch.rs", include_str!("dispatch.rs")),
        ("hops.rs", include_str!("hops.rs")),
        ("why.rs", include_str!("why.rs")),
    ];

    #[test]
    fn the_walk_reads_keyed_tables_only_through_recording_accessors() {
        let forbidden = [
            "c.ctx(",
            "routing.contexts",
            "policies.",
            "peerings()",
            "index.peerings",
            "peered_space",
            "design.peerings",
        ];
        for (file, text) in WALK_FILES {
            for pattern in forbidden {
                assert!(
                    !text.contains(pattern),
                    "walk/{file} reads `{pattern}` without recording it"
                );
            }
        }
    }
}
