//! Authoring: pointing a lesson file's start design or solution at a design file, so a trainer
//! can save the design on screen as either (the TUI's lesson menu does). The lesson text is
//! changed in one place only, the value of `start:` or `solution:`, which becomes
//! `File("NAME")`; comments, order and every other field stay as written. Linear in the text.

use super::locate::{Step, range_of_path};

/// Which design of a lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonPart {
    /// The design the trainee starts from (`start:`).
    Start,
    /// The solved design (`solution:`).
    Solution,
}

impl LessonPart {
    /// The field's name in a lesson file.
    pub fn field(self) -> &'static str {
        match self {
            LessonPart::Start => "start",
            LessonPart::Solution => "solution",
        }
    }
}

/// The lesson text with `part` pointing at the design file `file` (a name next to the lesson),
/// or `None` when the text has no such field.
///
/// ```
/// use vnetlab::lesson::{LessonPart, with_design_file};
/// let text = "Lesson(version: 1, start: Inline(Design(name: \"x\")), solution: Edits([]))";
/// let changed = with_design_file(text, LessonPart::Solution, "x.solution.ron").unwrap();
/// assert!(changed.ends_with("solution: File(\"x.solution.ron\"))"));
/// ```
pub fn with_design_file(source: &str, part: LessonPart, file: &str) -> Option<String> {
    let range = range_of_path(source, &[Step::Field(part.field())])?;
    let quoted = file.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = String::with_capacity(source.len());
    out.push_str(&source[..range.start]);
    out.push_str(&format!("File(\"{quoted}\")"));
    out.push_str(&source[range.end..]);
    Some(out)
}
