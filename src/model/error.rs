//! [`ModelError`]: a broken invariant of a design, as data. Each variant carries what is at
//! fault (names, addresses, the reference slot); its `Display` is the one sentence users read
//! (what is wrong and what to do), and [`ModelError::anchors`] says where in a design file the
//! fault is, so the loader can give a line and a column and the importer can repair it by kind
//! rather than by reading the sentence.

use super::suggest::Suggestion;
use super::{ObjectKind, RefKind, RefSlot, SubnetRef};
use ipnet::Ipv4Net;
use std::fmt;
use std::net::Ipv4Addr;

/// What kind of thing carries a name, for the name rules (empty, duplicate): a top-level object,
/// or a part named within its owner.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NameOf {
    /// A top-level object of this kind (not a subnet: see [`NameOf::Subnet`]).
    Object(ObjectKind),
    /// A subnet of this VNet.
    Subnet {
        /// The VNet.
        vnet: String,
    },
    /// A rule of this NSG.
    NsgRule {
        /// The NSG.
        nsg: String,
    },
    /// A route of this route table.
    Route {
        /// The route table.
        table: String,
    },
}

impl NameOf {
    /// The owner a part is named within, if any (the VNet of a subnet, …).
    pub fn owner(&self) -> Option<&str> {
        match self {
            NameOf::Object(_) => None,
            NameOf::Subnet { vnet } => Some(vnet),
            NameOf::NsgRule { nsg } => Some(nsg),
            NameOf::Route { table } => Some(table),
        }
    }
}

impl fmt::Display for NameOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameOf::Object(kind) => write!(f, "{kind}"),
            NameOf::Subnet { .. } => f.write_str("subnet"),
            NameOf::NsgRule { .. } => f.write_str("NSG rule"),
            NameOf::Route { .. } => f.write_str("route"),
        }
    }
}

/// A reference that names nothing: which field, in which object, and what it should name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownReference {
    /// The field, by position in the design that was validated.
    pub slot: RefSlot,
    /// The kind of the object holding the field.
    pub holder: ObjectKind,
    /// Its name (a subnet's is `vnet/subnet`; a NIC's field is its VM's).
    pub owner: String,
    /// The names that lead to the holder in a design file, outermost first.
    pub path: Vec<String>,
    /// The reference as written (a NIC's whole `vnet/subnet`).
    pub written: String,
    /// What kind of object it should name.
    pub kind: RefKind,
    /// The missing name.
    pub name: String,
    /// For a subnet, the VNet it was looked for in.
    pub scope: Option<String>,
    /// A close name, or the names there are (when there are few).
    pub suggestion: Option<Suggestion>,
}

impl fmt::Display for UnknownReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown reference `{}` in {} `{}`: ",
            self.written, self.holder, self.owner
        )?;
        match &self.scope {
            Some(vnet) if self.kind == RefKind::Subnet => {
                write!(f, "VNet `{vnet}` has no subnet `{}`", self.name)?;
            }
            _ => write!(f, "there is no {} `{}`", self.kind.label(), self.name)?,
        }
        match &self.suggestion {
            Some(suggestion) => write!(f, "; {suggestion}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for UnknownReference {}

/// A broken invariant: the data of the fault, displayed as one sentence saying what is wrong
/// and what to do.
///
/// ```
/// use vnetlab::model::{Design, ModelError, Peering, RefKind};
/// let mut d = Design::example_pair();
/// d.peerings.push(Peering::new("a-to-c", "a", "c"));
/// let error = &d.validate()[0];
/// assert!(matches!(error, ModelError::UnknownReference(r) if r.kind == RefKind::Vnet && r.name == "c"));
/// assert_eq!(error.to_string(), "unknown reference `c` in peering `a-to-c`: there is no VNet `c`; known: a, b");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// A name is empty or blank.
    #[error("a {what} has an empty name; give every {what} a name")]
    EmptyName {
        /// What carries the name.
        what: NameOf,
        /// The name as written (blank).
        name: String,
    },
    /// A second object of a kind (or part of an owner) with the same name.
    #[error("duplicate {what} name `{name}`; names must be unique, so rename one of them")]
    DuplicateName {
        /// What carries the name.
        what: NameOf,
        /// The name.
        name: String,
    },
    /// A site host named like a VM or another host.
    #[error(
        "duplicate endpoint name `{host}` (host of site `{site}`); VMs and hosts share one set of names, so rename one"
    )]
    DuplicateHostName {
        /// The site of the host.
        site: String,
        /// The host's name.
        host: String,
    },
    /// A gateway's point-to-site client is named like a VM or host.
    #[error(
        "endpoint name `{client}` (the point-to-site client of gateway `{gateway}`) is already used by a VM or host; rename one"
    )]
    P2sClientNameTaken {
        /// The gateway.
        gateway: String,
        /// Its client's endpoint name.
        client: String,
    },
    /// A VNet without address space.
    #[error("VNet `{vnet}` has no address space; add at least one CIDR such as `10.0.0.0/16`")]
    NoAddressSpace {
        /// The VNet.
        vnet: String,
    },
    /// A reference that names nothing.
    #[error(transparent)]
    UnknownReference(Box<UnknownReference>),
    /// An NSG rule with an empty port list. Azure refuses such a rule (every rule names at least
    /// one source and one destination port range), and an export could not say it.
    #[error(
        "NSG rule `{rule}` in `{nsg}` has no {side} ports; Azure requires at least one: write `*` for every port, or a port such as 443"
    )]
    NoPorts {
        /// The NSG.
        nsg: String,
        /// The rule.
        rule: String,
        /// `source` or `destination`.
        side: &'static str,
    },
    /// A VM without a NIC.
    #[error("VM `{vm}` has no NIC; give it at least one NIC with a subnet and an IP")]
    NoNic {
        /// The VM.
        vm: String,
    },
    /// A NIC address outside its subnet.
    #[error(
        "IP {ip} of VM `{vm}` is outside its subnet `{subnet}` ({prefix}); pick an address inside {prefix}"
    )]
    IpOutsideSubnet {
        /// The VM.
        vm: String,
        /// The NIC's address.
        ip: Ipv4Addr,
        /// The NIC's subnet.
        subnet: SubnetRef,
        /// The subnet's prefix.
        prefix: Ipv4Net,
    },
    /// A VM with NICs in two VNets.
    #[error(
        "VM `{vm}` has NICs in VNets `{first}` and `{}`; Azure requires all NICs of a VM in one VNet, so move the NIC or use another VM",
        .other.vnet
    )]
    NicsInSeveralVnets {
        /// The VM.
        vm: String,
        /// The VNet of its first NIC.
        first: String,
        /// The subnet of the NIC in another VNet.
        other: SubnetRef,
    },
    /// A peering from a VNet to itself.
    #[error("peering `{peering}` links VNet `{vnet}` to itself; point `remote` at another VNet")]
    SelfPeering {
        /// The peering.
        peering: String,
        /// The VNet.
        vnet: String,
    },
    /// A second link from one VNet to the same remote VNet.
    #[error(
        "peering `{peering}` duplicates another link from `{local}` to `{remote}`; a VNet has one peering per remote VNet, so remove one"
    )]
    DuplicateLink {
        /// The second link.
        peering: String,
        /// Its local VNet.
        local: String,
        /// Its remote VNet.
        remote: String,
    },
    /// A NIC joins an ASG whose other members are in another VNet.
    #[error(
        "VM `{vm}` joins application security group `{asg}` from VNet `{other}`, but its members are in VNet `{first}`; Azure keeps every NIC of an ASG in the VNet of its first NIC, so use another ASG for `{other}`"
    )]
    AsgInSeveralVnets {
        /// The ASG.
        asg: String,
        /// The VM whose NIC joins from another VNet.
        vm: String,
        /// The VNet of the ASG's first member.
        first: String,
        /// The VNet of this NIC.
        other: String,
    },
    /// A name, reference or text beyond Azure's (or vnetlab's) limits, or a VNet with more
    /// subnets than Azure allows (see [`limits`](super::limits)).
    #[error(transparent)]
    Limit(Box<super::limits::LimitError>),
    /// A site host outside the site's prefixes.
    #[error(
        "host `{host}` ({ip}) is outside the prefixes of site `{site}`; add its range to the site or fix the IP"
    )]
    HostOutsideSite {
        /// The site.
        site: String,
        /// The host.
        host: String,
        /// Its address.
        ip: Ipv4Addr,
    },
}

/// A landmark in a design file, for locating an error: the object with this name, or this
/// string value. The loader finds each after the previous one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// An object (or named part) whose `name` is this.
    Name(String),
    /// A string value, such as a reference or an address.
    Value(String),
}

impl ModelError {
    /// The object at fault: its kind and name (a subnet as `vnet/subnet`; a rule or route by its
    /// NSG or table); `None` for a limit on the design's own title or description.
    pub fn subject(&self) -> Option<(ObjectKind, String)> {
        Some(match self {
            ModelError::EmptyName { what, name } | ModelError::DuplicateName { what, name } => {
                match what {
                    NameOf::Object(kind) => (*kind, name.clone()),
                    NameOf::Subnet { vnet } => (ObjectKind::Subnet, format!("{vnet}/{name}")),
                    NameOf::NsgRule { nsg } => (ObjectKind::Nsg, nsg.clone()),
                    NameOf::Route { table } => (ObjectKind::RouteTable, table.clone()),
                }
            }
            ModelError::DuplicateHostName { site, .. }
            | ModelError::HostOutsideSite { site, .. } => (ObjectKind::Site, site.clone()),
            ModelError::P2sClientNameTaken { gateway, .. } => {
                (ObjectKind::Gateway, gateway.clone())
            }
            ModelError::NoAddressSpace { vnet } => (ObjectKind::Vnet, vnet.clone()),
            ModelError::NoPorts { nsg, .. } => (ObjectKind::Nsg, nsg.clone()),
            ModelError::UnknownReference(r) => (r.holder, r.owner.clone()),
            ModelError::NoNic { vm }
            | ModelError::IpOutsideSubnet { vm, .. }
            | ModelError::NicsInSeveralVnets { vm, .. }
            | ModelError::AsgInSeveralVnets { vm, .. } => (ObjectKind::Vm, vm.clone()),
            ModelError::SelfPeering { peering, .. } | ModelError::DuplicateLink { peering, .. } => {
                (ObjectKind::Peering, peering.clone())
            }
            ModelError::Limit(error) => return error.subject.clone(),
        })
    }

    /// Where the fault is in a design file, outermost first: the object's name, then the
    /// offending value. A duplicate name is anchored at its second occurrence.
    ///
    /// ```
    /// use vnetlab::model::{Anchor, Design};
    /// let mut d = Design::example_pair();
    /// d.vms[1].nics[0].ip = "10.2.9.9".parse().unwrap();
    /// let error = &d.validate()[0];
    /// assert_eq!(error.anchors(), [Anchor::Name("vm-b".into()), Anchor::Value("10.2.9.9".into())]);
    /// ```
    pub fn anchors(&self) -> Vec<Anchor> {
        let name = |n: &str| Anchor::Name(n.to_string());
        let value = |v: String| Anchor::Value(v);
        match self {
            ModelError::EmptyName { what, name: n } => what
                .owner()
                .map(name)
                .into_iter()
                .chain([name(n)])
                .collect(),
            ModelError::DuplicateName { what, name: n } => what
                .owner()
                .map(name)
                .into_iter()
                .chain([name(n), name(n)])
                .collect(),
            ModelError::DuplicateHostName { site, host } => vec![name(site), name(host)],
            ModelError::P2sClientNameTaken { gateway, .. } => vec![name(gateway)],
            ModelError::NoAddressSpace { vnet } => vec![name(vnet)],
            ModelError::UnknownReference(r) => r
                .path
                .iter()
                .map(|n| name(n))
                .chain([value(r.written.clone())])
                .collect(),
            ModelError::NoNic { vm } => vec![name(vm)],
            ModelError::NoPorts { nsg, rule, .. } => vec![name(nsg), name(rule)],
            ModelError::IpOutsideSubnet { vm, ip, .. } => vec![name(vm), value(ip.to_string())],
            ModelError::NicsInSeveralVnets { vm, other, .. } => {
                vec![name(vm), value(other.to_string())]
            }
            ModelError::AsgInSeveralVnets { vm, asg, .. } => vec![name(vm), value(asg.clone())],
            ModelError::SelfPeering { peering, .. } | ModelError::DuplicateLink { peering, .. } => {
                vec![name(peering)]
            }
            ModelError::HostOutsideSite { site, ip, .. } => vec![name(site), value(ip.to_string())],
            ModelError::Limit(error) => error.anchors.clone(),
        }
    }
}
