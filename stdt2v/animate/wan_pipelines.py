"""Wan pipelines whose denoising loop we own: diffusers' ``WanImageToVideoPipeline`` (Wan2.2
TI2V-5B with ``expand_timesteps``, Wan2.2 I2V-A14B with its two experts, Wan2.1 I2V) and
``WanVACEPipeline``, each subclassed with an explicit ``__call__`` derived from diffusers 0.42.1
(Apache-2.0, Copyright 2025 The Wan Team and The HuggingFace Team; the sanctioned
community-pipeline pattern). Lines that differ from diffusers' are marked ``# stdt2v:``; the
rest is diffusers' code, trimmed of what the parent's helpers already do (``check_inputs``,
``encode_prompt``, ``encode_image``, ``preprocess_conditions``, ``prepare_latents``, …).

The one changed piece is ``predict_noise``: a step's conditional pass, unconditional pass and
classifier-free guidance exactly as diffusers computes them, then our identity-aware guidance
(``stdt2v.animate.guidance.IdentityGuidance``), which gets the step's transformer and the
conditional pass's inputs handed to it. Per-segment prompts plug in there next.

Why a subclass and not diffusers' guiders (``diffusers.guiders``, which the modular Wan
pipelines in ``diffusers.modular_pipelines.wan`` take): the challenge winner's formula is
``cfg + s · (cfg − weak)`` = ``(1 + s) · cfg − s · weak``, its shift taken from the CFG prediction;
``SkipLayerGuidance`` computes ``uncond + g · (cond − uncond) + s · (cond − skip)``, its shift taken
from the conditional one, and no stock guider gives the weak pass other inputs than the
conditional pass's (for VACE the weak pass drops the reference frames from
``control_hidden_states``). So the guider route means a guider of ours plus a modular Wan
pipeline in place of the classic ones the rest of the project loads, offloads, quantizes and
adds LoRAs to. Here the loop is plain code a reader compares with diffusers' side by side, and
``tests/test_denoise_contract.py`` holds it to the installed diffusers: the stock pipelines'
transformer call sequence on tiny models, their ``__call__`` arguments, and these pipelines
with guidance off giving the stock output bit for bit. The ``diffusers`` bound in
``pyproject.toml`` names the releases the derivation is valid for.
"""

from __future__ import annotations

from typing import Any, Callable

import torch
from diffusers import WanImageToVideoPipeline, WanVACEPipeline
from diffusers.callbacks import MultiPipelineCallbacks, PipelineCallback
from diffusers.pipelines.wan.pipeline_output import WanPipelineOutput
from diffusers.utils.torch_utils import get_module_execution_device

from stdt2v.animate.guidance import IdentityGuidance

# The diffusers release whose WanImageToVideoPipeline / WanVACEPipeline.__call__ these are derived from.
DERIVED_FROM = "0.42.1"


class OwnedDenoising:
    """What both Wan pipelines share: the per-step prediction and the final decode."""

    def predict_noise(
        self,
        model: torch.nn.Module,
        step: int,
        guidance_scale: float,
        conditional: dict[str, Any],
        unconditional: dict[str, Any] | None,
        identity_guidance: IdentityGuidance | None,
    ) -> torch.Tensor:
        """One step's noise prediction: the conditional pass, the unconditional pass and CFG as
        diffusers computes them (``unconditional`` None: no CFG), then identity-aware guidance."""
        with model.cache_context("cond"):
            noise_pred = model(**conditional, return_dict=False)[0]
        if unconditional is not None:
            with model.cache_context("uncond"):
                noise_uncond = model(**unconditional, return_dict=False)[0]
                noise_pred = noise_uncond + guidance_scale * (noise_pred - noise_uncond)
        if identity_guidance is not None:  # stdt2v: the weak pass, on the conditional inputs of this step's model
            noise_pred = identity_guidance.apply(noise_pred, model, conditional, step)
        return noise_pred

    def expert(self, t: torch.Tensor, guidance_scale: float, guidance_scale_2: float | None) -> tuple[torch.nn.Module, float]:
        """The transformer of timestep ``t`` and its guidance scale (Wan2.2 A14B: the high-noise
        expert at or above the boundary, the low-noise one below)."""
        boundary_ratio = self.config.boundary_ratio
        if boundary_ratio is None or t >= boundary_ratio * self.scheduler.config.num_train_timesteps:
            return self.transformer, guidance_scale
        return self.transformer_2, guidance_scale_2

    def decode(self, latents: torch.Tensor, output_type: str) -> Any:
        """diffusers' un-normalise and VAE decode (``latent``: the latents as they are)."""
        if output_type == "latent":
            return latents
        latents = latents.to(device=get_module_execution_device(self.vae), dtype=self.vae.dtype)
        z_dim = self.vae.config.z_dim
        latents_mean = torch.tensor(self.vae.config.latents_mean).view(1, z_dim, 1, 1, 1).to(latents.device, latents.dtype)
        latents_std = 1.0 / torch.tensor(self.vae.config.latents_std).view(1, z_dim, 1, 1, 1).to(latents.device, latents.dtype)
        video = self.vae.decode(latents / latents_std + latents_mean, return_dict=False)[0]
        return self.video_processor.postprocess_video(video, output_type=output_type)

    def end_of_step(self, i: int, t: torch.Tensor, callback: Callable | None, tensors: dict[str, torch.Tensor], names: list[str]) -> dict[str, torch.Tensor]:
        """diffusers' ``callback_on_step_end`` (the tensors it may replace come back)."""
        if callback is None:
            return tensors
        outputs = callback(self, i, t, {k: tensors[k] for k in names})
        return {k: outputs.pop(k, v) for k, v in tensors.items()}


class GuidedWanImageToVideoPipeline(OwnedDenoising, WanImageToVideoPipeline):
    """``WanImageToVideoPipeline`` with identity-aware guidance in a loop we own."""

    @torch.no_grad()
    def __call__(
        self,
        image: Any,
        prompt: str | list[str] | None = None,
        negative_prompt: str | list[str] | None = None,
        height: int = 480,
        width: int = 832,
        num_frames: int = 81,
        num_inference_steps: int = 50,
        guidance_scale: float = 5.0,
        guidance_scale_2: float | None = None,
        num_videos_per_prompt: int | None = 1,
        generator: torch.Generator | list[torch.Generator] | None = None,
        latents: torch.Tensor | None = None,
        prompt_embeds: torch.Tensor | None = None,
        negative_prompt_embeds: torch.Tensor | None = None,
        image_embeds: torch.Tensor | None = None,
        last_image: torch.Tensor | None = None,
        output_type: str | None = "np",
        return_dict: bool = True,
        attention_kwargs: dict[str, Any] | None = None,
        callback_on_step_end: Callable | None = None,
        callback_on_step_end_tensor_inputs: list[str] = ["latents"],  # noqa: B006 (diffusers' signature)
        max_sequence_length: int = 512,
        identity_guidance: IdentityGuidance | None = None,  # stdt2v: the weak pass (None: diffusers' result)
    ) -> WanPipelineOutput | tuple:
        """diffusers' ``WanImageToVideoPipeline.__call__`` (see its arguments) plus ``identity_guidance``."""
        if isinstance(callback_on_step_end, (PipelineCallback, MultiPipelineCallbacks)):
            callback_on_step_end_tensor_inputs = callback_on_step_end.tensor_inputs
        self.check_inputs(
            prompt,
            negative_prompt,
            image,
            height,
            width,
            prompt_embeds,
            negative_prompt_embeds,
            image_embeds,
            callback_on_step_end_tensor_inputs,
            guidance_scale_2,
        )
        num_frames = max(num_frames // self.vae_scale_factor_temporal * self.vae_scale_factor_temporal + 1, 1)  # stdt2v: diffusers' rounding, unlogged
        patch_size = (self.transformer or self.transformer_2).config.patch_size
        h_multiple, w_multiple = self.vae_scale_factor_spatial * patch_size[1], self.vae_scale_factor_spatial * patch_size[2]
        height, width = height // h_multiple * h_multiple, width // w_multiple * w_multiple  # stdt2v: diffusers' rounding, unlogged
        if self.config.boundary_ratio is not None and guidance_scale_2 is None:
            guidance_scale_2 = guidance_scale
        self._guidance_scale, self._guidance_scale_2 = guidance_scale, guidance_scale_2
        self._attention_kwargs, self._current_timestep, self._interrupt = attention_kwargs, None, False
        device = self._execution_device
        batch_size = 1 if isinstance(prompt, str) else len(prompt) if prompt is not None else prompt_embeds.shape[0]

        prompt_embeds, negative_prompt_embeds = self.encode_prompt(
            prompt=prompt,
            negative_prompt=negative_prompt,
            do_classifier_free_guidance=self.do_classifier_free_guidance,
            num_videos_per_prompt=num_videos_per_prompt,
            prompt_embeds=prompt_embeds,
            negative_prompt_embeds=negative_prompt_embeds,
            max_sequence_length=max_sequence_length,
            device=device,
        )
        transformer_dtype = (self.transformer or self.transformer_2).dtype
        prompt_embeds = prompt_embeds.to(transformer_dtype)
        if negative_prompt_embeds is not None:
            negative_prompt_embeds = negative_prompt_embeds.to(transformer_dtype)
        if self.transformer is not None and self.transformer.config.image_dim is not None:  # only Wan2.1 I2V takes image_embeds
            if image_embeds is None:
                image_embeds = self.encode_image(image if last_image is None else [image, last_image], device)
            image_embeds = image_embeds.repeat(batch_size, 1, 1).to(transformer_dtype)

        self.scheduler.set_timesteps(num_inference_steps, device=device)
        timesteps = self.scheduler.timesteps
        image = self.video_processor.preprocess(image, height=height, width=width).to(device, dtype=torch.float32)
        if last_image is not None:
            last_image = self.video_processor.preprocess(last_image, height=height, width=width).to(device, dtype=torch.float32)
        prepared = self.prepare_latents(
            image, batch_size * num_videos_per_prompt, self.vae.config.z_dim, height, width, num_frames, torch.float32, device, generator, latents, last_image
        )
        latents, condition, first_frame_mask = prepared if self.config.expand_timesteps else (*prepared, None)  # Wan2.2 TI2V-5B masks the first frame

        self._num_timesteps = len(timesteps)
        with self.progress_bar(total=num_inference_steps) as progress_bar:
            for i, t in enumerate(timesteps):
                if self.interrupt:
                    continue
                self._current_timestep = t
                model, scale = self.expert(t, guidance_scale, guidance_scale_2)
                if self.config.expand_timesteps:
                    latent_model_input = ((1 - first_frame_mask) * condition + first_frame_mask * latents).to(transformer_dtype)
                    timestep = (first_frame_mask[0][0][:, ::2, ::2] * t).flatten().unsqueeze(0).expand(latents.shape[0], -1)
                else:
                    latent_model_input = torch.cat([latents, condition], dim=1).to(transformer_dtype)
                    timestep = t.expand(latents.shape[0])
                inputs = dict(hidden_states=latent_model_input, timestep=timestep, encoder_hidden_states_image=image_embeds, attention_kwargs=attention_kwargs)
                noise_pred = self.predict_noise(  # stdt2v: one method for the step's passes and guidance
                    model,
                    i,
                    scale,
                    {**inputs, "encoder_hidden_states": prompt_embeds},
                    {**inputs, "encoder_hidden_states": negative_prompt_embeds} if self.do_classifier_free_guidance else None,
                    identity_guidance,
                )
                latents = self.scheduler.step(noise_pred, t, latents, return_dict=False)[0]
                tensors = dict(latents=latents, prompt_embeds=prompt_embeds, negative_prompt_embeds=negative_prompt_embeds)
                tensors = self.end_of_step(i, t, callback_on_step_end, tensors, callback_on_step_end_tensor_inputs)
                latents, prompt_embeds, negative_prompt_embeds = tensors["latents"], tensors["prompt_embeds"], tensors["negative_prompt_embeds"]
                progress_bar.update()  # stdt2v: one update per step (the Wan schedulers have order 1); no XLA mark_step
        self._current_timestep = None

        if self.config.expand_timesteps:
            latents = (1 - first_frame_mask) * condition + first_frame_mask * latents
        video = self.decode(latents, output_type)
        self.maybe_free_model_hooks()
        return WanPipelineOutput(frames=video) if return_dict else (video,)


class GuidedWanVACEPipeline(OwnedDenoising, WanVACEPipeline):
    """``WanVACEPipeline`` with identity-aware guidance in a loop we own."""

    @torch.no_grad()
    def __call__(
        self,
        prompt: str | list[str] | None = None,
        negative_prompt: str | list[str] | None = None,
        video: list | None = None,
        mask: list | None = None,
        reference_images: list | None = None,
        conditioning_scale: float | list[float] | torch.Tensor = 1.0,
        height: int = 480,
        width: int = 832,
        num_frames: int = 81,
        num_inference_steps: int = 50,
        guidance_scale: float = 5.0,
        guidance_scale_2: float | None = None,
        num_videos_per_prompt: int | None = 1,
        generator: torch.Generator | list[torch.Generator] | None = None,
        latents: torch.Tensor | None = None,
        prompt_embeds: torch.Tensor | None = None,
        negative_prompt_embeds: torch.Tensor | None = None,
        output_type: str | None = "np",
        return_dict: bool = True,
        attention_kwargs: dict[str, Any] | None = None,
        callback_on_step_end: Callable | None = None,
        callback_on_step_end_tensor_inputs: list[str] = ["latents"],  # noqa: B006 (diffusers' signature)
        max_sequence_length: int = 512,
        identity_guidance: IdentityGuidance | None = None,  # stdt2v: the weak pass (None: diffusers' result)
    ) -> WanPipelineOutput | tuple:
        """diffusers' ``WanVACEPipeline.__call__`` (see its arguments) plus ``identity_guidance``."""
        if isinstance(callback_on_step_end, (PipelineCallback, MultiPipelineCallbacks)):
            callback_on_step_end_tensor_inputs = callback_on_step_end.tensor_inputs
        if prompt is not None and not isinstance(prompt, str):
            raise ValueError("Passing a list of prompts is not yet supported. This may be supported in the future.")
        if num_videos_per_prompt != 1:
            raise ValueError("Generating multiple videos per prompt is not yet supported. This may be supported in the future.")
        self.check_inputs(
            prompt,
            negative_prompt,
            height,
            width,
            prompt_embeds,
            negative_prompt_embeds,
            callback_on_step_end_tensor_inputs,
            video,
            mask,
            reference_images,
            guidance_scale_2,
        )
        num_frames = max(num_frames // self.vae_scale_factor_temporal * self.vae_scale_factor_temporal + 1, 1)  # stdt2v: diffusers' rounding, unlogged
        if self.config.boundary_ratio is not None and guidance_scale_2 is None:
            guidance_scale_2 = guidance_scale
        self._guidance_scale, self._guidance_scale_2 = guidance_scale, guidance_scale_2
        self._attention_kwargs, self._current_timestep, self._interrupt = attention_kwargs, None, False
        device = self._execution_device
        batch_size = 1 if isinstance(prompt, str) else prompt_embeds.shape[0]  # a list of prompts was refused above
        transformer_dtype = (self.transformer or self.transformer_2).dtype
        vace_layers = (self.transformer or self.transformer_2).config.vace_layers
        if isinstance(conditioning_scale, (int, float)):
            conditioning_scale = [conditioning_scale] * len(vace_layers)
        if isinstance(conditioning_scale, list):
            conditioning_scale = torch.tensor(conditioning_scale)
        if conditioning_scale.size(0) != len(vace_layers):
            raise ValueError(f"Length of `conditioning_scale` {conditioning_scale.size(0)} does not match number of layers {len(vace_layers)}.")
        conditioning_scale = conditioning_scale.to(device=device, dtype=transformer_dtype)

        prompt_embeds, negative_prompt_embeds = self.encode_prompt(
            prompt=prompt,
            negative_prompt=negative_prompt,
            do_classifier_free_guidance=self.do_classifier_free_guidance,
            num_videos_per_prompt=num_videos_per_prompt,
            prompt_embeds=prompt_embeds,
            negative_prompt_embeds=negative_prompt_embeds,
            max_sequence_length=max_sequence_length,
            device=device,
        )
        prompt_embeds = prompt_embeds.to(transformer_dtype)
        if negative_prompt_embeds is not None:
            negative_prompt_embeds = negative_prompt_embeds.to(transformer_dtype)

        self.scheduler.set_timesteps(num_inference_steps, device=device)
        timesteps = self.scheduler.timesteps
        video, mask, reference_images = self.preprocess_conditions(video, mask, reference_images, batch_size, height, width, num_frames, torch.float32, device)
        num_reference_images = len(reference_images[0])
        conditioning_latents = self.prepare_video_latents(video, mask, reference_images, generator, device)
        mask = self.prepare_masks(mask, reference_images, generator)
        conditioning_latents = torch.cat([conditioning_latents, mask], dim=1).to(transformer_dtype)
        num_channels_latents = (self.transformer or self.transformer_2).config.in_channels
        frames = num_frames + num_reference_images * self.vae_scale_factor_temporal
        latents = self.prepare_latents(
            batch_size * num_videos_per_prompt, num_channels_latents, height, width, frames, torch.float32, device, generator, latents
        )

        self._num_timesteps = len(timesteps)
        with self.progress_bar(total=num_inference_steps) as progress_bar:
            for i, t in enumerate(timesteps):
                if self.interrupt:
                    continue
                self._current_timestep = t
                model, scale = self.expert(t, guidance_scale, guidance_scale_2)
                inputs = dict(
                    hidden_states=latents.to(transformer_dtype),
                    timestep=t.expand(latents.shape[0]),
                    control_hidden_states=conditioning_latents,
                    control_hidden_states_scale=conditioning_scale,
                    attention_kwargs=attention_kwargs,
                )
                noise_pred = self.predict_noise(  # stdt2v: one method for the step's passes and guidance
                    model,
                    i,
                    scale,
                    {**inputs, "encoder_hidden_states": prompt_embeds},
                    {**inputs, "encoder_hidden_states": negative_prompt_embeds} if self.do_classifier_free_guidance else None,
                    identity_guidance,
                )
                latents = self.scheduler.step(noise_pred, t, latents, return_dict=False)[0]
                tensors = dict(latents=latents, prompt_embeds=prompt_embeds, negative_prompt_embeds=negative_prompt_embeds)
                tensors = self.end_of_step(i, t, callback_on_step_end, tensors, callback_on_step_end_tensor_inputs)
                latents, prompt_embeds, negative_prompt_embeds = tensors["latents"], tensors["prompt_embeds"], tensors["negative_prompt_embeds"]
                progress_bar.update()  # stdt2v: one update per step (the Wan schedulers have order 1); no XLA mark_step
        self._current_timestep = None

        # diffusers drops the reference frames before decoding (not from the latent output);
        # stdt2v: decode() also moves the latents to the VAE's execution device, as diffusers' I2V does
        video = self.decode(latents if output_type == "latent" else latents[:, :, num_reference_images:], output_type)
        self.maybe_free_model_hooks()
        return WanPipelineOutput(frames=video) if return_dict else (video,)


# The pipeline each stock class becomes (Animator load path, tests).
GUIDED_PIPELINES: dict[type, type] = {
    WanImageToVideoPipeline: GuidedWanImageToVideoPipeline,
    WanVACEPipeline: GuidedWanVACEPipeline,
}


def guided_pipeline(pipe: WanImageToVideoPipeline | WanVACEPipeline) -> OwnedDenoising:
    """``pipe`` as our subclass, sharing its components and configuration (``from_pipe``); ours already: itself."""
    if isinstance(pipe, OwnedDenoising):
        return pipe
    return GUIDED_PIPELINES[type(pipe)].from_pipe(pipe)
