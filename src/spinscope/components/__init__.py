"""Built-in components; importing this module registers each of them."""

from . import actors, claims, encoder, frames, genre, persuasion, sentences  # noqa: F401
