#!/usr/bin/env python3
"""Convert the English SAF (Short Answer Feedback) data set to the scorer's CSV format.

Data set
    SAF, English part: short answers from a university course on communication
    networks (TCP/UDP, data link layer, routing, IPv6, SDN, queueing, ...), each
    with its question, one reference answer and a human score.
    Filighera, Parihar, Steuer, Meuser, Ochs: "Your Answer is Incorrect... Would
    you like to know why? Introducing a Bilingual Short Answer Feedback Dataset",
    ACL 2022, https://aclanthology.org/2022.acl-long.587

Where to get it
    GitHub repository SebOchs/SAF (https://github.com/SebOchs/SAF), file
    SAF2_0.zip ("Short Answer Feedback v2.0", English only), as of commit
    09949e912d266777a752ac7d51cfcddb4b3f6978. This version has the same 31
    questions and split sizes as the later Hugging Face release
    Short-Answer-Feedback/saf_communication_networks_english ("version 3.0"),
    which is stored as Parquet and is not read here.

Licence
    The repository's LICENSE file is the MIT licence ("Copyright (c) 2021
    Sebastian Ochs, Anna Filighera"); the Hugging Face dataset card of the same
    data declares "license: cc-by-4.0". Keep the attribution above with any
    copy of the data or of the CSV. The data is not stored in this repository.

Splits
    SAF2_0 has training/, unseen_answers/ (new answers to the 26 training
    questions) and unseen_questions/ (5 questions absent from training). By
    default both test splits are written (375 + 479 = 854 rows, 31 questions);
    --split picks one. The training split is never written.

Output
    RFC 4180 CSV with header question,reference_answer,answer,human_score.
    human_score is the data set's own score, in points: most questions are worth
    1 point, a few 0.5, 1.5, 2, 2.5 or 3.5, so the scale is not the same for every
    row. --extra-columns appends split,question_id,answer_id,max_points,label,
    where max_points is the highest score given to an answer labelled "Correct"
    for that question (in any split) and label is the data set's
    verification_feedback (Correct / Partially correct / Incorrect).

Command
    python3 eval/public/convert_saf_cn_en.py SOURCE OUTPUT.csv [--split S] [--extra-columns]
        [--scale N]

    SOURCE is SAF2_0.zip, the folder it unpacks to (SAF2_0/), or a folder that
    holds SAF2_0.zip, e.g.:

    git --git-dir=SAF.git show 09949e912d266777a752ac7d51cfcddb4b3f6978:SAF2_0.zip \
        > /tmp/public-data/saf_cn_en/SAF2_0.zip
    python3 eval/public/convert_saf_cn_en.py /tmp/public-data/saf_cn_en/SAF2_0.zip \
        /tmp/public-data/saf_cn_en.csv --scale 5
    mockingbird eval --data /tmp/public-data/saf_cn_en.csv --scale 5

Only the Python 3 standard library is used.
"""

import argparse
import csv
import os
import sys
import xml.etree.ElementTree as ET
import zipfile

TEST_SPLITS = ("unseen_answers", "unseen_questions")
ALL_SPLITS = ("training",) + TEST_SPLITS
HEADER = ["question", "reference_answer", "answer", "human_score"]
EXTRA = ["split", "question_id", "answer_id", "max_points", "label"]


def read_sources(source):
    """Yield (split, file name, xml bytes) for every question file in SOURCE."""
    if os.path.isdir(source):
        inner = os.path.join(source, "SAF2_0.zip")
        if os.path.isfile(inner):
            source = inner
        else:
            root = source
            if os.path.isdir(os.path.join(root, "SAF2_0")):
                root = os.path.join(root, "SAF2_0")
            for split in ALL_SPLITS:
                folder = os.path.join(root, split)
                if not os.path.isdir(folder):
                    continue
                for name in sorted(os.listdir(folder)):
                    if name.endswith(".xml"):
                        with open(os.path.join(folder, name), "rb") as fh:
                            yield split, name, fh.read()
            return
    with zipfile.ZipFile(source) as zf:
        for info in sorted(zf.infolist(), key=lambda i: i.filename):
            parts = info.filename.strip("/").split("/")
            if len(parts) < 2 or not parts[-1].endswith(".xml"):
                continue
            split = parts[-2]
            if split in ALL_SPLITS:
                yield split, parts[-1], zf.read(info)


def text(element):
    return (element.text or "").strip() if element is not None else ""


def parse(blob):
    """Return (question id, question, reference answer, [answers])."""
    root = ET.fromstring(blob)
    qid = root.get("id", "")
    question = text(root.find("questionText"))
    refs = [text(r) for r in root.findall("./referenceAnswers/referenceAnswer")]
    refs = [r for r in refs if r]
    if len(refs) != 1:
        raise ValueError("question %s has %d reference answers" % (qid, len(refs)))
    answers = []
    for sa in root.findall("./studentAnswers/studentAnswer"):
        answers.append(
            {
                "id": sa.get("id", ""),
                "answer": text(sa.find("response")),
                "score": text(sa.find("score")),
                "label": text(sa.find("verification_feedback")),
            }
        )
    return qid, question, refs[0], answers


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", help="SAF2_0.zip, its unpacked folder, or a folder holding it")
    ap.add_argument("output", help="CSV file to write")
    ap.add_argument(
        "--split",
        choices=TEST_SPLITS + ("both",),
        default="both",
        help="test split(s) to write (default: both)",
    )
    ap.add_argument("--extra-columns", action="store_true", help="append " + ",".join(EXTRA))
    ap.add_argument(
        "--scale",
        type=float,
        help="write human_score as a share of the question's full marks (max_points) on "
        "0..SCALE, capped at SCALE, so every row has the same scale (e.g. --scale 5 for "
        "`mockingbird eval --scale 5`)",
    )
    args = ap.parse_args(argv)

    wanted = TEST_SPLITS if args.split == "both" else (args.split,)
    parsed = []  # (split, qid, question, reference, answers)
    for split, name, blob in read_sources(args.source):
        qid, question, reference, answers = parse(blob)
        parsed.append((split, qid, question, reference, answers))
    if not any(p[0] in wanted for p in parsed):
        sys.exit("no %s files found in %s" % ("/".join(wanted), args.source))

    # Full marks per question: highest score of an answer labelled Correct.
    correct_max, any_max = {}, {}
    for _split, qid, _q, _r, answers in parsed:
        for a in answers:
            s = float(a["score"])
            any_max[qid] = max(any_max.get(qid, s), s)
            if a["label"] == "Correct":
                correct_max[qid] = max(correct_max.get(qid, s), s)

    order = {s: i for i, s in enumerate(wanted)}
    rows, questions, skipped = 0, set(), 0
    with open(args.output, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)  # excel dialect: RFC 4180 quoting, CRLF line ends
        writer.writerow(HEADER + (EXTRA if args.extra_columns else []))
        for split, qid, question, reference, answers in sorted(
            (p for p in parsed if p[0] in wanted), key=lambda p: (order[p[0]], p[1])
        ):
            for a in answers:
                if not a["answer"]:
                    skipped += 1
                    continue
                top = correct_max.get(qid, any_max[qid])
                score = a["score"]
                if args.scale:
                    score = "%.4g" % min(args.scale, float(score) / top * args.scale)
                row = [question, reference, a["answer"], score]
                if args.extra_columns:
                    row += [split, qid, a["id"], "%g" % top, a["label"]]
                writer.writerow(row)
                rows += 1
                questions.add(qid)
    print(
        "wrote %d rows, %d questions (%s) to %s%s"
        % (rows, len(questions), "+".join(wanted), args.output,
           "; skipped %d empty answers" % skipped if skipped else ""),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
