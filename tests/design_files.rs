//! Design files: every bundled design loads, and load(save(d)) == d.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use vnetlab::io::{examples, parse_design, to_ron};

#[test]
fn every_bundled_design_round_trips() {
    let all = std::iter::once(examples::DEFAULT_DESIGN).chain(examples::EXAMPLES.iter().copied());
    for (name, text) in all {
        let design = parse_design(text, name).unwrap_or_else(|e| panic!("{e}"));
        let written = to_ron(&design).unwrap();
        let again = parse_design(&written, name)
            .unwrap_or_else(|e| panic!("{name} after save: {e}\n{written}"));
        assert_eq!(design, again, "{name}");
        // Writing is deterministic: a second save gives the same text.
        assert_eq!(written, to_ron(&again).unwrap(), "{name}");
    }
}

#[test]
fn every_file_in_saves_is_embedded_and_survives_a_save_to_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mut seen = 0;
    for entry in std::fs::read_dir("saves").unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        assert!(name.ends_with(".ron"), "unexpected file in saves/: {name}");
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            examples::example(&name),
            Some(text.as_str()),
            "{name} is not embedded in io::examples::EXAMPLES"
        );
        let design = vnetlab::io::load_design(&path).unwrap_or_else(|e| panic!("{e}"));
        let copy = dir.path().join(&name);
        vnetlab::io::save_design(&copy, &design).unwrap();
        assert_eq!(vnetlab::io::load_design(&copy).unwrap(), design, "{name}");
        seen += 1;
    }
    assert_eq!(seen, examples::EXAMPLES.len());
    assert!(seen >= 5);
}
