"""``python -m archgen``."""

from archgen.cli import main

main()
