//! The invariants every design satisfies once loaded or edited: unique names, references that
//! resolve, and addresses that sit where they claim. Breaking one is a [`ModelError`]; softer
//! problems (overlaps, Azure configuration rules) are diagnostics in `lint`, not errors here.

use super::error::{NameOf, UnknownReference};
use super::suggest::Suggestion;
use super::{Design, Endpoint, Holder, ModelError, ObjectKind, RefKind, Reference, Subnet, Vnet};
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};

/// Hashed name lookups for one validation pass.
struct NameIndex<'a> {
    vnets: FxHashMap<&'a str, &'a Vnet>,
    /// The first subnet of each name in each VNet of `vnets`: a VNet may have thousands.
    subnets: FxHashMap<(&'a str, &'a str), &'a Subnet>,
    nsgs: FxHashSet<&'a str>,
    route_tables: FxHashSet<&'a str>,
    gateways: FxHashSet<&'a str>,
    sites: FxHashSet<&'a str>,
    asgs: FxHashSet<&'a str>,
    network_groups: FxHashSet<&'a str>,
    /// Endpoint names, computed only when some intent needs them.
    endpoints: FxHashSet<String>,
}

impl<'a> NameIndex<'a> {
    fn new(design: &'a Design) -> Self {
        let vnets: FxHashMap<&str, &Vnet> =
            design.vnets.iter().map(|v| (v.name.as_str(), v)).collect();
        let subnet_count = design.vnets.iter().map(|v| v.subnets.len()).sum();
        let mut subnets = FxHashMap::with_capacity_and_hasher(subnet_count, FxBuildHasher);
        for (name, vnet) in &vnets {
            for subnet in &vnet.subnets {
                subnets
                    .entry((*name, subnet.name.as_str()))
                    .or_insert(subnet);
            }
        }
        NameIndex {
            vnets,
            subnets,
            nsgs: design.nsgs.iter().map(|n| n.name.as_str()).collect(),
            route_tables: design
                .route_tables
                .iter()
                .map(|r| r.name.as_str())
                .collect(),
            gateways: design.gateways.iter().map(|g| g.name.as_str()).collect(),
            sites: design.sites.iter().map(|s| s.name.as_str()).collect(),
            asgs: design.asgs.iter().map(|a| a.name.as_str()).collect(),
            network_groups: design
                .network_groups
                .iter()
                .map(|g| g.name.as_str())
                .collect(),
            endpoints: if design.intents.is_empty() {
                FxHashSet::default()
            } else {
                design.endpoints().into_iter().map(|e| e.name).collect()
            },
        }
    }
}

impl Design {
    /// Every broken invariant, in file order. An empty list means the design is sound.
    ///
    /// Limits come first ([`Design::limit_errors`]): a design that breaks one gets only those
    /// errors, because the other checks would quote its oversized values and compare them.
    ///
    /// ```
    /// use vnetlab::model::{Design, Peering};
    /// let mut d = Design::example_pair();
    /// assert!(d.validate().is_empty());
    /// d.peerings.push(Peering::new("a-to-c", "a", "c"));
    /// let errors = d.validate();
    /// assert_eq!(errors[0].to_string(), "unknown reference `c` in peering `a-to-c`: there is no VNet `c`; known: a, b");
    /// ```
    pub fn validate(&self) -> Vec<ModelError> {
        let limits = self.limit_errors();
        if !limits.is_empty() {
            return limits
                .into_iter()
                .map(|e| ModelError::Limit(Box::new(e)))
                .collect();
        }
        let mut errors = Vec::new();
        // Name lookups are hashed once: every edit validates the whole design, and generated
        // designs have thousands of NICs.
        let index = NameIndex::new(self);
        self.check_names(&mut errors);
        self.check_vnets(&index, &mut errors);
        self.check_vms(&index, &mut errors);
        self.check_nsg_ports(&mut errors);
        self.check_peerings(&index, &mut errors);
        self.check_gateways(&index, &mut errors);
        self.check_intents(&index, &mut errors);
        self.check_newer_objects(&index, &mut errors);
        errors
    }

    fn check_names(&self, errors: &mut Vec<ModelError>) {
        /// `what` is called only to report an error: most lists are fine, and there is one
        /// list of subnets, rules or routes per VNet, NSG or table.
        fn dupes<'a>(
            errors: &mut Vec<ModelError>,
            what: impl Fn() -> NameOf,
            names: impl ExactSizeIterator<Item = &'a str>,
        ) {
            // Short lists (most subnets, rules and routes) are compared pairwise on the
            // stack instead of hashed.
            const SHORT: usize = 16;
            let mut short: [&str; SHORT] = [""; SHORT];
            let mut seen = FxHashSet::default();
            let hashed = names.len() > SHORT;
            if hashed {
                seen.reserve(names.len());
            }
            let mut count = 0;
            for name in names {
                if name.trim().is_empty() {
                    errors.push(ModelError::EmptyName {
                        what: what(),
                        name: name.to_string(),
                    });
                    continue;
                }
                let first = if hashed {
                    seen.insert(name)
                } else if short[..count].contains(&name) {
                    false
                } else {
                    short[count] = name;
                    count += 1;
                    true
                };
                if !first {
                    errors.push(ModelError::DuplicateName {
                        what: what(),
                        name: name.to_string(),
                    });
                }
            }
        }
        use ObjectKind as K;
        let object = |kind: ObjectKind| move || NameOf::Object(kind);
        dupes(
            errors,
            object(K::Vnet),
            self.vnets.iter().map(|v| v.name.as_str()),
        );
        dupes(
            errors,
            object(K::Vm),
            self.vms.iter().map(|v| v.name.as_str()),
        );
        dupes(
            errors,
            object(K::Peering),
            self.peerings.iter().map(|p| p.name.as_str()),
        );
        dupes(
            errors,
            object(K::Nsg),
            self.nsgs.iter().map(|n| n.name.as_str()),
        );
        dupes(
            errors,
            object(K::RouteTable),
            self.route_tables.iter().map(|r| r.name.as_str()),
        );
        dupes(
            errors,
            object(K::Gateway),
            self.gateways.iter().map(|g| g.name.as_str()),
        );
        dupes(
            errors,
            object(K::Site),
            self.sites.iter().map(|s| s.name.as_str()),
        );
        dupes(
            errors,
            object(K::Connection),
            self.connections.iter().map(|c| c.name.as_str()),
        );
        dupes(
            errors,
            object(K::Intent),
            self.intents.iter().map(|i| i.name.as_str()),
        );
        dupes(
            errors,
            object(K::Subscription),
            self.subscriptions.iter().map(|s| s.name.as_str()),
        );
        dupes(
            errors,
            object(K::Asg),
            self.asgs.iter().map(|a| a.name.as_str()),
        );
        dupes(
            errors,
            object(K::RouteServer),
            self.route_servers.iter().map(|r| r.name.as_str()),
        );
        dupes(
            errors,
            object(K::NetworkGroup),
            self.network_groups.iter().map(|g| g.name.as_str()),
        );
        dupes(
            errors,
            object(K::Connectivity),
            self.connectivity.iter().map(|c| c.name.as_str()),
        );
        for vnet in &self.vnets {
            let what = || NameOf::Subnet {
                vnet: vnet.name.clone(),
            };
            dupes(errors, what, vnet.subnets.iter().map(|s| s.name.as_str()));
        }
        for nsg in &self.nsgs {
            let what = || NameOf::NsgRule {
                nsg: nsg.name.clone(),
            };
            dupes(errors, what, nsg.rules.iter().map(|r| r.name.as_str()));
        }
        for table in &self.route_tables {
            let what = || NameOf::Route {
                table: table.name.clone(),
            };
            dupes(errors, what, table.routes.iter().map(|r| r.name.as_str()));
        }
        // Endpoint names (VMs, site hosts, P2S clients) share one namespace in the matrix.
        let vm_names: FxHashSet<&str> = self.vms.iter().map(|v| v.name.as_str()).collect();
        let mut hosts = FxHashSet::default();
        for site in &self.sites {
            for host in &site.hosts {
                if vm_names.contains(host.name.as_str()) || !hosts.insert(host.name.as_str()) {
                    errors.push(ModelError::DuplicateHostName {
                        site: site.name.clone(),
                        host: host.name.clone(),
                    });
                }
            }
        }
        for gateway in self.gateways.iter().filter(|g| !g.client_pool.is_empty()) {
            let client = super::endpoint_names::p2s_client_name(&gateway.name);
            if vm_names.contains(client.as_str()) || hosts.contains(client.as_str()) {
                errors.push(ModelError::P2sClientNameTaken {
                    gateway: gateway.name.clone(),
                    client,
                });
            }
        }
    }

    /// Checks the references one object holds ([`Design::references_of`]) and returns whether
    /// they all resolve.
    fn check_references(
        &self,
        index: &NameIndex,
        holder: Holder,
        errors: &mut Vec<ModelError>,
    ) -> bool {
        let mut sound = true;
        for reference in self.references_of(holder) {
            if let Some(error) = self.unknown(index, holder, &reference) {
                errors.push(ModelError::UnknownReference(Box::new(error)));
                sound = false;
            }
        }
        sound
    }

    /// The error for a reference that names nothing; `None` when it resolves, or when it cannot
    /// be judged (a subnet of an unknown VNet: the VNet is reported instead).
    fn unknown(
        &self,
        index: &NameIndex,
        holder: Holder,
        reference: &Reference,
    ) -> Option<UnknownReference> {
        let name = reference.name;
        let names = |list: Vec<&str>| Suggestion::for_name(name, list);
        let suggestion = match reference.kind {
            RefKind::Vnet if !index.vnets.contains_key(name) => {
                names(self.vnets.iter().map(|v| v.name.as_str()).collect())
            }
            RefKind::Subnet => {
                let scope = reference.scope?;
                let vnet = index.vnets.get(scope)?;
                if index.subnets.contains_key(&(scope, name)) {
                    return None;
                }
                names(vnet.subnets.iter().map(|s| s.name.as_str()).collect())
            }
            RefKind::Nsg if !index.nsgs.contains(name) => {
                names(self.nsgs.iter().map(|n| n.name.as_str()).collect())
            }
            RefKind::RouteTable if !index.route_tables.contains(name) => {
                names(self.route_tables.iter().map(|r| r.name.as_str()).collect())
            }
            RefKind::Gateway if !index.gateways.contains(name) => {
                names(self.gateways.iter().map(|g| g.name.as_str()).collect())
            }
            RefKind::Site if !index.sites.contains(name) => {
                names(self.sites.iter().map(|s| s.name.as_str()).collect())
            }
            RefKind::Asg if !index.asgs.contains(name) => {
                names(self.asgs.iter().map(|a| a.name.as_str()).collect())
            }
            RefKind::NetworkGroup if !index.network_groups.contains(name) => names(
                self.network_groups
                    .iter()
                    .map(|g| g.name.as_str())
                    .collect(),
            ),
            RefKind::Endpoint if !index.endpoints.contains(name) => {
                let endpoints: Vec<Endpoint> = self.endpoints();
                names(endpoints.iter().map(|e| e.name.as_str()).collect())
            }
            _ => return None,
        };
        let (holder_kind, owner, path) = self.holder_names(holder)?;
        // A NIC's reference is written as one `vnet/subnet` text.
        let written = match holder {
            Holder::Nic { vm, nic } if reference.kind != RefKind::Nsg => {
                self.vms[vm].nics[nic].subnet.to_string()
            }
            _ => name.to_string(),
        };
        Some(UnknownReference {
            slot: reference.slot,
            holder: holder_kind,
            owner,
            path,
            written,
            kind: reference.kind,
            name: name.to_string(),
            scope: reference.scope.map(str::to_string),
            suggestion,
        })
    }

    fn check_vnets(&self, index: &NameIndex, errors: &mut Vec<ModelError>) {
        for (v, vnet) in self.vnets.iter().enumerate() {
            if vnet.address_space.is_empty() {
                errors.push(ModelError::NoAddressSpace {
                    vnet: vnet.name.clone(),
                });
            }
            self.check_references(index, Holder::Vnet(v), errors);
            for subnet in 0..vnet.subnets.len() {
                self.check_references(index, Holder::Subnet { vnet: v, subnet }, errors);
            }
        }
    }

    /// Every NSG rule names at least one source and one destination port range, as Azure
    /// requires (`*` is every port; the engine would read an empty list as no port at all).
    fn check_nsg_ports(&self, errors: &mut Vec<ModelError>) {
        for nsg in &self.nsgs {
            for rule in &nsg.rules {
                let sides = [
                    ("source", &rule.source_ports),
                    ("destination", &rule.destination_ports),
                ];
                for (side, ports) in sides {
                    if ports.is_empty() {
                        errors.push(ModelError::NoPorts {
                            nsg: nsg.name.clone(),
                            rule: rule.name.clone(),
                            side,
                        });
                    }
                }
            }
        }
    }

    fn check_vms(&self, index: &NameIndex, errors: &mut Vec<ModelError>) {
        for (v, vm) in self.vms.iter().enumerate() {
            if vm.nics.is_empty() {
                errors.push(ModelError::NoNic {
                    vm: vm.name.clone(),
                });
            }
            for (n, nic) in vm.nics.iter().enumerate() {
                self.check_references(index, Holder::Nic { vm: v, nic: n }, errors);
                // The address is checked only against a subnet that exists.
                let Some(subnet) = index
                    .subnets
                    .get(&(nic.subnet.vnet.as_str(), nic.subnet.subnet.as_str()))
                else {
                    continue;
                };
                if !subnet.contains(nic.ip) {
                    errors.push(ModelError::IpOutsideSubnet {
                        vm: vm.name.clone(),
                        ip: nic.ip,
                        subnet: nic.subnet.clone(),
                        prefix: subnet.prefix,
                    });
                }
                if let Some(first) = vm.nics.first()
                    && first.subnet.vnet != nic.subnet.vnet
                {
                    errors.push(ModelError::NicsInSeveralVnets {
                        vm: vm.name.clone(),
                        first: first.subnet.vnet.clone(),
                        other: nic.subnet.clone(),
                    });
                }
            }
        }
    }

    fn check_peerings(&self, index: &NameIndex, errors: &mut Vec<ModelError>) {
        let mut links_seen =
            FxHashSet::with_capacity_and_hasher(self.peerings.len(), FxBuildHasher);
        for (i, p) in self.peerings.iter().enumerate() {
            self.check_references(index, Holder::Peering(i), errors);
            if p.local == p.remote {
                errors.push(ModelError::SelfPeering {
                    peering: p.name.clone(),
                    vnet: p.local.clone(),
                });
            }
            // The first link of a pair is fine; every further one is the duplicate.
            if !links_seen.insert((p.local.as_str(), p.remote.as_str())) {
                errors.push(ModelError::DuplicateLink {
                    peering: p.name.clone(),
                    local: p.local.clone(),
                    remote: p.remote.clone(),
                });
            }
        }
    }

    fn check_gateways(&self, index: &NameIndex, errors: &mut Vec<ModelError>) {
        for g in 0..self.gateways.len() {
            self.check_references(index, Holder::Gateway(g), errors);
        }
        for site in &self.sites {
            for host in &site.hosts {
                if !site.prefixes.iter().any(|p| p.contains(&host.ip)) {
                    errors.push(ModelError::HostOutsideSite {
                        site: site.name.clone(),
                        host: host.name.clone(),
                        ip: host.ip,
                    });
                }
            }
        }
        for c in 0..self.connections.len() {
            self.check_references(index, Holder::Connection(c), errors);
        }
    }

    fn check_intents(&self, index: &NameIndex, errors: &mut Vec<ModelError>) {
        for i in 0..self.intents.len() {
            self.check_references(index, Holder::Intent(i), errors);
        }
    }

    /// ASG references and membership, Route Servers, network groups and connectivity
    /// configurations.
    fn check_newer_objects(&self, index: &NameIndex, errors: &mut Vec<ModelError>) {
        for n in 0..self.nsgs.len() {
            self.check_references(index, Holder::Nsg(n), errors);
        }
        self.check_asg_members(errors);
        for r in 0..self.route_servers.len() {
            self.check_references(index, Holder::RouteServer(r), errors);
        }
        for g in 0..self.network_groups.len() {
            self.check_references(index, Holder::NetworkGroup(g), errors);
        }
        for c in 0..self.connectivity.len() {
            self.check_references(index, Holder::Connectivity(c), errors);
        }
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
