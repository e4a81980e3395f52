#!/usr/bin/env python3
"""Recount an election from its published tally file, with Python's standard library only.

    python3 recount.py depouillement-12.json --sha256 3f5a…

1. The SHA-256 of the file is computed and compared with the one the collectivité published (results page, API,
   audit log): a file changed after the count does not match.
2. The ballots listed in the file are counted again — per kind (exprimé, blanc, nul), per channel, per polling
   station — and compared with the totals the file declares.
3. The valid ballots are counted again by the method the schema names — ``choices``: one vote for each option a
   ballot lists (single choice, multiple choice, yes/no); ``ranking``: a ballot ranking r options gives r points to
   its first, r-1 to its second… and one to its last (and a first preference to its first) — and compared with the
   results the file declares.

It prints what it found and ends with « Décompte conforme. » (exit status 0) or the list of differences (exit 1).
This file is published as it is (docs/services/ballots.md); it imports nothing from Participe.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def count_totals(ballots: list[dict[str, Any]]) -> dict[str, Any]:
    kinds: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    stations: Counter[str] = Counter()
    for ballot in ballots:
        kinds[ballot["kind"]] += ballot["count"]
        channels[ballot["channel"]] += ballot["count"]
        if ballot.get("station") is not None:
            stations[str(ballot["station"])] += ballot["count"]
    return {"ballots": sum(kinds.values()), "by_kind": kinds, "by_channel": channels, "by_station": stations}


def count_choices(ballots: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    votes: Counter[str] = Counter()
    for ballot in ballots:
        if ballot["kind"] == "valid":
            for option in ballot["content"]["choices"]:
                votes[str(option)] += ballot["count"]
    return {"votes": dict(votes)}


def count_ranking(ballots: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    points: Counter[str] = Counter()
    first: Counter[str] = Counter()
    for ballot in ballots:
        if ballot["kind"] != "valid":
            continue
        ranking = [str(option) for option in ballot["content"]["ranking"]]
        for place, option in enumerate(ranking):
            points[option] += (len(ranking) - place) * ballot["count"]
        if ranking:
            first[ranking[0]] += ballot["count"]
    return {"points": dict(points), "votes": dict(first)}


METHODS = {"choices": count_choices, "ranking": count_ranking}


def compare_totals(declared: dict[str, Any], found: dict[str, Any]) -> list[str]:
    problems = []
    if declared["ballots"] != found["ballots"]:
        problems.append(f"bulletins : {declared['ballots']} déclarés, {found['ballots']} comptés")
    for kind, number in declared["by_kind"].items():
        if number != found["by_kind"].get(kind, 0):
            problems.append(f"{kind} : {number} déclarés, {found['by_kind'].get(kind, 0)} comptés")
    for channel, number in declared["by_channel"].items():
        if number != found["by_channel"].get(channel, 0):
            problems.append(f"canal {channel} : {number} déclarés, {found['by_channel'].get(channel, 0)} comptés")
    named = set(found["by_station"])
    for station in declared["by_station"]:
        key = str(station["id"])
        if key in named and station["ballots"] != found["by_station"][key]:
            problems.append(f"bureau {station['name']} : {station['ballots']} déclarés, {found['by_station'][key]}")
        if station["ballots"] != station["signed"]:
            problems.append(
                f"bureau {station['name']} : {station['signed']} émargements, {station['ballots']} bulletins"
            )
    return problems


def compare_results(declared: dict[str, Any], found: dict[str, dict[str, int]]) -> list[str]:
    problems = []
    for option in declared.get("options", []):
        key = str(option["id"])
        for measure in ("votes", "points"):
            if measure in found and measure in option and option[measure] != found[measure].get(key, 0):
                problems.append(
                    f"option {option.get('title', key)} : {option[measure]} {measure} déclarés, "
                    f"{found[measure].get(key, 0)} recomptés"
                )
    return problems


def recount(path: Path, expected_sha256: str | None) -> int:
    digest = sha256_of(path)
    print(f"SHA-256 du fichier : {digest}")
    problems = []
    if expected_sha256 and expected_sha256.lower() != digest:
        problems.append(f"l'empreinte publiée ({expected_sha256}) n'est pas celle du fichier")
    tally = json.loads(path.read_text(encoding="utf-8"))
    ballots = tally["ballots"]
    totals = count_totals(ballots)
    print(f"Scrutin : {tally['election']['title']}")
    print(f"Bulletins : {totals['ballots']} ({', '.join(f'{k} {v}' for k, v in sorted(totals['by_kind'].items()))})")
    problems += compare_totals(tally["totals"], totals)
    method = METHODS.get(tally["schema"].get("method", ""))
    if method is None:
        problems.append(f"méthode de décompte inconnue : {tally['schema'].get('method')!r}")
    else:
        found = method(ballots)
        titles = {str(o["id"]): o.get("title", o["id"]) for o in tally["schema"].get("options", [])}
        for key, title in titles.items():
            figures = ", ".join(f"{found[m].get(key, 0)} {m}" for m in found)
            print(f"  {title} : {figures}")
        problems += compare_results(tally["results"]["overall"], found)
    if problems:
        print("Écarts :")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print("Décompte conforme.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Recompte un scrutin à partir de son fichier de dépouillement.")
    parser.add_argument("file", type=Path, help="le fichier de dépouillement (JSON)")
    parser.add_argument("--sha256", help="l'empreinte SHA-256 publiée par la collectivité")
    args = parser.parse_args(argv)
    return recount(args.file, args.sha256)


if __name__ == "__main__":
    sys.exit(main())
