"""Chat clients for the LLM decoupler: a local transformers model, or an OpenAI-compatible server."""

from __future__ import annotations

import json
import logging
import os
import time
import urllib.error
import urllib.request

from stdt2v.errors import StdT2VError
from stdt2v.loading import load_pretrained
from stdt2v.runinfo import redact

logger = logging.getLogger(__name__)


class TransformersChat:
    """A local causal LM through its chat template (Qwen3-style: thinking disabled).

    ``prefill``: text the assistant's answer starts with (``{"spatial": "``), so that even a
    small model answers in the asked-for form; it is part of the returned text."""

    supports_prefill = True

    def __init__(self, model, tokenizer, *, temperature: float = 0.2, max_new_tokens: int = 512, seed: int = 0, top_p: float = 0.9):
        self.model = model
        self.tokenizer = tokenizer
        self.temperature = temperature
        self.top_p = top_p
        self.max_new_tokens = max_new_tokens
        self.seed = seed

    @classmethod
    def from_pretrained(cls, source: str, *, device: str = "cpu", dtype=None, gguf_file: str | None = None, allow_pickle: bool = False, **kwargs):
        from transformers import AutoModelForCausalLM, AutoTokenizer

        extra = {"gguf_file": gguf_file} if gguf_file else {}
        tokenizer = load_pretrained(AutoTokenizer.from_pretrained, source, "prompts.llm.model", weights=False, **extra)
        model = load_pretrained(
            AutoModelForCausalLM.from_pretrained,
            source,
            "prompts.llm.model",
            allow_pickle=allow_pickle or bool(gguf_file),
            dtype=dtype,
            **extra,
        )
        model.to(device).eval()
        return cls(model, tokenizer, **kwargs)

    def __call__(
        self, messages: list[dict], *, seed: int | None = None, temperature: float | None = None, prefill: str = "", json_mode: bool | None = None
    ) -> str:
        import torch

        temperature = self.temperature if temperature is None else temperature
        text = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, enable_thinking=False, tokenize=False)
        inputs = self.tokenizer(text + prefill, return_tensors="pt", add_special_tokens=False).to(self.model.device)
        torch.manual_seed(self.seed if seed is None else seed)  # sampling at low temperature, reproducible
        with torch.inference_mode():
            output = self.model.generate(
                **inputs,
                max_new_tokens=self.max_new_tokens,
                do_sample=temperature > 0,
                temperature=temperature if temperature > 0 else None,
                top_p=self.top_p if temperature > 0 else None,
                pad_token_id=self.tokenizer.pad_token_id or self.tokenizer.eos_token_id,
            )
        return prefill + self.tokenizer.decode(output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are refused: following one would send the API key to wherever it points."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, f"redirect to {newurl} refused (the key is not sent across origins)", headers, fp)


_OPENER = urllib.request.build_opener(_NoRedirect)


class OpenAIChat:
    """Any OpenAI-compatible ``/chat/completions`` endpoint (vLLM, SGLang, Ollama, ...). JSON mode
    (``response_format``) constrains the answer where the server supports it. ``top_p`` is sent
    when set (a server applies its own default otherwise); ``chat_template_kwargs`` (vLLM and
    SGLang: ``{"enable_thinking": false}`` keeps Qwen3 from thinking inside the token budget) is
    sent when not empty — OpenAI's own API refuses the field, so leave it empty there."""

    supports_prefill = False

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key_env: str = "OPENAI_API_KEY",
        temperature: float = 0.2,
        max_tokens: int = 512,
        timeout: float = 60.0,
        retries: int = 3,
        json_mode: bool = True,
        top_p: float | None = None,
        chat_template_kwargs: dict | None = None,
    ):
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.top_p = top_p
        self.chat_template_kwargs = dict(chat_template_kwargs or {})
        self.shown_url = redact(self.url)  # what messages, notes and logs show
        self.model = model
        self.api_key = os.environ.get(api_key_env, "")
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.timeout = timeout
        self.retries = retries
        self.json_mode = json_mode

    def __call__(
        self, messages: list[dict], *, seed: int | None = None, temperature: float | None = None, prefill: str = "", json_mode: bool | None = None
    ) -> str:
        body = {
            "model": self.model,
            "messages": messages,
            "temperature": self.temperature if temperature is None else temperature,
            "max_tokens": self.max_tokens,
        }
        if self.top_p is not None:
            body["top_p"] = self.top_p
        if self.chat_template_kwargs:
            body["chat_template_kwargs"] = self.chat_template_kwargs
        if seed is not None:
            body["seed"] = seed
        if self.json_mode if json_mode is None else json_mode:
            body["response_format"] = {"type": "json_object"}
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        last = None
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(self.url, data=json.dumps(body).encode(), headers=headers, method="POST")
            try:
                with _OPENER.open(request, timeout=self.timeout) as response:
                    payload = json.loads(response.read())
                return payload["choices"][0]["message"]["content"]
            except urllib.error.HTTPError as err:
                last = f"HTTP {err.code} from {self.shown_url}" + (
                    ": a redirect, refused (set prompts.openai.base_url to the final address)" if 300 <= err.code < 400 else ""
                )
                if err.code < 500 and err.code != 429:
                    break  # a client error will not pass on a retry
            except (urllib.error.URLError, TimeoutError, OSError) as err:
                last = f"{self.shown_url} unreachable: {getattr(err, 'reason', err)}"
            except (KeyError, IndexError, json.JSONDecodeError):
                last = f"{self.shown_url} answered something that is not a chat completion"
                break
            if attempt < self.retries:
                time.sleep(min(0.5 * 2**attempt, 8.0))
        raise StdT2VError(f"prompts.openai: {last}")
