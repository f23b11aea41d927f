"""The colour theme: chosen in the command palette (Ctrl+P, "Change theme"), kept in config.toml as
`[ui] theme`, and used from the first paint of the next start.

`saved_theme(path)` reads only that one value with tomllib (no pydantic, no config validation: it runs before the
first paint, and a broken config.toml is reported once the services load, not here). `remember(app, name)`
writes the chosen theme into config.toml the way the settings screen saves: the file's own layer read again and
written back whole, so nothing from the environment or the command line is written into it.
"""

from __future__ import annotations

from pathlib import Path


def saved_theme(config_path: Path) -> str:
    """The theme name saved in config.toml, or "" (no file, no value, or a file that cannot be read)."""
    try:
        import tomllib

        with open(config_path, "rb") as f:
            value = tomllib.load(f).get("ui", {}).get("theme", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


def remember(app, name: str) -> None:
    """Save `name` as the theme in config.toml (and in the running config). Says so if it cannot."""
    from ..config import load_config, save_config
    from ..core.errors import InterviewerError

    svc = app.services
    path = svc.locations.config_path
    try:
        file_cfg = load_config(path, env={})
        if file_cfg.ui.theme == name:
            return
        save_config(file_cfg.model_copy(update={"ui": file_cfg.ui.model_copy(update={"theme": name})}), path)
    except (InterviewerError, OSError) as e:
        app.notify(f"The theme is used now but could not be saved: {getattr(e, 'message', None) or e}",
                   severity="warning", timeout=8)
        return
    svc.config = svc.config.model_copy(update={"ui": svc.config.ui.model_copy(update={"theme": name})})
