//! The authoring check behind `vnetlab lesson check` (the rustlings `dev check` pattern): a
//! lesson that loads may still be broken as a lesson. Its start design must fail at least one
//! goal, its solution must build from the start, pass every goal and keep every constraint, it
//! must have hints, pages, sources and a closing message, and the objects its constraints and
//! diagnostic goals name must exist.

use super::constraint::{any_object_named, exists};
use super::{Check, Constraint, Lesson};
use serde::Serialize;
use std::collections::HashMap;

/// What the check found about one lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The lesson's id.
    pub id: String,
    /// Where it came from.
    pub origin: String,
    /// Each problem in one sentence; empty when the lesson is sound.
    pub problems: Vec<String>,
}

impl Finding {
    /// Whether the lesson is sound.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks one lesson.
pub fn audit(lesson: &Lesson) -> Finding {
    let mut problems = Vec::new();
    for (missing, what) in [
        (lesson.title.trim().is_empty(), "a title"),
        (lesson.pages.is_empty(), "pages"),
        (lesson.goals.is_empty(), "goals"),
        (lesson.hints.is_empty(), "hints"),
        (lesson.concepts.is_empty(), "concepts"),
        (
            lesson.sources.is_empty(),
            "sources (the documents it rests on)",
        ),
        (lesson.closing.trim().is_empty(), "a closing message"),
    ] {
        if missing {
            problems.push(format!("the lesson has no {what}"));
        }
    }
    references(lesson, &mut problems);
    if !lesson.goals.is_empty() {
        let start = lesson.grade_design(&lesson.start, &[]);
        if start.all_goals_pass() {
            problems.push(
                "the start design already passes every goal, so there is nothing to do".to_string(),
            );
        }
    }
    match lesson.solution.design(&lesson.start) {
        Err((index, error)) => problems.push(format!(
            "solution edit {} ({}) is refused: {error}",
            index + 1,
            lesson
                .solution
                .edits()
                .get(index)
                .map_or_else(String::new, crate::edit::Edit::describe)
        )),
        Ok(solved) => {
            let grade = lesson.grade_design(&solved, lesson.solution.edits());
            for goal in grade.goals.iter().filter(|g| !g.pass) {
                problems.push(format!(
                    "the solution fails goal {} ({}){}",
                    goal.index + 1,
                    goal.title,
                    goal.detail
                        .as_ref()
                        .map_or_else(String::new, |d| format!(": {d}"))
                ));
            }
            for constraint in grade.constraints.iter().filter(|c| !c.holds) {
                problems.push(format!(
                    "the solution breaks the constraint \"{}\"{}",
                    constraint.description,
                    constraint
                        .detail
                        .as_ref()
                        .map_or_else(String::new, |d| format!(": {d}"))
                ));
            }
        }
    }
    Finding {
        id: lesson.id.clone(),
        origin: lesson.origin.clone(),
        problems,
    }
}

/// Checks every lesson, and that no two share an id.
pub fn audit_all(lessons: &[Lesson]) -> Vec<Finding> {
    let mut first_seen: HashMap<&str, &str> = HashMap::new();
    lessons
        .iter()
        .map(|lesson| {
            let mut finding = audit(lesson);
            if let Some(other) = first_seen.insert(&lesson.id, &lesson.origin) {
                finding.problems.push(format!(
                    "another lesson ({other}) already has the id `{}`",
                    lesson.id
                ));
            }
            finding
        })
        .collect()
}

/// The objects named by constraints and diagnostic goals must exist: a kept object in the start
/// design, a diagnostic's object in the start design or the solution.
fn references(lesson: &Lesson, problems: &mut Vec<String>) {
    for constraint in &lesson.constraints {
        if let Constraint::Keep { kind, name } = constraint
            && !exists(&lesson.start, *kind, name)
        {
            problems.push(format!(
                "the constraint \"do not delete {kind} `{name}`\" names an object the start design does not have"
            ));
        }
    }
    let solved = lesson.solution.design(&lesson.start).ok();
    for (index, goal) in lesson.goals.iter().enumerate() {
        if let Check::Diagnostic { on: Some(name), .. } = &goal.check {
            let known = any_object_named(&lesson.start, name)
                || solved.as_ref().is_some_and(|d| any_object_named(d, name));
            if !known {
                let searched = if solved.is_some() {
                    "neither in the start design nor in the solution"
                } else {
                    "not in the start design (the solution does not build, so it was not searched)"
                };
                problems.push(format!(
                    "goal {} ({}) is about `{name}`, which is {searched}",
                    index + 1,
                    goal.title
                ));
            }
        }
    }
}
