//! The suggestion form: the five fields a member fills in (Discord allows five), shown empty
//! for a new suggestion and filled in for an organiser's edit, read back into a `Draft`, and
//! what is wrong with a draft said in the form's words rather than the question file's.

use serenity::all::{
    ActionRowComponent, CreateActionRow, CreateInputText, CreateInteractionResponse, CreateModal,
    InputTextStyle, ModalInteractionData,
};

use crate::app::suggestions::Draft;
use crate::bank::{Difficulty, Problem};
use crate::bot::render::limits::{cut, echo};

/// The form's fields, in order: (id, label, style, max length, placeholder).
const FIELDS: [(&str, &str, InputTextStyle, u16, &str); 5] = [
    (
        "topic",
        "Topic",
        InputTextStyle::Short,
        80,
        "Consumer groups",
    ),
    (
        "prompt",
        "Question",
        InputTextStyle::Paragraph,
        1000,
        "How do consumer groups share a topic's partitions?",
    ),
    (
        "model_answer",
        "What a strong answer says",
        InputTextStyle::Paragraph,
        3000,
        "A model answer, in prose.",
    ),
    (
        "points",
        "What it must cover (one point per line)",
        InputTextStyle::Paragraph,
        1500,
        "one consumer per partition in a group\nidle consumers past the partition count",
    ),
    (
        "follow_up",
        "Follow-up (question, then points per line)",
        InputTextStyle::Paragraph,
        1500,
        "What happens to offsets in a rebalance?\nthe new owner resumes from the committed offset",
    ),
];

/// The suggestion form, filled in with `draft` when editing.
pub(super) fn form(
    custom_id: String,
    title: &str,
    draft: Option<&Draft>,
) -> CreateInteractionResponse {
    let rows = FIELDS
        .iter()
        .map(|&(id, label, style, max, placeholder)| {
            let mut input = CreateInputText::new(style, label, id)
                .max_length(max)
                .required(true)
                .placeholder(placeholder);
            if let Some(d) = draft {
                input = input.value(cut(&field_of(d, id), usize::from(max)));
            }
            CreateActionRow::InputText(input)
        })
        .collect();
    CreateInteractionResponse::Modal(CreateModal::new(custom_id, title).components(rows))
}

fn field_of(d: &Draft, id: &str) -> String {
    match id {
        "topic" => d.topic.clone(),
        "prompt" => d.prompt.clone(),
        "model_answer" => d.model_answer.clone(),
        "points" => d.points.clone(),
        _ => format!("{}\n{}", d.follow_up, d.follow_up_points),
    }
}

/// The draft a submitted form holds.
pub(super) fn draft_from(
    data: &ModalInteractionData,
    track: String,
    difficulty: Difficulty,
) -> Draft {
    let text = |id: &str| {
        data.components
            .iter()
            .flat_map(|row| &row.components)
            .find_map(|c| match c {
                ActionRowComponent::InputText(t) if t.custom_id == id => t.value.clone(),
                _ => None,
            })
            .unwrap_or_default()
    };
    let follow = text("follow_up");
    let (follow_up, follow_up_points) = follow.trim().split_once('\n').unwrap_or((&follow, ""));
    Draft {
        track,
        difficulty,
        topic: text("topic"),
        prompt: text("prompt"),
        model_answer: text("model_answer"),
        points: text("points"),
        follow_up: follow_up.trim().to_owned(),
        follow_up_points: follow_up_points.to_owned(),
    }
}

/// What is wrong with a draft, in the form's words rather than the question file's.
pub(super) fn problems_text(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .take(10)
        .map(|p| format!("- {}: {}", form_field(&p.field), echo(&p.message)))
        .collect();
    format!(
        "Your question needs a change before it can go to the organisers:\n{}",
        lines.join("\n")
    )
}

fn form_field(field: &str) -> &'static str {
    match field.split(['.', '[']).next().unwrap_or_default() {
        "topic" => "Topic",
        "prompt" => "Question",
        "model_answer" => "What a strong answer says",
        "points" => "What it must cover",
        "follow_ups" => "Follow-up",
        "track" => "Track",
        _ => "The question",
    }
}
