#!/usr/bin/env python3
"""Build a graded evaluation CSV from one or more TOML files of written answers.

Each input file holds `[[answers]]` tables with `question` (a bank question id), `kind` (one of
KINDS), `grade` (0-5, whole or half points) and `answer` (the candidate's text). The script adds
each question's model answer, copied verbatim from the bank (questions/*.toml), as
`reference_answer`, checks the data, writes the CSV (RFC 4180, header row) and prints counts.

    python3 eval/build_set.py OUT.csv IN.toml [IN.toml ...]
"""

import collections
import csv
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("strong-standard", "strong-everyday", "partial", "misconception", "buzzword")
MIN_WORDS, MAX_WORDS = 5, 400


def load_bank():
    bank = {}
    for path in sorted((ROOT / "questions").glob("*.toml")):
        with path.open("rb") as f:
            for q in tomllib.load(f)["questions"]:
                bank[q["id"]] = q
    return bank


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out, inputs = Path(argv[1]), [Path(p) for p in argv[2:]]
    bank = load_bank()
    rows, problems = [], []
    for path in inputs:
        with path.open("rb") as f:
            answers = tomllib.load(f).get("answers", [])
        for i, a in enumerate(answers, 1):
            where = f"{path}: answer {i}"
            q = bank.get(a.get("question"))
            if q is None:
                problems.append(f"{where}: unknown question {a.get('question')!r}")
                continue
            if a.get("kind") not in KINDS:
                problems.append(f"{where}: kind must be one of {', '.join(KINDS)}")
            grade = a.get("grade")
            if not isinstance(grade, (int, float)) or not 0 <= grade <= 5 or grade * 2 != int(grade * 2):
                problems.append(f"{where}: grade must be 0-5 in half points, not {grade!r}")
            text = str(a.get("answer", "")).strip()
            words = len(text.split())
            if not MIN_WORDS <= words <= MAX_WORDS:
                problems.append(f"{where}: {words} words (expected {MIN_WORDS}-{MAX_WORDS})")
            rows.append((q["id"], q["model_answer"].strip(), text, grade, a.get("kind")))
    if problems:
        sys.exit("\n".join(problems))
    with out.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["question", "reference_answer", "answer", "human_score", "kind"])
        for r in rows:
            w.writerow([r[0], r[1], r[2], f"{r[3]:g}", r[4]])
    by_kind = collections.defaultdict(list)
    for r in rows:
        by_kind[r[4]].append(r[3])
    print(f"{out}: {len(rows)} answers to {len({r[0] for r in rows})} questions")
    for k in KINDS:
        g = by_kind.get(k, [])
        if g:
            print(f"  {k:16} {len(g):4} answers, mean grade {sum(g) / len(g):.2f}")


if __name__ == "__main__":
    main(sys.argv)
