"""Pieces every view uses: source lines, table alternatives, CSV downloads, the base figure layout."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from ..data import Dataset
from ..i18n import t
from ..safety import neutralise

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
# Okabe-Ito colours: distinguishable with the common forms of colour-blindness.
BLUE, ORANGE, SKY, GREEN, VERMILLION, GREY = "#0072B2", "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#6B6B6B"
TEXT_COLOUR = "#1F1F1F"
MUTED = "#595959"
# Chart heights in px, shared by the figures and their containers.
HEIGHTS = {"breakdown": 440, "trend": 280, "years": 320, "pillars": 300}


@dataclass(frozen=True)
class Table:
    """A chart's data as a table: the accessible alternative and the CSV download share it."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Download:
    filename: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    source_ids: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())


def source_line(ds: Dataset, source_ids, lang: str) -> str:
    """'Source: … (licence …)' for one or more sources, in the order given."""
    parts = []
    for sid in dict.fromkeys(source_ids):
        src = ds.sources.loc[sid]
        parts.append(f"{src['citation']} ({t('licence', lang).lower()}: {src['licence']})")
    return "; ".join(parts)


def sources_text(ds: Dataset, source_ids, lang: str) -> str:
    """'Source: …' for a card, with licences; empty when there is no source."""
    ids = list(dict.fromkeys(source_ids))
    return t("source_line", lang, text=source_line(ds, ids, lang)) if ids else ""


def figure_source(ds: Dataset, source_ids, lang: str) -> str:
    """The short form inside a figure (citations only), so PNG exports keep their source."""
    ids = list(dict.fromkeys(source_ids))
    return t("source_line", lang, text="; ".join(ds.sources.loc[i, "citation"] for i in ids)) if ids else ""


def csv_text(ds: Dataset, download: Download) -> str:
    """CSV with the source and licence in '#' comment lines above the header."""
    out = io.StringIO()
    for sid in download.source_ids:
        src = ds.sources.loc[sid]
        out.write(f"# {src['citation']}. {src['title']}. Licence: {src['licence']}.\n")
    for note in download.notes:
        out.write(f"# {note}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(download.columns)
    writer.writerows([neutralise(cell) for cell in row] for row in download.rows)
    return out.getvalue()


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def base_layout(source: str, **extra) -> dict:
    """Plotly layout shared by the charts; the source sits in the figure so PNG exports keep it."""
    layout = {
        "font": {"family": FONT, "color": TEXT_COLOUR, "size": 13},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 80},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "separators": ".,",
        "showlegend": False,
        "hoverlabel": {"font": {"family": FONT}},
        "annotations": [
            {
                "text": source,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -66,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": 10, "color": MUTED},
            }
        ],
    }
    for key, value in extra.items():
        if key == "annotations":
            layout["annotations"] = layout["annotations"] + list(value)
        else:
            layout[key] = value
    return layout


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators for axis ticks."""
    return ", " if lang == "fr" else ".,"


def no_data_annotation(x, y, text: str, **extra) -> dict:
    """A grey label where the source has no figure. On category axes pass the category's index: plotly
    mis-ranges a category axis when several annotations name categories by their text."""
    return {"x": x, "y": y, "text": text, "showarrow": False, "font": {"size": 11, "color": MUTED}} | extra


def wrap(label: str, width: int = 22) -> str:
    """Break a long axis label into lines (plotly's <br>), so long group names leave room for the bars."""
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)
