//! Drafting a new lesson from a design (the TUI's "new lesson from this design"): the design
//! becomes the start, its intents become the goals, and what the engine says about the goals
//! that fail becomes the rest. Each failing goal's first blocker gives the goal's `fail`
//! message and two hints (its reason code's description, then the blocker's own sentence), its
//! reason code the concept ([`Concept::for_reason`]). The draft is lesson-file text (RON) with
//! the start design in a file next to it and an empty solution: `vnetlab lesson check` accepts
//! it once the solved design is saved as its solution. Costs one trace per intent.

use super::{Concept, LESSON_FORMAT_VERSION};
use crate::engine::Verdict;
use crate::model::{Design, Expectation, Intent};

/// Why a design cannot start a lesson.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    /// The design has no intents, so the lesson would have no goals.
    #[error(
        "the design has no intents: add the outcomes the lesson asks for as intents first (in Reachability, `a` on a pair), then draft the lesson"
    )]
    NoIntents,
    /// Every intent already holds, so the start would pass every goal.
    #[error(
        "every intent of the design already holds, so there would be nothing to do: break what the trainee must fix (or add an intent that fails), then draft the lesson"
    )]
    NothingToDo,
    /// The file name gives no usable id.
    #[error(
        "`{name}` gives no lesson id: name the file with letters or digits, like my-lesson.ron"
    )]
    NoId {
        /// The file name as given.
        name: String,
    },
}

/// A lesson id from a file stem: lowercase letters, digits and single dashes, at most 64
/// characters (`My Lesson 2` → `my-lesson-2`); `None` when nothing is left.
pub fn id_from_name(name: &str) -> Option<String> {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id: String = id.trim_end_matches('-').chars().take(64).collect();
    let id = id.trim_end_matches('-').to_string();
    (!id.is_empty()).then_some(id)
}

/// The goal title of an intent: "vm-a reaches vm-b on tcp/3389" or "… cannot reach …".
fn goal_title(intent: &Intent) -> String {
    let verb = match intent.expect {
        Expectation::Reachable => "reaches",
        Expectation::Blocked => "cannot reach",
    };
    format!("{} {verb} {} on {}", intent.from, intent.to, intent.flow)
}

/// RON text of a string: quoted, with `"`, `\\` and line breaks escaped (other control
/// characters, which no lesson text needs, become spaces).
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The draft of a lesson `id` whose start is `design`, saved as `start_file` next to it.
///
/// # Errors
/// The design has no intents, or every intent already holds.
pub fn draft_lesson(id: &str, design: &Design, start_file: &str) -> Result<String, DraftError> {
    if design.intents.is_empty() {
        return Err(DraftError::NoIntents);
    }
    let mut goals = Vec::new();
    let mut hints: Vec<String> = Vec::new();
    let mut concepts: Vec<Concept> = Vec::new();
    let mut failing = 0;
    for intent in &design.intents {
        let title = goal_title(intent);
        let trace = crate::engine::trace(design, &intent.from, &intent.to, intent.flow).ok();
        let holds = trace.as_ref().is_some_and(|t| {
            (t.verdict == Verdict::Reachable) == (intent.expect == Expectation::Reachable)
        });
        let blocker = trace.as_ref().and_then(|t| t.blockers.first());
        let fail = match (holds, blocker) {
            (false, Some(b)) => {
                failing += 1;
                for hint in [b.code.description().to_string(), b.message.clone()] {
                    if !hints.contains(&hint) {
                        hints.push(hint);
                    }
                }
                let concept = Concept::for_reason(b.code);
                if !concepts.contains(&concept) {
                    concepts.push(concept);
                }
                b.message.clone()
            }
            (false, None) => {
                failing += 1;
                format!("Not yet: {title} does not hold.")
            }
            (true, _) => format!("Not any more: {title} no longer holds."),
        };
        goals.push(format!(
            "        Goal(\n            title: {},\n            check: Reach(from: {}, to: {}, flow: {}, expect: {:?}),\n            pass: {},\n            fail: {},\n        ),\n",
            quoted(&title),
            quoted(&intent.from),
            quoted(&intent.to),
            quoted(&intent.flow.to_string()),
            intent.expect,
            quoted(&format!("Done: {title}.")),
            quoted(&fail),
        ));
    }
    if failing == 0 {
        return Err(DraftError::NothingToDo);
    }
    if concepts.is_empty() {
        concepts.push(Concept::Troubleshooting);
    }
    let described = design.description.trim();
    let first_page = if described.is_empty() || described.len() > super::parse::LESSON_TEXT_MAX {
        format!(
            "The design `{}`: {}, {}, {}.",
            design.name,
            crate::words::count(design.vnets.len(), "VNet", "VNets"),
            crate::words::count(design.vms.len(), "VM", "VMs"),
            crate::words::count(design.peerings.len(), "peering", "peerings"),
        )
    } else {
        described.to_string()
    };
    let titles: Vec<String> = design.intents.iter().map(goal_title).collect();
    let task = format!("Your task: {}.", titles.join("; "));
    let list = |items: &[String]| {
        items
            .iter()
            .map(|i| format!("        {},\n", quoted(i)))
            .collect::<String>()
    };
    let concept_list: Vec<String> = concepts.iter().map(|c| format!("{c:?}")).collect();
    Ok(format!(
        "#![enable(implicit_some)]\n\
         // Drafted by vnetlab from a design: its intents are the goals, the engine's blockers\n\
         // the hints. Edit the pages, hints and closing as you like; save the solved design\n\
         // from the lesson menu (L → save this design as the lesson's solution), then run\n\
         // `vnetlab lesson check` over this folder.\n\
         Lesson(\n    version: {LESSON_FORMAT_VERSION},\n    id: {id},\n    title: {name},\n    \
         concepts: [{concepts}],\n    sources: [\n        {source},\n    ],\n    pages: [\n{pages}    ],\n    \
         start: File({start}),\n    goals: [\n{goals}    ],\n    hints: [\n{hints}    ],\n    \
         solution: Edits([]),\n    closing: {closing},\n)\n",
        name = quoted(&design.name),
        id = quoted(id),
        concepts = concept_list.join(", "),
        source = quoted(&format!(
            "the design `{}`, traced by vnetlab's engine",
            design.name
        )),
        pages = list(&[first_page, task]),
        start = quoted(start_file),
        goals = goals.concat(),
        hints = list(&hints),
        closing = quoted(&format!("Every goal passes: {}.", titles.join("; "))),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_reads_back_as_the_same_string() {
        for text in [
            "plain",
            "a \"quote\" and a \\ backslash",
            "two\nlines\tand a tab",
            "it's",
        ] {
            let back: String = ron::from_str(&quoted(text)).expect("RON reads it");
            assert_eq!(back, text);
        }
        assert_eq!(quoted("it's"), "\"it's\"");
    }

    #[test]
    fn ids_are_lowercase_words_joined_by_dashes() {
        assert_eq!(id_from_name("My Lesson 2").as_deref(), Some("my-lesson-2"));
        assert_eq!(id_from_name("--x__y--").as_deref(), Some("x-y"));
        assert_eq!(id_from_name("…"), None);
        assert_eq!(id_from_name(&"a".repeat(100)).map(|i| i.len()), Some(64));
    }
}
