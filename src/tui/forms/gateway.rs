//! Forms for gateways (kind, SKU, point-to-site pool), on-premises sites and their hosts, and
//! connections.

use super::{Checker, Context, Submit, add_or_replace};
use super::{Field, FieldKey, Form, name_field};
use crate::edit::{Edit, Object};
use crate::model::{
    Design, Gateway, GatewayKind, GatewaySku, Host, ObjectKind, Site, VpnType, overlaps, plan,
};

pub(super) fn gateway_form(
    design: &Design,
    original: Option<&str>,
    context: &Context,
) -> Option<Form> {
    let vnets: Vec<String> = design.vnets.iter().map(|v| v.name.clone()).collect();
    if vnets.is_empty() {
        return None;
    }
    let existing = original.and_then(|o| design.gateway(o));
    if original.is_some() && existing.is_none() {
        return None;
    }
    let taken: Vec<&str> = design.gateways.iter().map(|g| g.name.as_str()).collect();
    let vnet = existing
        .map(|g| g.vnet.clone())
        .or_else(|| default_gateway_vnet(design, context))
        .unwrap_or_else(|| vnets[0].clone());
    let pool: Vec<String> = existing
        .map(|g| g.client_pool.iter().map(|p| p.to_string()).collect())
        .unwrap_or_default();
    Some(Form::new(
        match original {
            Some(o) => format!("Edit gateway {o}"),
            None => "Add gateway".to_string(),
        },
        vec![
            name_field(
                existing.map(|g| g.name.as_str()),
                &format!("vpngw-{vnet}"),
                &taken,
            ),
            Field::choice(FieldKey::Vnet, "VNet", vnets, &vnet),
            Field::choice(
                FieldKey::Kind,
                "Kind",
                vec!["Vpn".into(), "ExpressRoute".into()],
                if existing.is_some_and(|g| g.kind == GatewayKind::ExpressRoute) {
                    "ExpressRoute"
                } else {
                    "Vpn"
                },
            ),
            Field::choice(
                FieldKey::Sku,
                "SKU",
                GatewaySku::ALL.iter().map(|s| s.to_string()).collect(),
                &existing.map_or("VpnGw1".to_string(), |g| g.sku.to_string()),
            ),
            Field::text(FieldKey::Pool, "P2S client pool", pool.join(", ")),
            Field::toggle(FieldKey::Bgp, "BGP", existing.is_some_and(|g| g.bgp)),
            Field::toggle(
                FieldKey::AddGatewaySubnet,
                "Add a GatewaySubnet if the VNet has none",
                existing.is_none(),
            ),
        ],
    ))
}

/// Keeps a new gateway's untouched name equal to `vpngw-<its VNet>` as the VNet changes.
pub(super) fn follow_vnet_name(design: &Design, form: &mut Form) {
    let base = format!("vpngw-{}", form.value(FieldKey::Vnet));
    let name = plan::unique_name(&base, |n| design.gateway(n).is_some());
    form.follow(FieldKey::Name, name);
}

/// The VNet a new gateway most likely goes into: one made ready for it (a `GatewaySubnet` and
/// no gateway yet), else the selected VNet when it has no gateway, else the first VNet without
/// one.
fn default_gateway_vnet(design: &Design, context: &Context) -> Option<String> {
    let free = |name: &str| design.gateways_in(name).next().is_none();
    design
        .vnets
        .iter()
        .find(|v| v.subnet(crate::model::GATEWAY_SUBNET).is_some() && free(&v.name))
        .map(|v| v.name.clone())
        .or_else(|| context.vnet.clone().filter(|v| free(v)))
        .or_else(|| {
            design
                .vnets
                .iter()
                .find(|v| free(&v.name))
                .map(|v| v.name.clone())
        })
}

pub(super) fn build_gateway(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let name = check.object_name(design, form, ObjectKind::Gateway, original);
    let vnet_name = form.value(FieldKey::Vnet).to_string();
    let Some(vnet) = design.vnet(&vnet_name) else {
        check.error(FieldKey::Vnet, "add a VNet first");
        return None;
    };
    // The GatewaySubnet this gateway needs, when the form is to add it (the planner's /27).
    let mut gateway_subnet = None;
    if vnet.subnet(crate::model::GATEWAY_SUBNET).is_none() {
        if form.is_on(FieldKey::AddGatewaySubnet) {
            match plan::free_subnet_named(vnet, crate::model::GATEWAY_SUBNET) {
                Some(prefix) => {
                    check.note(
                        FieldKey::AddGatewaySubnet,
                        format!("adds GatewaySubnet {prefix} to {vnet_name}"),
                    );
                    gateway_subnet = Some(prefix);
                }
                None => check.error(
                    FieldKey::AddGatewaySubnet,
                    format!(
                        "{vnet_name} has no free /{} left for a GatewaySubnet; widen its address space",
                        plan::subnet_len_for(crate::model::GATEWAY_SUBNET)
                    ),
                ),
            }
        } else {
            check.error(
                FieldKey::Vnet,
                format!(
                    "{vnet_name} has no GatewaySubnet; switch on \"Add a GatewaySubnet\" or add one (a /27) first"
                ),
            );
        }
    }
    let kind = if form.value(FieldKey::Kind) == "ExpressRoute" {
        GatewayKind::ExpressRoute
    } else {
        GatewayKind::Vpn
    };
    if let Some(other) = design
        .gateways_in(&vnet_name)
        .find(|g| Some(g.name.as_str()) != original && g.kind == kind)
    {
        check.error(
            FieldKey::Kind,
            format!(
                "{vnet_name} already has a {kind} gateway ({}); a VNet holds one of each kind",
                other.name
            ),
        );
    }
    let sku = GatewaySku::from_name(form.value(FieldKey::Sku));
    if sku == Some(GatewaySku::Basic) {
        check.note(
            FieldKey::Sku,
            "Basic supports neither BGP nor gateway transit",
        );
    }
    let pool = check.cidrs(form, FieldKey::Pool, false);
    for net in &pool {
        if let Some(v) = design
            .vnets
            .iter()
            .find(|v| v.address_space.iter().any(|s| overlaps(s, net)))
        {
            check.error(
                FieldKey::Pool,
                format!(
                    "{net} overlaps VNet {}; the client pool must be a range no VNet uses",
                    v.name
                ),
            );
        }
    }
    if !pool.is_empty() && kind == GatewayKind::ExpressRoute {
        check.error(
            FieldKey::Pool,
            "point-to-site needs a VPN gateway; clear the pool or choose Vpn",
        );
    }
    let mut gateway = original
        .and_then(|o| design.gateway(o))
        .cloned()
        .unwrap_or(Gateway {
            name: name.clone(),
            vnet: vnet_name.clone(),
            kind,
            sku: sku?,
            vpn_type: VpnType::RouteBased,
            client_pool: Vec::new(),
            bgp: false,
        });
    gateway.name = name;
    gateway.vnet = vnet_name.clone();
    gateway.kind = kind;
    gateway.sku = sku?;
    gateway.client_pool = pool;
    gateway.bgp = form.is_on(FieldKey::Bgp);
    let edit = add_or_replace(ObjectKind::Gateway, original, Object::Gateway(gateway));
    Some(Submit::Edit(match gateway_subnet {
        Some(prefix) => Edit::Batch(vec![
            Edit::Add {
                object: Object::Subnet {
                    vnet: vnet_name,
                    subnet: crate::model::Subnet::new(crate::model::GATEWAY_SUBNET, prefix),
                },
                at: None,
            },
            edit,
        ]),
        None => edit,
    }))
}

pub(super) fn site_form(design: &Design, original: Option<&str>) -> Option<Form> {
    let existing = original.and_then(|o| design.site(o));
    if original.is_some() && existing.is_none() {
        return None;
    }
    let taken: Vec<&str> = design.sites.iter().map(|s| s.name.as_str()).collect();
    let prefixes: Vec<String> = existing.map_or_else(
        || {
            vec![
                ["192.168.0.0/16", "172.16.0.0/16", "172.20.0.0/16"]
                    .iter()
                    .find(|p| {
                        let net: ipnet::Ipv4Net = p.parse().unwrap_or_default();
                        !design
                            .vnets
                            .iter()
                            .any(|v| v.address_space.iter().any(|s| overlaps(s, &net)))
                            && !design
                                .sites
                                .iter()
                                .any(|s| s.prefixes.iter().any(|s| overlaps(s, &net)))
                    })
                    .unwrap_or(&"192.168.0.0/16")
                    .to_string(),
            ]
        },
        |s| s.prefixes.iter().map(|p| p.to_string()).collect(),
    );
    Some(Form::new(
        match original {
            Some(o) => format!("Edit site {o}"),
            None => "Add on-premises site".to_string(),
        },
        vec![
            name_field(existing.map(|s| s.name.as_str()), "onprem", &taken),
            Field::text(FieldKey::Prefixes, "Prefixes", prefixes.join(", ")),
            Field::toggle(FieldKey::Bgp, "BGP", existing.is_some_and(|s| s.bgp)),
        ],
    ))
}

pub(super) fn build_site(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let name = check.object_name(design, form, ObjectKind::Site, original);
    let prefixes = check.cidrs(form, FieldKey::Prefixes, true);
    for net in &prefixes {
        if let Some(v) = design
            .vnets
            .iter()
            .find(|v| v.address_space.iter().any(|s| overlaps(s, net)))
        {
            check.note(
                FieldKey::Prefixes,
                format!(
                    "{net} overlaps VNet {}; traffic to it would stay in Azure",
                    v.name
                ),
            );
        }
    }
    let mut site = original
        .and_then(|o| design.site(o))
        .cloned()
        .unwrap_or(Site {
            name: name.clone(),
            prefixes: Vec::new(),
            hosts: Vec::new(),
            bgp: false,
        });
    for host in &site.hosts {
        if !prefixes.is_empty() && !prefixes.iter().any(|p| p.contains(&host.ip)) {
            check.error(
                FieldKey::Prefixes,
                format!(
                    "host {} ({}) would fall outside the prefixes",
                    host.name, host.ip
                ),
            );
        }
    }
    site.name = name;
    site.prefixes = prefixes;
    site.bgp = form.is_on(FieldKey::Bgp);
    Some(Submit::Edit(add_or_replace(
        ObjectKind::Site,
        original,
        Object::Site(site),
    )))
}

pub(super) fn host_form(
    design: &Design,
    original: Option<&(String, String)>,
    context: &Context,
) -> Option<Form> {
    let sites: Vec<String> = design.sites.iter().map(|s| s.name.clone()).collect();
    if sites.is_empty() {
        return None;
    }
    let existing = original.and_then(|(s, h)| design.site(s)?.hosts.iter().find(|x| x.name == *h));
    if original.is_some() && existing.is_none() {
        return None;
    }
    let site = original
        .map(|(s, _)| s.clone())
        .or_else(|| context.site.clone())
        .unwrap_or_else(|| sites[0].clone());
    // VMs and hosts share one namespace as endpoints: suggest a name free in both.
    let taken = super::endpoint_names(design);
    let ip = existing.map_or_else(
        || {
            design
                .site(&site)
                .and_then(|s| plan::free_host_ip(design, &s.prefixes))
                .map(|ip| ip.to_string())
                .unwrap_or_default()
        },
        |h| h.ip.to_string(),
    );
    Some(Form::new(
        match original {
            Some((_, h)) => format!("Edit host {h}"),
            None => "Add on-premises host".to_string(),
        },
        vec![
            Field::choice(
                FieldKey::Site,
                "Site",
                if original.is_some() {
                    vec![site.clone()]
                } else {
                    sites
                },
                &site,
            ),
            name_field(
                existing.map(|h| h.name.as_str()),
                &format!("{site}-host"),
                &taken,
            ),
            Field::text(FieldKey::Ip, "IP", ip),
        ],
    ))
}

pub(super) fn build_host(
    design: &Design,
    form: &Form,
    original: Option<&(String, String)>,
    check: &mut Checker,
) -> Option<Submit> {
    let Some(mut site) = design.site(form.value(FieldKey::Site)).cloned() else {
        check.error(FieldKey::Site, "add a site first");
        return None;
    };
    let taken = super::endpoint_names(design);
    let name = check.name(
        form,
        FieldKey::Name,
        &taken,
        original.map(|(_, h)| h.as_str()),
        "VM or host",
    );
    let ip = check.ip(form, FieldKey::Ip);
    if let Some(ip) = ip
        && !site.prefixes.iter().any(|p| p.contains(&ip))
    {
        let prefixes: Vec<String> = site.prefixes.iter().map(|p| p.to_string()).collect();
        check.error(
            FieldKey::Ip,
            format!(
                "{ip} is outside {}'s prefixes ({})",
                site.name,
                prefixes.join(", ")
            ),
        );
    }
    let host = Host { name, ip: ip? };
    match original.and_then(|(_, h)| site.hosts.iter_mut().find(|x| x.name == *h)) {
        Some(slot) => *slot = host,
        None => site.hosts.push(host),
    }
    Some(Submit::Edit(Edit::Replace(Object::Site(site))))
}
