//! Criterion benchmarks of what `vnetlab bench` reports, phase by phase and per kind of edit,
//! on the 2,010-endpoint design of `vnetlab gen hub-spoke --hubs 2 --spokes 200 --subnets 2
//! --vms 5` and on the same counts with `--tiered` (about one class per subnet).
//!
//! Phases through their public entry points: validation, compiling ([`Tracer`]), the all-pairs
//! walk, the delta between two analyses, and lint with intents (`lint::report_compiled`). Kinds
//! of edit through `Session::apply`, toggling (each iteration is one edit; two undo each
//! other). Ten flat samples per benchmark keep a run within minutes on two cores; `vnetlab
//! bench` gives the same figures with min and max from one command.
#![allow(clippy::unwrap_used)] // a benchmark that cannot unwrap has failed

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use vnetlab::bench::EditKind;
use vnetlab::engine::{EngineKind, Tracer, delta};
use vnetlab::model::generate::{HubSpokeParams, hub_spoke, hub_spoke_tiered};
use vnetlab::model::{Design, Flow};
use vnetlab::session::Session;

fn designs() -> Vec<(&'static str, Design)> {
    let params = HubSpokeParams {
        hubs: 2,
        spokes: 200,
        subnets_per_spoke: 2,
        vms_per_subnet: 5,
    };
    vec![
        ("hub-spoke-2010", hub_spoke(&params).unwrap()),
        ("tiered-2010", hub_spoke_tiered(&params).unwrap()),
    ]
}

fn configure(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(3));
}

fn phases(c: &mut Criterion) {
    for (name, design) in designs() {
        let mut group = c.benchmark_group(format!("phases-{name}"));
        configure(&mut group);
        let tracer = Tracer::new(&design);
        let before = tracer.analyze(Flow::DEFAULT, EngineKind::Fast);
        let mut edited = design.clone();
        if let Some(edit) = EditKind::HubPeeringFlag.edit(&edited, 0) {
            edit.apply(&mut edited).unwrap();
        }
        let after = Tracer::new(&edited).analyze(Flow::DEFAULT, EngineKind::Fast);
        group.bench_function("validate", |b| b.iter(|| black_box(&design).validate()));
        group.bench_function("compile", |b| b.iter(|| Tracer::new(black_box(&design))));
        group.bench_function("walk", |b| {
            b.iter(|| tracer.analyze(Flow::DEFAULT, EngineKind::Fast));
        });
        group.bench_function("delta", |b| b.iter(|| delta(black_box(&before), &after)));
        group.bench_function("lint-and-intents", |b| {
            b.iter(|| vnetlab::lint::report_compiled(&tracer, black_box(&before)));
        });
        group.finish();
    }
}

fn edit_kinds(c: &mut Criterion) {
    for (name, design) in designs() {
        let mut group = c.benchmark_group(format!("edits-{name}"));
        configure(&mut group);
        for kind in EditKind::ALL {
            let mut session = Session::new(design.clone());
            let mut sample = 0;
            group.bench_function(BenchmarkId::from_parameter(kind.key()), |b| {
                b.iter(|| {
                    if let Some(edit) = kind.edit(session.design(), sample) {
                        session.apply(edit).unwrap();
                    }
                    sample += 1;
                    black_box(session.delta());
                });
            });
        }
        group.finish();
    }
}

criterion_group!(benches, phases, edit_kinds);
criterion_main!(benches);
