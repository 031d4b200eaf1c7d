//! The command palette (`:`): every action, fuzzy-filtered by what you type, with its keys.

use super::fuzzy;
use crate::tui::action::Action;
use crate::tui::keymap::Keymap;
use crate::tui::pane_id::PaneId;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Palette state: the query and the highlighted match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Palette {
    /// What has been typed.
    pub query: String,
    /// Index into the matches.
    pub selected: usize,
    /// Whether the query is selected (Ctrl-a): the next character replaces it.
    pub replace: bool,
}

/// What a key did to the palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaletteOutcome {
    /// Still open.
    Open,
    /// Run this action.
    Run(Action),
    /// Closed without running anything.
    Close,
}

impl Palette {
    /// The actions matching the query, best first.
    pub fn matches(&self) -> Vec<Action> {
        let mut scored: Vec<(i64, usize, Action)> = Action::ALL
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                let text = format!("{} {:?}", a.describe(), a);
                fuzzy::score(&self.query, &text)
                    .map(|s| (s + fuzzy::word_bonus(&self.query, &text), i, *a))
            })
            .collect();
        scored.sort_by_key(|(s, i, _)| (-s, *i));
        scored.into_iter().map(|(_, _, a)| a).collect()
    }

    /// Handles one key.
    pub fn handle_key(&mut self, key: KeyEvent) -> PaletteOutcome {
        match key.code {
            KeyCode::Esc => return PaletteOutcome::Close,
            KeyCode::Enter => {
                return match self.matches().get(self.selected) {
                    Some(action) => PaletteOutcome::Run(*action),
                    None => PaletteOutcome::Close,
                };
            }
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Tab => {
                self.selected = (self.selected + 1).min(self.matches().len().saturating_sub(1));
            }
            _ => {
                if super::text::edit_text(&mut self.query, &mut self.replace, key) {
                    self.selected = 0;
                }
            }
        }
        PaletteOutcome::Open
    }

    /// Draws the palette over the top of `area`.
    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        keymap: &Keymap,
        pane: PaneId,
    ) {
        let width = area.width.clamp(40, 70).min(area.width);
        let matches = self.matches();
        // From row 1 down to above the status line, which stays readable.
        let height = (matches.len() as u16 + 3)
            .min(area.height.saturating_sub(3))
            .max(4);
        let popup = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + 1,
            width,
            height: height.min(area.height),
        };
        let inner = super::dialog::frame(
            popup,
            "Command palette",
            Line::default(),
            theme.border_focused,
            theme,
            buf,
        );
        if inner.height == 0 {
            return;
        }
        let prompt = Line::from(vec![
            Span::styled(": ", theme.key),
            Span::styled(format!("{}▏", self.query), theme.input),
        ]);
        crate::tui::widgets::text::put_line(buf, inner.x, inner.y, &prompt, inner.width);
        let list_height = inner.height.saturating_sub(1) as usize;
        let offset = super::scroll_offset(self.selected, matches.len(), list_height);
        for (i, action) in matches.iter().enumerate().skip(offset).take(list_height) {
            let keys: Vec<String> = keymap
                .keys_for(*action, pane)
                .iter()
                .map(|k| k.to_string())
                .collect();
            // The keys keep their own column at the right; the label is cut before it with `…`.
            let keys = super::text::fit(&keys.join(" "), usize::from(inner.width) / 3).into_owned();
            let label_width =
                usize::from(inner.width).saturating_sub(super::text::width(&keys) + 1);
            let label = super::text::fit(action.describe(), label_width).into_owned();
            let gap = label_width.saturating_sub(super::text::width(&label)) + 1;
            let mut line = Line::from(vec![
                Span::raw(format!("{label}{}", " ".repeat(gap))),
                Span::styled(keys, theme.key),
            ]);
            if i == self.selected {
                line = line.patch_style(theme.selected);
            }
            crate::tui::widgets::text::put_line(
                buf,
                inner.x,
                inner.y + 1 + (i - offset) as u16,
                &line,
                inner.width,
            );
        }
    }
}
