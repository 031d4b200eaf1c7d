//! Design → an az CLI script: bash (`set -euo pipefail`) that creates the design in an order
//! Azure accepts. Variables at the top name what the design does not know (the resource group
//! and subscription of unplaced objects, the resource groups' location, the VM size, image and
//! admin account, the VPN shared key); secrets are read from the environment and the script
//! stops when they are missing.
//!
//! The commands are derived from the same ARM-shaped resources as the ARM export
//! ([`super::arm::Exported`]), so both share one mapping of the model to Azure's properties, and
//! the script adds what the ARM export adds (a VM per design VM holding its NICs, a public IP per
//! gateway). Order ([`Stage`]): resource groups, VNets, subnets, NSGs and rules, route tables and
//! routes, subnet associations, NICs and VMs, peerings (after both VNets), local network
//! gateways, public IPs and gateways (started with `--no-wait`: they take half an hour), a wait
//! until every gateway exists, then the peerings that offer or use a gateway (Azure refuses
//! `useRemoteGateways` before the remote gateway exists) and the connections.
//!
//! Every value from the design is quoted for bash ([`shell_quote`], the `shlex` crate's POSIX
//! quoting); the values `az` itself would misread (a leading `@` names a file to read, a leading
//! `-` an option) are passed as `--flag=value` or refused with [`AzCliError`]. Cost: linear in
//! the design.

mod commands;

use super::arm::Exported;
use crate::io::azure::ResourceId;
use crate::model::Design;
use std::fmt::Write as _;

/// Why a design cannot be written as a script.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AzCliError {
    /// A value holds a NUL character, which no command-line argument can carry.
    #[error("{value:?} holds a NUL character, which no command-line argument can carry")]
    Nul {
        /// The value, as written in the design.
        value: String,
    },
    /// A value starts with `@`, which `az` reads as the name of a file to load.
    #[error("{value:?} starts with `@`, which az reads as the name of a file to load; rename it")]
    AtSign {
        /// The value, as written in the design.
        value: String,
    },
    /// One of several values of a flag starts with `-`, which `az` reads as an option.
    #[error(
        "{value:?} starts with `-`, which az reads as an option in a list of values; rename it"
    )]
    Dash {
        /// The value, as written in the design.
        value: String,
    },
}

/// A value quoted for bash (and any POSIX shell): unchanged when it needs no quotes, else
/// quoted with the `shlex` crate's rules (single quotes, double quotes around a `'`). An empty
/// value is `''`.
///
/// ```
/// use vnetlab::io::export::shell_quote;
/// assert_eq!(shell_quote("hub").unwrap(), "hub");
/// assert_eq!(shell_quote("a $(b)").unwrap(), "'a $(b)'");
/// assert!(shell_quote("a\0b").is_err());
/// ```
pub fn shell_quote(value: &str) -> Result<String, AzCliError> {
    shlex::try_quote(value)
        .map(std::borrow::Cow::into_owned)
        .map_err(|_| AzCliError::Nul {
            value: value.to_string(),
        })
}

/// A piece of a shell word: literal text (quoted when written) or a script variable.
#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Var(String),
}

/// One shell word, made of literal text and variables (`"${NAME}"`), written without spaces
/// between the parts so the shell joins them.
#[derive(Debug, Clone)]
pub(super) struct Word(Vec<Part>);

impl Word {
    /// A literal word.
    pub(super) fn text(text: impl Into<String>) -> Word {
        Word(vec![Part::Text(text.into())])
    }

    /// A word that is a variable's value.
    pub(super) fn var(name: impl Into<String>) -> Word {
        Word(vec![Part::Var(name.into())])
    }

    /// This word followed by literal text.
    fn then_text(mut self, text: impl Into<String>) -> Word {
        self.0.push(Part::Text(text.into()));
        self
    }

    /// This word followed by another.
    fn then(mut self, other: Word) -> Word {
        self.0.extend(other.0);
        self
    }

    /// The literal text the word starts with (empty when it starts with a variable).
    fn head(&self) -> &str {
        match self.0.first() {
            Some(Part::Text(text)) => text,
            _ => "",
        }
    }

    fn whole_text(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Var(v) => format!("${{{v}}}"),
            })
            .collect()
    }

    /// The word as bash text.
    fn render(&self) -> Result<String, AzCliError> {
        if self.head().starts_with('@') {
            return Err(AzCliError::AtSign {
                value: self.whole_text(),
            });
        }
        let mut out = String::new();
        for part in &self.0 {
            match part {
                Part::Text(text) => out.push_str(&shell_quote(text)?),
                Part::Var(name) => {
                    let _ = write!(out, "\"${{{name}}}\"");
                }
            }
        }
        Ok(out)
    }
}

/// One `az` command: its words (`az network vnet create`), flags with their values, and an
/// optional comment line above it.
#[derive(Debug, Clone)]
pub(super) struct Command {
    head: &'static str,
    flags: Vec<(&'static str, Vec<Word>)>,
    comment: Option<String>,
}

impl Command {
    /// `az …` with no flags yet.
    pub(super) fn new(head: &'static str) -> Command {
        Command {
            head,
            flags: Vec::new(),
            comment: None,
        }
    }

    /// A comment only: something the script does not do, and why.
    pub(super) fn note(text: impl Into<String>) -> Command {
        Command::new("").comment(text)
    }

    /// Adds `--flag value`.
    pub(super) fn arg(mut self, flag: &'static str, value: Word) -> Command {
        self.flags.push((flag, vec![value]));
        self
    }

    /// Adds `--flag value…` (nothing when there are no values).
    pub(super) fn args(mut self, flag: &'static str, values: Vec<Word>) -> Command {
        if !values.is_empty() {
            self.flags.push((flag, values));
        }
        self
    }

    /// Adds a flag without a value (`--no-wait`).
    pub(super) fn switch(mut self, flag: &'static str) -> Command {
        self.flags.push((flag, Vec::new()));
        self
    }

    /// Adds a comment line above the command.
    pub(super) fn comment(mut self, text: impl Into<String>) -> Command {
        self.comment = Some(text.into());
        self
    }

    /// The command as bash lines, one flag per line.
    fn render(&self) -> Result<String, AzCliError> {
        let mut out = String::new();
        if let Some(comment) = &self.comment {
            let _ = writeln!(out, "# {}", comment_text(comment));
        }
        if self.head.is_empty() {
            return Ok(out);
        }
        out.push_str(self.head);
        for (flag, values) in &self.flags {
            let _ = write!(out, " \\\n  {flag}");
            match values.as_slice() {
                [one] if one.head().starts_with('-') => {
                    let _ = write!(out, "={}", one.render()?);
                }
                many => {
                    for value in many {
                        if value.head().starts_with('-') {
                            return Err(AzCliError::Dash {
                                value: value.whole_text(),
                            });
                        }
                        let _ = write!(out, " {}", value.render()?);
                    }
                }
            }
        }
        out.push('\n');
        Ok(out)
    }
}

/// The steps of the script, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Stage {
    /// Resource groups.
    Groups,
    /// VNets with their address spaces.
    Vnets,
    /// Subnets.
    Subnets,
    /// NSGs and their rules.
    Nsgs,
    /// Route tables and their routes.
    RouteTables,
    /// NSGs and route tables attached to subnets.
    Associations,
    /// NICs and the VMs holding them.
    Compute,
    /// Peerings that need no remote gateway.
    Peerings,
    /// Local network gateways (on-premises sites).
    Sites,
    /// Public IPs and gateways (not waited for).
    Gateways,
    /// Waiting until every gateway exists.
    Wait,
    /// Peerings that allow gateway transit or use the remote VNet's gateway.
    GatewayPeerings,
    /// Connections.
    Connections,
}

impl Stage {
    fn title(self) -> &'static str {
        match self {
            Stage::Groups => "Resource groups",
            Stage::Vnets => "Virtual networks",
            Stage::Subnets => "Subnets",
            Stage::Nsgs => "Network security groups and their rules",
            Stage::RouteTables => "Route tables and their routes",
            Stage::Associations => "NSGs and route tables on subnets",
            Stage::Compute => "NICs and the VMs holding them",
            Stage::Peerings => "Peerings (after both of their VNets)",
            Stage::Sites => "Local network gateways (on-premises sites)",
            Stage::Gateways => {
                "Public IPs and gateways (a gateway takes 30-45 minutes; they are built in parallel)"
            }
            Stage::Wait => "Wait until every gateway exists",
            Stage::GatewayPeerings => "Peerings that offer or use a gateway (after it exists)",
            Stage::Connections => "Connections (after their gateways)",
        }
    }
}

/// Where resources go: the design's subscriptions as script variables, and the resource groups
/// the script creates.
pub(super) struct Places {
    home: (String, String),
    /// The design's subscriptions; the first is the home one (`SUBSCRIPTION`).
    subscriptions: Vec<String>,
    /// Whether a command names each subscription.
    used: Vec<bool>,
    /// (subscription index, resource group) of every group a resource lives in.
    groups: Vec<(usize, String)>,
}

impl Places {
    fn new(home: (String, String)) -> Places {
        Places {
            subscriptions: vec![home.0.clone()],
            used: vec![false],
            home,
            groups: Vec::new(),
        }
    }

    fn subscription_index(&mut self, subscription: Option<&str>) -> usize {
        let name = subscription.unwrap_or(&self.home.0).to_string();
        let index = match self
            .subscriptions
            .iter()
            .position(|s| s.eq_ignore_ascii_case(&name))
        {
            Some(i) => i,
            None => {
                self.subscriptions.push(name);
                self.used.push(false);
                self.subscriptions.len() - 1
            }
        };
        self.used[index] = true;
        index
    }

    fn subscription_var(index: usize) -> String {
        if index == 0 {
            "SUBSCRIPTION".to_string()
        } else {
            format!("SUBSCRIPTION_{}", index + 1)
        }
    }

    fn group_word(&self, group: &str) -> Word {
        if group.eq_ignore_ascii_case(&self.home.1) {
            Word::var("RESOURCE_GROUP")
        } else {
            Word::text(group)
        }
    }

    /// `--subscription … --resource-group …` for a resource, remembering its group.
    pub(super) fn place(&mut self, id: &ResourceId, command: Command) -> Command {
        let index = self.subscription_index(id.subscription.as_deref());
        let group = id.resource_group.clone().unwrap_or(self.home.1.clone());
        if !self
            .groups
            .iter()
            .any(|(i, g)| *i == index && g.eq_ignore_ascii_case(&group))
        {
            self.groups.push((index, group.clone()));
        }
        command
            .arg("--subscription", Word::var(Self::subscription_var(index)))
            .arg("--resource-group", self.group_word(&group))
    }

    /// The full ID of a resource, with the subscription ID and home group from variables.
    pub(super) fn id(&mut self, id: &ResourceId) -> Word {
        let index = self.subscription_index(id.subscription.as_deref());
        let group = id.resource_group.clone().unwrap_or(self.home.1.clone());
        let mut word = Word::text("/subscriptions/")
            .then(Word::var(format!("{}_ID", Self::subscription_var(index))))
            .then_text("/resourceGroups/")
            .then(self.group_word(&group))
            .then_text(format!("/providers/{}", id.namespace));
        for (kind, name) in &id.segments {
            word = word.then_text(format!("/{kind}/")).then_text(name.clone());
        }
        word
    }
}

/// The design as an az CLI bash script; an error names a value no script can pass to `az`.
pub fn az_cli_script(design: &Design) -> Result<String, AzCliError> {
    let exported = Exported::of(design);
    let mut places = Places::new(exported.home.clone());
    let mut staged = commands::commands(&exported, &mut places);
    let mut groups: Vec<(Stage, Command)> = Vec::new();
    for (index, group) in &places.groups {
        let command = Command::new("az group create")
            .arg(
                "--subscription",
                Word::var(Places::subscription_var(*index)),
            )
            .arg("--name", places.group_word(group))
            .arg("--location", Word::var("LOCATION"));
        groups.push((Stage::Groups, command));
    }
    groups.append(&mut staged);
    // A stable sort: within a stage, the order of the design.
    groups.sort_by_key(|(stage, _)| *stage);
    let mut out = header(design, &exported, &places)?;
    let mut current = None;
    for (stage, command) in &groups {
        if current != Some(*stage) {
            let _ = write!(out, "\n# --- {} ---\n", stage.title());
            current = Some(*stage);
        }
        out.push_str(&command.render()?);
    }
    out.push_str("\necho 'vnetlab: the design is deployed.'\n");
    Ok(out)
}

/// Text that stays inside one `#` comment line: control characters (a newline would end the
/// comment and start a command) become spaces.
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The shebang, what the script is, and the variables.
fn header(design: &Design, exported: &Exported, places: &Places) -> Result<String, AzCliError> {
    let mut out = String::from("#!/usr/bin/env bash\n");
    let title = comment_text(&design.name);
    let _ = write!(
        out,
        "# Written by `vnetlab export --to az-cli` from the design \"{title}\".\n\
         # It creates the design with the Azure CLI, in order; run it signed in (`az login`).\n\
         # Values in CAPITALS below can be set in the environment instead of edited here.\n\
         set -euo pipefail\n\n"
    );
    let location = design.vnets.first().map_or("eastus", |v| v.region.name());
    let _ = write!(
        out,
        "# The resource group of everything the design places in none, and every group's location.\n\
         RESOURCE_GROUP=${{RESOURCE_GROUP:-{}}}\n\
         LOCATION=${{LOCATION:-{}}}\n\
         # The subscription of everything the design places in none (the signed-in one by default).\n\
         SUBSCRIPTION=${{SUBSCRIPTION:-$(az account show --query id --output tsv)}}\n",
        shell_quote(&exported.home.1)?,
        shell_quote(location)?,
    );
    let used: Vec<usize> = (0..places.subscriptions.len())
        .filter(|i| places.used.get(*i).copied().unwrap_or(false))
        .collect();
    for (index, name) in places.subscriptions.iter().enumerate().skip(1) {
        let _ = writeln!(
            out,
            "# The design's subscription `{}` (a name or an ID).\n{var}=${{{var}:-{}}}",
            comment_text(name),
            shell_quote(name)?,
            var = Places::subscription_var(index),
        );
    }
    for &index in &used {
        let var = Places::subscription_var(index);
        let _ = writeln!(
            out,
            "{var}_ID=$(az account show --subscription \"${{{var}}}\" --query id --output tsv)"
        );
    }
    if !exported.vms().is_empty() {
        out.push_str(
            "# Every VM's size, image (URN) and admin account (the design does not say).\n\
             VM_SIZE=${VM_SIZE:-Standard_B1s}\n\
             VM_IMAGE=${VM_IMAGE:-Canonical:ubuntu-24_04-lts:server:latest}\n\
             ADMIN_USERNAME=${ADMIN_USERNAME:-azureuser}\n\
             ADMIN_PASSWORD=${ADMIN_PASSWORD:?set ADMIN_PASSWORD to the admin password of every VM}\n",
        );
    }
    if !design.connections.is_empty() {
        out.push_str(
            "# The IPsec shared key of every connection.\n\
             VPN_SHARED_KEY=${VPN_SHARED_KEY:?set VPN_SHARED_KEY to the shared key of every connection}\n",
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What bash makes of a quoted value, or `None` when bash is not installed.
    fn through_bash(word: &str) -> Option<String> {
        let output = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("printf '%s' {word}"))
            .output()
            .ok()?;
        assert!(output.status.success(), "{word}");
        Some(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    const HOSTILE: [&str; 12] = [
        "it's",
        "$(touch /tmp/vnetlab-pwned)",
        "`id`",
        "a b\tc",
        "semi;colon && echo x",
        "\"double\"",
        "back\\slash",
        "new\nline",
        "*glob?[a]",
        "~tilde",
        "!bang {a,b} #hash",
        "",
    ];

    #[test]
    fn hostile_values_reach_bash_unchanged() {
        for value in HOSTILE {
            let quoted = shell_quote(value).expect("no NUL");
            if let Some(back) = through_bash(&quoted) {
                assert_eq!(back, value, "{quoted}");
            } else {
                println!("bash is not on the PATH; only the quoting was checked");
            }
            assert!(quoted.starts_with('\'') || !quoted.contains(['$', '`', ' ', ';']));
        }
    }

    #[test]
    fn words_join_variables_and_quoted_text() {
        let word = Word::text("/subscriptions/")
            .then(Word::var("SUB_ID"))
            .then_text("/x/")
            .then_text("a $b");
        assert_eq!(
            word.render().expect("quotable"),
            r#"/subscriptions/"${SUB_ID}"/x/'a $b'"#
        );
    }

    #[test]
    fn values_az_would_misread_are_passed_safely_or_refused() {
        assert_eq!(
            shell_quote("a\0b"),
            Err(AzCliError::Nul {
                value: "a\0b".into()
            })
        );
        let at = Command::new("az x").arg("--name", Word::text("@file"));
        assert!(matches!(at.render(), Err(AzCliError::AtSign { .. })));
        let dash = Command::new("az x").arg("--name", Word::text("-x y"));
        assert_eq!(
            dash.render().expect("quotable"),
            "az x \\\n  --name='-x y'\n"
        );
        let many = Command::new("az x").args("--names", vec![Word::text("a"), Word::text("-b")]);
        assert!(matches!(many.render(), Err(AzCliError::Dash { .. })));
    }
}
