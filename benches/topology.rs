//! Criterion benchmarks of the topology view on 2 hubs × 200 spokes (`vnetlab gen hub-spoke
//! --hubs 2 --spokes 200 --subnets 2 --vms 5`): layout; recolour after an edit that leaves the
//! structure alone (`recolour-2x200`: compare the design with the kept [`Structure`], restate the
//! peering edges from the session's statuses, resolve the path, redraw edge states and the path
//! overlay — what the TUI does); the older full way for comparison (`recolour-after-edit`:
//! rebuild the topology, check the layout is still current, redraw) and its parts; and
//! rendering a 160×48 window; with the `tui` feature, also redrawing the TUI's Topology pane
//! full screen at 160×48 into a `TestBackend` (the whole frame: settle, picture window, status
//! and hint lines). Targets (medians, release): layout ≤ 5 ms, recolour ≤ 1 ms, render and
//! redraw ≤ 4 ms.
#![allow(clippy::unwrap_used)] // a benchmark that cannot unwrap has failed

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use vnetlab::model::Flow;
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};
use vnetlab::session::PeeringStatus;
use vnetlab::topology::{Layout, Overlay, PathOverlay, Picture, Structure, Topology, View};

fn design() -> vnetlab::model::Design {
    hub_spoke(&HubSpokeParams {
        hubs: 2,
        spokes: 200,
        subnets_per_spoke: 2,
        vms_per_subnet: 5,
    })
    .unwrap()
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("topology");
    group
        .sample_size(20)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(3));
    let mut design = design();
    let topo = Topology::build(&design);
    let structure = Structure::of(&design);
    for (name, view) in [
        ("layout-2x200-folded", View::default()),
        (
            "layout-2x200-expanded",
            View {
                fold_after: usize::MAX,
                ..View::default()
            },
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| Layout::compute(black_box(&topo), &view));
        });
    }
    let view = View {
        fold_after: usize::MAX,
        ..View::default()
    };
    let layout = Layout::compute(&topo, &view);
    let mut picture = Picture::paint(&layout, &topo, &view);
    let trace = vnetlab::engine::trace(&design, "vm-spoke1-1-1", "vm-spoke2-1-1", Flow::DEFAULT)
        .or_else(|_| {
            let names: Vec<String> = design.vms.iter().map(|v| v.name.clone()).collect();
            vnetlab::engine::trace(&design, &names[3], &names[names.len() - 1], Flow::DEFAULT)
        })
        .unwrap();
    // The edit: flip a spoke peering's forwarded-traffic flag (states change, structure not).
    design.peerings[10].allow_forwarded_traffic = !design.peerings[10].allow_forwarded_traffic;
    // The session's statuses after the edit (the TUI reads them from the evaluation).
    let status = PeeringStatus::of_all(&design);
    let mut kept = topo.clone();
    group.bench_function("recolour-2x200", |b| {
        b.iter(|| {
            assert!(structure.matches(black_box(&design)));
            kept.restate(&design, &status);
            let overlay = Overlay {
                path: Some(PathOverlay::new(&kept, &trace)),
                ..Overlay::default()
            };
            picture.recolour(&layout, &kept, &overlay);
        });
    });
    group.bench_function("recolour-part-matches-2x200", |b| {
        b.iter(|| structure.matches(black_box(&design)));
    });
    group.bench_function("recolour-part-restate-2x200", |b| {
        b.iter(|| kept.restate(black_box(&design), &status));
    });
    group.bench_function("recolour-part-status-2x200", |b| {
        b.iter(|| PeeringStatus::of_all(black_box(&design)));
    });
    group.bench_function("recolour-after-edit-2x200", |b| {
        b.iter(|| {
            let topo = Topology::build(black_box(&design));
            assert!(layout.is_current(&topo, &view));
            let overlay = Overlay {
                path: Some(PathOverlay::new(&topo, &trace)),
                ..Overlay::default()
            };
            picture.recolour(&layout, &topo, &overlay);
        });
    });
    // Its parts, to see where the time goes.
    group.bench_function("recolour-part-build-2x200", |b| {
        b.iter(|| Topology::build(black_box(&design)));
    });
    let edited = Topology::build(&design);
    group.bench_function("recolour-part-is-current-2x200", |b| {
        b.iter(|| layout.is_current(black_box(&edited), &view));
    });
    group.bench_function("recolour-part-path-2x200", |b| {
        b.iter(|| PathOverlay::new(black_box(&edited), &trace));
    });
    let overlay = Overlay {
        path: Some(PathOverlay::new(&edited, &trace)),
        ..Overlay::default()
    };
    group.bench_function("recolour-part-paint-2x200", |b| {
        b.iter(|| picture.recolour(&layout, black_box(&edited), &overlay));
    });
    group.bench_function("render-160x48", |b| {
        b.iter(|| picture.render(black_box(40), 20, 160, 48));
    });
    group.finish();
}

/// The Topology pane of the TUI, full screen at 160×48, redrawn steadily and after a move.
#[cfg(feature = "tui")]
fn pane(c: &mut Criterion) {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use vnetlab::session::Session;
    use vnetlab::tui::{App, Config, MemoryFiles};
    let mut app = App::new(
        Session::new(design()),
        Config::embedded(),
        Box::new(MemoryFiles::default()),
        None,
    );
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap_or_else(|e| match e {});
    let key = |app: &mut App, c: KeyCode| app.handle_key(KeyEvent::new(c, KeyModifiers::NONE));
    app.draw(&mut terminal).unwrap_or_else(|e| match e {});
    key(&mut app, KeyCode::Char('8'));
    key(&mut app, KeyCode::Char('z'));
    app.draw(&mut terminal).unwrap_or_else(|e| match e {});
    let mut group = c.benchmark_group("topology-pane");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(3));
    group.bench_function("redraw-160x48-2x200", |b| {
        b.iter(|| {
            app.draw(&mut terminal).unwrap_or_else(|e| match e {});
            black_box(terminal.backend().buffer().area);
        });
    });
    let mut right = true;
    group.bench_function("move-and-redraw-160x48-2x200", |b| {
        b.iter(|| {
            key(&mut app, if right { KeyCode::Right } else { KeyCode::Left });
            right = !right;
            app.draw(&mut terminal).unwrap_or_else(|e| match e {});
        });
    });
    group.finish();
}

#[cfg(not(feature = "tui"))]
fn pane(_: &mut Criterion) {}

criterion_group!(topology, benches, pane);
criterion_main!(topology);
