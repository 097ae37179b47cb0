"""How many claims can be read alone: the share of claims whose statement has a subject.

    python benchmarks/statements.py samples/ path/to/seeds/            # folders of .txt articles
    python benchmarks/statements.py article.txt --show                # also list the claims that fail

A claim "has a subject" when the subject the parse gives it is part of its statement: inside the
statement's own pieces, or restored into it (a shared subject, an antecedent). For records
without a `statement` (claimx.claim/4 and earlier) the claim's own text stands in for it, which
is what a reader had before statements existed. The second figure counts only subjects that are
not a bare pronoun ("it", "they") unless the statement names its antecedent. Prints to stdout.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from claimx.pipeline import iter_records, load_pipeline

PRONOUNS = frozenset({"i", "you", "he", "she", "it", "we", "they", "this", "that", "these", "those"})


def article_files(paths: list[str]) -> list[Path]:
    """Every .txt file under the given files and folders, in sorted order."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        files.extend(sorted(path.rglob("*.txt")) if path.is_dir() else [path])
    return files


def subject_in_statement(record: dict) -> tuple[bool, bool]:
    """(has a subject, has a subject that is not a bare unresolved pronoun) for one record."""
    subject = record.get("subject")
    statement = record.get("statement")
    if statement is None:
        pieces = [{"start": record["start"], "end": record["end"], "role": "claim"}]
    else:
        pieces = statement["pieces"]
    if any(piece["role"] == "antecedent" for piece in pieces):
        return True, True
    if subject is None:
        return False, False
    inside = covers(pieces, subject["start"], subject["end"])
    return inside, inside and subject["text"].lower() not in PRONOUNS


def covers(pieces: list[dict], start: int, end: int) -> bool:
    """Whether the pieces cover input[start:end], allowing the one space between neighbours."""
    reached = start
    for piece in sorted(pieces, key=lambda piece: piece["start"]):
        if piece["start"] <= reached + 1 and piece["end"] > reached:
            reached = piece["end"]
    return reached >= end


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="article files (.txt) or folders of them")
    parser.add_argument("--show", action="store_true", help="list the claims without a subject")
    args = parser.parse_args()
    files = article_files(args.paths)
    nlp = load_pipeline()
    articles = [(str(file), file.read_text(encoding="utf-8")) for file in files]
    total = with_subject = with_named = 0
    for doc_id, records in iter_records(nlp, articles):
        for record in records:
            data = record.to_dict()
            has, named = subject_in_statement(data)
            total += 1
            with_subject += has
            with_named += named
            if args.show and not has:
                shown = (data.get("statement") or {}).get("text", data["text"])
                print(f"  no subject  {doc_id}#{data['sentence_index']}: {shown}")
    print(f"articles {len(files)}  claims {total}")
    print(f"statement has a subject:               {with_subject}/{total} = {with_subject / max(total, 1):.3f}")
    print(f"subject is not a bare pronoun:          {with_named}/{total} = {with_named / max(total, 1):.3f}")


if __name__ == "__main__":
    main()
