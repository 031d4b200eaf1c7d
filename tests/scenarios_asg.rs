//! Application security groups (issue 11, item 3): NSG rules on ASGs are evaluated (a Deny
//! on an ASG really denies), membership is on the NICs, and the same-VNet rule holds.
//!
//! Source, for every test: application-security-groups.md (Azure Virtual Network, "Application
//! security groups"): its example AsgWeb / AsgLogic / AsgDb with the rules
//! Allow-HTTP-Inbound-Internet, Deny-Database-All (priority 120) and
//! Allow-Database-BusinessLogic (priority 110), and its constraint that all network interfaces
//! of an ASG, and the ASGs of one rule, are in one virtual network.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scenarios;

use scenarios::*;
use vnetlab::engine::ReasonCode::*;
use vnetlab::model::{
    Access, AddressMatch, Design, Direction, ModelError, NsgRule, PortRange, Protocol, ServiceTag,
};

/// The doc's example in VNet A, subnet s1 with NSG `nsg-app`: vmWeb (10.1.1.4, AsgWeb), vmLogic
/// (10.1.1.5, AsgLogic), vmDb (10.1.1.6, AsgDb).
fn doc_example() -> Design {
    let mut d = design();
    vnet(&mut d, "A", "10.1.0.0/16");
    subnet(&mut d, "A", "s1", "10.1.1.0/24");
    for (name, address) in [
        ("vmWeb", "10.1.1.4"),
        ("vmLogic", "10.1.1.5"),
        ("vmDb", "10.1.1.6"),
    ] {
        vm(&mut d, name, "A/s1", address);
    }
    asg(&mut d, "AsgWeb", &["vmWeb"]);
    asg(&mut d, "AsgLogic", &["vmLogic"]);
    asg(&mut d, "AsgDb", &["vmDb"]);
    let mut web = NsgRule::new(
        "Allow-HTTP-Inbound-Internet",
        100,
        Direction::Inbound,
        Access::Allow,
        Protocol::Tcp,
    );
    web.source = vec![AddressMatch::Tag(ServiceTag::Internet)];
    web.destination_asgs = vec!["AsgWeb".into()];
    web.destination_ports = vec![PortRange::single(80), PortRange::single(443)];
    nsg_rule(&mut d, "nsg-app", web);
    let mut deny_db = NsgRule::new(
        "Deny-Database-All",
        120,
        Direction::Inbound,
        Access::Deny,
        Protocol::Tcp,
    );
    deny_db.source = vec![AddressMatch::Tag(ServiceTag::VirtualNetwork)];
    deny_db.destination_asgs = vec!["AsgDb".into()];
    deny_db.destination_ports = vec![PortRange::single(1433)];
    nsg_rule(&mut d, "nsg-app", deny_db);
    let mut logic_db = NsgRule::new(
        "Allow-Database-BusinessLogic",
        110,
        Direction::Inbound,
        Access::Allow,
        Protocol::Tcp,
    );
    logic_db.source_asgs = vec!["AsgLogic".into()];
    logic_db.destination_asgs = vec!["AsgDb".into()];
    logic_db.destination_ports = vec![PortRange::single(1433)];
    nsg_rule(&mut d, "nsg-app", logic_db);
    nsg_on_subnet(&mut d, "nsg-app", "A/s1");
    d
}

#[test]
fn a_deny_on_an_asg_denies_and_an_allow_between_asgs_allows() {
    let d = doc_example();
    evaluate(&d, "vmLogic", "vmDb", "tcp/1433").assert_reachable();
    evaluate(&d, "vmWeb", "vmDb", "tcp/1433")
        .assert_blocked(&[NsgDeny])
        .assert_blocker_mentions(NsgDeny, "Deny-Database-All");
    // The deny names only AsgDb's port 1433: other ports and other members pass.
    evaluate(&d, "vmWeb", "vmDb", "tcp/443").assert_reachable();
    evaluate(&d, "vmWeb", "vmLogic", "tcp/1433").assert_reachable();
}

#[test]
fn membership_is_on_the_nic() {
    let mut d = doc_example();
    // vmWeb joins AsgLogic as well: the allow at priority 110 now matches it first.
    vm_mut(&mut d, "vmWeb").nics[0].asgs.push("AsgLogic".into());
    evaluate(&d, "vmWeb", "vmDb", "tcp/1433").assert_reachable();
    // A new VM in AsgDb is protected by the same rules without naming its address anywhere.
    vm(&mut d, "vmDb2", "A/s1", "10.1.1.7");
    vm_mut(&mut d, "vmDb2").nics[0].asgs.push("AsgDb".into());
    evaluate(&d, "vmDb", "vmDb2", "tcp/1433")
        .assert_blocked(&[NsgDeny])
        .assert_blocker_mentions(NsgDeny, "Deny-Database-All");
    evaluate(&d, "vmLogic", "vmDb2", "tcp/1433").assert_reachable();
}

#[test]
fn a_rule_naming_an_asg_without_members_matches_nothing() {
    let mut d = doc_example();
    vm_mut(&mut d, "vmDb").nics[0].asgs.clear();
    // Nothing is in AsgDb any more: neither the deny nor the allow applies to vmDb.
    evaluate(&d, "vmWeb", "vmDb", "tcp/1433").assert_reachable();
}

#[test]
fn every_nic_of_an_asg_sits_in_one_vnet() {
    let mut d = doc_example();
    standard_b(&mut d);
    vm_mut(&mut d, "vmB1").nics[0].asgs.push("AsgWeb".into());
    let errors = d.validate();
    assert!(
        errors.iter().any(|e| matches!(
            e,
            ModelError::AsgInSeveralVnets { asg, vm, first, other }
                if asg == "AsgWeb" && vm == "vmB1" && first == "A" && other == "B"
        )),
        "{errors:?}"
    );
}
