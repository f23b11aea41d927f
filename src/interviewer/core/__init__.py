"""The pure domain: questions, banks, rubrics, attempts, grades, scoring bands and review rules. Imports
nothing heavier than pydantic; no textual, rich, network or sqlite."""
