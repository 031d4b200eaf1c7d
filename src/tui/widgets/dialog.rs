//! Small modal dialogs: a yes/no confirmation and a list to choose from (the Add menu, the Open
//! dialog). They hold what to do on acceptance as data; the app performs it. Here too is the one
//! popup frame every popup of the TUI is drawn in ([`frame`], [`popup`], [`hint_line`]).

use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

/// A yes/no question and what "yes" does.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm<T> {
    /// The question, one or two sentences.
    pub message: String,
    /// What to do on yes.
    pub on_yes: T,
}

/// The answer to a key in a confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// `y` or Enter.
    Yes,
    /// `n` or Esc.
    No,
    /// Any other key: still asking.
    Pending,
}

impl<T> Confirm<T> {
    /// Reads one key.
    pub fn answer(key: KeyEvent) -> Answer {
        match key.code {
            KeyCode::Char('y' | 'Y') | KeyCode::Enter => Answer::Yes,
            KeyCode::Char('n' | 'N') | KeyCode::Esc => Answer::No,
            _ => Answer::Pending,
        }
    }

    /// Draws the question centred over `area`.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = area.width.clamp(30, 64).min(area.width);
        let text_lines = (self.message.chars().count() as u16 / width.saturating_sub(4).max(1)) + 1;
        let popup = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + area.height / 3,
            width,
            height: (text_lines + 4).min(area.height),
        };
        let inner = frame(
            popup,
            "Confirm",
            hint_line(&[("y", "yes"), ("n", "no")], theme),
            theme.warning,
            theme,
            buf,
        );
        Paragraph::new(self.message.clone())
            .wrap(Wrap { trim: true })
            .render(inner, buf);
    }
}

/// A list of labelled choices.
#[derive(Debug, Clone, PartialEq)]
pub struct Choose<T> {
    /// Title.
    pub title: String,
    /// Labels and what each does.
    pub options: Vec<(String, T)>,
    /// The highlighted option.
    pub selected: usize,
}

/// What a key did in a choice list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chosen {
    /// This option was picked.
    Pick(usize),
    /// Closed.
    Cancel,
    /// Still choosing.
    Pending,
}

impl<T> Choose<T> {
    /// Reads one key: arrows or j/k move, Enter picks, a digit picks directly, Esc closes.
    pub fn handle_key(&mut self, key: KeyEvent) -> Chosen {
        let count = self.options.len();
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => Chosen::Cancel,
            KeyCode::Enter if count > 0 => Chosen::Pick(self.selected.min(count - 1)),
            KeyCode::Up | KeyCode::Char('k') => {
                self.selected = self.selected.saturating_sub(1);
                Chosen::Pending
            }
            KeyCode::Down | KeyCode::Char('j') => {
                self.selected = (self.selected + 1).min(count.saturating_sub(1));
                Chosen::Pending
            }
            KeyCode::Char(c) if c.is_ascii_digit() => {
                let n = c.to_digit(10).unwrap_or(0) as usize;
                if n >= 1 && n <= count {
                    Chosen::Pick(n - 1)
                } else {
                    Chosen::Pending
                }
            }
            _ => Chosen::Pending,
        }
    }

    /// Draws the list centred over `area`.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let longest = self
            .options
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(10) as u16;
        let width = (longest + 10)
            .clamp(30, area.width.saturating_sub(4))
            .min(area.width);
        let height = (self.options.len() as u16 + 2).min(area.height);
        let inner = popup(
            area,
            (width, height),
            &self.title,
            &[("enter", "choose"), ("esc", "cancel")],
            theme,
            buf,
        );
        let offset = super::scroll_offset(self.selected, self.options.len(), inner.height as usize);
        for (i, (label, _)) in self
            .options
            .iter()
            .enumerate()
            .skip(offset)
            .take(inner.height as usize)
        {
            let number = if i < 9 {
                format!("{} ", i + 1)
            } else {
                "  ".to_string()
            };
            let mut line = Line::from(vec![
                Span::styled(number, theme.key),
                Span::raw(label.clone()),
            ]);
            if i == self.selected {
                line = line.patch_style(theme.selected);
            }
            crate::tui::widgets::text::put_line(
                buf,
                inner.x,
                inner.y + (i - offset) as u16,
                &line,
                inner.width,
            );
        }
    }
}

/// Clears a centred popup of `size` (width, height, at most `area`'s) in `area`, draws its
/// border with `title` on top and the key hints (`key`, what it does) at the bottom, and returns
/// the inside. Popups placed elsewhere are drawn with [`frame`].
pub fn popup(
    area: Rect,
    size: (u16, u16),
    title: &str,
    hints: &[(&str, &str)],
    theme: &Theme,
    buf: &mut Buffer,
) -> Rect {
    let (width, height) = (size.0.min(area.width), size.1.min(area.height));
    let at = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame(
        at,
        title,
        hint_line(hints, theme),
        theme.border_focused,
        theme,
        buf,
    )
}

/// Clears `at` and draws a popup's border there (in `border` style) with `title` on top and
/// `bottom` (usually a [`hint_line`]) at the bottom; returns the inside. Every popup of the TUI
/// is framed this way.
pub fn frame(
    at: Rect,
    title: &str,
    bottom: Line<'static>,
    border: Style,
    theme: &Theme,
    buf: &mut Buffer,
) -> Rect {
    Clear.render(at, buf);
    let block = Block::bordered()
        .title_top(Line::styled(format!(" {title} "), theme.title))
        .title_bottom(bottom)
        .border_style(border);
    let inner = block.inner(at);
    block.render(at, buf);
    inner
}

/// Key hints for a popup's bottom border: ` key what  key what `, keys in the key style.
pub fn hint_line(hints: &[(&str, &str)], theme: &Theme) -> Line<'static> {
    let mut spans = Vec::with_capacity(hints.len() * 2);
    for (i, (key, what)) in hints.iter().enumerate() {
        let key = if i == 0 {
            format!(" {key}")
        } else {
            (*key).to_string()
        };
        let what = if i + 1 == hints.len() {
            format!(" {what} ")
        } else {
            format!(" {what}  ")
        };
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::raw(what));
    }
    Line::from(spans)
}
