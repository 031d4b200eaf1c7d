//! Mouse input: a click focuses the pane (or tab) under it and selects the row; the wheel
//! moves the selection. Hit-testing uses the layout of the last frame.

use super::action::Action;
use super::app::App;
use super::panes::{self, PaneId};
use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

impl App {
    /// Handles a mouse event: a click focuses the pane under it and selects the row.
    pub fn handle_mouse(&mut self, mouse: MouseEvent) {
        if self.overlay.is_some() {
            return;
        }
        let position = Position::new(mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(tabs) = self.areas.tabs
                    && tabs.contains(position)
                {
                    if let Some((pane, _, _)) = super::layout::tab_ranges(tabs)
                        .into_iter()
                        .find(|(_, from, to)| (*from..*to).contains(&mouse.column))
                    {
                        self.focus = pane;
                    }
                    return;
                }
                if let Some((pane, rect)) = self.areas.pane_at(position) {
                    self.focus = pane;
                    self.click_row(pane, rect, position);
                }
            }
            MouseEventKind::ScrollDown => self.update(Action::Down),
            MouseEventKind::ScrollUp => self.update(Action::Up),
            _ => {}
        }
    }

    fn click_row(&mut self, pane: PaneId, rect: Rect, position: Position) {
        let Some(list) = super::render::list_rect(pane, rect, &self.panes[&pane]) else {
            return;
        };
        if !list.contains(position) {
            return;
        }
        let view = self.view();
        let state = &self.panes[&pane];
        let rows = panes::visible_rows(pane, &view, state);
        let offset = panes::scroll_offset(
            state.selected.min(rows.len().saturating_sub(1)),
            rows.len(),
            list.height as usize,
        );
        let index = offset + (position.y - list.y) as usize;
        if index < rows.len() {
            self.pane_state_mut(pane).selected = index;
        }
    }
}
