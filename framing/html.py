"""The HTML report: one self-contained file (inline CSS, no scripts, no network), a section per article.

Every piece of article text is escaped; the page has no JavaScript, so article content can never run.
"""

from __future__ import annotations

from html import escape
from typing import IO

from framing.formats import Writer
from framing.labels import STANCES
from framing.report import ArticleReport, SentenceLabel

# Okabe-Ito colours (safe for the common colour-vision deficiencies); tints for sentence backgrounds.
STANCE_STYLE = {
    "cooperative": ("#0072B2", "#d6e9f5", "COOP"),
    "neutral": ("#6b6b6b", "#ececec", "NEUT"),
    "confrontational": ("#D55E00", "#f9dfcc", "CONF"),
}

CSS = """
:root { color-scheme: light; }
body { font: 16px/1.6 Georgia, 'Times New Roman', serif; color: #1a1a1a; max-width: 58rem; margin: 2rem auto;
       padding: 0 1rem; background: #fff; }
h1 { font: 600 1.6rem/1.2 system-ui, sans-serif; margin-bottom: .2rem; }
h2 { font: 600 1.25rem/1.3 system-ui, sans-serif; margin-top: 2.5rem; border-top: 2px solid #333; padding-top: 1rem; }
h3 { font: 600 1rem/1.3 system-ui, sans-serif; }
.meta, .summary, table, .legend, .notes { font-family: system-ui, sans-serif; font-size: .9rem; }
.summary { display: flex; flex-wrap: wrap; gap: .5rem 2rem; margin: .5rem 0 1rem; }
.summary b { font-size: 1.1rem; }
.bar { display: flex; height: 1.6rem; border: 1px solid #333; margin: .3rem 0 1rem; }
.bar span { display: flex; align-items: center; justify-content: center; color: #fff; font: 600 .75rem system-ui;
            overflow: hidden; white-space: nowrap; }
.s { padding: .1rem .15rem; border-radius: .2rem; }
.tag { font: 600 .6rem/1 system-ui, sans-serif; letter-spacing: .04em; border: 1px solid currentColor;
       border-radius: .2rem; padding: 0 .2rem; margin-left: .2rem; vertical-align: .15rem; }
.cue { text-decoration: underline; text-decoration-thickness: 2px; text-underline-offset: 3px; font-weight: 600;
       background: transparent; color: inherit; }
.cue:hover::after { content: " \\2192  " attr(data-meaning); font: italic .85rem system-ui, sans-serif; }
.cue sup { font: 600 .65rem system-ui, sans-serif; }
article p { margin: 0 0 .9rem; }
table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
.notes li { margin-bottom: .2rem; }
@media print { body { margin: 0; max-width: none; } .cue:hover::after { content: none; }
  .s, .bar span { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def _stance_css() -> str:
    rules = []
    for stance, (strong, tint, _) in STANCE_STYLE.items():
        rules.append(f".s-{stance} {{ background: {tint}; }} .t-{stance} {{ color: {strong}; }} "
                     f".b-{stance} {{ background: {strong}; }}")  # fmt: skip
    return "\n".join(rules)


def _sentence_html(label: SentenceLabel, note: int | None) -> str:
    """One sentence: tinted by stance, its cue underlined with the meaning, and a text tag for stance."""
    strong, _, short = STANCE_STYLE[label.stance]
    text = label.text
    span = label.cue_span()
    if note is not None and span is not None:
        start, end = span
        body = (
            f'{escape(text[:start])}<mark class="cue" title="{escape(label.meaning)}" '
            f'data-meaning="{escape(label.meaning)}" data-subtext="{label.subtext}">{escape(text[start:end])}'
            f"<sup>[{note}]</sup></mark>{escape(text[end:])}"
        )
    else:
        body = escape(text)
    tag = short if not label.euphemism else f"{short} \u00b7 {label.subtext.upper().replace('_', ' ')}"
    return (
        f'<span class="s s-{label.stance}" data-stance="{label.stance}" data-subtext="{label.subtext}">{body}'
        f'<span class="tag t-{label.stance}">{escape(tag)}</span></span>'
    )


def article_html(report: ArticleReport, number: int) -> str:
    """The section of one article: header, stance bar, marked-up text, notes and the coded-sentence table."""
    coded_notes: dict[int, int] = {}
    for i, s in enumerate(report.sentences):
        if s.euphemism:
            coded_notes[i] = len(coded_notes) + 1
    # Walk the article text, replacing each sentence span and keeping paragraph breaks.
    parts, cursor = ["<p>"], 0
    for i, s in enumerate(report.sentences):
        parts.append(escape(report.text[cursor : s.start]).replace("\n", "</p><p>"))
        parts.append(_sentence_html(s, coded_notes.get(i)))
        cursor = s.end
    parts.append(escape(report.text[cursor:]).replace("\n", "</p><p>") + "</p>")
    body = "".join(parts).replace("<p></p>", "")
    shares = report.stance_shares
    bar = "".join(
        f'<span class="b-{s}" style="width:{shares[s] * 100:.2f}%" title="{s} {shares[s]:.0%}">'
        f"{s} {shares[s]:.0%}</span>"
        for s in STANCES
        if shares[s] > 0
    )
    notes = "".join(
        f'<li value="{n}"><b>{escape(report.sentences[i].cue or report.sentences[i].subtext)}</b>: '
        f"{escape(report.sentences[i].meaning)} ({report.sentences[i].subtext})</li>"
        for i, n in coded_notes.items()
    )
    rows = "".join(
        f"<tr><td>{n}</td><td>{escape(report.sentences[i].text)}</td><td>{report.sentences[i].stance}</td>"
        f"<td>{report.sentences[i].subtext}</td><td>{escape(report.sentences[i].cue)}</td>"
        f"<td>{escape(report.sentences[i].meaning)}</td></tr>"
        for i, n in coded_notes.items()
    )
    table = (
        '<table class="coded"><thead><tr><th>#</th><th>sentence</th><th>stance</th><th>subtext</th><th>cue</th>'
        f"<th>meaning</th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else '<p class="meta">No coded sentences.</p>'
    )
    counts = report.stance_counts
    return (
        f'<section class="article" id="article-{number}" data-doc="{escape(report.doc)}">'
        f"<h2>{escape(report.doc)}</h2>"
        '<div class="summary">'
        f'<span>tone index <b class="tone">{report.tone_index:+.2f}</b> '
        "(\u22121 confrontational \u2026 +1 cooperative)</span>"
        f"<span>sentences <b>{len(report.sentences)}</b></span>"
        f'<span>coded <b class="coded-count">{len(report.coded)}</b> ({report.euphemism_rate:.0%})</span>'
        + "".join(f"<span>{s} <b>{counts[s]}</b></span>" for s in STANCES)
        + f'</div><div class="bar" role="img" aria-label="stance shares">{bar}</div>'
        f"<article>{body}</article>"
        f'<h3>Notes</h3><ol class="notes">{notes}</ol>'
        f"<h3>Coded sentences</h3>{table}</section>"
    )


class HtmlWriter(Writer):
    """``--format html``: one self-contained page, one section per article."""

    def __init__(self, stream: IO[str], meta: dict) -> None:
        super().__init__(stream, meta)
        self.count = 0
        legend = " ".join(
            f'<span class="s s-{s}">{s}<span class="tag t-{s}">{STANCE_STYLE[s][2]}</span></span>' for s in STANCES
        )
        stream.write(
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>framing report</title><style>{CSS}\n{_stance_css()}</style></head><body>"
            "<h1>framing report</h1>"
            f'<p class="meta">framing {escape(str(meta.get("framing_version", "")))}, model '
            f"{escape(str(meta.get('model', '')))}. Each sentence is tinted and tagged by stance; underlined words "
            "carry a coded meaning (hover, or see the numbered notes).</p>"
            f'<p class="legend">{legend}</p>'
        )

    def write(self, report: ArticleReport) -> None:
        self.count += 1
        self.stream.write(article_html(report, self.count))

    def close(self) -> None:
        self.stream.write("</body></html>\n")
