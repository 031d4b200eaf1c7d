//! Files: design files in RON (parse, write, locate errors), atomic saves with a `.bak`,
//! the examples embedded in the binary, lesson files on disk ([`lessons`]), and where vnetlab
//! keeps its files.
//! [`azure`] imports Azure JSON exports and exports designs back as ARM-shaped JSON;
//! [`template`] expands ARM templates (and compiles Bicep) into resources for that importer;
//! [`terraform`] reads Terraform plan/state JSON (through the same importer) and writes HCL.
//!
//! [`recovery`] keeps unsaved work per source file and instance.
//!
//! [`design_file`] is pure text in, text out; [`text`] turns a file's bytes into text (or says
//! where they stop being text). Every file a user names (design, lesson, export, template) is
//! read by the one bounded reader, [`read`], with one size limit per kind of input. Besides it,
//! [`files`] (atomic saves, vnetlab's folders), [`lessons`] (listing a lesson folder) and
//! [`recovery`] touch the disk, and [`template`] runs the Bicep compiler when asked to.

pub mod azure;
pub mod design_file;
pub mod examples;
pub mod export;
pub mod files;
pub mod lessons;
pub mod read;
pub mod recovery;
pub mod template;
pub mod terraform;
pub mod text;

pub use design_file::{LoadError, WriteError, parse_design, to_ron};
pub use files::{AppDirs, load_design, save_design};
