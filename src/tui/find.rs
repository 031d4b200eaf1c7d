//! Finding a pair in a large matrix: which rows and columns the Reachability panel shows (the
//! `/` filter narrows both; `b` keeps only those with a blocked pair, `c` only those the last
//! edit changed), moving the cursor among them (a row, a page, half a page), and folding or
//! unfolding groups without the cursor leaving its pair. The go-to prompt (`goto`) and the
//! Topology pane land here too: [`App::select_endpoints`] puts the cursor on a pair of
//! endpoints, unfolding their groups.
//!
//! Cost: the view is recomputed on every settle from the folded matrix: O(axis) without a
//! filter or view, O(axis²) cell reads with `b` or `c` (the axis is the grouped one, about the
//! number of VNets, unless groups are unfolded).

use super::action::Action;
use super::app::App;
use super::matrix::{AxisItem, CellValue, Matrix};
use super::panes::PaneId;
use crate::model::Endpoint;

/// Which rows and columns of the matrix are shown besides the filter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Show {
    /// Every row and column.
    #[default]
    All,
    /// Rows and columns with a blocked (or partly blocked) pair.
    Blocked,
    /// Rows and columns with a pair that flipped with the last edit.
    Changed,
}

impl Show {
    /// How the panel names the view (`None`: every row).
    pub fn label(self) -> Option<&'static str> {
        match self {
            Show::All => None,
            Show::Blocked => Some("only blocked (b: all)"),
            Show::Changed => Some("only changed by the last edit (c: all)"),
        }
    }
}

/// The rows and columns the panel shows, as indexes into the matrix axis, in axis order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatrixView {
    /// The view chosen with `b` / `c`.
    pub show: Show,
    /// Rows shown.
    pub rows: Vec<usize>,
    /// Columns shown.
    pub columns: Vec<usize>,
    /// Whether a filter or a view narrows the matrix.
    pub narrowed: bool,
    /// Where the cursor was before the view hid it (it goes back there once shown again, so
    /// typing a filter does not lose the pair); cleared by any move of the cursor.
    wanted: Option<(usize, usize)>,
}

/// The words of a filter: several names narrow to the rows and columns matching any of them,
/// so `spoke37 spoke12` shows both.
fn terms(filter: &str) -> Vec<String> {
    filter
        .split(|c: char| c.is_whitespace() || c == ',' || c == '>')
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether an axis item matches a word: its label, or any member's name.
fn item_matches(matrix: &Matrix, item: usize, endpoints: &[Endpoint], terms: &[String]) -> bool {
    let has = |text: &str| {
        let text = text.to_lowercase();
        terms.iter().any(|t| text.contains(t.as_str()))
    };
    match matrix.axis.get(item) {
        Some(AxisItem::Group { members, .. }) => {
            has(&matrix.label(item, endpoints))
                || members
                    .iter()
                    .any(|i| endpoints.get(*i).is_some_and(|e| has(&e.name)))
        }
        Some(AxisItem::One(_)) => has(&matrix.label(item, endpoints)),
        None => false,
    }
}

impl MatrixView {
    /// The rows and columns of `matrix` that pass `filter` and `show`.
    pub fn new(matrix: &Matrix, endpoints: &[Endpoint], filter: &str, show: Show) -> MatrixView {
        let n = matrix.axis.len();
        let terms = terms(filter);
        let named: Vec<usize> = (0..n)
            .filter(|i| terms.is_empty() || item_matches(matrix, *i, endpoints, &terms))
            .collect();
        let keep = |cell: super::matrix::Cell| match show {
            Show::All => true,
            Show::Blocked => matches!(cell.value, CellValue::Blocked | CellValue::Mixed { .. }),
            Show::Changed => cell.flipped,
        };
        let (rows, columns) = if show == Show::All {
            (named.clone(), named)
        } else {
            let hit = |r: usize, c: usize| matrix.cell(r, c).is_some_and(keep);
            let rows = named
                .iter()
                .copied()
                .filter(|r| named.iter().any(|c| hit(*r, *c)))
                .collect();
            let columns = named
                .iter()
                .copied()
                .filter(|c| named.iter().any(|r| hit(*r, *c)))
                .collect();
            (rows, columns)
        };
        MatrixView {
            show,
            rows,
            columns,
            narrowed: !terms.is_empty() || show != Show::All,
            wanted: None,
        }
    }
}

/// The shown index nearest to `at` (the first shown at or after it, else the last).
fn nearest(shown: &[usize], at: usize) -> Option<usize> {
    shown
        .iter()
        .copied()
        .find(|i| *i >= at)
        .or_else(|| shown.last().copied())
}

/// `at` moved by `delta` places among `shown`, clamped to its ends.
fn stepped(shown: &[usize], at: usize, delta: isize) -> usize {
    let Some(place) = shown.iter().position(|i| *i >= at) else {
        return shown.last().copied().unwrap_or(at);
    };
    let last = shown.len().saturating_sub(1) as isize;
    shown[(place as isize + delta).clamp(0, last) as usize]
}

/// What an axis item stands for across a regrouping: its endpoint, or its group's first.
fn anchor(matrix: &Matrix, item: usize) -> Option<usize> {
    match matrix.axis.get(item)? {
        AxisItem::One(i) => Some(*i),
        AxisItem::Group { members, .. } => members.first().copied(),
    }
}

/// The axis item that shows endpoint `endpoint` (alone or in its group).
pub fn position_of(matrix: &Matrix, endpoint: usize) -> Option<usize> {
    matrix.axis.iter().position(|item| match item {
        AxisItem::One(i) => *i == endpoint,
        AxisItem::Group { members, .. } => members.contains(&endpoint),
    })
}

impl App {
    /// The matrix cursor (axis row and column, or in the intents list).
    pub fn matrix_cursor(&self) -> super::live::MatrixCursor {
        self.live.cursor()
    }

    /// The rows and columns the matrix shows.
    pub fn matrix_view(&self) -> &MatrixView {
        &self.matrix_view
    }

    /// Recomputes the rows and columns the matrix shows and keeps the cursor on one of them.
    pub(super) fn refresh_matrix_view(&mut self) {
        let Some(matrix) = self.live.matrix() else {
            self.matrix_view = MatrixView {
                show: self.matrix_view.show,
                ..MatrixView::default()
            };
            return;
        };
        let filter = &self.nav.panes[PaneId::Reach].filter;
        let view = MatrixView::new(
            matrix,
            self.session.analysis().endpoints(),
            filter,
            self.matrix_view.show,
        );
        let cursor = self.live.cursor();
        let wanted = self
            .matrix_view
            .wanted
            .filter(|(r, c)| *r.max(c) < matrix.axis.len())
            .unwrap_or((cursor.row, cursor.column));
        let shown = view.rows.contains(&wanted.0) && view.columns.contains(&wanted.1);
        let place = if shown {
            Some(wanted)
        } else {
            nearest(&view.rows, wanted.0).zip(nearest(&view.columns, wanted.1))
        };
        let mut view = view;
        view.wanted = (!shown).then_some(wanted);
        if let Some((row, column)) = place
            && (row, column) != (cursor.row, cursor.column)
        {
            self.live.set_cursor(row, column);
            self.live.set_in_intents(cursor.in_intents);
            self.refresh_live();
        }
        self.matrix_view = view;
        self.follow_matrix_pair();
    }

    /// The actions of finding a pair (see the module docs).
    pub(super) fn find_action(&mut self, action: Action) {
        match action {
            Action::GoToPair => self.open_goto(),
            Action::OnlyBlocked | Action::OnlyChanged => {
                let wanted = if action == Action::OnlyBlocked {
                    Show::Blocked
                } else {
                    Show::Changed
                };
                let show = if self.matrix_view.show == wanted {
                    Show::All
                } else {
                    wanted
                };
                self.matrix_view.show = show;
                self.say(show.label().unwrap_or("every row and column"));
            }
            Action::Collapse => self.collapse_at_cursor(),
            Action::PageUp | Action::PageDown | Action::HalfPageUp | Action::HalfPageDown => {
                let page = self.page_height() as isize;
                let rows = match action {
                    Action::PageUp => -page,
                    Action::PageDown => page,
                    Action::HalfPageUp => -(page / 2).max(1),
                    _ => (page / 2).max(1),
                };
                if self.nav.focus == PaneId::Reach && !self.live.cursor().in_intents {
                    self.move_in_matrix(rows, 0);
                } else {
                    self.move_selection(rows);
                }
            }
            _ => {}
        }
    }

    /// How many rows a page is in the focused pane: the matrix's shown rows, or the list's.
    fn page_height(&self) -> usize {
        let matrix_rows = self.screen.matrix.as_ref().map(|m| m.rows.len());
        let list_rows = self.screen.areas.rect_of(self.nav.focus).and_then(|rect| {
            super::layout::list_rect(
                &self.screen,
                self.nav.focus,
                rect,
                &self.nav.panes[self.nav.focus],
            )
            .map(|r| r.height as usize)
        });
        let rows = if self.nav.focus == PaneId::Reach && !self.live.cursor().in_intents {
            matrix_rows
        } else {
            list_rows
        };
        rows.unwrap_or(10).max(1)
    }

    /// Moves the matrix cursor among the shown rows and columns, entering the intents list
    /// below the last row (and leaving it above the first intent).
    pub(super) fn move_in_reach(&mut self, rows: isize, columns: isize) {
        let intents = self.session.design().intents.len();
        let cursor = self.live.cursor();
        let state = &mut self.nav.panes[PaneId::Reach];
        if cursor.in_intents {
            if rows < 0 && state.selected <= 1 {
                self.live.set_in_intents(false);
            } else {
                state.selected =
                    (state.selected as isize + rows).clamp(1, intents.max(1) as isize) as usize;
            }
        } else if rows > 0
            && self
                .matrix_view
                .rows
                .last()
                .is_none_or(|l| cursor.row >= *l)
        {
            if intents > 0 {
                self.live.set_in_intents(true);
                state.selected = 1;
            }
        } else {
            self.move_in_matrix(rows, columns);
        }
    }

    /// Puts the cursor on (`row`, `column`) of the axis: an explicit move, which forgets
    /// where a filter had moved it from.
    pub(super) fn set_matrix_cursor(&mut self, row: usize, column: usize) {
        self.matrix_view.wanted = None;
        self.live.set_cursor(row, column);
    }

    fn move_in_matrix(&mut self, rows: isize, columns: isize) {
        let cursor = self.live.cursor();
        let row = stepped(&self.matrix_view.rows, cursor.row, rows);
        let column = stepped(&self.matrix_view.columns, cursor.column, columns);
        self.set_matrix_cursor(row, column);
    }

    /// Enter on the matrix: unfolds the groups under the cursor, or folds the group of an
    /// unfolded endpoint; the cursor stays on its pair.
    pub(super) fn toggle_group(&mut self) {
        let said = self.keeping_pair(|app| app.live.toggle_group(&app.session));
        if let Some(said) = said {
            self.say(said);
        }
    }

    /// Backspace on the matrix: folds the unfolded groups of the cursor's row and column.
    fn collapse_at_cursor(&mut self) {
        let said = self.keeping_pair(|app| {
            let endpoints = app.session.analysis().endpoints();
            let matrix = app.live.matrix()?;
            let cursor = app.live.cursor();
            let mut groups: Vec<_> = [cursor.row, cursor.column]
                .into_iter()
                .filter_map(|item| match matrix.axis.get(item) {
                    Some(AxisItem::One(i)) => endpoints.get(*i).map(Endpoint::group),
                    _ => None,
                })
                .collect();
            groups.dedup();
            let folded: Vec<String> = groups
                .into_iter()
                .filter(|g| app.live.set_expanded(g.clone(), false))
                .map(|g| g.to_string())
                .collect();
            Some(if folded.is_empty() {
                "no unfolded group under the cursor (Enter unfolds one)".to_string()
            } else {
                format!("collapsed {}", folded.join(" and "))
            })
        });
        if let Some(said) = said {
            self.say(said);
        }
    }

    /// Runs a change of the matrix's grouping and puts the cursor back on the pair (or the
    /// groups holding it) it was on.
    fn keeping_pair<T>(&mut self, change: impl FnOnce(&mut App) -> T) -> T {
        let cursor = self.live.cursor();
        let anchors = self
            .live
            .matrix()
            .map(|m| (anchor(m, cursor.row), anchor(m, cursor.column)));
        let result = change(self);
        self.refresh_live();
        if let (Some((Some(from), Some(to))), Some(matrix)) = (anchors, self.live.matrix())
            && let (Some(row), Some(column)) = (position_of(matrix, from), position_of(matrix, to))
        {
            self.set_matrix_cursor(row, column);
            self.live.set_in_intents(cursor.in_intents);
        }
        result
    }

    /// Puts the matrix cursor on the pair of endpoints `from` → `to` (indexes into the
    /// analysis' endpoints), unfolding their groups and dropping a filter or view that would
    /// hide them, and leaving the intents list (whose cursor would hide the pair's path and
    /// explanation). Returns whether both are in the matrix.
    pub(super) fn select_endpoints(&mut self, from: usize, to: usize) -> bool {
        let endpoints = self.session.analysis().endpoints();
        let (Some(a), Some(b)) = (endpoints.get(from), endpoints.get(to)) else {
            return false;
        };
        let groups = [a.group(), b.group()];
        // Unfold only what is folded: an unfolded matrix stays as it is.
        if self.live.matrix().is_some_and(|m| m.key.grouped) {
            for group in groups {
                self.live.set_expanded(group, true);
            }
            self.refresh_live();
        }
        let Some(matrix) = self.live.matrix() else {
            return false;
        };
        let (Some(row), Some(column)) = (position_of(matrix, from), position_of(matrix, to)) else {
            return false;
        };
        let view = MatrixView::new(
            matrix,
            self.session.analysis().endpoints(),
            &self.nav.panes[PaneId::Reach].filter,
            self.matrix_view.show,
        );
        self.set_matrix_cursor(row, column);
        self.live.set_in_intents(false);
        if !view.rows.contains(&row) || !view.columns.contains(&column) {
            self.nav.panes[PaneId::Reach].filter.clear();
            self.matrix_view.show = Show::All;
        }
        self.refresh_live();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::{nearest, stepped, terms};

    #[test]
    fn moves_step_over_hidden_rows_and_stop_at_the_ends() {
        let shown = [2, 5, 9];
        assert_eq!(stepped(&shown, 5, 1), 9);
        assert_eq!(stepped(&shown, 5, -1), 2);
        assert_eq!(stepped(&shown, 2, -10), 2);
        assert_eq!(stepped(&shown, 3, 0), 5);
        assert_eq!(nearest(&shown, 6), Some(9));
        assert_eq!(nearest(&shown, 10), Some(9));
        assert_eq!(nearest(&[], 1), None);
        assert_eq!(terms("Spoke37 > spoke12,"), ["spoke37", "spoke12"]);
    }
}
