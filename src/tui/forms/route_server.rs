//! Forms for Azure Route Server (issue 11): the server (its VNet, branch-to-branch, and the
//! `RouteServerSubnet` the address planner places when the VNet has none) and its BGP peers
//! (the NVA's address, its ASN, the prefixes it announces). Azure's rules are the model's
//! (`Design::route_server_violations`, `Design::bgp_peer_problem`): the form shows the same
//! sentences as lint, as errors when Azure refuses and as notes when the session would not
//! come up.

use super::{Checker, Context, Submit, add_or_replace};
use super::{Field, FieldKey, Form, name_field};
use crate::edit::{Edit, Object};
use crate::model::{
    BgpPeer, Design, ObjectKind, ROUTE_SERVER_SUBNET, RouteServer, RouteServerViolation, Subnet,
    plan,
};

pub(super) fn route_server_form(
    design: &Design,
    original: Option<&str>,
    context: &Context,
) -> Option<Form> {
    let existing = original.and_then(|o| design.route_server(o));
    if original.is_some() && existing.is_none() || design.vnets.is_empty() {
        return None;
    }
    let vnets: Vec<String> = design.vnets.iter().map(|v| v.name.clone()).collect();
    let taken: Vec<&str> = design
        .route_servers
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    // The selected VNet, else the first with an appliance (the NVAs it will peer with).
    let vnet = existing
        .map(|r| r.vnet.clone())
        .or_else(|| context.vnet.clone())
        .or_else(|| {
            design
                .vms
                .iter()
                .find(|vm| vm.appliance.is_some())
                .and_then(|vm| vm.vnet().map(str::to_string))
        })
        .unwrap_or_else(|| vnets[0].clone());
    Some(Form::new(
        match original {
            Some(o) => format!("Edit Route Server {o}"),
            None => "Add Route Server".to_string(),
        },
        vec![
            name_field(original, &format!("rs-{vnet}"), &taken),
            Field::choice(FieldKey::Vnet, "VNet", vnets, &vnet),
            Field::toggle(
                FieldKey::BranchToBranch,
                "branch-to-branch (gateways ⇄ NVAs)",
                existing.is_some_and(|r| r.branch_to_branch),
            ),
            Field::toggle(
                FieldKey::AddRouteServerSubnet,
                "Add a RouteServerSubnet if the VNet has none",
                existing.is_none(),
            ),
        ],
    ))
}

pub(super) fn build_route_server(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let name = check.object_name(design, form, ObjectKind::RouteServer, original);
    let vnet_name = form.value(FieldKey::Vnet).to_string();
    let Some(vnet) = design.vnet(&vnet_name) else {
        check.error(FieldKey::Vnet, "add a VNet first");
        return None;
    };
    let mut server = original
        .and_then(|o| design.route_server(o))
        .cloned()
        .unwrap_or_else(|| RouteServer::new(&name, &vnet_name));
    server.name.clone_from(&name);
    server.vnet.clone_from(&vnet_name);
    server.branch_to_branch = form.is_on(FieldKey::BranchToBranch);
    let mut subnet = None;
    // Checked as if renamed in place: the server being edited is not its own second.
    let mut probe = design.clone();
    probe
        .route_servers
        .retain(|r| Some(r.name.as_str()) != original);
    for violation in probe.route_server_violations(&server) {
        match violation {
            RouteServerViolation::NoSubnet if form.is_on(FieldKey::AddRouteServerSubnet) => {
                match plan::free_subnet_named(vnet, ROUTE_SERVER_SUBNET) {
                    Some(prefix) => {
                        check.note(
                            FieldKey::AddRouteServerSubnet,
                            format!("adds {ROUTE_SERVER_SUBNET} {prefix} to {vnet_name}"),
                        );
                        subnet = Some(prefix);
                    }
                    None => check.error(
                        FieldKey::AddRouteServerSubnet,
                        format!("{vnet_name} has no free /27 left; widen its address space"),
                    ),
                }
            }
            other => check.error(FieldKey::Vnet, format!("Azure refuses it: {other}")),
        }
    }
    let edit = add_or_replace(
        ObjectKind::RouteServer,
        original,
        Object::RouteServer(server),
    );
    Some(Submit::Edit(match subnet {
        Some(prefix) => Edit::Batch(vec![
            Edit::Add {
                object: Object::Subnet {
                    vnet: vnet_name,
                    subnet: Subnet::new(ROUTE_SERVER_SUBNET, prefix),
                },
                at: None,
            },
            edit,
        ]),
        None => edit,
    }))
}

pub(super) fn bgp_peer_form(design: &Design, server: &str, original: Option<&str>) -> Option<Form> {
    let rs = design.route_server(server)?;
    let peer = original.and_then(|o| rs.peers.iter().find(|p| p.name == o));
    if original.is_some() && peer.is_none() {
        return None;
    }
    let taken: Vec<&str> = rs.peers.iter().map(|p| p.name.as_str()).collect();
    // The first appliance of the server's VNet not yet peered is the likely NVA.
    let nva = design.vms.iter().find(|vm| {
        vm.appliance.is_some()
            && vm.vnet() == Some(rs.vnet.as_str())
            && vm
                .ip()
                .is_some_and(|ip| rs.peers.iter().all(|p| p.ip != ip))
    });
    let ip = peer
        .map(|p| p.ip.to_string())
        .or_else(|| nva.and_then(crate::model::Vm::ip).map(|ip| ip.to_string()))
        .unwrap_or_default();
    let base = nva.map_or_else(|| "peer1".to_string(), |vm| vm.name.clone());
    Some(Form::new(
        match original {
            Some(o) => format!("Edit BGP peer {o} of {server}"),
            None => format!("Add BGP peer to {server}"),
        },
        vec![
            name_field(peer.map(|p| p.name.as_str()), &base, &taken),
            Field::text(FieldKey::Ip, "Peer IP (the NVA)", ip),
            Field::text(
                FieldKey::Asn,
                "Peer ASN",
                peer.map_or("65001".to_string(), |p| p.asn.to_string()),
            ),
            Field::text(
                FieldKey::Prefixes,
                "Announces (CIDRs, commas)",
                peer.map_or_else(String::new, |p| {
                    p.announces
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                }),
            ),
        ],
    ))
}

pub(super) fn build_bgp_peer(
    design: &Design,
    form: &Form,
    server: &str,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let Some(mut rs) = design.route_server(server).cloned() else {
        check.error(
            FieldKey::Name,
            format!("Route Server {server} no longer exists"),
        );
        return None;
    };
    let taken: Vec<&str> = rs.peers.iter().map(|p| p.name.as_str()).collect();
    let name = check.name(
        form,
        FieldKey::Name,
        &taken,
        original,
        "BGP peer of this server",
    );
    let ip = check.ip(form, FieldKey::Ip);
    let asn = match form.value(FieldKey::Asn).trim().parse::<u32>() {
        Ok(asn) => Some(asn),
        Err(_) => {
            check.error(FieldKey::Asn, "enter the NVA's ASN, a number like 65001");
            None
        }
    };
    let announces = check.cidrs(form, FieldKey::Prefixes, false);
    let peer = BgpPeer {
        name,
        ip: ip?,
        asn: asn?,
        announces,
    };
    if let Some(problem) = design.bgp_peer_problem(&rs, &peer) {
        let key = match problem {
            crate::model::BgpPeerProblem::ReservedAsn(_) => FieldKey::Asn,
            crate::model::BgpPeerProblem::NoNvaAt(_) => FieldKey::Ip,
        };
        check.note(key, problem.to_string());
    }
    match original.and_then(|o| rs.peers.iter_mut().find(|p| p.name == o)) {
        Some(slot) => *slot = peer,
        None => rs.peers.push(peer),
    }
    Some(Submit::Edit(Edit::Replace(Object::RouteServer(rs))))
}
