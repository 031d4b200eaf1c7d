//! Edits that actions build from the selection: the reverse peering, syncing a pair, deleting
//! any selected object and the Space toggles (the gateway-transit switch is the core's
//! [`crate::edit::transit`]). Pure functions of the design: they return the edit or the
//! sentence explaining why there is none, and never apply anything themselves.

use super::panes::peerings::FlagCursor;
use super::panes::{Section, Target};
use crate::edit::peering::add_reverse;
use crate::edit::{Edit, Object, ObjectRef};
use crate::model::{Design, ObjectKind, Peering, PeeringViolation};

/// The missing direction of a pair, as [`Peering::reverse_for`] sets it (a hub side that allows
/// transit gets a spoke side that uses it, when Azure would accept that). Refused when Azure
/// would refuse the new link outright.
pub fn reverse_peering(design: &Design, a: &str, b: &str) -> Result<Edit, String> {
    let existing = match (design.peering_between(a, b), design.peering_between(b, a)) {
        (Some(_), Some(_)) => return Err(format!("{a} and {b} are already peered both ways")),
        (Some(p), None) | (None, Some(p)) => p,
        (None, None) => return Err(format!("{a} and {b} have no link to reverse")),
    };
    let (edit, reverse) = add_reverse(design, existing);
    if let Some(v) = design
        .peering_violations(&reverse)
        .into_iter()
        .find(PeeringViolation::invalidates_peering)
    {
        return Err(format!(
            "Azure would refuse {} → {}: {v}",
            reverse.local, reverse.remote
        ));
    }
    Ok(edit)
}

/// Syncs every out-of-sync link of a pair, or `None` when both are in sync.
pub fn sync_pair(design: &Design, a: &str, b: &str) -> Option<Edit> {
    let stale: Vec<Edit> = [design.peering_between(a, b), design.peering_between(b, a)]
        .into_iter()
        .flatten()
        .filter(|p| {
            design.vnet(&p.remote).is_some_and(|v| {
                p.remote_address_space
                    .as_ref()
                    .is_some_and(|s| !crate::model::same_space(s, &v.address_space))
            })
        })
        .map(|p| Edit::SyncPeering(p.name.clone()))
        .collect();
    match stale.len() {
        0 => None,
        1 => stale.into_iter().next(),
        _ => Some(Edit::Batch(stale)),
    }
}

/// The link of the pair `a ⇄ b` under the flag cursor.
fn link_at<'a>(
    design: &'a Design,
    a: &str,
    b: &str,
    cursor: FlagCursor,
) -> Result<&'a Peering, String> {
    let (local, remote) = cursor.link_ends(a, b);
    design
        .peering_between(local, remote)
        .ok_or_else(|| format!("{local} → {remote} does not exist yet; r creates it"))
}

/// The confirmation question and the edit that deletes the selected object (of a peering pair,
/// the link under the flag cursor). A secondary NIC is removed by replacing its VM, so a VM never
/// loses its last NIC.
pub fn delete(
    design: &Design,
    target: &Target,
    cursor: FlagCursor,
) -> Result<(String, Edit), String> {
    let remove = |kind, name: &str| Edit::Remove(ObjectRef::new(kind, name));
    Ok(match target {
        Target::Section(_)
        | Target::Pair { .. }
        | Target::Diagnostic(_)
        | Target::EffectiveRoute(_) => {
            return Err("select an object to delete".to_string());
        }
        Target::Vnet(name) => {
            let vms = design
                .vms
                .iter()
                .filter(|vm| vm.vnet() == Some(name.as_str()))
                .count();
            let links = design
                .peerings
                .iter()
                .filter(|p| p.local == *name || p.remote == *name)
                .count();
            (
                format!(
                    "Delete VNet {name} with its subnets, {vms} VMs, {links} peering links and its gateways?"
                ),
                remove(ObjectKind::Vnet, name),
            )
        }
        Target::Subnet(r) => (
            format!("Delete subnet {r} and the VMs in it?"),
            remove(ObjectKind::Subnet, &r.to_string()),
        ),
        Target::Vm(name) => (format!("Delete {name}?"), remove(ObjectKind::Vm, name)),
        Target::Nic { vm, index } => {
            let mut v = design.vm(vm).cloned().ok_or("the VM no longer exists")?;
            // The primary NIC is the VM's identity in Azure: it goes with the VM, never alone.
            if *index == 0 || v.nics.len() < 2 {
                return Err(format!(
                    "a VM keeps at least one NIC; delete {vm} itself to remove it"
                ));
            }
            if *index >= v.nics.len() {
                return Err("that NIC no longer exists".to_string());
            }
            let nic = v.nics.remove(*index);
            (
                format!("Delete NIC {} ({}) of {vm}?", index + 1, nic.ip),
                Edit::Replace(Object::Vm(v)),
            )
        }
        Target::Subscription(name) => (
            format!(
                "Delete subscription {name}? Permission checks will no longer know your role there."
            ),
            remove(ObjectKind::Subscription, name),
        ),
        Target::PeeringPair { a, b } => {
            let link = link_at(design, a, b, cursor)?;
            let other = design.reverse_peering(link).map_or(String::new(), |r| {
                format!(
                    " The other side, {}, will show Disconnected until it is deleted and both are recreated.",
                    r.name
                )
            });
            (
                format!("Delete peering {}?{other}", link.name),
                remove(ObjectKind::Peering, &link.name),
            )
        }
        Target::Gateway(name) => (
            format!("Delete gateway {name} and its connections?"),
            remove(ObjectKind::Gateway, name),
        ),
        Target::Site(name) => (
            format!("Delete site {name}, its hosts and connections?"),
            remove(ObjectKind::Site, name),
        ),
        Target::Connection(name) => (
            format!("Delete connection {name}?"),
            remove(ObjectKind::Connection, name),
        ),
        Target::RouteTable(name) => (
            format!("Delete route table {name}? Subnets using it lose their routes."),
            remove(ObjectKind::RouteTable, name),
        ),
        Target::Nsg(name) => (
            format!("Delete NSG {name}? Subnets and NICs using it lose it."),
            remove(ObjectKind::Nsg, name),
        ),
        Target::Intent(name) => (
            format!("Delete intent {name}?"),
            remove(ObjectKind::Intent, name),
        ),
        Target::Route { table, route } => {
            let mut t = design
                .route_table(table)
                .cloned()
                .ok_or("the route table no longer exists")?;
            t.routes.retain(|r| r.name != *route);
            (
                format!("Delete route {route} from {table}?"),
                Edit::Replace(Object::RouteTable(t)),
            )
        }
        Target::NsgRule { nsg, rule } => {
            let mut n = design.nsg(nsg).cloned().ok_or("the NSG no longer exists")?;
            n.rules.retain(|r| r.name != *rule);
            (
                format!("Delete rule {rule} from {nsg}?"),
                Edit::Replace(Object::Nsg(n)),
            )
        }
        Target::Host { site, host } => {
            let mut s = design
                .site(site)
                .cloned()
                .ok_or("the site no longer exists")?;
            s.hosts.retain(|h| h.name != *host);
            (
                format!("Delete host {host} of {site}?"),
                Edit::Replace(Object::Site(s)),
            )
        }
        Target::Asg(_)
        | Target::RouteServer(_)
        | Target::BgpPeer { .. }
        | Target::NetworkGroup(_)
        | Target::Connectivity(_) => super::objects_delete::delete(design, target)?,
        Target::ApplianceRule { vm, rule } => {
            let mut v = design
                .vm(vm)
                .cloned()
                .ok_or("the appliance no longer exists")?;
            if let Some(a) = v.appliance.as_mut() {
                a.rules.retain(|r| r.name != *rule);
            }
            (
                format!("Delete rule {rule} of {vm}?"),
                Edit::Replace(Object::Vm(v)),
            )
        }
    })
}

/// What Space does on the selection: the peering flag under the cursor, a route table's
/// propagation, a VM's IP forwarding, an intent's expectation.
pub fn toggle(design: &Design, target: &Target, cursor: FlagCursor) -> Result<Edit, String> {
    match target {
        Target::PeeringPair { a, b } => {
            let mut link = link_at(design, a, b, cursor)?.clone();
            let flag = cursor.flag;
            let on = !flag.get(&link);
            flag.set(&mut link, on);
            if on
                && let Some(v) = design
                    .peering_violations(&link)
                    .into_iter()
                    .find(|v| v.refuses(flag))
            {
                return Err(format!("Azure refuses {flag} on {}: {v}", link.name));
            }
            Ok(Edit::Replace(Object::Peering(link)))
        }
        Target::RouteTable(name) | Target::Route { table: name, .. } => {
            let mut t = design
                .route_table(name)
                .cloned()
                .ok_or("the route table no longer exists")?;
            t.propagate_gateway_routes = !t.propagate_gateway_routes;
            Ok(Edit::Replace(Object::RouteTable(t)))
        }
        Target::Vm(name) => {
            let mut vm = design.vm(name).cloned().ok_or("the VM no longer exists")?;
            let nic = vm.nics.first_mut().ok_or("the VM has no NIC")?;
            nic.ip_forwarding = !nic.ip_forwarding;
            Ok(Edit::Replace(Object::Vm(vm)))
        }
        Target::Nic { vm, index } => {
            let mut vm = design.vm(vm).cloned().ok_or("the VM no longer exists")?;
            let nic = vm.nics.get_mut(*index).ok_or("that NIC no longer exists")?;
            nic.ip_forwarding = !nic.ip_forwarding;
            Ok(Edit::Replace(Object::Vm(vm)))
        }
        Target::Intent(name) => {
            let mut intent = design.intent(name).cloned().ok_or("the intent no longer exists")?;
            intent.expect = match intent.expect {
                crate::model::Expectation::Reachable => crate::model::Expectation::Blocked,
                crate::model::Expectation::Blocked => crate::model::Expectation::Reachable,
            };
            Ok(Edit::Replace(Object::Intent(intent)))
        }
        Target::Section(Section::Peerings) if design.peerings.is_empty() => Err(
            "no peerings yet: a adds one (a single link, or a hub with its spokes), then Space toggles its flags"
                .to_string(),
        ),
        Target::Section(Section::Peerings) => Err(
            "this is the column header: j selects the first pair, then Space toggles the flag under the cursor (h/l move it)"
                .to_string(),
        ),
        _ => Err(
            "nothing to toggle here: Space toggles peering flags, IP forwarding, route propagation and intents"
                .to_string(),
        ),
    }
}

/// The pane and row that show an object, for jumping to a diagnostic's subject.
pub fn locate(design: &Design, subject: &ObjectRef) -> Option<(super::panes::PaneId, Target)> {
    use super::panes::PaneId;
    let name = subject.name.clone();
    Some(match subject.kind {
        ObjectKind::Vnet => (PaneId::Vnets, Target::Vnet(name)),
        ObjectKind::Subnet => (PaneId::Vnets, Target::Subnet(name.parse().ok()?)),
        ObjectKind::Vm => (PaneId::Vnets, Target::Vm(name)),
        ObjectKind::Peering => {
            let p = design.peering(&name)?;
            (
                PaneId::Peerings,
                Target::PeeringPair {
                    a: p.local.clone(),
                    b: p.remote.clone(),
                },
            )
        }
        ObjectKind::Nsg => (PaneId::Nsg, Target::Nsg(name)),
        ObjectKind::RouteTable => (PaneId::Routes, Target::RouteTable(name)),
        ObjectKind::Gateway => (PaneId::Gateway, Target::Gateway(name)),
        ObjectKind::Site => (PaneId::Gateway, Target::Site(name)),
        ObjectKind::Connection => (PaneId::Gateway, Target::Connection(name)),
        ObjectKind::Intent => (PaneId::Reach, Target::Intent(name)),
        ObjectKind::Subscription => (PaneId::Gateway, Target::Subscription(name)),
        ObjectKind::Asg => (PaneId::Nsg, Target::Asg(name)),
        ObjectKind::RouteServer => (PaneId::Gateway, Target::RouteServer(name)),
        ObjectKind::NetworkGroup => (PaneId::Gateway, Target::NetworkGroup(name)),
        ObjectKind::Connectivity => (PaneId::Gateway, Target::Connectivity(name)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::transit::tests::hub_spoke;
    use crate::model::{PeeringFlag, Side};

    #[test]
    fn the_reverse_link_mirrors_transit() {
        let mut d = hub_spoke();
        d.peerings.pop();
        d.peerings[0].allow_gateway_transit = true;
        let Edit::Add {
            object: Object::Peering(p),
            ..
        } = reverse_peering(&d, "a", "b").unwrap()
        else {
            panic!("expected a new peering");
        };
        assert_eq!(
            (p.local.as_str(), p.remote.as_str(), p.name.as_str()),
            ("b", "a", "b-to-a")
        );
        assert!(p.use_remote_gateways && !p.allow_gateway_transit);
        assert!(reverse_peering(&hub_spoke(), "a", "b").is_err());
    }

    #[test]
    fn use_remote_gateways_is_refused_without_a_remote_gateway() {
        let d = hub_spoke();
        let target = Target::PeeringPair {
            a: "a".into(),
            b: "b".into(),
        };
        // `use remote gateways` on a → b, but a has its own gateway and b has none.
        let on = |side| FlagCursor {
            side,
            flag: PeeringFlag::UseRemoteGateways,
        };
        let error = toggle(&d, &target, on(Side::Local)).unwrap_err();
        assert!(
            error.starts_with("Azure refuses use remote gateways on a-to-b"),
            "{error}"
        );
        // The same flag on b → a works.
        assert!(toggle(&d, &target, on(Side::Remote)).is_ok());
    }
}
