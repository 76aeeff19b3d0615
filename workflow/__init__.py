"""letterflow core library: letter -> gettext catalogues -> MT drafts -> QA -> export.

Nothing in this package imports :mod:`web`.
"""

__version__ = "0.1.0"
