//! The Gateway pane: gateways (kind, SKU, point-to-site pool, whether gateway transit is on for
//! their VNet's peerings), on-premises sites with their hosts, connections, and the
//! subscriptions with the designer's role in each (what lint's permission checks read).

use super::{Row, Section, Target, View};
use crate::model::{ConnectionRemote, Design, Role};
use crate::tui::forms::account::role_label;
use ratatui::text::{Line, Span};

/// Whether gateway transit is switched on for `vnet`: one of its links allows it.
pub fn transit_on(design: &Design, vnet: &str) -> bool {
    design
        .peerings
        .iter()
        .any(|p| p.local == vnet && p.allow_gateway_transit)
}

/// Rows: gateways, sites and hosts, connections, subscriptions, each under a header.
pub fn rows(view: &View) -> Vec<Row> {
    let design = view.session.design();
    let theme = view.theme;
    let header = |section, text: String, hint: &str| {
        Row::new(
            Target::Section(section),
            Line::from(vec![
                Span::styled(text, theme.title),
                Span::styled(format!("  {hint}"), theme.dim),
            ]),
        )
    };
    let mut rows = vec![header(
        Section::Gateways,
        format!("Gateways ({})", design.gateways.len()),
        "t: gateway transit",
    )];
    for gw in &design.gateways {
        let transit = transit_on(design, &gw.vnet);
        let mut spans = vec![
            Span::raw("  "),
            Span::styled(gw.name.clone(), theme.accent),
            Span::styled(format!("  in {}", gw.vnet), theme.dim),
            Span::raw(format!("  {} {}", gw.kind, gw.sku)),
        ];
        if !gw.client_pool.is_empty() {
            let pool: Vec<String> = gw.client_pool.iter().map(|p| p.to_string()).collect();
            spans.push(Span::styled(format!("  P2S {}", pool.join(",")), theme.dim));
        }
        if gw.bgp {
            spans.push(Span::styled("  BGP", theme.dim));
        }
        spans.push(Span::raw("  transit "));
        spans.push(if transit {
            Span::styled("on", theme.ok)
        } else {
            Span::styled("off", theme.dim)
        });
        rows.push(Row::new(
            Target::Gateway(gw.name.clone()),
            Line::from(spans),
        ));
    }
    rows.push(header(
        Section::Sites,
        format!("Sites ({})", design.sites.len()),
        "on-premises networks",
    ));
    for site in &design.sites {
        let prefixes: Vec<String> = site.prefixes.iter().map(|p| p.to_string()).collect();
        rows.push(Row::new(
            Target::Site(site.name.clone()),
            Line::from(vec![
                Span::raw("  "),
                Span::styled(site.name.clone(), theme.accent),
                Span::styled(format!("  {}", prefixes.join(", ")), theme.dim),
            ]),
        ));
        for host in &site.hosts {
            rows.push(Row::new(
                Target::Host {
                    site: site.name.clone(),
                    host: host.name.clone(),
                },
                Line::from(vec![
                    Span::raw(format!("    {}", host.name)),
                    Span::styled(format!(" {}", host.ip), theme.dim),
                ]),
            ));
        }
    }
    rows.push(header(
        Section::Connections,
        format!("Connections ({})", design.connections.len()),
        "site-to-site, VNet-to-VNet",
    ));
    for c in &design.connections {
        let remote = match &c.remote {
            ConnectionRemote::Site(s) => format!("site {s}"),
            ConnectionRemote::Gateway(g) => format!("gateway {g}"),
        };
        rows.push(Row::new(
            Target::Connection(c.name.clone()),
            Line::from(vec![
                Span::raw(format!("  {}", c.name)),
                Span::styled(format!("  {} ⇄ {remote}", c.gateway), theme.dim),
                Span::styled(if c.bgp { "  BGP" } else { "" }, theme.dim),
            ]),
        ));
    }
    rows.push(header(
        Section::Subscriptions,
        format!("Subscriptions ({})", design.subscriptions.len()),
        "S: add; your role in each",
    ));
    for s in &design.subscriptions {
        let mut spans = vec![
            Span::raw(format!("  {}", s.name)),
            Span::styled(format!("  {}", role_label(&s.role)), theme.accent),
        ];
        if let Role::Custom(actions) = &s.role {
            spans.push(Span::styled(format!("  {}", actions.join(", ")), theme.dim));
        }
        rows.push(Row::new(
            Target::Subscription(s.name.clone()),
            Line::from(spans),
        ));
    }
    rows
}
