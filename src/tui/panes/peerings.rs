//! The Peerings pane: one row per pair of peered VNets with both directions side by side (state
//! and the four flags of each link), and below the list the selected pair's details: names,
//! state, sync level, and every Azure rule a link breaks. The cursor moves over the eight flags
//! (`h`/`l`); `Space` toggles the one under it.

use super::{Row, Section, Target, View};
use crate::model::{Design, Peering, PeeringState, SyncLevel};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// The four flags, in column order, with their one-letter labels.
pub const FLAGS: [(&str, &str); 4] = [
    ("A", "allow virtual network access"),
    ("F", "allow forwarded traffic"),
    ("G", "allow gateway transit"),
    ("R", "use remote gateways"),
];

/// Reads flag `index` (0–3) of a link.
pub fn flag(peering: &Peering, index: usize) -> bool {
    match index {
        0 => peering.allow_virtual_network_access,
        1 => peering.allow_forwarded_traffic,
        2 => peering.allow_gateway_transit,
        _ => peering.use_remote_gateways,
    }
}

/// Sets flag `index` (0–3) of a link.
pub fn set_flag(peering: &mut Peering, index: usize, on: bool) {
    match index {
        0 => peering.allow_virtual_network_access = on,
        1 => peering.allow_forwarded_traffic = on,
        2 => peering.allow_gateway_transit = on,
        _ => peering.use_remote_gateways = on,
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

fn state_style(theme: &Theme, state: PeeringState) -> ratatui::style::Style {
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

/// The styled rows of `targets`: both directions of each pair side by side.
pub fn rows(view: &View, targets: &[Target]) -> Vec<Row> {
    let design = view.session.design();
    let theme = view.theme;
    // The pair column is as wide as the widest pair of the whole list, not only of the rows
    // shown, so scrolling never shifts the flag columns.
    let label_width = pairs(design)
        .iter()
        .map(|(a, b)| a.chars().count() + b.chars().count() + 3)
        .max()
        .unwrap_or(4)
        .min(28);
    // Links by (local, remote), with their precomputed state and sync level.
    let links: std::collections::HashMap<(&str, &str), usize> = design
        .peerings
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.local.as_str(), p.remote.as_str()), i))
        .collect();
    let status = view.session.peering_status();
    let mut rows = Vec::with_capacity(targets.len());
    for target in targets {
        let (a, b) = match target {
            Target::PeeringPair { a, b } => (a, b),
            Target::Section(_) => {
                rows.push(Row::new(
                    target.clone(),
                    Line::from(vec![
                        Span::styled(format!("{:<label_width$}", "pairs"), theme.title),
                        Span::styled(
                            format!(" → {:<11}AFGR  ← {:<11}AFGR", "state", "state"),
                            theme.dim,
                        ),
                    ]),
                ));
                continue;
            }
            _ => continue,
        };
        let mut spans = vec![Span::raw(format!("{:<label_width$}", format!("{a} ⇄ {b}")))];
        let mut columns = Vec::new();
        for (arrow, local, remote) in [(" → ", a, b), ("  ← ", b, a)] {
            spans.push(Span::styled(arrow, theme.dim));
            let found = links.get(&(local.as_str(), remote.as_str())).copied();
            match found.and_then(|i| Some((design.peerings.get(i)?, status.get(i)?))) {
                Some((link, status)) => {
                    let (state, sync) = (status.state, status.sync);
                    // `*` marks a link whose copy of the remote address space is stale.
                    let mark = if sync == SyncLevel::FullyInSync {
                        " "
                    } else {
                        "*"
                    };
                    spans.push(Span::styled(
                        format!("{:<9}{mark} ", short_state(state)),
                        state_style(theme, state),
                    ));
                    for (i, (letter, _)) in FLAGS.iter().enumerate() {
                        columns.push(spans.len());
                        if flag(link, i) {
                            spans.push(Span::styled(letter.to_string(), theme.ok));
                        } else {
                            spans.push(Span::styled("·", theme.dim));
                        }
                    }
                }
                None => {
                    spans.push(Span::styled(format!("{:<11}", "missing"), theme.error));
                    for _ in 0..4 {
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

/// Lines of detail about the selected pair, for the area below the list.
pub fn detail(view: &View, selected: Option<&Target>) -> Vec<Line<'static>> {
    let theme = view.theme;
    let design = view.session.design();
    let Some(Target::PeeringPair { a, b }) = selected else {
        return vec![Line::styled(
            "Select a pair: Space toggles the flag under the cursor (h/l move), r creates the reverse link, H peers a hub with spokes.",
            theme.dim,
        )];
    };
    let mut lines = Vec::new();
    for (arrow, local, remote) in [("→", a, b), ("←", b, a)] {
        match design.peering_between(local, remote) {
            Some(link) => {
                let state = design.peering_state(link);
                let sync = design.sync_level(link);
                let sync_style = if sync == SyncLevel::FullyInSync {
                    theme.ok
                } else {
                    theme.warning
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("{arrow} {} ", link.name), theme.accent),
                    Span::styled(state.to_string(), state_style(theme, state)),
                    Span::raw(" · "),
                    Span::styled(sync.to_string(), sync_style),
                    Span::styled(
                        if sync == SyncLevel::LocalNotInSync
                            || sync == SyncLevel::LocalAndRemoteNotInSync
                        {
                            "  (s: sync)"
                        } else {
                            ""
                        },
                        theme.key,
                    ),
                ]));
                let on: Vec<&str> = FLAGS
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| flag(link, *i))
                    .map(|(_, (_, name))| *name)
                    .collect();
                lines.push(Line::styled(
                    format!(
                        "  {}",
                        if on.is_empty() {
                            "no flags set".to_string()
                        } else {
                            on.join(", ")
                        }
                    ),
                    theme.dim,
                ));
                for violation in design.peering_violations(link) {
                    let style = if violation.invalidates_peering() {
                        theme.error
                    } else {
                        theme.warning
                    };
                    lines.push(Line::styled(
                        format!("  {} {violation}", violation.rule()),
                        style,
                    ));
                }
            }
            None => lines.push(Line::from(vec![
                Span::styled(format!("{arrow} {local} → {remote} "), theme.accent),
                Span::styled("missing", theme.error),
                Span::styled(" (r: create it)", theme.key),
            ])),
        }
    }
    lines
}

/// Height of the detail area under the list for a pane of inner height `height`.
pub fn detail_height(height: u16) -> u16 {
    if height >= 14 {
        6
    } else if height >= 9 {
        3
    } else {
        0
    }
}

/// Draws the detail lines.
pub fn render_detail(lines: Vec<Line<'static>>, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let Some(body) = crate::tui::widgets::below_rule(area, buf, theme.border) else {
        return;
    };
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(body, buf);
}
