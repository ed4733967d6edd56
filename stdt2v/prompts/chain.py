"""The seed's two-step prompt chain (``prompts.instructions=ipvg``), for the LLM backends.

As the runner-up submission ran it (../shared/SEED-RECIPE.md): first the temporal prompt for
the video model — the prompt rewritten to start with the subject, the main character
described first (face, clothing, actions), the background toned down but kept, the logic
kept, subtle facial changes allowed, the answer the prompt only (anything before the first
"A man" / "A woman" is cut); then the spatial prompt for the keyframe, made FROM THAT
TEMPORAL PROMPT — short comma-separated phrases, no feet, shoes or background people, ending
with the framing term ("close-up" in the seed), behind the keyframe adapter's trigger words.
Each answer is checked with the shared invariants; a bad one is asked again once (another
seed, a higher temperature, the error quoted); then the rule decoupler takes over.
"""

from __future__ import annotations

import re

from stdt2v.prompts.base import DecoupledPrompt, normalize_prompt
from stdt2v.prompts.llm import InvalidAnswer, LLMDecoupler, load_instructions, require_checks

# chain name → (temporal instructions, spatial instructions), files under instructions/.
CHAINS = {"ipvg": ("ipvg_temporal", "ipvg_spatial")}


def cut_to_subject(answer: str, subject: str) -> str:
    """The answer from the first occurrence of the subject phrase on, on one line."""
    answer = re.sub(r"<think>.*?</think>", "", answer, flags=re.DOTALL)
    answer = " ".join(answer.split()).strip("\"' ")
    start = answer.lower().find(subject.lower())
    if start < 0:
        raise InvalidAnswer(f'the temporal prompt must start with "{subject}"')
    return subject + answer[start + len(subject) :]


def clean_spatial(answer: str, framing: str) -> str:
    """One line of comma-separated phrases, ending with the framing term."""
    answer = re.sub(r"<think>.*?</think>", "", answer, flags=re.DOTALL)
    text = " ".join(answer.split()).strip("\"' .")
    if not text:
        raise InvalidAnswer("the spatial prompt is empty")
    if framing and not text.lower().endswith(framing.lower()):
        text = f"{text}, {framing}"
    return text


class ChainDecoupler(LLMDecoupler):
    def __init__(self, chat, *, chain: str = "ipvg", **kwargs):
        temporal_name, spatial_name = CHAINS[chain]
        super().__init__(chat, instructions=temporal_name, **kwargs)
        self.chain = chain
        self.temporal_instructions = self.instructions
        self.spatial_instructions, spatial_version = load_instructions(spatial_name)
        self.model = f"{self.model}+{spatial_version}"

    def _step(self, system: str, user: str, check) -> tuple[str | None, list[str]]:
        """One call of the chain, asked again once with the error: (answer or None, errors)."""
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        errors: list[str] = []
        for attempt in range(2):
            try:
                reply = self._ask(messages, attempt, json_mode=False)
            except Exception as err:
                errors.append(f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}")
                return None, errors
            try:
                return check(reply), errors
            except InvalidAnswer as err:
                errors.append(str(err))
                messages = messages[:2] + [
                    {"role": "assistant", "content": reply},
                    {"role": "user", "content": f"That answer is invalid: {err}. Answer again with the prompt only."},
                ]
        return None, errors

    def decouple(self, prompt: str, subject: str | None = None) -> DecoupledPrompt:
        text = normalize_prompt(prompt)
        subject = subject or self.fallback.subject_for(text)

        def check_temporal(reply: str) -> str:
            temporal = cut_to_subject(reply, subject)
            candidate = DecoupledPrompt(original=text, spatial=subject, temporal=temporal, subject=subject)
            require_checks(self.nlp, candidate, ("temporal_starts_with_subject", "pronouns_agree"))  # coverage: the temporal prompt carries it
            return temporal

        temporal, errors = self._step(self.temporal_instructions, f"Subject: {subject}\nPrompt: {text}", check_temporal)
        if temporal is None:
            return self._fall_back(text, subject, errors)

        def check_spatial(reply: str) -> str:
            spatial = clean_spatial(reply, self.framing)
            candidate = DecoupledPrompt(original=text, spatial=spatial, temporal=temporal, subject=subject)
            require_checks(self.nlp, candidate, ("spatial_motion_free", "pronouns_agree"), min_coverage=0.0)
            return spatial

        spatial, more = self._step(self.spatial_instructions, temporal, check_spatial)
        if spatial is None:
            return self._fall_back(text, subject, errors + more)
        notes = [f"{self.name} answered the {self.chain} chain (temporal, then spatial from it)"]
        spatial, temporal, cut = self.limits.apply(spatial, temporal, notes, trigger=self.trigger)
        return DecoupledPrompt(original=text, spatial=spatial, temporal=temporal, subject=subject, notes=notes, dropped=cut)
