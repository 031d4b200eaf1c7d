//! The rows of the objects issue 11 added, listed where their neighbours are so that they can
//! be seen, edited (`Enter`) and deleted (`d`) like any other: application security groups in
//! the NSG pane; Route Servers with their BGP peers, AVNM network groups and connectivity
//! configurations in the Gateway pane. A section shows only once the design has such an object
//! (`a` in those panes adds the first), so designs without them, and lessons, read as before.
//! Each row gives the object's key facts; what Azure
//! refuses or what keeps a peer down comes from the model's rules (`Design::route_server_violations`,
//! `Design::bgp_peer_problem`), the same sentences lint prints.

use super::{Section, Target, View};
use crate::model::{Design, Topology};
use ratatui::text::{Line, Span};

/// The ASG section and one row per ASG, in design order (nothing when there is none).
pub fn asg_targets(design: &Design) -> Vec<Target> {
    if design.asgs.is_empty() {
        return Vec::new();
    }
    std::iter::once(Target::Section(Section::Asgs))
        .chain(design.asgs.iter().map(|a| Target::Asg(a.name.clone())))
        .collect()
}

/// The Route Server section, each server followed by its BGP peers; then the network groups
/// and the connectivity configurations, each under its header (a section without objects is
/// left out).
pub fn hub_service_targets(design: &Design) -> Vec<Target> {
    let mut targets = Vec::new();
    if !design.route_servers.is_empty() {
        targets.push(Target::Section(Section::RouteServers));
    }
    for server in &design.route_servers {
        targets.push(Target::RouteServer(server.name.clone()));
        targets.extend(server.peers.iter().map(|p| Target::BgpPeer {
            server: server.name.clone(),
            peer: p.name.clone(),
        }));
    }
    if !design.network_groups.is_empty() {
        targets.push(Target::Section(Section::NetworkGroups));
    }
    targets.extend(
        design
            .network_groups
            .iter()
            .map(|g| Target::NetworkGroup(g.name.clone())),
    );
    if !design.connectivity.is_empty() {
        targets.push(Target::Section(Section::Connectivity));
    }
    targets.extend(
        design
            .connectivity
            .iter()
            .map(|c| Target::Connectivity(c.name.clone())),
    );
    targets
}

/// The row of one of these objects or of their section headers (`None` for any other target,
/// or an object that is gone).
pub fn line(view: &View, target: &Target) -> Option<Line<'static>> {
    let design = view.session.design();
    let theme = view.theme;
    let header = |text: String, hint: &str| super::section_header(theme, text, hint);
    let name = |text: &str| {
        vec![
            Span::raw("  "),
            Span::styled(text.to_string(), theme.accent),
        ]
    };
    Some(match target {
        Target::Section(Section::Asgs) => header(
            format!("Application security groups ({})", design.asgs.len()),
            "NICs by role; rules name them",
        ),
        Target::Section(Section::RouteServers) => header(
            format!("Route Servers ({})", design.route_servers.len()),
            "BGP with NVAs",
        ),
        Target::Section(Section::NetworkGroups) => header(
            format!("Network groups ({})", design.network_groups.len()),
            "AVNM: VNets by name",
        ),
        Target::Section(Section::Connectivity) => header(
            format!(
                "Connectivity configurations ({})",
                design.connectivity.len()
            ),
            "AVNM: mesh, hub and spoke",
        ),
        Target::Asg(asg) => {
            design.asg(asg)?;
            let members: Vec<&str> = design
                .vms
                .iter()
                .filter(|vm| vm.nics.iter().any(|n| n.asgs.contains(asg)))
                .map(|vm| vm.name.as_str())
                .collect();
            let rules = design
                .nsgs
                .iter()
                .flat_map(|n| &n.rules)
                .filter(|r| r.source_asgs.contains(asg) || r.destination_asgs.contains(asg))
                .count();
            let mut spans = name(asg);
            let facts = match design.asg_vnets().get(asg.as_str()) {
                Some(vnet) => format!("  in {vnet}  members: {}", members.join(", ")),
                None => "  no members yet".to_string(),
            };
            spans.push(Span::styled(facts, theme.dim));
            spans.push(Span::raw(format!(
                "  named by {}",
                crate::words::count(rules, "rule", "rules")
            )));
            Line::from(spans)
        }
        Target::RouteServer(server) => {
            let rs = design.route_server(server)?;
            let mut spans = name(&rs.name);
            spans.push(Span::styled(format!("  in {}", rs.vnet), theme.dim));
            spans.push(Span::raw(format!(
                "  branch-to-branch {}  {}",
                if rs.branch_to_branch { "on" } else { "off" },
                crate::words::count(rs.peers.len(), "peer", "peers")
            )));
            if let Some(violation) = design.route_server_violations(rs).first() {
                spans.push(Span::styled(
                    format!("  Azure refuses it: {violation}"),
                    theme.error,
                ));
            }
            Line::from(spans)
        }
        Target::BgpPeer { server, peer } => {
            let rs = design.route_server(server)?;
            let p = rs.peers.iter().find(|p| p.name == *peer)?;
            let announces: Vec<String> = p.announces.iter().map(ToString::to_string).collect();
            let mut spans = vec![
                Span::raw(format!("    {}", p.name)),
                Span::styled(format!("  {} AS {}", p.ip, p.asn), theme.dim),
                Span::raw(format!(
                    "  announces {}",
                    if announces.is_empty() {
                        "nothing".to_string()
                    } else {
                        announces.join(", ")
                    }
                )),
            ];
            if let Some(problem) = design.bgp_peer_problem(rs, p) {
                spans.push(Span::styled(format!("  down: {problem}"), theme.warning));
            }
            Line::from(spans)
        }
        Target::NetworkGroup(group) => {
            let g = design.network_group(group)?;
            let mut spans = name(&g.name);
            spans.push(Span::styled(
                if g.members.is_empty() {
                    "  no members yet".to_string()
                } else {
                    format!("  members: {}", g.members.join(", "))
                },
                theme.dim,
            ));
            Line::from(spans)
        }
        Target::Connectivity(config) => {
            let c = design.connectivity_config(config)?;
            let groups: Vec<&str> = c.groups.iter().map(|g| g.group.as_str()).collect();
            let mut spans = name(&c.name);
            spans.push(Span::raw(match &c.topology {
                Topology::Mesh => "  mesh".to_string(),
                Topology::HubAndSpoke { hub } => format!("  hub and spoke, hub {hub}"),
            }));
            let mut facts = vec![if groups.is_empty() {
                "over no group".to_string()
            } else {
                format!("over {}", groups.join(", "))
            }];
            if c.groups.iter().any(|g| g.direct_connectivity) {
                facts.push("spokes directly connected".to_string());
            }
            if c.groups.iter().any(|g| g.use_hub_gateway) {
                facts.push("spokes use the hub's gateway".to_string());
            }
            if c.global || c.groups.iter().any(|g| g.global) {
                facts.push("global".to_string());
            }
            spans.push(Span::styled(format!("  {}", facts.join(", ")), theme.dim));
            Line::from(spans)
        }
        _ => return None,
    })
}
