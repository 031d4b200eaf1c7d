//! Design → a deployable ARM template. The resources start as the ARM-shaped JSON of
//! [`export_design`] (one mapping of the model to Azure's properties) and are made deployable:
//! every literal ID becomes a `resourceId()` expression, read-only properties (states, default
//! NSG rules, a NIC's `virtualMachine`) are dropped, children given inline lose their IDs, and
//! `dependsOn` lists every resource of the template a resource refers to. What a deployment
//! needs and a design does not know is added: VMs (size, image and admin account as
//! parameters) holding the NICs, a public IP per gateway, the VPN shared key as a parameter.
//! The export's `vnetlab/design` element becomes the template's `metadata.vnetlab`. Placement
//! (resources outside the deployment's own subscription or resource group) is [`super::nesting`].

use super::nesting::{self, IdText, Item, Place};
use crate::io::azure::{ResourceId, export_design};
use crate::model::Design;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// The key under the template's `metadata` holding what only vnetlab reads (name, description,
/// assumptions, subscriptions, intents); the template importer reads it back.
pub const METADATA_KEY: &str = "vnetlab";

/// The key under `metadata.vnetlab` holding the resources a deployment cannot create but the
/// design has (classic VNets and the NICs in them): `{"subscription", "resourceGroup",
/// "resources"}`, the resources as an Azure export shows them with IDs under that home. Azure
/// Resource Manager cannot create a `Microsoft.ClassicNetwork` resource, and peering an ARM VNet
/// with a classic one is done from the ARM side to a classic VNet that already exists
/// (azure-semantics.md, classic peering), so the template refers to them and creates none; the
/// template importer reads them back from here.
pub const EXISTING_KEY: &str = "existing";

/// The API version written for each resource type.
pub const API_VERSIONS: [(&str, &str); 10] = [
    ("Microsoft.Network/virtualNetworks", "2023-09-01"),
    (
        "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        "2023-09-01",
    ),
    ("Microsoft.Network/networkSecurityGroups", "2023-09-01"),
    ("Microsoft.Network/routeTables", "2023-09-01"),
    ("Microsoft.Network/networkInterfaces", "2023-09-01"),
    ("Microsoft.Network/publicIPAddresses", "2023-09-01"),
    ("Microsoft.Network/virtualNetworkGateways", "2023-09-01"),
    ("Microsoft.Network/localNetworkGateways", "2023-09-01"),
    ("Microsoft.Network/connections", "2023-09-01"),
    ("Microsoft.Compute/virtualMachines", "2024-03-01"),
];

/// A classic VNet's resource type (not creatable through Azure Resource Manager).
const CLASSIC_VNET: &str = "Microsoft.ClassicNetwork/virtualNetworks";

/// Properties Azure reports but refuses (or ignores) in a deployment.
const READ_ONLY: [&str; 7] = [
    "provisioningState",
    "peeringState",
    "peeringSyncLevel",
    "connectionStatus",
    "defaultSecurityRules",
    "virtualMachine",
    "resourceGuid",
];

fn api_version(kind: &str) -> &'static str {
    API_VERSIONS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(kind))
        .map_or("2023-09-01", |(_, v)| v)
}

/// The parameters a template declares for what the design does not know.
fn parameters(has_vms: bool, has_connections: bool) -> Map<String, Value> {
    let mut out = Map::new();
    if has_vms {
        out.insert(
            "vmSize".into(),
            json!({"type": "string", "defaultValue": "Standard_B1s",
                   "metadata": {"description": "The size of every VM (the design does not say)."}}),
        );
        out.insert(
            "vmImage".into(),
            json!({"type": "object",
                   "defaultValue": {"publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest"},
                   "metadata": {"description": "The image of every VM."}}),
        );
        out.insert(
            "adminUsername".into(),
            json!({"type": "string", "defaultValue": "azureuser"}),
        );
        out.insert("adminPassword".into(), json!({"type": "securestring"}));
    }
    if has_connections {
        out.insert(
            "vpnSharedKey".into(),
            json!({"type": "securestring",
                   "metadata": {"description": "The IPsec shared key of every connection."}}),
        );
    }
    out
}

/// A VM to write: its ID, its NICs (with their primary flag) and its location.
pub(super) type VmNics = (ResourceId, Vec<(ResourceId, bool)>, Value);

/// The ARM-shaped export of a design split for the deployable writers (ARM, Bicep, az CLI):
/// its resources, its `vnetlab/design` element and the place the design leaves unnamed.
pub(super) struct Exported {
    /// The resources, with literal IDs, in the order of [`export_design`].
    pub(super) resources: Vec<Value>,
    /// The `vnetlab/design` element (`Null` when absent).
    pub(super) meta: Value,
    /// The (subscription, resource group) of objects the design places nowhere in particular.
    pub(super) home: (String, String),
}

impl Exported {
    /// Exports the design and splits the result.
    pub(super) fn of(design: &Design) -> Exported {
        let exported = export_design(design);
        let all = exported.as_array().cloned().unwrap_or_default();
        let is_meta = |r: &Value| r["type"] == "vnetlab/design";
        let meta = all
            .iter()
            .find(|r| is_meta(r))
            .cloned()
            .unwrap_or(Value::Null);
        let defaults = &meta["properties"]["defaults"];
        let text = |key: &str| defaults[key].as_str().unwrap_or_default().to_string();
        let home = (text("subscription"), text("resourceGroup"));
        let resources = all.into_iter().filter(|r| !is_meta(r)).collect();
        Exported {
            resources,
            meta,
            home,
        }
    }

    /// Takes out the resources a deployment cannot create: classic VNets and the NICs in their
    /// subnets (their VMs then hold no NIC and are not written either).
    pub(super) fn take_classic(&mut self) -> Vec<Value> {
        let is_classic = |r: &Value| {
            r["type"]
                .as_str()
                .is_some_and(|t| t.eq_ignore_ascii_case(CLASSIC_VNET))
        };
        let classic: Vec<String> = self
            .resources
            .iter()
            .filter(|r| is_classic(r))
            .filter_map(|r| r["id"].as_str().map(vnet_key))
            .collect();
        if classic.is_empty() {
            return Vec::new();
        }
        let in_classic = |r: &Value| {
            let Some(configs) = r["properties"]["ipConfigurations"].as_array() else {
                return false;
            };
            configs.iter().any(|c| {
                c["properties"]["subnet"]["id"]
                    .as_str()
                    .is_some_and(|id| classic.contains(&vnet_key(id)))
            })
        };
        let (existing, kept) = std::mem::take(&mut self.resources)
            .into_iter()
            .partition(|r| is_classic(r) || in_classic(r));
        self.resources = kept;
        existing
    }

    /// The VMs holding the exported NICs (a NIC names its VM), in the order of their first NIC.
    pub(super) fn vms(&self) -> Vec<VmNics> {
        let mut vms: Vec<VmNics> = Vec::new();
        for resource in &self.resources {
            let kind = resource["type"].as_str().unwrap_or_default();
            if !kind.eq_ignore_ascii_case("Microsoft.Network/networkInterfaces") {
                continue;
            }
            let id = resource["id"].as_str().and_then(ResourceId::parse);
            let vm = resource["properties"]["virtualMachine"]["id"]
                .as_str()
                .and_then(ResourceId::parse);
            let (Some(id), Some(vm)) = (id, vm) else {
                continue;
            };
            let primary = resource["properties"]["primary"].as_bool().unwrap_or(false);
            match vms.iter_mut().find(|(v, _, _)| v.key() == vm.key()) {
                Some((_, nics, _)) => nics.push((id, primary)),
                None => vms.push((vm, vec![(id, primary)], resource["location"].clone())),
            }
        }
        vms
    }
}

/// The name of the public IP written for a gateway (Azure requires one; designs do not model it).
pub(super) fn public_ip_name(gateway: &str) -> String {
    format!("{gateway}-pip")
}

/// The `existing` record (see [`EXISTING_KEY`]) of resources under `home`.
fn existing_record(home: &(String, String), resources: Vec<Value>) -> Value {
    json!({"subscription": home.0, "resourceGroup": home.1, "resources": resources})
}

/// The design's resources no deployment can create (classic VNets and the NICs in them), as the
/// record [`EXISTING_KEY`] describes; `None` when it has none. The Terraform export keeps the
/// same record in its design output.
pub fn existing_resources(design: &Design) -> Option<Value> {
    let mut exported = Exported::of(design);
    let existing = exported.take_classic();
    (!existing.is_empty()).then(|| existing_record(&exported.home, existing))
}

/// The design as an ARM template (`deploymentTemplate.json` schema, resource-group scope).
pub fn arm_template(design: &Design) -> Value {
    let mut exported = Exported::of(design);
    let existing = exported.take_classic();
    let (meta, home) = (&exported.meta, &exported.home);
    let vms = exported.vms();
    let gateways = gateways_by_vnet(&exported.resources);
    let mut items: Vec<Item> = Vec::new();
    for resource in &exported.resources {
        let Some(id) = resource["id"].as_str().and_then(ResourceId::parse) else {
            continue;
        };
        let kind = resource["type"].as_str().unwrap_or_default();
        let mut literal = resource.clone();
        for key in ["tags", "properties"] {
            escape_brackets(&mut literal[key]);
        }
        let mut item = Item::new(Place::of(&id, home), id, &literal, api_version(kind));
        if kind.eq_ignore_ascii_case("Microsoft.Network/virtualNetworkGateways") {
            gateway_public_ip(&mut item, home, &mut items);
        }
        if kind.eq_ignore_ascii_case("Microsoft.Network/connections") {
            item.resource["properties"]["sharedKey"] = json!("[parameters('vpnSharedKey')]");
        }
        let disconnected = resource["properties"]["peeringState"] == "Disconnected";
        item.clean(home);
        if resource["properties"]["useRemoteGateways"] == true {
            let remote = resource["properties"]["remoteVirtualNetwork"]["id"].as_str();
            for gateway in remote
                .and_then(|id| gateways.get(&vnet_key(id)))
                .into_iter()
                .flatten()
            {
                item.deploy_after(gateway.clone());
            }
        }
        if disconnected {
            // What remains of a link whose remote side was deleted: not something a deployment
            // creates, but the state is kept (Azure ignores it in a request) so it reads back.
            item.resource["properties"]["peeringState"] = json!("Disconnected");
        }
        items.push(item);
    }
    for (vm, nics, location) in &vms {
        items.push(vm_item(vm, nics, location, home));
    }
    let mut vnetlab = meta["properties"].clone();
    if let Some(map) = vnetlab.as_object_mut() {
        map.remove("defaults");
        map.insert("name".into(), meta["name"].clone());
        if !existing.is_empty() {
            map.insert(EXISTING_KEY.into(), existing_record(home, existing));
        }
    }
    let mut metadata = Map::new();
    metadata.insert(
        "_generator".into(),
        json!({"name": "vnetlab", "version": env!("CARGO_PKG_VERSION")}),
    );
    metadata.insert(METADATA_KEY.into(), vnetlab);
    let parameters = parameters(!vms.is_empty(), !design.connections.is_empty());
    nesting::assemble(items, parameters, metadata)
}

/// The gateways and Route Servers of each VNet, by [`vnet_key`]. Azure refuses a peering that
/// uses remote gateways while the remote VNet has none yet (`RemoteVnetHasNoGateways`,
/// azure-semantics.md V5), and nothing in the peering's properties names the gateway, so the
/// peering is made to deploy after them.
fn gateways_by_vnet(resources: &[Value]) -> HashMap<String, Vec<ResourceId>> {
    let mut found: HashMap<String, Vec<ResourceId>> = HashMap::new();
    for resource in resources {
        let kind = resource["type"].as_str().unwrap_or_default();
        let is_gateway = [
            "Microsoft.Network/virtualNetworkGateways",
            "Microsoft.Network/virtualHubs",
        ]
        .iter()
        .any(|k| kind.eq_ignore_ascii_case(k));
        let Some(id) = resource["id"].as_str().and_then(ResourceId::parse) else {
            continue;
        };
        if !is_gateway {
            continue;
        }
        let subnets = resource["properties"]["ipConfigurations"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|config| config["properties"]["subnet"]["id"].as_str());
        for subnet in subnets {
            let list = found.entry(vnet_key(subnet)).or_default();
            if !list
                .iter()
                .any(|known| nesting::key(known) == nesting::key(&id))
            {
                list.push(id.clone());
            }
        }
    }
    found
}

/// The lookup key of the VNet an ID names or lies in (a subnet's VNet).
fn vnet_key(id: &str) -> String {
    match ResourceId::parse(id) {
        Some(mut parsed) => {
            parsed.segments.truncate(1);
            nesting::key(&parsed)
        }
        None => id.to_ascii_lowercase(),
    }
}

/// A public IP for a gateway (Azure requires one; the design does not model it), referenced
/// by the gateway's IP configuration.
fn gateway_public_ip(gateway: &mut Item, home: &(String, String), items: &mut Vec<Item>) {
    let mut pip_id = gateway.id.clone();
    pip_id.segments = vec![(
        "publicIPAddresses".to_string(),
        public_ip_name(gateway.id.name()),
    )];
    pip_id.text = pip_id.to_string_id();
    let resource = json!({
        "name": pip_id.name(),
        "type": "Microsoft.Network/publicIPAddresses",
        "location": gateway.resource["location"],
        "sku": {"name": "Standard"},
        "properties": {"publicIPAllocationMethod": "Static"},
    });
    if let Some(configs) = gateway.resource["properties"]["ipConfigurations"].as_array_mut() {
        for config in configs {
            config["properties"]["publicIPAddress"] = json!({"id": pip_id.to_string_id()});
        }
    }
    let api = api_version("Microsoft.Network/publicIPAddresses");
    items.push(Item::new(Place::of(&pip_id, home), pip_id, &resource, api));
}

/// A VM holding its NICs (the design's VM), with the size, image and admin account from the
/// template's parameters.
fn vm_item(
    vm: &ResourceId,
    nics: &[(ResourceId, bool)],
    location: &Value,
    home: &(String, String),
) -> Item {
    let computer = computer_name(vm.name());
    let interfaces: Vec<Value> = nics
        .iter()
        .map(|(nic, primary)| json!({"id": nic.to_string_id(), "properties": {"primary": primary}}))
        .collect();
    let resource = json!({
        "name": vm.name(),
        "type": "Microsoft.Compute/virtualMachines",
        "location": location,
        "properties": {
            "hardwareProfile": {"vmSize": "[parameters('vmSize')]"},
            "storageProfile": {
                "imageReference": "[parameters('vmImage')]",
                "osDisk": {"createOption": "FromImage", "managedDisk": {"storageAccountType": "Standard_LRS"}},
            },
            "osProfile": {
                "computerName": computer,
                "adminUsername": "[parameters('adminUsername')]",
                "adminPassword": "[parameters('adminPassword')]",
            },
            "networkProfile": {"networkInterfaces": interfaces},
        },
    });
    let mut item = Item::new(
        Place::of(vm, home),
        vm.clone(),
        &resource,
        api_version("Microsoft.Compute/virtualMachines"),
    );
    item.clean(home);
    item
}

/// A VM's computer name: its name's ASCII letters and digits, at most 15 (Windows' limit), or
/// `vm` when none is left.
pub(super) fn computer_name(vm: &str) -> String {
    let computer: String = vm
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(15)
        .collect();
    if computer.is_empty() {
        "vm".to_string()
    } else {
        computer
    }
}

/// A string value starting with `[` would be read as an expression; ARM's escape is `[[`.
fn escape_brackets(value: &mut Value) {
    match value {
        Value::String(text) if text.starts_with('[') => text.insert(0, '['),
        Value::Object(map) => map.values_mut().for_each(escape_brackets),
        Value::Array(items) => items.iter_mut().for_each(escape_brackets),
        _ => {}
    }
}

/// Drops read-only properties and the IDs of inline children, recursively.
pub(super) fn drop_read_only(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for key in READ_ONLY {
                map.remove(key);
            }
            // An inline child (a subnet, a rule, an IP configuration) is named, not identified.
            if map.contains_key("name") && map.contains_key("properties") {
                map.remove("id");
                map.remove("type");
            }
            map.values_mut().for_each(drop_read_only);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_read_only),
        _ => {}
    }
}

/// The template as pretty-printed JSON text, ending with a newline.
pub fn arm_text(design: &Design) -> String {
    let mut text =
        serde_json::to_string_pretty(&arm_template(design)).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}
