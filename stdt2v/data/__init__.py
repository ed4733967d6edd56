"""Inputs: challenge-layout folders and manifests of (identity image, prompt) items."""

from stdt2v.data.items import Item, read_items

__all__ = ["Item", "read_items"]
