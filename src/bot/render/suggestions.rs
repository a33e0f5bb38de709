//! What organisers review: a member's suggested question as it would be asked and graded, with
//! Approve / Edit / Reject buttons while it is open, and what the member hears back.

use serenity::all::{ButtonStyle, CreateActionRow, CreateButton, CreateEmbed};

use super::limits::{bullets, cut, EmbedText, FIELD_VALUE};
use crate::app::suggestions::Draft;
use crate::bank::Question;

/// The prefix of the review buttons' ids: `sugg:approve:{id}`, `sugg:edit:{id}`,
/// `sugg:reject:{id}`; and of the forms': `sugg:new:{level}:{track}`, `sugg:edit:{id}`.
pub const PREFIX: &str = "sugg:";

/// The suggestion as organisers review it; `status` says where it stands.
pub fn review(draft: &Draft, author: u64, status: &str) -> CreateEmbed {
    let points = lines(&draft.points);
    let follow_up_points = lines(&draft.follow_up_points);
    EmbedText::new(format!(
        "Suggested question: {}",
        cut(draft.topic.trim(), 200)
    ))
    .description(draft.prompt.trim().to_owned())
    .field("Track", draft.track.clone(), true)
    .field("Level", draft.difficulty.to_string(), true)
    .field("Suggested by", format!("<@{author}>"), true)
    .field(
        "A strong answer covers",
        bullets(&points, FIELD_VALUE),
        false,
    )
    .field("Model answer", draft.model_answer.trim().to_owned(), false)
    .field(
        "Follow-up",
        format!(
            "{}\n{}",
            draft.follow_up.trim(),
            bullets(&follow_up_points, FIELD_VALUE / 2)
        ),
        false,
    )
    .footer(status.to_owned())
    .build()
}

/// Approve / Edit / Reject, for an open suggestion.
pub fn review_buttons(suggestion_id: i64) -> Vec<CreateActionRow> {
    let button = |action: &str, label: &str, style| {
        CreateButton::new(format!("{PREFIX}{action}:{suggestion_id}"))
            .label(label)
            .style(style)
    };
    vec![CreateActionRow::Buttons(vec![
        button("approve", "Approve", ButtonStyle::Success),
        button("edit", "Edit", ButtonStyle::Secondary),
        button("reject", "Reject", ButtonStyle::Danger),
    ])]
}

/// What the author hears when their suggestion is approved.
pub fn approved_note(q: &Question) -> String {
    format!(
        "Your suggested question \"{}\" was approved: it is in the server's interviews and \
         question of the day now, as `{}`.",
        cut(&q.topic, 100),
        q.id
    )
}

/// What the author hears when their suggestion is rejected.
pub fn rejected_note(draft: &Draft) -> String {
    format!(
        "Your suggested question \"{}\" was not taken this time. Thank you for writing it — \
         the organisers may tell you more.",
        cut(draft.topic.trim(), 100)
    )
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}
