"""Test fakes shared by test files: a real HTTP server speaking the OpenAI and Ollama protocols.

Import as `from fakes import FakeLLMServer, Reply, fake_grader` (pytest puts tests/ on sys.path, as the
root conftest.py sits there). `fake_grader(server, "openai" | "ollama")` gives an LLMGrader wired to the server.
"""

from .llm_server import FakeLLMServer, refused_url
from .protocol import Recorded, Reply
from .replies import (
    auto_grade,
    best_quote,
    careful_reply,
    fake_grader,
    make_reply,
    request_answer,
    request_criterion_ids,
    request_key_point_ids,
    request_key_points,
    request_misconceptions,
)

__all__ = [
    "FakeLLMServer", "Recorded", "Reply", "auto_grade", "best_quote", "careful_reply", "fake_grader", "make_reply",
    "refused_url", "request_answer", "request_criterion_ids", "request_key_point_ids", "request_key_points",
    "request_misconceptions",
]
