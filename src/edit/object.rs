//! Objects as edits carry them: any named part of a design, and references to one.

use crate::model::{
    Asg, Connection, Connectivity, Gateway, Intent, NetworkGroup, Nsg, ObjectKind, Peering,
    RouteServer, RouteTable, Site, Subnet, Subscription, Vm, Vnet,
};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Any named object of a design, owned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum Object {
    Vnet(Vnet),
    /// A subnet together with the VNet it belongs to.
    Subnet {
        vnet: String,
        subnet: Subnet,
    },
    Vm(Vm),
    Peering(Peering),
    Nsg(Nsg),
    RouteTable(RouteTable),
    Gateway(Gateway),
    Site(Site),
    Connection(Connection),
    Intent(Intent),
    Subscription(Subscription),
    Asg(Asg),
    RouteServer(RouteServer),
    NetworkGroup(NetworkGroup),
    Connectivity(Connectivity),
}

impl Object {
    /// The object's kind.
    pub fn kind(&self) -> ObjectKind {
        match self {
            Object::Vnet(_) => ObjectKind::Vnet,
            Object::Subnet { .. } => ObjectKind::Subnet,
            Object::Vm(_) => ObjectKind::Vm,
            Object::Peering(_) => ObjectKind::Peering,
            Object::Nsg(_) => ObjectKind::Nsg,
            Object::RouteTable(_) => ObjectKind::RouteTable,
            Object::Gateway(_) => ObjectKind::Gateway,
            Object::Site(_) => ObjectKind::Site,
            Object::Connection(_) => ObjectKind::Connection,
            Object::Intent(_) => ObjectKind::Intent,
            Object::Subscription(_) => ObjectKind::Subscription,
            Object::Asg(_) => ObjectKind::Asg,
            Object::RouteServer(_) => ObjectKind::RouteServer,
            Object::NetworkGroup(_) => ObjectKind::NetworkGroup,
            Object::Connectivity(_) => ObjectKind::Connectivity,
        }
    }

    /// The object's name; a subnet's is `vnet/subnet`.
    pub fn name(&self) -> String {
        match self {
            Object::Vnet(o) => o.name.clone(),
            Object::Subnet { vnet, subnet } => format!("{vnet}/{}", subnet.name),
            Object::Vm(o) => o.name.clone(),
            Object::Peering(o) => o.name.clone(),
            Object::Nsg(o) => o.name.clone(),
            Object::RouteTable(o) => o.name.clone(),
            Object::Gateway(o) => o.name.clone(),
            Object::Site(o) => o.name.clone(),
            Object::Connection(o) => o.name.clone(),
            Object::Intent(o) => o.name.clone(),
            Object::Subscription(o) => o.name.clone(),
            Object::Asg(o) => o.name.clone(),
            Object::RouteServer(o) => o.name.clone(),
            Object::NetworkGroup(o) => o.name.clone(),
            Object::Connectivity(o) => o.name.clone(),
        }
    }

    /// A reference to this object.
    pub fn reference(&self) -> ObjectRef {
        ObjectRef {
            kind: self.kind(),
            name: self.name(),
        }
    }
}

/// A reference to a named object: its kind and name (`vnet/subnet` for subnets).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectRef {
    /// The kind of object.
    pub kind: ObjectKind,
    /// Its name.
    pub name: String,
}

impl ObjectRef {
    /// Builds a reference.
    pub fn new(kind: ObjectKind, name: impl Into<String>) -> Self {
        ObjectRef {
            kind,
            name: name.into(),
        }
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} `{}`", self.kind, self.name)
    }
}
