"""Matplotlib with the Agg backend only: figures for files and for embedding in HTML.

Nothing here opens a window; ``matplotlib.use("Agg")`` is set before pyplot is imported, so
plots work on servers and in tests without a display.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from summit.errors import write_error


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def figure(width: float = 6.4, height: float = 4.0, rows: int = 1, cols: int = 1):
    """A new figure and its axes (one axes, or an array for rows x cols). Grids are laid out
    by fixed margins (cheaper than tight_layout, which draws the figure twice)."""
    plt = _pyplot()
    fig, ax = plt.subplots(rows, cols, figsize=(width, height), squeeze=rows * cols == 1)
    if rows * cols > 1:
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.6 / height, top=1 - 0.45 / height,
                            hspace=0.7, wspace=0.3)
        fig._summit_grid = True
    return fig, ax


def save(fig, path: str | Path, dpi: int = 120) -> None:
    """Write the figure to a PNG file and close it; a failed write is one line
    (summit.errors.write_error)."""
    plt = _pyplot()
    try:
        if not getattr(fig, "_summit_grid", False):
            fig.tight_layout()
        fig.savefig(path, dpi=dpi, format="png")
    except OSError as err:
        raise write_error(path, err) from None
    finally:
        plt.close(fig)


def png_bytes(fig, dpi: int = 80) -> bytes:
    plt = _pyplot()
    buf = io.BytesIO()
    try:
        if not getattr(fig, "_summit_grid", False):
            fig.tight_layout()
        fig.savefig(buf, dpi=dpi, format="png")
    finally:
        plt.close(fig)
    return buf.getvalue()


def data_uri(fig, dpi: int = 80) -> str:
    """The figure as a ``data:image/png;base64,...`` URI for an <img> tag; closes the figure."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(fig, dpi)).decode("ascii")
