//! The last step of an import: values beyond the limits are cut to fit
//! ([`Design::enforce_limits`]), then whatever still breaks an invariant of the model is left
//! out, with a line in the report, so the result always loads. The build steps already avoid these; this
//! is the guarantee. Repairs are chosen by the kind of error ([`ModelError`]'s variant), never by
//! reading its sentence: a dangling NSG or route-table association (or ASG membership, group
//! member, configuration group) is cleared, a rule naming an unknown ASG is dropped from its NSG,
//! a NIC joining an ASG from a second VNet leaves it, a duplicate or misplaced site host is
//! dropped from its site, and any other fault leaves out the object it is about (the last of
//! duplicates).

use crate::io::azure::report::ImportReport;
use crate::model::{Design, ModelError, NameOf, ObjectKind, RefSlot, SubnetRef};

/// Repairs rounds of `validate()` errors until none is left (removing an object can orphan
/// others, hence rounds), noting each.
pub(super) fn enforce_invariants(design: &mut Design, report: &mut ImportReport) {
    const MAX_ROUNDS: usize = 16;
    for note in design.enforce_limits() {
        report.note(note);
    }
    for _ in 0..MAX_ROUNDS {
        let errors = design.validate();
        if errors.is_empty() {
            return;
        }
        let before = design.clone();
        for error in &errors {
            report.note(format!("left out: {error}"));
        }
        repair(design, &errors);
        if *design == before {
            break;
        }
    }
    for error in design.validate() {
        report.note(format!("{error} (could not be repaired automatically)"));
    }
}

/// Repairs one round of errors. Associations are cleared first: their slots are positions,
/// which the removals after them would shift.
fn repair(design: &mut Design, errors: &[ModelError]) {
    let clearable =
        |e: &ModelError| matches!(e, ModelError::UnknownReference(r) if r.slot.is_optional());
    // Last slot first: clearing a list entry shifts the entries after it.
    let mut slots: Vec<RefSlot> = errors
        .iter()
        .filter_map(|e| match e {
            ModelError::UnknownReference(r) if r.slot.is_optional() => Some(r.slot),
            _ => None,
        })
        .collect();
    slots.sort();
    for slot in slots.into_iter().rev() {
        design.clear_reference(slot);
    }
    // A rule naming an unknown ASG would match other traffic without it: the rule goes (last
    // first, for the same reason).
    let mut rules: Vec<(usize, usize)> = errors
        .iter()
        .filter_map(|e| match e {
            ModelError::UnknownReference(r) => match r.slot {
                RefSlot::RuleAsg { nsg, rule, .. } => Some((nsg, rule)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    rules.sort_unstable();
    rules.dedup();
    for (nsg, rule) in rules.into_iter().rev() {
        if let Some(n) = design.nsgs.get_mut(nsg)
            && rule < n.rules.len()
        {
            n.rules.remove(rule);
        }
    }
    let rule_asg = |e: &ModelError| matches!(e, ModelError::UnknownReference(r) if matches!(r.slot, RefSlot::RuleAsg { .. }));
    for error in errors.iter().filter(|e| !clearable(e) && !rule_asg(e)) {
        leave_out(design, error);
    }
}

fn remove_last<T>(list: &mut Vec<T>, is_subject: impl Fn(&T) -> bool) {
    if let Some(i) = list.iter().rposition(is_subject) {
        list.remove(i);
    }
}

/// Leaves out what one error is about.
fn leave_out(design: &mut Design, error: &ModelError) {
    match error {
        ModelError::EmptyName { what, name } | ModelError::DuplicateName { what, name } => {
            match what {
                NameOf::Object(kind) => remove_object(design, *kind, name),
                NameOf::Subnet { vnet } => {
                    if let Some(v) = design.vnet_mut(vnet) {
                        remove_last(&mut v.subnets, |s| s.name == *name);
                    }
                }
                NameOf::NsgRule { nsg } => {
                    if let Some(n) = design.nsgs.iter_mut().find(|n| n.name == *nsg) {
                        remove_last(&mut n.rules, |r| r.name == *name);
                    }
                }
                NameOf::Route { table } => {
                    if let Some(t) = design.route_tables.iter_mut().find(|t| t.name == *table) {
                        remove_last(&mut t.routes, |r| r.name == *name);
                    }
                }
            }
        }
        ModelError::DuplicateHostName { site, host }
        | ModelError::HostOutsideSite { site, host, .. } => {
            if let Some(s) = design.sites.iter_mut().find(|s| s.name == *site) {
                remove_last(&mut s.hosts, |h| h.name == *host);
            }
        }
        ModelError::AsgInSeveralVnets { asg, vm, other, .. } => {
            if let Some(v) = design.vms.iter_mut().find(|v| v.name == *vm) {
                for nic in v.nics.iter_mut().filter(|n| n.subnet.vnet == *other) {
                    nic.asgs.retain(|a| a != asg);
                }
            }
        }
        other => {
            if let Some((kind, name)) = other.subject() {
                remove_object(design, kind, &name);
            }
        }
    }
}

/// Removes the last object of `kind` named `name` (a subnet named `vnet/subnet`).
fn remove_object(design: &mut Design, kind: ObjectKind, name: &str) {
    match kind {
        ObjectKind::Vnet => remove_last(&mut design.vnets, |v| v.name == name),
        ObjectKind::Subnet => {
            if let Ok(at) = name.parse::<SubnetRef>()
                && let Some(vnet) = design.vnet_mut(&at.vnet)
            {
                remove_last(&mut vnet.subnets, |s| s.name == at.subnet);
            }
        }
        ObjectKind::Vm => remove_last(&mut design.vms, |v| v.name == name),
        ObjectKind::Peering => remove_last(&mut design.peerings, |p| p.name == name),
        ObjectKind::Nsg => remove_last(&mut design.nsgs, |n| n.name == name),
        ObjectKind::RouteTable => remove_last(&mut design.route_tables, |r| r.name == name),
        ObjectKind::Gateway => remove_last(&mut design.gateways, |g| g.name == name),
        ObjectKind::Site => remove_last(&mut design.sites, |s| s.name == name),
        ObjectKind::Connection => remove_last(&mut design.connections, |c| c.name == name),
        ObjectKind::Intent => remove_last(&mut design.intents, |i| i.name == name),
        ObjectKind::Subscription => remove_last(&mut design.subscriptions, |s| s.name == name),
        ObjectKind::Asg => remove_last(&mut design.asgs, |a| a.name == name),
        ObjectKind::RouteServer => remove_last(&mut design.route_servers, |r| r.name == name),
        ObjectKind::NetworkGroup => remove_last(&mut design.network_groups, |g| g.name == name),
        ObjectKind::Connectivity => remove_last(&mut design.connectivity, |c| c.name == name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Host, Site};

    #[test]
    fn a_dangling_association_is_cleared_and_the_rest_is_kept() {
        let mut d = Design::example_pair();
        d.vnets[0].subnets[0].nsg = Some("gone".into());
        d.vms[1].nics[0].nsg = Some("gone-too".into());
        let mut report = ImportReport::default();
        enforce_invariants(&mut d, &mut report);
        assert!(d.validate().is_empty());
        assert_eq!(d.vnets[0].subnets.len(), 1, "the subnet stays");
        assert_eq!(d.vms.len(), 2, "the VM stays");
        assert_eq!(
            (&d.vnets[0].subnets[0].nsg, &d.vms[1].nics[0].nsg),
            (&None, &None)
        );
        assert_eq!(report.notes.len(), 2);
    }

    #[test]
    fn a_host_outside_its_site_is_dropped_from_the_site_only() {
        let mut d = Design::example_pair();
        d.sites.push(Site {
            name: "hq".into(),
            prefixes: vec!["192.168.1.0/24".parse().unwrap()],
            hosts: vec![
                Host {
                    name: "in".into(),
                    ip: "192.168.1.10".parse().unwrap(),
                },
                Host {
                    name: "out".into(),
                    ip: "192.168.2.10".parse().unwrap(),
                },
            ],
            bgp: false,
        });
        enforce_invariants(&mut d, &mut ImportReport::default());
        assert_eq!(d.sites.len(), 1);
        let hosts: Vec<&str> = d.sites[0].hosts.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(hosts, ["in"]);
    }

    #[test]
    fn a_duplicate_rule_leaves_its_nsg() {
        let mut d = Design::example_pair();
        let mut nsg = crate::model::Nsg::new("nsg");
        let rule = crate::model::NsgRule::new(
            "r",
            100,
            crate::model::Direction::Inbound,
            crate::model::Access::Allow,
            crate::model::Protocol::Tcp,
        );
        nsg.rules = vec![rule.clone(), rule].into();
        d.nsgs.push(nsg);
        enforce_invariants(&mut d, &mut ImportReport::default());
        assert_eq!(d.nsgs.len(), 1);
        assert_eq!(d.nsgs[0].rules.len(), 1);
    }
}
