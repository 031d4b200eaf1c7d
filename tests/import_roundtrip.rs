//! import(export(d)) == d: for the start-up design, every example in saves/, and a design that
//! uses every part of the model; the import of an export is clean (nothing skipped or noted).
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use vnetlab::io::{azure, examples, parse_design};
use vnetlab::model::Design;

fn round_trip(name: &str, design: &Design) {
    let exported = azure::export_text(design);
    let imported = azure::import_texts(&[(name.to_string(), exported.clone())])
        .unwrap_or_else(|e| panic!("{name}: {e}\n{exported}"));
    assert!(imported.report.is_clean(), "{name}: {}", imported.report);
    assert_eq!(&imported.design, design, "{name}:\n{exported}");
    // Exporting is deterministic, so a second round gives the same JSON.
    assert_eq!(azure::export_text(&imported.design), exported, "{name}");
}

#[test]
fn every_bundled_design_survives_export_and_import() {
    let all = std::iter::once(examples::DEFAULT_DESIGN).chain(examples::EXAMPLES.iter().copied());
    let mut count = 0;
    for (name, text) in all {
        round_trip(
            name,
            &parse_design(text, name).unwrap_or_else(|e| panic!("{e}")),
        );
        count += 1;
    }
    assert_eq!(count, 1 + examples::EXAMPLES.len());
}

#[test]
fn every_saved_design_on_disk_survives_export_and_import() {
    // The saves/ folder itself, so a new example is covered even before it is embedded.
    let mut seen = 0;
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/saves")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            let design = vnetlab::io::load_design(&path).unwrap();
            round_trip(&path.display().to_string(), &design);
            seen += 1;
        }
    }
    assert!(seen >= 7, "saves/ holds the examples");
}

#[test]
fn a_design_using_every_feature_survives_export_and_import() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/azure/every-feature.ron"
    );
    let design = vnetlab::io::load_design(std::path::Path::new(path)).unwrap();
    round_trip("every-feature.ron", &design);
}

#[test]
fn the_export_is_an_array_of_arm_resources_with_plausible_ids() {
    let design = parse_design(examples::DEFAULT_DESIGN.1, "hub-spoke.ron").unwrap();
    let value = azure::export_design(&design);
    let items = value.as_array().expect("one array");
    let hub = items.iter().find(|r| r["name"] == "hub").unwrap();
    assert_eq!(
        hub["id"],
        "/subscriptions/sub-connectivity/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub"
    );
    assert_eq!(hub["type"], "Microsoft.Network/virtualNetworks");
    assert_eq!(hub["location"], "westeurope");
    assert_eq!(
        hub["properties"]["addressSpace"]["addressPrefixes"][0],
        "10.0.0.0/16"
    );
    let one_sided = items.iter().find(|r| r["name"] == "hub-to-spoke3").unwrap();
    assert_eq!(one_sided["properties"]["peeringState"], "Initiated");
    // VNets without a subscription or resource group get the documented placeholders.
    let plain = azure::export_design(&Design::example_pair());
    assert_eq!(
        plain[0]["id"],
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/vnetlab/providers/Microsoft.Network/virtualNetworks/a"
    );
    // Every resource except the vnetlab element has an ID that parses.
    for item in items.iter().filter(|r| r["type"] != "vnetlab/design") {
        let id = item["id"].as_str().unwrap();
        assert!(azure::ResourceId::parse(id).is_some(), "{id}");
    }
}
