"""framing: stance and coded subtext of diplomatic and political news, sentence by sentence."""

from framing.classifier import Classifier
from framing.errors import FramingError, InputError, ModelError
from framing.report import ArticleReport, SentenceLabel

__version__ = "0.1.0"
__all__ = ["ArticleReport", "Classifier", "FramingError", "InputError", "ModelError", "SentenceLabel"]
