//! Flows across the fake's two sides without a bot: the test plays the gateway client by
//! reading the dispatches and the bot by calling the REST routes with the bodies serenity
//! sends. They check what one payload test cannot: that a member's upload is served at the
//! URL the command carried, and that a modal opened by a callback can be submitted and
//! answered like any other interaction.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use serenity::all::{
    CreateActionRow, CreateInputText, CreateInteractionResponse, CreateModal, InputTextStyle,
    Interaction,
};
use tokio::sync::broadcast;

use super::{
    ids, FakeConfig, FakeDiscord, FakeDiscordError, MemberFile, SlashCommand, MODAL_READING_TIME,
};

const WAIT: Duration = Duration::from_secs(5);

/// A fake with a gateway "session": the receiver stands in for the bot's shard.
async fn started() -> (FakeDiscord, broadcast::Receiver<super::Dispatch>) {
    let fake = FakeDiscord::start(FakeConfig::default()).await.unwrap();
    let gateway = fake.inner.dispatch.subscribe();
    (fake, gateway)
}

async fn next_interaction(gateway: &mut broadcast::Receiver<super::Dispatch>) -> Interaction {
    loop {
        let dispatch = tokio::time::timeout(WAIT, gateway.recv())
            .await
            .expect("a dispatch in time")
            .unwrap();
        if dispatch.event == "INTERACTION_CREATE" {
            return serde_json::from_value(dispatch.data).unwrap();
        }
    }
}

fn client() -> reqwest::Client {
    // An HTTP_PROXY in the environment must not take requests to the local fake.
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// A request as the bot's serenity would make it; returns the status and the JSON answer.
async fn call(fake: &FakeDiscord, path: &str, body: &Value) -> (StatusCode, Value) {
    let url = format!("{}/api/v10{path}", fake.base_url());
    let response = client().post(url).json(body).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn callback(fake: &FakeDiscord, interaction: u64, body: Value) -> (StatusCode, Value) {
    let path = format!("/interactions/{interaction}/fake-token-{interaction}/callback");
    call(fake, &path, &body).await
}

fn answer_modal(custom_id: &str) -> Value {
    let answer = CreateInputText::new(InputTextStyle::Paragraph, "Your answer", "answer")
        .placeholder("Explain");
    let note = CreateInputText::new(InputTextStyle::Short, "Note", "note")
        .required(false)
        .value("none");
    let modal = CreateModal::new(custom_id, "Answer").components(vec![
        CreateActionRow::InputText(answer),
        CreateActionRow::InputText(note),
    ]);
    serde_json::to_value(CreateInteractionResponse::Modal(modal)).unwrap()
}

fn field(submit: &serenity::all::ModalInteraction, row: usize) -> Option<String> {
    match &submit.data.components[row].components[0] {
        serenity::all::ActionRowComponent::InputText(input) => input.value.clone(),
        other => panic!("not a text input: {other:?}"),
    }
}

#[tokio::test]
async fn a_commands_uploaded_file_is_served_at_its_url() {
    let (fake, mut gateway) = started().await;
    let file = MemberFile::text("pack.toml", "[[question]]\nprompt = \"Why?\"\n");
    let cmd = SlashCommand::new("questions import").attachment("file", file.clone());
    fake.slash_command(ids::ORGANISER, ids::GENERAL, &cmd)
        .unwrap();
    let Interaction::Command(command) = next_interaction(&mut gateway).await else {
        panic!("not a command")
    };
    let attachment = command.data.resolved.attachments.values().next().unwrap();
    assert!(attachment.url.starts_with(fake.base_url()));
    let response = client().get(&attachment.url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.bytes().await.unwrap().as_ref(),
        file.bytes.as_slice()
    );
    assert_eq!(fake.read(|w| w.uploads.len()), 1);
}

#[tokio::test]
async fn a_modal_opened_by_a_command_is_submitted_and_answered() {
    let (fake, mut gateway) = started().await;
    let id = fake
        .slash_command(ids::ALICE, ids::GENERAL, &SlashCommand::new("answer"))
        .unwrap();
    next_interaction(&mut gateway).await;
    // poise's execute_modal names the modal after the interaction it answers.
    let before_modal = tokio::time::Instant::now();
    let (status, _) = callback(&fake, id, answer_modal(&id.to_string())).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let shown = fake.wait_for_modal(id, WAIT).await.unwrap();
    assert_eq!((shown.title.as_str(), shown.fields.len()), ("Answer", 2));

    let submit = fake
        .submit_modal(ids::ALICE, &shown.custom_id, &[("answer", "Use an index")])
        .await
        .unwrap();
    let Interaction::Modal(modal) = next_interaction(&mut gateway).await else {
        panic!("not a modal submit")
    };
    assert!(
        before_modal.elapsed() >= MODAL_READING_TIME,
        "read before submitting"
    );
    assert_eq!(modal.id.get(), submit);
    assert_eq!(modal.data.custom_id, id.to_string());
    assert!(modal.message.is_none());
    assert_eq!(field(&modal, 0).as_deref(), Some("Use an index"));
    assert_eq!(field(&modal, 1).as_deref(), Some("none"), "pre-filled");

    // poise acknowledges with a deferred update, then the command may follow up.
    let acknowledge = serde_json::to_value(CreateInteractionResponse::Acknowledge).unwrap();
    assert_eq!(
        callback(&fake, submit, acknowledge).await.0,
        StatusCode::NO_CONTENT
    );
    let ack = fake
        .wait_for_interaction_response(submit, WAIT)
        .await
        .unwrap();
    assert_eq!(ack.kind, 6);
    let followup = format!("/webhooks/{}/fake-token-{submit}", ids::BOT);
    let (status, _) = call(&fake, &followup, &json!({"content": "Saved"})).await;
    assert_eq!(status, StatusCode::OK);
    let reply = fake.wait_for_reply(submit, WAIT).await.unwrap();
    assert_eq!(reply.content, "Saved");
    assert!(fake.unhandled().is_empty(), "{:?}", fake.unhandled());
}

#[tokio::test]
async fn a_modal_opened_by_a_button_updates_the_buttons_message() {
    let (fake, mut gateway) = started().await;
    let button = json!({"content": "Question 1", "components": [{"type": 1, "components": [
        {"type": 2, "style": 1, "label": "Answer", "custom_id": "open"}]}]});
    let path = format!("/channels/{}/messages", ids::GENERAL);
    let (_, posted) = call(&fake, &path, &button).await;
    let message: u64 = posted["id"].as_str().unwrap().parse().unwrap();
    let click = fake.click(ids::ALICE, message, "open").unwrap();
    next_interaction(&mut gateway).await;
    callback(&fake, click, answer_modal("answer-form")).await;

    let submit = fake
        .submit_modal(ids::ALICE, "answer-form", &[("answer", "42")])
        .await
        .unwrap();
    let Interaction::Modal(modal) = next_interaction(&mut gateway).await else {
        panic!("not a modal submit")
    };
    assert_eq!(modal.message.map(|m| m.id.get()), Some(message));
    let update = json!({"type": 7, "data": {"content": "Answered", "components": []}});
    assert_eq!(
        callback(&fake, submit, update).await.0,
        StatusCode::NO_CONTENT
    );
    let updated = fake.message(message).unwrap();
    assert_eq!(
        (updated.content.as_str(), updated.components.len()),
        ("Answered", 0)
    );
}

#[tokio::test]
async fn modals_discord_or_the_client_would_refuse_fail() {
    let (fake, mut gateway) = started().await;
    let id = fake
        .slash_command(ids::ALICE, ids::GENERAL, &SlashCommand::new("answer"))
        .unwrap();
    next_interaction(&mut gateway).await;
    let mut bad = answer_modal("m");
    bad["data"]["title"] = json!("x".repeat(46));
    let (status, error) = callback(&fake, id, bad).await;
    assert_eq!(
        (status, error["code"].as_u64()),
        (StatusCode::BAD_REQUEST, Some(50035))
    );
    assert_eq!(fake.unhandled().len(), 1, "recorded so a test sees it");
    callback(&fake, id, answer_modal("m")).await;

    let other_member = fake
        .submit_modal(ids::BOB, "m", &[("answer", "mine")])
        .await;
    assert!(matches!(
        other_member,
        Err(FakeDiscordError::UnknownModal { .. })
    ));
    let empty = fake.submit_modal(ids::ALICE, "m", &[("answer", "")]).await;
    assert!(matches!(empty, Err(FakeDiscordError::ModalRejected { .. })));

    let submit = fake
        .submit_modal(ids::ALICE, "m", &[("answer", "ok")])
        .await
        .unwrap();
    let (status, _) = callback(&fake, submit, answer_modal("again")).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "no modal answers a modal submit"
    );
}

#[tokio::test]
async fn the_control_api_uploads_files_and_submits_modals() {
    let (fake, mut gateway) = started().await;
    let url = |route: &str| format!("{}/control/{route}", fake.base_url());
    let command = json!({"member": ids::ORGANISER, "channel": ids::GENERAL,
        "command": "questions import", "wait_ms": 0,
        "options": {"file": {"filename": "q.txt", "content": "one question"}}});
    let answer: Value = client()
        .post(url("command"))
        .json(&command)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = answer["interaction_id"].as_u64().unwrap();
    let Interaction::Command(sent) = next_interaction(&mut gateway).await else {
        panic!("not a command")
    };
    let file = sent.data.resolved.attachments.values().next().unwrap();
    assert_eq!((file.filename.as_str(), file.size), ("q.txt", 12));

    callback(&fake, id, answer_modal("import-note")).await;
    let submit = json!({"member": ids::ORGANISER, "custom_id": "import-note", "wait_ms": 0,
        "fields": {"answer": "from the control API"}});
    let response = client()
        .post(url("modal"))
        .json(&submit)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let Interaction::Modal(modal) = next_interaction(&mut gateway).await else {
        panic!("not a modal submit")
    };
    assert_eq!(field(&modal, 0).as_deref(), Some("from the control API"));
    let refused = json!({"member": ids::ORGANISER, "custom_id": "import-note",
        "fields": {"answer": ""}});
    let response = client()
        .post(url("modal"))
        .json(&refused)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}
