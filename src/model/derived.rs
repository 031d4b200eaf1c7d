//! Peering links that exist in Azure without a peering object in the design, derived from what
//! the design does hold:
//!
//! - the **classic side of an ARM-to-classic peering**: Azure creates the peering on the ARM VNet
//!   only ("the classic side has nothing to configure", azure-semantics.md §1.2), yet the pair
//!   carries traffic both ways, and a classic spoke uses the ARM hub's gateway when the ARM side
//!   allows gateway transit (vpn-gateway-peering-gateway-transit.md, "Classic to Resource
//!   Manager peering with gateway transit"). The derived link allows access and forwarded
//!   traffic (nothing on the classic side can refuse them), so the ARM link's settings decide;
//! - the **peerings of an AVNM hub-and-spoke configuration**: AVNM peers the hub both ways with
//!   every spoke (concept-connectivity-configuration.md). With "use hub as a gateway" the hub side
//!   allows gateway transit and the spoke side uses remote gateways; when the hub has no gateway
//!   (nor Route Server) Azure fails to create the spoke side and the hub side stays `Initiated`.
//!   AVNM skips a pair already peered, even subnet-level, as the subnet-peering doc says. The
//!   links allow forwarded traffic under the assumption `avnm_peerings_allow_forwarded_traffic`.
//!
//! The engine evaluates the design with these links added ([`Design::with_derived_links`]); they
//! are never written to a file, and edits cannot address them. Cost: linear in peerings and
//! hub-and-spoke members.

use super::{Connectivity, DeploymentModel, Design, Peering, Topology};
use std::collections::{HashMap, HashSet};

/// Where a derived link comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Derived {
    /// The classic end of the ARM-to-classic peering `arm_link` (the ARM VNet's peering).
    ClassicSide {
        /// The ARM link it mirrors.
        arm_link: String,
    },
    /// Created by the AVNM hub-and-spoke configuration `config`.
    Avnm {
        /// The connectivity configuration.
        config: String,
    },
}

impl Design {
    /// The links Azure has that the design holds no peering object for (see the module doc),
    /// named uniquely among the design's peerings.
    ///
    /// ```
    /// use vnetlab::model::{DeploymentModel, Derived, Design, Peering};
    /// let mut d = Design::example_pair();
    /// d.vnets[1].deployment = DeploymentModel::Classic;
    /// d.peerings.push(Peering::new("a-to-b", "a", "b"));
    /// let derived = d.derived_peerings();
    /// assert_eq!((derived[0].local.as_str(), derived[0].remote.as_str()), ("b", "a"));
    /// assert_eq!(derived[0].derived, Some(Derived::ClassicSide { arm_link: "a-to-b".into() }));
    /// ```
    pub fn derived_peerings(&self) -> Vec<Peering> {
        // Most designs derive nothing; they are told apart without building the name sets
        // below (a whole-design allocation on every edit of a large design).
        let any_classic = self
            .vnets
            .iter()
            .any(|v| v.deployment == DeploymentModel::Classic);
        let any_hub_and_spoke = self
            .connectivity
            .iter()
            .any(|c| matches!(c.topology, Topology::HubAndSpoke { .. }));
        if !any_classic && !any_hub_and_spoke {
            return Vec::new();
        }
        let mut names: HashSet<String> = self.peerings.iter().map(|p| p.name.clone()).collect();
        let mut linked: HashSet<(&str, &str)> = self
            .peerings
            .iter()
            .map(|p| (p.local.as_str(), p.remote.as_str()))
            .collect();
        let mut out = Vec::new();
        let models: HashMap<&str, DeploymentModel> = self
            .vnets
            .iter()
            .map(|v| (v.name.as_str(), v.deployment))
            .collect();
        let deployment = |name: &str| models.get(name).copied();
        for p in &self.peerings {
            let classic_remote = deployment(&p.remote) == Some(DeploymentModel::Classic)
                && deployment(&p.local) == Some(DeploymentModel::Arm);
            if !classic_remote || !linked.insert((p.remote.as_str(), p.local.as_str())) {
                continue;
            }
            let mut back = derived_link(&mut names, &p.remote, &p.local, "");
            back.allow_forwarded_traffic = true;
            back.use_remote_gateways = p.allow_gateway_transit;
            back.derived = Some(Derived::ClassicSide {
                arm_link: p.name.clone(),
            });
            out.push(back);
        }
        for config in &self.connectivity {
            if let Topology::HubAndSpoke { hub } = &config.topology {
                let links = Links {
                    names: &mut names,
                    linked: &mut linked,
                    vnets: &models,
                };
                self.hub_and_spoke_links(config, hub, links, &mut out);
            }
        }
        out
    }

    /// The peerings of one hub-and-spoke configuration, for the pairs not linked yet.
    fn hub_and_spoke_links<'a>(
        &'a self,
        config: &'a Connectivity,
        hub: &'a str,
        links: Links<'_, 'a>,
        out: &mut Vec<Peering>,
    ) {
        let Links {
            names,
            linked,
            vnets,
        } = links;
        if !vnets.contains_key(hub) {
            return;
        }
        let hub_serves =
            self.gateways_in(hub).next().is_some() || self.valid_route_server_in(hub).is_some();
        let forwarded = self.assumptions.avnm_peerings_allow_forwarded_traffic;
        let prefix = format!("{}-", config.name);
        for link in &config.groups {
            let Some(group) = self.network_group(&link.group) else {
                continue;
            };
            for spoke in &group.members {
                let pair_known = linked.contains(&(hub, spoke.as_str()))
                    || linked.contains(&(spoke.as_str(), hub));
                if spoke == hub || !vnets.contains_key(spoke.as_str()) || pair_known {
                    continue;
                }
                linked.insert((hub, spoke));
                linked.insert((spoke, hub));
                let tag = || {
                    Some(Derived::Avnm {
                        config: config.name.clone(),
                    })
                };
                let mut out_link = derived_link(names, hub, spoke, &prefix);
                out_link.allow_forwarded_traffic = forwarded;
                out_link.allow_gateway_transit = link.use_hub_gateway;
                out_link.derived = tag();
                out.push(out_link);
                // Azure cannot create the spoke side when it would use a gateway the hub lacks.
                if link.use_hub_gateway && !hub_serves {
                    continue;
                }
                let mut back = derived_link(names, spoke, hub, &prefix);
                back.allow_forwarded_traffic = forwarded;
                back.use_remote_gateways = link.use_hub_gateway;
                back.derived = tag();
                out.push(back);
            }
        }
    }

    /// This design with its derived links added to `peerings` (see [`Design::derived_peerings`]),
    /// or `None` when it has none.
    pub fn with_derived_links(&self) -> Option<Design> {
        let derived = self.derived_peerings();
        if derived.is_empty() {
            return None;
        }
        let mut effective = self.clone();
        effective.peerings.extend(derived);
        Some(effective)
    }
}

/// The bookkeeping shared while links are derived: names taken, pairs linked, VNets by name.
struct Links<'s, 'a> {
    names: &'s mut HashSet<String>,
    linked: &'s mut HashSet<(&'a str, &'a str)>,
    vnets: &'s HashMap<&'a str, DeploymentModel>,
}

/// A link `local` → `remote` with Azure's defaults, named `<prefix>local-to-remote` (numbered
/// when taken).
fn derived_link(names: &mut HashSet<String>, local: &str, remote: &str, prefix: &str) -> Peering {
    let base = format!("{prefix}{}", Peering::default_name(local, remote));
    let name = super::plan::unique_name(&base, |n| names.contains(n));
    names.insert(name.clone());
    Peering::new(name, local, remote)
}
