//! Reusable widgets: the row list under every pane, the generic edit form, dialogs (confirm,
//! choose, text prompt, open), the command palette with fuzzy matching, and the help overlay.

pub mod dialog;
pub mod form;
pub mod fuzzy;
pub mod help;
pub mod list;
pub mod palette;
