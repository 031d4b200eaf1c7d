//! Longest-prefix lookup in a route context's active rows.
//!
//! Small tables are scanned, longest prefix first. A large table (a hub's, with a route per
//! spoke) is flattened once, when the context is built, into the ranges of addresses that share
//! one winning row: CIDR prefixes are nested or disjoint, so the address space splits into at
//! most 2·n + 1 ranges, each won by the longest prefix covering it. A lookup is then one binary
//! search over the ranges' first addresses (4 bytes each), where a search per prefix length
//! took one search per length longer than the winner's. Cost: building is a sort of the
//! prefixes and one sweep; memory is 8 bytes per range.

use crate::engine::ix::RowIx;
use crate::engine::prefixes::mask;
use std::net::Ipv4Addr;

/// Tables with at most this many active routes are scanned linearly (faster than searching).
const SCAN_LIMIT: usize = 24;

/// Marks a range no active row covers.
const NO_ROW: u32 = u32::MAX;

/// The active rows of one context, ready for longest-prefix lookups.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Lookup {
    /// Active rows as (network, mask, row), longest prefix first (small tables only).
    scan: Vec<(u32, u32, RowIx)>,
    /// Large tables: the first address of each range, ascending; the first is 0.
    starts: Vec<u32>,
    /// Large tables: each range's winning row (`NO_ROW`: none).
    winners: Vec<u32>,
}

impl Lookup {
    /// The lookup over `prefixes`, given as (network, prefix length, row) with one row per
    /// distinct prefix; networks have no host bits set.
    pub fn new(mut prefixes: Vec<(u32, u8, RowIx)>) -> Self {
        if prefixes.len() <= SCAN_LIMIT {
            let mut scan: Vec<(u32, u32, RowIx)> = prefixes
                .into_iter()
                .map(|(net, len, row)| (net, mask(len), row))
                .collect();
            scan.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            return Lookup {
                scan,
                ..Lookup::default()
            };
        }
        // Outer prefixes before the prefixes they contain.
        prefixes.sort_unstable_by_key(|&(net, len, _)| (net, len));
        let mut ranges = Ranges::default();
        // Prefixes containing the sweep's position, outermost first, with their ends.
        let mut open: Vec<(u64, u32)> = Vec::new();
        for (net, len, row) in prefixes {
            let start = u64::from(net);
            ranges.close_until(&mut open, start);
            ranges.mark(start, row_id(row));
            open.push((start + (1u64 << (32 - u32::from(len.min(32)))), row_id(row)));
        }
        ranges.close_until(&mut open, u64::MAX);
        Lookup {
            scan: Vec::new(),
            starts: ranges.starts,
            winners: ranges.winners,
        }
    }

    /// The active row with the longest prefix holding `ip`.
    pub fn row_for(&self, ip: Ipv4Addr) -> Option<RowIx> {
        let bits = u32::from(ip);
        if self.starts.is_empty() {
            return self
                .scan
                .iter()
                .find(|(net, mask, _)| bits & mask == *net)
                .map(|(_, _, row)| *row);
        }
        // `starts[0]` is 0, so at least one range starts at or before `bits`.
        let range = self.starts.partition_point(|&s| s <= bits) - 1;
        match self.winners[range] {
            NO_ROW => None,
            row => Some(RowIx::from(row as usize)),
        }
    }
}

/// A row's index as stored in a range (tables never hold 2^32 rows).
fn row_id(row: RowIx) -> u32 {
    u32::try_from(usize::from(row)).unwrap_or(NO_ROW - 1)
}

/// The ranges as the sweep writes them.
struct Ranges {
    starts: Vec<u32>,
    winners: Vec<u32>,
}

impl Default for Ranges {
    fn default() -> Self {
        Ranges {
            starts: vec![0],
            winners: vec![NO_ROW],
        }
    }
}

impl Ranges {
    /// From address `at` on, `winner` wins (until the next mark). Addresses past the space
    /// are ignored; a mark where a range starts replaces its winner; a range won by the same
    /// row as the one before it is not started.
    fn mark(&mut self, at: u64, winner: u32) {
        let Ok(at) = u32::try_from(at) else {
            return;
        };
        let last = self.starts.len() - 1;
        if self.starts[last] == at {
            self.winners[last] = winner;
            if last > 0 && self.winners[last - 1] == winner {
                self.starts.pop();
                self.winners.pop();
            }
        } else if self.winners[last] != winner {
            self.starts.push(at);
            self.winners.push(winner);
        }
    }

    /// Closes the open prefixes that end at or before `position`: past each one's end, the
    /// prefix around it wins again (or none).
    fn close_until(&mut self, open: &mut Vec<(u64, u32)>, position: u64) {
        while let Some(&(end, _)) = open.last() {
            if end > position {
                break;
            }
            open.pop();
            let outer = open.last().map_or(NO_ROW, |&(_, row)| row);
            self.mark(end, outer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The longest prefix holding `ip`, by brute force.
    fn longest(prefixes: &[(u32, u8, RowIx)], ip: u32) -> Option<RowIx> {
        prefixes
            .iter()
            .filter(|(net, len, _)| ip & mask(*len) == *net)
            .max_by_key(|(_, len, _)| *len)
            .map(|(_, _, row)| *row)
    }

    /// Distinct prefixes (network, length, row), rows numbered in order.
    fn distinct(raw: Vec<(u32, u8)>) -> Vec<(u32, u8, RowIx)> {
        let mut seen = std::collections::HashSet::new();
        raw.into_iter()
            .map(|(ip, len)| (ip & mask(len), len))
            .filter(|p| seen.insert(*p))
            .enumerate()
            .map(|(i, (net, len))| (net, len, RowIx::from(i)))
            .collect()
    }

    /// Every address where the answer can change: each prefix's first and last address and
    /// their neighbours, and the ends of the space.
    fn edges(prefixes: &[(u32, u8, RowIx)]) -> Vec<u32> {
        let mut ips = vec![0, u32::MAX];
        for &(net, len, _) in prefixes {
            let last = net | !mask(len);
            ips.extend([
                net,
                net.wrapping_sub(1),
                net.wrapping_add(1),
                last,
                last.wrapping_add(1),
            ]);
        }
        ips
    }

    #[test]
    fn a_hub_table_answers_like_a_search_per_length() {
        // A default route, the private ranges, the hub's space, 100 spokes' /18s, two /9 UDRs
        // and a /32: more than the scan limit, so the ranges answer.
        let mut raw = vec![
            (0, 0),
            (0x0A00_0000, 8),
            (0xAC10_0000, 12),
            (0x0A00_0000, 18),
            (0x0A00_0000, 9),
            (0x0A80_0000, 9),
            (0x0A00_0104, 32),
        ];
        raw.extend((1..=100u32).map(|i| (0x0A00_0000 + (i << 14), 18)));
        let prefixes = distinct(raw);
        let lookup = Lookup::new(prefixes.clone());
        assert!(!lookup.starts.is_empty(), "a large table is flattened");
        for ip in edges(&prefixes) {
            assert_eq!(
                lookup.row_for(Ipv4Addr::from(ip)),
                longest(&prefixes, ip),
                "at {}",
                Ipv4Addr::from(ip)
            );
        }
    }

    #[test]
    fn addresses_no_prefix_holds_have_no_row() {
        let prefixes = distinct((0..30u32).map(|i| (0x0A00_0000 + (i << 8), 24)).collect());
        let lookup = Lookup::new(prefixes);
        assert_eq!(lookup.row_for(Ipv4Addr::new(9, 255, 255, 255)), None);
        assert_eq!(lookup.row_for(Ipv4Addr::new(10, 0, 30, 0)), None);
        assert_eq!(lookup.row_for(Ipv4Addr::new(255, 255, 255, 255)), None);
        assert_eq!(
            lookup.row_for(Ipv4Addr::new(10, 0, 29, 255)),
            Some(RowIx::from(29))
        );
    }

    #[test]
    fn a_table_with_no_rows_finds_nothing() {
        assert_eq!(Lookup::new(Vec::new()).row_for(Ipv4Addr::UNSPECIFIED), None);
    }

    proptest! {
        /// Scanned and flattened tables alike find the longest prefix holding any address,
        /// including every address where a prefix starts or ends.
        #[test]
        fn the_row_found_holds_the_longest_prefix(
            raw in proptest::collection::vec((any::<u32>(), 0u8..=32), 0..80),
            probes in proptest::collection::vec(any::<u32>(), 0..40),
        ) {
            let prefixes = distinct(raw);
            let lookup = Lookup::new(prefixes.clone());
            for ip in edges(&prefixes).into_iter().chain(probes) {
                prop_assert_eq!(lookup.row_for(Ipv4Addr::from(ip)), longest(&prefixes, ip));
            }
        }

        /// Nested prefixes sharing networks (the hard case for the sweep) answer the same.
        #[test]
        fn nested_prefixes_answer_like_a_search(
            lens in proptest::collection::vec(0u8..=32, 25..60),
            base in any::<u32>(),
        ) {
            let raw = lens.iter().flat_map(|&len| [(base, len), (!base, len)]).collect();
            let prefixes = distinct(raw);
            let lookup = Lookup::new(prefixes.clone());
            for ip in edges(&prefixes) {
                prop_assert_eq!(lookup.row_for(Ipv4Addr::from(ip)), longest(&prefixes, ip));
            }
        }
    }
}
