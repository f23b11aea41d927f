"""The LLM grader: `prompt` (+ `prompts/` templates) -> backend -> `schema` (parse, repair) -> `evidence` (quotes
checked against the answer) -> `echo` (no recited reference) -> Grade; `cache` keeps grades not to pay twice;
`grader` runs the steps."""
