//! Peering settings as explanations name them: each with the names people know it by (the API
//! property, the portal's label, the Terraform argument; issue 11 item 8), and the settings an
//! edit changes, read from the edit itself so that every fix, lint's included, names them the
//! same way.

use crate::edit::{Edit, Object};
use crate::model::{Design, Peering, PeeringFlag};
use serde::{Serialize, Serializer};
use std::fmt;

/// One setting of one peering link that a blocker or a fix is about.
///
/// ```
/// use vnetlab::engine::PeeringSetting;
/// use vnetlab::model::PeeringFlag;
/// let s = PeeringSetting::new("spoke-to-hub", "spoke", PeeringFlag::AllowForwardedTraffic, Some(true));
/// assert_eq!(s.short(), "allow forwarded traffic (allowForwardedTraffic)");
/// assert!(s.to_string().contains("Terraform: allow_forwarded_traffic"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeeringSetting {
    /// The link's name.
    pub peering: String,
    /// The VNet that owns the link (the portal's label names it).
    pub local: String,
    /// The setting.
    pub flag: PeeringFlag,
    /// The value the fix gives it; `None` when a blocker names the setting without a fix
    /// changing it.
    pub value: Option<bool>,
}

impl PeeringSetting {
    /// A setting of link `peering`, owned by VNet `local`.
    pub fn new(
        peering: impl Into<String>,
        local: impl Into<String>,
        flag: PeeringFlag,
        value: Option<bool>,
    ) -> Self {
        PeeringSetting {
            peering: peering.into(),
            local: local.into(),
            flag,
            value,
        }
    }

    /// The setting of `link`, with the value `link` has.
    fn of(link: &Peering, flag: PeeringFlag) -> Self {
        PeeringSetting::new(&link.name, &link.local, flag, Some(flag.get(link)))
    }

    /// The short form, where space is tight: vnetlab's words and the API name.
    pub fn short(&self) -> String {
        format!("{} ({})", self.flag, self.flag.api_name())
    }

    /// The settings `edit` changes on peering links of `design`: on a new link, those that differ
    /// from Azure's defaults; on a replaced one, those that differ from the link as it is.
    /// Batches are read in order; a setting changed twice is listed once, with its last value.
    pub fn changed_by(design: &Design, edit: &Edit) -> Vec<PeeringSetting> {
        let mut found = Vec::new();
        collect(design, edit, &mut found);
        found
    }
}

fn collect(design: &Design, edit: &Edit, found: &mut Vec<PeeringSetting>) {
    let mut note = |setting: PeeringSetting| match found
        .iter_mut()
        .find(|s| s.peering == setting.peering && s.flag == setting.flag)
    {
        Some(seen) => *seen = setting,
        None => found.push(setting),
    };
    match edit {
        Edit::Add {
            object: Object::Peering(link),
            ..
        } => {
            for flag in PeeringFlag::ALL {
                if flag.get(link) != flag.default_value() {
                    note(PeeringSetting::of(link, flag));
                }
            }
        }
        Edit::Replace(Object::Peering(link)) => {
            let before = design.peering(&link.name);
            for flag in PeeringFlag::ALL {
                let was = before.map_or(flag.default_value(), |b| flag.get(b));
                if flag.get(link) != was {
                    note(PeeringSetting::of(link, flag));
                }
            }
        }
        Edit::Batch(edits) => {
            for edit in edits {
                collect(design, edit, found);
            }
        }
        _ => {}
    }
}

/// The full form: the API name, the portal's label and the Terraform argument, with the value
/// when there is one: ``allowForwardedTraffic = true on `spoke-to-hub` (portal: "…"; Terraform:
/// allow_forwarded_traffic)``.
impl fmt::Display for PeeringSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.flag.api_name())?;
        if let Some(value) = self.value {
            write!(f, " = {value}")?;
        }
        write!(
            f,
            " on `{}` (portal: \"{}\"; Terraform: {})",
            self.peering,
            self.flag.portal_label(&self.local),
            self.flag.terraform()
        )
    }
}

/// The JSON form: `{"peering", "setting", "api", "portal", "terraform", "value"}`.
impl Serialize for PeeringSetting {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            peering: &'a str,
            setting: &'static str,
            api: &'static str,
            portal: String,
            terraform: &'static str,
            value: Option<bool>,
        }
        Json {
            peering: &self.peering,
            setting: self.flag.words(),
            api: self.flag.api_name(),
            portal: self.flag.portal_label(&self.local),
            terraform: self.flag.terraform(),
            value: self.value,
        }
        .serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_names_the_settings_it_changes_and_no_other() {
        let mut d = Design::example_pair();
        d.peerings.push(Peering::new("a-to-b", "a", "b"));
        let mut changed = d.peerings[0].clone();
        changed.allow_forwarded_traffic = true;
        let mut back = Peering::new("b-to-a", "b", "a");
        back.use_remote_gateways = true;
        back.allow_virtual_network_access = false;
        let edit = Edit::Batch(vec![
            Edit::Replace(Object::Peering(changed)),
            Edit::Add {
                object: Object::Peering(back),
                at: None,
            },
        ]);
        let named: Vec<(String, PeeringFlag, Option<bool>)> = PeeringSetting::changed_by(&d, &edit)
            .into_iter()
            .map(|s| (s.peering, s.flag, s.value))
            .collect();
        assert_eq!(
            named,
            [
                (
                    "a-to-b".into(),
                    PeeringFlag::AllowForwardedTraffic,
                    Some(true)
                ),
                (
                    "b-to-a".into(),
                    PeeringFlag::AllowVirtualNetworkAccess,
                    Some(false)
                ),
                ("b-to-a".into(), PeeringFlag::UseRemoteGateways, Some(true)),
            ]
        );
        let json = serde_json::to_value(PeeringSetting::new(
            "b-to-a",
            "b",
            PeeringFlag::UseRemoteGateways,
            Some(true),
        ))
        .unwrap();
        assert_eq!(json["api"], "useRemoteGateways");
        assert_eq!(json["terraform"], "use_remote_gateways");
        assert_eq!(json["setting"], "use remote gateways");
        assert!(json["portal"].as_str().unwrap().contains("'b'"));
    }
}
