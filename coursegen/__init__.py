"""coursegen: turn authored course material into an HTML course and Anki decks."""

__version__ = "0.1.0"

__all__ = ["__version__"]
