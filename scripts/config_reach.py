"""How far the config object travels: build the demo pipeline (tiny models, offline) with
``IPT2VPipeline.from_config`` under a profiler and list the stdt2v modules (the config
package aside) whose functions receive the whole config (the DictConfig root or a
``PipelineConfig``), a DictConfig section, or a section as a schema dataclass.

    python scripts/config_reach.py [--config configs/demo.yaml] [-v]

The stages should get the schema's dataclasses (``OmegaConf.to_object``), so the list stays
short: the issue's target is at most 12 modules.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from omegaconf import DictConfig

ROOT = Path(__file__).resolve().parent.parent


def trace_reach(config: str) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """{module: {function(argument), ...}} for every stdt2v function that got the config (the
    root, or a DictConfig section), and for those that got a schema dataclass section."""
    import dataclasses

    from stdt2v.config import PipelineConfig, load_config
    from stdt2v.config import schema as schema_module
    from stdt2v.pipeline import IPT2VPipeline

    cfg = load_config(config, ["progress=false"])
    reach: dict[str, set[str]] = defaultdict(set)
    sections: dict[str, set[str]] = defaultdict(set)

    def profile(frame, event, arg):  # noqa: ARG001 (the profiler's signature)
        if event != "call":
            return
        module = frame.f_globals.get("__name__", "")
        if not module.startswith("stdt2v") or module.startswith("stdt2v.config"):  # the config's own package builds it
            return
        code = frame.f_code
        for name in code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]:
            if name == "self":  # a config object's own methods
                continue
            value = frame.f_locals.get(name)
            if isinstance(value, (DictConfig, PipelineConfig)):
                what = "root" if value is cfg or isinstance(value, PipelineConfig) else "section"
                reach[module].add(f"{code.co_name}({name}: {what})")
            elif dataclasses.is_dataclass(value) and (type(value).__module__ == schema_module.__name__):
                sections[module].add(f"{code.co_name}({name}: {type(value).__name__})")

    sys.setprofile(profile)
    try:
        IPT2VPipeline.from_config(cfg)
    finally:
        sys.setprofile(None)
    return dict(reach), dict(sections)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(ROOT / "configs" / "demo.yaml"))
    parser.add_argument("-v", "--verbose", action="store_true", help="the functions, per module")
    args = parser.parse_args()
    reach, sections = trace_reach(args.config)
    print(f"the config, in any form, reaches {len(set(reach) | set(sections))} modules (stdt2v.config aside)")
    for title, found in (("the config (root or DictConfig section)", reach), ("a schema dataclass section", sections)):
        print(f"{title} reaches {len(found)} modules:")
        for module in sorted(found):
            print("  " + module + (": " + ", ".join(sorted(found[module])) if args.verbose else ""))


if __name__ == "__main__":
    main()
