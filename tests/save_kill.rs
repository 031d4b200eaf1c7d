//! Saves under `kill -9` (issue 15, item 5): a child process saves designs in a loop through
//! `io::files::save_design`, the path the TUI uses, and is killed with SIGKILL after a random
//! delay, many times. After every kill the file and its `.bak` are each whole: they parse as a
//! design equal to one of the designs written. After the next save no temporary file is left.
//!
//! The child is this test binary run again with `VNETLAB_SAVE_KILL_CHILD` set, so it runs only
//! [`child_writer`]. The default run kills 12 times (CI has two cores); `VNETLAB_SAVE_KILLS`
//! asks for more (`VNETLAB_SAVE_KILLS=200 cargo test --release --test save_kill -- --nocapture`),
//! and `VNETLAB_SAVE_KILL_SEED` picks the random delays.
#![cfg(unix)]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use vnetlab::io::files::{backup_path, save_design, temp_prefix};
use vnetlab::io::{load_design, to_ron};
use vnetlab::model::Design;
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};

const CHILD: &str = "VNETLAB_SAVE_KILL_CHILD";

/// The designs the writer alternates between: small, medium and large, so that a kill lands
/// in every phase of a save (writing, flushing, backing up, renaming).
fn designs() -> Vec<Design> {
    let generated = |spokes, vms| {
        hub_spoke(&HubSpokeParams {
            hubs: 1,
            spokes,
            subnets_per_spoke: 2,
            vms_per_subnet: vms,
        })
        .unwrap()
    };
    vec![Design::example_pair(), generated(8, 2), generated(60, 4)]
}

/// Not a test of its own: the writer the real test starts and kills. Without
/// `VNETLAB_SAVE_KILL_CHILD` it returns at once.
#[test]
fn child_writer() {
    let Some(path) = std::env::var_os(CHILD) else {
        return;
    };
    let designs = designs();
    for round in 0usize.. {
        save_design(Path::new(&path), &designs[round % designs.len()]).unwrap();
    }
}

/// A small deterministic generator (xorshift), so a failing run can be repeated by its seed.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The temporary files of saves of `path` present in its folder.
fn strays(path: &Path) -> Vec<PathBuf> {
    let prefix = temp_prefix(path);
    std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .as_encoded_bytes()
                .starts_with(prefix.as_encoded_bytes())
        })
        .collect()
}

#[test]
fn the_file_and_its_backup_are_whole_after_every_kill() {
    let kills = env_number("VNETLAB_SAVE_KILLS", 12);
    let seed = env_number("VNETLAB_SAVE_KILL_SEED", 0x9e37_79b9_7f4a_7c15).max(1);
    let mut random = Random(seed);
    let designs = designs();
    // Written text equals written design: comparing designs compares what was saved.
    for design in &designs {
        assert_eq!(
            &vnetlab::io::parse_design(&to_ron(design).unwrap(), "x").unwrap(),
            design
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.ron");
    save_design(&path, &designs[0]).unwrap();
    // How long one round of the writer takes, to spread the kills over it.
    let started = Instant::now();
    for design in &designs {
        save_design(&path, design).unwrap();
    }
    let round = started.elapsed().as_micros() as u64;
    let me = std::env::current_exe().unwrap();
    let (mut mid_save, mut backups_checked) = (0, 0);
    for kill in 0..kills {
        let mut child = Command::new(&me)
            .args([
                "--exact",
                "child_writer",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env(CHILD, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Start-up, then somewhere in the first few rounds of saves.
        let delay = 5_000 + random.below(3 * round + 20_000);
        std::thread::sleep(Duration::from_micros(delay));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        assert!(!status.success(), "kill {kill}: the writer must not finish");
        let whole = |file: &Path| -> Design {
            let design =
                load_design(file).unwrap_or_else(|e| panic!("kill {kill} (seed {seed}): {e}"));
            assert!(
                designs.contains(&design),
                "kill {kill} (seed {seed}): {} is not a design that was written",
                file.display()
            );
            design
        };
        whole(&path);
        if backup_path(&path).exists() {
            whole(&backup_path(&path));
            backups_checked += 1;
        }
        if !strays(&path).is_empty() {
            mid_save += 1;
        }
    }
    // The next save removes what the killed writers left.
    save_design(&path, &designs[1]).unwrap();
    assert_eq!(strays(&path), Vec::<PathBuf>::new());
    assert_eq!(load_design(&path).unwrap(), designs[1]);
    eprintln!(
        "{kills} kills (seed {seed}): file and .bak whole every time ({backups_checked} backups checked); \
         {mid_save} kills left a temporary file, all removed by the next save"
    );
}
