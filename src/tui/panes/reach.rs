//! The Reachability panel: the endpoint matrix for the current flow with the last edit's delta
//! and the selected pair's explanation, above the design's intents (expectations it carries as
//! its own tests).

use super::matrix::{AxisItem, CellValue, Matrix};
use super::{Row, Section, Target, View};
use crate::engine::Verdict;
use crate::model::Expectation;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Rows: the intents, under a header, each with its live verdict (pass or FAIL).
pub fn rows(view: &View) -> Vec<Row> {
    let design = view.session.design();
    let theme = view.theme;
    let verdicts = view.live.intent_verdicts();
    let mut rows = vec![Row::new(
        Target::Section(Section::Intents),
        Line::from(vec![
            Span::styled(format!("Intents ({})", design.intents.len()), theme.title),
            Span::styled("  a: add for the selected pair  space: flip", theme.dim),
        ]),
    )];
    for intent in &design.intents {
        let actual = verdicts.and_then(|v| v.get(&intent.name)).copied();
        let expected = match intent.expect {
            Expectation::Reachable => Verdict::Reachable,
            Expectation::Blocked => Verdict::Blocked,
        };
        let (mark, style) = match actual {
            Some(v) if v == expected => ("pass", theme.ok),
            Some(_) => ("FAIL", theme.error),
            None => ("?   ", theme.dim),
        };
        rows.push(Row::new(
            Target::Intent(intent.name.clone()),
            Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::raw(format!("{} → {} ", intent.from, intent.to)),
                Span::styled(intent.flow.to_string(), theme.accent),
                Span::raw(" expect "),
                Span::styled(
                    intent.expect.to_string(),
                    if intent.expect == Expectation::Reachable {
                        theme.reachable
                    } else {
                        theme.blocked
                    },
                ),
                Span::styled(format!("  {}", intent.name), theme.dim),
            ]),
        ));
    }
    rows
}

/// Splits the panel: the matrix and explanation on top, the intents list below.
pub fn split(inner: Rect) -> (Rect, Option<Rect>) {
    let list_height = (inner.height / 4).clamp(3, 8).min(inner.height);
    let (matrix, list) = crate::tui::widgets::split_bottom(inner, list_height);
    (list, Some(matrix))
}

/// Width of one matrix cell.
const CELL: u16 = 3;

/// How the top area divides: summary line, matrix, explanation.
fn matrix_height(area: Rect, items: usize) -> u16 {
    let wanted = items as u16 + 2;
    wanted
        .min(area.height.saturating_mul(11) / 20)
        .max(3.min(area.height))
}

/// How many endpoints the matrix shows one by one before it groups them by VNet, for the
/// panel at `pane` (its outer rectangle).
pub fn capacity(pane: Rect) -> usize {
    let inner = Rect {
        x: pane.x + 1,
        y: pane.y + 1,
        width: pane.width.saturating_sub(2),
        height: pane.height.saturating_sub(2),
    };
    let (_, Some(top)) = split(inner) else {
        return 0;
    };
    let rows = (top.height.saturating_mul(11) / 20).saturating_sub(2) as usize;
    let columns = (top.width.saturating_sub(16) / CELL) as usize;
    rows.min(columns).max(2)
}

/// The matrix cursor as the panel needs it.
pub struct Cursor {
    /// Row index into the axis.
    pub row: usize,
    /// Column index.
    pub column: usize,
    /// Whether the matrix (not the intents list) has the cursor and the panel the focus.
    pub active: bool,
}

/// Draws the summary, the matrix and the selected pair's explanation.
pub fn render_matrix(view: &View, cursor: &Cursor, area: Rect, buf: &mut Buffer) {
    let theme = view.theme;
    let analysis = view.session.analysis();
    let endpoints = analysis.endpoints();
    let Some(matrix) = view.live.matrix() else {
        return;
    };
    if area.height == 0 {
        return;
    }
    let summary = analysis.summary();
    let delta = view.session.delta();
    let mut head = vec![
        Span::raw(format!("{} endpoints · ", endpoints.len())),
        Span::styled(format!("✓ {}", summary.reachable), theme.reachable),
        Span::raw(" "),
        Span::styled(format!("✗ {}", summary.blocked), theme.blocked),
        Span::raw(" · last edit: "),
    ];
    if delta.is_empty() {
        head.push(Span::styled("no change", theme.dim));
    } else {
        head.push(Span::styled(
            format!("+{} reachable", delta.reachable_count()),
            theme.reachable,
        ));
        head.push(Span::raw(", "));
        head.push(Span::styled(
            format!("−{} blocked", delta.blocked_count()),
            theme.blocked,
        ));
    }
    buf.set_line(area.x, area.y, &Line::from(head), area.width);
    if endpoints.is_empty() {
        let note = "No endpoints yet: add VMs (VNets pane), site hosts or a point-to-site pool (Gateway pane).";
        Paragraph::new(Line::styled(note, theme.dim))
            .wrap(Wrap { trim: true })
            .render(
                Rect {
                    y: area.y + 1,
                    height: area.height - 1,
                    ..area
                },
                buf,
            );
        return;
    }
    let n = matrix.axis.len();
    let height = matrix_height(
        Rect {
            height: area.height - 1,
            ..area
        },
        n,
    );
    let grid = Rect {
        y: area.y + 1,
        height: height.min(area.height - 1),
        ..area
    };
    let labels: Vec<String> = (0..n).map(|i| matrix.label(i, endpoints)).collect();
    let label_width = labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 18) as u16
        + 4;
    let visible_rows = grid.height.saturating_sub(1) as usize;
    let visible_columns = (grid.width.saturating_sub(label_width) / CELL) as usize;
    let row_offset = super::scroll_offset(cursor.row, n, visible_rows);
    let column_offset = super::scroll_offset(cursor.column, n, visible_columns);
    // Column header: numbers matching the row numbers.
    let mut header = vec![Span::raw(" ".repeat(label_width as usize))];
    for c in (column_offset..n).take(visible_columns) {
        let style = if c == cursor.column {
            theme.key
        } else {
            theme.dim
        };
        header.push(Span::styled(format!("{:>3}", c + 1), style));
    }
    buf.set_line(grid.x, grid.y, &Line::from(header), grid.width);
    for (line, r) in (row_offset..n).take(visible_rows).enumerate() {
        let label: String = labels[r].chars().take(label_width as usize - 4).collect();
        let label_style = if r == cursor.row {
            theme.key
        } else {
            theme.text
        };
        let mut spans = vec![Span::styled(
            format!("{:>3} {:<w$}", r + 1, label, w = label_width as usize - 4),
            label_style,
        )];
        for c in (column_offset..n).take(visible_columns) {
            let Some(cell) = matrix.cell(r, c) else {
                continue;
            };
            let (symbol, mut style) = match cell.value {
                CellValue::Reachable => ("✓", theme.reachable),
                CellValue::Blocked => ("✗", theme.blocked),
                CellValue::Mixed { .. } => ("◐", theme.warning),
                CellValue::Itself => ("·", theme.dim),
            };
            if cell.flipped {
                style = style.patch(theme.flipped);
            }
            let text = if cell.flipped {
                format!(" {symbol}*")
            } else {
                format!(" {symbol} ")
            };
            if cursor.active && r == cursor.row && c == cursor.column {
                style = style.patch(theme.selected);
            }
            spans.push(Span::styled(text, style));
        }
        buf.set_line(
            grid.x,
            grid.y + 1 + line as u16,
            &Line::from(spans),
            grid.width,
        );
    }
    let below = Rect {
        y: grid.y + grid.height,
        height: area.height.saturating_sub(1 + grid.height),
        ..area
    };
    if below.height > 0 {
        let lines = explanation(view, matrix, cursor, below.width);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(below, buf);
    }
}

/// The words under the matrix: the selected pair's verdict, paths and blockers, or a group's
/// counts.
fn explanation(view: &View, matrix: &Matrix, cursor: &Cursor, width: u16) -> Vec<Line<'static>> {
    let theme = view.theme;
    let endpoints = view.session.analysis().endpoints();
    let mut lines = vec![Line::styled("─".repeat(width as usize), theme.border)];
    let (row, column) = (cursor.row, cursor.column);
    if let (Some(AxisItem::One(_)), Some(AxisItem::One(_))) =
        (matrix.axis.get(row), matrix.axis.get(column))
    {
        let Some(trace) = view.live.trace() else {
            return lines;
        };
        if trace.from == trace.to {
            lines.push(Line::styled(
                format!("{} is itself: pick another column (h/l)", trace.from),
                theme.dim,
            ));
            return lines;
        }
        let (word, style) = match trace.verdict {
            Verdict::Reachable => ("✓ reachable", theme.reachable),
            Verdict::Blocked => ("✗ blocked", theme.blocked),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{} → {} ", trace.from, trace.to), theme.accent),
            Span::raw(format!("{} ", trace.flow)),
            Span::styled(word, style),
        ]));
        for (arrow, hops) in [("→", &trace.forward), ("←", &trace.reverse)] {
            let path = if hops.is_empty() {
                "(none: the request never arrived)".to_string()
            } else {
                hops.iter()
                    .map(|h| h.at.as_str())
                    .collect::<Vec<_>>()
                    .join(" › ")
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{arrow} "), theme.key),
                Span::styled(path, theme.dim),
            ]));
        }
        for blocker in &trace.blockers {
            lines.push(Line::from(vec![
                Span::styled(format!("✗ {} ", blocker.code), theme.blocked),
                Span::raw(blocker.message.clone()),
            ]));
            if let Some(assumption) = &blocker.assumption {
                lines.push(Line::styled(format!("  assumes {assumption}"), theme.dim));
            }
            if let Some(fix) = &blocker.fix {
                lines.push(Line::from(vec![
                    Span::styled("  x", theme.key),
                    Span::raw(format!(" fix: {}", fix.description)),
                ]));
            }
        }
    } else if let Some(cell) = matrix.cell(row, column) {
        let counts = match cell.value {
            CellValue::Reachable => "every pair reachable".to_string(),
            CellValue::Blocked => "every pair blocked".to_string(),
            CellValue::Mixed { reachable, blocked } => {
                format!("{reachable} pairs reachable, {blocked} blocked")
            }
            CellValue::Itself => String::new(),
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{} × {}: ",
                    matrix.label(row, endpoints),
                    matrix.label(column, endpoints)
                ),
                theme.accent,
            ),
            Span::raw(counts),
        ]));
        lines.push(Line::styled(
            "Enter expands the group to its endpoints",
            theme.dim,
        ));
    }
    lines
}
