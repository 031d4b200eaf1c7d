//! Authoring from the TUI: the lesson menu saves the design on screen as the lesson's start
//! design or its solution. The design goes to `ID.start.ron` or `ID.solution.ron` in the user's
//! lesson folder and the lesson file `ID.ron` there points at it (a copy of the bundled lesson
//! the first time: a bundled lesson is never written, and the folder's copy then takes its
//! place in the picker). Both writes are atomic, through the [`Files`](super::super::Files) seam.

use super::super::app::App;
use crate::io::to_ron;
pub(super) use crate::lesson::LessonPart as Part;
use crate::lesson::{bundled, with_design_file};
use std::path::{Path, PathBuf};

impl App {
    /// Saves the current design as the open lesson's start or solution.
    pub(super) fn save_for_lesson(&mut self, part: Part) {
        let Some(run) = &self.teach.run else {
            return self.refuse("no lesson is open: L opens one");
        };
        let lesson = run.lesson();
        let dir = self.document.files.lessons_dir();
        let target = dir.join(format!("{}.ron", lesson.id));
        let files = &self.document.files;
        let source =
            files
                .read_text(&target)
                .or_else(|| match lesson.origin.strip_prefix("bundled:") {
                    Some(name) => bundled::lesson_files()
                        .find(|(file, _)| *file == name)
                        .map(|(_, text)| text.to_string()),
                    None => files.read_text(Path::new(&lesson.origin)),
                });
        let Some(source) = source else {
            return self.refuse(format!("cannot read the lesson file {}", lesson.origin));
        };
        let design_name = format!("{}.{}.ron", lesson.id, part.field());
        let Some(text) = with_design_file(&source, part, &design_name) else {
            return self.refuse(format!(
                "{}: no `{}:` field to point at the design",
                lesson.origin,
                part.field()
            ));
        };
        let design = match to_ron(self.session.design()) {
            Ok(design) => design,
            Err(e) => return self.refuse(format!("cannot write the design: {e}")),
        };
        let design_path: PathBuf = dir.join(&design_name);
        let written = self
            .document
            .files
            .write_text(&design_path, &design)
            .and_then(|()| self.document.files.write_text(&target, &text));
        match written {
            Ok(()) => self.say(format!(
                "saved as the lesson's {}: {} (check it with `vnetlab lesson check {}`)",
                part.field(),
                target.display(),
                dir.display()
            )),
            Err(problem) => self.refuse(format!("not saved: {problem}")),
        }
    }
}
