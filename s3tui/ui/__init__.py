"""The Textual app: buckets → prefixes → objects."""
