//! The live results the panes show, kept per session revision: the matrix (grouped when the
//! endpoints do not fit), the selected pair's trace, the intents' verdicts and the selected
//! subnet's effective routes. Each is recomputed only when its inputs change, so drawing a frame
//! and moving the cursor never re-run the engine; only an applied edit (a new revision) does.

use super::app::App;
use super::panes::matrix::{AxisItem, Matrix, MatrixKey};
use super::panes::{PaneId, Target};
use crate::engine::{EffectiveRoute, Trace, Tracer, Verdict, effective_routes};
use crate::model::{Flow, SubnetRef};
use std::collections::{BTreeSet, HashMap};

/// Cursor and caches of the Reachability panel and the effective routes.
#[derive(Debug, Default)]
pub struct Live {
    /// Matrix cursor row (an index into the axis).
    pub row: usize,
    /// Matrix cursor column.
    pub column: usize,
    /// Whether the cursor is in the intents list under the matrix.
    pub in_intents: bool,
    /// Groups shown endpoint by endpoint.
    pub expanded: BTreeSet<String>,
    /// How many matrix rows and columns fit, from the last frame.
    pub capacity: usize,
    matrix: Option<Matrix>,
    trace: Option<(u64, Flow, usize, usize, Trace)>,
    intents: Option<(u64, HashMap<String, Verdict>)>,
    routes: Option<(u64, SubnetRef, Result<Vec<EffectiveRoute>, String>)>,
}

impl Live {
    /// The matrix as last built.
    pub fn matrix(&self) -> Option<&Matrix> {
        self.matrix.as_ref()
    }

    /// The trace of the selected pair, if the cursor is on one.
    pub fn trace(&self) -> Option<&Trace> {
        self.trace.as_ref().map(|(.., t)| t)
    }

    /// Intent verdicts by intent name.
    pub fn intent_verdicts(&self) -> Option<&HashMap<String, Verdict>> {
        self.intents.as_ref().map(|(_, v)| v)
    }

    /// The effective routes of the subnet they were computed for.
    pub fn routes(&self) -> Option<(&SubnetRef, &Result<Vec<EffectiveRoute>, String>)> {
        self.routes.as_ref().map(|(_, s, r)| (s, r))
    }
}

impl App {
    /// Brings every live result up to date with the session; cheap when nothing changed.
    pub(super) fn refresh_live(&mut self) {
        let revision = self.session.revision();
        let flow = self.session.flow();
        let endpoints = self.session.analysis().endpoints().len();
        let capacity = if self.live.capacity == 0 {
            24
        } else {
            self.live.capacity
        };
        let key = MatrixKey {
            revision,
            flow,
            expanded: self.live.expanded.clone(),
            grouped: endpoints > capacity,
        };
        if self.live.matrix.as_ref().is_none_or(|m| m.key != key) {
            self.live.matrix = Some(Matrix::build(
                self.session.analysis(),
                self.session.delta(),
                key,
            ));
        }
        let axis_len = self.live.matrix.as_ref().map_or(0, |m| m.axis.len());
        self.live.row = self.live.row.min(axis_len.saturating_sub(1));
        self.live.column = self.live.column.min(axis_len.saturating_sub(1));
        match self.selected_endpoints() {
            Some((a, b)) => {
                let fresh = self
                    .live
                    .trace
                    .as_ref()
                    .is_some_and(|(r, f, x, y, _)| (*r, *f, *x, *y) == (revision, flow, a, b));
                if !fresh {
                    let tracer = Tracer::new(self.session.design());
                    self.live.trace = tracer
                        .trace_indexes(a, b, flow)
                        .map(|t| (revision, flow, a, b, t));
                }
            }
            None => self.live.trace = None,
        }
        if self
            .live
            .intents
            .as_ref()
            .is_none_or(|(r, _)| *r != revision)
        {
            let design = self.session.design();
            let tracer = Tracer::new(design);
            let verdicts = design
                .intents
                .iter()
                .filter_map(|i| {
                    tracer
                        .trace(&i.from, &i.to, i.flow)
                        .ok()
                        .map(|t| (i.name.clone(), t.verdict))
                })
                .collect();
            self.live.intents = Some((revision, verdicts));
        }
        let subnet = self.vnets_context().0;
        match subnet {
            Some(subnet) => {
                let fresh = self
                    .live
                    .routes
                    .as_ref()
                    .is_some_and(|(r, s, _)| *r == revision && *s == subnet);
                if !fresh {
                    let routes =
                        effective_routes(self.session.design(), &subnet).map_err(|e| e.to_string());
                    self.live.routes = Some((revision, subnet, routes));
                }
            }
            None => self.live.routes = None,
        }
    }

    /// The endpoint indexes under the matrix cursor, when both row and column are single endpoints.
    pub(super) fn selected_endpoints(&self) -> Option<(usize, usize)> {
        let matrix = self.live.matrix.as_ref()?;
        match (
            matrix.axis.get(self.live.row)?,
            matrix.axis.get(self.live.column)?,
        ) {
            (AxisItem::One(a), AxisItem::One(b)) => Some((*a, *b)),
            _ => None,
        }
    }

    /// Moves the matrix cursor, entering the intents list below the last row.
    pub(super) fn move_in_reach(&mut self, rows: isize, columns: isize) {
        self.refresh_live();
        let len = self.live.matrix.as_ref().map_or(0, |m| m.axis.len());
        if self.live.in_intents {
            let state = self.pane_state_mut(PaneId::Reach);
            if rows < 0 && state.selected <= 1 {
                self.live.in_intents = false;
            } else {
                let intents = self.session.design().intents.len();
                let state = self.pane_state_mut(PaneId::Reach);
                state.selected =
                    (state.selected as isize + rows).clamp(1, intents.max(1) as isize) as usize;
            }
            return;
        }
        if rows > 0 && self.live.row + 1 >= len && !self.session.design().intents.is_empty() {
            self.live.in_intents = true;
            self.pane_state_mut(PaneId::Reach).selected = 1;
            return;
        }
        let clamp =
            |v: usize, d: isize| (v as isize + d).clamp(0, len.saturating_sub(1) as isize) as usize;
        self.live.row = clamp(self.live.row, rows);
        self.live.column = clamp(self.live.column, columns);
    }

    /// Enter on the matrix: expands the groups under the cursor, or collapses the group of an
    /// expanded endpoint.
    pub(super) fn toggle_group(&mut self) {
        self.refresh_live();
        let Some(matrix) = self.live.matrix.as_ref() else {
            return;
        };
        let endpoints = self.session.analysis().endpoints();
        let mut expand = Vec::new();
        for index in [self.live.row, self.live.column] {
            if let Some(AxisItem::Group { key, .. }) = matrix.axis.get(index) {
                expand.push(key.clone());
            }
        }
        if expand.is_empty() {
            if !matrix.key.grouped {
                self.say("every endpoint is shown; a adds an intent for this pair");
                return;
            }
            let Some(AxisItem::One(i)) = matrix.axis.get(self.live.row) else {
                return;
            };
            let group = super::panes::matrix::group_of(&endpoints[*i]);
            if self.live.expanded.remove(&group) {
                self.say(format!("collapsed {group}"));
            }
        } else {
            for key in expand {
                self.say(format!("expanded {key}"));
                self.live.expanded.insert(key);
            }
        }
        self.refresh_live();
    }

    /// Applies the fix of the first blocker of the selected pair that has one.
    pub(super) fn apply_fix(&mut self) {
        self.refresh_live();
        let Some(trace) = self.live.trace() else {
            return self.refuse("select a pair in the matrix first (6 focuses Reachability)");
        };
        if trace.verdict == Verdict::Reachable {
            return self.say(format!(
                "{} → {} is already reachable",
                trace.from, trace.to
            ));
        }
        match trace.blockers.iter().find_map(|b| b.fix.as_ref()) {
            Some(fix) => {
                let (edit, description) = (fix.edit.clone(), fix.description.clone());
                if self.apply(edit) && !self.evaluating() {
                    self.say(format!("fixed: {description} · u to undo"));
                }
            }
            None => self.refuse("no blocker of this pair has a one-edit fix; see the explanation"),
        }
    }

    /// The selection of the Reachability panel: an intent, or the pair under the cursor.
    pub(super) fn reach_selection(&self) -> Option<Target> {
        if self.live.in_intents {
            return self.selected_in(PaneId::Reach);
        }
        self.selected_endpoints()
            .map(|(from, to)| Target::Pair { from, to })
    }
}
