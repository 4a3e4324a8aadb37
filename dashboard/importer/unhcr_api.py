"""Reading one operation's population statistics from UNHCR's Refugee Statistics API.

`GET {base}population/?coa=MLI&cf_type=ISO&yearFrom=2014&yearTo=2026&limit=100&page=1` answers
`{page, maxPages, total, items}`; each item is one year of the country of asylum (no origin asked, so the
aggregate row: `coo_iso` "-"), its groups as integers or strings: "0" is zero, "-" is "not applicable", which
is no figure, never 0. Both `yearFrom` and `yearTo` are sent (public clients note that one alone is ignored)
and `cf_type=ISO` (else the codes are UNHCR's own). Every page `maxPages` announces is read, whatever page
size the server chose. Anything of a shape not known here stops the refresh with a line naming the
operation and the year; nothing is guessed.
"""

from __future__ import annotations

import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from ..data import MAX_PEOPLE
from ..safety import quote
from .reading import PageError

DEFAULT_API = "https://api.unhcr.org/population/v1/"
API_ENV = "DASHBOARD_UNHCR_API"
# The API's fields in the order it gives them, and the population group each one is here.
FIELDS = {
    "refugees": "refugees",
    "asylum_seekers": "asylum_seekers",
    "returned_refugees": "returned_refugees",
    "idps": "idps",
    "returned_idps": "returned_idps",
    "stateless": "stateless",
    "ooc": "ooc",
    "oip": "oip",
    "hst": "host_community",
}
NOT_APPLICABLE = "-"
PAGE_SIZE = 100  # years asked per page; a server may send fewer
MAX_PAGE_COUNT = 100  # a `maxPages` above this is not believed
MAX_ANSWER_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Client:
    """How requests are made: `timeout` per request in seconds; `attempts` in all for a request answered
    429, 5xx, a timeout or no connection, waiting `backoff` seconds, then twice that, and so on (a 429's
    Retry-After is obeyed up to `max_wait`)."""

    timeout: float = 30.0
    attempts: int = 4
    backoff: float = 2.0
    max_wait: float = 60.0

    @classmethod
    def from_env(cls) -> Client:
        """Defaults, with DASHBOARD_REFRESH_BACKOFF / _TIMEOUT (seconds) overriding (tests keep them tiny)."""
        values = {}
        for key in ("backoff", "timeout"):
            name = f"DASHBOARD_REFRESH_{key.upper()}"
            text = os.environ.get(name)
            if text:
                try:
                    values[key] = float(text)
                except ValueError:
                    values[key] = -1.0
                if not 0 <= values[key] < 3600:
                    raise PageError([f"${name}: expected a number of seconds (0 to 3600), found {quote(text)}"])
        return cls(**values)


def api_base(given: str | None) -> str:
    """--api, else $DASHBOARD_UNHCR_API, else UNHCR's own address; always ending in '/'."""
    base = given or os.environ.get(API_ENV) or DEFAULT_API
    if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
        raise PageError([f"--api: expected an http(s) address like {DEFAULT_API}, found {quote(base)}"])
    return base if base.endswith("/") else base + "/"


def population_url(base: str, operation: str, first: int, last: int, page: int) -> str:
    query = {"coa": operation, "cf_type": "ISO", "yearFrom": first, "yearTo": last, "limit": PAGE_SIZE, "page": page}
    return f"{base}population/?{urllib.parse.urlencode(query)}"


def _retry_wait(client: Client, attempt: int, error: urllib.error.HTTPError | None) -> float:
    wait = client.backoff * 2**attempt
    after = error.headers.get("Retry-After") if error is not None and error.headers else None
    if after and after.strip().isdigit():
        wait = max(wait, float(after))
    return min(wait, client.max_wait)


def _read_within(answer, seconds: float) -> bytes:
    """The body, read within `seconds` in all (a socket timeout bounds each read only, not a trickle), and at
    most one byte past the size limit."""
    deadline, parts, size = time.monotonic() + seconds, [], 0
    while size <= MAX_ANSWER_BYTES:
        part = answer.read1(min(65536, MAX_ANSWER_BYTES + 1 - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
        if time.monotonic() > deadline:
            raise TimeoutError("timed out")
    return b"".join(parts)


def get_json(url: str, client: Client, where: str):
    """The decoded JSON at `url`, retried on 429, 5xx, timeouts and refused connections."""
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "operation-dashboard"})
    for attempt in range(client.attempts):
        last = attempt == client.attempts - 1
        try:
            with urllib.request.urlopen(request, timeout=client.timeout) as answer:
                body = _read_within(answer, client.timeout)
            break
        except urllib.error.HTTPError as exc:
            if exc.code != 429 and exc.code < 500:
                raise PageError([f"{where}: the API refused the request (HTTP {exc.code}) at {url}"]) from None
            if last:
                raise PageError(
                    [f"{where}: the API answered HTTP {exc.code} {client.attempts} times at {url}"]
                ) from None
            time.sleep(_retry_wait(client, attempt, exc))
        except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            if last:
                why = getattr(exc, "reason", None) or exc or "timed out"
                raise PageError(
                    [f"{where}: no answer from the API after {client.attempts} tries ({why}) at {url}"]
                ) from None
            time.sleep(_retry_wait(client, attempt, None))
    if len(body) > MAX_ANSWER_BYTES:
        raise PageError([f"{where}: the API's answer is larger than {MAX_ANSWER_BYTES} bytes at {url}"])
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PageError([f"{where}: the API's answer is not JSON ({exc}) at {url}"]) from None


def _whole(value, where: str, field: str, low: int, high: int) -> int:
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PageError([f"{where}: field {quote(field)}: value {quote(json.dumps(value))}, expected {low} to {high}"])
    return value


def count(value, where: str, field: str) -> int | None:
    """A group's figure: an integer or a string of digits ("0" is 0); "-" (not applicable) is None."""
    if value == NOT_APPLICABLE:
        return None
    try:
        return _whole(value, where, field, 0, MAX_PEOPLE)
    except PageError:
        raise PageError(
            [
                f"{where}: field {quote(field)}: value {quote(json.dumps(value))}, expected a count of people "
                f"(0 to {MAX_PEOPLE:,}) or {quote(NOT_APPLICABLE)} (not applicable)"
            ]
        ) from None


def year_figures(item, operation: str, first: int, last: int, where: str) -> tuple[int, dict[str, int | None]] | None:
    """(year, {group: figure or None}) of one item; None for a per-origin row (not the aggregate)."""
    if not isinstance(item, dict):
        raise PageError([f"{where}: expected an object per item, found {quote(json.dumps(item)[:80])}"])
    if item.get("coo_iso", NOT_APPLICABLE) not in (NOT_APPLICABLE, None, ""):
        return None
    if "year" not in item:
        raise PageError([f"{where}: field 'year' missing"])
    year = _whole(item["year"], where, "year", 1, 9999)
    if not first <= year <= last:
        later = " (a year in the future)" if year > last else ""
        raise PageError([f"{where}: year {year}{later}, expected {first} to {last}, the years asked for"])
    where = f"{operation} {year}"
    if item.get("coa_iso") != operation:
        raise PageError([f"{where}: field 'coa_iso': value {quote(str(item.get('coa_iso')))}, expected {operation}"])
    missing = [field for field in FIELDS if field not in item]
    if missing:
        raise PageError([f"{where}: field {quote(missing[0])} missing (expected the fields {', '.join(FIELDS)})"])
    return year, {group: count(item[field], where, field) for field, group in FIELDS.items()}


def _page(body, operation: str, number: int, pages: int | None) -> tuple[int, list]:
    """(maxPages, items) of page `number`, checked to be that page of the same answer."""
    where = f"{operation}, page {number}"
    if not isinstance(body, dict):
        raise PageError([f"{where}: expected a JSON object with page, maxPages and items"])
    for field in ("page", "maxPages", "items"):
        if field not in body:
            raise PageError([f"{where}: field {quote(field)} missing (expected page, maxPages and items)"])
    if _whole(body["page"], where, "page", 1, MAX_PAGE_COUNT) != number:
        raise PageError([f"{where}: the API sent page {body['page']} instead"])
    announced = _whole(body["maxPages"], where, "maxPages", 0, MAX_PAGE_COUNT)
    if pages is not None and announced != pages:
        raise PageError([f"{where}: maxPages changed from {pages} to {announced} between pages"])
    if not isinstance(body["items"], list) or (number <= announced and not body["items"]):
        raise PageError([f"{where}: no items, though maxPages says {announced} pages"])
    return announced, body["items"]


def fetch_operation(base: str, operation: str, first: int, last: int, client: Client) -> dict[int, dict]:
    """{year: {group: figure or None}} for `operation`, years `first` to `last`, from every page."""
    items, pages, number, total = [], None, 1, None
    while pages is None or number <= pages:
        body = get_json(population_url(base, operation, first, last, number), client, f"{operation}, page {number}")
        pages, page_items = _page(body, operation, number, pages)
        items.extend((number, i, item) for i, item in enumerate(page_items, start=1))
        total = body.get("total") if isinstance(body.get("total"), int) else total
        number += 1
    if total is not None and total != len(items):
        raise PageError(
            [f"{operation}: the API announced {total} items but its {pages} page(s) (maxPages) held {len(items)}"]
        )
    figures: dict[int, dict] = {}
    for number, index, item in items:
        found = year_figures(item, operation, first, last, f"{operation}, page {number}, item {index}")
        if found is None:
            continue
        if found[0] in figures:
            raise PageError([f"{operation} {found[0]}: two aggregate rows for the year, expected one"])
        figures[found[0]] = found[1]
    if not figures:
        raise PageError(
            [f"{operation}: the API has no figures for {first}–{last}; is {operation} a country it knows (ISO3)?"]
        )
    return figures
