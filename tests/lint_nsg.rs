//! NSG checks: priorities, placement on AzureFirewallSubnet, unused NSGs.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod lint_common;

use lint_common::*;
use vnetlab::lint::Severity::{Error, Info, Warning};
use vnetlab::model::{Access, Design, Direction, Nsg, NsgRule, Protocol, Subnet};

fn rule(name: &str, priority: u32, direction: Direction) -> NsgRule {
    NsgRule::new(name, priority, direction, Access::Allow, Protocol::Tcp)
}

/// `vnet-a/default` with NSG `nsg-a` holding the given rules.
fn with_rules(rules: Vec<NsgRule>) -> Design {
    let mut d = pair();
    let mut nsg = Nsg::new("nsg-a");
    nsg.rules = rules.into();
    d.nsgs.push(nsg);
    d.vnets[0].subnets[0].nsg = Some("nsg-a".to_string());
    d
}

#[test]
fn the_same_priority_in_both_directions_is_fine() {
    clean(&with_rules(vec![
        rule("in", 100, Direction::Inbound),
        rule("out", 100, Direction::Outbound),
    ]));
}

#[test]
fn a_duplicate_priority_in_one_direction_is_an_error_fixed_with_the_nearest_free_one() {
    let d = with_rules(vec![
        rule("first", 200, Direction::Inbound),
        rule("taken", 201, Direction::Inbound),
        rule("second", 200, Direction::Inbound),
    ]);
    let diag = expect(&d, "NSG_DUPLICATE_PRIORITY", "nsg-a", Error);
    assert!(
        diag.message.contains("`first` and `second`")
            && diag.message.contains("inbound priority 200")
    );
    let fixed = fix_clears(&d, "NSG_DUPLICATE_PRIORITY", "nsg-a");
    let moved = fixed.nsg("nsg-a").unwrap().rules[2].priority;
    // 200 and 201 are taken; 199 is nearer than 202.
    assert_eq!(moved, 199);
}

#[test]
fn priorities_outside_100_to_4096_are_an_error() {
    for (priority, fixed_to) in [(99, 100), (4097, 4096), (65000, 4096)] {
        let d = with_rules(vec![rule("r", priority, Direction::Outbound)]);
        let diag = expect(&d, "NSG_PRIORITY_OUT_OF_RANGE", "nsg-a", Error);
        assert!(diag.message.contains(&priority.to_string()));
        let fixed = fix_clears(&d, "NSG_PRIORITY_OUT_OF_RANGE", "nsg-a");
        assert_eq!(fixed.nsg("nsg-a").unwrap().rules[0].priority, fixed_to);
    }
    clean(&with_rules(vec![
        rule("low", 100, Direction::Outbound),
        rule("high", 4096, Direction::Outbound),
    ]));
}

#[test]
fn an_nsg_on_azurefirewallsubnet_is_a_warning() {
    let mut d = with_rules(Vec::new());
    d.vnets[0]
        .subnets
        .push(Subnet::new("AzureFirewallSubnet", net("10.1.3.0/26")));
    d.vnets[0].subnets[1].nsg = Some("nsg-a".to_string());
    expect(
        &d,
        "NSG_ON_FIREWALL_SUBNET",
        "vnet-a/AzureFirewallSubnet",
        Warning,
    );
    let fixed = fix_clears(&d, "NSG_ON_FIREWALL_SUBNET", "vnet-a/AzureFirewallSubnet");
    clean(&fixed);
}

#[test]
fn an_nsg_nothing_uses_is_info() {
    let mut d = with_rules(Vec::new());
    d.vnets[0].subnets[0].nsg = None;
    expect(&d, "NSG_UNUSED", "nsg-a", Info);
    let removed = fix_clears(&d, "NSG_UNUSED", "nsg-a");
    assert!(removed.nsg("nsg-a").is_none());
    // A NIC association counts as a use.
    d.vms[0].nics[0].nsg = Some("nsg-a".to_string());
    clean(&d);
}
