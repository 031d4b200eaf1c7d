//! `p` in the Reachability and Diagnostics panes: the selected pair "as if every rule allowed
//! it" (issue 11 item 7), the TUI's face of `trace --permit-all`. The core
//! ([`crate::engine::PermitAll`]) traces the pair and sorts its blockers; this module only lays
//! them out: the verdict routing alone gives, the path it takes both ways, every NSG and
//! appliance rule that would drop the packet, and the routing problems that remain whatever
//! the rules say. Cost: one checked trace on the compiled design the session already holds.

use super::app::App;
use super::overlay::Overlay;
use super::panes::{PaneId, Target};
use super::widgets::note::Note;
use crate::engine::{Blocker, PermitAll, Verdict};
use crate::model::ObjectKind;

/// The pair `p` looks at: in Diagnostics, a failing intent's pair; else the matrix's pair.
fn pair(app: &App) -> Option<(String, String)> {
    if app.nav.focus == PaneId::Diagnostics
        && let Some(Target::Diagnostic(index)) = app.selected()
        && let Some(diagnostic) = app.session.diagnostics().get(index)
        && diagnostic.subject.kind == ObjectKind::Intent
        && let Some(intent) = app.session.design().intent(&diagnostic.subject.name)
    {
        return Some((intent.from.clone(), intent.to.clone()));
    }
    app.selected_pair_names()
}

/// One blocker as lines: its code and place, then its sentence.
fn blocker_lines(blocker: &Blocker) -> [String; 2] {
    [
        format!("  ✗ {} at {}", blocker.code, blocker.at),
        format!("    {}", blocker.message),
    ]
}

/// The text of the view.
pub fn permit_all_lines(p: &PermitAll) -> Vec<String> {
    let trace = &p.trace;
    let routed = match p.routed {
        Verdict::Reachable => "routed",
        Verdict::Blocked => "NOT routed",
    };
    let designed = match trace.verdict {
        Verdict::Reachable => "reachable",
        Verdict::Blocked => "blocked",
    };
    let mut lines = vec![
        format!("{} → {}  {}", trace.from, trace.to, trace.flow),
        format!(
            "as if every NSG and appliance rule allowed it: {routed} (as designed: {designed})"
        ),
        String::new(),
    ];
    for (arrow, hops) in [("→", &trace.forward), ("←", &trace.reverse)] {
        let path = if hops.is_empty() {
            "(no path)".to_string()
        } else {
            hops.iter()
                .map(|h| h.at.as_str())
                .collect::<Vec<_>>()
                .join(" › ")
        };
        lines.push(format!("{arrow} {path}"));
    }
    lines.push(String::new());
    if p.rules.is_empty() {
        lines.push("rules that would drop it: none".to_string());
    } else {
        let count = p.rules.len();
        lines.push(format!(
            "rules that would drop it ({count} {}, in path order):",
            if count == 1 { "rule" } else { "rules" }
        ));
        lines.extend(p.rules.iter().flat_map(blocker_lines));
    }
    lines.push(String::new());
    if p.other.is_empty() {
        lines.push("routing and peering problems: none".to_string());
    } else {
        lines.push("routing and peering problems (these remain whatever the rules):".to_string());
        lines.extend(p.other.iter().flat_map(blocker_lines));
    }
    lines
}

impl App {
    /// Opens the "as if every rule allowed it" view of the selected pair.
    pub(super) fn permit_all(&mut self) {
        let Some((from, to)) = pair(self) else {
            return self.refuse("select a pair in the matrix (or a failing intent) first");
        };
        if from == to {
            return self.refuse(format!("{from} is itself: pick another column (h/l)"));
        }
        let flow = self.session.flow();
        match self.session.tracer().trace_permit_all(&from, &to, flow) {
            Ok(p) => {
                self.overlay = Some(Overlay::Note(Note {
                    title: "As if every rule allowed it".to_string(),
                    lines: permit_all_lines(&p),
                    scroll: 0,
                }));
            }
            Err(e) => self.refuse(e.to_string()),
        }
    }
}
