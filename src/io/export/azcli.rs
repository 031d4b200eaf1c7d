//! Design → an az CLI script: bash (`set -euo pipefail`) that creates the design in an order
//! Azure accepts. Variables at the top name what the design does not know (the resource group
//! and subscription of unplaced objects, the resource groups' location, the VM size, image and
//! admin account, the VPN shared key); secrets are read from the environment and the script
//! stops when they are missing.
//!
//! The commands are derived from the same ARM-shaped resources as the ARM export
//! ([`super::arm::Exported`]), so both share one mapping of the model to Azure's properties, and
//! the script adds what the ARM export adds (a VM per design VM holding its NICs, a public IP per
//! gateway, and one per Route Server). Order ([`Stage`]): resource groups, VNets, subnets,
//! application security groups, NSGs and rules, route tables and routes, subnet associations,
//! NICs and VMs, peerings (after both VNets), local network gateways, public IPs and gateways
//! (started with `--no-wait`: they take half an hour), Route Servers and their BGP peers, a wait
//! until every gateway exists, then the peerings that offer or use a gateway (Azure refuses
//! `useRemoteGateways` before the remote gateway exists) and the connections. Virtual Network
//! Manager objects are not created; the script says so in a comment where they would go.
//!
//! Every value from the design is quoted for bash ([`shell_quote`], the `shlex` crate's POSIX
//! quoting); the values `az` itself would misread (a leading `@` names a file to read, a leading
//! `-` an option) are passed as `--flag=value` or refused with [`AzCliError`]. Cost: linear in
//! the design.

mod commands;
mod hybrid;
mod managed;
mod words;

pub use words::{AzCliError, shell_quote};
use words::{Command, Word, comment_text};

use super::arm::Exported;
use crate::io::azure::ResourceId;
use crate::model::Design;
use std::fmt::Write as _;

/// The steps of the script, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    /// Resource groups.
    Groups,
    /// VNets with their address spaces.
    Vnets,
    /// Subnets.
    Subnets,
    /// Application security groups (before the NSG rules and NICs that name them).
    Asgs,
    /// NSGs and their rules.
    Nsgs,
    /// Route tables and their routes.
    RouteTables,
    /// NSGs and route tables attached to subnets.
    Associations,
    /// NICs and the VMs holding them.
    Compute,
    /// Peerings that need no remote gateway.
    Peerings,
    /// Local network gateways (on-premises sites).
    Sites,
    /// Public IPs and gateways (not waited for).
    Gateways,
    /// Route Servers and their BGP peers (waited for: peerings may use them as the remote
    /// gateway).
    RouteServers,
    /// Waiting until every gateway exists.
    Wait,
    /// Peerings that allow gateway transit or use the remote VNet's gateway.
    GatewayPeerings,
    /// Connections.
    Connections,
}

impl Stage {
    fn title(self) -> &'static str {
        match self {
            Stage::Groups => "Resource groups",
            Stage::Vnets => "Virtual networks",
            Stage::Subnets => "Subnets",
            Stage::Asgs => "Application security groups",
            Stage::Nsgs => "Network security groups and their rules",
            Stage::RouteTables => "Route tables and their routes",
            Stage::Associations => "NSGs and route tables on subnets",
            Stage::Compute => "NICs and the VMs holding them",
            Stage::Peerings => "Peerings (after both of their VNets)",
            Stage::Sites => "Local network gateways (on-premises sites)",
            Stage::Gateways => {
                "Public IPs and gateways (a gateway takes 30-45 minutes; they are built in parallel)"
            }
            Stage::RouteServers => "Route Servers and their BGP peers",
            Stage::Wait => "Wait until every gateway exists",
            Stage::GatewayPeerings => "Peerings that offer or use a gateway (after it exists)",
            Stage::Connections => "Connections (after their gateways)",
        }
    }
}

/// Where resources go: the design's subscriptions as script variables, and the resource groups
/// the script creates.
struct Places {
    home: (String, String),
    /// The design's subscriptions; the first is the home one (`SUBSCRIPTION`).
    subscriptions: Vec<String>,
    /// Whether a command names each subscription.
    used: Vec<bool>,
    /// (subscription index, resource group) of every group a resource lives in.
    groups: Vec<(usize, String)>,
}

impl Places {
    fn new(home: (String, String)) -> Places {
        Places {
            subscriptions: vec![home.0.clone()],
            used: vec![false],
            home,
            groups: Vec::new(),
        }
    }

    fn subscription_index(&mut self, subscription: Option<&str>) -> usize {
        let name = subscription.unwrap_or(&self.home.0).to_string();
        let index = match self
            .subscriptions
            .iter()
            .position(|s| s.eq_ignore_ascii_case(&name))
        {
            Some(i) => i,
            None => {
                self.subscriptions.push(name);
                self.used.push(false);
                self.subscriptions.len() - 1
            }
        };
        self.used[index] = true;
        index
    }

    fn subscription_var(index: usize) -> String {
        if index == 0 {
            "SUBSCRIPTION".to_string()
        } else {
            format!("SUBSCRIPTION_{}", index + 1)
        }
    }

    fn group_word(&self, group: &str) -> Word {
        if group.eq_ignore_ascii_case(&self.home.1) {
            Word::var("RESOURCE_GROUP")
        } else {
            Word::text(group)
        }
    }

    /// `--subscription … --resource-group …` for a resource, remembering its group.
    fn place(&mut self, id: &ResourceId, command: Command) -> Command {
        let index = self.subscription_index(id.subscription.as_deref());
        let group = id.resource_group.clone().unwrap_or(self.home.1.clone());
        if !self
            .groups
            .iter()
            .any(|(i, g)| *i == index && g.eq_ignore_ascii_case(&group))
        {
            self.groups.push((index, group.clone()));
        }
        command
            .arg("--subscription", Word::var(Self::subscription_var(index)))
            .arg("--resource-group", self.group_word(&group))
    }

    /// The full ID of a resource, with the subscription ID and home group from variables.
    fn id(&mut self, id: &ResourceId) -> Word {
        let index = self.subscription_index(id.subscription.as_deref());
        let group = id.resource_group.clone().unwrap_or(self.home.1.clone());
        let mut word = Word::text("/subscriptions/")
            .then(Word::var(format!("{}_ID", Self::subscription_var(index))))
            .then_text("/resourceGroups/")
            .then(self.group_word(&group))
            .then_text(format!("/providers/{}", id.namespace));
        for (kind, name) in &id.segments {
            word = word.then_text(format!("/{kind}/")).then_text(name.clone());
        }
        word
    }
}

/// The design as an az CLI bash script; an error names a value no script can pass to `az`.
pub fn az_cli_script(design: &Design) -> Result<String, AzCliError> {
    let exported = Exported::of(design);
    let mut places = Places::new(exported.home.clone());
    let mut staged = commands::commands(&exported, &mut places);
    let mut groups: Vec<(Stage, Command)> = Vec::new();
    for (index, group) in &places.groups {
        let command = Command::new("az group create")
            .arg(
                "--subscription",
                Word::var(Places::subscription_var(*index)),
            )
            .arg("--name", places.group_word(group))
            .arg("--location", Word::var("LOCATION"));
        groups.push((Stage::Groups, command));
    }
    groups.append(&mut staged);
    // A stable sort: within a stage, the order of the design.
    groups.sort_by_key(|(stage, _)| *stage);
    let mut out = header(design, &exported, &places)?;
    let mut current = None;
    for (stage, command) in &groups {
        if current != Some(*stage) {
            let _ = write!(out, "\n# --- {} ---\n", stage.title());
            current = Some(*stage);
        }
        out.push_str(&command.render()?);
    }
    out.push_str("\necho 'vnetlab: the design is deployed.'\n");
    Ok(out)
}

/// The shebang, what the script is, and the variables.
fn header(design: &Design, exported: &Exported, places: &Places) -> Result<String, AzCliError> {
    let mut out = String::from("#!/usr/bin/env bash\n");
    let title = comment_text(&design.name);
    let _ = write!(
        out,
        "# Written by `vnetlab export --to az-cli` from the design \"{title}\".\n\
         # It creates the design with the Azure CLI, in order; run it signed in (`az login`).\n\
         # Values in CAPITALS below can be set in the environment instead of edited here.\n\
         set -euo pipefail\n\n"
    );
    let location = design.vnets.first().map_or("eastus", |v| v.region.name());
    let _ = write!(
        out,
        "# The resource group of everything the design places in none, and every group's location.\n\
         RESOURCE_GROUP=${{RESOURCE_GROUP:-{}}}\n\
         LOCATION=${{LOCATION:-{}}}\n\
         # The subscription of everything the design places in none (the signed-in one by default).\n\
         SUBSCRIPTION=${{SUBSCRIPTION:-$(az account show --query id --output tsv)}}\n",
        shell_quote(&exported.home.1)?,
        shell_quote(location)?,
    );
    let used: Vec<usize> = (0..places.subscriptions.len())
        .filter(|i| places.used.get(*i).copied().unwrap_or(false))
        .collect();
    for (index, name) in places.subscriptions.iter().enumerate().skip(1) {
        let _ = writeln!(
            out,
            "# The design's subscription `{}` (a name or an ID).\n{var}=${{{var}:-{}}}",
            comment_text(name),
            shell_quote(name)?,
            var = Places::subscription_var(index),
        );
    }
    for &index in &used {
        let var = Places::subscription_var(index);
        let _ = writeln!(
            out,
            "{var}_ID=$(az account show --subscription \"${{{var}}}\" --query id --output tsv)"
        );
    }
    if !exported.vms().is_empty() {
        out.push_str(
            "# Every VM's size, image (URN) and admin account (the design does not say).\n\
             VM_SIZE=${VM_SIZE:-Standard_B1s}\n\
             VM_IMAGE=${VM_IMAGE:-Canonical:ubuntu-24_04-lts:server:latest}\n\
             ADMIN_USERNAME=${ADMIN_USERNAME:-azureuser}\n\
             ADMIN_PASSWORD=${ADMIN_PASSWORD:?set ADMIN_PASSWORD to the admin password of every VM}\n",
        );
    }
    if !design.connections.is_empty() {
        out.push_str(
            "# The IPsec shared key of every connection.\n\
             VPN_SHARED_KEY=${VPN_SHARED_KEY:?set VPN_SHARED_KEY to the shared key of every connection}\n",
        );
    }
    Ok(out)
}
