//! Files and safety, driven by keys over in-memory files: save, save as, the changed-on-disk
//! question, open (saves and bundled examples), new, autosave to the recovery file and the
//! offer to recover, and a broken config file reported on the status bar.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod tui_support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tui_support::{press, screen};
use vnetlab::session::Session;
use vnetlab::tui::{AUTOSAVE_DELAY, App, Config, Files, MemoryFiles, Overlay};

fn app_over(files: &MemoryFiles, path: Option<&str>) -> App {
    let design = match path {
        Some(p) => vnetlab::io::parse_design(&files.state().files[Path::new(p)], p).unwrap(),
        None => vnetlab::io::examples::default_design(),
    };
    let config = Config::load(files);
    App::new(
        Session::new(design),
        config,
        Box::new(files.clone()),
        path.map(PathBuf::from),
    )
}

fn with_file(path: &str) -> MemoryFiles {
    let files = MemoryFiles::default();
    let text = vnetlab::io::to_ron(&vnetlab::model::Design::example_pair()).unwrap();
    files.state().files.insert(PathBuf::from(path), text);
    files
}

#[test]
fn ctrl_s_saves_and_clears_the_unsaved_marker() {
    let files = with_file("saves/pair.ron");
    let mut app = app_over(&files, Some("saves/pair.ron"));
    press(&mut app, "2 a enter enter");
    assert!(app.session().is_dirty());
    assert!(screen(&mut app, 120, 30).contains("pair.ron ●"));
    press(&mut app, "ctrl-s");
    assert!(!app.session().is_dirty(), "{:?}", app.status());
    assert!(!screen(&mut app, 120, 30).contains("●"));
    let saved =
        vnetlab::io::parse_design(&files.state().files[Path::new("saves/pair.ron")], "x").unwrap();
    assert_eq!(&saved, app.session().design());
}

#[test]
fn saving_over_a_file_changed_on_disk_asks_first() {
    let files = with_file("saves/pair.ron");
    let mut app = app_over(&files, Some("saves/pair.ron"));
    press(&mut app, "2 a enter enter");
    // Another program rewrites the file.
    files.state().files.insert(
        PathBuf::from("saves/pair.ron"),
        "// edited elsewhere\n".to_string(),
    );
    press(&mut app, "ctrl-s");
    assert!(
        matches!(app.overlay(), Some(Overlay::Confirm(c)) if c.message.contains("changed on disk"))
    );
    press(&mut app, "n");
    assert_eq!(
        files.state().files[Path::new("saves/pair.ron")],
        "// edited elsewhere\n"
    );
    assert!(app.session().is_dirty());
    press(&mut app, "ctrl-s y");
    assert!(!app.session().is_dirty());
    assert!(files.state().files[Path::new("saves/pair.ron")].contains("a-to-b"));
}

#[test]
fn save_as_puts_a_bare_name_in_the_saves_folder_and_open_lists_it() {
    let files = MemoryFiles::default();
    let mut app = app_over(&files, None);
    // The start-up design has no file: Ctrl-s asks for a name.
    press(&mut app, "ctrl-s \"mine.ron\" enter");
    assert!(
        files
            .state()
            .files
            .contains_key(Path::new("saves/mine.ron")),
        "{:?}",
        app.status()
    );
    assert_eq!(app.file(), Some(Path::new("saves/mine.ron")));
    // New design, then open the save again from the dialog (first entry: the user's save).
    press(&mut app, "ctrl-n");
    assert!(app.session().design().vnets.is_empty());
    press(&mut app, "ctrl-o");
    let text = screen(&mut app, 120, 30);
    assert!(
        text.contains("your save: mine.ron") && text.contains("example: 01-two-vnets-unpeered.ron"),
        "{text}"
    );
    press(&mut app, "enter");
    assert_eq!(app.session().design().vnets.len(), 4);
    // An example (after the one save: entry 4 is the third example) opens without a file.
    press(&mut app, "ctrl-o 4");
    assert_eq!(app.session().design().name, "Hub and spoke through an NVA");
    assert_eq!(app.file(), None);
}

#[test]
fn opening_with_unsaved_edits_asks_first() {
    let files = MemoryFiles::default();
    let mut app = app_over(&files, None);
    press(&mut app, "2 j j r");
    press(&mut app, "ctrl-o 2");
    assert!(matches!(app.overlay(), Some(Overlay::Confirm(_))));
    press(&mut app, "n");
    assert_eq!(app.session().design().vnets.len(), 4);
    press(&mut app, "ctrl-o 2 y");
    assert_eq!(app.session().design().vnets.len(), 3);
}

#[test]
fn autosave_waits_for_a_pause_then_recovery_is_offered_at_the_next_start() {
    let files = MemoryFiles::default();
    let mut app = app_over(&files, None);
    let start = Instant::now();
    app.tick(start);
    assert_eq!(
        files.state().recovery_writes,
        0,
        "nothing to save while clean"
    );
    press(&mut app, "2 j j r");
    app.tick(start);
    app.tick(start + AUTOSAVE_DELAY / 2);
    assert_eq!(files.state().recovery_writes, 0, "debounced");
    app.tick(start + AUTOSAVE_DELAY + Duration::from_millis(1));
    assert_eq!(files.state().recovery_writes, 1);
    app.tick(start + AUTOSAVE_DELAY * 3);
    assert_eq!(files.state().recovery_writes, 1, "only once per change");
    let edited = app.session().design().clone();
    drop(app);
    // The next start (another instance; this one has ended) offers the recovered design.
    let next_files = files.as_instance(next_instance());
    let mut next = app_over(&next_files, None);
    assert!(matches!(next.overlay(), Some(Overlay::Confirm(c)) if c.message.contains("Recover")));
    press(&mut next, "y");
    assert_eq!(next.session().design(), &edited);
    assert!(next.session().is_dirty());
    assert!(
        files.state().recovery.is_empty(),
        "accepted: its file is gone"
    );
}

/// Another run of vnetlab than the default one of `MemoryFiles`.
fn next_instance() -> vnetlab::io::recovery::Instance {
    vnetlab::io::recovery::Instance {
        pid: 2,
        started_ms: 2,
        boot_ticks: None,
    }
}

#[test]
fn declining_recovery_or_quitting_cleanly_removes_the_recovery_file() {
    let files = MemoryFiles::default();
    // Work left by an instance that has ended.
    files
        .clone()
        .as_instance(next_instance())
        .write_recovery(None, &vnetlab::model::Design::example_pair())
        .unwrap();
    let mut app = app_over(&files, None);
    press(&mut app, "n");
    assert!(files.state().recovery.is_empty());
    assert_eq!(app.session().design().vnets.len(), 4);
    // Its own copy goes on a clean quit.
    press(&mut app, "2 j j r");
    app.write_recovery_now().unwrap();
    assert_eq!(files.state().recovery.len(), 1);
    press(&mut app, "q y");
    assert!(app.should_quit());
    assert!(files.state().recovery.is_empty());
}

#[test]
fn a_broken_keymap_is_reported_on_the_status_bar_and_the_defaults_still_work() {
    let files = MemoryFiles::default();
    files
        .state()
        .config
        .insert("keymap.ron".into(), "(global: { \"q\": Fly })".into());
    let mut app = app_over(&files, None);
    let text = screen(&mut app, 160, 48);
    assert!(text.contains("keymap.ron, line 1"), "{text}");
    press(&mut app, "q");
    assert!(app.should_quit());
}

#[test]
fn an_azure_export_opens_as_new_work_and_saves_as_a_design_file() {
    let files = MemoryFiles::default();
    let export = std::fs::read_to_string("tests/fixtures/azure/realistic/vnets.json").unwrap();
    files
        .state()
        .files
        .insert(PathBuf::from("saves/estate.json"), export.clone());
    let mut app = app_over(&files, None);
    press(&mut app, "ctrl-o enter");
    let design = app.session().design();
    assert!(design.vnet("hub").is_some(), "{:?}", app.status());
    assert!(design.validate().is_empty());
    // Imported work is unsaved and has no file: it is never written back over the export.
    assert_eq!(app.file(), None);
    assert!(app.session().is_dirty());
    let status = app.status().map(|s| s.text.clone()).unwrap_or_default();
    assert!(
        status.starts_with("Azure export opened: Ctrl-s saves it as a design file"),
        "{status}"
    );
    assert!(status.contains("imported 3 VNets"), "{status}");
    press(&mut app, "ctrl-s \"estate.ron\" enter");
    assert_eq!(app.file(), Some(Path::new("saves/estate.ron")));
    assert!(!app.session().is_dirty());
    let saved = files.state().files[Path::new("saves/estate.ron")].clone();
    assert_eq!(
        &vnetlab::io::parse_design(&saved, "estate.ron").unwrap(),
        app.session().design()
    );
    assert_eq!(files.state().files[Path::new("saves/estate.json")], export);
}
