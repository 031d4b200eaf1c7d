//! Colours and text styles, by meaning: the embedded default (`assets/theme.ron`), patched by
//! the user's `theme.ron` in the config directory. Reachable and blocked carry both a colour and
//! a symbol, so the matrix stays readable without colour.
//!
//! Two more themes ship alongside: [`Theme::high_contrast`] (`assets/theme-high-contrast.ron`,
//! the presenter mode's: black on white, strong colours, for a projector) and
//! [`Theme::no_color`], used when `NO_COLOR` is set ([`no_color_requested`]): the terminal
//! then shows no colour at all, so everything that colour alone told apart is told by text
//! attributes instead: the selection and the matrix cursor in reverse video, the focused pane's
//! title reversed, a flipped cell underlined (besides its `*`).

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// The embedded default theme.
pub const DEFAULT_THEME: &str = include_str!("../../assets/theme.ron");

/// The embedded high-contrast theme (the presenter mode's), laid over the default.
pub const HIGH_CONTRAST_THEME: &str = include_str!("../../assets/theme-high-contrast.ron");

/// Whether the user asked for no colour: `NO_COLOR` set to anything but the empty string
/// (<https://no-color.org>).
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// One style as written in a theme file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    bold: bool,
    dim: bool,
    italic: bool,
    underlined: bool,
    reversed: bool,
}

impl StyleSpec {
    fn to_style(&self, name: &str) -> Result<Style, String> {
        let color = |text: &Option<String>| -> Result<Option<Color>, String> {
            text.as_deref()
                .map(|t| {
                    t.parse::<Color>().map_err(|_| {
                        format!(
                            "theme.ron: `{name}` has an unknown colour `{t}`; use a name like \"green\" or \"#rrggbb\""
                        )
                    })
                })
                .transpose()
        };
        let mut style = Style::default();
        if let Some(fg) = color(&self.fg)? {
            style = style.fg(fg);
        }
        if let Some(bg) = color(&self.bg)? {
            style = style.bg(bg);
        }
        for (on, modifier) in [
            (self.bold, Modifier::BOLD),
            (self.dim, Modifier::DIM),
            (self.italic, Modifier::ITALIC),
            (self.underlined, Modifier::UNDERLINED),
            (self.reversed, Modifier::REVERSED),
        ] {
            if on {
                style = style.add_modifier(modifier);
            }
        }
        Ok(style)
    }
}

macro_rules! theme {
    ($($(#[$doc:meta])* $field:ident),* $(,)?) => {
        /// The styles the UI draws with.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Theme {
            $($(#[$doc])* pub $field: Style,)*
        }

        #[derive(Debug, Default, Deserialize)]
        #[serde(deny_unknown_fields, default)]
        struct ThemeFile {
            $($field: Option<StyleSpec>,)*
        }

        impl Theme {
            /// Lays the styles of a theme file over this theme; a bad file changes nothing.
            pub fn patch(&mut self, text: &str) -> Result<(), String> {
                let file: ThemeFile = ron::Options::default()
                    .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
                    .from_str(text)
                    .map_err(|e| {
                    format!("theme.ron, line {}, column {}: {}; fix or delete the file", e.span.start.line, e.span.start.col, e.code)
                })?;
                let mut next = self.clone();
                $(if let Some(spec) = &file.$field {
                    next.$field = spec.to_style(stringify!($field))?;
                })*
                *self = next;
                Ok(())
            }
        }
    };
}

theme! {
    /// Ordinary text.
    text,
    /// Secondary text (hints, defaults, placeholders).
    dim,
    /// Pane titles.
    title,
    /// Borders of unfocused panes.
    border,
    /// The border of the focused pane.
    border_focused,
    /// The selected row.
    selected,
    /// A reachable pair (✓).
    reachable,
    /// A blocked pair (✗).
    blocked,
    /// A cell whose verdict flipped with the last edit.
    flipped,
    /// Good news (in sync, pass).
    ok,
    /// Needs attention (not in sync, initiated).
    warning,
    /// Errors and refusals.
    error,
    /// Key names in hints and help.
    key,
    /// The status bar.
    status,
    /// The unsaved marker.
    dirty,
    /// Text inputs.
    input,
    /// Highlights (the hub, the current flow).
    accent,
}

impl Theme {
    /// The embedded default theme.
    pub fn embedded() -> Theme {
        let mut theme = Theme::plain();
        if let Err(problem) = theme.patch(DEFAULT_THEME) {
            tracing::error!("embedded theme: {problem}");
        }
        theme
    }

    /// The high-contrast theme of the presenter mode.
    pub fn high_contrast() -> Theme {
        let mut theme = Theme::embedded();
        if let Err(problem) = theme.patch(HIGH_CONTRAST_THEME) {
            tracing::error!("embedded high-contrast theme: {problem}");
        }
        theme
    }

    /// The theme for a terminal without colour (`NO_COLOR`): text attributes only, with the
    /// selection, the matrix cursor and the focused pane's title in reverse video.
    pub fn no_color() -> Theme {
        let s = Style::default();
        let bold = s.add_modifier(Modifier::BOLD);
        Theme {
            dim: s.add_modifier(Modifier::DIM),
            title: bold.add_modifier(Modifier::REVERSED),
            border_focused: bold,
            selected: bold.add_modifier(Modifier::REVERSED),
            reachable: bold,
            blocked: bold,
            flipped: s.add_modifier(Modifier::UNDERLINED),
            error: bold,
            key: bold,
            status: s.add_modifier(Modifier::REVERSED),
            dirty: bold,
            input: s.add_modifier(Modifier::UNDERLINED),
            accent: s.add_modifier(Modifier::ITALIC),
            ..Theme::plain()
        }
    }

    /// A theme without colours, the base the files are laid over.
    fn plain() -> Theme {
        let s = Style::default();
        Theme {
            text: s,
            dim: s,
            title: s,
            border: s,
            border_focused: s,
            selected: s.add_modifier(Modifier::REVERSED),
            reachable: s,
            blocked: s,
            flipped: s,
            ok: s,
            warning: s,
            error: s,
            key: s,
            status: s,
            dirty: s,
            input: s,
            accent: s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_parses_and_colours_verdicts() {
        let mut theme = Theme::plain();
        theme.patch(DEFAULT_THEME).unwrap();
        assert_eq!(theme.reachable.fg, Some(Color::Green));
        assert_eq!(theme.blocked.fg, Some(Color::Red));
    }

    #[test]
    fn a_patch_changes_only_its_entries_and_a_bad_one_nothing() {
        let mut theme = Theme::embedded();
        theme.patch(r#"(blocked: (fg: "magenta"))"#).unwrap();
        assert_eq!(theme.blocked.fg, Some(Color::Magenta));
        assert_eq!(theme.reachable.fg, Some(Color::Green));
        let error = theme
            .patch(r#"(reachable: (fg: "nocolour"), blocked: (fg: "blue"))"#)
            .unwrap_err();
        assert!(error.contains("nocolour"), "{error}");
        assert_eq!(theme.blocked.fg, Some(Color::Magenta));
        assert!(theme.patch("(sparkle: ())").is_err());
    }

    #[test]
    fn the_high_contrast_theme_parses_and_differs_from_the_default() {
        let mut theme = Theme::embedded();
        theme.patch(HIGH_CONTRAST_THEME).unwrap();
        assert_eq!(theme, Theme::high_contrast());
        assert_ne!(theme, Theme::embedded());
    }

    #[test]
    fn without_colour_the_selection_and_focus_are_attributes() {
        let theme = Theme::no_color();
        for style in [theme.selected, theme.title, theme.status] {
            assert!(style.add_modifier.contains(Modifier::REVERSED), "{style:?}");
        }
        for style in [
            theme.text,
            theme.dim,
            theme.title,
            theme.selected,
            theme.reachable,
            theme.blocked,
            theme.border,
            theme.border_focused,
            theme.status,
            theme.key,
            theme.accent,
        ] {
            assert_eq!((style.fg, style.bg), (None, None), "{style:?}");
        }
        // The cursor is not the flipped marking.
        assert_ne!(theme.selected, theme.flipped);
    }
}
