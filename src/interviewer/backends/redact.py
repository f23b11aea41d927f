"""Redaction: no API key reaches the screen, a log or the database, even when a server echoes it back.

Every text that comes from a backend failure (SDK exception text, response bodies) and every model reply
passes through `Redactor.__call__` before it is shown or stored. It removes the exact key values we hold
(taken from the environment at use time, including the usual provider variables litellm reads on its own)
and anything shaped like a bearer token or a provider key, in case a server echoes a key we never held.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

MASK = "[REDACTED]"

# Variables providers' SDKs read by themselves: their values are redacted even if our config names another.
KNOWN_KEY_VARS = (
    "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY", "MISTRAL_API_KEY",
    "GROQ_API_KEY", "OPENROUTER_API_KEY", "TOGETHER_API_KEY", "TOGETHERAI_API_KEY", "DEEPSEEK_API_KEY",
    "COHERE_API_KEY", "FIREWORKS_API_KEY", "XAI_API_KEY", "AZURE_API_KEY", "AZURE_OPENAI_API_KEY",
    "HUGGINGFACE_API_KEY", "HF_TOKEN", "LITELLM_API_KEY", "LITELLM_MASTER_KEY", "OLLAMA_API_KEY",
)

# Shapes of secrets, redacted whatever their value: sk-..., sk-ant-..., AIza..., gsk_..., Bearer <token>,
# and key=value / "api_key": "value" pairs.
_PATTERNS = [
    re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_\-]{8,}"),
    re.compile(r"\bAIza[0-9A-Za-z_\-]{20,}"),
    re.compile(r"\b(?:gsk|xai|hf)_[A-Za-z0-9_\-]{12,}"),
    re.compile(r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=\-]{8,}"),
    re.compile(r"(?i)((?:api[_-]?key|x-api-key|authorization|access[_-]?token|secret)\"?'?\s*[:=]\s*\"?'?)"
               r"(?!\[REDACTED\])[^\s\"',}&]{6,}"),
]
_MIN_SECRET_LEN = 4


def env_secrets(env: Mapping[str, str] | None = None, extra_vars: Iterable[str] = ()) -> list[str]:
    """Values of the known key variables plus `extra_vars` that are set in the environment."""
    env = os.environ if env is None else env
    names = dict.fromkeys([*KNOWN_KEY_VARS, *[v for v in extra_vars if v]])
    return [env[n] for n in names if env.get(n)]


class Redactor:
    """Callable: text -> text with every secret replaced by [REDACTED]."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        vals = {s.strip() for s in secrets if s and len(s.strip()) >= _MIN_SECRET_LEN}
        # Longest first, so a key that contains another key is removed whole.
        self.secrets = sorted(vals, key=len, reverse=True)

    def add(self, *secrets: str) -> None:
        self.secrets = Redactor([*self.secrets, *secrets]).secrets

    def exact(self, text: str | None) -> str:
        """Only the secret values we hold (used on model replies, where key-shaped patterns could be content)."""
        if not text:
            return text or ""
        for s in self.secrets:
            if s in text:
                text = text.replace(s, MASK)
        return text

    def __call__(self, text: str | None) -> str:
        """The values we hold and anything shaped like a key or token (used on error text)."""
        text = self.exact(text)
        for pat in _PATTERNS:
            if pat.groups:
                text = pat.sub(lambda m: m.group(1) + MASK, text)
            else:
                text = pat.sub(MASK, text)
        return text


def redact(text: str | None, secrets: Iterable[str] = ()) -> str:
    """One-off redaction with the environment's key values and `secrets`."""
    return Redactor([*env_secrets(), *secrets])(text)


def one_line(text: str, limit: int = 240) -> str:
    """Collapse whitespace and shorten: error text from servers can be pages of HTML or JSON."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."
