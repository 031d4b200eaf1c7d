//! Mouse input: a click focuses the pane (or tab) under it and selects the row (in the
//! Topology pane, the box; in the matrix, the pair of the cell); the wheel moves the selection. Hit-testing uses the app's layout, the one the frame is drawn with.

use super::action::Action;
use super::app::App;
use super::layout::list_rect;
use super::panes::{self, PaneId};
use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

impl App {
    /// Handles a mouse event: a click focuses the pane under it and selects the row.
    pub fn handle_mouse(&mut self, mouse: MouseEvent) {
        if self.overlay.is_some() {
            return;
        }
        self.catch_up();
        self.click_or_scroll(mouse);
        self.settle();
    }

    fn click_or_scroll(&mut self, mouse: MouseEvent) {
        let position = Position::new(mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(tabs) = self.screen.areas.tabs
                    && tabs.contains(position)
                {
                    if let Some((pane, _, _)) = super::layout::tab_ranges(tabs)
                        .into_iter()
                        .find(|(_, from, to)| (*from..*to).contains(&mouse.column))
                    {
                        self.nav.focus = pane;
                    }
                    return;
                }
                if let Some((pane, rect)) = self.screen.areas.pane_at(position) {
                    self.nav.focus = pane;
                    if pane == PaneId::Topology {
                        self.click_topology(rect, position);
                    } else if let Some((row, column)) = (pane == PaneId::Reach)
                        .then_some(self.screen.matrix.as_ref())
                        .flatten()
                        .and_then(|m| m.cell_at(position.x, position.y))
                    {
                        // A matrix cell: that pair (the intents list's cursor goes away).
                        self.set_matrix_cursor(row, column);
                    } else {
                        self.click_row(pane, rect, position);
                    }
                }
            }
            MouseEventKind::ScrollDown => self.apply_action(Action::Down),
            MouseEventKind::ScrollUp => self.apply_action(Action::Up),
            _ => {}
        }
    }

    fn click_row(&mut self, pane: PaneId, rect: Rect, position: Position) {
        let Some(list) = list_rect(&self.screen, pane, rect, &self.nav.panes[pane]) else {
            return;
        };
        if !list.contains(position) {
            return;
        }
        let len = self.visible_targets(pane, &self.view()).len();
        let state = &mut self.nav.panes[pane];
        let offset = panes::scroll_offset(
            panes::clamped(state.selected, len),
            len,
            list.height as usize,
        );
        let index = offset + (position.y - list.y) as usize;
        if index < len {
            state.selected = index;
        }
    }
}
