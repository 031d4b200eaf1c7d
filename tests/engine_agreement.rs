//! The fast engine (equivalence classes) and the reference engine (every pair walked on its
//! own) agree on every pair's verdict and reason codes, and a trace of a pair agrees with the
//! analysis, on generated designs that use every part of the model: VNet-to-VNet and
//! site-to-site connections with and without BGP, point-to-site pools, several gateways and
//! sites, secondary NICs, multi-prefix spaces and subnets, unsynced snapshots, disconnected
//! links, subnet-level peerings, application security groups, Route Servers, AVNM network groups
//! with mesh and hub-and-spoke configurations, every
//! assumption, service tags, source ports, appliance rules on ports and protocols, NIC NSGs,
//! every next hop type, propagation off, ExpressRoute, classic VNets, Government and China
//! regions, intents (the full list is `strategies::census::FEATURES`, and the vacuity guard
//! below fails if the generator stops producing any of them).
//!
//! A failure shrinks to a small design, printed as a design file. The case count is small so
//! that `cargo test` stays quick; a long run is
//! `PROPTEST_CASES=20000 cargo test --release --test engine_agreement`.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod strategies;

use proptest::prelude::*;
use proptest::sample::Index;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use strategies::{census, ron, valid_design};
use vnetlab::engine::{EngineKind, ReasonCode, Tracer, Verdict, analyze};
use vnetlab::model::{Design, Flow, Host, Peering, Site, Subnet, SubnetRef, Vm, Vnet};

fn net(text: &str) -> ipnet::Ipv4Net {
    text.parse().expect("literal CIDR")
}

/// Codes of a trace's blockers, first occurrence of each, as the analysis lists them.
fn distinct(codes: impl Iterator<Item = ReasonCode>) -> Vec<ReasonCode> {
    let mut out = Vec::new();
    for code in codes {
        if !out.contains(&code) {
            out.push(code);
        }
    }
    out
}

proptest! {
    #![proptest_config(strategies::config(128))]

    #[test]
    fn fast_and_reference_engines_agree_on_every_pair(
        design in valid_design(),
        flow in strategies::flow(),
        traced in proptest::collection::vec((any::<Index>(), any::<Index>()), 6),
    ) {
        let fast = analyze(&design, flow, EngineKind::Fast);
        let reference = analyze(&design, flow, EngineKind::Reference);
        prop_assert_eq!(fast.endpoints(), reference.endpoints());
        let names = |a: usize, b: usize| {
            format!("{} → {} ({flow})", fast.endpoints()[a].name, fast.endpoints()[b].name)
        };
        let n = fast.endpoints().len();
        for a in 0..n {
            for b in 0..n {
                prop_assert_eq!(
                    fast.reason_codes(a, b), reference.reason_codes(a, b), "{}", names(a, b)
                );
                prop_assert_eq!(fast.verdict(a, b), reference.verdict(a, b), "{}", names(a, b));
            }
        }
        prop_assert_eq!(fast.summary(), reference.summary());
        if n == 0 {
            return Ok(());
        }
        let tracer = Tracer::new(&design);
        for (a, b) in traced {
            let (a, b) = (a.index(n), b.index(n));
            let trace = tracer.trace_indexes(a, b, flow).expect("indexes are in range");
            prop_assert_eq!(trace.verdict, reference.verdict(a, b), "trace of {}", names(a, b));
            prop_assert_eq!(
                distinct(trace.blockers.iter().map(|x| x.code)),
                reference.reason_codes(a, b),
                "trace of {}", names(a, b)
            );
        }
    }

    /// The generator's promise: every design it makes is sound.
    #[test]
    fn generated_designs_validate(design in valid_design()) {
        let errors: Vec<String> = design.validate().iter().map(ToString::to_string).collect();
        prop_assert!(errors.is_empty(), "{errors:?}");
    }
}

/// The generator really produces what the property needs: designs where classes are shared by
/// several endpoints, where both verdicts occur, where most reason codes occur, and where
/// every feature of `census::FEATURES` occurs, so agreement is not vacuous.
#[test]
fn generated_designs_share_classes_mix_verdicts_and_cover_every_feature() {
    let cases = strategies::sample(&(valid_design(), strategies::flow()), 160);
    let (mut shared, mut mixed) = (0, 0);
    let mut features: BTreeMap<&str, usize> = BTreeMap::new();
    let mut codes: BTreeSet<ReasonCode> = BTreeSet::new();
    for (design, flow) in &cases {
        let fast = analyze(design, *flow, EngineKind::Fast);
        if fast.classes() < fast.endpoints().len() {
            shared += 1;
        }
        let s = fast.summary();
        if s.reachable > 0 && s.blocked > 0 {
            mixed += 1;
        }
        let n = fast.endpoints().len();
        for a in 0..n {
            for b in 0..n {
                codes.extend(fast.reason_codes(a, b));
            }
        }
        for name in census::features(design) {
            *features.entry(name).or_default() += 1;
        }
    }
    let missing: Vec<&str> = census::FEATURES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| features.get(name).copied().unwrap_or(0) < 2)
        .collect();
    assert!(
        missing.is_empty(),
        "features seen in fewer than 2 of 160 designs: {missing:?}\n{features:?}"
    );
    assert!(shared > 90, "only {shared} of 160 designs share classes");
    assert!(mixed > 115, "only {mixed} of 160 designs mix verdicts");
    // Every code the walk can produce occurs. PEERING_MISSING is declared but never produced
    // by the walk (unpeered VNets give ROUTE_NONE or NO_ROUTE_INTERNET), so it cannot occur.
    let unseen: Vec<ReasonCode> = ReasonCode::ALL
        .iter()
        .copied()
        .filter(|c| !codes.contains(c))
        .collect();
    assert!(
        unseen.iter().all(|c| *c == ReasonCode::PeeringMissing),
        "reason codes never produced: {unseen:?}"
    );
}

/// A failing property prints the design as a design file that reads back as the same design.
#[test]
fn a_generated_design_prints_as_a_design_file() {
    for design in strategies::sample(&valid_design(), 8) {
        let text = format!("{design:?}");
        let file = text
            .strip_prefix("design file:\n")
            .expect("the Debug header");
        assert_eq!(file, ron(&design));
        assert_eq!(
            vnetlab::io::parse_design(file, "generated.ron").unwrap(),
            *design
        );
    }
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
            Verdict::Reachable
        );
        assert_eq!(analysis.verdict(at("vm-a2"), at("vm-b1")), Verdict::Blocked);
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
            Verdict::Reachable
        );
        assert_eq!(
            analysis.verdict(at("branch-11"), at("branch-10")),
            Verdict::Reachable
        );
        assert_eq!(
            analysis.verdict(at("hq-10"), at("branch-10")),
            Verdict::Blocked
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
