//! Where the Reachability panel's parts go: the split between the matrix (with the selected
//! pair's explanation) and the intents list, how many matrix rows fit, and which rows and
//! columns of a large matrix are in view around the cursor ([`MatrixLayout`]). Pure
//! arithmetic on rectangles and the matrix's shown rows; the drawing is `reach`'s.

use super::PaneSplit;
use crate::model::Endpoint;
use crate::tui::matrix::Matrix;
use crate::tui::matrix_view::MatrixView;
use crate::tui::widgets::text;
use ratatui::layout::{Margin, Rect};

/// Splits the panel's inner area: the matrix and explanation on top (`extra`), the intents list
/// below (`list`).
pub fn split(inner: Rect) -> PaneSplit {
    let list_height = (inner.height / 4).clamp(3, 8).min(inner.height);
    let (matrix, list) = crate::tui::widgets::split_bottom(inner, list_height);
    PaneSplit {
        list,
        extra: Some(matrix),
    }
}

/// Width of one matrix cell.
pub const CELL: u16 = 3;

/// How the top area divides: summary line, matrix, explanation.
fn matrix_height(area: Rect, items: usize) -> u16 {
    let wanted = u16::try_from(items).unwrap_or(u16::MAX).saturating_add(2);
    wanted
        .min(area.height.saturating_mul(11) / 20)
        .max(3.min(area.height))
}

/// How many endpoints the matrix shows one by one before it groups them by VNet, for the
/// panel at `pane` (its outer rectangle).
pub fn capacity(pane: Rect) -> usize {
    let inner = pane.inner(Margin::new(1, 1));
    let Some(top) = split(inner).extra else {
        return 0;
    };
    let rows = (top.height.saturating_mul(11) / 20).saturating_sub(2) as usize;
    let columns = (top.width.saturating_sub(16) / CELL) as usize;
    rows.min(columns).max(2)
}

/// Where the matrix's parts go in the panel's top area, for one matrix, view and cursor:
/// computed before drawing (and kept by the app) so drawing, mouse hit-testing and tests read
/// the same cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatrixLayout {
    /// The whole top area: the summary line is its first row.
    pub area: Rect,
    /// The grid: a header row of column numbers, then one row per shown axis item (empty when
    /// there are no endpoints).
    pub grid: Rect,
    /// Width of the row labels (number and name) left of the cells.
    pub label_width: u16,
    /// The axis items shown as rows, top to bottom (a window of the view's rows).
    pub rows: Vec<usize>,
    /// The axis items shown as columns, left to right.
    pub columns: Vec<usize>,
    /// Below the grid: the find line (the selected column's name in full, the filter, the
    /// view), then the explanation of the selected cell (or the note that there are no
    /// endpoints yet).
    pub below: Rect,
}

/// The window of `shown` that keeps `at` in view in `room` places.
fn window_of(shown: &[usize], at: usize, room: usize) -> Vec<usize> {
    let place = shown.iter().position(|i| *i == at).unwrap_or(0);
    let offset = super::scroll_offset(place, shown.len(), room);
    shown.iter().copied().skip(offset).take(room).collect()
}

impl MatrixLayout {
    /// Lays out the rows and columns of `view` in `area` with the cursor at (`row`,
    /// `column`) of the axis, scrolled to keep it in view.
    pub fn new(
        area: Rect,
        matrix: &Matrix,
        endpoints: &[Endpoint],
        view: &MatrixView,
        row: usize,
        column: usize,
    ) -> MatrixLayout {
        let head = 1.min(area.height);
        let rest = Rect {
            y: area.y.saturating_add(head),
            height: area.height.saturating_sub(head),
            ..area
        };
        if area.height == 0 || endpoints.is_empty() {
            return MatrixLayout {
                area,
                grid: Rect { height: 0, ..rest },
                below: rest,
                ..MatrixLayout::default()
            };
        }
        let grid = Rect {
            height: matrix_height(rest, view.rows.len()).min(rest.height),
            ..rest
        };
        let visible_rows = grid.height.saturating_sub(1) as usize;
        let rows = window_of(&view.rows, row, visible_rows);
        let label_width = rows
            .iter()
            .map(|i| text::width(&matrix.label(*i, endpoints)))
            .max()
            .unwrap_or(4)
            .clamp(4, 18) as u16
            + 4;
        let visible_columns = (grid.width.saturating_sub(label_width) / CELL) as usize;
        MatrixLayout {
            area,
            grid,
            label_width,
            rows,
            columns: window_of(&view.columns, column, visible_columns),
            below: Rect {
                y: grid.y + grid.height,
                height: rest.height - grid.height,
                ..area
            },
        }
    }

    /// The screen cells of the matrix cell at (`row`, `column`) of the axis, when it is shown.
    pub fn cell(&self, row: usize, column: usize) -> Option<Rect> {
        let y = self.rows.iter().position(|r| *r == row)? as u16;
        let x = self.columns.iter().position(|c| *c == column)? as u16 * CELL;
        Some(Rect::new(
            self.grid.x + self.label_width + x,
            self.grid.y + 1 + y,
            CELL,
            1,
        ))
    }

    /// The matrix cell (row, column of the axis) drawn at a screen position, if any.
    pub fn cell_at(&self, x: u16, y: u16) -> Option<(usize, usize)> {
        let line = y.checked_sub(self.grid.y + 1)? as usize;
        let across = x.checked_sub(self.grid.x + self.label_width)? / CELL;
        Some((*self.rows.get(line)?, *self.columns.get(across as usize)?))
    }
}
