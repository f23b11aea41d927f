"""Voice settings: `VoiceConfig`, the `[voice]` section of config.toml, defined in `interviewer.config` with the
rest of the settings (one loader, one set of layers: file < INTERVIEWER_VOICE_* environment < flags; an API
key in the file is refused there). Re-exported here so the voice modules read it from their own package.
"""

from __future__ import annotations

from ..config import VOICE_DEFAULT_MODELS as DEFAULT_MODELS
from ..config import RecorderName, VoiceBackendName, VoiceConfig

__all__ = ["DEFAULT_MODELS", "RecorderName", "VoiceBackendName", "VoiceConfig"]
