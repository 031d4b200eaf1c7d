//! Malformed lessons are refused with file, line, column and one sentence, like design files:
//! syntax errors, a wrong version, a bad id, an unknown concept, an unknown diagnostic code, an
//! unknown goal endpoint or VNet, an invalid inline design, an unreadable design file.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::path::Path;
use vnetlab::io::LoadError;
use vnetlab::io::files::FileError;
use vnetlab::io::lessons::{load_dir, load_lesson};
use vnetlab::lesson::{Check, Lock, Resolved, parse_lesson};

fn load_bad(name: &str) -> LoadError {
    let path = format!("tests/fixtures/lessons/malformed/{name}");
    match load_lesson(Path::new(&path)) {
        Ok(_) => panic!("{name} should be refused"),
        Err(FileError::Parse(e)) => {
            assert_eq!(e.file, path);
            e
        }
        Err(other) => panic!("{name}: expected a parse error, got {other}"),
    }
}

/// Asserts the position and that the message contains every fragment.
fn expect(name: &str, line: usize, column: usize, fragments: &[&str]) {
    let e = load_bad(name);
    for fragment in fragments {
        assert!(
            e.message.contains(fragment),
            "{name}: `{}` lacks `{fragment}`",
            e.message
        );
    }
    assert_eq!((e.line, e.column), (line, column), "{name}: {e}");
    assert!(e.to_string().starts_with(&format!(
        "tests/fixtures/lessons/malformed/{name}:{line}:{column}: "
    )));
}

#[test]
fn a_syntax_error_points_at_the_missing_comma() {
    expect("syntax.ron", 5, 5, &["expected a comma"]);
}

#[test]
fn an_unsupported_version_points_at_the_number() {
    expect(
        "version.ron",
        3,
        14,
        &["unsupported lesson-file version 7", "reads version 1"],
    );
}

#[test]
fn an_unknown_diagnostic_code_suggests_the_real_one() {
    expect(
        "unknown-code.ron",
        28,
        37,
        &[
            "goal 2 names diagnostic code `PEERING_INITATED`",
            "did you mean `PEERING_INITIATED`?",
        ],
    );
}

#[test]
fn an_unknown_goal_endpoint_names_the_goal_and_suggests() {
    expect(
        "unknown-endpoint.ron",
        23,
        32,
        &[
            "goal 1 names endpoint `vm-x`",
            "neither in the start design nor in the solution",
            "did you mean `vm-a`?",
        ],
    );
}

#[test]
fn an_invalid_inline_design_points_into_the_lesson() {
    expect(
        "bad-design.ron",
        17,
        49,
        &[
            "in the start design",
            "unknown reference `vnet-b/defualt` in VM `vm-b`",
            "did you mean `default`?",
        ],
    );
}

#[test]
fn an_unreadable_start_file_points_at_its_name() {
    expect(
        "missing-file.ron",
        9,
        17,
        &["cannot read the start design `nowhere.ron`"],
    );
}

#[test]
fn an_unknown_concept_lists_the_concepts() {
    expect(
        "unknown-concept.ron",
        6,
        32,
        &["`Transitivity` is not a valid Concept", "NonTransitive"],
    );
}

#[test]
fn a_bad_id_says_what_an_id_looks_like() {
    expect(
        "bad-id.ron",
        4,
        9,
        &["lesson id `Bad Id`", "lowercase letters, digits and dashes"],
    );
}

fn parse(text: &str) -> Result<vnetlab::lesson::Lesson, LoadError> {
    parse_lesson(text, "t.ron", &|name| {
        Err(format!("no file {name} in this test"))
    })
}

const PAIR: &str = r#"Design(version: 1,
        vnets: [
            Vnet(name: "a", region: "eastus", address_space: ["10.1.0.0/16"], subnets: [Subnet(name: "s", prefix: "10.1.1.0/24")]),
            Vnet(name: "b", region: "eastus", address_space: ["10.2.0.0/16"], subnets: [Subnet(name: "s", prefix: "10.2.1.0/24")]),
        ],
        vms: [Vm(name: "vm-a", nics: [Nic(subnet: "a/s", ip: "10.1.1.4")]), Vm(name: "vm-b", nics: [Nic(subnet: "b/s", ip: "10.2.1.4")])])"#;

fn lesson_with(goals: &str, extra: &str) -> String {
    format!(
        "Lesson(version: 1, id: \"t\", title: \"T\",\n    start: Inline({PAIR}),\n    goals: [{goals}],\n    solution: Edits([]),{extra}\n)"
    )
}

#[test]
fn empty_and_versionless_files_say_how_a_lesson_starts() {
    let e = parse("  \n").unwrap_err();
    assert_eq!((e.line, e.column), (1, 1));
    assert!(e.message.contains("`Lesson(version: 1, …)`"));
    let e = parse("Lesson(id: \"x\")").unwrap_err();
    assert!(e.message.starts_with("missing `version`"), "{e}");
}

#[test]
fn a_missing_field_and_an_unknown_field_are_named() {
    let e = parse("Lesson(version: 1, id: \"x\", title: \"X\", goals: [])").unwrap_err();
    assert!(e.message.contains("missing its `start` field"), "{e}");
    let text = lesson_with("", "\n    colour: \"red\",");
    let e = parse(&text).unwrap_err();
    assert!(e.message.contains("has no field `colour`"), "{e}");
    assert_eq!(e.line, 10, "{e}");
}

#[test]
fn a_goal_naming_an_unknown_vnet_is_refused() {
    let text = lesson_with(
        "Goal(check: Peered(a: \"a\", b: \"c\"), pass: \"p\", fail: \"f\")",
        "",
    );
    let e = parse(&text).unwrap_err();
    assert!(e.message.contains("goal 1 names VNet `c`"), "{e}");
    assert!(e.message.ends_with("; known: a, b"), "{e}");
    assert_eq!((e.line, e.column), (8, 43), "{e}");
}

#[test]
fn an_inline_design_of_another_version_is_refused() {
    let text = lesson_with("", "").replace("Design(version: 1,", "Design(version: 3,");
    let e = parse(&text).unwrap_err();
    assert!(e.message.contains("the start design has version 3"), "{e}");
    assert_eq!((e.line, e.column), (2, 35), "{e}");
}

#[test]
fn goals_may_name_endpoints_that_only_the_solution_creates() {
    // The P2S client of `gw` exists only once the solution gives the gateway a client pool.
    let design = PAIR.replace(
        "subnets: [Subnet(name: \"s\", prefix: \"10.1.1.0/24\")]",
        "subnets: [Subnet(name: \"s\", prefix: \"10.1.1.0/24\"), Subnet(name: \"GatewaySubnet\", prefix: \"10.1.255.0/27\")]",
    );
    let text = format!(
        "Lesson(version: 1, id: \"t\", title: \"T\", start: Inline({design}),\n goals: [Goal(check: Reach(from: \"gw-p2s-client\", to: \"vm-a\", expect: Reachable), pass: \"p\", fail: \"f\")],\n solution: Edits([Add(object: Gateway(Gateway(name: \"gw\", vnet: \"a\", kind: Vpn, sku: VpnGw1, client_pool: [\"172.16.0.0/24\"])))]))"
    );
    let lesson = parse(&text).unwrap();
    assert_eq!(
        lesson.goals[0].title,
        "gw-p2s-client reaches vm-a on tcp/443"
    );
    assert!(matches!(&lesson.goals[0].check, Check::Reach { from, .. } if from == "gw-p2s-client"));
    // Defaults: every lock closed; no constraints; the file is named as the origin.
    assert_eq!(
        (lesson.locks.fix_key, lesson.locks.solution),
        (Lock::Locked, Lock::Locked)
    );
    assert!(lesson.constraints.is_empty());
    assert_eq!(lesson.origin, "t.ron");
}

#[test]
fn a_referenced_design_file_reports_its_own_errors() {
    let text = "Lesson(version: 1, id: \"t\", title: \"T\", start: File(\"start.ron\"), solution: Edits([]))";
    let e = parse_lesson(text, "t.ron", &|_| {
        Ok(Resolved {
            shown: "dir/start.ron".into(),
            text: "Design(version: 1,\n vnets: [Vnet(name: \"a\", region: \"eastus\", address_space: [\"10.0.0.0/33\"])])".into(),
        })
    })
    .unwrap_err();
    assert_eq!((e.file.as_str(), e.line), ("dir/start.ron", 2), "{e}");
    assert!(e.message.contains("invalid CIDR `10.0.0.0/33`"), "{e}");
}

#[test]
fn a_folder_loads_lessons_in_name_order_and_skips_design_files() {
    let loaded = load_dir(Path::new("tests/fixtures/lessons/good")).unwrap();
    let ids: Vec<String> = loaded.into_iter().map(|l| l.unwrap().id).collect();
    assert_eq!(ids, ["trainer-pair", "trainer-one-side"]);
    let lesson = load_lesson(Path::new("tests/fixtures/lessons/good/01-pair.ron")).unwrap();
    assert_eq!(lesson.start.name, "two VNets");
    assert_eq!(lesson.locks.fix_key, Lock::Open);
    assert_eq!(lesson.locks.solution, Lock::Locked);
    let missing = load_dir(Path::new("tests/fixtures/lessons/no-such-folder")).unwrap_err();
    assert!(
        missing
            .to_string()
            .contains("no-such-folder: reading failed"),
        "{missing}"
    );
}
