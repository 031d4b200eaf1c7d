//! `vnetlab reach`: the all-pairs reachability matrix for one flow, as an aligned ✓/✗ matrix
//! with the blocked pairs and a legend of their reason codes, as counts only (`--summary`), or
//! as JSON (DESIGN.md §4). Also home of the input handling the evaluating commands share:
//! loading, `--flow` and `--assume`.

use super::args::{EngineChoice, EvalOptions, ReachArgs};
use super::{EXIT_OK, EXIT_USAGE};
use crate::engine::{self, Analysis, EngineKind, ReasonCode, Tracer, Verdict};
use crate::model::{Design, Endpoint, Flow};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

/// Loads the design and applies `--assume`; parses `--flow`. The error is the stderr line.
pub(super) fn prepare(files: &[PathBuf], eval: &EvalOptions) -> Result<(Design, Flow), String> {
    let flow: Flow = eval.flow.parse()?;
    let mut design = super::load_input(files)?;
    for item in &eval.assume {
        let (key, value) = item.split_once('=').ok_or_else(|| {
            format!(
                "invalid --assume `{item}`: write it as key=value, like gov_global_peering=Allowed"
            )
        })?;
        design.assumptions.set(key.trim(), value.trim())?;
    }
    Ok((design, flow))
}

/// The flow as the JSON outputs carry it.
pub(super) fn flow_json(flow: Flow) -> Value {
    json!({ "protocol": flow.protocol.to_string(), "port": flow.port })
}

/// Runs the command; returns the exit code.
pub fn run(args: &ReachArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (design, flow) = match prepare(&args.files, &args.eval) {
        Ok(prepared) => prepared,
        Err(message) => {
            let _ = writeln!(err, "vnetlab reach: {message}");
            return EXIT_USAGE;
        }
    };
    let kind = match args.engine {
        EngineChoice::Fast => EngineKind::Fast,
        EngineChoice::Reference => EngineKind::Reference,
    };
    let analysis = engine::analyze(&design, flow, kind);
    let endpoints = analysis.endpoints();
    let (from, to) = match (select(endpoints, &args.from), select(endpoints, &args.to)) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(message), _) | (_, Err(message)) => {
            let _ = writeln!(err, "vnetlab reach: {message}");
            return EXIT_USAGE;
        }
    };
    let written = if args.eval.json {
        let tracer = Tracer::new(&design);
        let value = reach_json(&analysis, &tracer, &from, &to, args.summary);
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        )
    } else if args.summary {
        let (pairs, reachable) = count(&analysis, &from, &to);
        writeln!(
            out,
            "flow {flow}: {} endpoints, {pairs} pairs, {reachable} reachable, {} blocked",
            endpoints.len(),
            pairs - reachable
        )
    } else {
        write!(out, "{}", matrix_text(&analysis, &from, &to))
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "vnetlab reach: cannot write the output: {e}");
            EXIT_USAGE
        }
    }
}

/// Endpoint indexes selected by names (an endpoint, or a VNet for all its VMs); all when empty.
fn select(endpoints: &[Endpoint], names: &[String]) -> Result<Vec<usize>, String> {
    if names.is_empty() {
        return Ok((0..endpoints.len()).collect());
    }
    let mut chosen = Vec::new();
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
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
    }
    Ok(chosen)
}

fn count(analysis: &Analysis, from: &[usize], to: &[usize]) -> (u64, u64) {
    if from.len() == analysis.endpoints().len() && to.len() == analysis.endpoints().len() {
        let s = analysis.summary();
        return (s.pairs, s.reachable);
    }
    let mut pairs = 0;
    let mut reachable = 0;
    for &a in from {
        for &b in to {
            if a != b {
                pairs += 1;
                if analysis.verdict(a, b) == Verdict::Reachable {
                    reachable += 1;
                }
            }
        }
    }
    (pairs, reachable)
}

/// What each code means, for the legend.
fn legend(code: ReasonCode) -> &'static str {
    match code {
        ReasonCode::PeeringMissing => "the two VNets are not peered",
        ReasonCode::PeeringNotConnected => {
            "a peering has only one side (Initiated) or lost its other side (Disconnected)"
        }
        ReasonCode::PeeringInvalid => {
            "Azure would refuse the peering (overlap, cross-cloud, classic, Government rule)"
        }
        ReasonCode::SubnetNotInSubnetPeering => {
            "the source subnet is not listed in a subnet-level peering"
        }
        ReasonCode::PeeringVnetAccessBlocked => {
            "\"allow virtual network access\" is off on a peering"
        }
        ReasonCode::ForwardedTrafficBlocked => {
            "a peering does not accept traffic forwarded by an appliance"
        }
        ReasonCode::AddressSpaceNotSynced => {
            "a peering still carries the remote VNet's old address space"
        }
        ReasonCode::NsgDeny => "an NSG rule denies the flow",
        ReasonCode::ApplianceDeny => "an NVA or firewall rule denies the flow",
        ReasonCode::RouteNone => "the chosen route drops the packet (next hop None)",
        ReasonCode::NoRouteInternet => "a private address is routed to the internet",
        ReasonCode::NextHopUnreachable => {
            "a UDR's appliance is not in the VNet or a directly peered one"
        }
        ReasonCode::IpForwardingDisabled => "an appliance NIC has IP forwarding off",
        ReasonCode::GatewayMissing => "a route needs a gateway that is not there",
        ReasonCode::GatewayNotTransit => {
            "use remote gateways is set but gateway transit does not take effect"
        }
        ReasonCode::RoutingLoop => "the packet loops between appliances or gateways",
        ReasonCode::AsymmetricStatefulDrop => "a stateful appliance sees only one direction",
        ReasonCode::ConnectedGroupOverlap => {
            "members of an AVNM connected group overlap where the destination lies"
        }
        ReasonCode::NoSuchHost => "no NIC owns the destination where the route delivers it",
        ReasonCode::NotAdvertised => {
            "the site or P2S client has no route: the gateway does not advertise it"
        }
    }
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
    let width = rows.iter().map(|r| r.chars().count()).max().unwrap_or(0);
    let cell = columns.len().to_string().len().max(1);
    let mut text = format!("{:>width$}  ", "");
    for k in 1..=columns.len() {
        text.push_str(&format!(" {k:>cell$}"));
    }
    text.push('\n');
    for (r, row) in rows.iter().enumerate() {
        text.push_str(&format!("{row:>width$}  "));
        for c in 0..columns.len() {
            text.push_str(&format!(" {:>cell$}", mark(r, c)));
        }
        text.push('\n');
    }
    text.push_str("\ncolumns:\n");
    for (k, column) in columns.iter().enumerate() {
        text.push_str(&format!("  {:>cell$}  {column}\n", k + 1));
    }
    text
}

/// The group an endpoint is shown in when the matrix is grouped.
fn group_of(endpoint: &Endpoint) -> String {
    match (&endpoint.vnet, &endpoint.attached_to, &endpoint.kind) {
        (Some(vnet), _, _) => vnet.clone(),
        (None, Some(gateway), crate::model::EndpointKind::P2sClient) => {
            format!("P2S clients of {gateway}")
        }
        (None, Some(site), _) => format!("site {site}"),
        (None, None, _) => endpoint.name.clone(),
    }
}

/// Groups the selected endpoints, in first-seen order.
fn groups(endpoints: &[Endpoint], selected: &[usize]) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for &i in selected {
        let key = group_of(&endpoints[i]);
        let slot = *index.entry(key.clone()).or_insert_with(|| {
            out.push((key, Vec::new()));
            out.len() - 1
        });
        out[slot].1.push(i);
    }
    out
}

fn grouped_grid(analysis: &Analysis, from: &[usize], to: &[usize]) -> String {
    let endpoints = analysis.endpoints();
    let (rows, columns) = (groups(endpoints, from), groups(endpoints, to));
    let names = |g: &[(String, Vec<usize>)]| -> Vec<String> {
        g.iter()
            .map(|(name, members)| format!("{name} ({})", members.len()))
            .collect()
    };
    let mut text = String::from(
        "grouped by VNet, site or P2S gateway (member count in brackets): ✓ every pair reachable, ✗ none, ◐ some; narrow with --from/--to to see single endpoints\n\n",
    );
    text.push_str(&grid(&names(&rows), &names(&columns), |r, c| {
        let (mut reachable, mut blocked) = (0usize, 0usize);
        for &a in &rows[r].1 {
            for &b in &columns[c].1 {
                if a == b {
                    continue;
                }
                match analysis.verdict(a, b) {
                    Verdict::Reachable => reachable += 1,
                    Verdict::Blocked => blocked += 1,
                }
            }
        }
        match (reachable, blocked) {
            (0, 0) => "·",
            (_, 0) => "✓",
            (0, _) => "✗",
            _ => "◐",
        }
    }));
    text
}

/// How many blocked pairs the text output lists before summarising the rest.
const LISTED_BLOCKED: usize = 50;

fn matrix_text(analysis: &Analysis, from: &[usize], to: &[usize]) -> String {
    let endpoints = analysis.endpoints();
    let (pairs, reachable) = count(analysis, from, to);
    let mut text = format!(
        "flow {}: {} endpoints, {pairs} pairs, {reachable} reachable, {} blocked\n\n",
        analysis.flow(),
        endpoints.len(),
        pairs - reachable
    );
    if from.len() > GROUP_ABOVE || to.len() > GROUP_ABOVE {
        text.push_str(&grouped_grid(analysis, from, to));
    } else {
        let label = |&i: &usize| endpoints[i].name.clone();
        let rows: Vec<String> = from.iter().map(label).collect();
        let columns: Vec<String> = to.iter().map(label).collect();
        text.push_str(&grid(&rows, &columns, |r, c| {
            let (a, b) = (from[r], to[c]);
            if a == b {
                "·"
            } else if analysis.verdict(a, b) == Verdict::Reachable {
                "✓"
            } else {
                "✗"
            }
        }));
    }
    let mut blocked = Vec::new();
    let mut codes: BTreeMap<ReasonCode, usize> = BTreeMap::new();
    for &a in from {
        for &b in to {
            if a != b && analysis.verdict(a, b) == Verdict::Blocked {
                let reasons = analysis.reason_codes(a, b);
                for code in &reasons {
                    *codes.entry(*code).or_default() += 1;
                }
                blocked.push((a, b, reasons));
            }
        }
    }
    if !blocked.is_empty() {
        text.push_str("\nblocked pairs:\n");
        for (a, b, reasons) in blocked.iter().take(LISTED_BLOCKED) {
            let list: Vec<&str> = reasons.iter().map(|c| c.as_str()).collect();
            text.push_str(&format!(
                "  {} → {}: {}\n",
                endpoints[*a].name,
                endpoints[*b].name,
                list.join(", ")
            ));
        }
        if blocked.len() > LISTED_BLOCKED {
            text.push_str(&format!(
                "  … and {} more (narrow with --from/--to, or use --json)\n",
                blocked.len() - LISTED_BLOCKED
            ));
        }
        text.push_str("\nlegend (pairs affected):\n");
        let code_width = codes.keys().map(|c| c.as_str().len()).max().unwrap_or(0);
        for (code, n) in &codes {
            text.push_str(&format!(
                "  {:<code_width$}  {n:>6}  {}\n",
                code.as_str(),
                legend(*code)
            ));
        }
        text.push_str(
            "\n`vnetlab trace FILE FROM TO` shows the path, every blocker and its fix.\n",
        );
    }
    text
}

fn reach_json(
    analysis: &Analysis,
    tracer: &Tracer,
    from: &[usize],
    to: &[usize],
    summary_only: bool,
) -> Value {
    let endpoints: Vec<Value> = analysis
        .endpoints()
        .iter()
        .map(|e| json!({"name": e.name, "kind": e.kind, "ip": e.ip.to_string(), "vnet": e.vnet, "subnet": e.subnet}))
        .collect();
    let (pairs_n, reachable) = count(analysis, from, to);
    let summary = json!({"pairs": pairs_n, "reachable": reachable, "blocked": pairs_n - reachable});
    let mut pairs = Vec::new();
    if !summary_only {
        for &a in from {
            for &b in to {
                if a == b {
                    continue;
                }
                let (reasons, path) = match tracer.trace_indexes(a, b, analysis.flow()) {
                    Some(t) => (
                        t.blockers
                            .iter()
                            .map(|x| json!({"code": x.code, "at": x.at, "message": x.message}))
                            .collect::<Vec<_>>(),
                        t.forward.iter().map(|h| h.at.clone()).fold(
                            Vec::<String>::new(),
                            |mut acc, at| {
                                if acc.last() != Some(&at) {
                                    acc.push(at);
                                }
                                acc
                            },
                        ),
                    ),
                    None => (Vec::new(), Vec::new()),
                };
                pairs.push(json!({
                    "from": analysis.endpoints()[a].name,
                    "to": analysis.endpoints()[b].name,
                    "verdict": analysis.verdict(a, b),
                    "reasons": reasons,
                    "path": path,
                }));
            }
        }
    }
    json!({
        "flow": flow_json(analysis.flow()),
        "endpoints": endpoints,
        "pairs": pairs,
        "summary": summary,
    })
}
