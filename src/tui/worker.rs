//! Keeps typing responsive on large designs. Every design change (apply, undo, redo, a new
//! flow) is an [`Op`]. When a refresh of this design costs less than a frame, ops run inline;
//! otherwise they run on a background thread against a copy of the session, one at a time and
//! in order, and the finished session replaces the shown one when it comes back (tagged with the
//! revision it started from, so a result that no longer applies is dropped). Meanwhile the UI
//! keeps drawing the previous results and keeps taking keys; forms never wait at all, since they
//! only edit their own text until submitted.

use super::app::App;
use crate::edit::Edit;
use crate::model::Flow;
use crate::session::Session;
use std::collections::VecDeque;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A refresh slower than this moves later ops off the input path (one 60 Hz frame).
pub const FRAME: Duration = Duration::from_millis(16);

/// One change to the session.
#[derive(Debug, Clone)]
pub enum Op {
    /// Apply an edit.
    Apply(Edit),
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Evaluate another flow.
    Flow(Flow),
}

/// What an op did, as the status bar says it.
type Outcome = Result<String, String>;

/// Runs one op on a session.
fn run(session: &mut Session, op: Op) -> Outcome {
    match op {
        Op::Apply(edit) => {
            let label = edit.describe();
            session
                .apply(edit)
                .map(|()| format!("{label} · u to undo"))
                .map_err(|e| format!("refused: {e}"))
        }
        Op::Undo => match session.undo() {
            Ok(Some(label)) => Ok(format!("undid {label}")),
            Ok(None) => Ok("nothing to undo".to_string()),
            Err(e) => Err(format!("cannot undo: {e}")),
        },
        Op::Redo => match session.redo() {
            Ok(Some(label)) => Ok(format!("redid {label}")),
            Ok(None) => Ok("nothing to redo".to_string()),
            Err(e) => Err(format!("cannot redo: {e}")),
        },
        Op::Flow(flow) => {
            session.set_flow(flow);
            let summary = session.analysis().summary();
            Ok(format!(
                "flow {flow}: {} reachable, {} blocked of {} pairs",
                summary.reachable, summary.blocked, summary.pairs
            ))
        }
    }
}

/// The background evaluation state.
#[derive(Debug, Default)]
pub struct Worker {
    /// Whether ops go to the background (the design refreshes slower than a frame).
    pub background: bool,
    running: Option<(u64, JoinHandle<(Session, Outcome)>)>,
    queue: VecDeque<Op>,
}

impl Worker {
    /// Whether an op is being evaluated or waiting.
    pub fn busy(&self) -> bool {
        self.running.is_some() || !self.queue.is_empty()
    }
}

impl App {
    /// Performs an op: inline when refreshes are fast, else in the background. Returns the
    /// outcome when it ran inline, `None` when it was handed to the worker.
    pub(super) fn perform(&mut self, op: Op) -> Option<Outcome> {
        if self.worker.background || self.worker.busy() {
            self.worker.queue.push_back(op);
            self.start_next();
            self.say("evaluating…");
            return None;
        }
        let started = Instant::now();
        let outcome = run(&mut self.session, op);
        if started.elapsed() > FRAME {
            self.worker.background = true;
        }
        match &outcome {
            Ok(text) => self.say(text.clone()),
            Err(text) => self.refuse(text.clone()),
        }
        Some(outcome)
    }

    fn start_next(&mut self) {
        if self.worker.running.is_some() {
            return;
        }
        let Some(op) = self.worker.queue.pop_front() else {
            return;
        };
        let mut copy = self.session.clone();
        let revision = self.session.revision();
        let handle = std::thread::spawn(move || {
            let outcome = run(&mut copy, op);
            (copy, outcome)
        });
        self.worker.running = Some((revision, handle));
    }

    /// Takes a finished background result, if any, and starts the next queued op.
    pub(super) fn collect_worker(&mut self) {
        let finished = self
            .worker
            .running
            .as_ref()
            .is_some_and(|(_, h)| h.is_finished());
        if !finished {
            return;
        }
        let Some((revision, handle)) = self.worker.running.take() else {
            return;
        };
        match handle.join() {
            // Only a result computed from the session still shown may replace it.
            Ok((session, outcome)) if revision == self.session.revision() => {
                self.session = session;
                match outcome {
                    Ok(text) => self.say(text),
                    Err(text) => self.refuse(text),
                }
            }
            Ok(_) => self.refuse(
                "a background evaluation no longer applied and was dropped; repeat the change",
            ),
            Err(_) => self.refuse("the background evaluation failed; the design is unchanged"),
        }
        self.start_next();
    }

    /// Waits for every queued op (tests and quitting use it).
    pub fn wait_idle(&mut self) {
        while self.worker.busy() {
            if let Some((_, handle)) = &self.worker.running
                && !handle.is_finished()
            {
                std::thread::sleep(Duration::from_millis(2));
            }
            self.collect_worker();
        }
    }

    /// Whether evaluation is in progress in the background.
    pub fn evaluating(&self) -> bool {
        self.worker.busy()
    }

    /// Runs design changes in the background from now on (large designs; tests).
    pub fn set_background(&mut self, on: bool) {
        self.worker.background = on;
    }
}
