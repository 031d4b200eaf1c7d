//! Turning the resources of one or more exports into a design, resource type by resource type.
//!
//! First every document is unwrapped and its resources sorted by type into an [`Inventory`]
//! (children given inline, such as a VNet's subnets, and children given as their own resources
//! land in the same lists; a resource listed more than once, by ID, is taken once, from its fullest
//! copy). Then the objects are built
//! in dependency order (ASGs, NSGs and route tables, VNets with subnets, peerings, VMs,
//! gateways, sites, connections, Route Servers, Virtual Network Manager groups and
//! configurations), each reference resolved by ID through [`Builder`], and every reference
//! that cannot be resolved becomes a line in the report. Last, the design is checked against
//! `Design::validate()` and anything still breaking an invariant is left out, with a line.

mod compute;
mod hybrid;
mod managed;
mod meta;
mod names;
mod network;
mod repair;
mod security;

use super::ids::{ResourceId, key_of};
use super::json::Node;
use super::report::ImportReport;
use super::source::resources_in;
use super::{ImportError, Imported};
use crate::model::{Design, SubnetRef};
use names::Namer;

pub(crate) use compute::APPLIANCE_TAG;
pub(crate) use hybrid::HOSTS_TAG;
pub(crate) use meta::METADATA_TYPE as METADATA_TYPE_NAME;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// The most resources one import takes, over all files, counting children listed inline (a
/// VNet's subnets and peerings, an NSG's rules, a route table's routes). The 1,010-VNet,
/// 20,020-NIC estate of the performance notes has about 30,000.
pub const MAX_RESOURCES: usize = 100_000;

/// The most peerings one import takes. Azure allows 500 per VNet, so this is 40 full hubs; the
/// bound keeps the pairwise peering checks of `Design::validate()` well under a second.
pub const MAX_PEERINGS: usize = 20_000;

/// What kind of resource an export item is, from its `type` (or its ID when `type` is absent).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Vnet {
        classic: bool,
    },
    Subnet,
    Peering,
    Nic,
    Nsg,
    NsgRule,
    RouteTable,
    Route,
    Gateway,
    LocalGateway,
    Connection,
    Firewall,
    Asg,
    /// `virtualHubs`: a Route Server (or a Virtual WAN hub, which vnetlab does not model).
    VirtualHub,
    HubIpConfig,
    BgpConnection,
    NetworkGroup,
    StaticMember,
    ConnectivityConfig,
    Metadata,
    Unsupported(String),
}

fn classify(type_name: &str) -> Kind {
    match type_name.to_ascii_lowercase().as_str() {
        "microsoft.network/virtualnetworks" => Kind::Vnet { classic: false },
        "microsoft.classicnetwork/virtualnetworks" => Kind::Vnet { classic: true },
        "microsoft.network/virtualnetworks/subnets" => Kind::Subnet,
        "microsoft.network/virtualnetworks/virtualnetworkpeerings" => Kind::Peering,
        "microsoft.network/networkinterfaces" => Kind::Nic,
        "microsoft.network/networksecuritygroups" => Kind::Nsg,
        "microsoft.network/networksecuritygroups/securityrules" => Kind::NsgRule,
        "microsoft.network/routetables" => Kind::RouteTable,
        "microsoft.network/routetables/routes" => Kind::Route,
        "microsoft.network/virtualnetworkgateways" => Kind::Gateway,
        "microsoft.network/localnetworkgateways" => Kind::LocalGateway,
        "microsoft.network/connections" => Kind::Connection,
        "microsoft.network/azurefirewalls" => Kind::Firewall,
        "microsoft.network/applicationsecuritygroups" => Kind::Asg,
        "microsoft.network/virtualhubs" => Kind::VirtualHub,
        "microsoft.network/virtualhubs/ipconfigurations" => Kind::HubIpConfig,
        "microsoft.network/virtualhubs/bgpconnections" => Kind::BgpConnection,
        "microsoft.network/networkmanagers/networkgroups" => Kind::NetworkGroup,
        "microsoft.network/networkmanagers/networkgroups/staticmembers" => Kind::StaticMember,
        "microsoft.network/networkmanagers/connectivityconfigurations" => Kind::ConnectivityConfig,
        meta::METADATA_TYPE => Kind::Metadata,
        _ => Kind::Unsupported(type_name.to_string()),
    }
}

/// One resource of the export.
#[derive(Debug, Clone, Copy)]
struct Item<'a> {
    node: Node<'a>,
    /// The lower-cased ID (or a synthetic key for an inline child without one).
    key: &'a str,
    /// The parent's key, for children (a subnet's VNet).
    parent: Option<&'a str>,
}

/// The export sorted by resource type; each list in first-seen order, without duplicates.
#[derive(Debug, Default)]
struct Inventory<'a> {
    keys: Vec<String>,
    vnets: Vec<(usize, bool)>,
    subnets: Vec<usize>,
    peerings: Vec<usize>,
    nics: Vec<usize>,
    nsgs: Vec<usize>,
    nsg_rules: Vec<usize>,
    route_tables: Vec<usize>,
    routes: Vec<usize>,
    gateways: Vec<usize>,
    local_gateways: Vec<usize>,
    connections: Vec<usize>,
    firewalls: Vec<usize>,
    asgs: Vec<usize>,
    hubs: Vec<usize>,
    hub_ip_configs: Vec<usize>,
    bgp_connections: Vec<usize>,
    network_groups: Vec<usize>,
    static_members: Vec<usize>,
    connectivity: Vec<usize>,
    metadata: Vec<usize>,
    entries: Vec<(Node<'a>, Option<usize>)>,
    kinds: Vec<Kind>,
    seen: HashMap<String, usize>,
    unnamed: usize,
}

impl<'a> Inventory<'a> {
    fn item(&'a self, index: usize) -> Item<'a> {
        let (node, parent) = self.entries[index];
        Item {
            node,
            key: &self.keys[index],
            parent: parent.map(|p| self.keys[p].as_str()),
        }
    }

    fn items(&'a self, list: &'a [usize]) -> impl Iterator<Item = Item<'a>> + 'a {
        list.iter().map(move |&i| self.item(i))
    }

    /// Adds a resource and returns its index and kind. A resource already seen (the same ID in
    /// another file or list) is not added twice: the copy with more fields is kept, since one
    /// export may list a VNet in full and another only name it.
    fn add(
        &mut self,
        node: Node<'a>,
        parent: Option<usize>,
        container_type: Option<&str>,
        report: &mut ImportReport,
    ) -> Option<(usize, Kind)> {
        let id = node.str("id").map(str::to_string);
        let parsed = id.as_deref().and_then(ResourceId::parse);
        // An inline child is what its container says it is (a classic VNet's subnets too).
        let type_name = container_type
            .map(str::to_string)
            .or_else(|| {
                node.str("type")
                    .filter(|t| t.contains('/'))
                    .map(str::to_string)
            })
            .or_else(|| parsed.as_ref().map(ResourceId::type_path));
        let Some(type_name) = type_name else {
            report.note(format!(
                "an item with id `{}` has no resource type and was left out",
                id.as_deref().unwrap_or("?")
            ));
            return None;
        };
        let key = match &id {
            Some(id) => key_of(id),
            None => {
                // Inline children sometimes lack IDs; key them under their parent.
                self.unnamed += 1;
                let parent_key = parent.map(|p| self.keys[p].clone()).unwrap_or_default();
                format!(
                    "{parent_key}/#{}/{}",
                    self.unnamed,
                    node.str("name").unwrap_or("")
                )
            }
        };
        if let Some(&index) = self.seen.get(&key) {
            if field_count(node) > field_count(self.entries[index].0) {
                self.entries[index].0 = node;
            }
            return Some((index, self.kinds[index].clone()));
        }
        let index = self.entries.len();
        self.seen.insert(key.clone(), index);
        self.keys.push(key);
        self.entries.push((node, parent));
        let kind = classify(&type_name);
        self.kinds.push(kind.clone());
        match &kind {
            Kind::Vnet { classic } => self.vnets.push((index, *classic)),
            Kind::Subnet => self.subnets.push(index),
            Kind::Peering => self.peerings.push(index),
            Kind::Nic => self.nics.push(index),
            Kind::Nsg => self.nsgs.push(index),
            Kind::NsgRule => self.nsg_rules.push(index),
            Kind::RouteTable => self.route_tables.push(index),
            Kind::Route => self.routes.push(index),
            Kind::Gateway => self.gateways.push(index),
            Kind::LocalGateway => self.local_gateways.push(index),
            Kind::Connection => self.connections.push(index),
            Kind::Firewall => self.firewalls.push(index),
            Kind::Asg => self.asgs.push(index),
            Kind::VirtualHub => self.hubs.push(index),
            Kind::HubIpConfig => self.hub_ip_configs.push(index),
            Kind::BgpConnection => self.bgp_connections.push(index),
            Kind::NetworkGroup => self.network_groups.push(index),
            Kind::StaticMember => self.static_members.push(index),
            Kind::ConnectivityConfig => self.connectivity.push(index),
            Kind::Metadata => self.metadata.push(index),
            Kind::Unsupported(kind) => report.unsupported(kind),
        }
        Some((index, kind))
    }

    /// Adds a resource and the children it carries inline (a VNet's subnets and peerings, an
    /// NSG's rules, a route table's routes).
    fn add_with_children(&mut self, node: Node<'a>, report: &mut ImportReport) {
        let Some((index, kind)) = self.add(node, None, None, report) else {
            return;
        };
        let inline: &[(&str, &str)] = match kind {
            Kind::Vnet { .. } => &[
                ("subnets", "microsoft.network/virtualnetworks/subnets"),
                (
                    "virtualNetworkPeerings",
                    "microsoft.network/virtualnetworks/virtualnetworkpeerings",
                ),
            ],
            Kind::Nsg => &[(
                "securityRules",
                "microsoft.network/networksecuritygroups/securityrules",
            )],
            Kind::RouteTable => &[("routes", "microsoft.network/routetables/routes")],
            Kind::VirtualHub => &[
                (
                    "ipConfigurations",
                    "microsoft.network/virtualhubs/ipconfigurations",
                ),
                (
                    "bgpConnections",
                    "microsoft.network/virtualhubs/bgpconnections",
                ),
            ],
            _ => &[],
        };
        for (field, child_type) in inline {
            for child in node.nodes(field) {
                self.add(child, Some(index), Some(child_type), report);
            }
        }
    }
}

/// How much a copy of a resource says: its fields, including those inside `properties`.
fn field_count(node: Node<'_>) -> usize {
    node.map().len() + node.node("properties").map_or(0, |p| p.map().len())
}

/// The state shared by the build steps: the design so far, the report, and ID → name maps.
struct Builder {
    design: Design,
    report: ImportReport,
    vnets: HashMap<String, String>,
    subnets: HashMap<String, SubnetRef>,
    nsgs: HashMap<String, String>,
    route_tables: HashMap<String, String>,
    gateways: HashMap<String, String>,
    sites: HashMap<String, String>,
    asgs: HashMap<String, String>,
    /// Keys of resources that are in the export but were left out, with what they were.
    left_out: HashMap<String, String>,
    /// Every key in the export, to tell "not imported" from "not in the export".
    present: HashSet<String>,
    endpoint_names: Namer,
    /// Placeholders the exporter used for absent subscription / resource group.
    defaults: meta::Defaults,
    /// `(peering name, exported peeringState, exported peeringSyncLevel)`.
    exported_states: Vec<(String, Option<String>, Option<String>)>,
}

impl Builder {
    /// Resolves a reference by ID in one of the maps; when it does not resolve, reports
    /// `{context} {id} ({consequence})` as a missing reference, or as a note when the target is
    /// in the export but was itself left out.
    fn resolve<T: Clone>(
        report: &mut ImportReport,
        left_out: &HashMap<String, String>,
        present: &HashSet<String>,
        map: &HashMap<String, T>,
        id: &str,
        context: impl FnOnce() -> String,
        consequence: &str,
    ) -> Option<T> {
        let key = key_of(id);
        if let Some(found) = map.get(&key) {
            return Some(found.clone());
        }
        let id_shown = id.trim();
        match left_out.get(&key) {
            Some(what) => report.note(format!(
                "{} {id_shown}: that {what} was not imported either ({consequence})",
                context()
            )),
            None if present.contains(&key) => report.note(format!(
                "{} {id_shown}: that resource is not of the expected type ({consequence})",
                context()
            )),
            None => report.missing(format!("{} {id_shown} ({consequence})", context())),
        }
        None
    }

    fn left_out(&mut self, key: &str, what: &str) {
        self.left_out.insert(key.to_string(), what.to_string());
    }
}

/// The resource group and subscription of a resource: from its ID, else the CLI's fields.
fn placement(item: &Item<'_>) -> (Option<String>, Option<String>) {
    let id = item.node.str("id").and_then(ResourceId::parse);
    let rg = id
        .as_ref()
        .and_then(|i| i.resource_group.clone())
        .or_else(|| item.node.str("resourceGroup").map(str::to_string));
    let sub = id
        .as_ref()
        .and_then(|i| i.subscription.clone())
        .or_else(|| item.node.str("subscriptionId").map(str::to_string));
    (rg, sub)
}

/// The resource's name: its `name`, else the last segment of its ID.
fn resource_name<'a>(item: &Item<'a>) -> &'a str {
    item.node
        .str("name")
        .or_else(|| {
            item.node
                .str("id")
                .and_then(|id| id.trim().trim_end_matches('/').rsplit('/').next())
        })
        .unwrap_or("")
}

/// Builds a design from parsed export documents.
pub(super) fn import(documents: &[(String, Value)]) -> Result<Imported, ImportError> {
    let mut report = ImportReport {
        files: documents.iter().map(|(f, _)| f.clone()).collect(),
        ..ImportReport::default()
    };
    let mut inventory = Inventory::default();
    for (file, value) in documents {
        let found = resources_in(value, file)?;
        if found.unrecognised > 0 {
            report.note(format!(
                "{file}: {} left out",
                super::report::plural(
                    found.unrecognised,
                    "item is not an Azure resource and was",
                    "items are not Azure resources and were"
                )
            ));
        }
        for resource in found.resources {
            if let Some(node) = Node::of(resource) {
                inventory.add_with_children(node, &mut report);
            }
            let too_many = [
                (inventory.entries.len(), MAX_RESOURCES, "resources"),
                (inventory.peerings.len(), MAX_PEERINGS, "peerings"),
            ]
            .into_iter()
            .find(|(count, limit, _)| count > limit);
            if let Some((count, limit, what)) = too_many {
                return Err(ImportError::TooManyResources {
                    files: report.files.join(", "),
                    what,
                    count,
                    limit,
                });
            }
        }
    }
    let (design, defaults) = meta::read(&inventory, &mut report);
    let mut builder = Builder {
        design,
        report,
        vnets: HashMap::new(),
        subnets: HashMap::new(),
        nsgs: HashMap::new(),
        route_tables: HashMap::new(),
        gateways: HashMap::new(),
        sites: HashMap::new(),
        asgs: HashMap::new(),
        left_out: HashMap::new(),
        present: inventory.keys.iter().cloned().collect(),
        endpoint_names: Namer::default(),
        defaults,
        exported_states: Vec::new(),
    };
    if inventory.metadata.is_empty() {
        let names: Vec<&str> = builder
            .report
            .files
            .iter()
            .map(|f| f.rsplit(['/', '\\']).next().unwrap_or(f))
            .collect();
        builder.design.name = format!("Imported from {}", names.join(", "));
    }
    managed::import_asgs(&inventory, &mut builder);
    security::import_nsgs(&inventory, &mut builder);
    security::import_route_tables(&inventory, &mut builder);
    network::import_vnets(&inventory, &mut builder);
    network::import_peerings(&inventory, &mut builder);
    compute::import_nics(&inventory, &mut builder);
    compute::import_firewalls(&inventory, &mut builder);
    hybrid::import_gateways(&inventory, &mut builder);
    hybrid::import_sites(&inventory, &mut builder);
    hybrid::import_connections(&inventory, &mut builder);
    managed::import_route_servers(&inventory, &mut builder);
    managed::import_network_manager(&inventory, &mut builder);
    meta::apply_intents(&inventory, &mut builder);
    repair::enforce_invariants(&mut builder.design, &mut builder.report);
    network::compare_peering_states(&mut builder);
    let Builder {
        design, mut report, ..
    } = builder;
    report.counts = super::ImportCounts {
        vnets: design.vnets.len(),
        subnets: design.vnets.iter().map(|v| v.subnets.len()).sum(),
        peerings: design.peerings.len(),
        nics: design.vms.iter().map(|v| v.nics.len()).sum(),
        vms: design.vms.len(),
        nsgs: design.nsgs.len(),
        route_tables: design.route_tables.len(),
        gateways: design.gateways.len(),
        sites: design.sites.len(),
        connections: design.connections.len(),
    };
    Ok(Imported { design, report })
}
