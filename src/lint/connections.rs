//! VNet-to-VNet connection checks: a link is a pair of connection resources, one on each
//! gateway with the same shared key, and BGP runs on it only when both enable it
//! (vpn-gateway-vnet-vnet-rm-ps.md and vpn-gateway-howto-vnet-vnet-cli.md create both; the
//! portal's "Establish bidirectional connectivity" does it in one step). The rule lives in
//! [`Design::vnet_to_vnet_partner`](crate::model::Design::vnet_to_vnet_partner), which the
//! engine reads too; these checks say it before anyone traces.
//!
//! Cost: per VNet-to-VNet connection, a scan of the connections for its pair (a gateway holds
//! at most a few dozen tunnels, so this stays small).

use super::support::Context;
use super::{Code, Diagnostic, Remedy, Severity};
use crate::edit::{Edit, Object};
use crate::model::{Connection, ObjectKind};

pub(super) fn check(cx: &Context, found: &mut Vec<Diagnostic>) {
    let design = cx.design;
    for conn in &design.connections {
        let Some(far) = conn.remote_gateway() else {
            continue;
        };
        if far == conn.gateway {
            continue; // a gateway joined to itself is refused by validation
        }
        match design.vnet_to_vnet_partner(conn) {
            None => found.push(one_sided(cx, conn, far)),
            Some(back) if conn.bgp && !back.bgp => found.push(bgp_on_one_side(conn, back)),
            Some(_) => {}
        }
    }
}

fn one_sided(cx: &Context, conn: &Connection, far: &str) -> Diagnostic {
    let fix = conn.partner_for(cx.design).map(|back| {
        Remedy::edit(
            format!(
                "add connection `{}` from gateway `{far}` back to `{}`",
                back.name, conn.gateway
            ),
            Edit::Add {
                object: Object::Connection(back),
                at: None,
            },
        )
    });
    Diagnostic::new(
        Severity::Warning,
        Code::GatewayConnectionOneSided,
        ObjectKind::Connection,
        &conn.name,
        format!(
            "VNet-to-VNet connection `{}` joins gateway `{}` to `{far}`, but `{far}` has no connection back; Azure leaves the link NotConnected until each gateway has one (with the same shared key), so nothing crosses it",
            conn.name, conn.gateway
        ),
    )
    .with_optional_fix(fix)
}

fn bgp_on_one_side(conn: &Connection, back: &Connection) -> Diagnostic {
    let mut on = back.clone();
    on.bgp = true;
    Diagnostic::new(
        Severity::Warning,
        Code::GatewayConnectionBgpOneSided,
        ObjectKind::Connection,
        &back.name,
        format!(
            "connection `{}` runs BGP but its pair `{}` does not, so the link between `{}` and `{}` runs without BGP: nothing learned elsewhere crosses it",
            conn.name, back.name, conn.gateway, back.gateway
        ),
    )
    .with_fix(Remedy::edit(
        format!("turn on BGP on connection `{}`", back.name),
        Edit::Replace(Object::Connection(on)),
    ))
}
