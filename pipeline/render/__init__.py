"""Render: the human-readable views of an analysis -- report.html, Markdown, charts, evaluation and
suggestion reports, the comparison report. Nothing here analyses; it formats what the lower layers found."""
