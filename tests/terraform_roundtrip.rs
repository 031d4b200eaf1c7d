//! export(terraform) → plan JSON → import gives the design back, and the same verdicts: for the
//! start-up design, every design in saves/, the every-feature design and a generated one.
//!
//! vnetlab does not parse HCL for import, so the plan JSON comes from a test-only shim
//! (`terraform_common`) that evaluates the exported HCL with `hcl-rs` the way `terraform plan`
//! would for a first deployment: every ID unknown, references listed in `configuration`.
//!
//! Documented differences (the comparison normalises them): Terraform lists resources by
//! address, so objects come back sorted by name rather than in the design's order; VNets whose
//! design names no subscription come back with the default provider's `subscription_id` (here
//! the placeholder the shim passes, which reads back as "none").
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod terraform_common;

use vnetlab::engine::{EngineKind, analyze};
use vnetlab::io::{azure, examples, parse_design, terraform};
use vnetlab::model::{Design, Flow};

fn normalised(mut design: Design) -> Design {
    design.vnets.sort_by(|a, b| a.name.cmp(&b.name));
    for vnet in &mut design.vnets {
        vnet.subnets.sort_by(|a, b| a.name.cmp(&b.name));
    }
    design.vms.sort_by(|a, b| a.name.cmp(&b.name));
    design.peerings.sort_by(|a, b| a.name.cmp(&b.name));
    design.nsgs.sort_by(|a, b| a.name.cmp(&b.name));
    design.route_tables.sort_by(|a, b| a.name.cmp(&b.name));
    design.gateways.sort_by(|a, b| a.name.cmp(&b.name));
    design.sites.sort_by(|a, b| a.name.cmp(&b.name));
    design.connections.sort_by(|a, b| a.name.cmp(&b.name));
    design
}

fn verdicts(design: &Design) -> Vec<(String, String, String, Vec<String>)> {
    let mut out = Vec::new();
    for flow in [Flow::DEFAULT, "icmp".parse().unwrap()] {
        let analysis = analyze(design, flow, EngineKind::Fast);
        let names: Vec<String> = analysis
            .endpoints()
            .iter()
            .map(|e| e.name.clone())
            .collect();
        for (i, from) in names.iter().enumerate() {
            for (j, to) in names.iter().enumerate() {
                let mut codes: Vec<String> = analysis
                    .reason_codes(i, j)
                    .iter()
                    .map(|c| format!("{c:?}"))
                    .collect();
                codes.sort();
                out.push((
                    from.clone(),
                    to.clone(),
                    format!("{:?}", analysis.verdict(i, j)),
                    codes,
                ));
            }
        }
    }
    out.sort();
    out
}

fn round_trip(name: &str, design: &Design) {
    let hcl = terraform::export_hcl(design);
    let plan = terraform_common::plan(&hcl);
    let imported = azure::import_values(&[(format!("{name}.plan.json"), plan.clone())])
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        imported.report.placeholders.is_empty() && imported.report.missing.is_empty(),
        "{name}: {}",
        imported.report
    );
    let unmodelled: Vec<&String> = imported
        .report
        .unsupported
        .keys()
        .filter(|k| k.as_str() != "azurerm_public_ip")
        .collect();
    assert!(unmodelled.is_empty(), "{name}: {}", imported.report);
    assert_eq!(
        normalised(imported.design.clone()),
        normalised(design.clone()),
        "{name}:\n{hcl}"
    );
    assert_eq!(verdicts(&imported.design), verdicts(design), "{name}");
}

#[test]
fn bundled_designs_survive_terraform_export_and_plan_import() {
    let all = std::iter::once(examples::DEFAULT_DESIGN).chain(examples::EXAMPLES.iter().copied());
    for (name, text) in all {
        round_trip(name, &parse_design(text, name).unwrap());
    }
}

#[test]
fn every_save_survives_terraform_export_and_plan_import() {
    let mut seen = 0;
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/saves")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            let design = vnetlab::io::load_design(&path).unwrap();
            round_trip(&path.display().to_string(), &design);
            seen += 1;
        }
    }
    assert!(seen >= 7);
}

#[test]
fn the_every_feature_design_survives_terraform_export_and_plan_import() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/azure/every-feature.ron"
    );
    let design = vnetlab::io::load_design(std::path::Path::new(path)).unwrap();
    round_trip("every-feature", &design);
    // azurerm cannot create a classic VNet: nothing is written for it, its group or its VM,
    // and the hub's peering names it by resource ID in its subscription.
    let hcl = terraform::export_hcl(&design);
    for absent in [
        "resource \"azurerm_virtual_network\" \"legacy\"",
        "resource \"azurerm_subnet\" \"legacy_web\"",
        "resource \"azurerm_resource_group\" \"vnetlab_sub-old\"",
    ] {
        assert!(!hcl.contains(absent), "{absent}\n{hcl}");
    }
    assert!(
        !hcl.lines()
            .any(|l| l.starts_with("resource ") && l.contains("web-classic")),
        "{hcl}"
    );
    assert!(
        hcl.contains(
            "remote_virtual_network_id = \"/subscriptions/${var.subscription_sub-old}/resourceGroups/vnetlab/providers/Microsoft.ClassicNetwork/virtualNetworks/legacy\""
        ),
        "{hcl}"
    );
    // With the subscription's real ID, the classic VNet and its VM come back in it, linked.
    let real = hcl.replace("default = \"sub-old\"", "default = \"1111-real\"");
    assert_ne!(real, hcl);
    let imported =
        azure::import_values(&[("real.plan.json".to_string(), terraform_common::plan(&real))])
            .unwrap();
    let legacy = imported.design.vnet("legacy").unwrap();
    assert_eq!(legacy.subscription, "1111-real");
    assert_eq!(legacy.deployment, vnetlab::model::DeploymentModel::Classic);
    assert!(imported.design.vms.iter().any(|v| v.name == "web-classic"));
    let link = imported
        .design
        .peerings
        .iter()
        .find(|p| p.name == "hub-to-legacy")
        .unwrap();
    assert_eq!(link.remote, "legacy");
}

#[test]
fn a_generated_design_survives_terraform_export_and_plan_import() {
    let params = vnetlab::model::generate::HubSpokeParams {
        hubs: 2,
        spokes: 6,
        subnets_per_spoke: 2,
        vms_per_subnet: 1,
    };
    let design = vnetlab::model::generate::hub_spoke(&params).unwrap();
    round_trip("generated", &design);
}

#[test]
fn the_export_is_valid_hcl_with_terraform_addresses() {
    let design = parse_design(examples::DEFAULT_DESIGN.1, "hub-spoke.ron").unwrap();
    let hcl = terraform::export_hcl(&design);
    let body = hcl::parse(&hcl).unwrap();
    let kinds: Vec<String> = body
        .blocks()
        .filter(|b| b.identifier() == "resource")
        .map(|b| b.labels()[0].as_str().to_string())
        .collect();
    for kind in [
        "azurerm_resource_group",
        "azurerm_virtual_network",
        "azurerm_subnet",
        "azurerm_virtual_network_peering",
        "azurerm_network_interface",
        "azurerm_linux_virtual_machine",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} missing:\n{hcl}");
    }
    assert!(
        hcl.contains("remote_virtual_network_id = azurerm_virtual_network."),
        "{hcl}"
    );
    assert!(hcl.contains("size = var.vm_size"), "{hcl}");
    assert!(hcl.contains("output \"vnetlab_design\""), "{hcl}");
    assert_eq!(terraform::export::identifier("10 spoke/a"), "_10_spoke_a");
}
