//! Recovery in the UI (issue 15): work left on A is offered when A is opened and never when B
//! is, a recovered design is never written silently over a file it did not come from, a second
//! window that declines and quits leaves the first window's copy, and the signal path keeps an
//! edit made just before it. Driven by keys over in-memory files with made-up instances.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use std::path::{Path, PathBuf};
use tui_support::press;
use vnetlab::io::recovery::Instance;
use vnetlab::model::Design;
use vnetlab::session::Session;
use vnetlab::tui::{App, Config, Files, MemoryFiles, Overlay};

fn instance(pid: u32) -> Instance {
    Instance {
        pid,
        started_ms: u64::from(pid),
        boot_ticks: None,
    }
}

/// Files holding `saves/A.ron` and `saves/B.ron` (both the start-up design, named after the
/// file).
fn two_files() -> MemoryFiles {
    let files = MemoryFiles::default().as_instance(instance(1));
    for name in ["A", "B"] {
        let mut design = vnetlab::io::examples::default_design();
        design.name = name.to_string();
        let text = vnetlab::io::to_ron(&design).unwrap();
        files
            .state()
            .files
            .insert(PathBuf::from(format!("saves/{name}.ron")), text);
    }
    files
}

fn open(files: &MemoryFiles, path: Option<&str>) -> App {
    let design = match path {
        Some(p) => files.load(Path::new(p)).unwrap().design,
        None => Design::empty("untitled"),
    };
    App::new(
        Session::new(design),
        Config::embedded(),
        Box::new(files.clone()),
        path.map(PathBuf::from),
    )
}

/// Keys that make an edit (a peering flag toggled in the start-up design).
const EDIT: &str = "2 j j r";

fn offered(app: &App) -> bool {
    matches!(app.overlay(), Some(Overlay::Confirm(c)) if c.message.contains("Recover it?"))
}

/// Instance 1 edits A (deletes a VNet), its edit reaches the recovery file, and it crashes.
fn crash_while_editing_a(files: &MemoryFiles) -> Design {
    let mut first = open(files, Some("saves/A.ron"));
    press(&mut first, EDIT);
    assert!(first.session().is_dirty(), "{:?}", first.status());
    first.write_recovery_now().unwrap();
    first.session().design().clone()
}

#[test]
fn after_a_crash_on_a_opening_b_offers_nothing_and_saving_b_keeps_b() {
    let files = two_files();
    let edited_a = crash_while_editing_a(&files);
    let second = files.as_instance(instance(2));
    let mut app = open(&second, Some("saves/B.ron"));
    assert!(app.overlay().is_none(), "{:?}", app.overlay());
    press(&mut app, "2 j j r ctrl-s");
    let b = files.state().files[Path::new("saves/B.ron")].clone();
    assert!(b.contains("name: \"B\""), "B keeps its own design: {b}");
    // Opening A from the dialog offers A's work; accepting it and saving writes it to A.
    let mut app = open(&second, None);
    press(&mut app, "ctrl-o 1");
    assert!(offered(&app), "{:?}", app.overlay());
    press(&mut app, "y");
    assert_eq!(app.session().design(), &edited_a);
    press(&mut app, "ctrl-s");
    assert!(
        app.overlay().is_none(),
        "saving to its own source asks nothing"
    );
    let saved_a = files.load(Path::new("saves/A.ron")).unwrap().design;
    assert_eq!(saved_a, edited_a);
    assert!(files.state().recovery.is_empty());
}

#[test]
fn saving_recovered_work_over_another_file_asks_first() {
    let files = two_files();
    crash_while_editing_a(&files);
    let mut app = open(&files.as_instance(instance(2)), Some("saves/A.ron"));
    press(&mut app, "y");
    // Save as B, which exists and is not where the work came from.
    press(&mut app, "ctrl-w");
    assert!(matches!(app.overlay(), Some(Overlay::Form(..))));
    press(&mut app, "\"B.ron\" enter");
    assert!(
        matches!(app.overlay(), Some(Overlay::Confirm(c)) if c.message.contains("recovered from")),
        "{:?}",
        app.overlay()
    );
    press(&mut app, "n");
    assert!(files.state().files[Path::new("saves/B.ron")].contains("name: \"B\""));
}

#[test]
fn a_second_instance_that_declines_and_quits_leaves_the_first_instances_file() {
    let files = two_files();
    let mut first = open(&files, Some("saves/A.ron"));
    press(&mut first, EDIT);
    first.write_recovery_now().unwrap();
    // The first instance is still running.
    files.state().running.insert(instance(1));
    let mut second = open(&files.as_instance(instance(2)), Some("saves/A.ron"));
    assert!(
        !offered(&second),
        "a running instance's work is not offered"
    );
    press(&mut second, "n q");
    assert!(second.should_quit());
    assert_eq!(
        files.state().recovery.len(),
        1,
        "the first instance's copy stays"
    );
    // Once the first instance has ended, its work is offered, and declining removes it.
    files.state().running.clear();
    let mut third = open(&files.as_instance(instance(3)), Some("saves/A.ron"));
    assert!(offered(&third));
    press(&mut third, "n");
    assert!(files.state().recovery.is_empty());
}

#[test]
fn an_edit_just_before_a_signal_is_written_at_once() {
    let files = two_files();
    let mut app = open(&files, Some("saves/A.ron"));
    press(&mut app, EDIT);
    // No tick: the autosave's pause has not passed. The signal path writes anyway.
    assert_eq!(files.state().recovery_writes, 0);
    let path = app.write_recovery_now().unwrap().unwrap();
    assert_eq!(app.recovery_file(), Some(path.as_path()));
    let kept = files.recovered();
    assert_eq!(kept.len(), 1);
    assert_eq!(&kept[0].design, app.session().design());
    // Nothing new to write: the same file, not a second write.
    app.write_recovery_now().unwrap();
    assert_eq!(files.state().recovery_writes, 1);
}

#[test]
fn several_untitled_copies_are_listed_at_a_start_without_a_file() {
    let files = two_files();
    for pid in [7, 8] {
        let mut design = Design::example_pair();
        design.name = format!("untitled {pid}");
        files
            .as_instance(instance(pid))
            .write_recovery(None, &design)
            .unwrap();
    }
    let app = open(&files, Some("saves/A.ron"));
    assert!(
        app.overlay().is_none(),
        "untitled work is not offered for A"
    );
    let mut app = open(&files, None);
    let Some(Overlay::Choose(choose)) = app.overlay() else {
        panic!("{:?}", app.overlay());
    };
    assert_eq!(choose.options.len(), 3);
    assert!(choose.options[2].0.starts_with("Discard all"));
    press(&mut app, "esc");
    assert_eq!(files.state().recovery.len(), 2, "Esc decides later");
    let mut app = open(&files, None);
    press(&mut app, "3");
    assert!(files.state().recovery.is_empty());
    assert_eq!(app.session().design().name, "untitled");
}
