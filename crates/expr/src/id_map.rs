//! [`IdMap`]: a map from store ids to `u32` values (a visited set, or store id → position),
//! for the walks over the expression store (`reachable_in`, conversions to `RecExpr`).
//!
//! The ids of an expression are mostly consecutive (its nodes were stored one after another),
//! and the walks visit them in a roughly consecutive order. A general hash map scatters them
//! over the whole table, so at 10^6 nodes nearly every probe misses the cache. Here an id's
//! home slot keeps its low 4 bits and scatters only the block of 16 it belongs to: consecutive
//! ids share cache lines, distinct blocks still spread evenly. One `u64` per slot (key and
//! value together), open addressing with linear probing, at most half full.

/// A map from `u32` keys (store ids) to `u32` values (see the [module docs](self)).
#[derive(Debug, Clone, Default)]
pub(crate) struct IdMap {
    /// [`EMPTY`] or `key << 32 | value`.
    slots: Vec<u64>,
    len: usize,
}

/// An empty slot (key and value `u32::MAX`, which no walk stores).
const EMPTY: u64 = u64::MAX;

impl IdMap {
    /// A map with room for `capacity` keys before it grows.
    pub(crate) fn with_capacity(capacity: usize) -> IdMap {
        IdMap {
            slots: vec![EMPTY; (capacity.max(8) * 2).next_power_of_two()],
            len: 0,
        }
    }

    fn home(key: u32, slots: usize) -> usize {
        let block = u64::from(key >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 28;
        ((block as usize) << 4 | (key as usize & 15)) & (slots - 1)
    }

    /// The value of `key`.
    pub(crate) fn get(&self, key: u32) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut i = Self::home(key, self.slots.len());
        loop {
            let slot = self.slots[i];
            if slot == EMPTY {
                return None;
            }
            if (slot >> 32) as u32 == key {
                return Some(slot as u32);
            }
            i = (i + 1) & mask;
        }
    }

    /// Whether `key` is stored.
    pub(crate) fn contains(&self, key: u32) -> bool {
        self.get(key).is_some()
    }

    /// Stores `key → value`; returns `false` (and changes nothing) if `key` was stored already.
    pub(crate) fn insert(&mut self, key: u32, value: u32) -> bool {
        debug_assert!(
            (key, value) != (u32::MAX, u32::MAX),
            "IdMap: the empty marker"
        );
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = Self::home(key, self.slots.len());
        loop {
            let slot = self.slots[i];
            if slot == EMPTY {
                self.slots[i] = u64::from(key) << 32 | u64::from(value);
                self.len += 1;
                return true;
            }
            if (slot >> 32) as u32 == key {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; size]);
        let mask = self.slots.len() - 1;
        for slot in old.into_iter().filter(|&s| s != EMPTY) {
            let mut i = Self::home((slot >> 32) as u32, self.slots.len());
            while self.slots[i] != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_and_finds_keys_through_growth() {
        let mut map = IdMap::with_capacity(1);
        // Consecutive ids, scattered ones and the largest id.
        let keys: Vec<u32> = (0..3000)
            .chain((0..3000).map(|k| k * 7919 + 100_000))
            .chain([u32::MAX])
            .collect();
        for (v, &k) in keys.iter().enumerate() {
            assert!(map.insert(k, v as u32));
        }
        assert!(
            !map.insert(5, 0),
            "a second insert of a key changes nothing"
        );
        assert_eq!(map.len, keys.len());
        for (v, &k) in keys.iter().enumerate() {
            assert_eq!(map.get(k), Some(v as u32));
        }
        assert!(!map.contains(3000));
        assert_eq!(map.get(u32::MAX - 1), None);
    }
}
