//! The lesson card: the page text and the revealed hints on the left, the goal checklist with
//! its progress on the right, a title rule above and the lesson keys below. As a band above the
//! panes it takes what the layout leaves (six rows at 100×30); in the presenter mode, or full
//! height after `C` (how an 80×24 terminal shows it), it is one column with every goal's
//! message. A narrow card drops its place from the title and names its keys in fewer words. Text that does not fit is word-wrapped
//! and scrolled: `]` reads on before it turns the page, and the marks `… ]` and `[ …` say so.
//! Drawing reads the run's last grade only.

use super::super::action::Action;
use super::super::theme::Theme;
use super::super::widgets::text::{ELLIPSIS, fit_line, width};
use crate::lesson::LessonRun;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

/// The actions whose keys the card's last line names, in order.
pub(super) const CARD_ACTIONS: [Action; 6] = [
    Action::PrevPage,
    Action::NextPage,
    Action::Hint,
    Action::Lessons,
    Action::Presenter,
    Action::LessonCard,
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
    /// Whether the card fills the screen (presenter mode, or `C`): one column, with every
    /// goal's message.
    pub full: bool,
    /// Whether `C` put the card full height (its key then says "card back").
    pub toggled: bool,
    /// The key of each lesson action, as the keymap binds it (`None`: unbound).
    pub keys: [Option<String>; 6],
    /// Whether the goals' outcomes are hidden (predict-then-reveal is on: a ✓ or ✗ would tell
    /// the room the answer).
    pub hide_outcomes: bool,
    /// How many rows of the page column are scrolled away (`]` reads on before turning the
    /// page when the text does not fit).
    pub scroll: usize,
}

/// What the last drawing of the card left unread, for `]` and `[`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(in crate::tui) struct CardScroll {
    /// Rows scrolled away at the top.
    pub(in crate::tui) offset: usize,
    /// Whether rows of the page column are below what is shown.
    pub(in crate::tui) more_below: bool,
    /// How many rows one `]` moves (the rows the column shows, less its marks).
    pub(in crate::tui) step: usize,
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
    /// Draws the card in `area`; returns what the page column left unread.
    pub(super) fn render(&self, area: Rect, buf: &mut Buffer) -> CardScroll {
        let theme = self.theme;
        let run = self.run;
        let lesson = run.lesson();
        let pages = lesson.pages.len().max(1);
        let place = self
            .place
            .map_or_else(String::new, |(at, of)| format!("Lesson {at}/{of} · "));
        let complete = run.is_solved_now() && !self.hide_outcomes;
        let title = |place: &str| {
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
            Line::from(title)
        };
        // A narrow card (80 columns) drops the lesson's place before the progress is cut.
        let mut title_line = title(&place);
        if title_line.width() > usize::from(area.width) {
            title_line = title("");
        }
        let block = Block::new()
            .borders(Borders::TOP | Borders::BOTTOM)
            .border_style(theme.border_focused)
            .title_top(title_line);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 {
            return CardScroll::default();
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
            self.scrolled(&lines, body, buf)
        } else {
            let [left, right] = body.layout(&Layout::horizontal([
                Constraint::Percentage(55),
                Constraint::Fill(1),
            ]));
            let scroll = self.scrolled(&self.page_lines(), left, buf);
            let right = Rect {
                x: right.x + 1,
                width: right.width.saturating_sub(1),
                ..right
            };
            // The checklist is short; what does not fit ends in `…`.
            let mut rows = wrap(&self.goal_lines(false), usize::from(right.width));
            let height = usize::from(right.height);
            if rows.len() > height && height > 0 {
                rows.truncate(height);
                if let Some(last) = rows.last_mut() {
                    let cut = fit_line(last.clone(), usize::from(right.width).saturating_sub(1));
                    *last = Line::from(
                        cut.spans
                            .into_iter()
                            .chain([Span::styled(ELLIPSIS.to_string(), self.theme.dim)])
                            .collect::<Vec<_>>(),
                    );
                }
            }
            Paragraph::new(rows).render(right, buf);
            scroll
        }
    }

    /// Draws `lines` word-wrapped in `area` from row [`CardView::scroll`]. Rows cut off below
    /// end the last row shown in `… ]` (the key that reads on); rows scrolled away above start
    /// the first row with `[ …`. The marks take no row of their own: at 100×30 the card has
    /// three.
    fn scrolled(&self, lines: &[Line<'static>], area: Rect, buf: &mut Buffer) -> CardScroll {
        let rows = wrap(lines, usize::from(area.width));
        let height = usize::from(area.height);
        if rows.len() <= height || height == 0 {
            Paragraph::new(rows).render(area, buf);
            return CardScroll::default();
        }
        let key = |i: usize| self.keys[i].clone().unwrap_or_default();
        let offset = self.scroll.min(rows.len() - height);
        let more_below = offset + height < rows.len();
        let mut shown: Vec<Line<'static>> = rows[offset..offset + height].to_vec();
        let cells = usize::from(area.width);
        if offset > 0 {
            let mark = format!("{} {ELLIPSIS} ", key(0));
            let first = fit_line(shown[0].clone(), cells.saturating_sub(width(&mark)));
            shown[0] = Line::from(
                std::iter::once(Span::styled(mark, self.theme.accent))
                    .chain(first.spans)
                    .collect::<Vec<_>>(),
            );
        }
        if more_below && let Some(last) = shown.last_mut() {
            let mark = format!(" {ELLIPSIS} {}", key(1));
            let cut = fit_line(last.clone(), cells.saturating_sub(width(&mark)));
            // A row cut short already ends in `…`.
            let mark = if cut.width() < last.width() {
                format!(" {}", key(1))
            } else {
                mark
            };
            let pad = cells
                .saturating_sub(width(&mark))
                .saturating_sub(cut.width());
            *last = Line::from(
                cut.spans
                    .into_iter()
                    .chain([
                        Span::raw(" ".repeat(pad)),
                        Span::styled(mark, self.theme.accent),
                    ])
                    .collect::<Vec<_>>(),
            );
        }
        Paragraph::new(shown).render(area, buf);
        CardScroll {
            offset,
            more_below,
            step: height,
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
        let card = if self.toggled {
            "card back"
        } else {
            "card full"
        };
        let long = [
            "page back".to_string(),
            "page on".to_string(),
            format!("hint ({left} left)"),
            "lessons · reset · solution".to_string(),
            "present".to_string(),
            card.to_string(),
        ];
        // A narrow card (80 columns) names every key in fewer words rather than cutting some.
        let short = [
            "back".to_string(),
            "on".to_string(),
            format!("hint {left}"),
            "lessons".to_string(),
            "present".to_string(),
            card.to_string(),
        ];
        let line = |labels: [String; 6]| {
            let mut spans = Vec::new();
            for (key, label) in self.keys.iter().zip(labels) {
                let Some(key) = key else {
                    continue;
                };
                spans.push(Span::styled(format!(" {key}"), theme.key));
                spans.push(Span::styled(format!(" {label} "), theme.dim));
            }
            Line::from(spans)
        };
        let mut keys = line(long);
        if keys.width() > usize::from(area.width) {
            keys = line(short);
        }
        crate::tui::widgets::text::put_line(buf, area.x, area.y, &keys, area.width);
    }
}

/// `lines` word-wrapped to `max` cells a row, each word keeping its style; a word longer than a
/// row is cut across rows. A line's indent (its leading spaces, up to half a row) starts each of
/// its rows, so a goal's message reads as one block under the goal.
fn wrap(lines: &[Line<'static>], max: usize) -> Vec<Line<'static>> {
    let max = max.max(1);
    let mut rows = Vec::new();
    for line in lines {
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        let indent = (text.len() - text.trim_start_matches(' ').len()).min(max / 2);
        let mut row: Vec<Span<'static>> = Vec::new();
        let mut used = 0;
        // A row that a wrap started drops the space it was cut at; a line's own leading
        // spaces (an indent) are kept.
        let mut wrapped = false;
        let mut new_row = |row: &mut Vec<Span<'static>>, used: &mut usize| {
            rows.push(Line::from(std::mem::take(row)).style(line.style));
            if indent > 0 {
                row.push(Span::raw(" ".repeat(indent)));
            }
            *used = indent;
        };
        for span in &line.spans {
            for (i, word) in span.content.split(' ').enumerate() {
                let start = if wrapped { indent } else { 0 };
                // The space before every word but a span's first.
                let gap = usize::from(i > 0 && !(wrapped && used == start));
                let w = width(word);
                if used > indent && used + gap + w > max {
                    new_row(&mut row, &mut used);
                    wrapped = true;
                } else if gap == 1 {
                    row.push(Span::styled(" ", span.style));
                    used += 1;
                }
                let mut rest = word.to_string();
                while width(&rest) > max - used {
                    let head: String = rest.chars().take(max - used).collect();
                    rest = rest.chars().skip(head.chars().count()).collect();
                    row.push(Span::styled(head, span.style));
                    new_row(&mut row, &mut used);
                    wrapped = true;
                }
                used += width(&rest);
                if !rest.is_empty() {
                    row.push(Span::styled(rest, span.style));
                }
            }
        }
        rows.push(Line::from(row).style(line.style));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[Line<'static>]) -> Vec<String> {
        rows.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn wrapped_rows_keep_the_lines_indent() {
        let rows = wrap(&[Line::raw("  one two three four")], 10);
        assert_eq!(texts(&rows), ["  one two", "  three", "  four"]);
        let rows = wrap(&[Line::raw("one two three")], 7);
        assert_eq!(texts(&rows), ["one two", "three"]);
        // A word longer than a row is cut across rows, each still indented.
        let rows = wrap(&[Line::raw("  abcdefghij")], 6);
        assert_eq!(texts(&rows), ["  abcd", "  efgh", "  ij"]);
    }
}
