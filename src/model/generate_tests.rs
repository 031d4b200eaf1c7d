//! Tests of the hub-and-spoke generator: determinism, validity, counts, the address plan and
//! the errors for counts that cannot be generated.

use super::*;
use crate::model::{EndpointKind, NextHop, overlaps};

fn params(hubs: usize, spokes: usize, subnets: usize, vms: usize) -> HubSpokeParams {
    HubSpokeParams {
        hubs,
        spokes,
        subnets_per_spoke: subnets,
        vms_per_subnet: vms,
    }
}

fn generate(hubs: usize, spokes: usize, subnets: usize, vms: usize) -> Design {
    hub_spoke(&params(hubs, spokes, subnets, vms)).unwrap_or_else(|e| panic!("{e}"))
}

/// The shapes the tests run over: workshop, multi-hub, uneven spread, large subnets, benchmark.
const SHAPES: [(usize, usize, usize, usize); 6] = [
    (1, 0, 1, 1),
    (1, 4, 1, 2),
    (3, 7, 2, 3),
    (2, 5, 3, 300),
    (4, 40, 1, 1),
    (2, 200, 2, 5),
];

#[test]
fn same_parameters_give_the_same_design_and_file() {
    for (h, s, n, v) in SHAPES {
        let first = generate(h, s, n, v);
        let second = generate(h, s, n, v);
        assert_eq!(first, second);
        assert_eq!(
            crate::io::to_ron(&first).unwrap(),
            crate::io::to_ron(&second).unwrap()
        );
    }
}

#[test]
fn generated_designs_are_valid_and_round_trip_through_a_file() {
    for (h, s, n, v) in SHAPES {
        let design = generate(h, s, n, v);
        assert_eq!(design.validate(), Vec::new(), "{h}/{s}/{n}/{v}");
        let text = crate::io::to_ron(&design).unwrap();
        let again =
            crate::io::parse_design(&text, "generated.ron").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, design);
    }
}

#[test]
fn endpoint_counts_follow_the_parameters() {
    for (h, s, n, v) in SHAPES {
        let endpoints = generate(h, s, n, v).endpoints();
        let count = |kind: EndpointKind| endpoints.iter().filter(|e| e.kind == kind).count();
        // Per hub: the NVA and the shared VM, two site hosts, one point-to-site client.
        assert_eq!(
            count(EndpointKind::Vm),
            2 * h + s * n * v,
            "{h}/{s}/{n}/{v}"
        );
        assert_eq!(count(EndpointKind::SiteHost), 2 * h);
        assert_eq!(count(EndpointKind::P2sClient), h);
    }
    assert_eq!(generate(2, 200, 2, 5).endpoints().len(), 2010);
}

#[test]
fn every_spoke_subnet_has_its_vms_an_nsg_and_a_route_to_its_hub_nva() {
    let design = generate(3, 7, 2, 3);
    for vnet in design.vnets.iter().filter(|v| v.name.starts_with("spoke")) {
        assert_eq!(vnet.subnets.len(), 2);
        for subnet in &vnet.subnets {
            let here = SubnetRef::new(&vnet.name, &subnet.name);
            let vms = design
                .vms
                .iter()
                .filter(|vm| vm.nics[0].subnet == here)
                .count();
            assert_eq!(vms, 3, "{here}");
            let nsg = subnet.nsg.as_deref().and_then(|n| design.nsg(n));
            assert!(
                nsg.is_some_and(|n| !n.rules.is_empty()),
                "{here} has an NSG with rules"
            );
            let table = subnet
                .route_table
                .as_deref()
                .and_then(|t| design.route_table(t));
            let Some(NextHop::VirtualAppliance(ip)) =
                table.and_then(|t| t.routes.first()).map(|r| r.next_hop)
            else {
                panic!("{here} has no UDR to an appliance");
            };
            let hub = &design
                .peerings
                .iter()
                .find(|p| p.local == vnet.name)
                .expect("spoke is peered")
                .remote;
            let (nva, _) = design
                .nic_with_ip(hub, ip)
                .expect("the next hop is a NIC in the spoke's hub");
            assert!(
                nva.appliance.is_some() && nva.nics[0].ip_forwarding,
                "{} forwards",
                nva.name
            );
        }
    }
}

#[test]
fn every_peering_is_connected_valid_and_effective() {
    let design = generate(3, 7, 1, 1);
    // Hubs in a full mesh (3 pairs), each spoke to its hub: both sides each.
    assert_eq!(design.peerings.len(), 2 * (3 + 7));
    for peering in &design.peerings {
        assert_eq!(
            design.peering_state(peering),
            crate::model::PeeringState::Connected
        );
        assert_eq!(
            design.peering_violations(peering),
            Vec::new(),
            "{}",
            peering.name
        );
        assert!(peering.allow_forwarded_traffic);
        if peering.local.starts_with("spoke") {
            assert!(
                design.uses_remote_gateway_effectively(peering),
                "{}",
                peering.name
            );
        }
    }
    // Spokes are dealt round-robin: spoke4 belongs to hub1 again.
    assert!(design.peering_between("spoke4", "hub1").is_some());
}

#[test]
fn address_plan_never_overlaps() {
    for (h, s, n, v) in SHAPES {
        let design = generate(h, s, n, v);
        let spaces: Vec<Ipv4Net> = design
            .vnets
            .iter()
            .flat_map(|v| v.address_space.clone())
            .collect();
        let outside: Vec<Ipv4Net> = design
            .sites
            .iter()
            .flat_map(|s| s.prefixes.clone())
            .chain(design.gateways.iter().flat_map(|g| g.client_pool.clone()))
            .collect();
        for (i, a) in spaces.iter().chain(&outside).enumerate() {
            for b in spaces.iter().chain(&outside).skip(i + 1) {
                assert!(!overlaps(a, b), "{a} overlaps {b} in {h}/{s}/{n}/{v}");
            }
        }
        for vnet in &design.vnets {
            for (i, a) in vnet.subnets.iter().enumerate() {
                assert!(
                    vnet.address_space[0].contains(&a.prefix),
                    "{} in {}",
                    a.prefix,
                    vnet.name
                );
                for b in vnet.subnets.iter().skip(i + 1) {
                    assert!(
                        !overlaps(&a.prefix, &b.prefix),
                        "{} and {}",
                        a.prefix,
                        b.prefix
                    );
                }
            }
        }
    }
}

#[test]
fn address_plan_prefers_one_slash_16_per_vnet_and_shrinks_blocks_to_fit() {
    let small = generate(1, 4, 1, 1);
    let space = |d: &Design, name: &str| d.vnet(name).map(|v| v.address_space[0].to_string());
    assert_eq!(space(&small, "hub1").as_deref(), Some("10.0.0.0/16"));
    assert_eq!(space(&small, "spoke4").as_deref(), Some("10.4.0.0/16"));
    let gateway_subnet = small
        .subnet(&SubnetRef::new("hub1", GATEWAY_SUBNET))
        .map(|s| s.prefix.to_string());
    assert_eq!(gateway_subnet.as_deref(), Some("10.0.255.0/27"));

    // The benchmark design: each hub's region is a /9 holding 101 /16s.
    let bench = generate(2, 200, 2, 5);
    assert_eq!(space(&bench, "hub2").as_deref(), Some("10.128.0.0/16"));
    assert_eq!(space(&bench, "spoke2").as_deref(), Some("10.129.0.0/16"));
    let nva_table = bench
        .route_table("rt-hub1-nva")
        .expect("multi-hub NVA table");
    assert_eq!(nva_table.routes[0].prefix.to_string(), "10.128.0.0/9");

    // 1,000 spokes of one subnet cannot have /16s: blocks shrink until they fit.
    let many = generate(1, 1000, 1, 1);
    assert_eq!(space(&many, "spoke1").as_deref(), Some("10.0.64.0/18"));
    assert_eq!(many.validate(), Vec::new());
}

#[test]
fn impossible_counts_are_refused_with_a_sentence() {
    let error = |h, s, n, v| hub_spoke(&params(h, s, n, v)).expect_err("must be refused");
    assert_eq!(
        error(0, 4, 1, 1).to_string(),
        "the number of hubs must be at least 1; a hub-and-spoke design needs at least one hub"
    );
    assert_eq!(
        error(1, 4, 0, 1),
        GenerateError::ZeroCount {
            count: Count::SubnetsPerSpoke
        }
    );
    assert_eq!(
        error(1, 4, 1, 0),
        GenerateError::ZeroCount {
            count: Count::VmsPerSubnet
        }
    );
    assert_eq!(
        error(256, 0, 1, 1),
        GenerateError::TooManyHubs { hubs: 256 }
    );
    let exhausted = error(1, 20_000, 1, 1);
    assert!(matches!(
        exhausted,
        GenerateError::AddressSpaceExhausted { .. }
    ));
    assert!(exhausted.to_string().contains("does not fit in 10.0.0.0/8"));
    assert!(matches!(
        error(1, 1, 1, usize::MAX),
        GenerateError::AddressSpaceExhausted { .. }
    ));
    assert!(matches!(
        error(1, usize::MAX, usize::MAX, 1),
        GenerateError::AddressSpaceExhausted { .. }
    ));
}

#[test]
fn tiered_spokes_validate_and_give_the_engine_many_more_classes() {
    use crate::engine::{EngineKind, analyze};
    let params = HubSpokeParams {
        hubs: 2,
        spokes: 12,
        subnets_per_spoke: 3,
        vms_per_subnet: 2,
    };
    let plain = hub_spoke(&params).expect("generates");
    let tiered = hub_spoke_tiered(&params).expect("generates");
    assert_eq!(tiered.validate(), Vec::new());
    assert_eq!(tiered.endpoints().len(), plain.endpoints().len());
    // One NSG and one route table per spoke subnet, besides the hubs' own.
    let hub_nsgs = plain.nsgs.len() - 12;
    assert_eq!(tiered.nsgs.len(), hub_nsgs + 12 * 3);
    assert!(tiered.route_tables.len() > plain.route_tables.len() + 12);
    let db = tiered
        .nsgs
        .iter()
        .find(|n| n.name == "nsg-spoke1-snet3")
        .expect("spoke1's db tier");
    assert_eq!(db.rules[0].name, "allow-sql-from-app");
    assert!(
        tiered.description.contains("--tiered"),
        "{}",
        tiered.description
    );
    let classes = |d: &Design| analyze(d, crate::model::Flow::DEFAULT, EngineKind::Fast).classes();
    let (plain_classes, tiered_classes) = (classes(&plain), classes(&tiered));
    // A plain spoke's subnets share their NSG and table, so a spoke is one class; every tiered
    // subnet is a class of its own: two more per spoke here.
    assert!(
        tiered_classes >= plain_classes + 2 * 12,
        "plain {plain_classes} classes, tiered {tiered_classes}"
    );
    assert_eq!(tiered, hub_spoke_tiered(&params).expect("generates"));
}
