//! Lessons: a start design, a few pages of text, and goals checked live against the design the
//! trainee edits. Lessons are data (a versioned RON format, parsed by [`parse_lesson`]); the
//! bundled ones live in `assets/lessons/` and are embedded in the binary ([`bundled`]), and a
//! trainer's folder of lessons loads through [`crate::io::lessons`].
//!
//! Goals grade outcomes, never configuration: who reaches whom ([`Check::Reach`], evaluated by
//! the engine's trace exactly like a design's [`Intent`](crate::model::Intent)), and what Azure
//! would refuse or warn about ([`Check::Diagnostic`], a [`lint`](crate::lint) code present or
//! absent). So any correct solution passes. [`Constraint`]s ("no new peering", "at most 3 edits",
//! "do not delete `a-to-b`") rule out the shortcuts an outcome alone cannot.
//!
//! # For the TUI lesson mode
//!
//! [`LessonRun`] holds one lesson in progress and is all the lesson mode needs:
//! [`LessonRun::start_design`] opens (and [`LessonRun::reset`] reopens) the start design; after
//! every change call [`LessonRun::applied`] / [`LessonRun::undone`] / [`LessonRun::redone`] with
//! the session's edit, then [`LessonRun::regrade`] with the session's design and diagnostics,
//! which returns the [`Grade`]: per goal pass or fail with the goal's own message, progress,
//! constraints, and whether the lesson is solved. Hints come one at a time
//! ([`LessonRun::reveal_hint`]); [`LessonRun::fix_key_allowed`] and
//! [`LessonRun::solution_visible`] apply the lesson's [`Locks`] until it is solved or the
//! solution is revealed ([`LessonRun::reveal_solution`]). [`Progress`] is serialisable, for the
//! data directory. The lesson file itself is never written.
//!
//! # Cost
//!
//! Grading traces each reachability goal once (one compile of the design per grade) and reads
//! diagnostics the caller already has; a lesson design has a handful of VMs, so a grade costs
//! well under a millisecond. Loading a lesson applies its solution edits once, to check the
//! goals' endpoints.

mod audit;
mod author;
pub mod bundled;
mod concept;
mod constraint;
mod draft;
mod goal;
mod library;
mod locate;
mod parse;
pub mod quiz;
mod run;

pub use audit::{Finding, audit, audit_all};
pub use author::{LessonPart, with_design_file};
pub use concept::Concept;
pub use constraint::ConstraintStatus;
pub use draft::{DraftError, draft_lesson, id_from_name};
pub use goal::{GoalStatus, Grade, Wording};
pub use library::Library;
pub use parse::{Resolved, parse_lesson};
pub use quiz::{HopChoice, Judgement, Prediction, Question};
pub use run::{LessonRun, Progress};

use crate::edit::{Edit, EditError};
use crate::lint::Code;
use crate::model::{Design, Expectation, Flow, ObjectKind};
use serde::{Deserialize, Serialize};

/// The lesson-file format version this build reads.
pub const LESSON_FORMAT_VERSION: u32 = 1;

/// One lesson, loaded and checked: every goal endpoint names an endpoint of the start design or
/// of the solution, every diagnostic code exists, and the start design is a valid design.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    /// Stable id (`first-peering`): lowercase letters, digits and dashes.
    pub id: String,
    /// Title shown in lists and on the lesson card.
    pub title: String,
    /// The concepts the lesson teaches.
    pub concepts: Vec<Concept>,
    /// The documents the lesson rests on (URLs, `azure-semantics.md §1.4`).
    pub sources: Vec<String>,
    /// The introduction, one page at a time.
    pub pages: Vec<String>,
    /// The design the trainee starts from.
    pub start: Design,
    /// The goals, in the order the card lists them.
    pub goals: Vec<Goal>,
    /// Hints, revealed one at a time, vaguest first.
    pub hints: Vec<String>,
    /// One correct solution.
    pub solution: Solution,
    /// Rules the trainee's edits must keep.
    pub constraints: Vec<Constraint>,
    /// What stays locked until the lesson is solved or the solution revealed.
    pub locks: Locks,
    /// Shown once every goal passes.
    pub closing: String,
    /// Where the lesson came from (a file as the user named it, or `bundled:NAME`).
    pub origin: String,
}

/// One goal: a check, a short title for the checklist, and a message for each outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Goal {
    /// The checklist line ("vm-a reaches vm-b on tcp/3389").
    pub title: String,
    /// What is checked.
    pub check: Check,
    /// Shown when the goal passes.
    pub pass: String,
    /// Shown while it fails.
    pub fail: String,
}

/// What a goal checks. Outcomes only, so that any correct solution passes.
///
/// `C` is how a diagnostic code is held: a checked [`Code`] in a loaded lesson, the file's text
/// while a lesson file is read (so an unknown code is refused with its place in the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Check<C = Code> {
    /// `from` reaches (or cannot reach) `to` with `flow`, as the engine's trace says (the same
    /// semantics as a design's intent: reachable means the flow and its reply get through).
    Reach {
        /// Source endpoint (VM, site host or P2S client).
        from: String,
        /// Destination endpoint.
        to: String,
        /// The flow tested (a file may leave it out: the default flow).
        #[serde(serialize_with = "as_text", default)]
        flow: Flow,
        /// Reachable or blocked.
        #[serde(serialize_with = "as_text")]
        expect: Expectation,
    },
    /// A design check's code is present (or absent), on any object or on the named one.
    Diagnostic {
        /// The lint code, e.g. `PEERING_TRANSIT_BASIC_SKU`.
        code: C,
        /// The object's name (`hub-to-spoke1`); `None` for any object.
        #[serde(default)]
        on: Option<String>,
        /// Present or absent.
        expect: Presence,
    },
    /// Azure would accept the whole design: no diagnostic of severity error (failed intents of
    /// the design itself do not count; the lesson's goals are its intents).
    NoErrors,
    /// VNets `a` and `b` are peered: a link between them (either way) that Azure would accept
    /// shows `peeringState` Connected. For outcomes the matrix cannot show, such as an
    /// ARM-to-classic peering, whose one link is all Azure has.
    Peered {
        /// One VNet.
        a: String,
        /// The other VNet.
        b: String,
    },
}

fn as_text<T: std::fmt::Display, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// Whether a diagnostic goal wants its code present or absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Presence {
    /// The design must show the diagnostic.
    Present,
    /// The design must not show it.
    Absent,
}

/// A rule the trainee's edits must keep, checked against the start design, the current design
/// and the edits made since the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Constraint {
    /// No peering between two VNets that had no peering (either way) in the start design.
    NoNewPeering,
    /// At most this many edits (undone edits do not count).
    MaxEdits(usize),
    /// This object is never deleted or renamed (deleting and recreating it counts as deleting).
    Keep {
        /// The object's kind.
        kind: ObjectKind,
        /// Its name (`vnet/subnet` for a subnet).
        name: String,
    },
    /// The assumptions stay as the lesson sets them (no switching a contested behaviour off).
    KeepAssumptions,
}

/// One correct solution: edits applied to the start design, or the solved design itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Solution {
    /// Edits, applied in order to the start design (the TUI can replay them).
    Edits(Vec<Edit>),
    /// The solved design.
    Design(Box<Design>),
}

impl Solution {
    /// The solved design, from `start`.
    ///
    /// # Errors
    /// The first solution edit the design refuses, with its 0-based index.
    pub fn design(&self, start: &Design) -> Result<Design, (usize, EditError)> {
        match self {
            Solution::Design(design) => Ok((**design).clone()),
            Solution::Edits(edits) => {
                let mut design = start.clone();
                for (index, edit) in edits.iter().enumerate() {
                    edit.apply(&mut design).map_err(|e| (index, e))?;
                }
                Ok(design)
            }
        }
    }

    /// The solution's edits; empty for a design solution.
    pub fn edits(&self) -> &[Edit] {
        match self {
            Solution::Edits(edits) => edits,
            Solution::Design(_) => &[],
        }
    }
}

/// What a lesson keeps locked. Both unlock when the lesson is solved or the trainee explicitly
/// reveals the solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Locks {
    /// The TUI's `x` (apply the suggested fix).
    pub fix_key: Lock,
    /// The solution.
    pub solution: Lock,
}

impl Default for Locks {
    /// Teaching default: the fix key and the solution are locked.
    fn default() -> Self {
        Locks {
            fix_key: Lock::Locked,
            solution: Lock::Locked,
        }
    }
}

/// Whether something is available before the lesson is solved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lock {
    /// Available from the start.
    Open,
    /// Locked until the lesson is solved or the solution revealed.
    Locked,
}

/// Whether RON text is a design (its first value is `Design(…)`) rather than a lesson: a
/// folder of lessons may hold the design files its lessons refer to.
pub fn is_design_text(text: &str) -> bool {
    locate::top_value_is(text, "Design")
}

impl Lesson {
    /// Grades `design` against every goal and constraint. `diagnostics` must be
    /// [`lint::check`](crate::lint::check) of this very design (the session's diagnostics);
    /// `edits` are the edits made since the start design, oldest first, undone ones removed.
    pub fn grade(
        &self,
        design: &Design,
        diagnostics: &[crate::lint::Diagnostic],
        edits: &[Edit],
    ) -> Grade {
        Grade {
            goals: goal::check_goals(self, design, diagnostics),
            constraints: constraint::check_constraints(self, design, edits),
        }
    }

    /// [`Lesson::grade`], running the design checks itself.
    pub fn grade_design(&self, design: &Design, edits: &[Edit]) -> Grade {
        self.grade(design, &crate::lint::check(design), edits)
    }

    /// The flow the lesson is about: its first reachability goal's, so the matrix a trainee
    /// reads shows what the goals grade (lesson 1's RDP goals on tcp/3389, not the default
    /// tcp/443). `None` when no goal is a reachability goal.
    pub fn flow(&self) -> Option<Flow> {
        self.goals.iter().find_map(|goal| match &goal.check {
            Check::Reach { flow, .. } => Some(*flow),
            _ => None,
        })
    }

    /// The concepts as ids, comma-separated (`peering-per-side, regional-peering`).
    pub fn concept_ids(&self) -> String {
        self.concepts
            .iter()
            .map(|c| c.id())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
