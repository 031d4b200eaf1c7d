//! What the rules, routes and appliances of a generated design point at, resolved from
//! [`AddressSpec`]s and [`HopSpec`]s once the VMs, sites and gateways exist.

use super::build::{at, small};
use super::managed::asg_names;
use super::spec::{AddressSpec, ApplianceSpec, HopSpec, NsgRuleSpec, Pick, RouteTableSpec};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;
use vnetlab::model::{
    AddressMatch, Appliance, ApplianceRule, Design, NextHop, Nsg, NsgRule, Route, RouteTable,
    ServiceTag, Vm,
};

/// What rules and routes can point at, collected once the VMs, sites and gateways exist.
pub struct Targets {
    vm_ips: Vec<Ipv4Addr>,
    nic_ips: Vec<Ipv4Addr>,
    appliance_ips: Vec<Ipv4Addr>,
    spaces: Vec<Ipv4Net>,
    subnet_prefixes: Vec<Ipv4Net>,
    site_prefixes: Vec<Ipv4Net>,
    stray: Ipv4Addr,
    asgs: usize,
}

impl Targets {
    /// Collects the targets of a design.
    pub fn new(d: &Design) -> Self {
        let nic_ips = d
            .vms
            .iter()
            .flat_map(|v| v.nics.iter().map(|n| n.ip))
            .collect();
        Targets {
            vm_ips: d.vms.iter().filter_map(Vm::ip).collect(),
            nic_ips,
            // Every NIC of an appliance: a UDR may name an NVA's second NIC.
            appliance_ips: d
                .vms
                .iter()
                .filter(|v| v.appliance.is_some())
                .flat_map(|v| v.nics.iter().map(|n| n.ip))
                .collect(),
            spaces: d
                .vnets
                .iter()
                .flat_map(|v| v.address_space.iter().copied())
                .collect(),
            subnet_prefixes: d
                .vnets
                .iter()
                .flat_map(|v| v.subnets.iter().flat_map(|s| s.prefixes().copied()))
                .collect(),
            site_prefixes: d
                .sites
                .iter()
                .flat_map(|s| s.prefixes.iter().copied())
                .collect(),
            // Inside the first VNet's first subnet, owned by no NIC.
            stray: d.vnets.first().and_then(|v| v.subnets.first()).map_or(
                Ipv4Addr::new(10, 250, 0, 4),
                |s| {
                    let base = u32::from(s.prefix.network());
                    Ipv4Addr::from(base + 250)
                },
            ),
            asgs: d.asgs.len(),
        }
    }

    fn cidr(list: &[Ipv4Net], pick: &Pick) -> Option<Ipv4Net> {
        at(pick, list.len()).map(|i| list[i])
    }

    fn host(&self, pick: &Pick) -> Option<Ipv4Addr> {
        at(pick, self.vm_ips.len()).map(|i| self.vm_ips[i])
    }

    /// The address a spec points at in this design.
    pub fn address(&self, spec: &AddressSpec) -> AddressMatch {
        let cidr = match spec {
            AddressSpec::Any => None,
            AddressSpec::Tag(tag) => return AddressMatch::Tag(tag.clone()),
            AddressSpec::Fixed(net) => Some(*net),
            AddressSpec::VmHost(p) => self.host(p).map(Ipv4Net::from),
            AddressSpec::VmBlock(p, len) => self
                .host(p)
                .and_then(|ip| Ipv4Net::new(ip, *len).ok())
                .map(|n| n.trunc()),
            AddressSpec::VnetSpace(p) => Self::cidr(&self.spaces, p),
            AddressSpec::SubnetPrefix(p) => Self::cidr(&self.subnet_prefixes, p),
            AddressSpec::SitePrefix(p) => Self::cidr(&self.site_prefixes, p),
        };
        cidr.map_or(AddressMatch::Any, AddressMatch::Cidr)
    }

    /// A route's destination: rules' addresses, with `*` and tags mapped to fixed prefixes.
    pub fn prefix(&self, spec: &AddressSpec) -> Ipv4Net {
        let fixed = |text: &str| text.parse().expect("literal CIDR");
        match (spec, self.address(spec)) {
            (_, AddressMatch::Cidr(net)) => net,
            (AddressSpec::Tag(ServiceTag::VirtualNetwork), _) => self
                .spaces
                .first()
                .copied()
                .unwrap_or_else(|| fixed("10.0.0.0/8")),
            (AddressSpec::Tag(ServiceTag::Internet), _) => fixed("8.8.8.0/24"),
            (AddressSpec::Tag(ServiceTag::AzureLoadBalancer), _) => fixed("168.63.129.16/32"),
            _ => fixed("0.0.0.0/0"),
        }
    }

    /// The next hop a spec points at in this design.
    pub fn next_hop(&self, spec: &HopSpec) -> NextHop {
        let nic = |p: &Pick| at(p, self.nic_ips.len()).map(|i| self.nic_ips[i]);
        match spec {
            HopSpec::None => NextHop::None,
            HopSpec::Gateway => NextHop::VirtualNetworkGateway,
            HopSpec::VnetLocal => NextHop::VnetLocal,
            HopSpec::Internet => NextHop::Internet,
            HopSpec::Appliance(p) => NextHop::VirtualAppliance(
                at(p, self.appliance_ips.len())
                    .map(|i| self.appliance_ips[i])
                    .or_else(|| nic(p))
                    .unwrap_or(self.stray),
            ),
            HopSpec::Nic(p) => NextHop::VirtualAppliance(nic(p).unwrap_or(self.stray)),
            HopSpec::Stray => NextHop::VirtualAppliance(self.stray),
        }
    }

    /// An NSG whose rules point into this design (ASGs included); priorities follow the rules'
    /// order.
    pub fn nsg(&self, name: String, rules: &[NsgRuleSpec]) -> Nsg {
        let mut nsg = Nsg::new(name);
        for (r, rule) in rules.iter().enumerate() {
            let priority = 100 + 10 * u32::from(small(r));
            let mut built = NsgRule::new(
                format!("r{r}"),
                priority,
                rule.direction,
                rule.access,
                rule.protocol,
            );
            built.source = rule.source.iter().map(|a| self.address(a)).collect();
            built.destination = rule.destination.iter().map(|a| self.address(a)).collect();
            built.source_asgs = asg_names(rule.source_asg.as_ref(), self.asgs);
            built.destination_asgs = asg_names(rule.destination_asg.as_ref(), self.asgs);
            built.source_ports.clone_from(&rule.source_ports);
            built.destination_ports.clone_from(&rule.destination_ports);
            nsg.rules.push(built);
        }
        nsg
    }

    /// A route table whose routes point into this design.
    pub fn route_table(&self, name: String, spec: &RouteTableSpec) -> RouteTable {
        let mut table = RouteTable::new(name);
        table.propagate_gateway_routes = spec.propagate;
        table.routes = spec
            .routes
            .iter()
            .enumerate()
            .map(|(r, route)| Route {
                name: format!("u{r}"),
                prefix: self.prefix(&route.prefix),
                next_hop: self.next_hop(&route.next_hop),
            })
            .collect();
        table
    }

    /// An appliance whose rules point into this design.
    pub fn appliance(&self, spec: &ApplianceSpec) -> Appliance {
        Appliance {
            kind: spec.kind,
            stateful: spec.stateful,
            rules: spec
                .rules
                .iter()
                .enumerate()
                .map(|(r, rule)| ApplianceRule {
                    name: format!("a{r}"),
                    action: rule.action,
                    source: self.address(&rule.source),
                    destination: self.address(&rule.destination),
                    protocol: rule.protocol,
                    ports: rule.ports,
                })
                .collect(),
        }
    }
}
