//! The Diagnostics pane: the design checks of `lint` (errors first), each naming its object;
//! Enter jumps to that object, `x` applies the check's fix when it is one edit.

use super::{Row, Target, View};
use crate::lint::Severity;
use ratatui::text::{Line, Span};

/// The row model: one row per diagnostic, in the session's order (errors first).
pub fn targets(view: &View) -> Vec<Target> {
    (0..view.session.diagnostics().len())
        .map(Target::Diagnostic)
        .collect()
}

/// The styled rows of `targets`.
pub fn rows(view: &View, targets: &[Target]) -> Vec<Row> {
    let theme = view.theme;
    let diagnostics = view.session.diagnostics();
    targets
        .iter()
        .filter_map(|target| {
            let Target::Diagnostic(i) = target else {
                return None;
            };
            let d = diagnostics.get(*i)?;
            let (mark, style) = match d.severity {
                Severity::Error => ("✗", theme.error),
                Severity::Warning => ("!", theme.warning),
                Severity::Info => ("i", theme.dim),
            };
            let mut spans = vec![
                Span::styled(format!("{mark} "), style),
                Span::styled(format!("{} ", d.subject.name), theme.accent),
                Span::raw(d.message.clone()),
            ];
            if d.fix.as_ref().is_some_and(|f| f.edit.is_some()) {
                spans.push(Span::styled("  x: fix", theme.key));
            }
            Some(Row::new(target.clone(), Line::from(spans)))
        })
        .collect()
}

/// "2 errors, 1 warning" for the status bar.
pub fn count(view: &View) -> (usize, usize) {
    let diagnostics = view.session.diagnostics();
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    (errors, warnings)
}

/// Draws the selected diagnostic in full (the rows are cut at the pane's width): its code,
/// message and fix.
pub fn render_detail(
    view: &View,
    selected: Option<&Target>,
    area: ratatui::layout::Rect,
    buf: &mut ratatui::buffer::Buffer,
) {
    let theme = view.theme;
    let Some(body) = crate::tui::widgets::below_rule(area, buf, theme.border) else {
        return;
    };
    let Some(Target::Diagnostic(index)) = selected else {
        return;
    };
    let Some(d) = view.session.diagnostics().get(*index) else {
        return;
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} {} ", d.severity, d.code), theme.key),
        Span::raw(d.message.clone()),
    ])];
    if let Some(fix) = &d.fix {
        let prefix = if fix.edit.is_some() {
            "x fix: "
        } else {
            "to fix: "
        };
        lines.push(Line::from(vec![
            Span::styled(prefix, theme.key),
            Span::raw(fix.description.clone()),
        ]));
    }
    crate::tui::widgets::text::put_wrapped(lines, true, body, buf);
}
