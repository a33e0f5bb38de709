//! Reads one question file into questions, collecting every problem with its line and field
//! rather than stopping at the first. Works on toml's spanned document tree so that even a
//! field of the wrong type is reported precisely and the rest of the file is still checked.

use std::ops::Range;

use super::reader::{join, Lines, Reader, Table};
use toml::de::DeTable;

use super::reader::is_slug;
use super::{
    Difficulty, Estimate, EstimateUnit, FollowUp, Origin, Pitfall, Point, Problem, Question,
    Requirement, SourceFile,
};

const QUESTION_KEYS: &[&str] = &[
    "id",
    "track",
    "topic",
    "difficulty",
    "prompt",
    "tags",
    "related",
    "model_answer",
    "points",
    "pitfalls",
    "follow_ups",
    "good_answers",
    "bad_answers",
    "requirements",
    "estimates",
    "wrap_up",
];
const POINT_KEYS: &[&str] = &["id", "statement", "concepts"];
const PITFALL_KEYS: &[&str] = &["statement", "phrases"];
const FOLLOW_UP_KEYS: &[&str] = &["prompt", "probes", "model_answer", "points"];
const REQUIREMENT_KEYS: &[&str] = &["topic", "asks", "answer"];
const ESTIMATE_KEYS: &[&str] = &["quantity", "value", "unit", "how"];

/// The result of reading one file: the questions that are whole, and every problem found.
pub(crate) struct Parsed {
    pub questions: Vec<Question>,
    pub problems: Vec<Problem>,
}

pub(crate) fn parse_file(file: &SourceFile) -> Parsed {
    let mut reader = Reader {
        file,
        lines: Lines::new(&file.text),
        question: None,
        problems: Vec::new(),
    };
    let (doc, errors) = DeTable::parse_recoverable(&file.text);
    if !errors.is_empty() {
        // After a syntax error the document's shape is a guess: report only what is certain.
        for error in errors {
            let span = error.span().unwrap_or(0..0);
            let message = error.message().trim().to_string();
            reader.problem(span, "toml", format!("syntax error: {message}"));
        }
        return Parsed {
            questions: Vec::new(),
            problems: reader.problems,
        };
    }
    let root_span = doc.span();
    let root = doc.get_ref();
    reader.unknown_keys(root, &["questions"], "");
    let mut questions = Vec::new();
    for (table, span) in reader.tables(root, &root_span, "questions", "", true) {
        if let Some(q) = read_question(&mut reader, table, span) {
            questions.push(q);
        }
        reader.question = None;
    }
    Parsed {
        questions,
        problems: reader.problems,
    }
}

fn read_question(r: &mut Reader<'_>, t: &Table<'_>, span: Range<usize>) -> Option<Question> {
    let before = r.problems.len();
    let id = r.string(t, &span, "id", "");
    if let Some(id) = &id {
        r.question = Some(id.clone());
        if !is_slug(id) {
            let span = t.get("id").map_or(span.clone(), |v| v.span());
            r.problem(
                span,
                "id",
                "must be a slug: lowercase letters, digits and hyphens",
            );
        }
    }
    r.unknown_keys(t, QUESTION_KEYS, "");
    let track = r.string(t, &span, "track", "");
    if let Some(track) = &track {
        if !is_slug(track) {
            let span = t.get("track").map_or(span.clone(), |v| v.span());
            r.problem(
                span,
                "track",
                "must be a slug: lowercase letters, digits and hyphens",
            );
        }
    }
    let topic = r.string(t, &span, "topic", "");
    let difficulty = r.string(t, &span, "difficulty", "").and_then(|d| {
        d.parse::<Difficulty>()
            .map_err(|message| {
                let span = t.get("difficulty").map_or(span.clone(), |v| v.span());
                r.problem(span, "difficulty", message)
            })
            .ok()
    });
    let prompt = r.string(t, &span, "prompt", "");
    let model_answer = r.string(t, &span, "model_answer", "");
    let tags = t
        .get("tags")
        .map(|v| r.strings(v, "tags"))
        .unwrap_or_default();
    let related = t
        .get("related")
        .map(|v| r.strings(v, "related"))
        .unwrap_or_default();
    let points = read_points(r, t, &span, "", "points");
    let pitfalls = read_pitfalls(r, t, &span);
    let follow_ups = read_follow_ups(r, t, &span, &points);
    let good_answers = t
        .get("good_answers")
        .map(|v| r.strings(v, "good_answers"))
        .unwrap_or_default();
    let bad_answers = t
        .get("bad_answers")
        .map(|v| r.strings(v, "bad_answers"))
        .unwrap_or_default();
    let requirements = read_requirements(r, t, &span);
    let estimates = read_estimates(r, t, &span);
    let wrap_up = read_points(r, t, &span, "", "wrap_up");
    for (i, point) in wrap_up.iter().enumerate() {
        if points.iter().any(|p| p.id == point.id) {
            let message = format!("\"{}\" is already a point of the question", point.id);
            r.problem(span.clone(), &format!("wrap_up[{i}].id"), message);
        }
    }
    if (!estimates.is_empty() || !wrap_up.is_empty()) && requirements.is_empty() {
        let message = "estimates and wrap_up belong to a design round, which needs requirements";
        r.problem(span.clone(), "requirements", message);
    }
    if r.problems.len() > before {
        return None;
    }
    Some(Question {
        id: id?,
        track: track?,
        topic: topic?,
        difficulty: difficulty?,
        prompt: prompt?,
        tags,
        related,
        model_answer: model_answer?,
        points,
        pitfalls,
        follow_ups,
        good_answers,
        bad_answers,
        requirements,
        estimates,
        wrap_up,
        origin: Origin {
            file: r.file.path.clone(),
            line: r.lines.line(span.start),
        },
    })
}

/// The `points` (or `wrap_up` points) of a question (`parent` = "") or of a follow-up
/// (`parent` = "follow_ups[i]"). Only `points` is required.
fn read_points(
    r: &mut Reader<'_>,
    t: &Table<'_>,
    span: &Range<usize>,
    parent: &str,
    key: &str,
) -> Vec<Point> {
    let mut points: Vec<Point> = Vec::new();
    let path = join(parent, key);
    for (i, (pt, pspan)) in r
        .tables(t, span, key, parent, key == "points")
        .into_iter()
        .enumerate()
    {
        let base = format!("{path}[{i}]");
        r.unknown_keys(pt, POINT_KEYS, &base);
        let id = r.string(pt, &pspan, "id", &base);
        if let Some(id) = &id {
            let id_span = pt.get("id").map_or(pspan.clone(), |v| v.span());
            if !is_slug(id) {
                let message = "must be a slug: lowercase letters, digits and hyphens";
                r.problem(id_span.clone(), &format!("{base}.id"), message);
            }
            if points.iter().any(|p| &p.id == id) {
                let message = format!("duplicate point id \"{id}\"");
                r.problem(id_span, &format!("{base}.id"), message);
            }
        }
        let statement = r.string(pt, &pspan, "statement", &base);
        let concepts = read_concepts(r, pt, &base);
        if let (Some(id), Some(statement)) = (id, statement) {
            points.push(Point {
                id,
                statement,
                concepts,
            });
        }
    }
    points
}

/// `concepts = [["b-tree", "btree"], ["log n"]]`; a bare string stands for a group of one.
fn read_concepts(r: &mut Reader<'_>, pt: &Table<'_>, base: &str) -> Vec<Vec<String>> {
    let Some(value) = pt.get("concepts") else {
        return Vec::new();
    };
    let field = format!("{base}.concepts");
    let Some(groups) = value.get_ref().as_array() else {
        let found = value.get_ref().type_str();
        r.problem(
            value.span(),
            &field,
            format!("must be an array of arrays of strings, found {found}"),
        );
        return Vec::new();
    };
    if groups.is_empty() {
        r.problem(
            value.span(),
            &field,
            "must not be empty (leave it out instead)",
        );
    }
    let mut out = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let alternatives = match group.get_ref().as_str() {
            Some(s) if !s.trim().is_empty() => vec![s.trim().to_string()],
            _ => r.strings(group, &format!("{field}[{g}]")),
        };
        if alternatives.is_empty() {
            r.problem(group.span(), &format!("{field}[{g}]"), "must not be empty");
        } else {
            out.push(alternatives);
        }
    }
    out
}

fn read_pitfalls(r: &mut Reader<'_>, t: &Table<'_>, span: &Range<usize>) -> Vec<Pitfall> {
    let mut pitfalls = Vec::new();
    for (i, (pt, pspan)) in r
        .tables(t, span, "pitfalls", "", false)
        .into_iter()
        .enumerate()
    {
        let base = format!("pitfalls[{i}]");
        r.unknown_keys(pt, PITFALL_KEYS, &base);
        let statement = r.string(pt, &pspan, "statement", &base);
        let phrases = match pt.get("phrases") {
            Some(v) => {
                let phrases = r.strings(v, &format!("{base}.phrases"));
                if phrases.is_empty() {
                    r.problem(v.span(), &format!("{base}.phrases"), "must not be empty");
                }
                phrases
            }
            None => {
                r.problem(pspan.clone(), &format!("{base}.phrases"), "missing");
                Vec::new()
            }
        };
        if let Some(statement) = statement {
            pitfalls.push(Pitfall { statement, phrases });
        }
    }
    pitfalls
}

/// A design round's requirements sheet: `[[questions.requirements]]` with `topic`, `answer` and
/// optionally `asks`.
fn read_requirements(r: &mut Reader<'_>, t: &Table<'_>, span: &Range<usize>) -> Vec<Requirement> {
    let mut sheet = Vec::new();
    for (i, (rt, rspan)) in r
        .tables(t, span, "requirements", "", false)
        .into_iter()
        .enumerate()
    {
        let base = format!("requirements[{i}]");
        r.unknown_keys(rt, REQUIREMENT_KEYS, &base);
        let topic = r.string(rt, &rspan, "topic", &base);
        let asks = rt
            .get("asks")
            .map(|v| r.strings(v, &format!("{base}.asks")))
            .unwrap_or_default();
        let answer = r.string(rt, &rspan, "answer", &base);
        if let (Some(topic), Some(answer)) = (topic, answer) {
            sheet.push(Requirement {
                topic,
                asks,
                answer,
            });
        }
    }
    sheet
}

/// A design round's figures: `[[questions.estimates]]` with `quantity`, `value`, `unit`, `how`.
fn read_estimates(r: &mut Reader<'_>, t: &Table<'_>, span: &Range<usize>) -> Vec<Estimate> {
    let mut estimates = Vec::new();
    for (i, (et, espan)) in r
        .tables(t, span, "estimates", "", false)
        .into_iter()
        .enumerate()
    {
        let base = format!("estimates[{i}]");
        r.unknown_keys(et, ESTIMATE_KEYS, &base);
        let quantity = r.string(et, &espan, "quantity", &base);
        let how = r.string(et, &espan, "how", &base);
        let unit = r.string(et, &espan, "unit", &base).and_then(|u| {
            u.parse::<EstimateUnit>()
                .map_err(|message| {
                    let span = et.get("unit").map_or(espan.clone(), |v| v.span());
                    r.problem(span, &format!("{base}.unit"), message)
                })
                .ok()
        });
        let value = match et.get("value") {
            None => {
                r.problem(espan.clone(), &format!("{base}.value"), "missing");
                None
            }
            Some(v) => {
                let value = v.get_ref();
                let number = value
                    .as_float()
                    .and_then(|f| f.as_str().parse::<f64>().ok())
                    .or_else(|| {
                        let n = value.as_integer()?;
                        i64::from_str_radix(n.as_str(), n.radix())
                            .ok()
                            .map(|n| n as f64)
                    });
                match number {
                    Some(n) if n.is_finite() && n > 0.0 => Some(n),
                    _ => {
                        let message = "must be a positive number";
                        r.problem(v.span(), &format!("{base}.value"), message);
                        None
                    }
                }
            }
        };
        if let (Some(quantity), Some(value), Some(unit), Some(how)) = (quantity, value, unit, how) {
            estimates.push(Estimate {
                quantity,
                value,
                unit,
                how,
            });
        }
    }
    estimates
}

fn read_follow_ups(
    r: &mut Reader<'_>,
    t: &Table<'_>,
    span: &Range<usize>,
    points: &[Point],
) -> Vec<FollowUp> {
    let mut follow_ups = Vec::new();
    for (i, (ft, fspan)) in r
        .tables(t, span, "follow_ups", "", true)
        .into_iter()
        .enumerate()
    {
        let base = format!("follow_ups[{i}]");
        r.unknown_keys(ft, FOLLOW_UP_KEYS, &base);
        let prompt = r.string(ft, &fspan, "prompt", &base);
        let model_answer = r.optional_string(ft, "model_answer", &base);
        let probes_field = format!("{base}.probes");
        let probes = match ft.get("probes") {
            Some(v) => {
                let probes = r.strings(v, &probes_field);
                if probes.is_empty() {
                    r.problem(v.span(), &probes_field, "must not be empty");
                }
                for probe in &probes {
                    if !points.iter().any(|p| &p.id == probe) {
                        let known: Vec<&str> = points.iter().map(|p| p.id.as_str()).collect();
                        let message = if known.is_empty() {
                            format!("probes point \"{probe}\", but the question has no points")
                        } else {
                            format!(
                                "probes point \"{probe}\", which the question does not have (its points: {})",
                                known.join(", ")
                            )
                        };
                        r.problem(v.span(), &probes_field, message);
                    }
                }
                probes
            }
            None => {
                r.problem(fspan.clone(), &probes_field, "missing");
                Vec::new()
            }
        };
        let fu_points = read_points(r, ft, &fspan, &base, "points");
        if let Some(prompt) = prompt {
            follow_ups.push(FollowUp {
                prompt,
                probes,
                model_answer,
                points: fu_points,
            });
        }
    }
    follow_ups
}
