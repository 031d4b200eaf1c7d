//! Helpers shared by the `lint_*` tests: minimal designs and assertions that a rule fires on the
//! subject it should, stays quiet otherwise, and that its fix removes it.
#![allow(dead_code)]

use std::net::Ipv4Addr;
use vnetlab::edit::{Edit, ObjectRef};
use vnetlab::lint::{Diagnostic, Severity, check};
use vnetlab::model::{
    Design, Gateway, GatewayKind, GatewaySku, ObjectKind, Peering, Subnet, Vnet, VpnType,
};

/// Parses a CIDR literal.
pub fn net(text: &str) -> ipnet::Ipv4Net {
    text.parse().unwrap()
}

/// Parses an IP literal.
pub fn ip(text: &str) -> Ipv4Addr {
    text.parse().unwrap()
}

/// `Design::example_pair` with names Azure accepts (VNet names need two characters): VNets
/// `vnet-a` (10.1.0.0/16, subnet `default` 10.1.1.0/24, VM `vm-a` 10.1.1.4) and `vnet-b`
/// (10.2…, `vm-b`), in `eastus`, not peered.
pub fn pair() -> Design {
    let mut d = Design::example_pair();
    for (from, to) in [("a", "vnet-a"), ("b", "vnet-b")] {
        Edit::Rename {
            target: ObjectRef::new(ObjectKind::Vnet, from),
            to: to.to_string(),
        }
        .apply(&mut d)
        .unwrap();
    }
    d
}

/// [`pair`] peered on both sides: `a-to-b` and `b-to-a`.
pub fn peered_pair() -> Design {
    let mut d = pair();
    d.peerings.push(Peering::new("a-to-b", "vnet-a", "vnet-b"));
    d.peerings.push(Peering::new("b-to-a", "vnet-b", "vnet-a"));
    d
}

/// A VNet with one `default` subnet (the /24 at `x.y.1.0` of `space`).
pub fn vnet(name: &str, space: &str) -> Vnet {
    let space = net(space);
    let o = space.network().octets();
    let mut v = Vnet::new(name, "eastus".parse().unwrap(), vec![space]);
    v.subnets.push(Subnet::new(
        "default",
        net(&format!("{}.{}.1.0/24", o[0], o[1])),
    ));
    v
}

/// Adds a GatewaySubnet (x.y.255.0/27 of the VNet's first range) and a VpnGw1 VPN gateway
/// named `gw-{vnet}` to a VNet.
pub fn add_gateway(d: &mut Design, vnet: &str) {
    add_gateway_of(
        d,
        vnet,
        GatewayKind::Vpn,
        GatewaySku::VpnGw1,
        &format!("gw-{vnet}"),
    );
}

/// Adds a gateway of the given kind and SKU (and a GatewaySubnet if missing).
pub fn add_gateway_of(d: &mut Design, vnet: &str, kind: GatewayKind, sku: GatewaySku, name: &str) {
    let v = d.vnet_mut(vnet).unwrap();
    if v.subnet("GatewaySubnet").is_none() {
        let octets = v.address_space[0].network().octets();
        let prefix = net(&format!("{}.{}.255.0/27", octets[0], octets[1]));
        v.subnets.push(Subnet::new("GatewaySubnet", prefix));
    }
    d.gateways.push(Gateway {
        name: name.to_string(),
        vnet: vnet.to_string(),
        kind,
        sku,
        vpn_type: VpnType::RouteBased,
        client_pool: Vec::new(),
        bgp: false,
    });
}

/// The mutable peering with this name.
pub fn peering_mut<'a>(d: &'a mut Design, name: &str) -> &'a mut Peering {
    d.peerings.iter_mut().find(|p| p.name == name).unwrap()
}

/// Diagnostics with this code.
pub fn with_code(d: &Design, code: &str) -> Vec<Diagnostic> {
    check(d)
        .into_iter()
        .filter(|x| x.code.as_str() == code)
        .collect()
}

/// Asserts the rule fires on `subject` with `severity`, and returns that diagnostic.
pub fn expect(d: &Design, code: &str, subject: &str, severity: Severity) -> Diagnostic {
    let all = check(d);
    let hit = all
        .iter()
        .find(|x| x.code.as_str() == code && x.subject.name == subject)
        .unwrap_or_else(|| panic!("no {code} on `{subject}`; found:\n{}", list(&all)));
    assert_eq!(hit.severity, severity, "{hit}");
    assert!(
        !hit.message.is_empty() && !hit.message.ends_with('.'),
        "{hit}"
    );
    hit.clone()
}

/// Asserts the rule does not fire at all.
pub fn quiet(d: &Design, code: &str) {
    let all = check(d);
    assert!(
        !all.iter().any(|x| x.code.as_str() == code),
        "unexpected {code}:\n{}",
        list(&all)
    );
}

/// Asserts the design has no diagnostics at all.
pub fn clean(d: &Design) {
    let all = check(d);
    assert!(all.is_empty(), "expected no diagnostics:\n{}", list(&all));
}

/// Applies the fix of the `code` diagnostic on `subject` (it must carry an edit, and the edit
/// must be accepted), then asserts that diagnostic is gone. Returns the fixed design.
pub fn fix_clears(d: &Design, code: &str, subject: &str) -> Design {
    let diagnostic = expect_any(d, code, subject);
    let fix = diagnostic
        .fix
        .unwrap_or_else(|| panic!("{code} has no fix"));
    let edit: Edit = fix
        .edit
        .unwrap_or_else(|| panic!("{code}'s fix `{}` has no edit", fix.description));
    let mut fixed = d.clone();
    edit.apply(&mut fixed)
        .unwrap_or_else(|e| panic!("fix `{}` refused: {e}", fix.description));
    let left = check(&fixed);
    assert!(
        !left
            .iter()
            .any(|x| x.code.as_str() == code && x.subject.name == subject),
        "fix `{}` did not clear {code} on `{subject}`:\n{}",
        fix.description,
        list(&left)
    );
    fixed
}

/// Asserts a fix exists but only as advice (no edit), and returns its description.
pub fn advice_only(d: &Design, code: &str, subject: &str) -> String {
    let fix = expect_any(d, code, subject).fix.expect("a fix");
    assert!(fix.edit.is_none(), "{code} unexpectedly has an edit");
    fix.description
}

fn expect_any(d: &Design, code: &str, subject: &str) -> Diagnostic {
    let all = check(d);
    all.iter()
        .find(|x| x.code.as_str() == code && x.subject.name == subject)
        .cloned()
        .unwrap_or_else(|| panic!("no {code} on `{subject}`; found:\n{}", list(&all)))
}

/// One diagnostic per line, for failure messages.
pub fn list(all: &[Diagnostic]) -> String {
    all.iter().map(|d| format!("  {d}\n")).collect()
}
