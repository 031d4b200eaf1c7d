//! A plain-text summary of a design: what `vnetlab FILE` prints before the TUI exists, and a
//! quick look for scripts.

use crate::model::Design;
use std::fmt::Write;

/// Describes a design: counts, VNets with region, cloud and space, peerings with state, sync
/// and the settings that differ from Azure's defaults.
pub fn summary(design: &Design, origin: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} ({origin})",
        if design.name.is_empty() {
            "untitled design"
        } else {
            &design.name
        }
    );
    if !design.description.is_empty() {
        let _ = writeln!(s, "  {}", design.description);
    }
    let counts = [
        (design.vnets.len(), "VNet", "VNets"),
        (design.vms.len(), "VM", "VMs"),
        (design.peerings.len(), "peering", "peerings"),
        (design.nsgs.len(), "NSG", "NSGs"),
        (design.route_tables.len(), "route table", "route tables"),
        (design.gateways.len(), "gateway", "gateways"),
        (design.sites.len(), "site", "sites"),
        (design.connections.len(), "connection", "connections"),
        (design.intents.len(), "intent", "intents"),
        (design.endpoints().len(), "endpoint", "endpoints"),
    ];
    let counts: Vec<String> = counts
        .iter()
        .map(|&(n, one, many)| super::text::count(n as u64, one, many))
        .collect();
    let _ = writeln!(s, "{}", counts.join(", "));
    if !design.vnets.is_empty() {
        let _ = writeln!(s, "\nVNets:");
        for v in &design.vnets {
            let space: Vec<String> = v.address_space.iter().map(|n| n.to_string()).collect();
            let subnets: Vec<String> = v
                .subnets
                .iter()
                .map(|sn| format!("{} {}", sn.name, sn.prefix))
                .collect();
            let _ = writeln!(
                s,
                "  {:<16} {:<18} {:<16} {}  [{}]",
                v.name,
                v.region.name(),
                v.region.cloud().to_string(),
                space.join(", "),
                subnets.join("; ")
            );
        }
    }
    if !design.peerings.is_empty() {
        let _ = writeln!(s, "\nPeerings:");
        for p in &design.peerings {
            // The settings that differ from Azure's defaults, in the words every message uses.
            let flags = p.non_default_settings();
            let _ = writeln!(
                s,
                "  {:<20} {:>10} -> {:<10} {:<12} {:<24} {}",
                p.name,
                p.local,
                p.remote,
                design.peering_state(p).to_string(),
                design.sync_level(p).to_string(),
                flags.join(", ")
            );
        }
    }
    s
}
