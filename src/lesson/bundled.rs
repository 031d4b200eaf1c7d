//! The lessons shipped in the binary: every file of `assets/lessons/` (lessons at the top,
//! designs they refer to under `designs/`), embedded with `include_str!`. A test checks that
//! the list below matches the folder, and `vnetlab lesson check` (a test too) that every lesson
//! is sound.

use super::{Lesson, Resolved, parse_lesson};
use crate::io::LoadError;

/// Every embedded file: its path relative to `assets/lessons/`, and its text. Lessons (the
/// top-level files) are in teaching order.
pub const FILES: &[(&str, &str)] = &[
    (
        "01-first-peering.ron",
        include_str!("../../assets/lessons/01-first-peering.ron"),
    ),
    (
        "02-one-sided-peering.ron",
        include_str!("../../assets/lessons/02-one-sided-peering.ron"),
    ),
    (
        "03-disconnected-peering.ron",
        include_str!("../../assets/lessons/03-disconnected-peering.ron"),
    ),
    (
        "04-global-peering.ron",
        include_str!("../../assets/lessons/04-global-peering.ron"),
    ),
    (
        "05-government-cloud.ron",
        include_str!("../../assets/lessons/05-government-cloud.ron"),
    ),
    (
        "06-non-transitive.ron",
        include_str!("../../assets/lessons/06-non-transitive.ron"),
    ),
    (
        "07-hub-spoke-nva.ron",
        include_str!("../../assets/lessons/07-hub-spoke-nva.ron"),
    ),
    (
        "08-udr-to-vpn-gateway.ron",
        include_str!("../../assets/lessons/08-udr-to-vpn-gateway.ron"),
    ),
    (
        "09-gateway-transit.ron",
        include_str!("../../assets/lessons/09-gateway-transit.ron"),
    ),
    (
        "10-site-to-site-and-p2s.ron",
        include_str!("../../assets/lessons/10-site-to-site-and-p2s.ron"),
    ),
    (
        "11-nsg-between-peers.ron",
        include_str!("../../assets/lessons/11-nsg-between-peers.ron"),
    ),
    (
        "12-peering-permissions.ron",
        include_str!("../../assets/lessons/12-peering-permissions.ron"),
    ),
    (
        "13-classic-peering.ron",
        include_str!("../../assets/lessons/13-classic-peering.ron"),
    ),
    (
        "14-address-space-sync.ron",
        include_str!("../../assets/lessons/14-address-space-sync.ron"),
    ),
    (
        "15-troubleshoot-hub.ron",
        include_str!("../../assets/lessons/15-troubleshoot-hub.ron"),
    ),
    (
        "16-troubleshoot-branch.ron",
        include_str!("../../assets/lessons/16-troubleshoot-branch.ron"),
    ),
];

/// The embedded lesson files: `(name, text)`, in teaching order.
pub fn lesson_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    FILES
        .iter()
        .copied()
        .filter(|(name, _)| !name.contains('/'))
}

/// Reads a design an embedded lesson refers to, relative to `assets/lessons/`.
pub fn resolve(name: &str) -> Result<Resolved, String> {
    let wanted = name.trim_start_matches("./");
    FILES
        .iter()
        .find(|(path, _)| *path == wanted)
        .map(|(path, text)| Resolved {
            shown: format!("bundled:{path}"),
            text: (*text).to_string(),
        })
        .ok_or_else(|| "no such file among the bundled lessons".to_string())
}

/// Parses every embedded lesson, in teaching order (an error is a build defect; tests check
/// there is none).
pub fn load() -> Vec<Result<Lesson, LoadError>> {
    lesson_files()
        .map(|(name, text)| parse_lesson(text, &format!("bundled:{name}"), &resolve))
        .collect()
}

/// The embedded lessons that load, in teaching order.
pub fn lessons() -> Vec<Lesson> {
    load().into_iter().filter_map(Result::ok).collect()
}

/// The embedded lesson with this id.
pub fn lesson(id: &str) -> Option<Lesson> {
    lessons().into_iter().find(|l| l.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_lesson_loads() {
        for loaded in load() {
            if let Err(e) = loaded {
                panic!("{e}");
            }
        }
    }
}
