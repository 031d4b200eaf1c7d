//! The lesson-file format (RON, `version: 1`) and its loader. Like a design file, a lesson that
//! cannot be used is refused with file, line, column and one sentence: a syntax error, a wrong
//! version, a bad id, a text beyond its limit (a title over 256 characters, a page over 4,096,
//! a control character), an invalid start or solution design, an unknown diagnostic code, or a
//! goal endpoint that is neither in the start design nor in the solution. No message quotes more
//! than a short prefix of a bad value. Quality problems that leave
//! the lesson loadable (a start that already passes, a solution that fails, missing hints) are
//! [`audit`](super::audit)'s job.
//!
//! ```ron
//! Lesson(
//!     version: 1,
//!     id: "first-peering",
//!     title: "Your first peering",
//!     concepts: [NotConnectedByDefault, RegionalPeering],
//!     sources: ["https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview"],
//!     pages: ["vnet-a and vnet-b …"],
//!     start: Inline(Design(version: 1, …)),          // or File("start.ron"), relative to the lesson
//!     goals: [
//!         Goal(
//!             title: "vm-a reaches vm-b",            // optional
//!             check: Reach(from: "vm-a", to: "vm-b", flow: "tcp/3389", expect: Reachable),
//!             pass: "…", fail: "…",
//!         ),
//!         Goal(check: Diagnostic(code: "PEERING_INITIATED", on: "a-to-b", expect: Absent), pass: "…", fail: "…"),
//!         Goal(check: NoErrors, pass: "…", fail: "…"),
//!         Goal(check: Peered(a: "vnet-a", b: "vnet-b"), pass: "…", fail: "…"),
//!     ],
//!     hints: ["…", "…"],
//!     solution: Edits([Add(object: Peering(Peering(name: "a-to-b", local: "vnet-a", remote: "vnet-b")))]),
//!                                                      // or Inline(Design(…)) or File("solved.ron")
//!     constraints: [NoNewPeering, MaxEdits(3), Keep(kind: Peering, name: "a-to-b"), KeepAssumptions],
//!     locks: (fix_key: Locked, solution: Locked),      // the default; `Open` unlocks
//!     closing: "…",
//! )
//! ```

use super::goal::Wording;
use super::locate::{Step, offset_of_path, range_of_path};
use super::{Check, Concept, Constraint, Goal, LESSON_FORMAT_VERSION, Lesson, Locks, Solution};
use crate::edit::Edit;
use crate::io::LoadError;
use crate::io::design_file::{
    bounded, line_column, locate, offset_of, parse_design, refuse_empty, ron_error, ron_options,
    version_problem,
};
use crate::lint::Code;
use crate::model::limits::{self, LimitProblem};
use crate::model::{Design, FORMAT_VERSION, suggest};
use serde::Deserialize;
use std::collections::BTreeSet;

/// A file a lesson refers to (its start or solution design), as the caller's resolver read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The file as error messages should name it.
    pub shown: String,
    /// Its text.
    pub text: String,
}

#[derive(Deserialize)]
#[serde(rename = "Lesson", deny_unknown_fields)]
struct LessonFile {
    version: u32,
    id: String,
    title: String,
    #[serde(default)]
    concepts: Vec<Concept>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    pages: Vec<String>,
    start: DesignSource,
    #[serde(default)]
    goals: Vec<GoalFile>,
    #[serde(default)]
    hints: Vec<String>,
    solution: SolutionSource,
    #[serde(default)]
    constraints: Vec<Constraint>,
    #[serde(default)]
    locks: Locks,
    #[serde(default)]
    closing: String,
}

#[derive(Deserialize)]
enum DesignSource {
    Inline(Box<Design>),
    File(String),
}

#[derive(Deserialize)]
enum SolutionSource {
    Edits(Vec<Edit>),
    Inline(Box<Design>),
    File(String),
}

#[derive(Deserialize)]
#[serde(rename = "Goal", deny_unknown_fields)]
struct GoalFile {
    #[serde(default)]
    title: Option<String>,
    check: Check<String>,
    pass: String,
    fail: String,
}

/// Only the version, read first so an old or new file gets the right message.
#[derive(Deserialize)]
#[serde(rename = "Lesson")]
struct VersionProbe {
    version: Option<u32>,
}

/// Parses lesson text. `file` names it in error messages; `resolve` reads a design file the
/// lesson refers to by a path relative to the lesson (`start: File("start.ron")`).
///
/// ```
/// use vnetlab::lesson::parse_lesson;
/// let text = "Lesson(version: 2, id: \"x\", title: \"X\")";
/// let err = parse_lesson(text, "x.ron", &|_| Err("no files".into())).unwrap_err();
/// assert_eq!((err.line, err.column), (1, 17));
/// assert!(err.message.contains("unsupported lesson-file version 2"));
/// ```
pub fn parse_lesson(
    source: &str,
    file: &str,
    resolve: &dyn Fn(&str) -> Result<Resolved, String>,
) -> Result<Lesson, LoadError> {
    parse_unbounded(source, file, resolve).map_err(bounded)
}

fn parse_unbounded(
    source: &str,
    file: &str,
    resolve: &dyn Fn(&str) -> Result<Resolved, String>,
) -> Result<Lesson, LoadError> {
    let at_path = |path: &[Step], message: String| {
        LoadError::at(
            file,
            line_column(source, offset_of_path(source, path)),
            message,
        )
    };
    refuse_empty(source, file, "lesson", "Lesson", LESSON_FORMAT_VERSION)?;
    let options = ron_options();
    if let Ok(probe) = options.from_str::<VersionProbe>(source)
        && let Some((at_field, message)) =
            version_problem(probe.version, LESSON_FORMAT_VERSION, "lesson", "Lesson")
    {
        let path: &[Step] = if at_field {
            &[Step::Field("version")]
        } else {
            &[]
        };
        return Err(at_path(path, message));
    }
    let raw: LessonFile = options
        .from_str(source)
        .map_err(|e| ron_error(source, file, &e))?;
    if raw.version != LESSON_FORMAT_VERSION {
        // The probe above reports this first; kept for text the probe could not read.
        return Err(at_path(
            &[Step::Field("version")],
            format!("unsupported lesson-file version {}", raw.version),
        ));
    }
    if !valid_id(&raw.id) {
        return Err(at_path(
            &[Step::Field("id")],
            format!(
                "lesson id `{}` must be lowercase letters, digits and dashes, like `first-peering`",
                suggest::short(&raw.id)
            ),
        ));
    }
    if let Some((path, message)) = text_error(&raw) {
        return Err(at_path(&path, message));
    }
    let start = design_from(source, file, "start", raw.start.into(), resolve)?;
    let solution = match raw.solution {
        SolutionSource::Edits(edits) => Solution::Edits(edits),
        SolutionSource::Inline(design) => Solution::Design(Box::new(design_from(
            source,
            file,
            "solution",
            Source::Inline(design),
            resolve,
        )?)),
        SolutionSource::File(path) => Solution::Design(Box::new(design_from(
            source,
            file,
            "solution",
            Source::File(path),
            resolve,
        )?)),
    };
    // Endpoints a goal may name: those of the start design and of the solution (a goal may be
    // about a VM or P2S client the trainee is meant to create). A solution that does not build
    // is reported by `audit`; here it only adds no names.
    let mut endpoints: BTreeSet<String> = start.endpoints().into_iter().map(|e| e.name).collect();
    let mut vnets: BTreeSet<String> = start.vnets.iter().map(|v| v.name.clone()).collect();
    if let Ok(solved) = solution.design(&start) {
        endpoints.extend(solved.endpoints().into_iter().map(|e| e.name));
        vnets.extend(solved.vnets.iter().map(|v| v.name.clone()));
    }
    let mut goals = Vec::with_capacity(raw.goals.len());
    for (index, goal) in raw.goals.into_iter().enumerate() {
        let check = match goal.check {
            Check::Reach {
                from,
                to,
                flow,
                expect,
            } => {
                for (field, name) in [("from", &from), ("to", &to)] {
                    known_in_goal(index, field, "endpoint", name, &endpoints)
                        .map_err(|(path, message)| at_path(&path, message))?;
                }
                Check::Reach {
                    from,
                    to,
                    flow,
                    expect,
                }
            }
            Check::Diagnostic { code, on, expect } => {
                let Some(&known) = Code::ALL.iter().find(|c| c.as_str() == code) else {
                    return Err(at_path(
                        &goal_path(index, "code"),
                        format!(
                            "goal {} names diagnostic code `{}`, which vnetlab does not have{}",
                            index + 1,
                            suggest::short(&code),
                            suggest::did_you_mean(&code, Code::ALL.iter().map(|c| c.as_str()))
                        ),
                    ));
                };
                Check::Diagnostic {
                    code: known,
                    on,
                    expect,
                }
            }
            Check::NoErrors => Check::NoErrors,
            Check::Peered { a, b } => {
                for (field, name) in [("a", &a), ("b", &b)] {
                    known_in_goal(index, field, "VNet", name, &vnets)
                        .map_err(|(path, message)| at_path(&path, message))?;
                }
                Check::Peered { a, b }
            }
        };
        goals.push(Goal {
            title: goal.title.unwrap_or_else(|| check.words(Wording::Title)),
            check,
            pass: goal.pass,
            fail: goal.fail,
        });
    }
    Ok(Lesson {
        id: raw.id,
        title: raw.title,
        concepts: raw.concepts,
        sources: raw.sources,
        pages: raw.pages,
        start,
        goals,
        hints: raw.hints,
        solution,
        constraints: raw.constraints,
        locks: raw.locks,
        closing: raw.closing,
        origin: file.to_string(),
    })
}

/// The path of field `field` of goal `index`'s check.
fn goal_path(index: usize, field: &'static str) -> [Step<'static>; 4] {
    [
        Step::Field("goals"),
        Step::Item(index),
        Step::Field("check"),
        Step::Field(field),
    ]
}

/// Refuses a goal naming a `what` (endpoint, VNet) that neither the start design nor the
/// solution has, with a did-you-mean among `known`: the error's path and sentence.
fn known_in_goal(
    index: usize,
    field: &'static str,
    what: &str,
    name: &str,
    known: &BTreeSet<String>,
) -> Result<(), ([Step<'static>; 4], String)> {
    if known.contains(name) {
        return Ok(());
    }
    Err((
        goal_path(index, field),
        format!(
            "goal {} names {what} `{}`, which is neither in the start design nor in the solution{}",
            index + 1,
            suggest::short(name),
            suggest::did_you_mean(name, known.iter().map(String::as_str))
        ),
    ))
}

/// The longest page, hint, goal message or closing text of a lesson.
pub const LESSON_TEXT_MAX: usize = 4_096;

/// The longest source (a URL) of a lesson.
pub const SOURCE_MAX: usize = 2_048;

/// The first text of a lesson beyond its limit (see [`limits`]): where it is, and the sentence.
/// Titles and sources are one line; pages, hints and messages may hold line breaks.
fn text_error(raw: &LessonFile) -> Option<(Vec<Step<'static>>, String)> {
    use Step::{Field, Item};
    let mut texts: Vec<(Vec<Step<'static>>, String, &str, usize, bool)> = vec![(
        vec![Field("title")],
        "the title".into(),
        &raw.title,
        limits::TITLE_MAX,
        false,
    )];
    for (i, source) in raw.sources.iter().enumerate() {
        let at = vec![Field("sources"), Item(i)];
        texts.push((at, format!("source {}", i + 1), source, SOURCE_MAX, false));
    }
    for (i, page) in raw.pages.iter().enumerate() {
        let at = vec![Field("pages"), Item(i)];
        texts.push((at, format!("page {}", i + 1), page, LESSON_TEXT_MAX, true));
    }
    for (i, goal) in raw.goals.iter().enumerate() {
        let at = |field| vec![Field("goals"), Item(i), Field(field)];
        let n = i + 1;
        if let Some(title) = &goal.title {
            let what = format!("the title of goal {n}");
            texts.push((at("title"), what, title, limits::TITLE_MAX, false));
        }
        let (pass, fail) = (format!("goal {n}'s `pass`"), format!("goal {n}'s `fail`"));
        texts.push((at("pass"), pass, &goal.pass, LESSON_TEXT_MAX, true));
        texts.push((at("fail"), fail, &goal.fail, LESSON_TEXT_MAX, true));
        if let Check::Diagnostic { on: Some(on), .. } = &goal.check {
            let mut at = at("check");
            at.push(Field("on"));
            let what = format!("the object goal {n} names");
            texts.push((at, what, on, limits::DESIGN_NAME_MAX, false));
        }
    }
    for (i, hint) in raw.hints.iter().enumerate() {
        let at = vec![Field("hints"), Item(i)];
        texts.push((at, format!("hint {}", i + 1), hint, LESSON_TEXT_MAX, true));
    }
    for (i, constraint) in raw.constraints.iter().enumerate() {
        if let Constraint::Keep { name, .. } = constraint {
            let at = vec![Field("constraints"), Item(i), Field("name")];
            let what = format!("the name constraint {} keeps", i + 1);
            texts.push((at, what, name, limits::DESIGN_NAME_MAX, false));
        }
    }
    let closing = (vec![Field("closing")], "the closing text".into());
    texts.push((closing.0, closing.1, &raw.closing, LESSON_TEXT_MAX, true));
    texts.into_iter().find_map(|(at, what, text, max, multiline)| {
        let message = match limits::text_problem(text, max, multiline)? {
            LimitProblem::TooLong { length, max } => format!(
                "{what} has {length} characters, more than the {max} a lesson allows; shorten it"
            ),
            LimitProblem::Disruptive(c) => format!(
                "{what} contains the control character U+{:04X}, which would garble the screen; remove it",
                u32::from(c)
            ),
            other => format!("{what} is beyond its limit: {other:?}"),
        };
        Some((at, message))
    })
}

/// Lowercase letters, digits and dashes, starting with a letter or digit.
fn valid_id(id: &str) -> bool {
    id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A design given inline or by file.
enum Source {
    Inline(Box<Design>),
    File(String),
}

impl From<DesignSource> for Source {
    fn from(source: DesignSource) -> Self {
        match source {
            DesignSource::Inline(d) => Source::Inline(d),
            DesignSource::File(f) => Source::File(f),
        }
    }
}

/// The design of field `field` (`start` or `solution`), checked like a design file: an inline
/// design's errors point into the lesson, a referenced file's errors into that file.
fn design_from(
    source: &str,
    file: &str,
    field: &str,
    design: Source,
    resolve: &dyn Fn(&str) -> Result<Resolved, String>,
) -> Result<Design, LoadError> {
    let path = [Step::Field(field), Step::Inner];
    let error_at =
        |offset: usize, message: String| LoadError::at(file, line_column(source, offset), message);
    match design {
        Source::File(name) => {
            let read = resolve(&name).map_err(|why| {
                error_at(
                    offset_of_path(source, &path),
                    format!(
                        "cannot read the {field} design `{}`: {why}",
                        suggest::short(&name)
                    ),
                )
            })?;
            parse_design(&read.text, &read.shown)
        }
        Source::Inline(design) => {
            let base = range_of_path(source, &path).map_or(0, |r| r.start);
            if design.version != FORMAT_VERSION {
                let mut at = path.to_vec();
                at.push(Step::Field("version"));
                return Err(error_at(
                    offset_of_path(source, &at),
                    format!(
                        "the {field} design has version {}, but this vnetlab reads design version {FORMAT_VERSION}",
                        design.version
                    ),
                ));
            }
            if let Some(error) = design.validate().into_iter().next() {
                let offset = locate(&source[base..], &error.anchors())
                    .map_or(base, |(line, column)| {
                        base + offset_of(&source[base..], line, column)
                    });
                return Err(error_at(offset, format!("in the {field} design: {error}")));
            }
            Ok(*design)
        }
    }
}
