//! "Peer as hub and spokes" (`H`, or `a 2` in Peerings): both links between a hub and each
//! chosen spoke with the chosen flags and, when asked, the hub's appliance routing that makes
//! the spokes reach each other through it (audit row 19). Everything is one undoable batch.
//!
//! With "Route spokes through" set, each spoke gets a route table whose routes send the other
//! chosen spokes' address spaces (or everything, 0.0.0.0/0) to the hub's appliance, attached to
//! the spoke's subnets that have no table yet; both links carry forwarded traffic, since the
//! appliance forwards traffic that did not start in the hub. "new NVA" adds a stateless NVA with
//! IP forwarding in the hub's first ordinary subnet (or in a new `nva` subnet the address
//! planner places). The spoke list never offers the hub: it is rebuilt when the hub changes.

use super::{Checker, Context, NONE, Submit};
use super::{Field, FieldKey, Form};
use crate::edit::{Edit, Object};
use crate::model::{
    Appliance, Design, NextHop, Peering, PeeringFlag, Route, RouteTable, Subnet, SubnetRef, Vm,
    plan,
};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// "Route spokes through": a new NVA in the hub.
const NEW_NVA: &str = "new NVA in the hub";
/// The routes' scope: the other spokes' spaces.
const OTHER_SPOKES: &str = "the other spokes";
/// The routes' scope: everything.
const EVERYTHING: &str = "everything (0.0.0.0/0)";

/// The hub's appliances, by name.
fn appliances_in<'a>(design: &'a Design, hub: &'a str) -> impl Iterator<Item = &'a Vm> + 'a {
    design
        .vms
        .iter()
        .filter(move |vm| vm.appliance.is_some() && vm.vnet() == Some(hub))
}

/// The options of "Route spokes through" for `hub`: none, a new NVA, or one of its appliances.
fn via_options(design: &Design, hub: &str) -> Vec<String> {
    let mut options = vec![NONE.to_string(), NEW_NVA.to_string()];
    options.extend(appliances_in(design, hub).map(|vm| vm.name.clone()));
    options
}

/// The spoke toggles for `hub`: one per other VNet, keyed by its index in `Design::vnets`.
fn spoke_toggles(design: &Design, hub: &str, on: impl Fn(usize) -> bool) -> Vec<Field> {
    design
        .vnets
        .iter()
        .enumerate()
        .filter(|(_, v)| v.name != hub)
        .map(|(i, v)| Field::toggle(FieldKey::Spoke(i), &format!("spoke {}", v.name), on(i)))
        .collect()
}

pub(super) fn hub_spokes_form(design: &Design, context: &Context) -> Form {
    let vnets: Vec<String> = design.vnets.iter().map(|v| v.name.clone()).collect();
    let hub = context
        .vnet
        .clone()
        .filter(|v| design.gateways_in(v).next().is_some() || design.vnets.len() < 3)
        .or_else(|| {
            design
                .vnets
                .iter()
                .find(|v| {
                    design.gateways_in(&v.name).next().is_some()
                        || appliances_in(design, &v.name).next().is_some()
                })
                .map(|v| v.name.clone())
        })
        .or_else(|| vnets.first().cloned())
        .unwrap_or_default();
    let mut fields = vec![Field::choice(FieldKey::Hub, "Hub", vnets, &hub)];
    fields.extend(spoke_toggles(design, &hub, |_| false));
    let has_gateway = design.gateways_in(&hub).next().is_some();
    fields.push(Field::toggle(
        FieldKey::Flag(PeeringFlag::AllowForwardedTraffic),
        "allow forwarded traffic",
        true,
    ));
    fields.push(Field::toggle(
        FieldKey::Flag(PeeringFlag::AllowGatewayTransit),
        "gateway transit (hub's gateway)",
        has_gateway,
    ));
    // Routing through an appliance adds route tables: the user asks for it (→ picks one).
    fields.push(Field::choice(
        FieldKey::ViaAppliance,
        "Route spokes through",
        via_options(design, &hub),
        NONE,
    ));
    fields.push(Field::choice(
        FieldKey::Prefixes,
        "Routes to",
        vec![OTHER_SPOKES.to_string(), EVERYTHING.to_string()],
        OTHER_SPOKES,
    ));
    Form::new("Peer as hub and spokes", fields)
}

/// Keeps the spoke list and the appliances in step with the chosen hub: the hub is never its
/// own spoke, and only its own appliances are offered.
pub(super) fn follow_hub(design: &Design, form: &mut Form) {
    let hub = form.value(FieldKey::Hub).to_string();
    let hub_index = design.vnets.iter().position(|v| v.name == hub);
    let listed_hub = form
        .fields
        .iter()
        .any(|f| Some(f.key) == hub_index.map(FieldKey::Spoke));
    let count = form
        .fields
        .iter()
        .filter(|f| matches!(f.key, FieldKey::Spoke(_)))
        .count();
    if listed_hub || count + 1 != design.vnets.len() {
        let was_on: Vec<usize> = form
            .fields
            .iter()
            .filter_map(|f| match f.key {
                FieldKey::Spoke(i) if f.is_on() => Some(i),
                _ => None,
            })
            .collect();
        form.fields.retain(|f| !matches!(f.key, FieldKey::Spoke(_)));
        let at = form
            .fields
            .iter()
            .position(|f| f.key == FieldKey::Hub)
            .map_or(0, |i| i + 1);
        let toggles = spoke_toggles(design, &hub, |i| was_on.contains(&i));
        form.fields.splice(at..at, toggles);
    }
    let via = via_options(design, &hub);
    if let Some(field) = form.field_mut(FieldKey::ViaAppliance)
        && let crate::tui::widgets::form::Input::Choice { options, at } = &mut field.input
        && *options != via
    {
        let keep = options.get(*at).cloned().unwrap_or_default();
        *at = via.iter().position(|o| *o == keep).unwrap_or(0);
        *options = via;
    }
}

pub(super) fn build_hub_spokes(
    design: &Design,
    form: &Form,
    check: &mut Checker,
) -> Option<Submit> {
    let hub = form.value(FieldKey::Hub).to_string();
    if design.vnet(&hub).is_none() {
        check.error(FieldKey::Hub, "add VNets first");
        return None;
    }
    let spokes: Vec<&str> = design
        .vnets
        .iter()
        .enumerate()
        .filter(|(i, v)| v.name != hub && form.is_on(FieldKey::Spoke(*i)))
        .map(|(_, v)| v.name.as_str())
        .collect();
    if spokes.is_empty() {
        check.error(
            FieldKey::Hub,
            "switch on at least one spoke (Tab to it, Space)",
        );
    }
    let via = form.value(FieldKey::ViaAppliance).to_string();
    let forwarded = form.is_on(FieldKey::Flag(PeeringFlag::AllowForwardedTraffic));
    if via != NONE && !forwarded {
        check.error(
            FieldKey::Flag(PeeringFlag::AllowForwardedTraffic),
            "routing through the hub's appliance needs forwarded traffic allowed; switch it on",
        );
    }
    let transit = form.is_on(FieldKey::Flag(PeeringFlag::AllowGatewayTransit));
    if transit {
        check_transit(design, &hub, &spokes, check);
    }
    let mut edits = Vec::new();
    for spoke in &spokes {
        for (local, remote, hub_side) in
            [(hub.as_str(), *spoke, true), (*spoke, hub.as_str(), false)]
        {
            edits.push(link(
                design,
                check,
                (local, remote, hub_side),
                forwarded,
                transit,
            ));
        }
    }
    if via != NONE && !spokes.is_empty() {
        let everything = form.value(FieldKey::Prefixes) == EVERYTHING;
        edits.extend(appliance_routing(
            design, &hub, &spokes, &via, everything, check,
        )?);
    }
    Some(Submit::Edit(Edit::Batch(edits)))
}

/// Azure's gateway-transit rules for the hub and the chosen spokes.
fn check_transit(design: &Design, hub: &str, spokes: &[&str], check: &mut Checker) {
    let key = FieldKey::Flag(PeeringFlag::AllowGatewayTransit);
    match design.gateways_in(hub).next() {
        None => check.error(
            key,
            format!("{hub} has no gateway to share; add one first or switch transit off"),
        ),
        Some(gw) if !gw.sku.supports_transit() => check.error(
            key,
            format!(
                "gateway {} has the Basic SKU, which does not support gateway transit; pick VpnGw1 or higher",
                gw.name
            ),
        ),
        Some(_) => {}
    }
    for spoke in spokes {
        if let Some(gw) = design.gateways_in(spoke).next() {
            check.error(
                key,
                format!(
                    "{spoke} has its own gateway {}; a VNet with a gateway cannot use a remote one",
                    gw.name
                ),
            );
        }
        if let Some(other) = design
            .peerings
            .iter()
            .find(|p| p.local == *spoke && p.remote != hub && p.use_remote_gateways)
        {
            check.error(
                key,
                format!(
                    "{spoke} already uses the gateway of {} ({}); a VNet can use only one remote gateway",
                    other.remote, other.name
                ),
            );
        }
    }
}

/// The edit that makes one direction exist with the chosen flags.
fn link(
    design: &Design,
    check: &mut Checker,
    (local, remote, hub_side): (&str, &str, bool),
    forwarded: bool,
    transit: bool,
) -> Edit {
    let existing = design.peering_between(local, remote);
    let mut link = existing
        .cloned()
        .unwrap_or_else(|| Peering::new(Peering::default_name(local, remote), local, remote));
    link.allow_forwarded_traffic = forwarded;
    if hub_side {
        link.allow_gateway_transit = transit;
    } else {
        link.use_remote_gateways = transit;
    }
    if existing.is_some() {
        return Edit::Replace(Object::Peering(link));
    }
    if design.peering(&link.name).is_some() {
        check.error(
            FieldKey::Hub,
            format!(
                "a peering named {} already exists between other VNets; rename it first",
                link.name
            ),
        );
    }
    for violation in design
        .peering_violations(&link)
        .iter()
        .filter(|v| v.invalidates_peering())
    {
        check.error(
            FieldKey::Hub,
            format!("Azure refuses {local} → {remote}: {violation}"),
        );
    }
    Edit::Add {
        object: Object::Peering(link),
        at: None,
    }
}

/// The appliance's address, and the edits that create it when `via` asks for a new one.
fn appliance(
    design: &Design,
    hub: &str,
    via: &str,
    check: &mut Checker,
) -> Option<(Ipv4Addr, Vec<Edit>)> {
    if via != NEW_NVA {
        let Some(ip) = design.vm(via).and_then(Vm::ip) else {
            check.error(FieldKey::ViaAppliance, format!("{via} has no address"));
            return None;
        };
        return Some((ip, Vec::new()));
    }
    let vnet = design.vnet(hub)?;
    let mut edits = Vec::new();
    let ordinary = vnet.subnets.iter().find(|s| {
        plan::subnet_len_for(&s.name) == plan::SUBNET_PREFIX_LEN && s.route_table.is_none()
    });
    let (subnet, ip) = if let Some(s) = ordinary {
        let r = SubnetRef::new(hub, &s.name);
        let ip = plan::free_ip(design, &r);
        (r, ip)
    } else {
        let taken: Vec<&str> = vnet.subnets.iter().map(|s| s.name.as_str()).collect();
        let name = plan::unique_name("nva", |n| taken.contains(&n));
        let Some(prefix) = plan::free_subnet_named(vnet, &name) else {
            check.error(
                FieldKey::ViaAppliance,
                format!("{hub} has no room for an NVA subnet; widen its address space"),
            );
            return None;
        };
        edits.push(Edit::Add {
            object: Object::Subnet {
                vnet: hub.to_string(),
                subnet: Subnet::new(&name, prefix),
            },
            at: None,
        });
        let ip = first_usable(&prefix);
        (SubnetRef::new(hub, name), ip)
    };
    let Some(ip) = ip else {
        check.error(
            FieldKey::ViaAppliance,
            format!("{subnet} has no free address"),
        );
        return None;
    };
    let taken: Vec<&str> = super::endpoint_names(design);
    let name = plan::unique_name(&format!("nva-{hub}"), |n| taken.contains(&n));
    let mut vm = Vm::new(&name, subnet, ip);
    vm.appliance = Some(Appliance::nva());
    for nic in &mut vm.nics {
        nic.ip_forwarding = true;
    }
    check.note(
        FieldKey::ViaAppliance,
        format!("adds NVA {name} at {ip} with IP forwarding"),
    );
    edits.push(Edit::Add {
        object: Object::Vm(vm),
        at: None,
    });
    Some((ip, edits))
}

/// The first address Azure does not reserve in `prefix`.
fn first_usable(prefix: &Ipv4Net) -> Option<Ipv4Addr> {
    prefix.hosts().find(|ip| !plan::is_reserved(prefix, *ip))
}

/// The appliance (new or chosen) and one route table per spoke sending the other spokes (or
/// everything) to it, attached to the spoke's subnets that have no table.
fn appliance_routing(
    design: &Design,
    hub: &str,
    spokes: &[&str],
    via: &str,
    everything: bool,
    check: &mut Checker,
) -> Option<Vec<Edit>> {
    let (ip, mut edits) = appliance(design, hub, via, check)?;
    let mut tables: Vec<String> = design.route_tables.iter().map(|t| t.name.clone()).collect();
    for spoke in spokes {
        let Some(vnet) = design.vnet(spoke) else {
            continue;
        };
        let name = plan::unique_name(&format!("rt-{spoke}"), |n| tables.iter().any(|t| t == n));
        tables.push(name.clone());
        let mut table = RouteTable::new(&name);
        let destinations: Vec<(String, Ipv4Net)> = if everything {
            vec![("default-via-hub".to_string(), Ipv4Net::default())]
        } else {
            spokes
                .iter()
                .filter(|other| *other != spoke)
                .filter_map(|other| design.vnet(other))
                .flat_map(|other| {
                    other.address_space.iter().enumerate().map(|(i, net)| {
                        let suffix = if i == 0 {
                            String::new()
                        } else {
                            format!("-{}", i + 1)
                        };
                        (format!("to-{}{suffix}", other.name), *net)
                    })
                })
                .collect()
        };
        for (route, prefix) in destinations {
            table.routes.push(Route {
                name: route,
                prefix,
                next_hop: NextHop::VirtualAppliance(ip),
            });
        }
        if table.routes.is_empty() {
            continue;
        }
        edits.push(Edit::Add {
            object: Object::RouteTable(table),
            at: None,
        });
        let mut skipped = Vec::new();
        for subnet in &vnet.subnets {
            if subnet.route_table.is_some() {
                skipped.push(subnet.name.as_str());
                continue;
            }
            let mut attached = subnet.clone();
            attached.route_table = Some(name.clone());
            edits.push(Edit::Replace(Object::Subnet {
                vnet: vnet.name.clone(),
                subnet: attached,
            }));
        }
        if !skipped.is_empty() {
            check.note(
                FieldKey::Prefixes,
                format!(
                    "{spoke}/{} keep their own route tables; add the routes there",
                    skipped.join(", ")
                ),
            );
        }
    }
    Some(edits)
}
