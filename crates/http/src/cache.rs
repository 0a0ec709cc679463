//! Answers kept for a few seconds in this process (读缓存).
//!
//! A province's staff open the same roll-up many times a minute, every visitor of the public
//! activity list asks for the same first pages, and every request of a signed-in person reads
//! the same account rights. Each of these is kept here for `read_cache_secs` and is also
//! forgotten as soon as something this process serves might change it:
//!
//! - roll-ups and the public activity list are stamped with **write generations**, which the
//!   request middleware advances after every write it answers (any method but `GET`, `HEAD`
//!   and `OPTIONS`, unless refused with a 4xx) that may change them ([`reach_of`]: a sign-up
//!   reaches the activity pages, not the roll-ups; signing in reaches neither), so a client
//!   reads its own writes from the replica that took them;
//! - account rights are stamped with the store's **access generation**, which the
//!   repositories advance when they commit a change of rights (an admin seat granted or
//!   revoked, a new organisation's first admin, the platform right); sign-ups and hours do
//!   not touch it.
//!
//! Writes taken by another replica, or by the command line, show within one or two periods
//! (at most four, see [`ReadCache::get_or_compute`]). `read_cache_secs = 0` keeps nothing.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// What an answered write may have changed, by its route: the kept answers it makes stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Neither roll-ups nor activity pages (signing in, integrations, applications, letters,
    /// certificates).
    Nothing,
    /// Activity pages (places taken, the waiting list), not roll-ups: a sign-up, its
    /// withdrawal, a check-in or check-out. Roll-ups count confirmed hours, not sign-ups.
    Activities,
    /// Anything else, and any route not named here.
    Everything,
}

/// The reach of a write answered on `route` (the matched pattern, e.g.
/// `/api/v1/activities/{id}/sign-ups`). A route not listed reaches everything, so a new one
/// is safe until it is classified.
pub fn reach_of(route: &str) -> Reach {
    const NOTHING: [&str; 12] = [
        "/api/v1/auth/",
        "/api/v1/me/notification",
        "/api/v1/unsubscribe",
        "/api/v1/accounts",
        "/api/v1/webhooks",
        "/api/v1/webhook-deliveries/",
        "/api/v1/api-clients/",
        "/api/v1/applications",
        "/api/v1/calls",
        "/api/v1/certificates",
        "/api/v1/pairing-letters",
        "/api/v1/activities/{id}/check-in-codes",
    ];
    const ACTIVITIES: [&str; 4] = [
        "/api/v1/activities/{id}/sign-ups",
        "/api/v1/attendance-links",
        "/api/v1/activities/{id}/check-in",
        "/api/v1/activities/{id}/check-out",
    ];
    if NOTHING.iter().any(|p| route.starts_with(p))
        || (route.starts_with("/api/v1/organizations/{id}/api-clients"))
    {
        Reach::Nothing
    } else if ACTIVITIES.iter().any(|p| route.starts_with(p)) {
        Reach::Activities
    } else {
        Reach::Everything
    }
}

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
    /// Whether a background computation of `value` is queued or running.
    refreshing: Arc<AtomicBool>,
}

/// What a request does with a key: take an answer, take the previous one and start the
/// computation in the background, or await (or make) the computation.
enum Lookup<V> {
    Ready(Arc<V>),
    Refresh(Arc<V>, Arc<tokio::sync::OnceCell<Arc<V>>>, Arc<AtomicBool>),
    Compute(Arc<tokio::sync::OnceCell<Arc<V>>>),
}

/// Answers by key, each fresh for `ttl` and while the generation it was computed under is
/// still the current one. Bounded by `capacity` entries: when full, stale entries go first,
/// then everything.
pub struct ReadCache<V> {
    ttl: Duration,
    capacity: usize,
    entries: Mutex<HashMap<String, Slot<V>>>,
    /// Background computations at once: one per core. Answers computed together expire
    /// together, and their computations started all at once would take every database
    /// connection and both cores at the same moment (62 provinces' roll-ups, each 0.1 s of
    /// PostgreSQL time); queued, they finish within the period while requests get the
    /// previous answers.
    refreshing: Arc<tokio::sync::Semaphore>,
}

impl<V> ReadCache<V> {
    pub fn new(ttl_secs: u64, capacity: usize) -> Self {
        Self {
            ttl: Duration::seconds(i64::try_from(ttl_secs).unwrap_or(i64::MAX / 1000)),
            capacity,
            entries: Mutex::new(HashMap::new()),
            refreshing: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(1, |n| n.get()),
            )),
        }
    }

    /// The same with at most `n` background computations at once.
    pub fn with_refreshes(mut self, n: usize) -> Self {
        self.refreshing = Arc::new(tokio::sync::Semaphore::new(n.max(1)));
        self
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
    /// the new one is computed in the background (one per core at once; while one waits
    /// for its turn the previous answer still stands in): an answer is at most four periods
    /// old, and usually one or two. A
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
            Lookup::Refresh(previous, cell, running) => {
                let work = compute();
                let turns = self.refreshing.clone();
                tokio::spawn(async move {
                    if let Ok(_turn) = turns.acquire_owned().await {
                        let _ = cell
                            .get_or_try_init(|| async { work.await.map(Arc::new) })
                            .await;
                    }
                    running.store(false, Ordering::Release);
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
            // computed again. A computation still waiting for its turn past the period
            // leaves the answer before it standing in (it was itself at most two periods
            // old when that computation began).
            if k.generation == generation && now >= k.at && now - k.at < self.ttl * 2 {
                match (k.value.get(), &k.stale) {
                    (Some(v), _) => stale = Some(v.clone()),
                    (None, Some(v)) if k.refreshing.load(Ordering::Acquire) => {
                        return Lookup::Ready(v.clone());
                    }
                    (None, _) => {}
                }
            }
        }
        if entries.len() >= self.capacity && !entries.contains_key(key) {
            entries.retain(|_, k| self.fresh(k, generation, now));
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        let value: Arc<tokio::sync::OnceCell<Arc<V>>> = Arc::default();
        let running = Arc::new(AtomicBool::new(stale.is_some()));
        entries.insert(
            key.to_string(),
            Slot {
                at: now,
                generation,
                value: value.clone(),
                stale: stale.clone(),
                refreshing: running.clone(),
            },
        );
        match stale {
            Some(previous) => Lookup::Refresh(previous, value, running),
            None => Lookup::Compute(value),
        }
    }

    /// How many answers are kept (fresh or not yet swept).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use tokio::sync::Notify;

    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap_or_default()
    }

    async fn read(c: &ReadCache<i32>, key: &str, generation: u64, now: i64, v: i32) -> i32 {
        *c.get_or_compute::<(), _, _>(key, generation, at(now), move || async move { Ok(v) })
            .await
            .unwrap_or_else(|_| Arc::new(-1))
    }

    type Work = std::pin::Pin<Box<dyn std::future::Future<Output = Result<i32, ()>> + Send>>;

    /// A computation that counts its runs and answers `v` once `gate` opens.
    fn held(v: i32, runs: &Arc<AtomicUsize>, gate: &Arc<Notify>) -> impl FnOnce() -> Work {
        let (runs, gate) = (runs.clone(), gate.clone());
        move || {
            Box::pin(async move {
                runs.fetch_add(1, Ordering::SeqCst);
                gate.notified().await;
                Ok(v)
            })
        }
    }

    async fn until_started(runs: &AtomicUsize) {
        while runs.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
    }

    /// What `key` reads at `now` once it no longer reads `old` (a background computation
    /// finished), or `old` if it never changes.
    async fn settled(c: &ReadCache<i32>, key: &str, now: i64, old: i32) -> i32 {
        for _ in 0..1000 {
            let seen = read(c, key, 1, now, -9).await;
            if seen != old {
                return seen;
            }
            tokio::task::yield_now().await;
        }
        old
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
        let gate = Arc::new(Notify::new());
        let mut waiting = vec![];
        for _ in 0..8 {
            let (c, work) = (c.clone(), held(5, &runs, &gate));
            waiting.push(tokio::spawn(async move {
                *c.get_or_compute("a", 1, at(0), work)
                    .await
                    .unwrap_or_else(|_| Arc::new(-1))
            }));
        }
        until_started(&runs).await;
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
        let gate = Arc::new(Notify::new());
        let started = Arc::new(AtomicUsize::new(0));
        let first = c
            .get_or_compute("a", 1, at(6), held(2, &started, &gate))
            .await;
        assert_eq!(first.as_deref(), Ok(&1), "the old answer, at once");
        until_started(&started).await;
        assert_eq!(read(&c, "a", 1, 7, 3).await, 1, "still the old one");
        gate.notify_waiters();
        assert_eq!(
            settled(&c, "a", 8, 1).await,
            2,
            "the new one, once computed"
        );
        assert_eq!(started.load(Ordering::SeqCst), 1);
        // Long expired, or after a write, nothing stands in: the request computes.
        assert_eq!(read(&c, "a", 1, 30, 5).await, 5);
        assert_eq!(read(&c, "a", 2, 31, 6).await, 6);
    }

    #[tokio::test]
    async fn a_computation_waiting_for_its_turn_leaves_the_answer_before_it_standing_in() {
        let c = Arc::new(ReadCache::new(5, 10).with_refreshes(1));
        assert_eq!(read(&c, "a", 1, 0, 1).await, 1);
        assert_eq!(read(&c, "b", 1, 0, 1).await, 1);
        // At 6 s "b" is computed again in the background, holding the one turn.
        let gate = Arc::new(Notify::new());
        let started = Arc::new(AtomicUsize::new(0));
        let b = c
            .get_or_compute("b", 1, at(6), held(2, &started, &gate))
            .await;
        assert_eq!(b.as_deref(), Ok(&1));
        until_started(&started).await;
        // "a" expires too: its computation waits for the turn, the old answer stands in,
        // past the period of that computation as well, and nothing else is computed.
        assert_eq!(read(&c, "a", 1, 6, 3).await, 1);
        assert_eq!(
            read(&c, "a", 1, 12, 4).await,
            1,
            "still waiting for its turn"
        );
        gate.notify_waiters();
        assert_eq!(
            settled(&c, "a", 13, 1).await,
            3,
            "the computation that waited, once it ran"
        );
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

    #[test]
    fn writes_reach_what_they_may_change() {
        for (route, reach) in [
            ("/api/v1/auth/login", Reach::Nothing),
            ("/api/v1/accounts", Reach::Nothing),
            ("/api/v1/pairing-letters/{id}/send", Reach::Nothing),
            ("/api/v1/organizations/{id}/api-clients", Reach::Nothing),
            ("/api/v1/activities/{id}/check-in-codes", Reach::Nothing),
            ("/api/v1/activities/{id}/sign-ups", Reach::Activities),
            ("/api/v1/activities/{id}/sign-ups/mine", Reach::Activities),
            ("/api/v1/activities/{id}/check-out", Reach::Activities),
            ("/api/v1/activities/{id}/service-hours", Reach::Everything),
            (
                "/api/v1/activities/{id}/attendance/{volunteer_id}",
                Reach::Everything,
            ),
            ("/api/v1/activities/{id}/publish", Reach::Everything),
            ("/api/v1/organizations/{id}/memberships", Reach::Everything),
            ("/api/v1/monthly-reports/{id}/submit", Reach::Everything),
            ("/api/v1/something-new", Reach::Everything),
            ("", Reach::Everything),
        ] {
            assert_eq!(reach_of(route), reach, "{route}");
        }
    }

    #[tokio::test]
    async fn a_zero_period_keeps_nothing() {
        let c = ReadCache::new(0, 10);
        assert_eq!(read(&c, "a", 1, 0, 1).await, 1);
        assert_eq!(read(&c, "a", 1, 0, 2).await, 2);
        assert!(c.is_empty());
    }
}
