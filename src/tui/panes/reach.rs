//! The Reachability panel: the endpoint matrix for the current flow with the last edit's delta
//! and the selected pair's explanation, above the design's intents (expectations it carries as
//! its own tests).

use super::{Row, Section, Target, View};
use crate::model::Expectation;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Rows: the intents, under a header.
pub fn rows(view: &View) -> Vec<Row> {
    let design = view.session.design();
    let theme = view.theme;
    let mut rows = vec![Row::new(
        Target::Section(Section::Intents),
        Line::from(vec![
            Span::styled(format!("Intents ({})", design.intents.len()), theme.title),
            Span::styled("  a: add  space: flip expectation", theme.dim),
        ]),
    )];
    for intent in &design.intents {
        rows.push(Row::new(
            Target::Intent(intent.name.clone()),
            Line::from(vec![
                Span::raw(format!("  {} → {} ", intent.from, intent.to)),
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
    let list_height = (inner.height / 3).max(3).min(inner.height);
    let matrix = Rect {
        height: inner.height - list_height,
        ..inner
    };
    let list = Rect {
        y: inner.y + matrix.height,
        height: list_height,
        ..inner
    };
    (list, Some(matrix))
}

/// Draws the matrix area.
pub fn render_matrix(view: &View, area: Rect, buf: &mut Buffer) {
    let endpoints = view.session.design().endpoints();
    let names: Vec<String> = endpoints.iter().map(|e| e.name.clone()).collect();
    let lines = vec![
        Line::styled(
            format!("{} endpoints: {}", names.len(), names.join(", ")),
            view.theme.text,
        ),
        Line::raw(""),
        Line::styled(
            "The reachability engine is not part of this build yet: verdicts, paths and fixes appear here once it is.",
            view.theme.dim,
        ),
    ];
    Paragraph::new(lines).wrap(Wrap { trim: true }).render(area, buf);
}
