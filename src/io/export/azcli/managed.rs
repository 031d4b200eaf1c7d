//! The `az` commands for what hubs use besides VNets and gateways: application security groups
//! (created before the NSG rules and NICs that name them), Azure Route Servers (a Standard
//! public IP, the Route Server in its `RouteServerSubnet`, branch-to-branch, and one BGP peering
//! per NVA), and a note for each Virtual Network Manager object, which this script does not
//! create (the ARM export does).

use super::commands::{location, tags};
use super::hybrid::with_public_ip;
use super::{Command, Places, Stage, Word};
use crate::io::azure::ResourceId;
use serde_json::Value;

/// `az network asg create`.
pub(super) fn asg(resource: &Value, id: &ResourceId, places: &mut Places) -> (Stage, Command) {
    let create = places
        .place(id, Command::new("az network asg create"))
        .arg("--name", Word::text(id.name()))
        .arg("--location", location(resource));
    (Stage::Asgs, tags(resource, create))
}

/// The IDs of the application security groups a property lists (`[{"id": …}]`).
pub(super) fn asg_ids(value: &Value, places: &mut Places) -> Vec<Word> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|asg| asg["id"].as_str().and_then(ResourceId::parse))
        .map(|asg| places.id(&asg))
        .collect()
}

/// A Route Server (a `virtualHubs` resource with an IP configuration in `RouteServerSubnet`):
/// its public IP, the server, branch-to-branch when the design turns it on, and its BGP peers.
pub(super) fn route_server(
    resource: &Value,
    id: &ResourceId,
    places: &mut Places,
    out: &mut Vec<(Stage, Command)>,
) {
    let p = &resource["properties"];
    let (create, pip_id, subnet) = with_public_ip(
        resource,
        id,
        "az network routeserver create",
        Stage::RouteServers,
        places,
        out,
    );
    let mut create = create.arg("--public-ip-address", places.id(&pip_id));
    if let Some(subnet) = subnet {
        create = create.arg("--hosted-subnet", places.id(&subnet));
    }
    out.push((Stage::RouteServers, tags(resource, create)));
    if p["allowBranchToBranchTraffic"] == true {
        let update = places
            .place(id, Command::new("az network routeserver update"))
            .arg("--name", Word::text(id.name()))
            .arg("--allow-b2b-traffic", Word::text("true"));
        out.push((Stage::RouteServers, update));
    }
    for peer in p["bgpConnections"].as_array().into_iter().flatten() {
        let Some(name) = peer["name"].as_str() else {
            continue;
        };
        let mut create = places
            .place(id, Command::new("az network routeserver peering create"))
            .arg("--routeserver", Word::text(id.name()))
            .arg("--name", Word::text(name));
        if let Some(ip) = peer["properties"]["peerIp"].as_str() {
            create = create.arg("--peer-ip", Word::text(ip));
        }
        if let Some(asn) = peer["properties"]["peerAsn"].as_u64() {
            create = create.arg("--peer-asn", Word::text(asn.to_string()));
        }
        out.push((Stage::RouteServers, create));
    }
}

/// A note for a Virtual Network Manager network group or connectivity configuration (their
/// members and settings ride along in the ARM export).
pub(super) fn network_manager_note(kind: &str, id: &ResourceId) -> Option<(Stage, Command)> {
    let what = if kind.eq_ignore_ascii_case("Microsoft.Network/networkManagers/networkGroups") {
        "network group"
    } else if kind
        .eq_ignore_ascii_case("Microsoft.Network/networkManagers/connectivityConfigurations")
    {
        "connectivity configuration"
    } else {
        return None;
    };
    let note = format!(
        "Virtual Network Manager {what} `{}` is not created by this script: deploy it from \
         `vnetlab export --to arm`, or with `az network manager` and a commit to the regions.",
        id.name()
    );
    Some((Stage::Peerings, Command::note(note)))
}
