//! `vnetlab bench`: what evaluation costs a user on a design, per phase and per kind of edit,
//! and how much memory it needs.
//!
//! The measuring is the core's ([`crate::bench`]): cold starts (validation and the session's
//! first evaluation, median of up to five), each of four kinds of edit (a spoke's peering flag,
//! a route in a spoke's table, a rule of an NSG on one subnet, a hub-to-hub peering flag) and
//! random edits, all through the session's timed entry points, so every figure comes with its
//! phases. This shell adds the TUI figures (`tui`: an edit until the next 160×48 frame shows
//! its result, and cursor moves), reads the file and prints. With `--engine reference`, cold
//! and edit totals are those of the reference analysis (plus its delta); the phases stay the
//! session's, which always runs the fast engine. Peak memory is the process high-water mark
//! (`VmHWM` on Linux), so it includes the TUI figures.

#[cfg(feature = "tui")]
mod tui;

use super::args::BenchArgs;
use super::{EXIT_OK, EXIT_USAGE};
use crate::bench::{EditKind, Options, Report, Timing, TuiSamples, measure, peak_rss_mb};
use crate::engine::EngineKind;
use crate::model::{Design, Flow};
use std::io::Write;

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
    let options = Options {
        flow: Flow::DEFAULT,
        engine: EngineKind::from(args.engine),
        per_kind: args.samples,
        random: args.edits,
    };
    let figures = measure(&design, options);
    let tui = if args.no_tui {
        None
    } else {
        tui_samples(&design, options)
    };
    let report = Report::new(&figures, tui.as_ref(), peak_rss_mb());
    let written = if args.json {
        serde_json::to_string_pretty(&report)
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(out, "{text}"))
    } else {
        let counts = Counts {
            cold: figures.cold.len(),
            edits: EditKind::ALL
                .iter()
                .map(|k| figures.kinds.get(*k).len())
                .sum::<usize>()
                + figures.random.len(),
        };
        let file = args.file.display().to_string();
        write!(out, "{}", text_report(&file, options, &report, counts))
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "vnetlab bench: could not write the report: {e}");
            EXIT_USAGE
        }
    }
}

#[cfg(feature = "tui")]
fn tui_samples(design: &Design, options: Options) -> Option<TuiSamples> {
    tui::measure(design, options.flow, options.per_kind)
}

#[cfg(not(feature = "tui"))]
fn tui_samples(_design: &Design, _options: Options) -> Option<TuiSamples> {
    None
}

/// How many runs and edits the medians are of.
#[derive(Debug, Clone, Copy)]
struct Counts {
    cold: usize,
    edits: usize,
}

fn text_report(file: &str, options: Options, r: &Report, counts: Counts) -> String {
    let engine = match options.engine {
        EngineKind::Fast => "fast",
        EngineKind::Reference => "reference",
    };
    let plural = |n: usize, one: &str, many: &str| super::text::count(n as u64, one, many);
    let timing = |t: &Timing, what: &str| match (t.median, t.min, t.max) {
        (Some(median), Some(min), Some(max)) => {
            format!("{median:>12.3} ms   ({what}min {min:.3}, max {max:.3})")
        }
        _ => format!("{:>12}      (not measured)", "n/a"),
    };
    let memory = match r.peak_rss_mb {
        Some(mb) => format!("{mb:>12.1} MB"),
        None => format!("{:>12}", "unknown"),
    };
    let mut text = format!(
        "vnetlab bench {file} (engine {engine}, flow {})\n\
         \x20 endpoints   {:>12}\n\
         \x20 pairs       {:>12}\n\
         \x20 classes     {:>12}\n\
         \x20 cold        {}\n\
         \x20 edit        {}\n",
        options.flow,
        r.endpoints,
        r.pairs,
        r.classes,
        timing(
            &r.cold_ms,
            &format!("median of {}; ", plural(counts.cold, "run", "runs"))
        ),
        timing(
            &r.edit_ms,
            &format!("median of {}; ", plural(counts.edits, "edit", "edits"))
        ),
    );
    for kind in EditKind::ALL {
        text += &format!(
            "    {:<24}{}\n",
            kind.describe(),
            timing(r.edits.get(kind), "")
        );
    }
    text += &format!(
        "  TUI edit + next frame    {}\n  TUI cursor + next frame  {}\n",
        timing(&r.tui_edit_frame_ms, "160×48; "),
        timing(&r.tui_cursor_ms, "")
    );
    text += "  phases (median ms)        cold  spk-flag spk-route  nsg-rule  hub-flag\n";
    let cold = r.cold_phases_ms.named();
    let kinds = EditKind::ALL.map(|k| r.edit_phases_ms.get(k).named());
    for (row, (name, cold)) in cold.iter().enumerate() {
        text += &format!("    {name:<18}{}", cell(cold));
        for kind in &kinds {
            text += &cell(&kind[row].1);
        }
        text.push('\n');
    }
    text += &format!(
        "    (on a design of {} VNets and VMs or more, lint runs alongside compile, walk, delta)\n",
        crate::session::LINT_ALONGSIDE_OBJECTS
    );
    text += &format!("  peak memory {memory}\n");
    text
}

/// One median in the phase table.
fn cell(t: &Timing) -> String {
    match t.median {
        Some(ms) => format!("{ms:>10.3}"),
        None => format!("{:>10}", "-"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::{EditKinds, PhaseTimings};

    fn report() -> Report {
        let t = |median: f64| Timing {
            median: Some(median),
            min: Some(median / 2.0),
            max: Some(median * 2.0),
        };
        Report {
            endpoints: 2010,
            pairs: 4_038_090,
            classes: 812,
            cold_ms: t(12.5),
            edit_ms: t(1.25),
            edits: EditKinds {
                hub_peering_flag: t(4.0),
                ..EditKinds::default()
            },
            tui_edit_frame_ms: t(8.0),
            tui_edits: EditKinds::default(),
            tui_cursor_ms: Timing::default(),
            phases_ms: PhaseTimings::default(),
            cold_phases_ms: PhaseTimings {
                walk: t(9.0),
                ..PhaseTimings::default()
            },
            edit_phases_ms: EditKinds::default(),
            peak_rss_mb: None,
        }
    }

    #[test]
    fn json_has_every_key_with_three_fields_per_timing() {
        let json = serde_json::to_value(report()).expect("serialises");
        for key in ["cold_ms", "edit_ms", "tui_edit_frame_ms", "tui_cursor_ms"] {
            for field in ["median", "min", "max"] {
                assert!(json[key].get(field).is_some(), "{key}.{field} in {json}");
            }
        }
        for kind in EditKind::ALL {
            assert!(json["edits"][kind.key()].get("median").is_some(), "{json}");
        }
        for phase in crate::session::Phases::NAMES {
            assert!(json["phases_ms"][phase].get("max").is_some(), "{json}");
        }
        assert!(json["tui_cursor_ms"]["median"].is_null());
        assert_eq!(json["edits"]["hub_peering_flag"]["min"], 2.0);
        assert_eq!(json["classes"], 812);
        assert!(json["peak_rss_mb"].is_null());
    }

    #[test]
    fn text_report_aligns_its_columns_and_says_what_was_not_measured() {
        let options = Options {
            flow: Flow::DEFAULT,
            engine: EngineKind::Fast,
            per_kind: 10,
            random: 20,
        };
        let counts = Counts { cold: 5, edits: 20 };
        let text = text_report("big.ron", options, &report(), counts);
        assert!(
            text.starts_with("vnetlab bench big.ron (engine fast, flow tcp/443)\n"),
            "{text}"
        );
        assert!(text.contains("  pairs            4038090\n"), "{text}");
        assert!(
            text.contains(
                "  edit               1.250 ms   (median of 20 edits; min 0.625, max 2.500)"
            ),
            "{text}"
        );
        assert!(
            text.contains("    hub-to-hub peering flag        4.000 ms   (min 2.000, max 8.000)"),
            "{text}"
        );
        assert!(
            text.contains("    spoke route                      n/a      (not measured)"),
            "{text}"
        );
        assert!(
            text.contains("    walk                   9.000         -"),
            "{text}"
        );
        assert!(text.contains("  peak memory      unknown\n"), "{text}");
    }
}
