"""Random seeds, one policy in one place: the range a seed may take and how the run derives its other seeds.

A seed is an integer in ``0..MAX_SEED`` (2^64 - 1), the range ``torch.Generator.manual_seed``
takes. The run derives more seeds from the one it is given by adding an offset:

* keyframe candidate ``i`` draws with ``seed + i``;
* the video stage draws with ``seed + ANIMATE_OFFSET`` (1), an identity-guard retry ``k`` with
  ``seed + 1 + GUARD_RETRY_STRIDE·k`` (1000·k);
* a batch item's ``seed`` is the run's ``seed`` plus a stable offset below ``ITEM_OFFSETS``
  (10^6) from its key (``stdt2v.data.items.item_seed``); its stages then derive as above;
* training's epoch ``e`` shuffles with ``seed + e``; an LLM retry or rating run ``k`` asks with ``seed + k``.

``derive_seed`` adds the offset modulo 2^64, so a derived seed is always in range: a seed near
2^64 - 1 wraps round to 0, 1, ... instead of failing in ``manual_seed``. Below the wrap the
result is plain addition, so every seed that did not overflow draws exactly what it drew before
(configs/tpige.yaml sets ``seed: 2024`` so that the video stage draws with 2025, as the
winner's scripts do). Torch-free, so the config layer and the CLI can use it.
"""

from __future__ import annotations

from stdt2v.errors import InputError, StdT2VError

MAX_SEED = 2**64 - 1
SEED_RANGE = "0..2^64-1"
# The app's seed box and its random seeds: a browser number is a double (exact up to 2^53),
# and 2^32 keeps a drawn seed short enough to copy by hand.
RANDOM_MAX_SEED = 2**32 - 1
ANIMATE_OFFSET = 1
GUARD_RETRY_STRIDE = 1000
ITEM_OFFSETS = 1_000_000


def check_seed(value: object, where: str = "seed", error: type[StdT2VError] = InputError) -> int:
    """``value`` as a seed (an integer in 0..MAX_SEED, or an integral float or text), else ``error``,
    one line naming ``where``."""
    if isinstance(value, bool):
        raise error(f"{where}: {value!r} is not an integer; use an integer in {SEED_RANGE}")
    try:
        seed = int(value)  # type: ignore[call-overload]  # any object: int() says whether it is one
    except (TypeError, ValueError, OverflowError):
        raise error(f"{where}: {value!r} is not an integer; use an integer in {SEED_RANGE}") from None
    if isinstance(value, float) and value != seed:
        raise error(f"{where}: {value!r} is not an integer; use an integer in {SEED_RANGE}")
    if not 0 <= seed <= MAX_SEED:
        raise error(f"{where}: {value!r} is out of range; use an integer in {SEED_RANGE}")
    return seed


def derive_seed(seed: int, offset: int) -> int:
    """``seed + offset`` modulo 2^64: always a valid seed, and plain addition below the wrap.

    ``seed`` must itself be valid (InputError otherwise): a bad seed is the caller's input, not
    something to wrap silently."""
    return (check_seed(seed) + offset) % (MAX_SEED + 1)
