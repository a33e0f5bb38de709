//! The deployment files — Dockerfile, .dockerignore, docker-compose.yml, fly.toml and
//! .env.example — read as data and held to what the code needs: every variable the
//! configuration requires reaches the bot, the health checks ask `/healthz` on the port the bot
//! serves, and .env.example lists every variable the code reads. Nothing here runs Docker or
//! flyctl, builds an image or opens a socket: the files are parsed, that is all.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use regex::Regex;
use yaml_rust2::{Yaml, YamlLoader};

/// The port the bot serves `/healthz` and `/metrics` on (`PORT`, default 8080).
const PORT: u16 = 8080;
const HEALTH_PATH: &str = "/healthz";
/// Services in docker-compose.yml.
const BOT: &str = "bot";
const POSTGRES: &str = "postgres";
const OLLAMA: &str = "ollama";
/// Variables that must be set as Fly secrets, never in fly.toml's `[env]`.
const SECRETS: [&str; 3] = ["DISCORD_TOKEN", "DATABASE_URL", "LLM_API_KEY"];
/// Variables the code reads that the platform sets (Docker and Fly set HOSTNAME to the
/// container's or machine's id): not configuration, so not in .env.example.
const SET_BY_THE_PLATFORM: [&str; 3] = ["HOSTNAME", "PATH", "HOME"];

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name} cannot be read: {e}"))
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid regex")
}

// ---------------------------------------------------------------------------------------------
// What the code asks for

/// The variables `mockingbird run` refuses to start without: those `src/bot/config.rs` reports
/// as `ConfigError::Missing { var: "…", .. }` (LLM_MODEL, required only with LLM_BASE_URL, is
/// in src/scoring/llm/config.rs and is not among them).
fn required_variables() -> BTreeSet<String> {
    let source = read("src/bot/config.rs");
    let missing = re(r#"ConfigError::Missing\s*\{\s*var:\s*"([A-Z][A-Z0-9_]*)""#);
    let vars: BTreeSet<String> = missing
        .captures_iter(&source)
        .map(|c| c[1].to_string())
        .collect();
    assert!(
        !vars.is_empty(),
        "src/bot/config.rs no longer reports a missing variable as `ConfigError::Missing {{ var: \
         \"…\", .. }}`: teach required_variables() in tests/deploy_files.rs the new form"
    );
    vars
}

/// Every environment variable read by the code that ships (src/, without the dev tools in
/// src/bin/), with the first file that reads it: `get("X")` (the config lookups),
/// `env::var("X")`, clap's `env = "X"`, and RUST_LOG behind `EnvFilter::…from_default_env`.
fn variables_the_code_reads() -> BTreeMap<String, String> {
    let patterns = [
        re(r#"\bget\(\s*"([A-Z][A-Z0-9_]*)"\s*\)"#),
        re(r#"\b(?:env|dotenvy)::var(?:_os)?\(\s*"([A-Z][A-Z0-9_]*)"\s*\)"#),
        re(r#"\benv\s*=\s*"([A-Z][A-Z0-9_]*)""#),
    ];
    let mut found = BTreeMap::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        let entries = fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir:?} cannot be read: {e}"));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                if path != src.join("bin") {
                    dirs.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = fs::read_to_string(&path).expect("a readable source file");
            let file = path
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .unwrap_or(&path)
                .display()
                .to_string();
            let mut names: Vec<String> = patterns
                .iter()
                .flat_map(|p| p.captures_iter(&text).map(|c| c[1].to_string()))
                .collect();
            if text.contains("from_default_env") {
                names.push("RUST_LOG".into());
            }
            for name in names {
                found.entry(name).or_insert_with(|| file.clone());
            }
        }
    }
    for var in [
        "DISCORD_TOKEN",
        "DATABASE_URL",
        "LLM_BASE_URL",
        "LOG_FORMAT",
        "RUST_LOG",
    ] {
        assert!(
            found.contains_key(var),
            "the scan of src/ no longer finds {var}: teach variables_the_code_reads() in \
             tests/deploy_files.rs how the code reads it now"
        );
    }
    for var in SET_BY_THE_PLATFORM {
        found.remove(var);
    }
    found
}

/// The names .env.example mentions as `NAME=…` lines, set (`active`) or commented out.
fn env_example_names(active_only: bool) -> BTreeSet<String> {
    let line = if active_only {
        re(r"^([A-Z][A-Z0-9_]*)=")
    } else {
        re(r"^#?\s*([A-Z][A-Z0-9_]*)=")
    };
    read(".env.example")
        .lines()
        .filter_map(|l| line.captures(l.trim()).map(|c| c[1].to_string()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// docker-compose.yml

fn compose() -> Yaml {
    let docs = YamlLoader::load_from_str(&read("docker-compose.yml"))
        .unwrap_or_else(|e| panic!("docker-compose.yml is not valid YAML: {e}"));
    assert_eq!(
        docs.len(),
        1,
        "docker-compose.yml should be one YAML document"
    );
    docs.into_iter().next().expect("one document")
}

fn service<'a>(compose: &'a Yaml, name: &str) -> &'a Yaml {
    let service = &compose["services"][name];
    assert!(
        service.as_hash().is_some(),
        "docker-compose.yml has no `{name}` service under `services:`"
    );
    service
}

fn scalar(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A service's `environment:`, as a map (`KEY: value`) or a list (`KEY=value`, or `KEY` to pass
/// the variable through from the shell: `None`).
fn environment(service: &Yaml) -> BTreeMap<String, Option<String>> {
    match &service["environment"] {
        Yaml::Hash(map) => map
            .iter()
            .filter_map(|(k, v)| Some((scalar(k)?, scalar(v))))
            .collect(),
        Yaml::Array(list) => list
            .iter()
            .filter_map(Yaml::as_str)
            .map(|entry| match entry.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (entry.to_string(), None),
            })
            .collect(),
        _ => BTreeMap::new(),
    }
}

/// A service's `env_file:`: a path, a list of paths, or a list of `{ path, required }`.
fn env_files(service: &Yaml) -> Vec<String> {
    let one = |entry: &Yaml| {
        entry
            .as_str()
            .or_else(|| entry["path"].as_str())
            .map(|p| p.trim_start_matches("./").to_string())
    };
    match &service["env_file"] {
        Yaml::Array(list) => list.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    }
}

/// A service's published ports as (host port, container port): short syntax
/// (`"8080"`, `"8080:8080"`, `"127.0.0.1:8080:8080/tcp"`) or long (`{ target, published }`).
fn ports(service: &Yaml) -> Vec<(Option<u16>, u16)> {
    let short = |spec: &str| {
        let spec = spec.split('/').next().unwrap_or(spec);
        let mut parts = spec.rsplit(':');
        let container = parts.next()?.parse().ok()?;
        let host = parts.next().and_then(|h| h.parse().ok());
        Some((host, container))
    };
    let port = |v: &Yaml| scalar(v).and_then(|s| s.parse::<u16>().ok());
    service["ports"]
        .as_vec()
        .map(|list| {
            list.iter()
                .filter_map(|entry| match entry {
                    Yaml::Hash(_) => Some((port(&entry["published"]), port(&entry["target"])?)),
                    other => short(&scalar(other)?),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A health check's command as Docker runs it: `["CMD", tool, args…]`, or
/// `["CMD-SHELL", "a shell line"]` (also from the plain-string form).
fn healthcheck_command(healthcheck: &Yaml) -> Vec<String> {
    match &healthcheck["test"] {
        Yaml::Array(list) => list.iter().filter_map(scalar).collect(),
        Yaml::String(line) => vec!["CMD-SHELL".into(), line.clone()],
        _ => Vec::new(),
    }
}

/// The program a health check runs.
fn healthcheck_tool(command: &[String]) -> Option<String> {
    match command.first().map(String::as_str) {
        Some("CMD") => command.get(1).cloned(),
        Some("CMD-SHELL") => command
            .get(1)?
            .split_whitespace()
            .next()
            .map(str::to_string),
        _ => None,
    }
}

/// The host of a `postgres://user:password@host:port/db` URL.
fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host_port.split(':').next()
}

#[test]
fn compose_gives_the_bot_every_required_variable() {
    let compose = compose();
    let bot = service(&compose, BOT);
    let environment = environment(bot);
    let reads_dot_env = env_files(bot).iter().any(|f| f == ".env");
    let in_env_example = env_example_names(true);
    for var in required_variables() {
        let provided =
            environment.contains_key(&var) || (reads_dot_env && in_env_example.contains(&var));
        assert!(
            provided,
            "docker-compose.yml: the `{BOT}` service gets no {var}: set it under `environment:`, \
             or read `env_file: .env` and keep an uncommented `{var}=` line in .env.example"
        );
    }
}

#[test]
fn compose_points_the_bot_at_its_own_postgres() {
    let compose = compose();
    let bot = service(&compose, BOT);
    let url = environment(bot).remove("DATABASE_URL").flatten().expect(
        "docker-compose.yml: the bot's `environment:` sets no DATABASE_URL, so the one in \
             .env (pointing outside Compose) would be used",
    );
    assert_eq!(
        url_host(&url),
        Some(POSTGRES),
        "docker-compose.yml: the bot's DATABASE_URL should name the `{POSTGRES}` service as its \
         host, not {url:?}"
    );
    let postgres = service(&compose, POSTGRES);
    let image = postgres["image"].as_str().unwrap_or_default();
    assert!(
        image.starts_with("postgres:"),
        "docker-compose.yml: the `{POSTGRES}` service should run a pinned postgres image, not \
         {image:?}"
    );
    let keeps_data = postgres["volumes"].as_vec().is_some_and(|volumes| {
        volumes
            .iter()
            .filter_map(Yaml::as_str)
            .any(|v| v.ends_with(":/var/lib/postgresql/data"))
    });
    assert!(
        keeps_data,
        "docker-compose.yml: the `{POSTGRES}` service has no volume on /var/lib/postgresql/data, \
         so the database is lost with the container"
    );
}

#[test]
fn compose_starts_the_bot_after_postgres_is_healthy() {
    let compose = compose();
    let bot = service(&compose, BOT);
    assert_eq!(
        bot["depends_on"][POSTGRES]["condition"].as_str(),
        Some("service_healthy"),
        "docker-compose.yml: the bot should have `depends_on: {{ {POSTGRES}: {{ condition: \
         service_healthy }} }}`"
    );
    let command = healthcheck_command(&service(&compose, POSTGRES)["healthcheck"]);
    assert!(
        command.iter().any(|part| part.contains("pg_isready")),
        "docker-compose.yml: the `{POSTGRES}` service needs a health check running pg_isready \
         (found {command:?}), or service_healthy never comes"
    );
}

#[test]
fn compose_health_checks_the_bot_on_healthz() {
    let compose = compose();
    let healthcheck = &service(&compose, BOT)["healthcheck"];
    assert_ne!(
        healthcheck["disable"].as_bool(),
        Some(true),
        "docker-compose.yml: the bot's health check is disabled"
    );
    let command = healthcheck_command(healthcheck);
    let line = command.join(" ");
    assert!(
        line.contains(HEALTH_PATH) && line.contains(&format!(":{PORT}")),
        "docker-compose.yml: the bot's health check should ask {HEALTH_PATH} on port {PORT}, \
         not {command:?}"
    );
    let tool = healthcheck_tool(&command).expect("a health check command");
    assert!(
        runtime_image_has(&tool),
        "docker-compose.yml: the bot's health check runs `{tool}`, which the Dockerfile's \
         runtime stage does not install"
    );
}

#[test]
fn compose_publishes_the_bot_on_port_8080() {
    let compose = compose();
    let bot = service(&compose, BOT);
    let ports = ports(bot);
    assert!(
        ports.contains(&(Some(PORT), PORT)),
        "docker-compose.yml: the bot should publish container port {PORT} on host port {PORT} \
         (found {ports:?})"
    );
    if let Some(Some(port)) = environment(bot).get("PORT") {
        assert_eq!(
            port,
            &PORT.to_string(),
            "docker-compose.yml: the bot's PORT should match the published port {PORT}"
        );
    }
}

#[test]
fn compose_runs_ollama_only_in_the_ollama_profile() {
    let compose = compose();
    let ollama = service(&compose, OLLAMA);
    let profiles: Vec<String> = ollama["profiles"]
        .as_vec()
        .map(|p| p.iter().filter_map(scalar).collect())
        .unwrap_or_default();
    assert_eq!(
        profiles,
        [OLLAMA],
        "docker-compose.yml: the `{OLLAMA}` service should be in the `{OLLAMA}` profile only, \
         so a plain `docker compose up` leaves it out"
    );
    assert!(
        ollama["volumes"].as_vec().is_some_and(|v| !v.is_empty()),
        "docker-compose.yml: the `{OLLAMA}` service has no volume, so every pulled model is lost \
         with the container"
    );
    for name in [BOT, POSTGRES] {
        let service = service(&compose, name);
        assert!(
            service["profiles"].is_badvalue(),
            "docker-compose.yml: the `{name}` service is in a profile, so `docker compose up` \
             would not start it"
        );
        assert!(
            service["depends_on"][OLLAMA].is_badvalue()
                && !service["depends_on"]
                    .as_vec()
                    .is_some_and(|d| d.iter().any(|s| s.as_str() == Some(OLLAMA))),
            "docker-compose.yml: the `{name}` service depends on `{OLLAMA}`, which runs only \
             with `--profile {OLLAMA}`"
        );
    }
    assert!(
        read(".env.example").contains(&format!("LLM_BASE_URL=http://{OLLAMA}:11434/v1")),
        ".env.example should show LLM_BASE_URL=http://{OLLAMA}:11434/v1, the URL of the \
         Compose `{OLLAMA}` service"
    );
}

// ---------------------------------------------------------------------------------------------
// fly.toml

fn fly() -> toml::Table {
    read("fly.toml")
        .parse()
        .unwrap_or_else(|e| panic!("fly.toml is not valid TOML: {e}"))
}

/// The `[env]` table's names.
fn fly_env(fly: &toml::Table) -> BTreeMap<String, String> {
    fly.get("env")
        .and_then(toml::Value::as_table)
        .map(|env| {
            env.iter()
                .map(|(k, v)| (k.clone(), v.as_str().map_or(v.to_string(), str::to_string)))
                .collect()
        })
        .unwrap_or_default()
}

/// The names set by the `fly secrets set NAME=… NAME=…` command in fly.toml's comments (a
/// command may continue onto the next comment line after a `\`).
fn fly_secrets(text: &str) -> BTreeSet<String> {
    let name = re(r"^([A-Z][A-Z0-9_]*)=");
    let comments: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix('#'))
        .map(str::trim)
        .collect();
    let mut names = BTreeSet::new();
    for (i, line) in comments.iter().enumerate() {
        let Some((_, rest)) = line.split_once("fly secrets set") else {
            continue;
        };
        let mut command = rest.to_string();
        let mut next = i + 1;
        while command.trim_end().ends_with('\\') && next < comments.len() {
            command = format!(
                "{} {}",
                command.trim_end().trim_end_matches('\\'),
                comments[next]
            );
            next += 1;
        }
        names.extend(
            command
                .split_whitespace()
                .filter_map(|word| name.captures(word).map(|c| c[1].to_string())),
        );
    }
    names
}

#[test]
fn fly_builds_the_dockerfile_and_migrates_before_each_release() {
    let fly = fly();
    let dockerfile = fly
        .get("build")
        .and_then(|b| b.get("dockerfile"))
        .and_then(toml::Value::as_str)
        .expect("fly.toml: [build] should name the Dockerfile (dockerfile = \"Dockerfile\")");
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(dockerfile)
            .is_file(),
        "fly.toml: [build] dockerfile = {dockerfile:?}, which does not exist"
    );
    let release = fly
        .get("deploy")
        .and_then(|d| d.get("release_command"))
        .and_then(toml::Value::as_str);
    assert_eq!(
        release,
        Some("migrate"),
        "fly.toml: [deploy] release_command should be \"migrate\" (the image's entrypoint is \
         the mockingbird binary)"
    );
    assert_eq!(
        exec_form(&last_instruction("ENTRYPOINT")),
        ["mockingbird"],
        "Dockerfile: the ENTRYPOINT should be [\"mockingbird\"], or fly.toml's release command \
         `migrate` runs something else"
    );
}

#[test]
fn fly_routes_port_8080_and_checks_healthz() {
    let fly = fly();
    let http = fly
        .get("http_service")
        .and_then(toml::Value::as_table)
        .expect("fly.toml has no [http_service]");
    assert_eq!(
        http.get("internal_port").and_then(toml::Value::as_integer),
        Some(i64::from(PORT)),
        "fly.toml: [http_service] internal_port should be {PORT}"
    );
    let checks = http
        .get("checks")
        .and_then(toml::Value::as_array)
        .cloned()
        .unwrap_or_default();
    let checks_health = checks.iter().any(|check| {
        let method = check.get("method").and_then(toml::Value::as_str);
        check.get("path").and_then(toml::Value::as_str) == Some(HEALTH_PATH)
            && method.is_none_or(|m| m.eq_ignore_ascii_case("get"))
    });
    assert!(
        checks_health,
        "fly.toml: [[http_service.checks]] should GET {HEALTH_PATH} (found {checks:?})"
    );
    if let Some(port) = fly_env(&fly).get("PORT") {
        assert_eq!(
            port,
            &PORT.to_string(),
            "fly.toml: [env] PORT should match internal_port {PORT}"
        );
    }
}

#[test]
fn fly_keeps_one_machine_always_running() {
    let fly = fly();
    let http = fly
        .get("http_service")
        .and_then(toml::Value::as_table)
        .expect("fly.toml has no [http_service]");
    let auto_stop = http.get("auto_stop_machines");
    let never_stops = matches!(auto_stop, Some(toml::Value::Boolean(false)))
        || auto_stop.and_then(toml::Value::as_str) == Some("off");
    assert!(
        never_stops,
        "fly.toml: [http_service] auto_stop_machines should be \"off\" (or false): a Discord \
         bot's gateway connection brings no HTTP traffic to wake a stopped machine"
    );
    let min = http
        .get("min_machines_running")
        .and_then(toml::Value::as_integer);
    assert!(
        min.is_some_and(|n| n >= 1),
        "fly.toml: [http_service] min_machines_running should be at least 1 (found {min:?})"
    );
}

#[test]
fn fly_names_every_required_variable() {
    let fly = fly();
    let env = fly_env(&fly);
    let secrets = fly_secrets(&read("fly.toml"));
    for var in required_variables() {
        assert!(
            env.contains_key(&var) || secrets.contains(&var),
            "fly.toml names no {var}: neither in [env] nor in the `fly secrets set …` command \
             in its comments (found secrets {secrets:?})"
        );
    }
    for var in SECRETS {
        assert!(
            secrets.contains(var),
            "fly.toml: the `fly secrets set …` command in its comments should set {var}"
        );
    }
}

#[test]
fn fly_keeps_secrets_out_of_the_env_table() {
    let env = fly_env(&fly());
    for var in SECRETS {
        assert!(
            !env.contains_key(var),
            "fly.toml: {var} is a secret and belongs in `fly secrets set`, not in [env]"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// .env.example

#[test]
fn env_example_lists_every_variable_the_code_reads() {
    let listed = env_example_names(false);
    let missing: Vec<String> = variables_the_code_reads()
        .into_iter()
        .filter(|(var, _)| !listed.contains(var))
        .map(|(var, file)| format!("{var} (read in {file})"))
        .collect();
    assert!(
        missing.is_empty(),
        ".env.example has no `NAME=` line (set or commented out) for: {}",
        missing.join(", ")
    );
}

#[test]
fn env_example_serves_http_on_port_8080() {
    let port = read(".env.example")
        .lines()
        .find_map(|l| l.trim().strip_prefix("PORT=").map(str::to_string));
    assert_eq!(
        port.as_deref(),
        Some("8080"),
        ".env.example should have an uncommented PORT=8080 line, the port the Dockerfile, \
         docker-compose.yml and fly.toml use"
    );
}

// ---------------------------------------------------------------------------------------------
// Dockerfile

/// One instruction, its continuation lines joined: `("RUN", "apt-get update && …")`.
type Instruction = (String, String);

/// The Dockerfile as stages (each starting with its FROM), after the instructions before the
/// first FROM (global ARGs). Comment lines are skipped, even inside a continued instruction,
/// as Docker does.
fn dockerfile() -> (Vec<Instruction>, Vec<Vec<Instruction>>) {
    let mut instructions = Vec::new();
    let mut current = String::new();
    for line in read("Dockerfile").lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(part) => {
                current.push_str(part.trim());
                current.push(' ');
            }
            None => {
                current.push_str(trimmed);
                let (keyword, args) = current
                    .split_once(char::is_whitespace)
                    .unwrap_or((&current, ""));
                instructions.push((keyword.to_ascii_uppercase(), args.trim().to_string()));
                current.clear();
            }
        }
    }
    let mut prelude = Vec::new();
    let mut stages: Vec<Vec<Instruction>> = Vec::new();
    for instruction in instructions {
        if instruction.0 == "FROM" {
            stages.push(vec![instruction]);
        } else if let Some(stage) = stages.last_mut() {
            stage.push(instruction);
        } else {
            prelude.push(instruction);
        }
    }
    (prelude, stages)
}

/// The last stage: the image that runs.
fn runtime_stage() -> Vec<Instruction> {
    let (_, stages) = dockerfile();
    stages.last().cloned().expect("Dockerfile has no FROM")
}

fn last_instruction(keyword: &str) -> String {
    runtime_stage()
        .into_iter()
        .rev()
        .find(|(k, _)| k == keyword)
        .map(|(_, args)| args)
        .unwrap_or_else(|| panic!("Dockerfile: the runtime stage has no {keyword}"))
}

/// `["a", "b"]` (exec form) as its words; shell form is not accepted.
fn exec_form(args: &str) -> Vec<String> {
    serde_json::from_str(args).unwrap_or_else(|_| {
        panic!("Dockerfile: {args:?} should be in exec form, a JSON array like [\"mockingbird\"]")
    })
}

/// Whether the runtime stage can run `tool`: the binary itself, or a package it installs.
fn runtime_image_has(tool: &str) -> bool {
    tool == "mockingbird"
        || tool == "/usr/local/bin/mockingbird"
        || runtime_stage().iter().any(|(keyword, args)| {
            keyword == "RUN"
                && args.contains("install")
                && args.split_whitespace().any(|word| word == tool)
        })
}

#[test]
fn dockerfile_builds_in_one_stage_and_runs_in_another() {
    let (_, stages) = dockerfile();
    assert!(
        stages.len() >= 2,
        "Dockerfile: expected a multi-stage build (a builder FROM and a runtime FROM), found {} \
         FROM",
        stages.len()
    );
    let all: Vec<&Instruction> = stages.iter().flatten().collect();
    assert!(
        all.iter()
            .any(|(k, args)| k == "ENV" && args.replace(' ', "=").contains("SQLX_OFFLINE=true")),
        "Dockerfile: the build needs ENV SQLX_OFFLINE=true (it checks its SQL against .sqlx/, \
         with no database)"
    );
    let release_build = re(r"cargo build --release --locked --bin mockingbird\b");
    assert!(
        all.iter()
            .any(|(k, args)| k == "RUN" && release_build.is_match(args)),
        "Dockerfile: no `RUN cargo build --release --locked --bin mockingbird` (the default \
         build, which is the product)"
    );
    assert!(
        !all.iter()
            .any(|(k, args)| k == "RUN"
                && (args.contains("fake-") || args.contains("--all-features"))),
        "Dockerfile: the production image must not build the test fakes"
    );
    let runtime = runtime_stage();
    assert!(
        runtime.iter().any(|(k, args)| k == "COPY"
            && args.starts_with("--from=")
            && args.contains("mockingbird")),
        "Dockerfile: the runtime stage should COPY --from=<builder> the mockingbird binary"
    );
    let base = &runtime[0].1;
    assert!(
        !base.starts_with("rust:"),
        "Dockerfile: the runtime stage runs on the Rust toolchain image ({base}); use a slim one"
    );
}

#[test]
fn dockerfile_runs_as_a_non_root_user() {
    let user = last_instruction("USER");
    let name = user.split(':').next().unwrap_or_default();
    assert!(
        !name.is_empty() && name != "root" && name != "0",
        "Dockerfile: the runtime stage's USER is {user:?}; it should be a non-root user"
    );
}

#[test]
fn dockerfile_exposes_8080_and_health_checks_healthz() {
    let exposed = last_instruction("EXPOSE");
    assert!(
        exposed
            .split_whitespace()
            .any(|p| p.split('/').next() == Some(&PORT.to_string())),
        "Dockerfile: the runtime stage should EXPOSE {PORT} (found EXPOSE {exposed})"
    );
    let healthcheck = last_instruction("HEALTHCHECK");
    assert!(
        healthcheck.contains(HEALTH_PATH),
        "Dockerfile: the HEALTHCHECK should ask {HEALTH_PATH} (found {healthcheck:?})"
    );
    let command = healthcheck
        .split_once("CMD")
        .map(|(_, c)| c.trim())
        .expect("Dockerfile: HEALTHCHECK without CMD");
    let tool = if command.starts_with('[') {
        exec_form(command).into_iter().next()
    } else {
        command.split_whitespace().next().map(str::to_string)
    }
    .unwrap_or_default();
    assert!(
        runtime_image_has(&tool),
        "Dockerfile: the HEALTHCHECK runs `{tool}`, which the runtime stage does not install"
    );
}

#[test]
fn dockerfile_runs_the_bot_by_default() {
    assert_eq!(
        exec_form(&last_instruction("ENTRYPOINT")),
        ["mockingbird"],
        "Dockerfile: the ENTRYPOINT should be [\"mockingbird\"]"
    );
    assert_eq!(
        exec_form(&last_instruction("CMD")),
        ["run"],
        "Dockerfile: the CMD should be [\"run\"], so the image runs the bot by default"
    );
}

#[test]
fn dockerfile_builder_meets_the_crate_rust_version() {
    let manifest: toml::Table = read("Cargo.toml")
        .parse()
        .expect("Cargo.toml is valid TOML");
    let wanted = manifest["package"]["rust-version"]
        .as_str()
        .expect("Cargo.toml has a rust-version")
        .to_string();
    let version = |v: &str| -> Vec<u64> { v.split('.').filter_map(|n| n.parse().ok()).collect() };
    let (prelude, stages) = dockerfile();
    // Global ARG defaults, for `FROM rust:${RUST_VERSION}-…`.
    let args: BTreeMap<String, String> = prelude
        .iter()
        .filter(|(k, _)| k == "ARG")
        .filter_map(|(_, a)| a.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().trim_matches('"').to_string()))
        .collect();
    let rust_image = re(r"^rust:(\d+(?:\.\d+)*)");
    let builders: Vec<String> = stages
        .iter()
        .filter_map(|stage| {
            let mut image = stage[0].1.clone();
            for (name, value) in &args {
                image = image.replace(&format!("${{{name}}}"), value);
            }
            rust_image.captures(&image).map(|c| c[1].to_string())
        })
        .collect();
    assert!(
        !builders.is_empty(),
        "Dockerfile: no stage builds FROM an official rust:<version> image with a pinned version"
    );
    for found in builders {
        assert!(
            version(&found) >= version(&wanted),
            "Dockerfile: the builder's rust:{found} is older than Cargo.toml's rust-version \
             {wanted}"
        );
    }
}

#[test]
fn dockerignore_keeps_secrets_and_build_output_out_of_the_image() {
    let patterns: Vec<String> = read(".dockerignore")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.trim_start_matches('/').trim_end_matches('/').to_string())
        .collect();
    for needed in [".env", "target", ".git"] {
        assert!(
            patterns.iter().any(|p| p == needed),
            ".dockerignore should leave out {needed}"
        );
    }
    for kept in [
        ".sqlx",
        "src",
        "migrations",
        "questions",
        "assets",
        "Cargo.lock",
        "benches",
    ] {
        assert!(
            !patterns.iter().any(|p| p == kept),
            ".dockerignore leaves out {kept}, which the build needs"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The readers above, on the forms they accept

#[test]
fn the_compose_readers_accept_every_form_compose_allows() {
    let docs = YamlLoader::load_from_str(concat!(
        "a:\n",
        "  environment: [\"X=1\", \"Y\"]\n",
        "  env_file: .env\n",
        "  ports: [\"8080\", \"9000:80/udp\", {target: 81, published: \"8081\"}]\n",
        "  healthcheck: {test: curl -f http://x/healthz}\n",
        "b:\n",
        "  environment: {X: 1, Y: null}\n",
        "  env_file: [{path: ./.env, required: false}]\n",
        "  ports: [\"[::1]:8080:8080\"]\n",
        "  healthcheck: {test: [CMD, mockingbird, health]}\n",
    ))
    .expect("valid YAML");
    let (a, b) = (&docs[0]["a"], &docs[0]["b"]);
    let expected_env = BTreeMap::from([
        ("X".to_string(), Some("1".to_string())),
        ("Y".to_string(), None),
    ]);
    assert_eq!(environment(a), expected_env);
    assert_eq!(environment(b), expected_env);
    assert_eq!(env_files(a), [".env"]);
    assert_eq!(env_files(b), [".env"]);
    assert_eq!(ports(a), [(None, 8080), (Some(9000), 80), (Some(8081), 81)]);
    assert_eq!(ports(b), [(Some(8080), 8080)]);
    assert_eq!(
        healthcheck_tool(&healthcheck_command(&a["healthcheck"])).as_deref(),
        Some("curl")
    );
    assert_eq!(
        healthcheck_tool(&healthcheck_command(&b["healthcheck"])).as_deref(),
        Some("mockingbird")
    );
    assert_eq!(
        url_host("postgres://u:p@postgres:5432/db"),
        Some("postgres")
    );
    assert_eq!(
        url_host("postgres://db.example.com/x"),
        Some("db.example.com")
    );
}

#[test]
fn the_fly_secrets_reader_follows_continued_comment_lines() {
    let text = concat!(
        "# Set them once:\n",
        "#   fly secrets set DISCORD_TOKEN=... \\\n",
        "#     DATABASE_URL=postgres://u:p@h/db\n",
        "app = \"x\" # not a command: FOO=1\n",
    );
    assert_eq!(
        fly_secrets(text),
        BTreeSet::from(["DISCORD_TOKEN".to_string(), "DATABASE_URL".to_string()])
    );
}
