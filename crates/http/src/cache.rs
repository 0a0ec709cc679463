//! Answers kept for a few seconds in this process (读缓存).
//!
//! A province's staff open the same roll-up many times a minute, every visitor of the public
//! activity list asks for the same first pages, and every request of a signed-in person reads
//! the same account rights. Each of these is kept here for at most `read_cache_seconds` and
//! is also forgotten as soon as something this process serves might change it:
//!
//! - roll-ups and the public activity list are stamped with the **write generation**, which
//!   the request middleware advances after every answered write (any method but `GET`,
//!   `HEAD` and `OPTIONS`), so a client reads its own writes from the replica that took them;
//! - account rights are stamped with the store's **access generation**, which the
//!   repositories advance when an account, an admin right or an organisation's status
//!   changes (sign-ups and hours do not touch it).
//!
//! Writes taken by another replica, or by the command line, show once the period has passed.
//! `read_cache_seconds = 0` keeps nothing.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// A counter that only goes up: a cached answer stamped with an older value is stale.
#[derive(Default)]
pub struct Generation(AtomicU64);

impl Generation {
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    pub fn advance(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}

struct Kept<V> {
    at: DateTime<Utc>,
    generation: u64,
    value: Arc<V>,
}

/// Answers by key, each fresh for `ttl` and while the generation it was computed under is
/// still the current one. Bounded by `capacity` entries: when full, stale entries go first,
/// then everything.
pub struct ReadCache<V> {
    ttl: Duration,
    capacity: usize,
    entries: Mutex<HashMap<String, Kept<V>>>,
}

impl<V> ReadCache<V> {
    pub fn new(ttl_secs: u64, capacity: usize) -> Self {
        Self {
            ttl: Duration::seconds(i64::try_from(ttl_secs).unwrap_or(i64::MAX / 1000)),
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub fn enabled(&self) -> bool {
        self.ttl > Duration::zero() && self.capacity > 0
    }

    fn fresh(&self, k: &Kept<V>, generation: u64, now: DateTime<Utc>) -> bool {
        k.generation == generation && now >= k.at && now - k.at < self.ttl
    }

    /// The kept answer, if it is still fresh. `generation` is the one read before deciding
    /// to look (and, on a miss, before computing the answer).
    pub fn get(&self, key: &str, generation: u64, now: DateTime<Utc>) -> Option<Arc<V>> {
        if !self.enabled() {
            return None;
        }
        let entries = self.entries.lock().ok()?;
        let k = entries.get(key)?;
        self.fresh(k, generation, now).then(|| k.value.clone())
    }

    /// Keeps an answer computed under `generation` (read before the computation began, so
    /// that a write answered meanwhile makes it stale at once).
    pub fn put(&self, key: String, generation: u64, now: DateTime<Utc>, value: Arc<V>) {
        if !self.enabled() {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            entries.retain(|_, k| self.fresh(k, generation, now));
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(
            key,
            Kept {
                at: now,
                generation,
                value,
            },
        );
    }

    /// How many answers are kept (fresh or not yet swept).
    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap_or_default()
    }

    #[test]
    fn an_answer_is_kept_for_its_period_and_generation_only() {
        let c = ReadCache::new(5, 10);
        c.put("a".into(), 1, at(0), Arc::new(7));
        assert_eq!(c.get("a", 1, at(4)).as_deref(), Some(&7));
        assert_eq!(c.get("a", 1, at(5)), None, "the period is over");
        assert_eq!(c.get("a", 2, at(1)), None, "a write was answered since");
        assert_eq!(c.get("b", 1, at(1)), None);
        assert_eq!(c.get("a", 1, at(-1)), None, "a clock set back");
    }

    #[test]
    fn a_full_cache_drops_stale_answers_first_then_everything() {
        let c = ReadCache::new(5, 2);
        c.put("old".into(), 1, at(0), Arc::new(1));
        c.put("new".into(), 2, at(0), Arc::new(2));
        c.put("third".into(), 2, at(1), Arc::new(3));
        assert_eq!(c.len(), 2, "the stale answer made room");
        assert_eq!(c.get("new", 2, at(1)).as_deref(), Some(&2));
        c.put("fourth".into(), 2, at(2), Arc::new(4));
        assert_eq!(c.len(), 1, "nothing was stale: everything went");
        assert_eq!(c.get("fourth", 2, at(2)).as_deref(), Some(&4));
    }

    #[test]
    fn a_zero_period_keeps_nothing() {
        let c = ReadCache::new(0, 10);
        c.put("a".into(), 1, at(0), Arc::new(1));
        assert!(c.is_empty());
        assert_eq!(c.get("a", 1, at(0)), None);
    }
}
