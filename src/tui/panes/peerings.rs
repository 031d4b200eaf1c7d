//! The Peerings pane: one row per pair of peered VNets with both directions side by side (state
//! and the four flags of each link), and below the list the selected pair's details: names,
//! state, sync level, and every Azure rule a link breaks. The cursor moves over the eight flags
//! (`h`/`l`): a [`FlagCursor`]; `Space` toggles the one under it. Flag names, letters and values
//! all come from [`PeeringFlag`].

use super::{Row, Section, Target, View};
use crate::model::{Design, PeeringFlag, PeeringState, Side, SyncLevel};
use crate::tui::theme::Theme;
use crate::tui::widgets::text;
use ratatui::text::{Line, Span};

/// The flag under the Peerings pane's cursor: which link of the selected pair (the one whose
/// local VNet is the pair's first VNet, [`Side::Local`], shown left; or the reverse,
/// [`Side::Remote`], shown right) and which of its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagCursor {
    /// Which link of the pair: `Local` is `a → b`, `Remote` is `b → a`.
    pub side: Side,
    /// Which setting of that link.
    pub flag: PeeringFlag,
}

impl Default for FlagCursor {
    /// The first column: virtual network access on `a → b`.
    fn default() -> FlagCursor {
        FlagCursor {
            side: Side::Local,
            flag: PeeringFlag::ALL[0],
        }
    }
}

impl FlagCursor {
    /// Every column, left to right: the four settings of `a → b`, then those of `b → a`.
    fn columns() -> impl Iterator<Item = FlagCursor> {
        [Side::Local, Side::Remote]
            .into_iter()
            .flat_map(|side| PeeringFlag::ALL.map(|flag| FlagCursor { side, flag }))
    }

    /// The column's position among the eight, left to right.
    pub fn column(self) -> usize {
        FlagCursor::columns().position(|c| c == self).unwrap_or(0)
    }

    /// The column `steps` to the right (negative: to the left), wrapping around the row.
    #[must_use]
    pub fn moved(self, steps: isize) -> FlagCursor {
        let count = FlagCursor::columns().count();
        let at = (self.column() as isize + steps).rem_euclid(count as isize) as usize;
        FlagCursor::columns().nth(at).unwrap_or_default()
    }

    /// The (local, remote) VNets of the link under the cursor, for the pair `a ⇄ b`.
    pub fn link_ends<'a>(self, a: &'a str, b: &'a str) -> (&'a str, &'a str) {
        match self.side {
            Side::Local => (a, b),
            Side::Remote => (b, a),
        }
    }
}

/// The unordered VNet pairs that have at least one link, in design order; each pair's first
/// VNet is the local side of its first link.
pub fn pairs(design: &Design) -> Vec<(String, String)> {
    let mut seen = std::collections::HashSet::new();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for p in &design.peerings {
        let key = if p.local <= p.remote {
            (&p.local, &p.remote)
        } else {
            (&p.remote, &p.local)
        };
        if seen.insert(key) {
            pairs.push((p.local.clone(), p.remote.clone()));
        }
    }
    pairs
}

/// The state in at most nine characters, for the list row (the detail spells it out).
fn short_state(state: PeeringState) -> &'static str {
    match state {
        PeeringState::Connected => "Connected",
        PeeringState::Initiated => "Initiated",
        PeeringState::Disconnected => "Disconn.",
    }
}

/// The state as one letter, for rows too narrow for [`short_state`] (the legend and the detail
/// spell it out).
fn state_letter(state: PeeringState) -> &'static str {
    match state {
        PeeringState::Connected => "C",
        PeeringState::Initiated => "I",
        PeeringState::Disconnected => "D",
    }
}

pub use crate::tui::widgets::help::NOT_IN_SYNC;

pub(super) fn state_style(theme: &Theme, state: PeeringState) -> ratatui::style::Style {
    match state {
        PeeringState::Connected => theme.ok,
        PeeringState::Initiated => theme.warning,
        PeeringState::Disconnected => theme.error,
    }
}

/// The row model: a header, then one row per pair.
pub fn targets(view: &View) -> Vec<Target> {
    std::iter::once(Target::Section(Section::Peerings))
        .chain(
            pairs(view.session.design())
                .into_iter()
                .map(|(a, b)| Target::PeeringPair { a, b }),
        )
        .collect()
}

/// How wide the state column is: the word, or one letter when the pane is narrow.
#[derive(Clone, Copy, PartialEq, Eq)]
enum StateColumn {
    Word,
    Letter,
}

impl StateColumn {
    /// Cells of the state with its sync mark and a space.
    fn width(self) -> usize {
        match self {
            StateColumn::Word => 11,
            StateColumn::Letter => 3,
        }
    }
}

/// Cells a row takes besides the pair's names: both arrows, states and flag letters.
fn fixed_width(states: StateColumn) -> usize {
    3 + 4 + 2 * (states.width() + PeeringFlag::ALL.len())
}

/// The styled rows of `targets`: both directions of each pair side by side, as wide as they
/// need (for filtering and hit-testing).
pub fn rows(view: &View, targets: &[Target]) -> Vec<Row> {
    rows_within(view, targets, usize::MAX)
}

/// The styled rows of `targets` laid out for a list `width` cells wide: both directions and all
/// eight flags always show; when they do not fit, the states shrink to one letter (C, I, D)
/// and then the pair's names are cut with `…`.
pub fn rows_within(view: &View, targets: &[Target], width: usize) -> Vec<Row> {
    let design = view.session.design();
    let theme = view.theme;
    // The pair column is as wide as the widest pair of the whole list, not only of the rows
    // shown, so scrolling never shifts the flag columns.
    let widest = pairs(design)
        .iter()
        .map(|(a, b)| text::width(a) + text::width(b) + 3)
        .max()
        .unwrap_or(5)
        .clamp(5, 28);
    let states = if widest + fixed_width(StateColumn::Word) <= width {
        StateColumn::Word
    } else {
        StateColumn::Letter
    };
    let label_width = widest.min(width.saturating_sub(fixed_width(states)).max(5));
    // Links by (local, remote), with their precomputed state and sync level.
    let links: rustc_hash::FxHashMap<(&str, &str), usize> = design
        .peerings
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.local.as_str(), p.remote.as_str()), i))
        .collect();
    let status = view.session.peering_status();
    let letters: String = PeeringFlag::ALL.map(PeeringFlag::letter).iter().collect();
    let state_width = states.width();
    let pad = |text: &str, cells: usize| {
        let cut = text::fit(text, cells);
        let fill = cells.saturating_sub(text::width(&cut));
        format!("{cut}{}", " ".repeat(fill))
    };
    let mut rows = Vec::with_capacity(targets.len());
    for target in targets {
        let (a, b) = match target {
            Target::PeeringPair { a, b } => (a, b),
            Target::Section(_) => {
                let state = if states == StateColumn::Word {
                    "state"
                } else {
                    "s"
                };
                rows.push(Row::new(
                    target.clone(),
                    Line::from(vec![
                        Span::styled(pad("pairs", label_width), theme.title),
                        Span::styled(
                            format!(
                                " → {}{letters}  ← {}{letters}",
                                pad(state, state_width),
                                pad(state, state_width)
                            ),
                            theme.dim,
                        ),
                    ]),
                ));
                continue;
            }
            _ => continue,
        };
        let mut spans = vec![Span::raw(pad(&format!("{a} ⇄ {b}"), label_width))];
        let mut columns = Vec::new();
        for (arrow, local, remote) in [(" → ", a, b), ("  ← ", b, a)] {
            spans.push(Span::styled(arrow, theme.dim));
            let found = links.get(&(local.as_str(), remote.as_str())).copied();
            match found.and_then(|i| design.peerings.get(i).map(|link| (i, link))) {
                Some((i, link)) => {
                    // The session's states are of its evaluated revision, in that revision's
                    // order: while a newer one is pending, derive the row's from the design.
                    let (state, sync) = match status.get(i) {
                        Some(s) if !view.session.is_stale() => (s.state, s.sync),
                        _ => (design.peering_state(link), design.sync_level(link)),
                    };
                    let mark = if sync == SyncLevel::FullyInSync {
                        " "
                    } else {
                        NOT_IN_SYNC
                    };
                    let word = match states {
                        StateColumn::Word => short_state(state),
                        StateColumn::Letter => state_letter(state),
                    };
                    spans.push(Span::styled(
                        pad(&format!("{word}{mark}"), state_width),
                        state_style(theme, state),
                    ));
                    for flag in PeeringFlag::ALL {
                        columns.push(spans.len());
                        if flag.get(link) {
                            spans.push(Span::styled(flag.letter().to_string(), theme.ok));
                        } else {
                            spans.push(Span::styled("·", theme.dim));
                        }
                    }
                }
                None => {
                    let missing = match states {
                        StateColumn::Word => "missing",
                        StateColumn::Letter => "-",
                    };
                    spans.push(Span::styled(pad(missing, state_width), theme.error));
                    for _ in PeeringFlag::ALL {
                        columns.push(spans.len());
                        spans.push(Span::styled(" ", theme.dim));
                    }
                }
            }
        }
        rows.push(Row {
            target: target.clone(),
            line: Line::from(spans),
            columns,
        });
    }
    rows
}

/// The flag under the cursor named with its side and value, for the selected pair:
/// `← use remote gateways: off` (`None` when the cursor's link does not exist).
pub fn cursor_flag(design: &Design, a: &str, b: &str, cursor: FlagCursor) -> Option<String> {
    let (local, remote) = cursor.link_ends(a, b);
    let link = design.peering_between(local, remote)?;
    let arrow = match cursor.side {
        Side::Local => "→",
        Side::Remote => "←",
    };
    let value = if cursor.flag.get(link) { "on" } else { "off" };
    Some(format!(
        "{arrow} {}: {value} · {local} → {remote}",
        cursor.flag.words()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Edit, Object};
    use crate::model::Peering;
    use crate::session::Session;
    use crate::tui::live::Live;

    fn row_text(session: &Session) -> String {
        let theme = Theme::embedded();
        let live = Live::default();
        let view = View {
            session,
            theme: &theme,
            flag_cursor: FlagCursor::default(),
            context_subnet: None,
            context_vm: None,
            live: &live,
        };
        let target = Target::PeeringPair {
            a: "a".into(),
            b: "b".into(),
        };
        rows(&view, &[target])[0].line.to_string()
    }

    #[test]
    fn rows_show_the_designs_states_while_an_evaluation_is_pending() {
        let mut design = Design::example_pair();
        design.peerings.push(Peering::new("a-to-b", "a", "b"));
        let mut session = Session::new(design);
        assert!(row_text(&session).contains("Initiated"));
        // The reverse link is in the design; its evaluation has not run yet.
        let _job = session
            .apply_deferred(Edit::Add {
                object: Object::Peering(Peering::new("b-to-a", "b", "a")),
                at: None,
            })
            .unwrap();
        assert!(session.is_stale());
        let text = row_text(&session);
        assert_eq!(text.matches("Connected").count(), 2, "{text}");
    }

    #[test]
    fn the_flag_cursor_walks_both_links_and_wraps() {
        let start = FlagCursor::default();
        assert_eq!(start.moved(-1).side, Side::Remote);
        assert_eq!(start.moved(-1).flag, PeeringFlag::UseRemoteGateways);
        assert_eq!(start.moved(4).side, Side::Remote);
        assert_eq!(start.moved(4).flag, PeeringFlag::AllowVirtualNetworkAccess);
        assert_eq!(start.moved(8), start);
        assert_eq!(start.moved(7).column(), 7);
        assert_eq!(start.moved(5).link_ends("a", "b"), ("b", "a"));
    }
}
