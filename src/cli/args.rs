//! Command-line arguments (clap derive). Every subcommand of DESIGN.md §4 is declared here
//! with its help text, whether or not its implementation has landed.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Design Azure virtual networks at the keyboard and see, live, which VMs can talk and why not.
#[derive(Debug, Parser)]
#[command(name = "vnetlab", disable_version_flag = true, after_help = AFTER_HELP)]
pub struct Cli {
    /// Design file to open (.ron); without one the embedded hub-and-spoke design opens.
    pub file: Option<PathBuf>,
    /// Print the version and the config and data directories.
    #[arg(short = 'V', long)]
    pub version: bool,
    /// Open the terminal UI in this lesson (`vnetlab lesson list` shows the ids; lessons in
    /// DATA/lessons count too): the lesson card, live goals, hints (I), pages ([ ]), menu (L).
    #[arg(long, value_name = "ID")]
    pub lesson: Option<String>,
    /// Headless command; without one the terminal UI opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

const AFTER_HELP: &str = "Exit codes: 0 success, 1 negative answer (blocked, failed check), 2 unreadable input or bad usage.\n\
Files: VNETLAB_CONFIG and VNETLAB_DATA override the config and data directories (see --version).";

/// The headless subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the all-pairs reachability matrix.
    Reach(ReachArgs),
    /// Trace one pair hop by hop, both directions, with every blocker and its fix.
    Trace(TraceArgs),
    /// Print the effective route table of a subnet or VM.
    Routes(RoutesArgs),
    /// Check a design: Azure's configuration rules, misconfigurations, and intents.
    Check(CheckArgs),
    /// Convert Azure JSON exports (REST, Azure CLI, Resource Graph), ARM templates, Bicep files
    /// or Terraform plan/state JSON into a design file.
    Import(ImportArgs),
    /// Write a design in another format.
    Export(ExportArgs),
    /// Generate a design for demos and benchmarks.
    Gen(GenArgs),
    /// Measure evaluation time and memory on a design.
    Bench(BenchArgs),
    /// Lessons: list, check (for authors), show, and write a lesson's start design.
    Lesson(super::lesson::LessonArgs),
    /// Draw the topology (text, Mermaid, DOT, SVG), optionally with a pair's path on it.
    Diagram(DiagramArgs),
    /// Compare two versions of a design: changed objects and the pairs that flipped, for CI.
    Diff(DiffArgs),
}

/// Options shared by the evaluating commands.
#[derive(Debug, Args)]
pub struct EvalOptions {
    /// The flow to evaluate: tcp/PORT, udp/PORT, icmp or any.
    #[arg(long, default_value = "tcp/443")]
    pub flow: String,
    /// Switch an assumption, e.g. gov_global_peering=Allowed (repeatable).
    #[arg(long = "assume", value_name = "KEY=VALUE")]
    pub assume: Vec<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `vnetlab reach`.
#[derive(Debug, Args)]
pub struct ReachArgs {
    /// Design file (.ron) or Azure JSON exports.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Only pairs from these endpoints (name, or VNet name for all its VMs).
    #[arg(long)]
    pub from: Vec<String>,
    /// Only pairs to these endpoints (name, or VNet name for all its VMs).
    #[arg(long)]
    pub to: Vec<String>,
    /// Print only the counts.
    #[arg(long)]
    pub summary: bool,
    /// Evaluation engine.
    #[arg(long, value_enum, default_value_t = EngineChoice::Fast)]
    pub engine: EngineChoice,
    /// With --json: every pair's blocker places, messages and path (a trace per pair; implied
    /// when --from or --to narrows the pairs).
    #[arg(long)]
    pub explain: bool,
    /// Do not print the import summary of Azure JSON input on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub eval: EvalOptions,
}

/// `vnetlab trace`.
#[derive(Debug, Args)]
#[command(override_usage = "vnetlab trace [OPTIONS] <FILE>... <SRC> <DST>")]
pub struct TraceArgs {
    /// Design file (.ron) or Azure JSON exports, then the source and destination endpoints.
    #[arg(required = true, num_args = 1.., value_name = "FILE… SRC DST")]
    pub args: Vec<String>,
    /// Show the path routing alone gives the pair, as if every NSG and appliance rule allowed
    /// it, then every rule on it that would drop the packet (exit 0 when routing gets it
    /// through).
    #[arg(long)]
    pub permit_all: bool,
    /// Do not print the import summary of Azure JSON input on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub eval: EvalOptions,
}

impl TraceArgs {
    /// Splits the positional arguments into files, source and destination; the error says what
    /// is missing.
    pub fn parts(&self) -> Result<(Vec<PathBuf>, &str, &str), String> {
        match self.args.as_slice() {
            [files @ .., from, to] if !files.is_empty() => {
                Ok((files.iter().map(PathBuf::from).collect(), from, to))
            }
            given => Err(format!(
                "give the design file (or Azure JSON exports), then the source and the destination endpoint: vnetlab trace FILE… SRC DST ({} given)",
                match given.len() {
                    1 => "1 argument".to_string(),
                    n => format!("{n} arguments"),
                }
            )),
        }
    }
}

/// `vnetlab routes`.
#[derive(Debug, Args)]
pub struct RoutesArgs {
    /// Design file (.ron) or Azure JSON exports.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// A subnet (`vnet/subnet`) or a VM name.
    pub target: String,
    /// Print JSON in the shape of `az network nic show-effective-route-table`.
    #[arg(long)]
    pub json: bool,
    /// Do not print the import summary of Azure JSON input on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Compare with Azure's effective route table of a NIC in that subnet (the JSON of
    /// `az network nic show-effective-route-table`): list each route that differs, exit 1 if any.
    #[arg(long, value_name = "FILE")]
    pub compare: Option<PathBuf>,
}

/// `vnetlab check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Design file (.ron) or Azure JSON exports.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Switch an assumption, e.g. gov_global_peering=Allowed (repeatable).
    #[arg(long = "assume", value_name = "KEY=VALUE")]
    pub assume: Vec<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Do not print the import summary of Azure JSON input on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `vnetlab import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Azure JSON exports, ARM templates (each followed by its parameters file, if any), Bicep
    /// files or Terraform plan/state JSON (`terraform show -json`), merged into one design.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The design file to write.
    #[arg(short, long, value_name = "DESIGN.ron")]
    pub output: PathBuf,
    #[command(flatten)]
    pub template: TemplateArgs,
}

/// How ARM templates and Bicep files among the inputs are deployed, offline.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// A template parameter (repeatable); arrays and objects as JSON, e.g. --param 'subnets=["a"]'.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub param: Vec<String>,
    /// A parameters file for every template (repeatable).
    #[arg(long = "params", value_name = "FILE")]
    pub params: Vec<PathBuf>,
    /// The subscription ID templates deploy to [default: 00000000-0000-0000-0000-000000000000].
    #[arg(long, value_name = "ID")]
    pub scope_subscription: Option<String>,
    /// The resource group templates deploy to [default: vnetlab-rg].
    #[arg(long, value_name = "NAME")]
    pub scope_resource_group: Option<String>,
    /// The resource group's location, `resourceGroup().location` [default: eastus].
    #[arg(long, value_name = "REGION")]
    pub scope_location: Option<String>,
    /// A folder where linked templates are found by file name (the template's own folder is
    /// searched too).
    #[arg(long, value_name = "DIR")]
    pub template_dir: Option<PathBuf>,
}

impl TemplateArgs {
    /// The expansion options these flags ask for; an error names a malformed `--param`.
    pub fn options(&self) -> Result<crate::io::template::TemplateOptions, String> {
        let mut options = crate::io::template::TemplateOptions {
            parameters: self
                .param
                .iter()
                .map(|p| crate::io::template::parse_param_arg(p))
                .collect::<Result<_, _>>()?,
            parameter_files: self.params.clone(),
            template_dir: self.template_dir.clone(),
            ..Default::default()
        };
        let scope = &mut options.scope;
        for (flag, field) in [
            (&self.scope_subscription, &mut scope.subscription),
            (&self.scope_resource_group, &mut scope.resource_group),
            (&self.scope_location, &mut scope.location),
        ] {
            if let Some(value) = flag {
                field.clone_from(value);
            }
        }
        Ok(options)
    }
}

/// Formats `vnetlab export` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// ARM-shaped resource JSON (one array), importable again.
    AzureJson,
    /// azurerm HCL for `terraform apply` (its plan JSON imports back).
    Terraform,
    /// A deployable ARM template (`az deployment group create`); it imports back.
    Arm,
    /// Bicep equivalent to the ARM template (`bicep build` gives it back).
    Bicep,
    /// A bash script of az CLI commands that creates the design in order.
    AzCli,
}

/// `vnetlab export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The design file to export.
    pub file: PathBuf,
    /// Output format.
    #[arg(long = "to", value_enum)]
    pub format: ExportFormat,
    /// Output file; standard output when absent.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// `vnetlab diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The design before the change: a design file (.ron), Azure JSON, an ARM template, a Bicep
    /// file, or Terraform plan/state JSON (`terraform show -json`).
    pub before: PathBuf,
    /// The design after the change, in any of the same formats.
    pub after: PathBuf,
    /// A flow to compare: tcp/PORT, udp/PORT, icmp or any (repeatable).
    #[arg(long = "flow", default_value = "tcp/443")]
    pub flows: Vec<String>,
    /// Fail (exit 1) when a pair of SRC → DST flips; endpoint, VNet or site names (repeatable).
    #[arg(long = "protect", value_name = "SRC:DST")]
    pub protect: Vec<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Do not print the import summary of Azure JSON, template or plan input on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// How ARM templates and Bicep files on either side are deployed (the same for both).
    #[command(flatten)]
    pub template: TemplateArgs,
}

/// Shapes `vnetlab gen` can generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenKind {
    /// Hubs with an NVA and a VPN gateway to a site; spokes peered to a hub with UDRs and NSGs.
    HubSpoke,
}

/// `vnetlab gen`.
#[derive(Debug, Args)]
pub struct GenArgs {
    /// What to generate.
    #[arg(value_enum)]
    pub kind: GenKind,
    /// Number of hubs.
    #[arg(long, default_value_t = 1)]
    pub hubs: usize,
    /// Number of spokes (spread over the hubs).
    #[arg(long, default_value_t = 4)]
    pub spokes: usize,
    /// Subnets per spoke.
    #[arg(long, default_value_t = 1)]
    pub subnets: usize,
    /// VMs per subnet.
    #[arg(long, default_value_t = 1)]
    pub vms: usize,
    /// Tiered spokes: a web, app or db NSG and a route table per subnet (a harder workload).
    #[arg(long)]
    pub tiered: bool,
    /// Output file; standard output when absent.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// Evaluation engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineChoice {
    /// Shares work across endpoints that behave alike.
    Fast,
    /// Walks every pair on its own; the yardstick the fast engine is tested against.
    Reference,
}

impl From<EngineChoice> for crate::engine::EngineKind {
    fn from(choice: EngineChoice) -> Self {
        match choice {
            EngineChoice::Fast => crate::engine::EngineKind::Fast,
            EngineChoice::Reference => crate::engine::EngineKind::Reference,
        }
    }
}

/// `vnetlab bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The design to measure.
    pub file: PathBuf,
    /// Evaluation engine.
    #[arg(long, value_enum, default_value_t = EngineChoice::Fast)]
    pub engine: EngineChoice,
    /// Number of random edits to time re-evaluation over, after the kinds of edit.
    #[arg(long, default_value_t = 20)]
    pub edits: usize,
    /// Samples per kind of edit (spoke peering flag, spoke route, NSG rule, hub peering flag);
    /// each pair of samples is an edit and its toggle back.
    #[arg(long, default_value_t = 10)]
    pub samples: usize,
    /// Skip the TUI figures (an edit until the next frame, cursor moves).
    #[arg(long)]
    pub no_tui: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Formats `vnetlab diagram` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagramFormat {
    /// The terminal picture as text, with a legend.
    Text,
    /// A Mermaid flowchart (GitHub, Azure DevOps wikis).
    Mermaid,
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
    /// SVG drawn from vnetlab's own layout.
    Svg,
    /// The reachability matrix as a Markdown table (small designs).
    Markdown,
}

/// Levels of detail of `vnetlab diagram`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ZoomChoice {
    /// VNets only.
    Vnets,
    /// VNets with subnets and their NSG (#) and route-table (→) marks.
    Subnets,
    /// Also VMs and site hosts.
    Vms,
}

/// `vnetlab diagram`.
#[derive(Debug, Args)]
pub struct DiagramArgs {
    /// Design file (.ron) or Azure JSON exports.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiagramFormat::Text)]
    pub format: DiagramFormat,
    /// Draw the request and reply path of this pair, with ✗ at the blocking hop.
    #[arg(long, num_args = 2, value_names = ["SRC", "DST"])]
    pub path: Option<Vec<String>>,
    /// The flow to evaluate: tcp/PORT, udp/PORT, icmp or any.
    #[arg(long, default_value = "tcp/443")]
    pub flow: String,
    /// Switch an assumption, e.g. gov_global_peering=Allowed (repeatable).
    #[arg(long = "assume", value_name = "KEY=VALUE")]
    pub assume: Vec<String>,
    /// Level of detail.
    #[arg(long, value_enum, default_value_t = ZoomChoice::Vnets)]
    pub zoom: ZoomChoice,
    /// The width the picture aims for; boxes shorten their labels with … to fit.
    #[arg(long, default_value_t = 160)]
    pub width: usize,
    /// Show every spoke instead of folding the rest into `+N more` boxes.
    #[arg(long)]
    pub expand: bool,
    /// Draw with ASCII characters only.
    #[arg(long)]
    pub ascii: bool,
}
