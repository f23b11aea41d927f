"""The offline grader, one step a module: analyse the text (`analyse`, `synonyms`) -> compile the question's cues
(`cues`) -> guard against manipulation (`guards`) -> match key points (`match`) -> score -> feedback (`feedback`);
`grader` runs the steps."""

from .grader import OfflineGrader

__all__ = ["OfflineGrader"]
