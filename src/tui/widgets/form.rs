//! The one generic edit form: labelled fields (free text, a choice among options, or an on/off
//! toggle), each showing its error or note as you type. The form edits only its own strings;
//! nothing reaches the design until the form is submitted and its edit goes through the session,
//! so typing never waits for re-evaluation. What the fields mean lives in `tui::forms`.

use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

/// How a field is edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text.
    Text,
    /// One of these options (←/→ or Space cycle; a letter jumps).
    Choice(Vec<String>),
    /// On or off (Space flips).
    Toggle,
}

/// One field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Stable key the form's logic refers to.
    pub key: &'static str,
    /// Label shown to the user.
    pub label: String,
    /// Current text; for a toggle `"on"` or `"off"`.
    pub value: String,
    /// How it is edited.
    pub kind: FieldKind,
    /// A suggested or untouched value: the first key typed replaces it.
    pub pristine: bool,
    /// What is wrong with the value (blocks submitting).
    pub error: Option<String>,
    /// Advice that does not block (a suggestion, an Azure warning).
    pub note: Option<String>,
}

impl Field {
    /// A text field holding `value` (pristine: typing replaces it).
    pub fn text(key: &'static str, label: &str, value: impl Into<String>) -> Field {
        Field {
            key,
            label: label.to_string(),
            value: value.into(),
            kind: FieldKind::Text,
            pristine: true,
            error: None,
            note: None,
        }
    }

    /// A choice among `options`, starting at `value` (or the first option).
    pub fn choice(key: &'static str, label: &str, options: Vec<String>, value: &str) -> Field {
        let value = if options.iter().any(|o| o == value) {
            value.to_string()
        } else {
            options.first().cloned().unwrap_or_default()
        };
        Field {
            key,
            label: label.to_string(),
            value,
            kind: FieldKind::Choice(options),
            pristine: true,
            error: None,
            note: None,
        }
    }

    /// An on/off toggle.
    pub fn toggle(key: &'static str, label: &str, on: bool) -> Field {
        Field {
            key,
            label: label.to_string(),
            value: if on { "on" } else { "off" }.to_string(),
            kind: FieldKind::Toggle,
            pristine: true,
            error: None,
            note: None,
        }
    }

    /// Whether a toggle is on.
    pub fn is_on(&self) -> bool {
        self.value == "on"
    }

    fn cycle(&mut self, forward: bool) {
        match &self.kind {
            FieldKind::Choice(options) if !options.is_empty() => {
                let at = options.iter().position(|o| *o == self.value).unwrap_or(0);
                let next = if forward {
                    (at + 1) % options.len()
                } else {
                    (at + options.len() - 1) % options.len()
                };
                self.value = options[next].clone();
            }
            FieldKind::Toggle => self.value = if self.is_on() { "off" } else { "on" }.to_string(),
            _ => {}
        }
        self.pristine = false;
    }

    fn jump_to(&mut self, letter: char) {
        if let FieldKind::Choice(options) = &self.kind {
            let lower = letter.to_ascii_lowercase();
            let at = options.iter().position(|o| *o == self.value).unwrap_or(0);
            let n = options.len();
            if let Some(next) = (1..=n)
                .map(|step| (at + step) % n)
                .find(|i| options[*i].to_ascii_lowercase().starts_with(lower))
            {
                self.value = options[next].clone();
                self.pristine = false;
            }
        }
    }
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    /// Still editing; a value may have changed.
    Editing,
    /// The user asked to apply.
    Submit,
    /// The user cancelled.
    Cancel,
}

/// A form: a title, fields, the focused field, and the last refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// Title, e.g. "Add VNet".
    pub title: String,
    /// The fields, top to bottom.
    pub fields: Vec<Field>,
    /// Index of the focused field.
    pub focus: usize,
    /// Why the last submit was refused, if it was.
    pub refusal: Option<String>,
}

impl Form {
    /// A form with its first field focused.
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            fields,
            focus: 0,
            refusal: None,
        }
    }

    /// The value of the field with this key ("" when there is none).
    pub fn value(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or("", |f| f.value.as_str())
    }

    /// Whether the toggle with this key is on.
    pub fn is_on(&self, key: &str) -> bool {
        self.fields.iter().any(|f| f.key == key && f.is_on())
    }

    /// The field with this key, mutably.
    pub fn field_mut(&mut self, key: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.key == key)
    }

    /// Whether any field has an error.
    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }

    /// Handles one key.
    pub fn handle_key(&mut self, key: KeyEvent) -> FormOutcome {
        let count = self.fields.len();
        if count == 0 {
            return match key.code {
                KeyCode::Enter => FormOutcome::Submit,
                KeyCode::Esc => FormOutcome::Cancel,
                _ => FormOutcome::Editing,
            };
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let field = &mut self.fields[self.focus.min(count - 1)];
        match key.code {
            KeyCode::Esc => return FormOutcome::Cancel,
            KeyCode::Enter => return FormOutcome::Submit,
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1) % count,
            KeyCode::BackTab | KeyCode::Up => self.focus = (self.focus + count - 1) % count,
            KeyCode::Left => field.cycle(false),
            KeyCode::Right => field.cycle(true),
            KeyCode::Char('u') if ctrl && field.kind == FieldKind::Text => {
                field.value.clear();
                field.pristine = false;
            }
            KeyCode::Char(' ') if field.kind != FieldKind::Text => field.cycle(true),
            KeyCode::Char(c) if !ctrl => match field.kind {
                FieldKind::Text => {
                    if field.pristine {
                        field.value.clear();
                        field.pristine = false;
                    }
                    field.value.push(c);
                }
                FieldKind::Choice(_) => field.jump_to(c),
                FieldKind::Toggle => {}
            },
            KeyCode::Backspace if field.kind == FieldKind::Text => {
                if field.pristine {
                    field.value.clear();
                } else {
                    field.value.pop();
                }
                field.pristine = false;
            }
            _ => {}
        }
        self.refusal = None;
        FormOutcome::Editing
    }

    /// The popup rectangle inside `area`.
    pub fn popup_area(&self, area: Rect) -> Rect {
        let lines: u16 = self
            .fields
            .iter()
            .map(|f| 1 + u16::from(f.error.is_some() || f.note.is_some()))
            .sum::<u16>()
            + 5;
        let width = area.width.saturating_sub(4).clamp(40, 90).min(area.width);
        let height = lines.min(area.height);
        Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        }
    }

    /// Draws the form as a popup over `area`; returns where the text cursor belongs.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) -> Option<Position> {
        let popup = self.popup_area(area);
        Clear.render(popup, buf);
        let block = Block::bordered()
            .title_top(Line::styled(format!(" {} ", self.title), theme.title))
            .title_bottom(Line::from(vec![
                Span::styled(" enter", theme.key),
                Span::raw(" apply  "),
                Span::styled("esc", theme.key),
                Span::raw(" cancel  "),
                Span::styled("tab", theme.key),
                Span::raw(" next  "),
                Span::styled("←→/space", theme.key),
                Span::raw(" choose "),
            ]))
            .border_style(theme.border_focused);
        let inner = block.inner(popup);
        block.render(popup, buf);
        let label_width = self
            .fields
            .iter()
            .map(|f| f.label.chars().count())
            .max()
            .unwrap_or(0)
            + 2;
        let mut lines = Vec::new();
        let mut cursor = None;
        for (i, field) in self.fields.iter().enumerate() {
            let focused = i == self.focus;
            let marker = if focused { "▸ " } else { "  " };
            let shown = match &field.kind {
                FieldKind::Text => field.value.clone(),
                FieldKind::Choice(options) if options.len() > 1 => format!("‹ {} ›", field.value),
                FieldKind::Choice(_) => field.value.clone(),
                FieldKind::Toggle => if field.is_on() { "[x]" } else { "[ ]" }.to_string(),
            };
            let value_style = if focused {
                theme.input
            } else if field.pristine && field.kind == FieldKind::Text {
                theme.dim
            } else {
                theme.text
            };
            if focused && field.kind == FieldKind::Text {
                let x = inner.x + (2 + label_width + shown.chars().count()) as u16;
                let y = inner.y + lines.len() as u16;
                if x < inner.right() && y < inner.bottom() {
                    cursor = Some(Position::new(x, y));
                }
            }
            lines.push(Line::from(vec![
                Span::styled(marker, theme.key),
                Span::styled(format!("{:<label_width$}", field.label), theme.text),
                Span::styled(shown, value_style),
            ]));
            let pad = " ".repeat(label_width + 2);
            if let Some(error) = &field.error {
                lines.push(Line::styled(format!("{pad}✗ {error}"), theme.error));
            } else if let Some(note) = &field.note {
                lines.push(Line::styled(format!("{pad}{note}"), theme.dim));
            }
        }
        lines.push(Line::raw(""));
        if let Some(refusal) = &self.refusal {
            lines.push(Line::styled(format!("✗ {refusal}"), theme.error));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
        cursor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_replaces_a_suggestion_then_appends() {
        let mut form = Form::new("t", vec![Field::text("cidr", "CIDR", "10.0.0.0/16")]);
        for c in "10.9".chars() {
            form.handle_key(key(KeyCode::Char(c)));
        }
        assert_eq!(form.value("cidr"), "10.9");
        form.handle_key(key(KeyCode::Backspace));
        assert_eq!(form.value("cidr"), "10.");
    }

    #[test]
    fn choices_cycle_and_jump_and_toggles_flip() {
        let options = vec!["Vpn".to_string(), "ExpressRoute".to_string()];
        let mut form = Form::new(
            "t",
            vec![
                Field::choice("kind", "Kind", options, "Vpn"),
                Field::toggle("bgp", "BGP", false),
            ],
        );
        form.handle_key(key(KeyCode::Right));
        assert_eq!(form.value("kind"), "ExpressRoute");
        form.handle_key(key(KeyCode::Char('v')));
        assert_eq!(form.value("kind"), "Vpn");
        form.handle_key(key(KeyCode::Tab));
        form.handle_key(key(KeyCode::Char(' ')));
        assert!(form.is_on("bgp"));
        assert_eq!(form.handle_key(key(KeyCode::Enter)), FormOutcome::Submit);
        assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Cancel);
    }
}
