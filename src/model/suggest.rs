//! "Did you mean …?" for names a user typed: one rule for every unknown VNet, subnet, region,
//! endpoint or reference, wherever it is reported (validation, the engine's lookups, the CLI).
//!
//! Cost is bounded whatever the input: a candidate whose length differs from the typed name by
//! more than the allowed distance is skipped before any comparison, and a typed name longer than
//! [`MAX_SUGGESTED_LEN`] gets no suggestion at all (no Azure name is that long), so a hostile
//! megabyte-long reference is refused at once instead of being compared with every name.

/// Names longer than this (in characters) are never compared: Azure's longest resource names
/// are 80 characters, so nothing this long is a typo of a real name.
pub const MAX_SUGGESTED_LEN: usize = 128;

/// The known name closest to `wanted`, when it is close enough to be a typo: at most a third of
/// the candidate's length (and at least one) edits away, counting a swap of two neighbouring
/// letters as one edit, and not a wholesale replacement of a very short name.
///
/// ```
/// use vnetlab::model::suggest::closest;
/// assert_eq!(closest("hbu", ["hub", "spoke1"]), Some("hub"));
/// assert_eq!(closest("westeurop", ["westeurope", "eastus"]), Some("westeurope"));
/// assert_eq!(closest("zzzzzz", ["hub"]), None);
/// ```
pub fn closest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_len = wanted.chars().count();
    if wanted_len > MAX_SUGGESTED_LEN {
        return None;
    }
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in known {
        let len = candidate.chars().count();
        let allowed = (len / 3).max(1);
        if len.abs_diff(wanted_len) > allowed || len > MAX_SUGGESTED_LEN {
            continue;
        }
        let distance = strsim::osa_distance(candidate, wanted);
        if distance <= allowed
            && distance < wanted_len
            && best.is_none_or(|(d, k)| (distance, candidate) < (d, k))
        {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, name)| name)
}

/// What to suggest for an unknown name: a close name, or the known names when they are few.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suggestion {
    /// A known name close enough to be what was meant (see [`closest`]).
    Closest(String),
    /// No close name, but only a few are known (at most six): all of them.
    Known(Vec<String>),
}

impl Suggestion {
    /// The suggestion for `wanted` among `known`, if any.
    ///
    /// ```
    /// use vnetlab::model::suggest::Suggestion;
    /// assert_eq!(Suggestion::for_name("vm-x", ["vm-a", "vm-b"]), Some(Suggestion::Closest("vm-a".into())));
    /// assert_eq!(Suggestion::for_name("zzz", ["a1", "b1"]).unwrap().to_string(), "known: a1, b1");
    /// assert_eq!(Suggestion::for_name("zzz", [] as [&str; 0]), None);
    /// ```
    pub fn for_name<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<Self> {
        let known: Vec<&str> = known.into_iter().collect();
        match closest(wanted, known.iter().copied()) {
            Some(name) => Some(Suggestion::Closest(name.to_string())),
            None if !known.is_empty() && known.len() <= 6 => Some(Suggestion::Known(
                known.into_iter().map(str::to_string).collect(),
            )),
            None => None,
        }
    }
}

/// `did you mean `x`?` or `known: a, b`.
impl std::fmt::Display for Suggestion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Suggestion::Closest(name) => write!(f, "did you mean `{name}`?"),
            Suggestion::Known(names) => write!(f, "known: {}", names.join(", ")),
        }
    }
}

/// The suffix of an "unknown name" sentence: `; did you mean `x`?` for a close name, else the
/// list of known names when there are at most six, else nothing (see [`Suggestion`]).
///
/// ```
/// use vnetlab::model::suggest::did_you_mean;
/// assert_eq!(did_you_mean("vm-x", ["vm-a", "vm-b"]), "; did you mean `vm-a`?");
/// assert_eq!(did_you_mean("zzz", ["a1", "b1"]), "; known: a1, b1");
/// ```
pub fn did_you_mean<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    Suggestion::for_name(wanted, known).map_or_else(String::new, |s| format!("; {s}"))
}

/// A user-supplied value shortened for a message: at most [`QUOTE_LEN`] characters, then `…`,
/// so a hostile value is never echoed whole.
///
/// ```
/// use vnetlab::model::suggest::short;
/// assert_eq!(short("hub"), "hub");
/// assert_eq!(short(&"x".repeat(500)).chars().count(), 41);
/// ```
pub fn short(value: &str) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(QUOTE_LEN) {
        Some((cut, _)) => format!("{}…", &value[..cut]).into(),
        None => value.into(),
    }
}

/// How many characters of a user-supplied value a message quotes (see [`short`]).
pub const QUOTE_LEN: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_count_as_one_edit() {
        assert_eq!(closest("defualt", ["default"]), Some("default"));
        assert_eq!(closest("default2", ["default"]), Some("default"));
    }

    #[test]
    fn huge_names_get_no_suggestion_and_no_work() {
        let huge = "a".repeat(1_000_000);
        assert_eq!(closest(&huge, ["a", "aa"]), None);
    }

    #[test]
    fn ties_break_by_name_so_messages_are_stable() {
        assert_eq!(closest("vm-c", ["vm-b", "vm-a"]), Some("vm-a"));
    }
}
