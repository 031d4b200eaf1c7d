//! `vnetlab lesson`: list, check, show and start lessons (the bundled ones, or a trainer's folder
//! with `--dir` / `check DIR`). `check` is the authoring check of [`crate::lesson::audit`]:
//! exit 0 when every lesson is sound, 1 with the reason per broken lesson, 2 when a lesson file
//! cannot be read or parsed (file:line:column) or there is nothing to check. `start` writes a
//! lesson's start design to a file to open in the TUI; `vnetlab --lesson ID` opens the TUI's
//! lesson mode instead, with the lesson card and live goals.

use super::{EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE};
use crate::lesson::{Constraint, Lesson, Lock, Solution, Wording, audit_all, bundled};
use crate::model::suggest;
use crate::words;
use clap::{Args, Subcommand};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `vnetlab lesson`.
#[derive(Debug, Args)]
pub struct LessonArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: LessonCommand,
}

/// The lesson subcommands.
#[derive(Debug, Subcommand)]
pub enum LessonCommand {
    /// List lessons: id, title and the concepts each teaches.
    List {
        /// A folder of lesson files (or one lesson file) instead of the bundled lessons.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Check lessons: each start design fails a goal, each solution passes them all and keeps
    /// every constraint, hints are present, references resolve. Exit 0, 1 or 2 like `check`.
    Check {
        /// A folder of lesson files (or one lesson file); the bundled lessons when absent.
        dir: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print a lesson's pages, goals, constraints and hints.
    Show {
        /// The lesson's id (see `vnetlab lesson list`).
        id: String,
        /// A folder of lesson files instead of the bundled lessons.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Also print the solution.
        #[arg(long)]
        solution: bool,
    },
    /// Write a lesson's start design to a file, to open with `vnetlab FILE`.
    Start {
        /// The lesson's id (see `vnetlab lesson list`).
        id: String,
        /// The design file to write.
        #[arg(short, long, value_name = "DESIGN.ron")]
        output: PathBuf,
        /// A folder of lesson files instead of the bundled lessons.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

/// Runs the command; returns the exit code.
pub fn run(args: &LessonArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let code = match &args.command {
        LessonCommand::List { dir, json } => list(dir.as_deref(), *json, out, err),
        LessonCommand::Check { dir, json } => check(dir.as_deref(), *json, out, err),
        LessonCommand::Show { id, dir, solution } => {
            with_lesson(id, dir.as_deref(), err, |lesson, _| {
                show(lesson, *solution, out)
            })
        }
        LessonCommand::Start { id, output, dir } => {
            with_lesson(id, dir.as_deref(), err, |lesson, err| {
                start(lesson, output, out, err)
            })
        }
    };
    let _ = out.flush();
    code
}

/// The lessons that loaded, and one message per lesson file that did not.
fn load(dir: Option<&Path>) -> Result<(Vec<Lesson>, Vec<String>), String> {
    let results = match dir {
        None => bundled::load()
            .into_iter()
            .map(|r| r.map_err(|e| e.to_string()))
            .collect::<Vec<_>>(),
        Some(dir) => crate::io::lessons::load_dir(dir)
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|r| r.map_err(|e| e.to_string()))
            .collect(),
    };
    let mut lessons = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(lesson) => lessons.push(lesson),
            Err(e) => errors.push(e),
        }
    }
    Ok((lessons, errors))
}

/// Loads every lesson or reports why not: any unreadable lesson is exit 2.
fn load_all(dir: Option<&Path>, err: &mut dyn Write) -> Result<Vec<Lesson>, i32> {
    match load(dir) {
        Err(e) => {
            let _ = writeln!(err, "vnetlab lesson: {e}");
            Err(EXIT_USAGE)
        }
        Ok((_, errors)) if !errors.is_empty() => {
            for e in errors {
                let _ = writeln!(err, "{e}");
            }
            Err(EXIT_USAGE)
        }
        Ok((lessons, _)) => Ok(lessons),
    }
}

fn write_json(value: &impl Serialize, out: &mut dyn Write, err: &mut dyn Write) -> bool {
    match serde_json::to_string_pretty(value) {
        Ok(text) => writeln!(out, "{text}").is_ok(),
        Err(e) => {
            let _ = writeln!(err, "vnetlab lesson: cannot write JSON: {e}");
            false
        }
    }
}

#[derive(Serialize)]
struct ListEntry<'a> {
    id: &'a str,
    title: &'a str,
    concepts: &'a [crate::lesson::Concept],
    goals: usize,
    origin: &'a str,
}

fn list(dir: Option<&Path>, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let lessons = match load_all(dir, err) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if json {
        let entries: Vec<ListEntry> = lessons
            .iter()
            .map(|l| ListEntry {
                id: &l.id,
                title: &l.title,
                concepts: &l.concepts,
                goals: l.goals.len(),
                origin: &l.origin,
            })
            .collect();
        return if write_json(&entries, out, err) {
            EXIT_OK
        } else {
            EXIT_USAGE
        };
    }
    let id_width = lessons.iter().map(|l| l.id.len()).max().unwrap_or(2).max(2);
    let title_width = lessons
        .iter()
        .map(|l| l.title.chars().count())
        .max()
        .unwrap_or(5);
    let mut s = String::new();
    let _ = writeln!(s, "{:id_width$}  {:title_width$}  CONCEPTS", "ID", "TITLE");
    for l in &lessons {
        let _ = writeln!(
            s,
            "{:id_width$}  {:title_width$}  {}",
            l.id,
            l.title,
            l.concept_ids()
        );
    }
    let _ = writeln!(
        s,
        "\n{}. `vnetlab lesson show ID` prints one; `vnetlab lesson start ID -o FILE` writes its start design.",
        words::count(lessons.len(), "lesson", "lessons")
    );
    if out.write_all(s.as_bytes()).is_err() {
        return EXIT_USAGE;
    }
    EXIT_OK
}

#[derive(Serialize)]
struct CheckReport<'a> {
    checked: usize,
    broken: usize,
    unreadable: &'a [String],
    lessons: &'a [crate::lesson::Finding],
}

fn check(dir: Option<&Path>, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (lessons, errors) = match load(dir) {
        Ok(loaded) => loaded,
        Err(e) => {
            let _ = writeln!(err, "vnetlab lesson check: {e}");
            return EXIT_USAGE;
        }
    };
    if lessons.is_empty() && errors.is_empty() {
        let place = dir.map_or_else(
            || "the bundled lessons".to_string(),
            |d| d.display().to_string(),
        );
        let _ = writeln!(
            err,
            "vnetlab lesson check: no lesson files in {place}; nothing to check"
        );
        return EXIT_USAGE;
    }
    let findings = audit_all(&lessons);
    let broken = findings.iter().filter(|f| !f.ok()).count();
    if json {
        let report = CheckReport {
            checked: findings.len(),
            broken,
            unreadable: &errors,
            lessons: &findings,
        };
        if !write_json(&report, out, err) {
            return EXIT_USAGE;
        }
    } else {
        let mut s = String::new();
        for f in &findings {
            let _ = writeln!(
                s,
                "{} {} ({})",
                if f.ok() { "ok  " } else { "FAIL" },
                f.id,
                f.origin
            );
            for problem in &f.problems {
                let _ = writeln!(s, "       {problem}");
            }
        }
        let _ = writeln!(
            s,
            "{} checked: {} sound, {broken} broken{}",
            words::count(findings.len(), "lesson", "lessons"),
            findings.len() - broken,
            match errors.len() {
                0 => String::new(),
                n => format!(", {n} unreadable"),
            }
        );
        if out.write_all(s.as_bytes()).is_err() {
            return EXIT_USAGE;
        }
    }
    for e in &errors {
        let _ = writeln!(err, "{e}");
    }
    if !errors.is_empty() {
        EXIT_USAGE
    } else if broken > 0 {
        EXIT_NEGATIVE
    } else {
        EXIT_OK
    }
}

/// The lesson with this id, or exit 2 with a suggestion.
fn find(id: &str, dir: Option<&Path>, err: &mut dyn Write) -> Result<Lesson, i32> {
    let lessons = load_all(dir, err)?;
    let ids: Vec<&str> = lessons.iter().map(|l| l.id.as_str()).collect();
    let hint = suggest::did_you_mean(id, ids.iter().copied());
    match lessons.iter().position(|l| l.id == id) {
        Some(at) => Ok(lessons.into_iter().nth(at).ok_or(EXIT_USAGE)?),
        None => {
            let _ = writeln!(
                err,
                "vnetlab lesson: there is no lesson `{}`{hint} (see `vnetlab lesson list`)",
                suggest::short(id)
            );
            Err(EXIT_USAGE)
        }
    }
}

/// Runs `then` on the lesson with this id, or exits 2 with a suggestion when there is none.
fn with_lesson(
    id: &str,
    dir: Option<&Path>,
    err: &mut dyn Write,
    then: impl FnOnce(&Lesson, &mut dyn Write) -> i32,
) -> i32 {
    match find(id, dir, err) {
        Ok(lesson) => then(&lesson, err),
        Err(code) => code,
    }
}

fn show(lesson: &Lesson, with_solution: bool, out: &mut dyn Write) -> i32 {
    if out
        .write_all(show_text(lesson, with_solution).as_bytes())
        .is_err()
    {
        return EXIT_USAGE;
    }
    EXIT_OK
}

/// Wraps text at 96 columns with an indent.
fn wrap(text: &str, indent: &str) -> String {
    let mut s = String::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty()
                && indent.len() + line.chars().count() + 1 + word.chars().count() > 96
            {
                let _ = writeln!(s, "{indent}{line}");
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        let _ = writeln!(s, "{indent}{line}");
    }
    s
}

/// A lesson as text: title, concepts, sources, pages, goals (marked with their state on the start
/// design), constraints, hints, locks, and optionally the solution.
pub fn show_text(lesson: &Lesson, with_solution: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} — {}", lesson.id, lesson.title);
    let _ = writeln!(s, "Concepts: {}", lesson.concept_ids());
    let _ = writeln!(s, "Sources:");
    for source in &lesson.sources {
        let _ = writeln!(s, "  - {source}");
    }
    for (i, page) in lesson.pages.iter().enumerate() {
        let _ = writeln!(s, "\nPage {} of {}:", i + 1, lesson.pages.len());
        s.push_str(&wrap(page, "  "));
    }
    let start = lesson.grade_design(&lesson.start, &[]);
    let _ = writeln!(
        s,
        "\nGoals ({} of {} {} on the start design):",
        start.passed(),
        start.total(),
        words::noun(start.passed(), "passes", "pass")
    );
    for (goal, status) in lesson.goals.iter().zip(&start.goals) {
        let mark = if status.pass { "✓" } else { "✗" };
        let _ = writeln!(
            s,
            "  {mark} {}. {}  [{}]",
            status.index + 1,
            goal.title,
            goal.check.words(Wording::Terse)
        );
    }
    if !lesson.constraints.is_empty() {
        let _ = writeln!(s, "\nConstraints:");
        for c in &start.constraints {
            let _ = writeln!(s, "  - {}", c.description);
        }
    }
    let _ = writeln!(s, "\nHints (revealed one at a time):");
    for (i, hint) in lesson.hints.iter().enumerate() {
        s.push_str(&wrap(&format!("{}. {hint}", i + 1), "  "));
    }
    let lock = |l: Lock, what: &str| match l {
        Lock::Open => format!("{what} open"),
        Lock::Locked => format!("{what} locked until solved or revealed"),
    };
    let _ = writeln!(
        s,
        "\nLocks: {}; {}.",
        lock(lesson.locks.fix_key, "fix key `x`"),
        lock(lesson.locks.solution, "solution")
    );
    let d = &lesson.start;
    let _ = writeln!(
        s,
        "Start design: {}, {}, {}, {} (`vnetlab lesson start {} -o FILE` writes it).",
        words::count(d.vnets.len(), "VNet", "VNets"),
        words::count(d.vms.len(), "VM", "VMs"),
        words::count(d.peerings.len(), "peering", "peerings"),
        words::count(d.gateways.len(), "gateway", "gateways"),
        lesson.id
    );
    if with_solution {
        let _ = writeln!(s, "\nSolution:");
        match &lesson.solution {
            Solution::Edits(edits) => {
                for (i, edit) in edits.iter().enumerate() {
                    let _ = writeln!(s, "  {}. {}", i + 1, edit.describe());
                }
            }
            Solution::Design(_) => {
                let _ = writeln!(s, "  the solved design (given whole, not as edits)");
            }
        }
        let _ = writeln!(s, "\nClosing:");
        s.push_str(&wrap(&lesson.closing, "  "));
    }
    s
}

fn start(lesson: &Lesson, output: &Path, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    if let Err(e) = crate::io::save_design(output, &lesson.start) {
        let _ = writeln!(err, "vnetlab lesson start: {e}");
        return EXIT_USAGE;
    }
    let constraints = lesson
        .constraints
        .iter()
        .filter(|c| !matches!(c, Constraint::KeepAssumptions))
        .count();
    let _ = writeln!(
        out,
        "wrote the start design of `{}` to {}; open it with `vnetlab {}`. {}{} (see `vnetlab lesson show {}`).",
        lesson.id,
        output.display(),
        output.display(),
        words::count(lesson.goals.len(), "goal", "goals"),
        match constraints {
            0 => String::new(),
            n => format!(", {}", words::count(n, "constraint", "constraints")),
        },
        lesson.id
    );
    EXIT_OK
}
