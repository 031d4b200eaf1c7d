//! The terminal UI (DESIGN.md §5): the only module that uses ratatui and crossterm.
//!
//! Not built yet: this module is an empty shell until the TUI issue lands. Until then
//! `vnetlab [FILE]` prints a summary of the design instead of opening the UI.
