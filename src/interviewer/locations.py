"""Every on-disk path the app uses, from one place.

`INTERVIEWER_HOME` overrides all of them (config, database, user banks, backups live directly under it),
which is what tests and a portable install use. Otherwise the platform's user config/data dirs.
Nothing here touches the disk at import time; `ensure()` creates the dirs when a command needs them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "interviewer"


def _bundled_root() -> Path:
    """Where the built-in banks and rubrics are: inside the wheel, or the repo root in a source checkout."""
    pkg = Path(__file__).resolve().parent
    bundled = pkg / "_bundled"
    if bundled.is_dir():
        return bundled
    return pkg.parent.parent  # src/interviewer -> repo root


@dataclass(frozen=True)
class Locations:
    config_dir: Path
    data_dir: Path

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Locations:
        env = os.environ if env is None else env
        home = env.get("INTERVIEWER_HOME")
        if home:
            p = Path(home).expanduser()
            return cls(config_dir=p, data_dir=p)
        import platformdirs

        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        )

    @property
    def config_path(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "interviewer.db"

    @property
    def user_banks_dir(self) -> Path:
        return self.data_dir / "banks"

    @property
    def user_rubrics_dir(self) -> Path:
        return self.data_dir / "rubrics"

    @property
    def cache_dir(self) -> Path:
        """Data the app can rebuild at any time (parsed bank files); safe to delete."""
        return self.data_dir / "cache"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"

    @property
    def audio_dir(self) -> Path:
        """Recorded answers (voice takes) and their transcripts, until transcribed or, with voice.keep_audio
        (the default), for good; each take's path is stored with its attempt."""
        return self.data_dir / "audio"

    @property
    def builtin_banks_dir(self) -> Path:
        return _bundled_root() / "data" / "banks"

    @property
    def builtin_rubrics_dir(self) -> Path:
        return _bundled_root() / "rubrics"

    @property
    def calibration_path(self) -> Path:
        return _bundled_root() / "data" / "calibration" / "llm-100-calibration.jsonl"

    def ensure(self) -> Locations:
        for d in (self.config_dir, self.data_dir, self.user_banks_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self
