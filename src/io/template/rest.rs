//! Turning expanded template resources into what Azure would report after deployment, the REST
//! shape the importer reads: children given inline get their IDs, each NIC learns its VM from
//! the VM's `networkProfile` (REST reports it on the NIC), and a dynamic private IP gets the
//! address Azure hands out first — the lowest free one from the fifth address of the subnet on,
//! in template order. The last is an assumption, so every address assigned is listed as a
//! placeholder in the import summary; the lab manuals confirm the rule (AZ-104 Lab 05 expects
//! `10.51.0.4` for the VM of `10.51.0.0/24`).

use ipnet::Ipv4Net;
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;

/// Resource types the importer models, lower-cased: unknown values in them are reported.
const NETWORK_TYPES: [&str; 12] = [
    "microsoft.network/virtualnetworks",
    "microsoft.network/virtualnetworks/subnets",
    "microsoft.network/virtualnetworks/virtualnetworkpeerings",
    "microsoft.network/networkinterfaces",
    "microsoft.network/networksecuritygroups",
    "microsoft.network/networksecuritygroups/securityrules",
    "microsoft.network/routetables",
    "microsoft.network/routetables/routes",
    "microsoft.network/virtualnetworkgateways",
    "microsoft.network/localnetworkgateways",
    "microsoft.network/connections",
    "microsoft.network/azurefirewalls",
];

/// Whether vnetlab models resources of this type.
pub fn is_network_type(full_type: &str) -> bool {
    NETWORK_TYPES
        .iter()
        .any(|t| t.eq_ignore_ascii_case(full_type))
}

fn field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    let map = value.as_object()?;
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

fn field_mut<'a>(value: &'a mut Value, key: &str) -> Option<&'a mut Value> {
    let map = value.as_object_mut()?;
    let actual = map.keys().find(|k| k.eq_ignore_ascii_case(key))?.clone();
    map.get_mut(&actual)
}

fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    field(value, key).and_then(Value::as_str)
}

fn type_is(resource: &Value, wanted: &str) -> bool {
    text(resource, "type").is_some_and(|t| t.eq_ignore_ascii_case(wanted))
}

fn key(id: &str) -> String {
    crate::io::azure::ids::key_of(id)
}

/// What normalising found worth saying.
#[derive(Debug, Default)]
pub struct Normalized {
    /// Addresses assumed for dynamic private IPs.
    pub assumed: Vec<String>,
    /// Children declared both inline and as their own resource, with different settings.
    pub notes: Vec<String>,
}

/// Brings expanded resources to the deployed REST shape.
pub fn normalize(resources: &mut [Value]) -> Normalized {
    let mut normalized = Normalized::default();
    for resource in resources.iter_mut() {
        for (owner, field_name, segment) in [
            ("Microsoft.Network/virtualNetworks", "subnets", "subnets"),
            // A classic VNet (in a template only as an export's record of one: templates
            // cannot create classic networks) lists its subnets inline too.
            (
                "Microsoft.ClassicNetwork/virtualNetworks",
                "subnets",
                "subnets",
            ),
            (
                "Microsoft.Network/virtualNetworks",
                "virtualNetworkPeerings",
                "virtualNetworkPeerings",
            ),
            (
                "Microsoft.Network/networkSecurityGroups",
                "securityRules",
                "securityRules",
            ),
            ("Microsoft.Network/routeTables", "routes", "routes"),
        ] {
            if type_is(resource, owner) {
                fill_child_ids(resource, field_name, segment);
            }
        }
    }
    normalized.notes = align_inline_duplicates(resources);
    link_nics_to_vms(resources);
    normalized.assumed = assign_dynamic_ips(resources);
    normalized
}

/// A child given both inline (a VNet's `subnets`) and as its own resource is deployed twice, and
/// the resource, which depends on its parent, is written last: its settings are the ones that
/// stay. The inline copy takes them (keeping its place in the list), with a note when they differ.
fn align_inline_duplicates(resources: &mut [Value]) -> Vec<String> {
    let standalone: HashMap<String, Value> = resources
        .iter()
        .filter(|r| text(r, "type").is_some_and(|t| t.matches('/').count() >= 2))
        .filter_map(|r| Some((key(text(r, "id")?), r.clone())))
        .collect();
    let mut notes = Vec::new();
    for resource in resources.iter_mut() {
        let parent = text(resource, "name").unwrap_or("?").to_string();
        let Some(properties) = field_mut(resource, "properties").and_then(Value::as_object_mut)
        else {
            continue;
        };
        for (field_name, children) in properties.iter_mut() {
            let Some(children) = children.as_array_mut() else {
                continue;
            };
            for child in children.iter_mut() {
                let Some(other) = text(child, "id").and_then(|id| standalone.get(&key(id))) else {
                    continue;
                };
                let theirs = field(other, "properties").cloned();
                if field(child, "properties") != theirs.as_ref() {
                    notes.push(format!(
                        "`{parent}/{}` is declared inline in `{field_name}` and as a resource of its own, with different settings; the resource is deployed last, so its settings are used",
                        text(child, "name").unwrap_or("?")
                    ));
                    if let (Some(map), Some(theirs)) = (child.as_object_mut(), theirs) {
                        map.insert("properties".to_string(), theirs);
                    }
                }
            }
        }
    }
    notes
}

fn fill_child_ids(resource: &mut Value, field_name: &str, segment: &str) {
    let Some(parent) = text(resource, "id").map(str::to_string) else {
        return;
    };
    let Some(children) = field_mut(resource, "properties")
        .and_then(|p| field_mut(p, field_name))
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for child in children.iter_mut().filter(|c| field(c, "id").is_none()) {
        if let Some(name) = text(child, "name").map(str::to_string)
            && let Some(map) = child.as_object_mut()
        {
            map.insert(
                "id".to_string(),
                Value::String(format!("{parent}/{segment}/{name}")),
            );
        }
    }
}

fn link_nics_to_vms(resources: &mut [Value]) {
    let mut owners: HashMap<String, (String, Option<bool>)> = HashMap::new();
    for vm in resources
        .iter()
        .filter(|r| type_is(r, "Microsoft.Compute/virtualMachines"))
    {
        let Some(vm_id) = text(vm, "id") else {
            continue;
        };
        let nics = field(vm, "properties")
            .and_then(|p| field(p, "networkProfile"))
            .and_then(|p| field(p, "networkInterfaces"))
            .and_then(Value::as_array);
        for nic in nics.into_iter().flatten() {
            if let Some(nic_id) = text(nic, "id") {
                let primary = field(nic, "properties")
                    .and_then(|p| field(p, "primary"))
                    .or_else(|| field(nic, "primary"))
                    .and_then(Value::as_bool);
                owners.insert(key(nic_id), (vm_id.to_string(), primary));
            }
        }
    }
    for nic in resources
        .iter_mut()
        .filter(|r| type_is(r, "Microsoft.Network/networkInterfaces"))
    {
        let Some((vm_id, primary)) = text(nic, "id").and_then(|id| owners.get(&key(id))).cloned()
        else {
            continue;
        };
        let Some(properties) = field_mut(nic, "properties").and_then(Value::as_object_mut) else {
            continue;
        };
        if !properties
            .keys()
            .any(|k| k.eq_ignore_ascii_case("virtualMachine"))
        {
            properties.insert("virtualMachine".to_string(), json!({ "id": vm_id }));
        }
        if let Some(primary) = primary
            && !properties.keys().any(|k| k.eq_ignore_ascii_case("primary"))
        {
            properties.insert("primary".to_string(), Value::Bool(primary));
        }
    }
}

fn subnet_prefix(subnet: &Value) -> Option<Ipv4Net> {
    let properties = field(subnet, "properties").unwrap_or(subnet);
    let first = text(properties, "addressPrefix")
        .map(str::to_string)
        .or_else(|| {
            field(properties, "addressPrefixes")
                .and_then(Value::as_array)
                .and_then(|list| list.iter().find_map(Value::as_str))
                .map(str::to_string)
        })?;
    first.trim().parse::<Ipv4Net>().ok().map(|n| n.trunc())
}

/// Subnet ID key → (prefix, `vnet/subnet` for messages).
fn subnets(resources: &[Value]) -> HashMap<String, (Ipv4Net, String)> {
    let mut found = HashMap::new();
    for resource in resources {
        if type_is(resource, "Microsoft.Network/virtualNetworks")
            || type_is(resource, "Microsoft.ClassicNetwork/virtualNetworks")
        {
            let vnet = text(resource, "name").unwrap_or("?");
            let inline = field(resource, "properties")
                .and_then(|p| field(p, "subnets"))
                .and_then(Value::as_array);
            for subnet in inline.into_iter().flatten() {
                if let (Some(id), Some(prefix)) = (text(subnet, "id"), subnet_prefix(subnet)) {
                    let name = format!("{vnet}/{}", text(subnet, "name").unwrap_or("?"));
                    found.insert(key(id), (prefix, name));
                }
            }
        } else if type_is(resource, "Microsoft.Network/virtualNetworks/subnets")
            && let (Some(id), Some(prefix)) = (text(resource, "id"), subnet_prefix(resource))
        {
            let vnet = id.split('/').rev().nth(2).unwrap_or("?");
            let name = format!("{vnet}/{}", text(resource, "name").unwrap_or("?"));
            found.insert(key(id), (prefix, name));
        }
    }
    found
}

/// The IP configurations of a NIC or firewall: each one's name and its settings object.
fn ip_configurations(resource: &mut Value) -> Vec<(String, &mut Map<String, Value>)> {
    field_mut(resource, "properties")
        .and_then(|p| field_mut(p, "ipConfigurations"))
        .and_then(Value::as_array_mut)
        .map(|configs| {
            configs
                .iter_mut()
                .filter_map(|c| {
                    let name = text(c, "name").unwrap_or("").to_string();
                    let c = c.as_object_mut()?;
                    match c
                        .keys()
                        .find(|k| k.eq_ignore_ascii_case("properties"))
                        .cloned()
                    {
                        Some(k) => c.get_mut(&k)?.as_object_mut().map(|p| (name, p)),
                        None => Some((name, c)),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

fn map_text<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .and_then(|(_, v)| v.as_str())
}

fn subnet_of(config: &Map<String, Value>) -> Option<String> {
    config
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("subnet"))
        .and_then(|(_, v)| text(v, "id").or_else(|| v.as_str()))
        .map(key)
}

fn assign_dynamic_ips(resources: &mut [Value]) -> Vec<String> {
    let subnets = subnets(resources);
    let mut used: HashSet<(String, Ipv4Addr)> = HashSet::new();
    let holders = [
        "Microsoft.Network/networkInterfaces",
        "Microsoft.Network/azureFirewalls",
    ];
    for resource in resources
        .iter_mut()
        .filter(|r| holders.iter().any(|t| type_is(r, t)))
    {
        for (_, config) in ip_configurations(resource) {
            if let (Some(subnet), Some(ip)) =
                (subnet_of(config), map_text(config, "privateIPAddress"))
                && let Ok(ip) = ip.trim().parse::<Ipv4Addr>()
            {
                used.insert((subnet, ip));
            }
        }
    }
    let mut lines = Vec::new();
    for resource in resources
        .iter_mut()
        .filter(|r| holders.iter().any(|t| type_is(r, t)))
    {
        let kind = if type_is(resource, holders[0]) {
            "NIC"
        } else {
            "Azure Firewall"
        };
        let name = text(resource, "name").unwrap_or("?").to_string();
        for (config_name, config) in ip_configurations(resource) {
            let current = map_text(config, "privateIPAddress").map(str::to_string);
            if current
                .as_deref()
                .is_some_and(|ip| ip.trim().parse::<Ipv4Addr>().is_ok())
                || map_text(config, "privateIPAddressVersion")
                    .is_some_and(|v| v.eq_ignore_ascii_case("IPv6"))
            {
                continue;
            }
            let Some(subnet) = subnet_of(config) else {
                continue;
            };
            let Some((prefix, subnet_name)) = subnets.get(&subnet) else {
                continue;
            };
            let first = u32::from(prefix.network()).saturating_add(4);
            let last = u32::from(prefix.broadcast()).saturating_sub(1);
            let free = (first..=last)
                .map(Ipv4Addr::from)
                .find(|ip| !used.contains(&(subnet.clone(), *ip)));
            let why = match &current {
                Some(text) => format!("its address ({text}) is known only after deployment"),
                None => "a dynamic private IP".to_string(),
            };
            match free {
                Some(ip) => {
                    used.insert((subnet.clone(), ip));
                    config.insert(
                        "privateIPAddress".to_string(),
                        Value::String(ip.to_string()),
                    );
                    lines.push(format!(
                        "{kind} `{name}`{}: {why}; assumed {ip}, the first free address of subnet `{subnet_name}` (Azure assigns it at deployment)",
                        if config_name.is_empty() { String::new() } else { format!(" {config_name}") }
                    ));
                }
                None => lines.push(format!(
                    "{kind} `{name}`: {why}, but subnet `{subnet_name}` has no free address left"
                )),
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamic_ips_take_the_first_free_address_from_the_fifth() {
        let vnet =
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v";
        let mut resources = vec![
            json!({"id": vnet, "name": "v", "type": "Microsoft.Network/virtualNetworks",
                   "properties": {"subnets": [{"name": "a", "properties": {"addressPrefix": "10.0.0.0/24"}}]}}),
            json!({"id": "/x/nic1", "name": "nic1", "type": "Microsoft.Network/networkInterfaces",
                   "properties": {"ipConfigurations": [{"name": "c", "properties": {
                       "privateIPAllocationMethod": "Static", "privateIPAddress": "10.0.0.4",
                       "subnet": {"id": format!("{vnet}/subnets/a")}}}]}}),
            json!({"id": "/x/nic2", "name": "nic2", "type": "Microsoft.Network/networkInterfaces",
                   "properties": {"ipConfigurations": [{"name": "c", "properties": {
                       "privateIPAllocationMethod": "Dynamic", "subnet": {"id": format!("{vnet}/subnets/A")}}}]}}),
            json!({"id": "/x/vm", "name": "vm", "type": "Microsoft.Compute/virtualMachines",
                   "properties": {"networkProfile": {"networkInterfaces": [{"id": "/X/NIC2", "properties": {"primary": true}}]}}}),
        ];
        let lines = normalize(&mut resources).assumed;
        assert_eq!(
            resources[0]["properties"]["subnets"][0]["id"],
            format!("{vnet}/subnets/a")
        );
        assert_eq!(
            resources[2]["properties"]["ipConfigurations"][0]["properties"]["privateIPAddress"],
            "10.0.0.5"
        );
        assert_eq!(resources[2]["properties"]["virtualMachine"]["id"], "/x/vm");
        assert_eq!(resources[2]["properties"]["primary"], true);
        assert_eq!(lines.len(), 1);
        assert!(
            lines[0].starts_with("NIC `nic2` c: a dynamic private IP; assumed 10.0.0.5"),
            "{}",
            lines[0]
        );
    }
}
