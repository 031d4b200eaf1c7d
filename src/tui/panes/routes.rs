//! The Route table pane: every route table with its routes (the one of the selected subnet
//! marked and listed first) and, below, the selected subnet's effective routes as the engine
//! computes them.

use super::{Row, Section, Target, View};
use ratatui::text::{Line, Span};

/// The route table of the subnet the pane follows, if it has one.
fn current_table(view: &View) -> Option<String> {
    let design = view.session.design();
    view.context_subnet
        .as_ref()
        .and_then(|r| design.subnet(r))
        .and_then(|s| s.route_table.clone())
}

/// The row model: a header, then each table (the selected subnet's first) with its routes.
pub fn targets(view: &View) -> Vec<Target> {
    let design = view.session.design();
    let current = current_table(view);
    let mut tables: Vec<_> = design.route_tables.iter().collect();
    tables.sort_by_key(|t| Some(&t.name) != current.as_ref());
    let mut targets = vec![Target::Section(Section::RouteTables)];
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
    let mut rows = Vec::with_capacity(targets.len());
    for target in targets {
        let line = match target {
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

/// Draws the selected subnet's effective routes (Active, or Invalid with the reason).
pub fn render_effective(
    view: &View,
    area: ratatui::layout::Rect,
    buf: &mut ratatui::buffer::Buffer,
) {
    use crate::engine::{RouteSource, RouteState};
    use ratatui::widgets::{Paragraph, Widget};
    let theme = view.theme;
    let Some(body) = crate::tui::widgets::below_rule(area, buf, theme.border) else {
        return;
    };
    let mut lines = Vec::new();
    match view.live.routes() {
        None => lines.push(Line::styled(
            "Select a subnet or VM in the VNets pane to see its effective routes.",
            theme.dim,
        )),
        Some((subnet, Err(e))) => lines.push(Line::styled(format!("{subnet}: {e}"), theme.error)),
        Some((subnet, Ok(routes))) => {
            lines.push(Line::from(vec![
                Span::styled("Effective routes of ", theme.title),
                Span::styled(subnet.to_string(), theme.accent),
            ]));
            for route in routes {
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
                    Span::styled(format!("{state} "), style),
                    Span::styled(format!("{source:<7} "), theme.dim),
                    Span::raw(format!("{:<18} → {hop}", route.prefix.to_string())),
                ];
                if let Some(note) = &route.note {
                    spans.push(Span::styled(format!("  {note}"), theme.dim));
                }
                lines.push(Line::from(spans));
            }
        }
    }
    Paragraph::new(lines).render(body, buf);
}
