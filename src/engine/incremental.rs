//! The fast engine's analysis after an edit (issue 10, item 3): the design is compiled again
//! (keeping the endpoint list, the index parts built from lists the edit left alone and
//! unchanged NSGs' rules, `Tracer::after`), the classes are kept when no class key can have
//! changed and grouped afresh otherwise (`Classes::after`), and only the class cells the edit
//! touched are re-walked. A cell keeps its previous outcome when both its classes have exactly
//! the members they had (so the same representatives; an edit that splits or merges a class
//! re-walks that class's row and column only), neither of its endpoints' VNets changed in a way
//! the cell can see (`footprint::Homes`: a route context or NSG point of the VNet, wholly or at
//! one of the cell's two addresses; a peering of the VNet to the other endpoint's VNet, or to a
//! third VNet the cell read a peering to), and no read of its kept footprint (the transit reads
//! between the two VNets) changed.
//!
//! Falls back to walking every cell, recording footprints, when the previous analysis kept none
//! (one made by `analyze`, as a one-shot command makes it, or by the reference engine), the
//! flow differs, an endpoint moved, anything outside the keyed reads differs
//! (`footprint::same_rest`: a renamed object, a new VM, a gateway's learned routes, an object
//! added or removed so indexes shift...), or nearly every cell is touched.
//!
//! Cost when reusing:
//! - the classes (kept, or one class computation), and one comparison of the rest and of every
//!   route context, NSG point and peering (linear in the design);
//! - the previous cells: their outcome and footprint ids are shared tile by tile (`grid`), and
//!   only the tiles the walk rewrites are copied;
//! - listing the touched cells, and a walk per touched cell (on every core when they are many).
//!
//! When every class kept its members and its number or is new (the usual edit; also one that splits
//! or merges a few classes, which `Classes::numbered_like` numbers so that the others keep theirs),
//! the grids start as the previous ones (`Grid::resized` to the new count, so sharing every tile
//! the walk does not rewrite) and the listing reads the footprints of the rows and columns of the
//! VNets with a change (a new class's whole row and column), and elsewhere only of the tiles whose
//! mask (`grid`) may hold a touched footprint; the summary is corrected for the walked cells (and,
//! after a split, for the previous classes that changed). An edit that renumbers classes (one that
//! changes more design prefixes than `Classes::after` regroups by, so the classes are grouped
//! afresh) has the footprints rebuilt tile by tile, each tile row copied from the previous grid in
//! runs of columns whose previous classes are consecutive (`column_runs`), then only the cells a
//! check can walk are checked (the new classes' columns, the columns of VNets with a change, and
//! whole rows only when a footprint was touched or the row's VNet changed); the outcomes are copied
//! the same way (`carried_cells`), and the summary is corrected as after a split. That copies every
//! previous footprint and outcome: at 1,008 classes about 2.3–2.9 ms where an edit in place lists
//! its cells in about 0.3–0.6 ms.
//!
//! Memory: one footprint id per cell besides its outcome id, and the distinct transit footprints
//! (a handful on a hub-and-spoke design).

use super::allpairs::{
    Outcomes, Rows, Scratch, analyze_classes, count, in_blocks, ordered_pairs, representatives,
    uncount,
};
use super::analysis::Analysis;
use super::classes::Classes;
use super::compile::Compiled;
use super::footprint::{CellReads, Diff, Homes, Sets, Touch, same_rest};
use super::grid::{Grid, SIDE};
use super::ix::ClassIx;
use super::types::ReasonCode;
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
    let classes = Classes::after(c, spots, (basis.c, basis.spots, basis.analysis.class_of()));
    match reuse(c, endpoints, spots, flow, &classes, basis) {
        Ok(done) => done,
        Err(Fallback) => (
            analyze_classes(c, endpoints, spots, flow, classes, true, None)
                .sharing_names_with(basis.analysis),
            Reuse::Full,
        ),
    }
}

/// Why an analysis after an edit walks every cell (see the module documentation).
struct Fallback;

fn reuse(
    c: &Compiled,
    endpoints: &Arc<[Endpoint]>,
    spots: &[Spot],
    flow: Flow,
    classes: &Classes,
    basis: &Basis<'_>,
) -> Result<(Analysis, Reuse), Fallback> {
    let before = basis.analysis;
    let footprints = before.footprints().ok_or(Fallback)?;
    let (old_cells, old_outcomes) = before.cell_outcomes();
    let (n, m) = (classes.members.len(), before.classes());
    if before.flow() != flow
        || basis.spots != spots
        || before.class_of().len() != classes.class_of.len()
        || footprints.cells.side() != m
        || old_cells.side() != m
        || !same_rest(basis.c, c)
    {
        return Err(Fallback);
    }
    let was = same_classes(before.class_of(), m, classes);
    let mut diff = Diff::new(basis.c, c);
    let touched: Vec<Touch> = (0..footprints.sets.len())
        .map(|k| diff.touch(footprints.sets.get(u32::try_from(k).unwrap_or(u32::MAX))))
        .collect();
    // A reused cell's classes have the same members, so the same home VNets as when it was
    // walked (the rest, which places NICs in VNets, is the same).
    let homes = Homes::of(c, spots, &classes.members);
    let changes = diff.changed_vnets();
    // With many changed peerings, testing each cell against them costs more than it saves:
    // their VNets then count as changed whole.
    let whole = changes.peerings.len() > PEERINGS_PER_CELL;
    let home_touch = |a: ClassIx| -> &Touch {
        homes
            .get(a)
            .and_then(|v| changes.vnets.get(usize::from(v)))
            .unwrap_or(&Touch::No)
    };
    // Whether the class's VNet has a changed peering.
    let peering_changed: Vec<bool> = classes
        .members
        .keys()
        .map(|a| homes.get(a).is_some_and(|v| changes.peering_of(v)))
        .collect();
    // Every cell of the class walks: its VNet changed wholly, or the class is new.
    let home_changed: Vec<bool> = classes
        .members
        .keys()
        .map(|a| {
            let a = usize::from(a);
            *home_touch(ClassIx::from(a)) == Touch::Yes
                || (whole && peering_changed[a])
                || was[a].is_none()
        })
        .collect();
    // The class's VNet changed at some prefixes: a cell walks when they hold an endpoint.
    let home_near: Vec<bool> = classes
        .members
        .keys()
        .map(|a| matches!(home_touch(a), Touch::Near(_)))
        .collect();
    // Its cells walk when they read a changed peering (`peering_hit`).
    let peering_home: Vec<bool> = peering_changed.iter().map(|&p| p && !whole).collect();
    // A footprint met only through route rows touches the cells whose endpoints' addresses
    // the changed prefixes contain (a lookup is always for one of them).
    let reaches = |touch: &Touch, a: usize, b: usize| match touch {
        Touch::No => false,
        Touch::Yes => true,
        Touch::Near(_) => representatives(&classes.members, ClassIx::from(a), ClassIx::from(b))
            .is_some_and(|(x, y)| match (spots.get(x), spots.get(y)) {
                (Some(x), Some(y)) => touch.reaches(x.ip, y.ip),
                _ => true,
            }),
    };
    // A cell of a VNet with a changed peering (and no other change) read a changed peering it
    // did not keep when the changed peering joins its two VNets, or joins one of them to a
    // third VNet its footprint marks.
    let peering_hit = |a: usize, b: usize, set: u32| {
        (peering_home[a] || peering_home[b]) && {
            let pair = homes.pair(ClassIx::from(a), ClassIx::from(b));
            changes.joins(pair) || changes.leads_to_marked(pair, footprints.sets.get(set))
        }
    };
    let near_home = |a: usize, b: usize| {
        (home_near[a] && reaches(home_touch(ClassIx::from(a)), a, b))
            || (home_near[b] && reaches(home_touch(ClassIx::from(b)), a, b))
    };
    // What makes a cell of two classes that keep their cells walk: besides a changed kept read,
    // a change in either endpoint's VNet at one of their addresses, or a peering of it.
    let homes_hit = |a: usize, b: usize, set: u32| near_home(a, b) || peering_hit(a, b, set);
    // Per new class: the previous class it is, when its members and its home VNet are the
    // same (its cells may be reused).
    let kept: Vec<Option<usize>> = (0..n)
        .map(|a| was[a].filter(|_| !home_changed[a]))
        .collect();
    // Every class kept its members (the usual edit): the cells start as the previous ones and
    // only the touched ones are listed, and the summary is corrected for them alone.
    let same_layout = n == m && was.iter().enumerate().all(|(a, &old)| old == Some(a));
    // Every class kept its members and its number, or is new (an edit that split or merged a
    // few classes, numbered by `Classes::numbered_like`): the same, with the new classes' rows
    // and columns walked whole (`home_changed`) and the summary corrected as for a split.
    let in_place = was
        .iter()
        .enumerate()
        .all(|(a, &old)| old.is_none_or(|x| x == a));
    let (mut cells, sets_of, mut walk) = if in_place {
        let walks = |a: usize, b: usize| {
            home_changed[b] || {
                let set = footprints.cells.get(a, b);
                reaches(&touched[set as usize], a, b) || homes_hit(a, b, set)
            }
        };
        // The columns a row untouched otherwise checks: those of VNets with a change.
        let columns: Vec<usize> = (0..n)
            .filter(|&b| home_changed[b] || home_near[b] || peering_home[b])
            .collect();
        // The bits of the touched footprints: a tile whose mask has none of them holds none.
        let hot = touched
            .iter()
            .enumerate()
            .filter(|(_, touch)| **touch != Touch::No)
            .fold(0, |mask, (k, _)| {
                mask | Grid::bit(u32::try_from(k).unwrap_or(u32::MAX))
            });
        let mut walk = Vec::new();
        for a in 0..n {
            let row = a * n;
            if home_changed[a] {
                walk.extend(row..row + n);
            } else if home_near[a] || peering_home[a] {
                walk.extend((0..n).filter(|&b| walks(a, b)).map(|b| row + b));
            } else {
                // Tile by tile: every cell where a touched footprint may be, else only the
                // columns of VNets with a change.
                let mut flagged = columns.iter().copied().peekable();
                for (tile, start) in (0..n).step_by(SIDE).enumerate() {
                    let end = (start + SIDE).min(n);
                    if hot & footprints.cells.tile_mask(a / SIDE, tile) != 0 {
                        walk.extend((start..end).filter(|&b| walks(a, b)).map(|b| row + b));
                        while flagged.next_if(|&b| b < end).is_some() {}
                    } else {
                        while let Some(b) = flagged.next_if(|&b| b < end) {
                            if walks(a, b) {
                                walk.push(row + b);
                            }
                        }
                    }
                }
            }
        }
        (old_cells.resized(n), footprints.cells.resized(n), walk)
    } else {
        // Per new cell: the previous outcome and footprint when both classes kept their
        // members (so the cell is the same pair of representatives) and their home VNets, and
        // its footprint is untouched; otherwise a walk. The grid is filled tile by tile, so
        // the previous footprints are read a tile at a time too.
        let touched_any = touched.iter().any(|t| *t != Touch::No);
        // The classes whose cells `homes_hit` may walk (most cells have neither: skip the call).
        let home_checked: Vec<bool> = (0..n).map(|a| home_near[a] || peering_home[a]).collect();
        let mut walk = Vec::new();
        // Whether kept cell (`a`, `b`), whose footprint is `set`, is walked.
        let hit = |a: usize, b: usize, set: u32| {
            (touched_any && reaches(&touched[set as usize], a, b))
                || ((home_checked[a] || home_checked[b]) && homes_hit(a, b, set))
        };
        let runs = column_runs(&kept);
        // Columns walked in every row (a new class, or one whose home changed), and the kept
        // columns `hit` may walk in a row that is not checked whole.
        let unkept: Vec<usize> = (0..n).filter(|&b| kept[b].is_none()).collect();
        let checked: Vec<usize> = (0..n)
            .filter(|&b| home_checked[b] && kept[b].is_some())
            .collect();
        let sets_of = Grid::from_rows(n, |a, start, out| {
            let (end, row) = (start + out.len(), a * n);
            let Some(x) = kept[a] else {
                // A new row: every cell walked (and 0 until then, as the tile starts).
                walk.extend(row + start..row + end);
                return;
            };
            Grid::carry_row(&footprints.cells, (x, start), &runs, out);
            let within = |list: &[usize]| {
                list.partition_point(|&b| b < start)..list.partition_point(|&b| b < end)
            };
            walk.extend(unkept[within(&unkept)].iter().map(|&b| row + b));
            let mut walks = |b: usize| {
                let cell = &mut out[b - start];
                if hit(a, b, *cell) {
                    walk.push(row + b);
                    *cell = 0;
                }
            };
            if touched_any || home_checked[a] {
                (start..end).filter(|&b| kept[b].is_some()).for_each(walks);
            } else {
                checked[within(&checked)].iter().for_each(|&b| walks(b));
            }
        });
        // Tile order is not row order; `in_blocks` below needs row order.
        walk.sort_unstable();
        (carried_cells(old_cells, &kept), sets_of, walk)
    };
    if walk.len() * 10 > 9 * n * n {
        return Err(Fallback);
    }
    // Walked column block by column block, as the cold walk does.
    in_blocks(&mut walk, n);
    let rows = Rows {
        c,
        spots,
        members: &classes.members,
        flow,
        record: true,
        homes: &homes,
    };
    let mut outcomes = Outcomes::from_list(old_outcomes.to_vec());
    let mut reads = CellReads {
        cells: sets_of,
        sets: footprints.sets.clone(),
        built_with: footprints.built_with,
    };
    for part in walk_cells(&rows, &walk, n) {
        let outcome: Vec<u32> = part
            .outcomes
            .iter()
            .map(|codes| outcomes.id(codes))
            .collect();
        let set: Vec<u32> = (0..part.sets.len())
            .map(|k| {
                reads
                    .sets
                    .insert(part.sets.get(u32::try_from(k).unwrap_or(u32::MAX)))
            })
            .collect();
        for (&cell, &(o, r)) in part.cells.iter().zip(&part.ids) {
            cells.set(cell, outcome[o as usize]);
            reads.cells.set(cell, set[r as usize]);
        }
    }
    let summary = if same_layout {
        let mut summary = before.summary();
        for &cell in &walk {
            let (a, b) = (ClassIx::from(cell / n), ClassIx::from(cell % n));
            let pairs = rows.pairs(a, b);
            uncount(
                &mut summary,
                pairs,
                &old_outcomes[old_cells.at(cell) as usize],
            );
            count(&mut summary, pairs, &outcomes.list[cells.at(cell) as usize]);
        }
        summary
    } else {
        carried_summary(before, &kept, &walk, n, |cell| {
            let (a, b) = (ClassIx::from(cell / n), ClassIx::from(cell % n));
            (rows.pairs(a, b), &outcomes.list[cells.at(cell) as usize])
        })
    };
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
        (endpoints, Some(before)),
        classes.class_of.clone(),
        n,
        (cells, outcomes.list),
        summary,
        Some(Arc::new(reads)),
    );
    // `in_blocks` put the walk in column-block order; the delta wants it ascending. Only a
    // small walk is worth keeping: past an eighth of the cells, the delta's full scan costs
    // little next to the walk, and the list would hold megabytes (a hub edit at 2 hubs ×
    // 1,000 spokes re-walks half of 10^6 cells).
    let analysis = if walk.len().saturating_mul(8) > n * n {
        analysis
    } else if same_layout {
        walk.sort_unstable();
        analysis.rewalked_from(before, walk)
    } else {
        walk.sort_unstable();
        analysis.carried_from(before, walk, kept)
    };
    Ok((analysis, reuse))
}

/// Per new class: the previous class with exactly its members (so the same representatives),
/// if there is one. An edit that splits or merges classes leaves the others as they were.
fn same_classes(old_class_of: &[ClassIx], m: usize, classes: &Classes) -> Vec<Option<usize>> {
    let mut old_members: Vec<Vec<usize>> = vec![Vec::new(); m];
    for (e, &k) in old_class_of.iter().enumerate() {
        if let Some(members) = old_members.get_mut(usize::from(k)) {
            members.push(e);
        }
    }
    classes
        .members
        .iter()
        .map(|members| {
            let k = usize::from(*old_class_of.get(*members.first()?)?);
            (old_members.get(k)? == members).then_some(k)
        })
        .collect()
}

/// Cells walked by one thread: per cell its outcome and footprint ids, local to the part.
struct Walked<'a> {
    cells: &'a [usize],
    ids: Vec<(u32, u32)>,
    outcomes: Vec<Vec<ReasonCode>>,
    sets: Sets,
}

/// Changed peerings up to which each cell of their VNets is tested against them; with more,
/// their VNets count as changed whole (every cell with an endpoint there is walked).
const PEERINGS_PER_CELL: usize = 16;

/// Fewer cells than this are walked on the calling thread. A cell costs a few microseconds
/// (≈2–4 µs at 2 hubs × 1,000 spokes), starting a thread tens: a one-subnet edit's ≈2,000
/// cells are worth splitting, now that the design rules alongside re-run only the parts the
/// edit touched (about 1–4 ms there) and leave the second core mostly free.
const PARALLEL_CELLS: usize = 512;

/// Walks the listed cells (`a * n + b`), split across threads when they are many.
fn walk_cells<'a>(rows: &Rows<'_>, list: &'a [usize], n: usize) -> Vec<Walked<'a>> {
    let walk = |cells: &'a [usize]| {
        let mut outcomes = Outcomes::new();
        let mut sets = Sets::default();
        let mut scratch = Scratch::default();
        let ids = cells
            .iter()
            .map(|&cell| {
                let (a, b) = (ClassIx::from(cell / n), ClassIx::from(cell % n));
                rows.walk_cell(a, b, &mut scratch);
                (
                    scratch.outcome_id(&mut outcomes),
                    scratch.reads_id(&mut sets),
                )
            })
            .collect();
        Walked {
            cells,
            ids,
            outcomes: outcomes.list,
            sets,
        }
    };
    let threads = if list.len() < PARALLEL_CELLS {
        1
    } else {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    };
    if threads <= 1 {
        return vec![walk(list)];
    }
    let chunk = list.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = list
            .chunks(chunk)
            .map(|part| scope.spawn(move || walk(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// The same footprints without the sets no cell uses.
fn compact(reads: &CellReads) -> CellReads {
    let mut sets = Sets::default();
    let mut renamed: Vec<Option<u32>> = vec![None; reads.sets.len()];
    let cells = reads
        .cells
        .map(|id| *renamed[id as usize].get_or_insert_with(|| sets.insert(reads.sets.get(id))));
    CellReads {
        cells,
        built_with: sets.len(),
        sets,
    }
}

#[path = "incremental_carry.rs"]
mod carry;
use carry::{carried_cells, carried_summary, column_runs};

#[cfg(test)]
#[path = "incremental_tests.rs"]
mod tests;
