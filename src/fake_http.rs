//! What the fake OpenAI-compatible servers (the LLM's and the speech one's) share: an axum app
//! served on localhost for as long as a test holds it, and locks a failed test cannot poison.
//! Test support only, behind the `fake-llm` feature.

use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};

use axum::serve::ListenerExt;
use axum::Router;
use tokio::task::JoinHandle;

/// A fake served on localhost; it stops when dropped.
pub struct FakeServer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl FakeServer {
    /// Serves `app` on `addr` (port 0: any free port). `name` says which fake stopped, if one
    /// does.
    pub async fn serve(
        addr: SocketAddr,
        app: Router,
        name: &'static str,
    ) -> std::io::Result<FakeServer> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            // Replies go out at once, not after the client's delayed ACK.
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            if let Err(e) = axum::serve(listener, app).await {
                tracing::warn!(error = %crate::errors::error_chain(&e), server = name, "a fake server stopped");
            }
        });
        Ok(FakeServer { addr, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Test code must not die of a poisoned lock; the data is always left whole.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
