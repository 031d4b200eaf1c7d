//! Forms for route tables and routes, NSGs and their rules, and intents.

use super::attach::{self, Attached};
use super::groups::{asg_key, asg_toggles, chosen_asgs};
use super::{Checker, Submit, add_or_replace};
use super::{Field, FieldKey, Form, name_field};
use crate::edit::{Edit, Object};
use crate::model::{
    Access, Design, Direction, NextHop, Nsg, NsgRule, ObjectKind, Protocol, Route, RouteTable,
};

pub(super) fn route_table_form(design: &Design, original: Option<&str>) -> Option<Form> {
    let existing = original.and_then(|o| design.route_table(o));
    if original.is_some() && existing.is_none() {
        return None;
    }
    let taken: Vec<&str> = design
        .route_tables
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    let mut fields = vec![name_field(existing.map(|t| t.name.as_str()), "rt1", &taken)];
    fields.extend(attach::toggles(design, Attached::RouteTable, original));
    fields.push(Field::toggle(
        FieldKey::Propagate,
        "Propagate gateway routes",
        existing.is_none_or(|t| t.propagate_gateway_routes),
    ));
    Some(Form::new(
        match original {
            Some(o) => format!("Edit route table {o}"),
            None => "Add route table".to_string(),
        },
        fields,
    ))
}

pub(super) fn build_route_table(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let name = check.object_name(design, form, ObjectKind::RouteTable, original);
    let mut table = original
        .and_then(|o| design.route_table(o))
        .cloned()
        .unwrap_or_else(|| RouteTable::new(&name));
    table.name = name;
    table.propagate_gateway_routes = form.is_on(FieldKey::Propagate);
    let attachments = attach::edits(design, form, Attached::RouteTable, original, &table.name);
    let main = add_or_replace(ObjectKind::RouteTable, original, Object::RouteTable(table));
    Some(Submit::Edit(attach::with_attachments(main, attachments)))
}

const NEXT_HOPS: [&str; 5] = [
    "VirtualAppliance",
    "VirtualNetworkGateway",
    "VnetLocal",
    "Internet",
    "None",
];

pub(super) fn route_form(design: &Design, table: &str, original: Option<&str>) -> Option<Form> {
    let t = design.route_table(table)?;
    let route = original.and_then(|o| t.routes.iter().find(|r| r.name == o));
    if original.is_some() && route.is_none() {
        return None;
    }
    let taken: Vec<&str> = t.routes.iter().map(|r| r.name.as_str()).collect();
    // The first appliance's address is the likely next hop.
    let appliance_ip = design
        .vms
        .iter()
        .find(|vm| vm.appliance.is_some())
        .and_then(|vm| vm.ip())
        .map(|ip| ip.to_string())
        .unwrap_or_default();
    let (hop, ip) = match route.map(|r| r.next_hop) {
        Some(NextHop::VirtualAppliance(ip)) => ("VirtualAppliance", ip.to_string()),
        Some(other) => (other.type_name(), String::new()),
        None => ("VirtualAppliance", appliance_ip),
    };
    Some(Form::new(
        match original {
            Some(o) => format!("Edit route {o} of {table}"),
            None => format!("Add route to {table}"),
        },
        vec![
            name_field(route.map(|r| r.name.as_str()), "route1", &taken),
            Field::text(
                FieldKey::Prefix,
                "Prefix",
                route.map_or("0.0.0.0/0".to_string(), |r| r.prefix.to_string()),
            ),
            Field::choice(
                FieldKey::Hop,
                "Next hop type",
                NEXT_HOPS.iter().map(|h| h.to_string()).collect(),
                hop,
            ),
            Field::text(FieldKey::Ip, "Next hop IP", ip),
        ],
    ))
}

pub(super) fn build_route(
    design: &Design,
    form: &Form,
    table_name: &str,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let Some(mut table) = design.route_table(table_name).cloned() else {
        check.error(
            FieldKey::Name,
            format!("route table {table_name} no longer exists"),
        );
        return None;
    };
    let taken: Vec<&str> = table.routes.iter().map(|r| r.name.as_str()).collect();
    let name = check.name(
        form,
        FieldKey::Name,
        &taken,
        original,
        "route in this table",
    );
    let prefix = check.cidr(form, FieldKey::Prefix);
    let next_hop = match form.value(FieldKey::Hop) {
        "VirtualAppliance" => {
            let ip = check.ip(form, FieldKey::Ip);
            if let Some(ip) = ip
                && !design
                    .vms
                    .iter()
                    .any(|vm| vm.nics.iter().any(|n| n.ip == ip))
            {
                check.note(
                    FieldKey::Ip,
                    format!("no NIC has {ip}: traffic to this route would be dropped"),
                );
            }
            ip.map(NextHop::VirtualAppliance)
        }
        other => {
            if !form.value(FieldKey::Ip).trim().is_empty() {
                check.error(
                    FieldKey::Ip,
                    format!("{other} takes no next hop IP; clear the field"),
                );
            }
            Some(match other {
                "VirtualNetworkGateway" => NextHop::VirtualNetworkGateway,
                "VnetLocal" => NextHop::VnetLocal,
                "Internet" => NextHop::Internet,
                _ => NextHop::None,
            })
        }
    };
    if let Some(prefix) = prefix
        && let Some(clash) = table
            .routes
            .iter()
            .find(|r| r.prefix == prefix && Some(r.name.as_str()) != original)
    {
        check.error(
            FieldKey::Prefix,
            format!(
                "route {} already covers {prefix}; a table holds one route per prefix",
                clash.name
            ),
        );
    }
    let route = Route {
        name,
        prefix: prefix?,
        next_hop: next_hop?,
    };
    match original.and_then(|o| table.routes.iter_mut().find(|r| r.name == o)) {
        Some(slot) => *slot = route,
        None => table.routes.push(route),
    }
    Some(Submit::Edit(Edit::Replace(Object::RouteTable(table))))
}

pub(super) fn nsg_form(design: &Design, original: Option<&str>) -> Option<Form> {
    if original.is_some_and(|o| design.nsg(o).is_none()) {
        return None;
    }
    let taken: Vec<&str> = design.nsgs.iter().map(|n| n.name.as_str()).collect();
    Some(Form::new(
        match original {
            Some(o) => format!("Edit NSG {o}"),
            None => "Add NSG".to_string(),
        },
        std::iter::once(name_field(original, "nsg1", &taken))
            .chain(attach::toggles(design, Attached::Nsg, original))
            .collect(),
    ))
}

pub(super) fn build_nsg(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let name = check.object_name(design, form, ObjectKind::Nsg, original);
    let mut nsg = original
        .and_then(|o| design.nsg(o))
        .cloned()
        .unwrap_or_else(|| Nsg::new(&name));
    nsg.name = name;
    let attachments = attach::edits(design, form, Attached::Nsg, original, &nsg.name);
    let main = add_or_replace(ObjectKind::Nsg, original, Object::Nsg(nsg));
    Some(Submit::Edit(attach::with_attachments(main, attachments)))
}

/// The priority a new rule of `direction` is offered: the first free one in steps of ten from
/// the lowest custom priority (empty when every step is taken).
fn free_priority(nsg: &Nsg, direction: Direction) -> String {
    nsg.free_priority(direction, NsgRule::PRIORITIES.step_by(10))
        .map(|p| p.to_string())
        .unwrap_or_default()
}

/// Keeps a new rule's untouched priority free in the direction chosen: the form opens on
/// Inbound, and Outbound rules have priorities of their own.
pub(super) fn follow_direction(design: &Design, nsg: &str, form: &mut Form) {
    let direction = if form.value(FieldKey::Direction) == "Outbound" {
        Direction::Outbound
    } else {
        Direction::Inbound
    };
    if let Some(nsg) = design.nsg(nsg) {
        form.follow(FieldKey::Priority, free_priority(nsg, direction));
    }
}

const RULE_PROTOCOLS: [&str; 4] = ["any", "tcp", "udp", "icmp"];

pub(super) fn nsg_rule_form(design: &Design, nsg: &str, original: Option<&str>) -> Option<Form> {
    let n = design.nsg(nsg)?;
    let rule = original.and_then(|o| n.rules.iter().find(|r| r.name == o));
    if original.is_some() && rule.is_none() {
        return None;
    }
    let taken: Vec<&str> = n.rules.iter().map(|r| r.name.as_str()).collect();
    let join = |items: Vec<String>| items.join(", ");
    Some(Form::new(
        match original {
            Some(o) => format!("Edit rule {o} of {nsg}"),
            None => format!("Add rule to {nsg}"),
        },
        vec![
            name_field(rule.map(|r| r.name.as_str()), "rule1", &taken),
            Field::text(
                FieldKey::Priority,
                "Priority",
                rule.map_or_else(
                    || free_priority(n, Direction::Inbound),
                    |r| r.priority.to_string(),
                ),
            ),
            Field::choice(
                FieldKey::Direction,
                "Direction",
                vec!["Inbound".into(), "Outbound".into()],
                if rule.is_some_and(|r| r.direction == Direction::Outbound) {
                    "Outbound"
                } else {
                    "Inbound"
                },
            ),
            Field::choice(
                FieldKey::Access,
                "Access",
                vec!["Deny".into(), "Allow".into()],
                if rule.is_some_and(|r| r.access == Access::Allow) {
                    "Allow"
                } else {
                    "Deny"
                },
            ),
            Field::choice(
                FieldKey::Protocol,
                "Protocol",
                RULE_PROTOCOLS.iter().map(|p| p.to_string()).collect(),
                &rule.map_or("tcp".to_string(), |r| r.protocol.to_string()),
            ),
            Field::text(
                FieldKey::Source,
                "Source",
                rule.map_or("*".to_string(), |r| {
                    join(r.source.iter().map(|a| a.to_string()).collect())
                }),
            ),
            Field::text(
                FieldKey::Destination,
                "Destination",
                rule.map_or("*".to_string(), |r| {
                    join(r.destination.iter().map(|a| a.to_string()).collect())
                }),
            ),
            Field::text(
                FieldKey::Ports,
                "Destination ports",
                rule.map_or("443".to_string(), |r| {
                    join(r.destination_ports.iter().map(|p| p.to_string()).collect())
                }),
            ),
        ]
        .into_iter()
        .chain(asg_fields(design, rule))
        .collect(),
    ))
}

/// One toggle per ASG of the design for each end of the rule (none when the design has no ASG):
/// Azure's `sourceApplicationSecurityGroups` and `destinationApplicationSecurityGroups` are
/// lists, and ASGs chosen on an end replace its addresses.
fn asg_fields(design: &Design, rule: Option<&NsgRule>) -> Vec<Field> {
    let none = Vec::new();
    let mut fields = asg_toggles(
        design,
        FieldKey::SourceAsg,
        "source ASG",
        rule.map_or(&none, |r| &r.source_asgs),
    );
    fields.extend(asg_toggles(
        design,
        FieldKey::DestinationAsg,
        "destination ASG",
        rule.map_or(&none, |r| &r.destination_asgs),
    ));
    fields
}

/// Reports what Azure refuses of the rule's ASGs (one rule's ASGs in two VNets, the model's
/// `Design::rule_asg_clash`) on the toggle of the second VNet's ASG, and notes an end whose
/// addresses its ASGs replace.
fn check_rule_asgs(design: &Design, form: &Form, rule: &NsgRule, check: &mut Checker) {
    if let Some(clash) = design.rule_asg_clash(rule) {
        let asg = clash.other.0.as_str();
        let key = if rule.destination_asgs.iter().any(|a| a == asg)
            && !rule.source_asgs.iter().any(|a| a == asg)
        {
            asg_key(design, FieldKey::DestinationAsg, asg)
        } else {
            asg_key(design, FieldKey::SourceAsg, asg)
        };
        if let Some(key) = key {
            check.error(key, format!("Azure refuses it: {clash}"));
        }
    }
    for (asgs, field, end) in [
        (&rule.source_asgs, FieldKey::Source, "source"),
        (&rule.destination_asgs, FieldKey::Destination, "destination"),
    ] {
        if !asgs.is_empty() && form.value(field).trim() != "*" {
            check.note(
                field,
                format!("ignored: the {end} ASGs replace these addresses"),
            );
        }
    }
}

pub(super) fn build_nsg_rule(
    design: &Design,
    form: &Form,
    nsg_name: &str,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let Some(mut nsg) = design.nsg(nsg_name).cloned() else {
        check.error(FieldKey::Name, format!("NSG {nsg_name} no longer exists"));
        return None;
    };
    let taken: Vec<&str> = nsg.rules.iter().map(|r| r.name.as_str()).collect();
    let name = check.name(form, FieldKey::Name, &taken, original, "rule in this NSG");
    let direction = if form.value(FieldKey::Direction) == "Outbound" {
        Direction::Outbound
    } else {
        Direction::Inbound
    };
    let priority = match form.value(FieldKey::Priority).trim().parse::<u32>() {
        Ok(p) if NsgRule::PRIORITIES.contains(&p) => Some(p),
        _ => {
            check.error(
                FieldKey::Priority,
                format!(
                    "custom rules take a priority from {} to {} (lower is evaluated first)",
                    NsgRule::PRIORITIES.start(),
                    NsgRule::PRIORITIES.end()
                ),
            );
            None
        }
    };
    if let Some(p) = priority
        && let Some(clash) = nsg.rules.iter().find(|r| {
            r.priority == p && r.direction == direction && Some(r.name.as_str()) != original
        })
    {
        check.error(
            FieldKey::Priority,
            format!(
                "rule {} already has priority {p} in this direction; priorities must differ",
                clash.name
            ),
        );
    }
    let protocol = match form.value(FieldKey::Protocol) {
        "tcp" => Protocol::Tcp,
        "udp" => Protocol::Udp,
        "icmp" => Protocol::Icmp,
        _ => Protocol::Any,
    };
    let source = check.addresses(form, FieldKey::Source);
    let destination = check.addresses(form, FieldKey::Destination);
    let ports = check.ports(form, FieldKey::Ports);
    let mut rule = NsgRule::new(
        name,
        priority?,
        direction,
        if form.value(FieldKey::Access) == "Allow" {
            Access::Allow
        } else {
            Access::Deny
        },
        protocol,
    );
    rule.source = source;
    rule.destination = destination;
    rule.destination_ports = ports;
    let old = original.and_then(|o| nsg.rules.iter().find(|r| r.name == o));
    if let Some(old) = old {
        rule.source_ports = old.source_ports.clone();
        rule.description = old.description.clone();
    }
    let no_asgs = Vec::new();
    rule.source_asgs = chosen_asgs(
        design,
        form,
        FieldKey::SourceAsg,
        old.map_or(&no_asgs, |o| &o.source_asgs),
    );
    rule.destination_asgs = chosen_asgs(
        design,
        form,
        FieldKey::DestinationAsg,
        old.map_or(&no_asgs, |o| &o.destination_asgs),
    );
    check_rule_asgs(design, form, &rule, check);
    match original.and_then(|o| nsg.rules.iter_mut().find(|r| r.name == o)) {
        Some(slot) => *slot = rule,
        None => nsg.rules.push(rule),
    }
    Some(Submit::Edit(Edit::Replace(Object::Nsg(nsg))))
}
