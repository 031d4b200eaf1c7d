//! All pairs: a verdict and reason codes for every ordered pair of endpoints.
//!
//! The fast engine walks one pair per (source class, destination class) of
//! [`Classes`](super::classes) and stores one interned outcome per class cell, so storage grows
//! with classes², never with pairs. The reference engine puts every endpoint in its own class,
//! which is exactly the per-pair walk. Rows of the class matrix are independent and are split
//! across threads for big designs. A range of rows is walked a block of destination classes at
//! a time, as is the list of cells an edit re-walks (`in_blocks`): a walk reads mostly its
//! destination's objects, and at 1,008 classes sweeping them all once per row missed the cache
//! (the cold walk took about a third longer, a hub edit about an eighth, in medians). A
//! session's analyses (`Tracer::analyze_recorded`, and the analysis after an edit,
//! `incremental`) also keep each cell's footprint (what its walk read in transit, `footprint`),
//! so the next edit re-walks only the cells it touched.

use super::analysis::Analysis;
use super::classes::{Classes, packet_for};
use super::compile::Compiled;
use super::footprint::{CellReads, Homes, Read, Sets};
use super::grid::Grid;
use super::ix::ClassIx;
use super::types::{EngineKind, ReasonCode, Summary};
use super::walk::{PairOut, Spot, WalkSpec, walk_pair_into};
use crate::model::{Endpoint, Flow};
use std::collections::HashMap;
use std::sync::Arc;
use typed_index_collections::TiVec;

/// Class matrices smaller than this are evaluated on the calling thread (spawning costs more).
const PARALLEL_THRESHOLD: usize = 16_384;

/// Destination classes walked for every row of a range before the next ones (see `evaluate`).
const COLUMN_BLOCK: usize = 32;

/// Row chunks per thread: enough to balance uneven cores, few enough to keep merging cheap.
const CHUNKS_PER_THREAD: usize = 8;

/// What a range of class-matrix rows needs.
pub(super) struct Rows<'a> {
    pub c: &'a Compiled,
    pub spots: &'a [Spot],
    pub members: &'a TiVec<ClassIx, Vec<usize>>,
    pub flow: Flow,
    /// Whether to keep each cell's footprint (the fast engine, for the next revision).
    pub record: bool,
    /// Each class's VNet: a recorded footprint keeps only the reads outside the cell's two
    /// home VNets (`footprint::Homes`).
    pub homes: &'a Homes,
}

/// Buffers one thread reuses for every cell it walks, with the outcome and footprint ids
/// [`Outcomes`] and [`Sets`] last gave it: the cells of a row mostly walk one of a few paths
/// (spoke to spoke through one hub or the other), so comparing with those few cells' codes and
/// reads (as walked, unsorted) is cheaper than hashing them, and sorting the reads before
/// hashing them was a tenth of a cold walk. A scratch must intern into one [`Outcomes`] and
/// one [`Sets`] for its whole life.
#[derive(Default)]
pub(super) struct Scratch {
    pair: PairOut,
    /// The cell's distinct reason codes, in path order.
    pub codes: Vec<ReasonCode>,
    /// What the cell's walk read (`footprint`), unsorted.
    pub reads: Vec<Read>,
    /// Codes interned lately, and their ids.
    recent_codes: Recent<ReasonCode>,
    /// Reads interned lately, as walked, and their sets' ids.
    recent_reads: Recent<Read>,
}

impl Scratch {
    /// The id in `outcomes` of the cell's codes.
    pub fn outcome_id(&mut self, outcomes: &mut Outcomes) -> u32 {
        if let Some(id) = self.recent_codes.find(&self.codes) {
            return id;
        }
        let id = outcomes.id(&self.codes);
        self.recent_codes.remember(&self.codes, id);
        id
    }

    /// The id in `sets` of the cell's reads (sorted in place when they are new).
    pub fn reads_id(&mut self, sets: &mut Sets) -> u32 {
        if let Some(id) = self.recent_reads.find(&self.reads) {
            return id;
        }
        // Remembered as walked: the next cell's reads come in walk order too.
        self.recent_reads.remember(&self.reads, u32::MAX);
        let id = sets.intern(&mut self.reads);
        self.recent_reads.set_first_id(id);
        id
    }
}

/// How many interned lists [`Recent`] remembers.
const RECENT: usize = 4;

/// The last few lists interned and their ids, most recent first (buffers reused).
struct Recent<T> {
    lists: Vec<(Vec<T>, u32)>,
}

impl<T> Default for Recent<T> {
    fn default() -> Self {
        Recent { lists: Vec::new() }
    }
}

impl<T: Clone + PartialEq> Recent<T> {
    /// The id of `items` if they are one of the remembered lists (then moved to the front).
    fn find(&mut self, items: &[T]) -> Option<u32> {
        let k = self.lists.iter().position(|(list, _)| list == items)?;
        self.lists[..=k].rotate_right(1);
        Some(self.lists[0].1)
    }

    /// Remembers `items` with `id` in front, forgetting the oldest list when full.
    fn remember(&mut self, items: &[T], id: u32) {
        if self.lists.len() < RECENT {
            self.lists.push((Vec::new(), id));
        }
        self.lists.rotate_right(1);
        let (list, slot) = &mut self.lists[0];
        list.clear();
        list.extend_from_slice(items);
        *slot = id;
    }

    /// Sets the id of the list remembered last.
    fn set_first_id(&mut self, id: u32) {
        if let Some((_, slot)) = self.lists.first_mut() {
            *slot = id;
        }
    }
}

/// Rows per band of [`in_blocks`].
const ROW_BAND: usize = 64;

/// Reorders cells listed in row order (`a * n + b`, ascending) for the walk, in place: band by
/// band of [`ROW_BAND`] rows, and in a band block by block of [`COLUMN_BLOCK`] columns, rows in
/// order inside a block, as `Rows::evaluate` walks its range of rows. Walking many cells of a
/// few destinations in a row keeps their objects in cache. A counting sort per band: linear in
/// the cells, with one band's cells as scratch (not a second list: after a hub edit the list
/// holds half the cells).
pub(super) fn in_blocks(list: &mut [usize], n: usize) {
    let mut starts = vec![0; n.div_ceil(COLUMN_BLOCK).max(1) + 1];
    let mut band = Vec::new();
    let mut rest = list;
    while let Some(&first) = rest.first() {
        let band_end = (first / n.max(1) / ROW_BAND + 1) * ROW_BAND;
        let len = rest.partition_point(|&cell| cell / n < band_end);
        let (here, tail) = rest.split_at_mut(len);
        band.clear();
        band.extend_from_slice(here);
        starts.fill(0);
        for &cell in &band {
            starts[cell % n / COLUMN_BLOCK + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        for &cell in &band {
            let block = cell % n / COLUMN_BLOCK;
            here[starts[block]] = cell;
            starts[block] += 1;
        }
        rest = tail;
    }
}

/// The cells of a range of rows, with outcome and footprint ids local to the range.
struct RowsOut {
    cells: Vec<u32>,
    outcomes: Vec<Vec<ReasonCode>>,
    summary: Summary,
    /// Footprint id per cell (empty when not recording).
    reads: Vec<u32>,
    sets: Sets,
}

/// Adds `pairs` pairs with these codes to a summary.
pub(super) fn count(summary: &mut Summary, pairs: u64, codes: &[ReasonCode]) {
    summary.pairs += pairs;
    if codes.is_empty() {
        summary.reachable += pairs;
    } else {
        summary.blocked += pairs;
    }
}

/// Takes back what [`count`] added for `pairs` pairs with these codes.
pub(super) fn uncount(summary: &mut Summary, pairs: u64, codes: &[ReasonCode]) {
    summary.pairs = summary.pairs.saturating_sub(pairs);
    if codes.is_empty() {
        summary.reachable = summary.reachable.saturating_sub(pairs);
    } else {
        summary.blocked = summary.blocked.saturating_sub(pairs);
    }
}

/// How many ordered pairs of distinct endpoints lie between a class of `a` members and one of
/// `b` members (`same`: the two are one class, of `a` members).
pub(super) fn ordered_pairs(a: u64, b: u64, same: bool) -> u64 {
    if same { a * a.saturating_sub(1) } else { a * b }
}

/// Interns outcomes: id 0 is "reachable, no codes".
pub(super) struct Outcomes {
    ids: HashMap<Vec<ReasonCode>, u32>,
    pub list: Vec<Vec<ReasonCode>>,
}

impl Outcomes {
    pub fn new() -> Self {
        Self::from_list(vec![Vec::new()])
    }

    /// Outcomes interned already (`list[0]` empty), to add to.
    pub fn from_list(list: Vec<Vec<ReasonCode>>) -> Self {
        let ids = (0..)
            .zip(&list)
            .map(|(id, codes)| (codes.clone(), id))
            .collect();
        Outcomes { ids, list }
    }

    pub fn id(&mut self, codes: &[ReasonCode]) -> u32 {
        if codes.is_empty() {
            return 0;
        }
        if let Some(&id) = self.ids.get(codes) {
            return id;
        }
        let id = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        self.ids.insert(codes.to_vec(), id);
        self.list.push(codes.to_vec());
        id
    }
}

/// The endpoints whose pair stands for cell (`a`, `b`): each class's first member, or for a
/// class with itself its first two (`None` when it has one member).
pub(super) fn representatives(
    members: &TiVec<ClassIx, Vec<usize>>,
    a: ClassIx,
    b: ClassIx,
) -> Option<(usize, usize)> {
    let from = *members.get(a)?.first()?;
    let to = if a == b {
        *members.get(b)?.get(1)?
    } else {
        *members.get(b)?.first()?
    };
    Some((from, to))
}

impl Rows<'_> {
    /// Walks the representative pair of cell (`a`, `b`) into `scratch` (codes, and reads when
    /// recording); `false` when the cell holds no pair (a class of one, with itself).
    pub fn walk_cell(&self, a: ClassIx, b: ClassIx, scratch: &mut Scratch) -> bool {
        scratch.codes.clear();
        scratch.reads.clear();
        let Some((from, to)) = representatives(self.members, a, b) else {
            return false;
        };
        let spots = self.spots;
        scratch.pair.forward.record = self.record;
        scratch.pair.reverse.record = self.record;
        let homes = self.homes.pair(a, b);
        scratch.pair.forward.homes = homes;
        scratch.pair.reverse.homes = homes;
        let packet = packet_for(self.flow, spots[from], spots[to]);
        let spec = WalkSpec::request(packet, spots[from], spots[to], false);
        walk_pair_into(self.c, spec, &mut scratch.pair);
        for blocker in scratch.pair.blockers() {
            if !scratch.codes.contains(&blocker.code) {
                scratch.codes.push(blocker.code);
            }
        }
        if self.record {
            let PairOut { forward, reverse } = &scratch.pair;
            scratch.reads.extend_from_slice(&forward.reads);
            scratch.reads.extend_from_slice(&reverse.reads);
        }
        true
    }

    /// How many ordered pairs cell (`a`, `b`) stands for.
    pub fn pairs(&self, a: ClassIx, b: ClassIx) -> u64 {
        let size = |k: ClassIx| self.members[k].len() as u64;
        ordered_pairs(size(a), size(b), a == b)
    }

    fn evaluate(&self, range: std::ops::Range<usize>) -> RowsOut {
        let classes = self.members.len();
        let mut out = RowsOut {
            cells: Vec::with_capacity(range.len() * classes),
            outcomes: Vec::new(),
            summary: Summary::default(),
            reads: Vec::with_capacity(if self.record {
                range.len() * classes
            } else {
                0
            }),
            sets: Sets::default(),
        };
        let mut outcomes = Outcomes::new();
        let mut sets = Sets::default();
        let mut scratch = Scratch::default();
        out.cells.resize(range.len() * classes, 0);
        if self.record {
            out.reads.resize(range.len() * classes, 0);
        }
        // Column blocks outside, rows inside: a walk reads mostly its destination's objects
        // (route context, NSGs, peerings, on the reply too), so a block of columns keeps them
        // in cache for every row of the range instead of sweeping all of them once per row.
        for block in (0..classes).step_by(COLUMN_BLOCK) {
            let columns = block..(block + COLUMN_BLOCK).min(classes);
            for (row, a) in range.clone().enumerate() {
                let a = ClassIx::from(a);
                for b in columns.clone() {
                    let cell = row * classes + b;
                    let b = ClassIx::from(b);
                    if self.walk_cell(a, b, &mut scratch) {
                        count(&mut out.summary, self.pairs(a, b), &scratch.codes);
                    }
                    out.cells[cell] = scratch.outcome_id(&mut outcomes);
                    if self.record {
                        out.reads[cell] = scratch.reads_id(&mut sets);
                    }
                }
            }
        }
        out.outcomes = outcomes.list;
        out.sets = sets;
        out
    }
}

/// Evaluates every ordered pair of a compiled design's endpoints for `flow`, with a fixed
/// number of threads (`None`: by design size and available cores).
pub(crate) fn analyze_compiled(
    c: &Compiled,
    endpoints: &Arc<[Endpoint]>,
    spots: &[Spot],
    flow: Flow,
    kind: EngineKind,
    threads: Option<usize>,
) -> Analysis {
    let classes = match kind {
        EngineKind::Fast => Classes::of(c, spots),
        EngineKind::Reference => Classes::singletons(spots.len()),
    };
    // A one-shot analysis (a CLI command) has no next edit: it records no footprints.
    analyze_classes(c, endpoints, spots, flow, classes, false, threads)
}

/// [`analyze_compiled`] over classes already computed, walking every cell; `record` keeps
/// each cell's footprint in the analysis.
pub(crate) fn analyze_classes(
    c: &Compiled,
    endpoints: &Arc<[Endpoint]>,
    spots: &[Spot],
    flow: Flow,
    Classes { class_of, members }: Classes,
    record: bool,
    threads: Option<usize>,
) -> Analysis {
    let classes = members.len();
    let homes = if record {
        Homes::of(c, spots, &members)
    } else {
        Homes::default()
    };
    let rows = Rows {
        c,
        spots,
        members: &members,
        flow,
        record,
        homes: &homes,
    };
    // Rows of the class matrix are independent: split them across threads for big designs.
    let threads = match threads {
        Some(n) => n.clamp(1, classes.max(1)),
        None if classes * classes < PARALLEL_THRESHOLD => 1,
        None => std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(classes),
    };
    let parts = if threads <= 1 {
        vec![rows.evaluate(0..classes)]
    } else {
        in_parallel(&rows, classes, threads)
    };
    let mut outcomes = Outcomes::new();
    let mut sets = Sets::default();
    let mut cells = Vec::with_capacity(classes * classes);
    let mut reads = Vec::with_capacity(if record { classes * classes } else { 0 });
    let mut summary = Summary::default();
    for part in parts {
        let global: Vec<u32> = part
            .outcomes
            .iter()
            .map(|codes| outcomes.id(codes))
            .collect();
        cells.extend(part.cells.into_iter().map(|id| global[id as usize]));
        let global: Vec<u32> = (0..part.sets.len())
            .map(|k| sets.insert(part.sets.get(u32::try_from(k).unwrap_or(u32::MAX))))
            .collect();
        reads.extend(part.reads.into_iter().map(|id| global[id as usize]));
        summary.pairs += part.summary.pairs;
        summary.reachable += part.summary.reachable;
        summary.blocked += part.summary.blocked;
    }
    let footprints = record.then(|| {
        Arc::new(CellReads {
            cells: Grid::from_row_major(classes, &reads),
            built_with: sets.len(),
            sets,
        })
    });
    Analysis::assemble(
        flow,
        (endpoints, None),
        class_of,
        classes,
        (Grid::from_row_major(classes, &cells), outcomes.list),
        summary,
        footprints,
    )
}

/// The rows in small chunks handed out on demand, so a core busy with something else does not
/// hold the whole analysis back; results are put back in row order.
fn in_parallel(rows: &Rows<'_>, classes: usize, threads: usize) -> Vec<RowsOut> {
    let chunk = classes.div_ceil(threads * CHUNKS_PER_THREAD).max(1);
    let chunks = classes.div_ceil(chunk);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, RowsOut)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let next = &next;
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if k >= chunks {
                            return mine;
                        }
                        mine.push((k, rows.evaluate(k * chunk..((k + 1) * chunk).min(classes))));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_unstable_by_key(|(k, _)| *k);
    done.into_iter().map(|(_, part)| part).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::{HubSpokeParams, hub_spoke};

    #[test]
    fn cells_in_blocks_are_the_same_cells_column_block_by_block_within_a_band() {
        let n = 70;
        // Every third cell of a 70 × 70 matrix, in row order.
        let list: Vec<usize> = (0..n * n).step_by(3).collect();
        let mut blocked = list.clone();
        in_blocks(&mut blocked, n);
        let mut sorted = blocked.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, list, "the same cells, each once");
        let key = |cell: usize| {
            (
                cell / n / ROW_BAND,
                cell % n / COLUMN_BLOCK,
                cell / n,
                cell % n,
            )
        };
        assert!(
            blocked.windows(2).all(|w| key(w[0]) < key(w[1])),
            "band, then column block, then row, then column"
        );
        // Rows 0..64 and 64..70 are two bands; 70 columns are three blocks (32, 32, 6).
        assert_eq!(blocked[0], 0);
        assert_eq!(blocked[1], 3);
        let (mut none, mut one) = (Vec::new(), vec![5]);
        in_blocks(&mut none, n);
        in_blocks(&mut one, 1_000);
        assert_eq!((none, one), (Vec::new(), vec![5]));
    }

    #[test]
    fn threads_split_rows_without_changing_any_answer() {
        let design = hub_spoke(&HubSpokeParams {
            hubs: 2,
            spokes: 12,
            subnets_per_spoke: 2,
            vms_per_subnet: 2,
        })
        .expect("valid counts");
        let flow = Flow::DEFAULT;
        let serial =
            crate::engine::Tracer::new(&design).analyze_with(flow, EngineKind::Fast, Some(1));
        assert!(serial.summary().reachable > 0 && serial.summary().blocked > 0);
        for threads in [2, 3, 7] {
            let parallel = crate::engine::Tracer::new(&design).analyze_with(
                flow,
                EngineKind::Fast,
                Some(threads),
            );
            assert_eq!(parallel.summary(), serial.summary());
            let n = serial.endpoints().len();
            for a in 0..n {
                for b in 0..n {
                    assert_eq!(parallel.reason_codes(a, b), serial.reason_codes(a, b));
                }
            }
        }
    }
}
