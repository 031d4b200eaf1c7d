//! What `vnetlab bench` measures, without the shells: cold starts, four kinds of edit and random
//! edits through a [`Session`](crate::session::Session)'s timed entry points, each with its
//! phases (see [`Phases`]), summarised as medians with their range in a [`Report`] whose JSON
//! keys are stable.
//!
//! The shells add what needs them: the command line reads the file and prints, and the TUI
//! figures (an edit until the next frame shows its result, a cursor move until the next frame)
//! come from a headless app. `kinds` picks the edits by role in the peering graph, `random` the
//! historical random edits, `measure` runs them. Cost: whatever the measured work costs, plus a
//! clone of the design per cold run.

mod kinds;
mod measure;
mod random;

pub use kinds::{BENCH_ROUTE, EditKind};
pub use measure::{Figures, Options, Sample, measure};
pub use random::{Dice, random_edit};

use crate::session::Phases;
use serde::Serialize;
use std::time::Duration;

/// A duration in milliseconds, as the report prints it.
pub fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median, minimum and maximum of a set of timings, in milliseconds; every field is `null` in
/// JSON when nothing was measured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Timing {
    /// The middle value (the mean of the two middle values for an even count).
    pub median: Option<f64>,
    /// The fastest.
    pub min: Option<f64>,
    /// The slowest.
    pub max: Option<f64>,
}

impl Timing {
    /// Summarises timings (all `None` when there are none).
    pub fn of(samples: &[f64]) -> Timing {
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = match n {
            0 => return Timing::default(),
            _ if n % 2 == 1 => sorted[n / 2],
            _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        };
        Timing {
            median: Some(median),
            min: sorted.first().copied(),
            max: sorted.last().copied(),
        }
    }

    /// The totals of some samples.
    pub fn of_totals<'a>(samples: impl IntoIterator<Item = &'a Sample>) -> Timing {
        let totals: Vec<f64> = samples.into_iter().map(|s| s.total_ms).collect();
        Timing::of(&totals)
    }
}

/// One value per [`EditKind`] (the `edits` object of the report).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EditKinds<T> {
    /// [`EditKind::SpokePeeringFlag`].
    pub spoke_peering_flag: T,
    /// [`EditKind::SpokeRoute`].
    pub spoke_route: T,
    /// [`EditKind::SubnetNsgRule`].
    pub subnet_nsg_rule: T,
    /// [`EditKind::HubPeeringFlag`].
    pub hub_peering_flag: T,
}

impl<T> EditKinds<T> {
    /// The value for `kind`.
    pub fn get(&self, kind: EditKind) -> &T {
        match kind {
            EditKind::SpokePeeringFlag => &self.spoke_peering_flag,
            EditKind::SpokeRoute => &self.spoke_route,
            EditKind::SubnetNsgRule => &self.subnet_nsg_rule,
            EditKind::HubPeeringFlag => &self.hub_peering_flag,
        }
    }

    /// The value for `kind`, to change.
    pub fn get_mut(&mut self, kind: EditKind) -> &mut T {
        match kind {
            EditKind::SpokePeeringFlag => &mut self.spoke_peering_flag,
            EditKind::SpokeRoute => &mut self.spoke_route,
            EditKind::SubnetNsgRule => &mut self.subnet_nsg_rule,
            EditKind::HubPeeringFlag => &mut self.hub_peering_flag,
        }
    }

    /// A value per kind from a function of the kind.
    pub fn from_fn(mut f: impl FnMut(EditKind) -> T) -> Self {
        EditKinds {
            spoke_peering_flag: f(EditKind::SpokePeeringFlag),
            spoke_route: f(EditKind::SpokeRoute),
            subnet_nsg_rule: f(EditKind::SubnetNsgRule),
            hub_peering_flag: f(EditKind::HubPeeringFlag),
        }
    }
}

/// A [`Timing`] per phase of [`Phases`], in the order the phases run.
pub type PhaseTimings = Phases<Timing>;

impl PhaseTimings {
    /// Summarises the phases of some samples.
    pub fn of<'a>(samples: impl IntoIterator<Item = &'a Sample>) -> Self {
        let mut ms: [Vec<f64>; 8] = Default::default();
        for sample in samples {
            for (list, d) in ms.iter_mut().zip(sample.phases.values()) {
                list.push(millis(d));
            }
        }
        Phases::from_values(ms.map(|list| Timing::of(&list)))
    }
}

/// What the TUI figures measured (by a shell that has the TUI), in milliseconds per sample.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TuiSamples {
    /// From applying an edit to the app until the next frame, drawn once the evaluation has
    /// landed, per kind of edit.
    pub edit_frame: EditKinds<Vec<f64>>,
    /// From a cursor key (in the VNets list and in the matrix) until the next frame.
    pub cursor: Vec<f64>,
}

/// What `vnetlab bench --json` prints. The keys are stable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Endpoints of the design.
    pub endpoints: usize,
    /// Ordered pairs of distinct endpoints.
    pub pairs: u64,
    /// Equivalence classes the engine walks (rows of its class matrix).
    pub classes: usize,
    /// Cold start: validation and the first evaluation of the session (or, with the reference
    /// engine, one reference analysis).
    pub cold_ms: Timing,
    /// Every edit measured: the four kinds and the random edits.
    pub edit_ms: Timing,
    /// Each kind of edit.
    pub edits: EditKinds<Timing>,
    /// An edit until the next TUI frame (160×48) shows its result, over every kind; `null`
    /// fields without the TUI.
    pub tui_edit_frame_ms: Timing,
    /// The same per kind of edit.
    pub tui_edits: EditKinds<Timing>,
    /// A cursor move (VNets list and matrix) until the next frame.
    pub tui_cursor_ms: Timing,
    /// Each phase over every edit measured.
    pub phases_ms: PhaseTimings,
    /// Each phase of the cold starts.
    pub cold_phases_ms: PhaseTimings,
    /// Each phase per kind of edit.
    pub edit_phases_ms: EditKinds<PhaseTimings>,
    /// Peak resident memory of the process in MB (`VmHWM`), `null` where the platform does
    /// not say. It is the whole run's: the engine figures, then (unless `--no-tui`) the TUI
    /// figures on a second session, which start on what the allocator kept of the first; the
    /// engine's own peak is the figure with `--no-tui`.
    pub peak_rss_mb: Option<f64>,
}

impl Report {
    /// Summarises the figures, the TUI samples (when a shell measured them) and the peak
    /// memory.
    pub fn new(figures: &Figures, tui: Option<&TuiSamples>, peak_rss_mb: Option<f64>) -> Self {
        let kinds = &figures.kinds;
        let all_edits = || {
            EditKind::ALL
                .iter()
                .flat_map(|k| kinds.get(*k).iter())
                .chain(&figures.random)
        };
        let tui_all: Vec<f64> = tui
            .map(|t| {
                EditKind::ALL
                    .iter()
                    .flat_map(|k| t.edit_frame.get(*k).iter().copied())
                    .collect()
            })
            .unwrap_or_default();
        Report {
            endpoints: figures.endpoints,
            pairs: figures.pairs,
            classes: figures.classes,
            cold_ms: Timing::of_totals(&figures.cold),
            edit_ms: Timing::of_totals(all_edits()),
            edits: EditKinds::from_fn(|k| Timing::of_totals(kinds.get(k))),
            tui_edit_frame_ms: Timing::of(&tui_all),
            tui_edits: EditKinds::from_fn(|k| {
                tui.map_or_else(Timing::default, |t| Timing::of(t.edit_frame.get(k)))
            }),
            tui_cursor_ms: tui.map_or_else(Timing::default, |t| Timing::of(&t.cursor)),
            phases_ms: PhaseTimings::of(all_edits()),
            cold_phases_ms: PhaseTimings::of(&figures.cold),
            edit_phases_ms: EditKinds::from_fn(|k| PhaseTimings::of(kinds.get(k))),
            peak_rss_mb,
        }
    }
}

/// Peak resident set size in MB from `/proc/self/status` (`VmHWM`), where Linux provides it.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kilobytes: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timings_summarise_odd_and_even_counts() {
        assert_eq!(Timing::of(&[]), Timing::default());
        let odd = Timing::of(&[3.0, 1.0, 2.0]);
        assert_eq!(
            (odd.median, odd.min, odd.max),
            (Some(2.0), Some(1.0), Some(3.0))
        );
        assert_eq!(Timing::of(&[4.0, 1.0, 2.0, 3.0]).median, Some(2.5));
    }

    #[test]
    fn phase_timings_are_named_in_phase_order() {
        let sample = Sample {
            total_ms: 3.0,
            phases: Phases {
                walk: Duration::from_millis(2),
                ..Phases::default()
            },
        };
        let named = PhaseTimings::of(&[sample]).named();
        assert_eq!(named.map(|(name, _)| name), Phases::NAMES);
        assert_eq!(named[4].1.median, Some(2.0));
        assert_eq!(named[0].1.median, Some(0.0));
    }
}
