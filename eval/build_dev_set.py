#!/usr/bin/env python3
"""Build eval/dev.csv, the human-graded development set for Mockingbird's answer scorer.

Each entry in ANSWERS below is (question id, human score, candidate answer). The answers were
written by hand to imitate real candidates of every quality, and graded 0-5 by one grader on the
scale in eval/README.md, without running or reading the automatic scorer. This script adds each
question's model answer, copied verbatim from the bank (questions/*.toml), as reference_answer,
checks the data, writes the CSV (RFC 4180, header row) and prints the grade distribution.

Run from anywhere:  python3 eval/build_dev_set.py
"""

import collections
import csv
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BANK_DIR = ROOT / "questions"
OUT = ROOT / "eval" / "dev.csv"
SCALE = 5
MIN_WORDS, MAX_WORDS = 20, 250

# (question id, human score 0-5, candidate answer)
ANSWERS = [
    # --- apis ---
    ("http-methods-idempotency-status-codes", 5, """
Safe = no state change on the server: GET, HEAD, OPTIONS. So a browser can prefetch a link, a crawler can follow it and a cache can answer it without asking anyone. Idempotent is weaker: doing the call twice leaves the server in the same state as doing it once. PUT (replace the thing at this URI) and DELETE are idempotent, even though a second DELETE might give you a 404 instead of a 204. POST isn't, and PATCH isn't guaranteed to be either (think "increment by 1"). That matters because when a request times out the client doesn't know whether it landed. For PUT/DELETE it can just retry, and proxies and HTTP libraries will auto-retry those on a dropped connection. For a payment POST a blind retry can double-charge, so I'd accept an Idempotency-Key.

On status codes: 4xx means the client has to change something or it'll keep failing; 5xx means we broke and the identical request may work later, so clients can back off and retry and it should alert us, not them. 409 when the request is fine but clashes with current state - stale version on an update, email already registered. 422 when the JSON parses but fails validation, like an end date before the start date. 429 when they hit a rate limit, with Retry-After so they know when to come back. And never a 200 with an error hidden in the body.
"""),
    ("http-methods-idempotency-status-codes", 2, """
So GET is for reading, POST for creating, PUT for updating and DELETE for deleting, and PATCH for partial updates. GET is safe because it doesnt change anything. Idempotent means you get the same response every time you call it, so really only GET is idempotent - PUT and DELETE change data so they can't be idempotent. It matters to clients because they know they can retry GETs. For POST, if it times out the client can just send it again, the server should deal with duplicates. 409 is conflict, 422 is unprocessable entity and 429 is too many requests. 4xx is when the client did something wrong and 5xx is when the server has a bug.
"""),
    ("http-methods-idempotency-status-codes", 1, """
GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS.
- safe: GET
- idempotent: yes
- REST, stateless, caching, proxies
- 409 / 422 / 429
- 4xx client, 5xx server
- retries
"""),
    ("http-caching-headers", 4, """
The browser and the CDN are both caches sitting in front of the API, and Cache-Control is how the origin tells them what they're allowed to do. max-age is how long the response is fresh for anyone, s-maxage overrides that for shared caches like the CDN, public/private says whether shared caches may store it at all, and no-store means don't keep it anywhere. Note no-cache doesn't mean "don't cache" - it means store it but revalidate every time.

Revalidation is where ETag comes in: the server sends an ETag (a hash or version of the content), and when the cached copy is stale the client sends If-None-Match with that value. If nothing changed the server answers 304 Not Modified with no body, so you save the bandwidth and the rendering work even if not the round trip.

For the public product page I'd do something like public, max-age=60, s-maxage=300 plus an ETag, so the CDN absorbs most traffic and we purge the CDN when a product is edited. For the account page it's private, no-store (or at least private, no-cache) so the CDN never stores one user's data and serves it to someone else. I didn't mention Vary - it makes the cache key include request headers like Accept-Encoding, I'd have to double-check how I'd use it here.
"""),
    ("http-caching-headers", 1, """
Caching is mostly handled by the CDN, we use Cloudflare and it just caches everything for us. Cache-Control: no-cache means the browser will never cache the response, so for the account page I'd set no-cache and for the product page I'd set max-age to something like a day. The ETag is basically a security token the server sends so the browser can prove the response wasn't tampered with, and 304 is a redirect to the cached version. Vary I haven't really used.
"""),
    ("http1-http2-http3", 3, """
HTTP/1.1 is text based and you can really only have one request in flight per connection (pipelining exists but nobody uses it), so browsers open like 6 connections per host and we did hacks like domain sharding and sprite sheets. HTTP/2 made it binary and multiplexes many streams over one TCP connection, plus HPACK header compression, so one connection is enough. HTTP/3 moves off TCP onto QUIC which is over UDP, and it has TLS built in. The main reason for HTTP/3 is that with HTTP/2 if one TCP packet gets lost all the streams wait for it, because TCP delivers bytes in order - that's head-of-line blocking at the transport layer. QUIC handles loss per stream so the other streams keep going. I think it also makes the handshake faster but I'm not sure about the details.
"""),
    ("http1-http2-http3", 5, """
HTTP/1.1: keep-alive lets you reuse a connection, but a connection carries one request/response at a time, so a slow response blocks the ones queued behind it. Browsers work around it with ~6 parallel connections per origin, which costs extra handshakes and congestion windows.

HTTP/2: one TCP connection, binary frames, many interleaved streams, HPACK to compress the repetitive headers. That fixes head-of-line blocking at the HTTP layer, but not at TCP: TCP guarantees an ordered byte stream, so a single lost packet stalls every stream on the connection until it's retransmitted. On a lossy mobile network HTTP/2 can actually do worse than several HTTP/1.1 connections.

HTTP/3: runs on QUIC over UDP. QUIC does its own reliable delivery and congestion control, but per stream, so loss on one stream doesn't hold the others up. It's still fully reliable - UDP is just the carrier. TLS 1.3 is baked into the transport, so a new connection takes one round trip instead of TCP+TLS, and resumed connections can send 0-RTT data (which is replayable, so only for idempotent requests). Connections are identified by a connection ID rather than the IP/port tuple, so a phone moving from wifi to 4G keeps its connection.

Practically: some networks block or throttle UDP, so a client starts on HTTP/2 over TCP, learns from the Alt-Svc header that HTTP/3 is available, and falls back when QUIC doesn't get through. Load balancers and observability tooling also need QUIC support, which is the operational cost.
"""),
    ("api-versioning-compatibility", 4, """
My default is to not version at all for most changes, and only make additive changes: new endpoints, new optional fields in requests, new fields in responses. That only works if clients ignore fields they don't recognise, so I'd document that explicitly and make our own SDKs tolerant.

The things that break people are: removing or renaming a field, changing a type (int id to string), making an optional field required, tightening validation, changing error codes or adding a new enum value that a strict client will choke on. For those you need a new version.

How to version: URL path (/v2/...) is the most visible and easy to route and cache, but it's coarse - every endpoint gets a new version even if one changed. A header or media type keeps URLs stable but is easier to forget and harder to test in a browser. Stripe's date-based approach pins each account to the version it signed up on and upgrades are opt in, which is great but needs a translation layer in the backend for each version.

Then deprecation: announce it, give a long window (for hundreds of third parties at least 6–12 months), send Deprecation/Sunset headers, and actually look at the logs per API key to see who's still calling the old version and reach out to them before turning it off.
"""),
    ("api-versioning-compatibility", 2, """
I would put the version in the URL, like /api/v1/orders, and every time we change something in the API we release a new version, /v2, /v3 etc. That way existing integrations never break because they're pinned to their version. Old versions get deprecated after 6 months and then we delete them on that date - we announce it in the changelog and by email so it's the integrators responsibility to migrate. Adding a field should be fine in most cases though. Semantic versioning is also good to communicate breaking changes.
"""),
    ("api-versioning-compatibility", 0, """
For versioning I'm a big fan of trunk based development. Everyone merges into main at least once a day, we use feature flags to hide unfinished work, and we tag releases in git with semantic versions like v1.4.2. Then the CI pipeline builds the tagged commit and deploys it. We avoid long lived release branches because merging them back is painful and leads to conflicts. Hotfixes go to main and get cherry-picked if needed.
"""),
    ("pagination-offset-vs-cursor", 5, """
- Offset (LIMIT 50 OFFSET 10000): trivial to build, supports "jump to page 37" and a total count. But the DB still reads and discards all 10000 skipped rows, so deep pages get slower and slower - with millions of orders that's a real problem.
- Offsets also drift when data changes. Say I'm on page 2 and a new order lands at the head of the list: every row moves down one slot, so page 3 repeats the last row I saw. A delete makes me skip a row.
- Cursor/keyset: remember where you stopped, not how many you skipped. Sort by (created_at DESC, id DESC) - the id is there as a tiebreaker because two orders can share a timestamp - and the following page asks for rows strictly before the tuple (:ts, :id) from the previous page, same ORDER BY, LIMIT 50.
- With a composite index on (customer_id, created_at, id) that's an index seek, so page 1 and page 20,000 cost the same. Inserts elsewhere don't shift anything, so no dupes/gaps.
- Downsides: no random access to page N, a cursor is tied to a sort order, totals need a separate (maybe approximate) count.
- I'd return an opaque base64 next_cursor so clients can't build their own and I can change the encoding later, and cap the page size.
For this endpoint: cursor. Offset only for small admin screens.
"""),
    ("pagination-offset-vs-cursor", 3, """
With offset pagination you pass page and page size and the query does LIMIT/OFFSET. The problem is with millions of rows a big offset is slow since the database has to scan through all the earlier rows first. Also if orders are added while the client is paging, items move between pages and you can see the same order twice.

Cursor pagination fixes both: you return the created_at of the last order as the cursor and the next query is WHERE created_at < cursor ORDER BY created_at DESC LIMIT 50. It uses the index so it's fast at any depth, and inserted rows don't shift the pages. So for millions of rows I'd go with cursor pagination.
"""),
    ("pagination-offset-vs-cursor", 1, """
I'd just use LIMIT and OFFSET, it's the standard way and it works with every ORM. Databases are heavily optimised for it - as long as there's an index on the table, skipping to an offset is basically constant time, so page 1 and page 10,000 are the same speed. If rows get inserted while someone is paging that's fine, the database handles consistency with transactions. Cursor pagination is mostly a GraphQL thing from Relay, I wouldn't bother with it for a REST API.
"""),
    ("webhook-delivery-design", 4, """
I wouldn't send the webhook from the payment flow itself. When the payment succeeds we write a webhook event row in the same DB transaction, and a separate delivery worker picks those up and POSTs them, so a slow or dead customer endpoint can never slow down payments and we don't lose events if we crash right after committing.

Each request is signed: HMAC-SHA256 over timestamp + raw body with a per-customer secret, in a header. The receiver recomputes it on the raw bytes (before JSON parsing), compares in constant time and rejects anything with a timestamp older than a few minutes to stop replays. Secrets can be rotated with two valid at once.

Anything that isn't a 2xx within a short timeout gets retried with exponential backoff for maybe a couple of days, then we mark it failed, email the customer and maybe disable the endpoint, and give them a dashboard to replay events.

Because of retries it's at-least-once, so every event has a unique id and receivers must dedupe on it - I'd say that very loudly in the docs. Recievers should also respond 200 quickly and process async.
"""),
    ("webhook-delivery-design", 2, """
When the payment succeeds, the payment service calls the customer's webhook URL directly with the payment details as JSON. To secure it we give each customer a unique secret URL with a long random token in it so nobody else can guess it, and we could also publish our IP ranges so they can allowlist them. If the call fails we retry it 3 times. On the receiver side they just need to return 200 and process the payment event. Since we retry, they might occasionally get the same event twice, so ideally they check if they already processed that payment.
"""),
    ("rest-vs-graphql", 3, """
REST is resource based - you have /products/123, /products/123/reviews etc, and you use HTTP verbs on them. GraphQL has a single /graphql endpoint and a typed schema, and the client writes a query that says exactly which fields it wants, so the mobile app can ask for less data than the web app and get product + reviews + seller in one round trip instead of three. Thats the big win, no over-fetching or under-fetching. Versioning is also nicer in GraphQL because you just add fields and mark old ones @deprecated instead of doing /v2.

The downside is caching: with REST you get HTTP caching and CDNs basically for free because each resource has a URL and GETs are cacheable, while GraphQL is mostly POSTs to one URL so you have to cache on the client (Apollo) or do something custom. GraphQL also has a learning curve and needs more tooling on the server side.
"""),
    ("rest-vs-graphql", 2, """
GraphQL is basically the modern replacement for REST. Instead of many endpoints you have one, and the client sends a query. It's faster than REST because everything comes back in a single request, and it also solves the N+1 problem since the whole query is resolved in one go on the server. Error handling is simpler too because you get a 200 and an errors field. REST is better only if you need HTTP caching, because GraphQL can't be cached at all. For web and mobile I'd definitely go GraphQL.
"""),
    ("grpc-vs-rest", 4, """
I'd pick gRPC for internal service-to-service calls, especially chatty or high-throughput ones. You define the service in a .proto file, protobuf gives you a compact binary encoding that's much cheaper to serialise than JSON, and you generate typed clients in every language so contracts are enforced at compile time. It runs on HTTP/2, so you get multiplexing over one connection and real streaming - server streaming, client streaming and bidirectional - which is awkward in REST.

I wouldn't use it for a public API or anything called from browsers. Browsers can't speak raw gRPC (no access to HTTP/2 trailers etc.), so you need gRPC-Web or Connect plus a proxy like Envoy. REST/JSON is just easier for third parties: curl, readable payloads, HTTP caching.

Schema evolution: fields are identified by their number, not their name, so you can add new fields freely and old clients ignore them. You must never change a field's number or reuse a number - when you delete a field you mark it reserved.

"""),
    # --- architecture ---
    ("microservices-vs-monolith", 5, """
I'd start by asking what actually hurts. Forty engineers on one codebase usually complain about slow builds and one team's bug blocking everyone's release. Microservices can fix the team-autonomy part, but you pay with network calls that fail, distributed debugging, tracing, on-call for many deployables, and data consistency problems. So my first step is usually a modular monolith: enforce module boundaries inside the codebase, give each module an owner and its own tables, and see if that's enough. Then split out modules only where there's a clear reason, like a different scaling profile or a team that's constantly blocked.

If we split: services talk synchronously (REST or gRPC) when the caller needs the answer right now, and asynchronously through events on a broker when it doesn't. Discovery in Kubernetes is just a Service name resolved through DNS with the platform load-balancing (server-side); alternatively a registry like Consul or Eureka where clients look up instances and balance themselves.

Each service owns its data and nobody else touches its tables, which means no ACID transaction across services. 2PC exists but it's blocking and fragile if the coordinator dies, so for "place order" I'd use a saga: create order as pending, reserve stock, charge payment, confirm - and if payment fails, run compensations (release stock, cancel order). Orchestrated by an order service (easier to follow) or choreographed through events (looser, harder to reason about). Every step needs an idempotency key because messages will be retried.
"""),
    ("microservices-vs-monolith", 2, """
With 40 engineers microservices are clearly the way to go, the monolith will only get worse over time. I'd split it by domain - users, orders, payments, inventory, notifications - so each team can deploy independently. Services find each other through Kubernetes service DNS and talk via REST, and we can add Kafka for events. For data, to keep things simple and consistent I'd keep one shared PostgreSQL database that all services use, so placing an order can still be a single transaction across the orders, payments and inventory tables. Later we can split the database if needed.
"""),
    ("queues-vs-event-streams", 4, """
With RabbitMQ-style queues, a message goes to one consumer out of the group of competing consumers, and once it's acked it's gone. It's great for distributing work - send this email, resize this image - with per-message acks, retries and dead letter queues for messages that keep failing.

Kafka is a log. Producers append to a topic split into partitions, messages stay for the retention period whether or not anyone read them, and each consumer group keeps its own offset. So several different services can read the same events independently, and you can replay from an old offset to rebuild state or backfill a new service. Within one group each partition is read by one consumer, so the partition count caps your parallelism.

Ordering: Kafka only orders within a partition, so you key messages by e.g. order_id to keep one order's events in sequence. RabbitMQ is roughly FIFO per queue but once you have several consumers or redeliveries that goes out the window.

Guarantees: in practice both are at-least-once - a consumer can crash after processing but before acking/committing - so consumers have to be idempotent.

I'd pick a queue for task distribution and a stream when many consumers need the same events or replay matters, its not either/or.
"""),
    ("queues-vs-event-streams", 3, """
The main difference is that in RabbitMQ a message is removed from the queue once a consumer acknowledges it, while Kafka keeps messages in a log for a retention period, so consumers can re-read them and multiple consumer groups can each get every message. Kafka also scales to a much higher throughput because it's just sequential appends to disk and it's partitioned.

So I'd use RabbitMQ for job queues where each task should be done once by one worker, and Kafka for event driven architectures where lots of services are interested in the same events, or for things like analytics pipelines where you want to replay. For guarantees, both can be configured to not lose messages if you use acks and persistence.
"""),
    ("queues-vs-event-streams", 0, """
Kafka is a distributed, horizontally scalable, fault-tolerant, high-throughput event streaming platform used by most of the Fortune 500, while RabbitMQ is a robust, battle-tested, enterprise-grade message broker. Both enable loosely coupled, event-driven, reactive microservices architectures and are cloud native. The choice depends on your use case and requirements, and both deliver messages reliably at scale.
"""),
    ("idempotency-keys-and-dedup", 5, """
Idempotent here means: the same logical operation arriving twice has its effect once. "Set status to shipped" is naturally idempotent; "charge 20 euros" is not, so it needs protection.

HTTP endpoint: the client generates a unique key per logical operation (a UUID when the user clicks Pay) and sends it as Idempotency-Key; on retry it resends the same key. It has to be the client: a server-made key would make each retry look new. Server side, I insert the key into an idempotency table with a unique constraint and status "in progress", in the same transaction as creating the charge record. If the insert hits the unique constraint: if it's completed, return the stored status code and body; if it's still in progress, return 409 so the client retries later; if the same key comes with a different request body (I store a hash), reject it with 422.

Message consumer: same idea with the message id. In one transaction I insert the message id into a processed_messages table (primary key) and apply the effect; a duplicate hits the key violation and I just ack it. The important part is atomicity - checking "have I seen this?" and then recording it in a separate step leaves a window where two consumers both pass the check.

Where possible I also make the write itself idempotent: upsert on a business key, or UPDATE ... WHERE version = :v, so a replay is a no-op even without the table.
"""),
    ("idempotency-keys-and-dedup", 2, """
Idempotency means that doing the same operation more than once has the same effect as doing it once. For the API, the server should generate a unique request ID (UUID) for every incoming payment request and store it in Redis. Before processing a payment we check Redis to see if the ID is already there, and if it isn't we process the payment and then add the ID. For the message consumers, Kafka has an idempotent producer setting so we'd turn that on, which prevents duplicates.
"""),
    ("transactional-outbox", 4, """
It's the classic dual write. The service commits the order to Postgres and then sends to Kafka as a second step, and those two aren't atomic. If the process dies or Kafka is unavailable between the commit and the publish, the order exists but nobody hears about it. If you publish first and then the DB commit fails (constraint violation, crash), consumers hear about an order that doesn't exist.

The outbox fixes it by only ever writing to one system in the request. In the same local transaction that inserts the order, you insert a row into an outbox table with the event payload. Either both commit or neither does. Then a separate relay process reads the outbox and publishes to Kafka, marking rows as sent. The relay can poll the table (simple, some latency, need to delete old rows), or use change data capture - Debezium tailing the Postgres WAL - which is lower latency and doesn't hammer the table.

If the relay dies between sending to Kafka and updating the row, it resends on restart, so duplicates happen. That makes it at-least-once, and consumers need to dedupe on the event id.
"""),
    ("transactional-outbox", 3, """
This happens because saving to the database and publishing to Kafka are two separate operations. If the app crashes after saving the order but before publishing, the event is lost, and if you publish before the commit and then the commit fails, you get an event for an order that doesn't exist.

With the outbox pattern, you write the event into an "outbox" table in the same transaction as the order. So the order and the event are saved atomically. Then a background job polls the outbox table every second or so, publishes any new events to Kafka and marks them as published. This way nothing gets lost, because even if Kafka is down the events wait in the table until it comes back.
"""),
    ("transactional-outbox", 1, """
The issue is probably that the publish to Kafka is happening outside the transaction. The fix is to move the Kafka publish inside the database transaction block, so if publishing fails the transaction rolls back and the order isn't saved, and if the DB fails the event isn't sent. Spring's @Transactional does this for you. The transactional outbox pattern is basically the name for this - it guarantees each event is delivered exactly once.
"""),
    ("event-sourcing-cqrs", 3, """
Event sourcing means instead of storing the current state of an entity you store every event that happened to it - AccountOpened, MoneyDeposited, MoneyWithdrawn - in an append-only event store, and the current state is computed by replaying the events. You get a full audit log for free and you can answer questions about the past, which is why it's popular in finance.

CQRS is separating the write side (commands that validate and produce events) from the read side (queries). You build read models, which are projections of the events into tables shaped for the queries you need, e.g. a balance table or a search index. If you need a new view you just create a new projection and replay all the events into it.

The cost is complexity, it's a lot more moving parts than CRUD and the read side is eventually consistent, so a user might not see their change immediately. I'd only use it for the core domain where the history really matters.
"""),
    ("event-sourcing-cqrs", 0, """
Event sourcing and CQRS - what do you gain, what does it cost, and how do you deal with read models and with event schemas that change over the years? That's a really good question and it's something I find interesting. There are a lot of gains but also costs, and read models and changing event schemas are definitely things you have to deal with over the years. It really depends.
"""),
    ("api-gateway-bff", 4, """
An API gateway is the one front door for clients - it routes /orders to the order service, /users to the user service and so on - and it's where you put the boring cross-cutting stuff once instead of in every service: TLS termination, validating the JWT, rate limiting, request logging, maybe CORS. Kong, AWS API Gateway, Envoy-based ones.

BFF is one step further: a separate backend per client type - one for the iOS/Android app, one for the web SPA - ideally owned by the team building that frontend. It calls the downstream services, aggregates the results and shapes the payload for that screen, so the mobile app makes one call over a slow network instead of five, and gets exactly the fields it needs.

What shouldn't be in them: business rules. The gateway should stay thin and dumb - the moment pricing logic lives in the gateway nobody owns it. A BFF can do presentation logic and aggregation but not domain decisions.

I'd add a gateway as soon as there's more than a couple of services exposed externally, and BFFs when the clients' needs really diverge.
"""),
    ("api-gateway-bff", 3, """
A gateway is the single entry point in front of your services; it routes requests and handles things like auth and rate limiting. A BFF is a backend built for one specific frontend, like one for mobile and one for web, which aggregates calls for it. Keep business logic in the services, not in the gateway.
"""),
    ("resilience-patterns", 5, """
The goal is that a slow recommendations service costs us a missing widget, never a failed checkout.
- Timeouts on every call, sized from the dependency's normal p99. Without one, slow calls pile up, hold threads and connections, and the checkout pool runs dry - that's how slowness cascades. Recommendations gets a tight timeout (a few hundred ms); payment a longer one.
- Retries only where they're safe and useful: idempotent requests, transient errors, 2–3 attempts max, exponential backoff with jitter so clients don't retry in lockstep, and a retry budget (e.g. retries ≤ 10% of calls) so we don't triple the load on a service that's already struggling. For payment, only retry with an idempotency key, otherwise you risk a double charge.
- Circuit breaker per dependency: when the error/timeout rate over a window crosses a threshold it opens and calls fail immediately without waiting for a timeout. After a cool-down it goes half-open and lets a handful of probe requests through; if they work it closes again.
- Fallback: when recommendations fails or the breaker is open, render checkout with no recommendations or a cached "popular items" list.
- Bulkheads: separate connection pools / thread pools / concurrency limits per dependency, so recommendations can exhaust its own 20 slots but never the ones payment needs.
Trade-off: all of these need tuning and metrics; badly chosen timeouts or breaker thresholds cause their own outages, so I'd watch them on a dashboard.
"""),
    ("resilience-patterns", 2, """
I would add a retry policy to both HTTP clients, something like 5 retries, so if recommendations is slow we just try again until it responds, and same for payments so a payment never fails because of a glitch. Then a circuit breaker with Hystrix or Resilience4j so if there are too many failures it stops calling the service for a while. And timeouts, maybe 30 seconds. Bulkheads I'm not 100% sure, I think it means running each service in its own container so they're isolated.
"""),
    ("exactly-once-delivery", 4, """
Not in the literal sense, and I'd tell the PM that honestly. Between the broker and a consumer, a message and its ack can each get lost, and from the sender's side "the consumer never got it" and "the consumer processed it but the ack was lost" look identical. So the sender has to either resend (risking a duplicate) or not (risking a loss). For payments losing an event is the worse outcome, so we choose at-least-once.

What we can build is effectively-once: at-least-once delivery plus processing that's idempotent. Every payment event carries a stable id assigned by the producer; the consumer, in one database transaction, inserts that id into a processed-events table with a unique constraint and applies the effect. A redelivered message hits the constraint and is acked without doing anything.

Kafka's exactly-once semantics (idempotent producer + transactions) are real but only cover read-from-Kafka, write-to-Kafka pipelines; the moment your consumer writes to Postgres or calls an API you're outside it.

Deliverable to the PM: each payment's effect is applied once, provided every step dedupes.
"""),
    ("exactly-once-delivery", 1, """
Yes, this is possible now. Kafka has supported exactly-once semantics since version 0.11. You set enable.idempotence=true on the producer and use transactions, and set isolation.level=read_committed on the consumer, and then each message is delivered and processed exactly once end to end, so the consumers don't need to worry about duplicates. Before that you'd have needed something like a distributed transaction.
"""),
    # --- behavioral ---
    ("complex-project-led", 5, """
Last year I led moving our billing system off a nightly batch job onto event-driven invoicing. The batch took 6 hours and failed about twice a month,, which meant manual re-runs and late invoices. What made it complex was that three teams depended on the batch output and we couldn't stop billing for a single day.

I owned the design and the rollout plan. I wrote the design doc, got it reviewed by the two other tech leads, and split the work into four milestones that each shipped something usable: first we emitted events alongside the batch, then ran the new invoice calculation in shadow mode and diffed its output against the batch for a month (that caught 14 proration bugs), then cut over one region at a time behind a flag, and finally deleted the batch. I personally wrote the diffing tool and did the cut-over runbooks.

I ran a fortnightly update for finance and support in plain language, and agreed a freeze window with them around month-end close.

Outcome: invoices now go out within minutes of the billing event, the manual re-runs went from ~2 per month to zero, and the on-call pages for billing dropped by about 70%.

What I'd do differently: I underestimated the reporting team's dependency on the batch tables and found out in milestone three, which cost us three weeks. Now I do a dependency inventory - literally grep for who reads the tables - before I write the plan.
"""),
    ("complex-project-led", 2, """
We led a big migration from our old monolith to microservices at my last company. It was complex because there were a lot of services and a lot of legacy code. We designed the new architecture, we set up Kubernetes and CI/CD, and we migrated the services one by one. We had regular meetings with the other teams. In the end it was a big success and everyone was happy with the result, the system is much more scalable now. Honestly I don't think I'd do anything differently, it went really smoothly.
"""),
    ("complex-project-led", 0, """
I'm really passionate about leading complex projects, it's one of the main reasons I'm applying to this role. I love working with distributed systems and I think I'm a natural leader, people often come to me for advice. In this role I'd like to take ownership of big initiatives and I'm confident I could lead something like your platform migration. I'm a fast learner and a team player.
"""),
    ("keeping-up-with-the-field", 4, """
I block out a couple of hours on Friday afternoons for it, otherwise it just doesn't happen. My main sources are a few newsletters (Pointer, the Postgres Weekly one), engineering blogs from companies that write honestly about incidents - Cloudflare, Discord - and I'll read a conference talk or paper when something keeps coming up, like I went through the original Dynamo paper last year.

For deciding whether to adopt something, I start from a problem we actually have, not from the tool. If we have a pain point, I ask: does this solve it better than what we have, how mature is it, who else runs it in production, what does it cost us to operate and to hire for, and how hard is it to back out of. If it passes that, I try it on something small and reversible - a side tool, or one non-critical service behind a flag - and measure it against the current approach before proposing more.
"""),
    ("keeping-up-with-the-field", 1, """
I'm on tech Twitter and Hacker News a lot so I usually know what's trending. When something new and exciting comes out I like to bring it into our stack early, because if you wait you fall behind. For example when Rust got popular I convinced the team to rewrite our API gateway in Rust, and we moved to a new frontend framework last year too. It keeps the team motivated and the codebase modern.
"""),
    ("teammate-technical-disagreement", 4, """
A colleague wanted to add Redis as a cache in front of our product catalog API because the p95 was around 800ms. I thought caching would hide the problem and bring invalidation bugs, and that the real issue was our queries. We went back and forth in the PR comments for a day and it was getting a bit heated, so I suggested we grab 30 minutes on a call instead.

On the call I asked him to walk me through why he wanted the cache, and he had a good point I hadn't weighed - catalog traffic was going to triple with a marketing campaign in two weeks, so even fixed queries might not be enough. We agreed to decide on data: I'd spend two days on the query side, and we'd load test both. The query fixes (two missing indexes and an N+1) got p95 down to 120ms, and the load test showed that was fine for 3x traffic, so we shipped that and kept the cache design in a doc in case we need it later. We still work together well - he actually reviewed my index PR.
"""),
    ("teammate-technical-disagreement", 2, """
A teammate wanted to use MongoDB for a new service and I knew Postgres was the better choice. I wrote a long comment in the team channel explaining why Mongo was a bad idea and listing all the issues I'd seen with it. He didn't agree, so in the end I took it to our engineering manager who agreed with me and we went with Postgres. It turned out to be the right call because we needed joins later. I think he was a bit annoyed but that's how it goes sometimes, the important thing is we made the right technical decision.
"""),
    ("production-incident-you-caused", 5, """
I shipped a migration that added a foreign key on our orders table, about 80 million rows. Locally and in staging it took seconds. In production, the ALTER took an exclusive lock and waited behind a long-running analytics query, and every order insert queued behind it. Checkout was effectively down for about 12 minutes.

I was watching the deploy, so I saw error rates jump within a minute. I posted in the incident channel straight away: "this is very likely my migration, cancelling it now". I cancelled the migration's backend with pg_cancel_backend, the lock queue drained, and checkout recovered. Only after that did we dig into the why.

I wrote the postmortem and kept it about the system: why could a migration take a blocking lock with no timeout, and why did staging give us no signal? The action items, each with an owner and a date, were: a default lock_timeout of 5s for all migration sessions, a CI check that flags constraints added without NOT VALID on big tables, and a staging data set sized closer to production. I owned the first two and they were done within two weeks.

Personally I learned to ask "what lock does this take and what's it going to wait behind" for every migration, and I now add constraints NOT VALID and validate them separately.
"""),
    ("production-incident-you-caused", 3, """
Once I pushed a config change that pointed our service at the wrong Redis cluster, so sessions weren't found and a lot of users got logged out. I noticed it on the dashboard a few minutes after the deploy, told my lead it was my change, and reverted it, and things went back to normal in about 15 minutes. Afterwards we talked about it in the team retro. The takeaway was that I needed to be more careful and double-check config values before deploying, and I've been a lot more careful since then.
"""),
    ("production-incident-you-caused", 1, """
I wouldn't say I caused it exactly. I wrote a change to the payment retry logic, and it went through code review and QA, but neither of them caught that it could retry forever, and when the provider had an outage we hammered them. If the reviewer had done their job properly it never would have gone out. Also the payment provider should have had better rate limiting on their end. After that I asked for a more senior reviewer on my PRs.
"""),
    ("pushing-back-on-scope", 3, """
Our PM committed to a customer that we'd deliver SSO support with SAML, SCIM provisioning and custom roles in one quarter. I didnt think it was doable with our team of three without cutting corners on security. So I put together a breakdown with estimates for each piece and showed that just SAML + basic provisioning would fill the quarter, and custom roles was another 6–8 weeks on top. I suggested we ship SAML first, then provisioning, and roles next quarter. The PM agreed to renegotiate with the customer and we shipped SAML on time.
"""),
    ("pushing-back-on-scope", 1, """
Honestly I don't really push back on scope. I think product managers and managers have more context on the business than engineers do, so if they commit to something I see my job as making it happen. When we've had tight commitments in the past the team just put in extra hours to get it done, and we always delivered. I'd rather be seen as someone who gets things done than someone who says no.
"""),
    ("mentoring-a-junior-engineer", 4, """
When a new grad joined our team I became her mentor. In our first 1:1 I asked what she wanted to get out of the first six months, and we agreed on two goals: be comfortable on call, and own a small feature end to end. We met weekly for 30 minutes.

I tried hard not to just give her answers. When she got stuck I'd ask what she'd tried and what she thought was happening, and pair with her where she drove and I only nudged. Her first tasks were small bug fixes, then a small API endpoint, then by month four she owned the design of our export feature, wrote the design doc and presented it herself.

How I knew it was working: her PRs went from needing three or four rounds of review to usually one, she joined the on-call rotation in month five and handled an incident on her own, and by the end other people on the team were asking her about the export code.
"""),
    ("mentoring-a-junior-engineer", 2, """
I mentored a junior dev on my last team. He was struggling quite a bit with his tickets, so whenever he got stuck I would just sit down and write the code for him or fix his PR myself so he could see how it should be done - it was faster for the team and he learned from seeing good code. I also sent him a list of books. After a few months he was doing ok I think, he didn't get stuck as often.
"""),
    ("prioritising-under-deadline", 3, """
We had a regulatory deadline for exporting user data on request, and about three weeks' more work than time. I listed everything with the PM and our compliance person and we split it into what the regulation actually required and nice-to-haves. We cut the self-service UI and the PDF formatting - support would trigger exports manually for now - and shipped the required part on time. We did the UI the month after.
"""),
    ("prioritising-under-deadline", 2, """
We had a big launch coming and way too many tickets. I basically decided the whole team would work late and over the weekend for the last two weeks, and to save time we skipped writing tests for the less important parts and did lighter code reviews. It was tough but we hit the date. We had a few bugs after launch that we fixed in the following sprint. I kept my manager updated in standups.
"""),
    ("ambiguous-requirements", 5, """
My manager once asked me to "add reporting for the sales team" - that was the whole ticket. Rather than guess, I set up a half hour with two people from sales and asked what decisions they were trying to make and what they currently did instead. Turned out they were exporting CSVs every Monday to see which accounts had dropped usage, so they could call them. That's a much narrower thing than "reporting".

I wrote a one-page spec: the one question to answer (which accounts' weekly usage dropped more than 30%), the data source, acceptance criteria, and an explicit out of scope list - no custom dashboards, no real-time. Where I didn't know something, like how to treat brand-new accounts, I made a call, wrote it down as an assumption and flagged it for them to confirm.

Before building anything real, I sent them a sample spreadsheet built from a SQL query for last week, which they marked up - they wanted the account owner column and to hide trial accounts. Then I built it as a weekly email. It took about a week instead of the month-long dashboard project it could have become, and they still use it. The lesson I took: ask about the decision someone is trying to make, not the feature they describe.
"""),
    ("giving-and-receiving-feedback", 2.5, """
A colleague kept merging PRs without waiting for review when we were busy, and one of them broke staging for a day. I asked him for a quick chat that same afternoon, one to one. I described exactly what happened - the two PRs merged without review and the staging outage - and how it affected the rest of the team who were blocked, rather than saying he was careless. I asked if something was going on and it turned out he felt pressure from his manager to ship fast. We agreed he'd ping me directly when he needed a fast review and I'd prioritise it, and it didn't happen again.
"""),
    # --- concurrency ---
    ("concurrency-vs-parallelism", 4, """
Concurrency is about structure: several tasks are in progress at the same time and their steps interleave, even if only one runs at any instant - one core switching between them works. Parallelism is about execution: things literally run at the same moment on different cores. You can have concurrency without parallelism (a single-threaded server juggling 10k connections) and parallelism without much concurrency (a SIMD loop).

A race condition is when the result depends on the timing of the interleaving, e.g. two requests both read stock=1 and both sell the last item. A data race is the narrower, lower-level case: two threads touch the same memory, at least one writes, with no synchronisation - in C++ or Rust-unsafe that's undefined behaviour. You can have a race condition with no data race (everything uses atomics but the logic is still check-then-act).

A deadlock is two or more threads each holding a lock and waiting for one the other holds, so nobody moves. It needs mutual exclusion, hold-and-wait, no preemption and a circular wait; the usual fix is to always take locks in the same global order.

An event loop handles many connections on one thread by never blocking: sockets are non-blocking, the loop blocks in epoll/kqueue until the OS reports some sockets as readable or writable, dispatches the handler for each of those, then blocks again. It works as long as nothing blocks the loop - one slow synchronous call freezes every connection.
"""),
    ("concurrency-vs-parallelism", 2, """
Concurrency and parallelism basically mean the same thing, running multiple tasks at once, parallelism is just the more formal term people use with multiple CPUs. A race condition is when two threads access the same variable at the same time and one of them overwrites the other's change, and a deadlock is when two threads wait for each other's locks forever. An event loop is how Node.js works: it has a pool of threads in the background that handle each connection, so it can serve many connections in parallel.
"""),
    ("concurrency-vs-parallelism", 0, """
Honestly I'm not sure about the theory here. At work I mostly write Django views and the framework and the web server take care of all of that for me, so I've never really had to think about threads or event loops. I'd look it up if I needed it.
"""),
    ("race-conditions-check-then-act", 5, """
A race condition is a bug where the outcome depends on how the operations of different threads (or processes, or requests) happen to interleave. It works 99.9% of the time and fails under load.

Read-modify-write: counter++ is really load, add, store. Two threads both load 5, both store 6, and one increment is lost.

Check-then-act: if (!map.containsKey(k)) map.put(k, create()); two threads both see "absent" and both create. Same thing at the application level: SELECT to check a username is free, then INSERT - two signups both pass the check. The check is stale by the time you act on it.

Fixes:
- Atomics: for a single variable, hardware atomic operations do the whole thing as one indivisible step - fetchAndAdd for the counter, compareAndSet for "update only if still the value I read", retrying on failure. No blocking.
- Mutex: for anything bigger than one word, a lock around the entire compound operation - the check and the act together. Locking each access separately doesn't help; that's the trap with "thread-safe" collections: each call is safe, but containsKey-then-put is still a race. Use putIfAbsent/computeIfAbsent or an outer lock.
- At the DB level, a unique constraint or a conditional UPDATE does the same job.
- Best of all, don't share mutable state: confine it to one thread/actor and pass messages, or use immutable data.
Also: volatile (Java) gives visibility, not atomicity - volatile count++ still loses updates.
"""),
    ("race-conditions-check-then-act", 1, """
A race condition is when two threads race to finish first and the faster one wins. In Java the easy fix is to mark shared variables as volatile, which makes operations like count++ atomic because the value is always read from main memory. For collections you just switch to ConcurrentHashMap or Collections.synchronizedList and then everything you do with them is thread-safe, including check-then-act logic. Mutexes are the old way and are slow, so I avoid them.
"""),
    ("threads-processes-coroutines", 3, """
Processes each have there own memory space, so they're isolated - if one crashes the others are fine - but they're heavy to create and to share data you need IPC like pipes or sockets. Threads live inside a process and share its memory, so communication is easy but you need locks, and one bad thread can crash the whole process. Coroutines or green threads are much lighter, managed by the runtime instead of the OS, so you can have hundreds of thousands of them, which is why Go and async Python can handle so many connections. In Python I'd use multiprocessing for CPU-heavy work because of the GIL, and asyncio for lots of network calls.
"""),
    ("threads-processes-coroutines", 4, """
processes: separate address spaces, so one crashing or corrupting memory can't take out another. Sharing data needs IPC (pipes, sockets, shared memory segments) or a serialisation step. Creating one is the most expensive (fork, page tables), and context switches between them also flush more CPU state.

OS threads: share the heap and file descriptors of their process, each has its own stack (often 1–8 MB reserved virtual memory). The kernel schedules them preemptively, so any thread can be interrupted at any instruction - that's why shared data needs locks. A context switch goes through the kernel, a few microseconds, and with thousands of threads the memory and scheduling overhead really add up.

green threads / coroutines: scheduled by the language runtime in user space, multiplexed onto a few OS threads. Tiny stacks (Go starts at a few KB) or stackless state machines, switches are cheap, so 100k of them is fine. Usually cooperative - they yield at await points or blocking I/O - so a tight CPU loop can hog the thread (Go added async preemption for this).

Choosing: CPU-bound work - one thread or process per core, and in CPython processes because the GIL stops threads running Python bytecode in parallel. Lots of I/O-bound tasks like network calls - coroutines/async or goroutines. Need hard isolation or to run untrusted/crashy code - processes.
"""),
    ("deadlock-livelock-starvation", 3, """
Deadlock: thread A holds lock 1 and waits for lock 2, thread B holds lock 2 and waits for lock 1, and neither can continue. Classic example is transferring money between two accounts where each transfer locks the source then the destination, and two transfers go in opposite directions. To prevent it you always acquire locks in a consistent order, e.g. by account id, or use tryLock with a timeout and back off.

Livelock is similar but the threads aren't blocked, they keep reacting to each other - like two people in a corridor who both step aside the same way again and again. Starvation is when a thread never gets the resource because others always get it first, e.g. low-priority threads or readers constantly holding a read lock so a writer never gets in.
"""),
    ("deadlock-livelock-starvation", 1, """
Deadlock, livelock and starvation are all basically cases where threads get stuck waiting for locks. Livelock is just the Linux name for a deadlock in the kernel. The way to solve all three is to add retries: if a thread can't get the lock, it should immediately try again until it gets it, and set a timeout on the whole operation. In production you'd see them as high CPU usage.
"""),
    ("async-await-event-loop", 5, """
The compiler or runtime turns an async function into a state machine (a coroutine). Calling it doesn't run it to completion - it returns a future/promise representing the eventual result. Each await is a point where the function can suspend: if the thing it awaits isn't ready, the coroutine saves its state and returns control to the event loop.

The event loop is the scheduler. Non-blocking sockets are registered with the OS readiness API (epoll, kqueue, IOCP); the loop blocks in that call until some file descriptors are ready, then wakes the tasks waiting on them (in Rust that's the Waker; in Python/JS the loop resumes the callback/coroutine), runs each until its next await, and repeats. Thousands of connections, one thread.

The catch is that it's cooperative: a task only gives up the thread at an await. If a coroutine calls time.sleep, a synchronous DB driver, requests.get or does 200ms of JSON parsing, it holds the thread and every other request on that loop stalls - latency for everyone spikes. Marking the function async doesn't change that. The fix is to use async libraries, or push the blocking/CPU-bound call onto a thread pool (run_in_executor, spawn_blocking) or a worker process.

Also worth saying: await a(); await b() runs them one after the other. If they're independent you start both and gather/join them to overlap the waits. And async doesn't give you parallelism or speed up CPU work by itself - it's about not wasting a thread while waiting on I/O.
"""),
    ("async-await-event-loop", 2, """
When you mark a function as async, it runs in the background on a separate thread, and await waits for that thread to finish and gives you the result. The event loop manages these threads. That's why async code is faster - you get parallelism, so it's good for CPU heavy things like image processing too. If you call a blocking function from async code it's fine because the function is already running on its own thread, it'll just block that one. Promises and futures are just the objects that hold the result.
"""),
    ("async-await-event-loop", 0, """
Futures, promises, event loop, coroutines, non-blocking I/O, epoll, async/await, callbacks, concurrency, scalability, reactive programming, Node.js, asyncio, Tokio, green threads, high performance.
"""),
    ("bounded-queue-backpressure", 4, """
The queue is there to decouple the producers from the consumers and absorb bursts - producers can go fast for a few seconds while consumers catch up. But if producers are faster on average, no queue size fixes that. An unbounded queue just converts overload into memory growth and ever-growing latency: items sit for minutes, by the time they're processed nobody cares, and eventually the process OOMs and you lose everything in it.

So it must be bounded, and you decide what happens when it's full:
- block the producer (put waits) - this is backpressure: the slowness propagates upstream, e.g. to the HTTP handler, which stops reading from clients. Good when producers can be slowed down.
- reject / load shed: fail fast with an error (503/429) so the client retries later or goes elsewhere.
- drop - either the newest or the oldest item - for things like metrics or position updates where only the latest matters.
- spill to durable storage (Kafka, disk) if every item matters and the burst is long.

Consumers should block on a condition variable / blocking take instead of spinning on "is the queue empty", and you need a shutdown signal (a poison pill or close flag) so consumers drain and exit cleanly. I'd size the bound from how long an item is allowed to wait rather than picking a big round number.
"""),
    ("bounded-queue-backpressure", 3, """
If the queue is unbounded and producers are faster than consumers, it'll just keep growing until you run out of memory. So you bound it, for example to 10,000 items. When it's full, the simplest option is that producers block until there's space, which slows them down to the consumers' speed. The other option is to reject new items and return an error to whoever sent them. You could also scale up the number of consumers if the queue is often full.
"""),
    ("locks-vs-lock-free", 2, """
A mutex is the simplest option but it's slow, because every lock is a system call. A read-write lock is always better than a mutex when you have readers, since readers don't block each other, so I'd use those by default. Lock-free data structures are the fastest option because there's no locking at all, and they use compare-and-swap: CAS atomically sets a value only if it currently equals an expected value, otherwise it fails and you retry. The ABA problem is when a value changes from A to B and back to A, so the CAS succeeds even though things changed in between; you fix it with a version counter next to the pointer.
"""),
    ("locks-vs-lock-free", 4, """
Default is a mutex. Modern mutexes are cheap when uncontended - an atomic instruction in user space, only going to the kernel (futex) when someone has to wait - and they're easy to reason about. The cost shows up under heavy contention, where threads serialise and spend time parked.

Read-write lock only if reads heavily outnumber writes AND the read sections are long enough. For short critical sections the extra bookkeeping makes it slower than a plain mutex, and writers can starve.

Plain atomics for single values: counters, flags, a pointer you swap in (e.g. publishing a new immutable config).

CAS is the building block: compare_and_swap(addr, expected, new) writes new only if addr still holds expected, and tells you whether it did. Lock-free algorithms read the state, compute the new state, CAS it in, and loop if someone else got there first. That guarantees that some thread always makes progress, no one can block everyone by getting descheduled while holding a lock. But they're very hard to get right, and not automatically faster - under contention the retry loops burn CPU.

ABA: thread 1 reads head=A, gets paused; another thread pops A, pops B, pushes A back. Thread 1's CAS(head, A, next) succeeds but "next" is stale, and the stack is corrupted. Fixes are tagging the pointer with a version counter (double-width CAS), or safe memory reclamation like hazard pointers or epoch-based reclamation so A can't be reused while someone still holds it.
"""),
    ("thread-pool-sizing", 5, """
CPU-bound: a thread can only make progress when it's on a core, so more threads than cores just adds context switching and cache thrashing. Pool ≈ number of cores (maybe +1). And "cores" means what you're actually allowed to use - in a container with a 2-CPU quota on a 64-core host, a pool of 64 gets throttled hard.

I/O-bound: threads spend most of their time waiting, so you need more of them to keep the cores busy: roughly cores × (1 + wait time / compute time). If a request computes for 5ms and waits 45ms on a database, that's ~10 threads per core.

Little's law gives the same answer from the outside: L = λ × W. If I need 500 req/s and each request holds a thread for 80ms, I need on average 40 threads busy, so I'd size for that plus headroom for variance.

Too small: requests queue for a thread, latency goes up, throughput caps below what the box can do, while CPU sits idle.
Too large: stack memory, context switching, and mainly you push the bottleneck downstream. 500 threads all hitting a database with 50 connections means 450 waiting on the pool anyway, or you overload the DB. If a dependency gets slow, W grows and Little's law says you need more threads - growing the pool to compensate is exactly how an outage spreads.

So: a bounded pool and queue per dependency (bulkheads), reject when full, and tune under load.
"""),
    ("distributed-locks-fencing", 3, """
I'd use Redis: SET lock:job:123 <random-token> NX PX 30000. NX means only set if it doesn't exist, so only one instance gets it, and PX gives it a TTL so if the holder crashes the lock expires and someone else can take the job. The holder renews the TTL periodically while it's working. To release, you can't just DEL because you might delete someone else's lock after yours expired, so you run a small Lua script that deletes only if the value is still your token.

It's harder than a local mutex because there's no shared memory - the instances talk over a network that can be slow or partitioned, and a process can crash while holding the lock, which is why you need the TTL. For more safety you can use Redlock across several Redis nodes, or etcd/ZooKeeper which are built for coordination.
"""),
    # --- databases ---
    ("what-is-an-index", 5, """
An index is an extra structure the database maintains next to the table - in most engines a B+tree - where the entries are the indexed column values kept sorted, each pointing at the row (or, in a clustered index, containing it). Without it, WHERE email = ? means reading every row in the table. With it, the database walks down a tree that's only 3–4 levels deep even for hundreds of millions of rows, so it's logarithmic instead of linear. Because the keys are sorted it also helps range predicates and ORDER BY ... LIMIT, and a composite index helps queries that filter on its leading columns.

Where it doesn't help:
- low-selectivity columns, like status with three values or a boolean - if the predicate matches 40% of the table, jumping through the index row by row is slower than just scanning sequentially, and the planner will ignore it;
- queries that wrap the column in a function or cast, e.g. WHERE date(created_at) = ... or lower(email), unless you create an index on that expression;
- leading-wildcard LIKE '%foo'.

Where it hurts: every insert, update of an indexed column, and delete has to maintain every index, so a write-heavy table with eight indexes pays for all of them, plus the disk and buffer cache they take. So I add indexes for specific slow queries, confirm with EXPLAIN that they're used, and periodically drop unused ones (pg_stat_user_indexes shows scan counts).
"""),
    ("what-is-an-index", 3, """
An index is like the index at the back of a book: instead of reading every page you look up the term and jump to the right page. Databases usually implement it as a B-tree, so lookups are O(log n) instead of a full table scan. The downside is that indexes take extra space and slow down inserts and updates because the index also has to be updated.
"""),
    ("sql-vs-nosql", 4, """
Relational databases store normalised tables with a fixed schema, and you join them at query time; you get ACID transactions across rows and tables, constraints, and ad-hoc SQL for questions you didn't plan for.

NoSQL is several different things:
- key-value (Redis, DynamoDB in its simplest form): get/put by key, extremely fast, no querying by value;
- document (MongoDB): JSON-like documents, you model aggregates so that what's read together is stored together, e.g. an order with its line items embedded;
- wide-column (Cassandra): rows partitioned by key with sorted columns, designed for huge write volumes, and you design one table per query pattern.
They tend to scale out horizontally more easily, and many default to eventual consistency, though plenty now offer transactions (Mongo has multi-document transactions, Dynamo has TransactWriteItems).

CAP is often misquoted as "pick two". What it actually says is that when there's a network partition, a distributed system has to choose between staying consistent (refusing some requests) and staying available (answering, possibly with stale data). When there's no partition you can have both. PACELC extends it: else, you're trading latency against consistency.

How I decide: start from the access patterns and the invariants. If the data is relational, needs transactions across entities (money, inventory) or ad-hoc queries, Postgres, which also scales further than people think. If the access pattern is simple and known (lookup by key, time series per device) at a very high volume, a key-value or wide-column store.
"""),
    ("sql-vs-nosql", 1, """
NoSQL databases are much faster than SQL because they don't have a schema and don't support transactions at all, which is why they scale horizontally - relational databases can only scale vertically, so once you outgrow one big server you have to move to NoSQL. The CAP theorem says you can pick any two of consistency, availability and partition tolerance. SQL picks consistency and availability, NoSQL picks availability and partition tolerance. For a new service I'd go NoSQL by default since it's more modern and scalable.
"""),
    ("sql-vs-nosql", 2, """
Relational databases like Postgres and MySQL store data in tables with relations and a schema, and you use joins. NoSQL comes in several flavours: document stores like MongoDB store JSON documents, key-value stores like Redis store values by key, and wide-column stores like Cassandra store data in column families. Relational databases are ACID, NoSQL is usually BASE, eventually consistent. CAP says a distributed database can only have two of consistency, availability and partition tolerance, so you have to choose: MongoDB is CP and Cassandra is AP. I'd choose based on the data: if it's structured, SQL, if it's unstructured or needs to scale, NoSQL.
"""),
    ("debugging-slow-query", 5, """
First I confirm it's the database from a trace. Then I don't guess - pg_stat_statements sorted by total time (and by mean time) shows which statements cost the most overall, or on MySQL the slow query log. Sometimes the culprit isn't one slow query but the same fast query executed 300 times per request - the classic ORM N+1. That's fixed with eager loading / a join, or batching into one WHERE id IN (...).

For a genuinely slow query I run EXPLAIN (ANALYZE, BUFFERS) with realistic parameters and read it bottom up: seq scans over big tables, nested loops with huge inner row counts, sorts spilling to disk, and especially estimated rows vs actual rows. If the estimate says 10 and actual is 2 million, the planner picked the plan on bad information - often stale statistics, so ANALYZE the table.

Indexing: for WHERE customer_id = ? AND status = ? AND created_at > ? ORDER BY created_at, an index on (customer_id, status, created_at) - equality columns first, then the range/sort column, because the index is only usable from its leftmost prefix. If the query only needs a couple more columns, INCLUDE them so it becomes an index-only scan and skips the heap lookups; on InnoDB, remember secondary indexes point at the primary key, so the clustered PK lookup is the extra step.

Then re-run EXPLAIN ANALYZE to prove it, and check the write cost of the new index. Bigger hardware is the last resort, not the first.
"""),
    ("debugging-slow-query", 2, """
I'd look at the query in the code and check which columns are in the WHERE clause and add indexes on all of them, since missing indexes are almost always the problem. Maybe run EXPLAIN too. If it's still slow after that, I'd scale up the database instance to more CPU and RAM, because that's usually the quickest fix in the cloud and engineering time is more expensive than hardware. Adding a Redis cache in front of the query would also help.
"""),
    ("transaction-isolation-levels", 4, """
The SQL standard defines four: read uncommitted, read committed, repeatable read and serializable, each defined by which anomalies it forbids.
- dirty read: you see another transaction's uncommitted changes (only possible at read uncommitted; Postgres doesn't even implement it).
- non-repeatable read: you read a row twice and get different values because someone committed in between - allowed at read committed.
- phantom: you rerun a range query and new rows have appeared - allowed at repeatable read by the standard.
Serializable means the result is equivalent to some serial order.

The standard's table leaves out some important ones: lost update (two read-modify-write transactions, one overwrites the other) and write skew (two transactions each check an invariant like "at least one doctor on call", each update a different row, both commit, invariant broken). Snapshot isolation - which is what Postgres calls repeatable read - prevents lost updates on the same row but still allows write skew.

MVCC is how most databases do this without readers locking: an update writes a new version of the row tagged with the transaction id, and every transaction reads from a snapshot - the versions committed before it started (RR) or before each statement (RC). Readers never block writers and vice versa; old versions are cleaned up by vacuum.

For most apps I'd stay at read committed and protect specific invariants explicitly, e.g. SELECT ... FOR UPDATE or an atomic UPDATE ... SET stock = stock - 1 WHERE stock > 0.
"""),
    ("transaction-isolation-levels", 2, """
There are four isolation levels: read uncommitted, read committed, repeatable read and serializable. Read uncommitted allows dirty reads, read committed stops dirty reads, repeatable read stops non-repeatable reads and phantoms, so it basically prevents every anomaly, and serializable is the same but slower. Most databases like Postgres and MySQL default to serializable for saftey. MVCC means multi-version concurrency control and it's how databases lock rows. I would use repeatable read for most applications since it's safe and faster than serializable.
"""),
    ("optimistic-vs-pessimistic-locking", 3, """
Both are about not losing one user's changes when two people edit at once. Pessimistic locking means you lock the record when you read it, with SELECT ... FOR UPDATE, so the second user has to wait until the first one commits. Optimistic locking means you don't lock, but you keep a version number on the row, and when you save you check the version hasn't changed; if it has, someone else saved first and you show the user an error and make them reload. I'd use optimistic locking for most web apps because conflicts are rare and you don't want to hold locks, and pessimistic when conflicts are very frequent.
"""),
    ("optimistic-vs-pessimistic-locking", 0, """
Optimistic locking is when you're optimistic that there won't be a conflict and pessimistic locking is when you're pessimistic that there will be one. Both are types of locking that databases use for concurrency. Which one to use depends on whether you're optimistic or pessimistic about conflicts in your application.
"""),
    ("database-replication-lag", 4, """
Every write goes to the leader, which writes it to its log - the WAL in Postgres, binlog in MySQL - and streams that log to the followers, which replay it to stay in sync. Reads can go to followers to spread load.

Synchronous: the leader waits until at least one follower has confirmed it received (or applied) the change before telling the client the commit succeeded. So if the leader dies, the data exists on a follower. The cost is latency on every commit, and if the sync follower is down or slow, writes stall - which is why Postgres lets you say "any 1 of these 2" as a quorum. Asynchronous: the leader acknowledges immediately and ships the log afterwards. Faster, but if the leader dies before the follower caught up, those last committed transactions are gone after failover.

Lag problems for readers:
- read your own writes: user updates their profile, the next page reads from a replica that's 2 seconds behind, and their change "disappeared";
- monotonic reads: two consecutive requests hit different replicas and the user sees newer data, then older data;
- causality across rows: you can see a reply before the comment it answers.

Mitigations: send a user's reads to the leader for a short while after they write, or for "own data" pages; or record the leader's LSN after a write and only read from a replica that has replayed past it. Pinning a user to one replica helps with monotonic reads.
"""),
    ("database-replication-lag", 1, """
With leader-follower replication the leader copies every write to the followers at the same time, so replicas always have the same data as the leader - in Postgres replication is synchronous by default. That means you can safely read from replicas without worrying about stale data. Lag only happens if the network is down. Another advantage is that replicas act as your backup, so you don't really need separate backups if you have two or three replicas.
"""),
    ("sharding-shard-keys", 5, """
Before sharding I'd make sure we actually need it: a bigger instance, read replicas, archiving cold rows or partitioning on one server keep transactions and joins simple.

If we do shard, the shard key is the main decision. It needs high cardinality so data spreads evenly, and it should match the dominant access pattern so most queries hit one shard. For a SaaS app that's usually tenant_id or user_id - all of one customer's data lives together, so their queries and transactions stay local.

Range vs hash: range sharding keeps adjacent keys together, so range scans are efficient, but with a monotonically increasing key like a timestamp or auto-increment id every new write hits the last shard. Hashing spreads writes but loses range scans.

Hot spots: even with a good key, one giant tenant or a celebrity user can overload a shard. Options are moving big tenants to dedicated shards, or splitting a hot key with a suffix and merging on read.

Resharding: hash mod N is a trap - changing N moves almost every row. Either consistent hashing, or better, create many logical shards up front (say 1024) mapped to a few physical servers through a lookup table, and move whole logical shards when you add capacity.

Cross-shard: queries without the key become scatter-gather, so denormalise or keep a lookup table. Cross-shard writes need 2PC or, more commonly, a saga with compensation - or a design that avoids them.
"""),
    ("sharding-shard-keys", 2, """
I would shard the table by created_at, for example one shard per year or per quarter, since it's easy to understand and old data naturally ends up on older shards that get less traffic. When we need more capacity we just add a new shard for the new time period, so resharding isn't really an issue. Queries that need data from several shards can be sent to all shards in parallel and the results merged in the application. For hot spots, we could add read replicas to the busy shard.
"""),
    ("database-connection-pooling", 3, """
Opening a database connection is expensive - TCP handshake, TLS, authentication, and in Postgres the server forks a whole process per connection - so doing that per request adds latency and load. A pool keeps a set of open connections and hands them out; when they're all in use, callers wait for one to be returned.

For sizing I'd start arround 10–20 connections per app instance and tune it with load tests, since the database can only handle so many active queries at once.

PgBouncer sits between the apps and Postgres and pools connections for all of them, so you can have thousands of client connections mapped onto a much smaller number of real Postgres connections.
"""),
    ("database-connection-pooling", 1, """
Connection pools make the database faster because queries can run in parallel on multiple connections. To size it I'd make it as big as possible, like 500 connections per service instance, so requests never have to wait. PgBouncer is a load balancer for Postgres that caches query results, so putting it in front means fewer queries actually reach the database. You should also open a fresh connection for long requests so they don't block the pool.
"""),
    ("zero-downtime-schema-migration", 4, """
You can't just ALTER TABLE ... RENAME COLUMN, because during a rolling deploy old and new app versions run at the same time and one of them will be using a column name that doesn't exist. So I'd do expand/contract across several deploys:

1. Add the new column (nullable, no default rewrite - cheap in modern Postgres).
2. Deploy code that writes to both old and new columns, still reading the old one. (A trigger can do the dual-write instead.)
3. Backfill old rows into the new column in batches of a few thousand by primary key range, committing each batch, with a short pause between them - one giant UPDATE would hold locks for ages, bloat the table and blow up replication lag.
4. Deploy code that reads from the new column, still writing both.
5. Stop writing the old column, and later drop it.
Each step can be rolled back on its own.

Locks: even a "fast" ALTER TABLE needs an ACCESS EXCLUSIVE lock. If a long-running query holds a conflicting lock, the ALTER waits, and every query behind it queues up too - the table is effectively down. So I set lock_timeout to a few seconds for migration sessions and retry rather than wait. Any index on the new column gets built with CREATE INDEX CONCURRENTLY.
"""),
    # --- infrastructure ---
    ("containers-vs-vms", 5, """
A VM emulates a whole machine: the hypervisor gives each VM virtual hardware, and inside it runs its own kernel and full OS. A container is just a normal Linux process (or group of them) on the host kernel, made to look alone by namespaces and kept within a CPU/memory budget by cgroups. No second kernel, which is why a container starts in milliseconds and you can pack many more onto a host than VMs.

The flip side is isolation. Every container talks to the same kernel, so a kernel exploit from one can reach the host and its neighbours. A hypervisor boundary is a lot narrower. That's why multi-tenant platforms run untrusted code in VMs or micro-VMs.

Docker is the tooling to build and run containers: a Dockerfile builds an image made of read-only layers, which you push to a registry and pull anywhere. Docker Compose describes several containers - app, Postgres, Redis - and runs them together on one machine, which is great for local dev and CI but it's not a cluster scheduler. Kubernetes is the orchestrator for running containers across many nodes: it schedules them onto machines, restarts or replaces failed ones, scales replicas, does rolling updates, service discovery.

I'd still pick a VM when I need strong isolation (untrusted or multi-tenant workloads), a different kernel or OS (Windows, a custom kernel module), or software that assumes a full machine - some legacy apps and databases are simply easier to run that way.
"""),
    ("containers-vs-vms", 1, """
A container is basically a lightweight VM: each container has its own small kernel and OS, which is why it's so portable, but it's much smaller than a full VM image. Docker is the hypervisor that runs containers. Docker Compose is what you use to run containers in production across multiple servers, and Kubernetes is the alternative from Google. Since containers are fully isolated like VMs there's no real reason to pick a VM anymore, except for legacy applications.
"""),
    ("dockerfile-best-practices", 4, """
Things I'd look for in the review:
- Layer order: copy package.json/package-lock.json (or go.mod, requirements.txt) first, install dependencies, and only then COPY the rest of the source. Then a code change only invalidates the last layers and the dependency install comes from cache. If it does COPY . . at the top, every commit reinstalls everything.
- Multi-stage build: compile/build in a full SDK image, then copy just the binary or built artefact into a slim runtime image (distroless, alpine, debian-slim). No compilers, no dev dependencies, no source in the final image - smaller and less attack surface.
- A .dockerignore so .git, node_modules, local .env files and test data don't get sent in the build context or copied into the image.
- Don't run as root: create a user and set USER app.
- Combine apt-get update && install && rm -rf /var/lib/apt/lists/* in one RUN, because deleting in a later layer doesn't shrink the image - the earlier layer still has the files.
Also a HEALTHCHECK if we're not on Kubernetes, and exec-form CMD so signals reach the process.
"""),
    ("dockerfile-best-practices", 2, """
A good Dockerfile should use the official latest image, like FROM node:latest, so you always get the newest security patches. Then COPY the whole project and RUN npm install. To keep the image small, add a RUN rm -rf at the end to delete the node_modules cache and test files, which removes them from the image. Multi-stage builds are also good for size. Running as root is fine inside a container since it's isolated from the host anyway.
"""),
    ("kubernetes-core-objects", 4, """
Pod: the smallest thing Kubernetes schedules - one or more containers that always land on the same node and share a network namespace (one IP, talk over localhost) and can share volumes. You almost never create pods directly, because a bare pod isn't recreated if its node dies.

Deployment: you declare "I want 3 replicas of this pod template". The Deployment manages a ReplicaSet that keeps that many pods alive, and when you change the template (new image tag) it does a rolling update by creating a new ReplicaSet and scaling it up while scaling the old one down, respecting maxSurge/maxUnavailable. You can roll back to the previous ReplicaSet.

Service: pods come and go with new IPs, so a Service gives a stable virtual IP and a DNS name (orders.default.svc.cluster.local) and load-balances to whichever pods match its label selector and are ready.

Probes: a failing readiness probe takes the pod out of the Service's endpoints so it gets no traffic, but leaves it running - good for startup and temporary overload. A failing liveness probe makes the kubelet restart the container. So liveness should only check that the process itself is alive, never the database; otherwise a DB blip restarts every pod at once.

Requests and limits: requests are what the scheduler uses to place the pod on a node with enough room. Limits are the ceiling - I know memory over the limit gets the container killed, not 100% sure on how CPU limits are enforced.
"""),
    ("kubernetes-core-objects", 3, """
A pod is one or more containers running together, a deployment manages a set of identical pods and handles rolling updates, and a service exposes the pods behind a stable address so other services can reach them. Readiness probes tell Kubernetes when a pod is ready to receive traffic, and liveness probes tell it when a pod is dead and needs restarting. Requests are the resources a pod asks for and limits are the maximum it can use.
"""),
    ("kubernetes-core-objects", 0, """
I haven't really worked with Kubernetes directly, at my last company the platform team handled all of the deployment side and we just merged to main and it went out. So I couldn't tell you much about pods or probes unfortunately.
"""),
    ("ci-cd-pipeline-design", 3, """
The pipeline would be: on each PR run lint, unit tests and a build, and require them to pass before merging. After merge to main, build the Docker image, run integration tests against it, deploy automatically to staging, run smoke tests, and then deploy to production, either automatically or with one click. To keep it fast I'd cache dependencies and run test jobs in parallel. For trust, main should always be deployable and we should deploy small changes often so problems are easy to find. Rollback should be one click too.
"""),
    ("ci-cd-pipeline-design", 2, """
Each developer works on a feature branch for the duration of the feature, usually a couple of weeks, and opens a PR when it's done. The pipeline runs the full test suite including end to end tests on every PR. Then we have a dev, staging and prod branch, and merging into each branch builds a new image for that environment with its config baked in and deploys it. Flaky tests get retried automatically up to three times so they don't block people. We'd use GitHub Actions.
"""),
    ("deployment-strategies", 5, """
Rolling: replace instances a batch at a time. No extra infrastructure, but for a while old and new versions both serve traffic, and rolling back is another rolling deploy, so it's slow-ish to undo.

Blue/green: stand up the full new environment next to the old, test it, then flip the router/load balancer. Rollback is flipping back, which is near instant as long as you keep blue around - the cost is running double capacity during the switch.

Canary: send 1–5% of real traffic to the new version and compare its error rate and latency against the old version, then step up. It limits blast radius to a slice of users, but needs good metrics and enough traffic to be statistically meaningful.

Feature flags separate deploying code from releasing the behaviour. Turning a flag off is the quickest rollback there is - no deploy at all. The cost is flag debt.

The database is the part that doesn't roll back. Rolling back the app doesn't undo a migration, and in all of these strategies two versions run at once. So schema changes go expand/contract: first a backwards-compatible expand (add the column, dual write), then the code that uses it, and only once no running or rollback-target version needs the old shape, the contract (drop the old column) in a later release. Never rename or drop in the same release as the code change.
"""),
    ("deployment-strategies", 2, """
Rolling deployments update servers one by one. Blue/green means you have two environments and switch between them, which is nice because it doesn't need extra servers - you just reuse the old environment for the next release. Canary releases send a small percentage of users to the new version first. Feature flags let you turn features on and off. For rollback, you redeploy the previous version, and the migration framework rolls back the database automatically with the down migration. Schema changes are deployed together with the code that needs them so they stay in sync.
"""),
    ("terraform-infrastructure-as-code", 4, """
Infrastructure as code means the servers, networks, databases and DNS records are defined in files in git, reviewed in PRs and applied by a tool, instead of someone clicking around the AWS console. You get history, review, repeatability, and you can recreate an environment.

Terraform is declarative: in HCL you describe the resources you want to exist (an S3 bucket with these settings, an RDS instance), and providers translate that into API calls for AWS, GCP, Cloudflare, etc. terraform plan compares your code against the state and the real infrastructure and shows what it'll create, change or destroy; you review that, and terraform apply carries it out.

The state file is Terraform's record of which real resource corresponds to which block in the code. It has to be shared and locked - e.g. S3 with DynamoDB locking, or Terraform Cloud - so two people can't apply at once, and it contains secrets so it must be encrypted and access-controlled, never committed to git.

Drift is when someone changes something by hand. A plan will show the difference; I'd run plan on a schedule in CI to catch it, then either apply to revert it or, if the change was intended, update the code (or terraform import for things created outside Terraform).
"""),
    ("terraform-infrastructure-as-code", 0, """
Infrastructure as code is a key DevOps best practice that enables GitOps, shift-left, automation and immutable infrastructure at scale. Terraform is the industry-leading cloud-agnostic IaC tool by HashiCorp. It empowers teams to move fast, reduce toil and achieve consistency and compliance across multi-cloud environments. Drift and reuse are handled by following best practices.
"""),
    ("config-and-secrets-management", 3, """
Following twelve-factor, configuration should come from environment variables rather than being hardcoded, so the same Docker image can run in dev, staging and prod with different settings. In Kubernetes I'd put normal config in ConfigMaps and secrets in Secrets and mount them as env vars. Secrets should never be committed to git or baked into the image; ideally use something like Vault or AWS Secrets Manager. When config changes you update the ConfigMap and the pods pick up the new values.
"""),
    ("config-and-secrets-management", 1, """
We keep a .env file for each environment in the repo (.env.dev, .env.staging, .env.prod) and the Dockerfile copies the right one in at build time, so each environment has its own image with everything it needs. Secrets are base64 encoded in the .env files so they aren't visible in plain text. When we change config we rebuild the image for that environment and redeploy.
"""),
    ("autoscaling-strategies", 4, """
Horizontal scaling (more replicas) is what I'd use for both, since it has no hard ceiling and gives redundancy, but it only works if instances are stateless - sessions in Redis, not memory. Vertical scaling (bigger instance) is simpler but hits a limit and usually needs a restart.

HTTP API: scale on a metric that tracks load - CPU utilisation is a reasonable default, or requests per second per pod, with a target around 60–70% so there's headroom while new pods start and warm up. If the API's latency is dominated by a downstream DB, adding pods won't help and might make it worse, so max replicas should be set with the downstream limits in mind (connection counts etc.).

Workers: CPU is the wrong signal - a worker waiting on I/O can be at 10% CPU with a million messages backed up. Scale on queue depth or consumer lag, or better on estimated time to drain (backlog / per-worker throughput). KEDA does this on Kubernetes.

Flapping: use a stabilisation window/cooldown, scale out quickly but scale in slowly and in small steps, so a short dip doesn't remove pods you need a minute later. And always a min replica count so there's capacity for the first spike.
"""),
    ("autoscaling-strategies", 3, """
For the API I'd use the Kubernetes HPA scaling on CPU, say target 70%, with a minimum of 3 pods for availability and a maximum so costs don't explode. For the queue workers I'd scale on the number of messages in the queue insted, since that's the real measure of work to do - something like one worker per 1000 messages. Horizontal scaling adds more instances and vertical scaling gives each instance more CPU and memory; horizontal is generally better for web services because you can keep adding machines.
"""),
    ("load-balancers-and-dns", 1, """
The client first does a DNS lookup to get the IP of the load balancer. If a server goes down we update the DNS record and clients switch over instantly, especially if you set the TTL to 0. An L4 load balancer works at the application layer so it can route by URL path and headers, while L7 just forwards packets by IP. Sticky sessions are the standard way to handle user sessions so that each user always hits the server that has their session in memory. TLS is terminated on the backend servers.
"""),
    # --- observability ---
    ("logs-metrics-traces", 4, """
Metrics are numbers aggregated over time - request rate, error count, p99 latency, queue depth - stored as time series. They answer "is something wrong and how much?", so they're what dashboards and alerts are built on. They're cheap: the cost depends on how many distinct series you have, not how much traffic you serve, since 10 requests or 10 million just increment the same counter. The price is you lose the individual event; a metric can't tell you which customer got the 500.

Logs are individual events with context: this request, this user, this error and stack trace. They answer "what exactly happened here?". Their cost scales with traffic and verbosity, so in practice you control it with log levels, sampling noisy success logs, and shorter retention for debug logs.

Traces follow one request across services: a tree of spans with the same trace id, each with a start time and duration, so you can see that the checkout call spent 900ms of its 1s waiting on the inventory service. They answer "where did the time go / where did it fail?". Recording every request is expensive, so they're usually sampled.

Together: an alert on a metric tells me error rate jumped, I open an example trace to see which hop is failing, and jump to that service's logs for that trace id to see why.
"""),
    ("logs-metrics-traces", 2, """
Logs are the text output of your application, metrics are numbers like CPU and memory usage, and traces are basically logs with a request id so you can follow a request. Honestly in most systems logs are enough on their own - if you log everything at info level you can compute any metric you need from the logs later with a query, so separate metrics are mostly redundant. Traces are useful for microservices. Cost-wise, metrics and logs are cheap and traces are the expensive ones.
"""),
    ("slis-slos-error-budgets", 5, """
SLI is the measurement: the proportion of valid events that were good, from the user's point of view. For a public API, e.g. availability = non-5xx responses / all requests (excluding 4xx caused by the client), and latency = requests served under 300ms / all requests, measured at the load balancer.

SLO is the target for that SLI over a window: 99.9% of requests succeed over a rolling 28 days. The SLA is the external contract with credits or penalties when you miss it, and it should be looser than the SLO (say 99.5%) so you notice and react internally long before you owe customers money.

Error budget = 1 − SLO. At 99.9% over 28 days that's 0.1% of requests, or about 40 minutes of full downtime equivalent. The point is that it turns reliability into something you spend: while there's budget left, teams ship as fast as they like; risky launches and experiments consume it.

When it runs out, a policy agreed in advance with product kicks in - not a negotiation during the outage: freeze non-critical launches, put engineers on the top causes of burn from the postmortems, and resume when the budget recovers. That agreement is what makes the SLO mean something.

Choosing the number: look at what users actually need and what you've historically achieved, and don't aim for 100%. Every extra nine costs roughly an order of magnitude more effort.
"""),
    ("slis-slos-error-budgets", 3, """
An SLI is a metric you measure, like the percentage of successful requests or latency. An SLO is the target for it, for example 99.9% of requests succeed over 30 days. The error budget is what's left: with 99.9% you can have 0.1% failures, which is about 43 minutes of downtime a month. For a public API I'd choose availability and p99 latency as SLIs. When the error budget runs out, the team should stop releasing new features and focus on reliability until it recovers.
"""),
    ("slis-slos-error-budgets", 0, """
I'd use Prometheus to collect metrics and Grafana for the dashboards, and ship logs to Elasticsearch with Kibana on top. For traces we'd add Jaeger. That way you have all three pillars of observability covered and you can see what's going on in production. We'd also set up PagerDuty for on-call.
"""),
    ("alerting-on-symptoms", 4, """
40 pages a week means people have learned that a page usually doesn't matter, so when the real one comes they're slow to act. I'd start by going through the last month of pages and asking for each: did a user notice, and did someone need to do something right now? Most won't pass.

The principle is page on symptoms, not causes. Users feel errors, latency, unavailable checkout - not "CPU at 85%" or "one pod restarted". Cause-based signals go on dashboards for diagnosis or become tickets for the next working day. Every remaining page needs an owner, a runbook and a clear action; if there's no action, it's not a page.

For symptoms, tie alerts to the SLO. A burn-rate alert fires when you're consuming error budget faster than sustainable: burn rate 1 means you'd use exactly the whole budget over the window; 14.4x over an hour means you'd use 2% of a 30-day budget in that hour - page. A slower burn like 1x–3x over days becomes a ticket. This automatically ignores short blips that don't threaten the SLO and catches slow degradations that a static threshold would miss.

Then track pages per shift as a metric and review it weekly.
"""),
    ("alerting-on-symptoms", 1, """
I'd go through the alerts and raise the thresholds on the noisy ones, and mute the ones that fire too often so people aren't bothered. Then I'd add some important ones that are missing, like CPU over 80%, memory over 90%, disk over 85% and pod restarts, because it's better to have too many alerts than to miss something. Symptom-based alerting means alerting on symptoms like high CPU that show something is about to go wrong.
"""),
    ("production-incident-response", 5, """
14:05, page fires. First minutes are triage, not debugging: how bad is it and who's affected? 30% of requests on the main API failing is clearly a SEV1/SEV2, so I declare an incident, open a channel, and pull in help rather than quietly poking at it alone.

Roles: someone is incident commander - coordinates, decides, keeps the big picture - which may be me until someone more senior takes over. Others investigate. Someone owns communication: status page updates every 15–30 minutes, a note to support, updates to leadership, so the investigators aren't interrupted.

Priority is stopping the bleeding, not understanding it. The first question is "what changed around 14:05?" - deploys, config or feature-flag changes, infrastructure changes, a traffic spike, a dependency's status page. If there was a deploy at 14:02, roll it back now, even before we're sure it's the cause; a rollback is cheap and reversible. Other mitigations: turn off a flag, fail over, shed load, scale up.

While that happens, someone keeps a timeline with timestamps in the channel - what we saw, what we tried, when - because memories are wrong afterwards.

Once error rates are back to normal and stable, we close the incident but keep watching. Within a few days, a blameless postmortem: impact, timeline, contributing factors, what went well, and asking why the system let this happen rather than who did it. It ends with action items that have an owner and a due date, tracked like any other work.
"""),
    ("production-incident-response", 2, """
First I'd look at the logs to find the error and figure out the root cause, because if you don't understand the root cause you might make it worse by changing things. Once I found the bug I'd write a fix, get it reviewed and deploy it. I'd probably not announce anything until I understood what was going on so I don't cause panic. Afterwards we'd do a postmortem to figure out whose change caused it and make sure they're more careful next time.
"""),
    ("distributed-tracing-propagation", 3, """
When a request enters the system, the first service generates a trace id. Every unit of work is a span with its own span id and the id of its parent span, and all spans carry the same trace id, so afterwards you can build a tree showing the whole request across services and how long each part took. To propagate, each service puts the trace id and its current span id into HTTP headers on outgoing calls - the W3C traceparent header - and the receiving service reads them and creates child spans. OpenTelemetry does most of this automatically with its SDKs and instrumentation for common libraries. For deciding wich traces to keep you usually sample, e.g. keep 1% of traces.
"""),
    ("distributed-tracing-propagation", 2, """
Each service generates its own trace id for each request it handles, and the tracing backend matches them up afterwards using timestamps and the service names, which is how Jaeger builds the full picture. Spans are the individual log lines inside a trace. For sampling we set the sampler to keep 10% of requests at the start of the request, and since the sampler can see the status code it will keep all the errors and slow requests as well, so you don't lose anything important.
"""),
    ("structured-logging", 5, """
- Structured = every log entry is a record with named fields, usually one JSON object per line, instead of a sentence you have to parse: {"ts":"...","level":"warn","msg":"payment declined","order_id":"o_123","provider":"stripe","duration_ms":412,"trace_id":"..."}.
- Why it's better: the log backend can index the fields, so "all payment declines for provider=stripe in the last hour, grouped by error_code" is a query instead of a regex that breaks the day someone rewords a message. You can also build counts and charts straight from fields.
- A good entry: timestamp, level, a stable message/event name, service and version, the request or trace id so you can pull every line of one request across services, the relevant business ids (order, tenant), and for errors the error type and stack.
- Levels should mean something: ERROR = something failed that someone may need to look at, WARN = degraded but handled, INFO = key business events, DEBUG = detail you turn on temporarily. Not everything at ERROR, and debug off in prod.
- Never: passwords, tokens, API keys, session cookies, full card numbers, and generally no PII like emails or addresses unless there's a real need and a retention policy. Dumping whole request bodies "for debugging" is how secrets end up in your log store. I'd enforce it in the logger - redaction of known sensitive keys, or an allow-list of fields for request logging - not rely on reviewers.
"""),
    ("structured-logging", 3, """
Structured logging means logging in a machine-readable format like JSON with key-value fields instead of plain text strings. It's better because you can search and filter by fields in tools like Elasticsearch or Datadog. A log entry should contain a timestamp, level, message and a request id. You should never log passwords or credit card numbers.
"""),
    ("metric-types-and-cardinality", 4, """
Counter: a number that only goes up - requests served, errors, bytes sent. It resets to zero when the process restarts, so you never look at the raw value; you use rate()/increase() over a window, which handles resets.

Gauge: a current value that goes up and down - memory in use, queue depth, active connections. Each scrape is a point-in-time sample.

Histogram: observations counted into predefined buckets (≤10ms, ≤50ms, ≤100ms...) plus a sum and count. Because buckets are just counters, you can add them up across all instances and then compute a percentile with histogram_quantile - an approximation limited by bucket boundaries.

Summary: the client computes quantiles (p50, p99) itself over a sliding window. They're accurate for that one process but you can't combine them - averaging the p99s of 20 pods doesn't give you the fleet's p99. So for anything you need to aggregate, use histograms.

Cardinality: every unique combination of metric name and label values is its own time series. A label like method with 5 values is fine. Add user_id or request_id as a label and you get a new series per user - millions of series, each with memory in the TSDB's head block and index.
"""),
    ("metric-types-and-cardinality", 2, """
Counters count things like requests and can go up or down, gauges measure a current value like memory usage, histograms put values into buckets, and summaries give you percentiles directly, which is nicer because you can just average the p99 from each instance to get the overall p99. Cardinality is the number of different values a label has. It's good to have rich labels like user_id or customer_id on your metrics so you can drill down into problems for a specific user. It only becomes an issue with really huge numbers of labels.
"""),
    ("red-use-golden-signals", 3, """
RED is for services: Rate (requests per second), Errors (failed requests) and Duration (how long they take). USE is for resources like CPU, disks and network: Utilisation, Saturation and Errors. The golden signals (from Google's SRE book) are latency, traffic, errors and saturation - basically RED plus saturation. I'd use RED or the golden signals for the dashboards of each microservice, and USE for looking at infrastructure like the database servers.
"""),
    ("latency-percentiles-tail", 1, """
Averages are usually fine for latency as long as you exclude outliers, because the outliers are just a few unlucky requests that don't matter much. p50 is the average, p99 means 99% of requests were that fast. To get the p99 for the whole service you take the p99 of each server and average them. Fan-out doesn't really affect it since the calls run in parallel, the total time is about the same as one call.
"""),
    ("latency-percentiles-tail", 0, """
p50, p90, p99, p99.9, tail latency, long tail, fan-out, histograms, HdrHistogram, SLOs, outliers, averages bad, percentiles good, Google "The Tail at Scale".
"""),
    # --- security ---
    ("password-storage-hashing", 4, """
You never store the password itself, or anything reversible - you store a hash made with a function designed for passwords: Argon2id if available, otherwise bcrypt or scrypt (PBKDF2 if you need FIPS).

SHA-256 isn't good enough because it's designed to be fast. A single GPU does billions of SHA-256s per second, so if the database leaks, an attacker can try every common password and dictionary variant against every hash in no time. Password hashes are deliberately slow and tunable.

Salt: a random value, unique per user, stored next to the hash (it doesn't need to be secret). Without it, two users with "Summer2024!" have the same hash, and precomputed rainbow tables work. With it, every hash has to be attacked separately, and precomputation is useless.

Work factor: the cost parameter (bcrypt's cost, Argon2's iterations and memory) sets how expensive one guess is. You pick it so a login takes maybe 100–300 ms on your servers - negligible for a user, crippling for someone making billions of guesses. As hardware gets faster you raise it, and because the parameters are stored in the hash string, you can upgrade a user's hash transparently the next time they log in.
"""),
    ("password-storage-hashing", 1, """
Passwords should be encrypted with a strong algorithm like AES-256 before storing them, that way if the database is stolen the attacker can't read them, but we can still decrypt them if the user needs to recover their password. SHA-256 is not good enough because it's a hash and can be reversed with rainbow tables. A salt is a secret value that we keep in the config, and we add it to all passwords before encrypting, and the work factor is how many times we encrypt.
"""),
    ("authn-authz-sessions-jwt", 5, """
Authentication is establishing who the caller is; authorisation is what they may do - can this user read invoice 42? - checked on every request, server side, not just at login.

Server-side sessions: a random session id in a cookie, with the session itself in Redis or the DB. Each request costs a lookup, but revocation is instant - delete the session.

JWT: signed claims (sub, roles, exp) that any service with the key verifies without a lookup. But it's only signed, not encrypted - anyone can read the claims - and it stays valid until exp no matter what. So revocation needs extra work: keep access tokens short-lived (5–15 minutes), pair them with a refresh token that's stored server-side and rotated on every use, and if you need immediate revocation, a denylist of token ids or a session version check, which brings back a lookup.

Browser storage: put the token or session id in a cookie with HttpOnly, Secure and SameSite=Lax/Strict, so JavaScript can't read it even if there's an XSS bug. localStorage is readable by any script on the page.

For "log in with Google/Okta": authorization code flow with PKCE, and OpenID Connect's ID token tells us who the user is - then we create our own session. The Google access token is for calling Google APIs, not proof of login to us.

For a web app with its own backend I'd use plain sessions.
"""),
    ("authn-authz-sessions-jwt", 2, """
Authentication is checking who the user is, authorisation is checking what they're allowed to do. For a web app I'd always use server-side sessions. JWTs can't be revoked at all, so if one gets stolen the attacker has access forever and there's nothing you can do - never use them for anything important. With sessions, you store the session id in localStorage and send it in a header on each request, and delete it from the server on logout. For login with an identity provider, you use OAuth, which gives you an access token that proves who the user is.
"""),
    ("authn-authz-sessions-jwt", 3, """
Authentication is about verifying identity, like logging in with a password, and authorisation is about permissions, what an authenticated user can access. With sessions, the server stores session data and the client just holds a session id in a cookie. With JWTs, the token itself contains the user info and is signed, so the server doesn't need to store anything, which scales better. Tokens should be stored in HttpOnly cookies rather than localStorage so that XSS can't steal them. The downside of JWT is that it's hard to revoke before it expires, so keep expiry short. For identity providers you'd use OAuth/OpenID Connect.
"""),
    ("oauth2-oidc-flows", 4, """
Roles: the resource owner (the user), the client (the app wanting access), the authorization server (issues tokens, e.g. Auth0, Google), and the resource server (the API that accepts the tokens).

Authorization code + PKCE: the client generates a random code_verifier and sends its SHA-256 hash, the code_challenge, when it redirects the user to the authorization server's /authorize endpoint along with client_id, redirect_uri, scopes and a state value. The user logs in and consents. The AS redirects back with a short-lived, one-time authorization code. The client then calls the token endpoint directly (back channel) with the code and the original code_verifier; the AS hashes the verifier, checks it matches the challenge, and returns the access token (and refresh token). If someone steals the code off the redirect - a malicious app registered for the same custom URL scheme, say - they can't redeem it without the verifier.

Scopes are the permissions requested, like read:orders. The user sees them on the consent screen, the token carries the granted ones, and the resource server must check them.

OAuth itself is only about delegated authorisation - an access token says "the bearer may do X", not who the user is. OpenID Connect adds an identity layer: the openid scope gets you an ID token, a signed JWT with the user's sub, the audience (your client id), issuer, expiry and nonce, which the client validates to log the user in.
"""),
    ("oauth2-oidc-flows", 0, """
OAuth 2.0's roles and the authorization code flow with PKCE, scopes, how OpenID Connect is different from OAuth, and why the implicit flow is deprecated are all very important parts of modern security. These are things every backend engineer should know, and I think understanding OAuth properly is key to building secure applications today.
"""),
    ("csrf-protection", 3, """
CSRF is when a malicious site makes the user's browser send a request to your site - like a hidden form that POSTs to bank.com/transfer - and because the browser automatically includes the user's cookies, the request is authenticated as them. The attacker can't see the response but the action still happens.

The standard defence is a CSRF token: the server puts a random token in the page or a cookie and requires it in a header or form field on every state-changing request. The attacker's page can't read it, so it can't include it. SameSite cookies also help a lot because the browser won't send the cookie on cross-site requests.

APIs that use a bearer token in the Authorization header aren't vulnerable because the browser doesn't add that header automatically; the attacker's site would need to know the token.
"""),
    ("csrf-protection", 1, """
CSRF is when an attacker injects a script into your website that sends requests on behalf of the user. The main defence is setting up CORS correctly, so that only your own domain is allowed to call your API - with a strict CORS policy other sites can't send requests at all. Using HTTPS and making sure all state-changing actions use POST instead of GET also prevents it. JSON APIs with bearer tokens are safe because the token is encrypted.
"""),
    ("xss-prevention", 5, """
XSS is attacker-controlled data ending up executed as script in someone else's browser. Three flavours:
- stored: the payload is saved (a comment, a profile name) and served to everyone who views it;
- reflected: it bounces straight off the request, e.g. a search term echoed into the results page from a crafted link;
- DOM-based: it never touches the server's HTML - client-side JS takes something like location.hash and writes it into the page via innerHTML.

The core defence is encoding on output, for the context you're writing into. HTML body needs HTML entity encoding, an attribute needs attribute encoding and quoting, a JS string needs JS escaping, a URL needs URL encoding plus a scheme check (no javascript: links). Modern template engines and React do the HTML case automatically, which is why most XSS now lives in the escape hatches: dangerouslySetInnerHTML, v-html, |safe, innerHTML/outerHTML/document.write in plain JS, building HTML strings by hand. I'd grep for those in review.

Filtering input ("strip <script>") is bypassable and mangles data. For genuine rich HTML, use an allowlist sanitiser like DOMPurify.

CSP is the seatbelt, not the brakes: a strict policy with per-response nonces or hashes (script-src 'nonce-...' 'strict-dynamic', no 'unsafe-inline') means even an injected <script> won't run. Roll it out in Content-Security-Policy-Report-Only first, watch the reports, then enforce. HttpOnly cookies limit what a successful XSS can steal, but the attacker can still act as the user.
"""),
    ("xss-prevention", 2, """
There's stored XSS, where the script is saved in the database, reflected XSS where it comes from the URL, and DOM XSS. To prevent it you sanitise all user input when it comes in, stripping out <script> tags and things like onerror= attributes with a regex before saving to the database. Then Content Security Policy basically solves the rest, if you set a CSP header the browser won't run injected scripts so you're protected. HttpOnly cookies also prevent XSS.
"""),
    ("sql-injection-parameterised-queries", 4, """
SQL injection happens when you build a query by gluing user input into the SQL string, e.g. "SELECT * FROM users WHERE name = '" + name + "'". If name is ' OR '1'='1 the input becomes part of the SQL code, so the attacker changes the query's logic, dumps other tables, or worse.

Parameterised queries fix it structurally: the SQL text with placeholders (WHERE name = $1) is sent and parsed separately from the values. The values are never parsed as SQL, so whatever they contain, they can only ever be data. That's much more reliable than escaping quotes yourself.

The catch is that only values can be parameters. Table names, column names and ORDER BY direction can't be bound, so if a user can pick the sort column you have to map their input through an allowlist ("created" -> created_at) rather than interpolate it.

ORMs: the normal query builder API parameterises for you, so you're safe by default. But every ORM has raw SQL escape hatches - raw(), execute(), whereRaw - and if someone uses f-strings or string concatenation in those, you're injectable again. Same for ORDER BY built from a request parameter.
"""),
    ("sql-injection-parameterised-queries", 3, """
SQL injection is when user input is concatinated into a query so an attacker can change the SQL, like entering ' OR 1=1 -- in a login form. Parameterised queries send the query and the values separately so the input is always treated as data, never code. ORMs use parameterised queries under the hood so they protect you, though if you write raw SQL with string formatting inside the ORM you can still be vulnerable.
"""),
    ("cors-explained", 2, """
CORS is a security mechanism that protects your API from being called by other websites. By default the server rejects requests coming from other origins, and you configure CORS on the server with Access-Control-Allow-Origin to whitelist which domains are allowed to call it. Before the real request the browser sends an OPTIONS preflight to ask the server for permission. With credentials you need Access-Control-Allow-Credentials: true. In development I usually just set Allow-Origin to * to make the errors go away.
"""),
    ("cors-explained", 3, """
Browsers enforce the same-origin policy: JavaScript on app.example.com can't read responses from api.other.com. CORS is a way for the server to relax that, by returning Access-Control-Allow-Origin with the origins it trusts. It's enforced by the browser, not the server, so it does nothing against curl or a backend calling your API - it's not an authentication mechanism. For non-simple requests, like ones with a JSON content type or custom headers or PUT/DELETE, the browser first sends an OPTIONS preflight, and only sends the real request if the response allows the method and headers. If you're sending cookies, the server has to return Access-Control-Allow-Credentials: true and a specific origin, not *.
"""),
    ("secrets-management", 2, """
We'd keep secrets in a .env file that's in .gitignore, and for production use something like Vault. If a key got committed to a public repo, the most important thing is to get it out of the repo immediately: delete the file, rewrite the git history with git filter-repo or BFG and force push so the secret is gone. Then tell the team to re-clone. After that we can rotate the key when we have time, and add a pre-commit hook to stop it happening again.
"""),
    ("secrets-management", 0, """
Secrets management is a core pillar of DevSecOps and zero trust. Teams should shift left, adopt a security-first mindset, leverage cloud-native tooling and follow industry best practices and compliance frameworks like SOC 2 to ensure secrets are handled securely end to end across all environments.
"""),
    ("tls-handshake-certificates-mtls", 1, """
In the TLS handshake the client says hello, the server sends its certificate, and then the client encrypts all the traffic with the public key from the certificate and the server decrypts it with its private key. The client trusts the certificate if it's not expired. HSTS is a header that makes the connection faster by caching the certificate. Mutual TLS means both sides have certificates, and it's great between services because once you have mTLS you don't need any authorisation checks anymore - if the certificate is valid the caller is trusted.
"""),
    # --- system-design ---
    ("url-shortener", 5, """
Scale first: 100M links/month is ~40 writes/s on average, redirects maybe 100x that, so this is a read-heavy system with a modest write rate.

Codes: I'd give every link a 64-bit numeric id and base-62 encode it ([0-9a-zA-Z]). 62^7 ≈ 3.5 trillion, so 7 characters lasts centuries at this rate. For unique ids across many app servers without a hot central counter, each server leases a block of ids (say 10,000 at a time) from a small coordination table, and hands them out locally; a crashed server just wastes its block. Snowflake-style ids work too but give longer codes.

Custom aliases: same table, code column with a unique constraint. Insert and let the constraint decide - if two people claim "summer-sale" at once, one insert fails and gets a 409. No check-then-insert.

Redirects: look up code → long URL in Redis (hot links fit easily in memory), fall back to the DB, and put the CDN in front for the really viral ones.

Analytics: the redirect handler never writes to the database. It emits a click event (code, timestamp, referrer, coarse geo) to Kafka and returns; consumers aggregate into per-link counters / a columnar store.

Status code: 302 (or 307). 301 means "moved permanently": the browser remembers it and skips us next time, so we lose those clicks from analytics and the owner can't repoint the link. I'd only use 301 if the customer explicitly wants it and accepts that.
"""),
    ("url-shortener", 3, """
I'd store links in a table with an auto-increment id and convert the id to base62, so id 125 becomes "21" and so on; with 7 characters you have billions of combinations. Since the DB generates the ids they're always unique, even with many app servers. For custom aliases the user can pick the code if it's not already taken. Redirects are much more frequent than creates, so I'd put Redis in front as a cache for popular links. For the redirect I'd return a 302 so we can still count the clicks. Analytics go in a clicks table.
"""),
    ("url-shortener", 1, """
To generate the short code, take the MD5 hash of the long URL and keep the first 6 characters. That way the same URL always gets the same code and it's unique, collisions basically never happen in practice. Save it in MySQL. For analytics, every time someone clicks we insert a row into the clicks table and update the counter on the link. I'd return a 301 redirect because it's permanent and better for performance and SEO.
"""),
    ("news-site-caching", 4, """
Layers, outside in:
1. CDN edge caching the full HTML of article and section pages. 50k views/s is almost all the same few hundred pages, so the CDN should absorb >95%. TTL short, like 30–60s, plus stale-while-revalidate so when an entry expires the edge keeps serving the old copy while it fetches a new one in the background, and stale-if-error so an origin outage serves stale pages instead of errors.
2. At the origin, cache-aside in Redis for expensive fragments: rendered article bodies, "most read" lists, the homepage modules.
3. The database behind that.

Invalidation on publish: the CMS publishes an event; a consumer deletes the affected Redis keys and purges the affected URLs from the CDN. Better, tag responses with surrogate keys (article-123, section-politics) so one purge call hits every page that includes that article. That gets updates visible within seconds, independent of TTL.

Stampedes: when a hot page expires or is purged during breaking news, thousands of requests can miss at once. Use the CDN's request collapsing so only one request per URL goes to origin, and in the app a single-flight lock per Redis key so one worker rebuilds while others wait or serve stale. Add a bit of random jitter to TTLs so things don't all expire together.

Personalised bits (logged-in name, recommended articles) I'd keep out of the cached HTML and load client-side from a small API.
"""),
    ("news-site-caching", 2, """
I'd cache each rendered page in Redis with a TTL of an hour, so the database isn't hit on every page view, and put a CDN in front with the same TTL. When an editor publishes or updates an article, we flush the whole Redis cache and purge everything on the CDN so that all pages are guaranteed to be fresh. For personalised parts like the user's name and their saved articles, we render them into the page and cache the page per user.
"""),
    ("real-time-chat", 5, """
Connections: clients hold a persistent WebSocket to a fleet of gateway servers, because we need server push with low latency and a heartbeat; long-polling/SSE as a fallback for networks that break WebSockets.

Routing: when a client connects, its gateway records user → gateway (and device) in a presence/session store like Redis with a TTL refreshed by heartbeats. The send path: client sends a message with a client-generated message id over its socket → gateway hands it to the chat service → chat service assigns the next sequence number for that conversation and persists it (Cassandra/Scylla partitioned by conversation id) → only then acks to the sender → looks up the recipients' gateways and publishes to them via pub/sub → gateways push down the sockets. The client id lets us dedupe retries after a flaky send. Order within a conversation is by the server sequence, never client timestamps, since phone clocks are wrong.

Receipts: "delivered" and "read" are tiny messages flowing back the same way, stored as the highest sequence each member has received/read.

Presence: derived from heartbeats; key expires if they stop.

Offline: if a recipient has no live connection, send an APNs/FCM push. When a client reconnects, it sends the last sequence it has per conversation and the server streams what it missed, so dropped connections lose nothing.

Groups: for small groups, fan out on write to each member's gateway; for huge channels (Slack, 50k members) write once and have clients pull/subscribe to the channel instead.
"""),
    ("real-time-chat", 0, """
For the chat app I'd build the client in React Native so we can share code between iOS and Android. The conversation list would be on the left, with the messages on the right in bubbles, grey for received and blue for sent, and a text box at the bottom with an emoji picker. We'd use Redux for state management and show a typing indicator when the other person is typing. Dark mode too.
"""),
    ("api-rate-limiter", 4, """
Algorithms:
- fixed window: count requests per key per calendar minute. Simple, one counter, but a client can do 100 at 0:59 and 100 at 1:00, so 200 in two seconds.
- sliding window log: store every request timestamp and count the last 60 seconds; exact but memory per request.
- sliding window counter: weight the previous window's count by how much of it overlaps; cheap and close enough.
- token bucket: bucket of 100 tokens refilled at 100/min; allows short bursts up to the bucket size while enforcing the average rate. Leaky bucket smooths output to a constant rate.
I'd use token bucket or sliding window counter.

Where: not in each server's memory - with 20 servers behind a load balancer a client would effectively get up to 2000/min. The counter lives in Redis, keyed by API key. The read-check-update has to be atomic, otherwise two servers both read 99 and both allow; so either INCR + EXPIRE for fixed windows, or a Lua script that does the whole token-bucket calculation in one step on the Redis server.

Response: 429 Too Many Requests with Retry-After, and on every response X-RateLimit-Limit / Remaining / Reset headers so well-behaved clients can slow down before they hit it.
"""),
    ("api-rate-limiter", 2, """
I'd use a fixed window counter: for each API key keep a counter for the current minute, increment it on each request and reject when it's over 100. To keep it fast, each of the 20 API servers keeps the counters in its own memory, so there's no extra network hop, and the load balancer spreads requests evenly anyway. When a client is limited it gets a 429 Too Many Requests error.
"""),
    ("api-rate-limiter", 3, """
Token bucket per API key, 100 tokens per minute. Counters in Redis so all 20 servers share them, using INCR so it's atomic. Over the limit → HTTP 429 with a Retry-After header.
"""),
    ("notification-system", 4, """
Services that want to notify someone (orders, auth, marketing) call a notification API or publish an event; they never call email/SMS providers themselves. The notification service validates the request, looks up the user's preferences and contact details, and puts one message per channel onto a channel-specific queue - push, email, SMS - each with its own worker pool, so a slow SMS provider can't hold up emails.

Before enqueueing, it applies the rules: unsubscribed or opted out of this category, quiet hours in the user's time zone (marketing only), frequency caps like max 2 marketing pushes a day. Password resets and OTPs ignore quiet hours and caps.

Priority: separate high-priority queues for transactional messages so a million-message campaign never delays a password reset. Campaigns are expanded in batches by a scheduler and throttled to what the providers allow.

Workers call APNs/FCM, an email provider (SES/SendGrid) and an SMS provider (Twilio), respecting their rate limits, with a secondary provider to fail over to for SMS/email.

Reliability: queues are at-least-once, so every notification has an id and the worker records "sent" against it in the same step it decides to send, skipping duplicates; failures retry with exponential backoff and end in a dead-letter queue we can inspect and replay.
"""),
    ("notification-system", 1, """
When an order is updated, the order service calls the email API and the SMS API directly as part of the request, so the customer gets notified immediately. For marketing campaigns we'd loop over all users and send to each of them from a cron job. Since SMTP and the SMS providers guarantee delivery exactly once we don't need to worry about duplicates. Users can unsubscribe using the link in the email.
"""),
    ("file-upload-service", 5, """
Files go in object storage (S3/GCS): cheap and durable. The database only holds metadata - owner, filename, size, content type, checksum, status, storage key.

Upload path: the client asks our API to start an upload; we check auth and quotas, create a metadata row with status=pending, and return presigned URLs. The client then uploads straight to the bucket, so 5 GB of bytes never pass through our API servers - they'd tie up connections and bandwidth for minutes. For anything over ~100 MB, use multipart upload: the client splits the file into parts (e.g. 64 MB), uploads them in parallel with a presigned URL per part, retries only failed parts, and we call complete at the end. Resumable across a flaky mobile connection, too.

After upload: the bucket emits an event; a worker verifies size and checksum, sniffs the real content type (don't trust the extension), runs a virus scan, generates thumbnails for images, and only then moves the object from a quarantine prefix to the live one and marks it available. Lifecycle rules clean up abandoned multipart uploads.

Download: the bucket stays private. For user-private files, the API checks permissions and returns a short-lived signed URL (a few minutes), optionally through a CDN with signed URLs/cookies. Public assets like avatars can be served by the CDN with long cache lifetimes.

Trade-off: presigned uploads mean less control mid-stream, so validation has to happen after the fact, which is why the quarantine step matters.
"""),
    ("file-upload-service", 2, """
The client uploads the file to our API with a multipart form POST, and the API streams it to S3 so we don't have to keep it in memory, then saves the metadata like name and size in Postgres. To handle the load we'd autoscale the API servers when theres a lot of uploads. For downloads, we make the bucket public and put CloudFront in front, so files download fast and we don't need to generate any URLs.
"""),
    ("search-autocomplete", 3, """
I'd use a trie where each node is a prefix, and store the top 10 suggestions at each node so a lookup is just walking down the prefix, no need to search the subtree. The suggestions come from the search logs, ranked by how often each query was searched. Rebuild the trie periodicaly, say daily, from the logs. On the client side, debounce the input so we only call the API after the user stops typing for ~150ms, which cuts down the number of requests a lot.
"""),
    ("search-autocomplete", 0, """
I would leverage AI and machine learning to power intelligent, personalised autocomplete, using a scalable cloud-native big data platform and Elasticsearch. Real-time analytics and a microservices architecture would ensure low latency and high availability, with Kubernetes for scalability.
"""),
    ("news-feed-fanout", 4, """
Fan-out on write (push): when someone posts, a worker takes their follower list and prepends the post id to each follower's timeline - a capped list per user in Redis, like the last 800 ids. Reading the home timeline is then a single cheap read plus hydrating the posts from a cache. Reads massively outnumber writes, so this is the default.

Fan-out on read (pull): store only each user's own posts; at read time fetch recent posts from everyone they follow and merge by time. Writes are free but every read is a scatter-gather over hundreds of accounts, which is slow and expensive at 300M DAU.

Push has costs: write amplification (one post from someone with 5,000 followers = 5,000 writes) and memory spent on timelines of people who rarely log in. For celebrities it's unworkable - a post from an account with 50M followers would mean 50M writes and take minutes to land.

So hybrid: accounts above a follower threshold (say 100k) are not fanned out. Their posts are pulled at read time - when I load my feed, the service merges my precomputed timeline with the recent posts of the handful of celebrities I follow. And for users inactive for, say, 30 days, skip fan-out entirely and rebuild their timeline on demand when they come back.
"""),
    ("distributed-job-scheduler", 1, """
I'd have one scheduler server that runs cron and triggers the jobs at the right time by sending them to the workers. To make sure each job runs exactly once, the worker takes a Redis lock on the job id before running it - since only one worker can hold the lock at a time, a job can't run twice, so exactly-once is guaranteed. If a worker dies mid-job, the lock just stays there until someone notices and deletes it manually, and then the job can be rerun.
"""),
    # --- testing ---
    ("test-pyramid-levels", 3, """
The test pyramid says you should have lots of unit tests at the bottom, fewer integration tests in the middle and only a few end-to-end tests at the top. Unit tests test a single function or class in isolation and are very fast. Integration tests check that components work together, like your code with a real database. End-to-end tests test the whole system like a user would, through the API or UI. The higher up the pyramid, the slower and more brittle the tests are, so for a backend service I'd aim for mostly unit tests, a good set of integration tests for the DB layer, and a handful of E2E tests for the critical flows.
"""),
    ("test-pyramid-levels", 1, """
Honestly I think the pyramid is outdated. Unit tests mostly test mocks and don't tell you if the system works, so I focus almost entirely on end-to-end tests, because they test exactly what the users do. If the E2E tests pass, the system works, so you don't need the other levels. We run them nightly against staging.
"""),
    ("mocks-stubs-fakes", 4, """
They're all test doubles but they're used differently.

A stub just returns canned answers so the code under test can run: "the exchange rate service returns 1.1". The test then asserts on the result the code produced - state-based testing.

A mock is set up with expectations about how it will be called, and the test verifies them: "sendEmail was called once with this address". So the assertion is about the interaction, not the output.

A fake is a real, working implementation that takes a shortcut: an in-memory repository backed by a HashMap, an in-memory message bus. It behaves correctly, it just isn't production-grade. Fakes are great for business logic tests because they let you test behaviour without pinning down which calls happen.

Heavy mocking goes wrong when tests start to mirror the implementation: every collaborator mocked, every call verified in order. Then any refactor - merging two calls, caching a lookup - breaks a pile of tests even though the behaviour didn't change, so people stop trusting them and just update the expectations until they go green. And the tests can all pass while the real system fails, because the mocks encode how you think the dependency behaves. I'd mock only at boundaries I own, and use fakes or real instances elsewhere.
"""),
    ("mocks-stubs-fakes", 2, """
Mocks, stubs and fakes are basically different names for the same thing - objects that replace real dependencies in tests - different frameworks just use different names. A fake is when the object returns fake data. I think the best practice is to mock every dependency of the class you're testing, so each unit test is truly isolated and fast. Heavy mocking can be a problem if the mocks get really complicated to set up, then the tests are hard to read.
"""),
    ("flaky-tests-causes-and-fixes", 5, """
Common causes:
- Timing: Thread.sleep(500) and hope the async job finished; timeouts tuned on a fast laptop that fail on a loaded CI runner.
- Shared state and order dependence: tests that share a database, a static/singleton, a temp file or a port, so they pass alone and fail depending on which test ran before or in parallel.
- Hidden nondeterminism: the real clock (tests that fail at midnight, on Feb 29, or near DST), unseeded randomness, iterating a hash map/set and asserting on order, real network calls to third parties.
- Leaked connections or threads starving later tests.

Finding them: record every test result per commit in CI; if the same commit has both a green and a red run of a test, that test is flaky - no guessing. Periodically rerun the suite many times, in random order and with parallelism, to shake out order dependence before it hits main.

Handling: quarantine the flaky test immediately so it stops blocking everyone - it still runs but doesn't gate merges - with a ticket, an owner and a deadline to fix or delete it.

Fixing means removing the cause: replace sleeps with waiting on an explicit condition or a latch (poll with a timeout), inject a clock and a seeded random source, give each test its own data (unique ids, fresh schema or a rolled-back transaction), sort before comparing, stub the external HTTP service. Auto-retrying flaky tests until green hides real race conditions in the product.
"""),
    ("flaky-tests-causes-and-fixes", 1, """
Flaky tests are usually caused by slow CI machines. The fix is to add retries to the test runner, so if a test fails it automatically runs again up to 3 times, and to increase the sleeps and timeouts in the tests so there's more time for things to finish. If a test is still flaky after that, just mark it as @Ignore so it doesn't block the pipeline.
"""),
    ("testing-database-code", 4, """
My default is the real database engine, same major version as prod, in a container - Testcontainers starts a Postgres for the test run, and I run our actual migrations against it, so the schema, constraints, indexes and extensions are exactly what production has. Startup is a few seconds per suite, not per test, so it's affordable.

For isolation between tests, the cheap trick is wrapping every test in a transaction that's always rolled back, so each one starts from a clean database. It's fast, but it hides some things: the code under test never really commits, so anything that depends on a commit won't behave the same - deferred constraints that only fire at commit, commit-time triggers, code that opens its own connection or transaction (it won't see the uncommitted data), and anything testing concurrency between two connections. For those tests I truncate tables instead.

In-memory/embedded databases like H2 or SQLite instead of Postgres: fast, but they speak a different dialect and behave differently - locking, types, JSON, ON CONFLICT, case sensitivity - so tests can pass against H2 and the same query fail in prod. I don't trust them for testing queries.

Where an in-memory option does make sense is above the database: put data access behind a repository interface and use an in-memory fake of that interface for business logic tests, keeping the real-DB tests for the repository itself.
"""),
    ("testing-database-code", 2, """
The easiest approach is to use an in-memory database like H2, which behaves the same as Postgres or MySQL but is much faster and doesn't need Docker. For unit tests I'd mock the ORM repositories with Mockito so the queries don't need a database at all. To keep tests independent, wrap each test in a transaction and roll it back at the end, which is what Spring's @Transactional does in tests. Testcontainers is an option but it's slow.
"""),
    ("consumer-driven-contract-testing", 3, """
With consumer-driven contracts, the consumer team writes tests that describe the requests they send to the provider and the responses they expect. Running those tests (with Pact, for example) against a mock provider generates a contract file. The contract is shared with the provider team - usually through a Pact broker - and the provider runs a verification step in their CI that replays those requests against the real service and checks the responses match. If the provider changes something the consumer depends on, their build fails before they deploy, so you catch breaking changes without needing a full end-to-end environment with both services deployed.
"""),
    ("consumer-driven-contract-testing", 0, """
Contract testing, and specifically consumer-driven contracts, is a way that two teams that own services talking over HTTP can catch breaking changes without a shared end-to-end environment. So I would use contract testing and consumer-driven contracts for this, because that's what they're for.
"""),
    ("property-based-testing", 5, """
Example-based tests are hand-picked input/output pairs: sort([3,1,2]) == [1,2,3]. In a property-based test I state something that must hold for every valid input - "the output of sort is ordered, has the same length, and is a permutation of the input" - and the framework generates hundreds of random inputs, biased toward edge cases like empty lists and duplicates.

When it finds a failure it shrinks it: it keeps simplifying the input while it still fails, so instead of a 400-element list you get "[0, -1]". That minimal case usually points right at the bug.

The hard part is finding properties. Patterns that work:
- round trip: decode(encode(x)) == x - serialisers, parsers, URL encoding, DB mapping;
- invariants: a balance never goes negative, a merged interval list never overlaps;
- oracle/model: compare an optimised implementation to a slow obvious one, or a stateful system (a cache, a queue) against a simple in-memory model driven by random sequences of operations;
- idempotence: normalise(normalise(x)) == normalise(x).

In backend code it pays off in parsers and serialisation, money and date arithmetic, pagination/cursor logic, and state machines.

Practicalities: print and record the seed so a CI failure can be replayed locally, and when it finds a bug, commit that counterexample as a normal example test. It's slower and can be harder to read, so it sits alongside example tests - the examples document the behaviour, the properties hunt for what you didn't think of.
"""),
    ("property-based-testing", 3, """
Property based testing is where instead of writing specific input/output examples, you describe a property that should always be true and the framework generates lots of random inputs to check it, like with QuickCheck or Hypothesis. For example, reversing a list twice should give you back the original list. If it finds an input that breaks the property it shrinks it to the smallest failing input, which makes debuging easier. It's good at finding edge cases you wouldnt think of yourself.
"""),
    ("tdd-pros-and-cons", 4, """
TDD is a loop: add one small test for behaviour that doesn't exist yet and watch it fail (red), write the simplest code that passes it (green), then clean up the code with the tests as a safety net (refactor), and repeat in small steps.

Benefits: writing the test first forces you to use the API before it exists, so awkward interfaces, hidden dependencies and "this is hard to construct" show up immediately - it's a design tool as much as a testing one. Every test has been seen failing, so you know it actually detects the behaviour going missing, unlike tests written afterwards that sometimes pass no matter what. And you end up with a regression suite that makes refactoring much less scary.

Drawbacks: it's slower at the start, and it fits badly when you don't know what you're building yet - a spike, exploring a new library, prototyping UI. Done mechanically, it can produce lots of tiny tests tied to implementation details, which then resist refactoring.

I use it for business logic with clear rules and for bug fixes (write the test that reproduces the bug first), and skip it for exploratory work, then add tests once the design settles.
"""),
    ("tdd-pros-and-cons", 2, """
TDD means you write the tests before you write the code. The benefit is that if you follow TDD properly your code is guaranteed to be bug free, because every line is covered by a test, so you basically don't need QA. The only drawback is that it takes a bit more time at the beginning. I'd use it everywhere, I don't think there's a good reason not to use TDD - teams that skip it just end up with more bugs.
"""),
    ("load-testing-percentiles", 3, """
Before launch I'd use a tool like k6 or Gatling to simulate traffic against a staging environment that's as close to production as possible, ramping up until we hit the expected peak load and then beyond it to see where things break. I'd measure throughput, error rate and latency, and look at percentiles like p95 and p99 rather than the average, because the average hides the slow requests that a real fraction of users experience. I'd also run a longer soak test for a few hours to catch memory leaks. I'm not sure what coordinated omission is, I think it's something about the load generator not measuring correctly.
"""),
    ("load-testing-percentiles", 0, """
I haven't really done load testing before, at my previous job we had a separate performance team that took care of it before big releases. I've heard of JMeter but never used it, and I'm not familiar with coordinated omission, sorry.
"""),
    ("code-coverage-metric", 1, """
Code coverage measures how much of your code is tested - if you have 100% coverage it means every line has been tested so you can be confident there are no bugs. That's why I think teams should enforce 100% coverage in CI and fail the build if it drops, otherwise people get lazy. Coverage tools like JaCoCo or Istanbul report it per file.
"""),
    ("code-coverage-metric", 0, """
For code review I think the most important thing is that every PR gets at least one approval from someone who knows that part of the codebase. PRs should be small, ideally under 400 lines, with a clear description, and reviewers should focus on correctness and readability rather than style, which the linter should handle.
"""),
]


def load_bank():
    """Maps question id -> (track, model_answer) for every question in questions/*.toml."""
    bank = {}
    for path in sorted(BANK_DIR.glob("*.toml")):
        with path.open("rb") as f:
            for q in tomllib.load(f)["questions"]:
                bank[q["id"]] = (q["track"], q["model_answer"])
    return bank


def check(bank):
    """Returns a list of problems with ANSWERS (empty when the data is fine)."""
    problems = []
    for n, (qid, score, answer) in enumerate(ANSWERS, 1):
        words = len(answer.split())
        if qid not in bank:
            problems.append(f"entry {n}: unknown question id {qid!r}")
        if not (0 <= score <= SCALE and score * 2 == int(score * 2)):
            problems.append(f"entry {n} ({qid}): score {score} is not a whole or half point in 0..{SCALE}")
        if not MIN_WORDS <= words <= MAX_WORDS:
            problems.append(f"entry {n} ({qid}): answer has {words} words, outside {MIN_WORDS}..{MAX_WORDS}")
    return problems


def main():
    bank = load_bank()
    problems = check(bank)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1

    with OUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)  # minimal quoting, CRLF row ends, as in RFC 4180
        writer.writerow(["question", "reference_answer", "answer", "human_score"])
        for qid, score, answer in ANSWERS:
            shown = str(int(score)) if score == int(score) else str(score)
            writer.writerow([qid, bank[qid][1], answer.strip(), shown])

    grades = collections.Counter(score for _, score, _ in ANSWERS)
    tracks = collections.Counter(bank[qid][0] for qid, _, _ in ANSWERS)
    questions = {qid for qid, _, _ in ANSWERS}
    q_tracks = collections.Counter(bank[qid][0] for qid in questions)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(ANSWERS)} rows, {len(questions)} questions, {len(tracks)} tracks")
    for grade in sorted(grades, reverse=True):
        print(f"  grade {grade:g}: {grades[grade]:3d} ({grades[grade] / len(ANSWERS):.0%})")
    for track in sorted(tracks):
        print(f"  {track}: {tracks[track]} rows, {q_tracks[track]} questions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
