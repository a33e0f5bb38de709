# syntax=docker/dockerfile:1
#
# Mockingbird's production image: `docker build -t mockingbird .`
#
# Four stages. The dependencies are compiled in a layer of their own, with cargo-chef: the
# `planner` stage reduces the crate to a recipe (Cargo.toml, Cargo.lock and the list of targets,
# no source), and the `builder` stage compiles every dependency from that recipe before it copies
# the source in. Docker caches that layer for as long as the recipe is unchanged, so editing
# src/ recompiles only Mockingbird itself, not the hundreds of crates it depends on. (The older
# trick of building against a dummy `fn main() {}` breaks on a crate with several targets,
# benches and features, and needs `touch`ing to make cargo rebuild; cargo-chef does that work.)
#
# The default build is the product: the fake Discord and the fake LLM and speech servers are
# features it leaves out. It checks its SQL against the committed `.sqlx/` data (SQLX_OFFLINE), so it needs no database.
# The binary uses rustls (no OpenSSL) and embeds its font, question bank and migrations, so the
# runtime stage is a slim Debian with CA certificates and curl (for the health check) only.

# Keep at or above `rust-version` in Cargo.toml. The builder and the runtime are both Debian
# bookworm, so the binary links against the glibc it runs on.
ARG RUST_VERSION=1.95
ARG CARGO_CHEF_VERSION=0.1.78

FROM rust:${RUST_VERSION}-slim-bookworm AS chef
ARG CARGO_CHEF_VERSION
RUN cargo install cargo-chef --locked --version "${CARGO_CHEF_VERSION}"
WORKDIR /src

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
ENV SQLX_OFFLINE=true
COPY --from=planner /src/recipe.json recipe.json
# The cached layer: the dependencies only, with the same profile and features as the real build.
RUN cargo chef cook --release --locked --bin mockingbird \
        --recipe-path recipe.json
COPY . .
# The release profile keeps line tables, so a panic's backtrace names files and lines. Compressed,
# they take the binary from about 130 MB to about 60 MB and still work (stripped: about 30 MB,
# without line numbers).
RUN cargo build --release --locked --bin mockingbird \
    && objcopy --compress-debug-sections=zlib target/release/mockingbird

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 mockingbird \
    && useradd --system --uid 10001 --gid mockingbird --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin mockingbird
COPY --from=builder /src/target/release/mockingbird /usr/local/bin/mockingbird
# `/healthz` (200 when the database answers and the Discord shards are connected) and
# `/metrics` (Prometheus) are served on PORT.
ENV PORT=8080
# Numeric, so that orchestrators enforcing "run as non-root" can check it without /etc/passwd.
USER 10001:10001
EXPOSE 8080
# Generous start period: `run` applies the migrations and connects to Discord before it is
# healthy. Docker Compose and Fly.io declare their own checks on the same endpoint.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${PORT:-8080}/healthz" || exit 1
# `docker run IMAGE` runs the bot; `docker run IMAGE migrate`, `… practice`, `… questions list`
# run the other subcommands.
ENTRYPOINT ["mockingbird"]
CMD ["run"]
