//! The panes: one module per pane, dispatched by [`PaneId`] (enum dispatch, so "who draws
//! this?" stays greppable). Each pane turns the session into [`Row`]s, each row naming the
//! design object it shows ([`Target`]), so selection, filtering, mouse hit-testing and the
//! add/edit/delete actions work the same way in every pane. Panes only read; changes go back
//! through `App::update` as edits.

pub mod diagnostics;
pub mod gateway;
pub mod matrix;
pub mod nsg;
pub mod peerings;
pub mod reach;
pub mod routes;
pub mod vnets;

use super::theme::Theme;
use crate::model::SubnetRef;
use crate::session::Session;
use ratatui::text::Line;

/// The panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaneId {
    /// VNets → subnets → VMs.
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
}

impl PaneId {
    /// Every pane, in Tab order.
    pub const ALL: [PaneId; 7] = [
        PaneId::Vnets,
        PaneId::Peerings,
        PaneId::Gateway,
        PaneId::Routes,
        PaneId::Nsg,
        PaneId::Reach,
        PaneId::Diagnostics,
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
        }
    }

    fn index(self) -> usize {
        PaneId::ALL.iter().position(|p| *p == self).unwrap_or(0)
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
    /// "NSGs".
    Nsgs,
    /// "Intents".
    Intents,
    /// "Subscriptions".
    Subscriptions,
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

/// What panes read to draw: the session plus the bits of UI state that shape rows.
pub struct View<'a> {
    /// The session.
    pub session: &'a Session,
    /// The styles.
    pub theme: &'a Theme,
    /// The peering flag column under the cursor (0–7: four flags of each direction).
    pub peering_column: usize,
    /// The subnet the Route table and NSG panes follow (from the VNets selection).
    pub context_subnet: Option<SubnetRef>,
    /// The VM selected in the VNets pane, if any (its NIC NSG shows in the NSG pane).
    pub context_vm: Option<String>,
    /// Live results (matrix, trace, intent verdicts, effective routes).
    pub live: &'a crate::tui::live::Live,
}

/// The rows of a list pane, unfiltered.
pub fn rows(pane: PaneId, view: &View) -> Vec<Row> {
    match pane {
        PaneId::Vnets => vnets::rows(view),
        PaneId::Peerings => peerings::rows(view),
        PaneId::Gateway => gateway::rows(view),
        PaneId::Routes => routes::rows(view),
        PaneId::Nsg => nsg::rows(view),
        PaneId::Reach => reach::rows(view),
        PaneId::Diagnostics => diagnostics::rows(view),
    }
}

/// The rows that pass the pane's filter.
pub fn visible_rows(pane: PaneId, view: &View, state: &PaneState) -> Vec<Row> {
    let all = rows(pane, view);
    if state.filter.is_empty() {
        return all;
    }
    let needle = state.filter.to_lowercase();
    all.into_iter()
        .filter(|row| {
            matches!(row.target, Target::Section(_)) || row.plain().to_lowercase().contains(&needle)
        })
        .collect()
}

/// The first visible row of a list of `len` rows in `height` lines with `selected` visible:
/// shared by drawing and mouse hit-testing so both agree.
pub fn scroll_offset(selected: usize, len: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    let half = height / 2;
    selected.saturating_sub(half).min(len - height)
}
