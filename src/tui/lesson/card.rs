//! The lesson card: the page text and the revealed hints on the left, the goal checklist with
//! its progress on the right, a title rule above and the lesson keys below. As a band above the
//! panes it takes what the layout leaves (six rows at 100×30); in the presenter mode it fills
//! the screen, one column, with every goal's message. Drawing reads the run's last grade only.

use super::super::action::Action;
use super::super::theme::Theme;
use crate::lesson::LessonRun;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

/// The actions whose keys the card's last line names, in order.
pub(super) const CARD_ACTIONS: [Action; 5] = [
    Action::PrevPage,
    Action::NextPage,
    Action::Hint,
    Action::Lessons,
    Action::Presenter,
];

/// What the card shows besides the run.
pub(super) struct CardView<'a> {
    /// The run.
    pub run: &'a LessonRun,
    /// The lesson's place in the picker's list (1-based) and the list's length.
    pub place: Option<(usize, usize)>,
    /// The next lesson's title, offered once this one is complete.
    pub next: Option<&'a str>,
    /// The styles.
    pub theme: &'a Theme,
    /// Whether the card fills the screen (presenter mode).
    pub full: bool,
    /// The key of each lesson action, as the keymap binds it (`None`: unbound).
    pub keys: [Option<String>; 5],
    /// Whether the goals' outcomes are hidden (predict-then-reveal is on: a ✓ or ✗ would tell
    /// the room the answer).
    pub hide_outcomes: bool,
}

/// "2 of 4 goals".
pub(super) fn progress_text(run: &LessonRun) -> String {
    let total = run.lesson().goals.len();
    let passed = run.grade().map_or(0, crate::lesson::Grade::passed);
    format!(
        "{passed} of {total} goal{}",
        if total == 1 { "" } else { "s" }
    )
}

impl CardView<'_> {
    /// Draws the card in `area`.
    pub(super) fn render(&self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let run = self.run;
        let lesson = run.lesson();
        let pages = lesson.pages.len().max(1);
        let place = self
            .place
            .map_or_else(String::new, |(at, of)| format!("Lesson {at}/{of} · "));
        let complete = run.is_solved_now() && !self.hide_outcomes;
        let mut title = vec![
            Span::styled(format!(" {place}{} ", lesson.title), theme.title),
            Span::styled(
                format!("· page {} of {pages} · ", run.page() + 1),
                theme.dim,
            ),
            Span::styled(
                if self.hide_outcomes {
                    "goals hidden while predicting".to_string()
                } else {
                    progress_text(run)
                },
                if complete { theme.ok } else { theme.warning },
            ),
            Span::raw(" "),
        ];
        if complete {
            title.push(Span::styled("★ lesson complete ", theme.ok));
        }
        let block = Block::new()
            .borders(Borders::TOP | Borders::BOTTOM)
            .border_style(theme.border_focused)
            .title_top(Line::from(title));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 {
            return;
        }
        let [body, keys] = inner.layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(u16::from(inner.height > 2)),
        ]));
        self.render_keys(keys, buf);
        if self.full || body.width < 90 {
            let mut lines = self.page_lines();
            lines.push(Line::raw(""));
            lines.extend(self.goal_lines(true));
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .render(body, buf);
        } else {
            let [left, right] = body.layout(&Layout::horizontal([
                Constraint::Percentage(55),
                Constraint::Fill(1),
            ]));
            Paragraph::new(self.page_lines())
                .wrap(Wrap { trim: false })
                .render(left, buf);
            let right = Rect {
                x: right.x + 1,
                width: right.width.saturating_sub(1),
                ..right
            };
            Paragraph::new(self.goal_lines(false))
                .wrap(Wrap { trim: false })
                .render(right, buf);
        }
    }

    /// The page (or, once complete, the closing and the next lesson) and the hints shown.
    fn page_lines(&self) -> Vec<Line<'static>> {
        let theme = self.theme;
        let run = self.run;
        let mut lines = Vec::new();
        if let Some(closing) = run.closing().filter(|_| !self.hide_outcomes) {
            lines.push(Line::styled(closing.to_string(), theme.ok));
            if let Some(next) = self.next {
                lines.push(Line::styled(format!("Next: {next} (L)"), theme.accent));
            }
            return lines;
        }
        for paragraph in run.page_text().split('\n') {
            lines.push(Line::styled(paragraph.to_string(), theme.text));
        }
        for (i, hint) in run.hints_shown().iter().enumerate() {
            lines.push(Line::from(vec![
                Span::styled(format!("Hint {}: ", i + 1), theme.key),
                Span::styled(hint.clone(), theme.text),
            ]));
        }
        lines
    }

    /// The checklist: ✓/✗ and each goal's title; with `messages`, each goal's message too,
    /// else only the first failing goal's (what to work on next).
    fn goal_lines(&self, messages: bool) -> Vec<Line<'static>> {
        let theme = self.theme;
        let mut lines = vec![Line::styled(
            if self.hide_outcomes {
                "Goals (hidden while predicting)".to_string()
            } else {
                format!("Goals: {}", progress_text(self.run))
            },
            theme.title,
        )];
        let grade = self.run.grade().filter(|_| !self.hide_outcomes);
        let Some(grade) = grade else {
            for goal in &self.run.lesson().goals {
                lines.push(Line::styled(format!("? {}", goal.title), theme.dim));
            }
            return lines;
        };
        for goal in &grade.goals {
            let (mark, style) = if goal.pass {
                ("✓", theme.reachable)
            } else {
                ("✗", theme.blocked)
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::styled(goal.title.clone(), theme.text),
            ]));
            if messages {
                lines.push(Line::styled(format!("  {}", goal.message), theme.dim));
            }
        }
        for constraint in grade.constraints.iter().filter(|c| !c.holds) {
            lines.push(Line::styled(
                format!("✗ rule broken: {}", constraint.description),
                theme.error,
            ));
        }
        if !messages && let Some(failing) = grade.goals.iter().find(|g| !g.pass) {
            lines.push(Line::styled(format!("→ {}", failing.message), theme.dim));
        }
        lines
    }

    fn render_keys(&self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 {
            return;
        }
        let theme = self.theme;
        let left = self.run.hints_left();
        let mut spans = Vec::new();
        let labels = [
            "page back".to_string(),
            "page on".to_string(),
            format!("hint ({left} left)"),
            "lessons · reset · solution".to_string(),
            "present".to_string(),
        ];
        for (key, label) in self.keys.iter().zip(labels) {
            let Some(key) = key else {
                continue;
            };
            spans.push(Span::styled(format!(" {key}"), theme.key));
            spans.push(Span::styled(format!(" {label} "), theme.dim));
        }
        crate::tui::widgets::text::put_line(buf, area.x, area.y, &Line::from(spans), area.width);
    }
}
