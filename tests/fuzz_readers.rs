//! Fuzzing that stays (issue 15, item 7): structure-aware fuzz targets for the readers, over
//! mutations of real files and of files made from generated designs (`fuzz::mutate`: deleted,
//! duplicated and swapped tokens, dictionary words, huge values, deep nesting, cut files, bytes
//! that are not UTF-8). The seeds are in `fuzz_targets::seeds`, the promises each input must
//! keep in `fuzz_targets`:
//!
//! - **design reader**: design files through `parse_design_bytes`;
//! - **Azure JSON importer**: exports through `source::decode` and `import_texts`;
//! - **ARM template importer**: templates through the same door (told apart by content);
//! - **Terraform JSON importer**: plans through the same door (told apart by content);
//! - **lesson reader**: lessons through `text::decode` and `parse_lesson`.
//!
//! Each input is timed; one that takes longer than `fuzz::time_limit()` (2 s in an optimised
//! build, 20 s in a debug one) fails with its time in the message.
//!
//! `cargo test` runs each target on a fixed seed and a small count (a few seconds). The long
//! run, for as long as you like (README, "Fuzzing"):
//! `VNETLAB_FUZZ_SECONDS=1800 cargo test --release --test fuzz_readers -- --ignored --nocapture`
//! (`VNETLAB_FUZZ_SEED` repeats a run). A failure prints the seed file and the mutation list,
//! which `fuzz::mutate::apply` turns back into the input: add it to `regressions` below, fix
//! the core, and keep it.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod fuzz;
mod fuzz_targets;
mod strategies;
mod terraform_common;

use fuzz::json::JsonEdit;
use fuzz::mutate::{Mutated, Mutation, Piece, apply, mutated};
use fuzz::{Outcome, Stats};
use fuzz_targets::seeds::{self, DESIGNS, EXPORTS, PLANS, TEMPLATES};
use fuzz_targets::{azure_importer, design_reader, lesson_reader};
use std::time::{Duration, Instant};

fn report(name: &str, stats: &Stats) {
    eprintln!("fuzz {name}: {stats}");
    assert!(stats.tried > 0);
}

#[test]
fn the_design_reader_survives_mutated_files() {
    let stats = fuzz::run_seeded(
        "design reader",
        mutated(seeds::designs()),
        1,
        40,
        design_reader,
    );
    report("design reader", &stats);
    assert!(stats.accepted > 0 && stats.refused > 0, "{stats}");
}

#[test]
fn the_azure_importer_survives_mutated_exports() {
    let stats = fuzz::run_seeded(
        "Azure importer",
        mutated(seeds::exports()),
        2,
        32,
        azure_importer,
    );
    report("Azure importer", &stats);
    assert!(stats.accepted > 0 && stats.refused > 0, "{stats}");
}

#[test]
fn the_template_importer_survives_mutated_templates() {
    let stats = fuzz::run_seeded(
        "template importer",
        mutated(seeds::templates()),
        4,
        24,
        azure_importer,
    );
    report("template importer", &stats);
    assert!(stats.accepted > 0 && stats.refused > 0, "{stats}");
}

#[test]
fn the_terraform_importer_survives_mutated_plans() {
    let stats = fuzz::run_seeded(
        "Terraform importer",
        mutated(seeds::plans()),
        5,
        24,
        azure_importer,
    );
    report("Terraform importer", &stats);
    assert!(stats.accepted > 0 && stats.refused > 0, "{stats}");
}

#[test]
fn the_lesson_reader_survives_mutated_lessons() {
    let stats = fuzz::run_seeded(
        "lesson reader",
        mutated(seeds::lessons()),
        3,
        24,
        lesson_reader,
    );
    report("lesson reader", &stats);
    assert!(stats.accepted > 0 && stats.refused > 0, "{stats}");
}

#[test]
fn the_tokenizer_keeps_every_byte() {
    for (_, text) in DESIGNS.iter().chain(EXPORTS).chain(TEMPLATES).chain(PLANS) {
        assert!(fuzz::mutate::tokens_keep_every_byte(text));
        assert_eq!(apply(text, &[]), text.as_bytes());
    }
}

/// Inputs the fuzzer found, or that it must never lose: each is one seed and its mutations.
#[test]
fn regressions() {
    let design = |seed: &str, mutations: &[Mutation]| {
        let text = DESIGNS.iter().find(|(name, _)| *name == seed).unwrap().1;
        let input = Mutated {
            seed: seed.to_string(),
            mutations: mutations.to_vec(),
            bytes: apply(text, mutations),
        };
        design_reader(&input).unwrap_or_else(|broken| panic!("{input:?}: {broken}"))
    };
    // The index of the first token that is `needle`.
    let token = |seed: &str, needle: &str| -> u32 {
        let text = DESIGNS.iter().find(|(name, _)| *name == seed).unwrap().1;
        let tokens = fuzz::mutate::tokens(text);
        u32::try_from(tokens.iter().position(|t| t == needle.as_bytes()).unwrap()).unwrap()
    };
    // A 65,536-character VM name (the width that made `format!` padding panic).
    let huge = Piece::Huge {
        unit: "a",
        count: 65_536,
        quoted: true,
    };
    let vm = token("saves/01", "\"vm-a\"");
    assert_eq!(
        design("saves/01", &[Mutation::Replace(vm, huge)]),
        Outcome::Refused
    );
    // Nesting far deeper than the reader's recursion limit.
    let nest = Piece::Nest {
        open: "Vnet(",
        close: ")",
        depth: 100_000,
        balanced: true,
    };
    let vnets = token("saves/02", "vnets");
    assert_eq!(
        design("saves/02", &[Mutation::Insert(vnets, nest)]),
        Outcome::Refused
    );
    // Bytes that are not UTF-8 before a name.
    let name = token("saves/03", "name");
    assert_eq!(
        design("saves/03", &[Mutation::NotUtf8(name, 0)]),
        Outcome::Refused
    );
}

/// The importer's input made from a seed (an export, template or plan) and its mutations.
fn import(seed: &str, mutations: &[Mutation]) -> Outcome {
    let all = EXPORTS
        .iter()
        .chain(TEMPLATES)
        .chain(PLANS)
        .chain(seeds::LARGE_PLANS);
    let text = all.clone().find(|(name, _)| *name == seed).unwrap().1;
    let input = Mutated {
        seed: seed.to_string(),
        mutations: mutations.to_vec(),
        bytes: apply(text, mutations),
    };
    azure_importer(&input).unwrap_or_else(|broken| panic!("{input:?}: {broken}"))
}

/// Importer inputs the fuzzer found (each broke a promise before it was fixed in the core).
#[test]
fn importer_regressions() {
    // Cut short after a newline: serde_json said column 0; now the end of the last line.
    assert_eq!(
        import("rest/peering", &[Mutation::Truncate(1_512_033_508)]),
        Outcome::Refused
    );
    // A string left open across a line break: the newline, at the end of its line.
    let open_string = [
        Mutation::Delete(0),
        Mutation::Insert(0, Piece::Word("\"")),
        Mutation::Delete(2),
    ];
    assert_eq!(import("dmauser/nsg", &open_string), Outcome::Refused);
    let open_string = [
        Mutation::Delete(511_114_862),
        Mutation::Insert(28_096_652, Piece::Word("\"")),
        Mutation::Delete(131_478_071),
    ];
    assert_eq!(import("lz-vending-mesh", &open_string), Outcome::Refused);
    // A NUL in an ID the summary quotes (found by the long run): shown escaped, not printed.
    let nul = [Mutation::Json(JsonEdit::Set(
        2_161_090_447,
        "\"a\\u0000b\"",
    ))];
    assert_eq!(import("realistic/vnets", &nul), Outcome::Accepted);
    // A template refusal quoting a type of bidi overrides (found by the long run): escaped.
    let bidi = Piece::Huge {
        unit: "\u{202E}",
        count: 60,
        quoted: true,
    };
    let type_override = [Mutation::Replace(1_666_783_692, bidi)];
    assert_eq!(
        import("az700-m01/template", &type_override),
        Outcome::Refused
    );
}

/// The long run: every target in turn, in slices, until `VNETLAB_FUZZ_SECONDS` (default 60)
/// have passed. Prints inputs tried, accepted and refused, and the slowest input, per target.
#[test]
#[ignore = "the long fuzz run: VNETLAB_FUZZ_SECONDS=1800 cargo test --release --test fuzz_readers -- --ignored --nocapture"]
fn fuzz_for_as_long_as_asked() {
    let seconds: u64 = std::env::var("VNETLAB_FUZZ_SECONDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(60);
    let seed = fuzz::long_run_seed();
    eprintln!("fuzzing for {seconds} s from seed {seed} (VNETLAB_FUZZ_SEED={seed} repeats it)");
    let slice = Duration::from_secs(20).min(Duration::from_secs(seconds.max(5) / 5));
    let started = Instant::now();
    let designs = mutated(seeds::designs());
    let exports = mutated(seeds::exports());
    let templates = mutated(seeds::templates());
    let plans = mutated(seeds::plans());
    let lessons = mutated(seeds::lessons());
    let mut stats = vec![Stats::default(); 5];
    let mut round = 0u64;
    while started.elapsed() < Duration::from_secs(seconds) {
        let next = seed.wrapping_add(round * 1_000_003);
        stats[0].add(&fuzz::run_for(
            "design reader",
            &designs,
            next,
            slice,
            64,
            &design_reader,
        ));
        stats[1].add(&fuzz::run_for(
            "Azure importer",
            &exports,
            next,
            slice,
            64,
            &azure_importer,
        ));
        stats[2].add(&fuzz::run_for(
            "template importer",
            &templates,
            next,
            slice,
            32,
            &azure_importer,
        ));
        stats[3].add(&fuzz::run_for(
            "Terraform importer",
            &plans,
            next,
            slice,
            16,
            &azure_importer,
        ));
        stats[4].add(&fuzz::run_for(
            "lesson reader",
            &lessons,
            next,
            slice,
            64,
            &lesson_reader,
        ));
        round += 1;
    }
    let names = [
        "design reader",
        "Azure importer",
        "template importer",
        "Terraform importer",
        "lesson reader",
    ];
    let mut all = Stats::default();
    for (name, stats) in names.iter().zip(&stats) {
        report(name, stats);
        all.add(stats);
    }
    eprintln!(
        "fuzzed {} inputs in {:.0} s, no panic, no broken promise; slowest input {:.1} ms",
        all.tried,
        started.elapsed().as_secs_f64(),
        all.slowest.as_secs_f64() * 1000.0
    );
}
