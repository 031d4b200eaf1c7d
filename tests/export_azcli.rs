//! export(az-cli): the script creates every object after what it needs — peerings after both of
//! their VNets, route tables and NSGs before the subnets they attach to, NICs before VMs,
//! gateways (waited for) before connections and before peerings that use them — for every
//! design in saves/, the start-up design, the every-feature design and generated hub-and-spoke
//! designs; bash accepts its syntax; and names that are hostile to a shell reach `az` unchanged
//! (the script is run against a stand-in `az` that records its arguments).
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scenarios;

use std::path::Path;
use std::process::Command;
use vnetlab::io::export::az_cli_script;
use vnetlab::io::{examples, load_design, parse_design};
use vnetlab::model::Design;
use vnetlab::model::generate::{HubSpokeParams, hub_spoke};

/// One `az` command of the script: its position, words before the first flag, and its flags
/// with their values (as bash would pass them; variables stay `${NAME}`).
struct Call {
    index: usize,
    head: String,
    flags: Vec<(String, Vec<String>)>,
}

impl Call {
    fn value(&self, flag: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|(f, _)| f == flag)
            .and_then(|(_, v)| v.first())
            .map(String::as_str)
    }
}

/// The script's `az` commands, continuation lines joined and words split as a shell would.
fn calls(script: &str) -> Vec<Call> {
    let joined = script.replace(" \\\n", " ");
    let mut out = Vec::new();
    for line in joined.lines().filter(|l| l.starts_with("az ")) {
        let words = shlex::split(line).unwrap_or_else(|| panic!("unbalanced quotes: {line}"));
        let mut head = Vec::new();
        let mut flags: Vec<(String, Vec<String>)> = Vec::new();
        for word in words {
            if let Some(flag) = word.strip_prefix("--") {
                match flag.split_once('=') {
                    Some((f, v)) => flags.push((format!("--{f}"), vec![v.to_string()])),
                    None => flags.push((word.clone(), Vec::new())),
                }
            } else if let Some((_, values)) = flags.last_mut() {
                values.push(word);
            } else {
                head.push(word);
            }
        }
        out.push(Call {
            index: out.len(),
            head: head.join(" "),
            flags,
        });
    }
    out
}

/// The last path segment of an ID word.
fn last(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

/// The position of the command `head` creating `name` (`--name`).
fn created(calls: &[Call], head: &str, name: &str) -> usize {
    calls
        .iter()
        .find(|c| c.head == head && c.value("--name") == Some(name))
        .unwrap_or_else(|| panic!("no `{head}` for {name}"))
        .index
}

fn check_order(label: &str, design: &Design) {
    let script = az_cli_script(design).unwrap_or_else(|e| panic!("{label}: {e}"));
    let calls = calls(&script);
    let of = |head: &'static str| calls.iter().filter(move |c| c.head == head);
    let classic = |name: &str| {
        design
            .vnets
            .iter()
            .any(|v| v.name == name && v.deployment == vnetlab::model::DeploymentModel::Classic)
    };
    let mut peerings = 0;
    for peering in of("az network vnet peering create") {
        let local = peering.value("--vnet-name").unwrap();
        let remote = last(peering.value("--remote-vnet").unwrap());
        assert!(
            created(&calls, "az network vnet create", local) < peering.index,
            "{label}: peering {:?} before VNet {local}",
            peering.value("--name")
        );
        if !classic(remote) {
            assert!(
                created(&calls, "az network vnet create", remote) < peering.index,
                "{label}: peering {:?} before VNet {remote}",
                peering.value("--name")
            );
        }
        if peering.value("--use-remote-gateways") == Some("true") {
            for wait in of("az network vnet-gateway wait") {
                assert!(
                    wait.index < peering.index,
                    "{label}: {:?}",
                    peering.value("--name")
                );
            }
        }
        for flag in [
            "--allow-vnet-access",
            "--allow-forwarded-traffic",
            "--allow-gateway-transit",
            "--use-remote-gateways",
        ] {
            assert!(peering.value(flag).is_some(), "{label}: {flag}");
        }
        peerings += 1;
    }
    assert_eq!(peerings, design.peerings.len(), "{label}: every peering");
    for connection in of("az network vpn-connection create") {
        for flag in ["--vnet-gateway1", "--vnet-gateway2"] {
            if let Some(id) = connection.value(flag) {
                let gateway = last(id);
                let create = created(&calls, "az network vnet-gateway create", gateway);
                let wait = created(&calls, "az network vnet-gateway wait", gateway);
                assert!(
                    create < wait && wait < connection.index,
                    "{label}: {gateway}"
                );
            }
        }
        if let Some(site) = connection.value("--local-gateway2") {
            assert!(
                created(&calls, "az network local-gateway create", last(site)) < connection.index
            );
        }
    }
    assert_eq!(
        of("az network vpn-connection create").count(),
        design.connections.len(),
        "{label}: every connection"
    );
    for update in of("az network vnet subnet update") {
        if let Some(table) = update.value("--route-table") {
            assert!(created(&calls, "az network route-table create", last(table)) < update.index);
        }
        if let Some(nsg) = update.value("--network-security-group") {
            assert!(created(&calls, "az network nsg create", last(nsg)) < update.index);
        }
        let subnet = calls
            .iter()
            .find(|c| {
                c.head == "az network vnet subnet create"
                    && c.value("--vnet-name") == update.value("--vnet-name")
                    && c.value("--name") == update.value("--name")
            })
            .unwrap();
        assert!(subnet.index < update.index, "{label}");
    }
    for route in of("az network route-table route create") {
        let table = route.value("--route-table-name").unwrap();
        assert!(created(&calls, "az network route-table create", table) < route.index);
    }
    for vm in of("az vm create") {
        let nics = &vm.flags.iter().find(|(f, _)| f == "--nics").unwrap().1;
        for nic in nics {
            assert!(
                created(&calls, "az network nic create", last(nic)) < vm.index,
                "{label}"
            );
        }
    }
    for nic in of("az network nic create") {
        let subnet = nic.value("--subnet").unwrap();
        let vnet = subnet.split('/').rev().nth(2).unwrap();
        assert!(
            created(&calls, "az network vnet create", vnet) < nic.index,
            "{label}"
        );
    }
    bash_syntax(label, &script);
}

/// `bash -n` on the script, when bash is installed.
fn bash_syntax(label: &str, script: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deploy.sh");
    std::fs::write(&path, script).unwrap();
    match Command::new("bash").arg("-n").arg(&path).output() {
        Ok(output) => assert!(
            output.status.success(),
            "{label}: {}",
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(_) => println!("bash is not on the PATH; {label} was not syntax-checked"),
    }
}

#[test]
fn every_saved_bundled_and_generated_design_is_created_in_order() {
    let mut count = 0;
    for (name, text) in
        std::iter::once(examples::DEFAULT_DESIGN).chain(examples::EXAMPLES.iter().copied())
    {
        check_order(name, &parse_design(text, name).unwrap());
        count += 1;
    }
    let saves = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves");
    for entry in std::fs::read_dir(saves).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            check_order(&path.display().to_string(), &load_design(&path).unwrap());
            count += 1;
        }
    }
    let every =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/azure/every-feature.ron");
    check_order("every-feature", &load_design(&every).unwrap());
    for (hubs, spokes) in [(1, 3), (2, 12)] {
        let design = hub_spoke(&HubSpokeParams {
            hubs,
            spokes,
            subnets_per_spoke: 2,
            vms_per_subnet: 1,
        })
        .unwrap();
        check_order(&format!("gen-{hubs}x{spokes}"), &design);
        count += 1;
    }
    assert!(count >= 10, "{count}");
}

#[test]
fn the_hub_spoke_nva_script_is_stable() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/03-hub-spoke-nva.ron");
    let script = az_cli_script(&load_design(&path).unwrap()).unwrap();
    assert!(script.starts_with("#!/usr/bin/env bash\n"));
    assert!(script.contains("\nset -euo pipefail\n"));
    insta::assert_snapshot!("azcli_03-hub-spoke-nva", script);
}

#[test]
fn the_gateway_transit_script_waits_for_the_gateway() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/04-gateway-transit.ron");
    let script = az_cli_script(&load_design(&path).unwrap()).unwrap();
    let calls = calls(&script);
    let gateway = calls
        .iter()
        .find(|c| c.head == "az network vnet-gateway create")
        .unwrap();
    assert!(gateway.flags.iter().any(|(f, _)| f == "--no-wait"));
    assert_eq!(gateway.value("--gateway-type"), Some("Vpn"));
    assert_eq!(gateway.value("--sku"), Some("VpnGw1"));
    assert_eq!(
        last(gateway.value("--public-ip-addresses").unwrap()),
        "vpngw-pip"
    );
    let wait = created(&calls, "az network vnet-gateway wait", "vpngw");
    assert!(calls[wait].flags.iter().any(|(f, _)| f == "--created"));
    // spoke1 uses the hub's gateway: after the wait. spoke2 does not: before the gateway.
    let peering = |name: &str| created(&calls, "az network vnet peering create", name);
    assert!(peering("spoke1-to-hub") > wait);
    assert!(peering("spoke2-to-hub") < gateway.index);
    assert_eq!(
        calls[peering("spoke1-to-hub")].value("--use-remote-gateways"),
        Some("true")
    );
    assert_eq!(
        calls[peering("hub-to-spoke1")].value("--allow-gateway-transit"),
        Some("true")
    );
    let connection = created(&calls, "az network vpn-connection create", "hub-to-branch");
    assert_eq!(
        calls[connection].value("--shared-key"),
        Some("${VPN_SHARED_KEY}")
    );
    assert!(script.contains("VPN_SHARED_KEY=${VPN_SHARED_KEY:?"));
}

/// A design whose names a shell would misread if they were not quoted.
const HOSTILE: &str = r#"Design(
    version: 1,
    name: "it's `hostile` $(design)",
    vnets: [
        Vnet(name: "hub $(touch pwned)", region: "eastus", subscription: "sub 'one'",
             resource_group: "rg;echo x", address_space: ["10.0.0.0/16"],
             subnets: [Subnet(name: "sub`id`net", prefix: "10.0.1.0/24", route_table: "rt \"quoted\"")]),
        Vnet(name: "spoke*?", region: "eastus", address_space: ["10.1.0.0/16"],
             subnets: [Subnet(name: "a b", prefix: "10.1.1.0/24")]),
    ],
    vms: [Vm(name: "vm 'x'", nics: [Nic(subnet: "spoke*?/a b", ip: "10.1.1.4")])],
    peerings: [
        Peering(name: "p $HOME", local: "hub $(touch pwned)", remote: "spoke*?"),
        Peering(name: "back\\slash", local: "spoke*?", remote: "hub $(touch pwned)"),
    ],
    route_tables: [RouteTable(name: "rt \"quoted\"", routes: [
        Route(name: "r|pipe", prefix: "0.0.0.0/0", next_hop: Internet),
    ])],
)"#;

#[test]
fn hostile_names_reach_az_unchanged() {
    let design = parse_design(HOSTILE, "hostile.ron").unwrap();
    let script = az_cli_script(&design).unwrap();
    bash_syntax("hostile", &script);
    let calls = calls(&script);
    let names: Vec<&str> = calls.iter().filter_map(|c| c.value("--name")).collect();
    for name in [
        "hub $(touch pwned)",
        "spoke*?",
        "sub`id`net",
        "a b",
        "rt \"quoted\"",
        "r|pipe",
        "vm 'x'",
        "p $HOME",
        "back\\slash",
        "rg;echo x",
    ] {
        assert!(names.contains(&name), "{name}: {names:?}");
    }
    // Run it against a stand-in `az` that prints each argument on a line of its own.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deploy.sh");
    std::fs::write(&path, &script).unwrap();
    let Ok(output) = Command::new("bash")
        .arg("-c")
        .arg(r#"az() { printf '%s\n' "$*"; }; export -f az; bash "$1""#)
        .arg("run")
        .arg(&path)
        .current_dir(dir.path())
        .env("ADMIN_PASSWORD", "pw")
        .output()
    else {
        println!("bash is not on the PATH; the script was not run");
        return;
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !dir.path().join("pwned").exists(),
        "a name ran as a command"
    );
    assert!(stdout.contains("network vnet create --subscription"));
    assert!(stdout.contains(" --name hub $(touch pwned) "), "{stdout}");
    assert!(
        stdout.contains(" --vnet-name spoke*? --name back\\slash "),
        "{stdout}"
    );
    assert!(stdout.contains(" --resource-group rg;echo x "), "{stdout}");
    assert!(stdout.contains(" --name vm 'x' "), "{stdout}");
    assert!(stdout.contains("vnetlab: the design is deployed."));
}

#[cfg(all(feature = "cli", feature = "tui"))]
#[test]
fn the_cli_writes_the_script_and_refuses_a_name_az_would_misread() {
    use predicates::prelude::*;
    let save = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/04-gateway-transit.ron");
    assert_cmd::Command::cargo_bin("vnetlab")
        .unwrap()
        .args(["export", "--to", "az-cli"])
        .arg(&save)
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("#!/usr/bin/env bash\n"))
        .stdout(predicate::str::contains("az network vnet-gateway wait"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("at.ron");
    let design = r#"Design(version: 1, name: "at", vnets: [
        Vnet(name: "@hub", region: "eastus", address_space: ["10.0.0.0/16"]),
    ])"#;
    std::fs::write(&file, design).unwrap();
    assert_cmd::Command::cargo_bin("vnetlab")
        .unwrap()
        .args(["export", "--to", "az-cli"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "\"@hub\" starts with `@`, which az reads as the name of a file to load",
        ));
}

/// Application security groups, a Route Server with a BGP peer, and Virtual Network Manager
/// objects are written, in an order Azure accepts, or named in a comment: nothing is dropped
/// silently.
#[test]
fn asgs_route_servers_and_network_manager_objects_are_not_dropped() {
    use scenarios::*;
    use vnetlab::model::{Access, Direction, NsgRule, PortRange, Protocol};
    let mut d = design();
    standard_hub(&mut d);
    vnet(&mut d, "S1", "10.1.0.0/16");
    subnet(&mut d, "S1", "s1", "10.1.1.0/24");
    vm(&mut d, "vm1", "S1/s1", "10.1.1.4");
    peer_both(&mut d, "H", "S1");
    asg(&mut d, "asg-web", &["vm1"]);
    let mut web = NsgRule::new("web", 100, Direction::Inbound, Access::Allow, Protocol::Tcp);
    web.destination_asgs = vec!["asg-web".into()];
    web.destination_ports = vec![PortRange::single(443)];
    nsg_rule(&mut d, "nsg-s1", web);
    nsg_on_subnet(&mut d, "nsg-s1", "S1/s1");
    route_server(&mut d, "H", "rs-hub", "10.0.2.0/27");
    bgp_peer(&mut d, "rs-hub", "10.0.1.4", 65001, &["192.168.0.0/16"]);
    d.route_servers[0].branch_to_branch = true;
    network_group(&mut d, "spokes", &["S1"]);
    hub_and_spoke(&mut d, "hs", "H", spokes("spokes", false, false));
    check_order("managed", &d);

    let script = az_cli_script(&d).unwrap();
    let calls = calls(&script);
    let asg = created(&calls, "az network asg create", "asg-web");
    let rule = calls
        .iter()
        .find(|c| c.head == "az network nsg rule create" && c.value("--name") == Some("web"))
        .unwrap();
    assert!(last(rule.value("--destination-asgs").unwrap()) == "asg-web");
    assert!(asg < rule.index);
    let nic = calls
        .iter()
        .find(|c| {
            c.head == "az network nic create"
                && c.value("--subnet")
                    .is_some_and(|s| s.ends_with("/S1/subnets/s1"))
        })
        .unwrap();
    assert_eq!(
        last(nic.value("--application-security-groups").unwrap()),
        "asg-web"
    );
    assert!(asg < nic.index);

    let pip = created(&calls, "az network public-ip create", "rs-hub-pip");
    let server = created(&calls, "az network routeserver create", "rs-hub");
    let create = &calls[server];
    assert!(pip < server);
    assert_eq!(
        last(create.value("--public-ip-address").unwrap()),
        "rs-hub-pip"
    );
    assert!(
        create
            .value("--hosted-subnet")
            .unwrap()
            .ends_with("/virtualNetworks/H/subnets/RouteServerSubnet"),
        "{:?}",
        create.value("--hosted-subnet")
    );
    let subnet = calls
        .iter()
        .find(|c| {
            c.head == "az network vnet subnet create"
                && c.value("--name") == Some("RouteServerSubnet")
        })
        .unwrap();
    assert!(subnet.index < server);
    let b2b = calls
        .iter()
        .find(|c| c.head == "az network routeserver update")
        .unwrap();
    assert_eq!(b2b.value("--allow-b2b-traffic"), Some("true"));
    let peer = calls
        .iter()
        .find(|c| c.head == "az network routeserver peering create")
        .unwrap();
    assert_eq!(peer.value("--routeserver"), Some("rs-hub"));
    assert_eq!(peer.value("--peer-ip"), Some("10.0.1.4"));
    assert_eq!(peer.value("--peer-asn"), Some("65001"));
    assert!(server < peer.index && b2b.index > server);

    for note in [
        "Virtual Network Manager network group `spokes` is not created",
        "Virtual Network Manager connectivity configuration `hs` is not created",
    ] {
        assert!(script.contains(note), "{note}");
    }
}
