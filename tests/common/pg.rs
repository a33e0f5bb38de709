//! A fresh PostgreSQL database per test, with the migrations applied, dropped when the test ends
//! (passed or failed). The server is `DATABASE_URL` when set, else the local one as `postgres`.

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

use mockingbird::store::{self, PgPool};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgConnection};

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database that exists for one test.
pub struct TestDb {
    pub pool: PgPool,
    name: String,
    admin: PgConnectOptions,
    server_url: String,
}

impl TestDb {
    /// Creates a uniquely named database and migrates it.
    pub async fn new() -> TestDb {
        static SEQ: AtomicU32 = AtomicU32::new(0);
        let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.into());
        let admin = PgConnectOptions::from_str(&url)
            .expect("DATABASE_URL is a postgres:// URL")
            .disable_statement_logging();
        let name = format!(
            "mockingbird_test_{}_{}_{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed),
            rand::random::<u32>()
        );
        let mut conn = PgConnection::connect_with(&admin)
            .await
            .unwrap_or_else(|e| panic!("cannot reach PostgreSQL for the tests ({e}); set DATABASE_URL or run scripts/test.sh"));
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut conn)
            .await
            .expect("create the test database");
        conn.close().await.ok();
        let pool = PgPoolOptions::new()
            .max_connections(12)
            .connect_with(admin.clone().database(&name))
            .await
            .expect("connect to the test database");
        store::migrate(&pool)
            .await
            .expect("migrate the test database");
        TestDb {
            pool,
            name,
            admin,
            server_url: url,
        }
    }

    /// A URL for this database, for a bot process started by the test.
    pub fn url(&self) -> String {
        let (base, query) = match self.server_url.split_once('?') {
            Some((b, q)) => (b, format!("?{q}")),
            None => (self.server_url.as_str(), String::new()),
        };
        // Everything up to the database path (which may be absent).
        let after_scheme = base.find("://").map_or(0, |i| i + 3);
        let server = match base[after_scheme..].find('/') {
            Some(i) => &base[..after_scheme + i],
            None => base,
        };
        format!("{server}/{}{query}", self.name)
    }
}

impl Drop for TestDb {
    /// Drops the database on a thread of its own: `Drop` cannot await, and the test's runtime
    /// may be the one blocked here.
    fn drop(&mut self) {
        let name = self.name.clone();
        let admin = self.admin.clone();
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                let mut conn = PgConnection::connect_with(&admin).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .execute(&mut conn)
                    .await?;
                conn.close().await
            })
            .map_err(std::io::Error::other)
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("warning: could not drop test database {}", self.name);
        }
    }
}
