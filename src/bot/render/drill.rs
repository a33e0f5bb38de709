//! What `/drill status` and a drill with nothing due say.

use chrono::NaiveTime;

use crate::app::drills::Schedule;

/// Why there is no drill today, and when the next one is.
pub fn nothing_due(schedule: &Schedule) -> String {
    if schedule.cards.is_empty() {
        return "Nothing to review yet: questions you answer in interviews and questions of the \
                day come back here when they are due. Start with `/interview start`."
            .to_owned();
    }
    match schedule.next_due() {
        Some((day, n)) => format!(
            "Nothing is due for review today. Next: {n} question{} on {}.",
            if n == 1 { "" } else { "s" },
            day.format("%a %b %-d")
        ),
        None => "Nothing is due for review today.".to_owned(),
    }
}

/// The member's drill status: due today, next, streak, reminder.
pub fn status(schedule: &Schedule, reminder: Option<&(NaiveTime, String)>) -> String {
    let due = schedule.due(usize::MAX);
    let mut lines = Vec::new();
    if due.is_empty() {
        lines.push(nothing_due(schedule));
    } else {
        let topics: Vec<&str> = due.iter().take(5).map(|q| q.topic.as_str()).collect();
        let more = due.len().saturating_sub(topics.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        lines.push(format!(
            "**{} question{} due for review today**: {}{more}. Answer them with `/drill start`.",
            due.len(),
            if due.len() == 1 { "" } else { "s" },
            topics.join(", ")
        ));
    }
    lines.push(format!(
        "{} question{} in your schedule. Drill streak: {} day{}.",
        schedule.cards.len(),
        if schedule.cards.len() == 1 { "" } else { "s" },
        schedule.streak,
        if schedule.streak == 1 { "" } else { "s" }
    ));
    lines.push(match reminder {
        Some((at, zone)) => format!(
            "Reminder: a DM at {} ({zone}) on days with questions due.",
            at.format("%H:%M")
        ),
        None => "Reminder: off (`/drill remind time:08:30` turns it on).".to_owned(),
    });
    lines.join("\n")
}
