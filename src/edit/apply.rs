//! The mechanics of each edit: mutate the design, return the exact inverse.
//!
//! Inverses restore positions: removals record each object's index and undo re-inserts in
//! ascending index order, so lists come back in their original order.

use super::{Edit, EditError, Object, ObjectRef};
use crate::model::endpoint_names::p2s_client_name;
use crate::model::{
    Design, Holder, ObjectKind, PeeringState, RefKind, RefSlot, Side, Site, Subnet, same_space,
};
use std::collections::{BTreeSet, HashSet};

fn not_found(kind: ObjectKind, name: &str) -> EditError {
    EditError::NotFound {
        kind,
        name: name.to_string(),
    }
}

/// Removes every element matching `pred`, returning `(original index, element)` ascending.
fn take_where<T>(list: &mut Vec<T>, mut pred: impl FnMut(&T) -> bool) -> Vec<(usize, T)> {
    let mut taken = Vec::new();
    let mut kept = Vec::with_capacity(list.len());
    for (i, item) in std::mem::take(list).into_iter().enumerate() {
        if pred(&item) {
            taken.push((i, item));
        } else {
            kept.push(item);
        }
    }
    *list = kept;
    taken
}

/// Re-adds taken elements at their original indexes (ascending order restores exact positions).
fn re_add<T>(taken: Vec<(usize, T)>, wrap: impl Fn(T) -> Object) -> impl Iterator<Item = Edit> {
    taken.into_iter().map(move |(i, item)| Edit::Add {
        object: wrap(item),
        at: Some(i),
    })
}

fn insert_at<T>(list: &mut Vec<T>, at: Option<usize>, item: T) {
    let index = at.unwrap_or(list.len()).min(list.len());
    list.insert(index, item);
}

fn split_subnet(name: &str) -> Result<(&str, &str), EditError> {
    name.split_once('/').ok_or_else(|| {
        EditError::Refused(format!(
            "subnet names are written `vnet/subnet`, not `{name}`"
        ))
    })
}

fn position<T>(list: &[T], name: &str, name_of: impl Fn(&T) -> &str) -> Option<usize> {
    list.iter().position(|item| name_of(item) == name)
}

/// Whether an object of this kind already has this name (a subnet's name is `vnet/subnet`).
fn name_taken(design: &Design, kind: ObjectKind, name: &str) -> bool {
    match kind {
        ObjectKind::Vnet => design.vnet(name).is_some(),
        ObjectKind::Subnet => name.split_once('/').is_some_and(|(vnet, subnet)| {
            design
                .vnet(vnet)
                .is_some_and(|v| v.subnet(subnet).is_some())
        }),
        ObjectKind::Vm => design.vm(name).is_some(),
        ObjectKind::Peering => design.peering(name).is_some(),
        ObjectKind::Nsg => design.nsg(name).is_some(),
        ObjectKind::RouteTable => design.route_table(name).is_some(),
        ObjectKind::Gateway => design.gateway(name).is_some(),
        ObjectKind::Site => design.site(name).is_some(),
        ObjectKind::Connection => design.connection(name).is_some(),
        ObjectKind::Intent => design.intent(name).is_some(),
        ObjectKind::Subscription => design.subscription(name).is_some(),
    }
}

/// Refuses a name already in use. Checked before any change, because every later step (and
/// every inverse) finds objects by name: a duplicate, even for a moment, would make it ambiguous.
fn ensure_free(design: &Design, kind: ObjectKind, name: &str) -> Result<(), EditError> {
    if name_taken(design, kind, name) {
        let shown = name.rsplit('/').next().unwrap_or(name);
        return Err(EditError::Refused(format!(
            "duplicate {kind} name `{shown}`; names must be unique, so choose another name"
        )));
    }
    Ok(())
}

pub(super) fn add(
    design: &mut Design,
    object: Object,
    at: Option<usize>,
) -> Result<Edit, EditError> {
    let reference = object.reference();
    ensure_free(design, reference.kind, &reference.name)?;
    match object {
        Object::Vnet(o) => insert_at(&mut design.vnets, at, o),
        Object::Subnet { vnet, subnet } => {
            let owner = design
                .vnet_mut(&vnet)
                .ok_or_else(|| not_found(ObjectKind::Vnet, &vnet))?;
            insert_at(&mut owner.subnets, at, subnet);
        }
        Object::Vm(o) => insert_at(&mut design.vms, at, o),
        Object::Peering(o) => insert_at(&mut design.peerings, at, o),
        Object::Nsg(o) => insert_at(&mut design.nsgs, at, o),
        Object::RouteTable(o) => insert_at(&mut design.route_tables, at, o),
        Object::Gateway(o) => insert_at(&mut design.gateways, at, o),
        Object::Site(o) => insert_at(&mut design.sites, at, o),
        Object::Connection(o) => insert_at(&mut design.connections, at, o),
        Object::Intent(o) => insert_at(&mut design.intents, at, o),
        Object::Subscription(o) => insert_at(&mut design.subscriptions, at, o),
    }
    Ok(Edit::Withdraw(reference))
}

/// Takes one object out of its list, returning it with its index.
fn take_one(design: &mut Design, target: &ObjectRef) -> Result<(usize, Object), EditError> {
    let name = target.name.as_str();
    let missing = || not_found(target.kind, name);
    macro_rules! take {
        ($list:expr, $wrap:expr) => {{
            let i = position(&$list, name, |o| &o.name).ok_or_else(missing)?;
            (i, $wrap($list.remove(i)))
        }};
    }
    Ok(match target.kind {
        ObjectKind::Vnet => take!(design.vnets, Object::Vnet),
        ObjectKind::Subnet => {
            let (vnet, subnet) = split_subnet(name)?;
            let owner = design.vnet_mut(vnet).ok_or_else(missing)?;
            let i = position(&owner.subnets, subnet, |s| &s.name).ok_or_else(missing)?;
            let subnet = owner.subnets.remove(i);
            (
                i,
                Object::Subnet {
                    vnet: vnet.to_string(),
                    subnet,
                },
            )
        }
        ObjectKind::Vm => take!(design.vms, Object::Vm),
        ObjectKind::Peering => take!(design.peerings, Object::Peering),
        ObjectKind::Nsg => take!(design.nsgs, Object::Nsg),
        ObjectKind::RouteTable => take!(design.route_tables, Object::RouteTable),
        ObjectKind::Gateway => take!(design.gateways, Object::Gateway),
        ObjectKind::Site => take!(design.sites, Object::Site),
        ObjectKind::Connection => take!(design.connections, Object::Connection),
        ObjectKind::Intent => take!(design.intents, Object::Intent),
        ObjectKind::Subscription => take!(design.subscriptions, Object::Subscription),
    })
}

pub(super) fn withdraw(design: &mut Design, target: &ObjectRef) -> Result<Edit, EditError> {
    let (at, object) = take_one(design, target)?;
    Ok(Edit::Add {
        object,
        at: Some(at),
    })
}

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
fn take_intents(design: &mut Design, endpoints: &[String]) -> Vec<Edit> {
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
pub(super) fn remove(design: &mut Design, target: &ObjectRef) -> Result<Edit, EditError> {
    // Objects that need a cascade or a side effect; the rest are a plain withdrawal.
    let mut undo: Vec<Edit> = Vec::new();
    match target.kind {
        ObjectKind::Vnet => {
            let v = target.name.as_str();
            let slots = design.referencing(RefKind::Vnet, None, v);
            let (at, vnet) = take_one(design, target)?;
            let gateways = take_at(
                &mut design.gateways,
                &holders(&slots, |h| match h {
                    Holder::Gateway(g) => Some(g),
                    _ => None,
                }),
            );
            let gateway_names: Vec<String> = gateways.iter().map(|(_, g)| g.name.clone()).collect();
            let connections = take_connections(design, RefKind::Gateway, &gateway_names);
            let vms = take_at(
                &mut design.vms,
                &holders(&slots, |h| match h {
                    Holder::Nic { vm, .. } => Some(vm),
                    _ => None,
                }),
            );
            let peerings = take_at(
                &mut design.peerings,
                &holders(&slots, |h| match h {
                    Holder::Peering(p) => Some(p),
                    _ => None,
                }),
            );
            let mut endpoints: Vec<String> = vms.iter().map(|(_, vm)| vm.name.clone()).collect();
            endpoints.extend(gateway_names.iter().map(|g| p2s_client_name(g)));
            let intents = take_intents(design, &endpoints);
            undo.push(Edit::Add {
                object: vnet,
                at: Some(at),
            });
            undo.extend(re_add(gateways, Object::Gateway));
            undo.extend(connections);
            undo.extend(re_add(vms, Object::Vm));
            undo.extend(re_add(peerings, Object::Peering));
            undo.extend(intents);
        }
        ObjectKind::Subnet => {
            let (vnet_name, subnet_name) = split_subnet(&target.name)?;
            let slots = design.referencing(RefKind::Subnet, Some(vnet_name), subnet_name);
            let (at, subnet) = take_one(design, target)?;
            // A VM whose primary NIC is in the subnet goes; another VM only loses its NICs there.
            let vms = take_at(
                &mut design.vms,
                &holders(&slots, |h| match h {
                    Holder::Nic { vm, nic: 0 } => Some(vm),
                    _ => None,
                }),
            );
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
            undo.push(Edit::Add {
                object: subnet,
                at: Some(at),
            });
            undo.extend(re_add(vms, Object::Vm));
            undo.extend(changed);
            undo.extend(intents);
        }
        ObjectKind::Vm => {
            let (at, vm) = take_one(design, target)?;
            undo.push(Edit::Add {
                object: vm,
                at: Some(at),
            });
            undo.extend(take_intents(design, std::slice::from_ref(&target.name)));
        }
        ObjectKind::Peering => {
            let peering = design
                .peering(&target.name)
                .ok_or_else(|| not_found(target.kind, &target.name))?;
            // Deleting one side of a connected pair leaves the other side Disconnected (§1.4).
            let survivor = (design.peering_state(peering) == PeeringState::Connected)
                .then(|| design.reverse_peering(peering).map(|r| r.name.clone()))
                .flatten();
            let (at, object) = take_one(design, target)?;
            undo.push(Edit::Add {
                object,
                at: Some(at),
            });
            if let Some(name) = survivor
                && let Some(other) = design.peerings.iter_mut().find(|p| p.name == name)
            {
                undo.push(Edit::Replace(Object::Peering(other.clone())));
                other.disconnected = true;
            }
        }
        ObjectKind::Nsg | ObjectKind::RouteTable => {
            let kind = if target.kind == ObjectKind::Nsg {
                RefKind::Nsg
            } else {
                RefKind::RouteTable
            };
            let slots = design.referencing(kind, None, &target.name);
            let (at, object) = take_one(design, target)?;
            undo.push(Edit::Add {
                object,
                at: Some(at),
            });
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
        }
        ObjectKind::Gateway => {
            let (at, object) = take_one(design, target)?;
            let g = target.name.clone();
            let connections = take_connections(design, RefKind::Gateway, std::slice::from_ref(&g));
            let intents = take_intents(design, &[p2s_client_name(&g)]);
            undo.push(Edit::Add {
                object,
                at: Some(at),
            });
            undo.extend(connections);
            undo.extend(intents);
        }
        ObjectKind::Site => {
            let (at, object) = take_one(design, target)?;
            let hosts: Vec<String> = match &object {
                Object::Site(site) => site.hosts.iter().map(|h| h.name.clone()).collect(),
                _ => Vec::new(),
            };
            let connections =
                take_connections(design, RefKind::Site, std::slice::from_ref(&target.name));
            let intents = take_intents(design, &hosts);
            undo.push(Edit::Add {
                object,
                at: Some(at),
            });
            undo.extend(connections);
            undo.extend(intents);
        }
        ObjectKind::Connection | ObjectKind::Intent | ObjectKind::Subscription => {
            return withdraw(design, target);
        }
    }
    Ok(Edit::Batch(undo))
}

pub(super) fn rename(design: &mut Design, target: &ObjectRef, to: &str) -> Result<Edit, EditError> {
    let to = to.trim();
    if to.is_empty() {
        return Err(EditError::Refused(format!(
            "a {} needs a name",
            target.kind
        )));
    }
    if to.contains('/') {
        return Err(EditError::Refused(format!(
            "`{to}` contains `/`, which vnetlab uses between a VNet and its subnets"
        )));
    }
    let old = target.name.as_str();
    let missing = || not_found(target.kind, old);
    let wanted = match (target.kind, old.split_once('/')) {
        (ObjectKind::Subnet, Some((vnet, _))) => format!("{vnet}/{to}"),
        _ => to.to_string(),
    };
    if wanted == old {
        return Err(EditError::Refused(format!(
            "{} `{old}` already has that name",
            target.kind
        )));
    }
    ensure_free(design, target.kind, &wanted)?;
    // The inverse renames back: a subnet's new reference keeps its VNet part.
    let (new_ref_name, old_short) = match (target.kind, old.split_once('/')) {
        (ObjectKind::Subnet, Some((_, subnet))) => (wanted.clone(), subnet.to_string()),
        _ => (to.to_string(), old.to_string()),
    };
    // First the object's own name, then every reference to it (model::references lists them).
    let renamed = |found: Option<&mut String>| -> Result<(), EditError> {
        *found.ok_or_else(missing)? = to.to_string();
        Ok(())
    };
    match target.kind {
        ObjectKind::Vnet => {
            renamed(design.vnet_mut(old).map(|v| &mut v.name))?;
            design.rename_references(RefKind::Vnet, None, old, to);
        }
        ObjectKind::Subnet => {
            let (vnet, subnet) = split_subnet(old)?;
            let owner = design.vnet_mut(vnet).ok_or_else(missing)?;
            renamed(
                owner
                    .subnets
                    .iter_mut()
                    .find(|s| s.name == subnet)
                    .map(|s| &mut s.name),
            )?;
            design.rename_references(RefKind::Subnet, Some(vnet), subnet, to);
        }
        ObjectKind::Vm => {
            renamed(
                design
                    .vms
                    .iter_mut()
                    .find(|v| v.name == old)
                    .map(|v| &mut v.name),
            )?;
            design.rename_references(RefKind::Endpoint, None, old, to);
        }
        ObjectKind::Nsg => {
            renamed(
                design
                    .nsgs
                    .iter_mut()
                    .find(|n| n.name == old)
                    .map(|n| &mut n.name),
            )?;
            design.rename_references(RefKind::Nsg, None, old, to);
        }
        ObjectKind::RouteTable => {
            let tables = design.route_tables.iter_mut();
            renamed(
                tables
                    .into_iter()
                    .find(|t| t.name == old)
                    .map(|t| &mut t.name),
            )?;
            design.rename_references(RefKind::RouteTable, None, old, to);
        }
        ObjectKind::Gateway => {
            renamed(
                design
                    .gateways
                    .iter_mut()
                    .find(|g| g.name == old)
                    .map(|g| &mut g.name),
            )?;
            design.rename_references(RefKind::Gateway, None, old, to);
            // Its point-to-site client is an endpoint named after it.
            let (old_client, new_client) = (p2s_client_name(old), p2s_client_name(to));
            design.rename_references(RefKind::Endpoint, None, &old_client, &new_client);
        }
        ObjectKind::Site => {
            renamed(
                design
                    .sites
                    .iter_mut()
                    .find(|s| s.name == old)
                    .map(|s| &mut s.name),
            )?;
            design.rename_references(RefKind::Site, None, old, to);
        }
        ObjectKind::Subscription => {
            // VNets name their subscription as free text; renaming onto a name some VNet already
            // uses would merge two groups and could not be undone exactly.
            if let Some(vnet) = design.vnets.iter().find(|v| v.subscription == to) {
                return Err(EditError::Refused(format!(
                    "VNet `{}` already uses subscription `{to}`; pick another name",
                    vnet.name
                )));
            }
            let entries = design.subscriptions.iter_mut();
            renamed(
                entries
                    .into_iter()
                    .find(|s| s.name == old)
                    .map(|s| &mut s.name),
            )?;
            design.rename_references(RefKind::Subscription, None, old, to);
        }
        ObjectKind::Peering => {
            renamed(
                design
                    .peerings
                    .iter_mut()
                    .find(|p| p.name == old)
                    .map(|p| &mut p.name),
            )?;
        }
        ObjectKind::Connection => {
            let connections = design.connections.iter_mut();
            renamed(
                connections
                    .into_iter()
                    .find(|c| c.name == old)
                    .map(|c| &mut c.name),
            )?;
        }
        ObjectKind::Intent => {
            renamed(
                design
                    .intents
                    .iter_mut()
                    .find(|i| i.name == old)
                    .map(|i| &mut i.name),
            )?;
        }
    }
    Ok(Edit::Rename {
        target: ObjectRef::new(target.kind, new_ref_name),
        to: old_short,
    })
}

pub(super) fn replace(design: &mut Design, object: Object) -> Result<Edit, EditError> {
    let name = object.name();
    let missing = || not_found(object.kind(), &name);
    macro_rules! swap {
        ($list:expr, $new:expr, $wrap:expr) => {{
            let slot = $list
                .iter_mut()
                .find(|o| o.name == $new.name)
                .ok_or_else(missing)?;
            $wrap(std::mem::replace(slot, $new))
        }};
    }
    let old = match object.clone() {
        Object::Vnet(new) => {
            let old_space = design
                .vnet(&new.name)
                .ok_or_else(missing)?
                .address_space
                .clone();
            let new_space = new.address_space.clone();
            let vnet_name = new.name.clone();
            let old = swap!(design.vnets, new, Object::Vnet);
            if !same_space(&old_space, &new_space) {
                // Remote peerings keep their copy of the old space until synced (§1.3–§1.4).
                let mut undo = vec![Edit::Replace(old)];
                for p in design.peerings.iter_mut().filter(|p| p.remote == vnet_name) {
                    undo.push(Edit::Replace(Object::Peering(p.clone())));
                    let snapshot = p
                        .remote_address_space
                        .take()
                        .unwrap_or_else(|| old_space.clone());
                    if !same_space(&snapshot, &new_space) {
                        p.remote_address_space = Some(snapshot);
                    }
                }
                return Ok(Edit::Batch(undo));
            }
            old
        }
        Object::Subnet { vnet, subnet } => {
            let owner = design.vnet_mut(&vnet).ok_or_else(missing)?;
            let slot: &mut Subnet = owner
                .subnets
                .iter_mut()
                .find(|s| s.name == subnet.name)
                .ok_or_else(missing)?;
            Object::Subnet {
                vnet,
                subnet: std::mem::replace(slot, subnet),
            }
        }
        Object::Vm(new) => swap!(design.vms, new, Object::Vm),
        Object::Peering(new) => swap!(design.peerings, new, Object::Peering),
        Object::Nsg(new) => swap!(design.nsgs, new, Object::Nsg),
        Object::RouteTable(new) => swap!(design.route_tables, new, Object::RouteTable),
        Object::Gateway(new) => swap!(design.gateways, new, Object::Gateway),
        Object::Site(new) => {
            let current = design.site(&new.name).ok_or_else(missing)?;
            let (renamed, gone) = host_changes(current, &new);
            let old = swap!(design.sites, new, Object::Site);
            if renamed.is_empty() && gone.is_empty() {
                old
            } else {
                // Intents follow a renamed host and go with a removed one, as for a VM.
                for (from, to) in &renamed {
                    design.rename_references(RefKind::Endpoint, None, from, to);
                }
                let mut undo = vec![Edit::Replace(old)];
                undo.extend(take_intents(design, &gone));
                return Ok(Edit::Batch(undo));
            }
        }
        Object::Connection(new) => swap!(design.connections, new, Object::Connection),
        Object::Intent(new) => swap!(design.intents, new, Object::Intent),
        Object::Subscription(new) => swap!(design.subscriptions, new, Object::Subscription),
    };
    Ok(Edit::Replace(old))
}

/// How a site's hosts change from `old` to `new`: the hosts renamed in place (same position,
/// same number of hosts, the old name gone and the new one not there before), and the names of
/// hosts that are gone otherwise.
fn host_changes(old: &Site, new: &Site) -> (Vec<(String, String)>, Vec<String>) {
    let names =
        |site: &Site| -> HashSet<String> { site.hosts.iter().map(|h| h.name.clone()).collect() };
    let (before, after) = (names(old), names(new));
    let mut renamed = Vec::new();
    if old.hosts.len() == new.hosts.len() {
        for (was, now) in old.hosts.iter().zip(&new.hosts) {
            if was.name != now.name && !after.contains(&was.name) && !before.contains(&now.name) {
                renamed.push((was.name.clone(), now.name.clone()));
            }
        }
    }
    let gone = old
        .hosts
        .iter()
        .map(|h| &h.name)
        .filter(|n| !after.contains(*n) && !renamed.iter().any(|(from, _)| from == *n))
        .cloned()
        .collect();
    (renamed, gone)
}

pub(super) fn sync_peering(design: &mut Design, name: &str) -> Result<Edit, EditError> {
    let peering = design
        .peerings
        .iter_mut()
        .find(|p| p.name == name)
        .ok_or_else(|| not_found(ObjectKind::Peering, name))?;
    let old = peering.clone();
    peering.remote_address_space = None;
    Ok(Edit::Replace(Object::Peering(old)))
}
