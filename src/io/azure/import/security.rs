//! NSGs (custom rules; the six default rules recognised and not duplicated) and route tables
//! (routes with next-hop spellings normalised).

use super::names::{Namer, clean};
use super::{Builder, Inventory, Item, key_of, placement, resource_name};
use crate::model::{
    Access, AddressMatch, Direction, NextHop, Nsg, NsgRule, PortRange, Protocol, Route, RouteTable,
    canonical_addresses, canonical_ports, default_rules, parse_cidr, parse_ip,
};
use ipnet::Ipv4Net;
use std::collections::HashMap;

/// Children given inline or as their own resources, grouped by their parent's key, each group in
/// first-seen order.
pub(super) fn children_by_parent<'a>(
    inventory: &'a Inventory<'a>,
    list: &'a [usize],
) -> HashMap<String, Vec<Item<'a>>> {
    let mut groups: HashMap<String, Vec<Item<'a>>> = HashMap::new();
    for child in inventory.items(list) {
        if let Some(parent) = child
            .parent
            .map(str::to_string)
            .or_else(|| parent_from_id(&child))
        {
            groups.entry(parent).or_default().push(child);
        }
    }
    groups
}

/// A child's parent key from its own ID.
pub(super) fn parent_from_id(item: &Item<'_>) -> Option<String> {
    item.node
        .str("id")
        .and_then(super::ResourceId::parse)
        .and_then(|id| id.parent())
        .map(|p| p.key())
}

pub(super) fn import_nsgs(inventory: &Inventory<'_>, builder: &mut Builder) {
    let mut names = Namer::default();
    let mut rules_of = children_by_parent(inventory, &inventory.nsg_rules);
    for item in inventory.items(&inventory.nsgs) {
        let (rg, sub) = placement(&item);
        let name = names.claim(
            resource_name(&item),
            &[rg.as_deref().unwrap_or(""), sub.as_deref().unwrap_or("")],
        );
        let mut nsg = Nsg::new(name.clone());
        let mut rule_names = Namer::default();
        for rule in rules_of.remove(item.key).unwrap_or_default() {
            if let Some(mut converted) = convert_rule(&rule, &name, builder) {
                converted.name = rule_names.claim(&converted.name, &[]);
                nsg.rules.push(converted);
            }
        }
        builder.nsgs.insert(item.key.to_string(), name);
        builder.design.nsgs.push(nsg);
    }
    for rule in rules_of.into_values().flatten() {
        builder.report.missing(format!(
            "NSG rule `{}`: its NSG is not in the export (the rule was left out)",
            resource_name(&rule)
        ));
    }
}

/// One security rule, or `None` (with a note) when vnetlab cannot represent it faithfully.
fn convert_rule(rule: &Item<'_>, nsg: &str, builder: &mut Builder) -> Option<NsgRule> {
    let node = rule.node;
    let name = clean(resource_name(rule));
    // An end named by ASGs matches their NICs; its address fields are then absent (`*`).
    let asgs_of = |side: &str| -> Result<Vec<String>, String> {
        let mut names: Vec<String> = Vec::new();
        for asg in node.nodes(&format!("{side}ApplicationSecurityGroups")) {
            let Some(id) = asg.str("id") else { continue };
            let known = builder.asgs.get(&key_of(id)).cloned();
            match known {
                Some(name) if !names.contains(&name) => names.push(name),
                Some(_) => {}
                None => {
                    return Err(format!(
                        "its {side} names application security group {} which is not in the export",
                        id.trim()
                    ));
                }
            }
        }
        Ok(names)
    };
    let asg_lists = (asgs_of("source"), asgs_of("destination"));
    let mut skip = |why: String| {
        builder
            .report
            .note(format!("NSG `{nsg}` rule `{name}` was left out: {why}"));
        None
    };
    let priority = node.u64("priority").and_then(|p| u32::try_from(p).ok());
    let Some(priority) = priority else {
        return skip("it has no priority that is a whole number".to_string());
    };
    if priority >= 65000
        && default_rules()
            .iter()
            .any(|d| d.name.eq_ignore_ascii_case(&name))
    {
        // A default rule listed among the custom ones: the model implies it already.
        return None;
    }
    let direction = match node
        .str("direction")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("inbound") => Direction::Inbound,
        Some("outbound") => Direction::Outbound,
        other => {
            return skip(format!(
                "its direction `{}` is not Inbound or Outbound",
                other.unwrap_or("")
            ));
        }
    };
    let access = match node.str("access").map(str::to_ascii_lowercase).as_deref() {
        Some("allow") => Access::Allow,
        Some("deny") => Access::Deny,
        other => {
            return skip(format!(
                "its access `{}` is not Allow or Deny",
                other.unwrap_or("")
            ));
        }
    };
    let protocol_text = node.str("protocol").unwrap_or("*");
    let Some(protocol) = parse_protocol(protocol_text) else {
        return skip(format!(
            "its protocol `{protocol_text}` is not one Azure NSGs use"
        ));
    };
    let (source_asgs, destination_asgs) = match asg_lists {
        (Ok(s), Ok(d)) => (s, d),
        (Err(why), _) | (_, Err(why)) => return skip(why),
    };
    let addresses = |side: &str, by_asg: bool| -> Result<Vec<AddressMatch>, String> {
        let texts: Vec<&str> = union(
            node.strings(&format!("{side}AddressPrefix")),
            node.strings(&format!("{side}AddressPrefixes")),
        );
        if texts.is_empty() || by_asg {
            return Ok(vec![AddressMatch::Any]);
        }
        let ipv4: Vec<&str> = texts.iter().copied().filter(|t| !t.contains(':')).collect();
        if ipv4.is_empty() {
            return Err(format!(
                "its {side} addresses are IPv6 only, and vnetlab models IPv4"
            ));
        }
        // `0.0.0.0/0` stays a CIDR: an address written in a rule is an explicit allow, which
        // `*` is not (azure-semantics.md §3.5).
        let matches = ipv4
            .into_iter()
            .map(str::parse::<AddressMatch>)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        Ok(canonical_addresses(&matches))
    };
    let source = match addresses("source", !source_asgs.is_empty()) {
        Ok(s) => s,
        Err(why) => return skip(why),
    };
    let destination = match addresses("destination", !destination_asgs.is_empty()) {
        Ok(d) => d,
        Err(why) => return skip(why),
    };
    let ports = |side: &str| -> Result<Vec<PortRange>, String> {
        let texts = union(
            node.strings(&format!("{side}PortRange")),
            node.strings(&format!("{side}PortRanges")),
        );
        let mut ranges = Vec::new();
        for text in texts {
            ranges.push(text.parse::<PortRange>().map_err(|e| e.to_string())?);
        }
        Ok(if ranges.is_empty() {
            vec![PortRange::ALL]
        } else {
            canonical_ports(&ranges)
        })
    };
    let (source_ports, destination_ports) = match (ports("source"), ports("destination")) {
        (Ok(s), Ok(d)) => (s, d),
        (Err(why), _) | (_, Err(why)) => return skip(why),
    };
    Some(NsgRule {
        name,
        priority,
        direction,
        access,
        protocol,
        source,
        source_asgs,
        source_ports,
        destination,
        destination_asgs,
        destination_ports,
        description: node
            .str("description")
            .filter(|d| !d.is_empty())
            .map(str::to_string),
    })
}

/// Azure's protocol names (`*`, `Tcp`, …; effective views print `All`).
pub(super) fn parse_protocol(text: &str) -> Option<Protocol> {
    Some(match text.trim().to_ascii_lowercase().as_str() {
        "*" | "any" | "all" => Protocol::Any,
        "tcp" => Protocol::Tcp,
        "udp" => Protocol::Udp,
        "icmp" => Protocol::Icmp,
        "esp" => Protocol::Esp,
        "ah" => Protocol::Ah,
        _ => return None,
    })
}

/// The singular and plural forms of a field together, without repeats or empty strings.
fn union<'a>(singular: Vec<&'a str>, plural: Vec<&'a str>) -> Vec<&'a str> {
    let mut all: Vec<&str> = Vec::new();
    for text in singular.into_iter().chain(plural) {
        let text = text.trim();
        if !text.is_empty() && !all.contains(&text) {
            all.push(text);
        }
    }
    all
}

pub(super) fn import_route_tables(inventory: &Inventory<'_>, builder: &mut Builder) {
    let mut names = Namer::default();
    let mut routes_of = children_by_parent(inventory, &inventory.routes);
    for item in inventory.items(&inventory.route_tables) {
        let (rg, sub) = placement(&item);
        let name = names.claim(
            resource_name(&item),
            &[rg.as_deref().unwrap_or(""), sub.as_deref().unwrap_or("")],
        );
        let mut table = RouteTable::new(name.clone());
        table.propagate_gateway_routes = !item
            .node
            .bool("disableBgpRoutePropagation")
            .unwrap_or(false);
        let mut route_names = Namer::default();
        for route in routes_of.remove(item.key).unwrap_or_default() {
            let route_name = clean(resource_name(&route));
            match convert_route(&route) {
                Ok((prefix, next_hop)) => table.routes.push(Route {
                    name: route_names.claim(&route_name, &[]),
                    prefix,
                    next_hop,
                }),
                Err(why) => builder.report.note(format!(
                    "route table `{name}` route `{route_name}` was left out: {why}"
                )),
            }
        }
        builder.route_tables.insert(item.key.to_string(), name);
        builder.design.route_tables.push(table);
    }
    for route in routes_of.into_values().flatten() {
        builder.report.missing(format!(
            "route `{}`: its route table is not in the export (the route was left out)",
            resource_name(&route)
        ));
    }
}

fn convert_route(route: &Item<'_>) -> Result<(Ipv4Net, NextHop), String> {
    let node = route.node;
    let prefix_text = node.str("addressPrefix").unwrap_or("").trim();
    if prefix_text.contains(':') {
        return Err(format!(
            "its prefix `{prefix_text}` is IPv6, and vnetlab models IPv4"
        ));
    }
    if prefix_text.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(format!(
            "its prefix is the service tag `{prefix_text}`, which vnetlab does not expand into addresses"
        ));
    }
    let prefix = parse_cidr(prefix_text)?;
    let hop_text = node.str("nextHopType").unwrap_or("");
    let next_hop = match normalise_next_hop(hop_text) {
        Some("VirtualAppliance") => {
            let ip_text = node.str("nextHopIpAddress").unwrap_or("");
            NextHop::VirtualAppliance(parse_ip(ip_text)?)
        }
        Some("VirtualNetworkGateway") => NextHop::VirtualNetworkGateway,
        Some("VnetLocal") => NextHop::VnetLocal,
        Some("Internet") => NextHop::Internet,
        Some("None") => NextHop::None,
        _ => {
            return Err(format!(
                "its next hop type `{hop_text}` is not one a route can name"
            ));
        }
    };
    Ok((prefix, next_hop))
}

/// The REST spelling of a next-hop type written any way Azure tools write it
/// (azure-semantics.md §2.6: `VNetLocal`, classic `VNETLocal`, `VPNGateway`, `Null`, …).
pub(super) fn normalise_next_hop(text: &str) -> Option<&'static str> {
    let folded: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    Some(match folded.as_str() {
        "virtualappliance" => "VirtualAppliance",
        "virtualnetworkgateway" | "vpngateway" => "VirtualNetworkGateway",
        "vnetlocal" | "virtualnetwork" => "VnetLocal",
        "internet" => "Internet",
        "none" | "null" => "None",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_hop_spellings_normalise() {
        for (text, expected) in [
            ("VnetLocal", "VnetLocal"),
            ("VNetLocal", "VnetLocal"),
            ("VNETLocal", "VnetLocal"),
            ("Virtual network", "VnetLocal"),
            ("VPNGateway", "VirtualNetworkGateway"),
            ("Virtual appliance", "VirtualAppliance"),
            ("Null", "None"),
        ] {
            assert_eq!(normalise_next_hop(text), Some(expected), "{text}");
        }
        assert_eq!(normalise_next_hop("VNetPeering"), None);
    }
}
