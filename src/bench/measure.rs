//! Runs the measurements of `vnetlab bench` that need no shell: cold starts, the four kinds of
//! edit, and random edits, each through a [`Session`] with its timed entry points, so every
//! sample carries its [`Phases`].
//!
//! With the reference engine a sample's total is instead a reference analysis of the edited
//! design plus its delta (the session itself always runs the fast engine, so the phases stay
//! the fast engine's). Cost: the cold runs, then one session evaluation per edit.

use super::kinds::EditKind;
use super::random::{Dice, random_edit};
use super::{EditKinds, millis};
use crate::engine::{self, Analysis, EngineKind};
use crate::model::{Design, Flow};
use crate::session::{Phases, Session};
use std::time::{Duration, Instant};

/// Cold runs: this many, unless they take longer than [`COLD_BUDGET`] together (the reference
/// engine on a large design), and always at least one.
const COLD_RUNS: usize = 5;
/// Time after which no further cold run starts.
const COLD_BUDGET: Duration = Duration::from_secs(10);
/// The random edit sequence is the same for every run on the same file.
const EDIT_SEED: u64 = 0x0076_6574_6e6c_6162;
/// Tries per random edit before concluding the design has nothing left that can be edited.
const EDIT_ATTEMPTS: usize = 16;

/// What to measure.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The flow evaluated.
    pub flow: Flow,
    /// The engine whose cost `cold_ms` and `edit_ms` report.
    pub engine: EngineKind,
    /// Samples per kind of edit (each pair of samples is an edit and its toggle back).
    pub per_kind: usize,
    /// Random edits of every kind after the kinds (the historical `--edits`).
    pub random: usize,
}

/// One timed change: its total in milliseconds and its phases.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// What the change cost end to end (for the reference engine, its analysis and delta).
    pub total_ms: f64,
    /// The session's phases for the change.
    pub phases: Phases,
}

/// Every sample of one run of the benchmark.
#[derive(Debug, Clone)]
pub struct Figures {
    /// Endpoints of the design.
    pub endpoints: usize,
    /// Ordered pairs of distinct endpoints.
    pub pairs: u64,
    /// Equivalence classes of endpoints the fast engine walks (endpoints for the reference).
    pub classes: usize,
    /// Cold starts: validation and a first evaluation.
    pub cold: Vec<Sample>,
    /// The samples of each kind of edit (empty when the design has nothing of the kind).
    pub kinds: EditKinds<Vec<Sample>>,
    /// Random edits.
    pub random: Vec<Sample>,
}

/// Measures `design`; see the module documentation.
pub fn measure(design: &Design, options: Options) -> Figures {
    let (cold, mut reference) = cold_runs(design, options);
    let mut session = Session::new(design.clone());
    session.set_flow(options.flow);
    // The counts of the engine measured, taken now: the cold runs keep no analysis of the fast
    // engine, whose memory the edits' peak would otherwise include.
    let counted = reference.as_ref().unwrap_or_else(|| session.analysis());
    let (endpoints, pairs, classes) = (
        counted.endpoints().len(),
        counted.summary().pairs,
        counted.classes(),
    );
    let mut kinds = EditKinds::<Vec<Sample>>::default();
    for kind in EditKind::ALL {
        let samples = kinds.get_mut(kind);
        for sample in 0..options.per_kind {
            let Some(edit) = kind.edit(session.design(), sample) else {
                break;
            };
            match timed_apply(&mut session, edit, options, reference.as_mut()) {
                Some(s) => samples.push(s),
                None => break,
            }
        }
    }
    let mut dice = Dice::new(EDIT_SEED);
    let mut random = Vec::with_capacity(options.random);
    for serial in 0..options.random {
        let applied = (0..EDIT_ATTEMPTS).find_map(|attempt| {
            let edit = random_edit(
                session.design(),
                &mut dice,
                serial * EDIT_ATTEMPTS + attempt,
            )?;
            timed_apply(&mut session, edit, options, reference.as_mut())
        });
        match applied {
            Some(s) => random.push(s),
            None => break,
        }
    }
    Figures {
        endpoints,
        pairs,
        classes,
        cold,
        kinds,
        random,
    }
}

/// Times the cold start; returns every run and, for the reference engine, the last run's
/// analysis (the baseline its edits are compared with).
fn cold_runs(design: &Design, options: Options) -> (Vec<Sample>, Option<Analysis>) {
    let began = Instant::now();
    let mut runs = Vec::with_capacity(COLD_RUNS);
    loop {
        let copy = design.clone();
        let start = Instant::now();
        let (mut session, mut phases) = Session::new_timed(copy);
        if options.flow != session.flow() {
            // The session starts on the default flow; another flow is a second evaluation.
            let again = Instant::now();
            session.set_flow(options.flow);
            phases.walk += again.elapsed();
        }
        let mut total_ms = millis(start.elapsed());
        let analysis = match options.engine {
            EngineKind::Fast => None,
            EngineKind::Reference => {
                let start = Instant::now();
                let analysis = engine::analyze(design, options.flow, EngineKind::Reference);
                total_ms = millis(start.elapsed());
                Some(analysis)
            }
        };
        drop(session);
        runs.push(Sample { total_ms, phases });
        if runs.len() == COLD_RUNS || began.elapsed() > COLD_BUDGET {
            return (runs, analysis);
        }
    }
}

/// Applies one edit through the session's timed entry point; `None` when it was refused.
fn timed_apply(
    session: &mut Session,
    edit: crate::edit::Edit,
    options: Options,
    reference: Option<&mut Analysis>,
) -> Option<Sample> {
    let start = Instant::now();
    let phases = session.apply_timed(edit).ok()?;
    let mut total_ms = millis(start.elapsed());
    if let Some(before) = reference {
        let start = Instant::now();
        let after = engine::analyze(session.design(), options.flow, EngineKind::Reference);
        let _flipped = engine::delta(before, &after);
        *before = after;
        total_ms = millis(start.elapsed());
    }
    Some(Sample { total_ms, phases })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::{HubSpokeParams, hub_spoke};

    #[test]
    fn every_kind_is_sampled_on_a_hub_and_spoke_design() {
        let design = hub_spoke(&HubSpokeParams {
            hubs: 2,
            spokes: 4,
            subnets_per_spoke: 1,
            vms_per_subnet: 1,
        })
        .expect("generates");
        let options = Options {
            flow: Flow::DEFAULT,
            engine: EngineKind::Fast,
            per_kind: 2,
            random: 3,
        };
        let figures = measure(&design, options);
        assert!(!figures.cold.is_empty() && figures.cold.len() <= COLD_RUNS);
        for kind in EditKind::ALL {
            assert_eq!(figures.kinds.get(kind).len(), 2, "{kind:?}");
        }
        assert_eq!(figures.random.len(), 3);
        assert!(figures.classes > 0 && figures.classes <= figures.endpoints);
        let walked = figures.kinds.get(EditKind::HubPeeringFlag)[0].phases.walk;
        assert!(walked > Duration::ZERO);
    }
}
