//! Recovery files in the core (issue 15, "Recovery loses or misplaces work"): one file per
//! source and instance, offered only for its own source and only once its writer has ended,
//! never removed by another instance. Each scenario of the issue is a test here, in a
//! temporary data folder with instances made up by the test.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::path::Path;
use vnetlab::io::recovery::{self, Instance, RecoveryDir};
use vnetlab::model::Design;

fn instance(pid: u32) -> Instance {
    Instance {
        pid,
        started_ms: 1_000 + u64::from(pid),
        boot_ticks: None,
    }
}

/// A design with a distinct name, standing for some unsaved work.
fn work(name: &str) -> Design {
    let mut design = Design::example_pair();
    design.name = name.to_string();
    design
}

struct Folder {
    _temp: tempfile::TempDir,
    root: std::path::PathBuf,
}

impl Folder {
    fn new() -> Folder {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().to_path_buf();
        std::fs::write(root.join("A.ron"), "x").unwrap();
        std::fs::write(root.join("B.ron"), "x").unwrap();
        Folder { _temp: temp, root }
    }
    fn view(&self, pid: u32) -> RecoveryDir {
        RecoveryDir::new(self.root.join("recovery"), instance(pid))
    }
    fn file(&self, name: &str) -> std::path::PathBuf {
        self.root.join(name)
    }
    fn count(&self) -> usize {
        std::fs::read_dir(self.root.join("recovery"))
            .map_or(0, |d| d.filter_map(Result::ok).count())
    }
}

/// Nobody but the given pids is running.
fn only(pids: &'static [u32]) -> impl Fn(&Instance) -> bool {
    move |i: &Instance| pids.contains(&i.pid)
}

#[test]
fn after_a_crash_on_a_opening_b_offers_nothing_and_opening_a_offers_a() {
    let folder = Folder::new();
    let (a, b) = (folder.file("A.ron"), folder.file("B.ron"));
    folder.view(1).write(Some(&a), &work("edits of A")).unwrap();
    // Instance 1 crashed; instance 2 starts.
    let second = folder.view(2);
    assert!(second.offers(Some(&b), only(&[2])).is_empty());
    assert!(
        second.offers(None, only(&[2])).is_empty(),
        "not an untitled design"
    );
    let offers = second.offers(Some(&a), only(&[2]));
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].design, work("edits of A"));
    assert_eq!(
        offers[0].header.source.as_deref(),
        Some(recovery::canonical(&a).as_path())
    );
    assert_eq!(offers[0].header.instance, instance(1));
    // The same file named another way is the same source.
    let roundabout = folder.root.join(".").join("sub").join("..").join("A.ron");
    std::fs::create_dir_all(folder.root.join("sub")).unwrap();
    assert_eq!(second.offers(Some(&roundabout), only(&[2])).len(), 1);
}

#[test]
fn a_second_instance_that_declines_and_quits_leaves_the_first_instances_file() {
    let folder = Folder::new();
    let a = folder.file("A.ron");
    let first = folder.view(1);
    let written = first.write(Some(&a), &work("first's edits")).unwrap();
    let second = folder.view(2);
    // The first instance still runs: its work is not left behind, so it is not offered.
    assert!(second.offers(Some(&a), only(&[1, 2])).is_empty());
    // The second instance edits A too, then quits cleanly: only its own file goes.
    second.write(Some(&a), &work("second's edits")).unwrap();
    assert_eq!(folder.count(), 2, "one file per source and instance");
    second.remove_own(Some(&a));
    assert_eq!(folder.count(), 1);
    assert!(written.exists(), "the first instance's recovery stays");
    assert_eq!(
        recovery::decode("x", &std::fs::read_to_string(&written).unwrap())
            .unwrap()
            .design,
        work("first's edits")
    );
}

#[test]
fn declining_an_offer_removes_it_unless_it_was_rewritten_meanwhile() {
    let folder = Folder::new();
    let a = folder.file("A.ron");
    folder.view(1).write(Some(&a), &work("old")).unwrap();
    let second = folder.view(2);
    let offer = second.offers(Some(&a), only(&[2])).remove(0);
    // Written again (a writer that was thought ended) before the answer: kept.
    std::thread::sleep(std::time::Duration::from_millis(5));
    folder.view(1).write(Some(&a), &work("newer")).unwrap();
    second.discard(&offer);
    assert_eq!(folder.count(), 1);
    let offer = second.offers(Some(&a), only(&[2])).remove(0);
    assert_eq!(offer.design, work("newer"));
    second.discard(&offer);
    assert_eq!(folder.count(), 0);
}

#[test]
fn a_writer_removes_its_own_file_after_a_save_and_never_anothers() {
    let folder = Folder::new();
    let a = folder.file("A.ron");
    let first = folder.view(1);
    first.write(Some(&a), &work("w")).unwrap();
    folder.view(3).remove_own(Some(&a));
    folder.view(3).remove_own(None);
    assert_eq!(
        folder.count(),
        1,
        "instance 3 has no file and removes nothing"
    );
    first.remove_own(Some(&a));
    assert_eq!(folder.count(), 0);
}

#[test]
fn untitled_work_is_one_file_per_instance_and_offered_only_at_a_start_without_a_file() {
    let folder = Folder::new();
    let a = folder.file("A.ron");
    folder.view(1).write(None, &work("untitled one")).unwrap();
    folder
        .view(1)
        .write(None, &work("untitled one, later"))
        .unwrap();
    folder.view(4).write(None, &work("untitled four")).unwrap();
    assert_eq!(folder.count(), 2);
    let me = folder.view(5);
    assert!(me.offers(Some(&a), only(&[5])).is_empty());
    let names: Vec<String> = me
        .offers(None, only(&[5]))
        .into_iter()
        .map(|r| r.design.name)
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"untitled one, later".to_string()));
    assert!(names.contains(&"untitled four".to_string()));
    // Its own untitled work is never offered back to the instance that wrote it.
    me.write(None, &work("mine")).unwrap();
    assert_eq!(me.offers(None, only(&[5])).len(), 2);
}

#[test]
fn work_written_just_before_a_signal_is_there_for_the_next_start() {
    // The signal path writes the recovery file at once, without the autosave's pause: the
    // last edit before SIGTERM is what the next start is offered.
    let folder = Folder::new();
    let a = folder.file("A.ron");
    let first = folder.view(1);
    first.write(Some(&a), &work("autosaved")).unwrap();
    first
        .write(Some(&a), &work("edited 1 s before SIGTERM"))
        .unwrap();
    let offers = folder.view(2).offers(Some(&a), only(&[2]));
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].design.name, "edited 1 s before SIGTERM");
}

#[test]
fn torn_or_foreign_files_are_never_offered_and_names_are_short_and_safe() {
    let folder = Folder::new();
    let a = folder.file("A.ron");
    let path = folder.view(1).write(Some(&a), &work("w")).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    std::fs::write(folder.root.join("recovery/stray.ron"), "Design(").unwrap();
    assert!(folder.view(2).offers(Some(&a), only(&[2])).is_empty());
    let long = Path::new("/").join("x".repeat(5000)).join("a b\"c.ron");
    let name = recovery::file_name(Some(&long), &instance(7));
    assert!(name.len() < 60 && name.ends_with("-7-1007.ron"), "{name}");
    assert!(
        name.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    );
}

#[test]
fn a_recovery_file_opens_as_a_design_by_hand() {
    let folder = Folder::new();
    let path = folder.view(1).write(None, &work("by hand")).unwrap();
    assert_eq!(vnetlab::io::load_design(&path).unwrap(), work("by hand"));
}

#[test]
fn this_process_is_running_and_an_ended_one_is_not() {
    let me = Instance::current();
    assert!(me.is_running());
    assert_eq!(me, Instance::current(), "one identity for the whole run");
    let ended = Instance {
        started_ms: me.started_ms + 1,
        boot_ticks: me.boot_ticks.map(|t| t + 1),
        ..me
    };
    assert!(!ended.is_running(), "same pid, another start: not this run");
}
