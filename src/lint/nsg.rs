//! NSG checks (azure-semantics.md §3.1, §3.3): custom rule priorities must be in
//! [`NsgRule::PRIORITIES`] (100–4096) and
//! distinct per direction, AzureFirewallSubnet takes no NSG, and an NSG nothing uses does
//! nothing. (NSGs on GatewaySubnet are a gateway check.)

use super::support::Context;
use super::{Code, Diagnostic, Remedy, Severity};
use crate::edit::{Edit, Object, ObjectRef};
use crate::model::{Direction, FIREWALL_SUBNET, Nsg, NsgRule, ObjectKind};

pub(super) fn check(cx: &Context, found: &mut Vec<Diagnostic>) {
    for nsg in &cx.design.nsgs {
        priorities(nsg, found);
        if cx.nsg_use_count(&nsg.name) == 0 {
            found.push(
                Diagnostic::new(
                    Severity::Info,
                    Code::NsgUnused,
                    ObjectKind::Nsg,
                    &nsg.name,
                    format!(
                        "NSG `{}` is associated with no subnet or NIC, so its rules have no effect",
                        nsg.name
                    ),
                )
                .with_fix(Remedy::edit(
                    format!("delete NSG `{}`", nsg.name),
                    Edit::Remove(ObjectRef::new(ObjectKind::Nsg, &nsg.name)),
                )),
            );
        }
    }
    for vnet in &cx.design.vnets {
        for subnet in vnet.subnets.iter().filter(|s| s.name == FIREWALL_SUBNET) {
            if let Some(nsg) = &subnet.nsg {
                let path = format!("{}/{}", vnet.name, subnet.name);
                let mut without = subnet.clone();
                without.nsg = None;
                found.push(
                    Diagnostic::new(
                        Severity::Warning,
                        Code::NsgOnFirewallSubnet,
                        ObjectKind::Subnet,
                        &path,
                        format!("NSG `{nsg}` is associated with `{path}`, but AzureFirewallSubnet does not support NSGs; filter with the firewall's own rules"),
                    )
                    .with_fix(Remedy::edit(
                        format!("remove NSG `{nsg}` from `{path}`"),
                        Edit::Replace(Object::Subnet {
                            vnet: vnet.name.clone(),
                            subnet: without,
                        }),
                    )),
                );
            }
        }
    }
}

fn priorities(nsg: &Nsg, found: &mut Vec<Diagnostic>) {
    let direction_text = |d: Direction| match d {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    };
    for (i, rule) in nsg.rules.iter().enumerate() {
        let in_range = NsgRule::PRIORITIES.contains(&rule.priority);
        let earlier_twin = nsg.rules[..i]
            .iter()
            .find(|r| r.direction == rule.direction && r.priority == rule.priority);
        let (code, message) = if !in_range {
            (
                Code::NsgPriorityOutOfRange,
                format!(
                    "rule `{}` of NSG `{}` has priority {}; custom rules take {} to {}, so Azure refuses it",
                    rule.name,
                    nsg.name,
                    rule.priority,
                    NsgRule::PRIORITIES.start(),
                    NsgRule::PRIORITIES.end()
                ),
            )
        } else if let Some(twin) = earlier_twin {
            (
                Code::NsgDuplicatePriority,
                format!(
                    "rules `{}` and `{}` of NSG `{}` both have {} priority {}; Azure refuses two rules with one priority in a direction",
                    twin.name,
                    rule.name,
                    nsg.name,
                    direction_text(rule.direction),
                    rule.priority
                ),
            )
        } else {
            continue;
        };
        // The rule's own priority is refused here (out of range, or another rule's), so the
        // search need not skip the rule itself.
        let fix = nsg
            .nearest_free_priority(rule.direction, rule.priority)
            .map(|priority| {
                let mut changed = nsg.clone();
                changed.rules[i].priority = priority;
                Remedy::edit(
                    format!(
                        "give rule `{}` of `{}` priority {priority}",
                        rule.name, nsg.name
                    ),
                    Edit::Replace(Object::Nsg(changed)),
                )
            });
        found.push(
            Diagnostic::new(Severity::Error, code, ObjectKind::Nsg, &nsg.name, message)
                .with_optional_fix(fix),
        );
    }
}
