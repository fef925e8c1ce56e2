//! Shared text for the values that recur across a site: a published list's
//! conditions and handling are a few set phrases, and each revision of a
//! list repeats most items of the one before ("dynamic management" keeps
//! every version). Each distinct value is held once, as an `Arc<str>`.
//!
//! Values are pooled while a load parses its sources, in parallel; the
//! pool is emptied when the load is done ([`Scope`]), and the values stay
//! shared through their `Arc`s. Two loads at once (tests run side by side)
//! may empty the pool under each other: a text is then held twice, which
//! costs memory and is never wrong, since a text is compared by its value.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// A shared, immutable text.
pub type Text = Arc<str>;

const SHARDS: usize = 16;

/// Distinct texts, in shards by hash so that parallel parsers seldom wait.
struct Pool([Mutex<Option<HashSet<Text>>>; SHARDS]);

static POOL: Pool = Pool::new();

impl Pool {
    const fn new() -> Pool {
        Pool([const { Mutex::new(None) }; SHARDS])
    }

    fn intern(&self, s: String) -> Text {
        if s.is_empty() {
            return Text::default();
        }
        let shard = (crate::hash::fnv(s.as_bytes()) as usize) % SHARDS;
        // A poisoned shard (a panic elsewhere while it was held) still
        // holds valid texts.
        let mut pool = self.0[shard].lock().unwrap_or_else(|e| e.into_inner());
        let set = pool.get_or_insert_with(HashSet::new);
        if let Some(t) = set.get(s.as_str()) {
            return Arc::clone(t);
        }
        let t: Text = Arc::from(s);
        set.insert(Arc::clone(&t));
        t
    }

    fn release(&self) {
        for shard in &self.0 {
            *shard.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
    }
}

/// `s` as a shared text: the one already pooled when an equal value was
/// seen since the pool was last emptied.
pub fn intern(s: String) -> Text {
    POOL.intern(s)
}

/// A load: the pool is emptied when it ends, whichever way it returns
/// (the texts live on where they are used).
pub struct Scope(());

impl Scope {
    pub fn begin() -> Scope {
        Scope(())
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        POOL.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_share_one_text_until_released() {
        let pool = Pool::new();
        let text = "违法行为轻微并及时改正，没有造成危害后果的";
        let a = pool.intern(text.to_string());
        let b = pool.intern(text.to_string());
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*a, text);
        let c = pool.intern("不予行政处罚".to_string());
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(&*pool.intern(String::new()), "");
        pool.release();
        let d = pool.intern(text.to_string());
        assert_eq!(a, d);
        assert!(!Arc::ptr_eq(&a, &d), "a new pool after release");
    }
}
