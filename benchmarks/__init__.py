"""The benchmark harnesses behind ``scripts/bench_*.py``, ``scripts/gpu_check.py`` and
``scripts/gpu_smoke.py``: timing, the model clock, per-step FLOPs and throughput, the real-size
smoke run and the GPU check. Not part of the installed package; run the scripts from the
repository root as modules (``python -m scripts.bench_denoise ...``)."""
