"""The best precision any generic reader can reach on the listings corpus at the recall target.

usage: python benchmarks/listings_ceiling.py [MIN_RECALL]

Some files of ../shared/corpus/listings are the same page saved several times
(only form state and view links differ), each labelled by a spider for one
committee. A reader without per-file code reads the same meetings from each
copy, and the scorer counts them against every copy whose labelled range
holds them. Even a reader that output only meetings some spider labelled
(the best case: no unlabelled meeting at all) must take the meetings it
needs for the recall target from those pages; this picks the cheapest ones
and prints the precision that leaves, for the whole corpus.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LISTINGS = next((p / "shared" / "corpus" / "listings" for p in ROOT.parents
                 if (p / "shared" / "corpus" / "listings").is_dir()), ROOT.parent / "shared" / "corpus" / "listings")
_VOLATILE = re.compile(r"(?is)<script.*?</script>|<input[^>]*>|<form[^>]*>|<a [^>]*>")


def wall(text: str) -> tuple[str, str | None]:
    found = re.match(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?", text)
    assert found, text
    return found.group(1), found.group(2)


def main() -> None:
    min_recall = float(sys.argv[1]) if len(sys.argv) > 1 else 0.80
    rows = [json.loads(line) for line in (LISTINGS / "labels.jsonl").open()]
    copies: dict[str, list[dict]] = {}
    for row in rows:
        body = (LISTINGS / "pages" / row["name"]).read_bytes().decode("utf-8", "replace")
        copies.setdefault(hashlib.sha1(_VOLATILE.sub("", body).encode()).hexdigest(), []).append(row)
    total = sum(len(r["events"]) for r in rows)
    shared = [group for group in copies.values() if len(group) > 1]
    elsewhere = total - sum(len(r["events"]) for group in shared for r in group)
    # (labels a meeting satisfies, copies whose labelled range holds it) for each meeting of a shared page
    meetings: list[tuple[int, int]] = []
    for group in shared:
        labelled = Counter(wall(e["start"]) for r in group for e in r["events"])
        spans = [(min(d), max(d)) for d in ([wall(e["start"])[0] for e in r["events"]] for r in group)]
        meetings += [(n, sum(lo <= m[0] <= hi for lo, hi in spans)) for m, n in labelled.items()]
        print(f"{len(group)} copies of one page ({group[0]['name']} ...): "
              f"{sum(len(r['events']) for r in group)} labels")
    need = min_recall * total - elsewhere
    hits = counted = 0
    for n, cost in sorted(meetings, key=lambda m: m[1] / m[0]):
        if hits >= need:
            break
        hits, counted = hits + n, counted + cost
    best = (elsewhere + hits) / (elsewhere + counted)
    print(f"{total} labels, {elsewhere} on pages saved once; recall {min_recall:.2f} needs {need:.0f} "
          f"from the copied pages, which count {counted} extracted meetings against precision")
    print(f"ceiling: precision {best:.3f} at recall {min_recall:.2f}, for a reader perfect everywhere else")


if __name__ == "__main__":
    main()
