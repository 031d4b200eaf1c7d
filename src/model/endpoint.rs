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

/// An endpoint as the design holds it, borrowed: what [`Design::endpoints`] copies, and what
/// [`Design::lists_endpoints`] compares without copying.
struct EndpointRef<'a> {
    /// The endpoint's own name, or the gateway whose P2S client it is.
    name: NameRef<'a>,
    kind: EndpointKind,
    ip: Ipv4Addr,
    vnet: Option<&'a str>,
    subnet: Option<&'a str>,
    attached_to: Option<&'a str>,
}

/// An endpoint's name as the design holds it.
enum NameRef<'a> {
    Own(&'a str),
    /// The P2S client of this gateway ([`p2s_client_name`]).
    P2sClientOf(&'a str),
}

impl NameRef<'_> {
    fn to_owned(&self) -> String {
        match self {
            NameRef::Own(name) => (*name).to_string(),
            NameRef::P2sClientOf(gateway) => p2s_client_name(gateway),
        }
    }

    /// Whether `name` is this name (without building a P2S client's).
    fn is(&self, name: &str) -> bool {
        match self {
            NameRef::Own(own) => *own == name,
            NameRef::P2sClientOf(gateway) => name
                .strip_suffix(P2S_CLIENT_SUFFIX)
                .is_some_and(|g| g == *gateway),
        }
    }
}

impl EndpointRef<'_> {
    fn to_owned(&self) -> Endpoint {
        Endpoint {
            name: self.name.to_owned(),
            kind: self.kind.clone(),
            ip: self.ip,
            vnet: self.vnet.map(str::to_string),
            subnet: self.subnet.map(str::to_string),
            attached_to: self.attached_to.map(str::to_string),
        }
    }

    /// Whether `endpoint` is this endpoint, field by field.
    fn is(&self, endpoint: &Endpoint) -> bool {
        self.name.is(&endpoint.name)
            && self.kind == endpoint.kind
            && self.ip == endpoint.ip
            && self.vnet == endpoint.vnet.as_deref()
            && self.subnet == endpoint.subnet.as_deref()
            && self.attached_to == endpoint.attached_to.as_deref()
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
        self.endpoint_refs().map(|e| e.to_owned()).collect()
    }

    /// Whether `endpoints` is exactly what [`Design::endpoints`] would list, compared without
    /// copying a name: an edit that keeps every endpoint lets the engine keep the list it had
    /// (at 10,000 VMs, 30,000 strings fewer per edit).
    ///
    /// ```
    /// use vnetlab::model::Design;
    /// let mut design = Design::example_pair();
    /// let endpoints = design.endpoints();
    /// assert!(design.lists_endpoints(&endpoints));
    /// design.vms[0].name = "renamed".into();
    /// assert!(!design.lists_endpoints(&endpoints));
    /// ```
    pub fn lists_endpoints(&self, endpoints: &[Endpoint]) -> bool {
        let mut listed = endpoints.iter();
        self.endpoint_refs()
            .all(|e| listed.next().is_some_and(|endpoint| e.is(endpoint)))
            && listed.next().is_none()
    }

    /// Every endpoint, borrowed, in the order [`Design::endpoints`] lists them.
    fn endpoint_refs(&self) -> impl Iterator<Item = EndpointRef<'_>> {
        let vms = self.vms.iter().filter_map(|vm| {
            let nic = vm.primary()?;
            Some(EndpointRef {
                name: NameRef::Own(&vm.name),
                kind: EndpointKind::Vm,
                ip: nic.ip,
                vnet: Some(&nic.subnet.vnet),
                subnet: Some(&nic.subnet.subnet),
                attached_to: None,
            })
        });
        let hosts = self.sites.iter().flat_map(|site| {
            site.hosts.iter().map(move |h| EndpointRef {
                name: NameRef::Own(&h.name),
                kind: EndpointKind::SiteHost,
                ip: h.ip,
                vnet: None,
                subnet: None,
                attached_to: Some(&site.name),
            })
        });
        let clients = self.gateways.iter().filter_map(|gw| {
            let pool = gw.client_pool.first()?;
            Some(EndpointRef {
                name: NameRef::P2sClientOf(&gw.name),
                kind: EndpointKind::P2sClient,
                ip: p2s_client_ip(pool),
                vnet: None,
                subnet: None,
                attached_to: Some(&gw.name),
            })
        });
        vms.chain(hosts).chain(clients)
    }
}

/// What a gateway's name is followed by in its P2S client's endpoint name.
const P2S_CLIENT_SUFFIX: &str = "-p2s-client";

/// The endpoint name of a gateway's point-to-site client.
pub fn p2s_client_name(gateway: &str) -> String {
    format!("{gateway}{P2S_CLIENT_SUFFIX}")
}

/// The address a gateway's representative P2S client gets: the pool's first usable address.
pub fn p2s_client_ip(pool: &ipnet::Ipv4Net) -> Ipv4Addr {
    pool.hosts().next().unwrap_or(pool.network())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::{HubSpokeParams, hub_spoke};

    /// A hub (with a VPN gateway, its P2S clients and an on-premises site's hosts) and spokes.
    fn design() -> Design {
        hub_spoke(&HubSpokeParams {
            hubs: 1,
            spokes: 2,
            subnets_per_spoke: 1,
            vms_per_subnet: 1,
        })
        .expect("valid counts")
    }

    #[test]
    fn a_design_lists_its_own_endpoints_of_every_kind() {
        let design = design();
        let endpoints = design.endpoints();
        for kind in [
            EndpointKind::Vm,
            EndpointKind::SiteHost,
            EndpointKind::P2sClient,
        ] {
            assert!(endpoints.iter().any(|e| e.kind == kind), "{kind:?}");
        }
        assert!(design.lists_endpoints(&endpoints));
        // An edit no endpoint reads keeps the list.
        let mut flagged = design.clone();
        flagged.peerings[0].allow_forwarded_traffic = !flagged.peerings[0].allow_forwarded_traffic;
        assert!(flagged.lists_endpoints(&endpoints));
    }

    #[test]
    fn any_change_to_an_endpoint_or_the_list_length_is_seen() {
        let design = design();
        let endpoints = design.endpoints();
        let mut changes: Vec<(&str, Design)> = Vec::new();
        let mut d = design.clone();
        d.gateways[0].name.push('2');
        changes.push(("gateway renamed (its P2S client's name)", d));
        let mut d = design.clone();
        d.gateways[0].client_pool[0] = "172.31.254.0/24".parse().expect("a prefix");
        changes.push(("P2S pool moved", d));
        let mut d = design.clone();
        d.sites[0].hosts[0].name.push('x');
        changes.push(("host renamed", d));
        let mut d = design.clone();
        d.sites[0].hosts[0].ip = Ipv4Addr::new(192, 0, 2, 200);
        changes.push(("host readdressed", d));
        let mut d = design.clone();
        d.sites[0].name.push('x');
        changes.push(("site renamed", d));
        let mut d = design.clone();
        d.vms[0].nics[0].subnet.subnet.push('x');
        changes.push(("VM moved to another subnet", d));
        let mut d = design.clone();
        d.vms[0].nics[0].ip = Ipv4Addr::new(10, 255, 255, 254);
        changes.push(("VM readdressed", d));
        let mut d = design.clone();
        d.vms.pop();
        changes.push(("VM removed", d));
        let mut d = design.clone();
        d.vms.swap(0, 1);
        changes.push(("VMs reordered", d));
        for (what, changed) in &changes {
            assert!(!changed.lists_endpoints(&endpoints), "{what}");
            assert!(changed.lists_endpoints(&changed.endpoints()), "{what}");
        }
        // A list one endpoint short or long is not the design's.
        assert!(!design.lists_endpoints(&endpoints[1..]));
        let mut longer = endpoints.clone();
        longer.push(endpoints[0].clone());
        assert!(!design.lists_endpoints(&longer));
    }
}
