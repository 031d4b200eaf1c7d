//! Authoring from the TUI: the lesson menu saves the design on screen as the open lesson's
//! start design or its solution, or drafts a new lesson from it when none is open. A path
//! prompt asks where the lesson file goes, prefilled with the file this lesson was last saved
//! to, else the file it was loaded from, else `DATA/lessons/ID.ron` (a bare name goes to that
//! folder too). The design goes to `STEM.start.ron` or `STEM.solution.ron` next to the lesson
//! file, which points at it (the lesson's own text otherwise kept as written; when the lesson
//! moves to another folder its other design moves along as a file). A new lesson is drafted by
//! the core ([`draft_lesson`]): the design's intents are its goals. Every write is atomic,
//! through the [`Files`](super::super::Files) seam; a bundled lesson is never written (the
//! folder's copy takes its place in the picker), and a folder, a design file or a path that
//! cannot be written is refused with a sentence, shown under the path in the prompt, which
//! stays open to correct it. The file written is loaded back before the
//! save is reported, so what `vnetlab lesson check` reads is what the author saw succeed.

use super::super::app::App;
use super::super::overlay::Overlay;
use super::super::widgets::path_prompt::PathPrompt;
use super::{LessonChoice, LessonSave};
use crate::io::to_ron;
pub(super) use crate::lesson::LessonPart as Part;
use crate::lesson::{Solution, bundled, draft_lesson, id_from_name, with_design_file};
use std::path::{Path, PathBuf};

/// The other design of a lesson.
fn other(part: Part) -> Part {
    match part {
        Part::Start => Part::Solution,
        Part::Solution => Part::Start,
    }
}

/// `path`'s file stem, for the names of the design files next to it.
fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || "lesson".to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// The path prompt's title for a save.
fn prompt_title(save: LessonSave) -> String {
    match save {
        LessonSave::Part(part) => {
            format!(
                "Save this design as the lesson's {}: lesson file",
                part.field()
            )
        }
        LessonSave::New => "New lesson from this design: lesson file".to_string(),
    }
}

impl App {
    /// Opens the path prompt for a save of the lesson menu.
    pub(super) fn ask_lesson_path(&mut self, save: LessonSave) {
        let dir = self.document.files.lessons_dir();
        let default = match save {
            LessonSave::Part(_) => {
                let Some(run) = &self.teach.run else {
                    return self.refuse("no lesson is open: L opens one");
                };
                let lesson = run.lesson();
                let loaded_from =
                    (!lesson.origin.starts_with("bundled:")).then(|| PathBuf::from(&lesson.origin));
                self.teach
                    .authored
                    .clone()
                    .or(loaded_from)
                    .unwrap_or_else(|| dir.join(format!("{}.ron", lesson.id)))
            }
            LessonSave::New => {
                let name = id_from_name(&self.session.design().name)
                    .unwrap_or_else(|| "new-lesson".to_string());
                dir.join(format!("{name}.ron"))
            }
        };
        let prompt = PathPrompt::new(&prompt_title(save), "save", &default.display().to_string());
        self.overlay = Some(Overlay::LessonPath(prompt, save));
    }

    /// Saves for the lesson at the typed path (a bare name: in the lessons folder).
    pub(in crate::tui) fn save_lesson_at(&mut self, typed: &Path, save: LessonSave) {
        let path = if typed.parent().is_none_or(|p| p.as_os_str().is_empty()) {
            self.document.files.lessons_dir().join(typed)
        } else {
            typed.to_path_buf()
        };
        let saved = self
            .lesson_target_ok(typed, &path)
            .and_then(|()| match save {
                LessonSave::Part(part) => self.save_part(&path, part),
                LessonSave::New => self.save_new(&path),
            });
        match saved {
            Ok(said) => {
                self.teach.authored = Some(path);
                self.say(said);
            }
            // The prompt stays open on what was typed, with the refusal under it.
            Err(problem) => {
                let mut prompt =
                    PathPrompt::new(&prompt_title(save), "save", &typed.display().to_string());
                prompt.problem = Some(problem.clone());
                self.overlay = Some(Overlay::LessonPath(prompt, save));
                self.refuse(problem);
            }
        }
    }

    /// Whether a lesson file may be written at `path`; the refusal is a sentence.
    fn lesson_target_ok(&self, typed: &Path, path: &Path) -> Result<(), String> {
        let files = &self.document.files;
        let typed_text = typed.as_os_str().to_string_lossy();
        let folder = if typed_text.ends_with('/') {
            Some(PathBuf::from(typed_text.trim_end_matches('/')))
        } else {
            [typed, path]
                .into_iter()
                .find(|p| files.is_folder(p))
                .map(Path::to_path_buf)
        };
        if let Some(folder) = folder {
            return Err(format!(
                "{} is a folder; name a lesson file in it, like {}",
                folder.display(),
                folder.join("my-lesson.ron").display()
            ));
        }
        let shown = path.display();
        if path.extension().is_none_or(|x| x != "ron") {
            return Err(format!(
                "{shown}: a lesson file ends in .ron, like {}",
                path.with_extension("ron").display()
            ));
        }
        if let Some(text) = files.read_text(path) {
            if bundled::lesson_files().any(|(_, bundled)| bundled == text) {
                return Err(format!(
                    "{shown} is a bundled lesson, which vnetlab never changes; save to another file, like {}",
                    files.lessons_dir().join(stem(path) + ".ron").display()
                ));
            }
            if crate::lesson::is_design_text(&text) {
                return Err(format!(
                    "{shown} is a design file, not a lesson; name a lesson file"
                ));
            }
        }
        Ok(())
    }

    /// Saves the design as the open lesson's `part` in the lesson file at `path`.
    fn save_part(&mut self, path: &Path, part: Part) -> Result<String, String> {
        let Some(run) = &self.teach.run else {
            return Err("no lesson is open: L opens one".to_string());
        };
        let lesson = run.lesson().clone();
        let files = &self.document.files;
        let existing = files.read_text(path);
        let bundled_name = lesson.origin.strip_prefix("bundled:");
        // The lesson's own text: the file there (saved to before), else where it came from.
        let source = existing
            .clone()
            .or_else(|| match bundled_name {
                Some(name) => bundled::lesson_files()
                    .find(|(file, _)| *file == name)
                    .map(|(_, text)| text.to_string()),
                None => files.read_text(Path::new(&lesson.origin)),
            })
            .ok_or_else(|| format!("cannot read the lesson file {}", lesson.origin))?;
        let folder = path.parent().unwrap_or(Path::new(""));
        // A lesson copied to another folder takes its other design along (a file it names
        // would not be there).
        let moved = existing.is_none()
            && (bundled_name.is_some() || Path::new(&lesson.origin).parent() != Some(folder));
        let name = |p: Part| format!("{}.{}.ron", stem(path), p.field());
        let source_name = if existing.is_some() {
            path.display().to_string()
        } else {
            lesson.origin.clone()
        };
        let missing_field = |p: Part| {
            format!(
                "{source_name}: no `{}:` field to point at the design",
                p.field()
            )
        };
        let mut text =
            with_design_file(&source, part, &name(part)).ok_or_else(|| missing_field(part))?;
        let mut designs = vec![(folder.join(name(part)), self.session.design().clone())];
        let other_design = match other(part) {
            Part::Start => Some(lesson.start.clone()),
            Part::Solution => match &lesson.solution {
                Solution::Design(design) => Some((**design).clone()),
                Solution::Edits(_) => None,
            },
        };
        if let (true, Some(design)) = (moved, other_design) {
            let o = other(part);
            text = with_design_file(&text, o, &name(o)).ok_or_else(|| missing_field(o))?;
            designs.push((folder.join(name(o)), design));
        }
        let files = &mut self.document.files;
        for (file, design) in designs {
            let ron = to_ron(&design).map_err(|e| format!("cannot write the design: {e}"))?;
            files
                .write_text(&file, &ron)
                .map_err(|problem| format!("not saved: {problem}"))?;
        }
        files
            .write_text(path, &text)
            .map_err(|problem| format!("not saved: {problem}"))?;
        files
            .load_lesson(path)
            .map_err(|problem| format!("saved, but the lesson does not load: {problem}"))?;
        Ok(format!(
            "saved as the lesson's {}: {} (check it with `vnetlab lesson check {}`)",
            part.field(),
            path.display(),
            folder.display()
        ))
    }

    /// Drafts a new lesson at `path` whose start is the design, and opens it.
    fn save_new(&mut self, path: &Path) -> Result<String, String> {
        let shown = path.display();
        if self.document.files.read_text(path).is_some() {
            return Err(format!(
                "{shown} exists already; name a new file (to save into that lesson, open it with L)"
            ));
        }
        let file_name = stem(path);
        let id = id_from_name(&file_name).ok_or_else(|| {
            crate::lesson::DraftError::NoId {
                name: file_name.clone(),
            }
            .to_string()
        })?;
        if bundled::lesson(&id).is_some() {
            return Err(format!(
                "`{id}` is a bundled lesson's id; name the new lesson's file another way"
            ));
        }
        let start_name = format!("{file_name}.start.ron");
        let design = self.session.design().clone();
        let text = draft_lesson(&id, &design, &start_name).map_err(|e| e.to_string())?;
        let ron = to_ron(&design).map_err(|e| format!("cannot write the design: {e}"))?;
        let folder = path.parent().unwrap_or(Path::new(""));
        let files = &mut self.document.files;
        files
            .write_text(&folder.join(&start_name), &ron)
            .and_then(|()| files.write_text(path, &text))
            .map_err(|problem| format!("not saved: {problem}"))?;
        let lesson = files
            .load_lesson(path)
            .map_err(|problem| format!("drafted, but the lesson does not load: {problem}"))?;
        let goals = lesson.goals.len();
        self.lesson_choice(LessonChoice::StartNow(Box::new(lesson)));
        Ok(format!(
            "new lesson {shown}: {} from the design's intents; solve it, then L → save this design as the lesson's solution",
            crate::words::count(goals, "goal", "goals")
        ))
    }
}
