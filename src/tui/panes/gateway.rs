//! The Gateway pane: gateways (kind, SKU, point-to-site pool, whether gateway transit is on for
//! their VNet's peerings), on-premises sites with their hosts, connections, and the
//! subscriptions with the designer's role in each (what lint's permission checks read); then the
//! hub services of issue 11: Route Servers with their BGP peers, AVNM network groups and
//! connectivity configurations ([`super::objects`]).

use super::{Row, Section, Target, View};
use crate::model::{ConnectionRemote, Role};
use ratatui::text::{Line, Span};

/// The row model: gateways, sites and their hosts, connections, subscriptions, Route Servers
/// with their peers, network groups and connectivity configurations, each under its header.
pub fn targets(view: &View) -> Vec<Target> {
    let design = view.session.design();
    let mut targets = vec![Target::Section(Section::Gateways)];
    targets.extend(
        design
            .gateways
            .iter()
            .map(|g| Target::Gateway(g.name.clone())),
    );
    targets.push(Target::Section(Section::Sites));
    for site in &design.sites {
        targets.push(Target::Site(site.name.clone()));
        targets.extend(site.hosts.iter().map(|host| Target::Host {
            site: site.name.clone(),
            host: host.name.clone(),
        }));
    }
    targets.push(Target::Section(Section::Connections));
    targets.extend(
        design
            .connections
            .iter()
            .map(|c| Target::Connection(c.name.clone())),
    );
    targets.push(Target::Section(Section::Subscriptions));
    targets.extend(
        design
            .subscriptions
            .iter()
            .map(|s| Target::Subscription(s.name.clone())),
    );
    targets.extend(super::objects::hub_service_targets(design));
    targets
}

/// The styled rows of `targets`.
pub fn rows(view: &View, targets: &[Target]) -> Vec<Row> {
    targets
        .iter()
        .filter_map(|target| Some(Row::new(target.clone(), line(view, target)?)))
        .collect()
}

fn line(view: &View, target: &Target) -> Option<Line<'static>> {
    let design = view.session.design();
    let theme = view.theme;
    let header = |text: String, hint: &str| super::section_header(theme, text, hint);
    Some(match target {
        Target::Section(Section::Gateways) => header(
            format!("Gateways ({})", design.gateways.len()),
            "t: gateway transit",
        ),
        Target::Section(Section::Sites) => header(
            format!("Sites ({})", design.sites.len()),
            "on-premises networks",
        ),
        Target::Section(Section::Connections) => header(
            format!("Connections ({})", design.connections.len()),
            "site-to-site, VNet-to-VNet",
        ),
        Target::Section(Section::Subscriptions) => header(
            format!("Subscriptions ({})", design.subscriptions.len()),
            "S: add; your role in each",
        ),
        Target::Gateway(name) => {
            let gw = design.gateway(name)?;
            let transit = design.gateway_transit_on(&gw.vnet);
            // Transit's on/off comes right after the name: a narrow pane cuts the tail, and
            // this is the state `t` changes.
            let mut spans = vec![
                Span::raw("  "),
                Span::styled(gw.name.clone(), theme.accent),
                Span::styled(format!("  in {}", gw.vnet), theme.dim),
                Span::raw("  transit "),
                if transit {
                    Span::styled("on", theme.ok)
                } else {
                    Span::styled("off", theme.dim)
                },
                Span::raw(format!("  {} {}", gw.kind, gw.sku)),
            ];
            if !gw.client_pool.is_empty() {
                let pool: Vec<String> = gw.client_pool.iter().map(|p| p.to_string()).collect();
                spans.push(Span::styled(format!("  P2S {}", pool.join(",")), theme.dim));
            }
            if gw.bgp {
                spans.push(Span::styled("  BGP", theme.dim));
            }
            Line::from(spans)
        }
        Target::Site(name) => {
            let site = design.site(name)?;
            let prefixes: Vec<String> = site.prefixes.iter().map(|p| p.to_string()).collect();
            Line::from(vec![
                Span::raw("  "),
                Span::styled(site.name.clone(), theme.accent),
                Span::styled(format!("  {}", prefixes.join(", ")), theme.dim),
            ])
        }
        Target::Host { site, host } => {
            let host = design.site(site)?.hosts.iter().find(|h| h.name == *host)?;
            Line::from(vec![
                Span::raw(format!("    {}", host.name)),
                Span::styled(format!(" {}", host.ip), theme.dim),
            ])
        }
        Target::Connection(name) => {
            let c = design.connection(name)?;
            let remote = match &c.remote {
                ConnectionRemote::Site(s) => format!("site {s}"),
                ConnectionRemote::Gateway(g) => format!("gateway {g}"),
            };
            Line::from(vec![
                Span::raw(format!("  {}", c.name)),
                Span::styled(format!("  {} ⇄ {remote}", c.gateway), theme.dim),
                Span::styled(if c.bgp { "  BGP" } else { "" }, theme.dim),
            ])
        }
        Target::Subscription(name) => {
            let s = design.subscription(name)?;
            let mut spans = vec![
                Span::raw(format!("  {}", s.name)),
                Span::styled(format!("  {}", s.role.name()), theme.accent),
            ];
            if let Role::Custom(actions) = &s.role {
                spans.push(Span::styled(format!("  {}", actions.join(", ")), theme.dim));
            }
            Line::from(spans)
        }
        other => return super::objects::line(view, other),
    })
}
