"""What the counter reads from a request, without keeping it: whether it comes from a robot, the class of device,
the referring domain. Pure functions of the headers (no database, no cache)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Robots, crawlers, link previews, monitors and HTTP libraries: not people reading a page. Matched anywhere in the
# user agent, case-insensitively; an empty user agent is a robot too.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrap|archiver|facebookexternalhit|embedly|preview|headless|lighthouse|"
    r"pagespeed|monitor|uptime|pingdom|statuscake|curl/|wget/|httpie|python-requests|python-urllib|aiohttp|httpx|"
    r"go-http-client|java/|okhttp|libwww|axios|node-fetch|guzzle|feedfetcher|rss|whatsapp|telegram|discord|"
    r"slack|skypeuripreview|qwantify|bingpreview|yandex|baidu|petal|semrush|ahrefs|mj12|dataprovider|"
    r"validator|check_http|nagios|zabbix",
    re.IGNORECASE,
)
TABLET = re.compile(r"ipad|tablet|kindle|silk/|playbook|(android(?!.*mobile))", re.IGNORECASE)
MOBILE = re.compile(r"mobi|iphone|ipod|android.*mobile|windows phone|blackberry|opera mini", re.IGNORECASE)

DESKTOP, PHONE, TABLET_CLASS, OTHER = "desktop", "mobile", "tablet", "other"


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or BOT_PATTERN.search(user_agent) is not None


def device_class(user_agent: str) -> str:
    """``mobile``, ``tablet``, ``desktop`` (a known desktop system) or ``other``."""
    if TABLET.search(user_agent):
        return TABLET_CLASS
    if MOBILE.search(user_agent):
        return PHONE
    if re.search(r"windows nt|macintosh|x11|linux|cros", user_agent, re.IGNORECASE):
        return DESKTOP
    return OTHER


def referrer_domain(referer: str, own_host: str) -> str:
    """The domain a visitor came from (``www.`` dropped), or "" when there is none or it is this site itself. Only
    the domain is kept: never the path or query of the page they came from."""
    if not referer:
        return ""
    try:
        host = (urlsplit(referer).hostname or "").lower()
    except ValueError:
        return ""
    own = own_host.split(":")[0].lower()
    host = host.removeprefix("www.")
    if not host or host == own.removeprefix("www."):
        return ""
    return host[:255]
