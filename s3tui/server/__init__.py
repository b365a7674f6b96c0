"""``s3tui serve``: managed share links and the browser upload API (aiohttp.web)."""
