//! Azure regions and the cloud each belongs to.
//!
//! Peering never crosses a cloud boundary (azure-semantics.md §1.1), so every VNet's region must
//! be known. The table below lists every region of the public cloud, Azure China (21Vianet) and
//! Azure Government by its ARM `location` name; it is data, not string heuristics, so adding a
//! region is a one-line change.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The sovereign cloud a region belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Cloud {
    /// `AzureCloud`, the public cloud.
    Public,
    /// `AzureChinaCloud`, operated by 21Vianet.
    China,
    /// `AzureUSGovernment`, including the DoD regions.
    UsGovernment,
}

impl Cloud {
    /// The name Azure tooling uses for this cloud (`az cloud list`).
    pub fn azure_name(self) -> &'static str {
        match self {
            Cloud::Public => "AzureCloud",
            Cloud::China => "AzureChinaCloud",
            Cloud::UsGovernment => "AzureUSGovernment",
        }
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Cloud::Public => "public cloud",
            Cloud::China => "Azure China",
            Cloud::UsGovernment => "Azure Government",
        })
    }
}

/// Every known region: `(location name, display name, cloud)`.
pub const REGIONS: &[(&str, &str, Cloud)] = &[
    // Public cloud: Americas
    ("eastus", "East US", Cloud::Public),
    ("eastus2", "East US 2", Cloud::Public),
    ("eastus3", "East US 3", Cloud::Public),
    ("centralus", "Central US", Cloud::Public),
    ("northcentralus", "North Central US", Cloud::Public),
    ("southcentralus", "South Central US", Cloud::Public),
    ("westcentralus", "West Central US", Cloud::Public),
    ("westus", "West US", Cloud::Public),
    ("westus2", "West US 2", Cloud::Public),
    ("westus3", "West US 3", Cloud::Public),
    ("canadacentral", "Canada Central", Cloud::Public),
    ("canadaeast", "Canada East", Cloud::Public),
    ("brazilsouth", "Brazil South", Cloud::Public),
    ("brazilsoutheast", "Brazil Southeast", Cloud::Public),
    ("mexicocentral", "Mexico Central", Cloud::Public),
    ("chilecentral", "Chile Central", Cloud::Public),
    // Public cloud: Europe
    ("northeurope", "North Europe", Cloud::Public),
    ("westeurope", "West Europe", Cloud::Public),
    ("uksouth", "UK South", Cloud::Public),
    ("ukwest", "UK West", Cloud::Public),
    ("francecentral", "France Central", Cloud::Public),
    ("francesouth", "France South", Cloud::Public),
    ("germanywestcentral", "Germany West Central", Cloud::Public),
    ("germanynorth", "Germany North", Cloud::Public),
    ("switzerlandnorth", "Switzerland North", Cloud::Public),
    ("switzerlandwest", "Switzerland West", Cloud::Public),
    ("norwayeast", "Norway East", Cloud::Public),
    ("norwaywest", "Norway West", Cloud::Public),
    ("swedencentral", "Sweden Central", Cloud::Public),
    ("swedensouth", "Sweden South", Cloud::Public),
    ("polandcentral", "Poland Central", Cloud::Public),
    ("italynorth", "Italy North", Cloud::Public),
    ("spaincentral", "Spain Central", Cloud::Public),
    ("austriaeast", "Austria East", Cloud::Public),
    ("belgiumcentral", "Belgium Central", Cloud::Public),
    ("denmarkeast", "Denmark East", Cloud::Public),
    ("greececentral", "Greece Central", Cloud::Public),
    ("finlandcentral", "Finland Central", Cloud::Public),
    // Public cloud: Asia Pacific
    ("eastasia", "East Asia", Cloud::Public),
    ("southeastasia", "Southeast Asia", Cloud::Public),
    ("japaneast", "Japan East", Cloud::Public),
    ("japanwest", "Japan West", Cloud::Public),
    ("koreacentral", "Korea Central", Cloud::Public),
    ("koreasouth", "Korea South", Cloud::Public),
    ("australiaeast", "Australia East", Cloud::Public),
    ("australiasoutheast", "Australia Southeast", Cloud::Public),
    ("australiacentral", "Australia Central", Cloud::Public),
    ("australiacentral2", "Australia Central 2", Cloud::Public),
    ("centralindia", "Central India", Cloud::Public),
    ("southindia", "South India", Cloud::Public),
    ("westindia", "West India", Cloud::Public),
    ("jioindiacentral", "Jio India Central", Cloud::Public),
    ("jioindiawest", "Jio India West", Cloud::Public),
    ("indonesiacentral", "Indonesia Central", Cloud::Public),
    ("malaysiawest", "Malaysia West", Cloud::Public),
    ("newzealandnorth", "New Zealand North", Cloud::Public),
    ("taiwannorth", "Taiwan North", Cloud::Public),
    // Public cloud: Middle East and Africa
    ("uaenorth", "UAE North", Cloud::Public),
    ("uaecentral", "UAE Central", Cloud::Public),
    ("qatarcentral", "Qatar Central", Cloud::Public),
    ("israelcentral", "Israel Central", Cloud::Public),
    ("saudiarabiaeast", "Saudi Arabia East", Cloud::Public),
    ("southafricanorth", "South Africa North", Cloud::Public),
    ("southafricawest", "South Africa West", Cloud::Public),
    // Azure China (21Vianet)
    ("chinaeast", "China East", Cloud::China),
    ("chinaeast2", "China East 2", Cloud::China),
    ("chinaeast3", "China East 3", Cloud::China),
    ("chinanorth", "China North", Cloud::China),
    ("chinanorth2", "China North 2", Cloud::China),
    ("chinanorth3", "China North 3", Cloud::China),
    // Azure Government (including DoD)
    ("usgovvirginia", "US Gov Virginia", Cloud::UsGovernment),
    ("usgovtexas", "US Gov Texas", Cloud::UsGovernment),
    ("usgovarizona", "US Gov Arizona", Cloud::UsGovernment),
    ("usgoviowa", "US Gov Iowa", Cloud::UsGovernment),
    ("usdodeast", "US DoD East", Cloud::UsGovernment),
    ("usdodcentral", "US DoD Central", Cloud::UsGovernment),
];

/// A validated Azure region, stored by its ARM location name (`westeurope`).
///
/// ```
/// use vnetlab::model::{Cloud, Region};
/// let r: Region = "West Europe".parse().unwrap();
/// assert_eq!(r.name(), "westeurope");
/// assert_eq!(r.cloud(), Cloud::Public);
/// assert_eq!("usgovtexas".parse::<Region>().unwrap().cloud(), Cloud::UsGovernment);
/// let refused = "westeruope".parse::<Region>().unwrap_err();
/// assert!(refused.to_string().contains("did you mean `westeurope`?"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region(u16);

impl Region {
    /// The ARM location name, e.g. `westeurope`.
    pub fn name(self) -> &'static str {
        REGIONS[self.0 as usize].0
    }
    /// The portal's display name, e.g. `West Europe`.
    pub fn display_name(self) -> &'static str {
        REGIONS[self.0 as usize].1
    }
    /// The cloud this region belongs to.
    pub fn cloud(self) -> Cloud {
        REGIONS[self.0 as usize].2
    }
    /// All known regions, in table order.
    pub fn all() -> impl Iterator<Item = Region> {
        (0..REGIONS.len() as u16).map(Region)
    }
}

impl std::str::FromStr for Region {
    type Err = super::ValueError;

    /// Accepts the location name or the display name, in any case and with or without spaces.
    fn from_str(s: &str) -> Result<Self, super::ValueError> {
        let key: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(i) = REGIONS.iter().position(|(name, _, _)| *name == key) {
            return Ok(Region(i as u16));
        }
        let closest = super::suggest::closest(&key, REGIONS.iter().map(|(name, _, _)| *name));
        Err(super::ValueError::Region {
            text: super::value_error::shown(s),
            suggestion: closest.map(ToString::to_string),
        })
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Region {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Region {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_name_is_unique_and_lowercase() {
        let mut names: Vec<_> = REGIONS.iter().map(|r| r.0).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), REGIONS.len());
        assert!(REGIONS.iter().all(|r| r.0 == r.0.to_ascii_lowercase()));
    }

    #[test]
    fn clouds_follow_the_documented_prefixes() {
        for region in Region::all() {
            let name = region.name();
            let expected = if name.starts_with("usgov") || name.starts_with("usdod") {
                Cloud::UsGovernment
            } else if name.starts_with("china") {
                Cloud::China
            } else {
                Cloud::Public
            };
            assert_eq!(region.cloud(), expected, "{name}");
        }
    }

    #[test]
    fn a_misspelt_region_suggests_the_real_one() {
        let error = "westeruope".parse::<Region>().unwrap_err();
        assert_eq!(
            error,
            crate::model::ValueError::Region {
                text: "westeruope".to_string(),
                suggestion: Some("westeurope".to_string())
            }
        );
        assert!(
            error.to_string().contains("did you mean `westeurope`"),
            "{error}"
        );
    }

    #[test]
    fn display_names_parse() {
        assert_eq!(
            "US Gov Virginia".parse::<Region>().unwrap().name(),
            "usgovvirginia"
        );
        assert_eq!(
            "China North 2".parse::<Region>().unwrap().cloud(),
            Cloud::China
        );
    }
}
