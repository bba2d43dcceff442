"""Evaluate: agreement statistics between the tool and a person (`agreement`), and codebook suggestions (`suggest`)."""
