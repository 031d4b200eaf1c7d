//! Counts in words for every text the user reads (CLI summaries, TUI status lines, panes): one
//! helper, so `1 endpoint`, `1 rule`, `1 VM` are right everywhere. Costs one `format!`.

/// `1 pair`, `2 pairs`, `0 pairs`: the count with its noun in the right number (`many` for
/// anything but one; English nouns are irregular enough to spell both).
///
/// ```
/// assert_eq!(vnetlab::words::count(1, "VM", "VMs"), "1 VM");
/// assert_eq!(vnetlab::words::count(0, "match", "matches"), "0 matches");
/// ```
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", noun(n, one, many))
}

/// The noun alone in the number that suits `n`.
pub fn noun<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
