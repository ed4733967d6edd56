"""Trainer 1: the project's identity adapter on a frozen text-to-image base (SDXL).

Data: (target image, reference face, caption) triples (``train/data.py``). The loss is the
base model's own denoising loss (epsilon or v, as its scheduler predicts) with the identity
tokens in cross-attention; a share of samples (``id_dropout``) gets a zero identity vector,
which is what classifier-free guidance uses as "no identity" at inference. Optional:

* ``adapter.unet_lora_rank``: a LoRA on the UNet's attention trained with the adapter, as
  IP-Adapter-FaceID ships one (the adapter alone only adds to cross-attention);
* ``identity_loss.weight``: 1 − cos between the reference embedding and the embedding of the
  decoded predicted clean image, aligned with the target's landmarks (differentiable warp),
  on samples with timestep < ``identity_loss.max_timestep``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from stdt2v.errors import ConfigError
from stdt2v.face import FaceAnalyzer, ReferenceCache, build_face_analyzer
from stdt2v.io import save_png
from stdt2v.keyframe.identity import IDENTITY_LORA
from stdt2v.loading import load_pretrained, resolve_model_source
from stdt2v.models.identity_adapter import IdentityAdapter
from stdt2v.train.data import ImageTriples, make_buckets, read_samples
from stdt2v.train.frame import TrainTask

if TYPE_CHECKING:
    from stdt2v.train.config import TrainConfig

logger = logging.getLogger(__name__)


class AdapterUNet(nn.Module):
    """The frozen UNet with the trainable adapter attached: what accelerate wraps (DDP needs the
    forward to go through the module that holds the trainable parameters)."""

    def __init__(self, unet: nn.Module, adapter: IdentityAdapter) -> None:
        super().__init__()
        self.unet, self.adapter = unet, adapter

    def forward(
        self, noisy: torch.Tensor, timesteps: torch.Tensor, text: torch.Tensor, pooled: torch.Tensor, time_ids: torch.Tensor, identity: torch.Tensor
    ) -> torch.Tensor:
        added = {"text_embeds": pooled, "time_ids": time_ids, "image_embeds": [identity[:, None]]}
        return self.unet(noisy, timesteps, encoder_hidden_states=text, added_cond_kwargs=added).sample


class IdentityAdapterTask(TrainTask):
    def __init__(self, cfg: TrainConfig, device: torch.device) -> None:
        from diffusers import DDPMScheduler, StableDiffusionXLPipeline

        source = resolve_model_source(cfg.model, cfg.cache_dir, key="model")
        self.pipe = load_pretrained(StableDiffusionXLPipeline.from_pretrained, source, "model", allow_pickle=cfg.allow_pickle_weights).to(device)
        self.pipe.set_progress_bar_config(disable=True)
        for part in (self.pipe.unet, self.pipe.vae, self.pipe.text_encoder, self.pipe.text_encoder_2):
            part.requires_grad_(False)
        self.noise_scheduler = DDPMScheduler.from_config(self.pipe.scheduler.config)
        analyzer = build_face_analyzer(cfg.face, device=str(device))
        d = cfg.data
        buckets = [tuple(b) for b in d.buckets] or make_buckets(d.resolution**2, list(d.aspect_ratios), d.bucket_multiple)
        self.dataset = ImageTriples(read_samples(d.manifest, "image"), buckets, ReferenceCache(analyzer, cfg.cache_dir))
        a = cfg.adapter
        id_dim = int(self.dataset.identity[0].shape[-1])
        # Seed right before the random init: loading (or building a tiny model) may use the RNG.
        torch.manual_seed(cfg.seed)
        self.lora = a.unet_lora_rank > 0
        if self.lora:  # before the adapter is attached: its own layers must not get a LoRA
            from peft import LoraConfig

            lora = LoraConfig(
                r=a.unet_lora_rank, lora_alpha=a.unet_lora_alpha or a.unet_lora_rank, target_modules=list(a.unet_lora_targets), init_lora_weights="gaussian"
            )
            self.pipe.unet.add_adapter(lora, adapter_name="identity")
        self.adapter = IdentityAdapter.for_model(
            self.pipe.unet, id_dim=id_dim, num_tokens=a.num_tokens, dim=a.dim, depth=a.depth, heads=a.heads, dim_head=a.dim_head
        )
        self.adapter.attach(self.pipe.unet)
        self.adapter.to(device).requires_grad_(True)
        self.identity_loss = None
        if cfg.identity_loss.weight > 0:
            self.identity_loss = IdentityLoss(recognizer_path(cfg, analyzer), cfg.identity_loss.max_timestep, self.dataset.reference_crops).to(device)
        self.identity_loss_weight = cfg.identity_loss.weight
        if cfg.gradient_checkpointing:
            self.pipe.unet.enable_gradient_checkpointing()
        self.model = AdapterUNet(self.pipe.unet, self.adapter)
        self.id_dropout = a.id_dropout
        self.validation_prompt = cfg.validation_prompt
        self.seed = cfg.seed
        self.fixed_noise = cfg.fixed_noise

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict]:
        pipe = self.pipe
        pixels = batch["pixels"].to(pipe.vae.device, pipe.vae.dtype)
        with torch.no_grad():
            latents = pipe.vae.encode(pixels).latent_dist.mode() * pipe.vae.config.scaling_factor
            text, _, pooled, _ = pipe.encode_prompt(list(batch["caption"]), device=latents.device, do_classifier_free_guidance=False)
        b = latents.shape[0]
        if self.fixed_noise:
            generator = torch.Generator().manual_seed(self.seed)
            noise = torch.randn(latents.shape, generator=generator).to(latents)
            timesteps = torch.full((b,), self.noise_scheduler.config.num_train_timesteps // 2, device=latents.device)
        else:
            noise = torch.randn_like(latents)
            timesteps = torch.randint(0, self.noise_scheduler.config.num_train_timesteps, (b,), device=latents.device)
        noisy = self.noise_scheduler.add_noise(latents, noise, timesteps)
        h, w = pixels.shape[-2:]
        time_ids = torch.tensor([[h, w, 0, 0, h, w]] * b, device=latents.device, dtype=text.dtype)
        identity = batch["identity"].to(latents.device, text.dtype)
        keep = torch.rand(b, device=identity.device) >= self.id_dropout
        prediction = model(noisy, timesteps, text, pooled, time_ids, identity * keep[:, None].to(identity.dtype))
        v_prediction = self.noise_scheduler.config.prediction_type == "v_prediction"
        target = self.noise_scheduler.get_velocity(latents, noise, timesteps) if v_prediction else noise
        diffusion = nn.functional.mse_loss(prediction.float(), target.float())
        if self.identity_loss is None:
            return diffusion, {}
        # Predicted clean latents → pixels → aligned face → embedding, where it is readable.
        use = keep & batch["has_face"].to(keep.device) & (timesteps < self.identity_loss.max_timestep)
        if not use.any():
            return diffusion, {"diffusion_loss": diffusion.detach(), "identity_loss": 0.0}
        alpha = self.noise_scheduler.alphas_cumprod.to(latents.device)[timesteps[use]].view(-1, 1, 1, 1)
        x_t, out = noisy[use].float(), prediction[use].float()
        x0 = alpha.sqrt() * x_t - (1 - alpha).sqrt() * out if v_prediction else (x_t - (1 - alpha).sqrt() * out) / alpha.sqrt()
        images = pipe.vae.decode((x0 / pipe.vae.config.scaling_factor).to(pipe.vae.dtype)).sample.float()
        identity_term = self.identity_loss(images, batch["align"][use.cpu()].to(images.device), batch["index"][use.cpu()]).mean()
        total = diffusion + self.identity_loss_weight * identity_term
        return total, {"diffusion_loss": diffusion.detach(), "identity_loss": identity_term.detach()}

    def save_weights(self, folder: Path) -> None:
        self.adapter.save_pretrained(folder)
        if self.lora:
            from diffusers import StableDiffusionXLPipeline
            from peft.utils import get_peft_model_state_dict

            layers = get_peft_model_state_dict(self.pipe.unet, adapter_name="identity")
            StableDiffusionXLPipeline.save_lora_weights(folder, unet_lora_layers=layers, weight_name=IDENTITY_LORA, safe_serialization=True)

    def load_weights(self, folder: Path) -> None:
        from safetensors.torch import load_file

        self.adapter.load_state_dict(load_file(folder / "diffusion_pytorch_model.safetensors"))
        if self.lora:
            from peft.utils import set_peft_model_state_dict

            state = load_file(folder / IDENTITY_LORA)
            set_peft_model_state_dict(self.pipe.unet, {k.removeprefix("unet."): v for k, v in state.items()}, adapter_name="identity")

    @torch.no_grad()
    def validate(self, folder: Path, step: int) -> list:
        identity = self.dataset.identity[0].to(self.pipe.device, self.pipe.unet.dtype).reshape(1, 1, -1)
        height, width = self.dataset.sizes[0]
        image = self.pipe(
            self.validation_prompt,
            height=height,
            width=width,
            num_inference_steps=4,
            ip_adapter_image_embeds=[torch.cat([torch.zeros_like(identity), identity])],
            generator=torch.Generator("cpu").manual_seed(self.seed),
            output_type="pil",
        ).images[0]
        save_png(image, folder / f"step-{step:06d}.png")
        return [np.asarray(image)]


def recognizer_path(cfg: TrainConfig, analyzer: FaceAnalyzer) -> Path:
    """The identity loss's recognizer: the configured ONNX file or the insightface pack's."""
    if cfg.identity_loss.recognizer:
        path = Path(cfg.identity_loss.recognizer).expanduser()
        if not path.is_file():
            raise ConfigError(f"identity_loss.recognizer: {path} not found (an ArcFace-style .onnx recognizer)")
        return path
    recognizer = getattr(analyzer, "_recognizer", None)
    if recognizer is None:
        raise ConfigError(
            "identity_loss needs a recognizer it can differentiate: set face.backend=insightface (its ONNX "
            "recognizer is run with torch ops) or identity_loss.recognizer=PATH.onnx"
        )
    return Path(recognizer.model_file)


class IdentityLoss(nn.Module):
    """1 − cos(recognizer(aligned crop of the image), reference embedding), differentiable in the
    image. The references' embeddings come from the same recognizer, computed once."""

    def __init__(self, path: Path, max_timestep: int, reference_crops: list[np.ndarray]):
        super().__init__()
        from stdt2v.train.torch_onnx import OnnxRecognizer  # needs onnx2torch: only the identity loss does

        self.recognizer = OnnxRecognizer(path)
        self.max_timestep = max_timestep
        size = self.recognizer.input_size
        crops = torch.from_numpy(np.stack([np.asarray(_resize(c, size)) for c in reference_crops])).permute(0, 3, 1, 2).float() / 127.5 - 1
        with torch.no_grad():
            self.register_buffer("references", nn.functional.normalize(self.recognizer(crops), dim=-1), persistent=False)

    def forward(self, images: torch.Tensor, theta: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
        size = self.recognizer.input_size
        grid = nn.functional.affine_grid(theta, (images.shape[0], 3, *size), align_corners=False)
        crops = nn.functional.grid_sample(images, grid, align_corners=False)
        embeddings = nn.functional.normalize(self.recognizer(crops), dim=-1)
        return 1 - (embeddings * self.references[index.to(self.references.device)]).sum(-1)


def _resize(crop: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    import cv2

    return crop if crop.shape[:2] == size else cv2.resize(crop, size[::-1], interpolation=cv2.INTER_AREA)
