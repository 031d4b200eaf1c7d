//! Forms for route tables and routes, NSGs and their rules, intents, and two small prompts:
//! the flow the matrix is evaluated for, and Save as.

use super::suggest;
use super::{Checker, Context, Submit, add_or_replace};
use crate::edit::{Edit, Object};
use crate::model::{
    Access, Design, Direction, Expectation, Flow, Intent, NextHop, Nsg, NsgRule, ObjectKind,
    Protocol, Route, RouteTable,
};
use crate::tui::widgets::form::{Field, Form};
use std::path::PathBuf;

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
    Some(Form::new(
        match original {
            Some(o) => format!("Edit route table {o}"),
            None => "Add route table".to_string(),
        },
        vec![
            Field::text(
                "name",
                "Name",
                existing.map_or_else(|| suggest::free_name("rt1", &taken), |t| t.name.clone()),
            ),
            Field::toggle(
                "propagate",
                "Propagate gateway routes",
                existing.is_none_or(|t| t.propagate_gateway_routes),
            ),
        ],
    ))
}

pub(super) fn build_route_table(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let taken: Vec<&str> = design
        .route_tables
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    let name = check.name(form, "name", &taken, original, "route table");
    let mut table = original
        .and_then(|o| design.route_table(o))
        .cloned()
        .unwrap_or_else(|| RouteTable::new(&name));
    table.name = name;
    table.propagate_gateway_routes = form.is_on("propagate");
    Some(Submit::Edit(add_or_replace(
        ObjectKind::RouteTable,
        original,
        Object::RouteTable(table),
    )))
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
            Field::text(
                "name",
                "Name",
                route.map_or_else(|| suggest::free_name("route1", &taken), |r| r.name.clone()),
            ),
            Field::text(
                "prefix",
                "Prefix",
                route.map_or("0.0.0.0/0".to_string(), |r| r.prefix.to_string()),
            ),
            Field::choice(
                "hop",
                "Next hop type",
                NEXT_HOPS.iter().map(|h| h.to_string()).collect(),
                hop,
            ),
            Field::text("ip", "Next hop IP", ip),
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
        check.error("name", format!("route table {table_name} no longer exists"));
        return None;
    };
    let taken: Vec<&str> = table.routes.iter().map(|r| r.name.as_str()).collect();
    let name = check.name(form, "name", &taken, original, "route in this table");
    let prefix = check.cidr(form, "prefix");
    let next_hop = match form.value("hop") {
        "VirtualAppliance" => {
            let ip = check.ip(form, "ip");
            if let Some(ip) = ip
                && !design
                    .vms
                    .iter()
                    .any(|vm| vm.nics.iter().any(|n| n.ip == ip))
            {
                check.note(
                    "ip",
                    format!("no NIC has {ip}: traffic to this route would be dropped"),
                );
            }
            ip.map(NextHop::VirtualAppliance)
        }
        other => {
            if !form.value("ip").trim().is_empty() {
                check.error(
                    "ip",
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
            "prefix",
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
            Some(o) => format!("Rename NSG {o}"),
            None => "Add NSG".to_string(),
        },
        vec![Field::text(
            "name",
            "Name",
            original.map_or_else(|| suggest::free_name("nsg1", &taken), str::to_string),
        )],
    ))
}

pub(super) fn build_nsg(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let taken: Vec<&str> = design.nsgs.iter().map(|n| n.name.as_str()).collect();
    let name = check.name(form, "name", &taken, original, "NSG");
    let mut nsg = original
        .and_then(|o| design.nsg(o))
        .cloned()
        .unwrap_or_else(|| Nsg::new(&name));
    nsg.name = name;
    Some(Submit::Edit(add_or_replace(
        ObjectKind::Nsg,
        original,
        Object::Nsg(nsg),
    )))
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
            Field::text(
                "name",
                "Name",
                rule.map_or_else(|| suggest::free_name("rule1", &taken), |r| r.name.clone()),
            ),
            Field::text(
                "priority",
                "Priority",
                rule.map_or_else(|| suggest::free_priority(design, nsg), |r| r.priority)
                    .to_string(),
            ),
            Field::choice(
                "direction",
                "Direction",
                vec!["Inbound".into(), "Outbound".into()],
                if rule.is_some_and(|r| r.direction == Direction::Outbound) {
                    "Outbound"
                } else {
                    "Inbound"
                },
            ),
            Field::choice(
                "access",
                "Access",
                vec!["Deny".into(), "Allow".into()],
                if rule.is_some_and(|r| r.access == Access::Allow) {
                    "Allow"
                } else {
                    "Deny"
                },
            ),
            Field::choice(
                "protocol",
                "Protocol",
                RULE_PROTOCOLS.iter().map(|p| p.to_string()).collect(),
                &rule.map_or("tcp".to_string(), |r| r.protocol.to_string()),
            ),
            Field::text(
                "source",
                "Source",
                rule.map_or("*".to_string(), |r| {
                    join(r.source.iter().map(|a| a.to_string()).collect())
                }),
            ),
            Field::text(
                "destination",
                "Destination",
                rule.map_or("*".to_string(), |r| {
                    join(r.destination.iter().map(|a| a.to_string()).collect())
                }),
            ),
            Field::text(
                "ports",
                "Destination ports",
                rule.map_or("443".to_string(), |r| {
                    join(r.destination_ports.iter().map(|p| p.to_string()).collect())
                }),
            ),
        ],
    ))
}

pub(super) fn build_nsg_rule(
    design: &Design,
    form: &Form,
    nsg_name: &str,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let Some(mut nsg) = design.nsg(nsg_name).cloned() else {
        check.error("name", format!("NSG {nsg_name} no longer exists"));
        return None;
    };
    let taken: Vec<&str> = nsg.rules.iter().map(|r| r.name.as_str()).collect();
    let name = check.name(form, "name", &taken, original, "rule in this NSG");
    let direction = if form.value("direction") == "Outbound" {
        Direction::Outbound
    } else {
        Direction::Inbound
    };
    let priority = match form.value("priority").trim().parse::<u32>() {
        Ok(p) if (100..=4096).contains(&p) => Some(p),
        _ => {
            check.error(
                "priority",
                "custom rules take a priority from 100 to 4096 (lower is evaluated first)",
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
            "priority",
            format!(
                "rule {} already has priority {p} in this direction; priorities must differ",
                clash.name
            ),
        );
    }
    let protocol = match form.value("protocol") {
        "tcp" => Protocol::Tcp,
        "udp" => Protocol::Udp,
        "icmp" => Protocol::Icmp,
        _ => Protocol::Any,
    };
    let source = check.addresses(form, "source");
    let destination = check.addresses(form, "destination");
    let ports = check.ports(form, "ports");
    let mut rule = NsgRule::new(
        name,
        priority?,
        direction,
        if form.value("access") == "Allow" {
            Access::Allow
        } else {
            Access::Deny
        },
        protocol,
    );
    rule.source = source;
    rule.destination = destination;
    rule.destination_ports = ports;
    if let Some(old) = original.and_then(|o| nsg.rules.iter().find(|r| r.name == o)) {
        rule.source_ports = old.source_ports.clone();
        rule.description = old.description.clone();
    }
    match original.and_then(|o| nsg.rules.iter_mut().find(|r| r.name == o)) {
        Some(slot) => *slot = rule,
        None => nsg.rules.push(rule),
    }
    Some(Submit::Edit(Edit::Replace(Object::Nsg(nsg))))
}

pub(super) fn intent_form(
    design: &Design,
    original: Option<&str>,
    context: &Context,
) -> Option<Form> {
    let endpoints: Vec<String> = design.endpoints().into_iter().map(|e| e.name).collect();
    if endpoints.len() < 2 {
        return None;
    }
    let existing = original.and_then(|o| design.intent(o));
    if original.is_some() && existing.is_none() {
        return None;
    }
    let (from, to) = existing
        .map(|i| (i.from.clone(), i.to.clone()))
        .or_else(|| context.pair.clone())
        .unwrap_or_else(|| (endpoints[0].clone(), endpoints[1].clone()));
    let taken: Vec<&str> = design.intents.iter().map(|i| i.name.as_str()).collect();
    Some(Form::new(
        match original {
            Some(o) => format!("Edit intent {o}"),
            None => "Add intent".to_string(),
        },
        vec![
            Field::text(
                "name",
                "Name",
                existing.map_or_else(
                    || suggest::free_name(&format!("{from}-to-{to}"), &taken),
                    |i| i.name.clone(),
                ),
            ),
            Field::choice("from", "From", endpoints.clone(), &from),
            Field::choice("to", "To", endpoints, &to),
            Field::text(
                "flow",
                "Flow",
                existing.map_or(context.flow, |i| i.flow).to_string(),
            ),
            Field::choice(
                "expect",
                "Expect",
                vec!["Reachable".into(), "Blocked".into()],
                if existing.is_some_and(|i| i.expect == Expectation::Blocked) {
                    "Blocked"
                } else {
                    "Reachable"
                },
            ),
        ],
    ))
}

pub(super) fn build_intent(
    design: &Design,
    form: &Form,
    original: Option<&str>,
    check: &mut Checker,
) -> Option<Submit> {
    let taken: Vec<&str> = design.intents.iter().map(|i| i.name.as_str()).collect();
    let name = check.name(form, "name", &taken, original, "intent");
    let from = form.value("from").to_string();
    let to = form.value("to").to_string();
    if from == to {
        check.error("to", "choose two different endpoints");
    }
    let flow = parse_flow(form, check);
    let intent = Intent {
        name,
        from,
        to,
        flow: flow?,
        expect: if form.value("expect") == "Blocked" {
            Expectation::Blocked
        } else {
            Expectation::Reachable
        },
    };
    Some(Submit::Edit(add_or_replace(
        ObjectKind::Intent,
        original,
        Object::Intent(intent),
    )))
}

fn parse_flow(form: &Form, check: &mut Checker) -> Option<Flow> {
    match form.value("flow").parse::<Flow>() {
        Ok(f) => Some(f),
        Err(e) => {
            check.error("flow", e);
            None
        }
    }
}

pub(super) fn flow_form(context: &Context) -> Form {
    Form::new(
        "Flow",
        vec![Field::text(
            "flow",
            "Flow (tcp/443, udp/53, icmp, any)",
            context.flow.to_string(),
        )],
    )
}

pub(super) fn build_flow(form: &Form, check: &mut Checker) -> Option<Submit> {
    parse_flow(form, check).map(Submit::Flow)
}

pub(super) fn save_as_form(context: &Context) -> Form {
    let path = context
        .file
        .as_ref()
        .map_or_else(|| "design.ron".to_string(), |p| p.display().to_string());
    Form::new("Save as", vec![Field::text("path", "File", path)])
}

pub(super) fn build_save_as(form: &Form, check: &mut Checker) -> Option<Submit> {
    let path = form.value("path").trim();
    if path.is_empty() {
        check.error("path", "enter a file name, like my-design.ron");
        return None;
    }
    if path.ends_with('/') {
        check.error(
            "path",
            "that is a folder; add a file name, like my-design.ron",
        );
        return None;
    }
    Some(Submit::SaveAs(PathBuf::from(path)))
}

/// The assumption keys, their labels and choices, in the order of `Assumptions`.
const ASSUMPTIONS: [(&str, &str, [&str; 2]); 5] = [
    (
        "vnet_access_disabled",
        "VNet access off means",
        ["DocumentedIntent", "TagOnly"],
    ),
    (
        "forwarded_traffic",
        "allowForwardedTraffic",
        ["Enforce", "Ignore"],
    ),
    (
        "gateway_hops_exempt_from_forwarding_check",
        "Gateway hops exempt",
        ["true", "false"],
    ),
    (
        "vnet_tag_widens_with_default_route",
        "0/0 UDR widens VirtualNetwork",
        ["true", "false"],
    ),
    (
        "gov_global_peering",
        "Gov global peering",
        ["Forbidden", "Allowed"],
    ),
];

pub(super) fn assumptions_form(design: &Design) -> Option<Form> {
    let a = design.assumptions;
    let current = [
        format!("{:?}", a.vnet_access_disabled),
        format!("{:?}", a.forwarded_traffic),
        a.gateway_hops_exempt_from_forwarding_check.to_string(),
        a.vnet_tag_widens_with_default_route.to_string(),
        format!("{:?}", a.gov_global_peering),
    ];
    let fields = ASSUMPTIONS
        .iter()
        .zip(current)
        .map(|((key, label, choices), value)| {
            Field::choice(
                key,
                label,
                choices.iter().map(|c| c.to_string()).collect(),
                &value,
            )
        })
        .collect();
    Some(Form::new("Assumptions (contested Azure behaviour)", fields))
}

pub(super) fn build_assumptions(form: &Form, check: &mut Checker) -> Option<Submit> {
    let mut assumptions = crate::model::Assumptions::default();
    for (key, _, _) in ASSUMPTIONS {
        if let Err(e) = assumptions.set(key, form.value(key)) {
            check.error(key, e);
        }
    }
    Some(Submit::Edit(Edit::SetAssumptions(assumptions)))
}
