//! The shared machinery of the translation from Terraform resource instances to ARM-shaped
//! resources: reading an attribute that may be known, or unknown and found through the
//! configuration ([`refs`](super::refs)); the ARM ID of every instance (its own `id` when
//! known, else built from its name, resource group and parents, as Azure would); and the
//! summary lines (placeholders, notes, unmodelled types) the translation adds to the import
//! summary.

use super::document::{Document, Instance, PathStep};
use super::refs::{Resolver, Segment, Target};
use crate::io::azure::ResourceId;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// Nesting of attribute look-ups through other resources (a subnet's VNet's resource group…).
const MAX_DEPTH: usize = 12;

/// The subscription written into IDs built for resources whose subscription the plan does not
/// say (Terraform takes it from the provider); the import summary names it.
pub const PLACEHOLDER_SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";

/// What the translation of one document produced.
#[derive(Debug, Default)]
pub struct Translated {
    /// ARM-shaped resources for the ARM importer.
    pub resources: Vec<Value>,
    /// Values unknown until apply, each with what stands in for it.
    pub placeholders: Vec<String>,
    /// Everything else worth a line.
    pub notes: Vec<String>,
    /// Terraform resource types that vnetlab does not model, with counts.
    pub unsupported: BTreeMap<String, usize>,
    /// Whether an ID was built with [`PLACEHOLDER_SUBSCRIPTION`].
    pub used_placeholder_subscription: bool,
}

/// The translation state of one document.
pub struct Translator<'d, 'a> {
    pub(super) document: &'d Document<'a>,
    pub(super) resolver: Resolver<'d, 'a>,
    /// The subscription for built IDs: one seen in a known ID, else the placeholder.
    pub(super) subscription: String,
    pub(super) out: Translated,
    /// Instance position → index in `out.resources`, for the instances that became resources.
    pub(super) emitted: HashMap<usize, usize>,
    /// Private IPs chosen for instances whose address is unknown (NICs, firewalls).
    pub(super) assigned_ips: HashMap<usize, String>,
}

/// `a_b_c` attribute names, one per step.
pub fn path(steps: &[&'static str]) -> Vec<PathStep<'static>> {
    steps.iter().map(|s| PathStep::Key(s)).collect()
}

impl<'d, 'a> Translator<'d, 'a> {
    pub(super) fn new(document: &'d Document<'a>) -> Self {
        let subscription = document
            .instances
            .iter()
            .filter_map(|i| i.values.get("id").and_then(Value::as_str))
            .filter_map(ResourceId::parse)
            .find_map(|id| id.subscription)
            .unwrap_or_else(|| PLACEHOLDER_SUBSCRIPTION.to_string());
        Translator {
            document,
            resolver: Resolver::new(document),
            subscription,
            out: Translated::default(),
            emitted: HashMap::new(),
            assigned_ips: HashMap::new(),
        }
    }

    pub(super) fn instance(&self, i: usize) -> &Instance<'a> {
        &self.document.instances[i]
    }

    /// A known value at a path of an instance's values (`null` counts as absent).
    pub(super) fn known(&self, i: usize, path: &[PathStep<'_>]) -> Option<&'a Value> {
        let mut node: &'a Value = self.instance(i).values.get(match path.first()? {
            PathStep::Key(k) => *k,
            PathStep::Index(_) => return None,
        })?;
        for step in &path[1..] {
            node = match step {
                PathStep::Key(k) => node.get(*k)?,
                PathStep::Index(n) => node.get(*n)?,
            };
        }
        (!node.is_null()).then_some(node)
    }

    /// A string attribute: known, or found through the configuration.
    pub(super) fn string(&self, i: usize, path: &[PathStep<'_>]) -> Option<String> {
        self.string_at(i, path, 0)
    }

    fn string_at(&self, i: usize, path: &[PathStep<'_>], depth: usize) -> Option<String> {
        if let Some(value) = self.known(i, path) {
            return value.as_str().map(str::to_string);
        }
        if depth >= MAX_DEPTH {
            return None;
        }
        self.resolver
            .targets(i, path)
            .into_iter()
            .find_map(|target| self.target_string(target, depth + 1))
    }

    /// The string a target stands for: an ID for `…id`, a private IP for
    /// `…private_ip_address`, else the attribute itself.
    fn target_string(&self, target: Target<'a>, depth: usize) -> Option<String> {
        match target {
            Target::Value(value) => value.as_str().map(str::to_string),
            Target::Instance(t, segments) => {
                let last = match segments.last() {
                    Some(Segment::Name(n)) => n.as_str(),
                    _ => "",
                };
                match last {
                    // Terraform 0.12 lists a bare `type.name` for `type.name.id`.
                    "" if segments.is_empty() => self.id_at(t, depth),
                    "id" if segments.len() == 1 => self.id_at(t, depth),
                    "private_ip_address" => self.ip_of(t),
                    _ => {
                        let steps: Vec<PathStep<'_>> = segments
                            .iter()
                            .map(|s| match s {
                                Segment::Name(n) | Segment::Key(n) => PathStep::Key(n.as_str()),
                                Segment::Index(n) => {
                                    PathStep::Index(usize::try_from(*n).unwrap_or(usize::MAX))
                                }
                            })
                            .collect();
                        if steps.is_empty() {
                            return None;
                        }
                        self.string_at(t, &steps, depth)
                    }
                }
            }
        }
    }

    /// A list of strings (e.g. `network_interface_ids`): known, or one string per instance the
    /// expression refers to.
    pub(super) fn strings(&self, i: usize, path: &[PathStep<'_>]) -> Option<Vec<String>> {
        if let Some(value) = self.known(i, path) {
            return Some(
                value
                    .as_array()?
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            );
        }
        let found: Vec<String> = self
            .resolver
            .targets(i, path)
            .into_iter()
            .filter_map(|t| match t {
                Target::Value(Value::Array(items)) => Some(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect::<Vec<_>>(),
                ),
                other => self.target_string(other, 1).map(|s| vec![s]),
            })
            .flatten()
            .collect();
        (!found.is_empty()).then_some(found)
    }

    /// The private IP chosen for, or known of, a NIC or firewall instance.
    pub(super) fn ip_of(&self, i: usize) -> Option<String> {
        if let Some(ip) = self.assigned_ips.get(&i) {
            return Some(ip.clone());
        }
        self.known(
            i,
            &[
                PathStep::Key("ip_configuration"),
                PathStep::Index(0),
                PathStep::Key("private_ip_address"),
            ],
        )
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
    }

    /// The resource's name; an instance whose name is unknown until apply is named after its
    /// Terraform address, with a placeholder line.
    pub(super) fn name(&mut self, i: usize) -> String {
        if let Some(name) = self.string(i, &path(&["name"])) {
            return name;
        }
        let address = self.instance(i).address.to_string();
        let line = format!(
            "`{address}`: its name is unknown until apply; it is named `{address}` in the design"
        );
        self.placeholder(line);
        address
    }

    /// The ARM ID of an instance: its own when known, else built as Azure would.
    pub(super) fn id_of(&self, i: usize) -> Option<String> {
        self.id_at(i, 0)
    }

    fn id_at(&self, i: usize, depth: usize) -> Option<String> {
        if let Some(id) = self.known(i, &path(&["id"])).and_then(Value::as_str) {
            return Some(id.to_string());
        }
        if depth >= MAX_DEPTH {
            return None;
        }
        let instance = self.instance(i);
        let subscription = self
            .resolver
            .provider_subscription(instance)
            .unwrap_or_else(|| self.subscription.clone());
        let name = || {
            self.string_at(i, &path(&["name"]), depth + 1)
                .unwrap_or_else(|| instance.address.to_string())
        };
        let rg = || self.string_at(i, &path(&["resource_group_name"]), depth + 1);
        let network = |segments: &[(&str, String)]| -> Option<String> {
            let mut id = format!(
                "/subscriptions/{subscription}/resourceGroups/{}/providers/Microsoft.Network",
                rg()?
            );
            for (kind, name) in segments {
                id.push_str(&format!("/{kind}/{name}"));
            }
            Some(id)
        };
        let parent = |field: &'static str| self.string_at(i, &path(&[field]), depth + 1);
        match instance.kind {
            "azurerm_virtual_network" => network(&[("virtualNetworks", name())]),
            "azurerm_subnet" => network(&[
                ("virtualNetworks", parent("virtual_network_name")?),
                ("subnets", name()),
            ]),
            "azurerm_virtual_network_peering" => network(&[
                ("virtualNetworks", parent("virtual_network_name")?),
                ("virtualNetworkPeerings", name()),
            ]),
            "azurerm_route_table" => network(&[("routeTables", name())]),
            "azurerm_route" => network(&[
                ("routeTables", parent("route_table_name")?),
                ("routes", name()),
            ]),
            "azurerm_network_security_group" => network(&[("networkSecurityGroups", name())]),
            "azurerm_network_security_rule" => network(&[
                (
                    "networkSecurityGroups",
                    parent("network_security_group_name")?,
                ),
                ("securityRules", name()),
            ]),
            "azurerm_network_interface" => network(&[("networkInterfaces", name())]),
            "azurerm_virtual_network_gateway" => network(&[("virtualNetworkGateways", name())]),
            "azurerm_local_network_gateway" => network(&[("localNetworkGateways", name())]),
            "azurerm_virtual_network_gateway_connection" => network(&[("connections", name())]),
            "azurerm_firewall" => network(&[("azureFirewalls", name())]),
            "azurerm_linux_virtual_machine"
            | "azurerm_windows_virtual_machine"
            | "azurerm_virtual_machine" => Some(format!(
                "/subscriptions/{subscription}/resourceGroups/{}/providers/Microsoft.Compute/virtualMachines/{}",
                rg()?,
                name()
            )),
            "azurerm_resource_group" => Some(format!(
                "/subscriptions/{subscription}/resourceGroups/{}",
                name()
            )),
            "azapi_resource" => super::azapi::build_id(self, i, depth),
            _ => None,
        }
    }

    pub(super) fn placeholder(&mut self, line: String) {
        if !self.out.placeholders.contains(&line) {
            self.out.placeholders.push(line);
        }
    }

    pub(super) fn note(&mut self, line: String) {
        self.out.notes.push(line);
    }

    /// Adds an ARM resource for an instance.
    pub(super) fn emit(&mut self, i: usize, resource: Value) {
        if resource
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(|id| id.contains(PLACEHOLDER_SUBSCRIPTION))
        {
            self.out.used_placeholder_subscription = true;
        }
        self.emitted.insert(i, self.out.resources.len());
        self.out.resources.push(resource);
    }

    /// The ARM resource emitted for an instance, mutably.
    pub(super) fn emitted_mut(&mut self, i: usize) -> Option<&mut Map<String, Value>> {
        let at = *self.emitted.get(&i)?;
        self.out.resources.get_mut(at)?.as_object_mut()
    }

    /// Says that an ID-valued attribute is unknown and could not be found, naming what it does.
    pub(super) fn unresolved(&mut self, i: usize, attribute: &str, consequence: &str) {
        let address = self.instance(i).address;
        let refs = self
            .resolver
            .expression(self.instance(i), &[PathStep::Key(attribute)])
            .and_then(|(e, _)| e.get("references"))
            .and_then(Value::as_array)
            .and_then(|r| r.first())
            .and_then(Value::as_str)
            .map(|r| format!(" (it refers to `{r}`, which the plan does not resolve)"))
            .unwrap_or_default();
        let line =
            format!("`{address}`: `{attribute}` is unknown until apply{refs}; {consequence}");
        self.placeholder(line);
    }
}

/// A plain value's string at a key of a block (`null` and absent are `None`).
pub fn field<'v>(block: &'v Value, key: &str) -> Option<&'v str> {
    block.get(key).and_then(Value::as_str)
}

/// The strings of a list at a key of a block (a single string counts as a one-element list).
pub fn field_strings(block: &Value, key: &str) -> Vec<String> {
    match block.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}
