//! Why a generated design cannot be made from the given counts, and which count is at fault
//! (a shell names it in its own spelling, such as a command-line flag).

use super::{AVAILABLE, MAX_HUBS};

/// A count of [`HubSpokeParams`] that must be at least 1, for the error that names it (a shell
/// adds its own spelling, such as a command-line flag). The spokes may be none.
///
/// [`HubSpokeParams`]: super::HubSpokeParams
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Count {
    /// [`HubSpokeParams::hubs`](super::HubSpokeParams::hubs).
    Hubs,
    /// [`HubSpokeParams::subnets_per_spoke`](super::HubSpokeParams::subnets_per_spoke).
    SubnetsPerSpoke,
    /// [`HubSpokeParams::vms_per_subnet`](super::HubSpokeParams::vms_per_subnet).
    VmsPerSubnet,
}

impl Count {
    /// What the count counts, in the plural ("subnets per spoke").
    pub fn plural(self) -> &'static str {
        match self {
            Count::Hubs => "hubs",
            Count::SubnetsPerSpoke => "subnets per spoke",
            Count::VmsPerSubnet => "VMs per spoke subnet",
        }
    }

    /// One of what the count counts ("subnet per spoke").
    pub fn one(self) -> &'static str {
        match self {
            Count::Hubs => "hub",
            Count::SubnetsPerSpoke => "subnet per spoke",
            Count::VmsPerSubnet => "VM per spoke subnet",
        }
    }
}

/// Why a design cannot be generated from the given counts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    /// A count that must be positive is zero.
    #[error(
        "the number of {} must be at least 1; a hub-and-spoke design needs at least one {}",
        .count.plural(),
        .count.one()
    )]
    ZeroCount {
        /// The count at fault.
        count: Count,
    },
    /// More hubs than on-premises site ranges.
    #[error(
        "{hubs} hubs are too many: each hub's on-premises site takes a /24 of 192.168.0.0/16, so use at most {MAX_HUBS} hubs"
    )]
    TooManyHubs {
        /// The requested number of hubs.
        hubs: usize,
    },
    /// The VNets do not fit in 10.0.0.0/8.
    #[error(
        "the design does not fit in 10.0.0.0/8: it needs at least {needed} addresses and 10.0.0.0/8 has {AVAILABLE}; use fewer spokes, subnets or VMs per subnet"
    )]
    AddressSpaceExhausted {
        /// The smallest number of addresses the requested design needs.
        needed: u128,
    },
}
