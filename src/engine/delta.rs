//! Delta: the pairs whose verdict flipped between two analyses, matched by endpoint name so
//! added, removed or reordered endpoints never produce false flips (a pair present in only one
//! analysis did not flip).

use super::allpairs::Analysis;
use super::types::{Delta, Verdict};

/// The pairs that became reachable or blocked from `before` to `after`.
pub fn delta(before: &Analysis, after: &Analysis) -> Delta {
    let mut out = Delta::default();
    let same_order = before.endpoints().len() == after.endpoints().len()
        && before
            .endpoints()
            .iter()
            .zip(after.endpoints())
            .all(|(a, b)| a.name == b.name);
    // Map each endpoint of `after` to its index in `before`.
    let old_index: Vec<Option<usize>> = if same_order {
        (0..after.endpoints().len()).map(Some).collect()
    } else {
        after.endpoints().iter().map(|e| before.index_of(&e.name)).collect()
    };
    for (to_new, to_old) in old_index.iter().enumerate() {
        let Some(to_old) = *to_old else { continue };
        for (from_new, from_old) in old_index.iter().enumerate() {
            let Some(from_old) = *from_old else { continue };
            if from_new == to_new {
                continue;
            }
            let was = before.verdict(from_old, to_old);
            let is = after.verdict(from_new, to_new);
            if was == is {
                continue;
            }
            let pair = (
                after.endpoints()[from_new].name.clone(),
                after.endpoints()[to_new].name.clone(),
            );
            match is {
                Verdict::Reachable => out.became_reachable.push(pair),
                Verdict::Blocked => out.became_blocked.push(pair),
            }
        }
    }
    out.became_reachable.sort();
    out.became_blocked.sort();
    out
}
