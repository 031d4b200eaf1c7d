//! Azure Virtual Network Manager (AVNM) connectivity: static network groups and connectivity
//! configurations (concept-connectivity-configuration.md, concept-network-groups.md).
//!
//! - A **mesh** configuration makes every member VNet of its groups one *connected group*: the
//!   members reach each other directly (effective routes show next hop `ConnectedGroup`), with no
//!   peering objects. It is regional unless `global`: members in other regions are not
//!   connected. Members may overlap, but traffic to the overlapping ranges is dropped, since the
//!   routing is non-deterministic.
//! - A **hub-and-spoke** configuration peers the hub both ways with every member of each spoke
//!   group (normal peerings Azure manages: see `Design::derived_peerings`). Per spoke group,
//!   *direct connectivity* adds a connected group of that group's members (regional unless the
//!   group is `global`), and *use hub as a gateway* sets gateway transit on those peerings.
//!
//! Connected groups are evaluated by membership ([`Design::connected_groups`]), never expanded
//! into pairs: a mesh of thousands of VNets costs one list of members, not a peering per pair.
//! Configurations in a design are treated as deployed (committed) to their members' regions.

use super::Design;
use serde::{Deserialize, Serialize};

/// A static network group: a named list of member VNets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkGroup {
    /// Unique name of the group in the design.
    pub name: String,
    /// Member VNets (static members), by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

impl NetworkGroup {
    /// A group with these members.
    pub fn new(name: impl Into<String>, members: Vec<String>) -> Self {
        NetworkGroup {
            name: name.into(),
            members,
        }
    }
}

/// A connectivity configuration (`networkManagers/connectivityConfigurations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connectivity {
    /// Unique name of the configuration in the design.
    pub name: String,
    /// Mesh or hub-and-spoke (with its hub).
    pub topology: Topology,
    /// The network groups it applies to (`appliesToGroups`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupLink>,
    /// A mesh across regions (`isGlobal`); a regional mesh connects members of one region only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub global: bool,
}

/// The topology of a connectivity configuration.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Topology {
    /// Every member of every group in one connected group.
    Mesh,
    /// The hub VNet peered with every member of every group.
    HubAndSpoke {
        /// The hub VNet, by name.
        hub: String,
    },
}

/// One group a configuration applies to, with the hub-and-spoke settings for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupLink {
    /// The network group, by name.
    pub group: String,
    /// Hub-and-spoke: `groupConnectivity: DirectlyConnected`, a connected group of the spokes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub direct_connectivity: bool,
    /// Hub-and-spoke with direct connectivity: the spokes' connected group spans regions.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub global: bool,
    /// Hub-and-spoke: `useHubGateway`, the spokes use the hub's gateway (gateway transit).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub use_hub_gateway: bool,
}

impl GroupLink {
    /// A link to a group with every option off.
    pub fn new(group: impl Into<String>) -> Self {
        GroupLink {
            group: group.into(),
            direct_connectivity: false,
            global: false,
            use_hub_gateway: false,
        }
    }
}

/// A connected group: VNets that reach each other directly, next hop `ConnectedGroup`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectedGroup<'a> {
    /// The configuration it comes from.
    pub config: &'a str,
    /// Its members (VNet names, each once, in first-listed order).
    pub members: Vec<&'a str>,
    /// Members in different regions are connected too.
    pub global: bool,
}

impl Design {
    /// The network group with this name.
    pub fn network_group(&self, name: &str) -> Option<&NetworkGroup> {
        self.network_groups.iter().find(|g| g.name == name)
    }

    /// The connectivity configuration with this name.
    pub fn connectivity_config(&self, name: &str) -> Option<&Connectivity> {
        self.connectivity.iter().find(|c| c.name == name)
    }

    /// Every connected group of the design: one per mesh configuration (all members of all its
    /// groups), and one per spoke group with direct connectivity in a hub-and-spoke
    /// configuration (that group's members; the hub is reached over its peerings). Linear in the
    /// members listed.
    ///
    /// ```
    /// use vnetlab::model::{Connectivity, Design, GroupLink, NetworkGroup, Topology};
    /// let mut d = Design::example_pair();
    /// d.network_groups.push(NetworkGroup::new("all", vec!["a".into(), "b".into()]));
    /// d.connectivity.push(Connectivity {
    ///     name: "mesh".into(),
    ///     topology: Topology::Mesh,
    ///     groups: vec![GroupLink::new("all")],
    ///     global: false,
    /// });
    /// let groups = d.connected_groups();
    /// assert_eq!(groups[0].members, ["a", "b"]);
    /// ```
    pub fn connected_groups(&self) -> Vec<ConnectedGroup<'_>> {
        let mut out = Vec::new();
        for config in &self.connectivity {
            let members_of = |links: &mut dyn Iterator<Item = &GroupLink>| {
                let mut members: Vec<&str> = Vec::new();
                let mut seen = std::collections::HashSet::new();
                for link in links {
                    let group = self.network_group(&link.group);
                    for vnet in group.map(|g| g.members.as_slice()).unwrap_or_default() {
                        if seen.insert(vnet.as_str()) {
                            members.push(vnet);
                        }
                    }
                }
                members
            };
            match &config.topology {
                Topology::Mesh => out.push(ConnectedGroup {
                    config: &config.name,
                    members: members_of(&mut config.groups.iter()),
                    global: config.global,
                }),
                Topology::HubAndSpoke { hub } => {
                    for link in config.groups.iter().filter(|l| l.direct_connectivity) {
                        let mut members = members_of(&mut std::iter::once(link));
                        members.retain(|m| m != hub);
                        out.push(ConnectedGroup {
                            config: &config.name,
                            members,
                            global: link.global,
                        });
                    }
                }
            }
        }
        out
    }
}
