//! The Reachability panel: the endpoint matrix for the current flow with the last edit's delta
//! and the selected pair's explanation, above the design's intents (expectations it carries as
//! its own tests).

use super::{Row, Section, Target, View};
use crate::engine::Verdict;
use crate::model::{Endpoint, Expectation, Intent};
use crate::tui::matrix::{AxisItem, CellValue, Matrix};
use crate::tui::matrix_view::MatrixView;
use crate::tui::widgets::text;
use ratatui::buffer::Buffer;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub use super::reach_layout::{CELL, MatrixLayout, capacity, split};

/// The row model: the intents, under a header.
pub fn targets(view: &View) -> Vec<Target> {
    std::iter::once(Target::Section(Section::Intents))
        .chain(
            view.session
                .design()
                .intents
                .iter()
                .map(|i| Target::Intent(i.name.clone())),
        )
        .collect()
}

/// The styled rows of `targets`: each intent with the verdict the session evaluated for it
/// (pass or FAIL; `?` when it could not be evaluated).
pub fn rows(view: &View, targets: &[Target]) -> Vec<Row> {
    let design = view.session.design();
    let theme = view.theme;
    // The session's outcomes are in design order, one per intent.
    let outcomes = view.session.intents();
    let mut rows = Vec::with_capacity(targets.len());
    for target in targets {
        let line = match target {
            Target::Section(_) => Line::from(vec![
                Span::styled(format!("Intents ({})", design.intents.len()), theme.title),
                Span::styled("  a: add for the selected pair  space: flip", theme.dim),
            ]),
            Target::Intent(name) => {
                let Some(at) = design.intents.iter().position(|i| i.name == *name) else {
                    continue;
                };
                let intent = &design.intents[at];
                let actual = outcomes
                    .get(at)
                    .filter(|o| o.name == intent.name)
                    .and_then(|o| o.actual);
                intent_line(intent, actual, view)
            }
            _ => continue,
        };
        rows.push(Row::new(target.clone(), line));
    }
    rows
}

fn intent_line(intent: &Intent, actual: Option<Verdict>, view: &View) -> Line<'static> {
    let theme = view.theme;
    let expected = match intent.expect {
        Expectation::Reachable => Verdict::Reachable,
        Expectation::Blocked => Verdict::Blocked,
    };
    let (mark, style) = match actual {
        Some(v) if v == expected => ("pass", theme.ok),
        Some(_) => ("FAIL", theme.error),
        None => ("?   ", theme.dim),
    };
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
    ])
}

/// The matrix cursor as the panel needs it, with what narrows the matrix.
pub struct Cursor<'a> {
    /// Row index into the axis.
    pub row: usize,
    /// Column index.
    pub column: usize,
    /// Whether the matrix (not the intents list) has the cursor and the panel the focus.
    pub active: bool,
    /// The rows and columns shown.
    pub view: &'a MatrixView,
    /// The filter text.
    pub filter: &'a str,
    /// Whether keys go to the filter.
    pub filtering: bool,
}

/// The last edit's delta in words that cannot be misread ("2 pairs became blocked, 4 became
/// reachable"; not "−2 blocked", which reads as two fewer): only the directions that moved.
pub fn delta_words(reachable: usize, blocked: usize) -> Vec<(String, bool)> {
    let mut parts = Vec::new();
    let mut first = true;
    for (n, word, is_reachable) in [(blocked, "blocked", false), (reachable, "reachable", true)] {
        if n == 0 {
            continue;
        }
        let subject = if first {
            format!("{} ", crate::words::count(n, "pair", "pairs"))
        } else {
            format!("{n} ")
        };
        parts.push((format!("{subject}became {word}"), is_reachable));
        first = false;
    }
    parts
}

fn delta_spans(
    theme: &crate::tui::theme::Theme,
    reachable: usize,
    blocked: usize,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for (i, (text, is_reachable)) in delta_words(reachable, blocked).into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(", "));
        }
        let style = if is_reachable {
            theme.reachable
        } else {
            theme.blocked
        };
        spans.push(Span::styled(text, style));
    }
    spans
}

/// Draws the summary, the matrix and the selected pair's explanation where `layout` puts them.
pub fn render_matrix(view: &View, layout: &MatrixLayout, cursor: &Cursor, buf: &mut Buffer) {
    let theme = view.theme;
    let analysis = view.session.analysis();
    let endpoints = analysis.endpoints();
    let Some(matrix) = view.live.matrix() else {
        return;
    };
    let area = layout.area;
    if area.height == 0 {
        return;
    }
    let summary = analysis.summary();
    let delta = view.session.delta();
    let mut head = vec![
        Span::raw(format!(
            "{} · ",
            crate::words::count(endpoints.len(), "endpoint", "endpoints")
        )),
        Span::styled(format!("✓ {}", summary.reachable), theme.reachable),
        Span::raw(" "),
        Span::styled(format!("✗ {}", summary.blocked), theme.blocked),
        Span::raw(" · edit: "),
    ];
    if delta.is_empty() {
        head.push(Span::styled("no change", theme.dim));
    } else {
        head.extend(delta_spans(
            theme,
            delta.reachable_count(),
            delta.blocked_count(),
        ));
    }
    let head = text::fit_line(Line::from(head), usize::from(area.width));
    crate::tui::widgets::text::put_line(buf, area.x, area.y, &head, area.width);
    if endpoints.is_empty() {
        let note = "No endpoints yet: add VMs (VNets pane), site hosts or a point-to-site pool (Gateway pane).";
        Paragraph::new(Line::styled(note, theme.dim))
            .wrap(Wrap { trim: true })
            .render(layout.below, buf);
        return;
    }
    let grid = layout.grid;
    let label_width = layout.label_width;
    // Column header: numbers matching the row numbers.
    let mut header = vec![Span::raw(" ".repeat(label_width as usize))];
    for c in layout.columns.iter().copied() {
        let style = if cursor.active && c == cursor.column {
            theme.key
        } else {
            theme.dim
        };
        header.push(Span::styled(format!("{:>3}", c + 1), style));
    }
    crate::tui::widgets::text::put_line(buf, grid.x, grid.y, &Line::from(header), grid.width);
    for (line, r) in layout.rows.iter().copied().enumerate() {
        // A name longer than the label column is cut with `…`, then padded to the column in
        // cells (not characters), so the cells line up under their numbers.
        let room = label_width as usize - 4;
        let label = text::fit(&matrix.label(r, endpoints), room).into_owned();
        let label = format!(
            "{label}{}",
            " ".repeat(room.saturating_sub(text::width(&label)))
        );
        let label_style = if cursor.active && r == cursor.row {
            theme.key
        } else {
            theme.text
        };
        let mut spans = vec![Span::styled(format!("{:>3} {label}", r + 1), label_style)];
        for c in layout.columns.iter().copied() {
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
        crate::tui::widgets::text::put_line(
            buf,
            grid.x,
            grid.y + 1 + line as u16,
            &Line::from(spans),
            grid.width,
        );
    }
    let below = layout.below;
    if below.height > 0 {
        let mut lines = explanation(view, matrix, cursor, below.width);
        if let Some(first) = lines.first_mut() {
            *first = find_line(view, matrix, cursor, endpoints, below.width);
        }
        text::put_wrapped(lines, false, below, buf);
    }
}

/// The rule under the grid: the selected column's number and full name (the header shows
/// numbers only), then the filter prompt and the view when they narrow the matrix.
fn find_line(
    view: &View,
    matrix: &Matrix,
    cursor: &Cursor,
    endpoints: &[Endpoint],
    width: u16,
) -> Line<'static> {
    let theme = view.theme;
    let mut spans = vec![
        Span::styled("─ ", theme.border),
        Span::styled(format!("column {} ", cursor.column + 1), theme.dim),
        Span::styled(matrix.label(cursor.column, endpoints), theme.accent),
    ];
    let shown = cursor.view;
    if cursor.filtering || !cursor.filter.is_empty() {
        let caret = if cursor.filtering { "▏" } else { "" };
        spans.push(Span::styled("  /", theme.key));
        spans.push(Span::styled(
            format!("{}{caret}", cursor.filter),
            theme.input,
        ));
    }
    if shown.narrowed {
        spans.push(Span::styled(
            format!(
                "  {}×{} of {}",
                shown.rows.len(),
                shown.columns.len(),
                matrix.axis.len(),
            ),
            theme.dim,
        ));
    }
    if let Some(label) = shown.show.label() {
        spans.push(Span::styled(format!("  {label}"), theme.warning));
    }
    let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    let rest = usize::from(width).saturating_sub(used + 1);
    if rest > 0 {
        spans.push(Span::styled(format!(" {}", "─".repeat(rest)), theme.border));
    }
    Line::from(spans)
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
        // The reply path only for a request that arrived: a dropped request has no reply.
        let reply: &[crate::engine::Hop] = if trace.request_arrived() {
            &trace.reverse
        } else {
            &[]
        };
        for (arrow, hops) in [("→", trace.forward.as_slice()), ("←", reply)] {
            if hops.is_empty() {
                continue;
            }
            lines.push(Line::from(vec![
                Span::styled(format!("{arrow} "), theme.key),
                Span::styled(crate::engine::Trace::places(hops).join(" › "), theme.dim),
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
                format!(
                    "{} reachable, {blocked} blocked",
                    crate::words::count(reachable, "pair", "pairs")
                )
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
