//! The NSG pane: every NSG with its custom rules; the NSGs that apply to the selected subnet
//! (and the selected VM's NIC) are marked and listed first, with the six default rules implied.
//! The rule that decided the selected pair's request is marked `▶`. Below them, the application
//! security groups ([`super::objects`]).

use super::{Row, Section, Target, View};
use crate::model::{Access, NsgRule};
use ratatui::text::{Line, Span};

/// NSG names that apply to the selected subnet or VM NIC.
pub fn applying(view: &View) -> Vec<String> {
    let design = view.session.design();
    let mut names = Vec::new();
    if let Some(subnet) = view.context_subnet.as_ref().and_then(|r| design.subnet(r))
        && let Some(nsg) = &subnet.nsg
    {
        names.push(nsg.clone());
    }
    if let Some(nic) = view
        .context_vm
        .as_deref()
        .and_then(|vm| design.vm(vm))
        .and_then(|vm| vm.primary())
        && let Some(nsg) = &nic.nsg
        && !names.contains(nsg)
    {
        names.push(nsg.clone());
    }
    names
}

/// The `(nsg, rule)` pairs of custom rules that decided the selected pair's request, from the
/// engine's trace (an NSG hop is at the NSG and names its deciding rule in backquotes).
fn deciding_rules(view: &View) -> Vec<(String, String)> {
    use crate::engine::HopStep;
    let Some(trace) = view.live.trace() else {
        return Vec::new();
    };
    trace
        .forward
        .iter()
        .filter(|hop| matches!(hop.step, HopStep::NsgIn | HopStep::NsgOut))
        .filter_map(|hop| {
            let rule = hop.detail.split('`').nth(1)?;
            Some((hop.at.clone(), rule.to_string()))
        })
        .collect()
}

fn rule_line(rule: &NsgRule, view: &View) -> Line<'static> {
    let theme = view.theme;
    let list = |items: &[crate::model::AddressMatch]| {
        items
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    // An end that names ASGs matches their NICs, not its addresses (as in Azure).
    let end = |asgs: &[String], addresses: &[crate::model::AddressMatch]| {
        if asgs.is_empty() {
            list(addresses)
        } else {
            format!("asg:{}", asgs.join("+"))
        }
    };
    let ports = rule
        .destination_ports
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(",");
    Line::from(vec![
        Span::raw(format!("    {:>5} ", rule.priority)),
        Span::styled(
            format!(
                "{:<5}",
                if rule.access == Access::Allow {
                    "allow"
                } else {
                    "deny"
                }
            ),
            if rule.access == Access::Allow {
                theme.ok
            } else {
                theme.error
            },
        ),
        Span::raw(format!(
            " {:<3} {} {} → {}:{} ",
            if rule.direction == crate::model::Direction::Inbound {
                "in"
            } else {
                "out"
            },
            rule.protocol,
            end(&rule.source_asgs, &rule.source),
            end(&rule.destination_asgs, &rule.destination),
            ports
        )),
        Span::styled(rule.name.clone(), theme.dim),
    ])
}

/// The row model: a header, then each NSG (applying ones first) with its rules, inbound first,
/// by priority.
pub fn targets(view: &View) -> Vec<Target> {
    let design = view.session.design();
    let applying = applying(view);
    let mut ordered: Vec<_> = design.nsgs.iter().collect();
    ordered.sort_by_key(|n| !applying.contains(&n.name));
    let mut targets = vec![Target::Section(Section::Nsgs)];
    for nsg in ordered {
        targets.push(Target::Nsg(nsg.name.clone()));
        let mut rules: Vec<&NsgRule> = nsg.rules.iter().collect();
        rules.sort_by_key(|r| (r.direction == crate::model::Direction::Outbound, r.priority));
        targets.extend(rules.into_iter().map(|rule| Target::NsgRule {
            nsg: nsg.name.clone(),
            rule: rule.name.clone(),
        }));
    }
    targets.extend(super::objects::asg_targets(design));
    targets
}

/// The styled rows of `targets`.
pub fn rows(view: &View, targets: &[Target]) -> Vec<Row> {
    let design = view.session.design();
    let theme = view.theme;
    let applying = applying(view);
    // Where each NSG among these rows is used, gathered in one pass over subnets and NICs.
    let mut used: rustc_hash::FxHashMap<&str, Vec<String>> = targets
        .iter()
        .filter_map(|t| match t {
            Target::Nsg(name) => Some((name.as_str(), Vec::new())),
            _ => None,
        })
        .collect();
    for vnet in &design.vnets {
        for subnet in &vnet.subnets {
            if let Some(list) = subnet.nsg.as_deref().and_then(|n| used.get_mut(n)) {
                list.push(format!("{}/{}", vnet.name, subnet.name));
            }
        }
    }
    for vm in &design.vms {
        for nsg in vm.nics.iter().filter_map(|n| n.nsg.as_deref()) {
            if let Some(list) = used.get_mut(nsg) {
                list.push(format!("{} NIC", vm.name));
            }
        }
    }
    let deciding = deciding_rules(view);
    let mut rows = Vec::with_capacity(targets.len());
    for target in targets {
        let line = match target {
            Target::Section(Section::Nsgs) => {
                let context = view
                    .context_subnet
                    .as_ref()
                    .map(|s| {
                        format!(
                            "  applies to {s}: {}",
                            if applying.is_empty() {
                                "none".to_string()
                            } else {
                                applying.join(", ")
                            }
                        )
                    })
                    .unwrap_or_default();
                Line::from(vec![
                    Span::styled(format!("NSGs ({})", design.nsgs.len()), theme.title),
                    Span::styled(context, theme.dim),
                ])
            }
            Target::Nsg(name) => {
                let Some(nsg) = design.nsg(name) else {
                    continue;
                };
                let marker = if applying.contains(&nsg.name) {
                    "● "
                } else {
                    "  "
                };
                let used_by = used
                    .get(nsg.name.as_str())
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                Line::from(vec![
                    Span::styled(marker, theme.accent),
                    Span::styled(nsg.name.clone(), theme.accent),
                    Span::styled(
                        format!(
                            "  {} + 6 default  on: {}",
                            crate::words::count(nsg.rules.len(), "rule", "rules"),
                            if used_by.is_empty() {
                                "nothing".to_string()
                            } else {
                                used_by.join(", ")
                            }
                        ),
                        theme.dim,
                    ),
                ])
            }
            Target::NsgRule { nsg, rule } => {
                match design
                    .nsg(nsg)
                    .and_then(|n| n.rules.iter().find(|r| r.name == *rule))
                {
                    Some(found) => {
                        let mut line = rule_line(found, view);
                        // `▶` marks the rule that decided the selected pair's request.
                        if deciding.iter().any(|(n, r)| n == nsg && r == rule)
                            && let Some(first) = line.spans.first_mut()
                        {
                            let rest: String = first.content.chars().skip(2).collect();
                            *first = Span::styled(format!("▶ {rest}"), theme.accent);
                        }
                        line
                    }
                    None => continue,
                }
            }
            other => match super::objects::line(view, other) {
                Some(line) => line,
                None => continue,
            },
        };
        rows.push(Row::new(target.clone(), line));
    }
    rows
}
