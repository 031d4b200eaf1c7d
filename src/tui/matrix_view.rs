//! Which rows and columns of the Reachability panel's matrix are shown: the `/` filter narrows
//! both to the items whose label or members match a word, `b` keeps only those with a blocked
//! pair, `c` only those the last edit changed. Pure data over the folded [`Matrix`], read by the
//! panel and the layout and kept up to date by the app's cursor moves (`find`); it knows
//! nothing of the app.
//!
//! Cost: O(axis) without a view, O(axis²) cell reads with `b` or `c` (the axis is the grouped
//! one, about the number of VNets, unless groups are unfolded).

use super::matrix::{AxisItem, Cell, CellValue, Matrix};
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
    pub(super) wanted: Option<(usize, usize)>,
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
        let keep = |cell: Cell| match show {
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
pub(super) fn nearest(shown: &[usize], at: usize) -> Option<usize> {
    shown
        .iter()
        .copied()
        .find(|i| *i >= at)
        .or_else(|| shown.last().copied())
}

/// `at` moved by `delta` places among `shown`, clamped to its ends.
pub(super) fn stepped(shown: &[usize], at: usize, delta: isize) -> usize {
    let Some(place) = shown.iter().position(|i| *i >= at) else {
        return shown.last().copied().unwrap_or(at);
    };
    let last = shown.len().saturating_sub(1) as isize;
    shown[(place as isize + delta).clamp(0, last) as usize]
}

/// What an axis item stands for across a regrouping: its endpoint, or its group's first.
pub(super) fn anchor(matrix: &Matrix, item: usize) -> Option<usize> {
    match matrix.axis.get(item)? {
        AxisItem::One(i) => Some(*i),
        AxisItem::Group { members, .. } => members.first().copied(),
    }
}

/// The axis item that shows endpoint `endpoint` (alone or in its group).
pub(super) fn position_of(matrix: &Matrix, endpoint: usize) -> Option<usize> {
    matrix.axis.iter().position(|item| match item {
        AxisItem::One(i) => *i == endpoint,
        AxisItem::Group { members, .. } => members.contains(&endpoint),
    })
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
