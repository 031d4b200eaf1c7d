//! The live panel's state: the matrix cursor and expanded groups, and the results the panes show
//! that the session does not hold — the matrix folded for display (grouped when the endpoints do
//! not fit), the selected pair's trace, and the selected subnet's effective routes.
//!
//! [`Live::refresh`] is called after every input with the session and what the rest of the UI
//! has selected; it recomputes a result only when its inputs changed, so drawing never runs the
//! engine and a cursor move runs it only for the newly selected pair or subnet. After a refresh
//! every result matches the session's evaluated revision and its flow (the analysis the session
//! reads from): that is the invariant drawing relies on. Intent verdicts are not here: the panes
//! read them from `Session::intents`.
//!
//! Cost: tracing a newly selected pair and the effective routes of a newly selected subnet read
//! the session's compiled design (one walk, no compile); the matrix is laid out once per
//! revision, flow, grouping or expansion (O(endpoints log endpoints)), and its cells are folded
//! per class as they are drawn ([`GroupedVerdicts`](crate::engine::GroupedVerdicts)). All
//! three calls sit in `engine` below.
//!
//! While a background evaluation is pending, the evaluated revision
//! ([`Session::evaluated_revision`]) is the previous one, so the panel keeps showing the
//! previous results; they are refreshed once the new evaluation is installed.

use super::matrix::{AxisItem, Matrix, MatrixKey};
use crate::engine::{EffectiveRoute, Trace};
use crate::model::{EndpointGroup, Flow, SubnetRef};
use crate::session::Session;
use std::collections::BTreeSet;

/// Before the first layout the matrix assumes this many endpoints fit before it groups them.
const DEFAULT_CAPACITY: usize = 24;

/// Where the matrix cursor is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatrixCursor {
    /// Row, an index into the matrix axis.
    pub row: usize,
    /// Column, an index into the matrix axis.
    pub column: usize,
    /// Whether the cursor is in the intents list under the matrix instead.
    pub in_intents: bool,
}

/// What the rest of the UI has selected that the live results follow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// The subnet the VNets selection points at (its effective routes are shown).
    pub subnet: Option<SubnetRef>,
}

/// Which pair a trace is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TraceKey {
    revision: u64,
    flow: Flow,
    from: usize,
    to: usize,
}

/// Cursor and results of the Reachability panel and the effective routes.
#[derive(Debug)]
pub struct Live {
    cursor: MatrixCursor,
    expanded: BTreeSet<EndpointGroup>,
    capacity: usize,
    matrix: Option<Matrix>,
    trace: Option<(TraceKey, Trace)>,
    routes: Option<(u64, SubnetRef, Result<Vec<EffectiveRoute>, String>)>,
}

impl Default for Live {
    /// Starts on the first pair rather than an endpoint with itself.
    fn default() -> Live {
        Live {
            cursor: MatrixCursor {
                row: 0,
                column: 1,
                in_intents: false,
            },
            expanded: BTreeSet::new(),
            capacity: DEFAULT_CAPACITY,
            matrix: None,
            trace: None,
            routes: None,
        }
    }
}

impl Live {
    /// Brings every result up to date with the session and the selection; cheap when nothing
    /// changed. The cursor is kept inside the matrix.
    pub fn refresh(&mut self, session: &Session, selection: &Selection) {
        // The results follow what the session can read: its evaluated revision and that
        // evaluation's flow (newer than the design's only while an evaluation is pending).
        let revision = session.evaluated_revision();
        let flow = session.analysis().flow();
        let key = MatrixKey {
            revision,
            flow,
            expanded: self.expanded.clone(),
            grouped: session.analysis().endpoints().len() > self.capacity,
        };
        let before = self.axis_len();
        if self.matrix.as_ref().is_none_or(|m| m.key != key) {
            self.matrix = Some(engine::fold(session, key));
        }
        let last = self.axis_len().saturating_sub(1);
        self.cursor.row = self.cursor.row.min(last);
        self.cursor.column = self.cursor.column.min(last);
        // A design that just got its second endpoint starts on a pair, not on an endpoint
        // with itself (audit row 21: a new design's cursor sat on the diagonal).
        if before < 2 && self.axis_len() >= 2 && self.cursor.row == self.cursor.column {
            self.cursor.column = usize::from(self.cursor.row == 0);
        }
        self.trace = match self.selected_endpoints() {
            Some((from, to)) => {
                let key = TraceKey {
                    revision,
                    flow,
                    from,
                    to,
                };
                match self.trace.take() {
                    Some((old, trace)) if old == key => Some((old, trace)),
                    _ => engine::trace(session, from, to).map(|t| (key, t)),
                }
            }
            None => None,
        };
        self.routes = match &selection.subnet {
            Some(subnet) => match self.routes.take() {
                Some((r, s, routes)) if r == revision && s == *subnet => Some((r, s, routes)),
                _ => Some((revision, subnet.clone(), engine::routes(session, subnet))),
            },
            None => None,
        };
    }

    /// Sets how many endpoints the matrix shows one by one before grouping them (from the
    /// panel's size); the next refresh regroups if that changes the grouping.
    pub fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity;
    }

    /// The matrix as last refreshed.
    pub fn matrix(&self) -> Option<&Matrix> {
        self.matrix.as_ref()
    }

    /// The trace of the selected pair, if the cursor is on a pair of endpoints.
    pub fn trace(&self) -> Option<&Trace> {
        self.trace.as_ref().map(|(_, t)| t)
    }

    /// The effective routes of the subnet they were computed for.
    pub fn routes(&self) -> Option<(&SubnetRef, &Result<Vec<EffectiveRoute>, String>)> {
        self.routes.as_ref().map(|(_, s, r)| (s, r))
    }

    /// The cursor.
    pub fn cursor(&self) -> MatrixCursor {
        self.cursor
    }

    /// Puts the cursor in the intents list (`true`) or back in the matrix.
    pub fn set_in_intents(&mut self, in_intents: bool) {
        self.cursor.in_intents = in_intents;
    }

    fn axis_len(&self) -> usize {
        self.matrix.as_ref().map_or(0, |m| m.axis.len())
    }

    /// The endpoint indexes under the cursor, when both row and column are single endpoints.
    pub fn selected_endpoints(&self) -> Option<(usize, usize)> {
        let matrix = self.matrix.as_ref()?;
        match (
            matrix.axis.get(self.cursor.row)?,
            matrix.axis.get(self.cursor.column)?,
        ) {
            (AxisItem::One(a), AxisItem::One(b)) => Some((*a, *b)),
            _ => None,
        }
    }

    /// Whether the cursor is on the matrix's last row (below it begins the intents list).
    pub fn at_last_row(&self) -> bool {
        self.cursor.row + 1 >= self.axis_len()
    }

    /// Moves the cursor within the matrix by rows and columns, clamped to its edges.
    pub fn move_cursor(&mut self, rows: isize, columns: isize) {
        let len = self.axis_len();
        let clamp =
            |v: usize, d: isize| (v as isize + d).clamp(0, len.saturating_sub(1) as isize) as usize;
        self.cursor.row = clamp(self.cursor.row, rows);
        self.cursor.column = clamp(self.cursor.column, columns);
    }

    /// Puts the cursor on (`row`, `column`) of the axis, in the matrix (clamped at the next
    /// refresh).
    pub fn set_cursor(&mut self, row: usize, column: usize) {
        self.cursor = MatrixCursor {
            row,
            column,
            in_intents: false,
        };
    }

    /// Shows `group` endpoint by endpoint (`true`) or folded again; returns whether that
    /// changed anything. The matrix is rebuilt on the next refresh.
    pub fn set_expanded(&mut self, group: EndpointGroup, expanded: bool) -> bool {
        if expanded {
            self.expanded.insert(group)
        } else {
            self.expanded.remove(&group)
        }
    }

    /// Enter on the matrix: expands the groups under the cursor, or collapses the group of an
    /// expanded endpoint. Returns what it did, for the status bar. The matrix is rebuilt on the
    /// next refresh.
    pub fn toggle_group(&mut self, session: &Session) -> Option<String> {
        let matrix = self.matrix.as_ref()?;
        let mut expand = Vec::new();
        for index in [self.cursor.row, self.cursor.column] {
            if let Some(AxisItem::Group { key, .. }) = matrix.axis.get(index) {
                expand.push(key.clone());
            }
        }
        if expand.is_empty() {
            if !matrix.key.grouped {
                return Some("every endpoint is shown; a adds an intent for this pair".to_string());
            }
            let Some(AxisItem::One(i)) = matrix.axis.get(self.cursor.row) else {
                return None;
            };
            let group = session.analysis().endpoints().get(*i)?.group();
            return self
                .expanded
                .remove(&group)
                .then(|| format!("collapsed {group}"));
        }
        let mut said = None;
        for key in expand {
            said = Some(format!("expanded {key}"));
            self.expanded.insert(key);
        }
        said
    }
}

/// The live panel's only calls into the engine. Each is paid when its input changes (a new
/// revision, flow, grouping, pair or subnet), never per frame, and none compiles the design:
/// they read the session's evaluation.
mod engine {
    use crate::engine::{EffectiveRoute, Trace};
    use crate::model::SubnetRef;
    use crate::session::Session;
    use crate::tui::matrix::{Matrix, MatrixKey};

    /// The matrix for display, sharing the session's analysis and delta (cells are folded
    /// per class when drawn).
    pub(super) fn fold(session: &Session, key: MatrixKey) -> Matrix {
        let (analysis, delta) = session.shared_results();
        Matrix::build(analysis, delta, key)
    }

    /// The trace of one pair, by endpoint index, for the analysis's flow (one walk).
    pub(super) fn trace(session: &Session, from: usize, to: usize) -> Option<Trace> {
        session.trace(from, to)
    }

    /// A subnet's effective routes, from the compiled design.
    pub(super) fn routes(
        session: &Session,
        subnet: &SubnetRef,
    ) -> Result<Vec<EffectiveRoute>, String> {
        session.effective_routes(subnet).map_err(|e| e.to_string())
    }
}
