//! ARM templates and Bicep files at the command line, as a user runs them: `vnetlab import` with
//! `--param`, `--params` and the scope flags, every other command reading a template directly,
//! hostile templates refused with exit 2, and Bicep with the compiler missing (the exact command
//! to run) or present (a fake `bicep` and a fake `az` on a temporary PATH).
#![cfg(all(feature = "cli", feature = "tui"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/templates")
        .join(relative)
}

fn vnetlab() -> Command {
    Command::cargo_bin("vnetlab").unwrap()
}

#[test]
fn import_az104_lab_with_params_then_reach_the_design() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lab05.ron");
    vnetlab()
        .arg("import")
        .arg(fixture("az104-lab05/az104-05-vnetvm-loop-template.json"))
        .arg(fixture("az104-lab05/az104-05-vnetvm-loop-parameters.json"))
        .args(["--param", "location1=eastus", "--param", "location2=westus"])
        .args(["--scope-resource-group", "az104-05-rg1"])
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::starts_with(
            "imported 3 VNets (3 subnets), 0 peerings, 3 NICs as 3 VMs, 3 NSGs",
        ))
        .stderr(predicate::str::contains(
            "template: deployed to subscription `00000000-0000-0000-0000-000000000000`, resource group `az104-05-rg1`, location `eastus`",
        ))
        .stderr(predicate::str::contains("3 placeholders (known only after deployment):"))
        .stderr(predicate::str::contains(
            "NIC `az104-05-nic1` ipconfig1: a dynamic private IP; assumed 10.51.0.4",
        ));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("resource_group: \"az104-05-rg1\""), "{text}");
    vnetlab()
        .arg("reach")
        .arg(&out)
        .args(["--flow", "tcp/3389", "--summary"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "3 endpoints, 6 pairs, 0 reachable, 6 blocked",
        ));
}

#[test]
fn every_command_reads_a_template_directly() {
    let template = fixture("quickstart-vnet-to-vnet-peering/azuredeploy.json");
    vnetlab()
        .arg("check")
        .arg(&template)
        .assert()
        .stderr(predicate::str::contains(
            "imported 2 VNets (2 subnets), 2 peerings",
        ))
        .stderr(predicate::str::contains("template: deployed to"));
    vnetlab()
        .arg("routes")
        .arg(&template)
        .arg("vNet1/subnet1")
        .assert()
        .success()
        .stdout(predicate::str::contains("192.168.0.0/24"))
        .stdout(predicate::str::contains("VNetPeering"));
    let sandbox = fixture("quickstart-hub-and-spoke-sandbox/azuredeploy.json");
    vnetlab()
        .arg("reach")
        .arg(&sandbox)
        .arg("--summary")
        .assert()
        .stdout(predicate::str::contains("1 endpoints").or(predicate::str::contains("1 endpoint")));
}

#[test]
fn a_parameters_file_among_the_inputs_applies_to_the_template_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m01.ron");
    let m01 = |f: &str| fixture(&format!("az700-m01/{f}"));
    vnetlab()
        .arg("import")
        .args([
            m01("template.json"),
            m01("parameters.json"),
            m01("azuredeploy.json"),
            m01("azuredeploy.parameters.json"),
            m01("ManufacturingVMazuredeploy.json"),
            m01("ManufacturingVMazuredeploy.parameters.json"),
        ])
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    vnetlab()
        .arg("trace")
        .arg(&out)
        .args(["ManufacturingVM", "testvm1", "--flow", "tcp/3389"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ROUTE_NONE"));
}

#[test]
fn bad_params_and_hostile_templates_exit_2_with_one_sentence() {
    let template = fixture("quickstart-vnet-to-vnet-peering/azuredeploy.json");
    let dir = tempfile::tempdir().unwrap();
    vnetlab()
        .arg("import")
        .arg(&template)
        .args(["--param", "vnet1Name"])
        .arg("-o")
        .arg(dir.path().join("x.ron"))
        .assert()
        .code(2)
        .stderr("vnetlab import: `vnet1Name` is not NAME=VALUE; write for example --param location=westeurope\n");
    let hostile = dir.path().join("hostile.json");
    std::fs::write(
        &hostile,
        serde_json::json!({
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0",
            "variables": {"a": "[variables('b')]", "b": "[variables('a')]"},
            "resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "x", "name": "[variables('a')]"}]
        })
        .to_string(),
    )
    .unwrap();
    for command in ["import", "check"] {
        let mut cmd = vnetlab();
        cmd.arg(command).arg(&hostile);
        if command == "import" {
            cmd.arg("-o").arg(dir.path().join("h.ron"));
        }
        cmd.assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{}: resource `[variables('a')]` › variable `a` › variable `b`: variable `a` refers to itself",
                hostile.display()
            )))
            .stderr(predicate::str::contains("panicked").not());
    }
    assert!(!dir.path().join("h.ron").exists());
}

fn write_script(dir: &Path, name: &str, body: &str) {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn bicep_without_a_compiler_says_the_command_to_run() {
    let empty = tempfile::tempdir().unwrap();
    let bicep = fixture("quickstart-vnet-to-vnet-peering/main.bicep");
    let json = fixture("quickstart-vnet-to-vnet-peering/main.json");
    vnetlab()
        .env("PATH", empty.path())
        .arg("import")
        .arg(&bicep)
        .arg("-o")
        .arg(empty.path().join("x.ron"))
        .assert()
        .code(2)
        .stderr(format!(
            "vnetlab import: {b}: this is a Bicep file, and neither `bicep` nor `az` is on the PATH to compile it; run \
             `bicep build --stdout {b} > {j}` (or `az bicep build --file {b} --stdout > {j}`) and import {j}\n",
            b = bicep.display(),
            j = json.display()
        ));
}

/// A fake `bicep` that records its arguments and prints the quickstart's compiled template (the
/// JSON the real compiler produced from this very `main.bicep`).
#[cfg(unix)]
#[test]
fn bicep_on_the_path_is_run_and_its_output_imported() {
    let bin = tempfile::tempdir().unwrap();
    let args = bin.path().join("args.txt");
    let compiled = fixture("quickstart-vnet-to-vnet-peering/azuredeploy.json");
    write_script(
        bin.path(),
        "bicep",
        &format!(
            "echo \"$@\" > {}\nexec /bin/cat {}",
            args.display(),
            compiled.display()
        ),
    );
    let bicep = fixture("quickstart-vnet-to-vnet-peering/main.bicep");
    let out = bin.path().join("peering.ron");
    vnetlab()
        .env("PATH", bin.path())
        .arg("import")
        .arg(&bicep)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::starts_with(
            "imported 2 VNets (2 subnets), 2 peerings",
        ));
    assert_eq!(
        std::fs::read_to_string(&args).unwrap().trim(),
        format!("build --stdout {}", bicep.display())
    );
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("name: \"vNet1-vNet2\"")
    );
    // `check` compiles it too: every command reads a Bicep file.
    vnetlab()
        .env("PATH", bin.path())
        .arg("check")
        .arg(&bicep)
        .assert()
        .stderr(predicate::str::contains("imported 2 VNets"));
}

/// Without `bicep` but with `az`, `az bicep build --file FILE --stdout` is used; a compiler
/// error is reported with its first lines and exit 2.
#[cfg(unix)]
#[test]
fn az_bicep_is_the_fallback_and_compiler_errors_are_reported() {
    let bin = tempfile::tempdir().unwrap();
    let args = bin.path().join("args.txt");
    let compiled = fixture("quickstart-vnet-to-vnet-peering/azuredeploy.json");
    write_script(
        bin.path(),
        "az",
        &format!(
            "echo \"$@\" > {}\nexec /bin/cat {}",
            args.display(),
            compiled.display()
        ),
    );
    let bicep = fixture("quickstart-vnet-to-vnet-peering/main.bicep");
    vnetlab()
        .env("PATH", bin.path())
        .arg("import")
        .arg(&bicep)
        .arg("-o")
        .arg(bin.path().join("az.ron"))
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&args).unwrap().trim(),
        format!("bicep build --file {} --stdout", bicep.display())
    );
    write_script(
        bin.path(),
        "bicep",
        "echo 'main.bicep(3,1) : Error BCP007: This declaration type is not recognized.' >&2\nexit 1",
    );
    vnetlab()
        .env("PATH", bin.path())
        .arg("import")
        .arg(&bicep)
        .arg("-o")
        .arg(bin.path().join("bad.ron"))
        .assert()
        .code(2)
        .stderr(format!(
            "vnetlab import: {}: `bicep build --stdout {}` failed: main.bicep(3,1) : Error BCP007: This declaration type is not recognized.\n",
            bicep.display(),
            bicep.display()
        ));
}

#[test]
fn bicep_parameters_files_say_how_to_convert_them() {
    let dir = tempfile::tempdir().unwrap();
    let params = dir.path().join("main.bicepparam");
    std::fs::write(
        &params,
        "using './main.bicep'\nparam location = 'westeurope'\n",
    )
    .unwrap();
    vnetlab()
        .arg("check")
        .arg(&params)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}: Bicep parameters files are not read; run `bicep build-params {} --outfile {}` and give that JSON after its template",
            params.display(),
            params.display(),
            dir.path().join("main.parameters.json").display()
        )));
}

/// A template copied away from its `linked/` folder finds its linked templates again with
/// `--template-dir`; without it each missing one is a named placeholder.
#[test]
fn template_dir_points_at_linked_templates() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("azuredeploy.json");
    std::fs::copy(fixture("dmauser-hub-spoke/azuredeploy.json"), &main).unwrap();
    vnetlab()
        .arg("import")
        .arg(&main)
        .arg("-o")
        .arg(dir.path().join("alone.ron"))
        .assert()
        .success()
        .stderr(predicate::str::starts_with("imported 0 VNets (0 subnets)"))
        .stderr(predicate::str::contains(
            "linked template `https://raw.githubusercontent.com/dmauser/azure-hub-spoke-base-lab/main/linked/vnet-azure.json` was not found in",
        ));
    vnetlab()
        .arg("import")
        .arg(&main)
        .arg("--template-dir")
        .arg(fixture("dmauser-hub-spoke/linked"))
        .arg("-o")
        .arg(dir.path().join("linked.ron"))
        .assert()
        .success()
        .stderr(predicate::str::starts_with(
            "imported 3 VNets (6 subnets), 4 peerings, 3 NICs as 3 VMs",
        ));
}
