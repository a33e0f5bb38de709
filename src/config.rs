//! What every part of the configuration shares (the bot's, the LLM's, speech's): the error
//! that names a variable and the form it wants, and the parse of a number within its range.
//! A value is echoed in an error only through [`ConfigError::BadValue`], which secrets and the
//! LLM and speech URLs (which may carry credentials) never use.

use std::ops::RangeBounds;
use std::str::FromStr;

use crate::secret::Secret;

/// A configuration problem, naming the variable and the form it should take.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    #[error("{var} is not set: {expected}")]
    Missing {
        var: &'static str,
        expected: &'static str,
    },
    #[error("{var} is not valid: {expected}")]
    Invalid {
        var: &'static str,
        expected: &'static str,
    },
    #[error("{var}={value:?} is not valid: {expected}")]
    BadValue {
        var: &'static str,
        value: String,
        expected: &'static str,
    },
}

impl ConfigError {
    /// A value that is not of the form `expected`, echoed so the reader sees what was read.
    pub fn bad(var: &'static str, value: &str, expected: &'static str) -> ConfigError {
        ConfigError::BadValue {
            var,
            value: value.to_owned(),
            expected,
        }
    }
}

/// A variable lookup in which a blank value (a `.env` line left empty) counts as unset.
pub fn unless_blank(get: impl Fn(&str) -> Option<String>) -> impl Fn(&str) -> Option<String> {
    move |name| get(name).filter(|v| !v.trim().is_empty())
}

/// An API key, trimmed, as an HTTP `Authorization` header can carry it. `Invalid`, not
/// `BadValue`, when it cannot: the key is a secret and is not echoed.
pub fn api_key(var: &'static str, value: &str) -> Result<Secret, ConfigError> {
    let key = value.trim();
    if key.chars().all(|c| c.is_ascii_graphic()) {
        Ok(Secret::new(key))
    } else {
        Err(ConfigError::Invalid {
            var,
            expected: "printable ASCII without spaces, as an HTTP header needs",
        })
    }
}

/// A number within `range`, else a `BadValue` naming the variable and `expected`.
pub fn ranged<T: FromStr + PartialOrd>(
    var: &'static str,
    value: &str,
    range: impl RangeBounds<T>,
    expected: &'static str,
) -> Result<T, ConfigError> {
    match value.trim().parse::<T>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(ConfigError::bad(var, value, expected)),
    }
}

#[cfg(test)]
mod tests {
    use std::ops::Bound;

    use super::*;

    #[test]
    fn a_number_in_range_is_read_and_anything_else_names_the_variable() {
        assert_eq!(ranged("N", " 4 ", 1..=64, "1 to 64"), Ok(4usize));
        for bad in ["0", "65", "four", "", "-1"] {
            assert_eq!(
                ranged::<usize>("N", bad, 1..=64, "1 to 64"),
                Err(ConfigError::bad("N", bad, "1 to 64")),
                "{bad}"
            );
        }
        let above_zero = (Bound::Excluded(0.0), Bound::Included(600.0));
        assert_eq!(ranged("T", "0.5", above_zero, "seconds"), Ok(0.5));
        assert!(ranged::<f64>("T", "0", above_zero, "seconds").is_err());
        assert!(ranged::<f64>("T", "NaN", above_zero, "seconds").is_err());
    }

    #[test]
    fn a_key_that_no_header_can_carry_is_refused_without_echoing_it() {
        assert_eq!(
            api_key("K", " sk-1 ").map(|k| k.expose().to_owned()),
            Ok("sk-1".into())
        );
        let err = api_key("K", "sk-1 sk-2").unwrap_err().to_string();
        assert!(err.starts_with("K is not valid"), "{err}");
        assert!(!err.contains("sk-1"), "{err}");
    }

    #[test]
    fn the_message_names_the_variable_the_value_and_the_form() {
        let e = ranged::<u16>("PORT", "http", .., "a TCP port");
        assert_eq!(
            e.unwrap_err().to_string(),
            "PORT=\"http\" is not valid: a TCP port"
        );
    }
}
