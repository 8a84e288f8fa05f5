"""Built-in components; importing this module registers each of them."""

from . import actors, claims, encoder, frames, genre, narratives, persuasion, sentences  # noqa: F401
