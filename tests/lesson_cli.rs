//! `vnetlab lesson`: `check` exits 0 over the bundled lessons, 1 with the reason for each broken
//! lesson, 2 with file:line:column for malformed ones or when there is nothing to check; `list`,
//! `show` and `start` print and write what a trainer needs.
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use assert_cmd::Command;
use predicates::prelude::*;

fn vnetlab() -> Command {
    Command::cargo_bin("vnetlab").unwrap()
}

#[test]
fn lesson_check_passes_over_the_bundled_lessons() {
    let out = vnetlab().args(["lesson", "check"]).assert().code(0);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let last = text.lines().last().unwrap();
    assert!(last.ends_with("sound, 0 broken"), "{last}");
    let lessons: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(lessons >= 10, "{last}");
    assert!(text.lines().filter(|l| l.starts_with("ok ")).count() == lessons);
}

#[test]
fn broken_lessons_exit_1_with_the_reason_for_each() {
    vnetlab()
        .args(["lesson", "check", "tests/fixtures/lessons/broken"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "FAIL solution-fails (tests/fixtures/lessons/broken/solution-fails.ron)",
        ))
        .stdout(predicate::str::contains(
            "the solution fails goal 1 (vm-a reaches vm-b on tcp/443): vm-a → vm-b tcp/443: blocked:",
        ))
        .stdout(predicate::str::contains(
            "FAIL start-passes (tests/fixtures/lessons/broken/start-passes.ron)\n       the start design already passes every goal, so there is nothing to do",
        ))
        .stdout(predicate::str::contains(
            "the constraint \"do not delete peering `a-to-c`\" names an object the start design does not have",
        ))
        .stdout(predicate::str::contains(
            "goal 2 (no PEERING_INITIATED on `a-to-c`) is about `a-to-c`, which is neither in the start design nor in the solution",
        ))
        .stdout(predicate::str::contains(
            "solution edit 1 (remove peering a-to-c) is refused: there is no peering `a-to-c`",
        ))
        .stdout(predicate::str::contains("the lesson has no hints"))
        .stdout(predicate::str::ends_with(
            "4 lessons checked: 0 sound, 4 broken\n",
        ));
}

#[test]
fn a_sound_trainer_folder_exits_0() {
    vnetlab()
        .args(["lesson", "check", "tests/fixtures/lessons/good"])
        .assert()
        .code(0)
        .stdout("ok   trainer-pair (tests/fixtures/lessons/good/01-pair.ron)\nok   trainer-one-side (tests/fixtures/lessons/good/02-one-side.ron)\n2 lessons checked: 2 sound, 0 broken\n");
}

#[test]
fn malformed_lessons_exit_2_with_file_line_column() {
    vnetlab()
        .args(["lesson", "check", "tests/fixtures/lessons/malformed/unknown-code.ron"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "tests/fixtures/lessons/malformed/unknown-code.ron:28:37: goal 2 names diagnostic code `PEERING_INITATED`",
        ));
    let out = vnetlab()
        .args(["lesson", "check", "tests/fixtures/lessons/malformed"])
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    for line in [
        "tests/fixtures/lessons/malformed/syntax.ron:5:5: expected a comma",
        "tests/fixtures/lessons/malformed/version.ron:3:14: unsupported lesson-file version 7",
        "tests/fixtures/lessons/malformed/unknown-endpoint.ron:23:32: goal 1 names endpoint `vm-x`",
        "tests/fixtures/lessons/malformed/bad-design.ron:17:49: in the start design: unknown reference",
    ] {
        assert!(err.contains(line), "{line}\n---\n{err}");
    }
}

#[test]
fn nothing_to_check_exits_2() {
    vnetlab()
        .args(["lesson", "check", "tests/fixtures/lessons/empty"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no lesson files in tests/fixtures/lessons/empty; nothing to check",
        ));
    vnetlab()
        .args(["lesson", "check", "tests/fixtures/lessons/absent"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "tests/fixtures/lessons/absent: reading failed",
        ));
}

#[test]
fn check_json_reports_every_lesson() {
    let out = vnetlab()
        .args(["lesson", "check", "tests/fixtures/lessons/broken", "--json"])
        .assert()
        .code(1);
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["checked"], 4);
    assert_eq!(json["broken"], 4);
    let start = json["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "start-passes")
        .unwrap();
    assert_eq!(
        start["problems"][0],
        "the start design already passes every goal, so there is nothing to do"
    );
}

#[test]
fn list_shows_ids_titles_and_concepts() {
    vnetlab()
        .args(["lesson", "list"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("ID "))
        .stdout(predicate::str::contains("first-peering  "))
        .stdout(predicate::str::contains(
            "not-connected-by-default, regional-peering, peering-per-side",
        ));
    let out = vnetlab()
        .args(["lesson", "list", "--json"])
        .assert()
        .code(0);
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json[0]["id"], "first-peering");
    assert_eq!(json[0]["concepts"][0], "not-connected-by-default");
    vnetlab()
        .args(["lesson", "list", "--dir", "tests/fixtures/lessons/good"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("trainer-one-side"));
}

#[test]
fn show_prints_pages_goals_with_their_start_state_and_hints() {
    vnetlab()
        .args(["lesson", "show", "one-sided-peering"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "one-sided-peering — A peering has two sides",
        ))
        .stdout(predicate::str::contains("Page 1 of 3:"))
        .stdout(predicate::str::contains(
            "Goals (0 of 3 pass on the start design):",
        ))
        .stdout(predicate::str::contains(
            "✗ 1. a-to-b is Connected  [PEERING_INITIATED on a-to-b absent]",
        ))
        .stdout(predicate::str::contains("  - at most 1 edit"))
        .stdout(predicate::str::contains("Hints (revealed one at a time):"))
        .stdout(predicate::str::contains("Solution:").not());
    vnetlab()
        .args(["lesson", "show", "one-sided-peering", "--solution"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Solution:\n  1. add peering b-to-a",
        ));
    vnetlab()
        .args(["lesson", "show", "one-sided-peerin"])
        .assert()
        .code(2)
        .stderr("vnetlab lesson: there is no lesson `one-sided-peerin`; did you mean `one-sided-peering`? (see `vnetlab lesson list`)\n");
}

#[test]
fn start_writes_the_start_design_to_open_in_the_tui() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("l.ron");
    vnetlab()
        .args(["lesson", "start", "hub-spoke-nva", "-o"])
        .arg(&file)
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "wrote the start design of `hub-spoke-nva` to ",
        ));
    let written = vnetlab::io::load_design(&file).unwrap();
    let lesson = vnetlab::lesson::bundled::lesson("hub-spoke-nva").unwrap();
    assert_eq!(written, lesson.start);
    // The file opens like any design: `vnetlab FILE` without a terminal prints its summary.
    vnetlab()
        .arg(&file)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Lesson: hub and spoke with an NVA",
        ));
}
