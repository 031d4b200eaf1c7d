//! Shared by the template tests: importing fixture templates with options, and a one-line-per-
//! object description of a design so a test can compare everything an import produced with the
//! list its source documents.

// Each template test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use vnetlab::io::azure::{self, Opened};
use vnetlab::io::template::TemplateOptions;
use vnetlab::model::{ConnectionRemote, Design};

/// A file under `tests/fixtures/templates`.
pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/templates")
        .join(relative)
}

/// Options with these `--param NAME=VALUE` pairs.
pub fn with_params(params: &[(&str, &str)]) -> TemplateOptions {
    TemplateOptions {
        parameters: params
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect(),
        ..TemplateOptions::default()
    }
}

/// Opens fixture files (relative to the fixtures folder) as `vnetlab import` would.
pub fn open(files: &[&str], options: &TemplateOptions) -> Opened {
    let paths: Vec<PathBuf> = files.iter().map(|f| fixture(f)).collect();
    azure::open_files_with(&paths, options).unwrap_or_else(|e| panic!("{e}"))
}

/// Imports in-memory documents `(file name, JSON)` as `vnetlab import` would.
pub fn import_json(documents: &[(&str, serde_json::Value)], options: &TemplateOptions) -> Opened {
    let documents: Vec<(String, serde_json::Value)> = documents
        .iter()
        .map(|(f, v)| ((*f).to_string(), v.clone()))
        .collect();
    let imported = azure::import_values_with(&documents, options).unwrap_or_else(|e| panic!("{e}"));
    Opened {
        design: imported.design,
        report: Some(imported.report),
    }
}

/// The error `vnetlab import` would print for these documents.
pub fn import_error(documents: &[(&str, serde_json::Value)]) -> String {
    let documents: Vec<(String, serde_json::Value)> = documents
        .iter()
        .map(|(f, v)| ((*f).to_string(), v.clone()))
        .collect();
    match azure::import_values_with(&documents, &TemplateOptions::default()) {
        Ok(imported) => panic!("expected an error, got {}", imported.report),
        Err(e) => e.to_string(),
    }
}

/// One line per object: VNets with region and space, subnets with NSG and route table, VMs with
/// each NIC, peerings with their flags, NSG rules, routes, gateways and connections.
pub fn describe(d: &Design) -> Vec<String> {
    let mut lines = Vec::new();
    let list = |items: &[String]| items.join(",");
    for v in &d.vnets {
        let space: Vec<String> = v.address_space.iter().map(ToString::to_string).collect();
        lines.push(format!("vnet {} {} {}", v.name, v.region, list(&space)));
        for s in &v.subnets {
            lines.push(format!(
                "subnet {}/{} {} nsg={} rt={}",
                v.name,
                s.name,
                s.prefix,
                s.nsg.as_deref().unwrap_or("-"),
                s.route_table.as_deref().unwrap_or("-")
            ));
        }
    }
    for vm in &d.vms {
        for nic in &vm.nics {
            lines.push(format!(
                "vm {} {} {} nsg={}{}",
                vm.name,
                nic.subnet,
                nic.ip,
                nic.nsg.as_deref().unwrap_or("-"),
                if nic.ip_forwarding { " forwarding" } else { "" }
            ));
        }
    }
    for p in &d.peerings {
        let flags = [
            (p.allow_virtual_network_access, "access"),
            (p.allow_forwarded_traffic, "forwarded"),
            (p.allow_gateway_transit, "gateway-transit"),
            (p.use_remote_gateways, "remote-gateways"),
        ];
        let on: Vec<String> = flags
            .iter()
            .filter(|(set, _)| *set)
            .map(|(_, name)| (*name).to_string())
            .collect();
        lines.push(format!(
            "peering {} {}->{} {}",
            p.name,
            p.local,
            p.remote,
            list(&on)
        ));
    }
    for nsg in &d.nsgs {
        for r in &nsg.rules {
            let text = |items: &[String]| items.join(",");
            let source: Vec<String> = r.source.iter().map(ToString::to_string).collect();
            let dest: Vec<String> = r.destination.iter().map(ToString::to_string).collect();
            let ports: Vec<String> = r
                .destination_ports
                .iter()
                .map(ToString::to_string)
                .collect();
            lines.push(format!(
                "rule {}/{} {} {:?} {:?} {} {}->{} ports={}",
                nsg.name,
                r.name,
                r.priority,
                r.direction,
                r.access,
                r.protocol,
                text(&source),
                text(&dest),
                text(&ports)
            ));
        }
    }
    for table in &d.route_tables {
        for route in &table.routes {
            lines.push(format!(
                "route {}/{} {} {}",
                table.name, route.name, route.prefix, route.next_hop
            ));
        }
    }
    for g in &d.gateways {
        lines.push(format!(
            "gateway {} {} {} {}{}",
            g.name,
            g.vnet,
            g.kind,
            g.sku,
            if g.bgp { " bgp" } else { "" }
        ));
    }
    for c in &d.connections {
        let remote = match &c.remote {
            ConnectionRemote::Site(s) => format!("site {s}"),
            ConnectionRemote::Gateway(g) => format!("gateway {g}"),
        };
        lines.push(format!(
            "connection {} {} -> {remote}{}",
            c.name,
            c.gateway,
            if c.bgp { " bgp" } else { "" }
        ));
    }
    lines
}

/// Asserts a design is exactly these objects (order included), showing both lists on failure.
pub fn assert_objects(d: &Design, expected: &[&str]) {
    let got = describe(d);
    assert_eq!(got, expected, "\ngot:\n{}\n", got.join("\n"));
}
