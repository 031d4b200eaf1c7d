//! VNets with their subnets, and peerings (flags, disconnected marks, synced snapshots).

use super::names::{Namer, clean};
use super::security::children_by_parent;
use super::{Builder, Inventory, placement, resource_name};
use crate::io::azure::json::Node;
use crate::model::{
    CidrError, Cloud, DeploymentModel, Peering, Region, Subnet, SubnetRef, Vnet, parse_cidr,
    same_space,
};
use ipnet::Ipv4Net;
use std::collections::{HashMap, HashSet};

/// Parses a list of prefixes: IPv4 CIDRs kept, IPv6 counted, anything else described.
pub(super) fn ipv4_prefixes(texts: &[&str]) -> (Vec<Ipv4Net>, usize, Vec<CidrError>) {
    let mut nets = Vec::new();
    let mut ipv6 = 0;
    let mut bad = Vec::new();
    for text in texts {
        if text.contains(':') {
            ipv6 += 1;
            continue;
        }
        match parse_cidr(text) {
            Ok(net) if !nets.contains(&net) => nets.push(net),
            Ok(_) => {}
            Err(why) => bad.push(why),
        }
    }
    (nets, ipv6, bad)
}

/// [`ipv4_prefixes`] with a note in the report for what is left out: each prefix that does not
/// parse, and the IPv6 ones. `owner` names whose prefixes they are ("VNet `hub`"), `noun` what
/// one is called, singular and plural ("address range", "address range(s)").
pub(super) fn ipv4_prefixes_noted(
    builder: &mut Builder,
    texts: &[&str],
    owner: &str,
    noun: [&str; 2],
) -> Vec<Ipv4Net> {
    let [one, several] = noun;
    let (prefixes, ipv6, bad) = ipv4_prefixes(texts);
    for why in bad {
        builder
            .report
            .note(format!("{owner}: {one} left out: {why}"));
    }
    if ipv6 > 0 {
        builder.report.note(format!(
            "{owner}: {ipv6} IPv6 {several} left out; vnetlab models IPv4"
        ));
    }
    prefixes
}

/// A stand-in region for an unknown location, in the cloud the location's name suggests
/// (azure-semantics.md §1.1: `usgov*`/`usdod*` Government, `china*` China, else public).
fn stand_in_region(location: &str) -> Region {
    let lower = location.to_ascii_lowercase();
    let cloud = if lower.starts_with("usgov") || lower.starts_with("usdod") {
        Cloud::UsGovernment
    } else if lower.starts_with("china") {
        Cloud::China
    } else {
        Cloud::Public
    };
    Region::all()
        .find(|r| r.cloud() == cloud)
        .or_else(|| Region::all().next())
        .expect("the region table is not empty")
}

pub(super) fn import_vnets(inventory: &Inventory<'_>, builder: &mut Builder) {
    let mut names = Namer::default();
    let mut subnets_of = children_by_parent(inventory, &inventory.subnets);
    for &(index, classic) in &inventory.vnets {
        let item = inventory.item(index);
        let (rg, sub) = placement(&item);
        let name = names.claim(
            resource_name(&item),
            &[rg.as_deref().unwrap_or(""), sub.as_deref().unwrap_or("")],
        );
        if name != clean(resource_name(&item)) {
            builder.report.note(format!(
                "VNet `{}` in resource group `{}` is named `{name}` because the export has another VNet of that name",
                resource_name(&item),
                rg.as_deref().unwrap_or("?")
            ));
        }
        let location = item.node.str("location").unwrap_or("");
        let region = match location.parse::<Region>() {
            Ok(region) => region,
            Err(_) => {
                let stand_in = stand_in_region(location);
                builder.report.note(format!(
                    "VNet `{name}`: unknown location `{location}`; placed in `{stand_in}` ({}) — set its region in the design",
                    stand_in.cloud()
                ));
                stand_in
            }
        };
        let space = ipv4_prefixes_noted(
            builder,
            &item.node.prefixes_of("addressSpace"),
            &format!("VNet `{name}`"),
            ["address range", "address range(s)"],
        );
        if space.is_empty() {
            builder.report.note(format!(
                "VNet `{name}` has no IPv4 address space and was left out"
            ));
            builder.left_out(item.key, "VNet");
            for child in subnets_of.remove(item.key).unwrap_or_default() {
                builder.left_out(child.key, "subnet");
            }
            continue;
        }
        let mut vnet = Vnet::new(name.clone(), region, space);
        vnet.resource_group = rg.filter(|r| !builder.defaults.is_default_resource_group(r));
        vnet.subscription = sub
            .filter(|s| !builder.defaults.is_default_subscription(s))
            .unwrap_or_default();
        if classic {
            vnet.deployment = DeploymentModel::Classic;
        }
        let mut subnet_names = Namer::default();
        for child in subnets_of.remove(item.key).unwrap_or_default() {
            let subnet_name = subnet_names.claim(resource_name(&child), &[]);
            let mut texts = child.node.strings("addressPrefix");
            texts.extend(child.node.strings("addressPrefixes"));
            let (prefixes, _, bad) = ipv4_prefixes(&texts);
            for why in bad {
                builder.report.note(format!(
                    "subnet `{name}/{subnet_name}`: prefix left out: {why}"
                ));
            }
            let Some((&first, rest)) = prefixes.split_first() else {
                builder.report.note(format!(
                    "subnet `{name}/{subnet_name}` has no IPv4 prefix and was left out"
                ));
                builder.left_out(child.key, "subnet");
                continue;
            };
            let mut subnet = Subnet::new(subnet_name.clone(), first);
            subnet.extra_prefixes = rest.to_vec();
            let context = || format!("subnet `{name}/{subnet_name}`");
            if let Some(id) = child.node.reference("networkSecurityGroup") {
                subnet.nsg = Builder::resolve(
                    &mut builder.report,
                    &builder.left_out,
                    &builder.present,
                    &builder.nsgs,
                    id,
                    || format!("{}: NSG", context()),
                    "the subnet is imported without it",
                );
            }
            if let Some(id) = child.node.reference("routeTable") {
                subnet.route_table = Builder::resolve(
                    &mut builder.report,
                    &builder.left_out,
                    &builder.present,
                    &builder.route_tables,
                    id,
                    || format!("{}: route table", context()),
                    "the subnet is imported without it",
                );
            }
            builder.subnets.insert(
                child.key.to_string(),
                SubnetRef::new(name.clone(), subnet_name),
            );
            vnet.subnets.push(subnet);
        }
        builder.vnets.insert(item.key.to_string(), name);
        builder.design.vnets.push(vnet);
    }
    let mut orphans: Vec<_> = subnets_of.into_values().flatten().collect();
    orphans.sort_by_key(|s| s.key);
    for subnet in orphans {
        builder.report.missing(format!(
            "subnet `{}`: its VNet {} is not in the export (the subnet was left out)",
            resource_name(&subnet),
            subnet
                .key
                .rsplit_once("/subnets/")
                .map_or("?", |(vnet, _)| vnet)
        ));
        builder.left_out(subnet.key, "subnet");
    }
}

pub(super) fn import_peerings(inventory: &Inventory<'_>, builder: &mut Builder) {
    let mut names = Namer::default();
    // (local, remote) of every link so far: Azure allows one peering per VNet pair and direction.
    let mut links: HashSet<(String, String)> = HashSet::new();
    for item in inventory.items(&inventory.peerings) {
        let raw_name = resource_name(&item);
        // The owning VNet: from the peering's own ID (kept as written, for messages), else the
        // VNet it was listed in.
        let local_key = item
            .node
            .str("id")
            .and_then(super::ResourceId::parse)
            .and_then(|id| id.parent())
            .map(|p| p.text)
            .or_else(|| item.parent.map(str::to_string));
        let context = || format!("peering `{raw_name}`");
        let local = match &local_key {
            Some(key) => Builder::resolve(
                &mut builder.report,
                &builder.left_out,
                &builder.present,
                &builder.vnets,
                key,
                || format!("{}: local VNet", context()),
                "the peering was left out",
            ),
            None => {
                builder.report.note(format!(
                    "{}: its ID does not name its VNet, so it was left out",
                    context()
                ));
                None
            }
        };
        let remote = match item.node.reference("remoteVirtualNetwork") {
            Some(id) if local.is_some() => Builder::resolve(
                &mut builder.report,
                &builder.left_out,
                &builder.present,
                &builder.vnets,
                id,
                || {
                    format!(
                        "{} of VNet `{}`: remote VNet",
                        context(),
                        local.as_deref().unwrap_or("")
                    )
                },
                "the peering was left out",
            ),
            Some(_) => None,
            None => {
                builder.report.note(format!(
                    "{}: it names no remote VNet, so it was left out",
                    context()
                ));
                None
            }
        };
        let (Some(local), Some(remote)) = (local, remote) else {
            continue;
        };
        if local == remote {
            builder.report.note(format!(
                "{}: it links VNet `{local}` to itself and was left out",
                context()
            ));
            continue;
        }
        if !links.insert((local.clone(), remote.clone())) {
            builder.report.note(format!(
                "{}: VNet `{local}` already has a peering to `{remote}`; this duplicate was left out",
                context()
            ));
            continue;
        }
        let name = names.claim(raw_name, &[&local]);
        let node = item.node;
        let mut peering = Peering::new(name.clone(), local.clone(), remote.clone());
        peering.allow_virtual_network_access =
            node.bool("allowVirtualNetworkAccess").unwrap_or(true);
        peering.allow_forwarded_traffic = node.bool("allowForwardedTraffic").unwrap_or(false);
        peering.allow_gateway_transit = node.bool("allowGatewayTransit").unwrap_or(false);
        peering.use_remote_gateways = node.bool("useRemoteGateways").unwrap_or(false);
        let state = node.str("peeringState").map(str::to_string);
        peering.disconnected = state
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("Disconnected"));
        if node.bool("peerCompleteVnets") == Some(false) {
            subnet_lists(builder, &mut peering, &node);
        }
        // A subnet peering's copy lists its peered subnets (exports show it FullyInSync so).
        let written = node.prefixes_of("remoteAddressSpace");
        let (snapshot, _, _) = ipv4_prefixes(&written);
        // `"addressPrefixes": []` is a snapshot of nothing (the peering carries no routes);
        // a missing field, or one whose prefixes are all IPv6, says nothing about IPv4.
        let stated_empty = written.is_empty()
            && node
                .node("remoteAddressSpace")
                .and_then(|space| space.get("addressPrefixes"))
                .and_then(serde_json::Value::as_array)
                .is_some_and(Vec::is_empty);
        let current = builder.design.current_remote_space(&peering);
        if (stated_empty || !snapshot.is_empty()) && !same_space(&snapshot, &current) {
            peering.remote_address_space = Some(snapshot);
        }
        builder.exported_states.push((
            name,
            state,
            node.str("peeringSyncLevel").map(str::to_string),
        ));
        builder.design.peerings.push(peering);
    }
}

/// Reads `localSubnetNames` and `remoteSubnetNames` of a subnet-level peering (§1.9), keeping
/// the names that are subnets of the local and remote VNet; with none left it stays a peering of
/// the whole VNets, and says so.
fn subnet_lists(builder: &mut Builder, peering: &mut Peering, node: &Node) {
    let sides = [
        ("localSubnetNames", peering.local.clone()),
        ("remoteSubnetNames", peering.remote.clone()),
    ];
    let mut lists = Vec::with_capacity(2);
    for (key, vnet_name) in sides {
        let mut kept: Vec<String> = Vec::new();
        for raw in node.strings(key) {
            // Subnet names were cleaned the same way when the VNet was built.
            let name = clean(raw);
            let known = builder
                .design
                .vnet(&vnet_name)
                .is_some_and(|v| v.subnet(&name).is_some());
            if !known {
                builder.report.note(format!(
                    "peering `{}`: `{name}` in {key} is not a subnet of VNet `{vnet_name}` in the export, so it was left out of the list",
                    peering.name
                ));
            } else if !kept.contains(&name) {
                kept.push(name);
            }
        }
        lists.push(kept);
    }
    let remote_subnets = lists.pop().unwrap_or_default();
    let local_subnets = lists.pop().unwrap_or_default();
    if local_subnets.is_empty() && remote_subnets.is_empty() {
        builder.report.note(format!(
            "peering `{}` is a subnet peering that lists no known subnets; vnetlab models it as a peering of the whole VNets",
            peering.name
        ));
        return;
    }
    peering.local_subnets = local_subnets;
    peering.remote_subnets = remote_subnets;
}

/// Names every peering whose exported state or sync level differs from what its links derive.
pub(super) fn compare_peering_states(builder: &mut Builder) {
    let design = &builder.design;
    let by_name: HashMap<&str, &crate::model::Peering> = design
        .peerings
        .iter()
        .map(|p| (p.name.as_str(), p))
        .collect();
    for (name, state, sync) in &builder.exported_states {
        let Some(&peering) = by_name.get(name.as_str()) else {
            continue;
        };
        let derived = design.peering_state(peering).to_string();
        if let Some(state) = state
            && !state.eq_ignore_ascii_case(&derived)
            && !state.eq_ignore_ascii_case("Updating")
        {
            let why = match (derived.as_str(), design.reverse_peering(peering)) {
                ("Connected", Some(reverse)) => format!(
                    "its reverse link `{}` is in the export (were the files exported at different times?)",
                    reverse.name
                ),
                ("Initiated", Some(reverse)) if reverse.disconnected => format!(
                    "its reverse link `{}` is Disconnected; delete and recreate both links to connect them",
                    reverse.name
                ),
                ("Initiated", None) => format!(
                    "the reverse link from `{}` is not in the export; include that VNet's peerings",
                    peering.remote
                ),
                _ => "that is what the links in the export make it".to_string(),
            };
            builder.report.notes.push(format!(
                "peering `{name}` was exported as {state} but is modelled as {derived}: {why}"
            ));
        }
        let derived_sync = design.sync_level(peering).to_string();
        if let Some(sync) = sync
            && !sync.eq_ignore_ascii_case(&derived_sync)
        {
            builder.report.notes.push(format!(
                "peering `{name}` was exported as {sync} but its address spaces make it {derived_sync}"
            ));
        }
    }
}
