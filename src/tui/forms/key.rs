//! The names of form fields. Every form's logic reads and reports its fields by a [`FieldKey`],
//! so a misspelt field is a compile error, and fields that come in numbers (one toggle per VNet
//! in the hub-and-spokes form, one choice per assumption) carry their index: no form is capped at
//! a fixed list of names.

use crate::model::PeeringFlag;

/// A field of a form. One vocabulary serves every form; each form uses the keys it lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKey {
    /// The object's name (or a design's title).
    Name,
    /// A VNet's region.
    Region,
    /// A VNet's address space.
    Space,
    /// A subscription's name.
    Subscription,
    /// The VNet an object goes into.
    Vnet,
    /// A subnet's or a route's prefix.
    Prefix,
    /// An NSG reference.
    Nsg,
    /// A route-table reference.
    RouteTable,
    /// A subnet reference (`vnet/subnet`).
    Subnet,
    /// A private IP address (a NIC's, a host's, a route's next hop).
    Ip,
    /// A VM's role, or the designer's role in a subscription.
    Role,
    /// Whether an appliance is stateful.
    Stateful,
    /// A NIC's IP forwarding.
    Forwarding,
    /// A peering's local VNet.
    Local,
    /// A peering's remote VNet (or a connection's other end).
    Remote,
    /// One of a peering's four settings.
    Flag(PeeringFlag),
    /// The local subnets of a subnet peering.
    LocalSubnets,
    /// The remote subnets of a subnet peering.
    RemoteSubnets,
    /// The hub of the hub-and-spokes form.
    Hub,
    /// Whether the VNet at this index of `Design::vnets` is a spoke (hub-and-spokes form).
    Spoke(usize),
    /// An appliance rule's action.
    Action,
    /// A rule's source.
    Source,
    /// A rule's destination.
    Destination,
    /// A rule's protocol.
    Protocol,
    /// A rule's ports.
    Ports,
    /// A gateway's kind.
    Kind,
    /// A gateway's SKU.
    Sku,
    /// A gateway's point-to-site client pool.
    Pool,
    /// BGP on a gateway, site or connection.
    Bgp,
    /// A site's prefixes.
    Prefixes,
    /// A host's site.
    Site,
    /// A connection's gateway.
    Gateway,
    /// A route table's gateway route propagation.
    Propagate,
    /// A route's next-hop type.
    Hop,
    /// An NSG rule's priority.
    Priority,
    /// An NSG rule's direction.
    Direction,
    /// An NSG rule's access (allow or deny).
    Access,
    /// An intent's source endpoint.
    From,
    /// An intent's destination endpoint.
    To,
    /// A flow (`tcp/443`).
    Flow,
    /// An intent's expectation.
    Expect,
    /// A file path (Save as).
    Path,
    /// A design's description.
    Description,
    /// A custom role's actions.
    Actions,
    /// The assumption at this index of the assumptions form's table.
    Assumption(usize),
    /// The name of a new VNet's first subnet (empty: none).
    FirstSubnet,
    /// Whether the subnet at this index of the form's subnet list is attached (route-table and
    /// NSG forms).
    Attach(usize),
    /// Whether a new VNet-to-VNet connection also adds its pair from the other gateway.
    BothWays,
    /// Whether the gateway form also adds the `GatewaySubnet` it needs.
    AddGatewaySubnet,
    /// A hub-and-spokes option: route each spoke's traffic through the hub's appliance.
    ViaAppliance,
    /// A member of a list (ASG members, network-group members), by its index in the form's list.
    Member(usize),
    /// A BGP peer's autonomous system number.
    Asn,
    /// An AVNM hub-and-spoke configuration's direct connectivity between spokes.
    DirectConnectivity,
    /// An AVNM hub-and-spoke configuration's "use hub as gateway".
    UseHubGateway,
    /// An AVNM configuration that spans regions.
    Global,
    /// Whether an NSG rule names the design's ASG at this index (in `Design::asgs`) as a source.
    SourceAsg(usize),
    /// Whether an NSG rule names the design's ASG at this index as a destination.
    DestinationAsg(usize),
    /// Whether a NIC (the VM form's primary NIC, or the NIC form's) is a member of the design's
    /// ASG at this index.
    Asg(usize),
    /// A Route Server's branch-to-branch traffic.
    BranchToBranch,
    /// Whether the Route Server form also adds the `RouteServerSubnet` it needs.
    AddRouteServerSubnet,
}

#[cfg(test)]
mod tests {
    use super::super::{Context, FormSpec};
    use crate::model::SubnetRef;

    /// Every form, opened on the start-up design, is built and checked: a builder that read a
    /// field its form does not have would stop on the debug assertion in `Form::field`.
    #[test]
    fn every_form_reads_only_the_fields_it_has() {
        let design = crate::io::examples::default_design();
        let some = |name: &str| Some(name.to_string());
        let specs = [
            FormSpec::Vnet(None),
            FormSpec::Vnet(some("hub")),
            FormSpec::Subnet(None),
            FormSpec::Subnet(Some(SubnetRef::new("spoke2", "workload"))),
            FormSpec::Vm(None),
            FormSpec::Vm(some("nva1")),
            FormSpec::Nic {
                vm: "nva1".into(),
                index: None,
            },
            FormSpec::ApplianceRule {
                vm: "nva1".into(),
                original: None,
            },
            FormSpec::Peering(None),
            FormSpec::Peering(some("hub-to-spoke1")),
            FormSpec::HubAndSpokes,
            FormSpec::Gateway(None),
            FormSpec::Gateway(some("vpngw-hub")),
            FormSpec::Site(None),
            FormSpec::Site(some("onprem-hq")),
            FormSpec::Host { original: None },
            FormSpec::Host {
                original: Some(("onprem-hq".into(), "hq-web".into())),
            },
            FormSpec::Connection(None),
            FormSpec::Connection(some("hub-to-hq")),
            FormSpec::RouteTable(None),
            FormSpec::RouteTable(some("rt-spoke1")),
            FormSpec::Route {
                table: "rt-spoke1".into(),
                original: None,
            },
            FormSpec::Route {
                table: "rt-spoke1".into(),
                original: some("to-spoke2"),
            },
            FormSpec::Nsg(None),
            FormSpec::Nsg(some("nsg-spoke2")),
            FormSpec::NsgRule {
                nsg: "nsg-spoke2".into(),
                original: None,
            },
            FormSpec::NsgRule {
                nsg: "nsg-spoke2".into(),
                original: some("deny-ssh-from-spoke1"),
            },
            FormSpec::Intent(None),
            FormSpec::Intent(some("app1-to-app2")),
            FormSpec::Assumptions,
            FormSpec::Info,
            FormSpec::Subscription(None),
            FormSpec::Subscription(some("sub-apps")),
            FormSpec::Flow,
            FormSpec::SaveAs,
        ];
        let context = Context {
            vnet: some("hub"),
            ..Context::default()
        };
        for spec in specs {
            let form = spec
                .open(&design, &context)
                .unwrap_or_else(|| panic!("{spec:?} opens on the start-up design"));
            let _ = spec.build(&design, &form);
        }
    }
}
