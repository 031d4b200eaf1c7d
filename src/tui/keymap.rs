//! Keys as data: the embedded default keymap (`assets/keymap.ron`), patched by the user's
//! `keymap.ron` in the config directory, resolved per focused pane. Help and the status-bar hints
//! are generated from this map, so they can never disagree with what a key does. Text inputs
//! (forms, filters, the palette) read keys directly and never consult the keymap.

use super::action::Action;
use super::pane_id::PaneId;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// The embedded default keymap.
pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.ron");

/// A key with its modifiers, normalised so that `G` and `shift-g` are the same chord.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyChord {
    /// The key.
    pub code: KeyCode,
    /// Ctrl and Alt (Shift is folded into the character or `BackTab`).
    pub modifiers: KeyModifiers,
}

impl KeyChord {
    /// Normalises a terminal key event.
    pub fn from_event(event: KeyEvent) -> KeyChord {
        Self::normalised(event.code, event.modifiers)
    }

    fn normalised(code: KeyCode, modifiers: KeyModifiers) -> KeyChord {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c.to_ascii_uppercase())
            }
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        KeyChord { code, modifiers }
    }
}

impl std::str::FromStr for KeyChord {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (prefix, flag) = if lower.starts_with("ctrl-") {
                ("ctrl-", KeyModifiers::CONTROL)
            } else if lower.starts_with("alt-") {
                ("alt-", KeyModifiers::ALT)
            } else if lower.starts_with("shift-") && rest.len() > "shift-".len() {
                ("shift-", KeyModifiers::SHIFT)
            } else {
                break;
            };
            modifiers |= flag;
            rest = &rest[prefix.len()..];
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            name if name.len() > 1 && name.starts_with('f') && name[1..].parse::<u8>().is_ok() => {
                KeyCode::F(name[1..].parse().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => {
                        return Err(format!(
                            "unknown key `{text}`; write a character like \"a\" or a name like \"enter\", \"ctrl-s\""
                        ));
                    }
                }
            }
        };
        Ok(KeyChord::normalised(code, modifiers))
    }
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pageup"),
            KeyCode::PageDown => f.write_str("pagedown"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The keymap file's shape: a table of key → action per context.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct KeymapFile {
    global: BTreeMap<String, Action>,
    vnets: BTreeMap<String, Action>,
    peerings: BTreeMap<String, Action>,
    gateway: BTreeMap<String, Action>,
    routes: BTreeMap<String, Action>,
    nsg: BTreeMap<String, Action>,
    reach: BTreeMap<String, Action>,
    diagnostics: BTreeMap<String, Action>,
    topology: BTreeMap<String, Action>,
}

/// Where a binding applies: everywhere, or only while one pane has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Any pane.
    Global,
    /// Only while this pane has the focus.
    Pane(PaneId),
}

/// Bindings by context.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: HashMap<Context, Vec<(KeyChord, Action)>>,
}

impl Keymap {
    /// The embedded defaults.
    pub fn embedded() -> Keymap {
        let mut keymap = Keymap {
            bindings: HashMap::new(),
        };
        // The embedded file is checked by a unit test; a failure here would be a build defect.
        if let Err(problem) = keymap.patch(DEFAULT_KEYMAP) {
            tracing::error!("embedded keymap: {problem}");
        }
        keymap
    }

    /// Lays the bindings of a keymap file over this map. Unknown keys or actions are reported
    /// and leave the map unchanged.
    pub fn patch(&mut self, text: &str) -> Result<(), String> {
        let file: KeymapFile = ron::from_str(text).map_err(|e| {
            format!(
                "keymap.ron, line {}, column {}: {}; fix or delete the file",
                e.span.start.line, e.span.start.col, e.code
            )
        })?;
        let sections = [
            (Context::Global, file.global),
            (Context::Pane(PaneId::Vnets), file.vnets),
            (Context::Pane(PaneId::Peerings), file.peerings),
            (Context::Pane(PaneId::Gateway), file.gateway),
            (Context::Pane(PaneId::Routes), file.routes),
            (Context::Pane(PaneId::Nsg), file.nsg),
            (Context::Pane(PaneId::Reach), file.reach),
            (Context::Pane(PaneId::Diagnostics), file.diagnostics),
            (Context::Pane(PaneId::Topology), file.topology),
        ];
        let mut parsed = Vec::new();
        for (context, table) in sections {
            for (key, action) in table {
                let chord: KeyChord = key.parse().map_err(|e| format!("keymap.ron: {e}"))?;
                parsed.push((context, chord, action));
            }
        }
        for (context, chord, action) in parsed {
            let list = self.bindings.entry(context).or_default();
            list.retain(|(k, _)| *k != chord);
            list.push((chord, action));
        }
        Ok(())
    }

    /// The action a key triggers while `pane` has the focus.
    pub fn resolve(&self, pane: PaneId, key: KeyEvent) -> Option<Action> {
        let chord = KeyChord::from_event(key);
        let find = |context| {
            self.bindings
                .get(&context)
                .and_then(|list| list.iter().find(|(k, _)| *k == chord).map(|(_, a)| *a))
        };
        find(Context::Pane(pane)).or_else(|| find(Context::Global))
    }

    /// The keys bound to an action while `pane` has the focus, pane bindings first.
    pub fn keys_for(&self, action: Action, pane: PaneId) -> Vec<KeyChord> {
        let mut keys = Vec::new();
        for context in [Context::Pane(pane), Context::Global] {
            if let Some(list) = self.bindings.get(&context) {
                let mut found: Vec<KeyChord> = list
                    .iter()
                    .filter(|(_, a)| *a == action)
                    .map(|(k, _)| *k)
                    .collect();
                found.sort_by_key(|k| (k.to_string().chars().count() > 1, k.to_string()));
                keys.extend(found);
            }
        }
        // A pane binding hides a global binding of the same key.
        let mut shown = Vec::new();
        for key in keys {
            if self.resolve_chord(pane, key) == Some(action) && !shown.contains(&key) {
                shown.push(key);
            }
        }
        shown
    }

    fn resolve_chord(&self, pane: PaneId, chord: KeyChord) -> Option<Action> {
        self.resolve(pane, KeyEvent::new(chord.code, chord.modifiers))
    }

    /// Every binding, grouped by context, for the help overlay.
    pub fn all_bindings(&self) -> Vec<(Context, KeyChord, Action)> {
        let mut all: Vec<(Context, KeyChord, Action)> = self
            .bindings
            .iter()
            .flat_map(|(context, list)| list.iter().map(move |(k, a)| (*context, *k, *a)))
            .collect();
        all.sort_by_key(|(context, key, action)| {
            (
                *context,
                Action::ALL.iter().position(|a| a == action),
                key.to_string(),
            )
        });
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_keymap_parses_and_binds_the_conventions() {
        let mut keymap = Keymap {
            bindings: HashMap::new(),
        };
        keymap.patch(DEFAULT_KEYMAP).unwrap();
        let key = |s: &str| {
            let chord: KeyChord = s.parse().unwrap();
            KeyEvent::new(chord.code, chord.modifiers)
        };
        assert_eq!(keymap.resolve(PaneId::Vnets, key("?")), Some(Action::Help));
        assert_eq!(
            keymap.resolve(PaneId::Vnets, key("ctrl-s")),
            Some(Action::Save)
        );
        assert_eq!(
            keymap.resolve(PaneId::Peerings, key("r")),
            Some(Action::ReversePeering)
        );
        assert_eq!(keymap.resolve(PaneId::Vnets, key("r")), None);
        assert_eq!(
            keymap.resolve(PaneId::Vnets, key("shift-tab")),
            Some(Action::PrevPane)
        );
    }

    #[test]
    fn every_listed_action_has_a_key_or_is_reachable_from_the_palette() {
        let keymap = Keymap::embedded();
        for action in Action::ALL {
            assert!(!action.describe().is_empty());
        }
        assert!(!keymap.keys_for(Action::Quit, PaneId::Vnets).is_empty());
    }

    #[test]
    fn a_user_patch_overrides_and_a_bad_file_is_refused_whole() {
        let mut keymap = Keymap::embedded();
        keymap
            .patch(r#"(global: { "x": Quit, "q": Help })"#)
            .unwrap();
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(keymap.resolve(PaneId::Vnets, q), Some(Action::Help));
        let error = keymap.patch(r#"(global: { "nokey": Quit })"#).unwrap_err();
        assert!(error.contains("unknown key `nokey`"), "{error}");
        assert!(keymap.patch("(global: { \"a\": Fly })").is_err());
        assert_eq!(keymap.resolve(PaneId::Vnets, q), Some(Action::Help));
    }

    #[test]
    fn chords_normalise_shift() {
        let upper = KeyChord::from_event(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT));
        assert_eq!(upper, "G".parse().unwrap());
        let backtab = KeyChord::from_event(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
        assert_eq!(backtab, "shift-tab".parse().unwrap());
        assert_eq!("ctrl-s".parse::<KeyChord>().unwrap().to_string(), "ctrl-s");
    }
}
