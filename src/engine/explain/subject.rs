//! What a blocker is about, as data: the one design object it names (for checking which
//! blockers a fix's edit is responsible for, and for callers that jump to the object), and the
//! peering settings its cause involves (named with every name people know them by).

use super::Scene;
use crate::edit::ObjectRef;
use crate::engine::ix::{CtxIx, PeeringIx, RowIx, VmIx};
use crate::engine::types::PeeringSetting;
use crate::engine::walk::{Cause, Hint};
use crate::model::{ObjectKind, PeeringFlag};

impl Scene<'_> {
    /// The design object a cause is about, when it is one object.
    pub(super) fn subject(&self, cause: &Cause) -> Option<ObjectRef> {
        let c = self.c;
        let peering = |p: PeeringIx| ObjectRef::new(ObjectKind::Peering, &c.peerings()[p].name);
        let vm = |v: VmIx| ObjectRef::new(ObjectKind::Vm, &c.vms()[v].name);
        let table_of_row = |ctx: CtxIx, row: RowIx| {
            let u = c.ctx(ctx).rows[row].udr?;
            Some(ObjectRef::new(
                ObjectKind::RouteTable,
                &c.tables()[u.table].name,
            ))
        };
        match cause {
            Cause::Nsg { nsg, .. } => Some(ObjectRef::new(ObjectKind::Nsg, &c.nsgs()[*nsg].name)),
            Cause::Appliance { vm: v, .. } | Cause::Asymmetric { vm: v, .. } => Some(vm(*v)),
            Cause::IpForwarding { nic } => Some(vm(nic.vm)),
            Cause::VnetAccess { peering: p }
            | Cause::SubnetNotInPeering { peering: p, .. }
            | Cause::Forwarded { peering: p }
            | Cause::GatewayNotTransit { peering: p }
            | Cause::PeeringInvalid { peering: p, .. } => Some(peering(*p)),
            Cause::Route { ctx, row, hint } => match hint {
                Hint::NotConnected(p)
                | Hint::Invalid(p)
                | Hint::NotSynced(p)
                | Hint::SubnetNotPeered(p, _)
                | Hint::NoTransit(p)
                | Hint::TransitNotEffective(p)
                | Hint::GatewayPeeringDown(p, _) => Some(peering(*p)),
                Hint::PropagationOff(t) => {
                    Some(ObjectRef::new(ObjectKind::RouteTable, &c.tables()[*t].name))
                }
                Hint::Plain => table_of_row(*ctx, *row),
                Hint::NoBgpTransit { learner, .. } => Some(ObjectRef::new(
                    ObjectKind::Gateway,
                    &c.gateways()[*learner].name,
                )),
                Hint::ConnectionDown(k) => Some(ObjectRef::new(
                    ObjectKind::Connection,
                    &c.connections()[*k].name,
                )),
                Hint::NoPeering(_) | Hint::GatewayNotPeered(_) => None,
            },
            Cause::NextHopUnreachable { ctx, row } | Cause::GatewayMissing { ctx, row } => {
                table_of_row(*ctx, *row)
            }
            Cause::SiteWithoutGateway { site } => {
                Some(ObjectRef::new(ObjectKind::Site, &c.sites()[*site].name))
            }
            Cause::GroupOverlap { config, .. } => {
                Some(ObjectRef::new(ObjectKind::Connectivity, config))
            }
            Cause::Loop { .. } | Cause::NoSuchHost { .. } | Cause::NotAdvertised { .. } => None,
        }
    }

    /// The peering settings a cause is about, as they are (the fix's changes are added by the
    /// caller, from its edit).
    pub(super) fn cause_settings(&self, cause: &Cause) -> Vec<PeeringSetting> {
        let c = self.c;
        let named = |p: PeeringIx, flag: PeeringFlag| {
            let link = &c.peerings()[p];
            PeeringSetting::new(&link.name, &link.local, flag, None)
        };
        match cause {
            Cause::VnetAccess { peering } => {
                vec![named(*peering, PeeringFlag::AllowVirtualNetworkAccess)]
            }
            Cause::Forwarded { peering } => {
                vec![named(*peering, PeeringFlag::AllowForwardedTraffic)]
            }
            Cause::GatewayNotTransit { peering }
            | Cause::Route {
                hint: Hint::NoTransit(peering) | Hint::TransitNotEffective(peering),
                ..
            } => vec![named(*peering, PeeringFlag::UseRemoteGateways)],
            _ => Vec::new(),
        }
    }
}
