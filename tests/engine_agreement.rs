//! The fast engine (equivalence classes) and the reference engine (every pair walked on its
//! own) agree on every pair's verdict and reason codes, on random designs that mix what makes
//! endpoints differ: several VMs per subnet, NIC NSGs, NSG rules naming single VMs, UDRs to
//! appliances, None and gateways, one-sided and flagged peerings, overlapping spaces,
//! firewalls with rules, gateways with sites and P2S pools, and every flow kind.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use proptest::prelude::*;
use std::net::Ipv4Addr;
use vnetlab::engine::{EngineKind, analyze};
use vnetlab::model::{
    Access, AddressMatch, Appliance, ApplianceRule, Connection, ConnectionRemote, Design,
    Direction, Flow, Gateway, GatewayKind, GatewaySku, Host, NextHop, Nsg, NsgRule, Peering,
    PortRange, Protocol, Route, RouteTable, ServiceTag, Site, Subnet, SubnetRef, Vm, Vnet, VpnType,
};

/// A tiny deterministic generator, so one `u64` from proptest describes a whole design.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn net(text: &str) -> ipnet::Ipv4Net {
    text.parse().expect("literal CIDR")
}

fn random_design(seed: u64) -> Design {
    let mut dice = Dice(seed | 1);
    let mut d = Design::empty("random");
    let regions = ["eastus", "westeurope"];
    let vnet_count = 2 + dice.below(3);
    let mut vm_ips: Vec<(String, Ipv4Addr)> = Vec::new();
    let mut appliance_ips: Vec<Ipv4Addr> = Vec::new();
    for v in 0..vnet_count {
        // Occasionally reuse a neighbour's second octet: overlapping spaces make peerings invalid.
        let octet = if v > 0 && dice.chance(10) { v } else { v + 1 };
        let name = format!("v{v}");
        let region = dice.pick(&regions).parse().expect("known region");
        let mut vnet = Vnet::new(&name, region, vec![net(&format!("10.{octet}.0.0/16"))]);
        let subnet_count = 1 + dice.below(2);
        for s in 0..subnet_count {
            let mut subnet =
                Subnet::new(format!("s{s}"), net(&format!("10.{octet}.{}.0/24", s + 1)));
            if dice.chance(40) {
                subnet.nsg = Some(format!("nsg{}", dice.below(3)));
            }
            if dice.chance(40) {
                subnet.route_table = Some(format!("rt{}", dice.below(3)));
            }
            vnet.subnets.push(subnet);
            for k in 0..(1 + dice.below(3)) {
                let ip = Ipv4Addr::new(10, octet as u8, s as u8 + 1, 4 + k as u8);
                let vm_name = format!("vm-{v}-{s}-{k}");
                let mut vm = Vm::new(&vm_name, SubnetRef::new(&name, format!("s{s}")), ip);
                if dice.chance(25) {
                    vm.nics[0].nsg = Some(format!("nsg{}", dice.below(3)));
                }
                if dice.chance(20) {
                    vm.nics[0].ip_forwarding = dice.chance(80);
                    let mut appliance = if dice.chance(50) {
                        Appliance::nva()
                    } else {
                        Appliance::firewall()
                    };
                    appliance.stateful = dice.chance(50);
                    if dice.chance(60) {
                        appliance.rules.push(ApplianceRule {
                            name: "r".into(),
                            action: if dice.chance(50) {
                                Access::Allow
                            } else {
                                Access::Deny
                            },
                            source: AddressMatch::Any,
                            destination: AddressMatch::Cidr(net(&format!(
                                "10.{}.0.0/16",
                                1 + dice.below(4)
                            ))),
                            protocol: Protocol::Any,
                            ports: PortRange::ALL,
                        });
                    }
                    vm.appliance = Some(appliance);
                    appliance_ips.push(ip);
                }
                vm_ips.push((vm_name, ip));
                d.vms.push(vm);
            }
        }
        d.vnets.push(vnet);
    }
    // Peerings: random pairs, sometimes one-sided, with random flags.
    for a in 0..vnet_count {
        for b in 0..vnet_count {
            if a == b || !dice.chance(55) {
                continue;
            }
            let mut p = Peering::new(format!("p{a}-{b}"), format!("v{a}"), format!("v{b}"));
            p.allow_virtual_network_access = dice.chance(85);
            p.allow_forwarded_traffic = dice.chance(50);
            p.allow_gateway_transit = dice.chance(30);
            p.use_remote_gateways = dice.chance(20);
            // Sometimes a subnet-level peering: a random part of each side's subnets (the two
            // links of a pair need not mirror each other, as in a design being edited).
            if dice.chance(40) {
                let listed = |vnet: &Vnet, dice: &mut Dice| -> Vec<String> {
                    vnet.subnets
                        .iter()
                        .filter(|_| dice.chance(50))
                        .map(|s| s.name.clone())
                        .collect()
                };
                p.local_subnets = listed(&d.vnets[a], &mut dice);
                p.remote_subnets = listed(&d.vnets[b], &mut dice);
            }
            d.peerings.push(p);
        }
    }
    // A gateway with a site and a P2S pool in one VNet, sometimes.
    if dice.chance(60) {
        let hub = dice.below(vnet_count);
        let hub_name = format!("v{hub}");
        let octet = d.vnets[hub].address_space[0].network().octets()[1];
        if let Some(vnet) = d.vnet_mut(&hub_name) {
            vnet.subnets.push(Subnet::new(
                "GatewaySubnet",
                net(&format!("10.{octet}.255.0/27")),
            ));
        }
        d.gateways.push(Gateway {
            name: "gw".into(),
            vnet: hub_name,
            kind: if dice.chance(80) {
                GatewayKind::Vpn
            } else {
                GatewayKind::ExpressRoute
            },
            sku: GatewaySku::VpnGw1,
            vpn_type: VpnType::RouteBased,
            client_pool: if dice.chance(50) {
                vec![net("172.16.201.0/24")]
            } else {
                Vec::new()
            },
            bgp: false,
        });
        d.sites.push(Site {
            name: "onprem".into(),
            prefixes: vec![net("192.168.0.0/16")],
            hosts: vec![
                Host {
                    name: "h1".into(),
                    ip: Ipv4Addr::new(192, 168, 1, 10),
                },
                Host {
                    name: "h2".into(),
                    ip: Ipv4Addr::new(192, 168, 1, 11),
                },
            ],
            bgp: false,
        });
        if dice.chance(80) {
            d.connections.push(Connection {
                name: "s2s".into(),
                gateway: "gw".into(),
                remote: ConnectionRemote::Site("onprem".into()),
                bgp: false,
            });
        }
    }
    // NSGs whose rules name whole VNets, single VMs and tags.
    for n in 0..3 {
        let mut nsg = Nsg::new(format!("nsg{n}"));
        for r in 0..dice.below(4) {
            let direction = if dice.chance(50) {
                Direction::Inbound
            } else {
                Direction::Outbound
            };
            let access = if dice.chance(50) {
                Access::Allow
            } else {
                Access::Deny
            };
            let protocol =
                *dice.pick(&[Protocol::Any, Protocol::Tcp, Protocol::Udp, Protocol::Icmp]);
            let mut rule = NsgRule::new(
                format!("r{r}"),
                100 + 10 * r as u32,
                direction,
                access,
                protocol,
            );
            let address = match dice.below(4) {
                0 => AddressMatch::Cidr(ipnet::Ipv4Net::from(dice.pick(&vm_ips).1)),
                1 => AddressMatch::Cidr(net(&format!("10.{}.0.0/16", 1 + dice.below(4)))),
                2 => AddressMatch::Tag(ServiceTag::VirtualNetwork),
                _ => AddressMatch::Any,
            };
            match direction {
                Direction::Inbound => rule.source = vec![address],
                Direction::Outbound => rule.destination = vec![address],
            }
            if dice.chance(50) {
                rule.destination_ports = vec![PortRange::single(*dice.pick(&[22, 443, 53]))];
            }
            nsg.rules.push(rule);
        }
        d.nsgs.push(nsg);
    }
    // Route tables with UDRs to appliances, None, gateways, VnetLocal and the internet.
    for t in 0..3 {
        let mut table = RouteTable::new(format!("rt{t}"));
        table.propagate_gateway_routes = dice.chance(80);
        for r in 0..dice.below(3) {
            let prefix = match dice.below(4) {
                0 => net("0.0.0.0/0"),
                1 => net("192.168.0.0/16"),
                _ => net(&format!("10.{}.0.0/16", 1 + dice.below(4))),
            };
            let next_hop = match dice.below(6) {
                0 | 1 if !appliance_ips.is_empty() => {
                    NextHop::VirtualAppliance(*dice.pick(&appliance_ips))
                }
                0 | 1 => NextHop::VirtualAppliance(Ipv4Addr::new(10, 9, 9, 9)),
                2 => NextHop::None,
                3 => NextHop::VirtualNetworkGateway,
                4 => NextHop::VnetLocal,
                _ => NextHop::Internet,
            };
            table.routes.push(Route {
                name: format!("u{r}"),
                prefix,
                next_hop,
            });
        }
        d.route_tables.push(table);
    }
    d
}

fn flow(choice: usize) -> Flow {
    ["tcp/443", "tcp/22", "udp/53", "icmp", "any"][choice % 5]
        .parse()
        .expect("literal flow")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn fast_and_reference_engines_agree_on_every_pair(seed in any::<u64>(), choice in 0usize..5) {
        let design = random_design(seed);
        let flow = flow(choice);
        let fast = analyze(&design, flow, EngineKind::Fast);
        let reference = analyze(&design, flow, EngineKind::Reference);
        prop_assert_eq!(fast.endpoints(), reference.endpoints());
        let n = fast.endpoints().len();
        for a in 0..n {
            for b in 0..n {
                prop_assert_eq!(
                    fast.reason_codes(a, b),
                    reference.reason_codes(a, b),
                    "{} → {} ({}), seed {}",
                    &fast.endpoints()[a].name,
                    &fast.endpoints()[b].name,
                    flow,
                    seed
                );
                prop_assert_eq!(fast.verdict(a, b), reference.verdict(a, b));
            }
        }
        prop_assert_eq!(fast.summary(), reference.summary());
    }
}

/// The generator really produces what the property needs: designs where classes are shared
/// by several endpoints and where both verdicts occur, so agreement is not vacuous.
#[test]
fn random_designs_share_classes_and_mix_verdicts() {
    let mut shared = 0;
    let mut mixed = 0;
    for seed in 1..60u64 {
        let design = random_design(seed);
        let fast = analyze(&design, Flow::DEFAULT, EngineKind::Fast);
        if fast.classes() < fast.endpoints().len() {
            shared += 1;
        }
        let s = fast.summary();
        if s.reachable > 0 && s.blocked > 0 {
            mixed += 1;
        }
    }
    assert!(shared > 30, "only {shared} designs share classes");
    assert!(mixed > 20, "only {mixed} designs mix verdicts");
}

/// Two subnets alike in everything but their place in a subnet-level peering must not share a
/// class: only the listed one can send over the peering.
#[test]
fn subnet_peering_keeps_listed_and_unlisted_subnets_apart() {
    let mut d = Design::empty("subnet peering");
    for (name, octet) in [("a", 1u8), ("b", 2)] {
        let mut vnet = Vnet::new(
            name,
            "westeurope".parse().expect("known region"),
            vec![net(&format!("10.{octet}.0.0/16"))],
        );
        for s in 1..=2u8 {
            vnet.subnets.push(Subnet::new(
                format!("s{s}"),
                net(&format!("10.{octet}.{s}.0/24")),
            ));
            d.vms.push(Vm::new(
                format!("vm-{name}{s}"),
                SubnetRef::new(name, format!("s{s}")),
                Ipv4Addr::new(10, octet, s, 4),
            ));
        }
        d.vnets.push(vnet);
    }
    // Only a's link is subnet-level, so no prefix of a's subnets splits them by address.
    let mut a_to_b = Peering::new("a-b", "a", "b");
    a_to_b.local_subnets = vec!["s1".into()];
    a_to_b.remote_subnets = vec!["s1".into(), "s2".into()];
    d.peerings.push(a_to_b);
    d.peerings.push(Peering::new("b-a", "b", "a"));
    let fast = analyze(&d, Flow::DEFAULT, EngineKind::Fast);
    let reference = analyze(&d, Flow::DEFAULT, EngineKind::Reference);
    let at = |name: &str| fast.index_of(name).expect("endpoint");
    for analysis in [&fast, &reference] {
        assert_eq!(
            analysis.verdict(at("vm-a1"), at("vm-b1")),
            vnetlab::engine::Verdict::Reachable
        );
        assert_eq!(
            analysis.verdict(at("vm-a2"), at("vm-b1")),
            vnetlab::engine::Verdict::Blocked
        );
    }
}

/// Hosts of one site talk over the site's own network, outside Azure: reachable in one hop
/// even when the site has no connection at all, in both engines; hosts of different sites still
/// need Azure to carry the packet.
#[test]
fn hosts_of_one_site_reach_each_other_outside_azure() {
    let mut d = Design::empty("two offices");
    for (name, octet) in [("hq", 1u8), ("branch", 2)] {
        d.sites.push(Site {
            name: name.into(),
            prefixes: vec![net(&format!("192.168.{octet}.0/24"))],
            hosts: (10..12)
                .map(|last| Host {
                    name: format!("{name}-{last}"),
                    ip: Ipv4Addr::new(192, 168, octet, last),
                })
                .collect(),
            bgp: false,
        });
    }
    let fast = analyze(&d, Flow::DEFAULT, EngineKind::Fast);
    let reference = analyze(&d, Flow::DEFAULT, EngineKind::Reference);
    let at = |name: &str| fast.index_of(name).expect("endpoint");
    for analysis in [&fast, &reference] {
        assert_eq!(
            analysis.verdict(at("hq-10"), at("hq-11")),
            vnetlab::engine::Verdict::Reachable
        );
        assert_eq!(
            analysis.verdict(at("branch-11"), at("branch-10")),
            vnetlab::engine::Verdict::Reachable
        );
        assert_eq!(
            analysis.verdict(at("hq-10"), at("branch-10")),
            vnetlab::engine::Verdict::Blocked
        );
    }
    let t = vnetlab::engine::trace(&d, "hq-10", "hq-11", Flow::DEFAULT).expect("endpoints exist");
    assert_eq!(t.forward.len(), 1);
    assert_eq!(t.forward[0].at, "site `hq`");
    assert!(
        t.forward[0].detail.contains("outside Azure"),
        "{:?}",
        t.forward[0]
    );
    assert!(t.blockers.is_empty());
}
