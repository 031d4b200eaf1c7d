//! Typed indexes: every table the engine builds is indexed by what it is about, so a VNet index
//! cannot be passed where a peering index belongs, and the compiler says so. Tables are
//! [`TiVec`](typed_index_collections::TiVec)s keyed by these types; the design's own lists are
//! viewed the same way through [`TiSlice::from_ref`](typed_index_collections::TiSlice::from_ref)
//! (see `Compiled::vnets` and its siblings).

/// Declares index newtypes over `usize` (free to convert, as `TiVec` needs).
macro_rules! indexes {
    ($($(#[doc = $doc:literal])+ $name:ident;)*) => {$(
        $(#[doc = $doc])+
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
        pub(crate) struct $name(usize);

        impl From<usize> for $name {
            fn from(index: usize) -> Self {
                $name(index)
            }
        }

        impl From<$name> for usize {
            fn from(index: $name) -> usize {
                index.0
            }
        }
    )*};
}

indexes! {
    /// A VNet: its position in `design.vnets`.
    VnetIx;
    /// A subnet of any VNet, numbered VNet by VNet in design order.
    SubnetIx;
    /// A peering resource: its position in `design.peerings`.
    PeeringIx;
    /// A virtual network gateway: its position in `design.gateways`.
    GatewayIx;
    /// An on-premises site: its position in `design.sites`.
    SiteIx;
    /// A gateway connection: its position in `design.connections`.
    ConnectionIx;
    /// An NSG: its position in `design.nsgs`.
    NsgIx;
    /// A route table: its position in `design.route_tables`.
    TableIx;
    /// An Azure Route Server: its position in `design.route_servers`.
    ServerIx;
    /// A VM: its position in `design.vms`.
    VmIx;
    /// A route context: one per subnet first (in [`SubnetIx`] order), then one per gateway VNet
    /// without a `GatewaySubnet`.
    CtxIx;
    /// A row of one route context's table.
    RowIx;
    /// An NSG compiled for one subnet context (the `VirtualNetwork` tag differs per context).
    ProgramIx;
    /// An equivalence class of endpoints (all-pairs).
    ClassIx;
}

/// A NIC: its VM and its position among the VM's NICs (0 is the primary).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub(crate) struct NicIx {
    pub vm: VmIx,
    pub slot: usize,
}

impl NicIx {
    /// The primary NIC of a VM.
    pub fn primary(vm: VmIx) -> Self {
        NicIx { vm, slot: 0 }
    }
}

/// A user route: its table and its position among the table's routes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct UdrIx {
    pub table: TableIx,
    pub slot: usize,
}
