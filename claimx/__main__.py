"""`python -m claimx` runs the command line."""

from claimx.cli import main

main()
