//! The importer's rules on small hand-written exports: unique names across resource groups,
//! case-insensitive IDs, peering states that differ from the links, children given separately,
//! Azure Firewall rules, connection types, unknown regions, IPv6, defaults of missing flags.
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};
use vnetlab::io::azure::{self, Imported};
use vnetlab::model::*;

fn id(rg: &str, path: &str) -> String {
    format!("/subscriptions/sub-1/resourceGroups/{rg}/providers/Microsoft.Network/{path}")
}

fn vnet(rg: &str, name: &str, space: &str, subnet: &str, peerings: Value) -> Value {
    json!({
        "id": id(rg, &format!("virtualNetworks/{name}")), "name": name, "type": "Microsoft.Network/virtualNetworks",
        "location": "eastus",
        "properties": {
            "addressSpace": {"addressPrefixes": [space]},
            "subnets": [{"id": id(rg, &format!("virtualNetworks/{name}/subnets/default")), "name": "default",
                         "properties": {"addressPrefix": subnet}}],
            "virtualNetworkPeerings": peerings,
        }
    })
}

fn peering(rg: &str, local: &str, name: &str, remote_id: &str, state: &str) -> Value {
    json!({"id": id(rg, &format!("virtualNetworks/{local}/virtualNetworkPeerings/{name}")), "name": name,
           "properties": {"remoteVirtualNetwork": {"id": remote_id}, "peeringState": state}})
}

fn import(resources: Value) -> Imported {
    azure::import_values(&[("test.json".into(), resources)]).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn repeated_names_across_resource_groups_stay_apart_and_ids_match_in_any_case() {
    let a = id("rg-a", "virtualNetworks/vnet1");
    let b = id("rg-b", "virtualNetworks/vnet1");
    let nic = |rg: &str, name: &str, subnet_id: String, ip: &str| {
        json!({"id": id(rg, &format!("networkInterfaces/{name}")), "name": name, "type": "Microsoft.Network/networkInterfaces",
               "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties": {"privateIPAddress": ip, "subnet": {"id": subnet_id}}}]}})
    };
    let imported = import(json!([
        vnet(
            "rg-a",
            "vnet1",
            "10.1.0.0/16",
            "10.1.1.0/24",
            json!([peering("rg-a", "vnet1", "peer", &b, "Connected")])
        ),
        vnet(
            "rg-b",
            "vnet1",
            "10.2.0.0/16",
            "10.2.1.0/24",
            json!([peering("rg-b", "vnet1", "peer", &a, "Connected")])
        ),
        // IDs in another case, as Azure tools sometimes print them.
        nic(
            "rg-b",
            "web",
            format!("{}/subnets/default", b.to_uppercase()),
            "10.2.1.4"
        ),
        nic(
            "rg-a",
            "web",
            format!("{}/SUBNETS/DEFAULT", a.to_lowercase()),
            "10.1.1.4"
        ),
    ]));
    let d = &imported.design;
    let vnets: Vec<&str> = d.vnets.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(vnets, ["vnet1", "vnet1 (rg-b)"]);
    let peerings: Vec<(&str, &str, &str)> = d
        .peerings
        .iter()
        .map(|p| (p.name.as_str(), p.local.as_str(), p.remote.as_str()))
        .collect();
    assert_eq!(
        peerings,
        [
            ("peer", "vnet1", "vnet1 (rg-b)"),
            ("peer (vnet1 (rg-b))", "vnet1 (rg-b)", "vnet1")
        ]
    );
    assert_eq!(d.peering_state(&d.peerings[0]), PeeringState::Connected);
    let vms: Vec<(&str, String)> = d
        .vms
        .iter()
        .map(|v| (v.name.as_str(), v.nics[0].subnet.to_string()))
        .collect();
    assert_eq!(
        vms,
        [
            ("web", "vnet1 (rg-b)/default".to_string()),
            ("web (rg-a)", "vnet1/default".to_string())
        ]
    );
    assert!(
        imported
            .report
            .notes
            .iter()
            .any(|n| n.contains("is named `vnet1 (rg-b)`")),
        "{}",
        imported.report
    );
    assert!(imported.report.missing.is_empty(), "{}", imported.report);
}

#[test]
fn a_state_the_links_do_not_support_is_modelled_from_the_links_and_named() {
    let a = id("rg", "virtualNetworks/a");
    let b = id("rg", "virtualNetworks/b");
    let c = id("rg", "virtualNetworks/c");
    let imported = import(json!([
        // Exported at different times: a's link still says Initiated, b's says Connected.
        vnet("rg", "a", "10.1.0.0/16", "10.1.1.0/24", json!([peering("rg", "a", "a-to-b", &b, "Initiated")])),
        vnet("rg", "b", "10.2.0.0/16", "10.2.1.0/24", json!([peering("rg", "b", "b-to-a", &a, "Connected"),
                                                             peering("rg", "b", "b-to-c", &c, "Connected")])),
        // c is in the export, but without its peerings.
        {"id": c, "name": "c", "type": "Microsoft.Network/virtualNetworks", "location": "eastus",
         "properties": {"addressSpace": {"addressPrefixes": ["10.3.0.0/16"]}}},
    ]));
    let d = &imported.design;
    assert_eq!(
        d.peering_state(d.peering("a-to-b").unwrap()),
        PeeringState::Connected
    );
    assert_eq!(
        d.peering_state(d.peering("b-to-c").unwrap()),
        PeeringState::Initiated
    );
    let notes = imported.report.notes.join("\n");
    assert!(notes.contains("peering `a-to-b` was exported as Initiated but is modelled as Connected: its reverse link `b-to-a` is in the export"), "{notes}");
    assert!(notes.contains("peering `b-to-c` was exported as Connected but is modelled as Initiated: the reverse link from `c` is not in the export"), "{notes}");
}

#[test]
fn subnet_peerings_keep_their_subnet_lists_and_name_unknown_subnets() {
    let a = id("rg", "virtualNetworks/a");
    let b = id("rg", "virtualNetworks/b");
    let link = |local: &str, name: &str, remote: &str, lists: (&[&str], &[&str])| {
        json!([{"name": name,
            "id": id("rg", &format!("virtualNetworks/{local}/virtualNetworkPeerings/{name}")),
            "properties": {"remoteVirtualNetwork": {"id": remote}, "peerCompleteVnets": false,
                "localSubnetNames": lists.0, "remoteSubnetNames": lists.1}}])
    };
    let imported = import(json!([
        vnet(
            "rg",
            "a",
            "10.1.0.0/16",
            "10.1.1.0/24",
            link("a", "a-to-b", &b, (&["default"], &["default", "ghost"]))
        ),
        vnet(
            "rg",
            "b",
            "10.2.0.0/16",
            "10.2.1.0/24",
            link("b", "b-to-a", &a, (&["default"], &["default"]))
        ),
    ]));
    let d = &imported.design;
    let a_to_b = d.peering("a-to-b").expect("imported");
    assert_eq!(a_to_b.local_subnets, ["default"]);
    assert_eq!(a_to_b.remote_subnets, ["default"]);
    assert!(d.peering("b-to-a").expect("imported").is_subnet_peering());
    assert!(d.validate().is_empty(), "{:?}", d.validate());
    let notes = imported.report.notes.join("\n");
    assert!(
        notes.contains("`ghost` in remoteSubnetNames is not a subnet of VNet `b`"),
        "{notes}"
    );
    assert!(!notes.contains("whole VNets"), "{notes}");
    // Export writes the lists back.
    let exported = azure::export_design(d);
    let link = exported
        .as_array()
        .and_then(|items| items.iter().find(|r| r["name"] == "a-to-b"))
        .expect("exported");
    assert_eq!(link["properties"]["peerCompleteVnets"], false);
    assert_eq!(link["properties"]["localSubnetNames"], json!(["default"]));
    assert_eq!(link["properties"]["remoteSubnetNames"], json!(["default"]));
}

#[test]
fn peering_flags_default_as_azure_documents() {
    let b = id("rg", "virtualNetworks/b");
    let imported = import(json!([
        vnet(
            "rg",
            "a",
            "10.1.0.0/16",
            "10.1.1.0/24",
            json!([{"name": "a-to-b",
            "id": id("rg", "virtualNetworks/a/virtualNetworkPeerings/a-to-b"),
            "remoteVirtualNetwork": {"id": b}, "peerCompleteVnets": false}])
        ),
        vnet("rg", "b", "10.2.0.0/16", "10.2.1.0/24", json!([])),
    ]));
    let p = &imported.design.peerings[0];
    assert!(
        p.allow_virtual_network_access,
        "missing allowVirtualNetworkAccess means true"
    );
    assert!(
        !p.allow_forwarded_traffic
            && !p.allow_gateway_transit
            && !p.use_remote_gateways
            && !p.disconnected
    );
    assert!(
        imported
            .report
            .notes
            .iter()
            .any(|n| n.contains("is a subnet peering"))
    );
}

#[test]
fn subnets_peerings_and_rules_given_as_their_own_resources_join_their_parents() {
    let a = id("rg", "virtualNetworks/a");
    let imported = azure::import_values(&[
        ("vnets.json".into(), json!({"value": [
            {"id": a, "name": "a", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16", "fd00:db8::/48"]}}},
            vnet("rg", "b", "10.2.0.0/16", "10.2.1.0/24", json!([])),
        ]})),
        // `az network vnet subnet list`, `az network vnet peering list`, `az network nsg rule list`.
        ("children.json".into(), json!([
            {"id": format!("{a}/subnets/app"), "name": "app", "type": "Microsoft.Network/virtualNetworks/subnets",
             "resourceGroup": "rg", "addressPrefix": "10.1.1.0/24", "addressPrefixes": ["10.1.1.0/24", "10.1.2.0/24"],
             "networkSecurityGroup": {"id": id("rg", "networkSecurityGroups/nsg1"), "resourceGroup": "rg"}},
            {"id": format!("{a}/virtualNetworkPeerings/a-to-b"), "name": "a-to-b",
             "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
             "remoteVirtualNetwork": {"id": id("rg", "virtualNetworks/b")}, "allowForwardedTraffic": true},
            {"id": id("rg", "networkSecurityGroups/nsg1"), "name": "nsg1", "type": "Microsoft.Network/networkSecurityGroups"},
            {"id": id("rg", "networkSecurityGroups/nsg1/securityRules/r1"), "name": "r1",
             "type": "Microsoft.Network/networkSecurityGroups/securityRules", "priority": 100, "direction": "Inbound",
             "access": "Deny", "protocol": "Tcp", "sourceAddressPrefix": "Any", "sourceAddressPrefixes": ["10.9.0.0/16"],
             "destinationAddressPrefix": "0.0.0.0/0", "destinationPortRange": "", "destinationPortRanges": ["22", "3389", "22"]},
        ])),
        // The same VNet again in another file is merged, not duplicated.
        ("again.json".into(), json!({"id": a.to_uppercase(), "name": "a", "type": "Microsoft.Network/virtualNetworks"})),
    ])
    .unwrap();
    let d = &imported.design;
    assert_eq!(d.vnets.len(), 2);
    let a = d.vnet("a").unwrap();
    assert_eq!(a.address_space, vec![parse_cidr("10.1.0.0/16").unwrap()]);
    assert_eq!(
        a.subnets[0]
            .prefixes()
            .map(std::string::ToString::to_string)
            .collect::<Vec<_>>(),
        ["10.1.1.0/24", "10.1.2.0/24"]
    );
    assert_eq!(a.subnets[0].nsg.as_deref(), Some("nsg1"));
    assert!(d.peering("a-to-b").unwrap().allow_forwarded_traffic);
    let rule = &d.nsg("nsg1").unwrap().rules[0];
    // `Any` among the sources means all of them; repeated ports collapse. `0.0.0.0/0` stays a
    // CIDR: written in a rule it is an explicit allow, which `*` is not (§3.5).
    assert_eq!(rule.source, vec![AddressMatch::Any]);
    assert_eq!(
        rule.destination,
        vec![AddressMatch::Cidr("0.0.0.0/0".parse().unwrap())]
    );
    assert_eq!(
        rule.destination_ports,
        vec![PortRange::single(22), PortRange::single(3389)]
    );
    assert!(
        imported
            .report
            .notes
            .iter()
            .any(|n| n.contains("VNet `a`: 1 IPv6 address range(s) left out"))
    );
}

#[test]
fn azure_firewall_is_a_firewall_appliance_with_its_network_rules() {
    let hub = id("rg", "virtualNetworks/hub");
    let imported = import(json!([
        {"id": hub, "name": "hub", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
         "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
            "subnets": [{"id": format!("{hub}/subnets/AzureFirewallSubnet"), "name": "AzureFirewallSubnet",
                         "properties": {"addressPrefix": "10.0.254.0/26"}}]}},
        {"id": id("rg", "azureFirewalls/fw1"), "name": "fw1", "type": "Microsoft.Network/azureFirewalls",
         "properties": {
            "ipConfigurations": [{"name": "cfg", "properties": {"privateIPAddress": "10.0.254.4",
                "subnet": {"id": format!("{hub}/subnets/AzureFirewallSubnet")}}}],
            "networkRuleCollections": [
                {"name": "deny-first", "properties": {"priority": 100, "action": {"type": "Deny"}, "rules": [
                    {"name": "no-rdp", "protocols": ["TCP"], "sourceAddresses": ["*"], "destinationAddresses": ["10.1.0.0/16"],
                     "destinationPorts": ["3389"]}]}},
                {"name": "web", "properties": {"priority": 50, "action": {"type": "Allow"}, "rules": [
                    {"name": "https", "protocols": ["TCP", "UDP"], "sourceAddresses": ["10.1.0.0/16"],
                     "destinationAddresses": ["10.2.0.0/16"], "destinationPorts": ["443"]},
                    {"name": "by-fqdn", "protocols": ["TCP"], "destinationFqdns": ["example.com"], "destinationPorts": ["443"]}]}},
            ]}},
    ]));
    let fw = imported.design.vm("fw1").unwrap();
    assert_eq!(fw.nics[0].ip.to_string(), "10.0.254.4");
    assert!(fw.nics[0].ip_forwarding);
    let appliance = fw.appliance.as_ref().unwrap();
    assert_eq!(appliance.kind, ApplianceKind::Firewall);
    assert!(appliance.stateful);
    let rules: Vec<(&str, Access, Protocol, String)> = appliance
        .rules
        .iter()
        .map(|r| (r.name.as_str(), r.action, r.protocol, r.ports.to_string()))
        .collect();
    // Collections by priority (50 before 100); one rule per protocol.
    assert_eq!(
        rules,
        [
            ("web/https", Access::Allow, Protocol::Tcp, "443".to_string()),
            ("web/https", Access::Allow, Protocol::Udp, "443".to_string()),
            (
                "deny-first/no-rdp",
                Access::Deny,
                Protocol::Tcp,
                "3389".to_string()
            ),
        ]
    );
    assert!(
        imported
            .report
            .notes
            .iter()
            .any(|n| n.contains("rule `web/by-fqdn` uses IP groups or FQDNs"))
    );
}

#[test]
fn connection_types_and_statuses() {
    let hub = id("rg", "virtualNetworks/hub");
    let other = id("rg", "virtualNetworks/other");
    let gateway = |name: &str, vnet_id: &str| {
        json!({"id": id("rg", &format!("virtualNetworkGateways/{name}")), "name": name,
               "type": "Microsoft.Network/virtualNetworkGateways",
               "properties": {"gatewayType": "Vpn", "sku": {"name": "VpnGw9000"}, "enableBgp": true,
                  "ipConfigurations": [{"properties": {"subnet": {"id": format!("{vnet_id}/subnets/GatewaySubnet")}}}]}})
    };
    let connection = |name: &str, kind: &str, extra: Value| {
        let mut properties = json!({"connectionType": kind,
            "virtualNetworkGateway1": {"id": id("rg", "virtualNetworkGateways/gw-hub")}});
        for (k, v) in extra.as_object().unwrap() {
            properties[k] = v.clone();
        }
        json!({"id": id("rg", &format!("connections/{name}")), "name": name, "type": "Microsoft.Network/connections",
               "properties": properties})
    };
    let imported = import(json!([
        vnet("rg", "hub", "10.0.0.0/16", "10.0.255.0/27", json!([])),
        vnet("rg", "other", "10.5.0.0/16", "10.5.255.0/27", json!([])),
        gateway("gw-hub", &hub),
        gateway("gw-other", &other),
        connection(
            "v2v",
            "Vnet2Vnet",
            json!({"virtualNetworkGateway2": {"id": id("rg", "virtualNetworkGateways/gw-other")},
                                            "connectionStatus": "NotConnected"})
        ),
        connection(
            "er",
            "ExpressRoute",
            json!({"peer": {"id": "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/expressRouteCircuits/c"}})
        ),
    ]));
    let d = &imported.design;
    assert_eq!(
        d.gateways[0].sku,
        GatewaySku::VpnGw1,
        "an unknown SKU gets a stand-in"
    );
    assert!(d.gateways[0].bgp);
    assert_eq!(d.gateways[1].vnet, "other");
    assert_eq!(
        d.connections,
        vec![Connection {
            name: "v2v".into(),
            gateway: "gw-hub".into(),
            remote: ConnectionRemote::Gateway("gw-other".into()),
            bgp: false
        }]
    );
    let notes = imported.report.notes.join("\n");
    assert!(
        notes.contains("unknown SKU `VpnGw9000`; modelled as VpnGw1"),
        "{notes}"
    );
    assert!(
        notes.contains("connection `v2v` reported status NotConnected"),
        "{notes}"
    );
    assert!(
        notes.contains("connection `er` is of type ExpressRoute"),
        "{notes}"
    );
}

#[test]
fn an_unknown_region_keeps_the_vnet_in_a_stand_in_of_the_same_cloud() {
    let mut gov = vnet("rg", "gov", "10.1.0.0/16", "10.1.1.0/24", json!([]));
    gov["location"] = json!("usgovneverland");
    let mut public = vnet("rg", "pub", "10.2.0.0/16", "10.2.1.0/24", json!([]));
    public["location"] = json!("atlantis");
    let imported = import(json!([gov, public]));
    let d = &imported.design;
    assert_eq!(d.vnet("gov").unwrap().region.cloud(), Cloud::UsGovernment);
    assert_eq!(d.vnet("pub").unwrap().region.cloud(), Cloud::Public);
    assert_eq!(imported.report.notes.len(), 2);
    assert!(
        imported.report.notes[1]
            .starts_with("VNet `pub`: unknown location `atlantis`; placed in `eastus`")
    );
}

#[test]
fn headless_commands_read_azure_json_and_refuse_mixed_input() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.json");
    // export a bundled design, then import it back through the command line.
    Command::cargo_bin("vnetlab")
        .unwrap()
        .args([
            "export",
            concat!(env!("CARGO_MANIFEST_DIR"), "/saves/04-gateway-transit.ron"),
            "--to",
            "azure-json",
            "-o",
        ])
        .arg(&export)
        .assert()
        .success();
    let back = dir.path().join("back.ron");
    Command::cargo_bin("vnetlab")
        .unwrap()
        .arg("import")
        .arg(&export)
        .arg("-o")
        .arg(&back)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "imported 3 VNets (4 subnets), 4 peerings, 3 NICs as 3 VMs",
        ))
        .stderr(predicate::str::contains("wrote"));
    let original = vnetlab::io::load_design(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/saves/04-gateway-transit.ron"
    )))
    .unwrap();
    assert_eq!(vnetlab::io::load_design(&back).unwrap(), original);
    // A design file and an export together are refused, as is importing a design.
    Command::cargo_bin("vnetlab")
        .unwrap()
        .args([
            "reach",
            concat!(env!("CARGO_MANIFEST_DIR"), "/saves/04-gateway-transit.ron"),
        ])
        .arg(&export)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a mix or several designs"));
    Command::cargo_bin("vnetlab")
        .unwrap()
        .args([
            "import",
            concat!(env!("CARGO_MANIFEST_DIR"), "/saves/04-gateway-transit.ron"),
            "-o",
        ])
        .arg(dir.path().join("x.ron"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a vnetlab design already"));
}

#[test]
fn a_resource_listed_twice_is_taken_once_from_its_fullest_copy() {
    let full = vnet("rg", "a", "10.1.0.0/16", "10.1.1.0/24", json!([]));
    let bare = json!({"id": id("rg", "virtualNetworks/A"), "name": "a", "type": "Microsoft.Network/virtualNetworks"});
    for documents in [
        vec![bare.clone(), full.clone()],
        vec![full.clone(), bare.clone()],
    ] {
        let imported = import(Value::Array(documents));
        assert_eq!(imported.design.vnets.len(), 1);
        assert_eq!(imported.design.vnets[0].subnets.len(), 1);
        assert!(imported.report.is_clean(), "{}", imported.report);
    }
}
