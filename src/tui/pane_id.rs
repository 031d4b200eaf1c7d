//! Which pane is which: [`PaneId`], the panes in Tab order with their titles. Its own module so
//! that what names a pane (the keymap's contexts, the palette) does not depend on the panes'
//! drawing code.

/// The panes, in Tab order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaneId {
    /// VNets → subnets → VMs (focused at start).
    #[default]
    Vnets,
    /// Peering pairs, both directions side by side.
    Peerings,
    /// Gateways, sites, connections.
    Gateway,
    /// Route tables beside the selected subnet's effective routes.
    Routes,
    /// NSGs and their rules.
    Nsg,
    /// The reachability matrix, the selected pair's explanation, and intents.
    Reach,
    /// Design checks from lint.
    Diagnostics,
    /// The picture of the design, with the selected pair's path drawn on it.
    Topology,
}

impl PaneId {
    /// Every pane, in Tab order.
    pub const ALL: [PaneId; 8] = [
        PaneId::Vnets,
        PaneId::Peerings,
        PaneId::Gateway,
        PaneId::Routes,
        PaneId::Nsg,
        PaneId::Reach,
        PaneId::Diagnostics,
        PaneId::Topology,
    ];

    /// The pane's title.
    pub fn title(self) -> &'static str {
        match self {
            PaneId::Vnets => "VNets",
            PaneId::Peerings => "Peerings",
            PaneId::Gateway => "Gateway",
            PaneId::Routes => "Route table",
            PaneId::Nsg => "NSG",
            PaneId::Reach => "Reachability",
            PaneId::Diagnostics => "Diagnostics",
            PaneId::Topology => "Topology",
        }
    }

    /// The pane's position in [`PaneId::ALL`] (the variants are declared in that order).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The next pane in Tab order.
    pub fn next(self) -> PaneId {
        PaneId::ALL[(self.index() + 1) % PaneId::ALL.len()]
    }

    /// The previous pane in Tab order.
    pub fn prev(self) -> PaneId {
        PaneId::ALL[(self.index() + PaneId::ALL.len() - 1) % PaneId::ALL.len()]
    }
}
