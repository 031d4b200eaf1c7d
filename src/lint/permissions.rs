//! Permission checks (azure-semantics.md §6): creating a peering needs
//! `virtualNetworkPeerings/write` on the local VNet and `virtualNetworks/peer/action` on the
//! remote one (`Microsoft.ClassicNetwork/…` for a classic remote), so the designer needs rights
//! on both sides. A design may record, per subscription, the role the designer holds; only
//! recorded subscriptions are checked, and a peered VNet in an unrecorded subscription gets an
//! info when the design records any.

use super::support::Context;
use super::{Code, Diagnostic, Remedy, Severity};
use crate::model::{DeploymentModel, ObjectKind, Peering, Role, Vnet};
use std::collections::HashSet;

/// Creating a peering resource on the local VNet.
pub const PEERING_WRITE: &str = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write";
/// Allowing a peering to an ARM remote VNet.
pub const PEER_ACTION: &str = "Microsoft.Network/virtualNetworks/peer/action";
/// Allowing a peering to a classic remote VNet.
pub const CLASSIC_PEER_ACTION: &str = "Microsoft.ClassicNetwork/virtualNetworks/peer/action";

pub(super) fn check(cx: &Context, found: &mut Vec<Diagnostic>) {
    let design = cx.design;
    if design.subscriptions.is_empty() {
        return;
    }
    let mut unknown_reported = HashSet::new();
    for peering in &design.peerings {
        let (Some(local), Some(remote)) = (cx.vnet(&peering.local), cx.vnet(&peering.remote))
        else {
            continue;
        };
        let remote_action = match remote.deployment {
            DeploymentModel::Arm => PEER_ACTION,
            DeploymentModel::Classic => CLASSIC_PEER_ACTION,
        };
        for (vnet, action, code, side) in [
            (local, PEERING_WRITE, Code::PermissionPeeringWrite, "local"),
            (remote, remote_action, Code::PermissionPeerAction, "remote"),
        ] {
            match role_for(cx, vnet) {
                RoleLookup::Recorded(role) if !role.grants(action) => {
                    found.push(missing(peering, vnet, role, action, code, side));
                }
                RoleLookup::Recorded(_) | RoleLookup::NotApplicable => {}
                RoleLookup::Unrecorded => {
                    if unknown_reported.insert(vnet.subscription.clone()) {
                        found.push(unrecorded(vnet));
                    }
                }
            }
        }
    }
}

enum RoleLookup<'a> {
    Recorded(&'a Role),
    Unrecorded,
    /// The VNet names no subscription, so there is nothing to look up.
    NotApplicable,
}

fn role_for<'a>(cx: &Context<'a>, vnet: &Vnet) -> RoleLookup<'a> {
    if vnet.subscription.is_empty() {
        return RoleLookup::NotApplicable;
    }
    match cx
        .design
        .subscriptions
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(&vnet.subscription))
    {
        Some(sub) => RoleLookup::Recorded(&sub.role),
        None => RoleLookup::Unrecorded,
    }
}

/// The role as a sentence names it: Azure's name, or "a custom role".
fn role_name(role: &Role) -> &'static str {
    match role {
        Role::Custom(_) => "a custom role",
        built_in => built_in.name(),
    }
}

fn missing(
    peering: &Peering,
    vnet: &Vnet,
    role: &Role,
    action: &str,
    code: Code,
    side: &str,
) -> Diagnostic {
    let builtin = if action.starts_with("Microsoft.ClassicNetwork/") {
        Role::ClassicNetworkContributor.name()
    } else {
        Role::NetworkContributor.name()
    };
    Diagnostic::new(
        Severity::Warning,
        code,
        ObjectKind::Peering,
        &peering.name,
        format!(
            "creating peering `{}` needs `{action}` on the {side} VNet `{}`, but your role in subscription `{}` ({}) does not grant it",
            peering.name,
            vnet.name,
            vnet.subscription,
            role_name(role)
        ),
    )
    .with_fix(Remedy::advice(format!(
        "ask for {builtin} (or a custom role with `{action}`) on `{}` and record it in the design's subscriptions",
        vnet.subscription
    )))
}

fn unrecorded(vnet: &Vnet) -> Diagnostic {
    Diagnostic::new(
        Severity::Info,
        Code::PermissionRoleUnknown,
        ObjectKind::Vnet,
        &vnet.name,
        format!(
            "VNet `{}` is in subscription `{}`, for which the design records no role, so the permissions its peerings need are not checked",
            vnet.name, vnet.subscription
        ),
    )
    .with_fix(Remedy::advice(format!(
        "add `Subscription(name: \"{}\", role: …)` to the design",
        vnet.subscription
    )))
}
