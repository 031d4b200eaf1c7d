//! Lesson mode in the TUI, by keys: every bundled lesson played to "lesson complete", goals that
//! flip after the fixing edit, reset, the locked fix key, hints and pages, progress in the data
//! directory, and saving the design as a lesson's start.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)]

mod tui_support;

use tui_support::{press, screen};
use vnetlab::edit::{Edit, Object};
use vnetlab::lesson::{Solution, bundled};
use vnetlab::model::{Design, ObjectKind};
use vnetlab::session::Session;
use vnetlab::tui::panes::PaneId;
use vnetlab::tui::{App, Config, MemoryFiles};

fn app_in(id: &str) -> (App, MemoryFiles) {
    let files = MemoryFiles::default();
    let mut app = App::new(
        Session::new(Design::empty("before")),
        Config::embedded(),
        Box::new(files.clone()),
        None,
    );
    app.open_lesson(id).unwrap();
    (app, files)
}

/// Selects the Peerings pane's pair of `a` and `b` (either order) by keys; whether it found it.
fn select_pair(app: &mut App, a: &str, b: &str) -> bool {
    let pairs = vnetlab::tui::panes::peerings::pairs(app.session().design());
    let Some(at) = pairs
        .iter()
        .position(|(x, y)| (x == a && y == b) || (x == b && y == a))
    else {
        return false;
    };
    // Row 0 is the section header; the pairs follow in the pane's order.
    press(app, "2 g");
    for _ in 0..=at {
        press(app, "j");
    }
    app.pane_state(PaneId::Peerings).selected == at + 1
}

/// Plays one solution edit by the keys that make it, when there is a key path for it: `r`
/// (create the reverse peering) on the pair, `s` (sync) on the pair. Returns `false` for the
/// edits that have no key path without a form (those go through `App::apply_edit`, the path
/// every form submits through).
fn play_by_keys(app: &mut App, edit: &Edit) -> bool {
    let design = app.session().design().clone();
    match edit {
        Edit::Add {
            object: Object::Peering(p),
            ..
        } if design.peering_between(&p.remote, &p.local).is_some()
            && design.peering_between(&p.local, &p.remote).is_none() =>
        {
            if !select_pair(app, &p.local, &p.remote) {
                return false;
            }
            press(app, "r");
            assert!(
                app.session()
                    .design()
                    .peering_between(&p.local, &p.remote)
                    .is_some(),
                "r did not create {} → {}: {:?}",
                p.local,
                p.remote,
                app.status()
            );
            true
        }
        Edit::SyncPeering(name) => {
            let Some(p) = design.peerings.iter().find(|p| p.name == *name) else {
                return false;
            };
            let (a, b) = (p.local.clone(), p.remote.clone());
            if !select_pair(app, &a, &b) {
                return false;
            }
            let before = app.session().revision();
            press(app, "s");
            app.session().revision() != before
        }
        // `d` on the pair deletes the link under the flag cursor: the first four columns are
        // the pair's first link, the next four its reverse (the cursor starts on column 0).
        Edit::Remove(target) if target.kind == ObjectKind::Peering => {
            let Some(p) = design.peerings.iter().find(|p| p.name == target.name) else {
                return false;
            };
            let (local, remote) = (p.local.clone(), p.remote.clone());
            if !select_pair(app, &local, &remote) {
                return false;
            }
            let pairs = vnetlab::tui::panes::peerings::pairs(&design);
            let first_side = pairs.iter().any(|(a, b)| *a == local && *b == remote);
            let hop = if first_side { "" } else { "l l l l " };
            press(app, &format!("{hop}d y {hop}"));
            app.session()
                .design()
                .peerings
                .iter()
                .all(|p| p.name != target.name)
        }
        _ => false,
    }
}

#[test]
fn every_bundled_lesson_is_played_to_lesson_complete() {
    let mut by_keys = 0;
    let mut by_action = 0;
    for lesson in bundled::lessons() {
        let (mut app, files) = app_in(&lesson.id);
        let start = screen(&mut app, 160, 48);
        assert!(!start.contains("lesson complete"), "{}\n{start}", lesson.id);
        assert!(start.contains(&lesson.title), "{}\n{start}", lesson.id);
        assert!(!app.lesson().unwrap().is_solved_now(), "{}", lesson.id);
        let Solution::Edits(edits) = &lesson.solution else {
            panic!("{}: a design solution; play it by opening it", lesson.id);
        };
        for edit in edits {
            if play_by_keys(&mut app, edit) {
                by_keys += 1;
            } else {
                assert!(
                    app.apply_edit(edit.clone()),
                    "{}: {edit:?} refused: {:?}",
                    lesson.id,
                    app.status()
                );
                by_action += 1;
            }
            app.wait_idle();
        }
        let done = screen(&mut app, 160, 48);
        assert!(done.contains("★ lesson complete"), "{}\n{done}", lesson.id);
        assert!(app.lesson().unwrap().is_solved_now(), "{}", lesson.id);
        let total = lesson.goals.len();
        assert!(
            done.contains(&format!("{total} of {total} goal")),
            "{}\n{done}",
            lesson.id
        );
        // The progress is kept in the data directory.
        let kept = files.state().data["lesson-progress.ron"].clone();
        assert!(kept.contains(&format!("\"{}\"", lesson.id)), "{kept}");
        assert!(kept.contains("solved: true"), "{kept}");
    }
    assert!(by_keys >= 5, "only {by_keys} edits by keys");
    eprintln!("solution edits played by keys: {by_keys}, through App::apply_edit: {by_action}");
}

#[test]
fn a_goal_flips_to_a_tick_after_the_fixing_edit_and_back_after_undo() {
    let (mut app, _) = app_in("one-sided-peering");
    let lesson = app.lesson().unwrap().lesson().clone();
    let first = &lesson.goals[0].title;
    let before = screen(&mut app, 160, 48);
    assert!(before.contains(&format!("✗ {first}")), "{before}");
    assert!(before.contains("0 of 3 goals"), "{before}");
    press(&mut app, "2 j r");
    let after = screen(&mut app, 160, 48);
    assert!(after.contains(&format!("✓ {first}")), "{after}");
    assert!(after.contains("3 of 3 goals"), "{after}");
    assert!(after.contains("★ lesson complete"), "{after}");
    let said = &app.status().unwrap().text;
    assert!(
        said.starts_with("lesson complete! · L: next lesson, "),
        "{said}"
    );
    press(&mut app, "u");
    let undone = screen(&mut app, 160, 48);
    assert!(undone.contains(&format!("✗ {first}")), "{undone}");
    assert!(!undone.contains("★ lesson complete"), "{undone}");
}

#[test]
fn reset_restores_the_start_design_and_leaves_the_lesson_file_alone() {
    let (mut app, _) = app_in("one-sided-peering");
    let start = bundled::lesson("one-sided-peering").unwrap().start;
    press(&mut app, "2 j r");
    assert_ne!(*app.session().design(), start);
    // The lesson menu of a solved lesson: the next lesson, then reset.
    press(&mut app, "L");
    let menu = screen(&mut app, 160, 48);
    assert!(menu.contains("next lesson: "), "{menu}");
    assert!(menu.contains("reset to the start design"), "{menu}");
    press(&mut app, "j");
    press(&mut app, "enter");
    assert_eq!(*app.session().design(), start);
    assert!(!app.session().is_dirty());
    assert_eq!(bundled::lesson("one-sided-peering").unwrap().start, start);
    let text = screen(&mut app, 160, 48);
    assert!(text.contains("0 of 3 goals"), "{text}");
}

#[test]
fn the_fix_key_is_refused_while_the_lesson_locks_it_and_works_once_revealed() {
    let (mut app, _) = app_in("first-peering");
    assert!(!app.lesson().unwrap().fix_key_allowed());
    // A blocked pair: vm-a → vm-b (the second column of the first row).
    press(&mut app, "6 g l");
    let before = app.session().revision();
    press(&mut app, "x");
    let status = app.status().unwrap();
    assert!(status.error, "{status:?}");
    assert!(status.text.contains("locks the fix key"), "{status:?}");
    assert_eq!(app.session().revision(), before);
    // L → the second entry reveals the solution, which unlocks the fix key.
    press(&mut app, "L j enter");
    assert!(app.status().unwrap().text.starts_with("solution: "));
    assert!(app.lesson().unwrap().fix_key_allowed());
    press(&mut app, "6 x");
    assert!(
        !app.status().unwrap().text.contains("locks the fix key"),
        "{:?}",
        app.status()
    );
}

#[test]
fn hints_and_pages_show_on_the_card_and_hints_are_remembered() {
    let (mut app, files) = app_in("first-peering");
    let lesson = app.lesson().unwrap().lesson().clone();
    assert!(lesson.pages.len() >= 2 && lesson.hints.len() >= 2);
    let first_words: String = lesson.pages[1].chars().take(30).collect();
    assert!(!screen(&mut app, 160, 48).contains(&first_words));
    press(&mut app, "]");
    let page = screen(&mut app, 160, 48);
    assert!(page.contains(&first_words), "{page}");
    assert!(page.contains("page 2 of"), "{page}");
    press(&mut app, "[");
    assert!(screen(&mut app, 160, 48).contains("page 1 of"));
    press(&mut app, "I");
    let hinted = screen(&mut app, 160, 48);
    assert!(hinted.contains("Hint 1: "), "{hinted}");
    assert!(!hinted.contains("Hint 2: "), "{hinted}");
    let kept = files.state().data["lesson-progress.ron"].clone();
    assert!(kept.contains("hints_shown: 1"), "{kept}");
    // A new session over the same data directory remembers the hint.
    let mut again = App::new(
        Session::new(Design::empty("x")),
        Config::embedded(),
        Box::new(files.clone()),
        None,
    );
    again.open_lesson("first-peering").unwrap();
    assert!(screen(&mut again, 160, 48).contains("Hint 1: "));
}

#[test]
fn an_unknown_lesson_is_refused_with_a_way_out() {
    let files = MemoryFiles::default();
    let mut app = App::new(
        Session::new(Design::empty("x")),
        Config::embedded(),
        Box::new(files),
        None,
    );
    let error = app.open_lesson("no-such-lesson").unwrap_err();
    assert!(error.contains("vnetlab lesson list"), "{error}");
    assert!(app.lesson().is_none());
}

#[test]
fn the_design_saved_as_a_lessons_start_opens_as_that_lesson() {
    let (mut app, files) = app_in("one-sided-peering");
    press(&mut app, "2 j r");
    let edited = app.session().design().clone();
    // Unsolved → solved: "next lesson", reset, reveal, save as start (the fourth entry).
    press(&mut app, "L j j j enter");
    let status = app.status().unwrap().clone();
    assert!(
        status.text.starts_with("saved as the lesson's start"),
        "{status:?}"
    );
    let lesson_file =
        files.state().files[std::path::Path::new("lessons/one-sided-peering.ron")].clone();
    assert!(
        lesson_file.contains("start: File(\"one-sided-peering.start.ron\")"),
        "{lesson_file}"
    );
    // The picker lists the folder's copy in the bundled lesson's place; it opens on the saved
    // design.
    let mut other = App::new(
        Session::new(Design::empty("x")),
        Config::embedded(),
        Box::new(files.clone()),
        None,
    );
    other.open_lesson("one-sided-peering").unwrap();
    assert_eq!(*other.session().design(), edited);
    assert_eq!(
        other.lesson().unwrap().lesson().origin,
        "lessons/one-sided-peering.ron"
    );
}

#[test]
fn opening_another_design_ends_the_lesson() {
    let (mut app, _) = app_in("first-peering");
    press(&mut app, "ctrl-n");
    assert!(app.lesson().is_none());
    assert!(!screen(&mut app, 160, 48).contains("Your first peering"));
}
