//! What a key asks the UI to do. An [`Action`] is a UI intent: bindable in the keymap, named in
//! the command palette, listed in the help overlay. Actions that change the design become an
//! [`Edit`](crate::edit::Edit) inside `App::update`; navigation never enters history.

use serde::{Deserialize, Serialize};

/// Every bindable action. The doc comment's first line is the text the help overlay and the
/// command palette show, via [`Action::describe`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Action {
    /// Quit vnetlab (asks when there are unsaved edits).
    Quit,
    /// Show the help overlay, generated from the keymap.
    Help,
    /// Open the command palette.
    Palette,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Move the selection up.
    Up,
    /// Move the selection down.
    Down,
    /// Move left (previous column or flag).
    Left,
    /// Move right (next column or flag).
    Right,
    /// Jump to the first row.
    Top,
    /// Jump to the last row.
    Bottom,
    /// Filter the focused list by typing.
    Filter,
    /// Add an object here.
    Add,
    /// Edit the selected object (Enter on a matrix group expands it).
    Edit,
    /// Delete the selected object (asks first).
    Delete,
    /// Toggle the selected flag or switch.
    Toggle,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Save the design.
    Save,
    /// Save the design under a new name.
    SaveAs,
    /// Open a design (your saves and the bundled examples).
    Open,
    /// Start a new, empty design.
    New,
    /// Create the reverse link of the selected peering.
    ReversePeering,
    /// Peer a hub with several spokes (both sides of every link).
    HubAndSpokes,
    /// Toggle gateway transit for the selected gateway's VNet.
    GatewayTransit,
    /// Sync the selected peering with the remote address space.
    SyncPeering,
    /// Cycle the flow the matrix is evaluated for.
    CycleFlow,
    /// Type the flow the matrix is evaluated for.
    SetFlow,
    /// Switch the assumptions for contested Azure behaviour.
    Assumptions,
    /// Edit the design's title and description.
    EditInfo,
    /// Add a subscription and your role there (for the permission checks); lists them in Gateway.
    Subscriptions,
    /// Apply the suggested fix (of the selected pair's first blocker, or the selected diagnostic).
    ApplyFix,
    /// Focus the VNets pane.
    FocusVnets,
    /// Focus the Peerings pane.
    FocusPeerings,
    /// Focus the Gateway pane.
    FocusGateway,
    /// Focus the Route table pane.
    FocusRoutes,
    /// Focus the NSG pane.
    FocusNsg,
    /// Focus the Reachability panel.
    FocusReach,
    /// Focus the Diagnostics pane.
    FocusDiagnostics,
    /// Close the open overlay or cancel.
    Cancel,
}

impl Action {
    /// Every action, in the order the palette and help list them.
    pub const ALL: [Action; 40] = [
        Action::Add,
        Action::Edit,
        Action::Delete,
        Action::Toggle,
        Action::Undo,
        Action::Redo,
        Action::ReversePeering,
        Action::HubAndSpokes,
        Action::GatewayTransit,
        Action::SyncPeering,
        Action::CycleFlow,
        Action::SetFlow,
        Action::ApplyFix,
        Action::Assumptions,
        Action::EditInfo,
        Action::Subscriptions,
        Action::Save,
        Action::SaveAs,
        Action::Open,
        Action::New,
        Action::Filter,
        Action::Help,
        Action::Palette,
        Action::NextPane,
        Action::PrevPane,
        Action::FocusVnets,
        Action::FocusPeerings,
        Action::FocusGateway,
        Action::FocusRoutes,
        Action::FocusNsg,
        Action::FocusReach,
        Action::FocusDiagnostics,
        Action::Up,
        Action::Down,
        Action::Left,
        Action::Right,
        Action::Top,
        Action::Bottom,
        Action::Cancel,
        Action::Quit,
    ];

    /// The one-line description shown in help and the palette.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit (asks when there are unsaved edits)",
            Action::Help => "show this help",
            Action::Palette => "command palette",
            Action::NextPane => "next pane",
            Action::PrevPane => "previous pane",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::Left => "move left / previous flag",
            Action::Right => "move right / next flag",
            Action::Top => "first row",
            Action::Bottom => "last row",
            Action::Filter => "filter the list",
            Action::Add => "add an object",
            Action::Edit => "edit the selection",
            Action::Delete => "delete the selection",
            Action::Toggle => "toggle the selected flag",
            Action::Undo => "undo",
            Action::Redo => "redo",
            Action::Save => "save",
            Action::SaveAs => "save as…",
            Action::Open => "open a design",
            Action::New => "new design",
            Action::ReversePeering => "create the reverse peering",
            Action::HubAndSpokes => "peer a hub with spokes",
            Action::GatewayTransit => "toggle gateway transit",
            Action::SyncPeering => "sync the peering",
            Action::CycleFlow => "next flow",
            Action::SetFlow => "set the flow",
            Action::ApplyFix => "apply the suggested fix",
            Action::Assumptions => "switch assumptions (contested Azure behaviour)",
            Action::EditInfo => "edit design title and description",
            Action::Subscriptions => "subscriptions and your role (permission checks)",
            Action::FocusVnets => "focus VNets",
            Action::FocusPeerings => "focus Peerings",
            Action::FocusGateway => "focus Gateway",
            Action::FocusRoutes => "focus Route table",
            Action::FocusNsg => "focus NSG",
            Action::FocusReach => "focus Reachability",
            Action::FocusDiagnostics => "focus Diagnostics",
            Action::Cancel => "close / cancel",
        }
    }
}
