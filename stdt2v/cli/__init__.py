"""``stdt2v`` command line. The parser and ``main`` are in ``command.py`` (it imports nothing
heavy, so ``stdt2v --help`` answers without torch); the verbs are in ``run.py`` (generate,
decouple, faces), ``evaluate.py`` and ``jobs.py`` (batch, report, train, plan, hyperlora, app),
each imported when its verb runs."""

from stdt2v.cli.command import build_parser, main

__all__ = ["build_parser", "main"]
