"""The LLM grader: the offline detector screens the answer -> `prompt` (+ `prompts/` templates, `defang` for
delimiter look-alikes) -> backend -> `schema` (parse, repair) -> `planted` (a reply copying a grade written in the
answer is refused) -> `assemble`: `evidence` (quotes checked against the answer), `misconceptions`, `echo` (no
recited reference), `reconcile` (levels corrected to what was verified) -> Grade; `cache` keeps grades not to pay
twice; `grader` runs the steps."""
