//! Reusable widgets: the generic edit form, dialogs (confirm, choose, text prompt, open) and the
//! popup frame, the command palette with fuzzy matching, the help overlay, and the scrolling
//! arithmetic every list shares. They know panes only by [`PaneId`](super::pane_id::PaneId);
//! the row list the panes are built on is `panes::list`.

pub mod dialog;
pub mod form;
pub mod fuzzy;
pub mod help;
pub mod note;
pub mod palette;
pub mod path_prompt;
pub mod text;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;

/// Draws a horizontal rule across the first row of `area` (between a list and its detail).
pub fn rule(area: Rect, buf: &mut Buffer, style: Style) {
    crate::tui::widgets::text::put_line(
        buf,
        area.x,
        area.y,
        &Line::styled("─".repeat(area.width as usize), style),
        area.width,
    );
}

/// Draws a rule across the first row of a detail area and returns the rows below it (`None`
/// when the area has no room): the shape of every pane's detail under its list.
pub fn below_rule(area: Rect, buf: &mut Buffer, style: Style) -> Option<Rect> {
    if area.height == 0 {
        return None;
    }
    rule(area, buf, style);
    Some(Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    })
}

/// Splits `area` into the part above and a part `bottom` rows high below it.
pub fn split_bottom(area: Rect, bottom: u16) -> (Rect, Rect) {
    let [top, low] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(bottom)]).areas(area);
    (top, low)
}

/// The index of the selected row among `len` visible rows (the selection may point past the
/// end after the list shrank).
pub fn clamped(selected: usize, len: usize) -> usize {
    selected.min(len.saturating_sub(1))
}

/// The first visible row of a list of `len` rows in `height` lines with `selected` visible:
/// shared by drawing and mouse hit-testing so both agree.
pub fn scroll_offset(selected: usize, len: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    let half = height / 2;
    selected.saturating_sub(half).min(len - height)
}
