//! The seeds each reader's fuzz target mutates: real files (the saves, the bundled designs and
//! lessons, the fixtures under `tests/fixtures`) embedded at build time, and files made from the
//! random designs of `strategies` (their RON, their Azure export, their Terraform plan), so the
//! mutations start from every shape the readers are meant to accept.
//!
//! Large real files (the Terraform plans of several hundred kilobytes) are drawn less often, so
//! the seeded runs in `cargo test` stay within a few seconds in a debug build.

use crate::{strategies, terraform_common};
use proptest::prelude::*;
use proptest::sample::select;
use vnetlab::io::azure;
use vnetlab::io::terraform::export::export_hcl;
use vnetlab::io::to_ron;
use vnetlab::lesson::bundled;

/// Real design files, by name.
pub const DESIGNS: &[(&str, &str)] = &[
    (
        "saves/01",
        include_str!("../../saves/01-two-vnets-unpeered.ron"),
    ),
    (
        "saves/02",
        include_str!("../../saves/02-non-transitive.ron"),
    ),
    ("saves/03", include_str!("../../saves/03-hub-spoke-nva.ron")),
    (
        "saves/04",
        include_str!("../../saves/04-gateway-transit.ron"),
    ),
    (
        "saves/05",
        include_str!("../../saves/05-nsg-blocks-peered.ron"),
    ),
    (
        "saves/06",
        include_str!("../../saves/06-one-sided-peering.ron"),
    ),
    (
        "saves/07",
        include_str!("../../saves/07-address-space-sync.ron"),
    ),
    (
        "hub-spoke",
        include_str!("../../assets/designs/hub-spoke.ron"),
    ),
    (
        "every-feature",
        include_str!("../fixtures/azure/every-feature.ron"),
    ),
    (
        "bad/unknown-region",
        include_str!("../fixtures/bad/unknown-region.ron"),
    ),
    (
        "bad/invalid-cidr",
        include_str!("../fixtures/bad/invalid-cidr.ron"),
    ),
];

/// Real Azure exports, by name.
pub const EXPORTS: &[(&str, &str)] = &[
    (
        "cli/network-list",
        include_str!("../fixtures/azure/cli/network-list.json"),
    ),
    (
        "cli/vnet-create",
        include_str!("../fixtures/azure/cli/vnet-create.json"),
    ),
    (
        "graph/resources",
        include_str!("../fixtures/azure/graph/resources.json"),
    ),
    (
        "realistic/gateway",
        include_str!("../fixtures/azure/realistic/gateway.json"),
    ),
    (
        "realistic/nics",
        include_str!("../fixtures/azure/realistic/nics.json"),
    ),
    (
        "realistic/onprem",
        include_str!("../fixtures/azure/realistic/onprem.json"),
    ),
    (
        "realistic/security",
        include_str!("../fixtures/azure/realistic/security.json"),
    ),
    (
        "realistic/vnets",
        include_str!("../fixtures/azure/realistic/vnets.json"),
    ),
    (
        "rest/connection-s2s",
        include_str!("../fixtures/azure/rest/connection-s2s.json"),
    ),
    (
        "rest/nsg",
        include_str!("../fixtures/azure/rest/network-security-group.json"),
    ),
    (
        "rest/gateway",
        include_str!("../fixtures/azure/rest/virtual-network-gateway.json"),
    ),
    (
        "rest/peering",
        include_str!("../fixtures/azure/rest/virtual-network-peering.json"),
    ),
    (
        "rest/vnet",
        include_str!("../fixtures/azure/rest/virtual-network.json"),
    ),
    (
        "rest/nic",
        include_str!("../fixtures/azure/rest/network-interface.json"),
    ),
];

/// Real ARM templates, by name (each read alone: its parameters take their defaults or become
/// placeholders, and linked templates are not found, which the importer must also survive).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "az104-lab05",
        include_str!("../fixtures/templates/az104-lab05/az104-05-vnetvm-loop-template.json"),
    ),
    (
        "az700-m01/template",
        include_str!("../fixtures/templates/az700-m01/template.json"),
    ),
    (
        "az700-m01/azuredeploy",
        include_str!("../fixtures/templates/az700-m01/azuredeploy.json"),
    ),
    (
        "az700-m01/manufacturing",
        include_str!("../fixtures/templates/az700-m01/ManufacturingVMazuredeploy.json"),
    ),
    (
        "quickstart-peering",
        include_str!("../fixtures/templates/quickstart-vnet-to-vnet-peering/azuredeploy.json"),
    ),
    (
        "quickstart-sandbox",
        include_str!("../fixtures/templates/quickstart-hub-and-spoke-sandbox/azuredeploy.json"),
    ),
    (
        "dmauser/azuredeploy",
        include_str!("../fixtures/templates/dmauser-hub-spoke/azuredeploy.json"),
    ),
    (
        "dmauser/vnet-azure",
        include_str!("../fixtures/templates/dmauser-hub-spoke/linked/vnet-azure.json"),
    ),
    (
        "dmauser/vnet-peering",
        include_str!("../fixtures/templates/dmauser-hub-spoke/linked/vnet-peering.json"),
    ),
    (
        "dmauser/nsg",
        include_str!("../fixtures/templates/dmauser-hub-spoke/linked/nsg.json"),
    ),
    (
        "dmauser/vpngw",
        include_str!("../fixtures/templates/dmauser-hub-spoke/linked/vpngw.json"),
    ),
    (
        "avm-virtual-network",
        include_str!("../fixtures/templates/avm-virtual-network/main.json"),
    ),
];

/// Real Terraform plans that are small enough to draw often.
pub const PLANS: &[(&str, &str)] = &[
    (
        "checkov-nsg-rule-reference",
        include_str!("../fixtures/terraform/checkov-nsg-rule-reference.plan.json"),
    ),
    (
        "lz-vending-mesh",
        include_str!("../fixtures/terraform/lz-vending-mesh-azapi.derived.plan.json"),
    ),
    (
        "tfcompliance-294",
        include_str!("../fixtures/terraform/tfcompliance-issue-294.plan.json"),
    ),
];

/// Real Terraform plans of several hundred kilobytes.
pub const LARGE_PLANS: &[(&str, &str)] = &[
    (
        "zodiac-aks-agic",
        include_str!("../fixtures/terraform/zodiac-aks-agic-hub-spoke-nva.plan.json"),
    ),
    (
        "zodiac-appgw",
        include_str!("../fixtures/terraform/zodiac-appgw-privateendpoint-firewalls.plan.json"),
    ),
    (
        "zodiac-ecommerce",
        include_str!("../fixtures/terraform/zodiac-ecommerce-ops-module-peerings.plan.json"),
    ),
];

/// Real lesson files under `tests/fixtures/lessons` (good and broken; their designs are inline
/// or bundled, so they read without the disk).
pub const LESSON_FIXTURES: &[(&str, &str)] = &[
    (
        "good/01-pair",
        include_str!("../fixtures/lessons/good/01-pair.ron"),
    ),
    (
        "good/02-one-side",
        include_str!("../fixtures/lessons/good/02-one-side.ron"),
    ),
    (
        "broken/solution-fails",
        include_str!("../fixtures/lessons/broken/solution-fails.ron"),
    ),
    (
        "malformed/unknown-code",
        include_str!("../fixtures/lessons/malformed/unknown-code.ron"),
    ),
];

fn files(list: &'static [(&'static str, &'static str)]) -> impl Strategy<Value = (String, String)> {
    select(list).prop_map(|(name, text)| (name.to_string(), text.to_string()))
}

/// Seeds for the design reader: real files, and generated designs (valid and broken).
pub fn designs() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        3 => files(DESIGNS),
        1 => strategies::valid_design()
            .prop_map(|d| ("generated".to_string(), to_ron(&d).unwrap_or_default())),
        1 => strategies::damage::arbitrary_design()
            .prop_map(|d| ("damaged".to_string(), to_ron(&d).unwrap_or_default())),
    ]
}

/// Seeds for the Azure importer: real exports, and the export of generated designs.
pub fn exports() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        3 => files(EXPORTS),
        1 => strategies::valid_design()
            .prop_map(|d| ("exported".to_string(), azure::export_text(&d))),
    ]
}

/// Seeds for the template importer: real templates.
pub fn templates() -> impl Strategy<Value = (String, String)> {
    files(TEMPLATES)
}

/// Seeds for the Terraform importer: real plans (the large ones seldom), and the plan of a
/// generated design's Terraform export (the test stand-in for `terraform show -json`).
pub fn plans() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        6 => files(PLANS),
        1 => files(LARGE_PLANS),
        3 => strategies::valid_design().prop_map(|d| {
            let plan = terraform_common::plan(&export_hcl(&d));
            ("planned".to_string(), serde_json::to_string_pretty(&plan).unwrap_or_default())
        }),
    ]
}

/// Seeds for the lesson reader: the bundled lessons and the lesson fixtures.
pub fn lessons() -> impl Strategy<Value = (String, String)> {
    let bundled: Vec<(&str, &str)> = bundled::lesson_files().collect();
    prop_oneof![
        3 => select(bundled).prop_map(|(name, text)| (name.to_string(), text.to_string())),
        1 => files(LESSON_FIXTURES),
    ]
}
