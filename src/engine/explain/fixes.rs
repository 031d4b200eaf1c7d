//! Fixes: the edits that remove a blocker, built from the design as it is (free NSG
//! priorities, unique names, whichever side of a peering is missing).

use super::Scene;
use crate::edit::{Edit, Object, peering};
use crate::engine::ix::{CtxIx, NsgIx, PeeringIx, VmIx, VnetIx};
use crate::engine::nsg::{Packet, PortSpec};
use crate::engine::types::Fix;
use crate::engine::walk::{Place, Spot};
use crate::model::plan::unique_name;
use crate::model::{
    Access, AddressMatch, ApplianceRule, Direction, NextHop, NsgRule, Peering, PeeringState,
    PortRange, Route, RouteTable,
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
        let route_name = unique_name(&format!("via-{}", ip.to_string().replace('.', "-")), |n| {
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
                let name = unique_name(&format!("rt-{}", info.name.replace('/', "-")), |n| {
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

    /// Adds whatever sides of the X↔Y peering are missing: a missing side mirrors the side that
    /// exists ([`Peering::reverse_for`]); when neither exists, the X side is a new link with
    /// Azure's defaults and the Y side mirrors it.
    pub(super) fn peer_fix(&self, x: VnetIx, y: VnetIx) -> Option<Fix> {
        let c = self.c;
        let d = &*c.design;
        let (xn, yn) = (c.vnet_name(x), c.vnet_name(y));
        let edits: Vec<Edit> = match (d.peering_between(xn, yn), d.peering_between(yn, xn)) {
            (Some(_), Some(_)) => return None,
            (Some(there), None) | (None, Some(there)) => vec![peering::add_reverse(d, there).0],
            (None, None) => {
                let first = Peering::new(
                    unique_name(&Peering::default_name(xn, yn), |n| d.peering(n).is_some()),
                    xn,
                    yn,
                );
                let mut second = first.reverse_for(d);
                second.name =
                    unique_name(&second.name, |n| d.peering(n).is_some() || n == first.name);
                [first, second]
                    .into_iter()
                    .map(|link| Edit::Add {
                        object: Object::Peering(link),
                        at: None,
                    })
                    .collect()
            }
        };
        Some(Fix {
            description: format!("peer `{xn}` and `{yn}` in both directions"),
            edit: batch(edits)?,
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

    /// Brings a one-sided or disconnected peering to Connected, with the repairs lint offers
    /// for the same link ([`peering::recreate`], [`peering::add_reverse`]): a Disconnected link
    /// is recreated (with its reverse); a link whose reverse is missing gets it, mirroring its
    /// settings; a link whose reverse is Disconnected gets that one recreated.
    pub(super) fn connect_fix(&self, p: PeeringIx) -> Option<Fix> {
        let d = &*self.c.design;
        let link = &self.c.peerings()[p];
        if self.c.index.peerings[p].state == PeeringState::Disconnected {
            let repair = peering::recreate(d, link);
            return Some(Fix {
                description: repair.describe(&link.name),
                edit: repair.edit,
            });
        }
        match d.reverse_peering(link) {
            None => {
                let (edit, back) = peering::add_reverse(d, link);
                Some(Fix {
                    description: peering::describe_reverse(&back, link),
                    edit,
                })
            }
            Some(back) if back.disconnected => {
                let repair = peering::recreate(d, back);
                Some(Fix {
                    description: repair.describe(&back.name),
                    edit: repair.edit,
                })
            }
            Some(_) => None,
        }
    }

    /// Lets the packet through NSG `nsg`, whose rule at `blocking_priority` denies it: an allow
    /// rule for exactly this packet at the highest free priority evaluated before the blocking
    /// one ([`Nsg::free_priority_before`](crate::model::Nsg::free_priority_before)), or, when no
    /// priority is free and the blocking rule is a custom one, removing that rule. The other
    /// candidate, when there is one, is the second entry.
    pub(super) fn nsg_fixes(
        &self,
        nsg: NsgIx,
        direction: Direction,
        blocking_priority: u32,
        custom_index: Option<usize>,
        packet: &Packet,
    ) -> Vec<Fix> {
        let current = &self.c.nsgs()[nsg];
        let mut fixes = Vec::new();
        if let Some(priority) = current.free_priority_before(direction, blocking_priority) {
            let name = unique_name(
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
            let mut fixed = current.clone();
            fixed.rules.push(rule);
            fixes.push(Fix {
                description: format!(
                    "add rule `{name}` (priority {priority}) to NSG `{}` allowing {} → {}",
                    current.name, packet.src, packet.dst
                ),
                edit: Edit::Replace(Object::Nsg(fixed)),
            });
        }
        if let Some(index) = custom_index.filter(|&i| i < current.rules.len()) {
            let mut fixed = current.clone();
            let removed = fixed.rules.remove(index);
            fixes.push(Fix {
                description: format!("remove rule `{}` from NSG `{}`", removed.name, current.name),
                edit: Edit::Replace(Object::Nsg(fixed)),
            });
        }
        fixes
    }

    /// Lets the packet through appliance `vm`, whose rule `rule` (`None`: its default) drops
    /// it: an allow rule for exactly this packet placed before the dropping rule, or, for a
    /// dropping rule of its own, removing that rule (the second candidate).
    pub(super) fn appliance_fixes(
        &self,
        vm: VmIx,
        rule: Option<usize>,
        packet: &Packet,
    ) -> Vec<Fix> {
        let original = &self.c.vms()[vm];
        let Some(appliance) = &original.appliance else {
            return Vec::new();
        };
        let name = unique_name(
            &format!("allow-{}-to-{}", dashed(packet.src), dashed(packet.dst)),
            |n| appliance.rules.iter().any(|r| r.name == n),
        );
        let allow = ApplianceRule {
            name: name.clone(),
            action: Access::Allow,
            source: AddressMatch::Cidr(Ipv4Net::from(packet.src)),
            destination: AddressMatch::Cidr(Ipv4Net::from(packet.dst)),
            protocol: packet.protocol,
            ports: port_range(packet.dst_port),
        };
        let with_rules = |change: &dyn Fn(&mut Vec<ApplianceRule>)| {
            let mut fixed = original.clone();
            if let Some(a) = fixed.appliance.as_mut() {
                change(&mut a.rules);
            }
            Edit::Replace(Object::Vm(fixed))
        };
        let at = rule
            .unwrap_or(appliance.rules.len())
            .min(appliance.rules.len());
        let mut fixes = vec![Fix {
            description: format!(
                "add rule `{name}` to `{}` allowing {} → {}",
                original.name, packet.src, packet.dst
            ),
            edit: with_rules(&|rules| rules.insert(at, allow.clone())),
        }];
        if let Some(r) = rule.filter(|&r| r < appliance.rules.len()) {
            fixes.push(Fix {
                description: format!(
                    "remove rule `{}` from `{}`",
                    appliance.rules[r].name, original.name
                ),
                edit: with_rules(&|rules| {
                    rules.remove(r);
                }),
            });
        }
        fixes
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
