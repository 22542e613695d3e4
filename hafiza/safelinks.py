"""Which addresses the app may open or fetch (no Qt; anyone may import it).

The lesson parser (which links of a lesson become links), the lesson page (what a click
opens) and the dataset download ask here: `is_safe_link` for web pages, http(s) only, before
an address may reach a browser or `urllib`; `is_mail_link` for a lesson's `mailto:` address.
`file:`, `javascript:`, `data:`, custom schemes, relative links and addresses carrying
credentials are refused.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

SAFE_LINK_SCHEMES = ("http", "https")
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")
_MAIL = re.compile(r"mailto:[^\s@/?#:<>\"]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?"
                   r"(?:\?[^\s<>\"]*)?", re.IGNORECASE)


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


def is_mail_link(href: str) -> bool:
    """True for `mailto:someone@host` (an optional `?subject=`), nothing hidden in it."""
    if not isinstance(href, str) or _CONTROL_OR_SPACE.search(href):
        return False
    # An address spelled with %-escapes could hide a second recipient or a newline.
    return _MAIL.fullmatch(href) is not None and _MAIL.fullmatch(unquote(href)) is not None
