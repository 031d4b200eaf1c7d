//! The list every pane is built on: rows with a selection that stays in view, an optional
//! highlighted column (peering flags), and a filter line while `/` filtering is on.

use super::{PaneState, Row};
use crate::tui::theme::Theme;
use crate::tui::widgets::{clamped, scroll_offset};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// A list of rows drawn inside an already bordered area. It is handed only the rows in view
/// (see [`window`]), styled; the rest of the list is known by its length alone.
pub struct RowList<'a> {
    /// The rows in view, the first being row `offset` of the (filtered) list.
    pub rows: &'a [Row],
    /// The index of `rows[0]` in the list.
    pub offset: usize,
    /// How many rows the (filtered) list has.
    pub total: usize,
    /// Selection and filter.
    pub state: &'a PaneState,
    /// Styles.
    pub theme: &'a Theme,
    /// Whether the pane has the focus (the selection is drawn brighter).
    pub focused: bool,
    /// Whether the selected row is highlighted at all (not while another cursor of the pane
    /// is the selection).
    pub highlight: bool,
    /// The highlighted column of the selected row, if the rows have columns.
    pub column: Option<usize>,
    /// What to say when there are no rows.
    pub empty: &'a str,
}

/// The rows of a list of `total` rows that fit in `area` with the selection in view: the range
/// of row indexes to style and draw.
pub fn window(area: Rect, state: &PaneState, total: usize) -> std::ops::Range<usize> {
    let height = rows_area(area, state).height as usize;
    let offset = scroll_offset(clamped(state.selected, total), total, height);
    offset..total.min(offset + height)
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
                Span::styled(
                    format!("  {}", crate::words::count(self.total, "match", "matches")),
                    self.theme.dim,
                ),
            ]);
            let y = area.y + area.height - 1;
            crate::tui::widgets::text::put_line(buf, area.x, y, &filter, area.width);
        }
        if self.total == 0 {
            crate::tui::widgets::text::put_wrapped(
                vec![Line::styled(self.empty.to_string(), self.theme.dim)],
                true,
                list,
                buf,
            );
            return;
        }
        let height = list.height as usize;
        let selected = clamped(self.state.selected, self.total);
        for (at, row) in self.rows.iter().enumerate().take(height) {
            let i = self.offset + at;
            let y = list.y + at as u16;
            let mut line = row.line.clone();
            if i == selected && self.highlight {
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
            // Cut rows end with `…`, never silently mid-word.
            let line = crate::tui::widgets::text::fit_line(line, list.width as usize);
            crate::tui::widgets::text::put_line(buf, list.x, y, &line, list.width);
        }
    }
}
