//! The help overlay (`?`): every binding of the keymap, grouped by where it applies, filtered
//! by typing. Generated from the keymap, so it always tells the truth about the keys.

use crate::model::PeeringFlag;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

/// The mark after a link's state when its copy of the remote address space is stale (`s`
/// syncs). Not `*`: that marks the matrix cells the last edit changed. Drawn by the Peerings
/// pane; defined with the overlay that explains every mark.
pub const NOT_IN_SYNC: &str = "~";

/// The heading of the legend's entries in the help list.
const MARKS_PLACE: &str = "marks on screen (legend)";

/// Every mark the panes draw and what it means, `(mark, meaning)`: the legend the help lists
/// after the keys (and finds by the mark: `? AFGR`). Peering flags come from [`PeeringFlag`].
pub fn marks() -> Vec<(String, String)> {
    let letters: String = PeeringFlag::ALL.map(PeeringFlag::letter).iter().collect();
    let mut marks = vec![(
        letters,
        "Peerings: the four flags of a link, each a letter when on (below)".to_string(),
    )];
    marks.extend(PeeringFlag::ALL.map(|flag| {
        (
            flag.letter().to_string(),
            format!("Peerings: {} is on", flag.words()),
        )
    }));
    marks.extend(
        [
            (
                "·",
                "Peerings: a flag that is off; matrix: a VM with itself (pick another column)",
            ),
            (
                "→ ←",
                "Peerings: the link from the pair's first VNet (→) and the reverse link (←)",
            ),
            (
                "C I D",
                "Peerings, narrow: the link is Connected, Initiated or Disconnected",
            ),
            (
                NOT_IN_SYNC,
                "Peerings: the link's copy of the remote address space is not in sync (s syncs)",
            ),
            (
                "missing -",
                "Peerings: that direction of the pair has no link (r creates it)",
            ),
            ("✓ ✗", "matrix and explanations: reachable, blocked"),
            (
                "◐",
                "matrix: a group of endpoints with some pairs reachable and some blocked",
            ),
            (
                "*",
                "matrix: the cell changed with the last edit (✓* became reachable)",
            ),
            ("▸", "matrix: a group of endpoints (Enter expands it)"),
            (
                "●",
                "Route table: the selected subnet's own table; status bar: unsaved edits",
            ),
            (
                "▶",
                "Route table, NSG: the route or rule that decided the selected pair's request",
            ),
            ("‹ ›", "forms: a choice; ← and → cycle it"),
            (
                "?",
                "matrix and lesson goals: hidden while predicting (R on the pair asks: reachable or blocked, then which hop)",
            ),
            (
                "★",
                "lesson card and strip: every goal passes, the lesson is complete",
            ),
            (
                "… ]  [ …",
                "lesson card: the page goes on below (] reads on) or above ([ reads back)",
            ),
            ("✗ ! i", "Diagnostics: error, warning, information"),
            (
                "…",
                "text cut to fit the pane (widen the terminal, or full screen)",
            ),
        ]
        .map(|(mark, meaning)| (mark.to_string(), meaning.to_string())),
    );
    marks
}

/// Help state: the filter and the scroll position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Help {
    /// Typed filter.
    pub filter: String,
    /// First line shown.
    pub scroll: usize,
    /// Whether the filter is selected (Ctrl-a): the next character replaces it.
    pub replace: bool,
}

impl Help {
    /// Handles one key; returns false when the overlay should close.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        match key.code {
            KeyCode::Esc => return false,
            KeyCode::Char('?') if self.filter.is_empty() => return false,
            KeyCode::Down => self.scroll += 1,
            KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            _ => {
                if crate::tui::widgets::text::edit_text(&mut self.filter, &mut self.replace, key) {
                    self.scroll = 0;
                }
            }
        }
        true
    }

    /// The help entries, one per action and place (with all its keys), filtered:
    /// `(place, keys, description)`.
    pub fn entries(&self, keymap: &Keymap) -> Vec<(String, String, String)> {
        let needle = self.filter.to_lowercase();
        let mut entries: Vec<(String, String, String)> = Vec::new();
        for (context, key, action) in keymap.all_bindings() {
            let place = match context {
                Context::Global => "everywhere".to_string(),
                Context::Pane(pane) => pane.title().to_string(),
            };
            let text = action.describe().to_string();
            match entries
                .iter_mut()
                .find(|(p, _, t)| *p == place && *t == text)
            {
                Some((_, keys, _)) => {
                    keys.push(' ');
                    keys.push_str(&key.to_string());
                }
                None => entries.push((place, key.to_string(), text)),
            }
        }
        entries.extend(
            marks()
                .into_iter()
                .map(|(mark, meaning)| (MARKS_PLACE.to_string(), mark, meaning)),
        );
        entries.retain(|(place, keys, text)| {
            needle.is_empty()
                || text.to_lowercase().contains(&needle)
                || keys.split(' ').any(|k| k.to_lowercase() == needle)
                || (place == MARKS_PLACE && {
                    // A mark is found by itself or by a run of marks holding it (`AFGR`).
                    let mark = keys.to_lowercase();
                    mark.contains(&needle) || needle.contains(&mark)
                })
                || place.to_lowercase().contains(&needle)
        });
        entries
    }

    /// Draws the overlay over `area`.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, keymap: &Keymap) {
        let popup = Rect {
            x: area.x + area.width / 8,
            y: area.y + 1,
            width: area.width - area.width / 4,
            height: area.height.saturating_sub(2),
        };
        let bottom = Line::from(vec![
            Span::raw(" type to filter  "),
            Span::styled("esc", theme.key),
            Span::raw(" close  "),
            Span::styled(":", theme.key),
            Span::raw(" palette runs any action by name "),
        ]);
        let inner = super::dialog::frame(
            popup,
            "Help: keys and marks",
            bottom,
            theme.border_focused,
            theme,
            buf,
        );
        let mut lines = vec![Line::from(vec![
            Span::styled("filter: ", theme.dim),
            Span::styled(format!("{}▏", self.filter), theme.input),
        ])];
        let mut last_place = String::new();
        for (place, key, text) in self.entries(keymap) {
            if place != last_place {
                lines.push(Line::styled(place.clone(), theme.title));
                last_place = place;
            }
            lines.push(Line::from(vec![
                Span::styled(format!("  {key:<12}"), theme.key),
                Span::raw(text),
            ]));
        }
        if lines.len() == 1 {
            lines.push(Line::styled(
                "  no key or mark matches the filter",
                theme.dim,
            ));
        }
        let scroll = self.scroll.min(lines.len().saturating_sub(1));
        Paragraph::new(
            lines
                .split_off(0)
                .into_iter()
                .skip(scroll)
                .map(|line| super::text::fit_line(line, usize::from(inner.width)))
                .collect::<Vec<_>>(),
        )
        .render(inner, buf);
    }
}
