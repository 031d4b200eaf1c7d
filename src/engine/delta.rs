//! Delta: the pairs whose verdict flipped between two analyses, matched by endpoint name so
//! added, removed or reordered endpoints never produce false flips (a pair present in only one
//! analysis did not flip).
//!
//! A pair's verdict depends only on its endpoints' classes, so endpoints are grouped by their
//! (class before, class after) combination and combinations are compared, not the millions of
//! pairs; only flipped pairs are listed.

use super::allpairs::Analysis;
use super::types::{Delta, Verdict};
use std::collections::HashMap;

/// The pairs that became reachable or blocked from `before` to `after`.
pub fn delta(before: &Analysis, after: &Analysis) -> Delta {
    // Endpoints of `after` that also exist in `before`, grouped by class combination.
    let mut combos: HashMap<(u32, u32), usize> = HashMap::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut keys: Vec<(u32, u32)> = Vec::new();
    for (new, endpoint) in after.endpoints().iter().enumerate() {
        let Some(old) = before.index_of(&endpoint.name) else {
            continue;
        };
        let key = (before.class_of()[old], after.class_of()[new]);
        let id = *combos.entry(key).or_insert_with(|| {
            members.push(Vec::new());
            keys.push(key);
            members.len() - 1
        });
        members[id].push(new);
    }
    let mut reachable: Vec<(usize, usize)> = Vec::new();
    let mut blocked: Vec<(usize, usize)> = Vec::new();
    for (a, from) in members.iter().enumerate() {
        for (b, to) in members.iter().enumerate() {
            let was = before.class_verdict(keys[a].0, keys[b].0);
            let is = after.class_verdict(keys[a].1, keys[b].1);
            if was == is {
                continue;
            }
            let list = match is {
                Verdict::Reachable => &mut reachable,
                Verdict::Blocked => &mut blocked,
            };
            list.extend(
                from.iter()
                    .flat_map(|&x| to.iter().filter(move |&&y| y != x).map(move |&y| (x, y))),
            );
        }
    }
    // Sorted by endpoint order (cheap integer sort) before turning indexes into names.
    let names = |mut list: Vec<(usize, usize)>| -> Vec<(String, String)> {
        list.sort_unstable();
        let endpoints = after.endpoints();
        list.into_iter()
            .map(|(x, y)| (endpoints[x].name.clone(), endpoints[y].name.clone()))
            .collect()
    };
    Delta {
        became_reachable: names(reachable),
        became_blocked: names(blocked),
    }
}
