//! Text helpers the commands share: counts with the right plural, names cut to a column with
//! `…`, and padding that never hands `format!` a width it cannot take (a name of 65,536
//! characters made `{:<width$}` panic; issue 15). Widths are counted in characters.

use std::borrow::Cow;

/// The widest a padded column gets; longer names are cut with `…`.
pub(super) const MAX_COLUMN: usize = 48;

/// `1 pair`, `2 pairs`: the count with the noun in the right number (`many` for anything but 1).
pub(super) fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n: u64 = n.into();
    format!(
        "{n} {}",
        crate::words::noun(usize::try_from(n).unwrap_or(usize::MAX), one, many)
    )
}

/// `text`, cut to at most `max` characters with a final `…` when it is longer.
///
/// ```ignore
/// assert_eq!(fit("spoke-with-a-long-name", 8), "spoke-w…");
/// ```
pub(super) fn fit(text: &str, max: usize) -> Cow<'_, str> {
    if text.chars().count() <= max {
        return Cow::Borrowed(text);
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    Cow::Owned(format!("{kept}…"))
}

/// Which side of a column the text keeps to.
#[derive(Clone, Copy)]
pub(super) enum Align {
    Left,
    Right,
}

/// `text` cut to `width` (itself at most [`MAX_COLUMN`]) and padded with spaces to it.
pub(super) fn pad(text: &str, width: usize, align: Align) -> String {
    let width = width.min(MAX_COLUMN);
    let shown = fit(text, width);
    let fill = " ".repeat(width.saturating_sub(shown.chars().count()));
    match align {
        Align::Left => format!("{shown}{fill}"),
        Align::Right => format!("{fill}{shown}"),
    }
}

/// The width of a column holding `texts`: the widest, at most [`MAX_COLUMN`].
pub(super) fn width<'a>(texts: impl IntoIterator<Item = &'a str>) -> usize {
    texts
        .into_iter()
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(0)
        .min(MAX_COLUMN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_and_short_ones_padded() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        assert_eq!(pad("ab", 4, Align::Right), "  ab");
        assert_eq!(pad("ab", 4, Align::Left), "ab  ");
        let huge = "x".repeat(70_000);
        let padded = pad(&huge, 70_000, Align::Left);
        assert_eq!(padded.chars().count(), MAX_COLUMN);
        assert!(padded.ends_with('…'));
        assert_eq!(width([huge.as_str(), "a"]), MAX_COLUMN);
        assert_eq!(count(1u64, "pair", "pairs"), "1 pair");
        assert_eq!(count(0u64, "pair", "pairs"), "0 pairs");
    }
}
