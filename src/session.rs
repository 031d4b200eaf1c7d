//! The session: the design being edited, its history, and everything derived from it.
//!
//! Every path that changes the design (apply, undo, redo, load, import) ends in the one
//! [`Session::refresh`], which bumps the revision and recomputes derived results. The engine
//! (analysis and delta of flipped pairs) and lint (diagnostics) plug in there; the TUI and the
//! CLI read results from the session and never recompute them themselves.

use crate::edit::{Edit, EditError};
use crate::engine::{Analysis, Delta, EngineKind};
use crate::history::History;
use crate::lint::{Diagnostic, IntentOutcome};
use crate::model::{Design, Flow, PeeringState, SyncLevel};

/// Derived per-peering facts, in `design.peerings` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeeringStatus {
    /// `peeringState`.
    pub state: PeeringState,
    /// `peeringSyncLevel`.
    pub sync: SyncLevel,
}

/// Design + history + derived results.
#[derive(Debug, Clone)]
pub struct Session {
    design: Design,
    history: History,
    revision: u64,
    saved_position: u64,
    peerings: Vec<PeeringStatus>,
    flow: Flow,
    analysis: Analysis,
    delta: Delta,
    diagnostics: Vec<Diagnostic>,
    intents: Vec<IntentOutcome>,
}

impl Session {
    /// A session over a loaded design, considered saved.
    pub fn new(design: Design) -> Self {
        let flow = Flow::DEFAULT;
        // Placeholder until the first refresh: the analysis of an empty design costs nothing.
        let analysis = crate::engine::analyze(&Design::default(), flow, EngineKind::Fast);
        let mut session = Session {
            design,
            history: History::new(),
            revision: 0,
            saved_position: 0,
            peerings: Vec::new(),
            flow,
            analysis,
            delta: Delta::default(),
            diagnostics: Vec::new(),
            intents: Vec::new(),
        };
        session.refresh();
        // A freshly opened design has no previous analysis to flip from.
        session.delta = Delta::default();
        session
    }

    /// The all-pairs analysis of the current design for [`Session::flow`].
    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// The pairs that flipped in the last refresh (empty after a flow change or a new design).
    pub fn delta(&self) -> &Delta {
        &self.delta
    }

    /// The flow the analysis evaluates.
    pub fn flow(&self) -> Flow {
        self.flow
    }

    /// Evaluates another flow; the delta is cleared, since comparing flows is not an edit.
    pub fn set_flow(&mut self, flow: Flow) {
        if flow != self.flow {
            self.flow = flow;
            self.refresh();
            self.delta = Delta::default();
        }
    }

    /// The current design.
    pub fn design(&self) -> &Design {
        &self.design
    }

    /// The undo/redo history.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Applies an edit, records it for undo, and refreshes. A refused edit changes nothing.
    #[tracing::instrument(level = "debug", skip_all, fields(edit = %edit.describe()))]
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        let inverse = edit.apply(&mut self.design)?;
        self.history.record(edit.describe(), inverse);
        self.refresh();
        Ok(())
    }

    /// Undoes the last edit; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self) -> Result<Option<String>, EditError> {
        let label = self.history.undo(&mut self.design)?;
        if label.is_some() {
            self.refresh();
        }
        Ok(label)
    }

    /// Redoes the last undone edit; returns its label, or `None` when there is nothing to redo.
    pub fn redo(&mut self) -> Result<Option<String>, EditError> {
        let label = self.history.redo(&mut self.design)?;
        if label.is_some() {
            self.refresh();
        }
        Ok(label)
    }

    /// Replaces the whole design (open, import, new, recover): history starts afresh.
    /// `saved` says whether the new design matches a file on disk.
    pub fn replace_design(&mut self, design: Design, saved: bool) {
        self.design = design;
        self.history = History::new();
        // Position 0 is the fresh history; an unsaved design gets a position no history has.
        self.saved_position = if saved { 0 } else { u64::MAX };
        self.refresh();
        // Another design is not an edit of this one: nothing "flipped".
        self.delta = Delta::default();
    }

    /// Whether the design differs from the last saved or loaded state.
    pub fn is_dirty(&self) -> bool {
        self.history.position() != self.saved_position
    }

    /// Marks the current state as not saved anywhere (e.g. a design imported from an export).
    pub fn mark_unsaved(&mut self) {
        self.saved_position = u64::MAX;
    }

    /// Marks the current state as saved.
    pub fn mark_saved(&mut self) {
        self.saved_position = self.history.position();
    }

    /// Increases by one on every refresh; results tagged with an older revision are stale.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// State and sync level of each peering, in design order.
    pub fn peering_status(&self) -> &[PeeringStatus] {
        &self.peerings
    }

    /// The design checks of the current design, errors first, failed intents included (see
    /// [`crate::lint`]).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Every intent of the design with its outcome, in design order.
    pub fn intents(&self) -> &[IntentOutcome] {
        &self.intents
    }

    /// The one re-evaluation hook: every change to the design ends here.
    fn refresh(&mut self) {
        self.revision += 1;
        let _span = tracing::debug_span!("refresh", revision = self.revision).entered();
        self.peerings = self
            .design
            .peerings
            .iter()
            .map(|p| PeeringStatus {
                state: self.design.peering_state(p),
                sync: self.design.sync_level(p),
            })
            .collect();
        let analysis = crate::engine::analyze(&self.design, self.flow, EngineKind::Fast);
        self.delta = crate::engine::delta(&self.analysis, &analysis);
        self.analysis = analysis;
        let report = crate::lint::report_using(&self.design, &self.analysis);
        self.diagnostics = report.diagnostics;
        self.intents = report.intents;
    }
}
