"""The HTML report: escaping, self-containment, and the rendered page in a real headless Chromium."""

import re
import shutil

import pytest

from framing.cli import main
from framing.html import article_html
from framing.report import ArticleReport, SentenceLabel
from tests.conftest import ARTICLES, SEED_ARTICLE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def label(text, stance="neutral", subtext="literal", cue=None):
    start = text.find(cue) if cue else None
    return SentenceLabel(
        text=text, stance=stance, stance_probs={"cooperative": 0.1, "neutral": 0.8, "confrontational": 0.1},
        subtext=subtext, subtext_probs={}, euphemism=subtext != "literal", euphemism_prob=0.9,
        meaning="a veiled threat of retaliation" if cue else "says what it means", truncated=False,
        cue=cue or "", cue_start=start, cue_end=start + len(cue) if cue else None, start=0, end=len(text),
    )  # fmt: skip


def test_article_text_is_escaped():
    text = '<script>alert("x")</script> All options are on the table & more.'
    coded = label(text, "confrontational", "warning", "All options are on the table")
    report = ArticleReport(doc="<b>doc</b>", text=text, sentences=[coded])
    html = article_html(report, 1)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>doc</b>" not in html and "&lt;b&gt;doc&lt;/b&gt;" in html
    assert "&amp; more." in html
    assert re.search(r'<mark class="cue"[^>]*>All options are on the table<sup>\[1\]</sup></mark>', html)


def test_report_is_self_contained(capsys, tmp_path):
    out = tmp_path / "report.html"
    assert main(["score", str(SEED_ARTICLE), "--format", "html", "--output", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html), "external resource"
    assert "<script" not in html and "<link" not in html


@pytest.fixture
def browser(tmp_path):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,2400"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def test_seed_report_renders_in_chromium(browser, tmp_path, classifier):
    from selenium.webdriver.common.by import By

    text = SEED_ARTICLE.read_text(encoding="utf-8")
    other = ARTICLES / "eu-china-trade-summit.txt"
    # the CLI labels both articles in shared batches; score them the same way (int8 scales per batch)
    expected = next(classifier.score_many([(str(SEED_ARTICLE), text), (str(other), other.read_text(encoding="utf-8"))]))
    out = tmp_path / "report.html"
    assert main(["score", str(SEED_ARTICLE), str(other), "--format", "html",
                 "--output", str(out)]) == 0  # fmt: skip
    browser.get(out.as_uri())
    sections = browser.find_elements(By.CSS_SELECTOR, "section.article")
    assert len(sections) == 2
    seed = sections[0]
    spans = seed.find_elements(By.CSS_SELECTOR, "article span.s")
    assert len(spans) == len(expected.sentences)
    for span, sentence in zip(spans, expected.sentences):  # every sentence, in order, tagged in words
        tag = span.find_element(By.CSS_SELECTOR, ".tag").text
        assert tag.startswith({"cooperative": "COOP", "neutral": "NEUT", "confrontational": "CONF"}[sentence.stance])
        visible = re.sub(r"\[\d+\]", "", span.text.replace(tag, ""))
        assert " ".join(visible.split()) == " ".join(sentence.text.split())
    cues = seed.find_elements(By.CSS_SELECTOR, "article mark.cue")
    with_cue = [s for s in expected.sentences if s.euphemism and s.cue]
    assert len(cues) == len(with_cue) > 0
    for mark, sentence in zip(cues, with_cue):
        assert mark.text.startswith(sentence.cue)
        assert mark.get_attribute("title") == sentence.meaning
        assert mark.value_of_css_property("text-decoration-line") == "underline"
    notes = [li.text for li in seed.find_elements(By.CSS_SELECTOR, "ol.notes li")]
    assert [any(s.meaning in n for n in notes) for s in expected.coded] == [True] * len(expected.coded)
    assert seed.find_element(By.CSS_SELECTOR, ".coded-count").text == str(len(expected.coded))
    assert len(seed.find_elements(By.CSS_SELECTOR, "table.coded tbody tr")) == len(expected.coded)
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
