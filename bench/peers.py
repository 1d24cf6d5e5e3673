"""Runs one peer over the news workload's quotes and prints one JSON line per
quote as it goes, so that a peer stopped at its time budget still reports
what it finished.

    python bench/peers.py PEER QUOTES.json SOURCE.txt
    python bench/peers.py oracle PATTERNS.json NORMALISED.txt


PEER is fuzzysearch, edlib, rapidfuzz or quotecheck, each called the way its
users call it on one quote and one source text:

- fuzzysearch: find_near_matches(quote, text, max_l_dist=k), with k the
  workload's own edit budget (5% of the quote, at least 1);
- edlib: align(quote, text, mode="HW", task="locations") on UTF-8 bytes; its
  editDistance is the oracle for the optimal edit distance;
- rapidfuzz: fuzz.partial_ratio_alignment(quote, text);
- quotecheck: quotecheck.check(quote, text).

The first line names the peer and its version; the source is read once,
before the clock starts, as every peer's users would have it in memory.
"""

import json
import math
import sys
import time
from importlib.metadata import version


def oracle(patterns_path, text_path) -> int:
    """edlib's optimal infix distance for each pattern, on citelint's own
    normalised text: the same strings citelint aligns, so the two distances
    must be equal."""
    import edlib

    data = open(text_path, encoding="utf-8").read().encode("utf-8")
    for p in json.load(open(patterns_path, encoding="utf-8")):
        r = edlib.align(p["pattern"].encode("utf-8"), data, mode="HW", task="distance")
        print(json.dumps({"id": p["id"], "distance": r["editDistance"]}), flush=True)
    return 0


def main() -> int:
    if sys.argv[1] == "oracle":
        return oracle(sys.argv[2], sys.argv[3])
    peer, quotes_path, source_path = sys.argv[1:4]
    quotes = json.load(open(quotes_path, encoding="utf-8"))
    text = open(source_path, encoding="utf-8").read()
    package = {"fuzzysearch": "fuzzysearch", "edlib": "edlib", "rapidfuzz": "rapidfuzz", "quotecheck": "quotecheck"}[peer]
    print(json.dumps({"peer": peer, "version": version(package)}), flush=True)
    run = runner(peer, text)
    for q in quotes:
        start = time.perf_counter()
        try:
            found, distance = run(q["quote"])
            status = "ok"
        except Exception as e:  # a peer that fails on a quote is reported, not timed
            found, distance, status = False, None, f"error: {type(e).__name__}: {e}"
        seconds = time.perf_counter() - start
        print(json.dumps({"id": q["id"], "found": found, "distance": distance, "seconds": seconds, "status": status}), flush=True)
    return 0


def runner(peer, text):
    if peer == "fuzzysearch":
        from fuzzysearch import find_near_matches

        def run(quote):
            budget = max(1, math.ceil(0.05 * len(quote)))
            matches = find_near_matches(quote, text, max_l_dist=budget)
            if not matches:
                return False, None
            return True, min(m.dist for m in matches)

        return run
    if peer == "edlib":
        import edlib

        data = text.encode("utf-8")

        def run(quote):
            r = edlib.align(quote.encode("utf-8"), data, mode="HW", task="locations")
            return r["editDistance"] == 0, r["editDistance"]

        return run
    if peer == "rapidfuzz":
        from rapidfuzz import fuzz

        def run(quote):
            r = fuzz.partial_ratio_alignment(quote, text)
            return r.score == 100.0, None

        return run
    if peer == "quotecheck":
        import quotecheck

        def run(quote):
            m = quotecheck.check(quote, text)
            return m.ok, None

        return run
    raise SystemExit(f"unknown peer {peer}")


if __name__ == "__main__":
    sys.exit(main())
