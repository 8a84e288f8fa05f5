"""Built-in components; importing this module registers each of them."""

from . import encoder, sentences  # noqa: F401
