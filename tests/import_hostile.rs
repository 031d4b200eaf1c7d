//! Bad input never panics or hangs: not JSON, the wrong shape, a 200 MB file (refused by size
//! before reading), 100,000 nested arrays, invalid UTF-8, huge arrays, too many resources. Each
//! gets a clear error naming the file and exit code 2. Random resource soup always imports to a
//! design that passes `Design::validate()`.
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use assert_cmd::Command;
use predicates::prelude::*;
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};
use vnetlab::io::azure::{self, ImportError};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs `vnetlab import FILE -o out.ron` and checks exit 2, the file named in the message, and
/// that no design was written.
fn refused(path: &Path, message: &str) {
    let out = path.with_extension("ron");
    Command::cargo_bin("vnetlab")
        .unwrap()
        .arg("import")
        .arg(path)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(path.display().to_string()))
        .stderr(predicate::str::contains(message))
        .stderr(predicate::str::contains("panicked").not());
    assert!(!out.exists());
}

#[test]
fn text_that_is_not_json_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    refused(
        &write(dir.path(), "broken.json", b"{\"name\": \"hub\",\n  oops}"),
        "broken.json:2:3: not valid JSON",
    );
}

#[test]
fn json_of_the_wrong_shape_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    refused(
        &write(dir.path(), "object.json", br#"{"hello": 1, "world": 2}"#),
        "not an Azure resource export: it is an object without `id` or `type`",
    );
    refused(
        &write(dir.path(), "numbers.json", b"[1, 2, 3]"),
        "not an Azure resource export: it is an array without resource objects",
    );
}

#[test]
fn a_200_megabyte_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.json");
    // A sparse file: the size check must come from metadata, so nothing is read.
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(200 * 1024 * 1024).unwrap();
    refused(
        &path,
        "209715200 bytes, larger than the 67108864-byte limit",
    );
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    refused(
        &write(dir.path(), "deep.json", text.as_bytes()),
        "nests 128 levels deep or more",
    );
    let text = format!("{}{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    let err = azure::import_texts(&[("deep-objects.json".into(), text)]).unwrap_err();
    assert!(matches!(err, ImportError::NotJson { .. }), "{err}");
}

#[test]
fn invalid_utf8_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    refused(
        &write(
            dir.path(),
            "latin1.json",
            b"[{\"id\": \"/x\", \"name\": \"caf\xe9\"}]",
        ),
        // The position of the first byte that is not UTF-8 (issue 15: no advice to supply JSON).
        "latin1.json:1:27: the file is not text: byte 0xE9 here is not UTF-8; save it as UTF-8",
    );
}

#[test]
fn a_huge_array_is_refused_before_building_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::with_capacity(8_100_000);
    text.push('[');
    for _ in 0..4_000_001 {
        text.push_str("0,");
    }
    text.push_str("0]");
    refused(
        &write(dir.path(), "zeros.json", text.as_bytes()),
        "holds more than 4000000 values",
    );
}

#[test]
fn too_many_resources_are_refused() {
    let items: Vec<Value> = (0..=azure::MAX_RESOURCES)
        .map(|i| json!({"type": "Microsoft.Network/publicIPAddresses", "name": format!("p{i}")}))
        .collect();
    let err = azure::import_values(&[("many.json".into(), Value::Array(items))]).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("many.json: the exports hold more than 100000 resources"),
        "{err}"
    );
}

#[test]
fn too_many_peerings_are_refused_before_the_quadratic_checks() {
    // Inline children count too: one VNet listing more peerings than the limit.
    let peerings: Vec<Value> = (0..=azure::MAX_PEERINGS)
        .map(|i| json!({"id": format!("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/virtualNetworkPeerings/p{i}")}))
        .collect();
    let vnet = json!({"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v",
                      "type": "Microsoft.Network/virtualNetworks", "virtualNetworkPeerings": peerings});
    let err = azure::import_values(&[("peerings.json".into(), vnet)]).unwrap_err();
    assert!(
        err.to_string().contains("more than 20000 peerings"),
        "{err}"
    );
}

#[test]
fn a_firewall_rule_with_huge_lists_is_capped_not_expanded() {
    let hub = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub";
    let many = |prefix: &str| -> Vec<String> {
        (0..2000)
            .map(|i| format!("{prefix}.{}.{}.0/24", i / 250, i % 250))
            .collect()
    };
    let ports: Vec<String> = (1..=500).map(|p| p.to_string()).collect();
    let export = json!([
        {"id": hub, "type": "Microsoft.Network/virtualNetworks", "location": "eastus",
         "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
            "subnets": [{"id": format!("{hub}/subnets/AzureFirewallSubnet"), "name": "AzureFirewallSubnet",
                         "properties": {"addressPrefix": "10.0.254.0/26"}}]}},
        {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/azureFirewalls/fw", "name": "fw",
         "type": "Microsoft.Network/azureFirewalls",
         "properties": {"ipConfigurations": [{"properties": {"privateIPAddress": "10.0.254.4",
                "subnet": {"id": format!("{hub}/subnets/AzureFirewallSubnet")}}}],
            "networkRuleCollections": [{"name": "c", "properties": {"priority": 100, "action": {"type": "Allow"},
                "rules": [{"name": "huge", "protocols": ["TCP", "UDP"], "sourceAddresses": many("10"),
                           "destinationAddresses": many("20"), "destinationPorts": ports}]}}]}},
    ]);
    let imported = azure::import_values(&[("fw.json".into(), export)]).unwrap();
    let fw = imported.design.vm("fw").unwrap();
    assert_eq!(fw.appliance.as_ref().unwrap().rules.len(), 10_000);
    assert!(
        imported
            .report
            .notes
            .iter()
            .any(|n| n.contains("expand to more than 10000 appliance rules"))
    );
}

#[test]
fn a_powershell_utf16_export_imports() {
    let dir = tempfile::tempdir().unwrap();
    let text = azure::export_text(&vnetlab::model::Design::example_pair());
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let path = write(dir.path(), "utf16.json", &bytes);
    let imported = azure::import_files(&[path]).unwrap();
    assert_eq!(imported.design, vnetlab::model::Design::example_pair());
}

#[test]
fn a_missing_file_is_named() {
    Command::cargo_bin("vnetlab")
        .unwrap()
        .args(["import", "/nonexistent/export.json", "-o", "/tmp/never.ron"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "/nonexistent/export.json: reading failed",
        ));
}

/// Values an export field might hold, good and bad.
fn leaf() -> impl Strategy<Value = Value> {
    let vnet = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v";
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (0u32..70000).prop_map(|n| json!(n)),
        Just(json!(-1)),
        Just(json!(1.5)),
        prop::sample::select(vec![
            "",
            "*",
            "Any",
            "0.0.0.0/0",
            "10.0.0.0/16",
            "10.0.1.0/24",
            "10.0.1.4",
            "10.0.1.4/24",
            "10.9.9.9",
            "fd00::/8",
            "not-a-cidr",
            "Storage",
            "VirtualNetwork",
            "Tcp",
            "Inbound",
            "Deny",
            "VnetLocal",
            "VirtualAppliance",
            "Initiated",
            "Disconnected",
            "Connected",
            "LocalNotInSync",
            "westeurope",
            "nowhere",
            "v",
            "a/b",
            "GatewaySubnet",
            "Vpn",
            "ExpressRoute",
            "IPsec",
            "Vnet2Vnet",
            "VpnGw1",
            "none",
            "{\"kind\":\"Nva\"}",
            "[{\"name\":\"h\",\"ip\":\"10.0.1.9\"}]",
        ])
        .prop_map(|s| json!(s)),
        prop::sample::select(vec![
            "",
            "/subnets/a",
            "/subnets/b",
            "/virtualNetworkPeerings/p"
        ])
        .prop_map(move |suffix| json!({ "id": format!("{vnet}{suffix}") })),
        Just(
            json!({"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n"})
        ),
        Just(
            json!({"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/g"})
        ),
    ]
}

const KEYS: &[&str] = &[
    "id",
    "name",
    "location",
    "properties",
    "addressSpace",
    "addressPrefixes",
    "addressPrefix",
    "subnets",
    "virtualNetworkPeerings",
    "remoteVirtualNetwork",
    "remoteAddressSpace",
    "peeringState",
    "peeringSyncLevel",
    "allowVirtualNetworkAccess",
    "securityRules",
    "priority",
    "direction",
    "access",
    "protocol",
    "sourceAddressPrefix",
    "destinationAddressPrefixes",
    "destinationPortRange",
    "routes",
    "nextHopType",
    "nextHopIpAddress",
    "ipConfigurations",
    "privateIPAddress",
    "subnet",
    "primary",
    "enableIPForwarding",
    "virtualMachine",
    "networkSecurityGroup",
    "routeTable",
    "gatewayType",
    "sku",
    "vpnClientConfiguration",
    "localNetworkAddressSpace",
    "connectionType",
    "virtualNetworkGateway1",
    "localNetworkGateway2",
    "virtualNetworkGateway2",
    "tags",
    "vnetlab-appliance",
    "vnetlab-hosts",
    "networkRuleCollections",
    "rules",
];

fn soup() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|pairs| {
                Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

fn resource() -> impl Strategy<Value = Value> {
    let types = vec![
        "Microsoft.Network/virtualNetworks",
        "Microsoft.Network/virtualNetworks/subnets",
        "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        "Microsoft.Network/networkInterfaces",
        "Microsoft.Network/networkSecurityGroups",
        "Microsoft.Network/routeTables",
        "Microsoft.Network/virtualNetworkGateways",
        "Microsoft.Network/localNetworkGateways",
        "Microsoft.Network/connections",
        "Microsoft.Network/azureFirewalls",
        "vnetlab/design",
        "Microsoft.Network/publicIPAddresses",
    ];
    (
        prop::sample::select(types),
        prop::collection::vec((prop::sample::select(KEYS), soup()), 0..10),
    )
        .prop_map(|(kind, pairs)| {
            let mut map: Map<String, Value> =
                pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            map.insert("type".into(), json!(kind));
            Value::Object(map)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever the resources hold, import never panics and its design always validates and
    /// saves as a design file that loads again.
    #[test]
    fn random_resource_soup_imports_to_a_valid_design(resources in prop::collection::vec(resource(), 0..12)) {
        if let Ok(imported) = azure::import_values(&[("soup.json".into(), Value::Array(resources))]) {
            let errors = imported.design.validate();
            prop_assert!(errors.is_empty(), "{:?}", errors);
            let text = vnetlab::io::to_ron(&imported.design).unwrap();
            prop_assert!(vnetlab::io::parse_design(&text, "soup.ron").is_ok(), "{}", text);
        }
    }
}

/// JSON pointers to every leaf of a document.
fn leaves(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| leaves(v, format!("{at}/{i}"), out)),
        Value::Object(map) => map.iter().for_each(|(k, v)| {
            leaves(
                v,
                format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                out,
            );
        }),
        _ => out.push(at),
    }
}

fn realistic_export() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/azure/realistic");
    [
        "vnets.json",
        "nics.json",
        "security.json",
        "gateway.json",
        "onprem.json",
    ]
    .iter()
    .map(|name| {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        (name.to_string(), serde_json::from_str(&text).unwrap())
    })
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// A real export with values swapped for wrong ones (bad CIDRs, IPs outside subnets,
    /// dangling IDs, wrong types) still imports to a design that validates.
    #[test]
    fn a_damaged_real_export_imports_to_a_valid_design(
        damage in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), leaf()), 1..12)
    ) {
        let mut documents = realistic_export();
        for (file, position, replacement) in damage {
            let (_, document) = &mut documents[file.index(5)];
            let mut pointers = Vec::new();
            leaves(document, String::new(), &mut pointers);
            let pointer = &pointers[position.index(pointers.len())];
            if let Some(slot) = document.pointer_mut(pointer) {
                *slot = replacement;
            }
        }
        match azure::import_values(&documents) {
            Ok(imported) => {
                let errors = imported.design.validate();
                prop_assert!(errors.is_empty(), "{:?}\n{}", errors, imported.report);
            }
            // Damage to a single-resource file's `id` and `type` leaves no resource in it.
            Err(ImportError::WrongShape { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected error: {other}"),
        }
    }
}
