"""How well the listing reader's confidence says what share of its events are real, by hand.

usage: python benchmarks/listing_confidence.py [--fit]

Reads every page of ../shared/corpus/listings with the listing reader, keeping
every block it finds (no confidence floor), and marks each event dated within
its page's labelled range right when a labelled meeting starts that day (files
saved from one address pooled, as `score_listings.py` scores them). Prints the
precision per confidence band, over all pages and without Grand Rapids (whose
calendar lists committees no spider labels, so its "wrong" events are mostly
real meetings), and without the calendars whose labels leave out meetings they
list (`PARTLY_LABELLED`: Grand Rapids; Atlanta's council page, labelled once per
committee and pooled by day, so a second committee's meeting on a day already
matched counts wrong; MARTA's board page, whose committee meetings no spider
labels). `--fit` fits the evidence weights (a logistic model, plain
gradient descent) on these pages and prints them for `_WEIGHTS` in
scrapers/listing.py. `--cross-check` asks whether such a fit would generalise:
the pages split in halves five ways, weights fitted on one half, and on the
other half the mean band error (events' mean confidence against precision, per
band, weighted by events) of the fitted weights, of the weights in
scrapers/listing.py and of one constant (the fitting half's precision).
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections import Counter, defaultdict
from dataclasses import fields
from pathlib import Path

from eventscout.scrapers import Page, listing


def _corpus() -> Path:
    for folder in Path(__file__).resolve().parents[1].parents:
        candidate = folder / "shared" / "corpus" / "listings"
        if candidate.is_dir():
            return candidate
    raise SystemExit("the listings corpus (../shared/corpus/listings) is not present")


def _read_all(path: Path, url: str) -> list[tuple[object, listing._Evidence]]:
    """Every event the reader finds on the page, with its evidence, before any floor."""
    seen: list[listing._Evidence] = []
    confidence, floor = listing._confidence, listing._MIN_CONFIDENCE

    def record(evidence):
        seen.append(evidence)
        return confidence(evidence)

    listing._confidence, listing._MIN_CONFIDENCE = record, -1.0
    try:
        events = listing.read(Page(path.read_bytes(), url or path.resolve().as_uri()))
    finally:
        listing._confidence, listing._MIN_CONFIDENCE = confidence, floor
    return list(zip(events, seen))


def samples() -> list[tuple[listing._Evidence, bool, str]]:
    """(evidence, right, page) for every event dated within its page's labelled range."""
    corpus = _corpus()
    groups: dict[str, list[dict]] = defaultdict(list)
    for line in (corpus / "labels.jsonl").read_text().splitlines():
        row = json.loads(line)
        if (corpus / "pages" / row["name"]).exists():
            groups[row.get("url") or row["name"]].append(row)
    out = []
    for members in groups.values():
        days = Counter()
        for row in members:
            days |= Counter(e["start"][:10] for e in row["events"])
        lo, hi = min(days), max(days)
        readings = [_read_all(corpus / "pages" / r["name"], r.get("url") or "") for r in members]
        best = max(readings, key=len)  # the scorer keeps the copy read most fully
        left = Counter(days)
        for event, evidence in best:
            day = event.start.isoformat()[:10]
            if lo <= day <= hi:
                right = left[day] > 0
                left[day] -= right
                out.append((evidence, right, members[0]["name"]))
    return out


def _vector(evidence) -> list[float]:
    return [1.0] + [float(getattr(evidence, f.name)) for f in fields(evidence)]


def fit(data, rounds: int = 3000, rate: float = 0.5) -> list[float]:
    xs = [_vector(e) for e, _, _ in data]
    ys = [1.0 if right else 0.0 for _, right, _ in data]
    w = [0.0] * len(xs[0])
    for _ in range(rounds):
        grad = [0.0] * len(w)
        for x, y in zip(xs, ys):
            p = 1 / (1 + math.exp(-sum(a * b for a, b in zip(w, x))))
            for i, xi in enumerate(x):
                grad[i] += (p - y) * xi
        w = [wi - rate * g / len(xs) for wi, g in zip(w, grad)]
    return w


def table(data, title: str) -> None:
    bands: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for evidence, right, _ in data:
        c = listing._confidence(evidence)
        if c < listing._MIN_CONFIDENCE:
            continue
        band = bands[min(int(c * 10), 9)]
        band[0] += 1
        band[1] += right
    print(title)
    print("  band       events  precision")
    for b in sorted(bands):
        n, k = bands[b]
        print(f"  {b / 10:.1f}-{(b + 1) / 10:.1f}   {n:6d}  {k / n:.3f}")


def band_error(pairs: list[tuple[float, bool]]) -> float:
    """Mean over events of |mean confidence - precision| of the event's band."""
    bands: dict[int, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for c, right in pairs:
        band = bands[min(int(c * 10), 9)]
        band[0] += 1
        band[1] += right
        band[2] += c
    return sum(abs(k - c) for _, k, c in bands.values()) / len(pairs)


def cross_check(data) -> None:
    kept = [d for d in data if listing._confidence(d[0]) >= listing._MIN_CONFIDENCE and "grand-rapids" not in d[2]]
    pages = sorted({p for _, _, p in kept})
    errors: dict[str, list[float]] = defaultdict(list)
    for seed in range(5):
        order = pages[:]
        random.Random(seed).shuffle(order)
        for chosen in (set(order[:len(order) // 2]), set(order[len(order) // 2:])):
            train = [d for d in kept if d[2] in chosen]
            test = [d for d in kept if d[2] not in chosen]
            w = fit(train)
            share = sum(right for _, right, _ in train) / len(train)
            errors["fitted"].append(band_error(
                [(1 / (1 + math.exp(-sum(a * b for a, b in zip(w, _vector(e))))), r) for e, r, _ in test]))
            errors["by hand"].append(band_error([(listing._confidence(e), r) for e, r, _ in test]))
            errors["constant"].append(band_error([(share, r) for _, r, _ in test]))
    print("mean band error on the held-out half (5 splits x 2 halves, Grand Rapids left out)")
    for name, values in errors.items():
        print(f"  {name:9s} {sum(values) / len(values):.3f}  (" + ", ".join(f"{v:.3f}" for v in values) + ")")


#: pages whose labels leave out meetings the calendar lists (checked by hand: the events counted
#: wrong there are committees' meetings)
PARTLY_LABELLED = ("grand-rapids", "atl_city_council", "atl_marta_board")


def main() -> None:
    data = samples()
    if "--cross-check" in sys.argv:
        cross_check(data)
        return
    if "--fit" in sys.argv:
        w = fit([d for d in data if "grand-rapids" not in d[2]])
        names = [f.name for f in fields(listing._Evidence)]
        print("_BIAS =", round(w[0], 2))
        print("_WEIGHTS =", {n: round(x, 2) for n, x in zip(names, w[1:])})
        return
    table(data, "all pages")
    table([d for d in data if "grand-rapids" not in d[2]], "without Grand Rapids")
    table([d for d in data if not any(name in d[2] for name in PARTLY_LABELLED)],
          "without the calendars labelled for some of their bodies")


if __name__ == "__main__":
    main()
