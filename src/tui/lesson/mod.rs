//! Teaching in the TUI: the lesson mode (a lesson card with the page, the goal checklist and
//! the hints, graded after every change), predict-then-reveal over the matrix ([`predict`], its
//! question and reveal in `reveal`), the presenter mode ([`present`]) and authoring (`author`:
//! the lesson menu's saves). The lesson logic itself is the core's
//! [`LessonRun`]: this module opens lessons, reports the session's
//! edits to the run, regrades it with the session's own diagnostics, keeps the progress in the
//! data directory and draws the card (`card`).
//!
//! Cost: a grade traces each reachability goal once (well under a millisecond for a lesson's
//! handful of VMs) and runs only when the session has a newly evaluated revision, never on a
//! key that changes nothing; the card draws from the last grade.

mod author;
mod card;
pub mod predict;
pub mod present;
mod progress;
mod reveal;

use super::app::App;
use super::overlay::{Overlay, Pending};
use super::widgets::dialog::{Choose, Confirm};
use crate::edit::Edit;
use crate::lesson::{Lesson, LessonRun, Library, Solution};
use ratatui::layout::Rect;

pub use predict::Predict;
pub use present::Stage;

/// Everything teaching adds to the app: the lesson in progress, predict-then-reveal and the
/// presenter mode.
#[derive(Debug, Default)]
pub(super) struct Teach {
    /// The lesson in progress.
    pub(super) run: Option<LessonRun>,
    /// The lessons the picker listed last (the bundled ones, then the user's folder), in order:
    /// "next lesson" follows it.
    pub(super) library: Option<Library>,
    /// The session revision the run was last graded at.
    pub(super) graded: Option<u64>,
    /// Predict-then-reveal over the matrix, while on.
    pub(super) predict: Option<Predict>,
    /// Presenter mode, while on.
    pub(super) presenter: Option<present::Presenter>,
    /// Whether the lesson card is shown full height over the panes (`C`): how a small
    /// terminal, whose panes leave the card no band, shows it.
    pub(super) card_full: bool,
    /// The lesson file the open lesson was last saved to from the lesson menu (the next save
    /// offers it again).
    pub(super) authored: Option<std::path::PathBuf>,
    /// The terminal's whole area (the panes get what the card and the banner leave).
    pub(super) terminal: Rect,
    /// How far the card's page column is scrolled and what the last drawing left unread
    /// (drawing writes it, `]` and `[` read it).
    pub(super) card: std::cell::Cell<card::CardScroll>,
}

/// What the lesson menu saves the design as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonSave {
    /// The open lesson's start or solution.
    Part(crate::lesson::LessonPart),
    /// The start of a new lesson drafted from the design.
    New,
}

/// What the lesson menu (`L`) and its questions can do.
#[derive(Debug, Clone, PartialEq)]
pub enum LessonChoice {
    /// Open this lesson (asks first when the design has unsaved edits).
    Start(Box<Lesson>),
    /// Open this lesson, dropping unsaved edits.
    StartNow(Box<Lesson>),
    /// Back to the lesson's start design.
    Reset,
    /// Show the solution (and unlock the fix key).
    RevealSolution,
    /// Save the current design as the lesson's start design (asks where).
    SaveStart,
    /// Save the current design as the lesson's solution (asks where).
    SaveSolution,
    /// Draft a new lesson whose start is the current design (asks where).
    NewLesson,
    /// Leave lesson mode (the design stays open).
    Leave,
    /// "Blocked" was predicted: ask which hop blocks the pair.
    AskHop {
        /// Source endpoint.
        from: String,
        /// Destination endpoint.
        to: String,
    },
    /// An answer to the predict question: the pair and the prediction.
    Answer {
        /// Source endpoint.
        from: String,
        /// Destination endpoint.
        to: String,
        /// Reachable, or blocked (at the hop chosen).
        prediction: crate::lesson::Prediction,
    },
}

impl App {
    /// The lesson in progress, if any.
    pub fn lesson(&self) -> Option<&LessonRun> {
        self.teach.run.as_ref()
    }

    /// Opens a lesson by id (bundled, or in the user's lesson folder) as `vnetlab --lesson ID`
    /// does; the error names the known ids.
    ///
    /// # Errors
    /// No lesson has this id.
    pub fn open_lesson(&mut self, id: &str) -> Result<(), String> {
        let library = self.list_lessons();
        let found = library.get(id).cloned();
        self.teach.library = Some(library);
        match found {
            Some(lesson) => {
                self.lesson_choice(LessonChoice::StartNow(Box::new(lesson)));
                self.settle();
                Ok(())
            }
            None => Err(format!(
                "no lesson `{id}`; `vnetlab lesson list` shows the lessons"
            )),
        }
    }

    /// The bundled lessons, then those of the user's folder (an unreadable one is said on the
    /// status bar and left out).
    fn list_lessons(&mut self) -> Library {
        let mut lessons = crate::lesson::bundled::lessons();
        let dir = self.document.files.lessons_dir();
        let mut problems = Vec::new();
        for loaded in self.document.files.load_lessons(&dir) {
            match loaded {
                // The folder's copy of a bundled lesson (saved from the lesson menu) takes
                // its place.
                Ok(lesson) => match lessons.iter_mut().find(|l| l.id == lesson.id) {
                    Some(bundled) => *bundled = lesson,
                    None => lessons.push(lesson),
                },
                Err(problem) => problems.push(problem),
            }
        }
        if let Some(first) = problems.first() {
            self.refuse(first.clone());
        }
        Library::new(lessons)
    }

    /// `L`: the lesson menu (reset, reveal, save, leave) over the list of lessons.
    pub(super) fn lessons_menu(&mut self) {
        let library = self.list_lessons();
        let solved = progress::solved_ids(self.document.files.as_ref());
        let mut options = Vec::new();
        if let Some(run) = &self.teach.run {
            let next = library.next_after(&run.lesson().id).cloned();
            if let (true, Some(next)) = (run.is_solved_now(), next) {
                options.push((
                    format!("next lesson: {}", next.title),
                    Pending::Lesson(LessonChoice::Start(Box::new(next))),
                ));
            }
            for (label, choice) in [
                ("reset to the start design", LessonChoice::Reset),
                ("reveal the solution", LessonChoice::RevealSolution),
                (
                    "save this design as the lesson's start…",
                    LessonChoice::SaveStart,
                ),
                (
                    "save this design as the lesson's solution…",
                    LessonChoice::SaveSolution,
                ),
                ("leave the lesson", LessonChoice::Leave),
            ] {
                options.push((label.to_string(), Pending::Lesson(choice)));
            }
        } else {
            options.push((
                "new lesson from this design (its intents are the goals)…".to_string(),
                Pending::Lesson(LessonChoice::NewLesson),
            ));
        }
        for (i, lesson) in library.lessons().iter().enumerate() {
            let mark = if solved.contains(&lesson.id) {
                "✓"
            } else {
                " "
            };
            let origin = if lesson.origin.starts_with("bundled:") {
                String::new()
            } else {
                format!("  ({})", lesson.origin)
            };
            options.push((
                format!("{mark} {:>2}. {}{origin}", i + 1, lesson.title),
                Pending::Lesson(LessonChoice::Start(Box::new(lesson.clone()))),
            ));
        }
        self.teach.library = Some(library);
        self.overlay = Some(Overlay::Choose(Choose {
            title: "Lessons".to_string(),
            options,
            selected: 0,
        }));
    }

    /// Carries out a choice of the lesson menu.
    pub(super) fn lesson_choice(&mut self, choice: LessonChoice) {
        match choice {
            LessonChoice::Start(lesson) if self.session.is_dirty() => {
                self.overlay = Some(Overlay::Confirm(Confirm {
                    message: "The design has unsaved edits. Discard them and open the lesson?"
                        .to_string(),
                    on_yes: Pending::Lesson(LessonChoice::StartNow(lesson)),
                }));
            }
            LessonChoice::Start(lesson) | LessonChoice::StartNow(lesson) => {
                let remembered = progress::load(self.document.files.as_ref(), &lesson.id);
                let run = LessonRun::with_progress(*lesson, remembered);
                let title = run.lesson().title.clone();
                let flow = run.lesson().flow();
                self.replace_with_lesson_design(run.start_design());
                // The matrix shows the flow the goals grade.
                if let Some(flow) = flow {
                    self.set_flow(flow);
                }
                self.teach.run = Some(run);
                self.teach.authored = None;
                self.teach.card.set(card::CardScroll::default());
                self.say(format!(
                    "lesson: {title} · ] next page · I hint · L lesson menu"
                ));
            }
            LessonChoice::Reset => self.reset_lesson(),
            LessonChoice::RevealSolution => self.reveal_solution(),
            LessonChoice::SaveStart => self.ask_lesson_path(LessonSave::Part(author::Part::Start)),
            LessonChoice::SaveSolution => {
                self.ask_lesson_path(LessonSave::Part(author::Part::Solution));
            }
            LessonChoice::NewLesson => self.ask_lesson_path(LessonSave::New),
            LessonChoice::Leave => {
                self.teach.run = None;
                self.teach.card_full = false;
                self.teach.graded = None;
                self.say("left the lesson; the design stays open");
            }
            LessonChoice::AskHop { from, to } => self.ask_blocking_hop(&from, &to),
            LessonChoice::Answer {
                from,
                to,
                prediction,
            } => self.answer_prediction(&from, &to, &prediction),
        }
    }

    /// Another design replaces the lesson's (open, new, recover): the lesson ends, since its
    /// goals are about its own design.
    pub(super) fn lesson_ends_for_another_design(&mut self) {
        if self.teach.run.take().is_some() {
            self.teach.graded = None;
            self.teach.card_full = false;
        }
    }

    /// Opens a lesson's design: no file, nothing unsaved, history afresh.
    fn replace_with_lesson_design(&mut self, design: crate::model::Design) {
        self.document.remove_own_recovery();
        self.document.recovered_from = None;
        self.session.replace_design(design, true);
        self.document.forget_file();
        self.reset_selection();
        self.teach.graded = None;
    }

    /// Back to the start design (the lesson file is never touched); `u` cannot undo it.
    pub(super) fn reset_lesson(&mut self) {
        let Some(run) = self.teach.run.as_mut() else {
            return self.refuse("no lesson is open: L opens one");
        };
        let start = run.reset();
        self.replace_with_lesson_design(start);
        self.say("back to the lesson's start design");
    }

    fn reveal_solution(&mut self) {
        let Some(run) = self.teach.run.as_mut() else {
            return self.refuse("no lesson is open: L opens one");
        };
        let text = match run.reveal_solution() {
            Solution::Edits(edits) => edits
                .iter()
                .map(Edit::describe)
                .collect::<Vec<_>>()
                .join("; "),
            Solution::Design(_) => {
                "the solved design (L → save, or see `vnetlab lesson show ID --solution`)"
                    .to_string()
            }
        };
        self.save_progress();
        self.say(format!("solution: {text}"));
    }

    /// `[` / `]`.
    pub(super) fn turn_page(&mut self, forward: bool) {
        let Some(run) = self.teach.run.as_mut() else {
            return self.refuse("no lesson is open: L opens one");
        };
        // A page longer than the card reads on (and back) before the page turns.
        let card = self.teach.card.get();
        if forward && card.more_below {
            self.teach.card.set(card::CardScroll {
                offset: card.offset + card.step,
                ..card
            });
            return;
        }
        if !forward && card.offset > 0 {
            self.teach.card.set(card::CardScroll {
                offset: card.offset.saturating_sub(card.step),
                ..card
            });
            return;
        }
        self.teach.card.set(card::CardScroll::default());
        let moved = if forward {
            run.next_page()
        } else {
            run.previous_page()
        };
        if !moved {
            self.say(if forward {
                "this is the last page"
            } else {
                "this is the first page"
            });
        }
    }

    /// `I`: the next hint, remembered in the progress.
    pub(super) fn next_hint(&mut self) {
        let Some(run) = self.teach.run.as_mut() else {
            return self.refuse("no lesson is open: L opens one");
        };
        let said = match run.reveal_hint() {
            Some(hint) => format!("hint: {hint}"),
            None => "no more hints; L → reveal the solution".to_string(),
        };
        self.save_progress();
        self.say(said);
    }

    /// Whether the lesson refuses this action now (the fix key while it is locked); says why.
    pub(super) fn lesson_refuses(&mut self, action: super::action::Action) -> bool {
        let locked = action == super::action::Action::ApplyFix
            && self
                .teach
                .run
                .as_ref()
                .is_some_and(|r| !r.fix_key_allowed());
        if locked {
            self.refuse("the lesson locks the fix key until it is solved (L → reveal the solution unlocks it)");
        }
        locked
    }

    /// Tells the lesson about an edit the session applied, undid or redid.
    pub(super) fn lesson_saw(&mut self, change: Change) {
        if let Some(run) = self.teach.run.as_mut() {
            match change {
                Change::Applied(edit) => run.applied(edit),
                Change::Undone => run.undone(),
                Change::Redone => run.redone(),
            }
        }
    }

    /// Regrades the lesson when the session has a newly evaluated revision (its diagnostics
    /// are then of the current design); announces a lesson just solved and keeps the progress.
    pub(super) fn regrade_lesson(&mut self) {
        let revision = self.session.revision();
        if self.session.is_stale() || self.teach.graded == Some(revision) {
            return;
        }
        let Some(run) = self.teach.run.as_mut() else {
            return;
        };
        let was_solved = run.is_solved_now();
        let first = self.teach.graded.is_none();
        let solved = run
            .regrade(self.session.design(), self.session.diagnostics())
            .solved();
        self.teach.graded = Some(revision);
        if solved && !was_solved && !first {
            let next = self
                .teach
                .library
                .as_ref()
                .and_then(|l| l.next_after(&run.lesson().id))
                .map_or_else(String::new, |n| format!(" · L: next lesson, {}", n.title));
            self.save_progress();
            self.say(format!("lesson complete!{next}"));
        }
    }

    fn save_progress(&mut self) {
        if let Some(run) = &self.teach.run
            && let Err(problem) = progress::save(self.document.files.as_mut(), run.progress())
        {
            self.refuse(format!("lesson progress not kept: {problem}"));
        }
    }
}

/// A change of the design the lesson must know of (for its constraints).
#[derive(Debug, Clone)]
pub(super) enum Change {
    /// The session applied this edit.
    Applied(Edit),
    /// The session undid its last edit.
    Undone,
    /// The session redid an undone edit.
    Redone,
}
