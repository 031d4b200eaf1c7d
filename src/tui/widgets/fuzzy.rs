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

#[cfg(test)]
mod tests {
    use super::score;

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
