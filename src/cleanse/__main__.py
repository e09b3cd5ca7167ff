"""``python -m cleanse`` runs the command line."""

from cleanse.cli import main

main()
