//! Files: design files in RON (parse, write, locate errors), atomic saves with a `.bak`,
//! the examples embedded in the binary, and where vnetlab keeps its files.
//! [`azure`] imports Azure JSON exports and exports designs back as ARM-shaped JSON;
//! [`template`] expands ARM templates (and compiles Bicep) into resources for that importer.
//!
//! [`design_file`] is pure text in, text out; [`files`] is the only part that touches the disk.

pub mod azure;
pub mod design_file;
pub mod examples;
pub mod files;
pub mod template;

pub use design_file::{LoadError, parse_design, to_ron};
pub use files::{AppDirs, load_design, save_design};
