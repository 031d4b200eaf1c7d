//! Peering checks: Azure's validation rules V1–V9 and the Government rule (the rules of
//! [`Design::peering_violations`], derived once per revision in a
//! [`PeeringIndex`](crate::model::PeeringIndex) shared with the engine, and only reported here;
//! states and sync levels come from the same index), peerings on
//! a classic VNet, one-sided (Initiated) and Disconnected links, stale address-space copies, and
//! the 500-peerings-per-VNet limit, and subnet-level peerings (V13: at most 200 subnets per side,
//! both links listing the same subnets mirrored) (azure-semantics.md §1.2–§1.6, §1.9, §1.10).

use super::support::Context;
use super::{Code, Diagnostic, Remedy, Severity};
use crate::edit::{Edit, Object, ObjectRef, peering};
use crate::model::{
    DeploymentModel, Design, GatewaySku, ObjectKind, Peering, PeeringFlag, PeeringState,
    PeeringViolation, SyncLevel,
};

/// Azure's limit of peerings per VNet (azure-semantics.md §1.10).
pub const MAX_PEERINGS_PER_VNET: usize = 500;

/// Azure's limit of subnets on a subnet-level peering link (azure-semantics.md §1.10).
pub const MAX_SUBNETS_PER_PEERING: usize = 200;

pub(super) fn check(cx: &Context, found: &mut Vec<Diagnostic>) {
    let design = cx.design;
    for (index, peering) in design.peerings.iter().enumerate() {
        let violations = cx.violations(index);
        for violation in violations {
            found.push(violation_diagnostic(design, peering, violation));
        }
        let local_classic = cx
            .vnet(&peering.local)
            .is_some_and(|v| v.deployment == DeploymentModel::Classic);
        let remote_classic = cx
            .vnet(&peering.remote)
            .is_some_and(|v| v.deployment == DeploymentModel::Classic);
        if local_classic && !remote_classic {
            found.push(
                Diagnostic::new(
                    Severity::Error,
                    Code::PeeringOnClassicVnet,
                    ObjectKind::Peering,
                    &peering.name,
                    format!(
                        "peering `{}` belongs to classic VNet `{}`, but a classic VNet has no peering resources: Azure creates an ARM-to-classic peering on the ARM side only",
                        peering.name, peering.local
                    ),
                )
                .with_fix(Remedy::edit(
                    format!("delete `{}` and keep only the link from `{}`", peering.name, peering.remote),
                    Edit::Withdraw(ObjectRef::new(ObjectKind::Peering, &peering.name)),
                )),
            );
        }
        let refused = violations.iter().any(PeeringViolation::invalidates_peering) || local_classic;
        // A link to a VNet that does not exist is a broken reference (Design::validate), not a state.
        let both_ends = cx.vnet(&peering.local).is_some() && cx.vnet(&peering.remote).is_some();
        let facts = cx.facts(index);
        let reverse = facts
            .and_then(|f| f.reverse)
            .and_then(|r| design.peerings.get(r));
        if let Some(facts) = facts.filter(|_| !refused && both_ends) {
            check_state(design, peering, (facts.state, reverse), found);
        }
        let stale = facts.is_some_and(|f| {
            matches!(
                f.sync,
                SyncLevel::LocalNotInSync | SyncLevel::LocalAndRemoteNotInSync
            )
        });
        if stale {
            check_sync(design, peering, found);
        }
        check_subnet_lists(peering, reverse, found);
    }
    for vnet in &design.vnets {
        let count = cx.peerings_of(&vnet.name).len();
        if count > MAX_PEERINGS_PER_VNET {
            found.push(
                Diagnostic::new(
                    Severity::Error,
                    Code::PeeringLimitExceeded,
                    ObjectKind::Vnet,
                    &vnet.name,
                    format!(
                        "VNet `{}` has {count} peerings but Azure allows at most {MAX_PEERINGS_PER_VNET} per VNet",
                        vnet.name
                    ),
                )
                .with_fix(Remedy::advice(
                    "split the spokes across several hubs, or connect them with Virtual Network Manager connected groups",
                )),
            );
        }
    }
}

fn violation_diagnostic(
    design: &Design,
    peering: &Peering,
    violation: &PeeringViolation,
) -> Diagnostic {
    use PeeringViolation as V;
    let (code, severity) = match violation {
        V::Overlap(..) | V::SubnetRangeOverlap { .. } => (Code::PeeringOverlap, Severity::Error),
        V::CrossCloud(..) => (Code::PeeringCrossCloud, Severity::Error),
        V::ClassicToClassic => (Code::PeeringClassicToClassic, Severity::Error),
        V::UseRemoteGatewaysWithOwnGateway => {
            (Code::PeeringRemoteGatewaysWithOwnGateway, Severity::Error)
        }
        V::RemoteVnetHasNoGateways => (Code::PeeringRemoteVnetHasNoGateways, Severity::Error),
        V::UseRemoteGatewaysOnSeveralPeerings(_) => (
            Code::PeeringRemoteGatewaysOnSeveralPeerings,
            Severity::Error,
        ),
        V::GovGlobalPeering => (Code::PeeringGovGlobal, Severity::Error),
        V::RemoteGatewayWithoutTransit => {
            (Code::PeeringRemoteGatewaysWithoutTransit, Severity::Warning)
        }
        V::TransitWithoutGateway => (Code::PeeringTransitWithoutGateway, Severity::Warning),
        V::TransitWithBasicGateway(_) => (Code::PeeringTransitBasicSku, Severity::Warning),
    };
    let consequence = match severity {
        Severity::Error if violation.invalidates_peering() => {
            "; Azure refuses this peering".to_string()
        }
        Severity::Error => format!(
            "; Azure refuses the {} flag",
            PeeringFlag::UseRemoteGateways
        ),
        _ => String::new(),
    };
    let message = format!(
        "{}: peering `{}` from `{}` to `{}`: {}{consequence}",
        violation.rule(),
        peering.name,
        peering.local,
        peering.remote,
        violation
    );
    Diagnostic::new(severity, code, ObjectKind::Peering, &peering.name, message)
        .with_optional_fix(violation_fix(design, peering, violation))
}

fn replace_peering(
    description: String,
    peering: &Peering,
    change: impl FnOnce(&mut Peering),
) -> Remedy {
    let mut changed = peering.clone();
    change(&mut changed);
    Remedy::edit(description, Edit::Replace(Object::Peering(changed)))
}

fn violation_fix(
    design: &Design,
    peering: &Peering,
    violation: &PeeringViolation,
) -> Option<Remedy> {
    use PeeringViolation as V;
    let switch = |link: &Peering, flag: PeeringFlag, on: bool, why: &str| {
        let verb = if on { "set" } else { "clear" };
        replace_peering(
            format!("{verb} {flag} on `{}`{why}", link.name),
            link,
            |p| {
                flag.set(p, on);
            },
        )
    };
    let clear_remote_gateways = |why: &str| {
        switch(
            peering,
            PeeringFlag::UseRemoteGateways,
            false,
            &format!(" ({why})"),
        )
    };
    Some(match violation {
        V::Overlap(..) | V::SubnetRangeOverlap { .. } => Remedy::advice(format!(
            "re-address `{}` or `{}` so that their ranges do not overlap",
            peering.local, peering.remote
        )),
        V::CrossCloud(..) => {
            Remedy::advice("connect VNets in different clouds with VPN gateways instead of peering")
        }
        V::ClassicToClassic => Remedy::advice(
            "migrate one VNet to Resource Manager, or connect them with VPN gateways",
        ),
        V::GovGlobalPeering => Remedy::advice(
            "connect the regions with VPN gateways, or set the assumption gov_global_peering to Allowed if you follow the current product documentation",
        ),
        V::UseRemoteGatewaysWithOwnGateway => {
            clear_remote_gateways("the VNet uses its own gateway")
        }
        V::RemoteVnetHasNoGateways => clear_remote_gateways("there is no gateway to use"),
        V::UseRemoteGatewaysOnSeveralPeerings(_) => {
            clear_remote_gateways("only one peering of a VNet may use it")
        }
        V::RemoteGatewayWithoutTransit => {
            let reverse = design.reverse_peering(peering)?;
            switch(reverse, PeeringFlag::AllowGatewayTransit, true, "")
        }
        V::TransitWithoutGateway => switch(peering, PeeringFlag::AllowGatewayTransit, false, ""),
        V::TransitWithBasicGateway(name) => {
            let mut gateway = design.gateway(name)?.clone();
            gateway.sku = GatewaySku::VpnGw1;
            Remedy::edit(
                format!(
                    "upgrade gateway `{name}` to the VpnGw1 SKU, which supports gateway transit"
                ),
                Edit::Replace(Object::Gateway(gateway)),
            )
        }
    })
}

/// Reports a link that is not Connected; `state` and `reverse` are the peering's derived
/// facts (its state, and the first link going the other way).
fn check_state(
    design: &Design,
    peering: &Peering,
    (state, reverse): (PeeringState, Option<&Peering>),
    found: &mut Vec<Diagnostic>,
) {
    match state {
        PeeringState::Connected => {}
        PeeringState::Initiated => {
            let (why, fix) = match reverse {
                Some(back) => (
                    format!("its reverse link `{}` is Disconnected", back.name),
                    recreate(design, back),
                ),
                None => (
                    format!("`{}` has no peering back to `{}`", peering.remote, peering.local),
                    add_reverse(design, peering),
                ),
            };
            found.push(
                Diagnostic::new(
                    Severity::Warning,
                    Code::PeeringInitiated,
                    ObjectKind::Peering,
                    &peering.name,
                    format!(
                        "peering `{}` is Initiated because {why}, so no traffic flows between `{}` and `{}` in either direction",
                        peering.name, peering.local, peering.remote
                    ),
                )
                .with_fix(fix),
            );
        }
        PeeringState::Disconnected => found.push(
            Diagnostic::new(
                Severity::Warning,
                Code::PeeringDisconnected,
                ObjectKind::Peering,
                &peering.name,
                format!(
                    "peering `{}` is Disconnected: its reverse link was deleted after the pair connected, so no traffic flows until both links are recreated",
                    peering.name
                ),
            )
            .with_fix(recreate(design, peering)),
        ),
    }
}

/// Deletes and recreates a Disconnected link (as a fresh link), with its reverse
/// ([`peering::recreate`], the one repair the engine's fixes offer too).
fn recreate(design: &Design, disconnected: &Peering) -> Remedy {
    let repair = peering::recreate(design, disconnected);
    Remedy::edit(repair.describe(&disconnected.name), repair.edit)
}

/// Adds the missing reverse link ([`Peering::reverse_for`]), naming the settings it carries.
fn add_reverse(design: &Design, peering: &Peering) -> Remedy {
    let (edit, back) = peering::add_reverse(design, peering);
    Remedy::edit(peering::describe_reverse(&back, peering), edit)
}

/// Reports a link whose own copy of the remote space is stale (the caller knows it is, from
/// the peering's sync level).
fn check_sync(design: &Design, peering: &Peering, found: &mut Vec<Diagnostic>) {
    // Only a peering holding a snapshot can be stale on its own side.
    let Some(snapshot) = &peering.remote_address_space else {
        return;
    };
    // What the link carries once synced: the remote space, or a subnet peering's listed subnets.
    let current = design.current_remote_space(peering);
    let list = |nets: Vec<String>| {
        if nets.is_empty() {
            "nothing".to_string()
        } else {
            nets.join(", ")
        }
    };
    let added: Vec<String> = current
        .iter()
        .filter(|n| !snapshot.contains(n))
        .map(|n| n.to_string())
        .collect();
    let removed: Vec<String> = snapshot
        .iter()
        .filter(|n| !current.contains(n))
        .map(|n| n.to_string())
        .collect();
    let mut effect = Vec::new();
    if !added.is_empty() {
        effect.push(format!(
            "`{}` has no route to {}",
            peering.local,
            list(added)
        ));
    }
    if !removed.is_empty() {
        effect.push(format!(
            "still routes {} to `{}`",
            list(removed),
            peering.remote
        ));
    }
    found.push(
        Diagnostic::new(
            Severity::Warning,
            Code::PeeringNotSynced,
            ObjectKind::Peering,
            &peering.name,
            format!(
                "peering `{}` is LocalNotInSync: `{}` changed its address space since the peering was synced, so {}",
                peering.name,
                peering.remote,
                effect.join(" and ")
            ),
        )
        .with_fix(Remedy::edit(
            format!("sync peering `{}`", peering.name),
            Edit::SyncPeering(peering.name.clone()),
        )),
    );
}

/// V13 for subnet-level peerings: the per-link subnet limit, and both links listing the same
/// subnets mirrored (the pair is one peering in Azure, so its two sides must agree).
fn check_subnet_lists(peering: &Peering, reverse: Option<&Peering>, found: &mut Vec<Diagnostic>) {
    let longest = peering
        .local_subnets
        .len()
        .max(peering.remote_subnets.len());
    if longest > MAX_SUBNETS_PER_PEERING {
        found.push(
            Diagnostic::new(
                Severity::Error,
                Code::PeeringSubnetLimitExceeded,
                ObjectKind::Peering,
                &peering.name,
                format!(
                    "V13: peering `{}` lists {longest} subnets on one side but Azure allows at most {MAX_SUBNETS_PER_PEERING} per subnet peering",
                    peering.name
                ),
            )
            .with_fix(Remedy::advice(
                "peer the whole VNets instead, or list only the subnets that must talk to each other",
            )),
        );
    }
    let Some(reverse) = reverse else {
        return;
    };
    // The pair is reported once, on the link with the smaller name, whose lists the fix copies.
    if !(peering.is_subnet_peering() || reverse.is_subnet_peering()) || peering.name > reverse.name
    {
        return;
    }
    let same = |a: &[String], b: &[String]| {
        let (mut a, mut b) = (a.to_vec(), b.to_vec());
        a.sort();
        b.sort();
        a == b
    };
    let mirrored = peering.is_subnet_peering() == reverse.is_subnet_peering()
        && same(&peering.local_subnets, &reverse.remote_subnets)
        && same(&peering.remote_subnets, &reverse.local_subnets);
    if mirrored {
        return;
    }
    let fix = replace_peering(
        format!(
            "make `{}` list the subnets of `{}` mirrored",
            reverse.name, peering.name
        ),
        reverse,
        |r| {
            r.local_subnets = peering.remote_subnets.clone();
            r.remote_subnets = peering.local_subnets.clone();
        },
    );
    found.push(
        Diagnostic::new(
            Severity::Warning,
            Code::PeeringSubnetListsMismatch,
            ObjectKind::Peering,
            &peering.name,
            format!(
                "V13: peerings `{}` and `{}` are one subnet peering but list different subnets, so some subnets get routes one way only; make the two links mirror each other",
                peering.name, reverse.name
            ),
        )
        .with_fix(fix),
    );
}
