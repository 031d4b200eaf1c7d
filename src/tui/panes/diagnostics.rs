//! The Diagnostics pane: the design checks of `lint` (errors first), each naming its object;
//! Enter jumps to that object, `x` applies the check's fix when it is one edit.

use super::{Row, Target, View};
use crate::lint::Severity;
use ratatui::text::{Line, Span};

/// One row per diagnostic, in the session's order (errors first).
pub fn rows(view: &View) -> Vec<Row> {
    let theme = view.theme;
    let diagnostics = view.session.diagnostics();
    if diagnostics.is_empty() {
        return Vec::new();
    }
    diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| {
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
            Row::new(Target::Diagnostic(i), Line::from(spans))
        })
        .collect()
}

/// "2 errors, 1 warning" for the status bar.
pub fn count(view: &View) -> (usize, usize) {
    let diagnostics = view.session.diagnostics();
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
    (errors, warnings)
}
