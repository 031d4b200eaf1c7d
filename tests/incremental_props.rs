//! The session's analysis after each edit re-walks only the class cells the edit touched
//! (`engine::incremental`, issue 10 item 3); it must equal a fresh full analysis of the design
//! as it then is, on every pair's verdict and reason codes. Edit sequences come from the
//! shared strategies (`strategies::edits`: every kind of edit, refusals included), from the
//! benchmark's own edits (`bench::EditKind`: flags on spoke and hub peerings, a spoke route, an
//! NSG rule: the edits that reuse most) and from its random user edits (`bench::random_edit`),
//! mixed with undo and redo, on bundled, generated and hub-and-spoke designs (the edit
//! strategies resolve against valid designs only).
//!
//! The case count is small so that `cargo test` stays quick; a long run is
//! `PROPTEST_CASES=2000 cargo test --release --test incremental_props`.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod strategies;

use proptest::collection::vec;
use proptest::prelude::*;
use strategies::edits::{EditSpec, edit_spec};
use strategies::{Generated, bundled, valid_design};
use vnetlab::bench::{Dice, EditKind, random_edit};
use vnetlab::engine::{Analysis, EngineKind, analyze};
use vnetlab::model::Design;
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};
use vnetlab::session::Session;

/// A small hub-and-spoke estate, the shape the benchmark edits.
fn hub_and_spoke() -> impl Strategy<Value = Generated> {
    (1..=2usize, 1..=5usize, 1..=2usize, 1..=2usize).prop_map(|(hubs, spokes, subnets, vms)| {
        Generated(
            hub_spoke(&HubSpokeParams {
                hubs,
                spokes,
                subnets_per_spoke: subnets,
                vms_per_subnet: vms,
            })
            .unwrap(),
        )
    })
}

/// A hub-and-spoke estate with more than 32 classes, so the footprint ids span several tiles
/// (`engine::grid`) and an edit shares some of them with the analysis before it.
fn larger_hub_and_spoke() -> impl Strategy<Value = Generated> {
    (30..=40usize).prop_map(|spokes| {
        Generated(
            hub_spoke(&HubSpokeParams {
                hubs: 2,
                spokes,
                subnets_per_spoke: 2,
                vms_per_subnet: 1,
            })
            .unwrap(),
        )
    })
}

fn start() -> impl Strategy<Value = Generated> {
    prop_oneof![
        2 => proptest::sample::select(bundled()),
        4 => valid_design(),
        3 => hub_and_spoke(),
        1 => larger_hub_and_spoke(),
    ]
}

/// One step of a sequence.
#[derive(Debug, Clone)]
enum Step {
    Edit(EditSpec),
    Bench(usize, usize),
    Random(u64),
    Undo,
    Redo,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => edit_spec().prop_map(Step::Edit),
        3 => (0..EditKind::ALL.len(), 0..64usize).prop_map(|(k, s)| Step::Bench(k, s)),
        2 => any::<u64>().prop_map(Step::Random),
        1 => Just(Step::Undo),
        1 => Just(Step::Redo),
    ]
}

/// Applies one step; whether the design may have changed.
fn apply(session: &mut Session, step: &Step, at: usize) -> bool {
    let design = session.design();
    let edit = match step {
        Step::Edit(spec) => spec.resolve(design, at),
        Step::Bench(kind, sample) => EditKind::ALL[*kind].edit(design, *sample),
        Step::Random(seed) => random_edit(design, &mut Dice::new(*seed), at),
        Step::Undo => return session.undo().is_ok_and(|undone| undone.is_some()),
        Step::Redo => return session.redo().is_ok_and(|redone| redone.is_some()),
    };
    edit.is_some_and(|edit| session.apply(edit).is_ok())
}

/// Every pair's verdict and reason codes agree, and so do the counts.
fn agree(incremental: &Analysis, fresh: &Analysis) -> Result<(), TestCaseError> {
    let n = fresh.endpoints().len();
    prop_assert_eq!(incremental.endpoints(), fresh.endpoints());
    for a in 0..n {
        for b in 0..n {
            prop_assert_eq!(
                incremental.verdict(a, b),
                fresh.verdict(a, b),
                "verdict {} → {}",
                &fresh.endpoints()[a].name,
                &fresh.endpoints()[b].name
            );
            prop_assert_eq!(
                incremental.reasons(a, b),
                fresh.reasons(a, b),
                "reasons {} → {}",
                &fresh.endpoints()[a].name,
                &fresh.endpoints()[b].name
            );
        }
    }
    prop_assert_eq!(incremental.summary(), fresh.summary());
    prop_assert_eq!(incremental.classes(), fresh.classes());
    Ok(())
}

proptest! {
    #![proptest_config(strategies::config(32))]

    #[test]
    fn the_analysis_after_each_edit_equals_a_fresh_one(
        original in start(),
        steps in vec(step(), 1..12),
    ) {
        let mut session = Session::new(original.0);
        for (at, step) in steps.iter().enumerate() {
            if !apply(&mut session, step, at) {
                continue;
            }
            let design: Design = session.design().clone();
            let fresh = analyze(&design, session.flow(), EngineKind::Fast);
            agree(session.analysis(), &fresh)
                .map_err(|e| TestCaseError::fail(format!("after step {at} ({step:?}): {e}")))?;
        }
    }
}
