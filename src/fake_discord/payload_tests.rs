//! Every payload the fake sends, deserialized into serenity's own types. serenity logs a
//! payload it cannot parse only at debug level and drops the event, so these tests are what
//! stands between a missing field and a bot that silently never becomes ready.

use serde_json::{json, Value};
use serenity::all::{
    AttachmentId, Command, CommandOptionType, CreateCommand, CreateCommandOption,
    CurrentApplicationInfo, DiscordJsonError, GatewayEvent, GuildChannel, Interaction, Member,
    Message, ResolvedValue, User,
};
use serenity::model::event::Event;

use super::config::ids;
use super::gateway::{dispatch_frame, heartbeat_ack_frame, hello_frame, invalid_session_frame};
use super::interactions::{self, Envelope, OptionValue, SlashCommand, Uploads};
use super::modals::RecordedModal;
use super::payloads;
use super::state::{MessageSource, RecordedAttachment, RecordedMessage, RecordedThread};
use super::{FakeConfig, MemberFile};

fn event(name: &str, data: Value) -> Event {
    match serde_json::from_value::<GatewayEvent>(dispatch_frame(7, name, data)) {
        Ok(GatewayEvent::Dispatch(7, event)) => event,
        other => panic!("{name} did not parse as a dispatch: {other:?}"),
    }
}

fn thread(private: bool) -> RecordedThread {
    RecordedThread {
        id: 5000,
        parent_id: ids::GENERAL,
        guild_id: ids::GUILD,
        name: "Interview: alice".into(),
        private,
        archived: false,
        locked: false,
        auto_archive_duration: 1440,
        owner_id: ids::BOT,
        starter_message: None,
        members: vec![ids::BOT],
    }
}

fn recorded(by_bot: bool) -> RecordedMessage {
    RecordedMessage {
        id: 6000,
        channel_id: 5000,
        guild_id: Some(ids::GUILD),
        author_id: if by_bot { ids::BOT } else { ids::ALICE },
        by_bot,
        content: "an answer".into(),
        embeds: vec![
            json!({"title": "Feedback", "color": 0x2ecc71, "fields": [{"name": "Overall", "value": "7/10", "inline": true}]}),
        ],
        components: vec![
            json!({"type": 1, "components": [{"type": 2, "style": 1, "label": "Hint", "custom_id": "hint"}]}),
        ],
        attachments: vec![RecordedAttachment {
            id: 6001,
            filename: "chart.png".into(),
            url: "https://cdn.invalid/attachments/6001/chart.png".into(),
            content_type: Some("image/png".into()),
            bytes: vec![1, 2],
            size: 2,
            duration_secs: None,
        }],
        flags: 0,
        source: MessageSource::Channel,
        edits: 0,
        deleted: false,
        timestamp: "2025-01-01T10:00:00+00:00".into(),
        raw: Value::Null,
    }
}

#[test]
fn control_frames_parse_as_serenity_gateway_events() {
    let hello = serde_json::from_value::<GatewayEvent>(hello_frame(41_250)).unwrap();
    assert!(matches!(hello, GatewayEvent::Hello(41_250)));
    let ack = serde_json::from_value::<GatewayEvent>(heartbeat_ack_frame()).unwrap();
    assert!(matches!(ack, GatewayEvent::HeartbeatAck));
    let invalid = serde_json::from_value::<GatewayEvent>(invalid_session_frame()).unwrap();
    assert!(matches!(invalid, GatewayEvent::InvalidateSession(false)));
}

#[test]
fn ready_carries_the_application_serenity_needs() {
    let config = FakeConfig::default();
    let Event::Ready(ready) = event("READY", payloads::ready(&config, "s1", "ws://x")) else {
        panic!("not READY")
    };
    assert_eq!(ready.ready.user.id.get(), ids::BOT);
    assert_eq!(ready.ready.application.id.get(), ids::BOT);
    assert_eq!(ready.ready.guilds.len(), 1);
}

#[test]
fn guild_create_has_channels_members_roles_and_open_threads() {
    let config = FakeConfig::default();
    let mut archived = thread(false);
    archived.id = 5001;
    archived.archived = true;
    let data = payloads::guild_create(&config, &config.guilds[0], &[thread(true), archived]);
    let Event::GuildCreate(create) = event("GUILD_CREATE", data) else {
        panic!("not GUILD_CREATE")
    };
    let guild = create.guild;
    assert_eq!(guild.id.get(), ids::GUILD);
    assert!(guild.channels.keys().any(|c| c.get() == ids::GENERAL));
    assert_eq!(guild.members.len(), 5, "four members and the bot");
    assert!(
        guild.roles.keys().any(|r| r.get() == ids::GUILD),
        "@everyone"
    );
    assert_eq!(guild.threads.len(), 1, "only open threads");
}

#[test]
fn member_message_create_parses_with_member_and_guild() {
    let config = FakeConfig::default();
    let Event::MessageCreate(create) = event(
        "MESSAGE_CREATE",
        payloads::message(&config, &recorded(false)),
    ) else {
        panic!()
    };
    let message = create.message;
    assert_eq!(message.author.id.get(), ids::ALICE);
    assert_eq!(message.guild_id.map(|g| g.get()), Some(ids::GUILD));
    assert!(message.member.is_some());
    assert!(!message.author.bot);
}

#[test]
fn bot_message_with_embed_button_and_attachment_parses_as_message() {
    let config = FakeConfig::default();
    let message: Message =
        serde_json::from_value(payloads::message(&config, &recorded(true))).unwrap();
    assert!(message.author.bot);
    assert_eq!(message.embeds[0].title.as_deref(), Some("Feedback"));
    assert_eq!(message.components[0].components.len(), 1);
    assert_eq!(message.attachments[0].filename, "chart.png");
}

fn envelope<'a>(config: &'a FakeConfig, token: &'a str) -> Envelope<'a> {
    let guild = &config.guilds[0];
    let member = guild.members.iter().find(|m| m.id == ids::ALICE).unwrap();
    Envelope {
        id: 7000,
        token,
        channel_id: ids::GENERAL,
        guild,
        member,
    }
}

#[test]
fn slash_command_with_subcommand_and_options_parses() {
    let config = FakeConfig::default();
    let cmd = SlashCommand::new("interview start")
        .option("track", "backend")
        .option("questions", 3)
        .option("private", true)
        .option("rival", OptionValue::User { user: ids::BOB });
    let data = interactions::command_data(&config, 42, &cmd, None, &Uploads::new());
    let payload = interactions::interaction(&config, &envelope(&config, "tok"), 2, data);
    let Event::InteractionCreate(create) = event("INTERACTION_CREATE", payload) else {
        panic!()
    };
    let Interaction::Command(command) = create.interaction else {
        panic!("not a command")
    };
    assert_eq!(command.data.name, "interview");
    assert_eq!(command.user.id.get(), ids::ALICE);
    assert!(command.member.as_ref().unwrap().permissions.is_some());
    let options = command.data.options();
    let ResolvedValue::SubCommand(sub) = &options[0].value else {
        panic!("no subcommand")
    };
    assert_eq!(options[0].name, "start");
    assert!(sub
        .iter()
        .any(|o| o.name == "track" && matches!(o.value, ResolvedValue::String("backend"))));
    assert!(sub
        .iter()
        .any(|o| o.name == "questions" && matches!(o.value, ResolvedValue::Integer(3))));
    assert!(sub
        .iter()
        .any(|o| matches!(o.value, ResolvedValue::User(u, _) if u.id.get() == ids::BOB)));
}

#[test]
fn autocomplete_parses_with_the_focused_option() {
    let config = FakeConfig::default();
    let cmd = SlashCommand::new("interview start").option("track", "back");
    let data = interactions::command_data(&config, 42, &cmd, Some("track"), &Uploads::new());
    let payload = interactions::interaction(&config, &envelope(&config, "tok"), 4, data);
    let Event::InteractionCreate(create) = event("INTERACTION_CREATE", payload) else {
        panic!()
    };
    let Interaction::Autocomplete(auto) = create.interaction else {
        panic!("not autocomplete")
    };
    let focused = auto.data.autocomplete().expect("a focused option");
    assert_eq!((focused.name, focused.value), ("track", "back"));
}

#[test]
fn button_click_parses_as_component_interaction() {
    let config = FakeConfig::default();
    let mut payload = interactions::interaction(
        &config,
        &envelope(&config, "tok"),
        3,
        interactions::component_data("hint", None),
    );
    payload["message"] = payloads::message(&config, &recorded(true));
    let Event::InteractionCreate(create) = event("INTERACTION_CREATE", payload) else {
        panic!()
    };
    let Interaction::Component(click) = create.interaction else {
        panic!("not a component")
    };
    assert_eq!(click.data.custom_id, "hint");
    assert_eq!(click.message.id.get(), 6000);
}

#[test]
fn reaction_add_and_remove_parse() {
    let config = FakeConfig::default();
    let add = payloads::reaction(&config, 5000, 6000, ids::GUILD, ids::BOB, "👍", true);
    let Event::ReactionAdd(added) = event("MESSAGE_REACTION_ADD", add) else {
        panic!()
    };
    assert_eq!(added.reaction.user_id.map(|u| u.get()), Some(ids::BOB));
    assert!(added.reaction.member.is_some());
    let remove = payloads::reaction(&config, 5000, 6000, ids::GUILD, ids::BOB, "blob:123", false);
    let Event::ReactionRemove(removed) = event("MESSAGE_REACTION_REMOVE", remove) else {
        panic!()
    };
    assert_eq!(removed.reaction.message_id.get(), 6000);
}

#[test]
fn threads_and_channels_parse_as_guild_channels() {
    let private: GuildChannel = serde_json::from_value(payloads::thread(&thread(true))).unwrap();
    assert!(private.thread_metadata.is_some());
    assert_eq!(private.parent_id.map(|p| p.get()), Some(ids::GENERAL));
    let mut created = payloads::thread(&thread(false));
    created["newly_created"] = json!(true);
    assert!(matches!(
        event("THREAD_CREATE", created),
        Event::ThreadCreate(_)
    ));
    let text: GuildChannel =
        serde_json::from_value(payloads::text_channel(ids::GUILD, ids::GENERAL, "general"))
            .unwrap();
    assert_eq!(text.name, "general");
}

#[test]
fn command_registration_echo_parses_as_commands() {
    let sub =
        CreateCommandOption::new(CommandOptionType::SubCommand, "start", "Start an interview")
            .add_sub_option(
                CreateCommandOption::new(CommandOptionType::String, "track", "Track")
                    .set_autocomplete(true),
            );
    let body = serde_json::to_value(
        CreateCommand::new("interview")
            .description("Mock interviews")
            .add_option(sub),
    )
    .unwrap();
    let command: Command =
        serde_json::from_value(payloads::command(ids::BOT, Some(ids::GUILD), 77, &body)).unwrap();
    assert_eq!((command.id.get(), command.name.as_str()), (77, "interview"));
    assert_eq!(command.options[0].options[0].name, "track");
}

#[test]
fn application_info_users_members_and_errors_parse() {
    let config = FakeConfig::default();
    let info: CurrentApplicationInfo =
        serde_json::from_value(payloads::application_info(&config)).unwrap();
    assert_eq!(info.owner.map(|o| o.id.get()), Some(ids::ORGANISER));
    let user: User = serde_json::from_value(payloads::user_by_id(&config, ids::CAROL)).unwrap();
    assert_eq!(user.name, "carol");
    let member: Member =
        serde_json::from_value(payloads::member(ids::GUILD, &config.guilds[0].members[1])).unwrap();
    assert_eq!(member.user.id.get(), ids::ALICE);
    let error: DiscordJsonError =
        serde_json::from_value(payloads::error("Unknown Channel", 10003)).unwrap();
    assert_eq!(error.code, 10003);
}

#[test]
fn thread_delete_parses() {
    match event("THREAD_DELETE", payloads::thread_deleted(&thread(false))) {
        Event::ThreadDelete(e) => {
            assert_eq!(e.thread.id.get(), 5000);
            assert_eq!(e.thread.parent_id.get(), ids::GENERAL);
        }
        other => panic!("THREAD_DELETE parsed as {other:?}"),
    }
}

#[test]
fn channel_and_role_options_resolve() {
    let mut config = FakeConfig::default();
    config.guilds[0].roles.push(super::config::FakeRole {
        id: 4000,
        name: "study".into(),
        permissions: 0,
    });
    let cmd = SlashCommand::new("qotd setup")
        .option("channel", OptionValue::Channel { channel: ids::QOTD })
        .option("ping_role", OptionValue::Role { role: 4000 });
    let data = interactions::command_data(&config, 43, &cmd, None, &Uploads::new());
    let payload = interactions::interaction(&config, &envelope(&config, "tok2"), 2, data);
    let Event::InteractionCreate(create) = event("INTERACTION_CREATE", payload) else {
        panic!()
    };
    let Interaction::Command(command) = create.interaction else {
        panic!("not a command")
    };
    let options = command.data.options();
    let ResolvedValue::SubCommand(sub) = &options[0].value else {
        panic!("no subcommand")
    };
    assert!(
        sub.iter().any(|o| matches!(o.value,
        ResolvedValue::Channel(c) if c.id.get() == ids::QOTD && c.name.as_deref() == Some("qotd")))
    );
    assert!(sub.iter().any(|o| matches!(o.value,
        ResolvedValue::Role(r) if r.id.get() == 4000 && r.name == "study")));
}

#[test]
fn ready_for_a_shard_lists_only_its_guilds() {
    let mut config = FakeConfig::default();
    let mut second = config.guilds[0].clone();
    second.id = (1 << 22) + 7;
    config.guilds.push(second);
    let shard = payloads::Shard { id: 1, count: 2 };
    let ready = payloads::ready_for_shard(&config, "s2", "ws://x", shard);
    let Event::Ready(ready) = event("READY", ready) else {
        panic!("READY did not parse")
    };
    let guilds: Vec<u64> = ready.ready.guilds.iter().map(|g| g.id.get()).collect();
    assert_eq!(guilds, vec![(1 << 22) + 7]);
    assert_eq!(ready.ready.shard.map(|s| (s.id.0, s.total)), Some((1, 2)));
}

fn uploaded(id: u64, file: &MemberFile) -> RecordedAttachment {
    RecordedAttachment {
        id,
        filename: file.filename.clone(),
        url: format!("http://127.0.0.1:1/attachments/{id}/{}", file.filename),
        content_type: file.content_type.clone(),
        size: file.bytes.len(),
        duration_secs: None,
        bytes: file.bytes.clone(),
    }
}

#[test]
fn attachment_option_resolves_to_the_uploaded_file() {
    let config = FakeConfig::default();
    let file = MemberFile::text("pack.toml", "[[question]]\n");
    let cmd = SlashCommand::new("questions import").attachment("file", file.clone());
    let uploads = Uploads::from([("file".to_owned(), uploaded(6100, &file))]);
    let data = interactions::command_data(&config, 44, &cmd, None, &uploads);
    let payload = interactions::interaction(&config, &envelope(&config, "tok3"), 2, data);
    let Event::InteractionCreate(create) = event("INTERACTION_CREATE", payload) else {
        panic!()
    };
    let Interaction::Command(command) = create.interaction else {
        panic!("not a command")
    };
    let stored = &command.data.resolved.attachments[&AttachmentId::new(6100)];
    assert_eq!(stored.filename, "pack.toml");
    assert_eq!(stored.size, 13);
    assert_eq!(stored.url, "http://127.0.0.1:1/attachments/6100/pack.toml");
    assert_eq!(
        stored.content_type.as_deref(),
        Some("text/plain; charset=utf-8")
    );
    let options = command.data.options();
    let ResolvedValue::SubCommand(sub) = &options[0].value else {
        panic!("no subcommand")
    };
    assert!(
        matches!(&sub[0].value, ResolvedValue::Attachment(a) if a.id.get() == 6100),
        "poise reads the parameter from here: {sub:?}"
    );
}

#[test]
fn attachment_options_round_trip_through_control_json() {
    let text = json!({"filename": "q.txt", "content": "one\ntwo"});
    let value: OptionValue = serde_json::from_value(text).unwrap();
    let OptionValue::Attachment(file) = &value else {
        panic!("parsed as {value:?}")
    };
    assert_eq!(file.bytes, b"one\ntwo");
    assert_eq!(serde_json::to_value(&value).unwrap()["content"], "one\ntwo");
    let binary = json!({"filename": "b.bin", "content_type": null, "content": [0, 255]});
    let value: OptionValue = serde_json::from_value(binary.clone()).unwrap();
    assert_eq!(serde_json::to_value(&value).unwrap(), binary);
    let user: OptionValue = serde_json::from_value(json!({"user": 3001})).unwrap();
    assert_eq!(user, OptionValue::User { user: 3001 });
}

fn modal_submit(values: &[(&str, &str)]) -> Value {
    let config = FakeConfig::default();
    let values: Vec<(String, String)> = values
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let data = interactions::modal_submit_data("7000", &values);
    interactions::interaction(&config, &envelope(&config, "tok4"), 5, data)
}

#[derive(Debug, poise::Modal)]
#[name = "Your answer"]
struct AnswerModal {
    #[name = "Answer"]
    #[placeholder = "Explain your reasoning"]
    #[paragraph]
    #[max_length = 1000]
    answer: String,
    note: Option<String>,
}

#[test]
fn modal_submit_parses_as_modal_interaction_and_poise_reads_its_fields() {
    let payload = modal_submit(&[("answer", "Use an index"), ("note", "")]);
    let Event::InteractionCreate(create) = event("INTERACTION_CREATE", payload) else {
        panic!()
    };
    let Interaction::Modal(submit) = create.interaction else {
        panic!("not a modal submit")
    };
    assert_eq!(submit.data.custom_id, "7000");
    assert_eq!(submit.user.id.get(), ids::ALICE);
    assert!(submit.message.is_none());
    let parsed = <AnswerModal as poise::Modal>::parse(submit.data).unwrap();
    assert_eq!(parsed.answer, "Use an index");
    assert_eq!(parsed.note, None, "an empty optional field");
}

#[test]
fn modal_submit_from_a_button_carries_its_message() {
    let config = FakeConfig::default();
    let mut payload = modal_submit(&[("answer", "42")]);
    payload["message"] = payloads::message(&config, &recorded(true));
    let interaction: Interaction = serde_json::from_value(payload).unwrap();
    let Interaction::Modal(submit) = interaction else {
        panic!("not a modal submit")
    };
    assert_eq!(submit.message.map(|m| m.id.get()), Some(6000));
}

#[test]
fn poise_modal_is_read_back_from_the_callback_serenity_sends() {
    let defaults = AnswerModal {
        answer: "draft".into(),
        note: None,
    };
    let callback = <AnswerModal as poise::Modal>::create(Some(defaults), "7000".into());
    let body = serde_json::to_value(&callback).unwrap();
    assert_eq!(body["type"], 9);
    let modal = RecordedModal::parse(7000, &body["data"]).unwrap();
    assert_eq!(
        (modal.custom_id.as_str(), modal.title.as_str()),
        ("7000", "Your answer")
    );
    let answer = &modal.fields[0];
    assert_eq!(
        (answer.custom_id.as_str(), answer.label.as_str()),
        ("answer", "Answer")
    );
    assert_eq!((answer.style, answer.required), (2, true));
    assert_eq!(answer.value.as_deref(), Some("draft"));
    assert_eq!(
        answer.placeholder.as_deref(),
        Some("Explain your reasoning")
    );
    assert_eq!(answer.max_length, Some(1000));
    assert!(!modal.fields[1].required);
}
