//! Permission checks: the roles needed on both sides of a peering.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod lint_common;

use lint_common::*;
use vnetlab::lint::Severity::{Info, Warning};
use vnetlab::model::{DeploymentModel, Design, Peering, Role, Subscription};

/// `a-to-b` only (b's side is someone else's business), with vnet-a in `sub-a` and vnet-b in
/// `sub-b`, and the given roles recorded.
fn with_roles(role_a: Role, role_b: Role) -> Design {
    let mut d = pair();
    d.vnets[0].subscription = "sub-a".to_string();
    d.vnets[1].subscription = "sub-b".to_string();
    d.peerings.push(Peering::new("a-to-b", "vnet-a", "vnet-b"));
    d.peerings.push(Peering::new("b-to-a", "vnet-b", "vnet-a"));
    d.subscriptions.push(Subscription {
        name: "sub-a".to_string(),
        role: role_a,
    });
    d.subscriptions.push(Subscription {
        name: "sub-b".to_string(),
        role: role_b,
    });
    d
}

#[test]
fn network_contributor_on_both_sides_can_build_the_pair() {
    clean(&with_roles(
        Role::NetworkContributor,
        Role::NetworkContributor,
    ));
    clean(&with_roles(Role::Owner, Role::Contributor));
}

#[test]
fn a_reader_on_the_local_side_lacks_the_peering_write_permission() {
    let d = with_roles(Role::Reader, Role::NetworkContributor);
    let diag = expect(&d, "PERMISSION_PEERING_WRITE", "a-to-b", Warning);
    assert!(
        diag.message
            .contains("Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write")
    );
    assert!(diag.message.contains("`vnet-a`") && diag.message.contains("Reader"));
    // The same role is the remote side of b-to-a: it lacks peer/action there.
    expect(&d, "PERMISSION_PEER_ACTION", "b-to-a", Warning);
    assert!(advice_only(&d, "PERMISSION_PEERING_WRITE", "a-to-b").contains("Network Contributor"));
}

#[test]
fn a_custom_role_needs_both_actions_on_the_right_sides() {
    let write_only = Role::Custom(vec![
        "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write".into(),
    ]);
    let peer_only = Role::Custom(vec!["Microsoft.Network/virtualNetworks/peer/action".into()]);
    let d = with_roles(write_only, peer_only);
    // a-to-b is written in sub-a and accepted in sub-b: allowed. b-to-a is the other way round.
    let found = vnetlab::lint::check(&d);
    assert!(
        found.iter().all(|x| x.subject.name == "b-to-a"),
        "{}",
        list(&found)
    );
    expect(&d, "PERMISSION_PEERING_WRITE", "b-to-a", Warning);
    expect(&d, "PERMISSION_PEER_ACTION", "b-to-a", Warning);
    let wildcard = Role::Custom(vec!["Microsoft.Network/virtualNetworks/*".into()]);
    clean(&with_roles(wildcard.clone(), wildcard));
}

#[test]
fn a_classic_remote_needs_the_classic_peer_action() {
    let mut d = with_roles(Role::NetworkContributor, Role::NetworkContributor);
    d.vnets[1].deployment = DeploymentModel::Classic;
    d.peerings.retain(|p| p.name == "a-to-b");
    let diag = expect(&d, "PERMISSION_PEER_ACTION", "a-to-b", Warning);
    assert!(
        diag.message
            .contains("Microsoft.ClassicNetwork/virtualNetworks/peer/action")
    );
    d.subscriptions[1].role = Role::ClassicNetworkContributor;
    clean(&d);
}

#[test]
fn an_unrecorded_subscription_is_info_once_and_only_when_roles_are_recorded() {
    let mut d = with_roles(Role::NetworkContributor, Role::NetworkContributor);
    d.subscriptions.retain(|s| s.name == "sub-a");
    let diag = expect(&d, "PERMISSION_ROLE_UNKNOWN", "vnet-b", Info);
    assert!(diag.message.contains("`sub-b`"));
    assert_eq!(with_code(&d, "PERMISSION_ROLE_UNKNOWN").len(), 1);
    d.subscriptions.clear();
    clean(&d);
}
