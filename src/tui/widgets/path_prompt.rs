//! A typed path with Tab completion of folder and file names: the Open dialog's "type a path"
//! (Ctrl-o), for designs anywhere on disk, not only the listed examples and saves, and where to
//! save a lesson (the lesson menu). Completion asks the [`Files`](crate::tui::files::Files)
//! seam, so tests run it over in-memory files.

use super::text::{edit_text, fit};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// The typed path and the completions last offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPrompt {
    /// The popup's title ("Open a file: type its path").
    pub title: String,
    /// What Enter does, for the key hint ("open", "save").
    pub verb: String,
    /// What has been typed.
    pub text: String,
    /// Whether the text is selected (Ctrl-a): the next character replaces it.
    pub replace: bool,
    /// The candidates the last Tab found (shown under the input).
    pub candidates: Vec<String>,
    /// Why the last Enter was refused, shown under the input until the text is edited.
    pub problem: Option<String>,
}

impl Default for PathPrompt {
    /// The Open dialog's prompt, empty.
    fn default() -> Self {
        PathPrompt::new("Open a file: type its path", "open", "")
    }
}

impl PathPrompt {
    /// A prompt with this title and verb (what Enter does), prefilled with `text` to edit
    /// (Ctrl-a selects it, so that typing replaces it).
    pub fn new(title: &str, verb: &str, text: &str) -> Self {
        PathPrompt {
            title: title.to_string(),
            verb: verb.to_string(),
            text: text.to_string(),
            replace: false,
            candidates: Vec::new(),
            problem: None,
        }
    }
}

/// What a key did to the prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathOutcome {
    /// Still typing.
    Editing,
    /// Open this path.
    Open(String),
    /// Closed without opening.
    Cancel,
}

impl PathPrompt {
    /// Handles one key; `complete` lists the paths that complete a partial one.
    pub fn handle_key(
        &mut self,
        key: KeyEvent,
        complete: impl FnOnce(&str) -> Vec<String>,
    ) -> PathOutcome {
        match key.code {
            KeyCode::Esc => return PathOutcome::Cancel,
            KeyCode::Enter if !self.text.trim().is_empty() => {
                return PathOutcome::Open(self.text.trim().to_string());
            }
            KeyCode::Tab => {
                let found = complete(&self.text);
                if let Some(common) = common_prefix(&found)
                    && common.len() > self.text.len()
                {
                    self.text = common;
                }
                self.replace = false;
                self.candidates = if found.len() == 1 { Vec::new() } else { found };
            }
            _ => {
                if edit_text(&mut self.text, &mut self.replace, key) {
                    self.candidates.clear();
                    self.problem = None;
                }
            }
        }
        PathOutcome::Editing
    }

    /// Draws the prompt centred over `area`.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = area.width.saturating_sub(4).clamp(30, 80).min(area.width);
        let shown = self.candidates.len().min(8) as u16;
        // The refusal wraps under the input (a row more than its width says, at most four).
        let problem_rows = self.problem.as_ref().map_or(0, |problem| {
            let row = usize::from(width.saturating_sub(2)).max(1);
            u16::try_from(super::text::width(problem).div_ceil(row) + 1)
                .unwrap_or(4)
                .min(4)
        });
        let height =
            (3 + problem_rows + shown + u16::from(self.candidates.len() > 8)).min(area.height);
        let popup = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + area.height / 3,
            width,
            height,
        };
        let hints = [
            ("tab", "complete"),
            ("enter", self.verb.as_str()),
            ("esc", "cancel"),
        ];
        let inner = super::dialog::frame(
            popup,
            &self.title,
            super::dialog::hint_line(&hints, theme),
            theme.border_focused,
            theme,
            buf,
        );
        if inner.height == 0 {
            return;
        }
        let room = usize::from(inner.width).saturating_sub(3);
        // The end of a long path is the part being typed: keep it in view.
        let tail = super::text::fit_start(&self.text, room);
        let input = Line::from(vec![
            Span::styled("> ", theme.key),
            Span::styled(format!("{tail}▏"), theme.input),
        ]);
        crate::tui::widgets::text::put_line(buf, inner.x, inner.y, &input, inner.width);
        if let Some(problem) = &self.problem {
            let rows = Rect {
                y: inner.y + 1,
                height: problem_rows.min(inner.height - 1),
                ..inner
            };
            Paragraph::new(Line::styled(problem.clone(), theme.error))
                .wrap(Wrap { trim: true })
                .render(rows, buf);
        }
        for (i, candidate) in self.candidates.iter().take(8).enumerate() {
            let y = inner.y + 1 + problem_rows + i as u16;
            if y >= inner.y + inner.height {
                return;
            }
            let line = Line::styled(
                format!("  {}", fit(candidate, usize::from(inner.width) - 2)),
                theme.dim,
            );
            crate::tui::widgets::text::put_line(buf, inner.x, y, &line, inner.width);
        }
        if self.candidates.len() > 8 && inner.height > 9 + problem_rows {
            let more = crate::words::count(self.candidates.len() - 8, "more", "more");
            crate::tui::widgets::text::put_line(
                buf,
                inner.x,
                inner.y + 9 + problem_rows,
                &Line::styled(format!("  … {more}"), theme.dim),
                inner.width,
            );
        }
    }
}

/// The longest prefix every candidate shares (`None` for no candidates).
fn common_prefix(candidates: &[String]) -> Option<String> {
    let first = candidates.first()?;
    let mut end = first.len();
    for other in &candidates[1..] {
        end = first
            .char_indices()
            .zip(other.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(end);
    }
    Some(first[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_extends_to_the_common_prefix() {
        assert_eq!(
            common_prefix(&["saves/a1.ron".into(), "saves/a2.ron".into()]).as_deref(),
            Some("saves/a")
        );
        let mut prompt = PathPrompt {
            text: "sav".into(),
            ..PathPrompt::default()
        };
        let tab = KeyEvent::from(KeyCode::Tab);
        prompt.handle_key(tab, |_| vec!["saves/x.ron".into()]);
        assert_eq!(prompt.text, "saves/x.ron");
        assert_eq!(
            prompt.handle_key(KeyEvent::from(KeyCode::Enter), |_| Vec::new()),
            PathOutcome::Open("saves/x.ron".into())
        );
    }
}
