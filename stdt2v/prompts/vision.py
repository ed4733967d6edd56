"""Vision-language clients for the face description: an OpenAI-compatible server with vision,
or a local transformers model. Each is ``ask(image, instructions, question=QUESTION) -> str``
(the rewrite mode asks with the caption as the question)."""

from __future__ import annotations

import base64
import io

from PIL import Image

from stdt2v.loading import load_pretrained
from stdt2v.prompts.chat import OpenAIChat

QUESTION = "Describe this person's face."


def image_data_url(image: Image.Image) -> str:
    """``data:image/png;base64,...``: how OpenAI-compatible servers (vLLM, Ollama) take an image inline."""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


class OpenAIVision:
    """The image as a base64 data URL in an ``image_url`` content part (vLLM serves
    Qwen2.5-VL / Qwen3-VL this way), the instructions as the system message."""

    def __init__(self, chat: OpenAIChat):
        self.chat = chat

    def __call__(self, image: Image.Image, instructions: str, question: str = QUESTION) -> str:
        messages = [
            {"role": "system", "content": instructions},
            {"role": "user", "content": [{"type": "text", "text": question}, {"type": "image_url", "image_url": {"url": image_data_url(image)}}]},
        ]
        return self.chat(messages, json_mode=False)


class TransformersVision:
    """A local vision-language model through ``AutoProcessor`` and
    ``AutoModelForImageTextToText`` (Qwen2.5-VL, LLaVA, ...), greedy or sampled at
    ``temperature``. The instructions go in the user turn: not every VLM's template has a
    system role."""

    def __init__(self, model, processor, *, max_new_tokens: int = 96, temperature: float = 0.0, seed: int = 0):
        self.model = model
        self.processor = processor
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature
        self.seed = seed

    @classmethod
    def from_pretrained(cls, source: str, *, device: str = "cpu", allow_pickle: bool = False, **kwargs) -> "TransformersVision":
        from transformers import AutoModelForImageTextToText, AutoProcessor

        key = "prompts.face_description.model"
        processor = load_pretrained(AutoProcessor.from_pretrained, source, key, weights=False)
        model = load_pretrained(AutoModelForImageTextToText.from_pretrained, source, key, allow_pickle=allow_pickle)
        model.to(device).eval()
        return cls(model, processor, **kwargs)

    def __call__(self, image: Image.Image, instructions: str, question: str = QUESTION) -> str:
        import torch

        messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": f"{instructions}\n\n{question}"}]}]
        text = self.processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        inputs = self.processor(text=[text], images=[image.convert("RGB")], return_tensors="pt").to(self.model.device)
        torch.manual_seed(self.seed)
        sample = self.temperature > 0
        with torch.inference_mode():
            output = self.model.generate(
                **inputs, max_new_tokens=self.max_new_tokens, do_sample=sample, temperature=self.temperature if sample else None, top_p=0.9 if sample else None
            )
        return self.processor.batch_decode(output[:, inputs["input_ids"].shape[1] :], skip_special_tokens=True)[0]
