"""What every picture shares: matplotlib imported lazily (the optional extra ``gametheory[plot]``)
with an install hint when it is missing, and saving by the file name's extension."""

from __future__ import annotations

from typing import Any

from ..errors import GameError

PLOT_HINT = "--plot needs matplotlib: install gametheory[plot] (pip install 'gametheory[plot]' or pip install matplotlib)"


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the non-interactive Agg back-end, or a GameError with the install hint."""
    try:
        import matplotlib
    except ImportError:
        raise GameError(PLOT_HINT) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save(fig: Any, path: str, dpi: int = 130) -> None:
    """Write ``fig`` to ``path`` (.png, .svg or .pdf) and close it; problems become GameErrors."""
    import os

    import matplotlib.pyplot as plt

    ext = os.path.splitext(str(path))[1].lower()
    try:
        if ext not in (".png", ".svg", ".pdf"):
            raise GameError(f"--plot {path}: use a .png, .svg or .pdf file name")
        fig.savefig(path, dpi=dpi, bbox_inches="tight")
    except OSError as exc:
        raise GameError(f"--plot {path}: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)
