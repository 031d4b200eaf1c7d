//! Every design shipped with vnetlab (saves/ and the start-up design) is checked with its
//! expected findings, so a change in a rule, an example or the engine shows up here.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod lint_common;

use lint_common::list;
use vnetlab::io::{examples, parse_design};
use vnetlab::lint::report;

/// (file, the findings as `CODE subject`, sorted) for every shipped design.
const EXPECTED: &[(&str, &[&str])] = &[
    (
        "hub-spoke.ron",
        &[
            "INTENT_FAILED app3-to-hq",
            "PEERING_INITIATED hub-to-spoke3",
            "ROUTE_NEXT_HOP_UNREACHABLE rt-spoke3",
            "ROUTE_NEXT_HOP_UNREACHABLE rt-spoke3",
        ],
    ),
    ("01-two-vnets-unpeered.ron", &[]),
    ("02-non-transitive.ron", &[]),
    ("03-hub-spoke-nva.ron", &[]),
    ("04-gateway-transit.ron", &[]),
    ("05-nsg-blocks-peered.ron", &[]),
    ("06-one-sided-peering.ron", &["PEERING_INITIATED a-to-b"]),
    ("07-address-space-sync.ron", &["PEERING_NOT_SYNCED a-to-b"]),
];

fn findings(name: &str, text: &str) -> (Vec<String>, Vec<String>) {
    let design = parse_design(text, name).unwrap_or_else(|e| panic!("{e}"));
    let found = report(&design);
    let mut codes: Vec<String> = found
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.subject.name))
        .collect();
    codes.sort();
    let failing = found
        .intents
        .iter()
        .filter(|i| !i.pass)
        .map(|i| i.name.clone())
        .collect();
    (codes, failing)
}

#[test]
fn every_file_in_saves_is_checked_with_its_expected_findings() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("saves");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let expected = EXPECTED
            .iter()
            .find(|(file, _)| *file == name)
            .unwrap_or_else(|| {
                panic!("saves/{name} has no expected findings in tests/lint_saves.rs; add them")
            })
            .1;
        let (codes, failing) = findings(&name, &std::fs::read_to_string(&path).unwrap());
        assert_eq!(codes, expected, "saves/{name}");
        // Shipped examples teach with intents that hold; only the start-up design has a mistake.
        assert!(
            failing.is_empty(),
            "saves/{name}: failing intents {failing:?}"
        );
        seen += 1;
    }
    assert_eq!(seen, EXPECTED.len() - 1, "every example is in saves/");
}

#[test]
fn the_startup_designs_deliberate_mistake_is_reported_and_its_fix_repairs_it() {
    let (name, text) = examples::DEFAULT_DESIGN;
    let (codes, failing) = findings(name, text);
    assert_eq!(codes, EXPECTED[0].1);
    assert_eq!(failing, ["app3-to-hq"]);

    let mut design = parse_design(text, name).unwrap();
    let found = report(&design);
    let one_sided = found
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "PEERING_INITIATED")
        .unwrap();
    assert_eq!(one_sided.severity, vnetlab::lint::Severity::Warning);
    assert!(one_sided.message.contains("`hub-to-spoke3` is Initiated"));
    let intent = found
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "INTENT_FAILED")
        .unwrap();
    assert!(
        intent
            .message
            .contains("vm-app3 → hq-web reachable on tcp/443"),
        "{}",
        intent.message
    );
    // Adding the missing link (with use remote gateways, as the hub offers transit) fixes all.
    one_sided
        .fix
        .clone()
        .unwrap()
        .edit
        .unwrap()
        .apply(&mut design)
        .unwrap();
    let after = report(&design);
    assert!(after.diagnostics.is_empty(), "{}", list(&after.diagnostics));
    assert!(after.intents.iter().all(|i| i.pass));
}

#[test]
fn the_embedded_examples_match_the_files() {
    for (name, text) in examples::EXAMPLES {
        let expected = EXPECTED.iter().find(|(file, _)| file == name).unwrap().1;
        assert_eq!(findings(name, text).0, expected, "{name}");
    }
}

#[test]
fn every_code_has_a_test_that_names_it() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut sources = String::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("lint_") && name.ends_with(".rs") && name != "lint_saves.rs" {
            sources.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
    let untested: Vec<&str> = vnetlab::lint::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|code| !sources.contains(&format!("\"{code}\"")))
        .collect();
    assert!(
        untested.is_empty(),
        "codes no lint test names: {untested:?}"
    );
}
