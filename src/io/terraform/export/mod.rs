//! Design → azurerm HCL, built as an `hcl-rs` body (no HCL is assembled from strings) and
//! formatted by it.
//!
//! What is written, in order: the `terraform` block (azurerm 4.x), one `azurerm` provider per
//! subscription the design names (the default one, `var.subscription_id`, for VNets that name
//! none), input variables for what a design does not know (subscription IDs, VM size, image and
//! admin account, the VPN shared key), one resource group per resource group the VNets name
//! (`vnetlab` for VNets that name none), then VNets, subnets, both links of every peering, NSGs
//! with their rules and associations, route tables with their routes and associations, NICs
//! and minimal Linux VMs, gateways with their public IPs, local network gateways and
//! connections. Resources refer to each other by Terraform address
//! (`azurerm_virtual_network.hub.id`); identifiers are the design names made valid
//! (`10 spoke` → `_10_spoke`), unique per resource type.
//!
//! What only vnetlab knows is not dressed up as resources: an appliance's settings and a site's
//! hosts ride in the same Azure tags the ARM export uses (`vnetlab-appliance`, `vnetlab-hosts`),
//! and design-level facts (name, description, assumptions, intents, subscriptions' roles, the
//! peering state Terraform cannot express) go in one output, `vnetlab_design`, which
//! `terraform plan` carries into the plan JSON, where the importer reads it back. Classic VNets
//! cannot be created (or read) by azurerm: peerings name them by resource ID, nothing is
//! written for them or the VMs in them, and the output keeps them as the ARM export's
//! `metadata.vnetlab.existing` does.

mod resources;

use super::DESIGN_OUTPUT;
use crate::model::{DeploymentModel, Design, same_space};
use hcl::expr::{Traversal, Variable};
use hcl::{Block, Body, Expression};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The resource group written for VNets that name none.
pub const DEFAULT_RESOURCE_GROUP: &str = "vnetlab";
/// The tag carrying a VM's appliance settings (the ARM importer reads the same tag).
pub(super) const APPLIANCE_TAG: &str = "vnetlab-appliance";
/// The tag carrying a site's hosts (the ARM importer reads the same tag).
pub(super) const HOSTS_TAG: &str = "vnetlab-hosts";

const HEADER: &str = "\
# Written by `vnetlab export --to terraform` for the azurerm provider 4.x.
# Review the variables before `terraform apply`: subscription IDs, VM size, image and admin
# account, and the VPN shared key are placeholders the design does not know. The output
# `vnetlab_design` holds what only vnetlab reads (intents, assumptions); appliance rules ride in
# the `vnetlab-appliance` tag of each VM's first NIC. Neither creates anything in Azure.
";

/// A reference to another resource's attribute: `type.ident.attr`.
pub(super) fn reference(kind: &str, ident: &str, attribute: &str) -> Expression {
    Traversal::builder(Variable::unchecked(kind))
        .attr(ident)
        .attr(attribute)
        .build()
        .into()
}

/// `var.NAME`, or `var.NAME.FIELD`.
pub(super) fn var(name: &str, field: Option<&str>) -> Expression {
    let builder = Traversal::builder(Variable::unchecked("var")).attr(name);
    match field {
        Some(field) => builder.attr(field).build().into(),
        None => builder.build().into(),
    }
}

/// A valid Terraform identifier for a name: letters, digits, `_` and `-`, starting with a
/// letter or `_`.
pub fn identifier(name: &str) -> String {
    let mut ident: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !ident.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        ident.insert(0, '_');
    }
    ident
}

/// Identifiers handed out per resource type, unique within the type.
#[derive(Default)]
pub(super) struct Idents {
    by_name: HashMap<(&'static str, String), String>,
    used: HashSet<(&'static str, String)>,
}

impl Idents {
    /// The identifier of a design object of a resource type (the same name gives the same one).
    pub(super) fn of(&mut self, kind: &'static str, name: &str) -> String {
        if let Some(found) = self.by_name.get(&(kind, name.to_string())) {
            return found.clone();
        }
        let base = identifier(name);
        let ident = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}_{n}")))
            .find(|candidate| !self.used.contains(&(kind, candidate.clone())))
            .unwrap_or(base);
        self.used.insert((kind, ident.clone()));
        self.by_name.insert((kind, name.to_string()), ident.clone());
        ident
    }
}

/// Where a VNet and everything beside it lives: provider alias, resource group, region.
#[derive(Clone)]
pub(super) struct Place {
    /// The provider alias (`None`: the default provider).
    pub(super) provider: Option<String>,
    /// The resource group's Terraform identifier.
    pub(super) group: String,
    /// The Azure location name.
    pub(super) location: String,
}

impl Place {
    /// `provider` (when aliased), `name`, `resource_group_name` and `location`.
    pub(super) fn attributes(&self, name: &str) -> Vec<(&'static str, Expression)> {
        let mut attributes = Vec::new();
        if let Some(alias) = &self.provider {
            attributes.push(("provider", provider_ref(alias)));
        }
        attributes.push(("name", name.into()));
        attributes.push((
            "resource_group_name",
            reference("azurerm_resource_group", &self.group, "name"),
        ));
        attributes.push(("location", self.location.as_str().into()));
        attributes
    }
}

fn provider_ref(alias: &str) -> Expression {
    Traversal::builder(Variable::unchecked("azurerm"))
        .attr(alias)
        .build()
        .into()
}

/// The writer's state: the design, identifiers, where each VNet lives, and the blocks so far.
pub(super) struct Writer<'d> {
    pub(super) design: &'d Design,
    pub(super) idents: Idents,
    places: HashMap<String, Place>,
    fallback: Place,
    fallback_used: bool,
    /// The resource ID of each classic VNet, as a string template: azurerm cannot create or
    /// read one, so peerings name it by ID and nothing is written for it.
    classic_ids: HashMap<String, Expression>,
    pub(super) blocks: Vec<Block>,
}

impl Writer<'_> {
    /// Where a VNet lives; a name not in the design (or `None`) gets the `vnetlab` group.
    pub(super) fn place(&mut self, vnet: Option<&str>) -> Place {
        match vnet.and_then(|v| self.places.get(v)) {
            Some(place) => place.clone(),
            None => {
                self.fallback_used = true;
                self.fallback.clone()
            }
        }
    }

    /// The ID of a classic VNet of the design (`None` for any other name).
    pub(super) fn classic_id(&self, vnet: &str) -> Option<Expression> {
        self.classic_ids.get(vnet).cloned()
    }

    /// Whether the subnet reference lies in a classic VNet.
    pub(super) fn is_classic(&self, vnet: &str) -> bool {
        self.classic_ids.contains_key(vnet)
    }

    /// Adds `resource "KIND" "IDENT" { attributes… blocks… }`.
    pub(super) fn resource(
        &mut self,
        kind: &'static str,
        ident: &str,
        attributes: Vec<(&'static str, Expression)>,
        blocks: Vec<Block>,
    ) {
        let block = Block::builder("resource")
            .add_label(kind)
            .add_label(ident)
            .add_attributes(attributes)
            .add_blocks(blocks)
            .build();
        self.blocks.push(block);
    }
}

/// A nested block with attributes only.
pub(super) fn nested(name: &str, attributes: Vec<(&'static str, Expression)>) -> Block {
    Block::builder(name).add_attributes(attributes).build()
}

/// The design as azurerm HCL text.
pub fn export_hcl(design: &Design) -> String {
    let mut idents = Idents::default();
    let fallback = Place {
        provider: None,
        group: idents.of("azurerm_resource_group", DEFAULT_RESOURCE_GROUP),
        location: design
            .vnets
            .first()
            .map_or("eastus", |v| v.region.name())
            .to_string(),
    };
    let mut writer = Writer {
        design,
        idents,
        places: HashMap::new(),
        fallback,
        fallback_used: false,
        classic_ids: HashMap::new(),
        blocks: Vec::new(),
    };
    let (providers, mut groups) = providers_and_groups(&mut writer);
    for vnet in &design.vnets {
        resources::vnet(&mut writer, vnet);
    }
    for peering in &design.peerings {
        resources::peering(&mut writer, peering);
    }
    resources::security(&mut writer);
    resources::compute(&mut writer);
    resources::hybrid(&mut writer);
    if writer.fallback_used && !groups.contains_key(&writer.fallback.group) {
        groups.insert(
            writer.fallback.group.clone(),
            (writer.fallback.clone(), DEFAULT_RESOURCE_GROUP.to_string()),
        );
    }
    let group_blocks = groups.into_values().map(|(place, name)| {
        let mut attributes = place.attributes(&name);
        attributes.retain(|(k, _)| *k != "resource_group_name");
        Block::builder("resource")
            .add_label("azurerm_resource_group")
            .add_label(place.group.as_str())
            .add_attributes(attributes)
            .build()
    });
    let body = Body::builder()
        .add_block(terraform_block())
        .add_blocks(providers)
        .add_blocks(variables(design))
        .add_blocks(group_blocks)
        .add_blocks(std::mem::take(&mut writer.blocks))
        .add_block(design_output(design))
        .build();
    let text = hcl::format::to_string(&body).unwrap_or_default();
    format!("{HEADER}\n{text}")
}

fn terraform_block() -> Block {
    let azurerm = Expression::from_iter([("source", "hashicorp/azurerm"), ("version", "~> 4.0")]);
    Block::builder("terraform")
        .add_block(
            Block::builder("required_providers")
                .add_attribute(("azurerm", azurerm))
                .build(),
        )
        .build()
}

/// Providers (the default, plus one alias per subscription the design names) and resource
/// groups (identifier → (place, name)); fills the writer's places.
fn providers_and_groups(
    writer: &mut Writer<'_>,
) -> (Vec<Block>, BTreeMap<String, (Place, String)>) {
    let design = writer.design;
    let mut providers = vec![
        Block::builder("provider")
            .add_label("azurerm")
            .add_attribute(("subscription_id", var("subscription_id", None)))
            .add_block(Block::builder("features").build())
            .build(),
    ];
    let mut aliases: HashMap<&str, String> = HashMap::new();
    let mut groups = BTreeMap::new();
    for vnet in &design.vnets {
        let provider = if vnet.subscription.is_empty() {
            None
        } else {
            let alias = writer.idents.of("provider", &vnet.subscription);
            if aliases.insert(&vnet.subscription, alias.clone()).is_none() {
                providers.push(
                    Block::builder("provider")
                        .add_label("azurerm")
                        .add_attribute(("alias", alias.as_str()))
                        .add_attribute((
                            "subscription_id",
                            var(&format!("subscription_{alias}"), None),
                        ))
                        .add_block(Block::builder("features").build())
                        .build(),
                );
            }
            Some(alias)
        };
        let rg = vnet
            .resource_group
            .clone()
            .unwrap_or_else(|| DEFAULT_RESOURCE_GROUP.to_string());
        if vnet.deployment == DeploymentModel::Classic {
            // It exists already (in a group that exists): referred to, never created.
            let subscription = match &provider {
                Some(alias) => format!("var.subscription_{alias}"),
                None => "var.subscription_id".to_string(),
            };
            let literal = |text: &str| text.replace("${", "$${").replace("%{", "%%{");
            let id = format!(
                "/subscriptions/${{{subscription}}}/resourceGroups/{}/providers/Microsoft.ClassicNetwork/virtualNetworks/{}",
                literal(&rg),
                literal(&vnet.name)
            );
            writer.classic_ids.insert(
                vnet.name.clone(),
                Expression::TemplateExpr(Box::new(id.into())),
            );
            continue;
        }
        let seed = match &provider {
            Some(alias) => format!("{rg}_{alias}"),
            None => rg.clone(),
        };
        let group = writer.idents.of("azurerm_resource_group", &seed);
        let place = Place {
            provider,
            group: group.clone(),
            location: vnet.region.name().to_string(),
        };
        groups.entry(group).or_insert_with(|| (place.clone(), rg));
        writer.places.insert(vnet.name.clone(), place);
    }
    (providers, groups)
}

fn variable(name: &str, description: &str, default: Option<Expression>) -> Block {
    let mut builder = Block::builder("variable")
        .add_label(name)
        .add_attribute(("description", description));
    if let Some(default) = default {
        builder = builder.add_attribute(("default", default));
    }
    builder.build()
}

fn variables(design: &Design) -> Vec<Block> {
    let mut blocks = vec![variable(
        "subscription_id",
        "Subscription for the VNets whose design names none (azurerm 4.x requires one).",
        None,
    )];
    // The same identifiers as the provider aliases (same names in the same order).
    let mut aliases = Idents::default();
    let mut seen = HashSet::new();
    for vnet in design.vnets.iter().filter(|v| !v.subscription.is_empty()) {
        let alias = aliases.of("provider", &vnet.subscription);
        if seen.insert(alias.clone()) {
            blocks.push(variable(
                &format!("subscription_{alias}"),
                "Subscription named in the design; replace it with the subscription ID if it is a name.",
                Some(vnet.subscription.as_str().into()),
            ));
        }
    }
    if !design.vms.is_empty() {
        blocks.push(variable(
            "vm_size",
            "Size of every VM (a placeholder: the design models networking only).",
            Some("Standard_B1s".into()),
        ));
        blocks.push(variable(
            "admin_username",
            "Admin user of every VM (a placeholder).",
            Some("azureuser".into()),
        ));
        blocks.push(variable(
            "admin_ssh_public_key",
            "SSH public key of the admin user (required: no default).",
            None,
        ));
        blocks.push(variable(
            "vm_image",
            "Image of every VM (a placeholder).",
            Some(Expression::from_iter([
                ("publisher", "Canonical"),
                ("offer", "ubuntu-24_04-lts"),
                ("sku", "server"),
                ("version", "latest"),
            ])),
        ));
    }
    if !design.connections.is_empty() {
        blocks.push(
            Block::builder("variable")
                .add_label("vpn_shared_key")
                .add_attribute((
                    "description",
                    "Pre-shared key of every VPN connection (required).",
                ))
                .add_attribute(("sensitive", true))
                .build(),
        );
    }
    blocks
}

/// The `vnetlab_design` output: design-level facts only vnetlab reads.
fn design_output(design: &Design) -> Block {
    let mut peerings = serde_json::Map::new();
    for p in &design.peerings {
        let mut extra = serde_json::Map::new();
        if p.disconnected {
            extra.insert("disconnected".into(), json!(true));
        }
        if let Some(space) = &p.remote_address_space {
            let current = design
                .vnet(&p.remote)
                .map(|v| v.address_space.clone())
                .unwrap_or_default();
            if !same_space(space, &current) {
                let texts: Vec<String> = space.iter().map(ToString::to_string).collect();
                extra.insert("remote_address_space".into(), json!(texts));
            }
        }
        if !extra.is_empty() {
            peerings.insert(p.name.clone(), serde_json::Value::Object(extra));
        }
    }
    let mut value = json!({
        "name": design.name,
        "description": design.description,
        "assumptions": design.assumptions,
        "intents": design.intents,
        "subscriptions": design.subscriptions,
        "default_resource_group": DEFAULT_RESOURCE_GROUP,
        "peerings": peerings,
    });
    if let Some(existing) = crate::io::export::existing_resources(design) {
        value["existing"] = existing;
    }
    let value: Expression = hcl::to_value(&value).map_or(Expression::Null, Expression::from);
    Block::builder("output")
        .add_label(DESIGN_OUTPUT)
        .add_attribute((
            "description",
            "vnetlab-only facts (intents, assumptions, peering state); not an Azure resource.",
        ))
        .add_attribute(("value", value))
        .build()
}
