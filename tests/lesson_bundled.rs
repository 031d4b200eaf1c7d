//! The bundled lessons (assets/lessons/): every file is embedded, every lesson loads and passes
//! the authoring check, together they cover every concept, and each one's solution, played
//! edit by edit through a session the way the TUI lesson mode will, solves it.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::BTreeSet;
use std::path::Path;
use vnetlab::lesson::{Check, Concept, LessonRun, Library, Lock, audit_all, bundled};
use vnetlab::session::Session;

/// Every file under `dir`, relative to it, with `/` separators.
fn files_under(dir: &Path, prefix: &str, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            files_under(&path, &format!("{prefix}{name}/"), out);
        } else {
            out.insert(format!("{prefix}{name}"));
        }
    }
}

#[test]
fn every_file_in_the_lessons_folder_is_embedded_and_nothing_else() {
    let mut on_disk = BTreeSet::new();
    files_under(Path::new("assets/lessons"), "", &mut on_disk);
    let embedded: BTreeSet<String> = bundled::FILES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(on_disk, embedded, "update lesson::bundled::FILES");
    for (name, text) in bundled::FILES {
        let on_disk = std::fs::read_to_string(Path::new("assets/lessons").join(name)).unwrap();
        assert_eq!(&on_disk, text, "{name} is embedded from another file");
    }
}

#[test]
fn at_least_ten_lessons_load_and_pass_the_authoring_check() {
    let loaded = bundled::load();
    for result in &loaded {
        if let Err(e) = result {
            panic!("{e}");
        }
    }
    let lessons = bundled::lessons();
    assert!(lessons.len() >= 10, "only {} lessons", lessons.len());
    for finding in audit_all(&lessons) {
        assert!(finding.ok(), "{}: {:?}", finding.id, finding.problems);
    }
}

#[test]
fn the_lessons_cover_every_concept_and_cite_their_sources() {
    let lessons = bundled::lessons();
    let covered: BTreeSet<Concept> = lessons.iter().flat_map(|l| l.concepts.clone()).collect();
    let missing: Vec<&str> = Concept::ALL
        .iter()
        .filter(|c| !covered.contains(c))
        .map(|c| c.id())
        .collect();
    assert!(missing.is_empty(), "no lesson teaches {missing:?}");
    let troubleshooting = lessons
        .iter()
        .filter(|l| l.concepts.contains(&Concept::Troubleshooting))
        .count();
    assert!(troubleshooting >= 2);
    for lesson in &lessons {
        assert!(
            lesson
                .sources
                .iter()
                .any(|s| s.starts_with("https://learn.microsoft.com/")
                    || s.starts_with("https://github.com/")),
            "{} cites no public document",
            lesson.id
        );
        assert!(
            lesson
                .sources
                .iter()
                .any(|s| s.contains("azure-semantics.md")),
            "{} cites no section of azure-semantics.md",
            lesson.id
        );
        assert!(
            lesson.hints.len() >= 2,
            "{} has fewer than two hints",
            lesson.id
        );
        assert_eq!(lesson.locks.fix_key, Lock::Locked, "{}", lesson.id);
    }
}

#[test]
fn ids_are_unique_and_the_library_offers_the_next_lesson() {
    let library = Library::bundled();
    let ids: Vec<&str> = library.lessons().iter().map(|l| l.id.as_str()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len());
    assert_eq!(ids[0], "first-peering");
    assert_eq!(
        library.next_after("first-peering").map(|l| l.id.as_str()),
        Some(ids[1])
    );
    assert!(library.next_after(ids[ids.len() - 1]).is_none());
    assert!(library.get("no-such-lesson").is_none());
}

/// Plays every solution through a session, as the TUI lesson mode will: each edit is applied to
/// the session and recorded in the run, and the run is regraded from the session's own design and
/// diagnostics, and after the last edit every goal passes.
#[test]
fn every_solution_played_edit_by_edit_through_a_session_solves_its_lesson() {
    for lesson in bundled::lessons() {
        let edits = lesson.solution.edits().to_vec();
        assert!(
            !edits.is_empty(),
            "{}: bundled solutions are edit lists",
            lesson.id
        );
        let mut run = LessonRun::new(lesson.clone());
        let mut session = Session::new(run.start_design());
        assert!(
            !run.regrade(session.design(), session.diagnostics())
                .solved(),
            "{} starts solved",
            lesson.id
        );
        for (i, edit) in edits.iter().enumerate() {
            session
                .apply(edit.clone())
                .unwrap_or_else(|e| panic!("{}: edit {} refused: {e}", lesson.id, i + 1));
            run.applied(edit.clone());
            run.regrade(session.design(), session.diagnostics());
        }
        let grade = run.grade().unwrap();
        assert!(grade.solved(), "{}: {grade:#?}", lesson.id);
        assert_eq!(grade.passed(), lesson.goals.len());
        assert!(run.progress().solved && run.fix_key_allowed());
        assert_eq!(run.closing(), Some(lesson.closing.as_str()));
        // Undo all the way back: the start design again, not solved now, still solved once.
        for _ in &edits {
            session.undo().unwrap();
            run.undone();
        }
        assert_eq!(session.design(), &lesson.start, "{}", lesson.id);
        assert!(
            !run.regrade(session.design(), session.diagnostics())
                .solved()
        );
        assert!(run.progress().solved);
    }
}

#[test]
fn goal_titles_and_messages_name_the_objects_of_the_design() {
    for lesson in bundled::lessons() {
        for goal in &lesson.goals {
            assert!(
                !goal.pass.is_empty() && !goal.fail.is_empty(),
                "{}",
                lesson.id
            );
            if let Check::Reach { from, to, .. } = &goal.check {
                let named = goal.title.contains(from.as_str())
                    || goal.title.contains(to.as_str())
                    || goal.title.contains("P2S");
                assert!(
                    named,
                    "{}: `{}` names neither endpoint",
                    lesson.id, goal.title
                );
            }
        }
    }
}
