//! Terraform plan JSON from public test suites and research artefacts (see
//! tests/fixtures/terraform/README.md for each file's source) imports object by object as the
//! plan says, with every value unknown until apply named, and gives the reachability the
//! configuration implies.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::path::PathBuf;
use vnetlab::engine::{EngineKind, Verdict, analyze, trace};
use vnetlab::io::azure::{self, Imported};
use vnetlab::model::*;

fn import(name: &str) -> Imported {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform")
        .join(name);
    azure::import_files(&[path]).unwrap_or_else(|e| panic!("{e}"))
}

fn cidr(text: &str) -> ipnet::Ipv4Net {
    parse_cidr(text).unwrap()
}

fn ip(text: &str) -> std::net::Ipv4Addr {
    text.parse().unwrap()
}

/// terraform-compliance `test_issue-294`: Terraform 0.12 (format 0.1), two VM modules with
/// `count`, NICs with dynamic IPs, NSGs with rules as their own resources and associations.
#[test]
fn terraform_compliance_vm_modules_with_counts() {
    let Imported { design, report } = import("tfcompliance-issue-294.plan.json");
    assert!(design.validate().is_empty());
    let vnet = design.vnet("tfctagcheck-network").unwrap();
    assert_eq!(vnet.address_space, vec![cidr("10.0.0.0/16")]);
    assert_eq!(vnet.resource_group.as_deref(), Some("tfctagcheck-rg"));
    assert_eq!(vnet.region.name(), "northeurope");
    assert_eq!(
        vnet.subscription, "",
        "the placeholder subscription reads as none"
    );
    assert_eq!(vnet.subnets.len(), 1);
    assert_eq!(vnet.subnets[0].prefix, cidr("10.0.2.0/24"));
    // VM ↔ NIC through `network_interface_ids` = azurerm_network_interface.vm[count.index].id
    let linux = design.vm("myvm-vmLinux-0").unwrap();
    assert_eq!(linux.nics.len(), 1);
    assert_eq!(
        linux.nics[0].subnet.to_string(),
        "tfctagcheck-network/internal"
    );
    assert_eq!(linux.nics[0].ip, ip("10.0.2.4"));
    assert_eq!(linux.nics[0].nsg.as_deref(), Some("myvm-nsg"));
    let windows = design.vm("mywinvm-vmWindows-0").unwrap();
    assert_eq!(windows.nics[0].ip, ip("10.0.2.5"));
    assert_eq!(windows.nics[0].nsg.as_deref(), Some("mywinvm-nsg"));
    let rule = &design.nsg("myvm-nsg").unwrap().rules[0];
    assert_eq!(
        (
            rule.name.as_str(),
            rule.priority,
            rule.direction,
            rule.access,
            rule.protocol
        ),
        (
            "allow_remote_22_in_all",
            100,
            Direction::Inbound,
            Access::Allow,
            Protocol::Tcp
        )
    );
    assert_eq!(rule.destination_ports, vec!["22".parse().unwrap()]);
    assert_eq!(
        design.nsg("mywinvm-nsg").unwrap().rules[0].destination_ports,
        vec!["3389".parse().unwrap()]
    );
    // Dynamic addresses are placeholders, each named.
    assert_eq!(report.placeholders.len(), 2, "{report}");
    assert!(
        report.placeholders[0].contains("placed at 10.0.2.4"),
        "{report}"
    );
    assert_eq!(report.unsupported.get("azurerm_public_ip"), Some(&1));
    assert_eq!(report.unsupported.get("azurerm_availability_set"), Some(&2));
    // The custom rules open 22 and 3389 to everyone; inside the VNet, Azure's default
    // AllowVnetInBound rule admits every port anyway (azure-semantics.md §3.2).
    let allowed = |from, to, flow: &str| {
        trace(&design, from, to, flow.parse().unwrap())
            .unwrap()
            .verdict
            == Verdict::Reachable
    };
    for flow in ["tcp/22", "tcp/3389", "tcp/443"] {
        assert!(
            allowed("mywinvm-vmWindows-0", "myvm-vmLinux-0", flow),
            "{flow}"
        );
        assert!(
            allowed("myvm-vmLinux-0", "mywinvm-vmWindows-0", flow),
            "{flow}"
        );
    }
}

/// checkov `plan_with_resource_reference`: a rule given as its own resource, found by the NSG's
/// name (Terraform 1.3, format 1.1).
#[test]
fn checkov_rule_resource_joins_its_nsg() {
    let Imported { design, report } = import("checkov-nsg-rule-reference.plan.json");
    assert_eq!(design.nsgs.len(), 2);
    assert!(design.nsg("fail").unwrap().rules.is_empty());
    let rules = &design.nsg("pass").unwrap().rules;
    assert_eq!(rules.len(), 1);
    assert_eq!(
        (rules[0].priority, rules[0].access, rules[0].protocol),
        (100, Access::Deny, Protocol::Tcp)
    );
    assert_eq!(rules[0].destination_ports, vec!["3389".parse().unwrap()]);
    assert!(
        report.placeholders.is_empty() && report.missing.is_empty(),
        "{report}"
    );
}

/// ZodiacAE `terraform-azure-aks-agic-main`: hub and spoke with peerings whose remote IDs are
/// unknown until apply, UDRs as `azurerm_route` resources pointing at a Palo Alto VM-Series.
#[test]
fn zodiac_hub_spoke_peerings_resolve_through_references() {
    let Imported { design, report } = import("zodiac-aks-agic-hub-spoke-nva.plan.json");
    assert!(design.validate().is_empty());
    let hub = design.vnet("hubVirtualNetwork").unwrap();
    assert_eq!(hub.address_space, vec![cidr("10.100.0.0/23")]);
    let names: Vec<&str> = hub.subnets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "snet-applicationgateway",
            "snet-firewall-management",
            "snet-firewall-trust",
            "snet-firewall-untrust"
        ]
    );
    let spoke = design.vnet("aksVirtualNetwork").unwrap();
    assert_eq!(spoke.address_space, vec![cidr("10.200.0.0/16")]);
    let link = design.peering("hub-to-spoke").unwrap();
    assert_eq!(
        (link.local.as_str(), link.remote.as_str()),
        ("hubVirtualNetwork", "aksVirtualNetwork")
    );
    assert!(link.allow_virtual_network_access && !link.allow_forwarded_traffic);
    assert_eq!(design.peering_state(link), PeeringState::Connected);
    // Route + association, both through unknown IDs.
    assert_eq!(spoke.subnets[0].route_table.as_deref(), Some("aks-rt"));
    let route = &design.route_table("aks-rt").unwrap().routes[0];
    assert_eq!(route.prefix, cidr("10.100.0.0/23"));
    assert_eq!(route.next_hop, NextHop::VirtualAppliance(ip("10.100.1.4")));
    assert_eq!(hub.subnets[1].nsg.as_deref(), Some("sg-mgmt"));
    let mgmt = &design.nsg("sg-mgmt").unwrap().rules[0];
    assert_eq!(mgmt.source, vec!["2.3.186.236/32".parse().unwrap()]);
    // The VM-Series NICs take their subnets from a list variable indexed by count.index, which
    // vnetlab does not follow: each is named, none is guessed.
    for n in 0..3 {
        let address = format!("module.paloalto_vmseries.azurerm_network_interface.this[{n}]");
        assert!(
            report.placeholders.iter().any(|p| p.contains(&address)),
            "{report}"
        );
    }
    assert!(design.vms.is_empty());
}

/// ZodiacAE `terraform-azure-main/appgw-with-privateendpoint`: two Azure Firewalls in modules,
/// route tables whose appliance address is the firewall's (a module output, unknown until
/// apply), VMs in a module with `count`.
#[test]
fn zodiac_firewall_addresses_flow_into_routes() {
    let Imported { design, report } = import("zodiac-appgw-privateendpoint-firewalls.plan.json");
    assert!(design.validate().is_empty());
    let firewall = design.vm("afw-example").unwrap();
    assert_eq!(
        firewall.nics[0].subnet.to_string(),
        "vnet-example/AzureFirewallSubnet"
    );
    assert_eq!(firewall.nics[0].ip, ip("172.16.3.4"));
    assert_eq!(
        firewall.appliance.as_ref().unwrap().kind,
        ApplianceKind::Firewall
    );
    let table = design.route_table("rt-default").unwrap();
    assert_eq!(table.routes.len(), 2);
    assert_eq!(table.routes[0].prefix, cidr("0.0.0.0/0"));
    assert_eq!(
        table.routes[0].next_hop,
        NextHop::VirtualAppliance(ip("172.16.3.4"))
    );
    let fe = design.route_table("rt-fe-vm").unwrap();
    assert_eq!(
        fe.routes[0].next_hop,
        NextHop::VirtualAppliance(ip("10.254.1.4"))
    );
    assert_eq!(design.vm("vmappgw0").unwrap().nics[0].ip, ip("172.16.0.4"));
    assert_eq!(design.vm("vmappgw1").unwrap().nics[0].ip, ip("172.16.0.5"));
    // The front-end firewall's name comes from random_string: named after its address.
    assert!(
        design
            .vm("module.fe_azfw.azurerm_firewall.example")
            .is_some()
    );
    assert!(
        report
            .placeholders
            .iter()
            .any(|p| p.contains("its name is unknown until apply"))
    );
    assert_eq!(
        report
            .unsupported
            .get("azurerm_firewall_policy_rule_collection_group"),
        Some(&2)
    );
    // The two VNets are not peered: nothing crosses between them.
    let analysis = analyze(&design, Flow::DEFAULT, EngineKind::Fast);
    let (a, b) = (
        analysis.index_of("vmappgw0").unwrap(),
        analysis.index_of("vmfrontend").unwrap(),
    );
    assert_eq!(analysis.verdict(a, b), Verdict::Blocked);
}

/// ZodiacAE `ecommerce-ops-main/terraform`: VNets and peerings in separate module instances,
/// the remote ID passed from one module's output into another module's variable.
#[test]
fn zodiac_module_peerings_resolve_across_modules() {
    let Imported { design, report } = import("zodiac-ecommerce-ops-module-peerings.plan.json");
    assert!(report.placeholders.is_empty(), "{report}");
    let link = design.peering("zodiac-peer-appgw-cluster").unwrap();
    assert_eq!(
        (link.local.as_str(), link.remote.as_str()),
        ("zodiac-vn-appigw", "zodiac-vn-aks")
    );
    let back = design.peering("zodiac-peer-cluster-appgw").unwrap();
    assert_eq!(
        (back.local.as_str(), back.remote.as_str()),
        ("zodiac-vn-aks", "zodiac-vn-appigw")
    );
    assert_eq!(design.peering_state(link), PeeringState::Connected);
    assert_eq!(
        design.vnet("zodiac-vn-aks").unwrap().address_space,
        vec![cidr("10.1.0.0/16")]
    );
    assert_eq!(
        design.vnet("zodiac-vn-appigw").unwrap().subnets[0].prefix,
        cidr("10.0.1.0/24")
    );
}

/// Derived from Azure/terraform-azurerm-lz-vending `modules/virtualnetwork`: azapi 1.x VNets
/// and mesh peerings (body as a JSON string), azapi_update_resource, azapi 2.x subnets (body as
/// an object), azurerm NICs on them, two modules deep with `for_each`.
#[test]
fn azapi_resources_go_through_the_arm_mapper() {
    let Imported { design, report } = import("lz-vending-mesh-azapi.derived.plan.json");
    assert!(design.validate().is_empty());
    let a = design.vnet("vnet-a").unwrap();
    assert_eq!(a.address_space, vec![cidr("10.1.0.0/16")]);
    assert_eq!(a.subscription, "11111111-2222-3333-4444-555555555555");
    assert_eq!(a.resource_group.as_deref(), Some("rg-a"));
    assert_eq!(a.subnets[0].prefix, cidr("10.1.1.0/24"));
    let link = design.peering("vnet-a-vnet-b").unwrap();
    assert_eq!(link.remote, "vnet-b");
    assert!(!link.allow_forwarded_traffic);
    assert_eq!(design.peering_state(link), PeeringState::Connected);
    assert_eq!(
        design.vm("nic-b").unwrap().nics[0].subnet.to_string(),
        "vnet-b/workload"
    );
    assert_eq!(
        report
            .unsupported
            .get("azapi_resource (Microsoft.Resources/resourceGroups)"),
        Some(&2)
    );
    assert!(report.placeholders.is_empty(), "{report}");
    assert_eq!(
        trace(&design, "nic-a", "nic-b", Flow::DEFAULT)
            .unwrap()
            .verdict,
        Verdict::Reachable
    );
}
