"""IPVG's two-step prompt chain (``prompts.instructions=ipvg``; arXiv 2507.04705), as the
runner-up's code runs it (../shared/RECIPES.md §1), for the LLM backends.

Step 1 writes the temporal prompt for the video model: the prompt rewritten to start with the
subject, the main character (face, clothing, actions) first, the background toned down but
kept. Step 2 writes the spatial prompt for the keyframe FROM THAT TEMPORAL PROMPT: short
comma-separated phrases, no feet, shoes or background people, ending with "close-up". Each
step is ONE user message (the instructions, then the prompt), sent with thinking off. The
answers are taken as IPVG takes them: a literal ``</think>`` removed, everything before the
first (case-sensitive) occurrence of the subject cut (an answer without it is kept whole), and
the framing term appended only where it occurs nowhere in the spatial answer. Our invariant
checks report on the result (``violations``) and do not re-ask; only an empty answer is asked
again once, and a failed server falls back to the rule decoupler.
"""

from __future__ import annotations

import re

from stdt2v.prompts.base import DecoupledPrompt, normalize_prompt
from stdt2v.prompts.llm import InvalidAnswer, LLMDecoupler, load_instructions

# chain name → (temporal instructions, spatial instructions), files under instructions/.
CHAINS = {"ipvg": ("ipvg_temporal", "ipvg_spatial")}
# What follows the instructions in each step's one user message.
TEMPORAL_LEAD = "Original prompt: "
SPATIAL_LEAD = "The video prompt is: "


def strip_thinking(answer: str) -> str:
    """The answer without a ``<think>…</think>`` block or a literal ``<think>``/``</think>`` left in it."""
    answer = re.sub(r"<think>.*?</think>", "", answer, flags=re.DOTALL)
    return answer.replace("</think>", "").replace("<think>", "").strip()


def cut_to_subject(answer: str, subject: str) -> str:
    """IPVG's cut: everything before the first case-sensitive occurrence of ``subject`` goes; an
    answer where it never occurs is kept. One line."""
    text = " ".join(strip_thinking(answer).split())
    start = text.find(subject)
    return text[start:] if start > 0 else text


def add_framing(spatial: str, framing: str) -> str:
    """``", {framing}"`` appended only when the framing term occurs nowhere in the answer."""
    return spatial if not framing or framing in spatial else f"{spatial}, {framing}"


class ChainDecoupler(LLMDecoupler):
    def __init__(self, chat, *, chain: str = "ipvg", **kwargs):
        temporal_name, spatial_name = CHAINS[chain]
        super().__init__(chat, instructions=temporal_name, **kwargs)
        self.chain = chain
        self.temporal_instructions = self.instructions
        self.spatial_instructions, spatial_version = load_instructions(spatial_name)
        self.model = f"{self.model}+{spatial_version}"

    @staticmethod
    def messages(instructions: str, lead: str, prompt: str, subject: str) -> list[dict]:
        """One step's request: a single user message, the instructions then the prompt."""
        return [{"role": "user", "content": f"{instructions.strip().replace('{subject}', subject)}\n{lead}{prompt}"}]

    def _step(self, messages: list[dict], subject: str) -> tuple[str | None, list[str]]:
        """One call of the chain (asked again once if the answer is empty): (answer or None, errors)."""
        errors: list[str] = []
        for attempt in range(2):
            try:
                reply = self._ask(messages, attempt, json_mode=False)
            except Exception as err:
                errors.append(f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}")
                return None, errors
            answer = cut_to_subject(reply, subject)
            if answer:
                return answer, errors
            errors.append(str(InvalidAnswer("the answer is empty")))
        return None, errors

    def decouple(self, prompt: str, subject: str | None = None) -> DecoupledPrompt:
        text = normalize_prompt(prompt)
        subject = subject or self.fallback.subject_for(text)
        temporal, errors = self._step(self.messages(self.temporal_instructions, TEMPORAL_LEAD, text, subject), subject)
        if temporal is None:
            return self._fall_back(text, subject, errors)
        answer, more = self._step(self.messages(self.spatial_instructions, SPATIAL_LEAD, temporal, subject), subject)
        if answer is None:
            return self._fall_back(text, subject, errors + more)
        notes = [f"{self.name} answered the {self.chain} chain (temporal, then spatial from it)"]
        spatial, temporal, cut = self.limits.apply(add_framing(answer, self.framing), temporal, notes, trigger=self.trigger)
        return DecoupledPrompt(original=text, spatial=spatial, temporal=temporal, subject=subject, notes=notes, dropped=cut)
