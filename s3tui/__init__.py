"""s3tui: browse S3 and S3-compatible stores from the terminal and share presigned links."""

__version__ = "0.1.0"
