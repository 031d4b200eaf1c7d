//! Drawing: the frame is a function of the session and the UI state. The layout is computed
//! first (and kept for mouse hit-testing), then each pane, the status bar, the key hints, and
//! the open overlay on top.

use super::action::Action;
use super::app::{App, Overlay};
use super::layout::{MIN_SIZE, layout, tab_label};
use super::panes::{self, PaneId, PaneState, View, peerings, reach};
use super::widgets::list::{RowList, rows_area};
use super::widgets::split_bottom;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

/// Splits a pane's inner area into its list and its extra area (details, effective routes,
/// the matrix), by pane.
pub fn split_pane(pane: PaneId, inner: Rect) -> (Rect, Option<Rect>) {
    match pane {
        PaneId::Peerings => {
            let detail = peerings::detail_height(inner.height);
            let (list, extra) = split_bottom(inner, detail);
            (list, (detail > 0).then_some(extra))
        }
        PaneId::Reach => reach::split(inner),
        PaneId::Diagnostics if inner.height >= 6 => {
            let (list, extra) = split_bottom(inner, (inner.height / 2).min(5));
            (list, Some(extra))
        }
        PaneId::Routes if inner.height >= 8 => {
            let (list, extra) = split_bottom(inner, inner.height - inner.height / 2);
            (list, Some(extra))
        }
        _ => (inner, None),
    }
}

/// The rectangle where a pane's rows are drawn, for mouse hit-testing.
pub fn list_rect(pane: PaneId, rect: Rect, state: &PaneState) -> Option<Rect> {
    let inner = rect.inner(Margin::new(1, 1));
    let (list, _) = split_pane(pane, inner);
    let rows = rows_area(list, state);
    (rows.height > 0).then_some(rows)
}

impl App {
    /// Draws the whole UI.
    pub fn render(&mut self, frame: &mut Frame) {
        let area = frame.area();
        self.areas = layout(area, self.focus);
        if let Some(rect) = self.areas.rect_of(PaneId::Reach) {
            self.live.capacity = reach::capacity(rect);
        }
        self.refresh_live();
        let buf = frame.buffer_mut();
        if let Some(whole) = self.areas.too_small {
            let notice = format!(
                "vnetlab needs a terminal of at least {}×{}; this one is {}×{}. Enlarge the window (q quits).",
                MIN_SIZE.0, MIN_SIZE.1, whole.width, whole.height
            );
            Paragraph::new(notice)
                .style(self.config.theme.warning)
                .wrap(Wrap { trim: true })
                .render(whole, buf);
            return;
        }
        if let Some(tabs) = self.areas.tabs {
            self.render_tabs(tabs, buf);
        }
        // One view per frame: building it walks the VNets tree for the selection's context.
        let view = self.view();
        for (pane, rect) in self.areas.panes.clone() {
            self.render_pane(&view, pane, rect, buf);
        }
        self.render_status(&view, self.areas.status, buf);
        self.render_hints(self.areas.hints, buf);
        let theme = &self.config.theme;
        match &self.overlay {
            Some(Overlay::Help(help)) => help.render(area, buf, theme, &self.config.keymap),
            Some(Overlay::Palette(palette)) => {
                palette.render(area, buf, theme, &self.config.keymap, self.focus);
            }
            Some(Overlay::Form(_, form)) => {
                if let Some(cursor) = form.render(area, buf, theme) {
                    frame.set_cursor_position(cursor);
                }
            }
            Some(Overlay::Confirm(confirm)) => confirm.render(area, buf, theme),
            Some(Overlay::Choose(choose)) => choose.render(area, buf, theme),
            None => {}
        }
    }

    fn render_tabs(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.config.theme;
        let mut spans = Vec::new();
        for (i, pane) in PaneId::ALL.iter().enumerate() {
            let style = if *pane == self.focus {
                theme.selected
            } else {
                theme.dim
            };
            spans.push(Span::styled(tab_label(*pane, i), style));
            spans.push(Span::raw(" "));
        }
        buf.set_line(area.x, area.y, &Line::from(spans), area.width);
    }

    fn render_pane(&self, view: &View, pane: PaneId, rect: Rect, buf: &mut Buffer) {
        let theme = &self.config.theme;
        let focused = pane == self.focus;
        let title = match pane {
            PaneId::Reach => format!(" {} · {} ", pane.title(), self.session.flow()),
            _ => format!(" {} ", pane.title()),
        };
        let block = Block::bordered()
            .title_top(Line::styled(
                title,
                if focused { theme.title } else { theme.dim },
            ))
            .border_style(if focused {
                theme.border_focused
            } else {
                theme.border
            });
        let inner = block.inner(rect);
        block.render(rect, buf);
        let (list, extra) = split_pane(pane, inner);
        let state = &self.panes[&pane];
        let rows = panes::visible_rows(pane, view, state);
        let empty = match pane {
            PaneId::Vnets => "no VNets yet: press a to add one",
            PaneId::Peerings => "no peerings yet: a adds one, H peers a hub with spokes",
            PaneId::Diagnostics => "no findings: the design passes every check",
            _ => "nothing here yet: press a to add",
        };
        RowList {
            rows: &rows,
            state,
            theme,
            focused: focused && (pane != PaneId::Reach || self.live.in_intents),
            column: (pane == PaneId::Peerings).then_some(self.peering_column),
            empty,
        }
        .render(list, buf);
        if let Some(extra) = extra {
            match pane {
                PaneId::Peerings => {
                    let selected = rows
                        .get(state.selected.min(rows.len().saturating_sub(1)))
                        .map(|r| &r.target);
                    peerings::render_detail(peerings::detail(view, selected), theme, extra, buf);
                }
                PaneId::Reach => {
                    let cursor = reach::Cursor {
                        row: self.live.row,
                        column: self.live.column,
                        active: focused && !self.live.in_intents,
                    };
                    reach::render_matrix(view, &cursor, extra, buf);
                }
                PaneId::Routes => panes::routes::render_effective(view, extra, buf),
                PaneId::Diagnostics => {
                    let selected = rows
                        .get(state.selected.min(rows.len().saturating_sub(1)))
                        .map(|r| &r.target);
                    panes::diagnostics::render_detail(view, selected, extra, buf);
                }
                _ => {}
            }
        }
    }

    fn render_status(&self, view: &View, area: Rect, buf: &mut Buffer) {
        let theme = &self.config.theme;
        buf.set_style(area, theme.status);
        let design = self.session.design();
        let file = self.file.as_ref().and_then(|p| p.file_name()).map_or_else(
            || format!("[{}]", design.name),
            |n| n.to_string_lossy().into_owned(),
        );
        let (errors, warnings) = panes::diagnostics::count(view);
        let mut spans = vec![Span::styled(format!(" {file}"), theme.status)];
        if self.session.is_dirty() {
            spans.push(Span::styled(" ●", theme.dirty.patch(theme.status)));
        }
        spans.push(Span::styled(" │ ", theme.status));
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let error_style = if errors > 0 {
            theme.error.patch(theme.status)
        } else {
            theme.status
        };
        let warning_style = if warnings > 0 {
            theme.warning.patch(theme.status)
        } else {
            theme.status
        };
        spans.push(Span::styled(plural(errors, "error"), error_style));
        spans.push(Span::styled(", ", theme.status));
        spans.push(Span::styled(plural(warnings, "warning"), warning_style));
        spans.push(Span::styled(" │ flow ", theme.status));
        spans.push(Span::styled(
            self.session.flow().to_string(),
            theme.accent.patch(theme.status),
        ));
        spans.push(Span::styled(" │ ", theme.status));
        if let Some(status) = &self.status {
            let style = if status.error { theme.error } else { theme.ok };
            spans.push(Span::styled(
                status.text.clone(),
                style.patch(theme.status).fg(style.fg.unwrap_or_default()),
            ));
        } else {
            spans.push(Span::styled(
                format!("{} VNets, {} VMs", design.vnets.len(), design.vms.len()),
                theme.status,
            ));
        }
        buf.set_line(area.x, area.y, &Line::from(spans), area.width);
    }

    fn render_hints(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.config.theme;
        let mut actions = vec![Action::Add, Action::Edit, Action::Delete];
        match self.focus {
            PaneId::Peerings => actions.extend([
                Action::Toggle,
                Action::ReversePeering,
                Action::HubAndSpokes,
                Action::SyncPeering,
            ]),
            PaneId::Gateway => actions.push(Action::GatewayTransit),
            PaneId::Reach => actions.extend([Action::CycleFlow, Action::ApplyFix]),
            PaneId::Diagnostics => actions = vec![Action::Edit, Action::ApplyFix],
            _ => actions.push(Action::Toggle),
        }
        actions.extend([
            Action::Undo,
            Action::Save,
            Action::Filter,
            Action::Palette,
            Action::Help,
            Action::Quit,
        ]);
        let mut spans = Vec::new();
        for action in actions {
            let Some(key) = self
                .config
                .keymap
                .keys_for(action, self.focus)
                .into_iter()
                .next()
            else {
                continue;
            };
            // Enter in Diagnostics jumps to the finding's object rather than opening a form.
            let label = match action {
                Action::Edit if self.focus == PaneId::Diagnostics => "jump",
                other => other.hint(),
            };
            spans.push(Span::styled(format!(" {key}"), theme.key));
            spans.push(Span::styled(format!(" {label} "), theme.dim));
        }
        buf.set_line(area.x, area.y, &Line::from(spans), area.width);
    }
}
