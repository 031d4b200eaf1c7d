//! azurerm VNets (with inline `subnet` blocks), subnets, peerings, route tables (with inline
//! `route` blocks) and routes, NSGs (with inline `security_rule` blocks) and rules, and the
//! subnet associations, as ARM-shaped resources.

use super::document::PathStep;
use super::translate::{Translator, field, field_strings, path};
use crate::io::azure::ids::key_of;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Whether text is an ARM resource ID (so an unrelated string found through a reference is not
/// taken for one).
pub fn is_id(text: &str) -> bool {
    crate::io::azure::ResourceId::parse(text).is_some()
}

/// Whether text is an IPv4 address.
pub fn is_ip(text: &str) -> bool {
    text.parse::<std::net::Ipv4Addr>().is_ok()
}

impl Translator<'_, '_> {
    /// An ID-valued attribute: known, or found through the configuration.
    pub(super) fn reference(&self, i: usize, steps: &[PathStep<'_>]) -> Option<String> {
        self.string(i, steps).filter(|s| is_id(s))
    }

    /// `location`, as the location name Azure uses (`East US` → `eastus`).
    pub(super) fn location(&self, i: usize) -> Option<String> {
        self.string(i, &path(&["location"])).map(|l| {
            l.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase()
        })
    }

    pub(super) fn virtual_network(&mut self, i: usize) {
        let name = self.name(i);
        let Some(id) = self.id_of(i) else {
            self.unresolved(i, "resource_group_name", "the VNet was left out");
            return;
        };
        let space = self
            .strings(i, &path(&["address_space"]))
            .unwrap_or_default();
        if space.is_empty() {
            self.unresolved(i, "address_space", "the VNet was left out");
            return;
        }
        let mut subnets = Vec::new();
        let blocks: Vec<Value> = self
            .known(i, &path(&["subnet"]))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for block in &blocks {
            let Some(subnet_name) = field(block, "name") else {
                continue;
            };
            let mut prefixes = field_strings(block, "address_prefixes");
            prefixes.extend(field_strings(block, "address_prefix"));
            let mut properties = Map::new();
            properties.insert("addressPrefixes".into(), json!(prefixes));
            if let Some(nsg) = field(block, "security_group").filter(|s| !s.is_empty()) {
                properties.insert("networkSecurityGroup".into(), json!({ "id": nsg }));
            }
            if let Some(table) = field(block, "route_table_id").filter(|s| !s.is_empty()) {
                properties.insert("routeTable".into(), json!({ "id": table }));
            }
            subnets.push(json!({
                "id": field(block, "id").unwrap_or(&format!("{id}/subnets/{subnet_name}")),
                "name": subnet_name,
                "properties": properties,
            }));
        }
        let resource = json!({
            "id": id,
            "name": name,
            "type": "Microsoft.Network/virtualNetworks",
            "location": self.location(i),
            "properties": {
                "addressSpace": { "addressPrefixes": space },
                "subnets": subnets,
            }
        });
        self.emit(i, resource);
    }

    pub(super) fn subnet(&mut self, i: usize) {
        let name = self.name(i);
        let Some(id) = self.id_of(i) else {
            self.unresolved(i, "virtual_network_name", "the subnet was left out");
            return;
        };
        let mut prefixes = self
            .strings(i, &path(&["address_prefixes"]))
            .unwrap_or_default();
        prefixes.extend(self.string(i, &path(&["address_prefix"])));
        if prefixes.is_empty() {
            self.unresolved(i, "address_prefixes", "the subnet was left out");
            return;
        }
        self.emit(
            i,
            json!({
                "id": id,
                "name": name,
                "type": "Microsoft.Network/virtualNetworks/subnets",
                "properties": { "addressPrefixes": prefixes },
            }),
        );
    }

    pub(super) fn peering(&mut self, i: usize) {
        let name = self.name(i);
        let Some(id) = self.id_of(i) else {
            self.unresolved(i, "virtual_network_name", "the peering was left out");
            return;
        };
        let Some(remote) = self.reference(i, &path(&["remote_virtual_network_id"])) else {
            self.unresolved(i, "remote_virtual_network_id", "the peering was left out");
            return;
        };
        let flag = |key: &'static str, default: bool| {
            self.known(i, &path(&[key]))
                .and_then(Value::as_bool)
                .unwrap_or(default)
        };
        let mut properties = Map::new();
        properties.insert(
            "allowVirtualNetworkAccess".into(),
            json!(flag("allow_virtual_network_access", true)),
        );
        properties.insert(
            "allowForwardedTraffic".into(),
            json!(flag("allow_forwarded_traffic", false)),
        );
        properties.insert(
            "allowGatewayTransit".into(),
            json!(flag("allow_gateway_transit", false)),
        );
        properties.insert(
            "useRemoteGateways".into(),
            json!(flag("use_remote_gateways", false)),
        );
        properties.insert("remoteVirtualNetwork".into(), json!({ "id": remote }));
        if !flag("peer_complete_virtual_networks_enabled", true) {
            properties.insert("peerCompleteVnets".into(), json!(false));
            for (tf, arm) in [
                ("local_subnet_names", "localSubnetNames"),
                ("remote_subnet_names", "remoteSubnetNames"),
            ] {
                let names = self.strings(i, &path(&[tf])).unwrap_or_default();
                properties.insert(arm.into(), json!(names));
            }
        }
        self.emit(
            i,
            json!({
                "id": id,
                "name": name,
                "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
                "properties": properties,
            }),
        );
    }

    pub(super) fn route_table(&mut self, i: usize) {
        let name = self.name(i);
        let Some(id) = self.id_of(i) else {
            self.unresolved(i, "resource_group_name", "the route table was left out");
            return;
        };
        let propagation_off = match self
            .known(i, &path(&["bgp_route_propagation_enabled"]))
            .and_then(Value::as_bool)
        {
            Some(enabled) => !enabled,
            None => self
                .known(i, &path(&["disable_bgp_route_propagation"]))
                .and_then(Value::as_bool)
                .unwrap_or(false),
        };
        let count = self
            .known(i, &path(&["route"]))
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let mut routes = Vec::new();
        for n in 0..count {
            let at = |key: &'static str| {
                [
                    PathStep::Key("route"),
                    PathStep::Index(n),
                    PathStep::Key(key),
                ]
            };
            if let Some(route) = self.route_properties(
                i,
                &at("name"),
                &at("address_prefix"),
                &at("next_hop_type"),
                &at("next_hop_in_ip_address"),
            ) {
                let route_name = route.0;
                routes.push(json!({
                    "id": format!("{id}/routes/{route_name}"),
                    "name": route_name,
                    "properties": route.1,
                }));
            }
        }
        self.emit(
            i,
            json!({
                "id": id,
                "name": name,
                "type": "Microsoft.Network/routeTables",
                "location": self.location(i),
                "properties": {
                    "disableBgpRoutePropagation": propagation_off,
                    "routes": routes,
                }
            }),
        );
    }

    /// A route's name and ARM properties; `None` (with a placeholder line) when its prefix or
    /// appliance address is unknown.
    fn route_properties(
        &mut self,
        i: usize,
        name: &[PathStep<'_>],
        prefix: &[PathStep<'_>],
        hop: &[PathStep<'_>],
        hop_ip: &[PathStep<'_>],
    ) -> Option<(String, Map<String, Value>)> {
        let address = self.instance(i).address;
        let route_name = self.string(i, name).unwrap_or_else(|| "route".to_string());
        let Some(prefix) = self.string(i, prefix) else {
            self.placeholder(format!(
                "`{address}` route `{route_name}`: its address prefix is unknown until apply; the route was left out"
            ));
            return None;
        };
        let hop = self.string(i, hop).unwrap_or_default();
        let mut properties = Map::new();
        properties.insert("addressPrefix".into(), json!(prefix));
        properties.insert("nextHopType".into(), json!(hop));
        if hop.eq_ignore_ascii_case("VirtualAppliance") {
            let ip = self.string(i, hop_ip).filter(|s| super::network::is_ip(s));
            match ip {
                Some(ip) => {
                    properties.insert("nextHopIpAddress".into(), json!(ip));
                }
                None => {
                    self.placeholder(format!(
                        "`{address}` route `{route_name}`: the appliance address is unknown until apply and the plan does not say which resource it comes from; the route was left out"
                    ));
                    return None;
                }
            }
        }
        Some((route_name, properties))
    }

    pub(super) fn route(&mut self, i: usize) {
        let Some(id) = self.id_of(i) else {
            self.unresolved(i, "route_table_name", "the route was left out");
            return;
        };
        let Some((name, properties)) = self.route_properties(
            i,
            &path(&["name"]),
            &path(&["address_prefix"]),
            &path(&["next_hop_type"]),
            &path(&["next_hop_in_ip_address"]),
        ) else {
            return;
        };
        self.emit(
            i,
            json!({
                "id": id,
                "name": name,
                "type": "Microsoft.Network/routeTables/routes",
                "properties": properties,
            }),
        );
    }

    pub(super) fn security_group(&mut self, i: usize) {
        let name = self.name(i);
        let Some(id) = self.id_of(i) else {
            self.unresolved(i, "resource_group_name", "the NSG was left out");
            return;
        };
        let rules: Vec<Value> = self
            .known(i, &path(&["security_rule"]))
            .and_then(Value::as_array)
            .map(|blocks| {
                blocks
                    .iter()
                    .filter_map(|b| {
                        let rule_name = field(b, "name")?;
                        Some(json!({
                            "id": format!("{id}/securityRules/{rule_name}"),
                            "name": rule_name,
                            "properties": rule_properties(b),
                        }))
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.emit(
            i,
            json!({
                "id": id,
                "name": name,
                "type": "Microsoft.Network/networkSecurityGroups",
                "location": self.location(i),
                "properties": { "securityRules": rules },
            }),
        );
    }

    pub(super) fn security_rule(&mut self, i: usize) {
        let name = self.name(i);
        let Some(id) = self.id_of(i) else {
            self.unresolved(i, "network_security_group_name", "the rule was left out");
            return;
        };
        let values = Value::Object(self.instance(i).values.clone());
        self.emit(
            i,
            json!({
                "id": id,
                "name": name,
                "type": "Microsoft.Network/networkSecurityGroups/securityRules",
                "properties": rule_properties(&values),
            }),
        );
    }

    /// Applies subnet ↔ NSG / route table and NIC ↔ NSG associations to the emitted resources.
    pub(super) fn associations(&mut self, associations: &[usize]) {
        let mut subnets: HashMap<String, (usize, Option<usize>)> = HashMap::new();
        let mut nics: HashMap<String, usize> = HashMap::new();
        for (at, resource) in self.out.resources.iter().enumerate() {
            let kind = resource.get("type").and_then(Value::as_str).unwrap_or("");
            let id = resource.get("id").and_then(Value::as_str).map(key_of);
            match (kind, id) {
                ("Microsoft.Network/virtualNetworks/subnets", Some(id)) => {
                    subnets.insert(id, (at, None));
                }
                ("Microsoft.Network/networkInterfaces", Some(id)) => {
                    nics.insert(id, at);
                }
                ("Microsoft.Network/virtualNetworks", _) => {
                    let inline = resource
                        .pointer("/properties/subnets")
                        .and_then(Value::as_array);
                    for (n, subnet) in inline.into_iter().flatten().enumerate() {
                        if let Some(id) = subnet.get("id").and_then(Value::as_str) {
                            subnets.entry(key_of(id)).or_insert((at, Some(n)));
                        }
                    }
                }
                _ => {}
            }
        }
        for &i in associations {
            let kind = self.instance(i).kind;
            let (target_field, link_field, arm_field) = match kind {
                "azurerm_subnet_network_security_group_association" => (
                    "subnet_id",
                    "network_security_group_id",
                    "networkSecurityGroup",
                ),
                "azurerm_subnet_route_table_association" => {
                    ("subnet_id", "route_table_id", "routeTable")
                }
                _ => (
                    "network_interface_id",
                    "network_security_group_id",
                    "networkSecurityGroup",
                ),
            };
            let target = self.reference(i, &path(&[target_field]));
            let link = self.reference(i, &path(&[link_field]));
            let missing = if target.is_none() {
                target_field
            } else {
                link_field
            };
            let (Some(target), Some(link)) = (target, link) else {
                self.unresolved(i, missing, "the association was left out");
                continue;
            };
            let slot = if target_field == "subnet_id" {
                subnets.get(&key_of(&target)).map(|&(at, inline)| {
                    let resource = &mut self.out.resources[at];
                    match inline {
                        Some(n) => {
                            resource.pointer_mut(&format!("/properties/subnets/{n}/properties"))
                        }
                        None => resource.pointer_mut("/properties"),
                    }
                })
            } else {
                nics.get(&key_of(&target))
                    .map(|&at| self.out.resources[at].pointer_mut("/properties"))
            };
            match slot.flatten().and_then(Value::as_object_mut) {
                Some(properties) => {
                    properties.insert(arm_field.into(), json!({ "id": link }));
                }
                None => {
                    let address = self.instance(i).address;
                    self.note(format!(
                        "`{address}`: {target} is not in the plan, so the association was left out"
                    ));
                }
            }
        }
    }
}

/// An NSG rule's ARM properties from a `security_rule` block or an `azurerm_network_security_rule`.
fn rule_properties(block: &Value) -> Map<String, Value> {
    let mut properties = Map::new();
    for (tf, arm) in [
        ("priority", "priority"),
        ("direction", "direction"),
        ("access", "access"),
        ("protocol", "protocol"),
        ("description", "description"),
    ] {
        if let Some(value) = block.get(tf).filter(|v| !v.is_null()) {
            properties.insert(arm.into(), value.clone());
        }
    }
    for (tf, arm) in [
        ("source_port_range", "sourcePortRange"),
        ("destination_port_range", "destinationPortRange"),
        ("source_address_prefix", "sourceAddressPrefix"),
        ("destination_address_prefix", "destinationAddressPrefix"),
    ] {
        if let Some(text) = field(block, tf).filter(|s| !s.is_empty()) {
            properties.insert(arm.into(), json!(text));
        }
    }
    for (tf, arm) in [
        ("source_port_ranges", "sourcePortRanges"),
        ("destination_port_ranges", "destinationPortRanges"),
        ("source_address_prefixes", "sourceAddressPrefixes"),
        ("destination_address_prefixes", "destinationAddressPrefixes"),
    ] {
        let list = field_strings(block, tf);
        if !list.is_empty() {
            properties.insert(arm.into(), json!(list));
        }
    }
    for (tf, arm) in [
        (
            "source_application_security_group_ids",
            "sourceApplicationSecurityGroups",
        ),
        (
            "destination_application_security_group_ids",
            "destinationApplicationSecurityGroups",
        ),
    ] {
        let ids = field_strings(block, tf);
        if !ids.is_empty() {
            let refs: Vec<Value> = ids.iter().map(|id| json!({ "id": id })).collect();
            properties.insert(arm.into(), Value::Array(refs));
        }
    }
    properties
}
