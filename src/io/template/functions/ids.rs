//! Resource IDs: `resourceId`, `subscriptionResourceId`, `tenantResourceId` and
//! `extensionResourceId`, and the ID of a resource declared by type and full name.
//!
//! `resourceId([subscriptionId], [resourceGroupName], type, name1, name2, ...)`: the type is the
//! first argument holding a `/`; before it come zero, one (resource group) or two (subscription
//! and resource group) scope arguments. Each type segment after the namespace takes one name; a
//! name given as `vnet/subnet` in one argument is split, and a trailing `/` in the type (seen in
//! real templates) is ignored.

use super::{EvalError, Val, invalid, string_arg};

/// Where a deployment lands: the defaults the scope functions answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The subscription ID.
    pub subscription: String,
    /// The resource group name (empty at subscription scope).
    pub resource_group: String,
}

/// Which kind of `*ResourceId` function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// `resourceId`: in a resource group.
    ResourceGroup,
    /// `subscriptionResourceId`: at subscription level.
    Subscription,
    /// `tenantResourceId`: at tenant level.
    Tenant,
}

/// `resourceId` and its subscription and tenant siblings.
pub fn resource_id(
    kind: IdKind,
    name: &str,
    args: &[Val],
    place: &Place,
) -> Result<String, EvalError> {
    let texts: Vec<&str> = args
        .iter()
        .map(|a| string_arg(name, a))
        .collect::<Result<_, _>>()?;
    let type_at = texts.iter().position(|t| t.contains('/')).ok_or_else(|| {
        invalid(
            name,
            "no argument is a resource type such as `Microsoft.Network/virtualNetworks`",
        )
    })?;
    let (scope, rest) = texts.split_at(type_at);
    let (resource_type, names) = rest
        .split_first()
        .ok_or_else(|| invalid(name, "the resource type is missing"))?;
    let (subscription, group) = match (kind, scope) {
        (IdKind::ResourceGroup, []) => (
            Some(place.subscription.as_str()),
            Some(place.resource_group.as_str()),
        ),
        (IdKind::ResourceGroup, [rg]) => (Some(place.subscription.as_str()), Some(*rg)),
        (IdKind::ResourceGroup, [sub, rg]) => (Some(*sub), Some(*rg)),
        (IdKind::Subscription, []) => (Some(place.subscription.as_str()), None),
        (IdKind::Subscription, [sub]) => (Some(*sub), None),
        (IdKind::Tenant, []) => (None, None),
        _ => return Err(invalid(name, "too many arguments before the resource type")),
    };
    let path = typed_path(name, resource_type, names)?;
    let mut id = String::new();
    if let Some(sub) = subscription {
        id.push_str("/subscriptions/");
        id.push_str(sub);
    }
    if let Some(rg) = group {
        id.push_str("/resourceGroups/");
        id.push_str(rg);
    }
    id.push_str("/providers/");
    id.push_str(&path);
    Ok(id)
}

/// `extensionResourceId(baseId, type, names...)`.
pub fn extension_id(args: &[Val]) -> Result<String, EvalError> {
    let texts: Vec<&str> = args
        .iter()
        .map(|a| string_arg("extensionResourceId", a))
        .collect::<Result<_, _>>()?;
    let [base, resource_type, names @ ..] = texts.as_slice() else {
        return Err(invalid(
            "extensionResourceId",
            "it takes a resource ID, a type and names",
        ));
    };
    let path = typed_path("extensionResourceId", resource_type, names)?;
    Ok(format!("{}/providers/{path}", base.trim_end_matches('/')))
}

/// `Microsoft.Network/virtualNetworks/subnets` with names `[vnet, subnet]` (or `["vnet/subnet"]`)
/// → `Microsoft.Network/virtualNetworks/vnet/subnets/subnet`.
pub fn typed_path(
    function: &str,
    resource_type: &str,
    names: &[&str],
) -> Result<String, EvalError> {
    let segments: Vec<&str> = resource_type.split('/').filter(|s| !s.is_empty()).collect();
    let [namespace, types @ ..] = segments.as_slice() else {
        return Err(invalid(
            function,
            format!("`{resource_type}` is not a resource type"),
        ));
    };
    let names: Vec<&str> = names
        .iter()
        .flat_map(|n| n.split('/'))
        .filter(|n| !n.is_empty())
        .collect();
    if types.is_empty() || names.len() != types.len() {
        return Err(invalid(
            function,
            format!(
                "type `{resource_type}` takes {} name(s), but {} were given",
                types.len(),
                names.len()
            ),
        ));
    }
    let mut path = (*namespace).to_string();
    for (t, n) in types.iter().zip(&names) {
        path.push('/');
        path.push_str(t);
        path.push('/');
        path.push_str(n);
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> Place {
        Place {
            subscription: "sub".into(),
            resource_group: "rg".into(),
        }
    }

    fn id(kind: IdKind, args: &[&str]) -> Result<String, EvalError> {
        let args: Vec<Val> = args.iter().map(|a| Val::str(*a)).collect();
        resource_id(kind, "resourceId", &args, &place())
    }

    #[test]
    fn every_form_of_resource_id() {
        assert_eq!(
            id(
                IdKind::ResourceGroup,
                &["Microsoft.Network/virtualNetworks/subnets", "v", "s"]
            )
            .unwrap(),
            "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
        );
        assert_eq!(
            id(
                IdKind::ResourceGroup,
                &["other", "Microsoft.Network/virtualNetworks/", "v"]
            )
            .unwrap(),
            "/subscriptions/sub/resourceGroups/other/providers/Microsoft.Network/virtualNetworks/v"
        );
        assert_eq!(
            id(
                IdKind::ResourceGroup,
                &[
                    "s2",
                    "rg2",
                    "Microsoft.Network/virtualNetworks/subnets",
                    "v/s"
                ]
            )
            .unwrap(),
            "/subscriptions/s2/resourceGroups/rg2/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
        );
        assert_eq!(
            id(
                IdKind::Subscription,
                &["Microsoft.Resources/resourceGroups", "g"]
            )
            .unwrap(),
            "/subscriptions/sub/providers/Microsoft.Resources/resourceGroups/g"
        );
        assert_eq!(
            id(
                IdKind::Tenant,
                &["Microsoft.Management/managementGroups", "m"]
            )
            .unwrap(),
            "/providers/Microsoft.Management/managementGroups/m"
        );
        assert!(
            id(
                IdKind::ResourceGroup,
                &["Microsoft.Network/virtualNetworks/subnets", "v"]
            )
            .is_err()
        );
        assert!(
            id(
                IdKind::ResourceGroup,
                &["a", "b", "c", "Microsoft.Network/virtualNetworks", "v"]
            )
            .is_err()
        );
        assert!(id(IdKind::ResourceGroup, &["v"]).is_err());
    }
}
