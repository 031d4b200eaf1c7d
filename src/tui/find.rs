//! Finding a pair in a large matrix: the app's side of the panel's [`MatrixView`] (keeping it up
//! to date as the `/` filter, `b` and `c` change it), moving the cursor among the rows and
//! columns it shows (a row, a page, half a page), and folding or unfolding groups without the
//! cursor leaving its pair. The go-to prompt (`goto`) and the
//! Topology pane land here too: `App::select_endpoints` puts the cursor on a pair of
//! endpoints, unfolding their groups.
//!
//! Cost: the view is recomputed on every settle from the folded matrix ([`MatrixView::new`]).

use super::action::Action;
use super::app::App;
use super::matrix::AxisItem;
use super::matrix_view::{MatrixView, Show, anchor, nearest, position_of, stepped};
use super::panes::PaneId;
use crate::model::Endpoint;

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
