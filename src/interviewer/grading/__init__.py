"""Grading: the Grader interface, the offline grader and the LLM grader."""
