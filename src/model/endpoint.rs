//! Endpoints of the reachability matrix: every VM, every on-premises host, and one
//! point-to-site client per gateway that has a client pool.

use super::Design;
use serde::Serialize;
use std::net::Ipv4Addr;

/// What an endpoint is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointKind {
    /// A VM (its primary NIC).
    Vm,
    /// A host at an on-premises site.
    SiteHost,
    /// A point-to-site VPN client of a gateway.
    P2sClient,
}

/// One endpoint: a name, an address, and where it sits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// Unique endpoint name.
    pub name: String,
    /// VM, site host or P2S client.
    pub kind: EndpointKind,
    /// The address traffic is sent from and to.
    pub ip: Ipv4Addr,
    /// VNet of a VM; `None` for hosts and P2S clients.
    pub vnet: Option<String>,
    /// Subnet of a VM; `None` for hosts and P2S clients.
    pub subnet: Option<String>,
    /// The site of a host, or the gateway of a P2S client.
    pub attached_to: Option<String>,
}

/// The group an endpoint belongs to when a matrix is folded by place: its VNet (a VM), its
/// on-premises site (a host), or the point-to-site clients of its gateway. One label for every
/// grouped view (the TUI's matrix, `vnetlab reach`, explanations).
///
/// ```
/// use vnetlab::model::{Design, EndpointGroup};
/// let endpoints = Design::example_pair().endpoints();
/// assert_eq!(endpoints[0].group(), EndpointGroup::Vnet("a".into()));
/// assert_eq!(EndpointGroup::P2sClients("vpngw".into()).to_string(), "P2S clients of vpngw");
/// assert_eq!(EndpointGroup::Site("hq".into()).to_string(), "site hq");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "name")]
pub enum EndpointGroup {
    /// The VMs of a VNet (the VNet's name).
    Vnet(String),
    /// The hosts of an on-premises site (the site's name).
    Site(String),
    /// The point-to-site clients of a gateway (the gateway's name).
    P2sClients(String),
    /// An endpoint whose place is not recorded (only a hand-built [`Endpoint`] lacks it): a
    /// group of its own, under its own name.
    Alone(String),
}

impl std::fmt::Display for EndpointGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EndpointGroup::Vnet(name) | EndpointGroup::Alone(name) => f.write_str(name),
            EndpointGroup::Site(site) => write!(f, "site {site}"),
            EndpointGroup::P2sClients(gateway) => write!(f, "P2S clients of {gateway}"),
        }
    }
}

impl Endpoint {
    /// The group this endpoint belongs to in grouped views.
    pub fn group(&self) -> EndpointGroup {
        let place = match self.kind {
            EndpointKind::Vm => self.vnet.clone().map(EndpointGroup::Vnet),
            EndpointKind::SiteHost => self.attached_to.clone().map(EndpointGroup::Site),
            EndpointKind::P2sClient => self.attached_to.clone().map(EndpointGroup::P2sClients),
        };
        place.unwrap_or_else(|| EndpointGroup::Alone(self.name.clone()))
    }
}

impl Design {
    /// Every endpoint, in design order: VMs, then site hosts, then P2S clients.
    ///
    /// ```
    /// use vnetlab::model::Design;
    /// let names: Vec<_> = Design::example_pair().endpoints().into_iter().map(|e| e.name).collect();
    /// assert_eq!(names, ["vm-a", "vm-b"]);
    /// ```
    pub fn endpoints(&self) -> Vec<Endpoint> {
        let vms = self.vms.iter().filter_map(|vm| {
            let nic = vm.primary()?;
            Some(Endpoint {
                name: vm.name.clone(),
                kind: EndpointKind::Vm,
                ip: nic.ip,
                vnet: Some(nic.subnet.vnet.clone()),
                subnet: Some(nic.subnet.subnet.clone()),
                attached_to: None,
            })
        });
        let hosts = self.sites.iter().flat_map(|site| {
            site.hosts.iter().map(move |h| Endpoint {
                name: h.name.clone(),
                kind: EndpointKind::SiteHost,
                ip: h.ip,
                vnet: None,
                subnet: None,
                attached_to: Some(site.name.clone()),
            })
        });
        let clients = self.gateways.iter().filter_map(|gw| {
            let pool = gw.client_pool.first()?;
            Some(Endpoint {
                name: p2s_client_name(&gw.name),
                kind: EndpointKind::P2sClient,
                ip: p2s_client_ip(pool),
                vnet: None,
                subnet: None,
                attached_to: Some(gw.name.clone()),
            })
        });
        vms.chain(hosts).chain(clients).collect()
    }
}

/// The endpoint name of a gateway's point-to-site client.
pub fn p2s_client_name(gateway: &str) -> String {
    format!("{gateway}-p2s-client")
}

/// The address a gateway's representative P2S client gets: the pool's first usable address.
pub fn p2s_client_ip(pool: &ipnet::Ipv4Net) -> Ipv4Addr {
    pool.hosts().next().unwrap_or(pool.network())
}
