//! The `az` commands for each ARM-shaped resource of the export, each tagged with the
//! [`Stage`] it runs in. A resource reads only what the ARM export writes; a property it lacks
//! leaves its flag out (az's default applies), never a guess. This module dispatches every
//! resource and writes the VNet-level ones (VNets, NSGs, route tables, NICs and VMs, peerings);
//! gateways, sites and connections are [`super::hybrid`], ASGs, Route Servers and Network
//! Manager notes [`super::managed`].

use super::hybrid::{connection, gateway, site};
use super::managed;
use super::{Command, Places, Stage, Word};
use crate::io::azure::ResourceId;
use crate::io::export::arm::{Exported, computer_name};
use serde_json::Value;

/// A resource's type as written, for case-insensitive comparison.
fn is(resource: &Value, kind: &str) -> bool {
    resource["type"]
        .as_str()
        .is_some_and(|k| k.eq_ignore_ascii_case(kind))
}

/// The strings of a JSON array (or of one string).
pub(super) fn texts(value: &Value) -> Vec<Word> {
    match value {
        Value::String(text) => vec![Word::text(text.clone())],
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(Word::text)
            .collect(),
        _ => Vec::new(),
    }
}

/// The values of a property given either singly (`addressPrefix`) or as a list
/// (`addressPrefixes`).
fn one_or_many(properties: &Value, one: &str, many: &str) -> Vec<Word> {
    let list = texts(&properties[many]);
    if list.is_empty() {
        texts(&properties[one])
    } else {
        list
    }
}

fn boolean(value: &Value) -> Word {
    Word::text(if value.as_bool().unwrap_or(false) {
        "true"
    } else {
        "false"
    })
}

pub(super) fn id_of(value: &Value) -> Option<ResourceId> {
    value["id"].as_str().and_then(ResourceId::parse)
}

/// `--tags key=value…` when the resource has tags.
pub(super) fn tags(resource: &Value, command: Command) -> Command {
    let pairs: Vec<Word> = resource["tags"]
        .as_object()
        .map(|tags| {
            tags.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| Word::text(format!("{k}={v}"))))
                .collect()
        })
        .unwrap_or_default();
    command.args("--tags", pairs)
}

pub(super) fn location(resource: &Value) -> Word {
    resource["location"]
        .as_str()
        .map_or_else(|| Word::var("LOCATION"), Word::text)
}

/// Every command of the design, tagged with its stage, in the order of the export.
pub(super) fn commands(exported: &Exported, places: &mut Places) -> Vec<(Stage, Command)> {
    let mut out = Vec::new();
    // NICs not created (in a classic VNet), whose VMs cannot be created either.
    let mut skipped: Vec<String> = Vec::new();
    for resource in &exported.resources {
        let Some(id) = resource["id"].as_str().and_then(ResourceId::parse) else {
            continue;
        };
        if is(resource, "Microsoft.Network/virtualNetworks") {
            vnet(resource, &id, places, &mut out);
        } else if is(resource, "Microsoft.ClassicNetwork/virtualNetworks") {
            let note = format!(
                "Classic VNet `{}` is not created: the Azure CLI cannot create classic networks.",
                id.name()
            );
            out.push((Stage::Vnets, Command::note(note)));
        } else if is(resource, "Microsoft.Network/networkSecurityGroups") {
            nsg(resource, &id, places, &mut out);
        } else if is(resource, "Microsoft.Network/routeTables") {
            route_table(resource, &id, places, &mut out);
        } else if is(resource, "Microsoft.Network/networkInterfaces")
            && !nic(resource, &id, places, &mut out)
        {
            skipped.push(id.key());
        } else if is(
            resource,
            "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        ) {
            out.push(peering(resource, &id, places));
        } else if is(resource, "Microsoft.Network/virtualNetworkGateways") {
            gateway(resource, &id, places, &mut out);
        } else if is(resource, "Microsoft.Network/localNetworkGateways") {
            out.push((Stage::Sites, site(resource, &id, places)));
        } else if is(resource, "Microsoft.Network/connections") {
            out.push((Stage::Connections, connection(resource, &id, places)));
        } else if is(resource, "Microsoft.Network/applicationSecurityGroups") {
            out.push(managed::asg(resource, &id, places));
        } else if is(resource, "Microsoft.Network/virtualHubs") {
            managed::route_server(resource, &id, places, &mut out);
        } else if let Some(note) =
            managed::network_manager_note(resource["type"].as_str().unwrap_or_default(), &id)
        {
            out.push(note);
        }
    }
    for (vm, nics, location) in exported.vms() {
        if nics.iter().any(|(nic, _)| skipped.contains(&nic.key())) {
            let note = format!("VM `{}` is not created: its NIC is not.", vm.name());
            out.push((Stage::Compute, Command::note(note)));
            continue;
        }
        let mut ordered = nics;
        // `az vm create` makes the first NIC primary.
        ordered.sort_by_key(|(_, primary)| !primary);
        let nic_ids = ordered.iter().map(|(nic, _)| places.id(nic)).collect();
        let command = places
            .place(&vm, Command::new("az vm create"))
            .arg("--name", Word::text(vm.name()))
            .arg(
                "--location",
                location
                    .as_str()
                    .map_or_else(|| Word::var("LOCATION"), Word::text),
            )
            .args("--nics", nic_ids)
            .arg("--image", Word::var("VM_IMAGE"))
            .arg("--size", Word::var("VM_SIZE"))
            .arg("--computer-name", Word::text(computer_name(vm.name())))
            .arg("--authentication-type", Word::text("password"))
            .arg("--admin-username", Word::var("ADMIN_USERNAME"))
            .arg("--admin-password", Word::var("ADMIN_PASSWORD"));
        out.push((Stage::Compute, command));
    }
    out
}

fn vnet(resource: &Value, id: &ResourceId, places: &mut Places, out: &mut Vec<(Stage, Command)>) {
    let properties = &resource["properties"];
    let create = places
        .place(id, Command::new("az network vnet create"))
        .arg("--name", Word::text(id.name()))
        .arg("--location", location(resource))
        .args(
            "--address-prefixes",
            texts(&properties["addressSpace"]["addressPrefixes"]),
        );
    out.push((Stage::Vnets, tags(resource, create)));
    for subnet in properties["subnets"].as_array().into_iter().flatten() {
        let Some(name) = subnet["name"].as_str() else {
            continue;
        };
        let sp = &subnet["properties"];
        let create = places
            .place(id, Command::new("az network vnet subnet create"))
            .arg("--vnet-name", Word::text(id.name()))
            .arg("--name", Word::text(name))
            .args(
                "--address-prefixes",
                one_or_many(sp, "addressPrefix", "addressPrefixes"),
            );
        out.push((Stage::Subnets, create));
        let nsg = id_of(&sp["networkSecurityGroup"]);
        let table = id_of(&sp["routeTable"]);
        if nsg.is_none() && table.is_none() {
            continue;
        }
        let mut update = places
            .place(id, Command::new("az network vnet subnet update"))
            .arg("--vnet-name", Word::text(id.name()))
            .arg("--name", Word::text(name));
        if let Some(nsg) = nsg {
            update = update.arg("--network-security-group", places.id(&nsg));
        }
        if let Some(table) = table {
            update = update.arg("--route-table", places.id(&table));
        }
        out.push((Stage::Associations, update));
    }
}

fn nsg(resource: &Value, id: &ResourceId, places: &mut Places, out: &mut Vec<(Stage, Command)>) {
    let create = places
        .place(id, Command::new("az network nsg create"))
        .arg("--name", Word::text(id.name()))
        .arg("--location", location(resource));
    out.push((Stage::Nsgs, tags(resource, create)));
    let rules = resource["properties"]["securityRules"].as_array();
    for rule in rules.into_iter().flatten() {
        let Some(name) = rule["name"].as_str() else {
            continue;
        };
        let p = &rule["properties"];
        let mut create = places
            .place(id, Command::new("az network nsg rule create"))
            .arg("--nsg-name", Word::text(id.name()))
            .arg("--name", Word::text(name));
        if let Some(priority) = p["priority"].as_u64() {
            create = create.arg("--priority", Word::text(priority.to_string()));
        }
        for (flag, key) in [
            ("--direction", "direction"),
            ("--access", "access"),
            ("--protocol", "protocol"),
            ("--description", "description"),
        ] {
            if let Some(value) = p[key].as_str() {
                create = create.arg(flag, Word::text(value));
            }
        }
        let source_asgs = managed::asg_ids(&p["sourceApplicationSecurityGroups"], places);
        let destination_asgs = managed::asg_ids(&p["destinationApplicationSecurityGroups"], places);
        let create = create
            .args("--source-asgs", source_asgs)
            .args("--destination-asgs", destination_asgs)
            .args(
                "--source-address-prefixes",
                one_or_many(p, "sourceAddressPrefix", "sourceAddressPrefixes"),
            )
            .args(
                "--source-port-ranges",
                one_or_many(p, "sourcePortRange", "sourcePortRanges"),
            )
            .args(
                "--destination-address-prefixes",
                one_or_many(p, "destinationAddressPrefix", "destinationAddressPrefixes"),
            )
            .args(
                "--destination-port-ranges",
                one_or_many(p, "destinationPortRange", "destinationPortRanges"),
            );
        out.push((Stage::Nsgs, create));
    }
}

fn route_table(
    resource: &Value,
    id: &ResourceId,
    places: &mut Places,
    out: &mut Vec<(Stage, Command)>,
) {
    let properties = &resource["properties"];
    let create = places
        .place(id, Command::new("az network route-table create"))
        .arg("--name", Word::text(id.name()))
        .arg("--location", location(resource))
        .arg(
            "--disable-bgp-route-propagation",
            boolean(&properties["disableBgpRoutePropagation"]),
        );
    out.push((Stage::RouteTables, tags(resource, create)));
    for route in properties["routes"].as_array().into_iter().flatten() {
        let Some(name) = route["name"].as_str() else {
            continue;
        };
        let p = &route["properties"];
        let mut create = places
            .place(id, Command::new("az network route-table route create"))
            .arg("--route-table-name", Word::text(id.name()))
            .arg("--name", Word::text(name))
            .args("--address-prefix", texts(&p["addressPrefix"]))
            .args("--next-hop-type", texts(&p["nextHopType"]));
        if let Some(ip) = p["nextHopIpAddress"].as_str() {
            create = create.arg("--next-hop-ip-address", Word::text(ip));
        }
        out.push((Stage::RouteTables, create));
    }
}

/// The NIC and its extra IP configurations; `false` when it cannot be created.
fn nic(
    resource: &Value,
    id: &ResourceId,
    places: &mut Places,
    out: &mut Vec<(Stage, Command)>,
) -> bool {
    let properties = &resource["properties"];
    let configs: Vec<&Value> = properties["ipConfigurations"]
        .as_array()
        .map(|c| c.iter().collect())
        .unwrap_or_default();
    let in_classic = configs.iter().any(|c| {
        id_of(&c["properties"]["subnet"])
            .is_some_and(|s| s.namespace.eq_ignore_ascii_case("Microsoft.ClassicNetwork"))
    });
    if in_classic {
        let note = format!(
            "NIC `{}` is not created: its subnet is in a classic VNet.",
            id.name()
        );
        out.push((Stage::Compute, Command::note(note)));
        return false;
    }
    let mut create = places
        .place(id, Command::new("az network nic create"))
        .arg("--name", Word::text(id.name()))
        .arg("--location", location(resource))
        .arg(
            "--ip-forwarding",
            boolean(&properties["enableIPForwarding"]),
        );
    if let Some(nsg) = id_of(&properties["networkSecurityGroup"]) {
        create = create.arg("--network-security-group", places.id(&nsg));
    }
    let mut extra = Vec::new();
    for (index, config) in configs.iter().enumerate() {
        let p = &config["properties"];
        let subnet = id_of(&p["subnet"]).map(|s| places.id(&s));
        let ip = p["privateIPAddress"]
            .as_str()
            .filter(|_| p["privateIPAllocationMethod"] != "Dynamic");
        let asgs = managed::asg_ids(&p["applicationSecurityGroups"], places);
        if index == 0 {
            create = create.args("--application-security-groups", asgs);
            if let Some(subnet) = subnet {
                create = create.arg("--subnet", subnet);
            }
            if let Some(ip) = ip {
                create = create.arg("--private-ip-address", Word::text(ip));
            }
        } else {
            let mut add = places
                .place(id, Command::new("az network nic ip-config create"))
                .arg("--nic-name", Word::text(id.name()))
                .args("--name", texts(&config["name"]))
                .args("--application-security-groups", asgs);
            if let Some(subnet) = subnet {
                add = add.arg("--subnet", subnet);
            }
            if let Some(ip) = ip {
                add = add.arg("--private-ip-address", Word::text(ip));
            }
            extra.push((Stage::Compute, add));
        }
    }
    out.push((Stage::Compute, tags(resource, create)));
    out.append(&mut extra);
    true
}

fn peering(resource: &Value, id: &ResourceId, places: &mut Places) -> (Stage, Command) {
    let p = &resource["properties"];
    let local = id
        .parent()
        .map(|v| v.name().to_string())
        .unwrap_or_default();
    let mut create = places
        .place(id, Command::new("az network vnet peering create"))
        .arg("--vnet-name", Word::text(local))
        .arg("--name", Word::text(id.name()));
    if let Some(remote) = id_of(&p["remoteVirtualNetwork"]) {
        create = create.arg("--remote-vnet", places.id(&remote));
    }
    create = create
        .arg(
            "--allow-vnet-access",
            boolean(&p["allowVirtualNetworkAccess"]),
        )
        .arg(
            "--allow-forwarded-traffic",
            boolean(&p["allowForwardedTraffic"]),
        )
        .arg(
            "--allow-gateway-transit",
            boolean(&p["allowGatewayTransit"]),
        )
        .arg("--use-remote-gateways", boolean(&p["useRemoteGateways"]));
    if p["peerCompleteVnets"] == false {
        create = create
            .arg("--peer-complete-vnets", Word::text("false"))
            .args("--local-subnet-names", texts(&p["localSubnetNames"]))
            .args("--remote-subnet-names", texts(&p["remoteSubnetNames"]));
    }
    if p["peeringState"] == "Disconnected" {
        create = create.comment(
            "Disconnected in the design (its remote side was deleted): created here, it \
             connects when the remote side exists.",
        );
    }
    // Azure refuses `useRemoteGateways` before the remote gateway exists, and the option to
    // allow gateway transit needs a gateway on the local side.
    let stage = if p["useRemoteGateways"] == true || p["allowGatewayTransit"] == true {
        Stage::GatewayPeerings
    } else {
        Stage::Peerings
    };
    (stage, create)
}
