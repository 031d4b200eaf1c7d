//! The detail under the Peerings list: the flag under the cursor, then each link of the
//! selected pair (name, state, sync level, flags in words, every Azure rule it breaks) and the
//! legend of the row marks. The area is sized to what it holds and to the room the list leaves
//! ([`split`]); when it cannot hold everything it scrolls to the lines of the link the cursor
//! is on, under the flag line, which always shows. Cost: the detail's lines are built and
//! wrapped (counted) once per frame.

use super::peerings::{NOT_IN_SYNC, cursor_flag, state_style};
use super::{PaneSplit, Target, View};
use crate::model::{PeeringFlag, SyncLevel};
use crate::tui::theme::Theme;
use crate::tui::widgets::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use std::ops::Range;

/// The rows the list keeps at least when the detail wants more than the pane has: the header
/// and three pairs (so the cursor's pair shows with a neighbour each side), or half the pane.
const LIST_AT_LEAST: u16 = 4;

/// The detail's lines and which of them describe the link under the flag cursor.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    /// The lines: first the flag under the cursor (drawn on one line), then the links' lines
    /// (wrapped), then the legend.
    pub lines: Vec<Line<'static>>,
    /// The lines of the link the cursor is on (kept in view when the area scrolls).
    pub focus: Range<usize>,
    /// Whether the first line is the flag under the cursor, drawn on one line above the rest
    /// (without a selected pair the one line is a hint, which wraps like the rest).
    pub pinned: bool,
}

impl Detail {
    /// The rows the detail takes at `width`, counting the rule above it: one for the flag
    /// line, and the wrapped rows of the rest.
    pub fn rows(&self, width: u16) -> u16 {
        if width == 0 || self.lines.is_empty() {
            return 0;
        }
        let pinned = usize::from(self.pinned);
        let rest = wrapped_rows(&self.lines[pinned..], width);
        u16::try_from(1 + pinned + rest).unwrap_or(u16::MAX)
    }
}

/// The rows `lines` take when wrapped at `width`, as the detail draws them.
fn wrapped_rows(lines: &[Line<'static>], width: u16) -> usize {
    if lines.is_empty() {
        return 0;
    }
    Paragraph::new(lines.to_vec())
        .wrap(Wrap { trim: false })
        .line_count(width)
}

/// Splits the Peerings pane's `inner` area between the list, which needs `list_rows` rows
/// (header, pairs and filter line), and the detail, which wants `detail_rows` (see
/// [`Detail::rows`]). The detail gets what it wants when the list still has its rows or at
/// least `LIST_AT_LEAST` (or half the pane, when more); below two rows it is left out.
pub fn split(inner: Rect, list_rows: u16, detail_rows: u16) -> PaneSplit {
    let keep = list_rows.min(LIST_AT_LEAST.max(inner.height / 2));
    let detail = detail_rows.min(inner.height.saturating_sub(keep));
    if detail < 2 {
        return PaneSplit {
            list: inner,
            extra: None,
        };
    }
    let list_height = inner.height - detail;
    PaneSplit {
        list: Rect {
            height: list_height,
            ..inner
        },
        extra: Some(Rect {
            y: inner.y + list_height,
            height: detail,
            ..inner
        }),
    }
}

/// The detail of the selected pair (or the hint to select one), with the lines of the link the
/// cursor is on marked.
pub fn detail(view: &View, selected: Option<&Target>) -> Detail {
    let theme = view.theme;
    let design = view.session.design();
    let Some(Target::PeeringPair { a, b }) = selected else {
        return Detail {
            lines: vec![Line::styled(
                "Select a pair: Space toggles the flag under the cursor (h/l move), r creates the reverse link, H peers a hub with spokes.",
                theme.dim,
            )],
            focus: 0..1,
            pinned: false,
        };
    };
    let mut lines = Vec::new();
    match cursor_flag(design, a, b, view.flag_cursor) {
        Some(flag) => lines.push(Line::styled(flag, theme.accent)),
        None => {
            let (local, remote) = view.flag_cursor.link_ends(a, b);
            lines.push(Line::styled(
                format!("the cursor is on {local} → {remote}, which does not exist (r creates it)"),
                theme.dim,
            ));
        }
    }
    let mut focus = 0..1;
    let cursor_link = view.flag_cursor.link_ends(a, b);
    for (arrow, local, remote) in [("→", a, b), ("←", b, a)] {
        let start = lines.len();
        match design.peering_between(local, remote) {
            Some(link) => {
                let state = design.peering_state(link);
                let sync = design.sync_level(link);
                let sync_style = if sync == SyncLevel::FullyInSync {
                    theme.ok
                } else {
                    theme.warning
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("{arrow} {} ", link.name), theme.accent),
                    Span::styled(state.to_string(), state_style(theme, state)),
                    Span::raw(" · "),
                    Span::styled(sync.to_string(), sync_style),
                    Span::styled(
                        if sync == SyncLevel::LocalNotInSync
                            || sync == SyncLevel::LocalAndRemoteNotInSync
                        {
                            "  (s: sync)"
                        } else {
                            ""
                        },
                        theme.key,
                    ),
                ]));
                let on: Vec<&str> = PeeringFlag::ALL
                    .into_iter()
                    .filter(|flag| flag.get(link))
                    .map(PeeringFlag::words)
                    .collect();
                lines.push(Line::styled(
                    format!(
                        "  {}",
                        if on.is_empty() {
                            "no flags set".to_string()
                        } else {
                            on.join(", ")
                        }
                    ),
                    theme.dim,
                ));
                for violation in design.peering_violations(link) {
                    let style = if violation.invalidates_peering() {
                        theme.error
                    } else {
                        theme.warning
                    };
                    lines.push(Line::styled(
                        format!("  {} {violation}", violation.rule()),
                        style,
                    ));
                }
            }
            None => lines.push(Line::from(vec![
                Span::styled(format!("{arrow} {local} → {remote} "), theme.accent),
                Span::styled("missing", theme.error),
                Span::styled(" (r: create it)", theme.key),
            ])),
        }
        if (local.as_str(), remote.as_str()) == cursor_link {
            focus = start..lines.len();
        }
    }
    // The legend of the row's marks comes last: it is what a short pane can spare.
    lines.push(Line::styled(
        format!(
            "· off  {NOT_IN_SYNC} not in sync  C I D Connected, Initiated, Disconnected  ? lists marks"
        ),
        theme.dim,
    ));
    Detail {
        lines,
        focus,
        pinned: true,
    }
}

/// Draws the detail in `area`: a rule, the flag under the cursor on one line (cut with `…`),
/// then the rest wrapped. When it does not fit the legend goes first; then it scrolls so the
/// cursor's link shows from its first line, and a `…` in the last cell says more follows.
pub fn render_detail(detail: &Detail, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let Some(body) = crate::tui::widgets::below_rule(area, buf, theme.border) else {
        return;
    };
    if body.height == 0 || detail.lines.is_empty() {
        return;
    }
    let pinned = usize::from(detail.pinned);
    let (first, rest) = detail.lines.split_at(pinned);
    for line in first {
        text::put_line(buf, body.x, body.y, line, body.width);
    }
    let below = Rect {
        y: body.y + u16::from(detail.pinned),
        height: body.height - u16::from(detail.pinned),
        ..body
    };
    let mut rest = rest.to_vec();
    let mut total = wrapped_rows(&rest, below.width);
    let room = usize::from(below.height);
    if total > room && detail.pinned {
        // The legend (the last line) is what a short area spares first.
        rest.pop();
        total = wrapped_rows(&rest, below.width);
    }
    let scroll = if total > room {
        // The rows before the cursor's link, so it starts at the top; no further than the end.
        let before = detail.focus.start.saturating_sub(pinned).min(rest.len());
        wrapped_rows(&rest[..before], below.width).min(total - room)
    } else {
        0
    };
    Paragraph::new(rest)
        .wrap(Wrap { trim: false })
        .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
        .render(below, buf);
    if scroll + room < total && below.width > 0 && below.height > 0 {
        // More follows below the area: its last cell says so.
        buf[(below.right() - 1, below.bottom() - 1)].set_symbol("…");
    }
}
