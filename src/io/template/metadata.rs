//! What a template written by `vnetlab export --to arm` keeps for vnetlab alone, under
//! `metadata.vnetlab`, read back into the resources the Azure importer maps: the design's own
//! facts (name, description, assumptions, subscriptions, intents) as a `vnetlab/design`
//! element, and the resources a deployment cannot create (classic VNets and the NICs in them)
//! as the export wrote them. Other templates have no such metadata and get nothing from here.
//! Cost: one walk over the stored resources.

use super::DeploymentScope;
use super::eval;
use crate::io::azure::ids::move_ids;
use crate::io::export::{EXISTING_KEY, METADATA_KEY};
use serde_json::Value;

fn vnetlab_metadata(template: &Value) -> Option<&serde_json::Map<String, Value>> {
    eval::member(template, "metadata")
        .and_then(|m| eval::member(m, METADATA_KEY))?
        .as_object()
}

/// The `vnetlab/design` element the Azure importer reads, from a template's
/// `metadata.vnetlab` (name, description, assumptions, subscriptions, intents). The
/// deployment's own subscription and resource group are the ones the design left unnamed.
pub(super) fn design_element(template: &Value, scope: &DeploymentScope) -> Option<Value> {
    let mut properties = vnetlab_metadata(template)?.clone();
    let name = properties.remove("name").unwrap_or(Value::Null);
    properties.remove(EXISTING_KEY);
    properties.insert(
        "defaults".to_string(),
        serde_json::json!({"subscription": scope.subscription, "resourceGroup": scope.resource_group}),
    );
    Some(serde_json::json!({"type": "vnetlab/design", "name": name, "properties": properties}))
}

/// The resources the template refers to but does not create (`metadata.vnetlab.existing`),
/// with the export's home subscription and resource group in their IDs replaced by the
/// deployment's, as the template's own `resourceId()` calls do: a peering to a classic VNet
/// then finds it wherever the template is deployed.
pub(super) fn existing_resources(template: &Value, scope: &DeploymentScope) -> Vec<Value> {
    let Some(existing) = vnetlab_metadata(template).and_then(|m| m.get(EXISTING_KEY)) else {
        return Vec::new();
    };
    let text = |key: &str| existing[key].as_str().unwrap_or_default().to_string();
    let home = Home {
        from: (text("subscription"), text("resourceGroup")),
        to: (scope.subscription.clone(), scope.resource_group.clone()),
    };
    let mut resources = existing["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for resource in &mut resources {
        move_ids(resource, &|id| Some(home.moved(id)));
    }
    resources
}

/// The export's home (subscription, resource group) and the deployment's.
struct Home {
    from: (String, String),
    to: (String, String),
}

impl Home {
    /// `id` as the export's `resourceId()` calls place it: its subscription when it is the
    /// home one, its resource group when it is the home one (each on its own, compared without
    /// case as Azure's names are).
    fn moved(&self, id: &str) -> String {
        let mut parts: Vec<&str> = id.split('/').collect();
        let scoped = parts.len() > 4
            && parts[1].eq_ignore_ascii_case("subscriptions")
            && parts[3].eq_ignore_ascii_case("resourceGroups");
        if scoped {
            if parts[2].eq_ignore_ascii_case(&self.from.0) {
                parts[2] = &self.to.0;
            }
            if parts[4].eq_ignore_ascii_case(&self.from.1) {
                parts[4] = &self.to.1;
            }
        }
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn existing_resources_move_to_the_deployment_group() {
        let template = json!({"metadata": {"vnetlab": {"name": "d", "existing": {
            "subscription": "s0", "resourceGroup": "RG0",
            "resources": [{
                "id": "/subscriptions/s0/resourceGroups/rg0/providers/Microsoft.ClassicNetwork/virtualNetworks/old",
                "properties": {"subnets": [{"id": "/subscriptions/other/resourceGroups/rg0/x"}]}
            }]
        }}}});
        let scope = DeploymentScope {
            subscription: "s1".into(),
            resource_group: "rg1".into(),
            ..DeploymentScope::default()
        };
        let resources = existing_resources(&template, &scope);
        assert_eq!(
            resources[0]["id"],
            "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.ClassicNetwork/virtualNetworks/old"
        );
        // Another subscription keeps its name; the home group is the deployment's there too.
        assert_eq!(
            resources[0]["properties"]["subnets"][0]["id"],
            "/subscriptions/other/resourceGroups/rg1/x"
        );
        let design = design_element(&template, &scope).unwrap();
        assert!(design["properties"].get("existing").is_none());
    }

    #[test]
    fn templates_without_metadata_have_nothing_existing() {
        let scope = DeploymentScope::default();
        assert!(existing_resources(&json!({"resources": []}), &scope).is_empty());
        assert!(design_element(&json!({}), &scope).is_none());
    }
}
