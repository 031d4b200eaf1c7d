//! Drawing: the frame is a function of the session and the UI state. `render` takes the app by
//! shared reference: it reads the layout the app computed when it last settled (or lays out a
//! frame of a size it was not told about on the spot), the live results and the panes' rows,
//! runs no engine and changes nothing. Each pane styles only the rows in view; then the status
//! bar, the key hints, and the open overlay on top.

use super::action::Action;
use super::app::App;
use super::layout::{MIN_SIZE, Screen, tab_labels};
use super::overlay::Overlay;
use super::panes::list::{RowList, window};
use super::panes::{self, PaneId, PaneSplit, View, peering_detail, peerings, reach};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};
use std::borrow::Cow;

impl App {
    /// Draws the whole UI. Call [`App::resize`] (or use [`App::draw`]) when the terminal's size
    /// changes, so the matrix is grouped for the size it is drawn at.
    pub fn render(&self, frame: &mut Frame) {
        let terminal = frame.area();
        // The panes get what the lesson card and the presenter's banner leave.
        let teach = self.teach_areas(terminal);
        let area = teach.panes;
        let screen = if self.screen.size == area {
            Cow::Borrowed(&self.screen)
        } else {
            Cow::Owned(Screen::new(
                area,
                self.nav.focus,
                self.nav.full_screen,
                &self.live,
                &self.matrix_view,
                &self.session,
            ))
        };
        let buf = frame.buffer_mut();
        if let Some(whole) = screen.areas.too_small {
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
        if let Some(tabs) = screen.areas.tabs {
            self.render_tabs(tabs, buf);
        }
        // One view per frame: building it walks the VNets model for the selection's context.
        let view = self.view();
        for (pane, rect) in &screen.areas.panes {
            self.render_pane(&view, &screen, *pane, *rect, buf);
            if *pane == PaneId::Diagnostics {
                self.mask_diagnostics(*rect, buf);
            }
        }
        self.render_status(&view, screen.areas.status, buf);
        self.render_hints(screen.areas.hints, buf);
        if let Some(layout) = &screen.matrix {
            self.mask_matrix(layout, buf);
        }
        self.render_teach(&teach, buf);
        let area = terminal;
        let theme = &self.config.theme;
        match &self.overlay {
            Some(Overlay::Help(help)) => help.render(area, buf, theme, &self.config.keymap),
            Some(Overlay::Palette(palette)) => {
                palette.render(area, buf, theme, &self.config.keymap, self.nav.focus);
            }
            Some(Overlay::Form(_, form)) => {
                if let Some(cursor) = form.render(area, buf, theme) {
                    frame.set_cursor_position(cursor);
                }
            }
            Some(Overlay::Confirm(confirm)) => confirm.render(area, buf, theme),
            Some(Overlay::Choose(choose)) => choose.render(area, buf, theme),
            Some(Overlay::Note(note)) => note.render(area, buf, theme),
            Some(Overlay::Path(prompt) | Overlay::LessonPath(prompt, _)) => {
                prompt.render(area, buf, theme);
            }
            Some(Overlay::GoTo(goto)) => {
                goto.render(area, buf, theme, self.session.analysis().endpoints());
            }
            None => {}
        }
    }

    fn render_tabs(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.config.theme;
        let mut spans = Vec::new();
        for (pane, label) in PaneId::ALL.iter().zip(tab_labels(area.width)) {
            let style = if *pane == self.nav.focus {
                theme.selected
            } else {
                theme.dim
            };
            spans.push(Span::styled(label, style));
            spans.push(Span::raw(" "));
        }
        crate::tui::widgets::text::put_line(buf, area.x, area.y, &Line::from(spans), area.width);
    }

    /// The Peerings pane's split of its `inner` area: the list keeps its rows (or
    /// [`peering_detail::split`]'s share) and the detail gets the rows its lines take.
    pub(super) fn peerings_split(&self, inner: Rect) -> PaneSplit {
        let view = self.view();
        let state = &self.nav.panes[PaneId::Peerings];
        let targets = self.visible_targets(PaneId::Peerings, &view);
        let filter_line = usize::from(state.filtering || !state.filter.is_empty());
        let list_rows = u16::try_from(targets.len().max(1) + filter_line).unwrap_or(u16::MAX);
        let selected = targets.get(panes::clamped(state.selected, targets.len()));
        let detail = peering_detail::detail(&view, selected);
        peering_detail::split(inner, list_rows, detail.rows(inner.width))
    }

    fn render_pane(
        &self,
        view: &View,
        screen: &Screen,
        pane: PaneId,
        rect: Rect,
        buf: &mut Buffer,
    ) {
        let theme = &self.config.theme;
        let focused = pane == self.nav.focus;
        // The results panes show the evaluated revision: while a newer one is being evaluated
        // they say so (and the matrix names the flow it is of).
        let evaluating = if self.session.is_stale() {
            " · evaluating…"
        } else {
            ""
        };
        let title = match pane {
            PaneId::Reach => format!(
                " {} · {}{evaluating} ",
                pane.title(),
                self.session.analysis().flow()
            ),
            PaneId::Diagnostics => format!(" {}{evaluating} ", pane.title()),
            PaneId::Topology => format!(
                " {} · {} ",
                pane.title(),
                super::topology::zoom_name(self.topology.zoom())
            ),
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
        if pane == PaneId::Topology {
            return panes::topology::render(&self.topology, theme, rect, buf);
        }
        let split = screen.split(pane, inner);
        let state = &self.nav.panes[pane];
        let targets = self.visible_targets(pane, view);
        let shown = window(split.list, state, targets.len());
        let rows = if pane == PaneId::Peerings {
            // Peering rows shrink to the pane so both directions and all eight flags show.
            peerings::rows_within(view, &targets[shown.clone()], usize::from(split.list.width))
        } else {
            panes::rows(pane, view, &targets[shown.clone()])
        };
        let empty = match pane {
            PaneId::Vnets => "no VNets yet: press a to add one",
            PaneId::Peerings => "no peerings yet: a adds one, H peers a hub with spokes",
            PaneId::Diagnostics => "no findings: the design passes every check",
            _ => "nothing here yet: press a to add",
        };
        let in_intents = self.live.cursor().in_intents;
        RowList {
            rows: &rows,
            offset: shown.start,
            total: targets.len(),
            state,
            theme,
            focused: focused && (pane != PaneId::Reach || in_intents),
            // One cursor in the Reachability panel: the intents list's or the matrix's.
            highlight: pane != PaneId::Reach || in_intents,
            column: (pane == PaneId::Peerings).then(|| self.nav.flag_cursor.column()),
            empty,
        }
        .render(split.list, buf);
        let Some(extra) = split.extra else {
            return;
        };
        let selected = targets.get(panes::clamped(state.selected, targets.len()));
        match pane {
            PaneId::Peerings => {
                let detail = peering_detail::detail(view, selected);
                peering_detail::render_detail(&detail, theme, extra, buf);
            }
            PaneId::Reach => {
                if let Some(layout) = &screen.matrix {
                    let live = self.live.cursor();
                    let cursor = reach::Cursor {
                        row: live.row,
                        column: live.column,
                        active: focused && !in_intents,
                        view: &self.matrix_view,
                        filter: &state.filter,
                        filtering: state.filtering,
                    };
                    reach::render_matrix(view, layout, &cursor, buf);
                }
            }
            PaneId::Diagnostics => panes::diagnostics::render_detail(view, selected, extra, buf),
            _ => {}
        }
    }

    fn render_status(&self, view: &View, area: Rect, buf: &mut Buffer) {
        let theme = &self.config.theme;
        buf.set_style(area, theme.status);
        let design = self.session.design();
        let file = self
            .document
            .path()
            .and_then(|p| p.file_name())
            .map_or_else(
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
                format!(
                    "{}, {}",
                    crate::words::count(design.vnets.len(), "VNet", "VNets"),
                    crate::words::count(design.vms.len(), "VM", "VMs")
                ),
                theme.status,
            ));
        }
        // Cut with `…` (audit row 9): the end of a status or of the hints never just stops.
        let line = super::widgets::text::fit_line(Line::from(spans), usize::from(area.width));
        crate::tui::widgets::text::put_line(buf, area.x, area.y, &line, area.width);
    }

    fn render_hints(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.config.theme;
        let mut actions = vec![Action::Add, Action::Edit, Action::Delete];
        match self.nav.focus {
            PaneId::Peerings => actions.extend([
                Action::Toggle,
                Action::ReversePeering,
                Action::HubAndSpokes,
                Action::SyncPeering,
            ]),
            PaneId::Gateway => actions.push(Action::GatewayTransit),
            // Teaching: the key that asks and reveals, while predicting or in a lesson.
            PaneId::Reach if self.teach.predict.is_some() || self.teach.run.is_some() => {
                actions = vec![
                    Action::Predict,
                    Action::Edit,
                    Action::CycleFlow,
                    Action::ApplyFix,
                ];
            }
            PaneId::Reach => actions.extend([Action::CycleFlow, Action::ApplyFix]),
            PaneId::Diagnostics => actions = vec![Action::Edit, Action::ApplyFix],
            PaneId::Topology => {
                actions = vec![
                    Action::Edit,
                    Action::PickPairEnd,
                    Action::ZoomIn,
                    Action::ZoomOut,
                    Action::FullScreen,
                    Action::ApplyFix,
                ];
            }
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
                .keys_for(action, self.nav.focus)
                .into_iter()
                .next()
            else {
                continue;
            };
            // Enter in Diagnostics jumps to the finding's object rather than opening a form.
            let label = match action {
                Action::Edit if self.nav.focus == PaneId::Diagnostics => "jump",
                Action::Predict if self.teach.predict.is_some() => "ask · reveal",
                other => other.hint(),
            };
            spans.push(Span::styled(format!(" {key}"), theme.key));
            spans.push(Span::styled(format!(" {label} "), theme.dim));
        }
        // Cut with `…` (audit row 9): the end of a status or of the hints never just stops.
        let line = super::widgets::text::fit_line(Line::from(spans), usize::from(area.width));
        crate::tui::widgets::text::put_line(buf, area.x, area.y, &line, area.width);
    }
}
