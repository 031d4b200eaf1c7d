//! The go-to-pair prompt (`ctrl-g`): two endpoint names, typed with completion, and Enter puts
//! the matrix cursor on that pair (unfolding its groups), so the explanation and the Topology
//! pane's path follow. Names resolve as `vnetlab reach --from/--to` resolves them: an exact
//! name first; otherwise the completions are ranked by the palette's fuzzy matcher
//! ([`fuzzy::score`]) and, when nothing matches in order, by the typo rule every "did you
//! mean" uses ([`suggest::closest`]). No matcher of its own.
//!
//! Cost: each key ranks every endpoint name once (O(endpoints × name length)).

use super::app::App;
use super::overlay::Overlay;
use super::theme::Theme;
use super::widgets::dialog::{frame, hint_line};
use super::widgets::fuzzy;
use crate::model::Endpoint;
use crate::model::suggest;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// How many completions the prompt lists.
const SHOWN: usize = 8;

/// The prompt's state: both names, which one is being typed, and the highlighted completion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoTo {
    /// The source endpoint's name as typed.
    pub from: String,
    /// The destination endpoint's name as typed.
    pub to: String,
    /// Whether the destination is being typed (else the source).
    pub on_to: bool,
    /// The highlighted completion.
    pub choice: usize,
}

/// What a key did to the prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoToOutcome {
    /// Still typing.
    Stay,
    /// Esc.
    Cancel,
    /// Enter with both names given.
    Go,
}

/// The endpoint names that complete `typed`, best first: every name containing it in order
/// (fuzzy), or the one name it is a typo of.
pub fn completions(typed: &str, endpoints: &[Endpoint]) -> Vec<String> {
    let mut ranked: Vec<(i64, &str)> = endpoints
        .iter()
        .filter_map(|e| fuzzy::score(typed, &e.name).map(|s| (s, e.name.as_str())))
        .collect();
    ranked.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.len().cmp(&b.1.len()))
            .then(a.1.cmp(b.1))
    });
    if ranked.is_empty() {
        return suggest::closest(typed, endpoints.iter().map(|e| e.name.as_str()))
            .map(str::to_string)
            .into_iter()
            .collect();
    }
    ranked
        .into_iter()
        .take(SHOWN)
        .map(|(_, n)| n.to_string())
        .collect()
}

/// The endpoint a typed name stands for: the one of that exact name, else the best
/// completion; the error says what is known, as the CLI does.
pub fn resolve(typed: &str, endpoints: &[Endpoint]) -> Result<usize, String> {
    if let Some(i) = endpoints.iter().position(|e| e.name == typed) {
        return Ok(i);
    }
    let best = completions(typed, endpoints);
    best.first()
        .and_then(|name| endpoints.iter().position(|e| e.name == *name))
        .ok_or_else(|| {
            format!(
                "there is no endpoint `{typed}`{}",
                suggest::did_you_mean(typed, endpoints.iter().map(|e| e.name.as_str()))
            )
        })
}

impl GoTo {
    fn field(&mut self) -> &mut String {
        if self.on_to {
            &mut self.to
        } else {
            &mut self.from
        }
    }

    /// The text being typed.
    pub fn typed(&self) -> &str {
        if self.on_to { &self.to } else { &self.from }
    }

    /// Handles a key: typing edits the current name (Ctrl-u clears it, Ctrl-w drops a word),
    /// Up/Down pick a completion, Tab takes it and moves to the other name, Enter takes it and
    /// goes once both names are there.
    pub fn handle_key(&mut self, key: KeyEvent, endpoints: &[Endpoint]) -> GoToOutcome {
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => return GoToOutcome::Cancel,
            KeyCode::Char('u') if control => self.field().clear(),
            KeyCode::Char('w') if control => {
                let field = self.field();
                let kept = field.trim_end().rfind([' ', '-']).map_or(0, |i| i + 1);
                field.truncate(kept);
            }
            KeyCode::Char(c) if !control => self.field().push(c),
            KeyCode::Backspace => {
                if self.typed().is_empty() && self.on_to {
                    self.on_to = false;
                } else {
                    self.field().pop();
                }
            }
            KeyCode::Down => self.choice += 1,
            KeyCode::Up => self.choice = self.choice.saturating_sub(1),
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Enter => {
                let list = completions(self.typed(), endpoints);
                let exact = endpoints.iter().any(|e| e.name == self.typed());
                if !exact
                    && let Some(name) = list.get(self.choice.min(list.len().saturating_sub(1)))
                {
                    *self.field() = name.clone();
                }
                if key.code == KeyCode::Enter && !self.from.is_empty() && !self.to.is_empty() {
                    return GoToOutcome::Go;
                }
                self.on_to = !self.on_to;
            }
            _ => return GoToOutcome::Stay,
        }
        if !matches!(key.code, KeyCode::Down | KeyCode::Up) {
            self.choice = 0;
        }
        GoToOutcome::Stay
    }

    /// Draws the prompt near the top of `area`: both names and the completions of the one
    /// being typed.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, endpoints: &[Endpoint]) {
        let list = completions(self.typed(), endpoints);
        let width = 60.min(area.width);
        let height = (list.len() as u16 + 4).min(area.height);
        let popup = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height.saturating_sub(height)) / 3,
            width,
            height,
        };
        let hints = [("tab", "complete"), ("enter", "go"), ("esc", "cancel")];
        let inner = frame(
            popup,
            "Go to pair",
            hint_line(&hints, theme),
            theme.border_focused,
            theme,
            buf,
        );
        for (y, (label, text, active)) in [
            ("from ", &self.from, !self.on_to),
            ("to   ", &self.to, self.on_to),
        ]
        .into_iter()
        .enumerate()
        {
            let caret = if active { "▏" } else { "" };
            let line = Line::from(vec![
                Span::styled(label, if active { theme.key } else { theme.dim }),
                Span::styled(format!("{text}{caret}"), theme.input),
            ]);
            if (y as u16) < inner.height {
                crate::tui::widgets::text::put_line(
                    buf,
                    inner.x,
                    inner.y + y as u16,
                    &line,
                    inner.width,
                );
            }
        }
        let choice = self.choice.min(list.len().saturating_sub(1));
        for (i, name) in list.iter().enumerate() {
            let y = inner.y + 2 + i as u16;
            if y >= inner.y + inner.height {
                break;
            }
            let style = if i == choice {
                theme.selected
            } else {
                theme.text
            };
            crate::tui::widgets::text::put_line(
                buf,
                inner.x,
                y,
                &Line::styled(format!("  {name}"), style),
                inner.width,
            );
        }
    }
}

impl App {
    /// Opens the go-to-pair prompt, starting from the pair under the matrix cursor.
    pub(super) fn open_goto(&mut self) {
        self.overlay = Some(Overlay::GoTo(GoTo::default()));
    }

    /// Enter in the prompt: selects the named pair in the matrix and focuses the
    /// Reachability panel (unless the Topology pane, which draws the path, has the focus).
    pub(super) fn finish_goto(&mut self, goto: &GoTo) {
        let endpoints = self.session.analysis().endpoints();
        let (from, to) = match (resolve(&goto.from, endpoints), resolve(&goto.to, endpoints)) {
            (Ok(from), Ok(to)) => (from, to),
            (Err(why), _) | (_, Err(why)) => return self.refuse(why),
        };
        let names = format!("{} → {}", endpoints[from].name, endpoints[to].name);
        if !self.select_endpoints(from, to) {
            return self.refuse(format!("{names} is not in the matrix"));
        }
        if self.nav.focus != super::panes::PaneId::Topology {
            self.nav.focus = super::panes::PaneId::Reach;
        }
        self.say(format!("went to {names}"));
    }
}

#[cfg(test)]
mod tests {
    use super::{completions, resolve};
    use crate::model::Design;

    #[test]
    fn exact_names_win_then_fuzzy_then_typos() {
        let endpoints = crate::engine::analyze(
            &Design::example_pair(),
            crate::model::Flow::DEFAULT,
            crate::engine::EngineKind::Fast,
        )
        .endpoints()
        .to_vec();
        assert_eq!(resolve("vm-b", &endpoints), Ok(1));
        assert_eq!(completions("vb", &endpoints), ["vm-b"]);
        assert_eq!(resolve("vb", &endpoints), Ok(1));
        assert_eq!(completions("mv-a", &endpoints), ["vm-a"]);
        let error = resolve("zzzz", &endpoints).unwrap_err();
        assert!(error.starts_with("there is no endpoint `zzzz`"), "{error}");
    }
}
