//! Edit sequences from proptest strategies (`strategies::edits`), applied to the bundled
//! designs and to generated ones that use every part of the model: applying them and undoing
//! them all gives back the original design exactly; redoing them all gives the edited design
//! exactly; a refused edit changes nothing; every applied edit leaves a design that passes
//! `Design::validate()`. A failure shrinks to a short sequence on a small design.
//!
//! The case count is small so that `cargo test` stays quick; a long run is
//! `PROPTEST_CASES=5000 cargo test --release --test edit_props`.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod strategies;

use proptest::collection::vec;
use proptest::prelude::*;
use std::collections::BTreeMap;
use strategies::edits::{EditSpec, VARIANTS, edit_spec};
use strategies::{Generated, bundled, valid_design};
use vnetlab::model::Design;
use vnetlab::session::Session;

/// A bundled design or a generated one.
fn start() -> impl Strategy<Value = Generated> {
    prop_oneof![
        1 => proptest::sample::select(bundled()),
        2 => valid_design(),
    ]
}

fn errors(design: &Design) -> Vec<String> {
    design.validate().iter().map(ToString::to_string).collect()
}

proptest! {
    #![proptest_config(strategies::config(24))]

    #[test]
    fn undo_all_restores_and_redo_all_replays(
        original in start(),
        specs in vec(edit_spec(), 1..16),
    ) {
        let original: Design = original.0;
        let mut session = Session::new(original.clone());
        let mut applied = 0;
        for (step, spec) in specs.iter().enumerate() {
            let Some(edit) = spec.resolve(session.design(), step) else {
                continue;
            };
            let before = session.design().clone();
            match session.apply(edit.clone()) {
                Ok(()) => {
                    applied += 1;
                    let errors = errors(session.design());
                    prop_assert!(errors.is_empty(), "{edit:?} left an invalid design: {errors:?}");
                }
                // A refused edit leaves the design exactly as it was.
                Err(_) => prop_assert_eq!(&before, session.design(), "refused {:?}", edit),
            }
        }
        let edited = session.design().clone();
        for _ in 0..applied {
            prop_assert!(session.undo().unwrap().is_some());
        }
        prop_assert_eq!(session.undo().unwrap(), None);
        prop_assert_eq!(session.design(), &original);
        prop_assert!(!session.is_dirty());
        for _ in 0..applied {
            prop_assert!(session.redo().unwrap().is_some());
        }
        prop_assert_eq!(session.design(), &edited);
    }
}

/// Guards the property above against vacuity: over a fixed sample of sequences, more than half
/// of the generated edits apply, and every kind of edit applies at least once (and is refused
/// at least once where refusal is possible, so the rollback path runs too).
#[test]
fn generated_edits_mostly_apply_and_every_kind_applies() {
    let cases = strategies::sample(&(start(), vec(edit_spec(), 1..16)), 96);
    let mut applied: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut total, mut refused) = (0, 0);
    for (original, specs) in cases {
        let mut design = original.0;
        for (step, spec) in specs.iter().enumerate() {
            total += 1;
            let Some(edit) = spec.resolve(&design, step) else {
                continue;
            };
            match edit.apply(&mut design) {
                Ok(_) => *applied.entry(spec.variant()).or_default() += 1,
                Err(_) => refused += 1,
            }
        }
    }
    let count: usize = applied.values().sum();
    assert!(
        count * 2 > total,
        "only {count} of {total} edits applied ({refused} refused): {applied:?}"
    );
    assert!(refused > 0, "no edit was refused");
    let never: Vec<&str> = VARIANTS
        .iter()
        .copied()
        .filter(|v| !applied.contains_key(v))
        .collect();
    assert!(never.is_empty(), "never applied: {never:?}; {applied:?}");
}

/// The variant list of the vacuity guard names every variant the strategy makes.
#[test]
fn every_edit_variant_is_listed() {
    let made: std::collections::BTreeSet<&str> = strategies::sample(&edit_spec(), 600)
        .iter()
        .map(EditSpec::variant)
        .collect();
    assert_eq!(made, VARIANTS.into_iter().collect());
}
