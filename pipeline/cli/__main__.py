"""`python -m pipeline.cli`: the plenary command."""
from . import main

main()
