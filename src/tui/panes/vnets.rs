//! The VNets pane: a tree of VNets (region, cloud, address space) → subnets (prefix, NSG,
//! route table) → VMs and appliances (IP, forwarding) → their secondary NICs and appliance rules.

use super::{Row, Section, Target, View};
use crate::model::{ApplianceKind, Nic, Vm};
use ratatui::text::{Line, Span};

/// Rows of the tree, in design order.
pub fn rows(view: &View) -> Vec<Row> {
    let design = view.session.design();
    let theme = view.theme;
    let mut rows = vec![Row::new(
        Target::Section(Section::Vnets),
        Line::from(vec![
            Span::styled(format!("VNets ({})", design.vnets.len()), theme.title),
            Span::styled("  a: add VNet, subnet, VM or appliance", theme.dim),
        ]),
    )];
    // VMs by (vnet, subnet) of their primary NIC, gathered once rather than per subnet.
    let mut vms_by_subnet: std::collections::HashMap<(&str, &str), Vec<&Vm>> =
        std::collections::HashMap::new();
    for vm in &design.vms {
        if let Some(nic) = vm.primary() {
            vms_by_subnet
                .entry((nic.subnet.vnet.as_str(), nic.subnet.subnet.as_str()))
                .or_default()
                .push(vm);
        }
    }
    for vnet in &design.vnets {
        let space: Vec<String> = vnet.address_space.iter().map(|n| n.to_string()).collect();
        rows.push(Row::new(
            Target::Vnet(vnet.name.clone()),
            Line::from(vec![
                Span::styled(vnet.name.clone(), theme.accent),
                Span::raw("  "),
                Span::styled(
                    format!(
                        "{} · {}",
                        vnet.region.name(),
                        vnet.region.cloud().azure_name()
                    ),
                    theme.dim,
                ),
                Span::raw("  "),
                Span::raw(space.join(", ")),
            ]),
        ));
        for subnet in &vnet.subnets {
            let mut spans = vec![
                Span::raw("  "),
                Span::raw(subnet.name.clone()),
                Span::raw(" "),
                Span::styled(
                    subnet
                        .prefixes()
                        .map(|p| p.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    theme.dim,
                ),
            ];
            if let Some(nsg) = &subnet.nsg {
                spans.push(Span::styled(format!("  nsg:{nsg}"), theme.warning));
            }
            if let Some(table) = &subnet.route_table {
                spans.push(Span::styled(format!("  rt:{table}"), theme.ok));
            }
            rows.push(Row::new(
                Target::Subnet(crate::model::SubnetRef::new(&vnet.name, &subnet.name)),
                Line::from(spans),
            ));
            let here = vms_by_subnet
                .get(&(vnet.name.as_str(), subnet.name.as_str()))
                .map(Vec::as_slice)
                .unwrap_or_default();
            for vm in here.iter().copied() {
                rows.push(vm_row(vm, view));
                for (index, nic) in vm.nics.iter().enumerate().skip(1) {
                    rows.push(nic_row(vm, index, nic, view));
                }
                if let Some(appliance) = &vm.appliance {
                    for rule in &appliance.rules {
                        rows.push(Row::new(
                            Target::ApplianceRule {
                                vm: vm.name.clone(),
                                rule: rule.name.clone(),
                            },
                            Line::from(vec![
                                Span::raw("      "),
                                Span::styled(
                                    format!("{:?}", rule.action).to_lowercase(),
                                    theme.key,
                                ),
                                Span::raw(format!(
                                    " {} {} → {} {}",
                                    rule.name, rule.source, rule.destination, rule.protocol
                                )),
                                Span::styled(
                                    if rule.protocol.has_ports() {
                                        format!("/{}", rule.ports)
                                    } else {
                                        String::new()
                                    },
                                    theme.dim,
                                ),
                            ]),
                        ));
                    }
                }
            }
        }
    }
    rows
}

fn vm_row(vm: &Vm, view: &View) -> Row {
    let theme = view.theme;
    let mut spans = vec![Span::raw("    "), Span::raw(vm.name.clone())];
    if let Some(ip) = vm.ip() {
        spans.push(Span::styled(format!(" {ip}"), theme.dim));
    }
    if let Some(appliance) = &vm.appliance {
        let kind = match appliance.kind {
            ApplianceKind::Nva => "NVA",
            ApplianceKind::Firewall => "firewall",
        };
        spans.push(Span::styled(format!("  {kind}"), theme.accent));
        if appliance.stateful {
            spans.push(Span::styled(" stateful", theme.dim));
        }
    }
    if vm.nics.iter().any(|n| n.ip_forwarding) {
        spans.push(Span::styled(" ip-fwd", theme.ok));
    }
    if let Some(nsg) = vm.primary().and_then(|n| n.nsg.as_ref()) {
        spans.push(Span::styled(format!("  nic-nsg:{nsg}"), theme.warning));
    }
    Row::new(Target::Vm(vm.name.clone()), Line::from(spans))
}

/// A secondary NIC, under its VM: `nic 2 10.0.1.5 (subnet nva-untrust)`.
fn nic_row(vm: &Vm, index: usize, nic: &Nic, view: &View) -> Row {
    let theme = view.theme;
    let mut spans = vec![
        Span::raw(format!("      nic {} ", index + 1)),
        Span::raw(nic.ip.to_string()),
        Span::styled(format!(" (subnet {})", nic.subnet.subnet), theme.dim),
    ];
    if nic.ip_forwarding {
        spans.push(Span::styled(" ip-fwd", theme.ok));
    }
    if let Some(nsg) = &nic.nsg {
        spans.push(Span::styled(format!("  nic-nsg:{nsg}"), theme.warning));
    }
    Row::new(
        Target::Nic {
            vm: vm.name.clone(),
            index,
        },
        Line::from(spans),
    )
}
