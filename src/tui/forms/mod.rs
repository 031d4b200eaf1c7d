//! What each form means: which fields an object has, how their text becomes an object, and the
//! checks shown as you type (CIDR syntax, overlaps with peered spaces, IPs inside their subnet,
//! duplicate names, Azure's peering rules), with suggestions for the next free range or address.
//!
//! One function per kind both validates and builds: [`FormSpec::build`] parses every field,
//! collects every problem keyed by field, and only when there is none returns the [`Edit`].
//! Validation as you type is that same call, so what the form accepts is exactly what it applies.
//! Nothing here touches the design; the caller applies the edit through the session.

pub mod account;
mod attach;
mod checker;
mod connection;
mod gateway;
mod groups;
mod hub;
mod intent;
mod key;
mod network;
mod nic;
mod peering;
mod policy;
mod prompts;
mod route_server;
mod vm;

use crate::edit::{Edit, Object, ObjectRef};
use crate::model::{Design, Flow, ObjectKind, SubnetRef};
pub use checker::Checker;
pub use key::FieldKey;

/// A form whose fields are named by [`FieldKey`].
pub type Form = crate::tui::widgets::form::Form<FieldKey>;
/// A field of a [`Form`].
pub type Field = crate::tui::widgets::form::Field<FieldKey>;
use std::path::PathBuf;

/// Which form is open, and for an edit, the object being edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormSpec {
    /// A VNet (`None`: a new one).
    Vnet(Option<String>),
    /// A subnet.
    Subnet(Option<SubnetRef>),
    /// A VM or appliance.
    Vm(Option<String>),
    /// A secondary NIC of a VM (`index` ≥ 1 into `Vm::nics`; `None`: a new one).
    Nic {
        /// The VM.
        vm: String,
        /// The NIC being edited.
        index: Option<usize>,
    },
    /// A rule of an appliance.
    ApplianceRule {
        /// The appliance.
        vm: String,
        /// The rule being edited.
        original: Option<String>,
    },
    /// One peering link.
    Peering(Option<String>),
    /// Hub and spokes: both links between a hub and each chosen spoke.
    HubAndSpokes,
    /// A gateway.
    Gateway(Option<String>),
    /// An on-premises site.
    Site(Option<String>),
    /// A host of a site.
    Host {
        /// The host being edited, as (site, host).
        original: Option<(String, String)>,
    },
    /// A connection.
    Connection(Option<String>),
    /// A route table.
    RouteTable(Option<String>),
    /// A route of a table.
    Route {
        /// The table.
        table: String,
        /// The route being edited.
        original: Option<String>,
    },
    /// An NSG.
    Nsg(Option<String>),
    /// A rule of an NSG.
    NsgRule {
        /// The NSG.
        nsg: String,
        /// The rule being edited.
        original: Option<String>,
    },
    /// An intent.
    Intent(Option<String>),
    /// The assumptions for contested behaviour.
    Assumptions,
    /// The design's title and description.
    Info,
    /// A subscription and the designer's role in it.
    Subscription(Option<String>),
    /// The flow the matrix is evaluated for.
    Flow,
    /// An application security group and its member NICs.
    Asg(Option<String>),
    /// An Azure Route Server.
    RouteServer(Option<String>),
    /// A BGP peer of a Route Server.
    BgpPeer {
        /// The Route Server.
        server: String,
        /// The peer being edited.
        original: Option<String>,
    },
    /// An AVNM network group and its member VNets.
    NetworkGroup(Option<String>),
    /// An AVNM connectivity configuration.
    Connectivity(Option<String>),
    /// Save under a new path.
    SaveAs,
}

/// What submitting a form asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submit {
    /// A change to the design.
    Edit(Edit),
    /// A new flow for the matrix.
    Flow(Flow),
    /// Save to this path.
    SaveAs(PathBuf),
}

/// "(none)" in choices of optional references.
pub const NONE: &str = "(none)";

/// `Some(name)` unless the choice is "(none)".
pub fn optional(value: &str) -> Option<String> {
    (value != NONE && !value.is_empty()).then(|| value.to_string())
}

/// Options for an optional reference: "(none)" then the names.
pub fn with_none<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    std::iter::once(NONE.to_string())
        .chain(names.map(str::to_string))
        .collect()
}

/// The names a VM or on-premises host may not take: every VM's and every host's (they share
/// one namespace as endpoints).
fn endpoint_names(design: &Design) -> Vec<&str> {
    design
        .vms
        .iter()
        .map(|v| v.name.as_str())
        .chain(
            design
                .sites
                .iter()
                .flat_map(|s| s.hosts.iter().map(|h| h.name.as_str())),
        )
        .collect()
}

/// The Name field: the object's name when editing one (`current`), else `base` made unique
/// among `taken` by the core's naming rule.
fn name_field(current: Option<&str>, base: &str, taken: &[&str]) -> Field {
    let name = current.map_or_else(
        || crate::model::plan::unique_name(base, |n| taken.contains(&n)),
        str::to_string,
    );
    Field::text(FieldKey::Name, "Name", name)
}

/// An add, or for an edit a rename (when the name changed) followed by a replace.
pub fn add_or_replace(kind: ObjectKind, original: Option<&str>, object: Object) -> Edit {
    match original {
        None => Edit::Add { object, at: None },
        Some(old) => {
            let new_name = object.name();
            if old == new_name {
                Edit::Replace(object)
            } else {
                let to = match kind {
                    ObjectKind::Subnet => {
                        new_name.rsplit('/').next().unwrap_or(&new_name).to_string()
                    }
                    _ => new_name.clone(),
                };
                Edit::Batch(vec![
                    Edit::Rename {
                        target: ObjectRef::new(kind, old),
                        to,
                    },
                    Edit::Replace(object),
                ])
            }
        }
    }
}

impl FormSpec {
    /// The form for this spec, filled from the design (or with suggestions for a new object).
    /// `context` names the object selected when the form was opened (e.g. the VNet a new subnet
    /// goes into). Returns `None` when what it edits no longer exists.
    pub fn open(&self, design: &Design, context: &Context) -> Option<Form> {
        let mut form = match self {
            FormSpec::Vnet(original) => network::vnet_form(design, original.as_deref())?,
            FormSpec::Subnet(original) => network::subnet_form(design, original.as_ref(), context)?,
            FormSpec::Vm(original) => vm::vm_form(design, original.as_deref(), context)?,
            FormSpec::Nic { vm, index } => nic::nic_form(design, vm, *index)?,
            FormSpec::ApplianceRule { vm, original } => {
                network::appliance_rule_form(design, vm, original.as_deref())?
            }
            FormSpec::Peering(original) => {
                peering::peering_form(design, original.as_deref(), context)?
            }
            FormSpec::HubAndSpokes => hub::hub_spokes_form(design, context),
            FormSpec::Gateway(original) => {
                gateway::gateway_form(design, original.as_deref(), context)?
            }
            FormSpec::Site(original) => gateway::site_form(design, original.as_deref())?,
            FormSpec::Host { original } => gateway::host_form(design, original.as_ref(), context)?,
            FormSpec::Connection(original) => {
                connection::connection_form(design, original.as_deref())?
            }
            FormSpec::RouteTable(original) => {
                policy::route_table_form(design, original.as_deref())?
            }
            FormSpec::Route { table, original } => {
                policy::route_form(design, table, original.as_deref())?
            }
            FormSpec::Nsg(original) => policy::nsg_form(design, original.as_deref())?,
            FormSpec::NsgRule { nsg, original } => {
                policy::nsg_rule_form(design, nsg, original.as_deref())?
            }
            FormSpec::Intent(original) => {
                intent::intent_form(design, original.as_deref(), context)?
            }
            FormSpec::Assumptions => prompts::assumptions_form(design)?,
            FormSpec::Info => account::info_form(design),
            FormSpec::Subscription(original) => {
                account::subscription_form(design, original.as_deref())?
            }
            FormSpec::Flow => prompts::flow_form(context),
            FormSpec::Asg(original) => groups::asg_form(design, original.as_deref())?,
            FormSpec::RouteServer(original) => {
                route_server::route_server_form(design, original.as_deref(), context)?
            }
            FormSpec::BgpPeer { server, original } => {
                route_server::bgp_peer_form(design, server, original.as_deref())?
            }
            FormSpec::NetworkGroup(original) => {
                groups::network_group_form(design, original.as_deref())?
            }
            FormSpec::Connectivity(original) => {
                groups::connectivity_form(design, original.as_deref())?
            }
            FormSpec::SaveAs => prompts::save_as_form(context),
        };
        self.check(design, &mut form);
        Some(form)
    }

    /// Runs the builder once: what the form asks for (if it parsed) and every problem and note.
    fn run(&self, design: &Design, form: &Form) -> (Option<Submit>, Checker) {
        let mut check = Checker::default();
        let submit = match self {
            FormSpec::Vnet(original) => {
                network::build_vnet(design, form, original.as_deref(), &mut check)
            }
            FormSpec::Subnet(original) => {
                network::build_subnet(design, form, original.as_ref(), &mut check)
            }
            FormSpec::Vm(original) => vm::build_vm(design, form, original.as_deref(), &mut check),
            FormSpec::Nic { vm, index } => nic::build_nic(design, form, vm, *index, &mut check),
            FormSpec::ApplianceRule { vm, original } => {
                network::build_appliance_rule(design, form, vm, original.as_deref(), &mut check)
            }
            FormSpec::Peering(original) => {
                peering::build_peering(design, form, original.as_deref(), &mut check)
            }
            FormSpec::HubAndSpokes => hub::build_hub_spokes(design, form, &mut check),
            FormSpec::Gateway(original) => {
                gateway::build_gateway(design, form, original.as_deref(), &mut check)
            }
            FormSpec::Site(original) => {
                gateway::build_site(design, form, original.as_deref(), &mut check)
            }
            FormSpec::Host { original } => {
                gateway::build_host(design, form, original.as_ref(), &mut check)
            }
            FormSpec::Connection(original) => {
                connection::build_connection(design, form, original.as_deref(), &mut check)
            }
            FormSpec::RouteTable(original) => {
                policy::build_route_table(design, form, original.as_deref(), &mut check)
            }
            FormSpec::Route { table, original } => {
                policy::build_route(design, form, table, original.as_deref(), &mut check)
            }
            FormSpec::Nsg(original) => {
                policy::build_nsg(design, form, original.as_deref(), &mut check)
            }
            FormSpec::NsgRule { nsg, original } => {
                policy::build_nsg_rule(design, form, nsg, original.as_deref(), &mut check)
            }
            FormSpec::Intent(original) => {
                intent::build_intent(design, form, original.as_deref(), &mut check)
            }
            FormSpec::Assumptions => prompts::build_assumptions(form, &mut check),
            FormSpec::Info => account::build_info(form, &mut check),
            FormSpec::Subscription(original) => {
                account::build_subscription(design, form, original.as_deref(), &mut check)
            }
            FormSpec::Flow => prompts::build_flow(form, &mut check),
            FormSpec::Asg(original) => {
                groups::build_asg(design, form, original.as_deref(), &mut check)
            }
            FormSpec::RouteServer(original) => {
                route_server::build_route_server(design, form, original.as_deref(), &mut check)
            }
            FormSpec::BgpPeer { server, original } => {
                route_server::build_bgp_peer(design, form, server, original.as_deref(), &mut check)
            }
            FormSpec::NetworkGroup(original) => {
                groups::build_network_group(design, form, original.as_deref(), &mut check)
            }
            FormSpec::Connectivity(original) => {
                groups::build_connectivity(design, form, original.as_deref(), &mut check)
            }
            FormSpec::SaveAs => prompts::build_save_as(form, &mut check),
        };
        (submit, check)
    }

    /// Parses the form into what it asks for, or every problem keyed by field.
    pub fn build(&self, design: &Design, form: &Form) -> Result<Submit, Checker> {
        match self.run(design, form) {
            (Some(submit), check) if !check.failed() => Ok(submit),
            (_, mut check) => {
                if !check.failed() {
                    let key = form.fields.first().map_or(FieldKey::Name, |f| f.key);
                    check.error(key, "the form is incomplete");
                }
                Err(check)
            }
        }
    }

    /// Re-validates the form: shows each field's problem or note as you type, and lets fields
    /// that follow others (a new peering's default name) keep following while untouched.
    pub fn check(&self, design: &Design, form: &mut Form) {
        match self {
            FormSpec::Peering(None) => {
                peering::swap_when_same(design, form);
                peering::follow_default_name(form);
            }
            FormSpec::Peering(Some(_)) => peering::swap_when_same(design, form),
            FormSpec::Subnet(None) => network::follow_vnet(design, form),
            FormSpec::Vnet(None) => network::follow_space(form),
            FormSpec::HubAndSpokes => hub::follow_hub(design, form),
            FormSpec::Gateway(None) => gateway::follow_vnet_name(design, form),
            FormSpec::NsgRule {
                nsg,
                original: None,
            } => policy::follow_direction(design, nsg, form),
            FormSpec::Vm(None) | FormSpec::Nic { index: None, .. } => {
                nic::follow_subnet(design, form);
            }
            _ => {}
        }
        let (_, check) = self.run(design, form);
        for field in &mut form.fields {
            field.error = check
                .errors
                .iter()
                .find(|(k, _)| *k == field.key)
                .map(|(_, m)| m.clone());
            field.note = check
                .notes
                .iter()
                .find(|(k, _)| *k == field.key)
                .map(|(_, m)| m.clone());
        }
    }

    /// The first problem of a form, for the status bar.
    pub fn first_problem(check: &Checker) -> Option<&str> {
        check.errors.first().map(|(_, m)| m.as_str())
    }
}

/// What was selected when a form opened: it pre-fills the obvious fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// The selected VNet (or the VNet of the selected subnet or VM).
    pub vnet: Option<String>,
    /// The selected subnet (or the subnet of the selected VM).
    pub subnet: Option<SubnetRef>,
    /// The selected site.
    pub site: Option<String>,
    /// The selected endpoint pair of the matrix, by name.
    pub pair: Option<(String, String)>,
    /// The current flow.
    pub flow: Flow,
    /// The current file, for Save as.
    pub file: Option<PathBuf>,
    /// Whether a new VM should start as an appliance.
    pub appliance: bool,
}
