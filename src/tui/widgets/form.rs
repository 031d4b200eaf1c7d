//! The one generic edit form: labelled fields (free text, a choice among options, or an on/off
//! toggle), each showing its error or note as you type, scrolled to keep the focused field in
//! view when the form is taller than the screen. Fields are named by a key type `K` (the forms'
//! `FieldKey`), and hold typed values: text, the index of a choice, a toggle's `bool`. The form
//! edits only its own values; nothing reaches the design until the form is submitted and its
//! edit goes through the session, so typing never waits for re-evaluation. What the fields mean
//! lives in `tui::forms`.

use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// What a field holds, by how it is edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Free text.
    Text(String),
    /// One of `options`, the one at `at` (←/→ or Space cycle; a letter jumps).
    Choice {
        /// The options, in the order they cycle.
        options: Vec<String>,
        /// Index of the chosen option.
        at: usize,
    },
    /// On or off (Space flips).
    Toggle(bool),
}

/// One field. `K` is the form's key type: the form logic names fields by it, so a misspelt
/// field is a compile error rather than an empty value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<K> {
    /// Stable key the form's logic refers to.
    pub key: K,
    /// Label shown to the user.
    pub label: String,
    /// Current value.
    pub input: Input,
    /// A suggested or untouched value: the first key typed replaces it.
    pub pristine: bool,
    /// What is wrong with the value (blocks submitting).
    pub error: Option<String>,
    /// Advice that does not block (a suggestion, an Azure warning).
    pub note: Option<String>,
}

impl<K> Field<K> {
    fn new(key: K, label: &str, input: Input) -> Field<K> {
        Field {
            key,
            label: label.to_string(),
            input,
            pristine: true,
            error: None,
            note: None,
        }
    }

    /// A text field holding `value` (pristine: typing replaces it).
    pub fn text(key: K, label: &str, value: impl Into<String>) -> Field<K> {
        Field::new(key, label, Input::Text(value.into()))
    }

    /// A choice among `options`, starting at `value` (or the first option).
    pub fn choice(key: K, label: &str, options: Vec<String>, value: &str) -> Field<K> {
        let at = options.iter().position(|o| o == value).unwrap_or(0);
        Field::new(key, label, Input::Choice { options, at })
    }

    /// An on/off toggle.
    pub fn toggle(key: K, label: &str, on: bool) -> Field<K> {
        Field::new(key, label, Input::Toggle(on))
    }

    /// The text of a text field, or the chosen option of a choice ("" for a toggle, or a choice
    /// without options).
    pub fn value(&self) -> &str {
        match &self.input {
            Input::Text(text) => text,
            Input::Choice { options, at } => options.get(*at).map_or("", String::as_str),
            Input::Toggle(_) => "",
        }
    }

    /// Whether a toggle is on (false for any other field).
    pub fn is_on(&self) -> bool {
        matches!(self.input, Input::Toggle(true))
    }

    /// Sets a text field's text, or chooses the option named `value` (a choice keeps its value
    /// when it has no such option). Does not change pristineness: followers use it.
    pub fn set_value(&mut self, value: impl Into<String>) {
        let value = value.into();
        match &mut self.input {
            Input::Text(text) => *text = value,
            Input::Choice { options, at } => {
                if let Some(i) = options.iter().position(|o| *o == value) {
                    *at = i;
                }
            }
            Input::Toggle(_) => {}
        }
    }

    /// Switches a toggle on or off.
    pub fn set_on(&mut self, on: bool) {
        if let Input::Toggle(value) = &mut self.input {
            *value = on;
        }
    }

    fn is_text(&self) -> bool {
        matches!(self.input, Input::Text(_))
    }

    fn cycle(&mut self, forward: bool) {
        match &mut self.input {
            Input::Choice { options, at } if !options.is_empty() => {
                let n = options.len();
                *at = if forward {
                    (*at + 1) % n
                } else {
                    (*at + n - 1) % n
                };
            }
            Input::Toggle(on) => *on = !*on,
            _ => {}
        }
        self.pristine = false;
    }

    fn jump_to(&mut self, letter: char) {
        if let Input::Choice { options, at } = &mut self.input {
            let lower = letter.to_ascii_lowercase();
            let n = options.len();
            if let Some(next) = (1..=n)
                .map(|step| (*at + step) % n)
                .find(|i| options[*i].to_ascii_lowercase().starts_with(lower))
            {
                *at = next;
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
pub struct Form<K> {
    /// Title, e.g. "Add VNet".
    pub title: String,
    /// The fields, top to bottom.
    pub fields: Vec<Field<K>>,
    /// Index of the focused field.
    pub focus: usize,
    /// Why the last submit was refused, if it was.
    pub refusal: Option<String>,
}

impl<K: Copy + PartialEq + std::fmt::Debug> Form<K> {
    /// A form with its first field focused.
    pub fn new(title: impl Into<String>, fields: Vec<Field<K>>) -> Form<K> {
        Form {
            title: title.into(),
            fields,
            focus: 0,
            refusal: None,
        }
    }

    /// The field with this key. Asking for a key the form does not have is a slip in the form's
    /// logic: debug builds (and so the tests) stop on it; a release build reads it as empty.
    pub fn field(&self, key: K) -> Option<&Field<K>> {
        let found = self.fields.iter().find(|f| f.key == key);
        debug_assert!(
            found.is_some(),
            "form {:?} has no field {key:?}",
            self.title
        );
        found
    }

    /// The value of a text or choice field (see [`Field::value`]).
    pub fn value(&self, key: K) -> &str {
        self.field(key).map_or("", Field::value)
    }

    /// Whether the toggle with this key is on.
    pub fn is_on(&self, key: K) -> bool {
        self.field(key).is_some_and(Field::is_on)
    }

    /// Whether the field with this key still holds its suggestion.
    pub fn is_pristine(&self, key: K) -> bool {
        self.field(key).is_some_and(|f| f.pristine)
    }

    /// The field with this key, mutably.
    pub fn field_mut(&mut self, key: K) -> Option<&mut Field<K>> {
        let found = self.fields.iter_mut().find(|f| f.key == key);
        debug_assert!(found.is_some(), "form has no field {key:?}");
        found
    }

    /// Gives a still-pristine field the value its suggestion now follows to.
    pub fn follow(&mut self, key: K, value: impl Into<String>) {
        if let Some(field) = self.field_mut(key)
            && field.pristine
        {
            field.set_value(value);
        }
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
            KeyCode::Char(' ') if !field.is_text() => field.cycle(true),
            KeyCode::Char(c) if !ctrl && !field.is_text() => field.jump_to(c),
            _ => {
                if let Input::Text(text) = &mut field.input
                    && !super::text::edit_text(text, &mut field.pristine, key)
                {
                    self.refusal = None;
                    return FormOutcome::Editing;
                }
            }
        }
        self.refusal = None;
        FormOutcome::Editing
    }

    /// The popup rectangle inside `area`.
    pub fn popup_area(&self, area: Rect) -> Rect {
        let width = area.width.saturating_sub(4).clamp(40, 90).min(area.width);
        let text_width = usize::from(width.saturating_sub(2));
        let lines: u16 = self
            .fields
            .iter()
            .map(|f| self.field_height(f, text_width))
            .sum::<usize>()
            .try_into()
            .unwrap_or(u16::MAX);
        let lines = lines.saturating_add(5);
        let height = lines.min(area.height);
        Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        }
    }

    /// The widest label plus its gap: where values (and hints under them) start.
    fn label_width(&self) -> usize {
        self.fields
            .iter()
            .map(|f| f.label.chars().count())
            .max()
            .unwrap_or(0)
            + 2
    }

    /// The hint under a field (its error, else its note), cut into lines that start under the
    /// field's value: a long hint wraps in its own column, never back to the form's edge.
    fn hint_lines(&self, field: &Field<K>, text_width: usize) -> Vec<String> {
        let (mark, text) = match (&field.error, &field.note) {
            (Some(error), _) => ("✗ ", error),
            (None, Some(note)) => ("", note),
            (None, None) => return Vec::new(),
        };
        // Under the value when there is room; under the marker of a very wide label otherwise.
        let indent = (self.label_width() + 2).min(text_width / 2);
        let room = text_width.saturating_sub(indent).max(10);
        let mut lines: Vec<String> = Vec::new();
        let mut line = mark.to_string();
        let mut fresh = true;
        for word in text.split_whitespace() {
            if !fresh && line.chars().count() + 1 + word.chars().count() > room {
                lines.push(std::mem::take(&mut line));
                // Continuation lines line up with the text after the mark.
                line = " ".repeat(mark.chars().count());
            } else if !fresh {
                line.push(' ');
            }
            line.push_str(word);
            fresh = false;
        }
        lines.push(line);
        let pad = " ".repeat(indent);
        lines.into_iter().map(|l| format!("{pad}{l}")).collect()
    }

    /// How many lines a field takes: itself and its hint.
    fn field_height(&self, field: &Field<K>, text_width: usize) -> usize {
        1 + self.hint_lines(field, text_width).len()
    }

    /// Draws the form as a popup over `area`; returns where the text cursor belongs.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) -> Option<Position> {
        let popup = self.popup_area(area);
        let hints = [
            ("enter", "apply"),
            ("esc", "cancel"),
            ("tab", "next"),
            ("←→/space", "choose"),
        ];
        let inner = super::dialog::frame(
            popup,
            &self.title,
            super::dialog::hint_line(&hints, theme),
            theme.border_focused,
            theme,
            buf,
        );
        let label_width = self.label_width();
        let text_width = usize::from(inner.width);
        // A form longer than the popup (a hub with many spokes) scrolls to keep the focused
        // field and its note in view.
        let focus_line: usize = self.fields[..self.focus.min(self.fields.len())]
            .iter()
            .map(|f| self.field_height(f, text_width))
            .sum();
        let scroll = (focus_line + 2).saturating_sub(inner.height as usize);
        let mut lines = Vec::new();
        let mut cursor = None;
        for (i, field) in self.fields.iter().enumerate() {
            let focused = i == self.focus;
            let marker = if focused { "▸ " } else { "  " };
            let shown = match &field.input {
                Input::Text(text) => text.clone(),
                Input::Choice { options, .. } if options.len() > 1 => {
                    format!("‹ {} ›", field.value())
                }
                Input::Choice { .. } => field.value().to_string(),
                Input::Toggle(on) => if *on { "[x]" } else { "[ ]" }.to_string(),
            };
            let value_style = if focused {
                theme.input
            } else if field.pristine && field.is_text() {
                theme.dim
            } else {
                theme.text
            };
            if focused && field.is_text() {
                let x = inner.x + (2 + label_width + shown.chars().count()) as u16;
                let y = (lines.len() - scroll) as u16 + inner.y;
                if x < inner.right() && y < inner.bottom() {
                    cursor = Some(Position::new(x, y));
                }
            }
            lines.push(Line::from(vec![
                Span::styled(marker, theme.key),
                Span::styled(format!("{:<label_width$}", field.label), theme.text),
                Span::styled(shown, value_style),
            ]));
            let style = if field.error.is_some() {
                theme.error
            } else {
                theme.dim
            };
            for hint in self.hint_lines(field, text_width) {
                lines.push(Line::styled(hint, style));
            }
        }
        lines.push(Line::raw(""));
        if let Some(refusal) = &self.refusal {
            lines.push(Line::styled(format!("✗ {refusal}"), theme.error));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
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

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Key {
        Cidr,
        Kind,
        Bgp,
    }

    #[test]
    fn typing_replaces_a_suggestion_then_appends() {
        let mut form = Form::new("t", vec![Field::text(Key::Cidr, "CIDR", "10.0.0.0/16")]);
        for c in "10.9".chars() {
            form.handle_key(key(KeyCode::Char(c)));
        }
        assert_eq!(form.value(Key::Cidr), "10.9");
        form.handle_key(key(KeyCode::Backspace));
        assert_eq!(form.value(Key::Cidr), "10.");
    }

    #[test]
    fn choices_cycle_and_jump_and_toggles_flip() {
        let options = vec!["Vpn".to_string(), "ExpressRoute".to_string()];
        let mut form = Form::new(
            "t",
            vec![
                Field::choice(Key::Kind, "Kind", options, "Vpn"),
                Field::toggle(Key::Bgp, "BGP", false),
            ],
        );
        form.handle_key(key(KeyCode::Right));
        assert_eq!(form.value(Key::Kind), "ExpressRoute");
        form.handle_key(key(KeyCode::Char('v')));
        assert_eq!(form.value(Key::Kind), "Vpn");
        form.handle_key(key(KeyCode::Tab));
        form.handle_key(key(KeyCode::Char(' ')));
        assert!(form.is_on(Key::Bgp));
        assert_eq!(form.handle_key(key(KeyCode::Enter)), FormOutcome::Submit);
        assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Cancel);
    }

    #[test]
    fn a_long_form_scrolls_to_its_focused_field() {
        let fields = (0..60)
            .map(|i| Field::toggle(i, &format!("field {i}"), false))
            .collect();
        let mut form = Form::new("long", fields);
        for _ in 0..55 {
            form.handle_key(key(KeyCode::Tab));
        }
        let area = Rect::new(0, 0, 80, 30);
        let mut buf = Buffer::empty(area);
        form.render(area, &mut buf, &Theme::embedded());
        let text: String = buf.content().iter().map(|c| c.symbol()).collect();
        assert!(text.contains("▸ field 55"), "{text}");
        assert!(!text.contains("field 0 "), "{text}");
    }
}
