//! [`HashIndex`]: the hash index behind hash-consing, from a node's hash to the dense id under
//! which the node is stored.
//!
//! Hash-consing 10^6 nodes is memory-bound: every lookup of a new node lands on a random place
//! of a table larger than the caches. A general hash table (`hashbrown`) keeps control bytes and
//! entries in two arrays (two cache misses per insertion) and re-hashes every node when it
//! grows (a third miss, into the node storage). This index keeps one `u64` per slot — the id and
//! 32 bits of the node's hash side by side — in one open-addressing array with linear probing,
//! at most 5/8 full. So a lookup or an insertion touches one cache line (plus the stored node
//! when the 32 hash bits agree, which for a new node is rare), and growing reads only the table.
//!
//! The nodes themselves live elsewhere (the caller's vector); the index compares candidates
//! through a closure.

/// An index from nodes (by hash) to `u32` ids, for hash-consing (see the [module
/// docs](crate::hash_index)). The caller stores the nodes and decides equality.
///
/// ```
/// use symdiff_expr::HashIndex;
/// let words = ["sin", "cos", "sin"];
/// let mut stored: Vec<&str> = Vec::new();
/// let mut index = HashIndex::default();
/// let hash = |w: &str| w.bytes().fold(0u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
/// let ids: Vec<u32> = words
///     .iter()
///     .map(|&w| {
///         let next = stored.len() as u32;
///         let id = index.find_or_insert(hash(w), next, |i| stored[i as usize] == w);
///         if id == next {
///             stored.push(w);
///         }
///         id
///     })
///     .collect();
/// assert_eq!(ids, [0, 1, 0]);
/// assert_eq!((index.len(), stored.len()), (2, 2));
/// ```
#[derive(Debug, Clone, Default)]
pub struct HashIndex {
    /// `0` is an empty slot; otherwise the high 32 bits are [`tag`] of the hash (never 0) and
    /// the low 32 bits the id. A slot's home is `tag & mask`.
    slots: Vec<u64>,
    len: usize,
}

/// The 32 bits of a hash an index keeps (the high half, whose top bit is forced so that no
/// occupied slot is `0`).
fn tag(hash: u64) -> u32 {
    ((hash >> 32) as u32) | 0x8000_0000
}

/// The table size (a power of two, at least 8) that holds `ids` ids at most [`MAX_LOAD`] full.
fn slots_for(ids: usize) -> usize {
    (ids * MAX_LOAD.1)
        .div_ceil(MAX_LOAD.0)
        .next_power_of_two()
        .max(8)
}

/// The largest fraction of the slots in use (numerator, denominator): 5/8. Linear probing stays
/// short there (about 4 slots for a miss, within one or two cache lines), and a table of
/// 2.1·10^6 ids (a 10^6-node gradient's DAG) fits 2^22 slots instead of 2^23 at one half: half
/// the memory for the random accesses of hash-consing to miss in.
const MAX_LOAD: (usize, usize) = (5, 8);

/// The slot where probing for `tag` starts, in a table of `len` slots (a power of two).
fn home(tag: u32, len: usize) -> usize {
    (tag as usize ^ (tag as usize >> 17)) & (len - 1)
}

impl HashIndex {
    /// An index with room for `capacity` ids before it grows.
    ///
    /// ```
    /// let index = symdiff_expr::HashIndex::with_capacity(1000);
    /// assert!(index.is_empty());
    /// ```
    pub fn with_capacity(capacity: usize) -> HashIndex {
        let slots = slots_for(capacity.max(4));
        HashIndex {
            slots: vec![0; slots],
            len: 0,
        }
    }

    /// How many ids the index holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the index holds no id.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The id of a stored node with this `hash` for which `is(id)` holds, if any.
    ///
    /// ```
    /// let mut index = symdiff_expr::HashIndex::default();
    /// assert_eq!(index.find(42, |_| true), None);
    /// assert_eq!(index.find_or_insert(42, 7, |_| false), 7);
    /// assert_eq!(index.find(42, |id| id == 7), Some(7));
    /// ```
    pub fn find(&self, hash: u64, is: impl FnMut(u32) -> bool) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        self.probe(tag(hash), is).ok()
    }

    /// The probe sequence of `tag`: `Ok(id)` for the first stored id with this tag for which
    /// `is(id)` holds, or `Err(slot)`, the first empty slot (the table is never full).
    #[inline]
    fn probe(&self, tag: u32, mut is: impl FnMut(u32) -> bool) -> Result<u32, usize> {
        let mask = self.slots.len() - 1;
        let mut i = home(tag, self.slots.len());
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return Err(i);
            }
            if (slot >> 32) as u32 == tag && is(slot as u32) {
                return Ok(slot as u32);
            }
            i = (i + 1) & mask;
        }
    }

    /// The id of a stored node with this `hash` for which `is(id)` holds; if there is none,
    /// records `new_id` under `hash` and returns it (the caller then stores the node as
    /// `new_id`). One probe sequence either way.
    ///
    /// ```
    /// let mut index = symdiff_expr::HashIndex::default();
    /// assert_eq!(index.find_or_insert(5, 0, |_| false), 0);
    /// assert_eq!(index.find_or_insert(5, 1, |id| id == 0), 0);
    /// assert_eq!(index.len(), 1);
    /// ```
    pub fn find_or_insert(&mut self, hash: u64, new_id: u32, is: impl FnMut(u32) -> bool) -> u32 {
        self.reserve_one();
        let tag = tag(hash);
        match self.probe(tag, is) {
            Ok(id) => id,
            Err(empty) => {
                self.slots[empty] = u64::from(tag) << 32 | u64::from(new_id);
                self.len += 1;
                new_id
            }
        }
    }

    /// Records `id` under `hash`, which the caller knows is not stored yet (no comparison).
    ///
    /// ```
    /// let mut index = symdiff_expr::HashIndex::default();
    /// index.insert_unique(9, 3);
    /// assert_eq!(index.find(9, |id| id == 3), Some(3));
    /// ```
    pub fn insert_unique(&mut self, hash: u64, id: u32) {
        self.reserve_one();
        Self::place(&mut self.slots, u64::from(tag(hash)) << 32 | u64::from(id));
        self.len += 1;
    }

    /// Records many ids at once, each under its hash, when the caller knows that their nodes
    /// are distinct from each other and from every id already stored (no comparison), as when
    /// indexing a DAG that is already hash-consed.
    ///
    /// The entries are placed in the order of their home slots (a radix sort, linear), so the
    /// table is written almost sequentially instead of at one random place per id: for 10^6
    /// ids this replaces 10^6 cache misses by a few passes over memory.
    ///
    /// ```
    /// let mut index = symdiff_expr::HashIndex::default();
    /// index.extend_unique((0..1000u32).map(|id| (u64::from(id).wrapping_mul(0x9E37_79B9_7F4A_7C15), id)));
    /// assert_eq!(index.len(), 1000);
    /// let hash = 7u64.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    /// assert_eq!(index.find(hash, |id| id == 7), Some(7));
    /// ```
    pub fn extend_unique(&mut self, entries: impl IntoIterator<Item = (u64, u32)>) {
        let entries = entries.into_iter();
        self.reserve(entries.size_hint().0);
        let mut slots: Vec<u64> = entries
            .map(|(hash, id)| u64::from(tag(hash)) << 32 | u64::from(id))
            .collect();
        self.reserve(slots.len());
        let len = self.slots.len();
        let key = |slot: u64| home((slot >> 32) as u32, len);
        radix_sort_by_key(&mut slots, len.trailing_zeros(), key);
        // Placing entries in ascending home order keeps the linear-probing invariant (every
        // slot between an entry's home and its place is occupied) with a forward cursor.
        let mut cursor = 0;
        for slot in slots {
            let mut i = key(slot).max(cursor);
            while i < len && self.slots[i] != 0 {
                i += 1;
            }
            if i == len {
                // Past the end: wrap around as a probe does.
                Self::place(&mut self.slots, slot);
            } else {
                self.slots[i] = slot;
                cursor = i + 1;
            }
            self.len += 1;
        }
    }

    /// Makes room for `additional` more ids without growing while they are inserted.
    ///
    /// ```
    /// let mut index = symdiff_expr::HashIndex::default();
    /// index.reserve(100);
    /// assert!(index.is_empty());
    /// ```
    pub fn reserve(&mut self, additional: usize) {
        let needed = slots_for(self.len + additional);
        if needed > self.slots.len() {
            self.resize(needed);
        }
    }

    /// Puts an occupied `slot` value into the first free slot of its probe sequence.
    fn place(slots: &mut [u64], slot: u64) {
        let mask = slots.len() - 1;
        let mut i = home((slot >> 32) as u32, slots.len());
        while slots[i] != 0 {
            i = (i + 1) & mask;
        }
        slots[i] = slot;
    }

    /// Makes room for one more id, keeping the table at most [`MAX_LOAD`] full. Growing reads only the
    /// stored tags, never the nodes.
    fn reserve_one(&mut self) {
        if slots_for(self.len + 1) <= self.slots.len() {
            return;
        }
        self.resize((self.slots.len() * 2).max(8));
    }

    /// Moves every entry into a table of `size` slots (a power of two).
    fn resize(&mut self, size: usize) {
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        for slot in old.into_iter().filter(|&s| s != 0) {
            Self::place(&mut self.slots, slot);
        }
    }
}

/// Sorts `values` by `key`, whose values are below `2^bits`: least significant digit first,
/// 11 bits per pass (stable, linear in the values).
fn radix_sort_by_key(values: &mut Vec<u64>, bits: u32, key: impl Fn(u64) -> usize) {
    const DIGIT: u32 = 11;
    let mut buffer = vec![0u64; values.len()];
    let mut shift = 0;
    while shift < bits {
        let digit = |v: u64| (key(v) >> shift) & ((1 << DIGIT) - 1);
        let mut start = [0usize; 1 << DIGIT];
        for &v in values.iter() {
            start[digit(v)] += 1;
        }
        let mut total = 0;
        for s in start.iter_mut() {
            let count = *s;
            *s = total;
            total += count;
        }
        for &v in values.iter() {
            let d = digit(v);
            buffer[start[d]] = v;
            start[d] += 1;
        }
        std::mem::swap(values, &mut buffer);
        shift += DIGIT;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deliberately poor hash: many collisions in the tag and in the home slot.
    fn weak(value: u64) -> u64 {
        (value % 7) << 40
    }

    #[test]
    fn finds_every_stored_value_through_growth_and_collisions() {
        let mut index = HashIndex::default();
        let mut stored: Vec<u64> = Vec::new();
        for round in 0..2 {
            for v in 0..5000u64 {
                let next = stored.len() as u32;
                let id = index.find_or_insert(weak(v), next, |i| stored[i as usize] == v);
                if round == 0 {
                    assert_eq!(id, next);
                    stored.push(v);
                } else {
                    assert_eq!(id as u64, v);
                }
            }
        }
        assert_eq!(index.len(), 5000);
        for v in 0..5000u64 {
            assert_eq!(
                index.find(weak(v), |i| stored[i as usize] == v),
                Some(v as u32)
            );
        }
        assert_eq!(index.find(weak(5000), |i| stored[i as usize] == 5000), None);
    }

    #[test]
    fn bulk_insertion_finds_every_id_beside_single_ones() {
        for (before, bulk) in [(0u64, 5000u64), (3000, 5000), (1, 1), (0, 0), (17, 100_000)] {
            let mut index = HashIndex::with_capacity(2);
            let hash = |v: u64| v.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17);
            for v in 0..before {
                index.insert_unique(hash(v), v as u32);
            }
            // Weak hashes too: many equal homes, and wrapping past the end.
            index.extend_unique((before..before + bulk).map(|v| {
                let h = if v % 3 == 0 && bulk <= 5000 {
                    weak(v)
                } else {
                    hash(v)
                };
                (h, v as u32)
            }));
            assert_eq!(index.len() as u64, before + bulk);
            for v in 0..before + bulk {
                let h = if v >= before && v % 3 == 0 && bulk <= 5000 {
                    weak(v)
                } else {
                    hash(v)
                };
                assert_eq!(index.find(h, |id| id as u64 == v), Some(v as u32), "{v}");
            }
            assert_eq!(index.find(hash(before + bulk), |_| false), None);
        }
    }

    #[test]
    fn radix_sort_orders_by_key() {
        let mut values: Vec<u64> = (0..10_000u64)
            .map(|v| v.wrapping_mul(2_654_435_761) % 100_003)
            .collect();
        let mut expected = values.clone();
        expected.sort_by_key(|&v| v % 4096);
        radix_sort_by_key(&mut values, 12, |v| (v % 4096) as usize);
        assert_eq!(values, expected, "stable and ordered");
    }

    #[test]
    fn ids_and_hashes_at_the_extremes() {
        let mut index = HashIndex::with_capacity(2);
        index.insert_unique(0, u32::MAX);
        index.insert_unique(u64::MAX, 0);
        assert_eq!(index.find(0, |id| id == u32::MAX), Some(u32::MAX));
        assert_eq!(index.find(u64::MAX, |id| id == 0), Some(0));
        assert_eq!(index.find(1, |_| false), None);
    }
}
