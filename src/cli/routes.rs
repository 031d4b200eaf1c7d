//! `vnetlab routes`: the effective route table of a subnet (or of a VM's primary subnet), as
//! an aligned table or as JSON in the shape of `az network nic show-effective-route-table`, so
//! users can compare with real Azure; with `--compare FILE`, the comparison itself
//! (`io::azure::compare_routes`): each route that differs, exit 1 when any does.

use super::args::RoutesArgs;
use super::text::{Align, pad, width};
use super::{EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE};
use crate::engine::{EffectiveRoute, NextHopType, RouteSource, RouteState};
use crate::io::azure::{
    DeployedRoute, DeployedTable, RouteComparison, RouteDifference, compare_routes,
    read_effective_routes,
};
use crate::model::{Design, SubnetRef, ValueError};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// Runs the command; returns the exit code.
pub fn run(args: &RoutesArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let loaded = super::input::load_input_quiet(&args.files, args.quiet, err);
    let result = loaded.and_then(|design| {
        let subnet = target_subnet(&design, &args.target)?;
        let routes =
            crate::engine::effective_routes(&design, &subnet).map_err(|e| e.to_string())?;
        Ok((subnet, routes))
    });
    let (subnet, routes) = match result {
        Ok(found) => found,
        Err(message) => {
            let _ = writeln!(err, "vnetlab routes: {message}");
            return EXIT_USAGE;
        }
    };
    if let Some(file) = &args.compare {
        return compare(args, &subnet, &routes, file, out, err);
    }
    let written = if args.json {
        serde_json::to_string_pretty(&RoutesJson::from(routes.as_slice()))
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(out, "{text}"))
    } else {
        write!(out, "{}", text(&subnet, &routes))
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "vnetlab routes: cannot write the output: {e}");
            EXIT_USAGE
        }
    }
}

/// The subnet a target names: `vnet/subnet`, or a VM (its primary NIC's subnet).
fn target_subnet(design: &Design, target: &str) -> Result<SubnetRef, String> {
    if target.contains('/') {
        return target.parse().map_err(|e: ValueError| e.to_string());
    }
    match design.vm(target).and_then(|vm| vm.primary()) {
        Some(nic) => Ok(nic.subnet.clone()),
        None => Err(format!(
            "there is no VM `{target}`{}; name a VM or a subnet as vnet/subnet",
            crate::model::suggest::did_you_mean(target, design.vms.iter().map(|v| v.name.as_str()))
        )),
    }
}

/// `routes --json`: `{"value": [route]}`, as Azure writes it.
#[derive(Serialize)]
struct RoutesJson<'a> {
    value: Vec<RouteJson<'a>>,
}

/// One route in Azure's keys; `note` is vnetlab's own (why a route is invalid, say).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RouteJson<'a> {
    source: RouteSource,
    state: RouteState,
    address_prefix: [String; 1],
    next_hop_type: NextHopType,
    next_hop_ip_address: Vec<String>,
    name: Option<&'a str>,
    note: Option<&'a str>,
}

impl<'a> From<&'a [EffectiveRoute]> for RoutesJson<'a> {
    fn from(routes: &'a [EffectiveRoute]) -> Self {
        RoutesJson {
            value: routes
                .iter()
                .map(|r| RouteJson {
                    source: r.source,
                    state: r.state,
                    address_prefix: [r.prefix.to_string()],
                    next_hop_type: r.next_hop_type,
                    next_hop_ip_address: r.next_hop_ip.iter().map(ToString::to_string).collect(),
                    name: r.name.as_deref(),
                    note: r.note.as_deref(),
                })
                .collect(),
        }
    }
}

fn text(subnet: &SubnetRef, routes: &[EffectiveRoute]) -> String {
    let rows: Vec<[String; 6]> = routes
        .iter()
        .map(|r| {
            [
                r.source.as_str().to_string(),
                r.state.as_str().to_string(),
                r.prefix.to_string(),
                r.next_hop_type.to_string(),
                r.next_hop_ip.map(|ip| ip.to_string()).unwrap_or_default(),
                r.name.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let header = [
        "Source",
        "State",
        "Address prefix",
        "Next hop type",
        "Next hop IP",
        "Name",
    ];
    let mut widths = header.map(str::len);
    for (i, w) in widths.iter_mut().enumerate() {
        *w = (*w).max(width(rows.iter().map(|row| row[i].as_str())));
    }
    let line = |cells: [&str; 6]| {
        let mut text = String::new();
        for (cell, w) in cells.iter().zip(widths) {
            text.push_str(&pad(cell, w, Align::Left));
            text.push_str("  ");
        }
        text.trim_end().to_string()
    };
    let mut text = format!("effective routes of {subnet}\n\n{}\n", line(header));
    for (row, route) in rows.iter().zip(routes) {
        let cells = [&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]].map(|s| s.as_str());
        text.push_str(&line(cells));
        if let Some(note) = &route.note {
            text.push_str(&format!("  ({note})"));
        }
        text.push('\n');
    }
    text
}

/// `--compare FILE`: reads Azure's table, prints the differences, exits 1 when there are any.
fn compare(
    args: &RoutesArgs,
    subnet: &SubnetRef,
    routes: &[EffectiveRoute],
    file: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let name = file.display().to_string();
    let table: DeployedTable = match crate::io::azure::source::read_text(file)
        .and_then(|text| read_effective_routes(&text, &name))
    {
        Ok(table) => table,
        Err(e) => {
            let _ = writeln!(err, "vnetlab routes: {e}");
            return EXIT_USAGE;
        }
    };
    let comparison = compare_routes(routes, &table.routes);
    let written = if args.json {
        let value = ComparisonJson {
            subnet: subnet.to_string(),
            compared_with: &name,
            differences: &comparison.differences,
            not_modelled: &comparison.not_modelled,
            skipped: &table.notes,
        };
        serde_json::to_string_pretty(&value)
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(out, "{text}"))
    } else {
        write!(
            out,
            "{}",
            comparison_text(subnet, &name, &comparison, &table.notes)
        )
    };
    match (written, comparison.differences.is_empty()) {
        (Err(e), _) => {
            let _ = writeln!(err, "vnetlab routes: cannot write the output: {e}");
            EXIT_USAGE
        }
        (Ok(()), true) => EXIT_OK,
        (Ok(()), false) => EXIT_NEGATIVE,
    }
}

/// `routes --compare --json`: the differences, the rows vnetlab does not model, and what the
/// reader skipped.
#[derive(Serialize)]
struct ComparisonJson<'a> {
    subnet: String,
    compared_with: &'a str,
    differences: &'a [RouteDifference],
    not_modelled: &'a [DeployedRoute],
    skipped: &'a [String],
}

fn design_row(r: &EffectiveRoute) -> String {
    let ip = r.next_hop_ip.map(|ip| format!(" {ip}")).unwrap_or_default();
    format!(
        "{} {} {} → {}{ip}",
        r.source.as_str(),
        r.state.as_str(),
        r.prefix,
        r.next_hop_type
    )
}

fn azure_row(r: &DeployedRoute) -> String {
    let ip = r.next_hop_ip.map(|ip| format!(" {ip}")).unwrap_or_default();
    format!(
        "{} {} {} → {}{ip}",
        r.source, r.state, r.prefix, r.next_hop_type
    )
}

fn comparison_text(
    subnet: &SubnetRef,
    file: &str,
    comparison: &RouteComparison,
    notes: &[String],
) -> String {
    let mut text = format!("effective routes of {subnet} compared with {file}\n\n");
    if comparison.differences.is_empty() {
        text.push_str("no differences: every route matches\n");
    }
    for difference in &comparison.differences {
        let line = match difference {
            RouteDifference::MissingInAzure { design } => {
                format!("missing in Azure:  {}", design_row(design))
            }
            RouteDifference::OnlyInAzure { deployed } => {
                format!("only in Azure:     {}", azure_row(deployed))
            }
            RouteDifference::NextHop { design, deployed } => format!(
                "next hop differs:  design {} / Azure {}",
                design_row(design),
                azure_row(deployed)
            ),
            RouteDifference::State { design, deployed } => format!(
                "state differs:     design {} / Azure {}",
                design_row(design),
                azure_row(deployed)
            ),
        };
        text.push_str(&line);
        text.push('\n');
    }
    if !comparison.not_modelled.is_empty() {
        text.push_str("\nnot modelled by vnetlab (not counted):\n");
        for row in &comparison.not_modelled {
            text.push_str(&format!("  {}\n", azure_row(row)));
        }
    }
    for note in notes {
        text.push_str(&format!("skipped: {note}\n"));
    }
    let n = comparison.differences.len();
    text.push_str(&format!(
        "\n{n} difference{}\n",
        if n == 1 { "" } else { "s" }
    ));
    text
}
