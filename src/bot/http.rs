//! The operator's HTTP endpoint on `PORT`: `/healthz` (200 when the database answers and every
//! shard of this process is connected, 503 otherwise, with the details as JSON) and `/metrics`
//! (Prometheus text). It starts before the gateway connects, so a deploy sees "starting".

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serenity::all::{ConnectionStage, ShardManager};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::metrics::{Metrics, ShardLabel};
use crate::scoring::Grader;
use crate::store::{self, PgPool};

/// What the endpoint reads.
#[derive(Clone)]
pub struct Status {
    pub pool: PgPool,
    pub metrics: Arc<Metrics>,
    pub grader: Arc<Grader>,
    pub shards: Arc<ShardManager>,
}

/// Serves until `shutdown` turns true.
pub async fn serve(
    listener: TcpListener,
    status: Status,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .with_state(status);
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = shutdown.wait_for(|stop| *stop).await;
        })
        .await
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    database: bool,
    shards: Vec<ShardHealth>,
}

#[derive(Serialize)]
struct ShardHealth {
    id: u32,
    stage: String,
    latency_ms: Option<u128>,
}

async fn healthz(State(s): State<Status>) -> Response {
    let database = store::ping(&s.pool).await.is_ok();
    let shards: Vec<ShardHealth> = {
        let runners = s.shards.runners.lock().await;
        let mut shards: Vec<ShardHealth> = runners
            .iter()
            .map(|(id, info)| ShardHealth {
                id: id.0,
                stage: info.stage.to_string(),
                latency_ms: info.latency.map(|l| l.as_millis()),
            })
            .collect();
        shards.sort_by_key(|s| s.id);
        shards
    };
    let connected = ConnectionStage::Connected.to_string();
    let ready = !shards.is_empty() && shards.iter().all(|s| s.stage == connected);
    let (code, status) = match (database, ready) {
        (true, true) => (StatusCode::OK, "ok"),
        (true, false) => (StatusCode::SERVICE_UNAVAILABLE, "starting"),
        (false, _) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    };
    let health = Health {
        status,
        database,
        shards,
    };
    (code, Json(health)).into_response()
}

async fn metrics(State(s): State<Status>) -> Response {
    if let Ok(depth) = store::jobs::pending(&s.pool).await {
        s.metrics.queue_depth.set(depth);
    }
    for (kind, total) in s.grader.failure_counts() {
        s.metrics.set_llm_failures(kind, total);
    }
    for (id, info) in s.shards.runners.lock().await.iter() {
        if let Some(latency) = info.latency {
            let shard = ShardLabel {
                shard: id.0.to_string(),
            };
            s.metrics
                .gateway_latency_seconds
                .get_or_create(&shard)
                .set(latency.as_secs_f64());
        }
    }
    let content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    ([(header::CONTENT_TYPE, content_type)], s.metrics.encode()).into_response()
}
