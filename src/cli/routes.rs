//! `vnetlab routes`: the effective route table of a subnet (or of a VM's primary subnet), as
//! an aligned table or as JSON in the shape of `az network nic show-effective-route-table`, so
//! users can compare with real Azure; with `--compare FILE`, the comparison itself
//! (`io::azure::compare_routes`): each route that differs, exit 1 when any does.

use super::args::RoutesArgs;
use super::{EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE};
use crate::engine::{EffectiveRoute, RouteSource, RouteState};
use crate::io::azure::{
    DeployedRoute, DeployedTable, RouteComparison, RouteDifference, compare_routes,
    read_effective_routes,
};
use crate::model::{Design, SubnetRef};
use serde_json::json;
use std::io::Write;
use std::path::Path;

/// Runs the command; returns the exit code.
pub fn run(args: &RoutesArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let result = super::load_input(&args.files).and_then(|design| {
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
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&routes_json(&routes)).unwrap_or_default()
        )
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
        return target.parse();
    }
    match design.vm(target).and_then(|vm| vm.primary()) {
        Some(nic) => Ok(nic.subnet.clone()),
        None => Err(format!(
            "there is no VM `{target}`{}; name a VM or a subnet as vnet/subnet",
            crate::model::suggest::did_you_mean(target, design.vms.iter().map(|v| v.name.as_str()))
        )),
    }
}

fn source_text(source: RouteSource) -> &'static str {
    match source {
        RouteSource::Default => "Default",
        RouteSource::User => "User",
        RouteSource::VirtualNetworkGateway => "VirtualNetworkGateway",
    }
}

fn state_text(state: RouteState) -> &'static str {
    match state {
        RouteState::Active => "Active",
        RouteState::Invalid => "Invalid",
    }
}

fn routes_json(routes: &[EffectiveRoute]) -> serde_json::Value {
    let value: Vec<serde_json::Value> = routes
        .iter()
        .map(|r| {
            json!({
                "source": source_text(r.source),
                "state": state_text(r.state),
                "addressPrefix": [r.prefix.to_string()],
                "nextHopType": r.next_hop_type,
                "nextHopIpAddress": r.next_hop_ip.iter().map(|ip| ip.to_string()).collect::<Vec<_>>(),
                "name": r.name,
                "note": r.note,
            })
        })
        .collect();
    json!({ "value": value })
}

fn text(subnet: &SubnetRef, routes: &[EffectiveRoute]) -> String {
    let rows: Vec<[String; 6]> = routes
        .iter()
        .map(|r| {
            [
                source_text(r.source).to_string(),
                state_text(r.state).to_string(),
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
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 6]| {
        let mut text = String::new();
        for (cell, w) in cells.iter().zip(widths) {
            text.push_str(&format!("{cell:<w$}  "));
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
        let value = json!({
            "subnet": subnet.to_string(),
            "compared_with": name,
            "differences": comparison.differences,
            "not_modelled": comparison.not_modelled,
            "skipped": table.notes,
        });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        )
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

fn design_row(r: &EffectiveRoute) -> String {
    let ip = r.next_hop_ip.map(|ip| format!(" {ip}")).unwrap_or_default();
    format!(
        "{} {} {} → {}{ip}",
        source_text(r.source),
        state_text(r.state),
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
