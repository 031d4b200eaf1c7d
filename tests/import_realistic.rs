//! A realistic multi-file export (tests/fixtures/azure/realistic: three VNets with peerings in
//! mixed states, NSGs, a route table, NICs, a gateway with a site-to-site connection, each file
//! in a different shape) imports object by object as Azure's data says, and `vnetlab reach` on
//! the export files gives the verdicts Azure's rules predict.
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;
use vnetlab::io::azure::{self, Imported};
use vnetlab::model::*;

fn files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/azure/realistic");
    [
        "vnets.json",
        "nics.json",
        "security.json",
        "gateway.json",
        "onprem.json",
    ]
    .iter()
    .map(|f| dir.join(f))
    .collect()
}

fn imported() -> Imported {
    azure::import_files(&files()).unwrap_or_else(|e| panic!("{e}"))
}

fn cidrs(list: &[&str]) -> Vec<ipnet::Ipv4Net> {
    list.iter().map(|c| parse_cidr(c).unwrap()).collect()
}

#[test]
fn vnets_subnets_and_their_associations() {
    let d = imported().design;
    assert!(d.validate().is_empty());
    let names: Vec<&str> = d.vnets.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["hub", "spoke1", "spoke2"]);
    let spoke2 = d.vnet("spoke2").unwrap();
    assert_eq!(
        spoke2.address_space,
        cidrs(&["10.2.0.0/16", "10.22.0.0/16"])
    );
    assert_eq!(spoke2.region.name(), "northeurope");
    assert_eq!(spoke2.resource_group.as_deref(), Some("rg-spoke2"));
    assert_eq!(spoke2.subscription, "11111111-2222-3333-4444-555555555555");
    let app = d.subnet(&SubnetRef::new("spoke1", "snet-app")).unwrap();
    assert_eq!(app.nsg.as_deref(), Some("nsg-app"));
    assert_eq!(app.route_table.as_deref(), Some("rt-app"));
    assert_eq!(
        d.subnet(&SubnetRef::new("hub", "snet-shared"))
            .unwrap()
            .nsg
            .as_deref(),
        Some("nsg-shared")
    );
}

#[test]
fn peerings_keep_their_states_flags_and_snapshots() {
    let d = imported().design;
    let state = |name: &str| d.peering_state(d.peering(name).unwrap());
    let sync = |name: &str| d.sync_level(d.peering(name).unwrap());
    assert_eq!(state("hub-to-spoke1"), PeeringState::Connected);
    assert_eq!(state("spoke1-to-hub"), PeeringState::Connected);
    assert_eq!(state("spoke1-to-spoke2"), PeeringState::Disconnected);
    assert_eq!(state("spoke2-to-spoke1"), PeeringState::Initiated);
    assert_eq!(sync("hub-to-spoke2"), SyncLevel::LocalNotInSync);
    assert_eq!(sync("spoke2-to-hub"), SyncLevel::RemoteNotInSync);
    let hub_to_spoke2 = d.peering("hub-to-spoke2").unwrap();
    assert_eq!(
        hub_to_spoke2.remote_address_space,
        Some(cidrs(&["10.2.0.0/16"]))
    );
    let transit = d.peering("hub-to-spoke1").unwrap();
    assert!(
        transit.allow_gateway_transit
            && transit.allow_forwarded_traffic
            && transit.allow_virtual_network_access
    );
    assert!(d.peering("spoke1-to-hub").unwrap().use_remote_gateways);
    assert!(d.peering("spoke1-to-spoke2").unwrap().disconnected);
    // The export's states agree with what the links derive, so the summary has nothing to say about them.
    assert!(
        !imported()
            .report
            .notes
            .iter()
            .any(|n| n.contains("was exported as"))
    );
}

#[test]
fn nics_become_vms_with_unique_names() {
    let d = imported().design;
    let names: Vec<&str> = d.vms.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "nva1",
            "vm-dns",
            "vm-app1",
            "vm-web",
            "vm-web (rg-spoke2)",
            "vm-new",
            "vm-multi"
        ]
    );
    // Two NICs of one VM: the primary first, although the export lists it second.
    let multi = d.vm("vm-multi").unwrap();
    assert_eq!(multi.nics.len(), 2);
    assert_eq!(multi.nics[0].ip.to_string(), "10.0.2.10");
    assert_eq!(multi.nics[0].nsg.as_deref(), Some("nsg-shared"));
    assert_eq!(multi.nics[1].subnet, SubnetRef::new("hub", "snet-nva"));
    // IP forwarding makes nva1 an appliance.
    let nva = d.vm("nva1").unwrap();
    assert!(nva.nics[0].ip_forwarding);
    assert_eq!(nva.appliance, Some(Appliance::nva()));
    assert_eq!(
        d.vm("vm-web (rg-spoke2)").unwrap().nics[0].subnet,
        SubnetRef::new("spoke2", "snet-app")
    );
}

#[test]
fn nsgs_route_tables_and_hybrid_connectivity() {
    let d = imported().design;
    let app = d.nsg("nsg-app").unwrap();
    let names: Vec<&str> = app.rules.iter().map(|r| r.name.as_str()).collect();
    // The ASG rule is kept, naming the ASG (not addresses); defaults are not duplicated.
    assert_eq!(names, ["allow-ssh-https", "allow-web-asg", "deny-internet"]);
    let web = &app.rules[1];
    assert_eq!(web.source_asgs, ["asg-web"]);
    assert!(web.destination_asgs.is_empty());
    assert_eq!(web.destination_ports, vec![PortRange::single(8080)]);
    assert_eq!(web.access, Access::Allow);
    // The ASG is a design object, and the NIC that lists it in its IP configuration joins it.
    assert_eq!(d.asgs, vec![Asg::new("asg-web")]);
    assert_eq!(d.vm("vm-web").unwrap().nics[0].asgs, ["asg-web"]);
    assert!(d.vm("vm-app1").unwrap().nics[0].asgs.is_empty());
    assert_eq!(d.asg_vnets().get("asg-web").copied(), Some("spoke1"));
    let ssh_https = &app.rules[0];
    assert_eq!(
        ssh_https.source,
        vec![
            AddressMatch::Cidr(parse_cidr("10.0.0.0/16").unwrap()),
            AddressMatch::Cidr(parse_cidr("10.2.0.0/16").unwrap())
        ]
    );
    assert_eq!(
        ssh_https.destination_ports,
        vec![PortRange::single(22), PortRange::single(443)]
    );
    assert_eq!(
        app.rules[2].source,
        vec![AddressMatch::Tag(ServiceTag::Internet)]
    );
    let table = d.route_table("rt-app").unwrap();
    let hops: Vec<(String, NextHop)> = table
        .routes
        .iter()
        .map(|r| (r.prefix.to_string(), r.next_hop))
        .collect();
    assert_eq!(
        hops,
        [
            ("10.99.0.0/16".to_string(), NextHop::None),
            ("10.1.2.0/24".to_string(), NextHop::VnetLocal)
        ]
    );
    assert_eq!(
        d.gateways,
        vec![Gateway {
            name: "vpngw-hub".into(),
            vnet: "hub".into(),
            kind: GatewayKind::Vpn,
            sku: GatewaySku::VpnGw1,
            vpn_type: VpnType::RouteBased,
            client_pool: cidrs(&["172.16.201.0/24"]),
            bgp: false,
        }]
    );
    assert_eq!(
        d.sites[0].hosts,
        vec![Host {
            name: "lng-hq-host".into(),
            ip: "192.168.0.1".parse().unwrap()
        }]
    );
    assert_eq!(
        d.connections,
        vec![Connection {
            name: "cn-hub-hq".into(),
            gateway: "vpngw-hub".into(),
            remote: ConnectionRemote::Site("lng-hq".into()),
            bgp: false,
        }]
    );
}

#[test]
fn the_summary_names_everything_left_out() {
    let report = imported().report;
    let text = report.to_string();
    assert!(text.starts_with(
        "imported 3 VNets (6 subnets), 6 peerings, 8 NICs as 7 VMs, 2 NSGs, 1 route table, 1 gateway, 1 site, 1 connection\n"
    ), "{text}");
    // ASGs are modelled now: only the public IPs are skipped, and no ASG rule is dropped.
    assert!(
        text.contains(
            "skipped 2 resources of unsupported types: Microsoft.Network/publicIPAddresses ×2\n"
        ),
        "{text}"
    );
    assert!(!text.contains("application security group"), "{text}");
    assert_eq!(report.missing.len(), 1, "{text}");
    assert!(
        report.missing[0].starts_with("NIC `orphan-nic`: subnet /subscriptions/99999999"),
        "{text}"
    );
    assert!(text.contains("route `storage` was left out: its prefix is the service tag `Storage`"));
    assert!(text.contains("VM `nva1` has IP forwarding on; imported as a generic NVA"));
}

/// `vnetlab reach --json` on the export files: `(verdict, reason codes)` per `(from, to)`.
fn reach(flow: &str) -> Vec<(String, String, String, Vec<String>)> {
    let output = Command::cargo_bin("vnetlab")
        .unwrap()
        .arg("reach")
        .args(files())
        .args(["--flow", flow, "--json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("imported 3 VNets"),
        "the import summary goes to stderr: {stderr}"
    );
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    value["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let codes = p["reasons"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .map(|c| c["code"].as_str().unwrap_or("").to_string())
                        .collect()
                })
                .unwrap_or_default();
            (
                p["from"].as_str().unwrap().to_string(),
                p["to"].as_str().unwrap().to_string(),
                p["verdict"].as_str().unwrap().to_string(),
                codes,
            )
        })
        .collect()
}

fn verdict<'a>(
    pairs: &'a [(String, String, String, Vec<String>)],
    from: &str,
    to: &str,
) -> (&'a str, &'a [String]) {
    let (_, _, verdict, codes) = pairs
        .iter()
        .find(|(f, t, _, _)| f == from && t == to)
        .unwrap_or_else(|| panic!("no pair {from} → {to}"));
    (verdict.as_str(), codes.as_slice())
}

#[test]
fn reach_on_the_export_gives_the_verdicts_azure_rules_predict() {
    let https = reach("tcp/443");
    let reachable = |from, to| {
        let (v, codes) = verdict(&https, from, to);
        assert_eq!(v, "reachable", "{from} → {to}: {codes:?}");
    };
    let blocked_by = |from, to, code: &str| {
        let (v, codes) = verdict(&https, from, to);
        assert_eq!(v, "blocked", "{from} → {to}");
        assert!(
            codes.iter().any(|c| c == code),
            "{from} → {to}: {codes:?} lacks {code}"
        );
    };
    // Connected hub↔spoke1: traffic flows, until the hub NSG denies HTTPS from spoke1.
    reachable("vm-dns", "vm-app1");
    reachable("vm-app1", "nva1");
    blocked_by("vm-app1", "vm-dns", "NSG_DENY");
    // Same VNet, same subnet.
    reachable("vm-app1", "vm-web");
    // spoke1's link is Disconnected and spoke2's recreated link is Initiated: no traffic either way.
    blocked_by("vm-web (rg-spoke2)", "vm-app1", "PEERING_NOT_CONNECTED");
    blocked_by("vm-app1", "vm-web (rg-spoke2)", "PEERING_NOT_CONNECTED");
    // hub↔spoke2 is connected, but the hub's link still carries spoke2's old space (LocalNotInSync).
    reachable("vm-dns", "vm-web (rg-spoke2)");
    reachable("vm-web (rg-spoke2)", "vm-dns");
    blocked_by("nva1", "vm-new", "ADDRESS_SPACE_NOT_SYNCED");
    // Gateway transit: spoke1 uses the hub's gateway to reach on-premises; spoke2 does not.
    reachable("vm-app1", "lng-hq-host");
    reachable("lng-hq-host", "vm-app1");
    blocked_by("vm-web (rg-spoke2)", "lng-hq-host", "ROUTE_NONE");
    // The NSG rule denies HTTPS only: SSH from spoke1 to the hub's shared subnet passes.
    let ssh = reach("tcp/22");
    assert_eq!(verdict(&ssh, "vm-app1", "vm-dns").0, "reachable");
}
