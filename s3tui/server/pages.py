"""Small HTML pages, every value escaped; JSON instead when the client asks for it."""

from __future__ import annotations

import html

from aiohttp import web

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self' https: http:; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
}

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main><h1>{title}</h1>{body}</main></body></html>
"""


def wants_json(request: web.Request) -> bool:
    """True when the client prefers JSON (an API client) over a page (a browser)."""
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def page(title: str, body_html: str, status: int = 200, **headers: str) -> web.Response:
    """An HTML page; ``body_html`` must already be escaped."""
    return web.Response(
        status=status,
        text=_PAGE.format(title=html.escape(title), body=body_html),
        content_type="text/html",
        headers=headers,
    )


def refusal(
    request: web.Request, status: int, error: str, message: str, **headers: str
) -> web.Response:
    """A refusal as JSON or as a page that says why."""
    if wants_json(request):
        return web.json_response(
            {"error": error, "message": message}, status=status, headers=headers
        )
    return page(
        {
            401: "Password needed",
            404: "Not found",
            410: "Link no longer available",
            429: "Too many requests",
        }.get(status, "Request refused"),
        f"<p>{html.escape(message)}</p>",
        status,
        **headers,
    )


def password_form(request: web.Request, link_id: str, message: str) -> web.Response:
    """401 with a small form that posts the password back to the link."""
    if wants_json(request):
        return web.json_response({"error": "password", "message": message}, status=401)
    action = html.escape(f"/s/{link_id}", quote=True)
    body = (
        f"<p>{html.escape(message)}</p>"
        f'<form method="post" action="{action}">'
        '<label>Password <input type="password" name="password" autofocus required></label> '
        '<button type="submit">Download</button></form>'
    )
    return page("Password needed", body, 401)
