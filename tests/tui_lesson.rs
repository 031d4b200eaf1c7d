//! Lesson mode in the TUI, by keys: every bundled lesson played to "lesson complete", goals that
//! flip after the fixing edit, reset, the locked fix key, hints and pages, progress in the data
//! directory, and saving the design as a lesson's start.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)]

mod tui_support;

use tui_support::{press, screen};
use vnetlab::lesson::bundled;
use vnetlab::model::Design;
use vnetlab::session::Session;
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

/// Every bundled lesson's solution as the keys a trainee presses, one step per edit a form or
/// a pane key makes. The steps reach the outcome of the lesson's `solution` (goals grade
/// outcomes), sometimes by a shorter path: a route table is attached to its subnet in the form
/// that creates it, and `t` on a hub pair turns gateway transit on for every spoke of the hub.
/// The peering form proposes the next unpeered pair, so `2 a enter enter` then `r` (the reverse
/// link of the new one) peers it both ways.
const SOLUTIONS_BY_KEYS: &[(&str, &[&str])] = &[
    ("first-peering", &["2 a enter enter", "r"]),
    ("one-sided-peering", &["2 g j r"]),
    (
        "disconnected-peering",
        &["2 g j d y", "2 a enter enter", "r"],
    ),
    (
        "global-peering",
        &["2 a enter enter", "r", "2 a enter enter", "r"],
    ),
    (
        "government-cloud",
        &[
            // Delete both links of the refused global peering (the pair keeps its row while
            // one link is left, so the same keys take the second).
            "2 g j d y",
            "2 g j d y",
            "2 a enter enter",
            "r",
            // A VPN gateway in vnet-va, then one in vnet-tx (the form proposes the next VNet
            // with a GatewaySubnet and no gateway), and a connection each way.
            "3 a 1 enter",
            "3 a 1 enter",
            "3 a 4 tab tab right enter",
            "3 a 4 tab right enter",
        ],
    ),
    ("non-transitive", &["2 a enter enter", "r"]),
    (
        "hub-spoke-nva",
        &[
            "4 a \"rt-spoke1\" tab tab tab space enter",
            "4 a j enter \"to-spoke2\" tab \"10.2.0.0/16\" enter",
            "4 a enter \"rt-spoke2\" tab tab tab tab space enter",
            "4 G a j enter \"to-spoke1\" tab \"10.1.0.0/16\" enter",
            // nva1's IP forwarding, then allow forwarded traffic (the F column) on each
            // spoke's link to the hub.
            "1 g j j j enter tab tab tab tab tab space enter",
            "2 g j l l l l l space",
            "2 g j j space",
        ],
    ),
    (
        "udr-to-vpn-gateway",
        &[
            "4 a \"rt-spoke1\" tab tab tab space enter",
            "4 a j enter \"to-spoke2\" tab \"10.2.0.0/16\" tab right enter",
            "4 a enter \"rt-spoke2\" tab tab tab tab space enter",
            "4 G a j enter \"to-spoke1\" tab \"10.1.0.0/16\" tab right enter",
        ],
    ),
    (
        "gateway-transit",
        &[
            "3 g j enter tab tab tab right enter",
            "3 g j j d y",
            "2 g j t",
        ],
    ),
    (
        "site-to-site-and-p2s",
        &[
            "3 a 4 enter",
            "3 g j enter tab tab tab tab \"172.16.201.0/24\" enter",
        ],
    ),
    (
        "nsg-between-peers",
        &[
            "5 a j enter \"allow-sql-from-web\" tab \"100\" tab tab right tab tab \"10.1.0.0/16\" tab tab \"1433\" enter",
        ],
    ),
    (
        "peering-permissions",
        &[
            "3 G k enter tab n enter",
            "3 G enter tab tab \"Microsoft.Network/virtualNetworks/read, Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write, Microsoft.Network/virtualNetworks/peer/action\" enter",
        ],
    ),
    (
        "classic-peering",
        &[
            "2 g j d y",
            "2 g j d y",
            "2 a enter enter",
            "2 a enter enter",
            "3 G enter tab right enter",
        ],
    ),
    ("address-space-sync", &["2 g j s"]),
    ("troubleshoot-hub", &["2 g j j l l l l l space"]),
    (
        "troubleshoot-branch",
        &[
            "4 G enter up space enter",
            "5 g j j enter up \"3389\" enter",
        ],
    ),
];

#[test]
fn every_bundled_lesson_is_played_to_lesson_complete_by_keys() {
    let lessons = bundled::lessons();
    let scripted: Vec<&str> = SOLUTIONS_BY_KEYS.iter().map(|(id, _)| *id).collect();
    let ids: Vec<&str> = lessons.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(
        scripted, ids,
        "every bundled lesson needs its solution by keys"
    );
    for (lesson, (_, steps)) in lessons.iter().zip(SOLUTIONS_BY_KEYS) {
        let (mut app, files) = app_in(&lesson.id);
        let start = screen(&mut app, 160, 48);
        assert!(!start.contains("lesson complete"), "{}\n{start}", lesson.id);
        assert!(start.contains(&lesson.title), "{}\n{start}", lesson.id);
        assert!(!app.lesson().unwrap().is_solved_now(), "{}", lesson.id);
        for step in *steps {
            let before = app.session().revision();
            press(&mut app, step);
            // Each step is one accepted change: no form left open, no refusal.
            assert!(
                app.overlay().is_none(),
                "{}: `{step}` left {:?}",
                lesson.id,
                app.overlay()
            );
            assert_ne!(
                app.session().revision(),
                before,
                "{}: `{step}` changed nothing: {:?}",
                lesson.id,
                app.status()
            );
            assert!(
                !app.status().is_some_and(|s| s.error),
                "{}: `{step}`: {:?}",
                lesson.id,
                app.status()
            );
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
}

#[test]
fn a_goal_flips_to_a_tick_after_the_fixing_edit_and_back_after_undo() {
    let (mut app, _) = app_in("one-sided-peering");
    let lesson = app.lesson().unwrap().lesson().clone();
    let first = &lesson.goals[0].title;
    let before = screen(&mut app, 160, 48);
    assert!(before.contains(&format!("✗ {first}")), "{before}");
    assert!(before.contains("0 of 3 goals"), "{before}");
    press(&mut app, "2 r");
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
    press(&mut app, "2 r");
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
    press(&mut app, "2 r");
    let edited = app.session().design().clone();
    // Unsolved → solved: "next lesson", reset, reveal, save as start (the fourth entry); the
    // path prompt offers the user's lesson folder.
    press(&mut app, "L j j j enter");
    match app.overlay() {
        Some(vnetlab::tui::Overlay::LessonPath(prompt, _)) => {
            assert_eq!(prompt.text, "lessons/one-sided-peering.ron");
        }
        other => panic!("no path prompt: {other:?}"),
    }
    press(&mut app, "enter");
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
