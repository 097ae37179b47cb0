"""Measuring claimx against annotated data: readers for the task formats, metrics, scorers."""
