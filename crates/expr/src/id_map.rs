//! [`IdMap`]: a map from store ids to `u32` values (a visited set, or store id → position),
//! for the walks over the expression store (`reachable_in`, conversions to `RecExpr`).
//!
//! The ids of an expression are mostly consecutive (its nodes were stored one after another),
//! and the walks visit them in a roughly consecutive order. So the map is *paged*: the values
//! of [`PAGE`] consecutive ids sit side by side in one page, and a small hash directory finds
//! the page of an id. A walk over 10^6 consecutive ids then reads memory almost sequentially
//! (one directory entry per page, and the last page used is remembered), where any hash table
//! keyed by id misses the cache on nearly every access: the previous design (one open-addressing
//! table whose slots kept blocks of 16 ids together) also clustered those blocks and probed ~55
//! slots per access on consecutive ids.
//!
//! Memory: one page per distinct block of [`PAGE`] ids touched, so at most `4·PAGE` bytes per
//! key when the ids are scattered, 4 bytes per key when they are consecutive.

use std::cell::Cell;

/// Ids per page (a power of two).
const PAGE_BITS: u32 = 6;
const PAGE: usize = 1 << PAGE_BITS;

/// An absent value.
const ABSENT: u32 = u32::MAX;

/// A map from `u32` keys (store ids) to `u32` values other than `u32::MAX` (see the [module
/// docs](self)).
#[derive(Debug, Clone)]
pub(crate) struct IdMap {
    /// Page number (`key >> PAGE_BITS`) → index of the page in `values`.
    directory: hashbrown::HashMap<u32, u32>,
    /// The pages, one after another: page `p` is `values[p * PAGE..(p + 1) * PAGE]`.
    values: Vec<u32>,
    /// The last page looked up: `(page number, page index)` (`u32::MAX` page: none).
    last: Cell<(u32, u32)>,
    len: usize,
}

impl Default for IdMap {
    /// An empty map (no page is remembered as the last one used).
    fn default() -> IdMap {
        IdMap::with_capacity(0)
    }
}

impl IdMap {
    /// A map with room for about `capacity` consecutive keys before it grows.
    pub(crate) fn with_capacity(capacity: usize) -> IdMap {
        let pages = capacity.div_ceil(PAGE);
        IdMap {
            directory: hashbrown::HashMap::with_capacity(pages),
            values: Vec::with_capacity(pages * PAGE),
            last: Cell::new((u32::MAX, 0)),
            len: 0,
        }
    }

    /// How many keys are stored.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The index of the page holding `key`, if it exists.
    #[inline]
    fn page(&self, key: u32) -> Option<usize> {
        let number = key >> PAGE_BITS;
        let (last, index) = self.last.get();
        if last == number {
            return Some(index as usize);
        }
        let index = *self.directory.get(&number)?;
        self.last.set((number, index));
        Some(index as usize)
    }

    /// The value of `key`.
    #[inline]
    pub(crate) fn get(&self, key: u32) -> Option<u32> {
        let page = self.page(key)?;
        let value = self.values[page * PAGE + (key as usize & (PAGE - 1))];
        (value != ABSENT).then_some(value)
    }

    /// Whether `key` is stored.
    #[inline]
    pub(crate) fn contains(&self, key: u32) -> bool {
        self.get(key).is_some()
    }

    /// Stores `key → value`; returns `false` (and changes nothing) if `key` was stored already.
    ///
    /// # Panics
    /// If `value` is `u32::MAX` (the marker of an absent value).
    #[inline]
    pub(crate) fn insert(&mut self, key: u32, value: u32) -> bool {
        assert_ne!(value, ABSENT, "IdMap: u32::MAX is not a value");
        let page = match self.page(key) {
            Some(page) => page,
            None => {
                let number = key >> PAGE_BITS;
                let index = self.values.len() / PAGE;
                let index32 = u32::try_from(index).expect("fewer than 2^32 pages");
                self.values.resize(self.values.len() + PAGE, ABSENT);
                self.directory.insert(number, index32);
                self.last.set((number, index32));
                index
            }
        };
        let slot = &mut self.values[page * PAGE + (key as usize & (PAGE - 1))];
        if *slot != ABSENT {
            return false;
        }
        *slot = value;
        self.len += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_map_finds_nothing() {
        let map = IdMap::default();
        assert_eq!(map.get(0), None);
        assert_eq!(map.get(14), None);
    }

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
        assert_eq!(map.len(), keys.len());
        for (v, &k) in keys.iter().enumerate() {
            assert_eq!(map.get(k), Some(v as u32));
        }
        assert!(!map.contains(3000));
        assert_eq!(map.get(u32::MAX - 1), None);
        assert_eq!(map.get(u32::MAX), Some(keys.len() as u32 - 1));
    }
}
