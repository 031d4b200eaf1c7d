//! Fuzzy matching for the command palette: the query's characters must appear in order; runs of
//! consecutive matches and matches at word starts score higher.

/// The score of `query` against `text` (higher is better), or `None` when it does not match.
///
/// An empty query matches everything with score 0.
pub fn score(query: &str, text: &str) -> Option<i64> {
    let text: Vec<char> = text.to_lowercase().chars().collect();
    let mut score = 0i64;
    let mut at = 0usize;
    let mut previous: Option<usize> = None;
    for wanted in query.to_lowercase().chars().filter(|c| !c.is_whitespace()) {
        let found = (at..text.len()).find(|i| text[*i] == wanted)?;
        score += 1;
        if previous.is_some_and(|p| p + 1 == found) {
            score += 5;
        }
        if found == 0 || !text[found - 1].is_alphanumeric() {
            score += 3;
        }
        score -= (found - at) as i64 / 4;
        previous = Some(found);
        at = found + 1;
    }
    Some(score)
}

/// How much more `text` deserves for holding `query` whole: most when a word of it starts with
/// the query (`rev` in "create the *rev*erse peering"), less when the query is inside a word, and
/// nothing for a scattered subsequence, so exact words rank above lucky letter runs.
pub fn word_bonus(query: &str, text: &str) -> i64 {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return 0;
    }
    let text = text.to_lowercase();
    if text
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word.starts_with(&query))
    {
        100
    } else if text.contains(&query) {
        50
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::{score, word_bonus};

    #[test]
    fn whole_words_earn_a_bonus() {
        assert_eq!(word_bonus("rev", "create the reverse peering"), 100);
        assert_eq!(word_bonus("rev", "previous pane"), 50);
        assert_eq!(word_bonus("rvp", "create the reverse peering"), 0);
    }

    #[test]
    fn subsequences_match_and_tight_matches_win() {
        assert!(score("rvp", "create the reverse peering").is_some());
        assert!(score("xyz", "create the reverse peering").is_none());
        let tight = score("undo", "undo").unwrap();
        let loose = score("undo", "u nd o").unwrap();
        assert!(tight > loose);
        assert_eq!(score("", "anything"), Some(0));
    }
}
