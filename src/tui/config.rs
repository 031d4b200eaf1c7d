//! The UI's configuration: the keymap and theme, each the embedded default patched by the
//! user's file in the config directory. A broken file is reported (on the status bar) and
//! ignored, never fatal.

use super::files::Files;
use super::keymap::Keymap;
use super::theme::Theme;

/// Keymap, theme, and any problem found reading the user's files.
#[derive(Debug, Clone)]
pub struct Config {
    /// Key bindings.
    pub keymap: Keymap,
    /// Styles.
    pub theme: Theme,
    /// One sentence per config file that could not be used.
    pub problems: Vec<String>,
}

impl Config {
    /// The embedded defaults only.
    pub fn embedded() -> Config {
        Config {
            keymap: Keymap::embedded(),
            theme: Theme::embedded(),
            problems: Vec::new(),
        }
    }

    /// The defaults patched by `keymap.ron` and `theme.ron` from the config directory.
    pub fn load(files: &dyn Files) -> Config {
        let mut config = Config::embedded();
        match files.read_config("keymap.ron") {
            Some(Ok(text)) => {
                if let Err(problem) = config.keymap.patch(&text) {
                    config
                        .problems
                        .push(format!("{problem} (using the default keys)"));
                }
            }
            Some(Err(problem)) => config.problems.push(problem),
            None => {}
        }
        match files.read_config("theme.ron") {
            Some(Ok(text)) => {
                if let Err(problem) = config.theme.patch(&text) {
                    config
                        .problems
                        .push(format!("{problem} (using the default theme)"));
                }
            }
            Some(Err(problem)) => config.problems.push(problem),
            None => {}
        }
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::files::MemoryFiles;

    #[test]
    fn a_broken_config_file_is_reported_not_fatal() {
        let files = MemoryFiles::default();
        files
            .state()
            .config
            .insert("keymap.ron".into(), "(global: { \"q\": Explode })".into());
        files
            .state()
            .config
            .insert("theme.ron".into(), "(blocked: (fg: \"magenta\"))".into());
        let config = Config::load(&files);
        assert_eq!(config.problems.len(), 1);
        assert!(
            config.problems[0].starts_with("keymap.ron"),
            "{}",
            config.problems[0]
        );
        assert_eq!(
            config.theme.blocked.fg,
            Some(ratatui::style::Color::Magenta)
        );
    }
}
