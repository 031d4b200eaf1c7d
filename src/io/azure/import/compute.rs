//! NICs grouped into VMs (by `virtualMachine.id`, else one VM per NIC), appliances, and Azure
//! Firewalls as firewall appliances.

use super::names::clean;
use super::network::ipv4_prefixes;
use super::security::parse_protocol;
use super::{Builder, Inventory, Item, placement, resource_name};
use crate::io::azure::ResourceId;
use crate::model::{
    Access, AddressMatch, Appliance, ApplianceRule, Nic, PortRange, Protocol, Vm, parse_ip,
};
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// The tag the exporter writes on a VM's primary NIC: `none` or the appliance as JSON.
pub(crate) const APPLIANCE_TAG: &str = "vnetlab-appliance";

/// Firewall rules expand into one appliance rule per source × destination × protocol × port;
/// beyond this many per firewall the rest are left out (with a note).
const MAX_FIREWALL_RULES: usize = 10_000;

/// The IP configuration a NIC is modelled by: IPv4, primary first.
struct IpConfig<'a> {
    name: &'a str,
    subnet_id: Option<&'a str>,
    ip: Option<&'a str>,
    primary: bool,
    /// `applicationSecurityGroups[].id`.
    asgs: Vec<&'a str>,
}

fn ip_configs<'a>(item: &Item<'a>) -> Vec<IpConfig<'a>> {
    let mut configs: Vec<IpConfig<'a>> = item
        .node
        .nodes("ipConfigurations")
        .into_iter()
        .filter(|c| {
            !c.str("privateIPAddressVersion")
                .is_some_and(|v| v.eq_ignore_ascii_case("IPv6"))
        })
        .map(|c| IpConfig {
            name: c.str("name").unwrap_or("ipconfig"),
            subnet_id: c.reference("subnet"),
            ip: c.str("privateIPAddress"),
            primary: c.bool("primary").unwrap_or(false),
            asgs: c
                .nodes("applicationSecurityGroups")
                .iter()
                .filter_map(|a| a.str("id"))
                .collect(),
        })
        .collect();
    // Primary first; otherwise keep the export's order.
    configs.sort_by_key(|c| !c.primary);
    configs
}

/// A NIC on its way into a VM.
struct Candidate {
    vm_key: String,
    vm_name: String,
    rg: String,
    nic: Nic,
    primary: bool,
    appliance_tag: Option<String>,
}

pub(super) fn import_nics(inventory: &Inventory<'_>, builder: &mut Builder) {
    let mut candidates = Vec::new();
    for item in inventory.items(&inventory.nics) {
        let nic_name = clean(resource_name(&item));
        let configs = ip_configs(&item);
        let Some(config) = configs.first() else {
            builder.report.note(format!(
                "NIC `{nic_name}` has no IPv4 IP configuration and was left out"
            ));
            continue;
        };
        let Some(nic) = nic_from_config(&item, &nic_name, config, builder) else {
            continue;
        };
        if configs.len() > 1 {
            let others: Vec<&str> = configs[1..].iter().map(|c| c.name).collect();
            builder.report.note(format!(
                "NIC `{nic_name}`: secondary IP configuration(s) {} not modelled; the NIC is {} ({})",
                others.join(", "),
                config.name,
                nic.ip
            ));
        }
        let vm_id = item.node.reference("virtualMachine");
        let (vm_key, vm_name) = match vm_id.and_then(ResourceId::parse) {
            Some(id) => (id.key(), id.name().to_string()),
            None => (item.key.to_string(), nic_name.clone()),
        };
        let (rg, _) = placement(&item);
        candidates.push(Candidate {
            vm_key,
            vm_name,
            rg: rg.unwrap_or_default(),
            nic,
            primary: item.node.bool("primary").unwrap_or(false),
            appliance_tag: item.node.tag(APPLIANCE_TAG).map(str::to_string),
        });
    }
    // Group NICs by VM, in the order VMs first appear; the primary NIC goes first.
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<Candidate>> = HashMap::new();
    for candidate in candidates {
        if !groups.contains_key(&candidate.vm_key) {
            order.push(candidate.vm_key.clone());
        }
        groups
            .entry(candidate.vm_key.clone())
            .or_default()
            .push(candidate);
    }
    for key in order {
        let mut nics = groups.remove(&key).unwrap_or_default();
        nics.sort_by_key(|c| !c.primary);
        let Some(first) = nics.first() else { continue };
        let name = builder.endpoint_names.claim(&first.vm_name, &[&first.rg]);
        let vnet = first.nic.subnet.vnet.clone();
        let appliance_tag = nics.iter().find_map(|c| c.appliance_tag.clone());
        let mut vm = Vm {
            name: name.clone(),
            nics: Vec::new(),
            appliance: None,
        };
        for candidate in nics {
            if candidate.nic.subnet.vnet != vnet {
                builder.report.note(format!(
                    "VM `{name}`: a NIC in `{}` was left out; Azure keeps all NICs of a VM in one VNet (`{vnet}`)",
                    candidate.nic.subnet
                ));
                continue;
            }
            vm.nics.push(candidate.nic);
        }
        vm.appliance = appliance_for(&vm, appliance_tag.as_deref(), builder);
        builder.design.vms.push(vm);
    }
}

/// The NIC an IP configuration describes, or `None` with a line saying why.
fn nic_from_config(
    item: &Item<'_>,
    nic_name: &str,
    config: &IpConfig<'_>,
    builder: &mut Builder,
) -> Option<Nic> {
    let Some(subnet_id) = config.subnet_id else {
        builder
            .report
            .note(format!("NIC `{nic_name}` names no subnet and was left out"));
        return None;
    };
    let subnet = Builder::resolve(
        &mut builder.report,
        &builder.left_out,
        &builder.present,
        &builder.subnets,
        subnet_id,
        || format!("NIC `{nic_name}`: subnet"),
        "the NIC was left out",
    )?;
    let ip = match config.ip.map(parse_ip) {
        Some(Ok(ip)) => ip,
        Some(Err(why)) => {
            builder
                .report
                .note(format!("NIC `{nic_name}` was left out: {why}"));
            return None;
        }
        None => {
            builder.report.note(format!(
                "NIC `{nic_name}` has no private IP address and was left out"
            ));
            return None;
        }
    };
    if !builder
        .design
        .subnet(&subnet)
        .is_some_and(|s| s.contains(ip))
    {
        builder.report.note(format!(
            "NIC `{nic_name}` was left out: its IP {ip} is outside its subnet `{subnet}`"
        ));
        return None;
    }
    let nsg = item.node.reference("networkSecurityGroup").and_then(|id| {
        Builder::resolve(
            &mut builder.report,
            &builder.left_out,
            &builder.present,
            &builder.nsgs,
            id,
            || format!("NIC `{nic_name}`: NSG"),
            "the NIC is imported without it",
        )
    });
    let mut asgs: Vec<String> = Vec::new();
    for id in &config.asgs {
        let found = Builder::resolve(
            &mut builder.report,
            &builder.left_out,
            &builder.present,
            &builder.asgs,
            id,
            || format!("NIC `{nic_name}`: application security group"),
            "the NIC is imported without that membership",
        );
        if let Some(name) = found
            && !asgs.contains(&name)
        {
            asgs.push(name);
        }
    }
    Some(Nic {
        subnet,
        ip,
        nsg,
        ip_forwarding: item.node.bool("enableIPForwarding").unwrap_or(false),
        asgs,
    })
}

/// The appliance a VM is: from the vnetlab tag when present, else a stateless NVA when a NIC
/// forwards (the usual reason to turn IP forwarding on), else none.
fn appliance_for(vm: &Vm, tag: Option<&str>, builder: &mut Builder) -> Option<Appliance> {
    match tag.map(str::trim) {
        Some(text) if text.eq_ignore_ascii_case("none") => None,
        Some(text) => match serde_json::from_str::<Appliance>(text) {
            Ok(appliance) => Some(appliance),
            Err(e) => {
                builder.report.note(format!(
                    "VM `{}`: the `{APPLIANCE_TAG}` tag is not readable ({e}); imported without appliance settings",
                    vm.name
                ));
                None
            }
        },
        None if vm.nics.iter().any(|n| n.ip_forwarding) => {
            builder.report.note(format!(
                "VM `{}` has IP forwarding on; imported as a generic NVA that forwards everything (stateless); \
                 mark it stateful or a firewall in the design if it is one",
                vm.name
            ));
            Some(Appliance::nva())
        }
        None => None,
    }
}

pub(super) fn import_firewalls(inventory: &Inventory<'_>, builder: &mut Builder) {
    for item in inventory.items(&inventory.firewalls) {
        let fw_name = clean(resource_name(&item));
        let configs: Vec<IpConfig<'_>> = ip_configs(&item);
        let Some(config) = configs
            .iter()
            .find(|c| c.ip.is_some() && c.subnet_id.is_some())
        else {
            builder.report.note(format!(
                "Azure Firewall `{fw_name}` has no private IP in a VNet (a Virtual WAN hub firewall?) and was left out"
            ));
            continue;
        };
        let Some(mut nic) = nic_from_config(&item, &fw_name, config, builder) else {
            continue;
        };
        nic.ip_forwarding = true;
        let (rg, _) = placement(&item);
        let name = builder
            .endpoint_names
            .claim(&fw_name, &[rg.as_deref().unwrap_or("")]);
        let mut appliance = Appliance::firewall();
        appliance.rules = firewall_rules(&item, &name, builder);
        if appliance.rules.is_empty() {
            builder.report.note(format!(
                "Azure Firewall `{name}` has no classic network rules in the export (firewall policy rules are not \
                 imported), so it denies all forwarded traffic; add rules to its appliance in the design"
            ));
        }
        builder.design.vms.push(Vm {
            name,
            nics: vec![nic],
            appliance: Some(appliance),
        });
    }
}

/// Classic network rule collections, by collection priority, as ordered appliance rules.
fn firewall_rules(item: &Item<'_>, firewall: &str, builder: &mut Builder) -> Vec<ApplianceRule> {
    let mut collections = item.node.nodes("networkRuleCollections");
    collections.sort_by_key(|c| c.u64("priority").unwrap_or(u64::MAX));
    let mut rules = Vec::new();
    let mut truncated = false;
    for collection in collections {
        let action = match collection.node("action").and_then(|a| a.str("type")) {
            Some(t) if t.eq_ignore_ascii_case("Deny") => Access::Deny,
            _ => Access::Allow,
        };
        let collection_name = collection.str("name").unwrap_or("collection");
        for rule in collection.nodes("rules") {
            if truncated {
                break;
            }
            let rule_name = format!("{collection_name}/{}", rule.str("name").unwrap_or("rule"));
            if !rule.strings("sourceIpGroups").is_empty()
                || !rule.strings("destinationIpGroups").is_empty()
                || !rule.strings("destinationFqdns").is_empty()
            {
                builder.report.note(format!(
                    "Azure Firewall `{firewall}` rule `{rule_name}` uses IP groups or FQDNs, which vnetlab does not \
                     model; it was left out"
                ));
                continue;
            }
            let addresses = |key: &str| -> Result<Vec<AddressMatch>, String> {
                let texts = rule.strings(key);
                if texts.is_empty() {
                    return Ok(vec![AddressMatch::Any]);
                }
                texts
                    .iter()
                    .map(|t| t.parse::<AddressMatch>().map_err(|e| e.to_string()))
                    .collect()
            };
            let protocols: Vec<Option<Protocol>> = match rule.strings("protocols") {
                list if list.is_empty() => vec![Some(Protocol::Any)],
                list => list.iter().map(|p| parse_protocol(p)).collect(),
            };
            let ports: Result<Vec<PortRange>, String> = match rule.strings("destinationPorts") {
                list if list.is_empty() => Ok(vec![PortRange::ALL]),
                list => list
                    .iter()
                    .map(|p| p.parse::<PortRange>().map_err(|e| e.to_string()))
                    .collect(),
            };
            let (sources, destinations, ports) = match (
                addresses("sourceAddresses"),
                addresses("destinationAddresses"),
                ports,
            ) {
                (Ok(s), Ok(d), Ok(p)) if protocols.iter().all(Option::is_some) => (s, d, p),
                _ => {
                    builder.report.note(format!(
                            "Azure Firewall `{firewall}` rule `{rule_name}` has an address, protocol or port vnetlab \
                             cannot read; it was left out"
                        ));
                    continue;
                }
            };
            // Lazily, so a hostile rule with huge lists stops at the cap instead of spinning.
            let (destinations, protocols, ports) = (&destinations, &protocols, &ports);
            let expanded = sources.iter().flat_map(|source| {
                destinations.iter().flat_map(move |destination| {
                    protocols.iter().flatten().flat_map(move |protocol| {
                        ports
                            .iter()
                            .map(move |port| (source, destination, *protocol, *port))
                    })
                })
            });
            for (source, destination, protocol, ports) in expanded {
                if rules.len() >= MAX_FIREWALL_RULES {
                    truncated = true;
                    break;
                }
                rules.push(ApplianceRule {
                    name: rule_name.clone(),
                    action,
                    source: source.clone(),
                    destination: destination.clone(),
                    protocol,
                    ports,
                });
            }
        }
        if truncated {
            break;
        }
    }
    if truncated {
        builder.report.note(format!(
            "Azure Firewall `{firewall}`: its rules expand to more than {MAX_FIREWALL_RULES} appliance rules; the rest were left out"
        ));
    }
    rules
}

/// The first usable address of the first IPv4 prefix (a site's representative host).
pub(super) fn first_usable(texts: &[&str]) -> Option<Ipv4Addr> {
    let (nets, _, _) = ipv4_prefixes(texts);
    nets.first()
        .map(|n| n.hosts().next().unwrap_or(n.network()))
}
