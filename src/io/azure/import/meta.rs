//! The `vnetlab/design` element the exporter adds: design name, description, assumptions,
//! subscriptions, intents, the prefixes Route Server peers announce, and the placeholders used
//! for absent subscription / resource group.

use super::{Builder, Inventory};
use crate::model::{Assumptions, Design, Intent, Subscription};

/// The `type` of the metadata element (lower case, as types are compared).
pub(crate) const METADATA_TYPE: &str = "vnetlab/design";

/// The subscription and resource group the exporter wrote for VNets that had none.
#[derive(Debug, Default, Clone)]
pub(crate) struct Defaults {
    subscription: Option<String>,
    resource_group: Option<String>,
}

impl Defaults {
    pub(super) fn is_default_subscription(&self, text: &str) -> bool {
        self.subscription
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(text))
    }
    pub(super) fn is_default_resource_group(&self, text: &str) -> bool {
        self.resource_group
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(text))
    }
}

/// The design-level settings from the metadata element, if the export has one.
pub(super) fn read(
    inventory: &Inventory<'_>,
    report: &mut super::ImportReport,
) -> (Design, Defaults) {
    let mut design = Design::empty("");
    let mut defaults = Defaults::default();
    let Some(&index) = inventory.metadata.first() else {
        return (design, defaults);
    };
    if inventory.metadata.len() > 1 {
        report.note("the exports hold more than one vnetlab/design element; the first was used");
    }
    let node = inventory.item(index).node;
    design.name = node.str("name").unwrap_or_default().to_string();
    design.description = node.str("description").unwrap_or_default().to_string();
    let read_field = |key: &str| node.get(key).cloned();
    if let Some(value) = read_field("assumptions") {
        match serde_json::from_value::<Assumptions>(value) {
            Ok(a) => design.assumptions = a,
            Err(e) => report.note(format!(
                "vnetlab/design: assumptions not readable ({e}); the defaults apply"
            )),
        }
    }
    if let Some(value) = read_field("subscriptions") {
        match serde_json::from_value::<Vec<Subscription>>(value) {
            Ok(s) => design.subscriptions = s.into(),
            Err(e) => report.note(format!(
                "vnetlab/design: subscriptions not readable ({e}); left out"
            )),
        }
    }
    if let Some(d) = node.node("defaults") {
        defaults.subscription = d.str("subscription").map(str::to_string);
        defaults.resource_group = d.str("resourceGroup").map(str::to_string);
    }
    (design, defaults)
}

/// Intents are read last: they name endpoints, which exist only once VMs and sites are built.
pub(super) fn apply_intents(inventory: &Inventory<'_>, builder: &mut Builder) {
    let Some(&index) = inventory.metadata.first() else {
        return;
    };
    let Some(value) = inventory.item(index).node.get("intents") else {
        return;
    };
    match serde_json::from_value::<Vec<Intent>>(value.clone()) {
        Ok(intents) => builder.design.intents = intents.into(),
        Err(e) => builder.report.note(format!(
            "vnetlab/design: intents not readable ({e}); left out"
        )),
    }
}

/// The prefixes the Route Servers' BGP peers announce, as the exporter wrote them (an export of
/// Azure itself has none: they are runtime state). Returns whether the element listed any.
pub(super) fn apply_announcements(inventory: &Inventory<'_>, builder: &mut Builder) -> bool {
    type Announced =
        std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<ipnet::Ipv4Net>>>;
    let Some(&index) = inventory.metadata.first() else {
        return false;
    };
    let Some(value) = inventory.item(index).node.get("routeServerAnnouncements") else {
        return false;
    };
    let announced = match serde_json::from_value::<Announced>(value.clone()) {
        Ok(a) => a,
        Err(e) => {
            builder.report.note(format!(
                "vnetlab/design: Route Server announcements not readable ({e}); left out"
            ));
            return true;
        }
    };
    for (server, peers) in announced {
        let Some(rs) = builder
            .design
            .route_servers
            .iter_mut()
            .find(|r| r.name == server)
        else {
            continue;
        };
        for (peer, prefixes) in peers {
            if let Some(p) = rs.peers.iter_mut().find(|p| p.name == peer) {
                p.announces = prefixes;
            }
        }
    }
    true
}
