"""Reference texts for benchmarks/voice.py: 24 spoken-style answers to the kind of questions in the llm-100
bank, 30-60 words each, some with the fillers people say ("um", "uh", "like", "you know", "basically") so
filler survival can be counted. No digits (a transcriber may write "two" as "2", which is not an error of
hearing). espeak-ng reads them; its pronunciation of jargon (LoRA, RAG) is part of what is measured."""

from __future__ import annotations

ANSWERS: list[str] = [
    "A transformer processes the whole sequence at once. Self attention lets each token weigh every other "
    "token, and a feed forward layer then transforms each position on its own.",
    "Um, tokenization splits text into pieces the model knows. Byte pair encoding starts from characters and "
    "keeps merging the most frequent pairs until the vocabulary is large enough.",
    "The context window is how much text the model can see at once. Anything beyond it is simply cut off, so "
    "long documents need chunking or retrieval.",
    "Temperature scales the logits before sampling. A low temperature makes the output nearly deterministic, "
    "while a high temperature spreads probability over more tokens and gives more varied text.",
    "Basically, retrieval augmented generation looks up relevant documents first and puts them in the prompt, "
    "so the model answers from fresh sources instead of only its memory.",
    "Fine tuning keeps training a pretrained model on a smaller labelled dataset. It adapts the weights to a "
    "task, but it can also make the model forget some general knowledge.",
    "Uh, low rank adaptation freezes the original weights and trains two small matrices whose product is added "
    "to each layer. That cuts the memory needed for fine tuning a lot.",
    "Hallucination is when the model states something fluent but false. It happens because the model predicts "
    "likely text, not verified facts, so grounding and citations help.",
    "The key value cache stores the keys and values of earlier tokens, so each new token only needs its own "
    "attention step. It trades memory for much faster generation.",
    "So, like, quantization stores weights with fewer bits, for example eight bit integers instead of floats. "
    "The model gets smaller and faster with only a small loss in quality.",
    "Reinforcement learning from human feedback trains a reward model on human preferences, then optimizes the "
    "language model against that reward while keeping it close to the original.",
    "Perplexity measures how surprised a model is by held out text. Lower is better, but it says little about "
    "whether answers are helpful or true.",
    "Positional encodings tell the model where each token sits, because attention alone ignores order. Rotary "
    "embeddings rotate the queries and keys by an angle that depends on position.",
    "You know, prompt injection is when text in the input tries to override the instructions. Untrusted "
    "content should be separated clearly and never given the same authority.",
    "Embeddings map text to vectors so that similar meanings end up close together. Search then compares "
    "vectors with cosine similarity instead of matching exact words.",
    "Chain of thought prompting asks the model to reason step by step before answering. It often helps with "
    "arithmetic and logic, although the written reasoning is not always faithful.",
    "Um, mixture of experts routes each token to a few expert layers out of many. The model has a huge number "
    "of parameters but only a small part of them runs for each token.",
    "Evaluation should use a held out test set that the model never saw. Otherwise contamination inflates the "
    "scores and the results do not show real ability.",
    "Distillation trains a small student model to copy the outputs of a large teacher. The student keeps much "
    "of the quality at a fraction of the cost.",
    "Uh, the attention score is the dot product of a query and a key, divided by the square root of the "
    "dimension, then passed through a softmax to get weights over the values.",
    "Batching several requests together keeps the hardware busy. Continuous batching goes further and adds new "
    "requests as soon as earlier ones finish.",
    "Guardrails check inputs and outputs against rules. They can block harmful requests, but, like, they also "
    "refuse some harmless ones, so they need careful tuning.",
    "A system prompt sets the role and the rules for the whole conversation. User messages come after it, and "
    "the model is trained to give it higher priority.",
    "Basically, beam search keeps the few most likely partial sequences at each step instead of only the best "
    "one. It finds more probable outputs but can sound repetitive.",
]

PAUSED: list[tuple[str, str]] = [
    ("Attention compares every token with every other token.", "Then a feed forward layer transforms each one."),
    ("Retrieval finds the documents that matter.", "The model then answers from those sources."),
    ("Quantization stores the weights with fewer bits.", "The model becomes smaller and faster."),
    ("Fine tuning adapts a pretrained model to one task.", "It can also forget some general knowledge."),
]
"""Sentence pairs joined by a known silence, for the pause figures."""
PAUSE_LENGTHS = (1.0, 1.5, 2.5, 4.0)
