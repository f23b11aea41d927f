"""Finding the local Whisper model: a folder the user names, or a model name fetched the library's way.

This module owns turning `voice.model` into a folder faster-whisper can load, with clear errors, before the
library gets a chance to do something surprising (measured: a folder without tokenizer.json silently falls
back to the hub and retries for ~24 s; a path that does not exist fails with a confusing repo-id error):

- a **folder** (a path: absolute, ~, ./, or an existing directory) must hold model.bin, config.json,
  tokenizer.json and a vocabulary file; what is missing is named.
- a **name** (tiny.en, base.en, ...; or a hub repo id "org/name") is looked up in the Hugging Face cache
  first, offline. When it is not there, it is downloaded once with faster-whisper's own `download_model`
  (the ordinary way), unless downloads are off (HF_HUB_OFFLINE=1). `download_model` shows no progress of its
  own, so a side thread reports the bytes arriving in the cache folder against the model's published size.

faster-whisper and huggingface_hub are imported inside the functions (the `voice` extra is optional).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from .errors import INSTALL_VOICE, TYPE_INSTEAD, TranscriptionError
from .transcriber import Progress, ProgressHook

REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
VOCABULARY_FILES = ("vocabulary.txt", "vocabulary.json")
APPROX_MB: dict[str, int] = {
    "tiny": 75, "tiny.en": 75, "base": 145, "base.en": 145, "small": 484, "small.en": 484,
    "distil-small.en": 336, "medium": 1530, "medium.en": 1530, "distil-medium.en": 789,
    "large-v1": 3090, "large-v2": 3090, "large-v3": 3090, "large": 3090, "distil-large-v2": 1510,
    "distil-large-v3": 1510, "distil-large-v3.5": 1510, "large-v3-turbo": 1620, "turbo": 1620,
}
"""Published size of each model's model.bin, for the download progress (display only)."""
_OFF = ("1", "true", "yes", "on")
Download = Callable[..., str]


def is_path(model: str) -> bool:
    m = model.strip()
    return m.startswith(("/", "~", "./", "../", ".\\")) or (os.sep != "/" and os.sep in m) or Path(m).expanduser().is_dir()


def check_folder(folder: Path, shown: str | None = None) -> Path:
    """The folder if it holds a complete CTranslate2 Whisper model; else TranscriptionError naming what is missing."""
    shown = shown or str(folder)
    if not folder.is_dir():
        raise TranscriptionError(f"the voice model folder {shown} does not exist", kind="model_missing",
                                 hint="set voice.model to a folder with model.bin, config.json and tokenizer.json, "
                                      f"or to a model name such as base.en; {TYPE_INSTEAD}")
    missing = [f for f in REQUIRED_FILES if not (folder / f).is_file()]
    if not any((folder / f).is_file() for f in VOCABULARY_FILES):
        missing.append("vocabulary.txt (or .json)")
    if missing:
        raise TranscriptionError(f"the voice model folder {shown} is incomplete: no {', '.join(missing)}",
                                 kind="model_missing",
                                 hint="copy the whole CTranslate2 model folder (e.g. from Systran/faster-whisper-"
                                      f"base.en), or set voice.model to a name such as base.en; {TYPE_INSTEAD}")
    return folder


def downloads_off(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return env.get("HF_HUB_OFFLINE", "").strip().lower() in _OFF


def repo_id(name: str) -> str:
    if "/" in name:
        return name
    from faster_whisper import utils

    known: Mapping[str, str] = getattr(utils, "_MODELS", {})  # faster-whisper's own name -> repo table
    return known.get(name, f"Systran/faster-whisper-{name}")


def resolve_model(model: str, progress: ProgressHook | None = None, *, cache_dir: str | None = None,
                  env: Mapping[str, str] | None = None, download: Download | None = None) -> str:
    """A folder to load for `model` (a folder path or a name). May download (blocking): call it in a thread."""
    if is_path(model):
        return str(check_folder(Path(model).expanduser(), model))
    try:
        from faster_whisper import available_models
        from faster_whisper.utils import download_model
    except ImportError:
        raise extra_missing_error() from None
    name = model.strip()
    if "/" not in name and name not in available_models():
        raise TranscriptionError(f"unknown voice model {name!r}", kind="config",
                                 hint=f"set voice.model to one of {', '.join(available_models())}, or to a folder")
    download = download or download_model
    try:
        return str(check_folder(Path(download(name, local_files_only=True, cache_dir=cache_dir)), name))
    except OSError:  # LocalEntryNotFoundError: not in the cache yet
        pass
    if downloads_off(env):
        raise TranscriptionError(f"the voice model {name} is not downloaded, and downloads are off (HF_HUB_OFFLINE)",
                                 kind="model_missing",
                                 hint="unset HF_HUB_OFFLINE and connect once so it can be downloaded, or set "
                                      f"voice.model to a folder with the model files; {TYPE_INSTEAD}")
    size = APPROX_MB.get(name)
    if progress:
        progress(Progress("downloading", 0.0, f"downloading the voice model {name}"
                          + (f" (~{size} MB, once)" if size else " (once)")))
    watcher = _CacheWatcher(_cache_folder(name, cache_dir), (size or 0) * 1_000_000, progress)
    watcher.start()
    try:
        path = download(name, cache_dir=cache_dir)
    except (OSError, ValueError, RuntimeError) as e:  # no network, hub errors, disk full
        raise TranscriptionError(f"could not download the voice model {name}: {short_error(e)}", kind="model_missing",
                                 hint="check the internet connection and try again, or set voice.model to a folder "
                                      f"with the model files; {TYPE_INSTEAD}") from None
    finally:
        watcher.stop()
    if progress:
        progress(Progress("downloading", 1.0, f"voice model {name} downloaded"))
    return str(check_folder(Path(path), name))


def extra_missing_error() -> TranscriptionError:
    return TranscriptionError("local transcription needs the voice extra (faster-whisper), which is not installed",
                              kind="extra_missing",
                              hint=f"{INSTALL_VOICE} (or set voice.backend = \"openai\"); {TYPE_INSTEAD}")


def short_error(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return (text[:200] + "...") if len(text) > 200 else text or type(e).__name__


def _cache_folder(name: str, cache_dir: str | None) -> Path:
    if cache_dir is None:
        from huggingface_hub import constants

        cache_dir = constants.HF_HUB_CACHE
    return Path(cache_dir) / ("models--" + repo_id(name).replace("/", "--"))


class _CacheWatcher:
    """Reports the bytes in a model's cache folder every half second while it downloads."""

    def __init__(self, folder: Path, total: int, progress: ProgressHook | None, interval: float = 0.5) -> None:
        self.folder, self.total, self.progress, self.interval = folder, total, progress, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.progress is not None:
            self._thread = threading.Thread(target=self._run, name="voice-model-download", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2.0)

    def bytes_now(self) -> int:
        n = 0
        for root, _dirs, files in os.walk(self.folder):
            for f in files:
                p = Path(root) / f
                if not p.is_symlink():
                    try:
                        n += p.stat().st_size
                    except OSError:
                        pass
        return n

    def _run(self) -> None:
        assert self.progress is not None
        while not self._stop.wait(self.interval):
            got = self.bytes_now()
            frac = min(0.99, got / self.total) if self.total else None
            self.progress(Progress("downloading", frac, f"{got / 1e6:.0f} MB"
                                   + (f" of ~{self.total / 1e6:.0f} MB" if self.total else "")))

