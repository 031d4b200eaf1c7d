//! Property: on randomly broken versions of the shipped designs, every diagnostic whose fix
//! carries an edit can be fixed: the edit is accepted, and the diagnostic is gone afterwards.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use proptest::prelude::*;
use vnetlab::io::{examples, parse_design};
use vnetlab::lint::{Diagnostic, check};
use vnetlab::model::{Design, Expectation, GatewaySku, Subnet};

/// A tiny deterministic generator so each proptest case is a plain seed.
struct Picker(u64);

impl Picker {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        if n == 0 {
            0
        } else {
            ((self.0 >> 33) % n as u64) as usize
        }
    }
}

/// One random misconfiguration of the kinds lint knows about.
fn break_once(d: &mut Design, p: &mut Picker) {
    let peerings = d.peerings.len();
    match p.below(12) {
        0 if peerings > 0 => {
            d.peerings.remove(p.below(peerings));
        }
        1 if peerings > 0 => d.peerings[p.below(peerings)].disconnected = true,
        2 if peerings > 0 => {
            let peering = &mut d.peerings[p.below(peerings)];
            match p.below(4) {
                0 => peering.use_remote_gateways ^= true,
                1 => peering.allow_gateway_transit ^= true,
                2 => peering.allow_forwarded_traffic ^= true,
                _ => peering.allow_virtual_network_access ^= true,
            }
        }
        3 if peerings > 0 => {
            let i = p.below(peerings);
            d.peerings[i].remote_address_space = Some(vec!["10.250.0.0/16".parse().unwrap()]);
        }
        4 => {
            if let Some(nsg) = d.nsgs.first_mut()
                && !nsg.rules.is_empty()
            {
                let i = p.below(nsg.rules.len());
                nsg.rules[i].priority = [50, 5000, 100, 4096][p.below(4)];
                let clone = nsg.rules[i].clone();
                if p.below(2) == 0 {
                    let mut twin = clone;
                    twin.name.push_str("-twin");
                    nsg.rules.push(twin);
                }
            }
        }
        5 if !d.vms.is_empty() => {
            let i = p.below(d.vms.len());
            let subnet = d.vms[i].nics[0].subnet.clone();
            if let Some(prefix) = d.subnet(&subnet).map(|s| s.prefix) {
                d.vms[i].nics[0].ip = [prefix.network(), prefix.broadcast()][p.below(2)];
            }
        }
        6 => {
            if let Some(gateway) = d.gateways.first().cloned() {
                let mut second = gateway;
                second.name.push_str("-2");
                d.gateways.push(second);
            }
        }
        7 => {
            if let Some(gateway) = d.gateways.first_mut() {
                match p.below(3) {
                    0 => gateway.sku = GatewaySku::Basic,
                    1 => gateway.bgp = true,
                    _ => gateway.sku = GatewaySku::ErGw1AZ,
                }
            }
        }
        8 => {
            let nsg = d.nsgs.first().map(|n| n.name.clone());
            let vnets = d.vnets.len();
            if vnets > 0 {
                let v = &mut d.vnets[p.below(vnets)];
                match v.subnets.iter_mut().find(|s| s.name == "GatewaySubnet") {
                    Some(gateway_subnet) => gateway_subnet.nsg = nsg,
                    None => {
                        // A gateway without its subnet.
                        let name = v.name.clone();
                        if let Some(g) = d.gateways.iter_mut().next() {
                            g.vnet = name;
                        }
                    }
                }
            }
        }
        9 if !d.vms.is_empty() => {
            let i = p.below(d.vms.len());
            d.vms[i].nics[0].ip_forwarding = false;
        }
        10 => {
            if let Some(table) = d.route_tables.first_mut()
                && let Some(route) = table.routes.first().cloned()
            {
                let mut twin = route;
                twin.name.push_str("-twin");
                table.routes.push(twin);
            }
        }
        11 if !d.intents.is_empty() => {
            let i = p.below(d.intents.len());
            d.intents[i].expect = match d.intents[i].expect {
                Expectation::Reachable => Expectation::Blocked,
                Expectation::Blocked => Expectation::Reachable,
            };
        }
        _ => {
            if let Some(v) = d.vnets.first_mut() {
                v.subnets.push(Subnet::new("Extra", v.address_space[0]));
            }
        }
    }
}

fn same_finding(a: &Diagnostic, b: &Diagnostic) -> bool {
    // An intent's message changes with its blockers; other findings are told apart by message
    // (one table can hold two unreachable routes).
    a.code == b.code
        && a.subject == b.subject
        && (a.code.as_str().starts_with("INTENT_") || a.message == b.message)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_edit_fix_is_accepted_and_clears_its_diagnostic(which in 0usize..8, seed in any::<u64>(), breaks in 1usize..4) {
        let all: Vec<(&str, &str)> = std::iter::once(examples::DEFAULT_DESIGN).chain(examples::EXAMPLES.iter().copied()).collect();
        let (name, text) = all[which % all.len()];
        let mut design = parse_design(text, name).unwrap();
        let mut picker = Picker(seed);
        for _ in 0..breaks {
            break_once(&mut design, &mut picker);
        }
        // Lint reports on anything, but a fix is an edit, and edits need a sound design.
        prop_assume!(design.validate().is_empty());
        let found = check(&design);
        for diagnostic in &found {
            let Some(edit) = diagnostic.fix.as_ref().and_then(|f| f.edit.as_ref()) else { continue };
            let mut fixed = design.clone();
            let applied = edit.apply(&mut fixed);
            prop_assert!(applied.is_ok(), "{name}: fix of {diagnostic} refused: {:?}", applied.err());
            let after = check(&fixed);
            prop_assert!(
                !after.iter().any(|d| same_finding(d, diagnostic)),
                "{name}: fix `{}` did not clear {diagnostic}", diagnostic.fix.as_ref().map_or("", |f| f.description.as_str())
            );
        }
    }
}
