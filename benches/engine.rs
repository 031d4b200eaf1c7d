//! Criterion benchmarks of the reachability engine on the designs `vnetlab bench` is measured
//! on: the start-up design, a workshop-sized generated design (9 VNets, 85 endpoints), and the
//! 2,000-endpoint design of `vnetlab gen hub-spoke --hubs 2 --spokes 200 --subnets 2 --vms 5`.
//! Cold analysis, re-evaluation after one edit (through `Session::apply`, as the TUI does it),
//! and the fast engine against the reference engine on a mid-size design.
//!
//! Ten flat samples per benchmark keep `cargo bench` within a few minutes on two cores.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use vnetlab::edit::{Edit, Object};
use vnetlab::engine::{EngineKind, analyze};
use vnetlab::model::Design;
use vnetlab::model::Flow;
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};
use vnetlab::session::Session;

fn generated(hubs: usize, spokes: usize, subnets: usize, vms: usize) -> Design {
    let params = HubSpokeParams {
        hubs,
        spokes,
        subnets_per_spoke: subnets,
        vms_per_subnet: vms,
    };
    hub_spoke(&params).unwrap_or_else(|e| panic!("benchmark design: {e}"))
}

/// The designs of the cold and edit benchmarks, by name.
fn designs() -> Vec<(&'static str, Design)> {
    vec![
        ("startup", vnetlab::io::examples::default_design()),
        ("workshop-85", generated(1, 8, 2, 5)),
        ("hub-spoke-2010", generated(2, 200, 2, 5)),
    ]
}

fn cold(c: &mut Criterion) {
    let mut group = c.benchmark_group("cold");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(3));
    for (name, design) in designs() {
        group.bench_with_input(BenchmarkId::from_parameter(name), &design, |b, d| {
            b.iter(|| analyze(black_box(d), Flow::DEFAULT, EngineKind::Fast));
        });
    }
    group.finish();
}

/// Flips `allowForwardedTraffic` on the design's first peering: always valid, and it changes
/// the verdict of every pair that goes through the hub NVA.
fn toggle_first_peering(design: &Design) -> Option<Edit> {
    let mut peering = design.peerings.first()?.clone();
    peering.allow_forwarded_traffic = !peering.allow_forwarded_traffic;
    Some(Edit::Replace(Object::Peering(peering)))
}

fn after_one_edit(c: &mut Criterion) {
    let mut group = c.benchmark_group("edit");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(3));
    for (name, design) in designs() {
        let mut session = Session::new(design);
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                if let Some(edit) = toggle_first_peering(session.design()) {
                    session
                        .apply(edit)
                        .unwrap_or_else(|e| panic!("benchmark edit: {e}"));
                }
                black_box(session.delta());
            });
        });
    }
    group.finish();
}

fn fast_against_reference(c: &mut Criterion) {
    let design = generated(2, 30, 2, 5);
    let mut group = c.benchmark_group("engines-310-endpoints");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(5));
    for (name, kind) in [
        ("fast", EngineKind::Fast),
        ("reference", EngineKind::Reference),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| analyze(black_box(&design), Flow::DEFAULT, kind));
        });
    }
    group.finish();
}

criterion_group!(benches, cold, after_one_edit, fast_against_reference);
criterion_main!(benches);
