//! The Add menu (`a`): what can be added in the focused pane. The highlighted choice is always
//! the first (a VNet in VNets, a route table in Route tables…), whatever is selected: `a Enter`
//! adds the same kind of object every time (audit row 5, where `a Enter` on a VNet made a
//! subnet named like the intended VNet). Choices that go into the selection say where ("Subnet
//! in vnet-a"), and each is one digit away.

use super::app::App;
use super::forms::FormSpec;
use super::overlay::{Overlay, Pending};
use super::panes::{PaneId, Target};
use super::widgets::dialog::Choose;

/// What one menu option adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Adds {
    Vnet,
    Subnet,
    Vm,
    Appliance,
    Nic,
    ApplianceRule,
    Peering,
    HubAndSpokes,
    Gateway,
    Site,
    Host,
    Connection,
    Subscription,
    RouteTable,
    Route,
    Nsg,
    NsgRule,
    Intent,
    Asg,
    RouteServer,
    BgpPeer,
    NetworkGroup,
    Connectivity,
}

/// The options of the menu, each with what it adds.
struct Menu {
    options: Vec<(Adds, String, Pending)>,
}

impl Menu {
    /// The Virtual Network Manager objects, offered where peerings and where hub services are
    /// added (AVNM connects VNets in place of peerings, from the hub's side).
    fn offer_avnm(&mut self) {
        self.offer(
            Adds::NetworkGroup,
            "Network group (AVNM)",
            FormSpec::NetworkGroup(None),
        );
        self.offer(
            Adds::Connectivity,
            "Connectivity configuration (AVNM)",
            FormSpec::Connectivity(None),
        );
    }

    fn offer(&mut self, adds: Adds, label: impl Into<String>, spec: FormSpec) {
        let appliance = adds == Adds::Appliance;
        self.options
            .push((adds, label.into(), Pending::OpenForm { spec, appliance }));
    }
}

impl App {
    /// Opens the Add menu of the focused pane (or the form directly when there is one choice).
    pub(super) fn add(&mut self) {
        let selected = self.selected();
        let design = self.session.design();
        let mut menu = Menu {
            options: Vec::new(),
        };
        match self.nav.focus {
            PaneId::Vnets => {
                // Say where the subnet and the VM will go, so the kind and the place are plain.
                let context = self.form_context();
                let into = |what: &str, place: Option<String>| match place {
                    Some(place) => format!("{what} in {place}"),
                    None => what.to_string(),
                };
                menu.offer(Adds::Vnet, "VNet", FormSpec::Vnet(None));
                menu.offer(
                    Adds::Subnet,
                    into("Subnet", context.vnet.clone()),
                    FormSpec::Subnet(None),
                );
                menu.offer(
                    Adds::Vm,
                    into("VM", context.subnet.as_ref().map(ToString::to_string)),
                    FormSpec::Vm(None),
                );
                menu.offer(
                    Adds::Appliance,
                    "Appliance (NVA or firewall)",
                    FormSpec::Vm(None),
                );
                if let Some(Target::Vm(vm) | Target::Nic { vm, .. }) = &selected {
                    menu.offer(
                        Adds::Nic,
                        format!("NIC of {vm}"),
                        FormSpec::Nic {
                            vm: vm.clone(),
                            index: None,
                        },
                    );
                }
                if let Some(Target::Vm(vm) | Target::ApplianceRule { vm, .. }) = &selected
                    && design.vm(vm).is_some_and(|v| v.appliance.is_some())
                {
                    menu.offer(
                        Adds::ApplianceRule,
                        format!("Rule of appliance {vm}"),
                        FormSpec::ApplianceRule {
                            vm: vm.clone(),
                            original: None,
                        },
                    );
                }
            }
            PaneId::Peerings => {
                menu.offer(
                    Adds::Peering,
                    "Peering (one direction)",
                    FormSpec::Peering(None),
                );
                menu.offer(
                    Adds::HubAndSpokes,
                    "Hub and spokes (both directions)",
                    FormSpec::HubAndSpokes,
                );
                menu.offer_avnm();
            }
            PaneId::Gateway => {
                menu.offer(Adds::Gateway, "Gateway", FormSpec::Gateway(None));
                menu.offer(Adds::Site, "On-premises site", FormSpec::Site(None));
                menu.offer(Adds::Host, "Site host", FormSpec::Host { original: None });
                menu.offer(Adds::Connection, "Connection", FormSpec::Connection(None));
                menu.offer(
                    Adds::Subscription,
                    "Subscription and your role",
                    FormSpec::Subscription(None),
                );
                menu.offer(
                    Adds::RouteServer,
                    "Route Server",
                    FormSpec::RouteServer(None),
                );
                for server in &design.route_servers {
                    menu.offer(
                        Adds::BgpPeer,
                        format!("BGP peer of {}", server.name),
                        FormSpec::BgpPeer {
                            server: server.name.clone(),
                            original: None,
                        },
                    );
                }
                menu.offer_avnm();
            }
            PaneId::Routes => {
                menu.offer(Adds::RouteTable, "Route table", FormSpec::RouteTable(None));
                let table = match &selected {
                    Some(Target::RouteTable(t) | Target::Route { table: t, .. }) => Some(t.clone()),
                    _ => design.route_tables.first().map(|t| t.name.clone()),
                };
                if let Some(table) = table {
                    menu.offer(
                        Adds::Route,
                        format!("Route in {table}"),
                        FormSpec::Route {
                            table,
                            original: None,
                        },
                    );
                }
            }
            PaneId::Nsg => {
                menu.offer(Adds::Nsg, "NSG", FormSpec::Nsg(None));
                let nsg = match &selected {
                    Some(Target::Nsg(n) | Target::NsgRule { nsg: n, .. }) => Some(n.clone()),
                    _ => design.nsgs.first().map(|n| n.name.clone()),
                };
                if let Some(nsg) = nsg {
                    menu.offer(
                        Adds::NsgRule,
                        format!("Rule in {nsg}"),
                        FormSpec::NsgRule {
                            nsg,
                            original: None,
                        },
                    );
                }
                menu.offer(Adds::Asg, "Application security group", FormSpec::Asg(None));
            }
            PaneId::Reach => menu.offer(Adds::Intent, "Intent", FormSpec::Intent(None)),
            PaneId::Diagnostics => {
                return self
                    .say("diagnostics come from the design; Enter jumps to the object to change");
            }
            PaneId::Topology => {
                return self.say(
                    "the picture draws the design: add VNets in 1, peerings in 2, gateways and sites in 3",
                );
            }
        }
        let mut options: Vec<(String, Pending)> = menu
            .options
            .into_iter()
            .map(|(_, label, pending)| (label, pending))
            .collect();
        if options.len() == 1 {
            let (_, pending) = options.remove(0);
            self.run_pending(pending);
        } else {
            self.overlay = Some(Overlay::Choose(Choose {
                title: format!("Add to {}", self.nav.focus.title()),
                selected: 0,
                options,
            }));
        }
    }
}
