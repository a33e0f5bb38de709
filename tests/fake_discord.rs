//! Smoke test: the real serenity `Client` connects to the fake Discord, becomes ready
//! (READY + GUILD_CREATE), receives a member's message and answers it over REST, and the fake
//! records the reply. If this passes, the bot's own end-to-end tests can stand on the fake.

#![cfg(feature = "fake-discord")]

use std::time::Duration;

use mockingbird::fake_discord::{ids, FakeConfig, FakeDiscord};
use serenity::all::{Context, EventHandler, GatewayIntents, Message, Ready};
use serenity::async_trait;
use serenity::client::{Client, ClientBuilder};
use serenity::http::HttpBuilder;
use tokio::sync::mpsc;

const WAIT: Duration = Duration::from_secs(5);

/// Replies `pong: <content>` to every member message and reports READY.
struct Echo {
    ready: mpsc::UnboundedSender<Ready>,
}

#[async_trait]
impl EventHandler for Echo {
    async fn ready(&self, _: Context, ready: Ready) {
        let _ = self.ready.send(ready);
    }

    async fn message(&self, ctx: Context, msg: Message) {
        if msg.author.bot {
            return;
        }
        if let Err(error) = msg
            .channel_id
            .say(&ctx.http, format!("pong: {}", msg.content))
            .await
        {
            panic!("reply failed: {error}");
        }
    }
}

/// Starts a real serenity client against the fake; returns where its READY arrives.
async fn connect(fake: &FakeDiscord) -> mpsc::UnboundedReceiver<Ready> {
    std::env::set_var("NO_PROXY", "127.0.0.1,localhost");
    let http = HttpBuilder::new("fake-token")
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
        .build();
    let intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::MESSAGE_CONTENT;
    let (ready, ready_rx) = mpsc::unbounded_channel();
    let mut client = ClientBuilder::new_with_http(http, intents)
        .event_handler(Echo { ready })
        .await
        .expect("client builds");
    tokio::spawn(async move { client.start().await });
    ready_rx
}

#[tokio::test]
async fn serenity_client_gets_ready_and_its_reply_is_recorded() {
    let fake = FakeDiscord::start(FakeConfig::default()).await.unwrap();
    let mut ready = connect(&fake).await;

    let ready = tokio::time::timeout(WAIT, ready.recv())
        .await
        .expect("READY in time")
        .unwrap();
    assert_eq!(ready.user.id.get(), ids::BOT);
    fake.wait_for_gateway(WAIT).await.unwrap();

    let sent = fake.send_message(ids::ALICE, ids::GENERAL, "ping").unwrap();
    let reply = fake
        .wait_for_message_in(ids::GENERAL, WAIT, |m| m.content == "pong: ping")
        .await
        .unwrap();
    assert!(reply.by_bot);
    assert!(reply.id > sent);
    assert_eq!(
        fake.unhandled().len(),
        0,
        "unhandled requests: {:?}",
        fake.unhandled()
    );
}

/// serenity's own REST calls for everything the bot will do, straight through `Http`.
#[tokio::test]
async fn serenity_rest_calls_are_answered_and_recorded() {
    use serenity::all::{
        ChannelId, ChannelType, CreateActionRow, CreateAttachment, CreateButton, CreateCommand,
        CreateEmbed, CreateMessage, CreateThread, EditThread, ReactionType, UserId,
    };
    let fake = FakeDiscord::start(FakeConfig::default()).await.unwrap();
    std::env::set_var("NO_PROXY", "127.0.0.1,localhost");
    let http = HttpBuilder::new("fake-token")
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
        .application_id(ids::BOT.into())
        .build();

    let info = http.get_current_application_info().await.unwrap();
    assert_eq!(info.id.get(), ids::BOT);
    let commands = http
        .create_global_commands(&vec![CreateCommand::new("help").description("Help")])
        .await
        .unwrap();
    assert_eq!(commands[0].name, "help");

    let thread = ChannelId::new(ids::GENERAL)
        .create_thread(
            &http,
            CreateThread::new("Interview: alice").kind(ChannelType::PrivateThread),
        )
        .await
        .unwrap();
    thread
        .id
        .add_thread_member(&http, UserId::new(ids::ALICE))
        .await
        .unwrap();
    thread.id.broadcast_typing(&http).await.unwrap();
    let buttons = CreateActionRow::Buttons(vec![CreateButton::new("hint").label("Hint")]);
    let message = CreateMessage::new()
        .content("Question 1")
        .embed(CreateEmbed::new().title("Feedback"))
        .components(vec![buttons])
        .add_file(CreateAttachment::bytes(vec![137, 80, 78, 71], "chart.png"));
    let sent = thread.id.send_message(&http, message).await.unwrap();
    sent.react(&http, ReactionType::Unicode("👍".into()))
        .await
        .unwrap();
    let archived = thread
        .id
        .edit_thread(&http, EditThread::new().archived(true))
        .await
        .unwrap();
    assert!(archived.thread_metadata.unwrap().archived);

    let recorded = fake.message(sent.id.get()).unwrap();
    assert_eq!(recorded.embed_titles(), ["Feedback"]);
    assert_eq!(recorded.custom_ids(), ["hint"]);
    assert_eq!(recorded.attachments[0].bytes, [137, 80, 78, 71]);
    let threads = fake.threads();
    assert!(threads[0].private && threads[0].archived && threads[0].members.contains(&ids::ALICE));
    assert_eq!(fake.typing(), [thread.id.get()]);
    assert_eq!(fake.reactions()[0].emoji, "👍");
    assert!(
        fake.unhandled().is_empty(),
        "unhandled: {:?}",
        fake.unhandled()
    );
}

/// Answers `/ping` with a message plus a follow-up, and a button click with an update.
struct Interactions;

#[async_trait]
impl EventHandler for Interactions {
    async fn interaction_create(&self, ctx: Context, interaction: serenity::all::Interaction) {
        use serenity::all::{
            CreateInteractionResponse as R, CreateInteractionResponseFollowup,
            CreateInteractionResponseMessage as M,
        };
        match interaction {
            serenity::all::Interaction::Command(cmd) => {
                let sub = cmd
                    .data
                    .options()
                    .first()
                    .map(|o| o.name.to_owned())
                    .unwrap_or_default();
                let reply = M::new()
                    .content(format!("{} {sub}", cmd.data.name))
                    .ephemeral(true);
                cmd.create_response(&ctx.http, R::Message(reply))
                    .await
                    .expect("callback answered 204");
                let followup = CreateInteractionResponseFollowup::new().content("follow-up");
                cmd.create_followup(&ctx.http, followup)
                    .await
                    .expect("follow-up");
            }
            serenity::all::Interaction::Component(click) => {
                let update = M::new().content(format!("clicked {}", click.data.custom_id));
                click
                    .create_response(&ctx.http, R::UpdateMessage(update))
                    .await
                    .expect("update");
            }
            _ => {}
        }
    }
}

#[tokio::test]
async fn slash_commands_and_clicks_reach_the_bot_and_its_responses_are_recorded() {
    use mockingbird::fake_discord::SlashCommand;
    use serenity::all::{ChannelId, CreateActionRow, CreateButton, CreateMessage};
    let fake = FakeDiscord::start(FakeConfig::default()).await.unwrap();
    std::env::set_var("NO_PROXY", "127.0.0.1,localhost");
    let http = HttpBuilder::new("fake-token")
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
        .build();
    let mut client = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .event_handler(Interactions)
        .await
        .unwrap();
    let http = client.http.clone();
    tokio::spawn(async move { client.start().await });
    fake.wait_for_gateway(WAIT).await.unwrap();

    let cmd = SlashCommand::new("interview start").option("track", "backend");
    let id = fake.slash_command(ids::ALICE, ids::GENERAL, &cmd).unwrap();
    let reply = fake.wait_for_reply(id, WAIT).await.unwrap();
    assert_eq!(reply.content, "interview start");
    assert!(reply.is_ephemeral());
    fake.wait_for_message(WAIT, |m| m.content == "follow-up")
        .await
        .unwrap();

    let buttons = CreateActionRow::Buttons(vec![CreateButton::new("skip").label("Skip")]);
    let question = ChannelId::new(ids::GENERAL)
        .send_message(
            &http,
            CreateMessage::new().content("Q1").components(vec![buttons]),
        )
        .await
        .unwrap();
    fake.click(ids::ALICE, question.id.get(), "skip").unwrap();
    fake.wait_for_message(WAIT, |m| {
        m.id == question.id.get() && m.content == "clicked skip"
    })
    .await
    .unwrap();
    assert!(
        fake.unhandled().is_empty(),
        "unhandled: {:?}",
        fake.unhandled()
    );
}

/// Reports the threads each GUILD_CREATE carries.
struct Threads(mpsc::UnboundedSender<usize>);

#[async_trait]
impl EventHandler for Threads {
    async fn guild_create(&self, _: Context, guild: serenity::all::Guild, _: Option<bool>) {
        let _ = self.0.send(guild.threads.len());
    }
}

async fn start_threads_client(fake: &FakeDiscord) -> (Client, mpsc::UnboundedReceiver<usize>) {
    let http = HttpBuilder::new("fake-token")
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
        .build();
    let (tx, rx) = mpsc::unbounded_channel();
    let client = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .event_handler(Threads(tx))
        .await
        .unwrap();
    (client, rx)
}

#[tokio::test]
async fn a_restarted_client_identifies_again_and_sees_open_threads() {
    use serenity::all::{ChannelId, CreateThread};
    let fake = FakeDiscord::start(FakeConfig::default()).await.unwrap();
    std::env::set_var("NO_PROXY", "127.0.0.1,localhost");
    let (mut first, mut guilds) = start_threads_client(&fake).await;
    let (http, shards) = (first.http.clone(), first.shard_manager.clone());
    tokio::spawn(async move { first.start().await });
    assert_eq!(
        tokio::time::timeout(WAIT, guilds.recv()).await.unwrap(),
        Some(0)
    );
    ChannelId::new(ids::GENERAL)
        .create_thread(&http, CreateThread::new("Interview"))
        .await
        .unwrap();
    shards.shutdown_all().await;
    fake.wait_until("the first session to close", WAIT, |w| {
        (w.gateway_sessions == 0).then_some(())
    })
    .await
    .unwrap();

    let (mut second, mut guilds) = start_threads_client(&fake).await;
    tokio::spawn(async move { second.start().await });
    assert_eq!(
        tokio::time::timeout(WAIT, guilds.recv()).await.unwrap(),
        Some(1)
    );
    assert_eq!(fake.read(|w| w.identifies), 2);
}

#[tokio::test]
async fn the_control_api_drives_the_bot_and_lists_what_it_posted() {
    let fake = FakeDiscord::start(FakeConfig::default()).await.unwrap();
    std::env::set_var("NO_PROXY", "127.0.0.1,localhost");
    let http = HttpBuilder::new("fake-token")
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
        .build();
    let mut client = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .event_handler(Interactions)
        .await
        .unwrap();
    tokio::spawn(async move { client.start().await });
    fake.wait_for_gateway(WAIT).await.unwrap();

    let control = reqwest::Client::builder().no_proxy().build().unwrap();
    let body = serde_json::json!({"member": ids::BOB, "channel": ids::GENERAL, "command": "history", "options": {"member": {"user": ids::ALICE}}});
    let answer: serde_json::Value = control
        .post(format!("{}/control/command", fake.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["response"]["kind"], 4);
    assert_eq!(answer["response"]["data"]["content"], "history member");
    fake.wait_for_message(WAIT, |m| m.content == "follow-up")
        .await
        .unwrap();
    let url = format!(
        "{}/control/messages?channel={}",
        fake.base_url(),
        ids::GENERAL
    );
    let listed: Vec<serde_json::Value> =
        control.get(url).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        listed.len(),
        2,
        "the response and the follow-up: {listed:?}"
    );
}
