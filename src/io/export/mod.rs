//! Exports that deploy: a design written as an ARM template ([`arm_template`]), as Bicep printed
//! from that template ([`bicep_text`]) or as an az CLI bash script ([`az_cli_script`]). (The Terraform writer lives beside its importer, in
//! [`crate::io::terraform`].)
//!
//! The ARM template is derived from the ARM-shaped resources of [`crate::io::azure::export_design`],
//! so both exports share one mapping of the model to Azure's properties: literal IDs become
//! `resourceId()` expressions, read-only properties are dropped, `dependsOn` is computed from
//! the references (so peerings come after both VNets, gateways before connections), and what
//! Azure needs to deploy but a design does not know (VM images and credentials, the VPN shared
//! key, gateways' public IPs) is added as parameters and resources. What only vnetlab reads
//! (name, description, assumptions, intents) goes in the template's `metadata`, which the
//! template importer reads back.
//!
//! Cost: linear in the design.

mod arm;
mod azcli;
mod bicep;
mod nesting;

pub use arm::{
    API_VERSIONS, EXISTING_KEY, METADATA_KEY, arm_template, arm_text, existing_resources,
};
pub use azcli::{AzCliError, az_cli_script, shell_quote};
pub use bicep::{BicepExportError, bicep_text};
