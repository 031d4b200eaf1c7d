//! `vnetlab gen`: writes a generated design (see [`crate::model::generate`]) to a file or to
//! standard output. The same arguments always give a byte-identical file.

use super::args::{GenArgs, GenKind};
use super::{EXIT_OK, EXIT_USAGE};
use crate::model::generate::{Count, GenerateError, HubSpokeParams, hub_spoke, hub_spoke_tiered};
use std::io::Write;

/// Runs the command; returns the exit code.
pub fn run(args: &GenArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let design = match args.kind {
        GenKind::HubSpoke => {
            let params = HubSpokeParams {
                hubs: args.hubs,
                spokes: args.spokes,
                subnets_per_spoke: args.subnets,
                vms_per_subnet: args.vms,
            };
            if args.tiered {
                hub_spoke_tiered(&params)
            } else {
                hub_spoke(&params)
            }
        }
    };
    let design = match design {
        Ok(design) => design,
        // The core names the count; the command line names its flag.
        Err(GenerateError::ZeroCount { count }) => {
            let flag = match count {
                Count::Hubs => "hubs",
                Count::SubnetsPerSpoke => "subnets",
                Count::VmsPerSubnet => "vms",
            };
            let _ = writeln!(
                err,
                "vnetlab gen: --{flag} must be at least 1; a hub-and-spoke design needs at least one {}",
                count.one()
            );
            return EXIT_USAGE;
        }
        Err(e) => {
            let _ = writeln!(err, "vnetlab gen: {e}");
            return EXIT_USAGE;
        }
    };
    let text = match crate::io::to_ron(&design) {
        Ok(text) => text,
        Err(e) => {
            let _ = writeln!(err, "vnetlab gen: {e}");
            return EXIT_USAGE;
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = crate::io::files::write_atomic(path, text.as_bytes()) {
                let _ = writeln!(err, "vnetlab gen: {e}");
                return EXIT_USAGE;
            }
            let count = |n: usize, one: &str, many: &str| super::text::count(n as u64, one, many);
            let _ = writeln!(
                out,
                "wrote {}: {}, {}, {}, {}",
                path.display(),
                count(design.vnets.len(), "VNet", "VNets"),
                count(design.vms.len(), "VM", "VMs"),
                count(design.peerings.len(), "peering", "peerings"),
                count(design.endpoints().len(), "endpoint", "endpoints")
            );
        }
        None => {
            let _ = out.write_all(text.as_bytes());
        }
    }
    EXIT_OK
}
