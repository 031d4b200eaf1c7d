//! The fast engine's analysis after an edit (issue 10, item 3): compile afresh (cheap), compute
//! the classes afresh, and when they are the previous revision's partition (same endpoints,
//! same places, same class of each), re-walk only the class cells whose footprint
//! (`footprint`) meets what the edit changed; every other cell keeps its previous outcome.
//!
//! Falls back to walking every cell when the previous analysis kept no footprints (reference
//! engine), the flow differs, the partition or an endpoint moved, anything outside the keyed
//! reads differs (`footprint::same_rest`: a renamed object, a new VM, a gateway's learned
//! routes, an object added or removed so indexes shift...), or more than half the cells are
//! touched (then the parallel full walk is as fast).
//!
//! Cost when reusing: one class computation, one comparison of the rest, one comparison per
//! distinct read the footprints hold, and per cell a lookup (or a walk when touched).

use super::allpairs::{Analysis, Outcomes, Rows, Scratch, analyze_classes, count, uncount};
use super::classes::Classes;
use super::compile::Compiled;
use super::footprint::{CellReads, Diff, Sets, same_rest};
use super::ix::ClassIx;
use super::walk::Spot;
use crate::model::{Endpoint, Flow};
use std::sync::Arc;

/// The previous revision: its compiled design, endpoint places and fast analysis.
pub(crate) struct Basis<'a> {
    pub c: &'a Compiled,
    pub spots: &'a [Spot],
    pub analysis: &'a Analysis,
}

/// How an analysis after an edit was obtained (for tests and the debug log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reuse {
    /// Every cell was walked.
    Full,
    /// Only `walked` of `cells` cells were walked.
    Cells { walked: usize, cells: usize },
}

/// The fast analysis of `c`, reusing the cells of `basis` its edit did not touch.
pub(crate) fn analyze_after(
    c: &Compiled,
    endpoints: &Arc<[Endpoint]>,
    spots: &[Spot],
    flow: Flow,
    basis: &Basis<'_>,
) -> (Analysis, Reuse) {
    let classes = Classes::of(c, spots);
    match reuse(c, endpoints, spots, flow, &classes, basis) {
        Some(done) => done,
        None => (
            analyze_classes(c, endpoints, spots, flow, classes, true, None),
            Reuse::Full,
        ),
    }
}

fn reuse(
    c: &Compiled,
    endpoints: &Arc<[Endpoint]>,
    spots: &[Spot],
    flow: Flow,
    classes: &Classes,
    basis: &Basis<'_>,
) -> Option<(Analysis, Reuse)> {
    let before = basis.analysis;
    let footprints = before.footprints()?;
    let n = classes.members.len();
    if before.flow() != flow
        || footprints.cells.len() != before.cell_outcomes().0.len()
        || before.class_of() != classes.class_of.as_slice()
        || before.classes() != n
        || basis.spots != spots
        || footprints.cells.len() != n * n
        || !same_rest(basis.c, c)
    {
        return None;
    }
    let mut diff = Diff::new(basis.c, c);
    let touched: Vec<bool> = (0..footprints.sets.len())
        .map(|k| diff.touches(footprints.sets.get(u32::try_from(k).unwrap_or(u32::MAX))))
        .collect();
    let walk: Vec<usize> = (0..footprints.cells.len())
        .filter(|&cell| touched[footprints.cells[cell] as usize])
        .collect();
    // Touched cells are walked on this thread: past a share of the matrix, the full walk on
    // every core is as fast.
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if walk.len() * threads.max(2) > footprints.cells.len() {
        return None;
    }
    let rows = Rows {
        c,
        spots,
        members: &classes.members,
        flow,
        record: true,
    };
    let (old_cells, old_outcomes) = before.cell_outcomes();
    let mut outcomes = Outcomes::from_list(old_outcomes.to_vec());
    let mut cells = old_cells.to_vec();
    let mut reads = footprints.clone();
    let mut summary = before.summary();
    let mut scratch = Scratch::default();
    for &cell in &walk {
        let (a, b) = (ClassIx::from(cell / n), ClassIx::from(cell % n));
        let pairs = rows.pairs(a, b);
        uncount(&mut summary, pairs, &old_outcomes[old_cells[cell] as usize]);
        rows.walk_cell(a, b, &mut scratch);
        count(&mut summary, pairs, &scratch.codes);
        cells[cell] = outcomes.id(&scratch.codes);
        reads.cells[cell] = reads.sets.intern(&mut scratch.reads);
    }
    // Sets no cell uses any more pile up over a long session: drop them now and then.
    if reads.sets.len() > 2 * reads.built_with + 1024 {
        reads = compact(&reads);
    }
    tracing::debug!(
        walked = walk.len(),
        cells = n * n,
        "cells re-walked after the edit"
    );
    let reuse = Reuse::Cells {
        walked: walk.len(),
        cells: n * n,
    };
    let analysis = Analysis::assemble(
        flow,
        endpoints,
        classes.class_of.clone(),
        n,
        (cells, outcomes.list),
        summary,
        Some(Arc::new(reads)),
    );
    Some((analysis, reuse))
}

/// The same footprints without the sets no cell uses.
fn compact(reads: &CellReads) -> CellReads {
    let mut sets = Sets::default();
    let mut renamed: Vec<Option<u32>> = vec![None; reads.sets.len()];
    let cells = reads
        .cells
        .iter()
        .map(|&id| *renamed[id as usize].get_or_insert_with(|| sets.insert(reads.sets.get(id))))
        .collect();
    CellReads {
        cells,
        built_with: sets.len(),
        sets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{EngineKind, Tracer};
    use crate::model::generate::{HubSpokeParams, hub_spoke};
    use crate::model::{Access, Design};

    fn design() -> Design {
        hub_spoke(&HubSpokeParams {
            hubs: 2,
            spokes: 6,
            subnets_per_spoke: 2,
            vms_per_subnet: 2,
        })
        .expect("valid counts")
    }

    fn same(a: &Analysis, b: &Analysis) {
        let n = a.endpoints().len();
        assert_eq!(n, b.endpoints().len());
        assert_eq!(a.summary(), b.summary());
        for x in 0..n {
            for y in 0..n {
                assert_eq!(a.reasons(x, y), b.reasons(x, y), "pair {x} → {y}");
            }
        }
    }

    fn after(before: &Design, edited: &Design) -> (Analysis, Reuse) {
        let old = Tracer::new(before);
        let analysis = old.analyze(Flow::DEFAULT, EngineKind::Fast);
        let new = Tracer::new(edited);
        let (incremental, how) = new.analyze_after(Flow::DEFAULT, &old, &analysis);
        same(&incremental, &new.analyze(Flow::DEFAULT, EngineKind::Fast));
        (incremental, how)
    }

    #[test]
    fn an_unchanged_design_walks_no_cell() {
        let d = design();
        let (_, how) = after(&d, &d);
        assert!(matches!(how, Reuse::Cells { walked: 0, .. }), "{how:?}");
    }

    #[test]
    fn an_nsg_rule_of_one_subnet_walks_only_cells_that_read_its_nsg() {
        let d = design();
        let mut edited = d.clone();
        let at = edited
            .nsgs
            .iter()
            .position(|n| !n.rules.is_empty())
            .expect("the generator writes NSG rules");
        let rule = &mut edited.nsgs[at].rules[0];
        rule.access = match rule.access {
            Access::Allow => Access::Deny,
            Access::Deny => Access::Allow,
        };
        let (_, how) = after(&d, &edited);
        let Reuse::Cells { walked, cells } = how else {
            panic!("an NSG rule reuses cells: {how:?}");
        };
        assert!(walked > 0 && walked < cells, "{walked} of {cells}");
    }

    #[test]
    fn a_flag_on_a_spokes_peering_reuses_what_does_not_cross_it() {
        let d = design();
        let mut edited = d.clone();
        let p = &mut edited.peerings[0];
        p.allow_forwarded_traffic = !p.allow_forwarded_traffic;
        let (_, how) = after(&d, &edited);
        assert!(matches!(how, Reuse::Cells { .. }), "{how:?}");
    }

    #[test]
    fn a_renamed_vm_walks_everything_and_still_agrees() {
        let d = design();
        let mut edited = d.clone();
        edited.vms[0].name.push_str("-renamed");
        let (_, how) = after(&d, &edited);
        assert_eq!(how, Reuse::Full);
    }

    #[test]
    fn compacting_keeps_every_cells_footprint_and_drops_unused_sets() {
        let d = design();
        let analysis = Tracer::new(&d).analyze(Flow::DEFAULT, EngineKind::Fast);
        let mut reads = analysis.footprints().expect("fast").clone();
        let never_read = crate::engine::ix::CtxIx::from(usize::MAX >> 8);
        let mut extra = vec![crate::engine::footprint::Read::context(never_read)];
        reads.sets.intern(&mut extra);
        let compacted = compact(&reads);
        assert_eq!(compacted.sets.len(), reads.sets.len() - 1);
        for (&a, &b) in reads.cells.iter().zip(&compacted.cells) {
            assert_eq!(reads.sets.get(a), compacted.sets.get(b));
        }
    }

    #[test]
    fn the_reference_engine_keeps_no_footprints() {
        let d = design();
        let old = Tracer::new(&d);
        let reference = old.analyze(Flow::DEFAULT, EngineKind::Reference);
        assert!(reference.footprints().is_none());
        let (_, how) = Tracer::new(&d).analyze_after(Flow::DEFAULT, &old, &reference);
        assert_eq!(how, Reuse::Full);
    }
}
