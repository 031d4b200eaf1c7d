//! Azure resource IDs: `/subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}`
//! followed by any number of `{childType}/{childName}` pairs. Azure compares IDs
//! case-insensitively, so every lookup goes through [`ResourceId::key`], the lower-cased
//! canonical form; the original spelling is kept for messages.

use std::fmt;

/// A parsed resource ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceId {
    /// The ID as written (trimmed, without a trailing `/`).
    pub text: String,
    /// The subscription segment, if present.
    pub subscription: Option<String>,
    /// The resource group segment, if present.
    pub resource_group: Option<String>,
    /// Provider namespace, e.g. `Microsoft.Network`.
    pub namespace: String,
    /// `(type, name)` pairs after the namespace: the resource, then its children.
    pub segments: Vec<(String, String)>,
}

impl ResourceId {
    /// Parses an ID; `None` when it does not have the `/providers/{namespace}/{type}/{name}` form.
    ///
    /// ```
    /// use vnetlab::io::azure::ResourceId;
    /// let id = ResourceId::parse("/subscriptions/s/resourceGroups/RG1/providers/Microsoft.Network/virtualNetworks/v/subnets/a").unwrap();
    /// assert_eq!(id.type_path(), "microsoft.network/virtualnetworks/subnets");
    /// assert_eq!(id.name(), "a");
    /// assert_eq!(id.parent().unwrap().name(), "v");
    /// assert_eq!(id.resource_group.as_deref(), Some("RG1"));
    /// ```
    pub fn parse(text: &str) -> Option<ResourceId> {
        let text = text.trim().trim_end_matches('/');
        let parts: Vec<&str> = text.split('/').collect();
        // A leading `/` gives an empty first part.
        if parts.first().is_some_and(|p| !p.is_empty()) {
            return None;
        }
        let mut subscription = None;
        let mut resource_group = None;
        let mut i = 1;
        while i + 1 < parts.len() {
            let key = parts[i];
            if key.eq_ignore_ascii_case("subscriptions") {
                subscription = Some(decode_subscription(parts[i + 1]));
            } else if key.eq_ignore_ascii_case("resourceGroups") {
                resource_group = Some(parts[i + 1].to_string());
            } else if key.eq_ignore_ascii_case("providers") {
                break;
            } else {
                return None;
            }
            i += 2;
        }
        if !parts.get(i)?.eq_ignore_ascii_case("providers") {
            return None;
        }
        let namespace = parts.get(i + 1)?.to_string();
        let rest = &parts[i + 2..];
        if rest.is_empty() || !rest.len().is_multiple_of(2) || rest.iter().any(|p| p.is_empty()) {
            return None;
        }
        let segments = rest
            .chunks(2)
            .map(|pair| (pair[0].to_string(), pair[1].to_string()))
            .collect();
        Some(ResourceId {
            text: text.to_string(),
            subscription,
            resource_group,
            namespace,
            segments,
        })
    }

    /// The lower-cased canonical ID, for case-insensitive lookups.
    pub fn key(&self) -> String {
        key_of(&self.text)
    }

    /// The resource type in lower case: namespace, then every segment type
    /// (`microsoft.network/virtualnetworks/subnets`).
    pub fn type_path(&self) -> String {
        let mut path = self.namespace.to_ascii_lowercase();
        for (kind, _) in &self.segments {
            path.push('/');
            path.push_str(&kind.to_ascii_lowercase());
        }
        path
    }

    /// The resource's own name (the last segment).
    pub fn name(&self) -> &str {
        self.segments.last().map_or("", |(_, name)| name.as_str())
    }

    /// The parent resource of a child resource (a subnet's VNet), if any.
    pub fn parent(&self) -> Option<ResourceId> {
        if self.segments.len() < 2 {
            return None;
        }
        let (kind, name) = self.segments.last()?;
        let suffix_len = kind.len() + name.len() + 2;
        let text = self.text[..self.text.len().saturating_sub(suffix_len)].to_string();
        Some(ResourceId {
            text,
            subscription: self.subscription.clone(),
            resource_group: self.resource_group.clone(),
            namespace: self.namespace.clone(),
            segments: self.segments[..self.segments.len() - 1].to_vec(),
        })
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Rewrites, at any depth of a JSON value, every `id` string that `moved` gives a new text for
/// (the importers use it to move kept resources to the IDs a deployment or plan gave them).
pub fn move_ids(value: &mut serde_json::Value, moved: &impl Fn(&str) -> Option<String>) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match child {
                    Value::String(id) if key == "id" => {
                        if let Some(new) = moved(id) {
                            *id = new;
                        }
                    }
                    _ => move_ids(child, moved),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| move_ids(item, moved)),
        _ => {}
    }
}

/// The lookup key of an ID string, whether or not it parses.
pub fn key_of(id: &str) -> String {
    id.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// Builds an ID from its parts, as the exporter writes them.
pub fn build(
    subscription: &str,
    resource_group: &str,
    namespace: &str,
    segments: &[(&str, &str)],
) -> String {
    let subscription = encode_subscription(subscription);
    let mut id = format!(
        "/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/{namespace}"
    );
    for (kind, name) in segments {
        id.push('/');
        id.push_str(kind);
        id.push('/');
        id.push_str(name);
    }
    id
}

/// A design's subscription as an ID segment. Azure's subscription IDs are GUIDs, but a design
/// may name a subscription by its display name, which can hold `/`: that and `%` are written
/// as `%2F` and `%25`, so the ID keeps its shape and [`ResourceId::parse`] gives the name back.
fn encode_subscription(name: &str) -> String {
    name.replace('%', "%25").replace('/', "%2F")
}

/// The inverse of [`encode_subscription`]; a GUID (any real export) comes back unchanged.
fn decode_subscription(segment: &str) -> String {
    if !segment.contains('%') {
        return segment.to_string();
    }
    let mut out = String::with_capacity(segment.len());
    let mut rest = segment;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        if after
            .get(..3)
            .is_some_and(|e| e.eq_ignore_ascii_case("%2F"))
        {
            out.push('/');
            rest = &after[3..];
        } else if let Some(tail) = after.strip_prefix("%25") {
            out.push('%');
            rest = tail;
        } else {
            out.push('%');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_compare_case_insensitively() {
        let a = ResourceId::parse(
            "/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/Hub/",
        )
        .unwrap();
        let b = ResourceId::parse(
            "/SUBSCRIPTIONS/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/hub",
        )
        .unwrap();
        assert_eq!(a.key(), b.key());
        assert_eq!(a.name(), "Hub");
        assert!(a.parent().is_none());
    }

    #[test]
    fn malformed_ids_are_refused() {
        for bad in [
            "",
            "vnet1",
            "/subscriptions/s/resourceGroups/rg",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks",
            "/subscriptions/s/foo/rg/providers/Microsoft.Network/virtualNetworks/v",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks//subnets/a",
        ] {
            assert!(ResourceId::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn built_ids_parse_back() {
        let text = build(
            "s",
            "rg",
            "Microsoft.Network",
            &[("virtualNetworks", "v"), ("subnets", "a")],
        );
        let id = ResourceId::parse(&text).unwrap();
        assert_eq!(
            id.parent().unwrap().text,
            build("s", "rg", "Microsoft.Network", &[("virtualNetworks", "v")])
        );
    }

    #[test]
    fn a_subscription_name_with_slashes_survives_an_id() {
        for name in [
            "team/prod",
            "50% shared",
            "x%2Fy",
            "/lead",
            "trail/",
            "%",
            "a%2",
        ] {
            let id = build(name, "rg", "Microsoft.Network", &[("virtualNetworks", "v")]);
            let parsed = ResourceId::parse(&id).unwrap();
            assert_eq!(parsed.subscription.as_deref(), Some(name), "{id}");
            assert_eq!(parsed.name(), "v");
        }
    }
}
