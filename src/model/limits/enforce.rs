//! Making a design fit the limits, for importers: what Azure itself never returns but a
//! hand-edited or hostile export may hold (a 1 MB name, an escape sequence in a description)
//! is cut or cleaned rather than refused, with a note, the way the importer leaves out what it
//! cannot use. A name and every reference to it are changed the same way, so they still match.

use super::check::{Bounded, target_kind};
use super::{
    DESCRIPTION_MAX, MAX_SUBNETS_PER_VNET, NameKind, RULE_DESCRIPTION_MAX, TITLE_MAX,
    is_disruptive, refused,
};
use crate::model::Design;

/// `name` without control characters or (for Azure names) `/`, cut to its kind's length.
fn fit_name(name: &mut String, kind: NameKind) {
    if refused(name, kind).is_none() {
        return;
    }
    let azure = kind.rule().charset != super::Charset::Design;
    let mut cleaned: String = name
        .chars()
        .filter(|c| !is_disruptive(*c))
        .map(|c| if azure && c == '/' { '-' } else { c })
        .collect();
    if refused(&cleaned, kind).is_some() {
        cleaned = cleaned.chars().take(kind.rule().max).collect();
    }
    if cleaned.trim().is_empty() {
        cleaned = "unnamed".to_string();
    }
    *name = cleaned;
}

/// `text` without disruptive characters (line breaks and tabs kept where `multiline`), cut
/// to `max` characters.
fn fit_text(text: &mut String, max: usize, multiline: bool) {
    let keep = |c: char| !is_disruptive(c) || (multiline && matches!(c, '\n' | '\r' | '\t'));
    if text.chars().count() <= max && text.chars().all(keep) {
        return;
    }
    *text = text.chars().filter(|&c| keep(c)).take(max).collect();
}

impl Design {
    /// Cuts and cleans every name, reference and text that breaks a limit the readers enforce
    /// (see [`super`]), keeps at most [`MAX_SUBNETS_PER_VNET`] subnets per VNet, and returns
    /// one note per fault. A name shortened into another object's name is then a duplicate,
    /// which the importer's repair leaves out like any other. String fields outside the
    /// table (found only by the generic walk) are left as they are.
    ///
    /// ```
    /// use vnetlab::model::Design;
    /// let mut d = Design::example_pair();
    /// d.vnets[0].name = "a".repeat(100);
    /// d.vms[0].nics[0].subnet.vnet = "a".repeat(100);
    /// let notes = d.enforce_limits();
    /// assert_eq!(notes.len(), 2);
    /// assert_eq!(d.vnets[0].name, "a".repeat(64));
    /// assert_eq!(d.vms[0].nics[0].subnet.vnet, d.vnets[0].name);
    /// assert!(d.validate().is_empty());
    /// ```
    pub fn enforce_limits(&mut self) -> Vec<String> {
        let errors = self.limit_errors();
        if errors.is_empty() {
            return Vec::new();
        }
        fit_text(&mut self.name, TITLE_MAX, false);
        fit_text(&mut self.description, DESCRIPTION_MAX, true);
        for vnet in &mut self.vnets {
            fit_name(&mut vnet.name, NameKind::Vnet);
            if let Some(group) = &mut vnet.resource_group {
                fit_name(group, NameKind::ResourceGroup);
            }
            vnet.subnets.truncate(MAX_SUBNETS_PER_VNET);
            for subnet in &mut vnet.subnets {
                fit_name(&mut subnet.name, NameKind::Subnet);
            }
        }
        for vm in &mut self.vms {
            fit_name(&mut vm.name, NameKind::Vm);
            for rule in vm.appliance.iter_mut().flat_map(|a| &mut a.rules) {
                fit_name(&mut rule.name, NameKind::ApplianceRule);
            }
        }
        for peering in &mut self.peerings {
            fit_name(&mut peering.name, NameKind::Peering);
        }
        for nsg in &mut self.nsgs {
            fit_name(&mut nsg.name, NameKind::Nsg);
            for rule in &mut nsg.rules {
                fit_name(&mut rule.name, NameKind::NsgRule);
                if let Some(description) = &mut rule.description {
                    fit_text(description, RULE_DESCRIPTION_MAX, true);
                }
            }
        }
        for table in &mut self.route_tables {
            fit_name(&mut table.name, NameKind::RouteTable);
            for route in &mut table.routes {
                fit_name(&mut route.name, NameKind::Route);
            }
        }
        for gateway in &mut self.gateways {
            fit_name(&mut gateway.name, NameKind::Gateway);
        }
        for site in &mut self.sites {
            fit_name(&mut site.name, NameKind::Site);
            for host in &mut site.hosts {
                fit_name(&mut host.name, NameKind::Host);
            }
        }
        for connection in &mut self.connections {
            fit_name(&mut connection.name, NameKind::Connection);
        }
        for subscription in &mut self.subscriptions {
            fit_name(&mut subscription.name, NameKind::Subscription);
        }
        for intent in &mut self.intents {
            fit_name(&mut intent.name, NameKind::Intent);
        }
        let slots: Vec<_> = self.references().iter().map(|r| (r.slot, r.kind)).collect();
        for (slot, kind) in slots {
            if let Some(text) = self.reference_mut(slot) {
                fit_name(text, target_kind(kind));
            }
        }
        errors
            .iter()
            .filter(|e| !matches!(e.bounded, Bounded::Field(_)))
            .map(|e| format!("changed to fit the limits: {e}"))
            .collect()
    }
}
