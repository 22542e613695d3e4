"""Which web addresses the app may open or fetch: http(s) only (no Qt; anyone may import it).

The lesson parser (which links of a lesson become links) and the dataset download ask
`is_safe_link` before an address may reach a browser or `urllib`: `file:`, `javascript:`,
`data:`, custom schemes, relative links and addresses carrying credentials are refused.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SAFE_LINK_SCHEMES = ("http", "https")
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")


def is_safe_link(url: str) -> bool:
    """True only for an http(s) URL with a host and no user name or password."""
    if not isinstance(url, str) or not url or _CONTROL_OR_SPACE.search(url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return (parts.scheme.lower() in SAFE_LINK_SCHEMES and bool(host)
            and parts.username is None and parts.password is None)
