//! The panes: one module per pane, dispatched by [`PaneId`] (enum dispatch, so "who draws
//! this?" stays greppable). Each pane has two halves: its row *model*, the [`Target`]s it lists
//! in order (the design objects, no styles), and its row *view*, the styled [`Row`]s of given
//! targets. Selection, counting, mouse hit-testing and the add/edit/delete actions read the
//! model only; drawing styles just the rows in view, and filtering (which matches the text)
//! styles every row only while a filter is set; every pane draws its rows with [`list`]. Panes
//! only read; changes go back through `App::update` as edits. They depend on widgets, the live
//! panel and the Topology pane's state, never on the app itself.

pub mod diagnostics;
pub mod gateway;
pub mod list;
pub mod nsg;
pub mod objects;
pub mod peering_detail;
pub mod peerings;
pub mod reach;
mod reach_layout;
pub mod routes;
pub mod topology;
pub mod vnets;

pub use super::pane_id::PaneId;
use super::theme::Theme;
pub use super::widgets::{clamped, scroll_offset};
use crate::model::SubnetRef;
use crate::session::Session;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// The design object a row shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// A section header: adding here adds this kind of object.
    Section(Section),
    /// A VNet.
    Vnet(String),
    /// A subnet.
    Subnet(SubnetRef),
    /// A VM or appliance.
    Vm(String),
    /// A secondary NIC of a VM (`index` ≥ 1 into `Vm::nics`).
    Nic {
        /// The VM.
        vm: String,
        /// The NIC's index in `Vm::nics`.
        index: usize,
    },
    /// One rule of an appliance.
    ApplianceRule {
        /// The appliance VM.
        vm: String,
        /// The rule's name.
        rule: String,
    },
    /// The two directions between two VNets (`a` sorts before `b`).
    PeeringPair {
        /// The first VNet.
        a: String,
        /// The second VNet.
        b: String,
    },
    /// A gateway.
    Gateway(String),
    /// An on-premises site.
    Site(String),
    /// A host of a site.
    Host {
        /// The site.
        site: String,
        /// The host's name.
        host: String,
    },
    /// A gateway connection.
    Connection(String),
    /// A route table.
    RouteTable(String),
    /// One of the followed subnet's effective routes, by its place in the Route table pane's
    /// list of them.
    EffectiveRoute(usize),
    /// One route of a table.
    Route {
        /// The table.
        table: String,
        /// The route's name.
        route: String,
    },
    /// An NSG.
    Nsg(String),
    /// One custom rule of an NSG.
    NsgRule {
        /// The NSG.
        nsg: String,
        /// The rule's name.
        rule: String,
    },
    /// An intent.
    Intent(String),
    /// A subscription and the designer's role there.
    Subscription(String),
    /// An application security group.
    Asg(String),
    /// An Azure Route Server.
    RouteServer(String),
    /// One BGP peer of a Route Server.
    BgpPeer {
        /// The Route Server.
        server: String,
        /// The peer's name.
        peer: String,
    },
    /// An AVNM network group.
    NetworkGroup(String),
    /// An AVNM connectivity configuration.
    Connectivity(String),
    /// A diagnostic, by index into the session's diagnostics.
    Diagnostic(usize),
    /// A cell of the reachability matrix (indexes into the analysis' endpoints).
    Pair {
        /// Source endpoint index.
        from: usize,
        /// Destination endpoint index.
        to: usize,
    },
}

/// Section headers of panes that list several kinds of object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// "VNets".
    Vnets,
    /// "Peerings".
    Peerings,
    /// "Gateways".
    Gateways,
    /// "Sites".
    Sites,
    /// "Connections".
    Connections,
    /// "Route tables".
    RouteTables,
    /// "Effective routes of …" (adding here adds a route table).
    EffectiveRoutes,
    /// "NSGs".
    Nsgs,
    /// "Intents".
    Intents,
    /// "Subscriptions".
    Subscriptions,
    /// "Application security groups".
    Asgs,
    /// "Route Servers".
    RouteServers,
    /// "Network groups" (AVNM).
    NetworkGroups,
    /// "Connectivity configurations" (AVNM).
    Connectivity,
}

/// One row of a pane.
#[derive(Debug, Clone)]
pub struct Row {
    /// What the row shows.
    pub target: Target,
    /// The styled text.
    pub line: Line<'static>,
    /// For rows with columns (peering flags): the span index of each column.
    pub columns: Vec<usize>,
}

impl Row {
    /// A row without columns.
    pub fn new(target: Target, line: Line<'static>) -> Row {
        Row {
            target,
            line,
            columns: Vec::new(),
        }
    }

    /// The row's text without styles, for filtering.
    pub fn plain(&self) -> String {
        self.line.spans.iter().map(|s| s.content.as_ref()).collect()
    }
}

/// Selection and filter of one pane. Navigation state: never part of history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaneState {
    /// Index of the selected row among the visible (filtered) rows.
    pub selected: usize,
    /// Case-insensitive filter text.
    pub filter: String,
    /// Whether keys currently go to the filter.
    pub filtering: bool,
}

/// The selection and filter of every pane, one slot per [`PaneId`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaneStates([PaneState; PaneId::ALL.len()]);

impl Default for PaneStates {
    /// Every pane on its first row, except Peerings, whose first row is its column header: it
    /// starts on the first pair, so `Space` toggles a flag at once.
    fn default() -> PaneStates {
        let mut states = PaneStates(Default::default());
        states[PaneId::Peerings].selected = 1;
        states
    }
}

impl PaneStates {
    /// Every pane back to where it starts (see [`PaneStates::default`]), without a filter.
    pub fn reset(&mut self) {
        *self = PaneStates::default();
    }
}

impl std::ops::Index<PaneId> for PaneStates {
    type Output = PaneState;

    fn index(&self, pane: PaneId) -> &PaneState {
        &self.0[pane.index()]
    }
}

impl std::ops::IndexMut<PaneId> for PaneStates {
    fn index_mut(&mut self, pane: PaneId) -> &mut PaneState {
        &mut self.0[pane.index()]
    }
}

/// A pane's inner area split into its list and its extra area (details, effective routes, the
/// matrix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaneSplit {
    /// Where the rows go.
    pub list: Rect,
    /// The pane's other area, if it has one at this size.
    pub extra: Option<Rect>,
}

/// What panes read to draw: the session plus the bits of UI state that shape rows.
pub struct View<'a> {
    /// The session.
    pub session: &'a Session,
    /// The styles.
    pub theme: &'a Theme,
    /// The peering flag under the Peerings pane's cursor.
    pub flag_cursor: peerings::FlagCursor,
    /// The subnet the Route table and NSG panes follow (from the VNets selection).
    pub context_subnet: Option<SubnetRef>,
    /// The VM selected in the VNets pane, if any (its NIC NSG shows in the NSG pane).
    pub context_vm: Option<String>,
    /// Live results (matrix, trace, effective routes).
    pub live: &'a crate::tui::live::Live,
}

/// The row model of a pane, unfiltered: the targets of its rows, in order.
pub fn targets(pane: PaneId, view: &View) -> Vec<Target> {
    match pane {
        PaneId::Vnets => vnets::targets(view),
        PaneId::Peerings => peerings::targets(view),
        PaneId::Gateway => gateway::targets(view),
        PaneId::Routes => routes::targets(view),
        PaneId::Nsg => nsg::targets(view),
        PaneId::Reach => reach::targets(view),
        PaneId::Diagnostics => diagnostics::targets(view),
        // The picture has boxes, not rows; its selection lives in the app's topology state.
        PaneId::Topology => Vec::new(),
    }
}

/// The styled rows of some of a pane's targets (those in view, or all of them to filter).
pub fn rows(pane: PaneId, view: &View, targets: &[Target]) -> Vec<Row> {
    match pane {
        PaneId::Vnets => vnets::rows(view, targets),
        PaneId::Peerings => peerings::rows(view, targets),
        PaneId::Gateway => gateway::rows(view, targets),
        PaneId::Routes => routes::rows(view, targets),
        PaneId::Nsg => nsg::rows(view, targets),
        PaneId::Reach => reach::rows(view, targets),
        PaneId::Diagnostics => diagnostics::rows(view, targets),
        PaneId::Topology => Vec::new(),
    }
}

/// The targets of the rows that pass the pane's filter (section headers always do). Without a
/// filter this is the row model alone; with one, every row is styled once to match its text.
pub fn visible_targets(pane: PaneId, view: &View, state: &PaneState) -> Vec<Target> {
    let all = targets(pane, view);
    if state.filter.is_empty() {
        return all;
    }
    let needle = state.filter.to_lowercase();
    rows(pane, view, &all)
        .into_iter()
        .filter(|row| {
            matches!(row.target, Target::Section(_)) || row.plain().to_lowercase().contains(&needle)
        })
        .map(|row| row.target)
        .collect()
}

/// A section's header row: its title (with its count), then a short hint, dimmed.
pub(super) fn section_header(theme: &Theme, text: String, hint: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled(text, theme.title),
        Span::styled(format!("  {hint}"), theme.dim),
    ])
}

#[cfg(test)]
mod tests {
    use super::PaneId;

    #[test]
    fn a_panes_index_is_its_place_in_tab_order() {
        for (i, pane) in PaneId::ALL.iter().enumerate() {
            assert_eq!(pane.index(), i);
        }
    }
}
