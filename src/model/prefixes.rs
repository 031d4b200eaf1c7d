//! Overlap and containment queries over many IPv4 prefixes without comparing every pair, so
//! that the checks over a VNet's address space and subnets stay fast on hostile sizes (40,000
//! subnets, a million prefixes in one VNet).
//!
//! Two CIDR prefixes overlap exactly when one contains the other, so the prefixes overlapping a
//! query are its supernets (at most 33 exact lookups in a hash map keyed by network and length)
//! and the prefixes whose network address lies inside the query (a range of the prefixes sorted
//! by network address). A segment tree over that sorted order gives the earliest position in the
//! range, so every answer is the *first* prefix in the caller's order, as a scan in order would
//! find it, and messages stay the same as with the all-pairs scan they replace.
//!
//! Cost: building is O(n log n) time and O(n) memory; a query is O(log n) plus one hash lookup
//! per distinct prefix length present (at most 33).

use ipnet::Ipv4Net;
use std::collections::HashMap;

/// The prefixes of a list, indexed for "which is the first that overlaps (or covers) this?".
///
/// ```
/// use vnetlab::model::PrefixIndex;
/// let list: Vec<ipnet::Ipv4Net> = ["10.0.0.0/16", "10.1.0.0/24", "10.1.0.0/16"]
///     .iter().map(|p| p.parse().unwrap()).collect();
/// let index = PrefixIndex::new(&list);
/// assert_eq!(index.first_overlapping(&"10.1.0.128/25".parse().unwrap()), Some(1));
/// assert_eq!(index.first_covering(&"10.1.0.128/25".parse().unwrap()), Some(1));
/// assert_eq!(index.first_covering(&"10.1.0.0/15".parse().unwrap()), None);
/// assert_eq!(index.first_overlapping(&"10.1.0.0/15".parse().unwrap()), Some(0)); // 10.0.0.0/15
/// assert_eq!(index.first_overlapping(&"192.168.0.0/16".parse().unwrap()), None);
/// ```
#[derive(Debug, Clone)]
pub struct PrefixIndex {
    /// The earliest position of each prefix, by (network address, length).
    first: HashMap<(u32, u8), usize>,
    /// Which prefix lengths occur (bit `len`), so supernet lookups skip absent lengths.
    lengths: u64,
    /// Network addresses, sorted.
    starts: Vec<u32>,
    /// Segment tree over the sorted order: the minimum position in each node's range. Leaves
    /// are at `starts.len() + i`.
    tree: Vec<usize>,
}

fn network(prefix: &Ipv4Net) -> u32 {
    u32::from(prefix.network())
}

fn broadcast(prefix: &Ipv4Net) -> u32 {
    u32::from(prefix.broadcast())
}

/// The network mask of a prefix length, as bits (`0` for `/0`; lengths past 32 count as 32):
/// the one mask helper the model's and the engine's lookup tables share.
pub(crate) fn mask(len: u8) -> u32 {
    u32::MAX
        .checked_shl(32u32.saturating_sub(u32::from(len)))
        .unwrap_or(0)
}

/// The network address of `address` in a prefix of length `len`.
fn truncate(address: u32, len: u8) -> u32 {
    address & mask(len)
}

impl PrefixIndex {
    /// Indexes `prefixes`; positions in answers are positions in this slice.
    pub fn new(prefixes: &[Ipv4Net]) -> Self {
        let mut first = HashMap::with_capacity(prefixes.len());
        let mut lengths = 0u64;
        for (position, prefix) in prefixes.iter().enumerate() {
            first
                .entry((network(prefix), prefix.prefix_len()))
                .or_insert(position);
            lengths |= 1u64 << prefix.prefix_len();
        }
        let mut order: Vec<usize> = (0..prefixes.len()).collect();
        order.sort_by_key(|&i| (network(&prefixes[i]), i));
        let n = order.len();
        let mut tree = vec![usize::MAX; 2 * n];
        for (slot, &position) in order.iter().enumerate() {
            tree[n + slot] = position;
        }
        for node in (1..n).rev() {
            tree[node] = tree[2 * node].min(tree[2 * node + 1]);
        }
        PrefixIndex {
            first,
            lengths,
            starts: order.iter().map(|&i| network(&prefixes[i])).collect(),
            tree,
        }
    }

    /// The smallest position among sorted slots `from..to`.
    fn min_position(&self, from: usize, to: usize) -> Option<usize> {
        let n = self.starts.len();
        let (mut low, mut high) = (from + n, to + n);
        let mut best = usize::MAX;
        while low < high {
            if low % 2 == 1 {
                best = best.min(self.tree[low]);
                low += 1;
            }
            if high % 2 == 1 {
                high -= 1;
                best = best.min(self.tree[high]);
            }
            low /= 2;
            high /= 2;
        }
        (best != usize::MAX).then_some(best)
    }

    /// The first position (in the indexed order) of a prefix that contains `query` or equals it.
    pub fn first_covering(&self, query: &Ipv4Net) -> Option<usize> {
        let address = network(query);
        (0..=query.prefix_len())
            .filter(|len| self.lengths & (1u64 << len) != 0)
            .filter_map(|len| self.first.get(&(truncate(address, len), len)).copied())
            .min()
    }

    /// The first position (in the indexed order) of a prefix that shares an address with
    /// `query`.
    pub fn first_overlapping(&self, query: &Ipv4Net) -> Option<usize> {
        let (low, high) = (network(query), broadcast(query));
        let from = self.starts.partition_point(|&start| start < low);
        let to = self.starts.partition_point(|&start| start <= high);
        let inside = self.min_position(from, to);
        let around = self.first_covering(query);
        match (inside, around) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// For each prefix of `prefixes`, the position of the first earlier one that overlaps it, as
/// `prefixes[..i].iter().position(|p| overlaps(p, &prefixes[i]))` would find it, in
/// O(n log n) rather than O(n²).
///
/// ```
/// use vnetlab::model::prefixes::first_earlier_overlaps;
/// let list: Vec<ipnet::Ipv4Net> = ["10.0.0.0/24", "10.0.1.0/24", "10.0.0.0/16", "10.0.1.0/25"]
///     .iter().map(|p| p.parse().unwrap()).collect();
/// assert_eq!(first_earlier_overlaps(&list), [None, None, Some(0), Some(1)]);
/// ```
pub fn first_earlier_overlaps(prefixes: &[Ipv4Net]) -> Vec<Option<usize>> {
    let index = PrefixIndex::new(prefixes);
    prefixes
        .iter()
        .enumerate()
        .map(|(i, prefix)| index.first_overlapping(prefix).filter(|&j| j < i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::overlaps;

    fn nets(list: &[&str]) -> Vec<Ipv4Net> {
        list.iter().map(|p| p.parse().unwrap()).collect()
    }

    #[test]
    fn answers_match_the_all_pairs_scan() {
        // A deterministic mix of nested, equal, disjoint and host-bit prefixes.
        let mut list = Vec::new();
        let mut seed = 12345u32;
        for _ in 0..400 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let len = (seed >> 8) % 33;
            let address = (10 << 24) | ((seed >> 3) & 0x00ff_ffff);
            let len = u8::try_from(len.max(8)).unwrap();
            list.push(Ipv4Net::new(address.into(), len).unwrap());
        }
        let index = PrefixIndex::new(&list);
        for (i, query) in list.iter().enumerate() {
            let scan = list.iter().position(|p| overlaps(p, query));
            assert_eq!(index.first_overlapping(query), scan, "{query}");
            let covering = list.iter().position(|p| p.contains(query));
            assert_eq!(index.first_covering(query), covering, "{query}");
            let earlier = list[..i].iter().position(|p| overlaps(p, query));
            assert_eq!(first_earlier_overlaps(&list)[i], earlier, "{query}");
        }
    }

    #[test]
    fn the_whole_space_and_empty_lists() {
        let list = nets(&["0.0.0.0/0"]);
        let index = PrefixIndex::new(&list);
        assert_eq!(
            index.first_covering(&"10.0.0.0/8".parse().unwrap()),
            Some(0)
        );
        assert_eq!(
            index.first_overlapping(&"255.255.255.255/32".parse().unwrap()),
            Some(0)
        );
        let empty = PrefixIndex::new(&[]);
        assert_eq!(
            empty.first_overlapping(&"10.0.0.0/8".parse().unwrap()),
            None
        );
        assert!(first_earlier_overlaps(&[]).is_empty());
    }
}
