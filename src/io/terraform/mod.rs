//! Terraform: reading the JSON of `terraform show -json` (a plan or state) as a design, and
//! writing a design as azurerm HCL that a platform team can `terraform apply`.
//!
//! # Import
//!
//! A Terraform document is recognised by content (`format_version` and `terraform_version`)
//! wherever vnetlab reads a design, through [`crate::io::azure::import_values`]. Each azurerm
//! resource instance (modules walked through `child_modules`, `count`/`for_each` instances kept
//! apart by their `index`) is translated into the ARM-shaped resource Azure itself would report
//! — `azurerm_virtual_network` into a `Microsoft.Network/virtualNetworks` with its subnets, an
//! association into the subnet's `networkSecurityGroup`, a VM's `network_interface_ids` into
//! each NIC's `virtualMachine` — and `azapi_resource` bodies are ARM already. The ARM importer
//! (`io::azure`) then builds the design, so every Azure rule it applies (names, peering states,
//! appliances, invariants) applies here too, once.
//!
//! A plan does not know what Azure assigns at apply: IDs of resources not yet created, dynamic
//! private IPs, names from random providers. IDs are rebuilt from names and resource groups
//! (the subscription comes from the provider's `subscription_id`, else a placeholder); an
//! attribute that copies an unknown ID is followed through the configuration's `references`
//! ([`refs`]); dynamic IPs get the address Azure would hand out (`compute`). Anything still
//! unknown is left out, and every such value is named in the summary's placeholders — never a
//! silent guess. HCL source is never parsed for import: the plan is what Terraform evaluated.
//!
//! Cost: one pass over the document to list instances, one per resource to translate it; each
//! reference followed costs a few hash look-ups, with a hop budget per reference.
//!
//! # Export
//!
//! [`export_hcl`] writes the design as HCL with `hcl-rs` (see [`export`] for what it writes and
//! what only vnetlab reads).

mod azapi;
mod compute;
pub mod document;
pub mod export;
mod network;
pub mod refs;
mod translate;

pub use document::{is_raw_state, is_terraform_json};
pub use export::export_hcl;

use crate::io::azure::{ImportError, Imported};
use document::Document;
use serde_json::{Value, json};
use translate::{PLACEHOLDER_SUBSCRIPTION, Translated, Translator};

/// The `type` of the element the ARM importer reads design-level facts from (see `io::azure`).
const METADATA_TYPE: &str = "vnetlab/design";

/// The name of the output that carries what only vnetlab knows (see [`export`]).
pub const DESIGN_OUTPUT: &str = "vnetlab_design";

/// Why a Terraform document cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct TerraformError {
    /// What is wrong, and what to give instead.
    pub reason: String,
}

impl TerraformError {
    fn shape(reason: impl Into<String>) -> Self {
        TerraformError {
            reason: reason.into(),
        }
    }
}

/// The resource types whose information is used by other translations (a VM's NIC list, a
/// resource group's name), so they are not listed as unmodelled.
const CONSUMED: &[&str] = &[
    "azurerm_resource_group",
    "azurerm_linux_virtual_machine",
    "azurerm_windows_virtual_machine",
    "azurerm_virtual_machine",
    "azurerm_subnet_network_security_group_association",
    "azurerm_subnet_route_table_association",
    "azurerm_network_interface_security_group_association",
    "azurerm_firewall_network_rule_collection",
];

/// The ARM importer the translated resources go to.
pub(crate) type ArmImporter = fn(&[(String, Value)]) -> Result<Imported, ImportError>;

/// Imports documents of which at least one is Terraform JSON: each Terraform document is
/// translated into ARM-shaped resources, then `base` (the ARM importer) builds the design and
/// the translation's lines join its summary.
pub(crate) fn import(
    documents: &[(String, Value)],
    base: ArmImporter,
) -> Result<Imported, ImportError> {
    let mut translated_documents = Vec::with_capacity(documents.len());
    let mut extra = Vec::new();
    let names: Vec<&str> = documents
        .iter()
        .map(|(f, _)| f.rsplit(['/', '\\']).next().unwrap_or(f))
        .collect();
    let mut metadata_written = false;
    for (file, value) in documents {
        if is_raw_state(value) && !is_terraform_json(value) {
            return Err(ImportError::Terraform {
                file: file.clone(),
                reason: "it is a raw state file; give the JSON Terraform prints for it: \
                         `terraform show -json terraform.tfstate > state.json`"
                    .to_string(),
            });
        }
        if !is_terraform_json(value) {
            translated_documents.push((file.clone(), value.clone()));
            continue;
        }
        let mut translated = translate(value).map_err(|e| ImportError::Terraform {
            file: file.clone(),
            reason: e.reason,
        })?;
        if !metadata_written {
            let metadata = metadata(value, &translated, &names.join(", "));
            if let Some(metadata) = metadata {
                translated.resources.push(metadata);
                metadata_written = true;
            }
        }
        let resources = std::mem::take(&mut translated.resources);
        translated_documents.push((file.clone(), Value::Array(resources)));
        extra.push((file.clone(), translated));
    }
    let mut imported = base(&translated_documents)?;
    let report = &mut imported.report;
    for (file, translated) in extra {
        let shown = file.rsplit(['/', '\\']).next().unwrap_or(&file).to_string();
        for (kind, n) in translated.unsupported {
            *report.unsupported.entry(kind).or_default() += n;
        }
        for line in translated.placeholders {
            report.placeholders.push(format!("{shown}: {line}"));
        }
        for line in translated.notes {
            report.notes.push(format!("{shown}: {line}"));
        }
    }
    Ok(imported)
}

/// The `vnetlab/design` element for the ARM importer: from the design output when the plan has
/// one (a plan of vnetlab's own export), else only when IDs were built with the placeholder
/// subscription, so that the placeholder reads back as "no subscription".
fn metadata(value: &Value, translated: &Translated, files: &str) -> Option<Value> {
    let outputs = value
        .get("planned_values")
        .or_else(|| value.get("values"))
        .and_then(|v| v.get("outputs"));
    let design = outputs
        .and_then(|o| o.get(DESIGN_OUTPUT))
        .and_then(|o| o.get("value"))
        .filter(|v| v.is_object());
    match design {
        Some(design) => {
            let mut properties = design.clone();
            properties["defaults"] = json!({
                "subscription": PLACEHOLDER_SUBSCRIPTION,
                "resourceGroup": design.get("default_resource_group"),
            });
            Some(json!({
                "type": METADATA_TYPE,
                "name": design.get("name").and_then(Value::as_str).unwrap_or(files),
                "properties": properties,
            }))
        }
        None if translated.used_placeholder_subscription => Some(json!({
            "type": METADATA_TYPE,
            "name": format!("Imported from {files}"),
            "properties": { "defaults": { "subscription": PLACEHOLDER_SUBSCRIPTION } },
        })),
        None => None,
    }
}

/// Translates one Terraform document into ARM-shaped resources and summary lines.
pub fn translate(value: &Value) -> Result<Translated, TerraformError> {
    let document = document::read(value)?;
    let mut t = Translator::new(&document);
    let by_kind = |kinds: &[&str], data: bool| -> Vec<usize> {
        document
            .instances
            .iter()
            .enumerate()
            .filter(|(_, i)| i.data == data && kinds.contains(&i.kind))
            .map(|(n, _)| n)
            .collect()
    };
    // Address holders first: everything else may refer to their IDs and addresses.
    for i in by_kind(&["azurerm_virtual_network"], true) {
        t.virtual_network(i);
    }
    for i in by_kind(&["azurerm_subnet"], true) {
        t.subnet(i);
    }
    for i in 0..document.instances.len() {
        let instance = &document.instances[i];
        if instance.data {
            continue;
        }
        match instance.kind {
            "azurerm_virtual_network" => t.virtual_network(i),
            "azurerm_subnet" => t.subnet(i),
            "azapi_resource" => t.azapi_resource(i),
            _ => {}
        }
    }
    let holders = by_kind(&["azurerm_network_interface", "azurerm_firewall"], false);
    t.allocate_addresses(&holders);
    for i in 0..document.instances.len() {
        let instance = &document.instances[i];
        if instance.data {
            continue;
        }
        match instance.kind {
            "azurerm_virtual_network_peering" => t.peering(i),
            "azurerm_route_table" => t.route_table(i),
            "azurerm_route" => t.route(i),
            "azurerm_network_security_group" => t.security_group(i),
            "azurerm_network_security_rule" => t.security_rule(i),
            _ => {}
        }
    }
    let vms = by_kind(
        &[
            "azurerm_linux_virtual_machine",
            "azurerm_windows_virtual_machine",
            "azurerm_virtual_machine",
        ],
        false,
    );
    let links = t.vm_links(&vms);
    for i in by_kind(&["azurerm_network_interface"], false) {
        t.network_interface(i, &links);
    }
    let firewalls = by_kind(&["azurerm_firewall"], false);
    for &i in &firewalls {
        t.firewall(i);
    }
    for i in by_kind(&["azurerm_firewall_network_rule_collection"], false) {
        t.firewall_rules(i, &firewalls);
    }
    for i in 0..document.instances.len() {
        let instance = &document.instances[i];
        if instance.data {
            continue;
        }
        match instance.kind {
            "azurerm_virtual_network_gateway" => t.gateway(i),
            "azurerm_local_network_gateway" => t.local_gateway(i),
            "azurerm_virtual_network_gateway_connection" => t.connection(i),
            "azapi_update_resource" => t.azapi_update(i),
            _ => {}
        }
    }
    let associations = by_kind(
        &[
            "azurerm_subnet_network_security_group_association",
            "azurerm_subnet_route_table_association",
            "azurerm_network_interface_security_group_association",
        ],
        false,
    );
    t.associations(&associations);
    design_extras(&mut t, &document);
    count_unmodelled(&mut t, &document);
    Ok(t.out)
}

/// Lists managed resource types that were neither translated nor used, and data sources.
fn count_unmodelled(t: &mut Translator<'_, '_>, document: &Document<'_>) {
    let mut data_sources = 0;
    for (i, instance) in document.instances.iter().enumerate() {
        if instance.data {
            if !t.emitted.contains_key(&i) {
                data_sources += 1;
            }
            continue;
        }
        let handled = t.emitted.contains_key(&i)
            || CONSUMED.contains(&instance.kind)
            || instance.kind.starts_with("azapi_")
            || translated_kind(instance.kind);
        if !handled {
            *t.out
                .unsupported
                .entry(instance.kind.to_string())
                .or_default() += 1;
        }
    }
    if data_sources > 0 {
        t.note(format!(
            "{data_sources} data source(s) read existing resources; vnetlab models only what the plan manages, so they were not imported"
        ));
    }
}

/// Whether an azurerm type is one the translation handles (an instance of it that was left out
/// has its own line already).
fn translated_kind(kind: &str) -> bool {
    matches!(
        kind,
        "azurerm_virtual_network"
            | "azurerm_subnet"
            | "azurerm_virtual_network_peering"
            | "azurerm_route_table"
            | "azurerm_route"
            | "azurerm_network_security_group"
            | "azurerm_network_security_rule"
            | "azurerm_network_interface"
            | "azurerm_firewall"
            | "azurerm_virtual_network_gateway"
            | "azurerm_local_network_gateway"
            | "azurerm_virtual_network_gateway_connection"
    )
}

/// Adds the resources the export could not create (classic VNets and the NICs in them, kept in
/// the design output's `existing` record as the ARM export keeps them). A peering names a
/// classic VNet by the ID the plan evaluated (with the real subscription); the kept resources
/// move to that ID so the link is whole.
fn existing_resources(t: &mut Translator<'_, '_>, design: &Value) {
    let Some(kept) = design
        .get(crate::io::export::EXISTING_KEY)
        .and_then(|e| e.get("resources"))
        .and_then(Value::as_array)
    else {
        return;
    };
    let mut kept = kept.clone();
    let remote_ids: Vec<String> = t
        .out
        .resources
        .iter()
        .filter_map(|r| r.pointer("/properties/remoteVirtualNetwork/id")?.as_str())
        .map(str::to_string)
        .collect();
    let mut moves: Vec<(String, String)> = Vec::new();
    for resource in &kept {
        let Some(id) = resource.get("id").and_then(Value::as_str) else {
            continue;
        };
        let tail = id
            .find("/providers/")
            .map_or(id, |at| &id[at..])
            .to_ascii_lowercase();
        let named = remote_ids
            .iter()
            .find(|r| r.to_ascii_lowercase().ends_with(&tail) && !r.eq_ignore_ascii_case(id));
        if let Some(named) = named {
            moves.push((id.to_string(), named.clone()));
        }
    }
    // Every ID that is, or lies under, a moved resource's old ID.
    let moved = |id: &str| {
        moves.iter().find_map(|(from, to)| {
            let under = id
                .get(..from.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(from))
                && matches!(id.as_bytes().get(from.len()), None | Some(b'/'));
            under.then(|| format!("{to}{}", &id[from.len()..]))
        })
    };
    for resource in &mut kept {
        crate::io::azure::ids::move_ids(resource, &moved);
    }
    t.out.resources.extend(kept);
}

/// Applies the peering facts of the design output (links marked disconnected, remote address
/// spaces as last synced), which Terraform cannot express, to the emitted peerings.
fn design_extras(t: &mut Translator<'_, '_>, document: &Document<'_>) {
    let Some(design) = document
        .outputs
        .and_then(|o| o.get(DESIGN_OUTPUT))
        .and_then(|o| o.get("value"))
    else {
        return;
    };
    existing_resources(t, design);
    let Some(extras) = design.get("peerings").and_then(Value::as_object) else {
        return;
    };
    for resource in &mut t.out.resources {
        if resource.get("type").and_then(Value::as_str)
            != Some("Microsoft.Network/virtualNetworks/virtualNetworkPeerings")
        {
            continue;
        }
        let Some(extra) = resource
            .get("name")
            .and_then(Value::as_str)
            .and_then(|n| extras.get(n))
        else {
            continue;
        };
        let Some(properties) = resource
            .get_mut("properties")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        if extra.get("disconnected").and_then(Value::as_bool) == Some(true) {
            properties.insert("peeringState".into(), json!("Disconnected"));
        }
        if let Some(space) = extra.get("remote_address_space").filter(|s| s.is_array()) {
            properties.insert(
                "remoteAddressSpace".into(),
                json!({ "addressPrefixes": space }),
            );
        }
    }
}
