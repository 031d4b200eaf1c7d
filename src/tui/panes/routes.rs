//! The Route table pane: the selected subnet's effective routes as the engine computes them
//! (user and gateway routes first, then the defaults; the route the selected pair's request
//! took marked `▶`), then every route table with its routes (the subnet's own marked `●` and
//! listed first). Every line is a row of the list, so `j`/`k` scroll through all of it.

use super::{Row, Section, Target, View};
use crate::engine::{EffectiveRoute, HopStep, RouteSource, RouteState};
use crate::model::SubnetRef;
use ratatui::text::{Line, Span};

/// The order effective routes are listed in: what the designer added (user routes) and learned
/// routes first, the defaults every subnet has last.
fn source_rank(source: RouteSource) -> u8 {
    match source {
        RouteSource::User => 0,
        RouteSource::VirtualNetworkGateway => 1,
        RouteSource::Default => 2,
    }
}

/// The followed subnet's effective routes in display order (stable within each source).
fn effective<'a>(
    view: &View<'a>,
) -> Option<(&'a SubnetRef, Result<Vec<&'a EffectiveRoute>, &'a str>)> {
    let (subnet, routes) = view.live.routes()?;
    Some((
        subnet,
        match routes {
            Ok(routes) => {
                let mut sorted: Vec<&EffectiveRoute> = routes.iter().collect();
                sorted.sort_by_key(|r| source_rank(r.source));
                Ok(sorted)
            }
            Err(e) => Err(e.as_str()),
        },
    ))
}

/// The prefix of the route the selected pair's request took out of `subnet`, from the engine's
/// trace (its route hop at that subnet starts with the prefix).
fn taken_prefix(view: &View, subnet: &SubnetRef) -> Option<String> {
    let trace = view.live.trace()?;
    let at = subnet.to_string();
    trace
        .forward
        .iter()
        .find(|hop| hop.step == HopStep::Route && hop.at == at)
        .and_then(|hop| hop.detail.split_whitespace().next())
        .map(str::to_string)
}

/// The route table of the subnet the pane follows, if it has one.
fn current_table(view: &View) -> Option<String> {
    let design = view.session.design();
    view.context_subnet
        .as_ref()
        .and_then(|r| design.subnet(r))
        .and_then(|s| s.route_table.clone())
}

/// The row model: the followed subnet's effective routes under their header, then a header and
/// each table (the selected subnet's first) with its routes.
pub fn targets(view: &View) -> Vec<Target> {
    let design = view.session.design();
    let current = current_table(view);
    let mut tables: Vec<_> = design.route_tables.iter().collect();
    tables.sort_by_key(|t| Some(&t.name) != current.as_ref());
    let mut targets = vec![Target::Section(Section::EffectiveRoutes)];
    if let Some((_, Ok(routes))) = effective(view) {
        targets.extend((0..routes.len()).map(Target::EffectiveRoute));
    }
    targets.push(Target::Section(Section::RouteTables));
    for table in tables {
        targets.push(Target::RouteTable(table.name.clone()));
        targets.extend(table.routes.iter().map(|route| Target::Route {
            table: table.name.clone(),
            route: route.name.clone(),
        }));
    }
    targets
}

/// The styled rows of `targets`.
pub fn rows(view: &View, targets: &[Target]) -> Vec<Row> {
    let design = view.session.design();
    let theme = view.theme;
    let current = current_table(view);
    let effective = effective(view);
    let taken = effective
        .as_ref()
        .and_then(|(subnet, _)| taken_prefix(view, subnet));
    // The prefix column's width, once for every row (a hub's subnet has a route per spoke).
    let widest = effective
        .as_ref()
        .and_then(|(_, routes)| routes.as_ref().ok())
        .and_then(|routes| routes.iter().map(|r| r.prefix.to_string().len()).max())
        .unwrap_or(0);
    let mut rows = Vec::with_capacity(targets.len());
    for target in targets {
        let line = match target {
            Target::Section(Section::EffectiveRoutes) => match &effective {
                None => Line::styled(
                    "Effective routes: select a subnet or VM in the VNets pane",
                    theme.dim,
                ),
                Some((subnet, Err(e))) => Line::styled(format!("{subnet}: {e}"), theme.error),
                Some((subnet, Ok(routes))) => Line::from(vec![
                    Span::styled("Effective routes of ", theme.title),
                    Span::styled(subnet.to_string(), theme.accent),
                    Span::styled(
                        format!(
                            " ({}, user and gateway first{})",
                            crate::words::count(routes.len(), "route", "routes"),
                            if taken.is_some() {
                                "; ▶ the pair's"
                            } else {
                                ""
                            }
                        ),
                        theme.dim,
                    ),
                ]),
            },
            Target::EffectiveRoute(i) => {
                let Some(route) = effective
                    .as_ref()
                    .and_then(|(_, routes)| routes.as_ref().ok())
                    .and_then(|routes| routes.get(*i))
                else {
                    continue;
                };
                let used = route.state == RouteState::Active
                    && taken.as_deref() == Some(route.prefix.to_string().as_str());
                effective_line(view, route, used, widest)
            }
            Target::Section(_) => {
                let context = match (&view.context_subnet, &current) {
                    (Some(subnet), Some(table)) => format!("  {subnet} uses {table}"),
                    (Some(subnet), None) => format!("  {subnet} has no route table"),
                    _ => String::new(),
                };
                Line::from(vec![
                    Span::styled(
                        format!("Route tables ({})", design.route_tables.len()),
                        theme.title,
                    ),
                    Span::styled(context, theme.dim),
                ])
            }
            Target::RouteTable(name) => {
                let Some(table) = design.route_table(name) else {
                    continue;
                };
                let marker = if Some(&table.name) == current.as_ref() {
                    "● "
                } else {
                    "  "
                };
                Line::from(vec![
                    Span::styled(marker, theme.accent),
                    Span::styled(table.name.clone(), theme.accent),
                    Span::styled(
                        if table.propagate_gateway_routes {
                            "  propagates gateway routes"
                        } else {
                            "  gateway route propagation off"
                        },
                        theme.dim,
                    ),
                ])
            }
            Target::Route { table, route } => {
                let Some(route) = design
                    .route_table(table)
                    .and_then(|t| t.routes.iter().find(|r| r.name == *route))
                else {
                    continue;
                };
                Line::from(vec![
                    Span::raw(format!(
                        "    {:<18} → {}",
                        route.prefix.to_string(),
                        route.next_hop
                    )),
                    Span::styled(format!("  {}", route.name), theme.dim),
                ])
            }
            _ => continue,
        };
        rows.push(Row::new(target.clone(), line));
    }
    rows
}

/// One effective route: source, prefix (padded to `prefix_width`) and next hop, then whether it
/// is invalid and why.
fn effective_line(
    view: &View,
    route: &EffectiveRoute,
    used: bool,
    prefix_width: usize,
) -> Line<'static> {
    let theme = view.theme;
    let source = match route.source {
        RouteSource::Default => "Default",
        RouteSource::User => "User",
        RouteSource::VirtualNetworkGateway => "Gateway",
    };
    let hop = match route.next_hop_ip {
        Some(ip) => format!("{} {ip}", route.next_hop_type),
        None => route.next_hop_type.to_string(),
    };
    let (state, style) = match route.state {
        RouteState::Active => ("Active ", theme.ok),
        RouteState::Invalid => ("Invalid", theme.dim),
    };
    let mut spans = vec![
        Span::styled(if used { "▶ " } else { "  " }, theme.accent),
        Span::styled(format!("{source:<7} "), theme.dim),
        Span::styled(
            format!("{:<prefix_width$} → {hop}", route.prefix.to_string()),
            match (used, route.state) {
                (true, _) => theme.accent,
                (false, RouteState::Invalid) => theme.dim,
                (false, RouteState::Active) => ratatui::style::Style::default(),
            },
        ),
    ];
    // Active is the rule; only an invalid route says so (with why).
    if route.state == RouteState::Invalid {
        spans.push(Span::styled(format!("  {}", state.trim_end()), style));
    }
    if let Some(note) = &route.note {
        spans.push(Span::styled(format!("  {note}"), theme.dim));
    }
    Line::from(spans)
}
