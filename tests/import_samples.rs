//! Every REST sample in ../shared/azure-samples/rest imports as the model says it should, object
//! by object; the Azure CLI (flattened) and Resource Graph exports written from the same facts
//! import to the same design with the same summary.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::path::{Path, PathBuf};
use vnetlab::io::azure::{self, ImportError, Imported};
use vnetlab::model::*;

const SAMPLES: &str = "/work/shared/azure-samples/rest";

fn sample(name: &str) -> PathBuf {
    // The samples live beside the project; a copy of the same files is kept under the fixtures so
    // the tests also run on a checkout without the shared folder.
    let shared = Path::new(SAMPLES).join(name);
    if shared.exists() {
        shared
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/azure/rest")
            .join(name)
    }
}

fn import(names: &[&str]) -> Imported {
    let paths: Vec<PathBuf> = names.iter().map(|n| sample(n)).collect();
    azure::import_files(&paths).unwrap_or_else(|e| panic!("{e}"))
}

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/azure")
        .join(relative)
}

fn cidr(text: &str) -> ipnet::Ipv4Net {
    parse_cidr(text).unwrap()
}

const RESOURCE_SAMPLES: [&str; 8] = [
    "virtual-network.json",
    "virtual-network-peering.json",
    "network-security-group.json",
    "route-table.json",
    "network-interface.json",
    "virtual-network-gateway.json",
    "local-network-gateway.json",
    "connection-s2s.json",
];

#[test]
fn virtual_network_sample() {
    let imported = import(&["virtual-network.json"]);
    let mut expected = Vnet::new(
        "test-vnet",
        "westus".parse().unwrap(),
        vec![cidr("10.0.0.0/16")],
    );
    expected.subscription = "subid".into();
    expected.resource_group = Some("rg1".into());
    expected
        .subnets
        .push(Subnet::new("subnet1", cidr("10.0.1.0/24")));
    assert_eq!(imported.design.vnets, vec![expected]);
    assert!(imported.report.is_clean(), "{}", imported.report);
}

#[test]
fn peering_sample_names_its_missing_vnet() {
    let imported = import(&["virtual-network-peering.json"]);
    assert!(imported.design.peerings.is_empty());
    assert_eq!(imported.report.missing.len(), 1);
    let line = &imported.report.missing[0];
    assert!(
        line.starts_with(
            "peering `peer`: local VNet /subscriptions/subid/resourceGroups/peerTest/"
        ),
        "{line}"
    );
    assert!(
        line.ends_with("virtualNetworks/vnet1 (the peering was left out)"),
        "{line}"
    );
}

#[test]
fn nsg_sample_keeps_the_custom_rule_and_recognises_the_defaults() {
    let imported = import(&["network-security-group.json"]);
    let mut rule = NsgRule::new(
        "rule1",
        130,
        Direction::Inbound,
        Access::Allow,
        Protocol::Any,
    );
    rule.destination_ports = vec![PortRange::single(80)];
    assert_eq!(
        imported.design.nsgs,
        vec![Nsg {
            name: "testnsg".into(),
            rules: vec![rule].into()
        }]
    );
    assert!(imported.report.is_clean(), "{}", imported.report);
}

#[test]
fn route_table_sample() {
    let imported = import(&["route-table.json"]);
    let mut table = RouteTable::new("testrt");
    table.routes.push(Route {
        name: "route1".into(),
        prefix: cidr("10.0.3.0/24"),
        next_hop: NextHop::VirtualNetworkGateway,
    });
    assert_eq!(imported.design.route_tables, vec![table]);
    assert!(imported.report.is_clean(), "{}", imported.report);
}

#[test]
fn network_interface_sample_without_its_vnet_is_left_out_with_a_line() {
    let imported = import(&["network-interface.json"]);
    assert!(imported.design.vms.is_empty());
    assert_eq!(imported.report.missing.len(), 1, "{}", imported.report);
    assert!(imported.report.missing[0].starts_with("NIC `test-nic`: subnet "));
    assert!(imported.report.missing[0].contains("/virtualNetworks/rg1-vnet/subnets/default"));
}

#[test]
fn network_interface_sample_with_its_vnet_becomes_vm1() {
    // The same NIC with the VNet it names: the VM is named after virtualMachine.id, and the
    // second IP configuration (a /28 prefix allocation) is named as not modelled.
    let vnet = r#"{"id": "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/rg1-vnet",
        "name": "rg1-vnet", "type": "Microsoft.Network/virtualNetworks", "location": "eastus",
        "properties": {"addressSpace": {"addressPrefixes": ["172.20.0.0/16"]},
        "subnets": [{"name": "default", "id": "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/rg1-vnet/subnets/default",
                     "properties": {"addressPrefix": "172.20.2.0/24"}}]}}"#;
    let nic = std::fs::read_to_string(sample("network-interface.json")).unwrap();
    let imported =
        azure::import_texts(&[("vnet.json".into(), vnet.into()), ("nic.json".into(), nic)])
            .unwrap();
    let vm = &imported.design.vms[0];
    assert_eq!(vm.name, "vm1");
    assert_eq!(
        vm.nics,
        vec![Nic::new(
            SubnetRef::new("rg1-vnet", "default"),
            "172.20.2.4".parse().unwrap()
        )]
    );
    assert_eq!(vm.appliance, None);
    let report = imported.report.to_string();
    assert!(report.contains("NIC `test-nic`: NSG /subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/networkSecurityGroups/nsg (the NIC is imported without it)"), "{report}");
    assert!(
        report.contains("secondary IP configuration(s) ipconfig2 not modelled"),
        "{report}"
    );
}

#[test]
fn gateway_sample_without_its_vnet_is_left_out_with_a_line() {
    let imported = import(&["virtual-network-gateway.json"]);
    assert!(imported.design.gateways.is_empty());
    assert_eq!(imported.report.missing.len(), 1);
    assert!(imported.report.missing[0].starts_with("gateway `vpngw`: VNet "));
    assert!(
        imported.report.missing[0].ends_with("/virtualNetworks/vnet1 (the gateway was left out)")
    );
}

#[test]
fn local_network_gateway_sample_is_a_site_with_a_representative_host() {
    let imported = import(&["local-network-gateway.json"]);
    assert_eq!(
        imported.design.sites,
        vec![Site {
            name: "localgw".into(),
            prefixes: vec![cidr("10.1.0.0/16")],
            hosts: vec![Host {
                name: "localgw-host".into(),
                ip: "10.1.0.1".parse().unwrap()
            }],
            bgp: false,
        }]
    );
    assert!(imported.report.is_clean(), "{}", imported.report);
}

#[test]
fn connection_sample_without_its_gateway_is_left_out_with_a_line() {
    let imported = import(&["connection-s2s.json"]);
    assert!(imported.design.connections.is_empty());
    assert!(imported.report.missing[0].starts_with("connection `connS2S`: gateway "));
}

#[test]
fn effective_route_table_sample_is_refused_with_a_reason() {
    let err = azure::import_files(&[sample("effective-route-table.json")]).unwrap_err();
    assert!(matches!(err, ImportError::WrongShape { .. }));
    let text = err.to_string();
    assert!(
        text.contains("effective-route-table.json: not an Azure resource export"),
        "{text}"
    );
    assert!(text.contains("show-effective-route-table"), "{text}");
}

/// The REST samples together: what each left out is explained once, in the right section.
fn rest_together() -> Imported {
    import(&RESOURCE_SAMPLES)
}

#[test]
fn all_rest_samples_merge_into_one_design() {
    let imported = rest_together();
    let d = &imported.design;
    assert_eq!(d.vnets.len(), 1);
    assert_eq!(d.nsgs.len(), 1);
    assert_eq!(d.route_tables.len(), 1);
    assert_eq!(d.sites.len(), 1);
    assert!(
        d.vms.is_empty()
            && d.peerings.is_empty()
            && d.gateways.is_empty()
            && d.connections.is_empty()
    );
    assert!(d.validate().is_empty());
    let report = &imported.report;
    assert_eq!(report.missing.len(), 3, "{report}");
    // The connection's gateway is in the export but was itself left out: a note, not a missing reference.
    assert_eq!(report.notes.len(), 1, "{report}");
    assert!(
        report.notes[0].contains("connection `connS2S`: gateway")
            && report.notes[0].contains("was not imported either")
    );
}

fn same_design(a: &Imported, b: &Imported) {
    let mut left = a.design.clone();
    let mut right = b.design.clone();
    left.name.clear();
    right.name.clear();
    assert_eq!(left, right);
    assert_eq!(a.report.counts, b.report.counts);
    assert_eq!(a.report.missing, b.report.missing);
    assert_eq!(a.report.notes, b.report.notes);
}

#[test]
fn azure_cli_flattened_export_of_the_same_facts_gives_the_same_design() {
    let cli = azure::import_files(&[
        fixture("cli/vnet-create.json"),
        fixture("cli/network-list.json"),
    ])
    .unwrap();
    same_design(&rest_together(), &cli);
}

#[test]
fn resource_graph_export_of_the_same_facts_gives_the_same_design() {
    let graph = azure::import_files(&[fixture("graph/resources.json")]).unwrap();
    same_design(&rest_together(), &graph);
}
