//! All pairs: a verdict and reason codes for every ordered pair of endpoints.
//!
//! The fast engine walks one pair per (source class, destination class) of
//! [`Classes`](super::classes) and stores one interned outcome per class cell, so storage grows
//! with classes², never with pairs. The reference engine puts every endpoint in its own class,
//! which is exactly the per-pair walk. Rows of the class matrix are independent and are split
//! across threads for big designs.

use super::classes::{Classes, packet_for};
use super::compile::Compiled;
use super::ix::ClassIx;
use super::types::{EngineKind, ReasonCode, Summary, Verdict};
use super::walk::{PairOut, Spot, WalkSpec, walk_pair_into};
use crate::model::{Endpoint, Flow};
use std::collections::HashMap;
use std::sync::Arc;
use typed_index_collections::TiVec;

/// The result of evaluating every ordered pair of endpoints for one flow.
#[derive(Debug, Clone)]
pub struct Analysis {
    flow: Flow,
    endpoints: Arc<[Endpoint]>,
    by_name: HashMap<String, usize>,
    class_of: Vec<ClassIx>,
    classes: usize,
    /// Outcome id per (source class, destination class), row-major.
    cells: Vec<u32>,
    /// Interned outcomes; id 0 is "reachable, no codes".
    outcomes: Vec<Vec<ReasonCode>>,
    summary: Summary,
}

impl Analysis {
    /// The flow evaluated.
    pub fn flow(&self) -> Flow {
        self.flow
    }

    /// The endpoints, in `Design::endpoints()` order.
    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    /// The index of the endpoint with this name (the last one, if a name is used twice).
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    fn outcome(&self, from: usize, to: usize) -> &[ReasonCode] {
        if from == to {
            return &[];
        }
        match (self.class_of.get(from), self.class_of.get(to)) {
            (Some(&a), Some(&b)) => self.class_outcome(a, b),
            _ => &[],
        }
    }

    fn class_outcome(&self, a: ClassIx, b: ClassIx) -> &[ReasonCode] {
        let id = self.cells[usize::from(a) * self.classes + usize::from(b)];
        &self.outcomes[id as usize]
    }

    /// The verdict for a pair (indexes into [`Analysis::endpoints`]); a self-pair is reachable.
    pub fn verdict(&self, from: usize, to: usize) -> Verdict {
        verdict_of(self.outcome(from, to))
    }

    /// The codes of every blocker on the pair's request and reply paths, in path order.
    pub fn reason_codes(&self, from: usize, to: usize) -> Vec<ReasonCode> {
        self.outcome(from, to).to_vec()
    }

    /// [`Analysis::reason_codes`], borrowed (no allocation per pair, for callers that visit
    /// millions of pairs).
    pub fn reasons(&self, from: usize, to: usize) -> &[ReasonCode] {
        self.outcome(from, to)
    }

    /// The codes of a class cell (see [`Analysis::class_verdict`]).
    pub(crate) fn class_reasons(&self, a: ClassIx, b: ClassIx) -> &[ReasonCode] {
        self.class_outcome(a, b)
    }

    /// Pair counts (self-pairs excluded).
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// The class of each endpoint.
    pub(crate) fn class_of(&self) -> &[ClassIx] {
        &self.class_of
    }

    /// The verdict between two classes (a class with itself: between its distinct members).
    pub(crate) fn class_verdict(&self, a: ClassIx, b: ClassIx) -> Verdict {
        verdict_of(self.class_outcome(a, b))
    }

    /// How many equivalence classes the endpoints fell into (the number of endpoints for the
    /// reference engine).
    pub fn classes(&self) -> usize {
        self.classes
    }
}

fn verdict_of(codes: &[ReasonCode]) -> Verdict {
    if codes.is_empty() {
        Verdict::Reachable
    } else {
        Verdict::Blocked
    }
}

/// Class matrices smaller than this are evaluated on the calling thread (spawning costs more).
const PARALLEL_THRESHOLD: usize = 16_384;

/// Row chunks per thread: enough to balance uneven cores, few enough to keep merging cheap.
const CHUNKS_PER_THREAD: usize = 8;

/// What a range of class-matrix rows needs.
struct Rows<'a> {
    c: &'a Compiled,
    spots: &'a [Spot],
    members: &'a TiVec<ClassIx, Vec<usize>>,
    flow: Flow,
}

/// The cells of a range of rows, with outcome ids local to the range (0 = reachable).
struct RowsOut {
    cells: Vec<u32>,
    outcomes: Vec<Vec<ReasonCode>>,
    summary: Summary,
}

impl Rows<'_> {
    fn evaluate(&self, range: std::ops::Range<usize>) -> RowsOut {
        let members = self.members;
        let spots = self.spots;
        let mut out = RowsOut {
            cells: Vec::with_capacity(range.len() * members.len()),
            outcomes: vec![Vec::new()],
            summary: Summary::default(),
        };
        let mut interned: HashMap<Vec<ReasonCode>, u32> = HashMap::new();
        let mut pair = PairOut::default();
        let mut codes: Vec<ReasonCode> = Vec::new();
        for a in range.map(ClassIx::from) {
            let from_members = &members[a];
            for (b, to_members) in members.iter_enumerated() {
                // A class with itself: its first two distinct members stand for every pair.
                let (Some(&from), Some(&to)) = (
                    from_members.first(),
                    if a == b {
                        to_members.get(1)
                    } else {
                        to_members.first()
                    },
                ) else {
                    out.cells.push(0);
                    continue;
                };
                let packet = packet_for(self.flow, spots[from], spots[to]);
                let spec = WalkSpec::request(packet, spots[from], spots[to], false);
                walk_pair_into(self.c, spec, &mut pair);
                codes.clear();
                for blocker in pair.blockers() {
                    if !codes.contains(&blocker.code) {
                        codes.push(blocker.code);
                    }
                }
                let pairs = if a == b {
                    (from_members.len() * (from_members.len() - 1)) as u64
                } else {
                    (from_members.len() * to_members.len()) as u64
                };
                out.summary.pairs += pairs;
                let id = if codes.is_empty() {
                    out.summary.reachable += pairs;
                    0
                } else {
                    out.summary.blocked += pairs;
                    match interned.get(&codes) {
                        Some(&id) => id,
                        None => {
                            let id = out.outcomes.len() as u32;
                            interned.insert(codes.clone(), id);
                            out.outcomes.push(codes.clone());
                            id
                        }
                    }
                };
                out.cells.push(id);
            }
        }
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
    let Classes { class_of, members } = match kind {
        EngineKind::Fast => Classes::of(c, spots),
        EngineKind::Reference => Classes::singletons(spots.len()),
    };
    let classes = members.len();
    let rows = Rows {
        c,
        spots,
        members: &members,
        flow,
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
    let mut outcomes: Vec<Vec<ReasonCode>> = vec![Vec::new()];
    let mut interned: HashMap<Vec<ReasonCode>, u32> = HashMap::from([(Vec::new(), 0)]);
    let mut cells = Vec::with_capacity(classes * classes);
    let mut summary = Summary::default();
    for part in parts {
        let global: Vec<u32> = part
            .outcomes
            .into_iter()
            .map(|codes| {
                let next = outcomes.len() as u32;
                *interned.entry(codes).or_insert_with_key(|codes| {
                    outcomes.push(codes.clone());
                    next
                })
            })
            .collect();
        cells.extend(part.cells.into_iter().map(|id| global[id as usize]));
        summary.pairs += part.summary.pairs;
        summary.reachable += part.summary.reachable;
        summary.blocked += part.summary.blocked;
    }
    let by_name = endpoints
        .iter()
        .enumerate()
        .map(|(i, e)| (e.name.clone(), i))
        .collect();
    Analysis {
        flow,
        endpoints: Arc::clone(endpoints),
        by_name,
        class_of,
        classes,
        cells,
        outcomes,
        summary,
    }
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
