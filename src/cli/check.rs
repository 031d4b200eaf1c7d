//! `vnetlab check`: the design checks and intents of a design, for people and for CI.
//!
//! Text groups the findings by severity (errors, warnings, info), each with its fix and the
//! peering settings the fix changes (with their API, portal and Terraform names), then lists the
//! intents with pass or fail; `--json` prints the same as `{ "diagnostics": […], "intents": […] }`
//! (DESIGN.md §4), each diagnostic with a `settings` list. Exit code: 0 when there is no error
//! and every intent holds (warnings and info allowed), 1 on an error or a failed intent, 2 on
//! unreadable input.

use super::args::CheckArgs;
use super::{EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE};
use crate::engine::PeeringSetting;
use crate::lint::{Diagnostic, IntentOutcome, Report, Severity, report};
use crate::model::Design;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;

/// Runs the command; returns the exit code.
pub fn run(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let loaded = super::input::load_input_quiet(&args.files, args.quiet, err);
    let mut design = match loaded {
        Ok(design) => design,
        Err(message) => {
            let _ = writeln!(err, "vnetlab check: {message}");
            return EXIT_USAGE;
        }
    };
    if let Err(message) = apply_assumptions(&mut design, &args.assume) {
        let _ = writeln!(err, "vnetlab check: {message}");
        return EXIT_USAGE;
    }
    let found = report(&design);
    let written = if args.json {
        serde_json::to_string_pretty(&CheckJson::new(&design, &found))
            .map(|mut text| {
                text.push('\n');
                text
            })
            .map_err(|e| e.to_string())
    } else {
        let origin = args
            .files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        Ok(text(&found, &origin, &design))
    };
    match written {
        Ok(text) => {
            if let Err(e) = out.write_all(text.as_bytes()) {
                let _ = writeln!(err, "vnetlab check: cannot write the report: {e}");
                return EXIT_USAGE;
            }
        }
        Err(e) => {
            let _ = writeln!(err, "vnetlab check: cannot write the report as JSON: {e}");
            return EXIT_USAGE;
        }
    }
    exit_code(&found)
}

/// 1 when anything is an error or an intent fails, else 0.
pub fn exit_code(found: &Report) -> i32 {
    let failed =
        crate::lint::has_errors(&found.diagnostics) || found.intents.iter().any(|i| !i.pass);
    if failed { EXIT_NEGATIVE } else { EXIT_OK }
}

fn apply_assumptions(design: &mut Design, assume: &[String]) -> Result<(), String> {
    for pair in assume {
        let (key, value) = pair.split_once('=').ok_or_else(|| {
            format!(
                "invalid --assume `{pair}`: write it as key=value, like gov_global_peering=Allowed"
            )
        })?;
        design
            .assumptions
            .set(key.trim(), value.trim())
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn count(n: usize, one: &str) -> String {
    super::text::count(n as u64, one, &format!("{one}s"))
}

/// `check --json`: the report, each diagnostic with the peering settings its fix changes.
#[derive(Serialize)]
struct CheckJson<'a> {
    diagnostics: Vec<DiagnosticJson<'a>>,
    intents: &'a [IntentOutcome],
}

#[derive(Serialize)]
struct DiagnosticJson<'a> {
    #[serde(flatten)]
    diagnostic: &'a Diagnostic,
    settings: Vec<PeeringSetting>,
}

impl<'a> CheckJson<'a> {
    fn new(design: &Design, found: &'a Report) -> Self {
        CheckJson {
            diagnostics: found
                .diagnostics
                .iter()
                .map(|diagnostic| DiagnosticJson {
                    diagnostic,
                    settings: settings(design, diagnostic),
                })
                .collect(),
            intents: &found.intents,
        }
    }
}

/// The peering settings a diagnostic's fix changes.
fn settings(design: &Design, diagnostic: &Diagnostic) -> Vec<PeeringSetting> {
    diagnostic
        .fix
        .as_ref()
        .and_then(|f| f.edit.as_ref())
        .map(|edit| PeeringSetting::changed_by(design, edit))
        .unwrap_or_default()
}

/// The report on `design` as text: a summary line, the findings grouped by severity with their
/// fixes (and the peering settings each fix changes), then the intents.
fn text(found: &Report, origin: &str, design: &Design) -> String {
    let of = |severity| {
        found
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let failed = found.intents.iter().filter(|i| !i.pass).count();
    let mut s = String::new();
    let intents = match found.intents.len() {
        0 => "no intents".to_string(),
        n => format!(
            "{} of {} {}",
            n - failed,
            count(n, "intent"),
            if n - failed == 1 { "holds" } else { "hold" }
        ),
    };
    let _ = writeln!(
        s,
        "{origin}: {}, {}, {} info; {intents}",
        count(of(Severity::Error), "error"),
        count(of(Severity::Warning), "warning"),
        of(Severity::Info),
    );
    for (severity, title) in [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warnings"),
        (Severity::Info, "Info"),
    ] {
        let group: Vec<&Diagnostic> = found
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n{title}:");
        for d in group {
            // The message names its subject, so the code is all the line needs in front.
            let _ = writeln!(s, "  {}: {}", d.code, d.message);
            if let Some(fix) = &d.fix {
                let how = if fix.edit.is_some() { "fix" } else { "advice" };
                let _ = writeln!(s, "    {how}: {}", fix.description);
            }
            for setting in settings(design, d) {
                let _ = writeln!(s, "    setting: {setting}");
            }
        }
    }
    if !found.intents.is_empty() {
        let _ = writeln!(s, "\nIntents:");
        for intent in &found.intents {
            let _ = writeln!(s, "  {}", intent_line(intent));
        }
    }
    s
}

fn intent_line(intent: &IntentOutcome) -> String {
    let actual = intent
        .actual
        .map_or_else(|| "not evaluated".to_string(), |v| v.to_string());
    let mut line = format!(
        "{} {}: {} → {} {}, expected {}, {}",
        if intent.pass { "pass" } else { "FAIL" },
        intent.name,
        intent.from,
        intent.to,
        intent.flow,
        intent.expect,
        actual
    );
    if !intent.reasons.is_empty() {
        let codes: Vec<&str> = intent.reasons.iter().map(|r| r.as_str()).collect();
        let _ = write!(line, " ({})", codes.join(", "));
    }
    line
}
