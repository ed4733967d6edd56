"""Trainer 2: LoRA on the Wan video transformer (TI2V-5B layout: first-frame conditioning by
per-token timesteps, as ``WanImageToVideoPipeline`` does with ``expand_timesteps``).

Flow matching: x_σ = (1 − σ)·x₀ + σ·ε with σ = shift·u / (1 + (shift − 1)·u), u ~ U(0, 1) (the
model's timestep shift), the transformer predicts the velocity ε − x₀. The first latent frame
stays clean and gets timestep 0, as at inference; the loss covers the other frames, weighted up
on face regions (a mask from the face detector, ``lora.face_loss_weight``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from stdt2v.errors import InputError
from stdt2v.face import ReferenceCache, build_face_analyzer
from stdt2v.io import contact_sheet, evenly_spaced, write_video
from stdt2v.loading import load_pretrained, resolve_model_source
from stdt2v.train.data import FaceBoxes, VideoClips, make_buckets, read_samples
from stdt2v.train.frame import TrainTask

if TYPE_CHECKING:
    from stdt2v.train.config import TrainConfig


class LoRATransformer(nn.Module):
    def __init__(self, transformer: nn.Module) -> None:
        super().__init__()
        self.transformer = transformer

    def forward(self, hidden: torch.Tensor, timestep: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        return self.transformer(hidden_states=hidden, timestep=timestep, encoder_hidden_states=text, return_dict=False)[0]


class WanLoRATask(TrainTask):
    def __init__(self, cfg: TrainConfig, device: torch.device) -> None:
        from diffusers import WanImageToVideoPipeline
        from peft import LoraConfig

        source = resolve_model_source(cfg.model, cfg.cache_dir, key="model")
        self.pipe = load_pretrained(WanImageToVideoPipeline.from_pretrained, source, "model", allow_pickle=cfg.allow_pickle_weights).to(device)
        self.pipe.set_progress_bar_config(disable=True)
        if not self.pipe.config.expand_timesteps:
            raise InputError("i2v_lora: this trainer implements the TI2V-5B layout (expand_timesteps); Wan2.1/A14B condition by channels")
        for part in (self.pipe.transformer, self.pipe.vae, self.pipe.text_encoder):
            part.requires_grad_(False)
        lcfg = cfg.lora
        torch.manual_seed(cfg.seed)  # the LoRA's random init, independent of what loading consumed
        self.pipe.transformer.add_adapter(
            LoraConfig(r=lcfg.rank, lora_alpha=lcfg.alpha, target_modules=list(lcfg.target_modules), init_lora_weights="gaussian")
        )
        if cfg.gradient_checkpointing:
            self.pipe.transformer.enable_gradient_checkpointing()
        d = cfg.data
        analyzer = build_face_analyzer(cfg.face, device=str(device))
        buckets = [tuple(b) for b in d.buckets] or make_buckets(d.height * d.width, list(d.aspect_ratios), d.bucket_multiple)
        frame_buckets = sorted(int(f) for f in (d.frame_buckets or [d.num_frames]))  # 4n+1: validated with the config
        self.dataset = VideoClips(
            read_samples(d.manifest, "video"),
            buckets,
            frame_buckets,
            d.frame_stride,
            ReferenceCache(analyzer, cfg.cache_dir),
            FaceBoxes(analyzer, cfg.cache_dir, d.mask_stride),
        )
        self.model = LoRATransformer(self.pipe.transformer)
        self.shift = lcfg.flow_shift
        self.face_loss_weight = lcfg.face_loss_weight
        self.seed, self.fixed_noise = cfg.seed, cfg.fixed_noise
        self.validation_prompt = cfg.validation_prompt

    def _latents(self, video: torch.Tensor) -> torch.Tensor:
        vae = self.pipe.vae
        mean = torch.tensor(vae.config.latents_mean).view(1, -1, 1, 1, 1).to(video)
        std = torch.tensor(vae.config.latents_std).view(1, -1, 1, 1, 1).to(video)
        return (vae.encode(video).latent_dist.mode() - mean) / std

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict]:
        pipe = self.pipe
        video = batch["video"].to(pipe.vae.device, pipe.vae.dtype)
        with torch.no_grad():
            x0 = self._latents(video)
            text, _ = pipe.encode_prompt(list(batch["caption"]), do_classifier_free_guidance=False, device=x0.device)
        b = x0.shape[0]
        if self.fixed_noise:
            generator = torch.Generator().manual_seed(self.seed)
            noise, u = torch.randn(x0.shape, generator=generator).to(x0), torch.full((b,), 0.5)
        else:
            noise, u = torch.randn_like(x0), torch.rand(b)
        sigma = (self.shift * u / (1 + (self.shift - 1) * u)).to(x0).view(b, 1, 1, 1, 1)
        noisy = (1 - sigma) * x0 + sigma * noise
        mask = torch.ones_like(x0[:, :1])
        mask[:, :, 0] = 0  # the first frame: clean condition, timestep 0
        hidden = (1 - mask) * x0 + mask * noisy
        patch = pipe.transformer.config.patch_size
        token_mask = mask[:, 0, :, :: patch[1], :: patch[2]].flatten(1)  # B, tokens
        timestep = token_mask * (sigma.view(b, 1) * 1000)
        prediction = model(hidden, timestep, text)
        error = (prediction.float() - (noise - x0).float()) ** 2
        weight = mask.float()
        if self.face_loss_weight:
            faces = nn.functional.interpolate(batch["face_mask"].to(x0.device).float(), size=x0.shape[2:], mode="trilinear")
            weight = weight * (1 + self.face_loss_weight * faces)
        return (error * weight).sum() / (weight.sum() * x0.shape[1]), {}

    def save_weights(self, folder: Path) -> None:
        from peft.utils import get_peft_model_state_dict

        folder.mkdir(parents=True, exist_ok=True)
        from diffusers import WanImageToVideoPipeline

        WanImageToVideoPipeline.save_lora_weights(folder, transformer_lora_layers=get_peft_model_state_dict(self.pipe.transformer), safe_serialization=True)

    def load_weights(self, folder: Path) -> None:
        from peft.utils import set_peft_model_state_dict
        from safetensors.torch import load_file

        state = load_file(folder / "pytorch_lora_weights.safetensors")
        set_peft_model_state_dict(self.pipe.transformer, {k.removeprefix("transformer."): v for k, v in state.items()})

    @torch.no_grad()
    def validate(self, folder: Path, step: int) -> list:
        """Animate the first training clip's first frame; the MP4 and a frame sheet for the tracker."""
        from PIL import Image

        height, width, num_frames = self.dataset.bucket_keys[0]
        first = ((self.dataset[0]["video"][:, 0].permute(1, 2, 0).numpy() + 1) * 127.5).clip(0, 255).astype(np.uint8)
        frames = self.pipe(
            image=Image.fromarray(first),
            prompt=self.validation_prompt,
            height=height,
            width=width,
            num_frames=num_frames,
            num_inference_steps=4,
            generator=torch.Generator("cpu").manual_seed(self.seed),
            output_type="np",
        ).frames[0]
        frames = (frames * 255).round().astype(np.uint8)
        write_video(frames, folder / f"step-{step:06d}.mp4", fps=8)
        return [np.asarray(contact_sheet([frames[i] for i in evenly_spaced(len(frames), 4)], columns=4))]
