//! The session: the design being edited, its history, and everything derived from one revision
//! of it.
//!
//! Every change to the design (apply, undo, redo, replace) or to the flow bumps the
//! [`revision`](Session::revision) and is followed by one evaluation, an [`EvalJob`]: it
//! compiles the design once (a [`Tracer`]), analyses all pairs, compares with the previous
//! analysis (the [`Delta`]), derives the peering states and runs lint with the intents. Its
//! result, an [`Evaluation`], is installed only while its revision is still current.
//!
//! - The plain methods ([`Session::apply`], [`Session::undo`], …) evaluate at once.
//! - The `_deferred` methods change the design, record history and hand back the job, so the
//!   caller can run it on another thread (it is `Send` and shares the design through an `Arc`;
//!   nothing clones the session). Until [`Session::install`] accepts the result, the previous
//!   revision's results stay readable and [`Session::is_stale`] says so.
//!
//! What a shell shows is here, so it need not compute it: verdicts and reason codes
//! ([`Session::analysis`], folded by group with [`Analysis::fold`]), flipped pairs,
//! diagnostics, intents, and, from the revision's compiled design, one pair's trace
//! ([`Session::trace`]) and a subnet's effective routes ([`Session::effective_routes`]), none
//! of which compiles the design again. The one-shot CLI commands (`reach`, `trace`, `routes`,
//! `check`) use the engine and lint directly and keep no session; only `bench` drives one.
//!
//! Cost: an edit copies the lists of objects it changes, not the design (the last evaluation
//! shares the design, and each list is a [`SharedVec`](crate::model::SharedVec) copied on its
//! first change), and validates it, unless the design is known sound and the edit changes only fields no invariant
//! reads (a peering's flags, an NSG rule's verdict, a NIC's IP forwarding:
//! [`Edit::keeps_invariants`]), or only a route table, which is then validated alone; then
//! the evaluation costs one compile, one all-pairs analysis, one delta and one lint pass. The
//! lint pass's design rules read only the design and its peering facts: on a design of 256
//! VNets and VMs or more they are checked on a second thread while the rest compiles and the
//! walk and the delta run, and only the intents wait for the analysis. After
//! an edit (not after a new design or flow) the analysis starts from the installed evaluation's
//! compiled design and analysis: it re-walks only the class cells whose footprint the edit
//! touched (`engine::incremental`), with the same answer as a full walk (classes²). A new
//! design or flow is walked in full and records every cell's footprint as it goes, so the
//! first edit after it re-walks only what it touched too. Installing an evaluation hands the
//! one it replaces to a thread that frees it (`retire`), so the thread that installs (the
//! TUI's, which draws next) does not wait for thousands of frees.

use crate::edit::{Edit, EditError};
use crate::engine::{Analysis, Delta, EffectiveRoute, EngineError, Trace, Tracer};
use crate::history::{History, Move};
use crate::lint::{Diagnostic, IntentOutcome};
use crate::model::{Design, Flow, PeeringIndex, PeeringState, SubnetRef, SyncLevel};
use std::sync::Arc;
use std::time::Instant;

mod retire;
mod timing;
pub use timing::Phases;

/// Derived per-peering facts, in `design.peerings` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeeringStatus {
    /// `peeringState`.
    pub state: PeeringState,
    /// `peeringSyncLevel`.
    pub sync: SyncLevel,
}

impl PeeringStatus {
    /// The status of every peering of `design`, in `design.peerings` order (one linear pass,
    /// [`PeeringIndex`]).
    pub fn of_all(design: &Design) -> Vec<PeeringStatus> {
        Self::of_index(&PeeringIndex::new(design))
    }

    /// The status of every peering an index holds, in design order.
    pub fn of_index(index: &PeeringIndex) -> Vec<PeeringStatus> {
        index
            .all()
            .iter()
            .map(|facts| PeeringStatus {
                state: facts.state,
                sync: facts.sync,
            })
            .collect()
    }
}

/// Design + history + the derived results of the last installed evaluation.
#[derive(Debug, Clone)]
pub struct Session {
    design: Arc<Design>,
    history: History,
    revision: u64,
    /// The history position at the last save; `None` when the design matches no saved file.
    saved_position: Option<u64>,
    flow: Flow,
    current: Evaluation,
    /// Whether the design is known to satisfy `validate()`: after any edit, undo or redo the
    /// session accepted (each validates, or cannot break an invariant). Edits of a sound
    /// design skip validation when they cannot break one ([`Edit::apply_to_valid`]). A new
    /// design is not assumed sound: `new_timed` validates it, otherwise its first edit is
    /// validated in full.
    known_valid: bool,
}

/// Everything derived from one revision of the design.
#[derive(Debug, Clone)]
pub struct Evaluation {
    revision: u64,
    tracer: Arc<Tracer>,
    peerings: Vec<PeeringStatus>,
    analysis: Arc<Analysis>,
    delta: Arc<Delta>,
    /// The design rules' findings, kept for the next revision's (`Findings::after`).
    findings: crate::lint::Findings,
    diagnostics: Vec<Diagnostic>,
    intents: Vec<IntentOutcome>,
}

impl Evaluation {
    /// The revision this evaluation is of.
    pub fn revision(&self) -> u64 {
        self.revision
    }
}

/// The expensive part of a refresh, detached from the session: the design as it was at one
/// revision, the flow, and the analysis to compare with.
#[derive(Debug, Clone)]
pub struct EvalJob {
    revision: u64,
    design: Arc<Design>,
    flow: Flow,
    /// The analysis whose verdicts the delta compares with (`None`: nothing counts as flipped,
    /// as after a new design or flow).
    previous: Option<Arc<Analysis>>,
    /// The compiled design `previous` is of: the analysis re-walks only the class cells the
    /// edit touched (`engine::incremental`).
    basis: Option<Arc<Tracer>>,
    /// The design rules' findings of an earlier revision: the parts whose lists the edit left
    /// alone are kept (`Findings::after`). They do not depend on the flow, so a new flow
    /// keeps them all.
    findings: Option<crate::lint::Findings>,
}

impl EvalJob {
    /// The revision the job evaluates.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Evaluates the design: compile, all pairs, delta, peering states, lint and intents.
    /// Pure: it reads only what the job holds.
    pub fn run(self) -> Evaluation {
        self.run_timed().0
    }

    /// [`EvalJob::run`], also returning how long each phase took (the evaluation phases of
    /// [`Phases`]; `edit` and `validate` stay zero). The clock is read a handful of times per
    /// evaluation, which costs nothing next to any phase.
    pub fn run_timed(self) -> (Evaluation, Phases) {
        let _span = tracing::debug_span!("refresh", revision = self.revision).entered();
        let mut phases = Phases::default();
        let started = Instant::now();
        // An edit that left every list the facts read alone keeps them (`reads_same`); one that
        // changed a few peerings finds only the facts it can have changed (`after`).
        let facts = match &self.basis {
            Some(basis) if PeeringIndex::reads_same(basis.design(), &self.design) => {
                Arc::clone(basis.peering_index())
            }
            Some(basis) => Arc::new(PeeringIndex::after(
                basis.design(),
                basis.peering_index(),
                &self.design,
            )),
            None => Arc::new(PeeringIndex::new(&self.design)),
        };
        let facts_took = started.elapsed();
        // The design rules read only the design and its peering facts: on a big design another
        // core checks them while this one compiles, walks and compares.
        let ((tracer, peerings, analysis, delta), findings) = alongside(
            lint_alongside(&self.design),
            || {
                let started = Instant::now();
                let tracer = Tracer::after(
                    Arc::clone(&self.design),
                    Arc::clone(&facts),
                    self.basis.as_deref(),
                );
                phases.compile = facts_took + started.elapsed();
                let started = Instant::now();
                let peerings = PeeringStatus::of_index(tracer.peering_index());
                phases.peerings = started.elapsed();
                let started = Instant::now();
                let analysis = match (&self.previous, &self.basis) {
                    (Some(previous), Some(basis)) => {
                        tracer.analyze_after(self.flow, basis, previous).0
                    }
                    // Footprints now, so the session's first edit re-walks only what it touches.
                    _ => tracer.analyze_recorded(self.flow),
                };
                phases.walk = started.elapsed();
                let started = Instant::now();
                let delta = match &self.previous {
                    Some(previous) => crate::engine::delta(previous, &analysis),
                    None => Delta::default(),
                };
                phases.delta = started.elapsed();
                (tracer, peerings, analysis, delta)
            },
            || crate::lint::findings_of(&self.design, Arc::clone(&facts), self.findings.as_ref()),
        );
        let (report, lint) = crate::lint::report_from(&findings, &tracer, &analysis);
        phases.lint = lint.checks;
        phases.intents = lint.intents;
        let evaluation = Evaluation {
            revision: self.revision,
            tracer: Arc::new(tracer),
            peerings,
            analysis: Arc::new(analysis),
            delta: Arc::new(delta),
            findings,
            diagnostics: report.diagnostics,
            intents: report.intents,
        };
        (evaluation, phases)
    }
}

/// VNets and VMs from which an evaluation checks the design rules on another thread, alongside
/// the compile and the walk: below it the rules take a tenth of a millisecond or less, about
/// what starting a thread costs (2 hubs × 200 spokes, 2,400 objects: ≈1.1 ms of rules).
pub const LINT_ALONGSIDE_OBJECTS: usize = 256;

/// Whether an evaluation of `design` checks the design rules on another thread
/// ([`LINT_ALONGSIDE_OBJECTS`]).
fn lint_alongside(design: &Design) -> bool {
    design.vnets.len() + design.vms.len() >= LINT_ALONGSIDE_OBJECTS
}

/// Runs `main` on this thread and `side` on another when `parallel`, else one after the other.
fn alongside<A, B: Send>(
    parallel: bool,
    main: impl FnOnce() -> A,
    side: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !parallel {
        let a = main();
        return (a, side());
    }
    std::thread::scope(|scope| {
        let handle = scope.spawn(side);
        let a = main();
        let b = handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
}

/// Whether an evaluation's delta compares with the previous analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compare {
    /// An edit: report the pairs that flipped.
    WithPrevious,
    /// A new design or flow: nothing flipped.
    Afresh,
}

impl Session {
    /// A session over a loaded design, considered saved.
    pub fn new(design: Design) -> Self {
        Self::fresh(design).0
    }

    /// [`Session::new`] with the phases of its first evaluation.
    fn fresh(design: Design) -> (Self, Phases) {
        let flow = Flow::DEFAULT;
        let design = Arc::new(design);
        let (current, phases) = EvalJob {
            revision: 1,
            design: Arc::clone(&design),
            flow,
            previous: None,
            basis: None,
            findings: None,
        }
        .run_timed();
        let session = Session {
            design,
            history: History::new(),
            revision: 1,
            saved_position: Some(0),
            flow,
            current,
            known_valid: false,
        };
        (session, phases)
    }

    /// The all-pairs analysis of the evaluated revision (see [`Session::is_stale`]).
    pub fn analysis(&self) -> &Analysis {
        &self.current.analysis
    }

    /// The pairs that flipped with the evaluated revision: since the analysis installed before
    /// it (empty after a flow change or a new design).
    pub fn delta(&self) -> &Delta {
        &self.current.delta
    }

    /// [`Session::analysis`] and [`Session::delta`], shared: for results kept beside the
    /// session that read them later (the TUI's grouped matrix), without copying them.
    pub fn shared_results(&self) -> (Arc<Analysis>, Arc<Delta>) {
        (
            Arc::clone(&self.current.analysis),
            Arc::clone(&self.current.delta),
        )
    }

    /// The flow the session evaluates. While a deferred evaluation of a new flow is pending,
    /// the readable analysis is still of its own [`Analysis::flow`].
    pub fn flow(&self) -> Flow {
        self.flow
    }

    /// Evaluates another flow; the delta is cleared, since comparing flows is not an edit.
    pub fn set_flow(&mut self, flow: Flow) {
        if let Some(job) = self.set_flow_deferred(flow) {
            self.refresh(job);
        }
    }

    /// The current design (of [`Session::revision`], which may be newer than the results).
    pub fn design(&self) -> &Design {
        &self.design
    }

    /// [`Session::design`], shared: every change replaces it, so holding this `Arc` and
    /// comparing it with [`Arc::ptr_eq`] tells whether the design changed since.
    pub fn shared_design(&self) -> &Arc<Design> {
        &self.design
    }

    /// The undo/redo history.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Applies an edit, records it for undo, and refreshes. A refused edit changes nothing.
    #[tracing::instrument(level = "debug", skip_all, fields(edit = %edit.describe()))]
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        let job = self.apply_deferred(edit)?;
        self.refresh(job);
        Ok(())
    }

    /// Undoes the last edit; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self) -> Result<Option<String>, EditError> {
        Ok(self.undo_deferred()?.map(|(label, job)| {
            self.refresh(job);
            label
        }))
    }

    /// Redoes the last undone edit; returns its label, or `None` when there is nothing to redo.
    pub fn redo(&mut self) -> Result<Option<String>, EditError> {
        Ok(self.redo_deferred()?.map(|(label, job)| {
            self.refresh(job);
            label
        }))
    }

    /// Replaces the whole design (open, import, new, recover): history starts afresh.
    /// `saved` says whether the new design matches a file on disk.
    pub fn replace_design(&mut self, design: Design, saved: bool) {
        self.design = Arc::new(design);
        self.known_valid = false;
        self.history = History::new();
        // Position 0 is the fresh history.
        self.saved_position = saved.then_some(0);
        // Another design is not an edit of this one: nothing "flipped".
        let job = self.begin(Compare::Afresh);
        self.refresh(job);
    }

    /// Whether the design differs from the last saved or loaded state.
    pub fn is_dirty(&self) -> bool {
        self.saved_position != Some(self.history.position())
    }

    /// Marks the current state as not saved anywhere (e.g. a design imported from an export).
    pub fn mark_unsaved(&mut self) {
        self.saved_position = None;
    }

    /// Marks the current state as saved.
    pub fn mark_saved(&mut self) {
        self.saved_position = Some(self.history.position());
    }

    /// Increases by one on every change to the design or the flow; results tagged with an
    /// older revision are stale.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The revision the readable results are of (less than [`Session::revision`] while a
    /// deferred evaluation is pending).
    pub fn evaluated_revision(&self) -> u64 {
        self.current.revision
    }

    /// Whether the design or flow changed since the readable results were computed.
    pub fn is_stale(&self) -> bool {
        self.current.revision != self.revision
    }

    /// State and sync level of each peering, in design order (of the evaluated revision).
    pub fn peering_status(&self) -> &[PeeringStatus] {
        &self.current.peerings
    }

    /// The design checks of the evaluated revision, errors first, failed intents included (see
    /// [`crate::lint`]).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.current.diagnostics
    }

    /// Every intent of the design with its outcome, in design order.
    pub fn intents(&self) -> &[IntentOutcome] {
        &self.current.intents
    }

    /// The evaluated revision's compiled design: its endpoints are the analysis's, in the same
    /// order.
    pub fn tracer(&self) -> &Tracer {
        &self.current.tracer
    }

    /// Traces the pair at these indexes of [`Analysis::endpoints`] for the analysis's flow,
    /// without compiling again; `None` when an index is out of range.
    pub fn trace(&self, from: usize, to: usize) -> Option<Trace> {
        self.current
            .tracer
            .trace_indexes(from, to, self.current.analysis.flow())
    }

    /// The effective routes of a subnet of the evaluated revision, without compiling again.
    pub fn effective_routes(&self, subnet: &SubnetRef) -> Result<Vec<EffectiveRoute>, EngineError> {
        self.current.tracer.effective_routes(subnet)
    }

    /// Applies an edit and records it for undo, leaving the previous results in place (stale)
    /// until the returned job's evaluation is [installed](Session::install). A refused edit
    /// changes nothing and returns no job.
    pub fn apply_deferred(&mut self, edit: Edit) -> Result<EvalJob, EditError> {
        let (inverse, _validation) = self.change(&edit)?;
        self.history.record(edit.describe(), inverse);
        Ok(self.begin(Compare::WithPrevious))
    }

    /// Applies `edit` to the design (copied on write), validating the result unless the design
    /// is known sound and the edit cannot break an invariant; returns the inverse and how long
    /// validation took. A refused edit changes nothing.
    fn change(&mut self, edit: &Edit) -> Result<(Edit, std::time::Duration), EditError> {
        let design = Arc::make_mut(&mut self.design);
        let applied = if self.known_valid {
            edit.apply_to_valid_timed(design)?
        } else {
            edit.apply_timed(design)?
        };
        self.known_valid = true;
        Ok(applied)
    }

    /// [`Session::undo`] without evaluating: the label and the job, or `None` when there is
    /// nothing to undo.
    pub fn undo_deferred(&mut self) -> Result<Option<(String, EvalJob)>, EditError> {
        self.step_history(Move::Undo)
    }

    /// [`Session::redo`] without evaluating: the label and the job, or `None` when there is
    /// nothing to redo.
    pub fn redo_deferred(&mut self) -> Result<Option<(String, EvalJob)>, EditError> {
        self.step_history(Move::Redo)
    }

    /// Undoes or redoes one step (not validated again when the design is known sound and the
    /// step cannot break an invariant) and detaches the evaluation.
    fn step_history(&mut self, direction: Move) -> Result<Option<(String, EvalJob)>, EditError> {
        if !self.history.can(direction) {
            // Nothing to do: the design is not copied on write.
            return Ok(None);
        }
        let apply: crate::history::Apply = if self.known_valid {
            Edit::apply_to_valid
        } else {
            Edit::apply
        };
        let design = Arc::make_mut(&mut self.design);
        let label = self.history.step(direction, design, apply)?;
        self.known_valid = true;
        Ok(label.map(|label| (label, self.begin(Compare::WithPrevious))))
    }

    /// [`Session::set_flow`] without evaluating; `None` when the flow is already this one.
    pub fn set_flow_deferred(&mut self, flow: Flow) -> Option<EvalJob> {
        if flow == self.flow {
            return None;
        }
        self.flow = flow;
        Some(self.begin(Compare::Afresh))
    }

    /// Installs an evaluation if it is of the current revision; returns whether it was (an
    /// evaluation overtaken by a later change is dropped, and that change's job replaces it).
    pub fn install(&mut self, evaluation: Evaluation) -> bool {
        if evaluation.revision != self.revision {
            retire::retire(evaluation);
            return false;
        }
        // The replaced evaluation is freed on another thread: on a big design that takes a
        // good part of a millisecond, and the TUI installs on the thread that draws.
        retire::retire(std::mem::replace(&mut self.current, evaluation));
        true
    }

    /// Bumps the revision and detaches the evaluation of the design as it now is.
    fn begin(&mut self, compare: Compare) -> EvalJob {
        self.revision += 1;
        EvalJob {
            revision: self.revision,
            design: Arc::clone(&self.design),
            flow: self.flow,
            previous: match compare {
                Compare::WithPrevious => Some(Arc::clone(&self.current.analysis)),
                Compare::Afresh => None,
            },
            basis: match compare {
                Compare::WithPrevious => Some(Arc::clone(&self.current.tracer)),
                Compare::Afresh => None,
            },
            findings: Some(self.current.findings.clone()),
        }
    }

    /// The inline re-evaluation: every change ends here when it is not deferred.
    fn refresh(&mut self, job: EvalJob) {
        let installed = self.install(job.run());
        debug_assert!(installed, "an inline evaluation is of the current revision");
    }
}

#[cfg(test)]
mod tests;
