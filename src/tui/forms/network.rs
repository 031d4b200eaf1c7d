//! Forms for VNets, subnets and appliance rules (VMs and their NICs have their own modules).

use super::{Checker, Context, NONE, Submit, add_or_replace, optional, with_none};
use super::{Field, FieldKey, Form, name_field};
use crate::edit::Object;
use crate::model::{
    Access, Appliance, ApplianceRule, Design, ObjectKind, PortRange, Protocol, Region, Subnet,
    SubnetRef, Vnet, overlaps, plan,
};

/// Keeps a new VNet's untouched first-subnet prefix inside its address space as that changes.
pub(super) fn follow_space(form: &mut Form) {
    let space: Vec<ipnet::Ipv4Net> = form
        .value(FieldKey::Space)
        .split(',')
        .filter_map(|p| crate::model::parse_cidr(p.trim()).ok())
        .collect();
    if let Some(prefix) = plan::first_subnet(&space, form.value(FieldKey::FirstSubnet).trim()) {
        form.follow(FieldKey::Prefix, prefix.to_string());
    }
}

pub(super) fn vnet_form(design: &Design, original: Option<&str>) -> Option<Form> {
    let (title, name, region, space, subscription) = match original {
        Some(name) => {
            let v = design.vnet(name)?;
            let space: Vec<String> = v.address_space.iter().map(|n| n.to_string()).collect();
            (
                format!("Edit VNet {name}"),
                v.name.clone(),
                v.region.name().to_string(),
                space.join(", "),
                v.subscription.clone(),
            )
        }
        None => {
            let taken: Vec<&str> = design.vnets.iter().map(|v| v.name.as_str()).collect();
            let region = design
                .vnets
                .last()
                .map_or("westeurope", |v| v.region.name());
            (
                "Add VNet".to_string(),
                plan::unique_name("vnet1", |n| taken.contains(&n)),
                region.to_string(),
                plan::free_vnet_space(design, plan::VNET_PREFIX_LEN)
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                design
                    .vnets
                    .last()
                    .map(|v| v.subscription.clone())
                    .unwrap_or_default(),
            )
        }
    };
    let mut fields = vec![
        Field::text(FieldKey::Name, "Name", name),
        Field::text(FieldKey::Region, "Region", region),
        Field::text(FieldKey::Space, "Address space", space.clone()),
        Field::text(FieldKey::Subscription, "Subscription", subscription),
    ];
    if original.is_none() {
        // A VNet without a subnet holds nothing; offer the first one here (empty name: none).
        let nets: Vec<ipnet::Ipv4Net> = space.parse().ok().into_iter().collect();
        fields.push(Field::text(
            FieldKey::FirstSubnet,
            "First subnet (empty: none)",
            "default",
        ));
        fields.push(Field::text(
            FieldKey::Prefix,
            "First subnet prefix",
            plan::first_subnet(&nets, "default")
                .map(|n| n.to_string())
                .unwrap_or_default(),
        ));
    }
    Some(Form::new(title, fields))
}

pub(super) fn build_vnet(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let name = check.object_name(design, form, ObjectKind::Vnet, original);
    let region = match form.value(FieldKey::Region).parse::<Region>() {
        Ok(r) => Some(r),
        Err(e) => {
            check.error(FieldKey::Region, e);
            None
        }
    };
    let space = check.cidrs(form, FieldKey::Space, true);
    let old = original.and_then(|o| design.vnet(o));
    // Peered VNets must keep disjoint spaces; Azure refuses the change otherwise.
    let peers: Vec<&str> = design
        .peerings
        .iter()
        .filter_map(|p| match original {
            Some(o) if p.local == o => Some(p.remote.as_str()),
            Some(o) if p.remote == o => Some(p.local.as_str()),
            _ => None,
        })
        .collect();
    for net in &space {
        for other in design
            .vnets
            .iter()
            .filter(|v| Some(v.name.as_str()) != original)
        {
            if let Some(theirs) = other.address_space.iter().find(|t| overlaps(t, net)) {
                if peers.contains(&other.name.as_str()) {
                    check.error(
                        FieldKey::Space,
                        format!("{net} overlaps {theirs} of {}, which this VNet is peered with; Azure refuses overlapping peered spaces", other.name),
                    );
                } else {
                    check.note(
                        FieldKey::Space,
                        format!(
                            "overlaps {theirs} of {}: these two can never be peered",
                            other.name
                        ),
                    );
                }
            }
        }
    }
    if let Some(old) = old {
        for subnet in &old.subnets {
            if !space.is_empty()
                && !subnet
                    .prefixes()
                    .all(|p| space.iter().any(|s| s.contains(p)))
            {
                check.error(
                    FieldKey::Space,
                    format!(
                        "subnet {} ({}) would fall outside the new space; keep a range that contains it",
                        subnet.name, subnet.prefix
                    ),
                );
            }
        }
        if !crate::model::same_space(&old.address_space, &space) && !peers.is_empty() {
            check.note(
                FieldKey::Space,
                "peerings to this VNet will need a sync (s in Peerings) after the change",
            );
        }
    } else if form.is_pristine(FieldKey::Space) {
        check.note(FieldKey::Space, "suggested: the next free /16");
    }
    let region = region?;
    let mut vnet = match old {
        Some(old) => old.clone(),
        None => Vnet::new(name.clone(), region, Vec::new()),
    };
    vnet.name = name;
    vnet.region = region;
    vnet.address_space = space;
    vnet.subscription = form.value(FieldKey::Subscription).trim().to_string();
    if original.is_none() {
        let first = form.value(FieldKey::FirstSubnet).trim().to_string();
        if first.contains(char::is_whitespace) {
            check.error(
                FieldKey::FirstSubnet,
                "names cannot contain spaces; use `-` instead",
            );
        } else if !first.is_empty() {
            let prefix = check.cidr(form, FieldKey::Prefix)?;
            if !vnet.address_space.is_empty()
                && !vnet.address_space.iter().any(|s| s.contains(&prefix))
            {
                check.error(
                    FieldKey::Prefix,
                    format!("{prefix} is outside the address space; pick a range inside it"),
                );
            } else if prefix.prefix_len() > 29 {
                check.error(FieldKey::Prefix, "Azure's smallest subnet is a /29");
            }
            vnet.subnets.push(Subnet::new(first, prefix));
        }
    }
    Some(Submit::Edit(add_or_replace(
        ObjectKind::Vnet,
        original,
        Object::Vnet(vnet),
    )))
}

pub(super) fn subnet_names(design: &Design) -> Vec<String> {
    design
        .vnets
        .iter()
        .flat_map(|v| {
            v.subnets
                .iter()
                .map(move |s| format!("{}/{}", v.name, s.name))
        })
        .collect()
}

pub(super) fn subnet_form(
    design: &Design,
    original: Option<&SubnetRef>,
    context: &Context,
) -> Option<Form> {
    let nsgs = with_none(design.nsgs.iter().map(|n| n.name.as_str()));
    let tables = with_none(design.route_tables.iter().map(|t| t.name.as_str()));
    match original {
        Some(r) => {
            let s = design.subnet(r)?;
            Some(Form::new(
                format!("Edit subnet {r}"),
                vec![
                    Field::text(FieldKey::Name, "Name", s.name.clone()),
                    Field::choice(FieldKey::Vnet, "VNet", vec![r.vnet.clone()], &r.vnet),
                    Field::text(FieldKey::Prefix, "Prefix", s.prefix.to_string()),
                    Field::choice(FieldKey::Nsg, "NSG", nsgs, s.nsg.as_deref().unwrap_or(NONE)),
                    Field::choice(
                        FieldKey::RouteTable,
                        "Route table",
                        tables,
                        s.route_table.as_deref().unwrap_or(NONE),
                    ),
                ],
            ))
        }
        None => {
            let vnets: Vec<String> = design.vnets.iter().map(|v| v.name.clone()).collect();
            if vnets.is_empty() {
                return None;
            }
            let vnet = context.vnet.clone().unwrap_or_else(|| vnets[0].clone());
            let taken: Vec<&str> = design
                .vnet(&vnet)
                .map(|v| v.subnets.iter().map(|s| s.name.as_str()).collect())
                .unwrap_or_default();
            Some(Form::new(
                "Add subnet",
                vec![
                    Field::text(
                        FieldKey::Name,
                        "Name",
                        plan::unique_name("default", |n| taken.contains(&n)),
                    ),
                    Field::choice(FieldKey::Vnet, "VNet", vnets, &vnet),
                    Field::text(
                        FieldKey::Prefix,
                        "Prefix",
                        design
                            .vnet(&vnet)
                            .and_then(|v| plan::free_subnet(v, plan::SUBNET_PREFIX_LEN))
                            .map(|n| n.to_string())
                            .unwrap_or_default(),
                    ),
                    Field::choice(FieldKey::Nsg, "NSG", nsgs, NONE),
                    Field::choice(FieldKey::RouteTable, "Route table", tables, NONE),
                ],
            ))
        }
    }
}

/// Keeps a new subnet's untouched prefix in step with its VNet and name: the VNet's next free
/// range of the size the planner suggests for that name (a /27 for `GatewaySubnet`).
pub(super) fn follow_vnet(design: &Design, form: &mut Form) {
    let free = design
        .vnet(form.value(FieldKey::Vnet))
        .and_then(|v| plan::free_subnet_named(v, form.value(FieldKey::Name).trim()));
    if let Some(prefix) = free {
        form.follow(FieldKey::Prefix, prefix.to_string());
    }
}

pub(super) fn build_subnet(
    design: &Design,
    form: &Form,
    original: Option<&SubnetRef>,
    check: &mut Checker,
) -> Option<Submit> {
    let vnet_name = form.value(FieldKey::Vnet).to_string();
    let Some(vnet) = design.vnet(&vnet_name) else {
        check.error(FieldKey::Vnet, "add a VNet first");
        return None;
    };
    let taken: Vec<&str> = vnet.subnets.iter().map(|s| s.name.as_str()).collect();
    let name = check.name(
        form,
        FieldKey::Name,
        &taken,
        original.map(|r| r.subnet.as_str()),
        "subnet in this VNet",
    );
    let prefix = check.cidr(form, FieldKey::Prefix);
    if let Some(prefix) = prefix {
        if !vnet.address_space.iter().any(|s| s.contains(&prefix)) {
            let space: Vec<String> = vnet.address_space.iter().map(|s| s.to_string()).collect();
            check.error(
                FieldKey::Prefix,
                format!(
                    "{prefix} is outside {vnet_name}'s space ({}); pick a range inside it",
                    space.join(", ")
                ),
            );
        } else if prefix.prefix_len() > 29 {
            check.error(FieldKey::Prefix, "Azure's smallest subnet is a /29");
        }
        for other in vnet
            .subnets
            .iter()
            .filter(|s| Some(s.name.as_str()) != original.map(|r| r.subnet.as_str()))
        {
            if let Some(p) = other.prefixes().find(|p| overlaps(p, &prefix)) {
                check.error(
                    FieldKey::Prefix,
                    format!(
                        "overlaps subnet {} ({p}); subnets of a VNet must not overlap",
                        other.name
                    ),
                );
            }
        }
        if name == crate::model::GATEWAY_SUBNET && prefix.prefix_len() > 27 {
            check.note(
                FieldKey::Prefix,
                "Azure recommends a /27 or larger GatewaySubnet",
            );
        }
    }
    if original.is_none() && form.is_pristine(FieldKey::Prefix) {
        check.note(
            FieldKey::Prefix,
            format!(
                "suggested: the next free /{} of the VNet",
                plan::subnet_len_for(name.as_str())
            ),
        );
    }
    let mut subnet = match original.and_then(|r| design.subnet(r)) {
        Some(old) => old.clone(),
        None => Subnet::new(name.clone(), prefix?),
    };
    subnet.name = name;
    subnet.prefix = prefix?;
    subnet.nsg = optional(form.value(FieldKey::Nsg));
    subnet.route_table = optional(form.value(FieldKey::RouteTable));
    let object = Object::Subnet {
        vnet: vnet_name,
        subnet,
    };
    let original_name = original.map(|r| r.to_string());
    Some(Submit::Edit(add_or_replace(
        ObjectKind::Subnet,
        original_name.as_deref(),
        object,
    )))
}

const PROTOCOLS: [&str; 4] = ["any", "tcp", "udp", "icmp"];

fn protocol(text: &str) -> Protocol {
    match text {
        "tcp" => Protocol::Tcp,
        "udp" => Protocol::Udp,
        "icmp" => Protocol::Icmp,
        _ => Protocol::Any,
    }
}

pub(super) fn appliance_rule_form(
    design: &Design,
    vm: &str,
    original: Option<&str>,
) -> Option<Form> {
    let appliance = design.vm(vm)?.appliance.as_ref()?;
    let rule = original.and_then(|o| appliance.rules.iter().find(|r| r.name == o));
    let taken: Vec<&str> = appliance.rules.iter().map(|r| r.name.as_str()).collect();
    Some(Form::new(
        match original {
            Some(o) => format!("Edit rule {o} of {vm}"),
            None => format!("Add rule to {vm}"),
        },
        vec![
            name_field(rule.map(|r| r.name.as_str()), "rule1", &taken),
            Field::choice(
                FieldKey::Action,
                "Action",
                vec!["allow".into(), "deny".into()],
                if rule.is_some_and(|r| r.action == Access::Deny) {
                    "deny"
                } else {
                    "allow"
                },
            ),
            Field::text(
                FieldKey::Source,
                "Source",
                rule.map_or("*".to_string(), |r| r.source.to_string()),
            ),
            Field::text(
                FieldKey::Destination,
                "Destination",
                rule.map_or("*".to_string(), |r| r.destination.to_string()),
            ),
            Field::choice(
                FieldKey::Protocol,
                "Protocol",
                PROTOCOLS.iter().map(|p| p.to_string()).collect(),
                &rule.map_or("any".to_string(), |r| r.protocol.to_string()),
            ),
            Field::text(
                FieldKey::Ports,
                "Ports",
                rule.map_or("*".to_string(), |r| r.ports.to_string()),
            ),
        ],
    ))
}

pub(super) fn build_appliance_rule(
    design: &Design,
    form: &Form,
    vm_name: &str,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let Some(mut vm) = design.vm(vm_name).cloned() else {
        check.error(FieldKey::Name, format!("{vm_name} no longer exists"));
        return None;
    };
    let mut appliance = vm.appliance.take().unwrap_or_else(Appliance::nva);
    let taken: Vec<&str> = appliance.rules.iter().map(|r| r.name.as_str()).collect();
    let name = check.name(
        form,
        FieldKey::Name,
        &taken,
        original,
        "rule of this appliance",
    );
    let source = check.addresses(form, FieldKey::Source).into_iter().next();
    let destination = check
        .addresses(form, FieldKey::Destination)
        .into_iter()
        .next();
    let ports = match form.value(FieldKey::Ports).trim().parse::<PortRange>() {
        Ok(p) => Some(p),
        Err(e) => {
            check.error(FieldKey::Ports, e);
            None
        }
    };
    let rule = ApplianceRule {
        name,
        action: if form.value(FieldKey::Action) == "deny" {
            Access::Deny
        } else {
            Access::Allow
        },
        source: source?,
        destination: destination?,
        protocol: protocol(form.value(FieldKey::Protocol)),
        ports: ports?,
    };
    match original.and_then(|o| appliance.rules.iter_mut().find(|r| r.name == o)) {
        Some(slot) => *slot = rule,
        None => appliance.rules.push(rule),
    }
    vm.appliance = Some(appliance);
    Some(Submit::Edit(crate::edit::Edit::Replace(Object::Vm(vm))))
}
