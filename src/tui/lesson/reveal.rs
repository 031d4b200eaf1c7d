//! The question of predict-then-reveal and its reveal. `R` on a hidden pair asks "reachable or
//! blocked?"; after "blocked" it asks which hop blocks it, from the hops of the pair's own trace
//! (the core's [`Question`]: the real blocking hop and the other places on the path). The
//! answer reveals the pair in a note: the prediction and whether it was right, the verdict with
//! the first blocker, the request's and the reply's paths, and the concept the pair illustrates
//! (the blocker's reason-code description, and the open lesson's concepts). Traces two pairs
//! per question, only when `R` asks.

use super::super::app::App;
use super::super::overlay::{Overlay, Pending};
use super::super::widgets::dialog::Choose;
use super::super::widgets::note::Note;
use super::LessonChoice;
use crate::engine::Verdict;
use crate::lesson::{Judgement, Prediction, Question};

impl App {
    /// Asks "reachable or blocked?" about the pair `from` → `to` (matrix labels; a group cell
    /// is asked too, and revealed without a trace).
    pub(super) fn ask_prediction(&mut self, from: String, to: String) {
        let flow = self.session.flow();
        let tracer = self.session.tracer();
        let question = tracer.trace(&from, &to, flow).ok().map(|trace| {
            let back = tracer.trace(&to, &from, flow).ok();
            Question::about(&trace, back.as_ref())
        });
        let asks_hop = question.as_ref().is_some_and(Question::asks_hop);
        if let Some(predict) = self.teach.predict.as_mut() {
            predict.question = question;
        }
        let answer = |prediction| {
            Pending::Lesson(LessonChoice::Answer {
                from: from.clone(),
                to: to.clone(),
                prediction,
            })
        };
        let (blocked_label, blocked) = if asks_hop {
            (
                "✗ blocked (something on the way stops it), then: which hop?",
                Pending::Lesson(LessonChoice::AskHop {
                    from: from.clone(),
                    to: to.clone(),
                }),
            )
        } else {
            (
                "✗ blocked (something on the way stops it)",
                answer(Prediction::Blocked(None)),
            )
        };
        self.overlay = Some(Overlay::Choose(Choose {
            title: format!("Predict: {from} → {to} on {flow}"),
            options: vec![
                (
                    "✓ reachable (the request and its reply get through)".to_string(),
                    answer(Prediction::Reachable),
                ),
                (blocked_label.to_string(), blocked),
            ],
            selected: 0,
        }));
    }

    /// "Which hop blocks it?": the hops of the pair's trace to choose from.
    pub(super) fn ask_blocking_hop(&mut self, from: &str, to: &str) {
        let question = self
            .teach
            .predict
            .as_ref()
            .and_then(|p| p.question.as_ref())
            .filter(|q| q.from == from && q.to == to);
        let Some(question) = question else {
            return self.answer_prediction(from, to, &Prediction::Blocked(None));
        };
        let options = question
            .choices
            .iter()
            .map(|choice| {
                (
                    choice.label(),
                    Pending::Lesson(LessonChoice::Answer {
                        from: from.to_string(),
                        to: to.to_string(),
                        prediction: Prediction::Blocked(Some(choice.at.clone())),
                    }),
                )
            })
            .collect();
        self.overlay = Some(Overlay::Choose(Choose {
            title: format!("Which hop blocks {from} → {to}?"),
            options,
            selected: 0,
        }));
    }

    /// Reveals the pair: counts the prediction, and shows the reveal note and a one-line
    /// summary on the status bar.
    pub(super) fn answer_prediction(&mut self, from: &str, to: &str, prediction: &Prediction) {
        let Some(predict) = self.teach.predict.as_mut() else {
            return;
        };
        predict.revealed.insert((from.to_string(), to.to_string()));
        predict.asked += 1;
        let question = predict
            .question
            .take()
            .filter(|q| q.from == from && q.to == to);
        let Some(question) = question else {
            // A group cell: its counts show again under the matrix.
            return self.say(format!("{from} → {to} revealed"));
        };
        let judgement = question.judge(prediction);
        if judgement.is_right() {
            predict.right += 1;
        }
        let lesson = self.teach.run.as_ref().map(|run| {
            let lesson = run.lesson();
            let titles: Vec<&str> = lesson.concepts.iter().map(|c| c.title()).collect();
            (
                lesson.title.clone(),
                titles.join(", "),
                lesson.concept_ids(),
            )
        });
        let verdict = question.verdict;
        let at = question
            .blocking
            .as_ref()
            .map_or_else(String::new, |at| format!(" at {at}"));
        let concept = match (question.concept(), &lesson) {
            (Some((code, _)), _) => format!(" · concept: {code}"),
            (None, Some((_, _, ids))) => format!(" · concept: {ids}"),
            (None, None) => String::new(),
        };
        let mark = if judgement.is_right() {
            "✓ right"
        } else {
            "✗ not quite"
        };
        self.overlay = Some(Overlay::Note(Note {
            title: format!("Revealed: {from} → {to} on {}", question.flow),
            lines: reveal_lines(&question, prediction, judgement, lesson.as_ref()),
            scroll: 0,
        }));
        self.say(format!("{mark}: {from} → {to} is {verdict}{at}{concept}"));
    }
}

/// The reveal, one entry per line: the prediction and the judgement, the verdict and its first
/// blocker, both paths, the concept. `lesson` is the open lesson's title, concept titles and
/// ids.
fn reveal_lines(
    question: &Question,
    prediction: &Prediction,
    judgement: Judgement,
    lesson: Option<&(String, String, String)>,
) -> Vec<String> {
    let hop_words = |at: &str| {
        question
            .choices
            .iter()
            .find(|c| c.at == at)
            .map_or_else(|| at.to_string(), crate::lesson::HopChoice::label)
    };
    let predicted = match prediction {
        Prediction::Reachable => "reachable".to_string(),
        Prediction::Blocked(None) => "blocked".to_string(),
        Prediction::Blocked(Some(at)) => format!("blocked, at {}", hop_words(at)),
    };
    let blocking = question.blocking.as_deref().unwrap_or_default();
    let judged = match judgement {
        Judgement::Right => "  ✓ Right.".to_string(),
        Judgement::WrongHop => format!(
            "  ✗ Blocked, yes, but not there: the blocking hop is {}.",
            hop_words(blocking)
        ),
        Judgement::Wrong => format!("  ✗ Not quite: it is {}.", question.verdict),
    };
    let mut lines = vec![format!("You predicted: {predicted}"), judged, String::new()];
    lines.push(match (&question.verdict, &question.message) {
        (Verdict::Blocked, Some(message)) => {
            format!("Verdict: blocked at {}. {message}", hop_words(blocking))
        }
        (Verdict::Blocked, None) => "Verdict: blocked".to_string(),
        (Verdict::Reachable, _) => {
            "Verdict: reachable: the request and its reply both get through".to_string()
        }
    });
    let path = |places: &[String]| places.join(" › ");
    lines.push(format!("Request: {}", path(&question.path)));
    lines.push(if question.reply.is_empty() {
        "Reply: none (the request never arrives)".to_string()
    } else {
        format!("Reply: {}", path(&question.reply))
    });
    lines.push(String::new());
    if let Some((code, description)) = question.concept() {
        lines.push(format!("Concept: {code}: {description}"));
    }
    if let Some((title, concepts, _)) = lesson {
        lines.push(format!("Lesson \"{title}\" teaches: {concepts}"));
    }
    lines
}
