//! `vnetlab::diff`: the pairs that flip between two designs, with their codes before and now,
//! the changed object on their path, and the exit decision (intents of AFTER, protected
//! pairs). Every flipped-pair count is checked against the engine's per-pair verdicts.
//!
//! Sources: Azure's rule that a peering carries traffic only when both links exist
//! (azure-semantics.md §1.4, `PEERING_NOT_CONNECTED`), that a VNet with no peering has no route
//! to the other (`ROUTE_NONE`, §1.1), and that an NSG deny rule drops the flow (§2).
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::BTreeSet;
use vnetlab::diff::{ChangeKind, DiffOptions, Protect, diff};
use vnetlab::edit::ObjectRef;
use vnetlab::engine::{EngineKind, ReasonCode, Verdict, analyze};
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};
use vnetlab::model::{
    Access, AddressMatch, Design, Direction, Flow, NsgRule, ObjectKind, PortRange, Protocol,
};

/// Every flipped pair, one by one from the engine's verdicts, with its codes before and now.
fn flipped_by_pair(
    before: &Design,
    after: &Design,
    flow: Flow,
) -> BTreeSet<(String, String, Vec<ReasonCode>, Vec<ReasonCode>)> {
    let (was, is) = (
        analyze(before, flow, EngineKind::Fast),
        analyze(after, flow, EngineKind::Fast),
    );
    let mut out = BTreeSet::new();
    for (i, a) in is.endpoints().iter().enumerate() {
        for (j, b) in is.endpoints().iter().enumerate() {
            let (Some(oi), Some(oj)) = (was.index_of(&a.name), was.index_of(&b.name)) else {
                continue;
            };
            if i != j && was.verdict(oi, oj) != is.verdict(i, j) {
                out.insert((
                    a.name.clone(),
                    b.name.clone(),
                    was.reason_codes(oi, oj),
                    is.reason_codes(i, j),
                ));
            }
        }
    }
    out
}

fn small_hub_spoke() -> Design {
    hub_spoke(&HubSpokeParams {
        hubs: 1,
        spokes: 3,
        subnets_per_spoke: 1,
        vms_per_subnet: 2,
    })
    .unwrap()
}

/// A hub peered both ways with two spokes, one VM in each VNet, nothing else.
fn plain_hub_spoke() -> Design {
    vnetlab::io::parse_design(
        r#"Design(
    version: 1,
    name: "plain hub and spoke",
    vnets: [
        Vnet(name: "hub", region: "westeurope", address_space: ["10.0.0.0/16"],
             subnets: [Subnet(name: "default", prefix: "10.0.1.0/24")]),
        Vnet(name: "spoke1", region: "westeurope", address_space: ["10.1.0.0/16"],
             subnets: [Subnet(name: "default", prefix: "10.1.1.0/24")]),
        Vnet(name: "spoke2", region: "westeurope", address_space: ["10.2.0.0/16"],
             subnets: [Subnet(name: "default", prefix: "10.2.1.0/24")]),
    ],
    vms: [
        Vm(name: "vm-hub", nics: [Nic(subnet: "hub/default", ip: "10.0.1.4")]),
        Vm(name: "vm-spoke1", nics: [Nic(subnet: "spoke1/default", ip: "10.1.1.4")]),
        Vm(name: "vm-spoke2", nics: [Nic(subnet: "spoke2/default", ip: "10.2.1.4")]),
    ],
    peerings: [
        Peering(name: "hub-to-spoke1", local: "hub", remote: "spoke1"),
        Peering(name: "spoke1-to-hub", local: "spoke1", remote: "hub"),
        Peering(name: "hub-to-spoke2", local: "hub", remote: "spoke2"),
        Peering(name: "spoke2-to-hub", local: "spoke2", remote: "hub"),
    ],
)"#,
        "plain.ron",
    )
    .unwrap()
}

fn pairs(
    list: &[(&str, &str, &[ReasonCode], &[ReasonCode])],
) -> BTreeSet<(String, String, Vec<ReasonCode>, Vec<ReasonCode>)> {
    list.iter()
        .map(|(a, b, was, is)| (a.to_string(), b.to_string(), was.to_vec(), is.to_vec()))
        .collect()
}

#[test]
fn removing_one_link_of_a_spoke_peering_flips_its_pairs_to_peering_not_connected() {
    let before = plain_hub_spoke();
    let mut after = before.clone();
    after.peerings.retain(|p| p.name != "spoke1-to-hub");
    let report = diff(&before, &after, &DiffOptions::default()).unwrap();

    assert_eq!(report.changes.len(), 1);
    assert_eq!(report.changes[0].change, ChangeKind::Removed);
    assert_eq!(
        report.changes[0].object,
        ObjectRef::new(ObjectKind::Peering, "spoke1-to-hub")
    );
    // Exactly the two hub ↔ spoke1 pairs flip (spoke1 ↔ spoke2 was never reachable).
    let not_connected: &[ReasonCode] = &[ReasonCode::PeeringNotConnected];
    assert_eq!(
        flipped_by_pair(&before, &after, Flow::DEFAULT),
        pairs(&[
            ("vm-hub", "vm-spoke1", &[], not_connected),
            ("vm-spoke1", "vm-hub", &[], not_connected),
        ])
    );
    let flow = &report.flows[0];
    assert_eq!((flow.became_blocked, flow.became_reachable), (2, 0));
    assert_eq!(flow.groups.len(), 1);
    let group = &flow.groups[0];
    assert_eq!(group.now, Verdict::Blocked);
    assert_eq!(
        (group.before.as_slice(), group.after.as_slice()),
        (&[][..], not_connected)
    );
    assert_eq!(
        group.causes,
        [ObjectRef::new(ObjectKind::Peering, "spoke1-to-hub")]
    );
    let cells: Vec<(String, String, usize)> = group
        .cells
        .iter()
        .map(|c| (c.from.to_string(), c.to.to_string(), c.pairs))
        .collect();
    assert_eq!(
        cells,
        [
            ("hub".into(), "spoke1".into(), 1),
            ("spoke1".into(), "hub".into(), 1)
        ]
    );
}

#[test]
fn removing_both_links_flips_the_hub_pairs_to_route_none() {
    let before = plain_hub_spoke();
    let mut after = before.clone();
    after
        .peerings
        .retain(|p| p.name != "spoke1-to-hub" && p.name != "hub-to-spoke1");
    let report = diff(&before, &after, &DiffOptions::default()).unwrap();
    let route_none: &[ReasonCode] = &[ReasonCode::RouteNone];
    assert_eq!(
        flipped_by_pair(&before, &after, Flow::DEFAULT),
        pairs(&[
            ("vm-hub", "vm-spoke1", &[], route_none),
            ("vm-spoke1", "vm-hub", &[], route_none),
        ])
    );
    let flow = &report.flows[0];
    assert_eq!(flow.became_blocked, 2);
    assert_eq!(flow.groups.len(), 1);
    assert_eq!(flow.groups[0].after, route_none);
    let causes: BTreeSet<&str> = flow.groups[0]
        .causes
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(causes, BTreeSet::from(["hub-to-spoke1", "spoke1-to-hub"]));
    assert!(
        report
            .changes
            .iter()
            .all(|c| c.change == ChangeKind::Removed)
    );
}

#[test]
fn an_nsg_deny_rule_flips_the_pairs_into_its_subnet_and_names_the_rule() {
    let mut before = plain_hub_spoke();
    before.nsgs.push(vnetlab::model::Nsg {
        name: "nsg-spoke1".into(),
        rules: Vec::new().into(),
    });
    before.vnets[1].subnets[0].nsg = Some("nsg-spoke1".into());
    let mut after = before.clone();
    after.nsgs[0].rules.push(NsgRule {
        name: "deny-https-in".into(),
        priority: 100,
        direction: Direction::Inbound,
        access: Access::Deny,
        protocol: Protocol::Tcp,
        source: vec![AddressMatch::Any],
        source_ports: vec![PortRange::ALL],
        destination: vec![AddressMatch::Any],
        destination_ports: vec!["443".parse().unwrap()],
        source_asgs: Vec::new(),
        destination_asgs: Vec::new(),
        description: None,
    });
    let report = diff(&before, &after, &DiffOptions::default()).unwrap();
    let change = &report.changes[0];
    assert_eq!(change.object, ObjectRef::new(ObjectKind::Nsg, "nsg-spoke1"));
    assert_eq!(change.fields[0].field, "rules[deny-https-in]");
    assert!(
        change
            .describe()
            .starts_with("~ NSG `nsg-spoke1`: rules[deny-https-in] added: {")
    );
    let deny: &[ReasonCode] = &[ReasonCode::NsgDeny];
    assert_eq!(
        flipped_by_pair(&before, &after, Flow::DEFAULT),
        pairs(&[("vm-hub", "vm-spoke1", &[], deny)])
    );
    let flow = &report.flows[0];
    assert_eq!((flow.became_blocked, flow.groups.len()), (1, 1));
    assert_eq!(flow.groups[0].after, deny);
    assert_eq!(flow.groups[0].causes, std::slice::from_ref(&change.object));
    // ICMP is not denied: nothing flips for it.
    let icmp = diff(
        &before,
        &after,
        &DiffOptions {
            flows: vec!["icmp".parse().unwrap()],
            protect: Vec::new(),
        },
    )
    .unwrap();
    assert_eq!(
        icmp.flows[0].became_blocked + icmp.flows[0].became_reachable,
        0
    );
}

#[test]
fn protected_pairs_and_intents_decide_failure() {
    let before = small_hub_spoke();
    let mut after = before.clone();
    after.peerings.retain(|p| p.name != "spoke1-to-hub1");
    let spoke1_vm = before
        .vms
        .iter()
        .find(|v| v.name.starts_with("spoke1-"))
        .unwrap()
        .name
        .clone();
    let options = |protect: Vec<Protect>| DiffOptions {
        flows: vec![Flow::DEFAULT],
        protect,
    };
    // Unrelated pairs protected: no failure.
    let calm = diff(
        &before,
        &after,
        &options(vec!["spoke2:spoke3".parse().unwrap()]),
    )
    .unwrap();
    assert!(!calm.failed());
    assert_eq!(calm.protected[0].flipped, 0);
    // The broken spoke protected, by VNet name and by endpoint name.
    for spec in ["spoke1:hub1", &format!("{spoke1_vm}:hub1")] {
        let broken = diff(&before, &after, &options(vec![spec.parse().unwrap()])).unwrap();
        assert!(broken.failed(), "{spec}");
        assert!(broken.protected[0].flipped > 0);
        assert_eq!(
            broken.protected[0].example.as_ref().unwrap().2,
            Verdict::Blocked
        );
    }
    // A name in neither design is bad input.
    let unknown = diff(
        &before,
        &after,
        &options(vec!["nope:hub1".parse().unwrap()]),
    );
    assert!(unknown.unwrap_err().to_string().contains("`nope`"));
    assert!("hub1".parse::<Protect>().is_err());
    // An endpoint removed from a protected VNet breaks the protection.
    let mut shrunk = before.clone();
    shrunk.vms.retain(|v| v.name != spoke1_vm);
    let gone = diff(
        &before,
        &shrunk,
        &options(vec!["spoke1:hub1".parse().unwrap()]),
    )
    .unwrap();
    assert_eq!(gone.protected[0].gone, std::slice::from_ref(&spoke1_vm));
    assert!(gone.failed());
    assert_eq!(gone.removed_endpoints[0].names, [spoke1_vm]);
    // An intent of AFTER that fails fails the diff; one that holds does not.
    let mut with_intent = after.clone();
    with_intent.intents.push(vnetlab::model::Intent {
        name: "spoke2-to-spoke3".into(),
        from: before
            .vms
            .iter()
            .find(|v| v.name.starts_with("spoke2-"))
            .unwrap()
            .name
            .clone(),
        to: before
            .vms
            .iter()
            .find(|v| v.name.starts_with("spoke3-"))
            .unwrap()
            .name
            .clone(),
        flow: Flow::DEFAULT,
        expect: vnetlab::model::Expectation::Reachable,
    });
    let holds = diff(&before, &with_intent, &DiffOptions::default()).unwrap();
    assert_eq!(holds.intents.len(), 1);
    assert_eq!(
        holds.intents[0].pass,
        holds.intents[0].actual == Some(Verdict::Reachable)
    );
    with_intent.intents[0].expect = vnetlab::model::Expectation::Blocked;
    with_intent.intents[0].name = "must-be-blocked".into();
    let fails = diff(&before, &with_intent, &DiffOptions::default()).unwrap();
    assert_eq!(
        fails.failed(),
        fails.intents[0].actual == Some(Verdict::Reachable)
    );
}

#[test]
fn identical_designs_have_no_change_and_no_flip() {
    let design = vnetlab::io::examples::default_design();
    let report = diff(&design, &design, &DiffOptions::default()).unwrap();
    assert!(report.changes.is_empty() && report.design_fields.is_empty());
    assert_eq!(
        report.flows[0].became_blocked + report.flows[0].became_reachable,
        0
    );
    assert!(report.flows[0].groups.is_empty());
}

/// 2 hubs × 200 spokes, 5 VMs per spoke: turning off forwarded traffic on one hub-to-hub link
/// flips about a million pairs; the report stays a handful of groups (class-level throughout)
/// and its text a screenful.
#[test]
fn a_hub_flag_change_on_a_large_design_flips_a_million_pairs_into_one_screen() {
    let before = hub_spoke(&HubSpokeParams {
        hubs: 2,
        spokes: 400,
        subnets_per_spoke: 1,
        vms_per_subnet: 5,
    })
    .unwrap();
    let mut after = before.clone();
    let link = after
        .peerings
        .iter_mut()
        .find(|p| p.name == "hub1-to-hub2")
        .unwrap();
    assert!(link.allow_forwarded_traffic);
    link.allow_forwarded_traffic = false;
    let report = diff(&before, &after, &DiffOptions::default()).unwrap();
    let flow = &report.flows[0];
    assert!(flow.became_blocked > 900_000, "{}", flow.became_blocked);
    assert_eq!(flow.became_reachable, 0);
    assert!(flow.groups.len() <= 4, "{}", flow.groups.len());
    let main = &flow.groups[0];
    assert_eq!(main.after, [ReasonCode::ForwardedTrafficBlocked]);
    assert_eq!(
        main.causes,
        [ObjectRef::new(ObjectKind::Peering, "hub1-to-hub2")]
    );
    let change = &report.changes[0];
    assert_eq!(
        change.describe(),
        "~ peering `hub1-to-hub2`: allow_forwarded_traffic: true → false"
    );
    assert!(!report.failed());
    #[cfg(feature = "cli")]
    {
        let text = vnetlab::cli::diff_text(&report, "before.ron", "after.ron");
        assert!(text.lines().count() <= 24, "{text}");
        assert!(text.contains("FORWARDED_TRAFFIC_BLOCKED"), "{text}");
    }
}
