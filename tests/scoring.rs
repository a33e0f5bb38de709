//! The offline scorer on real bank questions: genuine answers of different quality rank in
//! order, and padding — repeated keywords, the question pasted back, a list of every
//! buzzword — scores clearly below a real answer.

use mockingbird::bank::{Bank, Question};
use mockingbird::scoring::ScorerKind;
use mockingbird::scoring::{OfflineScorer, Rubric, Scorer};

struct Case {
    id: &'static str,
    /// A decent answer in a candidate's own words.
    real: &'static str,
    /// A shallow but honest answer.
    shallow: &'static str,
}

const CASES: &[Case] = &[
    Case {
        id: "what-is-an-index",
        real: "An index is like the index at the back of a book. The database keeps a B-tree of \
               the column's values in sorted order, and each entry points to the row. A lookup \
               walks down the tree, so it is logarithmic instead of a full table scan over the \
               whole table. The downside is that every insert has to update each index, so you \
               pay write overhead and the index takes disk space. It also won't help when the \
               column has low selectivity, like a status flag, or when the query reads most of \
               the rows anyway; then the planner prefers a sequential scan.",
        shallow: "An index makes lookups faster because the database does not have to look at \
                  every row. You should add one on columns you search by.",
    },
    Case {
        id: "url-shortener",
        real: "I would give every link a numeric id and encode it in base62, so 7 characters \
               give about 3.5 trillion codes, plenty for 100 million a month. To keep ids unique \
               across servers each app server leases a range of ids from a central counter, so \
               there is no coordination per request. Custom aliases go in the same table with a \
               unique constraint, so two people cannot claim the same alias. Since reads dominate \
               I'd cache hot links in Redis and at the CDN. For analytics every click event is \
               published to Kafka and aggregated asynchronously, off the redirect path. I'd \
               return 302 rather than 301, because a 301 is cached by the browser and we would \
               lose the clicks and could never change the target.",
        shallow: "I would store the long URL in a database with a random short code and redirect \
                  users when they open the short link. A cache helps with speed.",
    },
    Case {
        id: "authn-authz-sessions-jwt",
        real: "Authentication establishes who you are, authorization decides what you may do, \
               and it is checked on every request. With server-side sessions the browser holds \
               an opaque session id and the server keeps the state in a session store such as \
               Redis, which makes revocation instant but costs a lookup per call. A JWT carries \
               signed claims, so any service can verify the signature without a lookup, but it \
               stays valid until expiry. I would keep tokens in HttpOnly, Secure, SameSite \
               cookies rather than localStorage, which any XSS can read. To revoke, use short-lived \
               access tokens with rotating refresh tokens and a denylist for emergencies. Login \
               with an identity provider is OpenID Connect on top of the authorization code flow \
               with PKCE, and the ID token tells you who logged in.",
        shallow: "Authentication is logging in and authorization is permissions. JWT is a token \
                  you send in a header. Sessions are stored on the server.",
    },
];

fn setup() -> (Bank, OfflineScorer) {
    let bank = Bank::bundled().expect("bundled bank");
    let scorer = OfflineScorer::for_bank(&bank);
    (bank, scorer)
}

fn question<'a>(bank: &'a Bank, id: &str) -> &'a Question {
    bank.get(id).unwrap_or_else(|| panic!("no question {id}"))
}

fn overall(scorer: &OfflineScorer, q: &Question, answer: &str) -> f32 {
    scorer
        .score(&Rubric::for_question(q), answer)
        .scores
        .overall
}

/// Every concept phrase of the rubric, once each.
fn buzzwords(q: &Question) -> Vec<String> {
    q.points
        .iter()
        .flat_map(|p| p.concepts.iter().flatten().cloned())
        .collect()
}

#[test]
fn a_real_answer_beats_a_shallow_one_and_both_beat_nothing() {
    let (bank, scorer) = setup();
    for case in CASES {
        let q = question(&bank, case.id);
        let real = overall(&scorer, q, case.real);
        let shallow = overall(&scorer, q, case.shallow);
        assert!(real >= 6.0, "{}: real answer {real}", case.id);
        assert!(
            real >= shallow + 3.0,
            "{}: real {real} vs shallow {shallow}",
            case.id
        );
        assert!(
            shallow > 0.0,
            "{}: a shallow answer still earns something",
            case.id
        );
    }
}

#[test]
fn repeating_keywords_does_not_pay() {
    let (bank, scorer) = setup();
    for case in CASES {
        let q = question(&bank, case.id);
        let keywords: Vec<String> = q
            .points
            .iter()
            .filter_map(|p| p.concepts.first().and_then(|g| g.first()).cloned())
            .collect();
        let padded = vec![keywords.join(" "); 8].join(" ");
        let real = overall(&scorer, q, case.real);
        let score = overall(&scorer, q, &padded);
        assert!(
            score <= real - 3.0,
            "{}: repeated keywords {score} vs real {real}",
            case.id
        );
    }
}

#[test]
fn pasting_the_question_back_earns_nothing() {
    let (bank, scorer) = setup();
    for case in CASES {
        let q = question(&bank, case.id);
        let pasted = format!("{}\n{}", q.prompt, q.prompt);
        let score = overall(&scorer, q, &pasted);
        assert!(
            score <= 1.0,
            "{}: the pasted question scores {score}",
            case.id
        );
        // Quoting the question before a real answer costs the real answer nothing.
        let quoted = format!("{}\n\n{}", q.prompt, case.real);
        let real = overall(&scorer, q, case.real);
        assert!(
            (overall(&scorer, q, &quoted) - real).abs() <= 1.0,
            "{}: quoting the question changed the score",
            case.id
        );
    }
}

#[test]
fn a_list_of_every_buzzword_scores_clearly_below_a_real_answer() {
    let (bank, scorer) = setup();
    for case in CASES {
        let q = question(&bank, case.id);
        let list = buzzwords(q).join(", ");
        let bullets = buzzwords(q)
            .iter()
            .map(|b| format!("- {b}"))
            .collect::<Vec<_>>()
            .join("\n");
        let real = overall(&scorer, q, case.real);
        for (form, text) in [("comma list", &list), ("bullets", &bullets)] {
            let score = overall(&scorer, q, text);
            assert!(
                score <= real - 3.0,
                "{}: {form} {score} vs real {real}",
                case.id
            );
        }
    }
}

#[test]
fn buzzwords_strung_into_empty_sentences_score_clearly_below_a_real_answer() {
    let (bank, scorer) = setup();
    for case in CASES {
        let q = question(&bank, case.id);
        let words = buzzwords(q);
        let filler = format!(
            "It is important to think about {} and also {} in this case.",
            words.join(" and "),
            words.join(" as well as ")
        );
        let real = overall(&scorer, q, case.real);
        let score = overall(&scorer, q, &filler);
        assert!(
            score <= real - 3.0,
            "{}: filler {score} vs real {real}",
            case.id
        );
    }
}

#[test]
fn falling_into_a_pitfall_costs_points_and_is_named() {
    let (bank, scorer) = setup();
    let q = question(&bank, "url-shortener");
    let case = &CASES[1];
    let with_pitfall = format!(
        "{} Actually, to keep it simple, always use 301 since it is faster.",
        case.real
    );
    let clean = scorer.score(&Rubric::for_question(q), case.real);
    let flagged = scorer.score(&Rubric::for_question(q), &with_pitfall);
    assert!(flagged.scores.tradeoffs < clean.scores.tradeoffs);
    assert_eq!(flagged.pitfalls.len(), 1);
    assert!(flagged.feedback.iter().any(|f| f.starts_with("Watch out:")));
}

#[test]
fn a_pitfall_phrase_that_the_answer_negates_is_not_a_pitfall() {
    let (bank, scorer) = setup();
    let q = question(&bank, "url-shortener");
    let rubric = Rubric::for_question(q);
    for negated in [
        "You should never always use 301 here, because the browser caches it.",
        "I don't always use 301; a 302 keeps every click.",
        "Rather than always use 301, return 302 so clicks keep reaching us.",
    ] {
        let text = format!("{} {negated}", CASES[1].real);
        assert!(
            scorer.score(&rubric, &text).pitfalls.is_empty(),
            "{negated}"
        );
    }
    // The same phrase, stated, in the next sentence after a negation, is still a pitfall.
    let text = format!(
        "{} That is not hard. Always use 301 for speed.",
        CASES[1].real
    );
    assert_eq!(scorer.score(&rubric, &text).pitfalls.len(), 1);
}

#[test]
fn feedback_names_points_covered_and_missed() {
    let (bank, scorer) = setup();
    let q = question(&bank, "what-is-an-index");
    let a = scorer.score(&Rubric::for_question(q), CASES[0].shallow);
    assert!(!a.missed.is_empty());
    assert!(a.missed.iter().any(|p| p.id == "write-cost"));
    let a = scorer.score(&Rubric::for_question(q), CASES[0].real);
    assert!(a.covered.iter().any(|p| p.id == "write-cost"), "{a:#?}");
    assert_eq!(a.scorer, ScorerKind::Offline);
}

#[test]
fn scoring_is_deterministic() {
    let (bank, scorer) = setup();
    let q = question(&bank, "url-shortener");
    let a = scorer.score(&Rubric::for_question(q), CASES[1].real);
    let b = OfflineScorer::for_bank(&bank).score(&Rubric::for_question(q), CASES[1].real);
    assert_eq!(a, b);
}

#[test]
fn a_reference_answer_alone_is_enough_to_score() {
    let (_, scorer) = setup();
    let reference = "A CDN keeps copies of static assets on edge servers close to users, which \
                     cuts latency and offloads the origin; the trade-off is cache invalidation \
                     when content changes, handled with TTLs, purges or fingerprinted file names.";
    let rubric = Rubric::from_reference("What does a CDN do?", reference);
    let good = "Edge servers near the users cache copies of the static files, so latency drops \
                and the origin gets less load. When files change you purge them or use \
                fingerprinted names, or wait for the TTL.";
    let off_topic = "I would use a relational database with foreign keys and normalise the \
                     schema to third normal form.";
    let good = scorer.score(&rubric, good).scores.overall;
    let off = scorer.score(&rubric, off_topic).scores.overall;
    assert!(good >= 5.0, "good {good}");
    assert!(off <= 2.0, "off-topic {off}");
}

/// The answer from the issue that started the meaning evidence: right on every point of the
/// rubric, in everyday words.
const EVERYDAY_INDEX: &str = include_str!("data/everyday-index-answer.txt");

/// The same ground as a list of the rubric's terms.
const BUZZWORD_INDEX: &str = "An index is a B-tree, kept in sorted order. Full table scan vs log \
    n. Slower writes, disk space. Low selectivity. Function on the column.";

#[test]
fn a_correct_answer_in_everyday_words_earns_a_pass_and_a_list_of_terms_does_not() {
    let (bank, scorer) = setup();
    let q = question(&bank, "what-is-an-index");
    let everyday = overall(&scorer, q, EVERYDAY_INDEX);
    let list = overall(&scorer, q, BUZZWORD_INDEX);
    assert!(everyday >= 6.0, "everyday words: {everyday}");
    assert!(list <= 3.0, "list of terms: {list}");
}

#[test]
fn covered_points_quote_the_sentence_that_earned_them() {
    let (bank, scorer) = setup();
    let q = question(&bank, "what-is-an-index");
    let a = scorer.score(&Rubric::for_question(q), EVERYDAY_INDEX);
    let writes = a
        .covered
        .iter()
        .chain(&a.partial)
        .find(|p| p.id == "write-cost")
        .expect("the cost of writes is credited");
    let quote = writes.evidence.as_deref().expect("a quote");
    assert!(
        quote.starts_with("The catch: whenever you insert"),
        "{quote}"
    );
    assert!(a.missed.iter().all(|p| p.evidence.is_none()));
}

#[test]
fn an_offline_grade_says_it_is_provisional() {
    let (bank, scorer) = setup();
    let a = scorer.score(
        &Rubric::for_question(question(&bank, "what-is-an-index")),
        EVERYDAY_INDEX,
    );
    assert!(
        a.notes
            .iter()
            .any(|n| n.contains("provisional") && n.contains("cannot check that a claim is true")),
        "{:?}",
        a.notes
    );
}

/// On the development set written for tuning (`eval/tune.csv`, never the held-out one), a
/// strong answer in everyday words outranks a list of terms on nearly every question.
#[test]
fn everyday_words_outrank_buzzword_lists_on_the_tuning_set() {
    use mockingbird::eval::{orderings, read_rows, run};
    let (bank, scorer) = setup();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/tune.csv");
    let rows = read_rows(&path, 5.0).expect("eval/tune.csv");
    let scored = run(&rows, &bank, &scorer, 5);
    let everyday_over_list = orderings(&scored)
        .into_iter()
        .find(|o| o.higher == "strong-everyday" && o.lower == "buzzword")
        .expect("both kinds are in the set");
    assert!(everyday_over_list.share >= 0.9, "{everyday_over_list:?}");
}

#[test]
fn one_off_rubrics_do_not_grow_the_scorer_without_bound() {
    // Every LLM-written follow-up brings a rubric of its own; a long-running bot sees
    // thousands of them.
    let bank = Bank::bundled().unwrap();
    let scorer = OfflineScorer::for_bank(&bank);
    let question = &bank.questions()[0];
    for n in 0..1_500 {
        let mut rubric = Rubric::for_question(question);
        rubric.question_id = format!("{}#written-{n}", question.id);
        rubric.prompt = format!("{} (follow-up {n})", rubric.prompt);
        scorer.score(&rubric, "An index keeps a sorted copy of a column.");
    }
    let kept = scorer.compiled_rubrics();
    assert!(kept <= 512, "{kept} compiled rubrics kept");
    assert!(kept >= 100, "recent rubrics stay compiled: {kept}");
}
