//! What a key asks the UI to do. An [`Action`] is a UI intent: bindable in the keymap, named in
//! the command palette, listed in the help overlay, and shown in the footer's key hints. Actions
//! that change the design become an [`Edit`](crate::edit::Edit) inside `App::update`; navigation
//! never enters history.
//!
//! Every action is one line of the `actions!` table below, in the manner of helix's
//! `static_commands!`: its variant, its footer label, what it works on, and its description. The
//! macro generates the enum (each variant's doc *is* its description), [`Action::ALL`],
//! [`Action::describe`], [`Action::hint`], [`Action::changes_design`] and
//! [`Action::needs_results`], so the help, the palette, the footer and the docs cannot drift
//! apart.

use serde::{Deserialize, Serialize};

/// Builds [`Action`] and its metadata from one line per action:
/// `Variant: "footer label", design | results | view, "description";` where `design` marks an
/// action that changes the design (or saves, opens or quits), `results` one that builds its
/// change from the evaluated results (so it must wait for a pending evaluation), and `view` one
/// that only moves around the UI. Lines are in the order the palette and help list them.
macro_rules! actions {
    ( $( $name:ident : $hint:literal, $kind:ident, $describe:literal; )* ) => {
        /// Every bindable action (the keymap names them by variant).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Action {
            $(
                #[doc = $describe]
                $name,
            )*
        }

        impl Action {
            /// How many actions there are.
            pub const COUNT: usize = [$(stringify!($name)),*].len();

            /// Every action, in the order the palette and help list them.
            pub const ALL: [Action; Action::COUNT] = [$(Action::$name),*];

            /// The one-line description shown in help and the palette (and the variant's doc).
            pub fn describe(self) -> &'static str {
                match self {
                    $(Action::$name => $describe,)*
                }
            }

            /// The short label of the action in the footer's key hints.
            pub fn hint(self) -> &'static str {
                match self {
                    $(Action::$name => $hint,)*
                }
            }

            /// Whether the action changes the design (or saves, opens or quits); moving around
            /// never does.
            pub fn changes_design(self) -> bool {
                match self {
                    $(Action::$name => actions!(@changes $kind),)*
                }
            }

            /// Whether the action builds its change from the evaluated results (the reach
            /// matrix's trace, the diagnostics), so it waits for a pending evaluation; every
            /// other action works at once, from the design.
            pub fn needs_results(self) -> bool {
                match self {
                    $(Action::$name => actions!(@results $kind),)*
                }
            }
        }
    };
    (@changes view) => { false };
    (@changes $kind:ident) => { true };
    (@results results) => { true };
    (@results $kind:ident) => { false };
}

actions! {
    // Variant:       footer label,  kind,   description (help, palette, doc)
    Add:              "add",         design, "add an object";
    Edit:             "edit",        design, "edit the selection";
    Delete:           "delete",      design, "delete the selection";
    Toggle:           "toggle",      design, "toggle the selected flag";
    Undo:             "undo",        design, "undo";
    Redo:             "redo",        design, "redo";
    ReversePeering:   "reverse",     design, "create the reverse peering";
    HubAndSpokes:     "hub+spokes",  design, "peer a hub with spokes";
    GatewayTransit:   "transit",     design, "toggle gateway transit";
    SyncPeering:      "sync",        design, "sync the peering";
    CycleFlow:        "flow",        design, "next flow";
    SetFlow:          "set flow",    design, "set the flow";
    ApplyFix:         "fix",         results, "apply the suggested fix (of a blocked pair or a finding)";
    PermitAll:        "as if allowed", view, "the pair as if every rule allowed it: its route and every rule that drops it";
    Assumptions:      "assumptions", design, "switch assumptions (contested Azure behaviour)";
    EditInfo:         "title",       design, "edit design title and description";
    Subscriptions:    "subscriptions", design, "subscriptions and your role (permission checks)";
    Save:             "save",        design, "save";
    SaveAs:           "save as",     design, "save as…";
    Open:             "open",        design, "open a design";
    New:              "new",         design, "new design";
    Filter:           "filter",      view,   "filter the list (in Reachability: the matrix's rows and columns)";
    GoToPair:         "go to pair",  view,   "go to a pair: two endpoint names, with completion";
    OnlyBlocked:      "only blocked", view,  "matrix: only rows and columns with a blocked pair (again: all)";
    OnlyChanged:      "only changed", view,  "matrix: only rows and columns the last edit changed (again: all)";
    Collapse:         "collapse",    view,   "fold the expanded groups under the matrix cursor";
    PageUp:           "page up",     view,   "up a page";
    PageDown:         "page down",   view,   "down a page";
    HalfPageUp:       "half up",     view,   "up half a page";
    HalfPageDown:     "half down",   view,   "down half a page";
    Help:             "help",        view,   "show this help";
    Palette:          "commands",    view,   "command palette";
    NextPane:         "next",        view,   "next pane";
    PrevPane:         "previous",    view,   "previous pane";
    FocusVnets:       "VNets",       view,   "focus VNets";
    FocusPeerings:    "Peerings",    view,   "focus Peerings";
    FocusGateway:     "Gateway",     view,   "focus Gateway";
    FocusRoutes:      "Route table", view,   "focus Route table";
    FocusNsg:         "NSG",         view,   "focus NSG";
    FocusReach:       "Reachability", view,  "focus Reachability";
    FocusDiagnostics: "Diagnostics", view,   "focus Diagnostics";
    FocusTopology:    "Topology",    view,   "focus Topology (the picture, with the selected pair's path)";
    FullScreen:       "full screen", view,   "show the focused pane full screen (again: back)";
    ZoomIn:           "zoom in",     view,   "more detail in the picture (subnets, then VMs)";
    ZoomOut:          "zoom out",    view,   "less detail in the picture";
    PanLeft:          "pan left",    view,   "pan the picture left";
    PanRight:         "pan right",   view,   "pan the picture right";
    PanUp:            "pan up",      view,   "pan the picture up";
    PanDown:          "pan down",    view,   "pan the picture down";
    PickPairEnd:      "pick pair",   view,   "Topology: pick the box of a pair's source, then of its destination; the matrix and explanation select that pair (a box's endpoint: the current pair's if it lives there, else its first)";
    Up:               "up",          view,   "move up";
    Down:             "down",        view,   "move down";
    Left:             "left",        view,   "move left / previous flag";
    Right:            "right",       view,   "move right / next flag";
    Top:              "top",         view,   "first row";
    Bottom:           "bottom",      view,   "last row";
    // Teaching (lesson mode, predict-then-reveal, presenter mode): one block, src/tui/lesson/.
    Lessons:          "lessons",     design, "lessons: open one, or reset, reveal, save or leave the current one";
    PrevPage:         "page back",   view,   "previous lesson page";
    NextPage:         "page on",     view,   "lesson: turn to the following page";
    Hint:             "hint",        view,   "show the lesson's next hint";
    LessonReset:      "reset lesson", design, "reset the lesson to its start design";
    RevealSolution:   "solution",    view,   "show the lesson's solution (unlocks the fix key)";
    Predict:          "predict",     view,   "predict, then reveal: hide verdicts; again reveals the selected pair";
    Presenter:        "present",     view,   "presenter mode: big titles, high contrast, one view full screen (again: the following view, then off)";
    LessonCard:       "card",        view,   "lesson card: full height over the panes, page, goals and progress (again: back)";
    Cancel:           "close",       view,   "close / cancel";
    Quit:             "quit",        design, "quit (asks when there are unsaved edits)";
}

#[cfg(test)]
mod tests {
    use super::Action;

    #[test]
    fn every_action_is_listed_once_with_a_description_and_a_label() {
        for (i, action) in Action::ALL.iter().enumerate() {
            assert!(!action.describe().is_empty() && !action.hint().is_empty());
            assert!(!Action::ALL[i + 1..].contains(action), "{action:?} twice");
        }
        assert_eq!(Action::ALL.len(), Action::COUNT);
    }

    #[test]
    fn only_a_fix_waits_for_the_results() {
        assert!(!Action::Down.changes_design() && !Action::FocusReach.changes_design());
        assert!(Action::Toggle.changes_design() && Action::Quit.changes_design());
        assert!(Action::ApplyFix.changes_design() && Action::ApplyFix.needs_results());
        let waiting: Vec<Action> = Action::ALL
            .into_iter()
            .filter(|a| a.needs_results())
            .collect();
        assert_eq!(waiting, [Action::ApplyFix]);
    }
}
