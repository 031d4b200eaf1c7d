//! Keeps typing responsive on large designs. Every design change (apply, undo, redo, a new
//! flow) is an [`Op`]. The UI applies it to the session at once (the design and the history
//! change before the next frame, and a refused edit is refused at once) and gets back the
//! revision's evaluation job ([`EvalJob`]). The job then runs either inline, or on one
//! long-lived evaluation thread fed through a channel:
//!
//! - **When.** Inline while evaluations are fast, in the background once one takes longer than a
//!   frame ([`FRAME`]). Every evaluation is timed (inline on the UI thread, background on the
//!   evaluation thread), and the last one decides for the next change, so the mode follows the
//!   design: it switches to the background as a design grows past about a frame and back when
//!   it shrinks. `tui::run` also times the first evaluation of the design it opens.
//! - **Meanwhile.** The session keeps the previous revision's results readable
//!   ([`Session::is_stale`]); the UI draws them, marked as evaluating, and keeps taking keys:
//!   moving around, and further edits, each of which sends a newer job.
//! - **The thread.** It takes the newest job waiting (older ones are skipped: only the current
//!   revision can be installed), evaluates it and sends the [`Evaluation`] back. It owns no
//!   session: a job holds the design of its revision through an `Arc`, and nothing clones the
//!   session. It ends when the app drops its end of the channel.
//! - **Landing.** The UI collects results without blocking whenever it handles an input or a
//!   tick, and [`Session::install`] accepts only the current revision's. The event loop of
//!   `tui::run` polls the terminal with a short timeout only while an evaluation is pending,
//!   so a result shows within a few milliseconds of landing. [`App::wait_idle`] blocks on the
//!   channel (no sleeping) until the current revision is installed: tests, and the one action
//!   that must read the current results to build its edit (the fix key), use it.
//!
//! Cost: one thread for the app's lifetime, started by the first background job; per change,
//! one `Arc` clone of the design into the job and one evaluation. If the thread dies (an
//! evaluation panicked, which the core's never-panic tests exist to rule out), the job it held
//! is evaluated inline, and the next job slow enough for the background starts a new thread.

use super::app::App;
use crate::edit::Edit;
use crate::model::Flow;
use crate::session::{EvalJob, Evaluation, Session};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// An evaluation slower than this moves the next changes off the input path (one 60 Hz frame).
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

/// A gate the evaluation thread passes before each job: open, unless a test holds evaluations
/// back to see what the UI does while one is pending.
#[derive(Debug, Default)]
struct Gate {
    held: Mutex<bool>,
    changed: Condvar,
}

impl Gate {
    fn set(&self, held: bool) {
        *self.held.lock().unwrap_or_else(PoisonError::into_inner) = held;
        self.changed.notify_all();
    }

    /// Waits while the gate is held.
    fn pass(&self) {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        while *held {
            held = self
                .changed
                .wait(held)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// An evaluation and how long it took.
#[derive(Debug)]
struct Finished {
    evaluation: Evaluation,
    took: Duration,
}

/// Runs a job and times it.
fn evaluate(job: EvalJob) -> Finished {
    let started = Instant::now();
    let evaluation = job.run();
    Finished {
        evaluation,
        took: started.elapsed(),
    }
}

/// The evaluation thread's two channels.
#[derive(Debug)]
struct Evaluator {
    jobs: Sender<EvalJob>,
    results: Receiver<Finished>,
}

impl Evaluator {
    /// Starts the thread; `None` if the system refuses one.
    fn start(gate: Arc<Gate>) -> Option<Evaluator> {
        let (jobs, inbox) = mpsc::channel::<EvalJob>();
        let (outbox, results) = mpsc::channel();
        std::thread::Builder::new()
            .name("vnetlab-evaluation".to_string())
            .spawn(move || {
                while let Ok(mut job) = inbox.recv() {
                    gate.pass();
                    // Only the newest job can still be installed: skip the others.
                    while let Ok(newer) = inbox.try_recv() {
                        job = newer;
                    }
                    if outbox.send(evaluate(job)).is_err() {
                        return;
                    }
                }
            })
            .ok()?;
        Some(Evaluator { jobs, results })
    }
}

/// The background evaluation state.
#[derive(Debug, Default)]
pub struct Worker {
    /// Whether changes are evaluated in the background (the last evaluation took over a frame).
    background: bool,
    /// The evaluation thread, once started.
    evaluator: Option<Evaluator>,
    gate: Arc<Gate>,
    /// The newest job sent and not yet installed, kept to evaluate it inline should the thread
    /// die.
    sent: Option<EvalJob>,
    /// The revision of a new flow, whose matrix summary the status bar gives when its
    /// evaluation is installed.
    announce_flow: Option<u64>,
}

impl Drop for Worker {
    /// A held gate would keep the thread waiting forever.
    fn drop(&mut self) {
        self.gate.set(false);
    }
}

impl Worker {
    /// Hands a job to the evaluation thread (starting it if need be); false when there is no
    /// thread to take it.
    fn send(&mut self, job: &EvalJob) -> bool {
        if self.evaluator.is_none() {
            self.evaluator = Evaluator::start(Arc::clone(&self.gate));
        }
        let Some(evaluator) = &self.evaluator else {
            return false;
        };
        if evaluator.jobs.send(job.clone()).is_err() {
            self.evaluator = None;
            return false;
        }
        self.sent = Some(job.clone());
        true
    }

    /// The next result from the thread: waiting for it when `block`, else only if one is
    /// there. When the thread is gone, the job it held is evaluated here instead.
    fn next_result(&mut self, block: bool) -> Option<Finished> {
        let evaluator = self.evaluator.as_ref()?;
        let received = if block {
            evaluator
                .results
                .recv()
                .map_err(|_| TryRecvError::Disconnected)
        } else {
            evaluator.results.try_recv()
        };
        match received {
            Ok(finished) => Some(finished),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.evaluator = None;
                self.background = false;
                self.sent.take().map(evaluate)
            }
        }
    }
}

/// The status-bar sentence for a flow's matrix.
fn flow_summary(session: &Session) -> String {
    let summary = session.analysis().summary();
    format!(
        "flow {}: {} reachable, {} blocked of {} pairs",
        session.analysis().flow(),
        summary.reachable,
        summary.blocked,
        summary.pairs
    )
}

impl App {
    /// Performs an op: the session changes at once and its evaluation runs inline or in the
    /// background. Returns the refusal, already on the status bar, when the op changed nothing.
    pub(super) fn perform(&mut self, op: Op) -> Result<(), String> {
        let (job, said) = match op {
            Op::Apply(edit) => {
                let label = edit.describe_in(self.session.design());
                let change = super::lesson::Change::Applied(edit.clone());
                match self.session.apply_deferred(edit) {
                    Ok(job) => {
                        self.lesson_saw(change);
                        (job, format!("{label} · u to undo"))
                    }
                    Err(e) => return Err(self.refusal(format!("refused: {e}"))),
                }
            }
            Op::Undo => match self.session.undo_deferred() {
                Ok(Some((label, job))) => {
                    self.lesson_saw(super::lesson::Change::Undone);
                    (job, format!("undid {label}"))
                }
                Ok(None) => {
                    self.say("nothing to undo");
                    return Ok(());
                }
                Err(e) => return Err(self.refusal(format!("cannot undo: {e}"))),
            },
            Op::Redo => match self.session.redo_deferred() {
                Ok(Some((label, job))) => {
                    self.lesson_saw(super::lesson::Change::Redone);
                    (job, format!("redid {label}"))
                }
                Ok(None) => {
                    self.say("nothing to redo");
                    return Ok(());
                }
                Err(e) => return Err(self.refusal(format!("cannot redo: {e}"))),
            },
            Op::Flow(flow) => {
                match self.session.set_flow_deferred(flow) {
                    Some(job) => {
                        self.worker.announce_flow = Some(job.revision());
                        self.evaluate(job);
                    }
                    None => self.say(flow_summary(&self.session)),
                }
                if self.session.is_stale() {
                    self.say(format!("evaluating flow {flow}…"));
                }
                return Ok(());
            }
        };
        self.say(said);
        self.evaluate(job);
        Ok(())
    }

    /// Says a refusal and returns it.
    fn refusal(&mut self, text: String) -> String {
        self.refuse(text.clone());
        text
    }

    /// Evaluates the session's new revision: in the background when evaluations are slow or
    /// one is already pending there, else inline.
    fn evaluate(&mut self, job: EvalJob) {
        if (self.worker.background || self.worker.sent.is_some()) && self.worker.send(&job) {
            return;
        }
        let finished = evaluate(job);
        self.land(finished);
    }

    /// Installs an evaluation if it is of the current revision, and lets its duration decide
    /// where the next one runs.
    fn land(&mut self, finished: Finished) {
        self.worker.background = finished.took > FRAME;
        let revision = finished.evaluation.revision();
        if self.session.install(finished.evaluation)
            && self
                .worker
                .announce_flow
                .take_if(|announced| *announced == revision)
                .is_some()
        {
            self.say(flow_summary(&self.session));
        }
        if !self.session.is_stale() {
            self.worker.sent = None;
        }
    }

    /// Installs whatever the evaluation thread has finished, without waiting.
    pub(super) fn collect_worker(&mut self) {
        while self.session.is_stale() {
            let Some(finished) = self.worker.next_result(false) else {
                return;
            };
            self.land(finished);
        }
    }

    /// Waits until the current revision is evaluated and installed (blocking on the channel),
    /// then brings the live results up to date. Releases evaluations held back by
    /// [`App::hold_evaluations`] first.
    pub fn wait_idle(&mut self) {
        self.worker.gate.set(false);
        while self.session.is_stale() {
            let Some(finished) = self.worker.next_result(true) else {
                break;
            };
            self.land(finished);
        }
        self.catch_up();
        self.settle();
    }

    /// Whether the shown results are of an older revision than the design: an evaluation is
    /// pending in the background.
    pub fn evaluating(&self) -> bool {
        self.session.is_stale()
    }

    /// Runs the evaluation of design changes in the background from now on (large designs;
    /// tests), until an evaluation shows the design is fast again.
    pub fn set_background(&mut self, on: bool) {
        self.worker.background = on;
    }

    /// A test hook: while held, background evaluations wait (they queue, and only the newest
    /// runs once released) so a test can see what the UI does meanwhile, deterministically.
    /// [`App::wait_idle`] releases them.
    pub fn hold_evaluations(&mut self, held: bool) {
        self.worker.gate.set(held);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Design, Peering};

    #[test]
    fn the_thread_skips_to_the_newest_job() {
        let mut session = Session::new(Design::example_pair());
        let mut worker = Worker::default();
        worker.gate.set(true);
        let mut last = 0;
        for name in ["a-to-b", "b-to-a"] {
            let (local, remote) = name.split_once("-to-").unwrap();
            let job = session
                .apply_deferred(Edit::Add {
                    object: crate::edit::Object::Peering(Peering::new(name, local, remote)),
                    at: None,
                })
                .unwrap();
            last = job.revision();
            assert!(worker.send(&job));
        }
        worker.gate.set(false);
        let finished = worker.next_result(true).unwrap();
        assert_eq!(finished.evaluation.revision(), last);
        assert!(session.install(finished.evaluation));
        assert!(!session.is_stale());
        // Nothing else comes back before the thread ends: the older job was skipped.
        let Evaluator { jobs, results } = worker.evaluator.take().unwrap();
        drop(jobs);
        assert_eq!(results.iter().count(), 0);
    }
}
