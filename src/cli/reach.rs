//! `vnetlab reach`: the all-pairs reachability matrix for one flow, as an aligned ✓/✗ matrix
//! with the blocked pairs and a legend of their reason codes, as counts only (`--summary`), or
//! as JSON (DESIGN.md §4, written by `reach_json`). Also home of the input handling the
//! evaluating commands share: loading, `--flow` and `--assume`.
//!
//! Every verdict, count and reason code comes from the analysis of the chosen engine; counts,
//! the grouped grid and the legend are folded per class ([`Analysis::fold_axes`],
//! [`Analysis::count_reasons`]), so a large design costs classes², not pairs. Only the text's
//! list of blocked pairs and the ungrouped grid (at most [`GROUP_ABOVE`] endpoints a side) visit
//! pairs one by one, and the list stops after [`LISTED_BLOCKED`].

use super::args::{EvalOptions, ReachArgs};
use super::text::{Align, count, pad, width};
use super::{EXIT_OK, EXIT_USAGE};
use crate::engine::{self, Analysis, EngineKind, Verdict};
use crate::model::{Design, Endpoint, EndpointGroup, Flow};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

mod json;

pub(super) use json::FlowJson;

/// Loads the design and applies `--assume`; parses `--flow`. The error is the stderr line; the
/// import summary of Azure JSON goes to stderr.
pub(super) fn prepare(files: &[PathBuf], eval: &EvalOptions) -> Result<(Design, Flow), String> {
    prepare_reporting(files, eval, false, &mut std::io::stderr())
}

/// [`prepare`], writing the import summary (if any) to `err`, or nowhere when `quiet`.
pub(super) fn prepare_reporting(
    files: &[PathBuf],
    eval: &EvalOptions,
    quiet: bool,
    err: &mut dyn Write,
) -> Result<(Design, Flow), String> {
    let flow: Flow = eval
        .flow
        .parse()
        .map_err(|e: crate::model::ValueError| e.to_string())?;
    let mut design = super::input::load_input_quiet(files, quiet, err)?;
    for item in &eval.assume {
        let (key, value) = item.split_once('=').ok_or_else(|| {
            format!(
                "invalid --assume `{item}`: write it as key=value, like gov_global_peering=Allowed"
            )
        })?;
        design
            .assumptions
            .set(key.trim(), value.trim())
            .map_err(|e| e.to_string())?;
    }
    Ok((design, flow))
}

/// Runs the command; returns the exit code.
pub fn run(args: &ReachArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (design, flow) = match prepare_reporting(&args.files, &args.eval, args.quiet, err) {
        Ok(prepared) => prepared,
        Err(message) => {
            let _ = writeln!(err, "vnetlab reach: {message}");
            return EXIT_USAGE;
        }
    };
    let tracer = engine::Tracer::new(&design);
    let analysis = tracer.analyze(flow, EngineKind::from(args.engine));
    let endpoints = analysis.endpoints();
    let (from, to) = match (select(endpoints, &args.from), select(endpoints, &args.to)) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(message), _) | (_, Err(message)) => {
            let _ = writeln!(err, "vnetlab reach: {message}");
            return EXIT_USAGE;
        }
    };
    let selection = Selection::new(endpoints.len(), from, to);
    let written = if args.eval.json {
        // Messages and paths cost a trace per pair: only for pairs someone narrowed to.
        let explain = args.explain || !args.from.is_empty() || !args.to.is_empty();
        let mut buffered = std::io::BufWriter::new(&mut *out);
        let written = json::write(
            &mut buffered,
            &analysis,
            &selection,
            (!args.summary).then_some(&tracer),
            explain,
            args.summary,
        );
        written
            .and_then(|()| buffered.flush().map_err(serde_json::Error::io))
            .map_err(std::io::Error::other)
    } else if args.summary {
        let (pairs, reachable) = selection.count(&analysis);
        writeln!(out, "{}", headline(&analysis, pairs, reachable))
    } else {
        write!(out, "{}", matrix_text(&analysis, &selection))
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "vnetlab reach: cannot write the output: {e}");
            EXIT_USAGE
        }
    }
}

/// The endpoints chosen on each axis, as lists (in the order given) and as marks.
pub(super) struct Selection {
    from: Vec<usize>,
    to: Vec<usize>,
    from_marked: Vec<bool>,
    to_marked: Vec<bool>,
}

impl Selection {
    fn new(endpoints: usize, from: Vec<usize>, to: Vec<usize>) -> Self {
        let marks = |chosen: &[usize]| {
            let mut marked = vec![false; endpoints];
            for &i in chosen {
                marked[i] = true;
            }
            marked
        };
        Selection {
            from_marked: marks(&from),
            to_marked: marks(&to),
            from,
            to,
        }
    }

    /// The selected ordered pairs of distinct endpoints, in row order.
    fn pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.from
            .iter()
            .flat_map(move |&a| self.to.iter().map(move |&b| (a, b)))
            .filter(|(a, b)| a != b)
    }

    /// (pairs, reachable) among the selected pairs, folded per class.
    fn count(&self, analysis: &Analysis) -> (u64, u64) {
        let axis = |marked: &[bool]| -> Vec<Option<usize>> {
            marked.iter().map(|&m| m.then_some(0)).collect()
        };
        let folded = analysis.fold_axes(&axis(&self.from_marked), &axis(&self.to_marked), None);
        let cell = folded.cell(0, 0).unwrap_or_default();
        (cell.pairs() as u64, cell.reachable as u64)
    }
}

/// Endpoint indexes selected by names (an endpoint, or a VNet for all its VMs); all when empty.
fn select(endpoints: &[Endpoint], names: &[String]) -> Result<Vec<usize>, String> {
    if names.is_empty() {
        return Ok((0..endpoints.len()).collect());
    }
    let mut chosen = Vec::new();
    let mut seen = vec![false; endpoints.len()];
    for name in names {
        let matches: Vec<usize> = endpoints
            .iter()
            .enumerate()
            .filter(|(_, e)| e.name == *name || e.vnet.as_deref() == Some(name.as_str()))
            .map(|(i, _)| i)
            .collect();
        if matches.is_empty() {
            let mut known: Vec<&str> = endpoints.iter().map(|e| e.name.as_str()).collect();
            known.extend(endpoints.iter().filter_map(|e| e.vnet.as_deref()));
            return Err(format!(
                "there is no endpoint or VNet `{name}`{}",
                crate::model::suggest::did_you_mean(name, known.into_iter())
            ));
        }
        for i in matches {
            if !std::mem::replace(&mut seen[i], true) {
                chosen.push(i);
            }
        }
    }
    Ok(chosen)
}

/// `flow tcp/443: 8 endpoints, 56 pairs, 52 reachable, 4 blocked`.
fn headline(analysis: &Analysis, pairs: u64, reachable: u64) -> String {
    format!(
        "flow {}: {}, {}, {reachable} reachable, {} blocked",
        analysis.flow(),
        count(analysis.endpoints().len() as u64, "endpoint", "endpoints"),
        count(pairs, "pair", "pairs"),
        pairs - reachable
    )
}

/// Above this many endpoints on either axis the matrix shows groups (VNets, sites, P2S
/// gateways) instead of single endpoints.
const GROUP_ABOVE: usize = 60;

/// An aligned grid with numbered columns and a column key underneath.
fn grid(
    rows: &[String],
    columns: &[String],
    mark: impl Fn(usize, usize) -> &'static str,
) -> String {
    let label = width(rows.iter().map(String::as_str));
    let cell = columns.len().to_string().len();
    let mut text = format!("{}  ", pad("", label, Align::Left));
    for k in 1..=columns.len() {
        text.push(' ');
        text.push_str(&pad(&k.to_string(), cell, Align::Right));
    }
    text.push('\n');
    for (r, row) in rows.iter().enumerate() {
        text.push_str(&pad(row, label, Align::Right));
        text.push_str("  ");
        for c in 0..columns.len() {
            text.push(' ');
            text.push_str(&pad(mark(r, c), cell, Align::Right));
        }
        text.push('\n');
    }
    text.push_str("\ncolumns:\n");
    for (k, column) in columns.iter().enumerate() {
        text.push_str(&format!(
            "  {}  {column}\n",
            pad(&(k + 1).to_string(), cell, Align::Right)
        ));
    }
    text
}

/// Numbers the groups of the chosen endpoints in first-seen order: each group's label and
/// member count, and each endpoint's group on this axis (`None` when not chosen).
fn groups(endpoints: &[Endpoint], chosen: &[usize]) -> (Vec<String>, Vec<Option<usize>>) {
    let mut index: HashMap<EndpointGroup, usize> = HashMap::new();
    let mut labels: Vec<(EndpointGroup, usize)> = Vec::new();
    let mut of = vec![None; endpoints.len()];
    for &i in chosen {
        let group = endpoints[i].group();
        let slot = *index.entry(group.clone()).or_insert_with(|| {
            labels.push((group, 0));
            labels.len() - 1
        });
        labels[slot].1 += 1;
        of[i] = Some(slot);
    }
    let labels = labels
        .into_iter()
        .map(|(group, members)| format!("{group} ({members})"))
        .collect();
    (labels, of)
}

fn grouped_grid(analysis: &Analysis, selection: &Selection) -> String {
    let endpoints = analysis.endpoints();
    let (rows, row_of) = groups(endpoints, &selection.from);
    let (columns, column_of) = groups(endpoints, &selection.to);
    let folded = analysis.fold_axes(&row_of, &column_of, None);
    let mut text = String::from(
        "grouped by VNet, site or P2S gateway (member count in brackets): ✓ every pair reachable, ✗ none, ◐ some; narrow with --from/--to to see single endpoints\n\n",
    );
    text.push_str(&grid(&rows, &columns, |r, c| {
        match folded.cell(r, c).and_then(|cell| cell.verdict()) {
            None => "·",
            Some(engine::FoldVerdict::Reachable) => "✓",
            Some(engine::FoldVerdict::Blocked) => "✗",
            Some(engine::FoldVerdict::Mixed) => "◐",
        }
    }));
    text
}

/// How many blocked pairs the text output lists before summarising the rest.
const LISTED_BLOCKED: usize = 50;

fn matrix_text(analysis: &Analysis, selection: &Selection) -> String {
    let endpoints = analysis.endpoints();
    let (pairs, reachable) = selection.count(analysis);
    let mut text = format!("{}\n\n", headline(analysis, pairs, reachable));
    if selection.from.len() > GROUP_ABOVE || selection.to.len() > GROUP_ABOVE {
        text.push_str(&grouped_grid(analysis, selection));
    } else {
        let label = |&i: &usize| endpoints[i].name.clone();
        let rows: Vec<String> = selection.from.iter().map(label).collect();
        let columns: Vec<String> = selection.to.iter().map(label).collect();
        text.push_str(&grid(&rows, &columns, |r, c| {
            let (a, b) = (selection.from[r], selection.to[c]);
            if a == b {
                "·"
            } else if analysis.verdict(a, b) == Verdict::Reachable {
                "✓"
            } else {
                "✗"
            }
        }));
    }
    let blocked = pairs - reachable;
    if blocked == 0 {
        return text;
    }
    text.push_str("\nblocked pairs:\n");
    let listed = selection
        .pairs()
        .filter(|&(a, b)| analysis.verdict(a, b) == Verdict::Blocked)
        .take(LISTED_BLOCKED);
    for (a, b) in listed {
        let list: Vec<&str> = analysis.reasons(a, b).iter().map(|c| c.as_str()).collect();
        text.push_str(&format!(
            "  {} → {}: {}\n",
            endpoints[a].name,
            endpoints[b].name,
            list.join(", ")
        ));
    }
    if blocked > LISTED_BLOCKED as u64 {
        text.push_str(&format!(
            "  … and {} more (narrow with --from/--to, or use --json)\n",
            blocked - LISTED_BLOCKED as u64
        ));
    }
    text.push_str("\nlegend (pairs affected):\n");
    let codes = analysis.count_reasons(&selection.from_marked, &selection.to_marked);
    let code_width = width(codes.iter().map(|(c, _)| c.as_str()));
    let count_width = codes
        .iter()
        .map(|(_, n)| n.to_string().len())
        .max()
        .unwrap_or(0)
        .max(6);
    for (code, n) in &codes {
        text.push_str(&format!(
            "  {}  {}  {}\n",
            pad(code.as_str(), code_width, Align::Left),
            pad(&n.to_string(), count_width, Align::Right),
            code.description()
        ));
    }
    text.push_str("\n`vnetlab trace FILE FROM TO` shows the path, every blocker and its fix.\n");
    text
}
