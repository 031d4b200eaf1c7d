//! NSGs and route tables as ARM resources: rules with Azure's singular/plural field
//! convention, the six default rules as Azure lists them, routes with REST next-hop names.

use super::place::Ids;
use crate::model::{
    AddressMatch, NextHop, Nsg, NsgRule, PortRange, RouteTable, canonical_addresses,
    canonical_ports, default_rules,
};
use serde_json::{Map, Value, json};

/// One NSG with its custom rules and the six default rules.
pub(super) fn nsg_resource(nsg: &Nsg, ids: &Ids<'_>) -> Value {
    let place = ids.nsg_place(&nsg.name);
    let id = ids.nsg_id(&nsg.name);
    let rule = |r: &NsgRule, kind: &str| {
        let mut properties = Map::new();
        properties.insert("priority".into(), json!(r.priority));
        properties.insert("direction".into(), json!(format!("{:?}", r.direction)));
        properties.insert("access".into(), json!(format!("{:?}", r.access)));
        properties.insert("protocol".into(), json!(r.protocol.azure_name()));
        for (side, addresses, asgs) in [
            ("source", &r.source, &r.source_asgs),
            ("destination", &r.destination, &r.destination_asgs),
        ] {
            if asgs.is_empty() {
                address_fields(&mut properties, side, addresses);
            } else {
                let refs: Vec<Value> = asgs
                    .iter()
                    .map(|a| json!({ "id": ids.asg_id(a) }))
                    .collect();
                properties.insert(format!("{side}ApplicationSecurityGroups"), json!(refs));
            }
        }
        port_fields(&mut properties, "source", &r.source_ports);
        port_fields(&mut properties, "destination", &r.destination_ports);
        if let Some(description) = &r.description {
            properties.insert("description".into(), json!(description));
        }
        json!({
            "id": format!("{id}/{kind}/{}", r.name),
            "name": r.name,
            "type": format!("Microsoft.Network/networkSecurityGroups/{kind}"),
            "properties": properties,
        })
    };
    json!({
        "id": id,
        "name": nsg.name,
        "type": "Microsoft.Network/networkSecurityGroups",
        "location": place.location,
        "properties": {
            "securityRules": nsg.rules.iter().map(|r| rule(r, "securityRules")).collect::<Vec<_>>(),
            "defaultSecurityRules": default_rules().iter().map(|r| rule(r, "defaultSecurityRules")).collect::<Vec<_>>(),
        }
    })
}

/// One route table with its routes.
pub(super) fn route_table_resource(table: &RouteTable, ids: &Ids<'_>) -> Value {
    let id = ids.route_table_id(&table.name);
    let routes: Vec<Value> = table
        .routes
        .iter()
        .map(|route| {
            let mut properties = Map::new();
            properties.insert("addressPrefix".into(), json!(route.prefix.to_string()));
            properties.insert("nextHopType".into(), json!(route.next_hop.type_name()));
            if let NextHop::VirtualAppliance(ip) = route.next_hop {
                properties.insert("nextHopIpAddress".into(), json!(ip.to_string()));
            }
            json!({
                "id": format!("{id}/routes/{}", route.name),
                "name": route.name,
                "type": "Microsoft.Network/routeTables/routes",
                "properties": properties,
            })
        })
        .collect();
    json!({
        "id": id,
        "name": table.name,
        "type": "Microsoft.Network/routeTables",
        "location": ids.route_table_place(&table.name).location,
        "properties": {
            "disableBgpRoutePropagation": !table.propagate_gateway_routes,
            "routes": routes,
        }
    })
}

/// The singular field for one address, the plural one for several, as Azure does.
/// The addresses in their canonical form ([`canonical_addresses`]), which is how they import.
fn address_fields(properties: &mut Map<String, Value>, side: &str, addresses: &[AddressMatch]) {
    let texts: Vec<String> = canonical_addresses(addresses)
        .iter()
        .map(ToString::to_string)
        .collect();
    match texts.as_slice() {
        [one] => properties.insert(format!("{side}AddressPrefix"), json!(one)),
        _ => properties.insert(format!("{side}AddressPrefixes"), json!(texts)),
    };
}

/// The ports in their canonical form ([`canonical_ports`]), which is how they import.
fn port_fields(properties: &mut Map<String, Value>, side: &str, ports: &[PortRange]) {
    let texts: Vec<String> = canonical_ports(ports)
        .iter()
        .map(ToString::to_string)
        .collect();
    match texts.as_slice() {
        [one] => properties.insert(format!("{side}PortRange"), json!(one)),
        _ => properties.insert(format!("{side}PortRanges"), json!(texts)),
    };
}
