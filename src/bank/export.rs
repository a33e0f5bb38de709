//! Questions written back as a question file, in the format `questions check` reads: what
//! `/questions export` sends, so an organiser can copy the bank (or a track of it) into a pack of
//! their own and edit it. Writing and reading back gives the same questions.

use serde::Serialize;

use super::{BankError, Question};

/// The file's shape: `[[questions]]` tables, as the bundled files have.
#[derive(Serialize)]
struct QuestionFile<'a> {
    questions: &'a [&'a Question],
}

/// `questions` as the text of one question file.
pub fn to_toml(questions: &[&Question]) -> Result<String, BankError> {
    toml::to_string_pretty(&QuestionFile { questions })
        .map_err(|e| BankError::Export(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::check::check_sources;
    use crate::bank::{Bank, SourceFile};

    #[test]
    fn the_bank_written_out_reads_back_the_same() {
        let bank = Bank::bundled().expect("the bundled bank");
        let questions: Vec<&Question> = bank.questions().iter().map(|q| q.as_ref()).collect();
        let text = to_toml(&questions).unwrap();
        let file = SourceFile::new("export.toml", text);
        let read = check_sources(&[file], &Default::default());
        assert!(
            read.problems.is_empty(),
            "{:?}",
            &read.problems[..3.min(read.problems.len())]
        );
        assert_eq!(read.questions.len(), questions.len());
        for (back, q) in read.questions.iter().zip(&questions) {
            let (back, q) = (
                serde_json::to_value(back).unwrap(),
                serde_json::to_value(q).unwrap(),
            );
            assert_eq!(back, q);
        }
    }
}
