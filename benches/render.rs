//! Criterion benchmarks of drawing the TUI into a `TestBackend` at 160×48: the start-up screen,
//! and the 2,000-endpoint design of `vnetlab gen hub-spoke --hubs 2 --spokes 200 --subnets 2
//! --vms 5` (its matrix grouped by VNet). "frame" is a steady redraw; "cursor" moves the matrix
//! cursor to another pair first, so it includes tracing the newly selected pair; "matrix" is the
//! one-off fold of the analysis (per class, not per pair) into group cells after an edit.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::hint::black_box;
use std::time::Duration;
use vnetlab::model::Design;
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};
use vnetlab::session::Session;
use vnetlab::tui::{App, Config, MemoryFiles};

fn app(design: Design) -> App {
    App::new(
        Session::new(design),
        Config::embedded(),
        Box::new(MemoryFiles::default()),
        None,
    )
}

fn large() -> Design {
    let params = HubSpokeParams {
        hubs: 2,
        spokes: 200,
        subnets_per_spoke: 2,
        vms_per_subnet: 5,
    };
    hub_spoke(&params).unwrap_or_else(|e| panic!("benchmark design: {e}"))
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render-160x48");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(3));
    for (name, design) in [
        ("startup", vnetlab::io::examples::default_design()),
        ("hub-spoke-2010", large()),
    ] {
        let mut app = app(design);
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap_or_else(|e| match e {});
        // Focus the Reachability panel and draw once so the live results exist.
        key(&mut app, KeyCode::Char('6'));
        app.draw(&mut terminal).unwrap_or_else(|e| match e {});
        group.bench_function(format!("frame/{name}"), |b| {
            b.iter(|| {
                app.draw(&mut terminal).unwrap_or_else(|e| match e {});
                black_box(terminal.backend().buffer().area);
            });
        });
        let mut down = true;
        group.bench_function(format!("cursor/{name}"), |b| {
            b.iter(|| {
                key(&mut app, if down { KeyCode::Right } else { KeyCode::Left });
                down = !down;
                app.draw(&mut terminal).unwrap_or_else(|e| match e {});
            });
        });
    }
    group.finish();
}

/// Laying the 2,010-endpoint design's analysis out as the grouped matrix and folding a
/// screenful of its cells (class by class): paid on the first frame after each edit.
fn matrix(c: &mut Criterion) {
    use vnetlab::tui::matrix::{Matrix, MatrixKey};
    let session = Session::new(large());
    let mut group = c.benchmark_group("matrix");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));
    group.bench_function("grouped/hub-spoke-2010", |b| {
        b.iter(|| {
            let key = MatrixKey {
                revision: session.revision(),
                flow: session.flow(),
                expanded: Default::default(),
                grouped: true,
            };
            let (analysis, delta) = session.shared_results();
            let matrix = Matrix::build(analysis, delta, key);
            // Cells are folded when drawn: read a screenful of them, as a frame does.
            for row in 0..30 {
                for column in 0..30 {
                    black_box(matrix.cell(row, column));
                }
            }
            black_box(matrix)
        });
    });
    group.finish();
}

criterion_group!(benches, render, matrix);
criterion_main!(benches);
