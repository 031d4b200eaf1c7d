//! Name checks: duplicates (exact and case-insensitive) and Azure's naming rules.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod lint_common;

use lint_common::*;
use vnetlab::lint::Severity::{Error, Warning};
use vnetlab::model::{Access, Direction, Nsg, NsgRule, Protocol, Subnet};

#[test]
fn vnets_differing_only_in_case_warn_unless_known_to_share_a_resource_group() {
    let mut d = pair();
    d.vnets.push(vnet("VNET-A", "10.5.0.0/16"));
    let diag = expect(&d, "NAME_DUPLICATE", "VNET-A", Warning);
    assert!(diag.message.contains("only in case"));
    for v in &mut d.vnets {
        v.subscription = "sub".to_string();
        v.resource_group = Some("rg".to_string());
    }
    expect(&d, "NAME_DUPLICATE", "VNET-A", Error);
    let fixed = fix_clears(&d, "NAME_DUPLICATE", "VNET-A");
    assert!(fixed.vnet("VNET-A-2").is_some());
    clean(&fixed);
    // Known to be in different resource groups: no clash at all.
    d.vnets[2].resource_group = Some("rg-other".to_string());
    clean(&d);
}

#[test]
fn names_an_importer_qualified_are_checked_without_the_qualifier() {
    let mut d = pair();
    d.vnets.push(vnet("vnet-a (rg-b)", "10.5.0.0/16"));
    clean(&d);
}

#[test]
fn subnets_differing_only_in_case_are_an_error() {
    let mut d = pair();
    d.vnets[0]
        .subnets
        .push(Subnet::new("Default", net("10.1.2.0/24")));
    expect(&d, "NAME_DUPLICATE", "vnet-a/Default", Error);
    // The same name in another VNet is fine.
    quiet(&pair(), "NAME_DUPLICATE");
    let fixed = fix_clears(&d, "NAME_DUPLICATE", "vnet-a/Default");
    assert!(fixed.vnets[0].subnet("Default-2").is_some());
}

#[test]
fn nsg_rules_differing_only_in_case_are_an_error_fixed_by_renaming_the_rule() {
    let mut d = pair();
    let mut nsg = Nsg::new("nsg-a");
    nsg.rules.push(NsgRule::new(
        "allow-web",
        100,
        Direction::Inbound,
        Access::Allow,
        Protocol::Tcp,
    ));
    nsg.rules.push(NsgRule::new(
        "Allow-Web",
        110,
        Direction::Inbound,
        Access::Allow,
        Protocol::Tcp,
    ));
    d.nsgs.push(nsg);
    d.vnets[0].subnets[0].nsg = Some("nsg-a".to_string());
    let diag = expect(&d, "NAME_DUPLICATE", "nsg-a", Error);
    assert!(
        diag.message.contains("NSG rule `Allow-Web` in NSG `nsg-a`"),
        "{}",
        diag.message
    );
    let fixed = fix_clears(&d, "NAME_DUPLICATE", "nsg-a");
    assert_eq!(fixed.nsg("nsg-a").unwrap().rules[1].name, "Allow-Web-2");
}

#[test]
fn exact_duplicates_are_an_error_even_in_a_design_built_in_code() {
    let mut d = pair();
    let twin = d.vms[0].clone();
    d.vms.push(twin);
    let diag = expect(&d, "NAME_DUPLICATE", "vm-a", Error);
    assert!(diag.message.contains("two VMs are named `vm-a`"));
}

#[test]
fn intents_may_differ_only_in_case() {
    let mut d = pair();
    for name in ["check", "Check"] {
        d.intents.push(vnetlab::model::Intent {
            name: name.to_string(),
            from: "vm-a".to_string(),
            to: "vm-b".to_string(),
            flow: Default::default(),
            expect: vnetlab::model::Expectation::Blocked,
        });
    }
    quiet(&d, "NAME_DUPLICATE");
}

#[test]
fn names_azure_refuses_are_an_error_fixed_by_a_clean_name() {
    let mut d = pair();
    vnetlab::edit::Edit::Rename {
        target: vnetlab::edit::ObjectRef::new(vnetlab::model::ObjectKind::Vnet, "vnet-a"),
        to: "my vnet!".to_string(),
    }
    .apply(&mut d)
    .unwrap();
    let diag = expect(&d, "NAME_INVALID", "my vnet!", Error);
    assert!(diag.message.contains("contains ` `"), "{}", diag.message);
    let fixed = fix_clears(&d, "NAME_INVALID", "my vnet!");
    assert!(fixed.vnet("my-vnet").is_some());
    assert_eq!(fixed.vms[0].nics[0].subnet.vnet, "my-vnet");
    clean(&fixed);
}

#[test]
fn a_one_letter_vnet_name_is_too_short_for_azure() {
    let d = vnetlab::model::Design::example_pair();
    let diag = expect(&d, "NAME_INVALID", "a", Error);
    assert!(diag.message.contains("2 to 64"));
    // No usable clean name can be derived by trimming; the fix is advice-free rather than wrong.
    assert!(diag.fix.is_none());
}

#[test]
fn route_names_follow_the_rules_too() {
    let mut d = pair();
    let mut table = vnetlab::model::RouteTable::new("rt-a");
    table.routes.push(vnetlab::model::Route {
        name: "to b.".to_string(),
        prefix: net("10.2.0.0/16"),
        next_hop: vnetlab::model::NextHop::None,
    });
    d.route_tables.push(table);
    d.vnets[0].subnets[0].route_table = Some("rt-a".to_string());
    expect(&d, "NAME_INVALID", "rt-a", Error);
    let fixed = fix_clears(&d, "NAME_INVALID", "rt-a");
    assert_eq!(fixed.route_tables[0].routes[0].name, "to-b");
}

#[test]
fn vm_names_are_not_held_to_resource_naming_rules() {
    let mut d = pair();
    d.vms[0].name = "vm a (imported)".to_string();
    quiet(&d, "NAME_INVALID");
}
