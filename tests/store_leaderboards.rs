//! Leaderboards against a brute-force computation: random activity in two guilds (in different
//! time zones) goes through the store's own write paths, a model in Rust records the same facts,
//! and every board — each metric, period, track filter, page and caller — must equal what the
//! model computes from scratch.

mod common;

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use common::fixtures::{self, assessment, question_id, PER_TRACK, TRACKS};
use common::pg::TestDb;
use mockingbird::interview::ANSWER_LIMIT;
use mockingbird::interview::{Ending, Turn};
use mockingbird::store::guilds::{self, GuildSettings};
use mockingbird::store::jobs::{self, JobRetry};
use mockingbird::store::leaderboards::{self, Board, BoardQuery, Metric, Period, Standing};
use mockingbird::store::qotd_answers;
use mockingbird::store::reviews::{self, ReviewOutcome};
use mockingbird::store::{answers, interviews, privacy, qotd_posts, rollups, PgPool};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const MEMBERS: u64 = 12;
const EMOJIS: [(&str, i16); 3] = [("👍", 1), ("🔥", 2), ("👎", -1)];

/// Something that counts on a board: who, on which track, on which local day, how much.
#[derive(Debug, Clone, Copy)]
struct Fact {
    user: u64,
    track: &'static str,
    day: NaiveDate,
    points: i64,
}

/// What one guild did, as the test saw it.
struct Guild {
    id: u64,
    offset: FixedOffset,
    today: NaiveDate,
    /// Submitted answers not yet scored: author, track, local day of submission.
    submitted: HashMap<i64, Fact>,
    scored: Vec<Fact>,
    completed: Vec<Fact>,
    /// The current review of (answer, reviewer): emoji and what it counts as.
    reviews: HashMap<(i64, u64), (&'static str, Fact)>,
    posts: Vec<NaiveDate>,
    qotd_answered: HashMap<u64, BTreeSet<NaiveDate>>,
}

impl Guild {
    fn day_of(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.offset).date_naive()
    }
}

struct World {
    pool: PgPool,
    rng: ChaCha8Rng,
    now: DateTime<Utc>,
    thread: u64,
}

impl World {
    fn random_time(&mut self) -> DateTime<Utc> {
        self.now - Duration::seconds(self.rng.random_range(0..40 * 86_400))
    }

    fn track(&mut self) -> &'static str {
        TRACKS[self.rng.random_range(0..TRACKS.len())]
    }

    async fn guild(&mut self, id: u64, zone: &str, east_hours: i32) -> Guild {
        let settings = GuildSettings {
            timezone: zone.into(),
            ..GuildSettings::default()
        };
        guilds::save_settings(&self.pool, id, &settings)
            .await
            .unwrap();
        for user in 1..=MEMBERS {
            fixtures::member(&self.pool, id, user).await;
        }
        let offset = FixedOffset::east_opt(east_hours * 3600).unwrap();
        Guild {
            id,
            offset,
            today: self.now.with_timezone(&offset).date_naive(),
            submitted: HashMap::new(),
            scored: Vec::new(),
            completed: Vec::new(),
            reviews: HashMap::new(),
            posts: Vec::new(),
            qotd_answered: HashMap::new(),
        }
    }

    /// One interview: a few answers (some left open), then an outcome.
    async fn interview(&mut self, g: &mut Guild) {
        let (user, track) = (self.rng.random_range(1..=MEMBERS), self.track());
        self.thread += 1;
        let id = fixtures::start_interview(&self.pool, g.id, user, track, self.thread).await;
        for n in 0..self.rng.random_range(1..=3) {
            let q = question_id(track, n);
            let answer = answers::add_interview_message(
                &self.pool,
                id,
                &q,
                Turn::Main,
                "a",
                1,
                ANSWER_LIMIT,
            )
            .await
            .unwrap();
            if self.rng.random_bool(0.85) {
                let at = self.random_time();
                answers::submit(&self.pool, answer, false, at)
                    .await
                    .unwrap();
                g.submitted.insert(
                    answer,
                    Fact {
                        user,
                        track,
                        day: g.day_of(at),
                        points: 0,
                    },
                );
            }
        }
        let outcome =
            [Ending::Completed, Ending::Ended, Ending::Abandoned][self.rng.random_range(0..3)];
        let at = self.random_time();
        assert!(interviews::finish(&self.pool, id, outcome, at)
            .await
            .unwrap());
        if outcome == Ending::Completed {
            g.completed.push(Fact {
                user,
                track,
                day: g.day_of(at),
                points: 0,
            });
        }
    }

    /// Posts on most of the last 25 days; members answer some, in day order.
    async fn qotd(&mut self, g: &mut Guild) {
        for back in (0..25).rev() {
            if self.rng.random_bool(0.2) {
                continue;
            }
            let day = g.today - Duration::days(back);
            let track = self.track();
            let q = question_id(track, self.rng.random_range(0..PER_TRACK));
            let post = qotd_posts::claim(&self.pool, g.id, day, &q)
                .await
                .unwrap()
                .unwrap();
            g.posts.push(day);
            for user in 1..=MEMBERS {
                if !self.rng.random_bool(0.6) {
                    continue;
                }
                let msg = rand::random::<u32>().into();
                let answer =
                    qotd_answers::add_qotd_message(&self.pool, post, user, "q", msg, ANSWER_LIMIT)
                        .await
                        .unwrap();
                if self.rng.random_bool(0.9) {
                    let at = (self.now - Duration::days(back)).min(self.now);
                    answers::submit(&self.pool, answer, false, at)
                        .await
                        .unwrap();
                    g.submitted.insert(
                        answer,
                        Fact {
                            user,
                            track,
                            day: g.day_of(at),
                            points: 0,
                        },
                    );
                    g.qotd_answered.entry(user).or_default().insert(day);
                }
            }
        }
    }

    /// Scores every queued job; a few fail for good and never count.
    async fn score(&mut self, guilds: &mut [Guild]) {
        let once = JobRetry {
            max_attempts: 1,
            ..JobRetry::default()
        };
        loop {
            let claimed = jobs::claim(&self.pool, "t", 200, std::time::Duration::from_secs(60))
                .await
                .unwrap();
            if claimed.is_empty() {
                return;
            }
            for job in claimed {
                let g = guilds.iter_mut().find(|g| g.id == job.guild_id).unwrap();
                let mut fact = g.submitted.remove(&job.answer_id).unwrap();
                if self.rng.random_bool(0.08) {
                    jobs::fail(&self.pool, &job.lease, "boom", &once)
                        .await
                        .unwrap();
                    continue;
                }
                let tenths = self.rng.random_range(0..=100);
                let a = assessment(tenths as f32 / 10.0);
                assert!(jobs::complete(&self.pool, &job.lease, &a).await.unwrap());
                fact.points = tenths;
                g.scored.push(fact);
            }
        }
    }

    /// Reactions: added, replaced, removed (some with a stale emoji), some on one's own answer.
    async fn reviews(&mut self, g: &mut Guild, answers: &[(i64, u64, &'static str)]) {
        for _ in 0..150 {
            let (answer, author, track) = answers[self.rng.random_range(0..answers.len())];
            let reviewer = self.rng.random_range(1..=MEMBERS);
            let (emoji, value) = EMOJIS[self.rng.random_range(0..EMOJIS.len())];
            if self.rng.random_bool(0.25) {
                let removed = reviews::remove(&self.pool, answer, reviewer, emoji)
                    .await
                    .unwrap();
                let current = g.reviews.get(&(answer, reviewer)).map(|r| r.0);
                assert_eq!(removed, current == Some(emoji));
                if removed {
                    g.reviews.remove(&(answer, reviewer));
                }
                continue;
            }
            let at = self.random_time();
            let outcome = reviews::record(&self.pool, answer, reviewer, value, emoji, at)
                .await
                .unwrap();
            let fact = Fact {
                user: reviewer,
                track,
                day: g.day_of(at),
                points: 0,
            };
            let expected = match g.reviews.get_mut(&(answer, reviewer)) {
                _ if reviewer == author => ReviewOutcome::OwnAnswer,
                Some(existing) => {
                    existing.0 = emoji;
                    ReviewOutcome::Replaced
                }
                None => {
                    g.reviews.insert((answer, reviewer), (emoji, fact));
                    ReviewOutcome::Added
                }
            };
            assert_eq!(outcome, expected);
        }
    }
}

/// Every submitted answer of a guild: id, author, track.
async fn answers_of(pool: &PgPool, guild: u64) -> Vec<(i64, u64, &'static str)> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT answer_id, user_id, track FROM answers WHERE guild_id = $1 AND status <> 'open' ORDER BY answer_id",
    )
    .bind(guild as i64)
    .fetch_all(pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(id, user, track)| {
            (
                id,
                user as u64,
                *TRACKS.iter().find(|t| **t == track).unwrap(),
            )
        })
        .collect()
}

/// Two guilds of random activity, through the store.
async fn random_world(pool: &PgPool, seed: u64) -> Vec<Guild> {
    eprintln!("random data seed: {seed} (set LEADERBOARD_SEED to replay)");
    fixtures::seed_bank(pool).await;
    let mut w = World {
        pool: pool.clone(),
        rng: ChaCha8Rng::seed_from_u64(seed),
        now: Utc::now(),
        thread: 0,
    };
    let mut gs = vec![w.guild(1, "UTC", 0).await, w.guild(2, "Etc/GMT-9", 9).await];
    for g in gs.iter_mut() {
        for _ in 0..40 {
            w.interview(g).await;
        }
        w.qotd(g).await;
    }
    w.score(&mut gs).await;
    for g in gs.iter_mut() {
        let answers = answers_of(pool, g.id).await;
        w.reviews(g, &answers).await;
    }
    gs
}

fn seed() -> u64 {
    std::env::var("LEADERBOARD_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random)
}

/// The board computed from the model: (user, value, answers), best first.
fn brute_force(
    g: &Guild,
    metric: Metric,
    since: Option<NaiveDate>,
    track: Option<&str>,
) -> Vec<(u64, f64, i64)> {
    let mut rows: Vec<(u64, f64, i64)> = match metric {
        Metric::QotdStreak => streaks(g, since),
        _ => counters(g, metric, since, track),
    };
    rows.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    rows
}

fn counters(
    g: &Guild,
    metric: Metric,
    since: Option<NaiveDate>,
    track: Option<&str>,
) -> Vec<(u64, f64, i64)> {
    let keep = |f: &Fact| track.is_none_or(|t| t == f.track) && since.is_none_or(|s| f.day >= s);
    let mut per_user: HashMap<u64, [i64; 4]> = HashMap::new();
    for f in g.scored.iter().filter(|f| keep(f)) {
        let c = per_user.entry(f.user).or_default();
        c[0] += 1;
        c[1] += f.points;
    }
    for f in g.completed.iter().filter(|f| keep(f)) {
        per_user.entry(f.user).or_default()[2] += 1;
    }
    for (_, f) in g.reviews.values().filter(|(_, f)| keep(f)) {
        per_user.entry(f.user).or_default()[3] += 1;
    }
    per_user
        .into_iter()
        .filter_map(|(user, [answers, points, interviews, reviews])| {
            let value = match metric {
                Metric::AverageScore { min_answers } => (answers >= i64::from(min_answers.max(1)))
                    .then(|| points as f64 / answers as f64 / 10.0),
                Metric::TotalPoints => (points > 0).then(|| points as f64 / 10.0),
                Metric::InterviewsCompleted => (interviews > 0).then_some(interviews as f64),
                _ => (reviews > 0).then_some(reviews as f64),
            };
            value.map(|v| (user, v, answers))
        })
        .collect()
}

fn streaks(g: &Guild, since: Option<NaiveDate>) -> Vec<(u64, f64, i64)> {
    let live: Vec<NaiveDate> = g.posts.iter().rev().take(2).copied().collect();
    g.qotd_answered
        .iter()
        .filter_map(|(&user, days)| {
            let last = *days.iter().next_back()?;
            if !live.contains(&last) {
                return None;
            }
            let upto = g.posts.iter().position(|&d| d == last)?;
            let run = g.posts[..=upto]
                .iter()
                .rev()
                .take_while(|d| days.contains(d))
                .count();
            let in_period = g.posts[..=upto]
                .iter()
                .filter(|&&d| since.is_none_or(|s| d >= s))
                .count();
            let value = run.min(in_period);
            (value > 0).then_some((user, value as f64, 0))
        })
        .collect()
}

fn standing(rows: &[(u64, f64, i64)], i: usize) -> Standing {
    let (user, value, answers) = rows[i];
    let rank = 1 + rows.iter().filter(|r| r.1 > value).count() as i64;
    Standing {
        rank,
        user_id: user,
        display_name: format!("member {user}"),
        value,
        answers,
    }
}

fn expected_board(rows: &[(u64, f64, i64)], offset: usize, limit: usize, caller: u64) -> Board {
    let end = (offset + limit).min(rows.len());
    Board {
        entries: (offset.min(end)..end).map(|i| standing(rows, i)).collect(),
        ranked: rows.len() as i64,
        caller: rows
            .iter()
            .position(|r| r.0 == caller)
            .map(|i| standing(rows, i)),
    }
}

/// Every metric × period × track × (whole board, a middle page) against the brute force.
async fn compare_every_board(pool: &PgPool, gs: &[Guild], seed: u64) {
    let metrics = [
        Metric::AverageScore { min_answers: 1 },
        Metric::AverageScore { min_answers: 3 },
        Metric::TotalPoints,
        Metric::InterviewsCompleted,
        Metric::QotdStreak,
        Metric::ReviewsGiven,
    ];
    let tracks = [
        None,
        Some("backend"),
        Some("databases"),
        Some("system-design"),
        Some("nope"),
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xb0a2d);
    let (mut compared, mut nonempty) = (0, 0);
    for g in gs {
        let week = Period::ThisWeek.since(g.today);
        let month = Period::ThisMonth.since(g.today);
        let sinces = [
            None,
            Some(g.today),
            week,
            month,
            Some(g.today - Duration::days(10)),
            Some(g.today - Duration::days(60)),
        ];
        for metric in metrics {
            for since in sinces {
                for track in tracks {
                    let rows = brute_force(g, metric, since, track);
                    nonempty += usize::from(rows.len() > 1);
                    for (offset, limit) in [(0, 1000), (3, 4)] {
                        let caller = if rng.random_bool(0.1) {
                            999
                        } else {
                            rng.random_range(1..=MEMBERS)
                        };
                        let q = BoardQuery {
                            guild_id: g.id,
                            metric,
                            since,
                            track,
                            offset,
                            limit,
                            caller,
                        };
                        let board = leaderboards::board(pool, &q).await.unwrap();
                        let expected =
                            expected_board(&rows, offset as usize, limit as usize, caller);
                        assert_eq!(board, expected, "guild {} {metric:?} since {since:?} track {track:?} offset {offset} caller {caller} (seed {seed})", g.id);
                        compared += 1;
                    }
                }
            }
        }
    }
    assert_eq!(compared, 2 * 6 * 6 * 5 * 2);
    // Most boards rank several members (the rest: an unknown track, a far period, streaks by track).
    assert!(
        nonempty > 200,
        "only {nonempty} boards rank more than one member"
    );
    assert!(gs
        .iter()
        .all(|g| !g.scored.is_empty() && !g.completed.is_empty() && !g.reviews.is_empty()));
}

#[tokio::test]
async fn every_board_equals_a_brute_force_computation_over_random_activity() {
    let db = TestDb::new().await;
    let seed = seed();
    let gs = random_world(&db.pool, seed).await;
    compare_every_board(&db.pool, &gs, seed).await;
}

/// The roll-up rows that count (removing a review leaves a row of zeros behind).
async fn rollup_rows(
    pool: &PgPool,
) -> Vec<(i64, i64, String, Option<NaiveDate>, i64, i64, i64, i64)> {
    sqlx::query_as(
        "SELECT guild_id, user_id, track, NULL::date, answers::int8, points, interviews::int8, reviews::int8
         FROM member_totals WHERE answers + interviews + reviews > 0
         UNION ALL
         SELECT guild_id, user_id, track, day, answers::int8, points, interviews::int8, reviews::int8
         FROM member_days WHERE answers + interviews + reviews > 0
         UNION ALL
         SELECT guild_id, user_id, 'streak', last_day, current::int8, best::int8, 0, 0 FROM qotd_streaks
         ORDER BY 1, 2, 3, 4",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn rebuilding_the_roll_ups_from_the_facts_gives_the_same_boards() {
    let db = TestDb::new().await;
    let seed = seed();
    let gs = random_world(&db.pool, seed).await;
    let kept = rollup_rows(&db.pool).await;
    rollups::rebuild(&db.pool).await.unwrap();
    assert_eq!(rollup_rows(&db.pool).await, kept, "seed {seed}");
    compare_every_board(&db.pool, &gs, seed).await;
}

/// Forgets `user` in the model as erasing them should: their answers, interviews, QOTD
/// answers and the reviews they gave, and the reviews others gave their answers.
fn forget(g: &mut Guild, user: u64, authored: &BTreeSet<i64>) {
    g.submitted.retain(|_, f| f.user != user);
    g.scored.retain(|f| f.user != user);
    g.completed.retain(|f| f.user != user);
    g.reviews
        .retain(|(answer, reviewer), _| *reviewer != user && !authored.contains(answer));
    g.qotd_answered.remove(&user);
}

/// The member's export names every table that has a column for a member: a table added later
/// without a place in the export fails here.
async fn assert_export_covers_every_member_table(pool: &PgPool, export: &serde_json::Value) {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT table_name::text FROM information_schema.columns
         WHERE table_schema = 'public' AND column_name IN ('user_id', 'reviewer_id')",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert!(tables.len() >= 7, "{tables:?}");
    let keys: Vec<&String> = export.as_object().unwrap().keys().collect();
    for table in tables {
        assert!(
            keys.iter()
                .any(|k| **k == table || k.starts_with(&format!("{table}_"))),
            "the export has nothing from {table}: {keys:?}"
        );
    }
}

#[tokio::test]
async fn erasing_a_member_leaves_boards_equal_to_a_recomputation_without_them() {
    let db = TestDb::new().await;
    let seed = seed();
    let mut gs = random_world(&db.pool, seed).await;
    let (guild, user) = (gs[0].id, 3);
    let export = privacy::export_member(&db.pool, guild, user).await.unwrap();
    assert_export_covers_every_member_table(&db.pool, &export).await;
    for key in [
        "interviews",
        "answers",
        "reviews_given",
        "reviews_received",
        "member_totals",
    ] {
        let rows = export[key].as_array().unwrap();
        assert!(!rows.is_empty(), "{key} is empty (seed {seed})");
    }
    let other_guild = privacy::export_member(&db.pool, gs[1].id, user)
        .await
        .unwrap();

    let authored: BTreeSet<i64> = answers_of(&db.pool, guild)
        .await
        .into_iter()
        .filter(|(_, author, _)| *author == user)
        .map(|(id, _, _)| id)
        .collect();
    let erased = privacy::erase_member(&db.pool, guild, user).await.unwrap();
    assert_eq!(
        erased.interviews as usize,
        export["interviews"].as_array().unwrap().len()
    );
    assert_eq!(
        erased.reviews_given as usize,
        export["reviews_given"].as_array().unwrap().len()
    );
    forget(&mut gs[0], user, &authored);

    let after = privacy::export_member(&db.pool, guild, user).await.unwrap();
    for (key, rows) in after.as_object().unwrap() {
        if let Some(rows) = rows.as_array() {
            assert!(rows.is_empty(), "{key} still holds {rows:?}");
        }
    }
    // The same member in another guild keeps everything there.
    let still = privacy::export_member(&db.pool, gs[1].id, user)
        .await
        .unwrap();
    assert_eq!(still["answers"], other_guild["answers"]);
    assert_eq!(still["member_totals"], other_guild["member_totals"]);

    let kept = rollup_rows(&db.pool).await;
    rollups::rebuild(&db.pool).await.unwrap();
    assert_eq!(rollup_rows(&db.pool).await, kept, "seed {seed}");
    compare_every_board(&db.pool, &gs, seed).await;
}

#[test]
fn periods_start_on_monday_and_on_the_first_of_the_month() {
    let thursday = NaiveDate::from_ymd_opt(2025, 5, 15).unwrap();
    assert_eq!(
        Period::ThisWeek.since(thursday),
        NaiveDate::from_ymd_opt(2025, 5, 12)
    );
    assert_eq!(
        Period::ThisMonth.since(thursday),
        NaiveDate::from_ymd_opt(2025, 5, 1)
    );
    assert_eq!(Period::AllTime.since(thursday), None);
}
