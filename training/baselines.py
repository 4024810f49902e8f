"""Reference points on the same splits: the majority class, and TF-IDF + logistic regression."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from framing.labelled import Example
from framing.labels import LITERAL, STANCES, SUBTEXTS
from framing.metrics import binary_f1, head_report


def _scores(examples: Sequence[Example], stance: Sequence[str], subtext: Sequence[str]) -> dict:
    return {
        "stance_macro_f1": head_report([e.stance for e in examples], stance, STANCES)["macro_f1"],
        "subtext_macro_f1": head_report([e.subtext for e in examples], subtext, SUBTEXTS)["macro_f1"],
        "euphemism_f1": binary_f1([e.subtext != LITERAL for e in examples], [s != LITERAL for s in subtext]),
    }


def majority(train: Sequence[Example], splits: dict[str, Sequence[Example]]) -> dict:
    """Always predict the most frequent training label of each head."""
    stance = Counter(e.stance for e in train).most_common(1)[0][0]
    subtext = Counter(e.subtext for e in train).most_common(1)[0][0]
    return {name: _scores(rows, [stance] * len(rows), [subtext] * len(rows)) for name, rows in splits.items()}


def tfidf_logreg(train: Sequence[Example], splits: dict[str, Sequence[Example]], seed: int = 13) -> dict:
    """Word and character n-gram TF-IDF with class-balanced logistic regression, one model per head."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    def model():
        features = make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        )
        return make_pipeline(
            features, LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced", random_state=seed)
        )

    texts = [e.text for e in train]
    stance = model().fit(texts, [e.stance for e in train])
    subtext = model().fit(texts, [e.subtext for e in train])
    return {
        name: _scores(rows, stance.predict([e.text for e in rows]), subtext.predict([e.text for e in rows]))
        for name, rows in splits.items()
    }
