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
    fn ids_and_hashes_at_the_extremes() {
        let mut index = HashIndex::with_capacity(2);
        assert_eq!(index.find_or_insert(0, u32::MAX, |_| false), u32::MAX);
        assert_eq!(index.find_or_insert(u64::MAX, 0, |_| false), 0);
        assert_eq!(index.find(0, |id| id == u32::MAX), Some(u32::MAX));
        assert_eq!(index.find(u64::MAX, |id| id == 0), Some(0));
        assert_eq!(index.find(1, |_| false), None);
    }
}
