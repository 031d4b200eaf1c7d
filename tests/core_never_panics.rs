//! The core answers for any `Design` value, valid or not (issue 15): on generated designs
//! broken on purpose (`strategies::damage`: duplicate names of every kind, VMs with no NIC,
//! dangling references everywhere, empty and whole-IPv4 address spaces, subnets outside their
//! VNet, peerings to themselves and second links, connections to missing gateways, empty,
//! Unicode, quoted and 70,000-character names, odd NSG priorities and pools), nothing panics:
//! validation, both engines, traces, effective routes, lint, a session over the design, the
//! design-file writer and reader, and the Azure export → import round trip. The two engines
//! also agree on every pair of these designs.
//!
//! A panic shrinks to the smallest design and damage list that still panics, printed as a
//! design file. The case count is small so that `cargo test` stays quick; a long run is
//! `PROPTEST_CASES=5000 cargo test --release --test core_never_panics`.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod strategies;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use strategies::damage::{BREAKAGES, arbitrary_design};
use strategies::ron;
use vnetlab::engine::{Analysis, EngineKind, Tracer, analyze, effective_routes, trace};
use vnetlab::io::{azure, parse_design};
use vnetlab::model::{Design, Flow, SubnetRef, Vm};
use vnetlab::session::Session;

/// Everything the core offers on a design, with the answers thrown away (only a panic fails),
/// except the two analyses, which are returned.
fn exercise(design: &Design, flow: Flow, pairs: &[(Index, Index)]) -> (Analysis, Analysis) {
    let _ = design.validate();
    let fast = analyze(design, flow, EngineKind::Fast);
    let reference = analyze(design, flow, EngineKind::Reference);
    let endpoints = fast.endpoints();
    let tracer = Tracer::new(design);
    for (a, b) in pairs {
        if endpoints.is_empty() {
            break;
        }
        let (a, b) = (a.index(endpoints.len()), b.index(endpoints.len()));
        let _ = tracer.trace_indexes(a, b, flow);
        let _ = trace(design, &endpoints[a].name, &endpoints[b].name, flow);
    }
    let _ = trace(design, "no such endpoint", "nor this", flow);
    for vnet in &design.vnets {
        for subnet in &vnet.subnets {
            let _ = effective_routes(design, &SubnetRef::new(&vnet.name, &subnet.name));
        }
    }
    let _ = effective_routes(design, &SubnetRef::new("no such vnet", "default"));
    let _ = vnetlab::lint::report(design);
    let session = Session::new(design.clone());
    let _ = session.diagnostics();
    let _ = parse_design(&ron(design), "arbitrary.ron");
    let exported = azure::export_text(design);
    let _ = azure::import_texts(&[("arbitrary.json".to_string(), exported)]);
    (fast, reference)
}

proptest! {
    #![proptest_config(strategies::config(48))]

    #[test]
    fn the_core_answers_for_any_design(
        design in arbitrary_design(),
        flow in strategies::flow(),
        pairs in vec((any::<Index>(), any::<Index>()), 4),
    ) {
        let (fast, reference) = exercise(&design, flow, &pairs);
        // The engines agree even on designs that do not validate.
        let n = fast.endpoints().len();
        for a in 0..n {
            for b in 0..n {
                prop_assert_eq!(fast.reason_codes(a, b), reference.reason_codes(a, b));
            }
        }
    }
}

/// Guards the property above against vacuity: over a fixed sample, most designs really are
/// broken, and each kind of breakage the property claims occurs.
#[test]
fn arbitrary_designs_are_broken_in_every_way() {
    let designs = strategies::sample(&arbitrary_design(), 256);
    let invalid = designs.iter().filter(|d| !d.validate().is_empty()).count();
    assert!(invalid > 160, "only {invalid} of 256 designs are invalid");
    for (name, has) in BREAKAGES {
        let seen = designs.iter().filter(|d| has(d)).count();
        assert!(seen >= 2, "{name}: seen in {seen} of 256 designs");
    }
}

/// A regression: `engine::analyze` used to panic (index out of bounds) when two VMs shared a
/// name and the last of them had no NIC, because the endpoint made from the first VM was looked
/// up by name and landed on the last one.
#[test]
fn two_vms_of_one_name_where_the_last_has_no_nic() {
    let mut design = Design::example_pair();
    design.vms.push(Vm {
        name: "vm-a".into(),
        nics: Vec::new(),
        appliance: None,
    });
    exercise(&design, Flow::DEFAULT, &[]);
}

/// A regression found by the property above: two VMs at one address in one subnet, and a route
/// in a peered VNet whose next hop is that address. The VNet's address lookup finds one of the
/// twins, so the walk delivers to that one and finds no such host for the other; the fast engine
/// used to put both twins in one class and answer for the second what it found for the first.
#[test]
fn two_vms_at_one_address_that_a_route_names() {
    use vnetlab::model::{NextHop, Peering, Route, RouteTable};
    let mut design = Design::example_pair();
    let twin = Vm::new(
        "vm-a-twin",
        SubnetRef::new("a", "default"),
        design.vms[0].nics[0].ip,
    );
    design.vms.push(twin);
    let mut table = RouteTable::new("to-a");
    table.routes.push(Route {
        name: "a-host".into(),
        prefix: "10.1.1.4/32".parse().unwrap(),
        next_hop: NextHop::VirtualAppliance("10.1.1.4".parse().unwrap()),
    });
    design.route_tables.push(table);
    design.vnets[1].subnets[0].route_table = Some("to-a".into());
    design.peerings.push(Peering::new("a-b", "a", "b"));
    design.peerings.push(Peering::new("b-a", "b", "a"));
    let (fast, reference) = exercise(&design, Flow::DEFAULT, &[]);
    let n = fast.endpoints().len();
    let mut codes = Vec::new();
    for a in 0..n {
        for b in 0..n {
            assert_eq!(
                fast.reason_codes(a, b),
                reference.reason_codes(a, b),
                "{a} -> {b}"
            );
            codes.extend(reference.reason_codes(a, b));
        }
    }
    // Not vacuous: one twin is the host the route finds and the other is not.
    assert!(
        codes.contains(&vnetlab::engine::ReasonCode::NoSuchHost),
        "{codes:?}"
    );
}
