//! Predict, then reveal (`R`): the matrix shows `?` for every pair not yet revealed, and its
//! summary and the selected pair's explanation are hidden too, so the room predicts before it
//! sees. `R` on a hidden pair asks the question (in `reveal`); the answer
//! reveals the pair and the explanation under the matrix (both paths, every blocker) shows
//! again. `R` on a revealed pair ends the mode with the score. Drawing masks what the
//! Reachability pane drew, so the pane itself needs no mode.

use super::super::app::App;
use super::super::panes::PaneId;
use super::super::panes::reach::MatrixLayout;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};
use std::collections::BTreeSet;

/// The predict-then-reveal state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Predict {
    /// The pairs revealed, as (row label, column label) of the matrix.
    pub revealed: BTreeSet<(String, String)>,
    /// Predictions made and how many were right.
    pub asked: usize,
    /// How many predictions were right.
    pub right: usize,
    /// The question being asked (between "reachable or blocked?" and the reveal), when the
    /// pair is two endpoints (a group cell of the matrix has no single trace).
    pub question: Option<crate::lesson::Question>,
}

impl App {
    /// The selected matrix pair's labels, as the matrix names its row and column.
    fn selected_labels(&self) -> Option<(String, String)> {
        let matrix = self.live.matrix()?;
        let cursor = self.live.cursor();
        let endpoints = self.session.analysis().endpoints();
        Some((
            matrix.label(cursor.row, endpoints),
            matrix.label(cursor.column, endpoints),
        ))
    }

    /// Whether predict-then-reveal hides the selected pair: the Topology pane then draws no
    /// path for it (its colours would tell the answer).
    pub(in crate::tui) fn hides_selected_pair(&self) -> bool {
        self.teach.predict.as_ref().is_some_and(|predict| {
            self.selected_labels()
                .is_some_and(|pair| pair.0 != pair.1 && !predict.revealed.contains(&pair))
        })
    }

    /// Covers the Diagnostics pane (drawn at `rect`) while predicting: its findings name the
    /// blocked pairs and their causes.
    pub(in crate::tui) fn mask_diagnostics(&self, rect: Rect, buf: &mut Buffer) {
        if self.teach.predict.is_none() {
            return;
        }
        let inner = Rect {
            x: rect.x + 1,
            y: rect.y + 1,
            width: rect.width.saturating_sub(2),
            height: rect.height.saturating_sub(2),
        };
        Clear.render(inner, buf);
        Paragraph::new(Line::styled(
            "hidden while predicting: the findings would tell the answer",
            self.config.theme.dim,
        ))
        .wrap(Wrap { trim: false })
        .render(inner, buf);
    }

    /// `R`: starts predicting, asks about the selected pair, or (on a revealed pair) ends.
    pub(in crate::tui) fn predict_key(&mut self) {
        let Some(predict) = &self.teach.predict else {
            self.teach.predict = Some(Predict::default());
            self.nav.focus = PaneId::Reach;
            return self.say(
                "predict, then reveal: every verdict is hidden; R on a pair asks for your prediction",
            );
        };
        let Some(labels) = self.selected_labels() else {
            return self.refuse("there is no pair to predict: add VMs first");
        };
        if predict.revealed.contains(&labels) || labels.0 == labels.1 {
            let (right, asked) = (predict.right, predict.asked);
            self.teach.predict = None;
            return self.say(format!(
                "predict mode off: {right} of {asked} prediction{} right",
                if asked == 1 { "" } else { "s" }
            ));
        }
        self.ask_prediction(labels.0, labels.1);
    }

    /// Covers what the matrix drew for the pairs not yet revealed: the cells, the summary, and
    /// the explanation of a hidden selected pair.
    pub(in crate::tui) fn mask_matrix(&self, layout: &MatrixLayout, buf: &mut Buffer) {
        let (Some(predict), Some(matrix)) = (&self.teach.predict, self.live.matrix()) else {
            return;
        };
        let theme = &self.config.theme;
        let endpoints = self.session.analysis().endpoints();
        let cursor = self.live.cursor();
        let active = self.nav.focus == PaneId::Reach && !cursor.in_intents;
        let hidden = |r: usize, c: usize| {
            let pair = (matrix.label(r, endpoints), matrix.label(c, endpoints));
            pair.0 != pair.1 && !predict.revealed.contains(&pair)
        };
        for r in layout.rows.clone() {
            for c in layout.columns.clone() {
                let Some(cell) = layout.cell(r, c).filter(|_| hidden(r, c)) else {
                    continue;
                };
                let mut style = theme.dim;
                if active && r == cursor.row && c == cursor.column {
                    style = style.patch(theme.selected);
                }
                buf.set_stringn(cell.x, cell.y, " ? ", cell.width as usize, style);
            }
        }
        let summary = Rect {
            height: layout.area.height.min(1),
            ..layout.area
        };
        Clear.render(summary, buf);
        crate::tui::widgets::text::put_line(
            buf,
            summary.x,
            summary.y,
            &Line::styled(
                format!(
                    "predict, then reveal · R asks about the selected pair · {} of {} right",
                    predict.right, predict.asked
                ),
                theme.accent,
            ),
            summary.width,
        );
        if hidden(cursor.row, cursor.column) && layout.below.height > 0 {
            Clear.render(layout.below, buf);
            let (from, to) = (
                matrix.label(cursor.row, endpoints),
                matrix.label(cursor.column, endpoints),
            );
            Paragraph::new(vec![
                Line::styled("─".repeat(layout.below.width as usize), theme.border),
                Line::styled(
                    format!("? {from} → {to}: reachable or blocked? R to answer"),
                    theme.accent,
                ),
            ])
            .wrap(Wrap { trim: false })
            .render(layout.below, buf);
        }
    }
}
