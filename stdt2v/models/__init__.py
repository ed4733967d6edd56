"""Model architectures of the project's own (torch modules, with save/load in their formats):
the identity adapter and HyperLoRA's hypernetwork. Stages and the tiny-model builders import
them; they import no stage."""
