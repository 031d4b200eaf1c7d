//! The mechanics of each edit: mutate the design, return the exact inverse.
//!
//! Inverses restore positions: removals record each object's index and undo re-inserts in
//! ascending index order, so lists come back in their original order.

use super::{Edit, EditError, Object, ObjectRef};
use crate::model::endpoint_names::p2s_client_name;
use crate::model::{ConnectionRemote, Design, ObjectKind, PeeringState, Subnet, same_space};

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

/// Removes intents whose `from` or `to` is one of `endpoints`.
fn take_intents(design: &mut Design, endpoints: &[String]) -> Vec<Edit> {
    let taken = take_where(&mut design.intents, |i| {
        endpoints.contains(&i.from) || endpoints.contains(&i.to)
    });
    re_add(taken, Object::Intent).collect()
}

pub(super) fn remove(design: &mut Design, target: &ObjectRef) -> Result<Edit, EditError> {
    // Objects that need a cascade or a side effect; the rest are a plain withdrawal.
    let mut undo: Vec<Edit> = Vec::new();
    match target.kind {
        ObjectKind::Vnet => {
            let v = target.name.as_str();
            let (at, vnet) = take_one(design, target)?;
            let gateways = take_where(&mut design.gateways, |g| g.vnet == v);
            let gateway_names: Vec<String> = gateways.iter().map(|(_, g)| g.name.clone()).collect();
            let connections = take_where(&mut design.connections, |c| {
                gateway_names.contains(&c.gateway)
                    || matches!(&c.remote, ConnectionRemote::Gateway(g) if gateway_names.contains(g))
            });
            let vms = take_where(&mut design.vms, |vm| {
                vm.nics.iter().any(|n| n.subnet.vnet == v)
            });
            let peerings = take_where(&mut design.peerings, |p| p.local == v || p.remote == v);
            let mut endpoints: Vec<String> = vms.iter().map(|(_, vm)| vm.name.clone()).collect();
            endpoints.extend(gateway_names.iter().map(|g| p2s_client_name(g)));
            let intents = take_intents(design, &endpoints);
            undo.push(Edit::Add {
                object: vnet,
                at: Some(at),
            });
            undo.extend(re_add(gateways, Object::Gateway));
            undo.extend(re_add(connections, Object::Connection));
            undo.extend(re_add(vms, Object::Vm));
            undo.extend(re_add(peerings, Object::Peering));
            undo.extend(intents);
        }
        ObjectKind::Subnet => {
            let (vnet_name, subnet_name) = split_subnet(&target.name)?;
            let in_subnet = |n: &crate::model::Nic| {
                n.subnet.vnet == vnet_name && n.subnet.subnet == subnet_name
            };
            let (at, subnet) = take_one(design, target)?;
            let vms = take_where(&mut design.vms, |vm| vm.primary().is_some_and(in_subnet));
            let mut changed = Vec::new();
            for vm in design
                .vms
                .iter_mut()
                .filter(|vm| vm.nics.iter().any(in_subnet))
            {
                changed.push(Edit::Replace(Object::Vm(vm.clone())));
                vm.nics.retain(|n| !in_subnet(n));
            }
            // A subnet-level peering stops listing the subnet (the old link is kept for undo).
            let listed = |list: &[String]| list.iter().any(|s| s == subnet_name);
            for p in &mut design.peerings {
                let local = p.local == vnet_name && listed(&p.local_subnets);
                let remote = p.remote == vnet_name && listed(&p.remote_subnets);
                if local || remote {
                    changed.push(Edit::Replace(Object::Peering(p.clone())));
                    if local {
                        p.local_subnets.retain(|s| s != subnet_name);
                    }
                    if remote {
                        p.remote_subnets.retain(|s| s != subnet_name);
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
            // A link on a classic VNet is not a resource Azure has (only the ARM side of an
            // ARM-to-classic peering exists), so deleting it leaves the ARM side as it was.
            let on_classic = design
                .vnet(&peering.local)
                .is_some_and(|v| v.deployment == crate::model::DeploymentModel::Classic);
            let survivor = (!on_classic
                && design.peering_state(peering) == PeeringState::Connected)
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
            let (at, object) = take_one(design, target)?;
            undo.push(Edit::Add {
                object,
                at: Some(at),
            });
            let name = target.name.as_str();
            let is_nsg = target.kind == ObjectKind::Nsg;
            for vnet in &mut design.vnets {
                for subnet in &mut vnet.subnets {
                    let current = if is_nsg {
                        &subnet.nsg
                    } else {
                        &subnet.route_table
                    };
                    if current.as_deref() == Some(name) {
                        undo.push(Edit::Replace(Object::Subnet {
                            vnet: vnet.name.clone(),
                            subnet: subnet.clone(),
                        }));
                        if is_nsg {
                            subnet.nsg = None;
                        } else {
                            subnet.route_table = None;
                        }
                    }
                }
            }
            if is_nsg {
                for vm in &mut design.vms {
                    if vm.nics.iter().any(|n| n.nsg.as_deref() == Some(name)) {
                        undo.push(Edit::Replace(Object::Vm(vm.clone())));
                        for nic in &mut vm.nics {
                            if nic.nsg.as_deref() == Some(name) {
                                nic.nsg = None;
                            }
                        }
                    }
                }
            }
        }
        ObjectKind::Gateway => {
            let (at, object) = take_one(design, target)?;
            let g = target.name.as_str();
            let connections = take_where(&mut design.connections, |c| {
                c.gateway == g
                    || matches!(&c.remote, ConnectionRemote::Gateway(other) if other == g)
            });
            let intents = take_intents(design, &[p2s_client_name(g)]);
            undo.push(Edit::Add {
                object,
                at: Some(at),
            });
            undo.extend(re_add(connections, Object::Connection));
            undo.extend(intents);
        }
        ObjectKind::Site => {
            let (at, object) = take_one(design, target)?;
            let s = target.name.as_str();
            let hosts: Vec<String> = match &object {
                Object::Site(site) => site.hosts.iter().map(|h| h.name.clone()).collect(),
                _ => Vec::new(),
            };
            let connections = take_where(
                &mut design.connections,
                |c| matches!(&c.remote, ConnectionRemote::Site(x) if x == s),
            );
            let intents = take_intents(design, &hosts);
            undo.push(Edit::Add {
                object,
                at: Some(at),
            });
            undo.extend(re_add(connections, Object::Connection));
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
    match target.kind {
        ObjectKind::Vnet => {
            design.vnet_mut(old).ok_or_else(missing)?.name = to.to_string();
            for vm in &mut design.vms {
                for nic in &mut vm.nics {
                    if nic.subnet.vnet == old {
                        nic.subnet.vnet = to.to_string();
                    }
                }
            }
            for p in &mut design.peerings {
                for end in [&mut p.local, &mut p.remote] {
                    if end == old {
                        *end = to.to_string();
                    }
                }
            }
            for g in &mut design.gateways {
                if g.vnet == old {
                    g.vnet = to.to_string();
                }
            }
        }
        ObjectKind::Subnet => {
            let (vnet, subnet) = split_subnet(old)?;
            let owner = design.vnet_mut(vnet).ok_or_else(missing)?;
            owner
                .subnets
                .iter_mut()
                .find(|s| s.name == subnet)
                .ok_or_else(missing)?
                .name = to.to_string();
            for vm in &mut design.vms {
                for nic in &mut vm.nics {
                    if nic.subnet.vnet == vnet && nic.subnet.subnet == subnet {
                        nic.subnet.subnet = to.to_string();
                    }
                }
            }
            for p in &mut design.peerings {
                let sides = [
                    (&p.local, &mut p.local_subnets),
                    (&p.remote, &mut p.remote_subnets),
                ];
                for (end, list) in sides {
                    if end == vnet {
                        list.iter_mut()
                            .filter(|s| *s == subnet)
                            .for_each(|s| *s = to.to_string());
                    }
                }
            }
        }
        ObjectKind::Vm => {
            design
                .vms
                .iter_mut()
                .find(|v| v.name == old)
                .ok_or_else(missing)?
                .name = to.to_string();
            rename_endpoint(design, old, to);
        }
        ObjectKind::Nsg | ObjectKind::RouteTable => {
            let is_nsg = target.kind == ObjectKind::Nsg;
            if is_nsg {
                design
                    .nsgs
                    .iter_mut()
                    .find(|n| n.name == old)
                    .ok_or_else(missing)?
                    .name = to.to_string();
            } else {
                design
                    .route_tables
                    .iter_mut()
                    .find(|n| n.name == old)
                    .ok_or_else(missing)?
                    .name = to.to_string();
            }
            for vnet in &mut design.vnets {
                for subnet in &mut vnet.subnets {
                    let slot = if is_nsg {
                        &mut subnet.nsg
                    } else {
                        &mut subnet.route_table
                    };
                    if slot.as_deref() == Some(old) {
                        *slot = Some(to.to_string());
                    }
                }
            }
            if is_nsg {
                for nic in design.vms.iter_mut().flat_map(|vm| vm.nics.iter_mut()) {
                    if nic.nsg.as_deref() == Some(old) {
                        nic.nsg = Some(to.to_string());
                    }
                }
            }
        }
        ObjectKind::Gateway => {
            design
                .gateways
                .iter_mut()
                .find(|g| g.name == old)
                .ok_or_else(missing)?
                .name = to.to_string();
            for c in &mut design.connections {
                if c.gateway == old {
                    c.gateway = to.to_string();
                }
                if let ConnectionRemote::Gateway(g) = &mut c.remote
                    && g == old
                {
                    *g = to.to_string();
                }
            }
            rename_endpoint(design, &p2s_client_name(old), &p2s_client_name(to));
        }
        ObjectKind::Site => {
            design
                .sites
                .iter_mut()
                .find(|s| s.name == old)
                .ok_or_else(missing)?
                .name = to.to_string();
            for c in &mut design.connections {
                if let ConnectionRemote::Site(s) = &mut c.remote
                    && s == old
                {
                    *s = to.to_string();
                }
            }
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
            design
                .subscriptions
                .iter_mut()
                .find(|s| s.name == old)
                .ok_or_else(missing)?
                .name = to.to_string();
            for vnet in &mut design.vnets {
                if vnet.subscription == old {
                    vnet.subscription = to.to_string();
                }
            }
        }
        ObjectKind::Peering => {
            design
                .peerings
                .iter_mut()
                .find(|p| p.name == old)
                .ok_or_else(missing)?
                .name = to.to_string();
        }
        ObjectKind::Connection => {
            design
                .connections
                .iter_mut()
                .find(|c| c.name == old)
                .ok_or_else(missing)?
                .name = to.to_string();
        }
        ObjectKind::Intent => {
            design
                .intents
                .iter_mut()
                .find(|i| i.name == old)
                .ok_or_else(missing)?
                .name = to.to_string();
        }
    }
    Ok(Edit::Rename {
        target: ObjectRef::new(target.kind, new_ref_name),
        to: old_short,
    })
}

/// Points intents at an endpoint's new name.
fn rename_endpoint(design: &mut Design, old: &str, new: &str) {
    for intent in &mut design.intents {
        for end in [&mut intent.from, &mut intent.to] {
            if end == old {
                *end = new.to_string();
            }
        }
    }
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
        Object::Site(new) => swap!(design.sites, new, Object::Site),
        Object::Connection(new) => swap!(design.connections, new, Object::Connection),
        Object::Intent(new) => swap!(design.intents, new, Object::Intent),
        Object::Subscription(new) => swap!(design.subscriptions, new, Object::Subscription),
    };
    Ok(Edit::Replace(old))
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
