//! `vnetlab bench`: how long evaluation takes on a design and how much memory it needs.
//!
//! Cold evaluation is the full all-pairs analysis of the loaded design (median of up to five runs).
//! Re-evaluation is measured the way the TUI experiences it: random but deterministic edits are
//! applied one after another through [`Session::apply`], whose refresh re-analyses with the fast
//! engine, computes the delta and re-runs the design checks. With `--engine reference` the session still applies each
//! edit, and the time is that of a reference analysis of the edited design plus its delta. Peak
//! memory is the process high-water mark (`VmHWM` on Linux).

mod edits;

use super::args::BenchArgs;
use super::{EXIT_OK, EXIT_USAGE};
use crate::engine::{self, Analysis, EngineKind};
use crate::model::{Design, Flow};
use crate::session::Session;
use edits::{Dice, random_edit};
use serde::Serialize;
use std::io::Write;
use std::time::{Duration, Instant};

/// Cold runs: this many, unless they take longer than [`COLD_BUDGET`] together (the reference
/// engine on a large design), and always at least one.
const COLD_RUNS: usize = 5;
/// Time after which no further cold run starts.
const COLD_BUDGET: Duration = Duration::from_secs(10);
/// The edit sequence is the same for every run on the same file.
const EDIT_SEED: u64 = 0x0076_6574_6e6c_6162;
/// Tries per edit before concluding the design has nothing left that can be edited.
const EDIT_ATTEMPTS: usize = 16;

/// Median, minimum and maximum of a set of timings, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Timing {
    /// The middle value (the mean of the two middle values for an even count).
    pub median: f64,
    /// The fastest.
    pub min: f64,
    /// The slowest.
    pub max: f64,
}

impl Timing {
    /// Summarises timings; `None` when there are none.
    pub fn of(samples: &[f64]) -> Option<Timing> {
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = match n {
            0 => return None,
            _ if n % 2 == 1 => sorted[n / 2],
            _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        };
        Some(Timing {
            median,
            min: sorted[0],
            max: sorted[n - 1],
        })
    }
}

/// What `vnetlab bench --json` prints (keys are stable).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Endpoints of the loaded design.
    pub endpoints: usize,
    /// Ordered pairs of distinct endpoints.
    pub pairs: u64,
    /// Cold all-pairs analysis.
    pub cold_ms: Timing,
    /// Re-evaluation after one edit; `null` fields when no edit was measured.
    pub edit_ms: Option<Timing>,
    /// Peak resident memory of the process; `null` where the platform does not say.
    pub peak_rss_mb: Option<f64>,
}

/// Runs the command; returns the exit code.
pub fn run(args: &BenchArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    // The same input as every headless command: a design file or an Azure JSON export.
    let design = match super::input::load_input_reporting(std::slice::from_ref(&args.file), err) {
        Ok(design) => design,
        Err(e) => {
            let _ = writeln!(err, "vnetlab bench: {e}");
            return EXIT_USAGE;
        }
    };
    let kind = EngineKind::from(args.engine);
    let flow = Flow::DEFAULT;
    let (analysis, cold) = cold_runs(&design, flow, kind);
    let edit_times = edit_runs(design, flow, kind, args.edits);
    let Some(cold_ms) = Timing::of(&cold) else {
        let _ = writeln!(err, "vnetlab bench: no cold run was measured");
        return EXIT_USAGE;
    };
    let report = Report {
        endpoints: analysis.endpoints().len(),
        pairs: analysis.summary().pairs,
        cold_ms,
        edit_ms: Timing::of(&edit_times),
        peak_rss_mb: peak_rss_mb(),
    };
    let written = if args.json {
        serde_json::to_string_pretty(&JsonReport::from(&report))
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(out, "{text}"))
    } else {
        write!(
            out,
            "{}",
            text_report(
                &args.file.display().to_string(),
                kind,
                flow,
                &report,
                cold.len(),
                edit_times.len()
            )
        )
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "vnetlab bench: could not write the report: {e}");
            EXIT_USAGE
        }
    }
}

fn millis_since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// Times the cold analysis; returns the last analysis and every run's time.
fn cold_runs(design: &Design, flow: Flow, kind: EngineKind) -> (Analysis, Vec<f64>) {
    let began = Instant::now();
    let mut times = Vec::with_capacity(COLD_RUNS);
    loop {
        let start = Instant::now();
        let analysis = engine::analyze(design, flow, kind);
        times.push(millis_since(start));
        if times.len() == COLD_RUNS || began.elapsed() > COLD_BUDGET {
            return (analysis, times);
        }
    }
}

/// Applies `count` random edits through a session and times each re-evaluation.
fn edit_runs(design: Design, flow: Flow, kind: EngineKind, count: usize) -> Vec<f64> {
    let mut session = Session::new(design);
    session.set_flow(flow);
    let mut dice = Dice::new(EDIT_SEED);
    let mut reference = match kind {
        EngineKind::Reference if count > 0 => Some(engine::analyze(session.design(), flow, kind)),
        _ => None,
    };
    let mut times = Vec::with_capacity(count);
    for serial in 0..count {
        let applied = (0..EDIT_ATTEMPTS).find_map(|attempt| {
            let edit = random_edit(
                session.design(),
                &mut dice,
                serial * EDIT_ATTEMPTS + attempt,
            )?;
            let start = Instant::now();
            session.apply(edit).ok().map(|()| millis_since(start))
        });
        let Some(session_ms) = applied else { break };
        times.push(match reference.as_mut() {
            None => session_ms,
            Some(before) => {
                let start = Instant::now();
                let after = engine::analyze(session.design(), flow, kind);
                let _flipped = engine::delta(before, &after);
                *before = after;
                millis_since(start)
            }
        });
    }
    times
}

/// Peak resident set size in MB from `/proc/self/status` (`VmHWM`), where Linux provides it.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kilobytes: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024.0)
}

/// The JSON shape: `edit_ms` always has its three keys, `null` when nothing was measured.
#[derive(Serialize)]
struct JsonReport {
    endpoints: usize,
    pairs: u64,
    cold_ms: Timing,
    edit_ms: JsonTiming,
    peak_rss_mb: Option<f64>,
}

#[derive(Serialize)]
struct JsonTiming {
    median: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
}

impl From<&Report> for JsonReport {
    fn from(r: &Report) -> Self {
        JsonReport {
            endpoints: r.endpoints,
            pairs: r.pairs,
            cold_ms: r.cold_ms,
            edit_ms: JsonTiming {
                median: r.edit_ms.map(|t| t.median),
                min: r.edit_ms.map(|t| t.min),
                max: r.edit_ms.map(|t| t.max),
            },
            peak_rss_mb: r.peak_rss_mb,
        }
    }
}

fn text_report(
    file: &str,
    kind: EngineKind,
    flow: Flow,
    r: &Report,
    cold_runs: usize,
    edits: usize,
) -> String {
    let engine = match kind {
        EngineKind::Fast => "fast",
        EngineKind::Reference => "reference",
    };
    let timing = |t: &Timing, what: String| {
        format!(
            "{:>12.3} ms   (median of {what}; min {:.3}, max {:.3})",
            t.median, t.min, t.max
        )
    };
    let plural = |n: usize, one: &str, many: &str| super::text::count(n as u64, one, many);
    let edit = match &r.edit_ms {
        Some(t) => timing(t, plural(edits, "edit", "edits")),
        None => format!("{:>12}      (no edit applied)", "n/a"),
    };
    let memory = match r.peak_rss_mb {
        Some(mb) => format!("{mb:>12.1} MB"),
        None => format!("{:>12}", "unknown"),
    };
    format!(
        "vnetlab bench {file} (engine {engine}, flow {flow})\n\
         \x20 endpoints   {:>12}\n\
         \x20 pairs       {:>12}\n\
         \x20 cold        {}\n\
         \x20 edit        {edit}\n\
         \x20 peak memory {memory}\n",
        r.endpoints,
        r.pairs,
        timing(&r.cold_ms, plural(cold_runs, "run", "runs")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timings_summarise_odd_and_even_counts() {
        assert_eq!(Timing::of(&[]), None);
        let odd = Timing::of(&[3.0, 1.0, 2.0]).expect("three samples");
        assert_eq!((odd.median, odd.min, odd.max), (2.0, 1.0, 3.0));
        assert_eq!(
            Timing::of(&[4.0, 1.0, 2.0, 3.0]).map(|t| t.median),
            Some(2.5)
        );
    }

    #[test]
    fn json_keeps_every_key_even_without_edits() {
        let report = Report {
            endpoints: 3,
            pairs: 6,
            cold_ms: Timing {
                median: 1.0,
                min: 0.5,
                max: 2.0,
            },
            edit_ms: None,
            peak_rss_mb: None,
        };
        let json = serde_json::to_value(JsonReport::from(&report)).expect("serialises");
        let keys: Vec<&str> = json
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(keys.len(), 5);
        for key in ["endpoints", "pairs", "cold_ms", "edit_ms", "peak_rss_mb"] {
            assert!(keys.contains(&key), "{key}");
        }
        assert!(json["edit_ms"]["median"].is_null());
        assert_eq!(json["cold_ms"]["min"], 0.5);
    }

    #[test]
    fn text_report_aligns_its_columns_and_says_unknown() {
        let report = Report {
            endpoints: 2010,
            pairs: 4_038_090,
            cold_ms: Timing {
                median: 12.5,
                min: 12.0,
                max: 13.0,
            },
            edit_ms: Some(Timing {
                median: 1.25,
                min: 1.0,
                max: 2.0,
            }),
            peak_rss_mb: None,
        };
        let text = text_report("big.ron", EngineKind::Fast, Flow::DEFAULT, &report, 5, 20);
        assert!(
            text.starts_with("vnetlab bench big.ron (engine fast, flow tcp/443)\n"),
            "{text}"
        );
        assert!(text.contains("  pairs            4038090\n"), "{text}");
        assert!(
            text.contains(
                "  edit               1.250 ms   (median of 20 edits; min 1.000, max 2.000)"
            ),
            "{text}"
        );
        assert!(text.contains("  peak memory      unknown\n"), "{text}");
    }
}
