//! The invariants every design satisfies once loaded or edited: unique names, references that
//! resolve, and addresses that sit where they claim. Breaking one is a [`ModelError`]; softer
//! problems (overlaps, Azure configuration rules) are diagnostics in `lint`, not errors here.

use super::{ConnectionRemote, Design, Vnet};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The kinds of named object in a design.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ObjectKind {
    /// A virtual network.
    Vnet,
    /// A subnet (named `vnet/subnet`).
    Subnet,
    /// A VM or appliance.
    Vm,
    /// A peering link.
    Peering,
    /// A network security group.
    Nsg,
    /// A route table.
    RouteTable,
    /// A virtual network gateway.
    Gateway,
    /// An on-premises site.
    Site,
    /// A gateway connection.
    Connection,
    /// An intent.
    Intent,
    /// A subscription entry.
    Subscription,
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ObjectKind::Vnet => "VNet",
            ObjectKind::Subnet => "subnet",
            ObjectKind::Vm => "VM",
            ObjectKind::Peering => "peering",
            ObjectKind::Nsg => "NSG",
            ObjectKind::RouteTable => "route table",
            ObjectKind::Gateway => "gateway",
            ObjectKind::Site => "site",
            ObjectKind::Connection => "connection",
            ObjectKind::Intent => "intent",
            ObjectKind::Subscription => "subscription",
        })
    }
}

/// A broken invariant: one sentence saying what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ModelError {
    /// The kind of the object at fault.
    pub kind: ObjectKind,
    /// Its name.
    pub subject: String,
    /// The sentence shown to the user.
    pub message: String,
    /// Text fragments that locate the fault in a design file, outermost first (the object's
    /// `name: "…"`, then the offending value); the loader turns them into line and column.
    pub anchors: Vec<String>,
}

impl ModelError {
    fn new(kind: ObjectKind, subject: &str, message: String, anchors: Vec<String>) -> Self {
        ModelError {
            kind,
            subject: subject.to_string(),
            message,
            anchors,
        }
    }
}

fn name_anchor(name: &str) -> String {
    format!("name: \"{name}\"")
}

fn quoted(value: &str) -> String {
    format!("\"{value}\"")
}

/// "did you mean" for an unknown name among `known`.
fn suggestion<'a>(wanted: &str, known: impl Iterator<Item = &'a str>) -> String {
    super::suggest::did_you_mean(wanted, known)
}

/// Hashed name lookups for one validation pass.
struct NameIndex<'a> {
    vnets: HashMap<&'a str, &'a Vnet>,
    nsgs: HashSet<&'a str>,
    route_tables: HashSet<&'a str>,
    gateways: HashSet<&'a str>,
    sites: HashSet<&'a str>,
}

impl<'a> NameIndex<'a> {
    fn new(design: &'a Design) -> Self {
        NameIndex {
            vnets: design.vnets.iter().map(|v| (v.name.as_str(), v)).collect(),
            nsgs: design.nsgs.iter().map(|n| n.name.as_str()).collect(),
            route_tables: design
                .route_tables
                .iter()
                .map(|r| r.name.as_str())
                .collect(),
            gateways: design.gateways.iter().map(|g| g.name.as_str()).collect(),
            sites: design.sites.iter().map(|s| s.name.as_str()).collect(),
        }
    }
}

impl Design {
    /// Every broken invariant, in file order. An empty list means the design is sound.
    ///
    /// ```
    /// use vnetlab::model::{Design, Peering};
    /// let mut d = Design::example_pair();
    /// assert!(d.validate().is_empty());
    /// d.peerings.push(Peering::new("a-to-c", "a", "c"));
    /// let errors = d.validate();
    /// assert_eq!(errors[0].message, "unknown reference `c` in peering `a-to-c`: there is no VNet `c`; known: a, b");
    /// ```
    pub fn validate(&self) -> Vec<ModelError> {
        let mut errors = Vec::new();
        // Name lookups are hashed once: every edit validates the whole design, and generated
        // designs have thousands of NICs.
        let index = NameIndex::new(self);
        self.check_names(&mut errors);
        self.check_vnets(&index, &mut errors);
        self.check_vms(&index, &mut errors);
        self.check_peerings(&index, &mut errors);
        self.check_gateways(&index, &mut errors);
        self.check_intents(&mut errors);
        errors
    }

    fn check_names(&self, errors: &mut Vec<ModelError>) {
        fn dupes<'a>(
            errors: &mut Vec<ModelError>,
            kind: ObjectKind,
            names: impl Iterator<Item = &'a str>,
            what: &str,
        ) {
            let mut seen = HashSet::new();
            for name in names {
                if name.trim().is_empty() {
                    errors.push(ModelError::new(
                        kind,
                        name,
                        format!("a {kind} has an empty name; give every {kind} a name"),
                        vec![name_anchor(name)],
                    ));
                } else if !seen.insert(name) {
                    errors.push(ModelError::new(
                        kind,
                        name,
                        format!("duplicate {what} name `{name}`; names must be unique, so rename one of them"),
                        // Point at the second occurrence: the anchor is found twice.
                        vec![name_anchor(name), name_anchor(name)],
                    ));
                }
            }
        }
        dupes(
            errors,
            ObjectKind::Vnet,
            self.vnets.iter().map(|v| v.name.as_str()),
            "VNet",
        );
        dupes(
            errors,
            ObjectKind::Vm,
            self.vms.iter().map(|v| v.name.as_str()),
            "VM",
        );
        dupes(
            errors,
            ObjectKind::Peering,
            self.peerings.iter().map(|p| p.name.as_str()),
            "peering",
        );
        dupes(
            errors,
            ObjectKind::Nsg,
            self.nsgs.iter().map(|n| n.name.as_str()),
            "NSG",
        );
        dupes(
            errors,
            ObjectKind::RouteTable,
            self.route_tables.iter().map(|r| r.name.as_str()),
            "route table",
        );
        dupes(
            errors,
            ObjectKind::Gateway,
            self.gateways.iter().map(|g| g.name.as_str()),
            "gateway",
        );
        dupes(
            errors,
            ObjectKind::Site,
            self.sites.iter().map(|s| s.name.as_str()),
            "site",
        );
        dupes(
            errors,
            ObjectKind::Connection,
            self.connections.iter().map(|c| c.name.as_str()),
            "connection",
        );
        dupes(
            errors,
            ObjectKind::Intent,
            self.intents.iter().map(|i| i.name.as_str()),
            "intent",
        );
        dupes(
            errors,
            ObjectKind::Subscription,
            self.subscriptions.iter().map(|s| s.name.as_str()),
            "subscription",
        );
        for vnet in &self.vnets {
            dupes(
                errors,
                ObjectKind::Subnet,
                vnet.subnets.iter().map(|s| s.name.as_str()),
                "subnet",
            );
        }
        for nsg in &self.nsgs {
            dupes(
                errors,
                ObjectKind::Nsg,
                nsg.rules.iter().map(|r| r.name.as_str()),
                "NSG rule",
            );
        }
        for table in &self.route_tables {
            dupes(
                errors,
                ObjectKind::RouteTable,
                table.routes.iter().map(|r| r.name.as_str()),
                "route",
            );
        }
        // Endpoint names (VMs, site hosts, P2S clients) share one namespace in the matrix.
        let vm_names: HashSet<&str> = self.vms.iter().map(|v| v.name.as_str()).collect();
        let mut hosts = HashSet::new();
        for site in &self.sites {
            for host in &site.hosts {
                if vm_names.contains(host.name.as_str()) || !hosts.insert(host.name.as_str()) {
                    errors.push(ModelError::new(
                        ObjectKind::Site,
                        &site.name,
                        format!(
                            "duplicate endpoint name `{}` (host of site `{}`); VMs and hosts share one set of names, so rename one",
                            host.name, site.name
                        ),
                        vec![name_anchor(&site.name), name_anchor(&host.name)],
                    ));
                }
            }
        }
        for gateway in self.gateways.iter().filter(|g| !g.client_pool.is_empty()) {
            let client = super::endpoint_names::p2s_client_name(&gateway.name);
            if vm_names.contains(client.as_str()) || hosts.contains(client.as_str()) {
                errors.push(ModelError::new(
                    ObjectKind::Gateway,
                    &gateway.name,
                    format!(
                        "endpoint name `{client}` (the point-to-site client of gateway `{}`) is already used by a VM or host; rename one",
                        gateway.name
                    ),
                    vec![name_anchor(&gateway.name)],
                ));
            }
        }
    }

    fn check_nsg_ref(
        &self,
        index: &NameIndex,
        errors: &mut Vec<ModelError>,
        kind: ObjectKind,
        owner: &str,
        owner_anchors: Vec<String>,
        nsg: &Option<String>,
    ) {
        if let Some(name) = nsg
            && !index.nsgs.contains(name.as_str())
        {
            let mut anchors = owner_anchors;
            anchors.push(quoted(name));
            errors.push(ModelError::new(
                kind,
                owner,
                format!(
                    "unknown reference `{name}` in {kind} `{owner}`: there is no NSG `{name}`{}",
                    suggestion(name, self.nsgs.iter().map(|n| n.name.as_str()))
                ),
                anchors,
            ));
        }
    }

    fn check_vnets(&self, index: &NameIndex, errors: &mut Vec<ModelError>) {
        for vnet in &self.vnets {
            if vnet.address_space.is_empty() {
                errors.push(ModelError::new(
                    ObjectKind::Vnet,
                    &vnet.name,
                    format!(
                        "VNet `{}` has no address space; add at least one CIDR such as `10.0.0.0/16`",
                        vnet.name
                    ),
                    vec![name_anchor(&vnet.name)],
                ));
            }
            for subnet in &vnet.subnets {
                let path = format!("{}/{}", vnet.name, subnet.name);
                self.check_nsg_ref(
                    index,
                    errors,
                    ObjectKind::Subnet,
                    &path,
                    vec![name_anchor(&vnet.name), name_anchor(&subnet.name)],
                    &subnet.nsg,
                );
                if let Some(name) = &subnet.route_table
                    && !index.route_tables.contains(name.as_str())
                {
                    errors.push(ModelError::new(
                        ObjectKind::Subnet,
                        &path,
                        format!(
                            "unknown reference `{name}` in subnet `{path}`: there is no route table `{name}`{}",
                            suggestion(name, self.route_tables.iter().map(|r| r.name.as_str()))
                        ),
                        vec![name_anchor(&vnet.name), name_anchor(&subnet.name), quoted(name)],
                    ));
                }
            }
        }
    }

    fn check_vms(&self, index: &NameIndex, errors: &mut Vec<ModelError>) {
        for vm in &self.vms {
            if vm.nics.is_empty() {
                errors.push(ModelError::new(
                    ObjectKind::Vm,
                    &vm.name,
                    format!(
                        "VM `{}` has no NIC; give it at least one NIC with a subnet and an IP",
                        vm.name
                    ),
                    vec![name_anchor(&vm.name)],
                ));
            }
            for nic in &vm.nics {
                let subnet_text = nic.subnet.to_string();
                let Some(vnet) = index.vnets.get(nic.subnet.vnet.as_str()) else {
                    errors.push(ModelError::new(
                        ObjectKind::Vm,
                        &vm.name,
                        format!(
                            "unknown reference `{subnet_text}` in VM `{}`: there is no VNet `{}`{}",
                            vm.name,
                            nic.subnet.vnet,
                            suggestion(
                                &nic.subnet.vnet,
                                self.vnets.iter().map(|v| v.name.as_str())
                            )
                        ),
                        vec![name_anchor(&vm.name), quoted(&subnet_text)],
                    ));
                    continue;
                };
                let Some(subnet) = vnet.subnet(&nic.subnet.subnet) else {
                    errors.push(ModelError::new(
                        ObjectKind::Vm,
                        &vm.name,
                        format!(
                            "unknown reference `{subnet_text}` in VM `{}`: VNet `{}` has no subnet `{}`{}",
                            vm.name,
                            vnet.name,
                            nic.subnet.subnet,
                            suggestion(&nic.subnet.subnet, vnet.subnets.iter().map(|s| s.name.as_str()))
                        ),
                        vec![name_anchor(&vm.name), quoted(&subnet_text)],
                    ));
                    continue;
                };
                if !subnet.contains(nic.ip) {
                    errors.push(ModelError::new(
                        ObjectKind::Vm,
                        &vm.name,
                        format!(
                            "IP {} of VM `{}` is outside its subnet `{subnet_text}` ({}); pick an address inside {}",
                            nic.ip, vm.name, subnet.prefix, subnet.prefix
                        ),
                        vec![name_anchor(&vm.name), quoted(&nic.ip.to_string())],
                    ));
                }
                self.check_nsg_ref(
                    index,
                    errors,
                    ObjectKind::Vm,
                    &vm.name,
                    vec![name_anchor(&vm.name)],
                    &nic.nsg,
                );
                if let Some(first) = vm.nics.first()
                    && first.subnet.vnet != nic.subnet.vnet
                {
                    errors.push(ModelError::new(
                        ObjectKind::Vm,
                        &vm.name,
                        format!(
                            "VM `{}` has NICs in VNets `{}` and `{}`; Azure requires all NICs of a VM in one VNet, so move the NIC or use another VM",
                            vm.name, first.subnet.vnet, nic.subnet.vnet
                        ),
                        vec![name_anchor(&vm.name), quoted(&subnet_text)],
                    ));
                }
            }
        }
    }

    fn unknown_vnet(&self, kind: ObjectKind, owner: &str, name: &str) -> ModelError {
        ModelError::new(
            kind,
            owner,
            format!(
                "unknown reference `{name}` in {kind} `{owner}`: there is no VNet `{name}`{}",
                suggestion(name, self.vnets.iter().map(|v| v.name.as_str()))
            ),
            vec![name_anchor(owner), quoted(name)],
        )
    }

    fn check_peerings(&self, index: &NameIndex, errors: &mut Vec<ModelError>) {
        let mut links_seen = HashSet::new();
        for p in &self.peerings {
            for end in [&p.local, &p.remote] {
                if !index.vnets.contains_key(end.as_str()) {
                    errors.push(self.unknown_vnet(ObjectKind::Peering, &p.name, end));
                }
            }
            if p.local == p.remote {
                errors.push(ModelError::new(
                    ObjectKind::Peering,
                    &p.name,
                    format!(
                        "peering `{}` links VNet `{}` to itself; point `remote` at another VNet",
                        p.name, p.local
                    ),
                    vec![name_anchor(&p.name)],
                ));
            }
            let sides = [(&p.local, &p.local_subnets), (&p.remote, &p.remote_subnets)];
            for (vnet_name, subnets) in sides {
                let Some(vnet) = index.vnets.get(vnet_name.as_str()) else {
                    continue;
                };
                for name in subnets.iter().filter(|name| vnet.subnet(name).is_none()) {
                    errors.push(ModelError::new(
                        ObjectKind::Peering,
                        &p.name,
                        format!(
                            "unknown reference `{name}` in peering `{}`: VNet `{vnet_name}` has no subnet `{name}`{}",
                            p.name,
                            suggestion(name, vnet.subnets.iter().map(|s| s.name.as_str()))
                        ),
                        vec![name_anchor(&p.name), quoted(name)],
                    ));
                }
            }
            // The first link of a pair is fine; every further one is the duplicate.
            if !links_seen.insert((p.local.as_str(), p.remote.as_str())) {
                errors.push(ModelError::new(
                    ObjectKind::Peering,
                    &p.name,
                    format!(
                        "peering `{}` duplicates another link from `{}` to `{}`; a VNet has one peering per remote VNet, so remove one",
                        p.name, p.local, p.remote
                    ),
                    vec![name_anchor(&p.name)],
                ));
            }
        }
    }

    fn check_gateways(&self, index: &NameIndex, errors: &mut Vec<ModelError>) {
        for gw in &self.gateways {
            if !index.vnets.contains_key(gw.vnet.as_str()) {
                errors.push(self.unknown_vnet(ObjectKind::Gateway, &gw.name, &gw.vnet));
            }
        }
        for site in &self.sites {
            for host in &site.hosts {
                if !site.prefixes.iter().any(|p| p.contains(&host.ip)) {
                    errors.push(ModelError::new(
                        ObjectKind::Site,
                        &site.name,
                        format!(
                            "host `{}` ({}) is outside the prefixes of site `{}`; add its range to the site or fix the IP",
                            host.name, host.ip, site.name
                        ),
                        vec![name_anchor(&site.name), quoted(&host.ip.to_string())],
                    ));
                }
            }
        }
        for conn in &self.connections {
            let known_gateways = || self.gateways.iter().map(|g| g.name.as_str());
            let mut missing_gateway = |name: &str| {
                if !index.gateways.contains(name) {
                    errors.push(ModelError::new(
                        ObjectKind::Connection,
                        &conn.name,
                        format!(
                            "unknown reference `{name}` in connection `{}`: there is no gateway `{name}`{}",
                            conn.name,
                            suggestion(name, known_gateways())
                        ),
                        vec![name_anchor(&conn.name), quoted(name)],
                    ));
                }
            };
            missing_gateway(&conn.gateway);
            match &conn.remote {
                ConnectionRemote::Gateway(other) => missing_gateway(other),
                ConnectionRemote::Site(site) if !index.sites.contains(site.as_str()) => errors.push(ModelError::new(
                    ObjectKind::Connection,
                    &conn.name,
                    format!(
                        "unknown reference `{site}` in connection `{}`: there is no site `{site}`{}",
                        conn.name,
                        suggestion(site, self.sites.iter().map(|s| s.name.as_str()))
                    ),
                    vec![name_anchor(&conn.name), quoted(site)],
                )),
                ConnectionRemote::Site(_) => {}
            }
        }
    }

    fn check_intents(&self, errors: &mut Vec<ModelError>) {
        if self.intents.is_empty() {
            return;
        }
        let endpoints = self.endpoints();
        let names: HashSet<&str> = endpoints.iter().map(|e| e.name.as_str()).collect();
        for intent in &self.intents {
            for end in [&intent.from, &intent.to] {
                if !names.contains(end.as_str()) {
                    errors.push(ModelError::new(
                        ObjectKind::Intent,
                        &intent.name,
                        format!(
                            "unknown reference `{end}` in intent `{}`: there is no VM, host or P2S client `{end}`{}",
                            intent.name,
                            suggestion(end, endpoints.iter().map(|e| e.name.as_str()))
                        ),
                        vec![name_anchor(&intent.name), quoted(end)],
                    ));
                }
            }
        }
    }
}
