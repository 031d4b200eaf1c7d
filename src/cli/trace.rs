//! `vnetlab trace`: one pair hop by hop, request and reply, with the deciding rule or route at
//! each hop and every blocker with its fix; text or JSON (DESIGN.md §4). Exit code 0 when the
//! pair is reachable, 1 when blocked, 2 on bad input.

use super::args::TraceArgs;
use super::reach::prepare;
use super::{EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE};
use crate::engine::{Hop, Trace, Verdict};
use serde_json::json;
use std::io::Write;

/// Runs the command; returns the exit code.
pub fn run(args: &TraceArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (files, from, to) = args.parts();
    let traced = prepare(&files, &args.eval).and_then(|(design, flow)| {
        crate::engine::trace(&design, from, to, flow).map_err(|e| e.to_string())
    });
    let trace = match traced {
        Ok(trace) => trace,
        Err(message) => {
            let _ = writeln!(err, "vnetlab trace: {message}");
            return EXIT_USAGE;
        }
    };
    let written = if args.eval.json {
        let value = json!({
            "from": trace.from,
            "to": trace.to,
            "flow": super::reach::flow_json(trace.flow),
            "verdict": trace.verdict,
            "forward": trace.forward,
            "reverse": trace.reverse,
            "blockers": trace.blockers,
        });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        )
    } else {
        write!(out, "{}", text(&trace))
    };
    if let Err(e) = written {
        let _ = writeln!(err, "vnetlab trace: cannot write the output: {e}");
        return EXIT_USAGE;
    }
    match trace.verdict {
        Verdict::Reachable => EXIT_OK,
        Verdict::Blocked => EXIT_NEGATIVE,
    }
}

fn hops_text(title: &str, hops: &[Hop]) -> String {
    let mut text = format!("{title}:\n");
    if hops.is_empty() {
        text.push_str("  (none: the request never arrived)\n");
        return text;
    }
    let at = hops.iter().map(|h| h.at.chars().count()).max().unwrap_or(0);
    let step = hops
        .iter()
        .map(|h| h.step.as_str().len())
        .max()
        .unwrap_or(0);
    let decision = hops
        .iter()
        .map(|h| h.decision.as_str().len())
        .max()
        .unwrap_or(0);
    for (i, hop) in hops.iter().enumerate() {
        let line = format!(
            "  {:>2}. {:<at$}  {:<step$}  {:<decision$}  {}",
            i + 1,
            hop.at,
            hop.step,
            hop.decision,
            hop.detail
        );
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

fn text(trace: &Trace) -> String {
    let verdict = match trace.verdict {
        Verdict::Reachable => "REACHABLE",
        Verdict::Blocked => "BLOCKED",
    };
    let mut text = format!(
        "{} → {}  {}  {verdict}\n\n",
        trace.from, trace.to, trace.flow
    );
    text.push_str(&hops_text("request", &trace.forward));
    text.push('\n');
    text.push_str(&hops_text("reply", &trace.reverse));
    if !trace.blockers.is_empty() {
        text.push_str("\nblockers:\n");
        for blocker in &trace.blockers {
            text.push_str(&format!(
                "  ✗ {} at {}\n    {}\n",
                blocker.code, blocker.at, blocker.message
            ));
            if let Some(assumption) = &blocker.assumption {
                text.push_str(&format!("    depends on the assumption {assumption}\n"));
            }
            match &blocker.fix {
                Some(fix) => text.push_str(&format!("    fix: {}\n", fix.description)),
                None => text.push_str("    fix: no single edit removes this; see the message\n"),
            }
        }
    }
    text
}
