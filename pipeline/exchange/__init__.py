"""Exchange: the run folder (`rundir`), REFI-QDA codebooks (`refi`) and projects (`qdpx`), Word export (`docx`)."""
