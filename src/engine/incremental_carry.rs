//! What an edit that splits or merges classes carries over from the previous analysis
//! (`incremental`): the outcomes of the cells between two classes that kept their members, and
//! the summary corrected for the rest. The outcomes are copied in a few runs per row, not cell
//! by cell; the summary costs the classes not kept times the classes, plus the walked cells.

use crate::engine::analysis::Analysis;
use crate::engine::grid::Grid;
use crate::engine::types::{ReasonCode, Summary};

use super::{count, ordered_pairs, uncount};

/// The outcome ids of an edit that split or merged classes, `n × n` for `n = kept.len()`: each
/// cell between two kept classes holds the previous outcome of their previous classes, the
/// others 0 (every one of them is walked, and so is a kept cell the edit touched: the walk
/// overwrites them). Copied row by row in runs of columns whose previous classes are
/// consecutive: a split or a merge shifts the classes after it by one, so a row is a few runs,
/// where a cell-by-cell copy in tile order cost ≈10 ms at 1,008 classes.
pub(super) fn carried_cells(old_cells: &Grid, kept: &[Option<usize>]) -> Grid {
    let runs = column_runs(kept);
    Grid::from_rows(kept.len(), |a, start, out| {
        if let Some(&Some(x)) = kept.get(a) {
            Grid::carry_row(old_cells, (x, start), &runs, out);
        }
    })
}

/// The runs of consecutive kept classes whose previous classes are consecutive too, as (first
/// class, its previous class, length), in order: a split or a merge shifts the classes after
/// it by one, so there are a few.
pub(super) fn column_runs(kept: &[Option<usize>]) -> Vec<(usize, usize, usize)> {
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    for (b, y) in kept.iter().enumerate() {
        let Some(y) = *y else { continue };
        match runs.last_mut() {
            Some((b0, y0, len)) if *b0 + *len == b && *y0 + *len == y => *len += 1,
            _ => runs.push((b, y, 1)),
        }
    }
    runs
}

/// The summary after an edit that split or merged classes, from the previous summary: less
/// the previous cells no new cell carries over (the rows and columns of the previous classes
/// not `kept`, and the cells now re-walked), plus the walked cells (`walked(cell)`: its pairs
/// and new codes). A carried cell has the same members, so the same pairs and codes. Costs the
/// classes not kept times the classes, plus the walked cells, where counting every cell again
/// read 10^6 outcomes at 1,008 classes.
pub(super) fn carried_summary<'o>(
    before: &Analysis,
    kept: &[Option<usize>],
    walk: &[usize],
    n: usize,
    walked: impl Fn(usize) -> (u64, &'o [ReasonCode]),
) -> Summary {
    let m = before.classes();
    let (old_cells, old_outcomes) = before.cell_outcomes();
    let mut size = vec![0u64; m];
    for &k in before.class_of() {
        if let Some(members) = size.get_mut(usize::from(k)) {
            *members += 1;
        }
    }
    let mut carried = vec![false; m];
    for &x in kept.iter().flatten() {
        carried[x] = true;
    }
    let dropped: Vec<usize> = (0..m).filter(|&x| !carried[x]).collect();
    let mut summary = before.summary();
    let mut take_back = |x: usize, y: usize| {
        uncount(
            &mut summary,
            ordered_pairs(size[x], size[y], x == y),
            &old_outcomes[old_cells.get(x, y) as usize],
        );
    };
    for (x, &carried) in carried.iter().enumerate() {
        if carried {
            dropped.iter().for_each(|&y| take_back(x, y));
        } else {
            (0..m).for_each(|y| take_back(x, y));
        }
    }
    for &cell in walk {
        if let (Some(x), Some(y)) = (kept[cell / n], kept[cell % n]) {
            take_back(x, y);
        }
    }
    for &cell in walk {
        let (pairs, codes) = walked(cell);
        count(&mut summary, pairs, codes);
    }
    summary
}
