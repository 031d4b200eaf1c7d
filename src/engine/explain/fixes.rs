//! Fixes: the edits that remove a blocker, built from the design as it is (free NSG
//! priorities, unique names, whichever side of a peering is missing).

use super::Scene;
use crate::edit::{Edit, Object, ObjectRef};
use crate::engine::ix::{CtxIx, NsgIx, PeeringIx, VmIx, VnetIx};
use crate::engine::nsg::{Packet, PortSpec};
use crate::engine::types::Fix;
use crate::engine::walk::{Place, Spot};
use crate::model::{
    Access, AddressMatch, ApplianceRule, Direction, NextHop, NsgRule, ObjectKind, Peering,
    PeeringState, PortRange, Protocol, Route, RouteTable,
};
use ipnet::Ipv4Net;

impl Scene<'_> {
    /// The narrowest design prefix that names where an endpoint lives (its VNet range or site
    /// prefix), or its /32.
    pub(super) fn covering_prefix(&self, spot: Spot) -> Ipv4Net {
        let c = self.c;
        let ranges: Vec<Ipv4Net> = match spot.place {
            Place::Nic(nic) => c
                .index
                .nic_vnet(nic)
                .map(|v| c.vnets()[v].address_space.clone())
                .unwrap_or_default(),
            Place::Site(s) => c.sites()[s].prefixes.clone(),
            Place::P2s(g) => c.gateways()[g].client_pool.clone(),
            Place::Unknown => Vec::new(),
        };
        ranges
            .into_iter()
            .find(|r| r.contains(&spot.ip))
            .unwrap_or_else(|| Ipv4Net::from(spot.ip))
    }

    /// A UDR `prefix → VirtualAppliance ip` in the subnet of context `ctx` (creating a route
    /// table when the subnet has none).
    pub(super) fn udr_fix(
        &self,
        ctx: CtxIx,
        prefix: Ipv4Net,
        ip: std::net::Ipv4Addr,
    ) -> Option<Fix> {
        let c = self.c;
        let d = &*c.design;
        let s = c.ctx(ctx).subnet?;
        let info = &c.index.subnets[s];
        let route_name = unique(&format!("via-{}", ip.to_string().replace('.', "-")), |n| {
            info.table
                .is_some_and(|t| c.tables()[t].routes.iter().any(|r| r.name == n))
        });
        let route = Route {
            name: route_name,
            prefix,
            next_hop: NextHop::VirtualAppliance(ip),
        };
        let description = format!(
            "route {prefix} from `{}` through the appliance {ip}",
            info.name
        );
        let edit = match info.table {
            Some(t) => {
                let mut table = c.tables()[t].clone();
                table.routes.push(route);
                Edit::Replace(Object::RouteTable(table))
            }
            None => {
                let name = unique(&format!("rt-{}", info.name.replace('/', "-")), |n| {
                    d.route_table(n).is_some()
                });
                let mut table = RouteTable::new(name.clone());
                table.routes.push(route);
                let vnet = &c.vnets()[info.vnet];
                let mut subnet = vnet.subnets[info.index_in_vnet].clone();
                subnet.route_table = Some(name);
                Edit::Batch(vec![
                    Edit::Add {
                        object: Object::RouteTable(table),
                        at: None,
                    },
                    Edit::Replace(Object::Subnet {
                        vnet: vnet.name.clone(),
                        subnet,
                    }),
                ])
            }
        };
        Some(Fix { description, edit })
    }

    /// Adds whatever sides of the X↔Y peering are missing.
    pub(super) fn peer_fix(&self, x: VnetIx, y: VnetIx) -> Option<Fix> {
        let c = self.c;
        let d = &*c.design;
        let (xn, yn) = (c.vnet_name(x), c.vnet_name(y));
        let mut edits = Vec::new();
        let mut taken: Vec<String> = Vec::new();
        for (l, r) in [(xn, yn), (yn, xn)] {
            if d.peering_between(l, r).is_none() {
                let name = unique(&Peering::default_name(l, r), |n| {
                    d.peering(n).is_some() || taken.iter().any(|t| t == n)
                });
                taken.push(name.clone());
                edits.push(Edit::Add {
                    object: Object::Peering(Peering::new(name, l, r)),
                    at: None,
                });
            }
        }
        if edits.is_empty() {
            return None;
        }
        Some(Fix {
            description: format!("peer `{xn}` and `{yn}` in both directions"),
            edit: Edit::Batch(edits),
        })
    }

    /// Adds `subnet` to subnet-level peering `p` (its local list when `local`, else its remote
    /// list), and to the opposite list of the reverse link when that is a subnet-level peering
    /// lacking it, so the pair stays mirrored and both directions route.
    pub(super) fn subnet_peering_fix(
        &self,
        p: PeeringIx,
        subnet: &str,
        local: bool,
    ) -> Option<Fix> {
        let c = self.c;
        let peering = &c.peerings()[p];
        let add = |link: &mut crate::model::Peering, local: bool| {
            let list = if local {
                &mut link.local_subnets
            } else {
                &mut link.remote_subnets
            };
            if !list.iter().any(|s| s == subnet) {
                list.push(subnet.to_string());
            }
        };
        let mut fixed = peering.clone();
        add(&mut fixed, local);
        let mut edits = vec![Edit::Replace(Object::Peering(fixed))];
        if let Some(r) = c.index.peerings[p].reverse {
            let reverse = &c.peerings()[r];
            let listed = if local {
                &reverse.remote_subnets
            } else {
                &reverse.local_subnets
            };
            if reverse.is_subnet_peering() && !listed.iter().any(|s| s == subnet) {
                let mut back = reverse.clone();
                add(&mut back, !local);
                edits.push(Edit::Replace(Object::Peering(back)));
            }
        }
        let both = if edits.len() > 1 {
            " and its reverse link"
        } else {
            ""
        };
        Some(Fix {
            description: format!("add subnet `{subnet}` to peering `{}`{both}", peering.name),
            edit: batch(edits)?,
        })
    }

    /// Brings a one-sided or disconnected peering to Connected.
    pub(super) fn connect_fix(&self, p: PeeringIx) -> Option<Fix> {
        let c = self.c;
        let d = &*c.design;
        let peering = &c.peerings()[p];
        let reverse_missing = d.peering_between(&peering.remote, &peering.local).is_none();
        let reverse = || {
            let name = unique(
                &Peering::default_name(&peering.remote, &peering.local),
                |n| d.peering(n).is_some(),
            );
            Edit::Add {
                object: Object::Peering(Peering::new(
                    name,
                    peering.remote.clone(),
                    peering.local.clone(),
                )),
                at: None,
            }
        };
        match c.index.peerings[p].state {
            PeeringState::Disconnected => {
                let mut fresh = peering.clone();
                fresh.disconnected = false;
                fresh.remote_address_space = None;
                let mut edits = vec![
                    Edit::Remove(ObjectRef::new(ObjectKind::Peering, peering.name.clone())),
                    Edit::Add {
                        object: Object::Peering(fresh),
                        at: None,
                    },
                ];
                if reverse_missing {
                    edits.push(reverse());
                }
                Some(Fix {
                    description: format!(
                        "delete peering `{}` and create both sides again",
                        peering.name
                    ),
                    edit: Edit::Batch(edits),
                })
            }
            _ if reverse_missing => Some(Fix {
                description: format!(
                    "create the other side of peering `{}` ({} → {})",
                    peering.name, peering.remote, peering.local
                ),
                edit: reverse(),
            }),
            _ => None,
        }
    }

    pub(super) fn nsg_fix(
        &self,
        nsg: NsgIx,
        direction: Direction,
        blocking_priority: u32,
        custom_index: Option<usize>,
        packet: &Packet,
    ) -> Option<Fix> {
        let current = &self.c.nsgs()[nsg];
        let used = |p: u32| {
            current
                .rules
                .iter()
                .any(|r| r.direction == direction && r.priority == p)
        };
        let ceiling = blocking_priority.saturating_sub(1).min(4096);
        let free = (100..=ceiling).rev().find(|&p| !used(p));
        let mut fixed = current.clone();
        let description;
        match free {
            Some(priority) => {
                let name = unique(
                    &format!("allow-{}-to-{}", dashed(packet.src), dashed(packet.dst)),
                    |n| current.rules.iter().any(|r| r.name == n),
                );
                let mut rule = NsgRule::new(
                    name.clone(),
                    priority,
                    direction,
                    Access::Allow,
                    packet.protocol,
                );
                rule.source = vec![AddressMatch::Cidr(Ipv4Net::from(packet.src))];
                rule.destination = vec![AddressMatch::Cidr(Ipv4Net::from(packet.dst))];
                rule.destination_ports = vec![port_range(packet.dst_port)];
                description = format!(
                    "add rule `{name}` (priority {priority}) to NSG `{}` allowing {} → {}",
                    current.name, packet.src, packet.dst
                );
                fixed.rules.push(rule);
            }
            None => {
                let index = custom_index?;
                description = format!(
                    "remove rule `{}` from NSG `{}`",
                    current.rules[index].name, current.name
                );
                fixed.rules.remove(index);
            }
        }
        Some(Fix {
            description,
            edit: Edit::Replace(Object::Nsg(fixed)),
        })
    }

    pub(super) fn appliance_fix(
        &self,
        vm: VmIx,
        rule: Option<usize>,
        packet: &Packet,
    ) -> Option<Fix> {
        let original = &self.c.vms()[vm];
        let mut fixed = original.clone();
        let appliance = fixed.appliance.as_mut()?;
        let name = unique(
            &format!("allow-{}-to-{}", dashed(packet.src), dashed(packet.dst)),
            |n| appliance.rules.iter().any(|r| r.name == n),
        );
        let allow = ApplianceRule {
            name: name.clone(),
            action: Access::Allow,
            source: AddressMatch::Cidr(Ipv4Net::from(packet.src)),
            destination: AddressMatch::Cidr(Ipv4Net::from(packet.dst)),
            protocol: match packet.protocol {
                Protocol::Any => Protocol::Any,
                other => other,
            },
            ports: port_range(packet.dst_port),
        };
        let at = rule.unwrap_or(appliance.rules.len());
        appliance.rules.insert(at, allow);
        Some(Fix {
            description: format!(
                "add rule `{name}` to `{}` allowing {} → {}",
                original.name, packet.src, packet.dst
            ),
            edit: Edit::Replace(Object::Vm(fixed)),
        })
    }
}

fn port_range(port: PortSpec) -> PortRange {
    match port {
        PortSpec::Exact(p) => PortRange::single(p),
        PortSpec::Ephemeral => PortRange {
            start: 1024,
            end: 65535,
        },
        PortSpec::None => PortRange::ALL,
    }
}

fn dashed(ip: std::net::Ipv4Addr) -> String {
    ip.to_string().replace('.', "-")
}

/// One edit, several as a batch, or `None` for none.
pub(super) fn batch(mut edits: Vec<Edit>) -> Option<Edit> {
    match edits.len() {
        0 => None,
        1 => Some(edits.remove(0)),
        _ => Some(Edit::Batch(edits)),
    }
}

/// `base`, or `base-2`, `base-3`… whichever is not taken.
pub(super) fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|name| !taken(name))
        .unwrap_or_else(|| base.to_string())
}
