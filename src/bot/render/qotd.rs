//! The question of the day as members see it: the daily post (pinging the study group's role)
//! and the reveal (model answer, best answers, participation, streak milestones).

use chrono::NaiveDate;
use serenity::all::{CreateAllowedMentions, CreateMessage, RoleId};

use super::limits::{bullets, EmbedText, FIELD_VALUE};
use super::{escape, score, NEUTRAL};
use crate::bank::Question;
use crate::qotd::RankedAnswer;
use crate::store::qotd_posts::PostAnswer;

/// The daily post; `ping_role` is mentioned (and only it may be).
pub fn post(question: &Question, day: NaiveDate, ping_role: Option<u64>) -> CreateMessage {
    let embed = EmbedText::new(format!("Question of the day · {day}"))
        .description(format!(
            "{}\n\nAnswer in this message's thread, in as many messages as you like. React to \
             others' answers to review them (👍 +1, 👎 −1, ⭐ +2). The model answer and the best \
             answers are revealed with the next question.",
            question.prompt
        ))
        .footer(format!(
            "{} · {} · {}",
            question.track,
            question.topic,
            question.difficulty.as_str()
        ))
        .build()
        .colour(NEUTRAL);
    let mut message = CreateMessage::new().embed(embed);
    if let Some(role) = ping_role {
        message = message
            .content(format!("<@&{role}>"))
            .allowed_mentions(CreateAllowedMentions::new().roles(vec![RoleId::new(role)]));
    }
    message
}

/// What a reveal shows.
pub struct Reveal<'a> {
    pub question: Option<&'a Question>,
    pub day: NaiveDate,
    pub answers: &'a [PostAnswer],
    /// Best first.
    pub ranked: &'a [RankedAnswer],
    /// Members whose streak reached a milestone with this post, and its length.
    pub milestones: &'a [(String, i32)],
}

/// The reveal message.
pub fn reveal(r: &Reveal<'_>) -> CreateMessage {
    let name = |user: u64| {
        r.answers
            .iter()
            .find(|a| a.user_id == user)
            .map_or_else(|| format!("<@{user}>"), |a| escape(&a.display_name))
    };
    let best: Vec<String> = r
        .ranked
        .iter()
        .take(3)
        .enumerate()
        .map(|(i, a)| {
            let overall = a.entry.overall.map_or_else(|| "—".into(), score);
            let peers = match a.entry.peer_count {
                0 => String::new(),
                n => format!(", peers {:+} ({n})", a.entry.peer_total),
            };
            format!(
                "{}. **{}**: {} (score {overall}{peers})",
                i + 1,
                name(a.entry.user_id),
                score(a.combined)
            )
        })
        .collect();
    let people = r.answers.len();
    let mut text = EmbedText::new(format!("Reveal · question of the day · {}", r.day)).description(
        match r.question {
            Some(q) => format!("**{}**\n\n**Model answer**\n{}", q.prompt, q.model_answer),
            None => "The question has left the bank since it was asked.".to_owned(),
        },
    );
    text = text.field(
        "Best answers",
        if best.is_empty() {
            "No scored answers this time.".to_owned()
        } else {
            best.join("\n")
        },
        false,
    );
    text = text.field(
        "Participation",
        format!(
            "{people} member{} answered.",
            if people == 1 { "" } else { "s" }
        ),
        true,
    );
    if !r.milestones.is_empty() {
        let lines: Vec<String> = r
            .milestones
            .iter()
            .map(|(who, days)| format!("🔥 {} — {days} days in a row", escape(who)))
            .collect();
        text = text.field("Streaks", bullets(&lines, FIELD_VALUE), false);
    }
    CreateMessage::new().embed(text.build().colour(NEUTRAL))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;
    use crate::qotd::{rank_answers, RevealEntry};

    fn answer(
        id: i64,
        name: &str,
        overall: Option<f32>,
        peers: i64,
        streak: Option<i32>,
    ) -> PostAnswer {
        PostAnswer {
            answer_id: id,
            user_id: 100 + id as u64,
            display_name: name.into(),
            overall,
            peer_total: peers,
            peer_count: peers.abs(),
            streak,
        }
    }

    fn shown(message: &CreateMessage) -> serde_json::Value {
        serde_json::to_value(message).unwrap()
    }

    #[test]
    fn the_post_pings_only_its_role() {
        let bank = Bank::bundled().unwrap();
        let q = &bank.questions()[0];
        let day = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let json = shown(&post(q, day, Some(42)));
        assert_eq!(json["content"], "<@&42>");
        assert_eq!(json["allowed_mentions"]["roles"], serde_json::json!(["42"]));
        let embed = &json["embeds"][0];
        assert_eq!(embed["title"], "Question of the day · 2026-11-29");
        assert!(embed["description"]
            .as_str()
            .unwrap()
            .starts_with(&q.prompt));
    }

    #[test]
    fn the_reveal_shows_the_model_answer_the_best_and_the_streaks() {
        let bank = Bank::bundled().unwrap();
        let q = &bank.questions()[0];
        let answers = vec![
            answer(1, "ada", Some(6.0), 0, Some(7)),
            answer(2, "bob_*", Some(5.5), 3, None),
            answer(3, "cy", None, 0, Some(2)),
        ];
        let entries: Vec<RevealEntry> = answers.iter().map(PostAnswer::entry).collect();
        let ranked = rank_answers(&entries);
        let milestones = vec![("ada".to_string(), 7)];
        let json = shown(&reveal(&Reveal {
            question: Some(q),
            day: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
            answers: &answers,
            ranked: &ranked,
            milestones: &milestones,
        }));
        let embed = json["embeds"][0].to_string();
        assert!(embed.contains("Model answer"), "{embed}");
        // Bob's peers lift him (5.5 + 1.5) above Ada (6.0); his name is escaped.
        let bob = embed.find("bob\\\\_\\\\*").expect("bob listed, escaped");
        let ada = embed.find("**ada**").expect("ada listed");
        assert!(bob < ada, "{embed}");
        assert!(embed.contains("3 members answered"), "{embed}");
        assert!(embed.contains("ada — 7 days in a row"), "{embed}");
    }
}
