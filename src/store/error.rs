//! The store's one error type. Constraint violations that a user can cause come back as their
//! own variants, so the bot can tell a member what happened rather than log a database error.
//! The messages here are for the log: what a member reads is the bot's to word, from the
//! variant and its fields.

use sqlx::error::ErrorKind;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the member already has an active interview, in thread {thread_id}")]
    InterviewActive { thread_id: u64 },
    #[error("thread {thread_id} already holds an interview")]
    ThreadTaken { thread_id: u64 },
    #[error("no active interview {interview_id}")]
    InterviewNotActive { interview_id: i64 },
    #[error("unknown question \"{id}\"")]
    UnknownQuestion { id: String },
    #[error("the interview turn already has an answer")]
    AlreadyAnswered,
    #[error("answer {answer_id} is not open any more")]
    AnswerNotOpen { answer_id: i64 },
    #[error("answer {answer_id} is full: the message would take it past its length limit")]
    AnswerFull { answer_id: i64 },
    #[error("the question of the day is closed to answers")]
    QotdClosed,
    #[error("PostgreSQL does not know the time zone {0:?}")]
    UnknownTimeZone(String),
    #[error("{0} does not exist")]
    Missing(&'static str),
    #[error("invalid value: {0}")]
    Invalid(String),
    #[error("unexpected value in the database: {0}")]
    Corrupt(String),
    /// Connecting failed. The URL is left out on purpose: it may hold a password.
    #[error("cannot connect to PostgreSQL")]
    Connect(#[source] sqlx::Error),
    #[error("migrations failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    /// Violations that callers can trigger map to typed errors; the rest stays a database error.
    fn from(err: sqlx::Error) -> Self {
        let Some(db) = err.as_database_error() else {
            return StoreError::Database(err);
        };
        match (db.kind(), db.constraint()) {
            (ErrorKind::ForeignKeyViolation, Some(name)) => StoreError::Missing(missing(name)),
            (ErrorKind::CheckViolation, Some(name)) => {
                StoreError::Invalid(format!("refused by the rule {name}"))
            }
            (ErrorKind::UniqueViolation, Some("answers_interview_turn")) => {
                StoreError::AlreadyAnswered
            }
            _ => StoreError::Database(err),
        }
    }
}

/// What a foreign key names, for the message.
fn missing(constraint: &str) -> &'static str {
    if constraint.ends_with("guild_id_user_id_fkey") || constraint.ends_with("reviewer_id_fkey") {
        "the member"
    } else if constraint.ends_with("question_key_fkey") {
        "the question"
    } else if constraint.ends_with("answer_id_fkey") {
        "the answer"
    } else if constraint.ends_with("guild_id_fkey") {
        "the guild"
    } else {
        "a referenced row"
    }
}

/// The name of the constraint an error violated, if it is a constraint violation.
pub(crate) fn violated(err: &sqlx::Error) -> Option<&str> {
    err.as_database_error().and_then(|db| db.constraint())
}

/// Whether the database refused a time zone name.
pub(crate) fn is_unknown_time_zone(err: &sqlx::Error) -> bool {
    // 22023: invalid_parameter_value, which PostgreSQL raises for unknown zone names.
    err.as_database_error()
        .and_then(|db| db.code())
        .is_some_and(|code| code == "22023")
}
