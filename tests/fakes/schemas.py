"""What the real servers check about a structured-output schema, and whether a reply could come out of one.

- `openai_strict_problems(schema)`: the rules OpenAI's strict mode (`response_format` json_schema, strict=true)
  enforces before generating, as its documentation lists them: every object sets `additionalProperties: false`
  and lists every property in `required`; keywords outside the supported subset (string lengths among them) are
  refused. The fake OpenAI server answers a schema that breaks them with the 400 OpenAI sends ("Invalid schema
  for response_format ..."), so a schema we would only find wrong in production fails here.
- `llama_grammar_problems(schema)`: llama.cpp (behind Ollama's `format`) turns the schema into a grammar and
  refuses a repetition of 2,000 or more (`maxLength`/`maxItems`), failing the whole request.
- `conforms(schema, reply)`: the errors a reply has against a schema (jsonschema, the reference validator).
  Constrained decoding (OpenAI strict, Ollama `format`) can only produce replies with none.
"""

from __future__ import annotations

from typing import Any

STRICT_UNSUPPORTED = frozenset({
    "minLength", "maxLength", "minProperties", "maxProperties", "uniqueItems", "patternProperties", "default",
    "allOf", "not", "if", "then", "else", "dependentRequired", "dependentSchemas", "contains",
})
GRAMMAR_MAX_REPETITION = 2000


def _nodes(schema: Any, path: tuple = ()):
    if not isinstance(schema, dict):
        return
    yield path, schema
    for key, child in (schema.get("properties") or {}).items():
        yield from _nodes(child, (*path, "properties", key))
    if isinstance(schema.get("items"), dict):
        yield from _nodes(schema["items"], (*path, "items"))
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _nodes(schema["additionalProperties"], (*path, "additionalProperties"))
    for key in ("anyOf", "oneOf"):
        for i, child in enumerate(schema.get(key) or []):
            yield from _nodes(child, (*path, key, i))
    for key, child in (schema.get("$defs") or {}).items():
        yield from _nodes(child, (*path, "$defs", key))


def openai_strict_problems(schema: Any, name: str = "grade") -> list[str]:
    """OpenAI's messages for a strict schema it refuses (empty when it would accept it)."""
    out = []
    for path, node in _nodes(schema):
        where = f"In context={path!r}"
        for kw in sorted(STRICT_UNSUPPORTED & set(node)):
            out.append(f"Invalid schema for response_format '{name}': {where}, '{kw}' is not permitted.")
        if node.get("type") == "object":
            if node.get("additionalProperties") is not False:
                out.append(f"Invalid schema for response_format '{name}': {where}, 'additionalProperties' is "
                           "required to be supplied and to be false.")
            missing = [k for k in (node.get("properties") or {}) if k not in (node.get("required") or [])]
            if missing:
                out.append(f"Invalid schema for response_format '{name}': {where}, 'required' is required to be "
                           f"supplied and to be an array including every key in properties. Missing '{missing[0]}'.")
    return out


def llama_grammar_problems(schema: Any) -> list[str]:
    return [f"{'/'.join(map(str, path))}: {kw} {node[kw]}: number of repetitions exceeds sane defaults"
            for path, node in _nodes(schema) for kw in ("maxLength", "maxItems", "minLength", "minItems")
            if isinstance(node.get(kw), int) and node[kw] >= GRAMMAR_MAX_REPETITION]


def conforms(schema: dict, reply: Any) -> list[str]:
    """Validation errors of `reply` against `schema` ([] when a constrained decoder could have produced it)."""
    import jsonschema  # installed with litellm; only the tests use it

    return [f"{'/'.join(map(str, e.absolute_path)) or '(reply)'}: {e.message}"
            for e in jsonschema.Draft202012Validator(schema).iter_errors(reply)]
