//! azurerm NICs (grouped into VMs through the VMs' `network_interface_ids`), Azure Firewalls
//! with their classic network rule collections, virtual network gateways, local network
//! gateways and connections, as ARM-shaped resources; and the private addresses of NICs and
//! firewalls that are unknown until apply.
//!
//! A `Dynamic` NIC gets its address when it is created: Azure hands out the lowest free
//! address of the subnet after the four it reserves, and an Azure Firewall takes the first one
//! of its `AzureFirewallSubnet`. The plan cannot know which addresses will be free, so such an
//! address is a placeholder chosen the way Azure would for these resources alone (static
//! addresses first, then dynamic ones in plan order), and the summary names every one.

use super::document::PathStep;
use super::translate::{Translator, field, field_strings, path};
use crate::io::azure::ids::key_of;
use crate::model::parse_cidr;
use ipnet::Ipv4Net;
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;

fn first_config(key: &'static str) -> [PathStep<'static>; 3] {
    [
        PathStep::Key("ip_configuration"),
        PathStep::Index(0),
        PathStep::Key(key),
    ]
}

impl Translator<'_, '_> {
    /// The first IPv4 prefix of every subnet emitted so far, by lower-cased ID.
    fn subnet_prefixes(&self) -> HashMap<String, Ipv4Net> {
        let mut prefixes = HashMap::new();
        let mut add = |subnet: &Value| {
            let id = subnet.get("id").and_then(Value::as_str);
            let first = subnet
                .pointer("/properties/addressPrefixes")
                .and_then(Value::as_array)
                .and_then(|p| {
                    p.iter()
                        .filter_map(Value::as_str)
                        .find_map(|t| parse_cidr(t).ok())
                });
            if let (Some(id), Some(net)) = (id, first) {
                prefixes.entry(key_of(id)).or_insert(net);
            }
        };
        for resource in &self.out.resources {
            match resource.get("type").and_then(Value::as_str) {
                Some("Microsoft.Network/virtualNetworks/subnets") => add(resource),
                Some("Microsoft.Network/virtualNetworks") => {
                    for subnet in resource
                        .pointer("/properties/subnets")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        add(subnet);
                    }
                }
                _ => {}
            }
        }
        prefixes
    }

    /// Chooses placeholder addresses for NICs and firewalls whose address is unknown.
    pub(super) fn allocate_addresses(&mut self, holders: &[usize]) {
        let prefixes = self.subnet_prefixes();
        let mut used: HashMap<String, HashSet<Ipv4Addr>> = HashMap::new();
        let mut pending = Vec::new();
        for &i in holders {
            let Some(subnet) = self.reference(i, &first_config("subnet_id")) else {
                continue;
            };
            match self.ip_of(i).and_then(|ip| ip.parse::<Ipv4Addr>().ok()) {
                Some(ip) => {
                    used.entry(key_of(&subnet)).or_default().insert(ip);
                    self.assigned_ips.insert(i, ip.to_string());
                }
                None => pending.push((i, subnet)),
            }
        }
        for (i, subnet) in pending {
            let Some(net) = prefixes.get(&key_of(&subnet)) else {
                continue;
            };
            let taken = used.entry(key_of(&subnet)).or_default();
            // Azure reserves the first four addresses and the last one of every subnet.
            let free = net
                .hosts()
                .skip(3)
                .take_while(|ip| *ip != net.broadcast())
                .find(|ip| !taken.contains(ip));
            let address = self.instance(i).address.to_string();
            match free {
                Some(ip) => {
                    taken.insert(ip);
                    self.assigned_ips.insert(i, ip.to_string());
                    self.placeholder(format!(
                        "`{address}`: its private IP is assigned by Azure at apply; placed at {ip}, the first free address of {net} in this plan — check it after apply"
                    ));
                }
                None => self.placeholder(format!(
                    "`{address}`: its private IP is unknown until apply and {net} has no free address left"
                )),
            }
        }
    }

    /// NIC ID (lower case) → (VM ID, primary) from every VM's `network_interface_ids`.
    pub(super) fn vm_links(&mut self, vms: &[usize]) -> HashMap<String, (String, bool)> {
        let mut links = HashMap::new();
        for &i in vms {
            let Some(vm_id) = self.id_of(i) else {
                self.unresolved(
                    i,
                    "resource_group_name",
                    "its NICs are imported as VMs of their own",
                );
                continue;
            };
            let Some(nics) = self.strings(i, &path(&["network_interface_ids"])) else {
                self.unresolved(
                    i,
                    "network_interface_ids",
                    "its NICs are imported as VMs of their own",
                );
                continue;
            };
            let primary = self
                .reference(i, &path(&["primary_network_interface_id"]))
                .or_else(|| nics.first().cloned());
            for nic in nics.iter().filter(|n| super::network::is_id(n)) {
                let is_primary = primary.as_deref().is_some_and(|p| key_of(p) == key_of(nic));
                links.insert(key_of(nic), (vm_id.clone(), is_primary));
            }
        }
        links
    }

    pub(super) fn network_interface(&mut self, i: usize, vms: &HashMap<String, (String, bool)>) {
        let name = self.name(i);
        let Some(id) = self.id_of(i) else {
            self.unresolved(i, "resource_group_name", "the NIC was left out");
            return;
        };
        let count = self
            .known(i, &path(&["ip_configuration"]))
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let mut configs = Vec::new();
        for n in 0..count {
            let at = |key: &'static str| {
                [
                    PathStep::Key("ip_configuration"),
                    PathStep::Index(n),
                    PathStep::Key(key),
                ]
            };
            let mut properties = Map::new();
            match self.reference(i, &at("subnet_id")) {
                Some(subnet) => {
                    properties.insert("subnet".into(), json!({ "id": subnet }));
                }
                None if n == 0 => self.unresolved(i, "ip_configuration", "the NIC was left out"),
                None => {}
            }
            let ip = if n == 0 {
                self.ip_of(i)
            } else {
                self.string(i, &at("private_ip_address"))
            };
            if let Some(ip) = ip {
                properties.insert("privateIPAddress".into(), json!(ip));
            }
            for (tf, arm) in [
                ("private_ip_address_version", "privateIPAddressVersion"),
                ("primary", "primary"),
            ] {
                if let Some(value) = self.known(i, &at(tf)) {
                    properties.insert(arm.into(), value.clone());
                }
            }
            let config_name = self
                .string(i, &at("name"))
                .unwrap_or_else(|| format!("ipconfig{}", n + 1));
            configs.push(json!({ "name": config_name, "properties": properties }));
        }
        let forwarding = ["ip_forwarding_enabled", "enable_ip_forwarding"]
            .iter()
            .any(|k| self.known(i, &path(&[k])).and_then(Value::as_bool) == Some(true));
        let mut properties = Map::new();
        properties.insert("enableIPForwarding".into(), json!(forwarding));
        properties.insert("ipConfigurations".into(), Value::Array(configs));
        if let Some((vm, primary)) = vms.get(&key_of(&id)) {
            properties.insert("virtualMachine".into(), json!({ "id": vm }));
            properties.insert("primary".into(), json!(primary));
        }
        let mut resource = json!({
            "id": id,
            "name": name,
            "type": "Microsoft.Network/networkInterfaces",
            "location": self.location(i),
            "properties": properties,
        });
        if let Some(tags) = self.known(i, &path(&["tags"])) {
            resource["tags"] = tags.clone();
        }
        self.emit(i, resource);
    }

    pub(super) fn firewall(&mut self, i: usize) {
        let name = self.name(i);
        let Some(id) = self.id_of(i) else {
            self.unresolved(i, "resource_group_name", "the firewall was left out");
            return;
        };
        let mut properties = Map::new();
        if let Some(subnet) = self.reference(i, &first_config("subnet_id")) {
            properties.insert("subnet".into(), json!({ "id": subnet }));
        }
        if let Some(ip) = self.ip_of(i) {
            properties.insert("privateIPAddress".into(), json!(ip));
        }
        let config_name = self
            .string(i, &first_config("name"))
            .unwrap_or_else(|| "configuration".to_string());
        self.emit(
            i,
            json!({
                "id": id,
                "name": name,
                "type": "Microsoft.Network/azureFirewalls",
                "location": self.location(i),
                "properties": {
                    "ipConfigurations": [{ "name": config_name, "properties": properties }],
                    "networkRuleCollections": [],
                }
            }),
        );
    }

    /// `azurerm_firewall_network_rule_collection`: added to its firewall, found by name and
    /// resource group.
    pub(super) fn firewall_rules(&mut self, i: usize, firewalls: &[usize]) {
        let firewall = self.string(i, &path(&["azure_firewall_name"]));
        let rg = self.string(i, &path(&["resource_group_name"]));
        let owner = firewalls.iter().copied().find(|&f| {
            self.string(f, &path(&["name"])) == firewall
                && self
                    .string(f, &path(&["resource_group_name"]))
                    .is_some_and(|r| rg.as_deref().is_some_and(|g| g.eq_ignore_ascii_case(&r)))
        });
        let name = self.string(i, &path(&["name"])).unwrap_or_default();
        let rules: Vec<Value> = self
            .known(i, &path(&["rule"]))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|rule| {
                let list = |k: &str| json!(field_strings(rule, k));
                json!({
                    "name": field(rule, "name").unwrap_or("rule"),
                    "sourceAddresses": list("source_addresses"),
                    "destinationAddresses": list("destination_addresses"),
                    "destinationPorts": list("destination_ports"),
                    "protocols": list("protocols"),
                    "destinationFqdns": list("destination_fqdns"),
                    "sourceIpGroups": list("source_ip_groups"),
                    "destinationIpGroups": list("destination_ip_groups"),
                })
            })
            .collect();
        let collection = json!({
            "name": name,
            "properties": {
                "priority": self.known(i, &path(&["priority"])).cloned().unwrap_or(Value::Null),
                "action": { "type": self.string(i, &path(&["action"])).unwrap_or_default() },
                "rules": rules,
            }
        });
        let target = owner.and_then(|f| self.emitted_mut(f)).and_then(|r| {
            r.get_mut("properties")?
                .get_mut("networkRuleCollections")?
                .as_array_mut()
        });
        match target {
            Some(list) => list.push(collection),
            None => {
                let address = self.instance(i).address;
                self.note(format!(
                    "`{address}`: its firewall `{}` is not in the plan; the rule collection was left out",
                    firewall.unwrap_or_default()
                ));
            }
        }
    }

    pub(super) fn gateway(&mut self, i: usize) {
        let name = self.name(i);
        let Some(id) = self.id_of(i) else {
            self.unresolved(i, "resource_group_name", "the gateway was left out");
            return;
        };
        let mut properties = Map::new();
        for (tf, arm) in [("type", "gatewayType"), ("vpn_type", "vpnType")] {
            if let Some(text) = self.string(i, &path(&[tf])) {
                properties.insert(arm.into(), json!(text));
            }
        }
        properties.insert(
            "sku".into(),
            json!({ "name": self.string(i, &path(&["sku"])).unwrap_or_default() }),
        );
        let bgp = ["enable_bgp", "bgp_enabled"]
            .iter()
            .any(|k| self.known(i, &path(&[k])).and_then(Value::as_bool) == Some(true));
        properties.insert("enableBgp".into(), json!(bgp));
        match self.reference(i, &first_config("subnet_id")) {
            Some(subnet) => {
                properties.insert(
                    "ipConfigurations".into(),
                    json!([{ "name": "default", "properties": { "subnet": { "id": subnet } } }]),
                );
            }
            None => self.unresolved(i, "ip_configuration", "the gateway was left out"),
        }
        let pool = self
            .known(i, &path(&["vpn_client_configuration"]))
            .and_then(|c| c.get(0))
            .map(|c| field_strings(c, "address_space"))
            .unwrap_or_default();
        if !pool.is_empty() {
            properties.insert(
                "vpnClientConfiguration".into(),
                json!({ "vpnClientAddressPool": { "addressPrefixes": pool } }),
            );
        }
        self.emit(
            i,
            json!({
                "id": id,
                "name": name,
                "type": "Microsoft.Network/virtualNetworkGateways",
                "location": self.location(i),
                "properties": properties,
            }),
        );
    }

    pub(super) fn local_gateway(&mut self, i: usize) {
        let name = self.name(i);
        let Some(id) = self.id_of(i) else {
            self.unresolved(i, "resource_group_name", "the site was left out");
            return;
        };
        let space = self
            .strings(i, &path(&["address_space"]))
            .unwrap_or_default();
        let mut properties = Map::new();
        properties.insert(
            "localNetworkAddressSpace".into(),
            json!({ "addressPrefixes": space }),
        );
        if let Some(address) = self.string(i, &path(&["gateway_address"])) {
            properties.insert("gatewayIpAddress".into(), json!(address));
        }
        if let Some(bgp) = self
            .known(i, &path(&["bgp_settings"]))
            .and_then(|b| b.get(0))
        {
            properties.insert(
                "bgpSettings".into(),
                json!({ "asn": bgp.get("asn"), "bgpPeeringAddress": bgp.get("bgp_peering_address") }),
            );
        }
        let mut resource = json!({
            "id": id,
            "name": name,
            "type": "Microsoft.Network/localNetworkGateways",
            "location": self.location(i),
            "properties": properties,
        });
        if let Some(tags) = self.known(i, &path(&["tags"])) {
            resource["tags"] = tags.clone();
        }
        self.emit(i, resource);
    }

    pub(super) fn connection(&mut self, i: usize) {
        let name = self.name(i);
        let Some(id) = self.id_of(i) else {
            self.unresolved(i, "resource_group_name", "the connection was left out");
            return;
        };
        let mut properties = Map::new();
        properties.insert(
            "connectionType".into(),
            json!(self.string(i, &path(&["type"])).unwrap_or_default()),
        );
        for (tf, arm) in [
            ("virtual_network_gateway_id", "virtualNetworkGateway1"),
            ("local_network_gateway_id", "localNetworkGateway2"),
            ("peer_virtual_network_gateway_id", "virtualNetworkGateway2"),
        ] {
            if let Some(target) = self.reference(i, &path(&[tf])) {
                properties.insert(arm.into(), json!({ "id": target }));
            } else if self
                .resolver
                .expression(self.instance(i), &path(&[tf]))
                .is_some()
                || self.instance(i).is_unknown(&path(&[tf]))
            {
                self.unresolved(i, tf, "the connection was left out");
            }
        }
        let bgp = ["enable_bgp", "bgp_enabled"]
            .iter()
            .any(|k| self.known(i, &path(&[k])).and_then(Value::as_bool) == Some(true));
        properties.insert("enableBgp".into(), json!(bgp));
        self.emit(
            i,
            json!({
                "id": id,
                "name": name,
                "type": "Microsoft.Network/connections",
                "location": self.location(i),
                "properties": properties,
            }),
        );
    }
}
