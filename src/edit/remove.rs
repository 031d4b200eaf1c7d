//! Removal with Azure's side effects: what cannot exist without the removed object goes too,
//! found by following the references to it ([`Design::referencing`]); each kind decides what
//! happens to those holders (deleted, field cleared, list entry dropped): a VNet takes its Route
//! Servers and the hub-and-spoke configurations it is the hub of, and leaves its network groups;
//! an ASG leaves its NICs and the rules that name it, and takes a rule left naming no ASG on
//! that end; a network group leaves the configurations that apply to it. Undo re-adds everything
//! at its original position.

use super::apply::{not_found, re_add, split_subnet, take_one, take_where, withdraw};
use super::{Edit, EditError, Object, ObjectRef};
use crate::model::endpoint_names::p2s_client_name;
use crate::model::{Design, Holder, ObjectKind, PeeringState, RefKind, RefSlot, Side};
use std::collections::{BTreeSet, HashSet};

/// Removes the elements at `indexes`, returning `(original index, element)` ascending.
fn take_at<T>(list: &mut Vec<T>, indexes: &BTreeSet<usize>) -> Vec<(usize, T)> {
    let mut i = 0;
    take_where(list, |_| {
        i += 1;
        indexes.contains(&(i - 1))
    })
}

/// The positions of the holders of `slots` that `pick` selects (VMs, peerings, …).
fn holders(slots: &[RefSlot], pick: impl Fn(Holder) -> Option<usize>) -> BTreeSet<usize> {
    slots.iter().filter_map(|s| pick(s.holder())).collect()
}

/// Removes intents whose `from` or `to` is one of `endpoints`.
pub(super) fn take_intents(design: &mut Design, endpoints: &[String]) -> Vec<Edit> {
    let names: HashSet<&str> = endpoints.iter().map(String::as_str).collect();
    let slots = design.references_where(RefKind::Endpoint, |_, name| names.contains(name));
    let intents = holders(&slots, |h| match h {
        Holder::Intent(i) => Some(i),
        _ => None,
    });
    re_add(take_at(&mut design.intents, &intents), Object::Intent).collect()
}

/// Removes the connections that name one of `gateways` (either end) or site `site`.
fn take_connections(design: &mut Design, kind: RefKind, names: &[String]) -> Vec<Edit> {
    let slots = design.references_where(kind, |_, name| names.iter().any(|n| n == name));
    let connections = holders(&slots, |h| match h {
        Holder::Connection(c) => Some(c),
        _ => None,
    });
    re_add(
        take_at(&mut design.connections, &connections),
        Object::Connection,
    )
    .collect()
}

/// Cascades follow the references to the removed object ([`Design::referencing`]): what cannot
/// exist without it goes too (a VNet's VMs, peerings and gateways; a gateway's or site's
/// connections; an endpoint's intents), an optional association to it is cleared (an NSG or
/// route table), and a subnet's NICs and peering entries are dropped from their owners.
/// Each kind with a cascade or a side effect has its own function below; the rest are a plain
/// withdrawal. The undo puts the object back first, then what went with it.
pub(super) fn remove(design: &mut Design, target: &ObjectRef) -> Result<Edit, EditError> {
    let undo = match target.kind {
        ObjectKind::Vnet => remove_vnet(design, target)?,
        ObjectKind::Subnet => remove_subnet(design, target)?,
        ObjectKind::Vm => remove_vm(design, target)?,
        ObjectKind::Peering => remove_peering(design, target)?,
        ObjectKind::Nsg => remove_association(design, target, RefKind::Nsg)?,
        ObjectKind::RouteTable => remove_association(design, target, RefKind::RouteTable)?,
        ObjectKind::Gateway => remove_gateway(design, target)?,
        ObjectKind::Site => remove_site(design, target)?,
        ObjectKind::Asg => remove_asg(design, target)?,
        ObjectKind::NetworkGroup => remove_network_group(design, target)?,
        ObjectKind::Connection
        | ObjectKind::Intent
        | ObjectKind::Subscription
        | ObjectKind::RouteServer
        | ObjectKind::Connectivity => return withdraw(design, target),
    };
    Ok(Edit::Batch(undo))
}

/// Takes `target` out after listing the references to it (scoped to nothing: not a subnet),
/// returning them with the undo's first edit, the one that puts the object back.
fn take_referenced(
    design: &mut Design,
    target: &ObjectRef,
    kind: RefKind,
) -> Result<(Vec<RefSlot>, Vec<Edit>), EditError> {
    let slots = design.referencing(kind, None, &target.name);
    let restore = withdraw(design, target)?;
    Ok((slots, vec![restore]))
}

/// Removes the elements of `list` whose positions `pick` selects among the holders of `slots`.
fn take_held<T>(
    list: &mut Vec<T>,
    slots: &[RefSlot],
    pick: impl Fn(Holder) -> Option<usize>,
) -> Vec<(usize, T)> {
    take_at(list, &holders(slots, pick))
}

/// A VNet takes its gateways (and their connections), VMs, peerings, Route Servers and the
/// hub-and-spoke configurations it is the hub of; it leaves its network groups; intents naming
/// its VMs or its gateways' point-to-site clients go.
fn remove_vnet(design: &mut Design, target: &ObjectRef) -> Result<Vec<Edit>, EditError> {
    let (slots, mut undo) = take_referenced(design, target, RefKind::Vnet)?;
    let gateways = take_held(&mut design.gateways, &slots, |h| match h {
        Holder::Gateway(g) => Some(g),
        _ => None,
    });
    let gateway_names: Vec<String> = gateways.iter().map(|(_, g)| g.name.clone()).collect();
    let connections = take_connections(design, RefKind::Gateway, &gateway_names);
    let vms = take_held(&mut design.vms, &slots, |h| match h {
        Holder::Nic { vm, .. } => Some(vm),
        _ => None,
    });
    let peerings = take_held(&mut design.peerings, &slots, |h| match h {
        Holder::Peering(p) => Some(p),
        _ => None,
    });
    let servers = take_held(&mut design.route_servers, &slots, |h| match h {
        Holder::RouteServer(r) => Some(r),
        _ => None,
    });
    // A hub-and-spoke configuration cannot exist without its hub.
    let configs = take_held(&mut design.connectivity, &slots, |h| match h {
        Holder::Connectivity(c) => Some(c),
        _ => None,
    });
    let memberships = drop_entries(design, &slots, |s| matches!(s, RefSlot::GroupMember { .. }));
    let mut endpoints: Vec<String> = vms.iter().map(|(_, vm)| vm.name.clone()).collect();
    endpoints.extend(gateway_names.iter().map(|g| p2s_client_name(g)));
    let intents = take_intents(design, &endpoints);
    undo.extend(re_add(gateways, Object::Gateway));
    undo.extend(connections);
    undo.extend(re_add(vms, Object::Vm));
    undo.extend(re_add(peerings, Object::Peering));
    undo.extend(re_add(servers, Object::RouteServer));
    undo.extend(re_add(configs, Object::Connectivity));
    undo.extend(memberships);
    undo.extend(intents);
    Ok(undo)
}

/// A VM whose primary NIC is in the subnet goes (with its intents); another VM only loses its
/// NICs there; a subnet-level peering stops listing the subnet.
fn remove_subnet(design: &mut Design, target: &ObjectRef) -> Result<Vec<Edit>, EditError> {
    let (vnet_name, subnet_name) = split_subnet(&target.name)?;
    let slots = design.referencing(RefKind::Subnet, Some(vnet_name), subnet_name);
    let mut undo = vec![withdraw(design, target)?];
    let vms = take_held(&mut design.vms, &slots, |h| match h {
        Holder::Nic { vm, nic: 0 } => Some(vm),
        _ => None,
    });
    let taken: BTreeSet<usize> = vms.iter().map(|(i, _)| *i).collect();
    // Positions after the removal: each VM keeps its index minus the VMs taken before it.
    let shifted = |vm: usize| vm - taken.range(..vm).count();
    let mut changed = Vec::new();
    let losing = holders(&slots, |h| match h {
        Holder::Nic { vm, .. } if !taken.contains(&vm) => Some(shifted(vm)),
        _ => None,
    });
    for vm in losing {
        let owner = &mut design.vms[vm];
        changed.push(Edit::Replace(Object::Vm(owner.clone())));
        owner
            .nics
            .retain(|n| !(n.subnet.vnet == vnet_name && n.subnet.subnet == subnet_name));
    }
    // A subnet-level peering stops listing the subnet (the old link is kept for undo).
    let listing = holders(&slots, |h| match h {
        Holder::Peering(p) => Some(p),
        _ => None,
    });
    for p in listing {
        let link = &mut design.peerings[p];
        changed.push(Edit::Replace(Object::Peering(link.clone())));
        for side in [Side::Local, Side::Remote] {
            if link.end(side) == vnet_name {
                link.subnets_mut(side).retain(|s| s != subnet_name);
            }
        }
    }
    let endpoints: Vec<String> = vms.iter().map(|(_, vm)| vm.name.clone()).collect();
    let intents = take_intents(design, &endpoints);
    undo.extend(re_add(vms, Object::Vm));
    undo.extend(changed);
    undo.extend(intents);
    Ok(undo)
}

/// A VM takes the intents that name it.
fn remove_vm(design: &mut Design, target: &ObjectRef) -> Result<Vec<Edit>, EditError> {
    let mut undo = vec![withdraw(design, target)?];
    undo.extend(take_intents(design, std::slice::from_ref(&target.name)));
    Ok(undo)
}

/// Deleting one side of a connected pair leaves the other side Disconnected (§1.4).
fn remove_peering(design: &mut Design, target: &ObjectRef) -> Result<Vec<Edit>, EditError> {
    let peering = design
        .peering(&target.name)
        .ok_or_else(|| not_found(target.kind, &target.name))?;
    // A link on a classic VNet is not a resource Azure has (only the ARM side of an
    // ARM-to-classic peering exists), so deleting it leaves the ARM side as it was.
    let on_classic = design
        .vnet(&peering.local)
        .is_some_and(|v| v.deployment == crate::model::DeploymentModel::Classic);
    let survivor = (!on_classic && design.peering_state(peering) == PeeringState::Connected)
        .then(|| design.reverse_peering(peering).map(|r| r.name.clone()))
        .flatten();
    let mut undo = vec![withdraw(design, target)?];
    if let Some(name) = survivor
        && let Some(other) = design.peerings.iter_mut().find(|p| p.name == name)
    {
        undo.push(Edit::Replace(Object::Peering(other.clone())));
        other.disconnected = true;
    }
    Ok(undo)
}

/// An NSG or route table (`kind`) is an optional association: the subnets and NICs using it
/// keep existing without it.
fn remove_association(
    design: &mut Design,
    target: &ObjectRef,
    kind: RefKind,
) -> Result<Vec<Edit>, EditError> {
    let (slots, mut undo) = take_referenced(design, target, kind)?;
    // Each subnet or VM using it is saved once for undo, before any of its fields change.
    let mut saved = BTreeSet::new();
    for slot in slots {
        let holder = slot.holder();
        let saved_as = match holder {
            Holder::Subnet { vnet, subnet } => Some(Object::Subnet {
                vnet: design.vnets[vnet].name.clone(),
                subnet: design.vnets[vnet].subnets[subnet].clone(),
            }),
            Holder::Nic { vm, .. } => Some(Object::Vm(design.vms[vm].clone())),
            _ => None,
        };
        let key = match holder {
            Holder::Nic { vm, .. } => Holder::Nic { vm, nic: 0 },
            other => other,
        };
        if let Some(object) = saved_as
            && saved.insert(key)
        {
            undo.push(Edit::Replace(object));
        }
        design.clear_reference(slot);
    }
    Ok(undo)
}

/// A gateway takes its connections and the intents naming its point-to-site client.
fn remove_gateway(design: &mut Design, target: &ObjectRef) -> Result<Vec<Edit>, EditError> {
    let mut undo = vec![withdraw(design, target)?];
    let g = target.name.clone();
    let connections = take_connections(design, RefKind::Gateway, std::slice::from_ref(&g));
    let intents = take_intents(design, &[p2s_client_name(&g)]);
    undo.extend(connections);
    undo.extend(intents);
    Ok(undo)
}

/// A site takes its connections and the intents naming its hosts.
fn remove_site(design: &mut Design, target: &ObjectRef) -> Result<Vec<Edit>, EditError> {
    let (at, object) = take_one(design, target)?;
    let hosts: Vec<String> = match &object {
        Object::Site(site) => site.hosts.iter().map(|h| h.name.clone()).collect(),
        _ => Vec::new(),
    };
    let connections = take_connections(design, RefKind::Site, std::slice::from_ref(&target.name));
    let intents = take_intents(design, &hosts);
    let mut undo = vec![Edit::Add {
        object,
        at: Some(at),
    }];
    undo.extend(connections);
    undo.extend(intents);
    Ok(undo)
}

/// NICs leave an ASG; a rule names the ASGs left on that end, or goes when none is left.
fn remove_asg(design: &mut Design, target: &ObjectRef) -> Result<Vec<Edit>, EditError> {
    let (slots, mut undo) = take_referenced(design, target, RefKind::Asg)?;
    undo.extend(drop_entries(design, &slots, |s| {
        matches!(s, RefSlot::NicAsg { .. })
    }));
    undo.extend(take_rules(design, &slots));
    Ok(undo)
}

/// A network group leaves the configurations that apply to it.
fn remove_network_group(design: &mut Design, target: &ObjectRef) -> Result<Vec<Edit>, EditError> {
    let (slots, mut undo) = take_referenced(design, target, RefKind::NetworkGroup)?;
    undo.extend(drop_entries(design, &slots, |s| {
        matches!(s, RefSlot::ConnectivityGroup { .. })
    }));
    Ok(undo)
}

/// Drops the list entries among `slots` that `pick` selects (a NIC's ASG, a group's member, a
/// configuration's group), last first so that positions stay valid, and returns the edits that
/// restore each holder as it was (saved once, before its first change).
fn drop_entries(
    design: &mut Design,
    slots: &[RefSlot],
    pick: impl Fn(&RefSlot) -> bool,
) -> Vec<Edit> {
    let mut chosen: Vec<RefSlot> = slots.iter().copied().filter(|s| pick(s)).collect();
    chosen.sort();
    let mut saved = BTreeSet::new();
    let mut undo = Vec::new();
    for slot in &chosen {
        let holder = slot.holder();
        let key = match holder {
            Holder::Nic { vm, .. } => Holder::Nic { vm, nic: 0 },
            other => other,
        };
        if saved.insert(key) {
            let object = match holder {
                Holder::Nic { vm, .. } => design.vms.get(vm).cloned().map(Object::Vm),
                Holder::NetworkGroup(g) => design
                    .network_groups
                    .get(g)
                    .cloned()
                    .map(Object::NetworkGroup),
                Holder::Connectivity(c) => design
                    .connectivity
                    .get(c)
                    .cloned()
                    .map(Object::Connectivity),
                _ => None,
            };
            undo.extend(object.map(Edit::Replace));
        }
    }
    for slot in chosen.into_iter().rev() {
        design.clear_reference(slot);
    }
    undo
}

/// Drops a removed ASG from the rules that name it (`slots`), returning the edits that restore
/// their NSGs. A rule that still names another ASG on that end keeps it; a rule left naming none
/// there goes, since its end would otherwise fall back to its addresses (often `*`) and match
/// far more than the rule was written for.
fn take_rules(design: &mut Design, slots: &[RefSlot]) -> Vec<Edit> {
    let mut entries: Vec<(usize, usize, crate::model::RuleEnd, usize)> = slots
        .iter()
        .filter_map(|s| match *s {
            RefSlot::RuleAsg {
                nsg,
                rule,
                end,
                index,
            } => Some((nsg, rule, end, index)),
            _ => None,
        })
        .collect();
    entries.sort_unstable();
    entries.dedup();
    let mut undo = Vec::new();
    let mut saved = BTreeSet::new();
    for &(nsg, ..) in &entries {
        if saved.insert(nsg)
            && let Some(n) = design.nsgs.get(nsg)
        {
            undo.push(Edit::Replace(Object::Nsg(n.clone())));
        }
    }
    // Last entry first, so that the positions of the others stay valid.
    let mut emptied = BTreeSet::new();
    for (nsg, rule, end, index) in entries.into_iter().rev() {
        if let Some(r) = design.nsgs.get_mut(nsg).and_then(|n| n.rules.get_mut(rule)) {
            let list = r.asgs_mut(end);
            if index < list.len() {
                list.remove(index);
            }
            if list.is_empty() {
                emptied.insert((nsg, rule));
            }
        }
    }
    for (nsg, rule) in emptied.into_iter().rev() {
        if let Some(n) = design.nsgs.get_mut(nsg)
            && rule < n.rules.len()
        {
            n.rules.remove(rule);
        }
    }
    undo
}

#[cfg(test)]
#[path = "remove_tests.rs"]
mod tests;
