//! `/help`: what Mockingbird does and every command, in one embed. The command list is read
//! from the registered commands themselves (their `///` descriptions), so it cannot drift from
//! what Discord offers.

use serenity::all::CreateEmbed;

use super::limits::{bullets, EmbedText, DESCRIPTION, FIELD_VALUE};
use super::NEUTRAL;
use crate::interview::ANSWER_LIMIT;

/// One command as `/help` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandHelp {
    /// How it is typed, e.g. "/history [member]" or "/interview start <track>".
    pub usage: String,
    pub description: String,
    /// It needs a permission (Manage Server) that organisers have.
    pub organiser: bool,
}

const ABOUT: &str = "Mockingbird runs mock technical interviews. `/interview start` opens a \
    thread where I ask backend-engineering questions one at a time, ask follow-ups on what you \
    actually said, and score every answer on technical depth, trade-offs and communication. \
    Without a `difficulty`, the first question is at mid level and each next one gets harder \
    after a strong answer and easier after a weak one; `style` picks the interviewer (below). \
    `mode:design` runs one system-design question in five timed stages (clarify, estimate, \
    design, deep dive, wrap-up): ask your questions first, e.g. \"How many users, and what \
    latency?\", and I answer only what you ask. Every answer you give schedules its question for review: `/drill start` brings back the \
    ones due, sooner when you scored low. Your history, profile and the server's leaderboards \
    keep track of your progress.";

/// What to do during an interview, a line each.
fn during() -> [String; 5] {
    [
        format!(
            "Answer in the thread; one answer may span several messages, up to {} (past \
             that it is submitted as it stands).",
            ANSWER_LIMIT.describe()
        ),
        "Edit or delete a message before submitting to change your answer; after that, the \
         answer stands as it was scored. In a question of the day's thread, replies to others \
         are talk, and **Answer again** replaces your answer."
            .to_owned(),
        "**Submit** sends your answer for scoring (it is also sent after a quiet moment, if the \
         server allows it)."
            .to_owned(),
        "**Hint** reveals a concept you have not covered yet; the answer is marked as hinted."
            .to_owned(),
        "**Skip** moves to the next question; **End** stops and posts your report.".to_owned(),
    ]
}

/// The help embed; `styles` are the interviewer styles as (id, description).
pub fn help(commands: &[CommandHelp], styles: &[(String, String)]) -> CreateEmbed {
    let line = |c: &CommandHelp| format!("`{}`: {}", c.usage, c.description);
    let members: Vec<String> = commands.iter().filter(|c| !c.organiser).map(line).collect();
    let organisers: Vec<String> = commands.iter().filter(|c| c.organiser).map(line).collect();
    let mut text = EmbedText::new("Mockingbird: mock technical interviews")
        .description(format!(
            "{ABOUT}\n\n**Commands**\n{}",
            bullets(&members, DESCRIPTION - ABOUT.len() - 20)
        ))
        .field(
            "During an interview",
            bullets(&during(), FIELD_VALUE),
            false,
        );
    if !styles.is_empty() {
        let lines: Vec<String> = styles
            .iter()
            .map(|(id, description)| format!("`{id}`: {description}"))
            .collect();
        text = text.field(
            "Interviewer styles (`/interview start style:`)",
            bullets(&lines, FIELD_VALUE),
            false,
        );
    }
    if !organisers.is_empty() {
        text = text.field(
            "For organisers (Manage Server)",
            bullets(&organisers, FIELD_VALUE),
            false,
        );
    }
    text.footer("Arguments in <angle brackets> are required, in [square brackets] optional.")
        .build()
        .colour(NEUTRAL)
}

/// How a command is typed: its name and its arguments, required ones in <>, optional in [].
pub fn usage<'a>(name: &str, arguments: impl IntoIterator<Item = (&'a str, bool)>) -> String {
    let mut out = format!("/{name}");
    for (argument, required) in arguments {
        if required {
            out.push_str(&format!(" <{argument}>"));
        } else {
            out.push_str(&format!(" [{argument}]"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::render::limits::assert_valid_embed;

    fn command(usage: &str, organiser: bool) -> CommandHelp {
        CommandHelp {
            usage: usage.into(),
            description: format!("what {usage} does"),
            organiser,
        }
    }

    #[test]
    fn usage_marks_required_and_optional_arguments() {
        assert_eq!(usage("help", []), "/help");
        assert_eq!(
            usage("interview start", [("track", true), ("difficulty", false)]),
            "/interview start <track> [difficulty]"
        );
    }

    #[test]
    fn help_explains_the_bot_and_lists_every_command() {
        let commands = [
            command("/interview start <track>", false),
            command("/history [member]", false),
            command("/config", true),
        ];
        let styles = [("mentor".to_owned(), "Patient and encouraging.".to_owned())];
        let embed = serde_json::to_value(help(&commands, &styles)).unwrap();
        assert_valid_embed(&embed);
        let text = embed["description"].as_str().unwrap();
        assert!(
            text.starts_with("Mockingbird runs mock technical interviews."),
            "{text}"
        );
        // Each mode, with an example of how to use it.
        assert!(text.contains("`mode:design`") && text.contains("\"How many users"));
        assert!(text.contains("`/drill start`"), "{text}");
        assert!(text.contains("• `/interview start <track>`: what /interview start <track> does"));
        assert!(text.contains("• `/history [member]`"));
        assert!(
            !text.contains("/config"),
            "organiser commands have their own field"
        );
        assert_eq!(embed["fields"][0]["name"], "During an interview");
        assert_eq!(
            embed["fields"][1]["name"],
            "Interviewer styles (`/interview start style:`)"
        );
        assert_eq!(
            embed["fields"][1]["value"],
            "• `mentor`: Patient and encouraging."
        );
        assert_eq!(embed["fields"][2]["name"], "For organisers (Manage Server)");
        assert!(embed["fields"][2]["value"]
            .as_str()
            .unwrap()
            .contains("`/config`"));
    }

    #[test]
    fn without_organiser_commands_there_is_no_organiser_field() {
        let embed = serde_json::to_value(help(&[command("/help", false)], &[])).unwrap();
        assert_eq!(embed["fields"].as_array().map(Vec::len), Some(1));
    }
}
