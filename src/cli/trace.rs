//! `vnetlab trace`: one pair hop by hop, request and reply, with the deciding rule or route at
//! each hop and every blocker with its fix, checked on a copy of the design
//! ([`Tracer::trace_checked`](crate::engine::Tracer::trace_checked)); text or JSON (DESIGN.md
//! §4). `--permit-all` reads the same trace as if every NSG and appliance rule allowed the
//! packet ([`PermitAll`]): the path routing alone gives, then every rule on it that drops the
//! packet, apart from routing and peering problems. Exit code 0 when the pair is reachable (with
//! `--permit-all`: when routing alone gets it through), 1 when blocked, 2 on bad input.

use super::args::TraceArgs;
use super::reach::{FlowJson, prepare_reporting};
use super::text::{Align, MAX_COLUMN, count, pad, width};
use super::{EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE};
use crate::engine::{Blocker, FixCheck, Hop, HopDecision, PermitAll, Trace, Tracer, Verdict};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;

/// Runs the command; returns the exit code.
pub fn run(args: &TraceArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let traced = args.parts().and_then(|(files, from, to)| {
        let (design, flow) = prepare_reporting(&files, &args.eval, args.quiet, err)?;
        let tracer = Tracer::new(&design);
        tracer
            .trace_checked(from, to, flow)
            .map_err(|e| e.to_string())
    });
    let trace = match traced {
        Ok(trace) => trace,
        Err(message) => {
            let _ = writeln!(err, "vnetlab trace: {message}");
            return EXIT_USAGE;
        }
    };
    let permit_all = args.permit_all.then(|| PermitAll::of(trace.clone()));
    let written = if args.eval.json {
        let json = TraceJson {
            from: &trace.from,
            to: &trace.to,
            flow: trace.flow.into(),
            verdict: trace.verdict,
            forward: &trace.forward,
            reverse: &trace.reverse,
            blockers: &trace.blockers,
            permit_all: permit_all.as_ref().map(|p| PermitAllJson {
                routed: p.routed,
                rules: &p.rules,
                other: &p.other,
            }),
        };
        serde_json::to_string_pretty(&json)
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(out, "{text}"))
    } else {
        let text = match &permit_all {
            Some(permit_all) => permit_all_text(permit_all),
            None => text(&trace),
        };
        write!(out, "{text}")
    };
    if let Err(e) = written {
        let _ = writeln!(err, "vnetlab trace: cannot write the output: {e}");
        return EXIT_USAGE;
    }
    let verdict = permit_all.map_or(trace.verdict, |p| p.routed);
    match verdict {
        Verdict::Reachable => EXIT_OK,
        Verdict::Blocked => EXIT_NEGATIVE,
    }
}

/// `trace --json` (DESIGN.md §4); `permit_all` only with `--permit-all`.
#[derive(Serialize)]
struct TraceJson<'a> {
    from: &'a str,
    to: &'a str,
    flow: FlowJson,
    verdict: Verdict,
    forward: &'a [Hop],
    reverse: &'a [Hop],
    blockers: &'a [Blocker],
    #[serde(skip_serializing_if = "Option::is_none")]
    permit_all: Option<PermitAllJson<'a>>,
}

/// The pair as if every NSG and appliance rule allowed it: `routed` is the verdict of routing
/// alone, `rules` every rule that would drop the packet, `other` every other blocker.
#[derive(Serialize)]
struct PermitAllJson<'a> {
    routed: Verdict,
    rules: &'a [Blocker],
    other: &'a [Blocker],
}

/// Whether a hop stops the packet (a denying NSG, a dropping appliance or peering).
fn drops(hop: &Hop) -> bool {
    matches!(hop.decision, HopDecision::Deny | HopDecision::Drop)
}

/// The hops as a numbered table; `mark` is written after every hop that drops the packet, and
/// `after_drop` once after the first one.
fn hops_table(hops: &[Hop], mark: &str, after_drop: Option<&str>) -> String {
    let at = width(hops.iter().map(|h| h.at.as_str()));
    let step = width(hops.iter().map(|h| h.step.as_str()));
    let decision = width(hops.iter().map(|h| h.decision.as_str()));
    let number = hops.len().to_string().len().max(2);
    let mut text = String::new();
    let mut dropped = false;
    for (i, hop) in hops.iter().enumerate() {
        let mut line = format!(
            "  {}. {}  {}  {}  {}",
            pad(&(i + 1).to_string(), number, Align::Right),
            pad(&hop.at, at, Align::Left),
            pad(hop.step.as_str(), step, Align::Left),
            pad(hop.decision.as_str(), decision, Align::Left),
            hop.detail
        );
        if drops(hop) {
            line = format!("{}  {mark}", line.trim_end());
        }
        text.push_str(line.trim_end());
        text.push('\n');
        if drops(hop)
            && !dropped
            && let Some(note) = after_drop
            && i + 1 < hops.len()
        {
            let indent = " ".repeat(number + 4);
            let _ = writeln!(text, "{indent}{note}");
        }
        dropped |= drops(hop);
    }
    text
}

/// The request and reply tables under their titles. `ordinary` is the trace as designed: a hop
/// that drops is marked ✗ and followed by a note, and the reply of a dropped request is titled
/// as what it is; otherwise (as if every rule allowed it) a dropping hop is marked as the rule
/// that drops it.
fn paths_text(trace: &Trace, ordinary: bool) -> String {
    let (mark, note, request, reply) = if ordinary {
        let request_dropped = trace.forward.iter().any(drops);
        (
            "✗",
            Some("(dropped here; the hops below show the path as if it had been let through)"),
            "request:",
            if request_dropped {
                "reply, as if the request had been let through:"
            } else {
                "reply:"
            },
        )
    } else {
        (
            "✗ a rule drops it here",
            None,
            "request, routing alone:",
            "reply, routing alone:",
        )
    };
    let mut text = format!("{request}\n");
    if trace.forward.is_empty() {
        text.push_str("  none: an endpoint with itself\n");
        return text;
    }
    text.push_str(&hops_table(&trace.forward, mark, note));
    let _ = write!(text, "\n{reply}\n");
    if trace.reverse.is_empty() {
        text.push_str(if ordinary {
            "  none: the request does not arrive, so nothing replies\n"
        } else {
            "  none: routing does not get the request there, so nothing replies\n"
        });
    } else {
        text.push_str(&hops_table(&trace.reverse, mark, note));
    }
    text
}

/// A verdict in capitals, as the first line shows it.
fn verdict_word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Reachable => "REACHABLE",
        Verdict::Blocked => "BLOCKED",
    }
}

fn text(trace: &Trace) -> String {
    let mut text = format!(
        "{} → {}  {}  {}\n\n",
        trace.from,
        trace.to,
        trace.flow,
        verdict_word(trace.verdict)
    );
    text.push_str(&paths_text(trace, true));
    if !trace.blockers.is_empty() {
        text.push_str("\nblockers:\n");
        for blocker in &trace.blockers {
            text.push_str(&blocker_text(blocker));
        }
        text.push_str(CHECKED);
    }
    text
}

/// The footnote under the blockers: what "fix" promises.
const CHECKED: &str = "\nEach fix was tried on a copy of the design: it removes its blocker and no intent that held fails.\n";

/// The trace as if every rule allowed it.
fn permit_all_text(p: &PermitAll) -> String {
    let trace = &p.trace;
    let routed = match p.routed {
        Verdict::Reachable => "ROUTED",
        Verdict::Blocked => "NOT ROUTED",
    };
    let mut text = format!(
        "{} → {}  {}  as if every NSG and appliance rule allowed it: {routed} (as designed: {})\n\n",
        trace.from,
        trace.to,
        trace.flow,
        verdict_word(trace.verdict)
    );
    text.push_str(&paths_text(trace, false));
    if p.rules.is_empty() {
        text.push_str("\nrules that would drop it: none\n");
    } else {
        let _ = writeln!(
            text,
            "\nrules that would drop it ({}, in path order):",
            count(p.rules.len() as u64, "rule", "rules")
        );
        for blocker in &p.rules {
            text.push_str(&blocker_text(blocker));
        }
    }
    if p.other.is_empty() {
        text.push_str("\nrouting and peering problems: none\n");
    } else {
        text.push_str("\nrouting and peering problems (these remain whatever the rules):\n");
        for blocker in &p.other {
            text.push_str(&blocker_text(blocker));
        }
    }
    if !trace.blockers.is_empty() {
        text.push_str(CHECKED);
    }
    text
}

/// One blocker: code and place, the sentence, its assumption, the peering settings it names
/// (every name people know them by) and its fix, or why none is offered.
fn blocker_text(blocker: &Blocker) -> String {
    let mut text = format!(
        "  ✗ {} at {}\n    {}\n",
        blocker.code,
        super::text::fit(&blocker.at, MAX_COLUMN * 4),
        blocker.message
    );
    if let Some(assumption) = &blocker.assumption {
        let _ = writeln!(text, "    depends on the assumption {assumption}");
    }
    for setting in &blocker.settings {
        let _ = writeln!(text, "    setting: {setting}");
    }
    match (&blocker.fix, &blocker.fix_check) {
        (Some(fix), Some(FixCheck::Proven { rounds })) if *rounds > 1 => {
            let _ = writeln!(
                text,
                "    fix ({} in one step): {}",
                count(*rounds as u64, "edit", "edits"),
                fix.description
            );
        }
        (Some(fix), _) => {
            let _ = writeln!(text, "    fix: {}", fix.description);
        }
        (None, Some(check)) => {
            let _ = writeln!(text, "    {check}");
        }
        (None, None) => text.push_str(
            "    fix: no single edit removes this; see the message
",
        ),
    }
    text
}
