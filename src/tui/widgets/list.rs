//! The list every pane is built on: rows with a selection that stays in view, an optional
//! highlighted column (peering flags), and a filter line while `/` filtering is on.

use crate::tui::panes::{PaneState, Row, scroll_offset};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

/// A list of rows drawn inside an already bordered area.
pub struct RowList<'a> {
    /// The rows (already filtered).
    pub rows: &'a [Row],
    /// Selection and filter.
    pub state: &'a PaneState,
    /// Styles.
    pub theme: &'a Theme,
    /// Whether the pane has the focus (the selection is drawn brighter).
    pub focused: bool,
    /// The highlighted column of the selected row, if the rows have columns.
    pub column: Option<usize>,
    /// What to say when there are no rows.
    pub empty: &'a str,
}

/// The part of `area` where rows go (the filter line, when shown, takes the last line).
pub fn rows_area(area: Rect, state: &PaneState) -> Rect {
    if state.filtering || !state.filter.is_empty() {
        Rect {
            height: area.height.saturating_sub(1),
            ..area
        }
    } else {
        area
    }
}

impl Widget for RowList<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let list = rows_area(area, self.state);
        if list.height < area.height {
            let cursor = if self.state.filtering { "▏" } else { "" };
            let filter = Line::from(vec![
                Span::styled("/", self.theme.key),
                Span::styled(format!("{}{cursor}", self.state.filter), self.theme.input),
                Span::styled(format!("  {} match", self.rows.len()), self.theme.dim),
            ]);
            let y = area.y + area.height - 1;
            buf.set_line(area.x, y, &filter, area.width);
        }
        if self.rows.is_empty() {
            Paragraph::new(Line::styled(self.empty.to_string(), self.theme.dim)).render(list, buf);
            return;
        }
        let height = list.height as usize;
        let selected = self.state.selected.min(self.rows.len() - 1);
        let offset = scroll_offset(selected, self.rows.len(), height);
        for (i, row) in self.rows.iter().enumerate().skip(offset).take(height) {
            let y = list.y + (i - offset) as u16;
            let mut line = row.line.clone();
            if i == selected {
                let style = if self.focused {
                    self.theme.selected
                } else {
                    self.theme
                        .selected
                        .remove_modifier(Modifier::BOLD)
                        .add_modifier(Modifier::DIM)
                };
                buf.set_style(Rect::new(list.x, y, list.width, 1), style);
                line = line.patch_style(style);
                if let Some(span) = self.column.and_then(|c| row.columns.get(c)).copied()
                    && self.focused
                    && let Some(target) = line.spans.get_mut(span)
                {
                    target.style = target
                        .style
                        .add_modifier(Modifier::REVERSED | Modifier::UNDERLINED);
                }
            }
            buf.set_line(list.x, y, &line, list.width);
        }
    }
}
