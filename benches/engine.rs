//! Criterion benchmarks of the reachability engine on the designs `vnetlab bench` is measured
//! on: the start-up design, a workshop-sized generated design (9 VNets, 85 endpoints), and the
//! 2,000-endpoint design of `vnetlab gen hub-spoke --hubs 2 --spokes 200 --subnets 2 --vms 5`.
//! Cold analysis, re-evaluation after one edit (through `Session::apply`), the fast engine
//! against the reference engine on a mid-size design, and what a shell reads per cursor move on
//! the large design: a pair's trace from the session's compiled design against compiling again,
//! and the grouped matrix folded per class against folding every pair.
//!
//! Ten flat samples per benchmark keep `cargo bench` within a few minutes on two cores.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use vnetlab::edit::{Edit, Object};
use vnetlab::engine::{EngineKind, Verdict, analyze};
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

/// Each endpoint's VNet (or its own name outside Azure), as a group number.
fn vnet_groups(session: &Session) -> Vec<usize> {
    let mut names: Vec<String> = Vec::new();
    let endpoints = session.analysis().endpoints();
    endpoints
        .iter()
        .map(|e| {
            let key = e.vnet.clone().unwrap_or_else(|| e.name.clone());
            names.iter().position(|n| *n == key).unwrap_or_else(|| {
                names.push(key);
                names.len() - 1
            })
        })
        .collect()
}

fn reads(c: &mut Criterion) {
    let mut session = Session::new(generated(2, 200, 2, 5));
    if let Some(edit) = toggle_first_peering(session.design()) {
        session.apply(edit).unwrap();
    }
    let n = session.analysis().endpoints().len();
    let (from, to) = (0, n - 1);
    let names = (
        session.analysis().endpoints()[from].name.clone(),
        session.analysis().endpoints()[to].name.clone(),
    );
    let groups = vnet_groups(&session);
    let count = groups.iter().max().map_or(0, |g| g + 1);
    let mut group = c.benchmark_group("reads-2010");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(3));
    group.bench_function("trace-from-session", |b| {
        b.iter(|| session.trace(black_box(from), black_box(to)));
    });
    group.bench_function("trace-compiling-again", |b| {
        b.iter(|| vnetlab::engine::trace(session.design(), &names.0, &names.1, session.flow()));
    });
    group.bench_function("fold-by-class", |b| {
        b.iter(|| {
            session
                .analysis()
                .fold(black_box(&groups), Some(session.delta()))
        });
    });
    group.bench_function("fold-every-pair", |b| {
        b.iter(|| {
            let analysis = session.analysis();
            let mut cells = vec![(0usize, 0usize, false); count * count];
            for a in 0..n {
                for b in 0..n {
                    if a == b {
                        continue;
                    }
                    let cell = &mut cells[groups[a] * count + groups[b]];
                    match analysis.verdict(a, b) {
                        Verdict::Reachable => cell.0 += 1,
                        Verdict::Blocked => cell.1 += 1,
                    }
                    cell.2 |= session.delta().flipped(a, b).is_some();
                }
            }
            black_box(cells)
        });
    });
    group.finish();
}

criterion_group!(benches, cold, after_one_edit, fast_against_reference, reads);
criterion_main!(benches);
