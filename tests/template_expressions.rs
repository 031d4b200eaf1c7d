//! What the template expander does with each construct real templates use, shown on small
//! templates written for the test: copy loops at every level, conditions, nested deployments in
//! inner and outer scope, languageVersion 2.0 symbolic resources, child resources given nested or
//! top-level, `reference()` inside and outside the template, linked templates, parameters, and
//! the placeholders the summary names for what only a deployment knows.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod template_support;

use serde_json::{Value, json};
use template_support::*;
use vnetlab::io::template::TemplateOptions;

const SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

fn template(body: Value) -> Value {
    let mut t = json!({"$schema": SCHEMA, "contentVersion": "1.0.0.0"});
    for (k, v) in body.as_object().unwrap() {
        t[k] = v.clone();
    }
    t
}

fn vnet(name: &str, space: &str, subnets: Value) -> Value {
    json!({"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": name,
           "location": "[resourceGroup().location]",
           "properties": {"addressSpace": {"addressPrefixes": [space]}, "subnets": subnets}})
}

fn one(t: Value) -> vnetlab::io::azure::Opened {
    import_json(&[("t.json", t)], &TemplateOptions::default())
}

fn placeholders(opened: &vnetlab::io::azure::Opened) -> Vec<String> {
    opened.report.as_ref().unwrap().placeholders.clone()
}

#[test]
fn copy_loops_at_resource_property_and_variable_level() {
    let t = template(json!({
        "parameters": {"count": {"type": "int", "defaultValue": 2}},
        "variables": {
            "copy": [{"name": "spaces", "count": "[parameters('count')]",
                      "input": "[format('10.{0}.0.0/16', copyIndex('spaces', 1))]"}]
        },
        "resources": [{
            "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01",
            "name": "[concat('vnet', copyIndex(1))]", "location": "westeurope",
            "copy": {"name": "vnets", "count": "[length(variables('spaces'))]"},
            "properties": {
                "addressSpace": {"addressPrefixes": ["[variables('spaces')[copyIndex()]]"]},
                "copy": [{"name": "subnets", "count": 3, "input": {
                    "name": "[format('s{0}', copyIndex('subnets'))]",
                    "properties": {"addressPrefix": "[cidrSubnet(variables('spaces')[copyIndex()], 24, copyIndex('subnets'))]"}
                }}]
            }
        }]
    }));
    assert_objects(
        &one(t).design,
        &[
            "vnet vnet1 westeurope 10.1.0.0/16",
            "subnet vnet1/s0 10.1.0.0/24 nsg=- rt=-",
            "subnet vnet1/s1 10.1.1.0/24 nsg=- rt=-",
            "subnet vnet1/s2 10.1.2.0/24 nsg=- rt=-",
            "vnet vnet2 westeurope 10.2.0.0/16",
            "subnet vnet2/s0 10.2.0.0/24 nsg=- rt=-",
            "subnet vnet2/s1 10.2.1.0/24 nsg=- rt=-",
            "subnet vnet2/s2 10.2.2.0/24 nsg=- rt=-",
        ],
    );
}

#[test]
fn conditions_skip_resources_and_their_children() {
    let t = template(json!({
        "parameters": {"withSpoke": {"type": "bool", "defaultValue": false}},
        "resources": [
            vnet("hub", "10.0.0.0/16", json!([])),
            {"condition": "[parameters('withSpoke')]", "type": "Microsoft.Network/virtualNetworks",
             "apiVersion": "2023-04-01", "name": "spoke", "location": "eastus",
             "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}},
             "resources": [{"type": "subnets", "apiVersion": "2023-04-01", "name": "a",
                            "dependsOn": ["spoke"], "properties": {"addressPrefix": "10.1.0.0/24"}}]}
        ]
    }));
    assert_objects(&one(t.clone()).design, &["vnet hub eastus 10.0.0.0/16"]);
    let with = import_json(&[("t.json", t)], &with_params(&[("withSpoke", "true")]));
    assert_objects(
        &with.design,
        &[
            "vnet hub eastus 10.0.0.0/16",
            "vnet spoke eastus 10.1.0.0/16",
            "subnet spoke/a 10.1.0.0/24 nsg=- rt=-",
        ],
    );
}

#[test]
fn child_resources_nested_or_top_level_and_peerings_by_resource_id() {
    let t = template(json!({
        "resources": [
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "a",
             "location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}},
             "resources": [
                 {"type": "subnets", "apiVersion": "2023-04-01", "name": "s", "properties": {"addressPrefix": "10.1.1.0/24"}},
                 {"type": "virtualNetworkPeerings", "apiVersion": "2023-04-01", "name": "a-to-b",
                  "properties": {"allowForwardedTraffic": true,
                                 "remoteVirtualNetwork": {"id": "[resourceId('Microsoft.Network/virtualNetworks', 'b')]"}}}
             ]},
            vnet("b", "10.2.0.0/16", json!([])),
            {"type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2023-04-01", "name": "b/s",
             "properties": {"addressPrefix": "10.2.1.0/24"}},
            {"type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "apiVersion": "2023-04-01",
             "name": "b/b-to-a", "properties": {"allowGatewayTransit": true,
                 "remoteVirtualNetwork": {"id": "[resourceId('Microsoft.Network/virtualNetworks', 'a')]"}}}
        ]
    }));
    assert_objects(
        &one(t).design,
        &[
            "vnet a eastus 10.1.0.0/16",
            "subnet a/s 10.1.1.0/24 nsg=- rt=-",
            "vnet b eastus 10.2.0.0/16",
            "subnet b/s 10.2.1.0/24 nsg=- rt=-",
            "peering a-to-b a->b access,forwarded",
            "peering b-to-a b->a access,gateway-transit",
        ],
    );
}

#[test]
fn nested_deployments_in_outer_and_inner_scope() {
    let nested = |scope: &str, template_vars: Value| {
        json!({"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": format!("d-{scope}"),
        "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": scope},
            "parameters": {"space": {"value": "[variables('space')]"}},
            "template": template(json!({
                "parameters": {"space": {"type": "string", "defaultValue": "unused"}},
                "variables": template_vars,
                "resources": [vnet(&format!("[concat('{scope}-', replace(variables('space'), '/', '-'))]"),
                                   "[variables('space')]", json!([]))]
            }))}})
    };
    let t = template(json!({
        "variables": {"space": "10.1.0.0/16"},
        "resources": [nested("outer", json!({})), nested("inner", json!({"space": "[parameters('space')]"}))]
    }));
    // Outer scope: the nested template uses the parent's variable directly. Inner scope: the
    // parent passes it as a parameter, and the nested template has its own variable.
    assert_objects(
        &one(t).design,
        &[
            "vnet outer-10.1.0.0-16 eastus 10.1.0.0/16",
            "vnet inner-10.1.0.0-16 eastus 10.1.0.0/16",
        ],
    );
}

#[test]
fn language_version_2_resources_by_symbolic_name_and_existing_ones() {
    let t = template(json!({
        "languageVersion": "2.0",
        "parameters": {"prefix": {"type": "string", "defaultValue": "10.9.0.0/16"}},
        "resources": {
            "remote": {"existing": true, "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01",
                       "name": "elsewhere"},
            "hub": vnet("hub", "[parameters('prefix')]", json!([{"name": "s", "properties": {
                "addressPrefix": "[cidrSubnet(parameters('prefix'), 24, 0)]"}}])),
            "spoke": vnet("spoke", "10.10.0.0/16", json!([{"name": "s", "properties": {
                "addressPrefix": "[cidrSubnet(reference('hub').addressSpace.addressPrefixes[0], 24, 1)]"}}]))
        }
    }));
    let opened = one(t);
    assert_objects(
        &opened.design,
        &[
            "vnet hub eastus 10.9.0.0/16",
            "subnet hub/s 10.9.0.0/24 nsg=- rt=-",
            "vnet spoke eastus 10.10.0.0/16",
            "subnet spoke/s 10.9.1.0/24 nsg=- rt=-",
        ],
    );
}

/// A firewall's private IP is known only after deployment; Azure gives the first free address of
/// AzureFirewallSubnet. A route table that reads it with `reference()` gets that assumed address
/// (in a second pass), and the summary names the assumption.
#[test]
fn reference_reads_what_the_template_deploys_including_assumed_ips() {
    let fw_subnet =
        "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'AzureFirewallSubnet')]";
    let t = template(json!({
        "resources": [
            vnet("hub", "10.0.0.0/16", json!([
                {"name": "AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.1.0/26"}},
                {"name": "work", "properties": {"addressPrefix": "10.0.2.0/24",
                 "routeTable": {"id": "[resourceId('Microsoft.Network/routeTables', 'rt')]"}}}])),
            {"type": "Microsoft.Network/azureFirewalls", "apiVersion": "2023-04-01", "name": "fw", "location": "eastus",
             "properties": {"ipConfigurations": [{"name": "c", "properties": {"subnet": {"id": fw_subnet}}}]}},
            {"type": "Microsoft.Network/routeTables", "apiVersion": "2023-04-01", "name": "rt", "location": "eastus",
             "properties": {"routes": [{"name": "default", "properties": {"addressPrefix": "0.0.0.0/0",
                 "nextHopType": "VirtualAppliance",
                 "nextHopIpAddress": "[reference(resourceId('Microsoft.Network/azureFirewalls', 'fw')).ipConfigurations[0].properties.privateIPAddress]"}}]}}
        ]
    }));
    let opened = one(t);
    let lines = describe(&opened.design);
    assert!(
        lines.contains(&"route rt/default 0.0.0.0/0 VirtualAppliance 10.0.1.4".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("vm fw hub/AzureFirewallSubnet 10.0.1.4")),
        "{lines:#?}"
    );
    assert_eq!(
        placeholders(&opened),
        [
            "Azure Firewall `fw` c: a dynamic private IP; assumed 10.0.1.4, the first free address of subnet \
          `hub/AzureFirewallSubnet` (Azure assigns it at deployment)"
        ]
    );
}

#[test]
fn what_only_a_deployment_knows_becomes_a_named_placeholder() {
    let t = template(json!({
        "parameters": {"remoteId": {"type": "string"}},
        "resources": [
            vnet("a", "10.1.0.0/16", json!([{"name": "s", "properties": {"addressPrefix": "10.1.1.0/24"}}])),
            {"type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "apiVersion": "2023-04-01",
             "name": "a/to-remote", "properties": {"remoteVirtualNetwork": {"id": "[parameters('remoteId')]"}}},
            {"type": "Microsoft.Network/localNetworkGateways", "apiVersion": "2023-04-01", "name": "site",
             "location": "eastus", "properties": {
                 "gatewayIpAddress": "[reference(resourceId('other-rg', 'Microsoft.Network/publicIPAddresses', 'pip')).ipAddress]",
                 "localNetworkAddressSpace": {"addressPrefixes": ["[listKeys('x', '2020-01-01').keys[0].value]"]}}}
        ]
    }));
    let opened = one(t);
    let found = placeholders(&opened);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert_eq!(
        found[0],
        "parameter `remoteId` has no value (give it with --param remoteId=… or a parameters file): used by \
         virtualNetworkPeerings `a/to-remote` properties.remoteVirtualNetwork.id"
    );
    assert!(found[1].starts_with(
        "`reference('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/other-rg/providers/Microsoft.Network/publicIPAddresses/pip')` \
         is a resource outside the template, known only after deployment: used by localNetworkGateways `site` properties.gatewayIpAddress"
    ), "{}", found[1]);
    assert_eq!(
        found[2],
        "`listKeys()` returns keys or settings known only to a deployment: used by localNetworkGateways `site` \
         properties.localNetworkAddressSpace.addressPrefixes[0]"
    );
}

#[test]
fn unsupported_functions_are_named_not_guessed() {
    let t = template(json!({"resources": [vnet("a", "[dateTimeAdd('2020', 'P1D')]", json!([]))]}));
    let opened = one(t);
    let report = opened.report.as_ref().unwrap();
    assert!(report.template.contains(
        &"functions vnetlab does not evaluate (their results are unknown): dateTimeAdd".to_string()
    ));
    assert_eq!(
        report.placeholders,
        [
            "function `dateTimeAdd` is not supported by vnetlab: used by virtualNetworks `a` properties.addressSpace.addressPrefixes[0]"
        ]
    );
}

#[test]
fn parameters_files_follow_their_template_and_command_line_wins() {
    let t = template(json!({
        "parameters": {"name": {"type": "string"}, "space": {"type": "string", "defaultValue": "10.0.0.0/16"}},
        "resources": [vnet("[parameters('name')]", "[parameters('space')]", json!([]))]
    }));
    let params = |name: &str| {
        json!({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                                     "contentVersion": "1.0.0.0", "parameters": {"name": {"value": name}}})
    };
    let docs = [
        ("one.json", t.clone()),
        ("one.parameters.json", params("first")),
        ("two.json", t),
        ("two.parameters.json", params("second")),
    ];
    let opened = import_json(&docs, &TemplateOptions::default());
    assert_objects(
        &opened.design,
        &[
            "vnet first eastus 10.0.0.0/16",
            "vnet second eastus 10.0.0.0/16",
        ],
    );
    // `--param` applies to every template and wins over the files; the second VNet then clashes.
    let opened = import_json(
        &docs,
        &with_params(&[("space", "10.5.0.0/16"), ("unknownParam", "x")]),
    );
    let lines = describe(&opened.design);
    assert_eq!(lines[0], "vnet first eastus 10.5.0.0/16");
    let report = opened.report.as_ref().unwrap();
    assert!(report.template.contains(
        &"parameter `unknownParam` is not declared by `one.json` and was ignored".to_string()
    ));
}

#[test]
fn scope_defaults_are_settable_and_listed() {
    let t = template(
        json!({"resources": [vnet("[concat(resourceGroup().name, '-vnet')]", "10.0.0.0/16", json!([]))]}),
    );
    let mut options = TemplateOptions::default();
    options.scope.resource_group = "lab-rg".into();
    options.scope.location = "westeurope".into();
    options.scope.subscription = "11111111-1111-1111-1111-111111111111".into();
    let opened = import_json(&[("t.json", t)], &options);
    let d = &opened.design;
    assert_objects(d, &["vnet lab-rg-vnet westeurope 10.0.0.0/16"]);
    assert_eq!(d.vnets[0].resource_group.as_deref(), Some("lab-rg"));
    assert_eq!(
        d.vnets[0].subscription,
        "11111111-1111-1111-1111-111111111111"
    );
    assert_eq!(
        opened.report.as_ref().unwrap().template[0],
        "deployed to subscription `11111111-1111-1111-1111-111111111111`, resource group `lab-rg`, location \
         `westeurope` (set with --scope-subscription, --scope-resource-group, --scope-location)"
    );
}

#[test]
fn linked_templates_resolve_from_the_template_dir_or_become_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let linked = template(json!({
        "parameters": {"space": {"type": "string"}},
        "resources": [vnet("linked-vnet", "[parameters('space')]", json!([]))],
        "outputs": {"id": {"type": "string", "value": "[resourceId('Microsoft.Network/virtualNetworks', 'linked-vnet')]"}}
    }));
    std::fs::create_dir_all(dir.path().join("nested")).unwrap();
    std::fs::write(dir.path().join("nested/vnet.json"), linked.to_string()).unwrap();
    let main = template(json!({
        "parameters": {"_artifactsLocation": {"type": "string", "defaultValue": "[deployment().properties.templateLink.uri]"}},
        "resources": [
            {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "vnet",
             "properties": {"mode": "Incremental",
                 "templateLink": {"uri": "[uri(parameters('_artifactsLocation'), 'nested/vnet.json')]"},
                 "parameters": {"space": {"value": "10.7.0.0/16"}}}},
            {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "missing",
             "properties": {"mode": "Incremental", "templateLink": {"uri": "https://example.org/missing.json"}}},
            {"type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "apiVersion": "2023-04-01",
             "name": "other/to-linked", "properties": {"remoteVirtualNetwork": {
                 "id": "[reference('vnet').outputs.id.value]"}}},
            vnet("other", "10.8.0.0/16", json!([]))
        ]
    }));
    let main_path = dir.path().join("main.json");
    std::fs::write(&main_path, main.to_string()).unwrap();
    let opened =
        vnetlab::io::azure::open_files_with(&[main_path], &TemplateOptions::default()).unwrap();
    assert_objects(
        &opened.design,
        &[
            "vnet linked-vnet eastus 10.7.0.0/16",
            "vnet other eastus 10.8.0.0/16",
            "peering to-linked other->linked-vnet access",
        ],
    );
    let report = opened.report.unwrap();
    assert!(report.template.iter().any(|l| l.starts_with(
        "deployment `vnet`: linked template `https://template.vnetlab.invalid/nested/vnet.json` read from `"
    )), "{:#?}", report.template);
    assert_eq!(report.placeholders.len(), 1, "{:#?}", report.placeholders);
    assert!(
        report.placeholders[0]
            .starts_with("linked template `https://example.org/missing.json` was not found in `"),
        "{}",
        report.placeholders[0]
    );
    assert!(report.placeholders[0].ends_with(
        "(give its folder with --template-dir): used by deployment `missing` (its resources are not imported)"
    ), "{}", report.placeholders[0]);
}

#[test]
fn lazy_if_coalesce_and_safe_access_as_bicep_compiles_them() {
    let t = template(json!({
        "parameters": {"settings": {"type": "object", "defaultValue": {"Subnets": [{"name": "a", "prefix": "10.0.1.0/24"}]}}},
        "variables": {"maybe": null},
        "resources": [vnet("v", "10.0.0.0/16", json!(
            "[map(coalesce(parameters('settings').subnets, createArray()), lambda('s', createObject('name', lambdaVariables('s').name, 'properties', createObject('addressPrefix', if(empty(variables('maybe')), lambdaVariables('s').prefix, variables('maybe').prefix)))))]"
        ))]
    }));
    assert_objects(
        &one(t).design,
        &[
            "vnet v eastus 10.0.0.0/16",
            "subnet v/a 10.0.1.0/24 nsg=- rt=-",
        ],
    );
}

#[test]
fn a_parameters_file_without_its_template_is_explained() {
    let params = json!({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                        "contentVersion": "1.0.0.0", "parameters": {"x": {"value": 1}}});
    assert_eq!(
        import_error(&[("p.json", params)]),
        "p.json: this is a parameters file of an ARM template; give the template first, then its parameters file"
    );
}

/// An unknown never turns into a silent `false`: deciding on it stays unknown, and a condition
/// that cannot be decided imports the resource and says so.
#[test]
fn decisions_on_unknown_values_stay_unknown() {
    let t = template(json!({
        "parameters": {"mode": {"type": "string"}},
        "resources": [
            {"condition": "[or(empty(parameters('mode')), contains(createArray(parameters('mode')), 'hub'))]",
             "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "maybe",
             "location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}}
        ]
    }));
    let opened = one(t);
    assert_objects(&opened.design, &["vnet maybe eastus 10.0.0.0/16"]);
    assert_eq!(
        placeholders(&opened),
        [
            "parameter `mode` has no value (give it with --param mode=… or a parameters file): used by the \
          condition of `maybe` (imported as if true)"
        ]
    );
}
