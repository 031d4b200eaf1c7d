//! A read-only text popup that scrolls: the "as if every rule allowed it" view (`p`). Any key
//! but the scrolling ones closes it.

use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

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
        // As tall as the text needs (a wrapped line may take a row more than its width
        // says), at most the area less a row above and below.
        let inner = usize::from(width.saturating_sub(2)).max(1);
        let rows: usize = self
            .lines
            .iter()
            .map(|l| {
                let w = super::text::width(l);
                if w <= inner { 1 } else { w.div_ceil(inner) + 1 }
            })
            .sum();
        let wanted = u16::try_from(rows + 2).unwrap_or(u16::MAX);
        let height = wanted.min(area.height.saturating_sub(2)).min(area.height);
        let inner = super::dialog::popup(
            area,
            (width, height),
            &self.title,
            &[("j/k", "scroll"), ("any other key", "closes")],
            theme,
            buf,
        );
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
