//! `vnetlab lesson show` counts in words (issue 16, audit row 23: plurals): `1 peering`,
//! `1 gateway` and `1 of 3 passes`, where the start summary printed `1 peerings, 1 gateways`.
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use assert_cmd::Command;

fn show(id: &str) -> String {
    let out = Command::cargo_bin("vnetlab")
        .unwrap()
        .args(["lesson", "show", id])
        .assert()
        .code(0);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn the_start_summary_counts_in_words() {
    let text = show("one-sided-peering");
    assert!(
        text.contains("Start design: 2 VNets, 2 VMs, 1 peering, 0 gateways ("),
        "{text}"
    );
    let text = show("udr-to-vpn-gateway");
    assert!(
        text.contains("Start design: 3 VNets, 3 VMs, 4 peerings, 1 gateway ("),
        "{text}"
    );
    assert!(
        text.contains("Goals (1 of 3 passes on the start design):"),
        "{text}"
    );
    let text = show("first-peering");
    assert!(
        text.contains("Goals (0 of 2 pass on the start design):"),
        "{text}"
    );
}
