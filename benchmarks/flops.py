"""FLOPs as torch counts them. The analytic formulas (linear layers and attention products,
multiply-add = 2 FLOPs, the formula printed beside the number) live with each model family in
``stdt2v.families``; this counts the models that have none (the SDXL UNet) and checks the formulas.
"""

from __future__ import annotations

from torch import nn


def counted_flops(module: nn.Module, *args: object, **kwargs: object) -> float:
    """FLOPs of one call as torch's ``FlopCounterMode`` counts them (convolutions included)."""
    from torch.nn.attention import SDPBackend, sdpa_kernel
    from torch.utils.flop_counter import FlopCounterMode

    # The math backend runs attention as matmuls torch can count (fused kernels may not be).
    with sdpa_kernel(SDPBackend.MATH), FlopCounterMode(display=False) as counter:
        module(*args, **kwargs)
    return float(counter.get_total_flops())
