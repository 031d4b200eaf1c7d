//! `vnetlab diff BEFORE AFTER`: the reachability diff of two versions of a design, for pull
//! requests. Each side is anything the other commands read (a design file, Azure JSON, a
//! Terraform plan or state, an ARM template where the importer reads templates). Text shows
//! the changed objects, then per flow the pairs that flipped, grouped by reason and cause with
//! their endpoint groups folded, so a change of a million pairs reads in one screen; `--json`
//! prints the whole [`DiffReport`] (every cell). Exit code: 1 when an intent of AFTER fails or
//! a `--protect` pair flipped (or lost an endpoint), 0 otherwise, 2 on unreadable input.

use super::args::DiffArgs;
use super::{EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE};
use crate::diff::{DiffOptions, DiffReport, FlipGroup, GroupEndpoints, Protect, diff};
use crate::engine::{ReasonCode, Verdict};
use crate::model::{EndpointGroup, Flow};
use std::fmt::Write as _;
use std::io::Write;

/// Changed objects shown in text before "… and N more".
const SHOWN_CHANGES: usize = 10;
/// Groups of flips shown per flow.
const SHOWN_GROUPS: usize = 6;
/// Cells listed in full when a group has no more than this many.
const SHOWN_CELLS: usize = 4;
/// Group or endpoint names named in a folded list.
const SHOWN_NAMES: usize = 3;

/// Runs the command; returns the exit code.
pub fn run(args: &DiffArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let report = match prepare(args, err) {
        Ok(report) => report,
        Err(message) => {
            let _ = writeln!(err, "vnetlab diff: {message}");
            return EXIT_USAGE;
        }
    };
    let written = if args.json {
        serde_json::to_string_pretty(&report)
            .map(|mut text| {
                text.push('\n');
                text
            })
            .map_err(|e| e.to_string())
    } else {
        Ok(text(
            &report,
            &args.before.display().to_string(),
            &args.after.display().to_string(),
        ))
    };
    let written = written.and_then(|t| out.write_all(t.as_bytes()).map_err(|e| e.to_string()));
    if let Err(message) = written {
        let _ = writeln!(err, "vnetlab diff: cannot write the report: {message}");
        return EXIT_USAGE;
    }
    if report.failed() {
        EXIT_NEGATIVE
    } else {
        EXIT_OK
    }
}

fn prepare(args: &DiffArgs, err: &mut dyn Write) -> Result<DiffReport, String> {
    let flows = args
        .flows
        .iter()
        .map(|f| f.parse::<Flow>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let protect = args
        .protect
        .iter()
        .map(|p| p.parse::<Protect>())
        .collect::<Result<Vec<_>, _>>()?;
    let options = args.template.options()?;
    let mut side = |path: &std::path::PathBuf| -> Result<crate::model::Design, String> {
        // The same sentence as the other commands for a missing file, before templates expand.
        if std::fs::metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
            return Err(format!(
                "{}: there is no such file (check the path and the current directory)",
                path.display()
            ));
        }
        let input = super::input::read_input_with(std::slice::from_ref(path), &options)?;
        if let (Some(report), false) = (&input.report, args.quiet) {
            let _ = write!(err, "{report}");
        }
        Ok(input.design)
    };
    let before = side(&args.before)?;
    let after = side(&args.after)?;
    diff(&before, &after, &DiffOptions { flows, protect }).map_err(|e| e.to_string())
}

/// `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

fn codes(list: &[ReasonCode]) -> String {
    if list.is_empty() {
        "reachable".to_string()
    } else {
        list.iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `a, b, c, … (12 VNets)` — a few names of a long list and how many there are.
fn folded(names: &[String], what: &str) -> String {
    let shown: Vec<&str> = names.iter().take(SHOWN_NAMES).map(String::as_str).collect();
    if names.len() <= SHOWN_NAMES {
        shown.join(", ")
    } else {
        format!(
            "{}, … ({} {what})",
            shown.join(", "),
            thousands(names.len())
        )
    }
}

fn distinct(groups: impl Iterator<Item = EndpointGroup>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for g in groups {
        let label = g.to_string();
        if !seen.contains(&label) {
            seen.push(label);
        }
    }
    seen
}

fn flip_group(s: &mut String, group: &FlipGroup) {
    let (mark, now) = match group.now {
        Verdict::Blocked => ('✗', "now blocked"),
        Verdict::Reachable => ('✓', "now reachable"),
    };
    let because = if group.causes.is_empty() {
        "no changed object on the path".to_string()
    } else {
        group
            .causes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        s,
        "  {mark} {} {now}: {} → {}; changed: {because}",
        plural(group.pairs, "pair", "pairs"),
        codes(&group.before),
        codes(&group.after),
    );
    let _ = writeln!(s, "      e.g. {} → {}", group.example.0, group.example.1);
    if group.cells.len() <= SHOWN_CELLS {
        let cells: Vec<String> = group
            .cells
            .iter()
            .map(|c| format!("{} → {} ({})", c.from, c.to, thousands(c.pairs)))
            .collect();
        let _ = writeln!(s, "      {}", cells.join(", "));
    } else {
        let from = distinct(group.cells.iter().map(|c| c.from.clone()));
        let to = distinct(group.cells.iter().map(|c| c.to.clone()));
        let _ = writeln!(
            s,
            "      {} from {} to {}",
            plural(group.cells.len(), "group pair", "group pairs"),
            folded(&from, "groups"),
            folded(&to, "groups"),
        );
    }
}

fn one_sided(s: &mut String, title: &str, groups: &[GroupEndpoints]) {
    if groups.is_empty() {
        return;
    }
    let total: usize = groups.iter().map(|g| g.names.len()).sum();
    let listed: Vec<String> = groups
        .iter()
        .take(SHOWN_NAMES)
        .map(|g| format!("{}: {}", g.group, folded(&g.names, "endpoints")))
        .collect();
    let more = match groups.len().saturating_sub(SHOWN_NAMES) {
        0 => String::new(),
        n => format!("; … {} more", plural(n, "group", "groups")),
    };
    let _ = writeln!(
        s,
        "{title} ({}): {}{more}",
        plural(total, "endpoint", "endpoints"),
        listed.join("; ")
    );
}

/// The report as text, at most a screenful whatever the number of flipped pairs.
pub fn text(report: &DiffReport, before: &str, after: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "vnetlab diff: {before} → {after}");
    let changed = report.changes.len() + report.design_fields.len();
    if changed == 0 {
        let _ = writeln!(s, "No object changed.");
    } else {
        let _ = writeln!(s, "Changes ({}):", thousands(changed));
        let mut lines: Vec<String> = report
            .design_fields
            .iter()
            .map(|f| format!("~ design {}", f.describe()))
            .collect();
        lines.extend(
            report
                .changes
                .iter()
                .map(crate::diff::ObjectChange::describe),
        );
        for line in lines.iter().take(SHOWN_CHANGES) {
            let _ = writeln!(s, "  {line}");
        }
        if lines.len() > SHOWN_CHANGES {
            let _ = writeln!(
                s,
                "  … and {} more (--json lists all)",
                thousands(lines.len() - SHOWN_CHANGES)
            );
        }
    }
    one_sided(&mut s, "Only in AFTER", &report.added_endpoints);
    one_sided(&mut s, "Only in BEFORE", &report.removed_endpoints);
    for flow in &report.flows {
        let total = flow.became_blocked + flow.became_reachable;
        if total == 0 {
            let _ = writeln!(s, "Flow {}: no pair flipped", flow.flow);
            continue;
        }
        let _ = writeln!(
            s,
            "Flow {}: {} flipped ({} now blocked, {} now reachable)",
            flow.flow,
            plural(total, "pair", "pairs"),
            thousands(flow.became_blocked),
            thousands(flow.became_reachable)
        );
        for group in flow.groups.iter().take(SHOWN_GROUPS) {
            flip_group(&mut s, group);
        }
        if flow.groups.len() > SHOWN_GROUPS {
            let rest: usize = flow.groups[SHOWN_GROUPS..].iter().map(|g| g.pairs).sum();
            let _ = writeln!(
                s,
                "  … {} more with {} (--json lists all)",
                plural(flow.groups.len() - SHOWN_GROUPS, "group", "groups"),
                plural(rest, "pair", "pairs")
            );
        }
    }
    if !report.intents.is_empty() {
        let failed: Vec<_> = report.intents.iter().filter(|i| !i.pass).collect();
        let _ = writeln!(
            s,
            "Intents of AFTER: {} of {} {}",
            thousands(report.intents.len() - failed.len()),
            thousands(report.intents.len()),
            crate::words::noun(report.intents.len() - failed.len(), "holds", "hold")
        );
        for intent in failed.iter().take(SHOWN_CHANGES) {
            let actual = intent
                .actual
                .map_or_else(|| "not evaluated".to_string(), |v| v.to_string());
            let _ = writeln!(
                s,
                "  FAIL {}: {} → {} {}, expected {}, {} ({})",
                intent.name,
                intent.from,
                intent.to,
                intent.flow,
                intent.expect,
                actual,
                codes(&intent.reasons)
            );
        }
    }
    for p in &report.protected {
        let state = match (&p.example, p.gone.is_empty()) {
            (Some((a, b, now)), _) => format!(
                "{} flipped, e.g. {a} → {b} now {now}",
                plural(p.flipped, "pair", "pairs")
            ),
            (None, false) => format!("gone from AFTER: {}", folded(&p.gone, "endpoints")),
            (None, true) => "unchanged".to_string(),
        };
        let _ = writeln!(s, "Protected {} ({}): {state}", p.spec, p.flow);
    }
    let verdict = if report.failed() {
        "FAIL (an intent of AFTER fails or a protected pair flipped)"
    } else {
        "OK (every intent of AFTER holds; no protected pair flipped)"
    };
    let _ = writeln!(s, "Result: {verdict}");
    s
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
