//! What a design exercises, by name, so that vacuity guards can count over a fixed sample that
//! the generators still produce every feature the properties claim to cover. Each feature is
//! read from the built `Design` (not from the spec), so it counts what really arrived.

use vnetlab::model::{
    AddressMatch, ApplianceKind, Assumptions, Cloud, ConnectionRemote, DeploymentModel, Design,
    ForwardedTraffic, GatewayKind, GatewaySku, GovGlobalPeering, NextHop, PeeringState,
    PeeringViolation, PortRange, Protocol, ServiceTag, SyncLevel, Topology, VnetAccessMode,
    VpnType,
};

/// A named predicate over designs.
pub type Feature = (&'static str, fn(&Design) -> bool);

fn rules(d: &Design) -> impl Iterator<Item = &vnetlab::model::NsgRule> {
    d.nsgs.iter().flat_map(|n| n.rules.iter())
}

fn rule_addresses(d: &Design) -> impl Iterator<Item = &AddressMatch> {
    rules(d).flat_map(|r| r.source.iter().chain(r.destination.iter()))
}

fn appliance_rules(d: &Design) -> impl Iterator<Item = &vnetlab::model::ApplianceRule> {
    d.vms
        .iter()
        .filter_map(|v| v.appliance.as_ref())
        .flat_map(|a| a.rules.iter())
}

fn next_hops(d: &Design) -> impl Iterator<Item = NextHop> + '_ {
    d.route_tables
        .iter()
        .flat_map(|t| t.routes.iter().map(|r| r.next_hop))
}

fn has_tag(d: &Design, tag: &ServiceTag) -> bool {
    rule_addresses(d).any(|a| a == &AddressMatch::Tag(tag.clone()))
}

fn violation(d: &Design, wanted: fn(&PeeringViolation) -> bool) -> bool {
    d.peerings
        .iter()
        .any(|p| d.peering_violations(p).iter().any(wanted))
}

fn assumption(d: &Design, differs: fn(&Assumptions, &Assumptions) -> bool) -> bool {
    differs(&d.assumptions, &Assumptions::default())
}

/// Every feature the design generator is meant to produce.
pub const FEATURES: &[Feature] = &[
    ("several VNets", |d| d.vnets.len() > 1),
    ("multi-prefix VNet space", |d| {
        d.vnets.iter().any(|v| v.address_space.len() > 1)
    }),
    ("subnet with extra prefixes", |d| {
        d.vnets
            .iter()
            .any(|v| v.subnets.iter().any(|s| !s.extra_prefixes.is_empty()))
    }),
    ("classic VNet", |d| {
        d.vnets
            .iter()
            .any(|v| v.deployment == DeploymentModel::Classic)
    }),
    ("Government region", |d| {
        d.vnets
            .iter()
            .any(|v| v.region.cloud() == Cloud::UsGovernment)
    }),
    ("China region", |d| {
        d.vnets.iter().any(|v| v.region.cloud() == Cloud::China)
    }),
    ("VNet in a subscription", |d| {
        d.vnets.iter().any(|v| !v.subscription.is_empty())
    }),
    ("several VMs in one subnet", |d| {
        d.vms.iter().enumerate().any(|(i, a)| {
            d.vms[..i].iter().any(|b| {
                a.vnet().is_some()
                    && a.primary().map(|n| &n.subnet) == b.primary().map(|n| &n.subnet)
            })
        })
    }),
    ("secondary NIC", |d| d.vms.iter().any(|v| v.nics.len() > 1)),
    ("NIC NSG", |d| {
        d.vms.iter().any(|v| v.nics.iter().any(|n| n.nsg.is_some()))
    }),
    ("NVA", |d| {
        d.vms.iter().any(|v| {
            v.appliance
                .as_ref()
                .is_some_and(|a| a.kind == ApplianceKind::Nva)
        })
    }),
    ("firewall", |d| {
        d.vms.iter().any(|v| {
            v.appliance
                .as_ref()
                .is_some_and(|a| a.kind == ApplianceKind::Firewall)
        })
    }),
    ("stateful appliance", |d| {
        d.vms
            .iter()
            .any(|v| v.appliance.as_ref().is_some_and(|a| a.stateful))
    }),
    ("appliance without IP forwarding", |d| {
        d.vms
            .iter()
            .any(|v| v.appliance.is_some() && v.primary().is_some_and(|n| !n.ip_forwarding))
    }),
    ("workload with IP forwarding", |d| {
        d.vms
            .iter()
            .any(|v| v.appliance.is_none() && v.nics.iter().any(|n| n.ip_forwarding))
    }),
    ("appliance rule on ports", |d| {
        appliance_rules(d).any(|r| r.ports != PortRange::ALL)
    }),
    ("appliance rule on a protocol", |d| {
        appliance_rules(d).any(|r| r.protocol != Protocol::Any)
    }),
    ("appliance rule on a source", |d| {
        appliance_rules(d).any(|r| r.source != AddressMatch::Any)
    }),
    ("appliance rule with a tag", |d| {
        appliance_rules(d).any(|r| {
            matches!(r.source, AddressMatch::Tag(_))
                || matches!(r.destination, AddressMatch::Tag(_))
        })
    }),
    ("connected peering", |d| {
        d.peerings
            .iter()
            .any(|p| d.peering_state(p) == PeeringState::Connected)
    }),
    ("one-sided peering", |d| {
        d.peerings
            .iter()
            .any(|p| d.peering_state(p) == PeeringState::Initiated)
    }),
    ("disconnected peering", |d| {
        d.peerings.iter().any(|p| p.disconnected)
    }),
    ("unsynced snapshot", |d| {
        d.peerings
            .iter()
            .any(|p| d.sync_level(p) != SyncLevel::FullyInSync)
    }),
    ("subnet-level peering", |d| {
        d.peerings
            .iter()
            .any(vnetlab::model::Peering::is_subnet_peering)
    }),
    ("peering without VNet access", |d| {
        d.peerings.iter().any(|p| !p.allow_virtual_network_access)
    }),
    ("peering allowing forwarded traffic", |d| {
        d.peerings.iter().any(|p| p.allow_forwarded_traffic)
    }),
    ("effective gateway transit", |d| {
        d.peerings
            .iter()
            .any(|p| d.uses_remote_gateway_effectively(p))
    }),
    ("overlapping peered VNets", |d| {
        violation(d, |v| matches!(v, PeeringViolation::Overlap(..)))
    }),
    ("cross-cloud peering", |d| {
        violation(d, |v| matches!(v, PeeringViolation::CrossCloud(..)))
    }),
    ("several gateways", |d| d.gateways.len() > 1),
    ("ExpressRoute gateway", |d| {
        d.gateways
            .iter()
            .any(|g| g.kind == GatewayKind::ExpressRoute)
    }),
    ("BGP gateway", |d| d.gateways.iter().any(|g| g.bgp)),
    ("policy-based gateway", |d| {
        d.gateways
            .iter()
            .any(|g| g.vpn_type == VpnType::PolicyBased)
    }),
    ("Basic gateway", |d| {
        d.gateways.iter().any(|g| g.sku == GatewaySku::Basic)
    }),
    ("point-to-site pool", |d| {
        d.gateways.iter().any(|g| !g.client_pool.is_empty())
    }),
    ("route table on GatewaySubnet", |d| {
        d.vnets.iter().any(|v| {
            v.subnets
                .iter()
                .any(|s| s.is_gateway_subnet() && s.route_table.is_some())
        })
    }),
    ("several sites", |d| d.sites.len() > 1),
    ("BGP site", |d| d.sites.iter().any(|s| s.bgp)),
    ("site overlapping Azure", |d| {
        d.sites.iter().any(|s| s.prefixes.len() > 1)
    }),
    ("site-to-site connection", |d| {
        d.connections
            .iter()
            .any(|c| matches!(c.remote, ConnectionRemote::Site(_)))
    }),
    ("VNet-to-VNet connection", |d| {
        d.connections
            .iter()
            .any(|c| matches!(c.remote, ConnectionRemote::Gateway(_)))
    }),
    ("BGP connection", |d| d.connections.iter().any(|c| c.bgp)),
    ("VNet-to-VNet connection with BGP", |d| {
        d.connections
            .iter()
            .any(|c| c.bgp && matches!(c.remote, ConnectionRemote::Gateway(_)))
    }),
    ("VNet-to-VNet connection without BGP", |d| {
        d.connections
            .iter()
            .any(|c| !c.bgp && matches!(c.remote, ConnectionRemote::Gateway(_)))
    }),
    ("NIC in an ASG", |d| {
        d.vms
            .iter()
            .any(|v| v.nics.iter().any(|n| !n.asgs.is_empty()))
    }),
    ("NSG rule naming an ASG as source", |d| {
        rules(d).any(|r| !r.source_asgs.is_empty())
    }),
    ("NSG rule naming an ASG as destination", |d| {
        rules(d).any(|r| !r.destination_asgs.is_empty())
    }),
    ("NSG rule naming several ASGs on one end", |d| {
        rules(d).any(|r| r.source_asgs.len() > 1 || r.destination_asgs.len() > 1)
    }),
    ("Route Server Azure accepts", |d| {
        d.route_servers.iter().any(|r| d.route_server_is_valid(r))
    }),
    ("Route Server Azure refuses", |d| {
        d.route_servers.iter().any(|r| !d.route_server_is_valid(r))
    }),
    ("Route Server peer that comes up", |d| {
        d.route_servers.iter().any(|r| {
            d.route_server_is_valid(r)
                && r.peers
                    .iter()
                    .any(|p| !p.announces.is_empty() && d.bgp_peer_problem(r, p).is_none())
        })
    }),
    ("Route Server peer that stays down", |d| {
        d.route_servers
            .iter()
            .any(|r| r.peers.iter().any(|p| d.bgp_peer_problem(r, p).is_some()))
    }),
    ("Route Server with branch-to-branch", |d| {
        d.route_servers.iter().any(|r| r.branch_to_branch)
    }),
    ("mesh connected group", |d| {
        d.connectivity
            .iter()
            .any(|c| c.topology == Topology::Mesh && !c.groups.is_empty())
    }),
    ("global mesh", |d| {
        d.connectivity
            .iter()
            .any(|c| c.topology == Topology::Mesh && c.global)
    }),
    ("AVNM hub-and-spoke", |d| {
        d.connectivity
            .iter()
            .any(|c| matches!(c.topology, Topology::HubAndSpoke { .. }) && !c.groups.is_empty())
    }),
    ("AVNM direct connectivity", |d| {
        d.connectivity
            .iter()
            .any(|c| c.groups.iter().any(|g| g.direct_connectivity))
    }),
    ("AVNM use hub as a gateway", |d| {
        d.connectivity
            .iter()
            .any(|c| c.groups.iter().any(|g| g.use_hub_gateway))
    }),
    ("AVNM-derived peering", |d| {
        d.derived_peerings()
            .iter()
            .any(|p| matches!(p.derived, Some(vnetlab::model::Derived::Avnm { .. })))
    }),
    ("connected group of two or more VNets", |d| {
        d.connected_groups().iter().any(|g| g.members.len() > 1)
    }),
    ("tag VirtualNetwork", |d| {
        has_tag(d, &ServiceTag::VirtualNetwork)
    }),
    ("tag Internet", |d| has_tag(d, &ServiceTag::Internet)),
    ("tag AzureLoadBalancer", |d| {
        has_tag(d, &ServiceTag::AzureLoadBalancer)
    }),
    ("another service tag", |d| {
        rule_addresses(d).any(|a| matches!(a, AddressMatch::Tag(ServiceTag::Other(_))))
    }),
    ("NSG rule naming one address", |d| {
        rule_addresses(d).any(|a| matches!(a, AddressMatch::Cidr(n) if n.prefix_len() == 32))
    }),
    ("NSG rule naming part of a subnet", |d| {
        rule_addresses(d)
            .any(|a| matches!(a, AddressMatch::Cidr(n) if (27..=30).contains(&n.prefix_len())))
    }),
    ("NSG rule on source ports", |d| {
        rules(d).any(|r| r.source_ports.as_slice() != [PortRange::ALL])
    }),
    ("NSG rule on destination ports", |d| {
        rules(d).any(|r| r.destination_ports.as_slice() != [PortRange::ALL])
    }),
    ("NSG rule for ESP or AH", |d| {
        rules(d).any(|r| matches!(r.protocol, Protocol::Esp | Protocol::Ah))
    }),
    ("next hop VirtualAppliance", |d| {
        next_hops(d).any(|h| matches!(h, NextHop::VirtualAppliance(_)))
    }),
    ("next hop to a secondary NIC", |d| {
        next_hops(d).any(|h| {
            d.vms.iter().any(|v| {
                v.nics
                    .iter()
                    .skip(1)
                    .any(|n| h == NextHop::VirtualAppliance(n.ip))
            })
        })
    }),
    ("next hop VirtualNetworkGateway", |d| {
        next_hops(d).any(|h| h == NextHop::VirtualNetworkGateway)
    }),
    ("next hop VnetLocal", |d| {
        next_hops(d).any(|h| h == NextHop::VnetLocal)
    }),
    ("next hop Internet", |d| {
        next_hops(d).any(|h| h == NextHop::Internet)
    }),
    ("next hop None", |d| {
        next_hops(d).any(|h| h == NextHop::None)
    }),
    ("gateway route propagation off", |d| {
        d.route_tables.iter().any(|t| !t.propagate_gateway_routes)
    }),
    ("intent", |d| !d.intents.is_empty()),
    ("assumption vnet_access_disabled TagOnly", |d| {
        d.assumptions.vnet_access_disabled == VnetAccessMode::TagOnly
    }),
    ("assumption forwarded_traffic Ignore", |d| {
        d.assumptions.forwarded_traffic == ForwardedTraffic::Ignore
    }),
    ("assumption gateway hops not exempt", |d| {
        assumption(d, |a, default| {
            a.gateway_hops_exempt_from_forwarding_check
                != default.gateway_hops_exempt_from_forwarding_check
        })
    }),
    ("assumption VNet tag does not widen", |d| {
        assumption(d, |a, default| {
            a.vnet_tag_widens_with_default_route != default.vnet_tag_widens_with_default_route
        })
    }),
    ("assumption Government global peering allowed", |d| {
        d.assumptions.gov_global_peering == GovGlobalPeering::Allowed
    }),
];

/// The features of [`FEATURES`] this design has.
pub fn features(design: &Design) -> Vec<&'static str> {
    FEATURES
        .iter()
        .filter(|(_, has)| has(design))
        .map(|(name, _)| *name)
        .collect()
}
