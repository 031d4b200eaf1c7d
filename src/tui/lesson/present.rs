//! Where teaching puts things on screen, and the presenter mode. [`frame`] splits the terminal
//! between the panes (laid out as usual in what is left), the lesson card (a band above the
//! panes while a lesson is open, or full height over them after `C`), the one-line lesson strip
//! of a terminal too small for the band, and the presenter's banner. The presenter mode (`P`) shows a
//! large title and one pane full screen in a high-contrast theme: the lesson card, then the
//! matrix, then the topology, then back to the normal screen, restoring the theme, focus and
//! full-screen state it found. Rectangles only: no engine.

use super::super::action::Action;
use super::super::app::App;
use super::super::layout::MIN_SIZE;
use super::super::panes::PaneId;
use super::super::theme::Theme;
use super::card::CardView;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// What the presenter mode shows full screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The lesson card.
    Card,
    /// The Reachability pane.
    Matrix,
    /// The Topology pane.
    Topology,
}

/// The presenter mode's state: the stage, and what to restore when it ends.
#[derive(Debug, Clone)]
pub(in crate::tui) struct Presenter {
    /// What is shown full screen.
    pub(in crate::tui) stage: Stage,
    theme: Theme,
    focus: PaneId,
    full_screen: bool,
}

/// The parts of a frame teaching adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeachAreas {
    /// Where the panes, status line and key hints are laid out.
    pub panes: Rect,
    /// The lesson card, if shown.
    pub card: Option<Rect>,
    /// The presenter's title banner, if shown.
    pub banner: Option<Rect>,
    /// The lesson's one-line strip (progress and keys) over the key-hint line, when the
    /// terminal leaves the card no band and `C` has not put it full height.
    pub strip: Option<Rect>,
}

/// Splits the terminal: the presenter's banner on top, or the lesson card as a band above the
/// panes (taking only rows the panes' layout does not need: the wide layout keeps its 36 rows,
/// the compact one its 24). With `card_full` (`C`) the card covers the panes full height,
/// leaving the status and key lines. At 24 rows there is no band: the key-hint line becomes a
/// one-line strip with the lesson's progress and the key that shows the card.
pub fn frame(terminal: Rect, lesson: bool, stage: Option<Stage>, card_full: bool) -> TeachAreas {
    let take_top = |rows: u16| {
        let rows = rows.min(terminal.height);
        (
            Rect {
                height: rows,
                ..terminal
            },
            Rect {
                y: terminal.y + rows,
                height: terminal.height - rows,
                ..terminal
            },
        )
    };
    if let Some(stage) = stage {
        let (banner, rest) = take_top(if terminal.height >= 27 { 3 } else { 1 });
        let card = (stage == Stage::Card && lesson).then(|| Rect {
            height: rest.height.saturating_sub(2),
            ..rest
        });
        return TeachAreas {
            panes: rest,
            card,
            banner: Some(banner),
            strip: None,
        };
    }
    let fits = terminal.width >= MIN_SIZE.0 && terminal.height >= MIN_SIZE.1;
    if lesson && card_full && fits {
        return TeachAreas {
            panes: terminal,
            card: Some(Rect {
                height: terminal.height.saturating_sub(2),
                ..terminal
            }),
            banner: None,
            strip: None,
        };
    }
    let height = terminal.height;
    let band = if !lesson {
        0
    } else if height >= 44 {
        (height - 36).min(14)
    } else if height > 24 {
        (height - 24).min(12)
    } else {
        0
    };
    if band == 0 {
        // Below the smallest size the notice that says so has the screen.
        let strip = (lesson && fits).then(|| Rect {
            y: terminal.y + height - 1,
            height: 1,
            ..terminal
        });
        return TeachAreas {
            panes: terminal,
            card: None,
            banner: None,
            strip,
        };
    }
    let (card, panes) = take_top(band);
    TeachAreas {
        panes,
        card: Some(card),
        banner: None,
        strip: None,
    }
}

impl App {
    /// The teaching areas of the current terminal.
    pub(in crate::tui) fn teach_areas(&self, terminal: Rect) -> TeachAreas {
        frame(
            terminal,
            self.teach.run.is_some(),
            self.teach.presenter.as_ref().map(|p| p.stage),
            self.teach.card_full,
        )
    }

    /// `P`: into the presenter mode, on to its next stage, or out of it.
    pub(in crate::tui) fn presenter_key(&mut self) {
        let lesson = self.teach.run.is_some();
        let next = match self.teach.presenter.as_ref().map(|p| p.stage) {
            None if lesson => Some(Stage::Card),
            None | Some(Stage::Card) => Some(Stage::Matrix),
            Some(Stage::Matrix) => Some(Stage::Topology),
            Some(Stage::Topology) => None,
        };
        match (next, self.teach.presenter.as_mut()) {
            (Some(stage), Some(presenter)) => presenter.stage = stage,
            (Some(stage), None) => {
                let high = if super::super::theme::no_color_requested() {
                    Theme::no_color()
                } else {
                    Theme::high_contrast()
                };
                self.teach.presenter = Some(Presenter {
                    stage,
                    theme: std::mem::replace(&mut self.config.theme, high),
                    focus: self.nav.focus,
                    full_screen: self.nav.full_screen,
                });
            }
            (None, _) => {
                if let Some(presenter) = self.teach.presenter.take() {
                    self.config.theme = presenter.theme;
                    self.nav.focus = presenter.focus;
                    self.nav.full_screen = presenter.full_screen;
                }
                return self.say("presenter mode off");
            }
        }
        match next {
            Some(Stage::Matrix) => {
                self.nav.focus = PaneId::Reach;
                self.nav.full_screen = true;
            }
            Some(Stage::Topology) => {
                self.nav.focus = PaneId::Topology;
                self.nav.full_screen = true;
            }
            _ => {}
        }
        self.say("presenter mode · P: the next pane (after the topology, P ends it)");
    }

    /// Draws the card and the banner over the frame the panes were drawn in.
    pub(in crate::tui) fn render_teach(&self, areas: &TeachAreas, buf: &mut Buffer) {
        let theme = &self.config.theme;
        if let (Some(card), Some(run)) = (areas.card, &self.teach.run) {
            let library = self.teach.library.as_ref();
            let place = library.and_then(|l| {
                let at = l.lessons().iter().position(|x| x.id == run.lesson().id)?;
                Some((at + 1, l.lessons().len()))
            });
            let next = library
                .and_then(|l| l.next_after(&run.lesson().id))
                .map(|l| l.title.as_str());
            let keys = super::card::CARD_ACTIONS.map(|action| {
                self.config
                    .keymap
                    .keys_for(action, self.nav.focus)
                    .first()
                    .map(ToString::to_string)
            });
            ratatui::widgets::Clear.render(card, buf);
            let scroll = CardView {
                run,
                place,
                next,
                theme,
                full: self.teach.presenter.is_some() || self.teach.card_full,
                toggled: self.teach.card_full,
                hide_outcomes: self.teach.predict.is_some(),
                keys,
                scroll: self.teach.card.get().offset,
            }
            .render(card, buf);
            self.teach.card.set(scroll);
        }
        if let (Some(strip), Some(run)) = (areas.strip, &self.teach.run) {
            self.render_strip(run, strip, buf);
        }
        if let (Some(banner), Some(presenter)) = (areas.banner, &self.teach.presenter) {
            let subject = match &self.teach.run {
                Some(run) => run.lesson().title.clone(),
                None => self.session.design().name.clone(),
            };
            let stage = match presenter.stage {
                Stage::Card => match &self.teach.run {
                    Some(_) if self.teach.predict.is_some() => "predict, then reveal".to_string(),
                    Some(run) => super::card::progress_text(run),
                    None => "lesson".to_string(),
                },
                Stage::Matrix => format!("who reaches whom · {}", self.session.flow()),
                Stage::Topology => "the picture".to_string(),
            };
            render_banner(banner, &subject, &stage, theme, buf);
        }
    }
}

/// The presenter's title: the subject in spaced capitals on a reversed bar (three rows when
/// there is room), and what is shown.
fn render_banner(area: Rect, subject: &str, stage: &str, theme: &Theme, buf: &mut Buffer) {
    let bar = theme.title.add_modifier(ratatui::style::Modifier::REVERSED);
    buf.set_style(area, bar);
    let large: String = subject
        .to_uppercase()
        .chars()
        .map(|c| format!("{c} "))
        .collect();
    let line = Line::from(vec![
        Span::styled(format!("  {}", large.trim_end()), bar),
        Span::styled(format!("   ·   {stage}"), bar),
    ]);
    let y = area.y + area.height / 2;
    crate::tui::widgets::text::put_line(buf, area.x, y, &line, area.width);
}

impl App {
    /// `C`: the lesson card full height over the panes, or back to its band (or strip).
    pub(in crate::tui) fn card_key(&mut self) {
        if self.teach.run.is_none() {
            return self.refuse("no lesson is open: L opens one");
        }
        self.teach.card_full = !self.teach.card_full;
        self.teach.card.set(super::card::CardScroll::default());
        let key = self.key_of(Action::LessonCard);
        self.say(if self.teach.card_full {
            format!("the lesson card, full height · ] reads on · {key} back to the panes")
        } else {
            format!("back to the panes · {key} shows the lesson card full height")
        });
    }

    /// The first key bound to `action` (for the panes in focus), or its name when unbound.
    fn key_of(&self, action: Action) -> String {
        self.config
            .keymap
            .keys_for(action, self.nav.focus)
            .first()
            .map_or_else(|| action.hint().to_string(), ToString::to_string)
    }

    /// The one-line strip of a small terminal: the lesson, its page and progress, and the keys
    /// that show the card, turn the page, hint and open the lesson menu.
    fn render_strip(&self, run: &crate::lesson::LessonRun, area: Rect, buf: &mut Buffer) {
        let theme = &self.config.theme;
        buf.set_style(area, theme.status);
        let lesson = run.lesson();
        let progress = if self.teach.predict.is_some() {
            "goals hidden".to_string()
        } else if run.is_solved_now() {
            format!("★ {}", super::card::progress_text(run))
        } else {
            super::card::progress_text(run)
        };
        let done = run.is_solved_now() && self.teach.predict.is_none();
        // The progress and the keys always show; the title gets what they leave.
        let mut keys = vec![Span::styled(" │", theme.status)];
        for (action, label) in [
            (Action::LessonCard, "card"),
            (Action::NextPage, "page"),
            (Action::Hint, "hint"),
            (Action::Lessons, "lessons"),
            (Action::Help, "help"),
        ] {
            keys.push(Span::styled(
                format!(" {}", self.key_of(action)),
                theme.key.patch(theme.status),
            ));
            keys.push(Span::styled(format!(" {label}"), theme.status));
        }
        let head = Span::styled(
            format!(
                " {progress} · page {} of {}",
                run.page() + 1,
                lesson.pages.len().max(1)
            ),
            if done { theme.ok } else { theme.warning }.patch(theme.status),
        );
        let room = usize::from(area.width)
            .saturating_sub(head.width() + 3)
            .saturating_sub(Line::from(keys.clone()).width());
        // A title cut to a letter or two says nothing: then there is none.
        let title = if room >= 8 {
            format!(" · {}", crate::tui::widgets::text::fit(&lesson.title, room))
        } else {
            String::new()
        };
        let mut spans = vec![head, Span::styled(title, theme.title.patch(theme.status))];
        spans.extend(keys);
        let line = crate::tui::widgets::text::fit_line(Line::from(spans), usize::from(area.width));
        crate::tui::widgets::text::put_line(buf, area.x, area.y, &line, area.width);
    }
}
