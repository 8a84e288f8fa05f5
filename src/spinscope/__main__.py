"""``python -m spinscope``: the same command line as the ``spinscope`` script."""

from .cli import main

if __name__ == "__main__":
    main()
