//! Blocker messages describe the destination as it is: a packet that falls to the Internet
//! route is explained by whether the destination is a private address, a VM's VNet address in
//! public space, or a public host outside Azure.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::net::Ipv4Addr;
use vnetlab::engine::{ReasonCode, Trace, trace};
use vnetlab::model::{Design, Flow, Host, Site};

fn net(text: &str) -> ipnet::Ipv4Net {
    text.parse().expect("literal CIDR")
}

fn internet_blocker(t: &Trace) -> &str {
    let blocker = t
        .blockers
        .iter()
        .find(|b| b.code == ReasonCode::NoRouteInternet)
        .unwrap_or_else(|| panic!("no NO_ROUTE_INTERNET blocker: {:#?}", t.blockers));
    &blocker.message
}

#[test]
fn public_host_outside_azure_is_not_called_private() {
    let mut d = Design::example_pair();
    d.sites.push(Site {
        name: "internet".into(),
        prefixes: vec![net("8.8.8.0/24")],
        hosts: vec![Host {
            name: "public-dns".into(),
            ip: Ipv4Addr::new(8, 8, 8, 8),
        }],
        bgp: false,
    });
    let t = trace(&d, "vm-a", "public-dns", Flow::DEFAULT).expect("endpoints exist");
    let message = internet_blocker(&t);
    assert!(!message.contains("private"), "{message}");
    assert!(message.contains("8.8.8.8 is a public address"), "{message}");
    assert!(message.contains("site `internet`"), "{message}");
}

#[test]
fn vm_in_public_address_space_is_reached_only_through_a_public_ip() {
    let mut d = Design::example_pair();
    let b = d.vnet_mut("b").expect("vnet b");
    b.address_space = vec![net("20.2.0.0/16")];
    b.subnets[0].prefix = net("20.2.1.0/24");
    d.vms[1].nics[0].ip = Ipv4Addr::new(20, 2, 1, 4);
    let t = trace(&d, "vm-a", "vm-b", Flow::DEFAULT).expect("endpoints exist");
    let message = internet_blocker(&t);
    assert!(!message.contains("private"), "{message}");
    assert!(message.contains("public IP or load balancer"), "{message}");
}
