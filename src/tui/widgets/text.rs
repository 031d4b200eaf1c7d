//! Text that fits and text you type. Every pane cuts its rows through [`fit_line`] (the row
//! list does it for all of them), so cut text always ends with `…` and never mid-glyph: widths
//! are terminal cells, counted with `unicode-width`. [`edit_text`] is the one-line text input
//! shared by form fields, the help filter and the palette query, so Ctrl-u, Ctrl-w and Ctrl-a
//! do the same thing everywhere. Cost: one pass over the characters of what is drawn.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use std::borrow::Cow;
use unicode_width::UnicodeWidthChar;

/// The mark that ends cut text.
pub const ELLIPSIS: char = '…';

/// The cells `c` takes on a terminal (control characters count as none).
fn cells(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// The cells `text` takes on a terminal.
pub fn width(text: &str) -> usize {
    text.chars().map(cells).sum()
}

/// `text` cut to at most `max` cells, ending with `…` when it was cut.
///
/// ```
/// use vnetlab::tui::widgets::text::fit;
/// assert_eq!(fit("a-long-name", 6), "a-lon…");
/// assert_eq!(fit("short", 6), "short");
/// ```
pub fn fit(text: &str, max: usize) -> Cow<'_, str> {
    if width(text) <= max {
        return Cow::Borrowed(text);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut kept = String::new();
    let mut used = 0;
    for c in text.chars() {
        if used + cells(c) > max - 1 {
            break;
        }
        used += cells(c);
        kept.push(c);
    }
    kept.push(ELLIPSIS);
    Cow::Owned(kept)
}

/// `line` cut to at most `max` cells, its last cell a `…` when it was cut (styles kept).
pub fn fit_line(line: Line<'static>, max: usize) -> Line<'static> {
    if line.width() <= max {
        return line;
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let room = max.saturating_sub(used);
        let span_width = width(&span.content);
        if span_width < room {
            used += span_width;
            spans.push(span);
            continue;
        }
        // This span reaches the end: cut it (it keeps its style for the `…`).
        let cut = fit(&span.content, room).into_owned();
        let cut = if cut.ends_with(ELLIPSIS) || room == 0 {
            cut
        } else {
            // The span fits exactly but more follows: its last cell becomes the `…`.
            fit(&format!("{cut}{ELLIPSIS}{ELLIPSIS}"), room).into_owned()
        };
        spans.push(Span::styled(cut, span.style));
        break;
    }
    Line {
        spans,
        style: line.style,
        alignment: line.alignment,
    }
}

/// Draws `line` at (`x`, `y`) cut to `width` cells with [`fit_line`]: every line a pane or an
/// overlay sets directly in the buffer goes through here, so none is cut without its `…`.
pub fn put_line(buf: &mut Buffer, x: u16, y: u16, line: &Line<'_>, width: u16) {
    let owned = Line {
        spans: line
            .spans
            .iter()
            .map(|span| Span::styled(span.content.to_string(), span.style))
            .collect(),
        style: line.style,
        alignment: line.alignment,
    };
    buf.set_line(x, y, &fit_line(owned, usize::from(width)), width);
}

/// Draws `lines` wrapped (at word boundaries; `trim` drops leading blanks of wrapped rows)
/// in `area`. When they take more rows than the area has, its last cell becomes a `…`, so
/// text cut at the bottom of a pane says so as text cut at its side does.
pub fn put_wrapped(lines: Vec<Line<'static>>, trim: bool, area: Rect, buf: &mut Buffer) {
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim });
    let rows = paragraph.line_count(area.width);
    paragraph.render(area, buf);
    if rows > usize::from(area.height) && area.width > 0 && area.height > 0 {
        buf[(area.right() - 1, area.bottom() - 1)].set_symbol("…");
    }
}

/// `text` cut at its start to at most `max` cells, starting with `…` when it was cut: for a
/// typed path, whose end is the part being typed.
pub fn fit_start(text: &str, max: usize) -> Cow<'_, str> {
    if width(text) <= max {
        return Cow::Borrowed(text);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        if used + cells(c) > max - 1 {
            break;
        }
        used += cells(c);
        kept.push(c);
    }
    kept.push(ELLIPSIS);
    Cow::Owned(kept.into_iter().rev().collect())
}

/// Edits a one-line text input by `key`, as form fields, the help filter and the palette do:
/// characters type, Backspace deletes one, Ctrl-u clears, Ctrl-w deletes the last word, and
/// Ctrl-a selects the whole text so the next character replaces it (`replace`: the text is
/// selected; a form's suggested value starts so). Returns false for keys it does not take.
pub fn edit_text(text: &mut String, replace: &mut bool, key: KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('u') if ctrl => text.clear(),
        KeyCode::Char('w') if ctrl => {
            let trimmed = text.trim_end_matches(char::is_whitespace).len();
            text.truncate(trimmed);
            let start = text
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace() || matches!(c, '/' | '-' | '.' | '_'))
                .map_or(0, |(i, c)| i + c.len_utf8());
            text.truncate(start);
        }
        KeyCode::Char('a') if ctrl => {
            *replace = true;
            return true;
        }
        KeyCode::Char(c) if !ctrl => {
            if *replace {
                text.clear();
            }
            text.push(c);
        }
        KeyCode::Backspace => {
            if *replace {
                text.clear();
            } else {
                text.pop();
            }
        }
        _ => return false,
    }
    *replace = false;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, ctrl: bool) -> KeyEvent {
        let modifiers = if ctrl {
            KeyModifiers::CONTROL
        } else {
            KeyModifiers::NONE
        };
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn cut_text_ends_with_an_ellipsis_counted_in_cells() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abcd", 4), "abcd");
        // `⇄` is one cell, a CJK character two.
        assert_eq!(fit("a ⇄ b", 5), "a ⇄ b");
        assert_eq!(fit("日本語", 4), "日…");
        let line = Line::from(vec![Span::raw("ab"), Span::raw("cdef")]);
        assert_eq!(fit_line(line, 4).to_string(), "abc…");
        let exact = Line::from(vec![Span::raw("abcd"), Span::raw("ef")]);
        assert_eq!(fit_line(exact, 4).to_string(), "abc…");
        assert_eq!(fit_start("/tmp/designs/x.ron", 8), "…s/x.ron");
        assert_eq!(fit_start("x.ron", 8), "x.ron");
    }

    #[test]
    fn ctrl_u_w_and_a_edit_as_in_forms() {
        let mut text = "spoke1 hub".to_string();
        let mut replace = false;
        assert!(edit_text(
            &mut text,
            &mut replace,
            key(KeyCode::Char('w'), true)
        ));
        assert_eq!(text, "spoke1 ");
        assert!(edit_text(
            &mut text,
            &mut replace,
            key(KeyCode::Char('a'), true)
        ));
        assert!(edit_text(
            &mut text,
            &mut replace,
            key(KeyCode::Char('x'), false)
        ));
        assert_eq!(text, "x");
        assert!(edit_text(
            &mut text,
            &mut replace,
            key(KeyCode::Char('u'), true)
        ));
        assert_eq!(text, "");
        assert!(!edit_text(
            &mut text,
            &mut replace,
            key(KeyCode::Enter, false)
        ));
    }
}
