//! Authoring in the TUI, by keys: the lesson menu saves the design as the open lesson's start
//! or solution at a path the author types (prefilled), drafts a new lesson from a design's
//! intents when none is open, and refuses a folder, a non-lesson name, a bundled lesson's file
//! and a path that cannot be written, each with a sentence. What is written parses back as a
//! lesson whose start or solution is the design on screen, and `vnetlab lesson check` accepts a
//! drafted lesson once its solution is saved.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)]

mod tui_support;

use std::path::Path;
use tui_support::press;
use vnetlab::lesson::bundled;
use vnetlab::model::Design;
use vnetlab::session::Session;
use vnetlab::tui::{App, Config, Files, MemoryFiles, Overlay};

fn app_over(design: Design, files: Box<dyn Files>) -> App {
    App::new(Session::new(design), Config::embedded(), files, None)
}

/// The text of the open path prompt.
fn prompt_text(app: &App) -> String {
    match app.overlay() {
        Some(Overlay::LessonPath(prompt, _)) => prompt.text.clone(),
        other => panic!("no lesson path prompt: {other:?}"),
    }
}

/// The status line, which must be a refusal.
fn refusal(app: &App) -> String {
    let status = app.status().unwrap();
    assert!(status.error, "{status:?}");
    status.text.clone()
}

/// Two VNets, not peered, with intents that they reach each other on RDP: the start of a lesson
/// drafted from it fails both goals; peering them solves it.
fn unpeered_with_intents() -> Design {
    vnetlab::io::parse_design(
        r#"Design(version: 1, name: "Draft: peer two VNets",
            vnets: [
                Vnet(name: "vnet-a", region: "eastus", address_space: ["10.1.0.0/16"], subnets: [Subnet(name: "default", prefix: "10.1.1.0/24")]),
                Vnet(name: "vnet-b", region: "eastus", address_space: ["10.2.0.0/16"], subnets: [Subnet(name: "default", prefix: "10.2.1.0/24")]),
            ],
            vms: [
                Vm(name: "vm-a", nics: [Nic(subnet: "vnet-a/default", ip: "10.1.1.4")]),
                Vm(name: "vm-b", nics: [Nic(subnet: "vnet-b/default", ip: "10.2.1.4")]),
            ],
            intents: [
                Intent(name: "a-to-b", from: "vm-a", to: "vm-b", flow: "tcp/3389", expect: Reachable),
                Intent(name: "b-to-a", from: "vm-b", to: "vm-a", flow: "tcp/3389", expect: Reachable),
            ],
        )"#,
        "draft.ron",
    )
    .unwrap()
}

#[test]
fn the_solution_and_the_start_are_saved_where_the_author_says_and_parse_back() {
    let files = MemoryFiles::default();
    let mut app = app_over(Design::empty("x"), Box::new(files.clone()));
    app.open_lesson("first-peering").unwrap();
    // Lesson 1 solved by keys: the peering and its reverse link.
    press(&mut app, "2 a enter enter r");
    assert!(app.lesson().unwrap().is_solved_now());
    let solved = app.session().design().clone();
    // Solved: next lesson, reset, reveal, save as start…, save as solution… (the fifth).
    press(&mut app, "L j j j j enter");
    assert_eq!(prompt_text(&app), "lessons/first-peering.ron");
    press(&mut app, "ctrl-a \"course/peering.ron\" enter");
    let status = app.status().unwrap().clone();
    assert!(!status.error, "{status:?}");
    assert!(
        status
            .text
            .starts_with("saved as the lesson's solution: course/peering.ron"),
        "{status:?}"
    );
    let lesson = files.load_lesson(Path::new("course/peering.ron")).unwrap();
    assert_eq!(lesson.solution.design(&lesson.start).unwrap(), solved);
    // Copied out of the bundled lesson, its start went along as a file next to it.
    let text = files.read_text(Path::new("course/peering.ron")).unwrap();
    assert!(
        text.contains("start: File(\"peering.start.ron\")"),
        "{text}"
    );
    assert!(
        text.contains("solution: File(\"peering.solution.ron\")"),
        "{text}"
    );
    let start = bundled::lesson("first-peering").unwrap().start;
    assert_eq!(lesson.start, start);
    // The next save offers the same file; the design saved as the start is read back.
    // (Unsolved again: reset, reveal, save as start….)
    press(&mut app, "u");
    let undone = app.session().design().clone();
    press(&mut app, "L j j enter");
    assert_eq!(prompt_text(&app), "course/peering.ron");
    press(&mut app, "enter");
    assert!(!app.status().unwrap().error, "{:?}", app.status());
    let lesson = files.load_lesson(Path::new("course/peering.ron")).unwrap();
    assert_eq!(lesson.start, undone);
    assert_eq!(lesson.solution.design(&lesson.start).unwrap(), solved);
    // The bundled lesson is untouched.
    assert_eq!(bundled::lesson("first-peering").unwrap().start, start);
}

#[test]
fn folders_other_names_and_bundled_lesson_files_are_refused_with_a_sentence() {
    let files = MemoryFiles::default();
    let first = bundled::lesson_files().next().unwrap().1;
    let mut disk = files.clone();
    disk.write_text(Path::new("course/01.ron"), first).unwrap();
    disk.write_text(Path::new("course/notes.ron"), "// notes, no lesson\n")
        .unwrap();
    let mut app = app_over(Design::empty("x"), Box::new(files.clone()));
    app.open_lesson("first-peering").unwrap();
    let before = files.state().files.len();
    for (typed, says) in [
        (
            "lessons/",
            "lessons is a folder; name a lesson file in it, like lessons/my-lesson.ron",
        ),
        (
            "course",
            "course is a folder; name a lesson file in it, like course/my-lesson.ron",
        ),
        (
            "course/notes.txt",
            "course/notes.txt: a lesson file ends in .ron, like course/notes.ron",
        ),
        (
            "course/01.ron",
            "course/01.ron is a bundled lesson, which vnetlab never changes",
        ),
        (
            "course/notes.ron",
            "course/notes.ron: no `start:` field to point at the design",
        ),
    ] {
        // Reset, reveal, save as start… (the third entry of an unsolved lesson's menu).
        press(&mut app, &format!("L j j enter ctrl-a \"{typed}\" enter"));
        let said = refusal(&app);
        assert!(said.starts_with(says), "{typed}: {said}");
        // The prompt stays open on what was typed, the refusal under it, to correct or leave.
        match app.overlay() {
            Some(Overlay::LessonPath(prompt, _)) => {
                assert_eq!(prompt.text, typed);
                assert_eq!(prompt.problem.as_deref(), Some(said.as_str()));
            }
            other => panic!("{typed}: the prompt closed: {other:?}"),
        }
        press(&mut app, "esc");
    }
    assert_eq!(files.state().files.len(), before, "nothing was written");
    // At 80×24 the refusal reads in full under the input, though the status line is cut.
    press(&mut app, "L j j enter ctrl-a \"course\" enter");
    insta::assert_snapshot!(
        "save_refused_80x24",
        tui_support::draw(&mut app, 80, 24).backend()
    );
}

#[test]
fn a_new_lesson_is_drafted_from_the_designs_intents_and_opens() {
    let files = MemoryFiles::default();
    let design = unpeered_with_intents();
    let mut app = app_over(design.clone(), Box::new(files.clone()));
    // No lesson open: the menu's first entry drafts one.
    press(&mut app, "L enter");
    assert_eq!(prompt_text(&app), "lessons/draft-peer-two-vnets.ron");
    press(&mut app, "enter");
    let status = app.status().unwrap().clone();
    assert!(!status.error, "{status:?}");
    assert!(
        status
            .text
            .starts_with("new lesson lessons/draft-peer-two-vnets.ron: 2 goals"),
        "{status:?}"
    );
    let lesson = files
        .load_lesson(Path::new("lessons/draft-peer-two-vnets.ron"))
        .unwrap();
    assert_eq!(lesson.id, "draft-peer-two-vnets");
    assert_eq!(lesson.start, design);
    let titles: Vec<&str> = lesson.goals.iter().map(|g| g.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "vm-a reaches vm-b on tcp/3389",
            "vm-b reaches vm-a on tcp/3389"
        ]
    );
    // The hints are the engine's: the blocker's reason, then its sentence.
    let trace =
        vnetlab::engine::trace(&design, "vm-a", "vm-b", "tcp/3389".parse().unwrap()).unwrap();
    assert_eq!(lesson.hints[0], trace.blockers[0].code.description());
    assert_eq!(lesson.hints[1], trace.blockers[0].message);
    assert_eq!(lesson.goals[0].fail, trace.blockers[0].message);
    // It is the lesson in progress, on its start design, with both goals failing.
    let run = app.lesson().unwrap();
    assert_eq!(run.lesson().id, "draft-peer-two-vnets");
    assert_eq!(*app.session().design(), design);
    assert!(!run.is_solved_now());
    // Left (the fifth entry of an unsolved lesson's menu), a second draft at the same file is
    // refused.
    press(&mut app, "L j j j j enter");
    assert!(app.lesson().is_none());
    press(&mut app, "L enter enter");
    assert!(
        refusal(&app).starts_with("lessons/draft-peer-two-vnets.ron exists already"),
        "{:?}",
        app.status()
    );
}

#[test]
fn a_design_without_intents_or_with_every_intent_holding_drafts_nothing() {
    let files = MemoryFiles::default();
    let mut app = app_over(Design::empty("nothing"), Box::new(files.clone()));
    press(&mut app, "L enter enter");
    assert_eq!(
        refusal(&app),
        "the design has no intents: add the outcomes the lesson asks for as intents first (in Reachability, `a` on a pair), then draft the lesson"
    );
    let mut solved = unpeered_with_intents();
    for (name, local, remote) in [("a-b", "vnet-a", "vnet-b"), ("b-a", "vnet-b", "vnet-a")] {
        vnetlab::edit::Edit::Add {
            object: vnetlab::edit::Object::Peering(vnetlab::model::Peering::new(
                name, local, remote,
            )),
            at: None,
        }
        .apply(&mut solved)
        .unwrap();
    }
    let mut app = app_over(solved, Box::new(files.clone()));
    press(&mut app, "L enter enter");
    assert!(
        refusal(&app).starts_with("every intent of the design already holds"),
        "{:?}",
        app.status()
    );
    assert!(files.state().files.is_empty());
}

/// On disk: a lesson drafted, solved and its solution saved passes `vnetlab lesson check`;
/// a path under a file is refused.
#[cfg(feature = "cli")]
#[test]
fn a_drafted_lesson_with_its_solution_passes_lesson_check_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let dirs = vnetlab::io::AppDirs {
        config: dir.path().join("config"),
        data: dir.path().join("data"),
        state: dir.path().join("state"),
    };
    let files = vnetlab::tui::DiskFiles::new(dirs);
    let mut app = app_over(unpeered_with_intents(), Box::new(files));
    press(&mut app, "L enter enter");
    assert!(!app.status().unwrap().error, "{:?}", app.status());
    let lessons = dir.path().join("data/lessons");
    // Before its solution is saved, the check says what is missing.
    assert_cmd::Command::cargo_bin("vnetlab")
        .unwrap()
        .args(["lesson", "check"])
        .arg(&lessons)
        .assert()
        .code(1);
    press(&mut app, "2 a enter enter r");
    assert!(app.lesson().unwrap().is_solved_now());
    let solved = app.session().design().clone();
    // Solved, no next lesson: reset, reveal, save as start…, save as solution….
    press(&mut app, "L j j j enter");
    let file = lessons.join("draft-peer-two-vnets.ron");
    assert_eq!(prompt_text(&app), file.display().to_string());
    press(&mut app, "enter");
    assert!(!app.status().unwrap().error, "{:?}", app.status());
    let lesson = vnetlab::io::lessons::load_lesson(&file).unwrap();
    assert_eq!(lesson.solution.design(&lesson.start).unwrap(), solved);
    let out = assert_cmd::Command::cargo_bin("vnetlab")
        .unwrap()
        .args(["lesson", "check"])
        .arg(&lessons)
        .assert()
        .code(0);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("ok "), "{text}");
    // A file where a folder should be: not written, said in a sentence.
    std::fs::write(dir.path().join("plain"), "x").unwrap();
    let under_file = dir.path().join("plain/lesson.ron");
    press(
        &mut app,
        &format!("L j j j enter ctrl-a \"{}\" enter", under_file.display()),
    );
    assert!(
        refusal(&app).starts_with("not saved: "),
        "{:?}",
        app.status()
    );
    assert!(!under_file.exists());
}
