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

/// One key's answer: computed once, by the first request that finds none fresh; the
/// requests arriving while it is computed wait for it rather than computing it again (a
/// province's roll-up expiring under 32 connections would otherwise be computed 32 times).
/// An answer that expired by time alone (no write answered since) is computed again in the
/// background while requests get the previous one (`stale`) at once: after the first,
/// nobody waits for a computation unless a write made the kept answer wrong.
struct Slot<V> {
    at: DateTime<Utc>,
    generation: u64,
    value: Arc<tokio::sync::OnceCell<Arc<V>>>,
    stale: Option<Arc<V>>,
}

/// What a request does with a key: take an answer, take the previous one and start the
/// computation in the background, or await (or make) the computation.
enum Lookup<V> {
    Ready(Arc<V>),
    Refresh(Arc<V>, Arc<tokio::sync::OnceCell<Arc<V>>>),
    Compute(Arc<tokio::sync::OnceCell<Arc<V>>>),
}

/// Answers by key, each fresh for `ttl` and while the generation it was computed under is
/// still the current one. Bounded by `capacity` entries: when full, stale entries go first,
/// then everything.
pub struct ReadCache<V> {
    ttl: Duration,
    capacity: usize,
    entries: Mutex<HashMap<String, Slot<V>>>,
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

    fn fresh(&self, k: &Slot<V>, generation: u64, now: DateTime<Utc>) -> bool {
        k.generation == generation && now >= k.at && now - k.at < self.ttl
    }

    /// The kept answer for `key`, or the one `compute` makes, kept from now. `generation`
    /// is read by the caller before it looks, so that a write answered while the answer is
    /// computed makes it stale at once. Within the period after an answer expired (and only
    /// while no write was answered since it was computed), the request gets it as it was and
    /// the new one is computed in the background: an answer is at most two periods old. A
    /// failed computation keeps nothing new.
    pub async fn get_or_compute<E, F, Fut>(
        &self,
        key: &str,
        generation: u64,
        now: DateTime<Utc>,
        compute: F,
    ) -> Result<Arc<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<V, E>> + Send + 'static,
        V: Send + Sync + 'static,
        E: Send + 'static,
    {
        if !self.enabled() {
            return compute().await.map(Arc::new);
        }
        match self.lookup(key, generation, now) {
            Lookup::Ready(v) => Ok(v),
            Lookup::Refresh(previous, cell) => {
                let work = compute();
                tokio::spawn(async move {
                    let _ = cell
                        .get_or_try_init(|| async { work.await.map(Arc::new) })
                        .await;
                });
                Ok(previous)
            }
            Lookup::Compute(cell) => cell
                .get_or_try_init(|| async { compute().await.map(Arc::new) })
                .await
                .cloned(),
        }
    }

    fn lookup(&self, key: &str, generation: u64, now: DateTime<Utc>) -> Lookup<V> {
        let Ok(mut entries) = self.entries.lock() else {
            return Lookup::Compute(Arc::default());
        };
        let mut stale = None;
        if let Some(k) = entries.get(key) {
            if self.fresh(k, generation, now) {
                return match (k.value.get(), &k.stale) {
                    (Some(v), _) | (None, Some(v)) => Lookup::Ready(v.clone()),
                    (None, None) => Lookup::Compute(k.value.clone()),
                };
            }
            // Expired by time alone, and not long ago: what it held stands in while it is
            // computed again.
            if k.generation == generation && now >= k.at && now - k.at < self.ttl * 2 {
                stale = k.value.get().cloned();
            }
        }
        if entries.len() >= self.capacity && !entries.contains_key(key) {
            entries.retain(|_, k| self.fresh(k, generation, now));
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        let value: Arc<tokio::sync::OnceCell<Arc<V>>> = Arc::default();
        entries.insert(
            key.to_string(),
            Slot {
                at: now,
                generation,
                value: value.clone(),
                stale: stale.clone(),
            },
        );
        match stale {
            Some(previous) => Lookup::Refresh(previous, value),
            None => Lookup::Compute(value),
        }
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
    use std::sync::atomic::AtomicUsize;

    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap_or_default()
    }

    async fn read(c: &ReadCache<i32>, key: &str, generation: u64, now: i64, v: i32) -> i32 {
        *c.get_or_compute::<(), _, _>(key, generation, at(now), move || async move { Ok(v) })
            .await
            .unwrap_or_else(|_| Arc::new(-1))
    }

    #[tokio::test]
    async fn an_answer_is_kept_for_its_period_and_generation_only() {
        let c = ReadCache::new(5, 10);
        assert_eq!(read(&c, "a", 1, 0, 7).await, 7);
        assert_eq!(read(&c, "a", 1, 4, 8).await, 7, "kept");
        assert_eq!(
            read(&c, "a", 2, 4, 10).await,
            10,
            "a write was answered since"
        );
        assert_eq!(read(&c, "a", 2, 20, 11).await, 11, "long expired");
        assert_eq!(read(&c, "b", 2, 6, 11).await, 11);
        assert_eq!(read(&c, "a", 2, 3, 12).await, 12, "a clock set back");
    }

    #[tokio::test]
    async fn a_failed_computation_keeps_nothing() {
        let c = ReadCache::new(5, 10);
        let r = c
            .get_or_compute("a", 1, at(0), || async { Err::<i32, &str>("down") })
            .await;
        assert_eq!(r, Err("down"));
        assert_eq!(read(&c, "a", 1, 1, 3).await, 3);
    }

    #[tokio::test]
    async fn requests_arriving_together_compute_once() {
        let c = Arc::new(ReadCache::new(5, 10));
        let runs = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(tokio::sync::Notify::new());
        let mut waiting = vec![];
        for _ in 0..8 {
            let (c, runs, gate) = (c.clone(), runs.clone(), gate.clone());
            waiting.push(tokio::spawn(async move {
                *c.get_or_compute::<(), _, _>("a", 1, at(0), move || async move {
                    runs.fetch_add(1, Ordering::SeqCst);
                    gate.notified().await;
                    Ok(5)
                })
                .await
                .unwrap_or_else(|_| Arc::new(-1))
            }));
        }
        while runs.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        for _ in 0..50 {
            tokio::task::yield_now().await;
        }
        gate.notify_waiters();
        for w in waiting {
            assert_eq!(w.await.unwrap_or(-1), 5);
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_expired_answer_stands_in_while_it_is_computed_again() {
        let c = Arc::new(ReadCache::new(5, 10));
        assert_eq!(read(&c, "a", 1, 0, 1).await, 1);
        // At 6 s the request gets the old answer at once; the new one is computed in the
        // background, and the requests meanwhile get the old one too.
        let gate = Arc::new(tokio::sync::Notify::new());
        let started = Arc::new(AtomicUsize::new(0));
        let (g, st) = (gate.clone(), started.clone());
        let first = c
            .get_or_compute::<(), _, _>("a", 1, at(6), move || async move {
                st.fetch_add(1, Ordering::SeqCst);
                g.notified().await;
                Ok(2)
            })
            .await;
        assert_eq!(first.as_deref(), Ok(&1), "the old answer, at once");
        while started.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(read(&c, "a", 1, 7, 3).await, 1, "still the old one");
        gate.notify_waiters();
        let mut seen = 0;
        for _ in 0..1000 {
            seen = read(&c, "a", 1, 8, 4).await;
            if seen == 2 {
                break;
            }
            tokio::task::yield_now().await;
        }
        assert_eq!(seen, 2, "the new one, once computed");
        assert_eq!(started.load(Ordering::SeqCst), 1);
        // Long expired, or after a write, nothing stands in: the request computes.
        assert_eq!(read(&c, "a", 1, 30, 5).await, 5);
        assert_eq!(read(&c, "a", 2, 31, 6).await, 6);
    }

    #[tokio::test]
    async fn a_full_cache_drops_stale_answers_first_then_everything() {
        let c = ReadCache::new(5, 2);
        read(&c, "old", 1, 0, 1).await;
        read(&c, "new", 2, 0, 2).await;
        read(&c, "third", 2, 1, 3).await;
        assert_eq!(c.len(), 2, "the stale answer made room");
        assert_eq!(read(&c, "new", 2, 1, 20).await, 2);
        read(&c, "fourth", 2, 2, 4).await;
        assert_eq!(c.len(), 1, "nothing was stale: everything went");
        assert_eq!(read(&c, "fourth", 2, 2, 40).await, 4);
    }

    #[tokio::test]
    async fn a_zero_period_keeps_nothing() {
        let c = ReadCache::new(0, 10);
        assert_eq!(read(&c, "a", 1, 0, 1).await, 1);
        assert_eq!(read(&c, "a", 1, 0, 2).await, 2);
        assert!(c.is_empty());
    }
}
