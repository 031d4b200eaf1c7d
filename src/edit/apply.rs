//! The mechanics of each edit: mutate the design, return the exact inverse.
//!
//! Inverses restore positions: removals record each object's index and undo re-inserts in
//! ascending index order, so lists come back in their original order.

use super::remove::take_intents;
use super::{Edit, EditError, Object, ObjectRef};
use crate::model::endpoint_names::p2s_client_name;
use crate::model::{Design, ObjectKind, RefKind, Site, Subnet, same_space};
use std::collections::HashSet;

pub(super) fn not_found(kind: ObjectKind, name: &str) -> EditError {
    EditError::NotFound {
        kind,
        name: name.to_string(),
    }
}

/// Removes every element matching `pred`, returning `(original index, element)` ascending.
pub(super) fn take_where<T>(
    list: &mut Vec<T>,
    mut pred: impl FnMut(&T) -> bool,
) -> Vec<(usize, T)> {
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
pub(super) fn re_add<T>(
    taken: Vec<(usize, T)>,
    wrap: impl Fn(T) -> Object,
) -> impl Iterator<Item = Edit> {
    taken.into_iter().map(move |(i, item)| Edit::Add {
        object: wrap(item),
        at: Some(i),
    })
}

fn insert_at<T>(list: &mut Vec<T>, at: Option<usize>, item: T) {
    let index = at.unwrap_or(list.len()).min(list.len());
    list.insert(index, item);
}

pub(super) fn split_subnet(name: &str) -> Result<(&str, &str), EditError> {
    name.split_once('/').ok_or_else(|| {
        EditError::Refused(format!(
            "subnet names are written `vnet/subnet`, not `{name}`"
        ))
    })
}

fn position<T>(list: &[T], name: &str, name_of: impl Fn(&T) -> &str) -> Option<usize> {
    list.iter().position(|item| name_of(item) == name)
}

/// Refuses a name already in use. Checked before any change, because every later step (and
/// every inverse) finds objects by name: a duplicate, even for a moment, would make it ambiguous.
fn ensure_free(design: &Design, kind: ObjectKind, name: &str) -> Result<(), EditError> {
    if design.has_object(kind, name) {
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
        Object::Asg(o) => insert_at(&mut design.asgs, at, o),
        Object::RouteServer(o) => insert_at(&mut design.route_servers, at, o),
        Object::NetworkGroup(o) => insert_at(&mut design.network_groups, at, o),
        Object::Connectivity(o) => insert_at(&mut design.connectivity, at, o),
    }
    Ok(Edit::Withdraw(reference))
}

/// Takes one object out of its list, returning it with its index.
pub(super) fn take_one(
    design: &mut Design,
    target: &ObjectRef,
) -> Result<(usize, Object), EditError> {
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
        ObjectKind::Asg => take!(design.asgs, Object::Asg),
        ObjectKind::RouteServer => take!(design.route_servers, Object::RouteServer),
        ObjectKind::NetworkGroup => take!(design.network_groups, Object::NetworkGroup),
        ObjectKind::Connectivity => take!(design.connectivity, Object::Connectivity),
    })
}

pub(super) fn withdraw(design: &mut Design, target: &ObjectRef) -> Result<Edit, EditError> {
    let (at, object) = take_one(design, target)?;
    Ok(Edit::Add {
        object,
        at: Some(at),
    })
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
    // VNets name their subscription as free text; renaming onto a name some VNet already uses
    // would merge two groups and could not be undone exactly.
    if target.kind == ObjectKind::Subscription
        && let Some(vnet) = design.vnets.iter().find(|v| v.subscription == to)
    {
        return Err(EditError::Refused(format!(
            "VNet `{}` already uses subscription `{to}`; pick another name",
            vnet.name
        )));
    }
    // First the object's own name, then every reference to it (model::references lists them).
    *name_field(design, target.kind, old)?.ok_or_else(missing)? = to.to_string();
    if let Some(kind) = named_by(target.kind) {
        let (scope, short) = match target.kind {
            ObjectKind::Subnet => {
                let (vnet, subnet) = split_subnet(old)?;
                (Some(vnet), subnet)
            }
            _ => (None, old),
        };
        design.rename_references(kind, scope, short, to);
    }
    if target.kind == ObjectKind::Gateway {
        // Its point-to-site client is an endpoint named after it.
        let (old_client, new_client) = (p2s_client_name(old), p2s_client_name(to));
        design.rename_references(RefKind::Endpoint, None, &old_client, &new_client);
    }
    Ok(Edit::Rename {
        target: ObjectRef::new(target.kind, new_ref_name),
        to: old_short,
    })
}

/// The name field of the object of `kind` named `name` (a subnet as `vnet/subnet`), `None` when
/// there is no such object.
fn name_field<'d>(
    design: &'d mut Design,
    kind: ObjectKind,
    name: &str,
) -> Result<Option<&'d mut String>, EditError> {
    macro_rules! field {
        ($list:expr, $name:expr) => {
            $list
                .iter_mut()
                .find(|o| o.name == $name)
                .map(|o| &mut o.name)
        };
    }
    Ok(match kind {
        ObjectKind::Vnet => field!(design.vnets, name),
        ObjectKind::Subnet => {
            let (vnet, subnet) = split_subnet(name)?;
            design
                .vnet_mut(vnet)
                .and_then(|owner| field!(owner.subnets, subnet))
        }
        ObjectKind::Vm => field!(design.vms, name),
        ObjectKind::Peering => field!(design.peerings, name),
        ObjectKind::Nsg => field!(design.nsgs, name),
        ObjectKind::RouteTable => field!(design.route_tables, name),
        ObjectKind::Gateway => field!(design.gateways, name),
        ObjectKind::Site => field!(design.sites, name),
        ObjectKind::Connection => field!(design.connections, name),
        ObjectKind::Intent => field!(design.intents, name),
        ObjectKind::Subscription => field!(design.subscriptions, name),
        ObjectKind::Asg => field!(design.asgs, name),
        ObjectKind::RouteServer => field!(design.route_servers, name),
        ObjectKind::NetworkGroup => field!(design.network_groups, name),
        ObjectKind::Connectivity => field!(design.connectivity, name),
    })
}

/// The kind of reference other objects hold to an object of `kind`, when they name it (a VM is
/// named as an endpoint); `None` for the kinds nothing refers to by name.
fn named_by(kind: ObjectKind) -> Option<RefKind> {
    match kind {
        ObjectKind::Vnet => Some(RefKind::Vnet),
        ObjectKind::Subnet => Some(RefKind::Subnet),
        ObjectKind::Vm => Some(RefKind::Endpoint),
        ObjectKind::Nsg => Some(RefKind::Nsg),
        ObjectKind::RouteTable => Some(RefKind::RouteTable),
        ObjectKind::Gateway => Some(RefKind::Gateway),
        ObjectKind::Site => Some(RefKind::Site),
        ObjectKind::Subscription => Some(RefKind::Subscription),
        ObjectKind::Asg => Some(RefKind::Asg),
        ObjectKind::NetworkGroup => Some(RefKind::NetworkGroup),
        ObjectKind::Peering
        | ObjectKind::Connection
        | ObjectKind::Intent
        | ObjectKind::RouteServer
        | ObjectKind::Connectivity => None,
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
            let vnet_name = new.name.clone();
            design.vnet(&vnet_name).ok_or_else(missing)?;
            let carried = carried_to(design, &vnet_name);
            let old = swap!(design.vnets, new, Object::Vnet);
            return Ok(keep_remote_copies(design, carried, old));
        }
        Object::Subnet { vnet, subnet } => {
            let carried = carried_to(design, &vnet);
            let owner = design.vnet_mut(&vnet).ok_or_else(missing)?;
            let slot: &mut Subnet = owner
                .subnets
                .iter_mut()
                .find(|s| s.name == subnet.name)
                .ok_or_else(missing)?;
            let old = Object::Subnet {
                vnet,
                subnet: std::mem::replace(slot, subnet),
            };
            return Ok(keep_remote_copies(design, carried, old));
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
        Object::Asg(new) => swap!(design.asgs, new, Object::Asg),
        Object::RouteServer(new) => swap!(design.route_servers, new, Object::RouteServer),
        Object::NetworkGroup(new) => swap!(design.network_groups, new, Object::NetworkGroup),
        Object::Connectivity(new) => swap!(design.connectivity, new, Object::Connectivity),
    };
    Ok(Edit::Replace(old))
}

/// What each peering pointing at `vnet` carries now (by position): the space it would hold a
/// copy of if the VNet (or one of its peered subnets) changed.
fn carried_to(design: &Design, vnet: &str) -> Vec<(usize, Vec<ipnet::Ipv4Net>)> {
    design
        .peerings
        .iter()
        .enumerate()
        .filter(|(_, p)| p.remote == vnet)
        .map(|(i, p)| (i, design.current_remote_space(p).into_owned()))
        .collect()
}

/// Remote peerings keep their copy of what they carried until synced (§1.3–§1.4): after the
/// change, each peering listed in `carried` whose carried space changed keeps the old one as its
/// snapshot (a snapshot that now matches again is dropped). A subnet-level peering carries only
/// its listed subnets, so a change elsewhere in the VNet leaves it in sync. Returns the undo.
fn keep_remote_copies(
    design: &mut Design,
    carried: Vec<(usize, Vec<ipnet::Ipv4Net>)>,
    old: Object,
) -> Edit {
    let mut undo = vec![Edit::Replace(old)];
    for (i, before) in carried {
        let now = design
            .current_remote_space(&design.peerings[i])
            .into_owned();
        if same_space(&before, &now) {
            // This edit did not change what the peering carries (an NSG or route table on a
            // subnet, say): its snapshot, even one that matches, is none of this edit's business.
            continue;
        }
        let p = &mut design.peerings[i];
        let snapshot = p.remote_address_space.clone().unwrap_or(before);
        let kept = (!same_space(&snapshot, &now)).then_some(snapshot);
        // A peering that holds a snapshot is restored by the undo even when this edit keeps it:
        // undoing the change may make the space match the snapshot again, which drops it, and
        // the undo must give back the design exactly as it was.
        if kept != p.remote_address_space || p.remote_address_space.is_some() {
            undo.push(Edit::Replace(Object::Peering(p.clone())));
            p.remote_address_space = kept;
        }
    }
    if undo.len() == 1 {
        undo.remove(0)
    } else {
        Edit::Batch(undo)
    }
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
