//! Modals: the bot opens one by answering an interaction with callback type 9, and the member
//! submits it (an INTERACTION_CREATE of type 5). Discord refuses a malformed modal when the bot
//! sends it, and the member's client enforces the fields' rules before it lets them submit; the
//! fake does both, so a bot's bad modal fails here as it would on Discord, and a test cannot
//! submit what no member could.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The callback type that opens a modal.
pub const MODAL: u64 = 9;

/// Discord's limits on a modal and its text inputs, in characters.
const TITLE_MAX: usize = 45;
const CUSTOM_ID_MAX: usize = 100;
const ROWS_MAX: usize = 5;
const LABEL_MAX: usize = 45;
const PLACEHOLDER_MAX: usize = 100;
const VALUE_MAX: usize = 4000;

/// A modal the bot opened, read from its callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedModal {
    /// The interaction the bot answered with it: a command or a component click.
    pub interaction_id: u64,
    pub custom_id: String,
    pub title: String,
    pub fields: Vec<ModalField>,
}

/// One text input of a modal, as the bot sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModalField {
    pub custom_id: String,
    pub label: String,
    /// 1 short, 2 paragraph.
    pub style: u64,
    #[serde(default = "required_by_default")]
    pub required: bool,
    /// Pre-filled text; submitted as it is unless the member changes it.
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub placeholder: Option<String>,
    #[serde(default)]
    pub min_length: Option<usize>,
    #[serde(default)]
    pub max_length: Option<usize>,
}

fn required_by_default() -> bool {
    true
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

impl RecordedModal {
    /// Reads a type-9 callback's `data` and checks it as Discord does; `Err` says why Discord
    /// would refuse it.
    pub fn parse(interaction_id: u64, data: &Value) -> Result<Self, String> {
        let text = |key: &str| {
            data.get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("modal without {key}"))
        };
        let rows = data
            .get("components")
            .and_then(Value::as_array)
            .ok_or("modal without components")?;
        let modal = Self {
            interaction_id,
            custom_id: text("custom_id")?,
            title: text("title")?,
            fields: rows.iter().map(field_of_row).collect::<Result<_, _>>()?,
        };
        modal.check()?;
        Ok(modal)
    }

    fn check(&self) -> Result<(), String> {
        if !(1..=TITLE_MAX).contains(&chars(&self.title)) {
            return Err(format!("modal title must be 1 to {TITLE_MAX} characters"));
        }
        if !(1..=CUSTOM_ID_MAX).contains(&chars(&self.custom_id)) {
            return Err(format!(
                "modal custom_id must be 1 to {CUSTOM_ID_MAX} characters"
            ));
        }
        if !(1..=ROWS_MAX).contains(&self.fields.len()) {
            return Err(format!("a modal holds 1 to {ROWS_MAX} text inputs"));
        }
        let mut seen = HashSet::new();
        if let Some(twice) = self.fields.iter().find(|f| !seen.insert(&f.custom_id)) {
            return Err(format!(
                "text input custom_id {} is used twice",
                twice.custom_id
            ));
        }
        self.fields.iter().try_for_each(ModalField::check)
    }

    /// What the member's client submits when they type `typed` (field custom_id, text): every
    /// field, the ones not typed into keeping their pre-filled value, or empty. `Err` says why
    /// the client would not let them submit.
    pub fn answers(&self, typed: &[(&str, &str)]) -> Result<Vec<(String, String)>, String> {
        if let Some((unknown, _)) = typed
            .iter()
            .find(|(id, _)| !self.fields.iter().any(|f| f.custom_id == *id))
        {
            return Err(format!("the modal has no field {unknown}"));
        }
        self.fields
            .iter()
            .map(|f| {
                let typed = typed.iter().rev().find(|(id, _)| *id == f.custom_id);
                let value = typed.map_or_else(
                    || f.value.clone().unwrap_or_default(),
                    |(_, v)| (*v).to_owned(),
                );
                f.accepts(&value)?;
                Ok((f.custom_id.clone(), value))
            })
            .collect()
    }
}

/// A modal's action row: exactly one text input.
fn field_of_row(row: &Value) -> Result<ModalField, String> {
    let inputs = row.get("components").and_then(Value::as_array);
    match inputs.map(Vec::as_slice) {
        Some([input]) if row["type"] == 1 && input["type"] == 4 => {
            serde_json::from_value(input.clone()).map_err(|e| format!("text input: {e}"))
        }
        _ => Err("each modal row must be an action row holding one text input".into()),
    }
}

impl ModalField {
    fn check(&self) -> Result<(), String> {
        let id = &self.custom_id;
        let too_long = |text: &Option<String>, max| text.as_deref().is_some_and(|t| chars(t) > max);
        let problem = if !(1..=CUSTOM_ID_MAX).contains(&chars(id)) {
            Some(format!("custom_id must be 1 to {CUSTOM_ID_MAX} characters"))
        } else if !(1..=LABEL_MAX).contains(&chars(&self.label)) {
            Some(format!("label must be 1 to {LABEL_MAX} characters"))
        } else if !matches!(self.style, 1 | 2) {
            Some("style must be 1 (short) or 2 (paragraph)".into())
        } else if too_long(&self.placeholder, PLACEHOLDER_MAX) {
            Some(format!(
                "placeholder longer than {PLACEHOLDER_MAX} characters"
            ))
        } else if too_long(&self.value, VALUE_MAX) {
            Some(format!("value longer than {VALUE_MAX} characters"))
        } else {
            self.length_problem()
        };
        problem.map_or(Ok(()), |p| Err(format!("text input {id}: {p}")))
    }

    fn length_problem(&self) -> Option<String> {
        let min = self.min_length.unwrap_or(0);
        let max = self.max_length.unwrap_or(VALUE_MAX);
        if min > VALUE_MAX || !(1..=VALUE_MAX).contains(&max) {
            Some(format!(
                "min_length and max_length must be within 0..={VALUE_MAX}"
            ))
        } else if min > max {
            Some("min_length is above max_length".into())
        } else {
            None
        }
    }

    /// The client's rules: a required field needs text, and any text must fit the lengths.
    fn accepts(&self, value: &str) -> Result<(), String> {
        let n = chars(value);
        let id = &self.custom_id;
        if n == 0 {
            return if self.required {
                Err(format!("field {id} is required"))
            } else {
                Ok(())
            };
        }
        let min = self.min_length.unwrap_or(0);
        let max = self.max_length.unwrap_or(VALUE_MAX);
        if (min..=max).contains(&n) {
            Ok(())
        } else {
            Err(format!(
                "field {id} takes {min} to {max} characters, not {n}"
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::RecordedModal;

    fn modal(label: &str) -> serde_json::Value {
        json!({"custom_id": "m", "title": "Edit", "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": "text", "label": label,
                "style": 2, "required": true, "min_length": 3}]},
            {"type": 1, "components": [{"type": 4, "custom_id": "tag", "label": "Tag",
                "style": 1, "required": false, "value": "general"}]},
        ]})
    }

    #[test]
    fn discord_refuses_a_modal_breaking_its_limits() {
        assert!(RecordedModal::parse(1, &modal("Question")).is_ok());
        let long_label = RecordedModal::parse(1, &modal(&"x".repeat(46)));
        assert!(long_label.unwrap_err().contains("label"));
        let mut buttons = modal("Question");
        buttons["components"][0]["components"][0]["type"] = json!(2);
        assert!(RecordedModal::parse(1, &buttons).is_err());
        let mut untitled = modal("Question");
        untitled["title"] = json!("");
        assert!(RecordedModal::parse(1, &untitled).is_err());
    }

    #[test]
    fn the_client_submits_every_field_and_enforces_its_rules() {
        let m = RecordedModal::parse(1, &modal("Question")).unwrap();
        let answers = m.answers(&[("text", "What is a B-tree?")]).unwrap();
        let expected = [("text", "What is a B-tree?"), ("tag", "general")];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(
            answers, expected,
            "untouched fields keep their pre-filled value"
        );
        assert!(m.answers(&[("tag", "x")]).unwrap_err().contains("required"));
        assert!(m
            .answers(&[("text", "ab")])
            .unwrap_err()
            .contains("3 to 4000"));
        assert!(m.answers(&[("text", "abc"), ("nope", "x")]).is_err());
        assert!(m.answers(&[("text", "abc"), ("tag", "")]).is_ok());
    }
}
