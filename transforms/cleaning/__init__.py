"""The cleaning cascade: patterns (data), text steps, caption handling, clean_article.

The public names live in `transforms.clean`; this package's modules import each other directly
(patterns <- text_steps, captions <- article), so nothing here needs a lazy import.
"""
