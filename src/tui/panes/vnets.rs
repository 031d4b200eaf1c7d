//! The VNets pane: a tree of VNets (region, cloud, address space) → subnets (prefix, NSG,
//! route table) → VMs and appliances (IP, forwarding) → their secondary NICs and appliance rules.

use super::{Row, Section, Target, View};
use crate::model::{ApplianceKind, ApplianceRule, Nic, Subnet, SubnetRef, Vm, Vnet};
use ratatui::text::{Line, Span};
use std::collections::HashMap;

/// The tree's row model, in design order: each VNet, its subnets, and under each subnet the VMs
/// whose primary NIC is there, with their secondary NICs and appliance rules.
pub fn targets(view: &View) -> Vec<Target> {
    let design = view.session.design();
    let mut targets = vec![Target::Section(Section::Vnets)];
    // VMs by (vnet, subnet) of their primary NIC, gathered once rather than per subnet.
    let mut vms_by_subnet: HashMap<(&str, &str), Vec<&Vm>> = HashMap::new();
    for vm in &design.vms {
        if let Some(nic) = vm.primary() {
            vms_by_subnet
                .entry((nic.subnet.vnet.as_str(), nic.subnet.subnet.as_str()))
                .or_default()
                .push(vm);
        }
    }
    for vnet in &design.vnets {
        targets.push(Target::Vnet(vnet.name.clone()));
        for subnet in &vnet.subnets {
            targets.push(Target::Subnet(SubnetRef::new(&vnet.name, &subnet.name)));
            let here = vms_by_subnet
                .get(&(vnet.name.as_str(), subnet.name.as_str()))
                .map(Vec::as_slice)
                .unwrap_or_default();
            for vm in here.iter().copied() {
                targets.push(Target::Vm(vm.name.clone()));
                targets.extend((1..vm.nics.len()).map(|index| Target::Nic {
                    vm: vm.name.clone(),
                    index,
                }));
                if let Some(appliance) = &vm.appliance {
                    targets.extend(appliance.rules.iter().map(|rule| Target::ApplianceRule {
                        vm: vm.name.clone(),
                        rule: rule.name.clone(),
                    }));
                }
            }
        }
    }
    targets
}

/// The styled rows of `targets` (a window of [`targets`], or all of them for filtering).
pub fn rows(view: &View, targets: &[Target]) -> Vec<Row> {
    let design = view.session.design();
    let theme = view.theme;
    // VMs by name, the first of a name winning as in `Design::vm`. A screenful of rows looks
    // each up directly; styling every row (to filter) indexes them first.
    let mut by_name: HashMap<&str, &Vm> = HashMap::new();
    if targets.len() > 64 {
        for vm in &design.vms {
            by_name.entry(vm.name.as_str()).or_insert(vm);
        }
    }
    let vm = |name: &str| {
        if by_name.is_empty() {
            design.vm(name)
        } else {
            by_name.get(name).copied()
        }
    };
    let mut rows = Vec::with_capacity(targets.len());
    for target in targets {
        let line = match target {
            Target::Section(_) => Line::from(vec![
                Span::styled(format!("VNets ({})", design.vnets.len()), theme.title),
                Span::styled("  a: add VNet, subnet, VM or appliance", theme.dim),
            ]),
            Target::Vnet(name) => match design.vnet(name) {
                Some(vnet) => vnet_line(vnet, view),
                None => continue,
            },
            Target::Subnet(r) => match design.subnet(r) {
                Some(subnet) => subnet_line(subnet, view),
                None => continue,
            },
            Target::Vm(name) => match vm(name) {
                Some(vm) => vm_line(vm, view),
                None => continue,
            },
            Target::Nic { vm: vm_name, index } => {
                match vm(vm_name).and_then(|v| v.nics.get(*index)) {
                    Some(nic) => nic_line(*index, nic, view),
                    None => continue,
                }
            }
            Target::ApplianceRule { vm: vm_name, rule } => match vm(vm_name)
                .and_then(|v| v.appliance.as_ref())
                .and_then(|a| a.rules.iter().find(|r| r.name == *rule))
            {
                Some(rule) => appliance_rule_line(rule, view),
                None => continue,
            },
            _ => continue,
        };
        rows.push(Row::new(target.clone(), line));
    }
    rows
}

fn vnet_line(vnet: &Vnet, view: &View) -> Line<'static> {
    let theme = view.theme;
    let space: Vec<String> = vnet.address_space.iter().map(|n| n.to_string()).collect();
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
    ])
}

fn subnet_line(subnet: &Subnet, view: &View) -> Line<'static> {
    let theme = view.theme;
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
    Line::from(spans)
}

fn appliance_rule_line(rule: &ApplianceRule, view: &View) -> Line<'static> {
    let theme = view.theme;
    Line::from(vec![
        Span::raw("      "),
        Span::styled(format!("{:?}", rule.action).to_lowercase(), theme.key),
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
    ])
}

fn vm_line(vm: &Vm, view: &View) -> Line<'static> {
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
    Line::from(spans)
}

/// A secondary NIC, under its VM: `nic 2 10.0.1.5 (subnet nva-untrust)`.
fn nic_line(index: usize, nic: &Nic, view: &View) -> Line<'static> {
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
    Line::from(spans)
}
