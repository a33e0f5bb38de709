//! The transcriber against the fake OpenAI-compatible speech-to-text server, over a real
//! socket: the request is the multipart form OpenAI expects, each shape of reply a server may
//! send is read, what may pass is retried and what will not fails at once, a hanging server
//! times out, and the key never shows in an error.
#![cfg(feature = "fake-llm")]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use mockingbird::speech::fake::{FakeStt, SttReply, SttRequest};
use mockingbird::speech::{Segment, SpeechError, SttConfig, Transcriber, Transcript};

const KEY: &str = "sk-test-0123456789";

fn transcript() -> Transcript {
    Transcript {
        text: "An index is a B-tree over the column. Um, lookups are logarithmic.".into(),
        duration_secs: Some(7.25),
        segments: vec![
            Segment {
                start: 0.0,
                end: 2.5,
                text: "An index is a B-tree over the column.".into(),
            },
            Segment {
                start: 5.0,
                end: 7.25,
                text: "Um, lookups are logarithmic.".into(),
            },
        ],
    }
}

/// A transcriber for the fake, configured the way the bot is (from variables), with a short
/// timeout; `extra` overrides or adds variables.
fn transcriber(fake: &FakeStt, extra: &[(&str, &str)]) -> Transcriber {
    let mut vars: HashMap<String, String> = HashMap::from([
        ("STT_BASE_URL".to_string(), fake.base_url()),
        ("STT_TIMEOUT_SECS".to_string(), "5".to_string()),
    ]);
    for (k, v) in extra {
        vars.insert(k.to_string(), v.to_string());
    }
    let config = SttConfig::from_lookup(|k| vars.get(k).cloned())
        .expect("valid config")
        .expect("configured");
    Transcriber::new(config).expect("transcriber")
}

fn audio() -> Vec<u8> {
    // Not real Ogg; the fake does not decode it. Includes CRLFs and dashes to test the framing.
    let mut bytes = b"OggS\0\x02\r\n--".to_vec();
    bytes.extend((0..4096u32).map(|i| (i % 251) as u8));
    bytes
}

#[tokio::test]
async fn a_verbose_json_transcript_comes_back_whole() {
    let fake = FakeStt::start(SttReply::Transcript(transcript()))
        .await
        .expect("fake");
    let got = transcriber(&fake, &[])
        .transcribe(audio(), "voice-message.ogg", Some("audio/ogg"))
        .await
        .expect("transcript");
    assert_eq!(got, transcript());
}

#[tokio::test]
async fn the_request_is_the_multipart_form_openai_expects() {
    let fake = FakeStt::start(SttReply::Transcript(transcript()))
        .await
        .expect("fake");
    let stt = transcriber(
        &fake,
        &[
            ("STT_BASE_URL", &format!("{}/v1/", fake.base_url())),
            ("STT_MODEL", "whisper-large-v3"),
            ("STT_API_KEY", KEY),
        ],
    );
    let audio = audio();
    stt.transcribe(audio.clone(), "voice-message.ogg", Some("audio/ogg"))
        .await
        .expect("transcript");
    assert_eq!(
        fake.requests(),
        vec![SttRequest {
            model: "whisper-large-v3".into(),
            response_format: Some("verbose_json".into()),
            filename: Some("voice-message.ogg".into()),
            file_bytes: audio.len(),
            authorization: Some(format!("Bearer {KEY}")),
        }]
    );
    // No key, no Authorization header; a blank file name gets one with an extension.
    let stt = transcriber(&fake, &[]);
    stt.transcribe(audio.clone(), " ", None)
        .await
        .expect("transcript");
    let request = fake.requests().pop().expect("second request");
    assert_eq!(request.authorization, None);
    assert_eq!(request.model, "whisper-1");
    assert_eq!(request.filename.as_deref(), Some("voice-message.ogg"));
}

#[tokio::test]
async fn a_server_that_sends_only_text_works() {
    let fake = FakeStt::start(SttReply::TextOnly(" An index is a B-tree. ".into()))
        .await
        .expect("fake");
    let stt = transcriber(&fake, &[]);
    let expected = Transcript {
        text: "An index is a B-tree.".into(),
        duration_secs: None,
        segments: Vec::new(),
    };
    let got = stt.transcribe(audio(), "a.ogg", None).await;
    assert_eq!(got, Ok(expected.clone()));
    // Some whisper.cpp servers answer in plain text.
    fake.set_reply(SttReply::PlainText("An index is a B-tree.\n".into()));
    let got = stt.transcribe(audio(), "a.ogg", None).await;
    assert_eq!(got, Ok(expected));
}

#[tokio::test]
async fn a_server_error_is_retried() {
    let fake = FakeStt::start(SttReply::Sequence(vec![
        SttReply::status(500, "overloaded"),
        SttReply::status(429, "slow down"),
        SttReply::Transcript(transcript()),
    ]))
    .await
    .expect("fake");
    let got = transcriber(&fake, &[])
        .transcribe(audio(), "a.ogg", None)
        .await;
    assert_eq!(got, Ok(transcript()));
    assert_eq!(fake.requests().len(), 3);
}

#[tokio::test]
async fn retries_stop_at_the_configured_number() {
    let fake = FakeStt::start(SttReply::status(503, "down"))
        .await
        .expect("fake");
    let got = transcriber(&fake, &[("STT_MAX_RETRIES", "1")])
        .transcribe(audio(), "a.ogg", None)
        .await;
    assert_eq!(
        got,
        Err(SpeechError::Status {
            status: 503,
            body: "down".into()
        })
    );
    assert_eq!(fake.requests().len(), 2);
}

#[tokio::test]
async fn a_bad_request_fails_at_once_with_the_status() {
    let fake = FakeStt::start(SttReply::status(400, "Invalid file format."))
        .await
        .expect("fake");
    let err = transcriber(&fake, &[])
        .transcribe(audio(), "a.txt", Some("text/plain"))
        .await
        .expect_err("rejected");
    assert_eq!(
        err,
        SpeechError::Status {
            status: 400,
            body: "Invalid file format.".into()
        }
    );
    assert_eq!(err.kind(), "status");
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn the_key_never_shows_in_an_error() {
    let fake = FakeStt::start(SttReply::status(
        401,
        &format!("Incorrect API key provided: {KEY}."),
    ))
    .await
    .expect("fake");
    let err = transcriber(&fake, &[("STT_API_KEY", KEY)])
        .transcribe(audio(), "a.ogg", None)
        .await
        .expect_err("unauthorized");
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(KEY), "{shown}");
        assert!(shown.contains("401"), "{shown}");
    }
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn a_hanging_server_times_out_within_the_timeout() {
    let fake = FakeStt::start(SttReply::Hang).await.expect("fake");
    let stt = transcriber(
        &fake,
        &[("STT_TIMEOUT_SECS", "1"), ("STT_MAX_RETRIES", "0")],
    );
    let started = Instant::now();
    let got = stt.transcribe(audio(), "a.ogg", None).await;
    let took = started.elapsed();
    assert_eq!(got, Err(SpeechError::Timeout));
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_millis(2500),
        "{took:?}"
    );
    // A timeout is worth another try: with one retry, two requests.
    let stt = transcriber(
        &fake,
        &[("STT_TIMEOUT_SECS", "1"), ("STT_MAX_RETRIES", "1")],
    );
    assert_eq!(
        stt.transcribe(audio(), "a.ogg", None).await,
        Err(SpeechError::Timeout)
    );
    assert_eq!(fake.requests().len(), 3);
}

#[tokio::test]
async fn an_empty_transcript_is_empty() {
    let fake = FakeStt::start(SttReply::Transcript(Transcript {
        text: " \n ".into(),
        duration_secs: Some(3.0),
        segments: Vec::new(),
    }))
    .await
    .expect("fake");
    let stt = transcriber(&fake, &[]);
    assert_eq!(
        stt.transcribe(audio(), "a.ogg", None).await,
        Err(SpeechError::Empty)
    );
    fake.set_reply(SttReply::TextOnly(String::new()));
    assert_eq!(
        stt.transcribe(audio(), "a.ogg", None).await,
        Err(SpeechError::Empty)
    );
    // Not retried: the recording is silent, and will be next time too.
    assert_eq!(fake.requests().len(), 2);
}

#[tokio::test]
async fn audio_over_the_limit_is_refused_before_upload() {
    let fake = FakeStt::start(SttReply::Transcript(transcript()))
        .await
        .expect("fake");
    let stt = transcriber(&fake, &[("STT_MAX_BYTES", "100")]);
    assert_eq!(
        stt.transcribe(vec![0; 101], "a.ogg", None).await,
        Err(SpeechError::TooLarge {
            bytes: 101,
            max_bytes: 100
        })
    );
    assert!(fake.requests().is_empty());
    assert!(stt.transcribe(vec![0; 100], "a.ogg", None).await.is_ok());
}

#[tokio::test]
async fn no_server_is_a_network_error_after_retries() {
    // A port that was free a moment ago: nothing listens there.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let config = SttConfig::from_lookup(|k| match k {
        "STT_BASE_URL" => Some(format!("http://127.0.0.1:{port}")),
        "STT_MAX_RETRIES" => Some("1".into()),
        _ => None,
    })
    .expect("valid")
    .expect("configured");
    let err = Transcriber::new(config)
        .expect("transcriber")
        .transcribe(audio(), "a.ogg", None)
        .await
        .expect_err("no server");
    assert!(matches!(err, SpeechError::Network(_)), "{err:?}");
    assert!(!err.to_string().contains("127.0.0.1"), "{err}");
}
