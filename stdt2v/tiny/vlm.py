"""Tiny random-weight vision-language model (``LlavaForConditionalGeneration``: a CLIP vision
tower, a projector and a Qwen2 language model) for the face description's tests.

Its answers are random tokens — never a usable description — so it exercises the processor,
the chat template with an image part, generation and the fallback; usable answers are tested
through the OpenAI-compatible client. (Qwen2.5-VL's processor needs torchvision for its video
part, which this project does not install; LLaVA's does not.)
"""

from __future__ import annotations

from pathlib import Path

from stdt2v.tiny.tokenizers import qwen_text_config_kwargs, save_qwen_tokenizer

IMAGE_TOKEN = "<image>"
# ChatML with the image placeholder where an image content part stands.
LLAVA_CHAT_TEMPLATE = (
    "{%- for m in messages %}<|im_start|>{{ m.role }}\n"
    "{%- if m.content is string %}{{ m.content }}{%- else %}{%- for c in m.content %}"
    "{%- if c.type == 'image' %}<image>{%- elif c.type == 'text' %}{{ c.text }}{%- endif %}"
    "{%- endfor %}{%- endif %}<|im_end|>\n{%- endfor %}"
    "{%- if add_generation_prompt %}<|im_start|>assistant\n{%- endif %}"
)


def build_tiny_llava_vlm(folder: str | Path) -> None:
    import torch
    from transformers import AutoTokenizer, CLIPImageProcessorPil, LlavaConfig, LlavaForConditionalGeneration, LlavaProcessor

    folder = Path(folder)
    tokenizer = AutoTokenizer.from_pretrained(save_qwen_tokenizer(folder))
    tokenizer.add_special_tokens({"additional_special_tokens": ["<|im_start|>", "<|im_end|>", IMAGE_TOKEN]})
    image_processor = CLIPImageProcessorPil(size={"shortest_edge": 28}, crop_size={"height": 28, "width": 28})
    processor = LlavaProcessor(
        image_processor=image_processor,
        tokenizer=tokenizer,
        patch_size=14,
        vision_feature_select_strategy="default",
        chat_template=LLAVA_CHAT_TEMPLATE,
        image_token=IMAGE_TOKEN,
        num_additional_image_tokens=1,  # the CLS token
    )
    processor.save_pretrained(folder)
    torch.manual_seed(0)
    config = LlavaConfig(
        vision_config=dict(
            model_type="clip_vision_model", hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4, image_size=28, patch_size=14
        ),
        text_config=dict(model_type="qwen2", **qwen_text_config_kwargs(tokenizer)),
        image_token_index=tokenizer.convert_tokens_to_ids(IMAGE_TOKEN),
        vision_feature_select_strategy="default",
        vision_feature_layer=-1,
    )
    LlavaForConditionalGeneration(config).save_pretrained(folder)
