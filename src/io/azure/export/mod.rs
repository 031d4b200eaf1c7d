//! Design → ARM-shaped resource JSON (one array), such that importing it gives the design back.
//! The extras only vnetlab reads (appliance and host tags, the `vnetlab/design` element) are
//! described in the module docs of `io::azure`.

mod hybrid;
mod managed;
mod network;
mod place;
mod security;

use super::import::METADATA_TYPE_NAME;
use crate::model::Design;
use place::Ids;
use serde_json::{Value, json};

/// The subscription written for VNets that have none (Azure never issues the all-zero GUID).
pub const DEFAULT_SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
/// The resource group written for VNets that have none.
pub const DEFAULT_RESOURCE_GROUP: &str = "vnetlab";

/// The design as an array of ARM resources plus the `vnetlab/design` element.
pub fn export_design(design: &Design) -> Value {
    let ids = Ids::new(design);
    let mut resources = Vec::new();
    resources.extend(design.vnets.iter().map(|v| network::vnet_resource(v, &ids)));
    resources.extend(
        design
            .peerings
            .iter()
            .map(|p| network::peering_resource(design, p, &ids)),
    );
    resources.extend(
        design
            .nsgs
            .iter()
            .map(|nsg| security::nsg_resource(nsg, &ids)),
    );
    resources.extend(
        design
            .route_tables
            .iter()
            .map(|table| security::route_table_resource(table, &ids)),
    );
    for vm in &design.vms {
        resources.extend(network::nic_resources(vm, &ids));
    }
    resources.extend(
        design
            .gateways
            .iter()
            .map(|gw| hybrid::gateway_resource(gw, &ids)),
    );
    resources.extend(
        design
            .sites
            .iter()
            .enumerate()
            .map(|(i, site)| hybrid::site_resource(i, site, &ids)),
    );
    resources.extend(
        design
            .connections
            .iter()
            .map(|conn| hybrid::connection_resource(conn, &ids)),
    );
    resources.extend(managed::resources(design, &ids));
    let announcements = managed::announcements(design);
    resources.push(json!({
        "type": METADATA_TYPE_NAME,
        "name": design.name,
        "properties": {
            "formatVersion": design.version,
            "description": design.description,
            "assumptions": design.assumptions,
            "subscriptions": design.subscriptions,
            "intents": design.intents,
            "routeServerAnnouncements": announcements,
            "defaults": { "subscription": DEFAULT_SUBSCRIPTION, "resourceGroup": DEFAULT_RESOURCE_GROUP },
        }
    }));
    Value::Array(resources)
}

/// The export as pretty-printed JSON text, ending with a newline.
pub fn export_text(design: &Design) -> String {
    let mut text =
        serde_json::to_string_pretty(&export_design(design)).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}
