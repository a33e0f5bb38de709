//! What the candidate sees in their interview thread: the rules, each question with its buttons,
//! a hint, the feedback on each answer and the final report. The buttons' custom ids carry the
//! interview id (`iv:{action}:{interview_id}`), so a click reaches the right interview in any
//! process, after any restart; [`parse_interview_button`] reads them back.

use std::time::Duration;

use serenity::all::{ButtonStyle, CreateActionRow, CreateAttachment, CreateButton, CreateMessage};

use super::limits::{bullets, EmbedText, FIELD_VALUE};
use super::report_sections as sections;
use super::{score, score_colour, NEUTRAL};
use crate::interview::design::{self, Stage, StageReport};
use crate::interview::spoken as duration;
use crate::interview::{took, Ending, Intro, Prompt, QuestionResult, Report, Turn};
use crate::scoring::{Assessment, PointResult, ScorerKind};

/// The file name of the report's chart, shown as the report embed's image.
pub const REPORT_CHART: &str = "report.png";

/// A button on an interview message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterviewButton {
    Submit,
    Hint,
    Skip,
    End,
}

impl InterviewButton {
    fn action(self) -> &'static str {
        match self {
            InterviewButton::Submit => "submit",
            InterviewButton::Hint => "hint",
            InterviewButton::Skip => "skip",
            InterviewButton::End => "end",
        }
    }

    /// `iv:{action}:{interview_id}`.
    pub fn custom_id(self, interview_id: i64) -> String {
        format!("iv:{}:{interview_id}", self.action())
    }

    fn button(self, interview_id: i64) -> CreateButton {
        let (label, style) = match self {
            InterviewButton::Submit => ("Submit", ButtonStyle::Primary),
            InterviewButton::Hint => ("Hint", ButtonStyle::Secondary),
            InterviewButton::Skip => ("Skip", ButtonStyle::Secondary),
            InterviewButton::End => ("End", ButtonStyle::Danger),
        };
        CreateButton::new(self.custom_id(interview_id))
            .label(label)
            .style(style)
    }
}

/// The button and interview a custom id names; `None` for any other component.
pub fn parse_interview_button(custom_id: &str) -> Option<(InterviewButton, i64)> {
    let rest = custom_id.strip_prefix("iv:")?;
    let (action, id) = rest.split_once(':')?;
    let button = match action {
        "submit" => InterviewButton::Submit,
        "hint" => InterviewButton::Hint,
        "skip" => InterviewButton::Skip,
        "end" => InterviewButton::End,
        _ => return None,
    };
    Some((button, id.parse().ok()?))
}

fn buttons(interview_id: i64, which: &[InterviewButton]) -> Vec<CreateActionRow> {
    let row = which.iter().map(|b| b.button(interview_id)).collect();
    vec![CreateActionRow::Buttons(row)]
}

/// The first message of an interview: what it covers and how it works. `difficulty` is the
/// interview's level, or with `adaptive` its first question's, the level following the answers.
pub fn intro(intro: &Intro, interview_id: i64) -> CreateMessage {
    let (planned, difficulty) = (intro.questions, intro.difficulty);
    let quiet_period = Duration::from_secs(intro.quiet_period_secs);
    let idle_timeout = Duration::from_secs(intro.idle_timeout_secs);
    let plural = if planned == 1 { "" } else { "s" };
    // One question has no next one to adapt.
    let adaptive = intro.adaptive && planned > 1 && intro.design.is_none();
    let level = if adaptive {
        String::new()
    } else {
        format!(" at {difficulty} level")
    };
    let submit = if quiet_period.is_zero() {
        "It is submitted only with the **Submit** button.".to_owned()
    } else {
        format!(
            "It is submitted with the **Submit** button, or after {} with no new message.",
            duration(quiet_period)
        )
    };
    let mut rules = vec![if let Some(round) = &intro.design {
        let stages: Vec<String> = Stage::ALL
            .iter()
            .map(|&s| {
                let limit = duration(Duration::from_secs(round.time_box(s).into()));
                format!("{} ({limit})", s.name())
            })
            .collect();
        format!(
            "One system-design question at {difficulty} level, in five stages: {}. Each stage \
             is scored on its own points; the time boxes are a guide, and the report shows \
             your time against them. In the clarify stage I answer only what you ask.",
            stages.join(" → ")
        )
    } else if intro.drill {
        format!(
            "{planned} question{plural} due for review, each one you answered before, with short \
             feedback and no follow-ups. Your score decides when each comes back: 6/10 or more \
             and it waits longer each time; under that, it returns tomorrow."
        )
    } else {
        format!(
            "{planned} main question{plural}{level}, with follow-ups where your answers invite \
             them."
        )
    }];
    if adaptive {
        rules.push(format!(
            "Questions start at {difficulty} level and follow your answers: a strong answer \
             makes the next one harder, a weak one easier."
        ));
    }
    if let Some(limit) = intro.style.as_ref().and_then(|s| s.time_box_secs) {
        rules.push(format!(
            "Each answer has a soft time box of {}: the time you take is recorded in the \
             report, and nothing is cut off.",
            duration(Duration::from_secs(limit.into()))
        ));
    }
    rules.extend([
        "Answer in this thread; an answer may span several messages.".to_owned(),
        submit,
        "**Hint** reveals a concept you have not covered yet (the answer is then marked as \
         hinted); **Skip** moves on; **End** stops the interview and posts your report."
            .to_owned(),
        format!(
            "The interview ends on its own after {} with no activity.",
            duration(idle_timeout)
        ),
    ]);
    let mut description = bullets(&rules, 4096);
    if let Some(style) = &intro.style {
        description = format!("**{}**: {}\n\n{description}", style.name, style.intro);
    }
    let title = match (intro.drill, intro.design.is_some()) {
        (true, _) => "Drill: questions due for review".to_owned(),
        (false, true) => format!("System-design round: {}", intro.track),
        (false, false) => format!("Mock interview: {}", intro.track),
    };
    let embed = EmbedText::new(title)
        .description(description)
        .footer(format!("Interview {interview_id} · good luck!"))
        .build()
        .colour(NEUTRAL);
    CreateMessage::new().embed(embed).components(buttons(
        interview_id,
        &[
            InterviewButton::Hint,
            InterviewButton::Skip,
            InterviewButton::End,
        ],
    ))
}

/// A question put to the candidate, with the buttons to act on it.
pub fn question(prompt: &Prompt, interview_id: i64) -> CreateMessage {
    let title = match prompt.turn {
        Turn::Main => format!("Question {} of {}", prompt.number, prompt.of),
        Turn::FollowUp { .. } | Turn::Written => format!("Follow-up to question {}", prompt.number),
        Turn::Stage { stage } => format!(
            "Stage {} of {} · {}",
            stage.number(),
            Stage::ALL.len(),
            stage.name()
        ),
    };
    let text = match &prompt.lead {
        // A design round's reply to the clarify stage is a list, with its own emphasis.
        Some(lead) if lead.contains('\n') => format!("{lead}\n\n{}", prompt.text),
        Some(lead) => format!("*{lead}*\n\n{}", prompt.text),
        None => prompt.text.clone(),
    };
    let mut footer = match prompt.difficulty {
        Some(level) => format!("Topic: {} · {level} level", prompt.topic),
        None => format!("Topic: {}", prompt.topic),
    };
    if let Some(limit) = prompt.time_box_secs {
        let limit = duration(Duration::from_secs(limit.into()));
        footer.push_str(&format!(" · time box {limit}"));
    }
    let embed = EmbedText::new(title)
        .description(text)
        .footer(footer)
        .build()
        .colour(NEUTRAL);
    CreateMessage::new().embed(embed).components(buttons(
        interview_id,
        &[
            InterviewButton::Submit,
            InterviewButton::Hint,
            InterviewButton::Skip,
            InterviewButton::End,
        ],
    ))
}

/// A hint, revealed at the candidate's request.
pub fn hint(text: &str) -> CreateMessage {
    let embed = EmbedText::new("Hint")
        .description(text)
        .footer("This answer is now marked as hinted.")
        .build()
        .colour(NEUTRAL);
    CreateMessage::new().embed(embed)
}

/// The sentence shown when an answer's score was capped; the notes say why.
pub const FLAGGED: &str = "Score capped and flagged for review: see why below.";

/// The feedback message: a styled interviewer's remark as its text (which later edits of the
/// embed, as peer reviews arrive, leave alone), and the feedback embed.
pub fn feedback_message(
    assessment: &Assessment,
    hinted: bool,
    remark: Option<&str>,
) -> CreateMessage {
    let message = CreateMessage::new().embed(feedback(assessment, hinted));
    match remark {
        Some(remark) => message.content(remark),
        None => message,
    }
}

/// The feedback on one answer: scores, what it covered and missed, and who scored it.
pub fn feedback(assessment: &Assessment, hinted: bool) -> serenity::all::CreateEmbed {
    feedback_with_peers(assessment, hinted, None)
}

/// The feedback, with the peers' verdict beside the scores once members have reviewed it
/// (`peers` as [`crate::app::reviews::peer_score`] words it).
pub fn feedback_with_peers(
    assessment: &Assessment,
    hinted: bool,
    peers: Option<&str>,
) -> serenity::all::CreateEmbed {
    let s = &assessment.scores;
    let mut text = EmbedText::new(format!("Feedback: {:.1}/10", s.overall))
        .description(assessment.feedback.join("\n"))
        .field("Technical", format!("{}/10", score(s.technical)), true)
        .field("Trade-offs", format!("{}/10", score(s.tradeoffs)), true)
        .field(
            "Communication",
            format!("{}/10", score(s.communication)),
            true,
        );
    if let Some(peers) = peers {
        text = text.field("Peer review", peers, true);
    }
    let lists: [(&str, Vec<String>); 4] = [
        ("Covered", with_evidence(&assessment.covered)),
        ("Partly covered", with_evidence(&assessment.partial)),
        ("Missed", statements(&assessment.missed)),
        ("Pitfalls", assessment.pitfalls.clone()),
    ];
    for (name, items) in lists.iter().filter(|(_, items)| !items.is_empty()) {
        text = text.field(*name, bullets(items, FIELD_VALUE), false);
    }
    if let Some(speaking) = &assessment.speaking {
        text = text.field("How you spoke", speaking.summary(), false);
    }
    let notes: Vec<String> = assessment
        .flagged
        .then(|| FLAGGED.to_owned())
        .into_iter()
        .chain(assessment.notes.iter().cloned())
        .collect();
    if !notes.is_empty() {
        text = text.field("Notes", bullets(&notes, FIELD_VALUE), false);
    }
    text.footer(scorer_footer(assessment, hinted))
        .build()
        .colour(score_colour(s.overall))
}

fn statements(points: &[PointResult]) -> Vec<String> {
    points.iter().map(|p| p.statement.clone()).collect()
}

/// Each point with the candidate's own words that earned it, when the scorer found them.
fn with_evidence(points: &[PointResult]) -> Vec<String> {
    points
        .iter()
        .map(|p| match &p.evidence {
            Some(quote) => format!("{} — you said: “{quote}”", p.statement),
            None => p.statement.clone(),
        })
        .collect()
}

/// "offline scorer" or "LLM {model}", and "hint used" when it was.
fn scorer_footer(assessment: &Assessment, hinted: bool) -> String {
    let scorer = match (assessment.scorer, &assessment.model) {
        (ScorerKind::Offline, _) => "offline scorer".to_owned(),
        (ScorerKind::Llm, Some(model)) => format!("LLM {model}"),
        (ScorerKind::Llm, None) => "LLM".to_owned(),
    };
    if hinted {
        format!("Scored by {scorer} · hint used")
    } else {
        format!("Scored by {scorer}")
    }
}

/// The end-of-interview report, with the chart as its image when there is one.
pub fn report(report: &Report, chart_png: Option<Vec<u8>>) -> CreateMessage {
    report_with_peers(report, chart_png, &[])
}

/// The report, with each answer's peer score (aligned with `report.results`; `None`, or a
/// missing entry, for none) beside its score.
pub fn report_with_peers(
    report: &Report,
    chart_png: Option<Vec<u8>>,
    peers: &[Option<String>],
) -> CreateMessage {
    let p = &report.profile;
    let mut description = format!(
        "{}\nOverall: **{}/10**\n\n",
        outcome_line(report),
        score(p.overall)
    );
    let time_box = report.style.as_ref().and_then(|s| s.time_box_secs);
    let lines = question_lines(&report.results, time_box, &report.stages);
    let lines: Vec<String> = lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| match peers.get(i).and_then(Option::as_deref) {
            Some(peer) => format!("{line} · {peer}"),
            None => line,
        })
        .collect();
    description.push_str(&lines.join("\n"));
    let mut text = EmbedText::new("Interview report")
        .description(description)
        .field("Technical", format!("{}/10", score(p.technical)), true)
        .field("Trade-offs", format!("{}/10", score(p.tradeoffs)), true)
        .field(
            "Communication",
            format!("{}/10", score(p.communication)),
            true,
        );
    let sections = [
        ("Strengths", &report.strengths),
        ("Gaps", &report.gaps),
        ("Study next", &report.study_next),
    ];
    for (name, items) in sections.into_iter().filter(|(_, items)| !items.is_empty()) {
        text = text.field(name, bullets(items, FIELD_VALUE), false);
    }
    if !report.next_reviews.is_empty() {
        let lines = sections::next_reviews(&report.next_reviews);
        text = text.field("Next reviews", bullets(&lines, FIELD_VALUE), false);
    }
    if let Some(spoken) = &report.spoken {
        let answered = report.results.iter().filter(|r| r.scores.is_some()).count();
        text = text.field("How you spoke", sections::spoken(spoken, answered), false);
    }
    for (name, value) in sections::stages(&report.stages) {
        text = text.field(name, value, false);
    }
    if let Some(verdict) = &report.style {
        text = text.field(
            format!("Against the {} bar", verdict.name),
            sections::against_bar(verdict, report.over_time()),
            false,
        );
    }
    let mut embed = text.build().colour(score_colour(p.overall));
    let mut message = CreateMessage::new();
    if let Some(png) = chart_png {
        embed = embed.image(format!("attachment://{REPORT_CHART}"));
        message = message.add_file(CreateAttachment::bytes(png, REPORT_CHART));
    }
    message.embed(embed)
}

fn outcome_line(report: &Report) -> String {
    if !report.stages.is_empty() {
        return sections::design_outcome(report);
    }
    let reached = format!("{} of {} questions", report.reached, report.planned);
    match report.outcome {
        Ending::Completed => format!("**Completed**: all {} questions asked.", report.planned),
        Ending::Ended => format!("**Ended early**: {reached} reached."),
        Ending::Abandoned => format!("**Abandoned** after a long silence: {reached} reached."),
    }
}

/// One line per turn: "**Q1** indexing: 7.5", follow-ups indented under their question, and
/// how long each answer took when the style (or a design round's stage) has a time box.
fn question_lines(
    results: &[QuestionResult],
    time_box: Option<u32>,
    stages: &[StageReport],
) -> Vec<String> {
    let mut main = 0;
    results
        .iter()
        .map(|r| {
            let stage = design::stage_of(r.turn).filter(|_| !stages.is_empty());
            let label = match (r.turn, stage) {
                (Turn::Main, _) => {
                    main += 1;
                    let level = r.difficulty.map_or(String::new(), |d| format!(" ({d})"));
                    format!("**Q{main}** {}{level}", r.topic)
                }
                (_, Some(stage)) => format!("**{}. {}**", stage.number(), stage.name()),
                _ => "\u{2003}↳ follow-up".to_owned(),
            };
            let time_box = time_box.or_else(|| {
                let stage = stage?;
                stages
                    .iter()
                    .find(|s| s.stage == stage)
                    .map(|s| s.time_box_secs)
            });
            let result = match (r.skipped, r.scores) {
                (true, _) => "skipped".to_owned(),
                (false, Some(s)) => format!("**{}**", score(s.overall)),
                (false, None) => "not scored".to_owned(),
            };
            let hinted = if r.hinted { " (hint used)" } else { "" };
            let timing = match (time_box, r.seconds) {
                (Some(_), Some(secs)) => format!(" · {}", took(secs, time_box)),
                _ => String::new(),
            };
            format!("{label}: {result}{hinted}{timing}")
        })
        .collect()
}

#[cfg(test)]
#[path = "interview_tests.rs"]
mod tests;
