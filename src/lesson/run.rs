//! One lesson in progress: the page shown, the edits made since the start design, the hints
//! revealed, the last grade, and whether the lesson is solved. Pure state for the TUI's lesson
//! mode; the TUI owns the session (the design and its undo history) and reports each change.

use super::{Grade, Lesson, Lock, Solution};
use crate::edit::Edit;
use crate::lint::Diagnostic;
use crate::model::Design;
use serde::{Deserialize, Serialize};

/// What is remembered of a lesson between runs (kept in the data directory by the TUI).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Progress {
    /// The lesson's id.
    pub id: String,
    /// Solved at least once.
    pub solved: bool,
    /// How many hints have been revealed.
    pub hints_shown: usize,
    /// The solution was explicitly revealed.
    pub solution_revealed: bool,
}

/// A lesson being worked on.
///
/// ```
/// use vnetlab::lesson::{LessonRun, bundled};
/// use vnetlab::session::Session;
/// let mut run = LessonRun::new(bundled::lesson("one-sided-peering").unwrap());
/// let mut session = Session::new(run.start_design());
/// let grade = run.regrade(session.design(), session.diagnostics());
/// assert_eq!((grade.passed(), grade.total()), (0, 3));
/// assert_eq!(grade.goals[0].message, "a-to-b is still Initiated: only vnet-a has a peering resource.");
/// assert!(!run.fix_key_allowed());
/// let first_hint = run.reveal_hint().unwrap().to_string();
/// assert_eq!(run.hints_shown(), [first_hint]);
/// // The trainee's edit goes to the session, and to the run for the constraints.
/// let edit = run.lesson().solution.edits()[0].clone();
/// session.apply(edit.clone()).unwrap();
/// run.applied(edit);
/// let grade = run.regrade(session.design(), session.diagnostics());
/// assert!(grade.solved());
/// assert!(run.fix_key_allowed() && run.closing().is_some());
/// ```
#[derive(Debug, Clone)]
pub struct LessonRun {
    lesson: Lesson,
    progress: Progress,
    page: usize,
    edits: Vec<Edit>,
    undone: Vec<Edit>,
    grade: Option<Grade>,
}

impl LessonRun {
    /// Starts a lesson afresh.
    pub fn new(lesson: Lesson) -> Self {
        let progress = Progress {
            id: lesson.id.clone(),
            ..Progress::default()
        };
        Self::with_progress(lesson, progress)
    }

    /// Starts a lesson with remembered progress; progress of another lesson is ignored.
    pub fn with_progress(lesson: Lesson, progress: Progress) -> Self {
        let mut progress = if progress.id == lesson.id {
            progress
        } else {
            Progress {
                id: lesson.id.clone(),
                ..Progress::default()
            }
        };
        progress.hints_shown = progress.hints_shown.min(lesson.hints.len());
        LessonRun {
            lesson,
            progress,
            page: 0,
            edits: Vec::new(),
            undone: Vec::new(),
            grade: None,
        }
    }

    /// The lesson.
    pub fn lesson(&self) -> &Lesson {
        &self.lesson
    }

    /// What to remember of this run.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// The design to open: a copy of the start design (the lesson itself is never changed).
    pub fn start_design(&self) -> Design {
        self.lesson.start.clone()
    }

    /// Back to the start design: forgets the edits and the grade (not the hints or whether the
    /// lesson was solved before) and returns the design to open.
    pub fn reset(&mut self) -> Design {
        self.edits.clear();
        self.undone.clear();
        self.grade = None;
        self.start_design()
    }

    /// The page shown, 0-based.
    pub fn page(&self) -> usize {
        self.page
    }

    /// The text of the page shown (empty for a lesson without pages).
    pub fn page_text(&self) -> &str {
        self.lesson.pages.get(self.page).map_or("", String::as_str)
    }

    /// Goes to the next page; `false` on the last.
    pub fn next_page(&mut self) -> bool {
        let more = self.page + 1 < self.lesson.pages.len();
        if more {
            self.page += 1;
        }
        more
    }

    /// Goes to the previous page; `false` on the first.
    pub fn previous_page(&mut self) -> bool {
        let more = self.page > 0;
        if more {
            self.page -= 1;
        }
        more
    }

    /// Records an edit the session applied.
    pub fn applied(&mut self, edit: Edit) {
        self.edits.push(edit);
        self.undone.clear();
    }

    /// Records that the session undid its last edit.
    pub fn undone(&mut self) {
        if let Some(edit) = self.edits.pop() {
            self.undone.push(edit);
        }
    }

    /// Records that the session redid the last undone edit.
    pub fn redone(&mut self) {
        if let Some(edit) = self.undone.pop() {
            self.edits.push(edit);
        }
    }

    /// The edits made since the start design, oldest first.
    pub fn edits(&self) -> &[Edit] {
        &self.edits
    }

    /// Grades the current design (`diagnostics` are the session's design checks of it). Once
    /// every goal passes with every constraint kept, the lesson counts as solved for good.
    pub fn regrade(&mut self, design: &Design, diagnostics: &[Diagnostic]) -> &Grade {
        let grade = self.lesson.grade(design, diagnostics, &self.edits);
        if grade.solved() {
            self.progress.solved = true;
        }
        self.grade.insert(grade)
    }

    /// The last grade, if any.
    pub fn grade(&self) -> Option<&Grade> {
        self.grade.as_ref()
    }

    /// Whether the current design solves the lesson (by the last grade).
    pub fn is_solved_now(&self) -> bool {
        self.grade.as_ref().is_some_and(Grade::solved)
    }

    /// The closing message, once the current design solves the lesson.
    pub fn closing(&self) -> Option<&str> {
        self.is_solved_now().then_some(self.lesson.closing.as_str())
    }

    /// Reveals the next hint; `None` when every hint is shown.
    pub fn reveal_hint(&mut self) -> Option<&str> {
        let next = self.lesson.hints.get(self.progress.hints_shown)?;
        self.progress.hints_shown += 1;
        Some(next)
    }

    /// The hints revealed so far, in order.
    pub fn hints_shown(&self) -> &[String] {
        &self.lesson.hints[..self.progress.hints_shown]
    }

    /// How many hints are still hidden.
    pub fn hints_left(&self) -> usize {
        self.lesson.hints.len() - self.progress.hints_shown
    }

    /// Whether the `x` fix key may be used now.
    pub fn fix_key_allowed(&self) -> bool {
        self.lesson.locks.fix_key == Lock::Open || self.unlocked()
    }

    /// Whether the solution may be shown now without an explicit reveal.
    pub fn solution_visible(&self) -> bool {
        self.lesson.locks.solution == Lock::Open || self.unlocked()
    }

    /// Reveals the solution on explicit request (this also unlocks the fix key).
    pub fn reveal_solution(&mut self) -> &Solution {
        self.progress.solution_revealed = true;
        &self.lesson.solution
    }

    fn unlocked(&self) -> bool {
        self.progress.solved || self.progress.solution_revealed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::bundled;

    fn first() -> LessonRun {
        LessonRun::new(bundled::lesson("first-peering").unwrap())
    }

    #[test]
    fn hints_come_one_at_a_time_and_are_remembered() {
        let mut run = first();
        let total = run.lesson().hints.len();
        assert!(total >= 2);
        assert!(run.hints_shown().is_empty());
        let first_hint = run.reveal_hint().unwrap().to_string();
        assert_eq!(run.hints_shown(), [first_hint]);
        assert_eq!(run.hints_left(), total - 1);
        while run.reveal_hint().is_some() {}
        assert_eq!(run.hints_left(), 0);
        let again = LessonRun::with_progress(run.lesson().clone(), run.progress().clone());
        assert_eq!(again.hints_shown().len(), total);
    }

    #[test]
    fn locks_open_when_solved_or_revealed() {
        let mut run = first();
        assert!(!run.fix_key_allowed());
        assert!(!run.solution_visible());
        let start = run.start_design();
        assert!(!run.regrade(&start, &crate::lint::check(&start)).solved());
        let solved = run.lesson().solution.design(&start).unwrap();
        for edit in run.lesson().solution.edits().to_vec() {
            run.applied(edit);
        }
        assert!(run.regrade(&solved, &crate::lint::check(&solved)).solved());
        assert!(run.fix_key_allowed() && run.solution_visible());
        assert_eq!(run.closing(), Some(run.lesson().closing.as_str()));
        // Back to the start: the lesson stays solved, the closing goes.
        let start = run.reset();
        run.regrade(&start, &crate::lint::check(&start));
        assert!(run.progress().solved && run.closing().is_none());

        let mut other = first();
        other.reveal_solution();
        assert!(other.fix_key_allowed() && other.solution_visible());
    }

    #[test]
    fn undo_and_redo_move_edits_between_the_logs() {
        let mut run = first();
        let edits = run.lesson().solution.edits().to_vec();
        run.applied(edits[0].clone());
        run.applied(edits[1].clone());
        run.undone();
        assert_eq!(run.edits(), &edits[..1]);
        run.redone();
        assert_eq!(run.edits(), &edits[..2]);
        run.undone();
        run.applied(edits[1].clone());
        run.redone();
        assert_eq!(run.edits().len(), 2);
    }

    #[test]
    fn progress_of_another_lesson_is_ignored() {
        let lesson = bundled::lesson("first-peering").unwrap();
        let stale = Progress {
            id: "other".into(),
            solved: true,
            hints_shown: 9,
            solution_revealed: true,
        };
        let run = LessonRun::with_progress(lesson, stale);
        assert!(!run.progress().solved && run.progress().id == "first-peering");
    }
}
