//! The help overlay (`?`): every binding of the keymap, grouped by where it applies, filtered
//! by typing. Generated from the keymap, so it always tells the truth about the keys.

use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

/// Help state: the filter and the scroll position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Help {
    /// Typed filter.
    pub filter: String,
    /// First line shown.
    pub scroll: usize,
}

impl Help {
    /// Handles one key; returns false when the overlay should close.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        match key.code {
            KeyCode::Esc => return false,
            KeyCode::Char('?') if self.filter.is_empty() => return false,
            KeyCode::Down => self.scroll += 1,
            KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::Backspace => {
                self.filter.pop();
                self.scroll = 0;
            }
            KeyCode::Char(c) => {
                self.filter.push(c);
                self.scroll = 0;
            }
            _ => {}
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
        entries.retain(|(place, keys, text)| {
            needle.is_empty()
                || text.to_lowercase().contains(&needle)
                || keys.split(' ').any(|k| k.to_lowercase() == needle)
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
        Clear.render(popup, buf);
        let block = Block::bordered()
            .title_top(Line::styled(" Help: keys ", theme.title))
            .title_bottom(Line::from(vec![
                Span::raw(" type to filter  "),
                Span::styled("esc", theme.key),
                Span::raw(" close  "),
                Span::styled(":", theme.key),
                Span::raw(" palette runs any action by name "),
            ]))
            .border_style(theme.border_focused);
        let inner = block.inner(popup);
        block.render(popup, buf);
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
            lines.push(Line::styled("  no key matches the filter", theme.dim));
        }
        let scroll = self.scroll.min(lines.len().saturating_sub(1));
        Paragraph::new(
            lines
                .split_off(0)
                .into_iter()
                .skip(scroll)
                .collect::<Vec<_>>(),
        )
        .render(inner, buf);
    }
}
