//! `reach --json` (DESIGN.md §4), written from typed structs and streamed: the pairs are a
//! sequence serialised straight from an iterator into the output, so memory stays with the
//! analysis (classes²) whatever the number of pairs. Verdicts and reason codes come from the
//! analysis of the chosen engine; a pair's blocker messages, places and path come from a trace
//! of that pair, so they are written only when asked for (`--explain`, or pairs narrowed with
//! `--from`/`--to`). Keys: `flow`, `endpoints`, `pairs` (`from`, `to`, `verdict`, `reasons`
//! with `code`, and `at`, `message` and `path` when explained), `summary`, and `explained`.

use super::Selection;
use crate::engine::{Analysis, ReasonCode, Summary, Tracer, Verdict};
use crate::model::{EndpointKind, Flow};
use serde::{Serialize, Serializer};
use std::cell::RefCell;
use std::io::Write;
use std::net::Ipv4Addr;

/// The flow as the JSON outputs carry it: `{"protocol", "port"}`.
#[derive(Serialize)]
pub(in crate::cli) struct FlowJson {
    protocol: String,
    port: Option<u16>,
}

impl From<Flow> for FlowJson {
    fn from(flow: Flow) -> Self {
        FlowJson {
            protocol: flow.protocol.to_string(),
            port: flow.port,
        }
    }
}

#[derive(Serialize)]
struct ReachJson<'a, P: Serialize> {
    flow: FlowJson,
    endpoints: Vec<EndpointJson<'a>>,
    pairs: P,
    summary: Summary,
    /// Whether pairs carry `at`, `message` and `path` (see the module docs).
    explained: bool,
}

#[derive(Serialize)]
struct EndpointJson<'a> {
    name: &'a str,
    kind: &'a EndpointKind,
    ip: Ipv4Addr,
    vnet: Option<&'a str>,
    subnet: Option<&'a str>,
}

#[derive(Serialize)]
struct PairJson<'a> {
    from: &'a str,
    to: &'a str,
    verdict: Verdict,
    reasons: Reasons<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<Vec<String>>,
}

/// A pair's reasons: codes only (borrowed from the analysis), or explained by its trace.
enum Reasons<'a> {
    Codes(&'a [ReasonCode]),
    Explained(Vec<ReasonJson>),
}

#[derive(Serialize)]
struct ReasonJson {
    code: ReasonCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

impl Serialize for Reasons<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Reasons::Codes(codes) => serializer.collect_seq(codes.iter().map(|&code| ReasonJson {
                code,
                at: None,
                message: None,
            })),
            Reasons::Explained(reasons) => reasons.serialize(serializer),
        }
    }
}

/// A sequence written from an iterator as it is serialised (once).
struct Stream<I>(RefCell<Option<I>>);

impl<I, T> Serialize for Stream<I>
where
    I: Iterator<Item = T>,
    T: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let items = self.0.borrow_mut().take();
        serializer.collect_seq(items.into_iter().flatten())
    }
}

/// Writes the JSON of the selected pairs (none when `summary_only`); `tracer` (of the analysed
/// design) explains them when `explain`.
pub(super) fn write(
    out: &mut dyn Write,
    analysis: &Analysis,
    selection: &Selection,
    tracer: Option<&Tracer>,
    explain: bool,
    summary_only: bool,
) -> Result<(), serde_json::Error> {
    let endpoints = analysis.endpoints();
    let (pairs, reachable) = selection.count(analysis);
    let tracer = tracer.filter(|_| explain);
    let listed = (!summary_only)
        .then(|| selection.pairs())
        .into_iter()
        .flatten();
    let rows = listed.map(|(a, b)| {
        let codes = analysis.reasons(a, b);
        let (reasons, path) = match tracer.and_then(|t| t.trace_indexes(a, b, analysis.flow())) {
            Some(trace) => {
                // The analysis's codes, each with the first unused trace blocker of that code.
                let mut blockers: Vec<Option<_>> = trace.blockers.into_iter().map(Some).collect();
                let explained = codes
                    .iter()
                    .map(|&code| {
                        let found = blockers
                            .iter_mut()
                            .find(|b| b.as_ref().is_some_and(|b| b.code == code))
                            .and_then(Option::take);
                        ReasonJson {
                            code,
                            at: found.as_ref().map(|b| b.at.clone()),
                            message: found.map(|b| b.message),
                        }
                    })
                    .collect();
                let mut path: Vec<String> = Vec::new();
                for hop in trace.forward {
                    if path.last() != Some(&hop.at) {
                        path.push(hop.at);
                    }
                }
                (Reasons::Explained(explained), Some(path))
            }
            None => (Reasons::Codes(codes), None),
        };
        PairJson {
            from: &endpoints[a].name,
            to: &endpoints[b].name,
            verdict: analysis.verdict(a, b),
            reasons,
            path,
        }
    });
    let json = ReachJson {
        flow: analysis.flow().into(),
        endpoints: endpoints
            .iter()
            .map(|e| EndpointJson {
                name: &e.name,
                kind: &e.kind,
                ip: e.ip,
                vnet: e.vnet.as_deref(),
                subnet: e.subnet.as_deref(),
            })
            .collect(),
        pairs: Stream(RefCell::new(Some(rows))),
        summary: Summary {
            pairs,
            reachable,
            blocked: pairs - reachable,
        },
        explained: tracer.is_some(),
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}
