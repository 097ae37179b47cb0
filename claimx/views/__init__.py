"""Views for people: an article's claims in the terminal (`show`), as one HTML file (`report`),
and as aggregate statistics (`stats`).

Everything here works from claim records, whether the pipeline just made them or they were read
back from claimx JSONL; only `articles.article_from_file` runs spaCy.
"""
