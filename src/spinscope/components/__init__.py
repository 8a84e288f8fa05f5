"""Built-in components; importing this module registers each of them."""

from . import encoder, frames, genre, sentences  # noqa: F401
