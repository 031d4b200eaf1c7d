//! A read-only text popup that scrolls: the "as if every rule allowed it" view (`p`). Any key
//! but the scrolling ones closes it.

use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

/// A titled text to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Title.
    pub title: String,
    /// The text, one entry per line (long lines wrap).
    pub lines: Vec<String>,
    /// The first line shown.
    pub scroll: usize,
}

impl Note {
    /// Reads one key: j/k, arrows and PageUp/PageDown scroll; any other key closes (returns
    /// `false`).
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        let last = self.lines.len().saturating_sub(1);
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => self.scroll = (self.scroll + 1).min(last),
            KeyCode::Up | KeyCode::Char('k') => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageDown => self.scroll = (self.scroll + 10).min(last),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            _ => return false,
        }
        true
    }

    /// Draws the note centred over `area`.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = area.width.saturating_sub(4).clamp(40, 100).min(area.width);
        let height = area.height.saturating_sub(2).min(area.height);
        let popup = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        };
        Clear.render(popup, buf);
        let block = Block::bordered()
            .title_top(Line::styled(format!(" {} ", self.title), theme.title))
            .title_bottom(Line::from(vec![
                Span::styled(" j/k", theme.key),
                Span::raw(" scroll  "),
                Span::styled("any other key", theme.key),
                Span::raw(" closes "),
            ]))
            .border_style(theme.border_focused);
        let inner = block.inner(popup);
        block.render(popup, buf);
        let lines: Vec<Line> = self
            .lines
            .iter()
            .skip(self.scroll)
            .map(|l| {
                let style = if l.starts_with("  ✗") {
                    theme.blocked
                } else {
                    theme.text
                };
                Line::styled(l.clone(), style)
            })
            .collect();
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}
