"""litellm backend: any provider litellm speaks (anthropic/..., gemini/..., openai/..., ollama_chat/...).

litellm is heavy (~3 s and ~200 MB to import) and by default fetches a model price list from the network on
import, so it is imported only when this backend makes its first call, in a worker thread (never on the UI
loop), with LITELLM_LOCAL_MODEL_COST_MAP=True (use the bundled price list). Its retries are off
(num_retries=0, max_retries=0): `backends.retry` is the only retry layer. `drop_params` is never enabled:
silently dropping the schema would turn a structured call into free text.

The key comes from the environment: the variable named by grader.api_key_env, or the provider's usual one
(ANTHROPIC_API_KEY, GEMINI_API_KEY, ...) which litellm reads itself.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
from collections.abc import Mapping
from typing import Any

from .base import (
    Backend,
    BackendError,
    ChatRequest,
    ChatResponse,
    Check,
    connection_refused,
    retry_after_from_headers,
)
from .openai_backend import is_local, probe_structured, status_error, where
from .redact import Redactor, env_secrets, one_line

# provider prefix -> the environment variable litellm reads the key from
PROVIDER_KEY_VARS = {
    "openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY", "gemini": "GEMINI_API_KEY",
    "mistral": "MISTRAL_API_KEY", "groq": "GROQ_API_KEY", "openrouter": "OPENROUTER_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY", "together_ai": "TOGETHERAI_API_KEY", "xai": "XAI_API_KEY",
    "cohere": "COHERE_API_KEY", "fireworks_ai": "FIREWORKS_API_KEY",
}
KEYLESS_PROVIDERS = {"ollama", "ollama_chat", "lm_studio", "hosted_vllm", "llamafile"}

_module: Any = None


def provider_of(model: str) -> str:
    return model.split("/", 1)[0].lower() if "/" in model else "openai"


def _import_litellm() -> Any:
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    mod: Any = importlib.import_module("litellm")  # its settings are module attributes its stubs do not declare
    for name in ("LiteLLM", "LiteLLM Proxy", "LiteLLM Router"):  # its warnings would land on the user's screen
        logging.getLogger(name).setLevel(logging.ERROR)
    mod.suppress_debug_info = True  # no "Give Feedback / Get Help" banners on stdout
    mod.drop_params = False
    if hasattr(mod, "telemetry"):
        mod.telemetry = False
    return mod


async def load_litellm() -> Any:
    """Import litellm once, in a worker thread."""
    global _module
    if _module is None:
        _module = await asyncio.to_thread(_import_litellm)
    return _module


class LiteLLMBackend(Backend):
    name = "litellm"
    supports_schema = True

    def __init__(self, model: str, base_url: str = "", api_key_env: str = "", timeout: float = 60.0,
                 env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        super().__init__(model, base_url.rstrip("/"))
        self.provider = provider_of(model)
        self.key_env_var = api_key_env or PROVIDER_KEY_VARS.get(self.provider)
        self._key = env.get(self.key_env_var, "") if self.key_env_var else ""
        self.needs_key = self.provider not in KEYLESS_PROVIDERS and not is_local(self.base_url)
        self.timeout = timeout
        self.redactor = Redactor([*env_secrets(env, [self.key_env_var] if self.key_env_var else []), self._key])

    def secrets(self) -> list[str]:
        return list(self.redactor.secrets)

    def describe(self) -> dict[str, str]:
        d = super().describe()
        d["provider"] = self.provider
        d["key variable"] = (f"{self.key_env_var} ({'set' if self._key else 'not set'})" if self.key_env_var
                             else "none needed")
        return d

    async def prepare(self) -> None:
        self._check_key()
        await load_litellm()

    def _kwargs(self, req: ChatRequest) -> dict[str, Any]:
        kw: dict[str, Any] = {
            "model": self.model, "messages": req.messages, "timeout": req.timeout,
            "response_format": {"type": "json_schema", "json_schema": {
                "name": req.schema_name, "schema": req.schema, "strict": True}},
            "temperature": req.temperature, "max_tokens": req.max_tokens,
            "num_retries": 0, "max_retries": 0, "drop_params": False,
        }
        if self.base_url:
            kw["api_base"] = self.base_url
        if self._key:
            kw["api_key"] = self._key
        return kw

    def _error(self, e: Exception) -> BackendError:
        import openai

        r = self.redactor
        at = where(self.base_url) if self.base_url else self.provider
        chain = _chain(e)
        if any(isinstance(c, (openai.APITimeoutError, TimeoutError)) for c in chain):
            return BackendError(f"no reply from {at} within the timeout", kind="timeout",
                                hint="the model is slow: raise grader.timeout, or use a smaller model")
        # litellm reports a failed connection as APIConnectionError, or (openai provider) as a 500 whose cause
        # is the SDK's connection error: look at the whole chain, not the outer status.
        if any(isinstance(c, (openai.APIConnectionError, ConnectionError)) or "Connect" in type(c).__name__
               for c in chain):
            detail = "connection refused" if connection_refused(e) else one_line(r(str(chain[-1])), 120)
            if self.provider in ("ollama", "ollama_chat"):
                return BackendError(f"cannot reach Ollama at {self.base_url or 'localhost:11434'} ({detail})",
                                    kind="connection", hint="start Ollama: run `ollama serve` (or open the app), "
                                                            "or fix grader.base_url")
            hint = ("is the server running? start it, or fix grader.base_url" if is_local(self.base_url)
                    else "check your network connection and grader.base_url")
            return BackendError(f"cannot connect to {at} ({detail})", kind="connection", hint=hint)
        status = getattr(e, "status_code", None)
        if isinstance(status, int) and status >= 400:
            detail = one_line(r(str(getattr(e, "message", "") or e)), 160)
            low = detail.lower()
            if self.provider in ("ollama", "ollama_chat") and "not found" in low and "model" in low:
                name = self.model.split("/", 1)[1]
                return BackendError(f"model {name!r} is not pulled in Ollama", kind="not_found", status=404,
                                    hint=f"run: ollama pull {name}")
            resp = getattr(e, "response", None)
            headers = getattr(resp, "headers", None) or getattr(e, "litellm_response_headers", None)
            return status_error(status, detail, backend=self.name, model=self.model, base_url=self.base_url,
                                key_var=self.key_env_var, key_set=bool(self._key),
                                retry_after=retry_after_from_headers(headers))
        return BackendError(f"litellm call to {at} failed ({type(e).__name__}: {one_line(r(str(e)), 160)})",
                            kind="bad_request", hint="check grader.model (provider/model) and grader.base_url")

    def _check_key(self) -> None:
        if self.needs_key and not self._key and self.key_env_var:
            raise BackendError(f"{self.key_env_var} is not set, and {self.provider} needs an API key", kind="config",
                               hint=f"export {self.key_env_var}=<your key>, or set grader.api_key_env")

    async def complete(self, request: ChatRequest) -> ChatResponse:
        self._check_key()
        litellm = await load_litellm()
        try:
            resp = await litellm.acompletion(**self._kwargs(request))
        except Exception as e:  # noqa: BLE001 - every litellm failure becomes a redacted BackendError
            raise self._error(e) from None
        choices = getattr(resp, "choices", None) or []
        if not choices:
            raise BackendError(f"{self.provider} returned no choices", kind="reply", hint="try again or another model")
        choice = choices[0]
        usage = getattr(resp, "usage", None)
        cost = None
        hidden = getattr(resp, "_hidden_params", None) or {}
        if isinstance(hidden, dict) and isinstance(hidden.get("response_cost"), (int, float)):
            cost = float(hidden["response_cost"])
        return ChatResponse(
            text=choice.message.content or "", finish_reason=getattr(choice, "finish_reason", None),
            model=getattr(resp, "model", "") or self.model,
            prompt_tokens=getattr(usage, "prompt_tokens", None), completion_tokens=getattr(usage, "completion_tokens",
                                                                                           None),
            cost_usd=cost, structured="json_schema",
        )

    async def check(self) -> list[Check]:
        checks: list[Check] = []
        if self.needs_key and self.key_env_var:
            checks.append(("API key", bool(self._key), f"{self.key_env_var} is {'set' if self._key else 'not set'}"))
            if not self._key:
                return checks
        try:
            await load_litellm()
            checks.append(("litellm", True, "imported (local price list)"))
        except Exception as e:  # noqa: BLE001
            return [*checks, ("litellm", False, f"import failed: {one_line(str(e), 120)}")]
        checks.append(await probe_structured(self, timeout=max(self.timeout, 30.0)))
        return checks


def _chain(e: BaseException) -> list[BaseException]:
    """The exception and its causes, outermost first."""
    out: list[BaseException] = []
    c: BaseException | None = e
    while c is not None and all(c is not x for x in out) and len(out) < 12:
        out.append(c)
        c = c.__cause__ or c.__context__
    return out
