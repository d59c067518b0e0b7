"""The pypestream-braze runtime: the code every generated action node runs.

A node file is its own part (its constants, RULES, build_request and prepare: what
mapping.yaml says about that node), then one line, RUNTIME = "pypestream-braze runtime
VERSION sha256:HASH", then the text of this module exactly as it is here, the same in
every node a generator version makes. HASH is the SHA-256 of everything below that line,
so a reviewer who has read this module once can tell that a node's copy is unchanged,
and `pypestream-braze check` reports a copy that was edited. A node is uploaded to
Pypestream on its own, which is why it carries a copy instead of importing one.

Above the line, the node defines what this code reads from it: app (the solution's app
module, for app.PARAMS), NODE, METHOD, ENDPOINT, PATH_KEY, PERMISSION, TIME_BUDGET,
REPEAT_SAFE, MINOR_ERRORS_FAIL, FOUND, NOT_FOUND_ERRORS, NOTHING_FOUND, REFUSED, BROKEN,
OUTPUTS and RUNTIME; its class's execute() calls _execute().

1. Value rules: from a conversation's answers to the body of a Braze request. `check`
   and the generator run these same functions (values.py), so a node and the generator
   never disagree about how a value is converted.
   - A converter takes an answer as trimmed text and returns the value Braze gets, or
     raises ValueError saying what the text is not.
   - _value reads one answer: missing, converted, or unusable (the reason kept for the
     log).
   - _settle applies a node's rules to the body it built and leaves out what is missing;
     it says which rules broke, so a node that must not call Braze knows why.
2. The call: the configuration checked, attempts and retries within the node's time
   budget, Braze's answer routed to true, false or error, and logs with nothing private.
3. The transport: one per process for every node that carries this runtime (one session,
   with a connection pool per Braze host, and one watchdog thread), and a time budget
   that holds whatever the server does.

Written for the nodes: Python 3.8 to the newest, the standard library, and requests
(2.25 and later, with urllib3 1.26 or 2) through its documented extension points only,
imported by the first call, so that the generator, which runs the value rules from here,
never loads it. Names start with an underscore (the limits of a call aside), so none
meets a node's own.
"""

import contextlib
import functools
import json
import math
import os
import random
import re
import socket
import sys
import threading
import time
import types
import unicodedata
import urllib.parse
from datetime import datetime, timedelta, timezone

# A flow that has no answer may still fill a placeholder with one of these words.
_NO_ANSWER = ("none", "null", "undefined")
_UNFILLED = re.compile(r"\{[A-Z][A-Z0-9_]*\}")
_EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_NOT_A_PHONE = "not a phone number with its country code, such as +14155552671"
_AMBIGUOUS = "an ambiguous number: write 1000 or 1.5, not 1.000 or 1,500"
# ISO 8601 as a node reads it on every Python: a date, then optionally a time (after T,
# t or a space) to the hour, minute or second with any fraction (. or ,), and a zone: Z,
# +hh, +hhmm or +hh:mm. datetime.fromisoformat reads more forms on Python 3.11 than on
# 3.8 to 3.10, so the grammar is written out.
_ISO_MOMENT = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[Tt ]([0-9]{2})(?::([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?)?"
    r"([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
# A zone a spec names for answers given without one: UTC, Z, or a fixed offset (+02:00,
# -0530, +02). Nodes run on Python 3.8 without a time zone database, so no names.
_ZONE = re.compile(r"(UTC|utc|[Zz])|([+-])([0-9]{2})(?::?([0-9]{2}))?")
# ISO 8601 durations a spec adds to the moment of the call: weeks, days, hours, minutes and
# seconds (years and months have no fixed length, so they are not read).
_DURATION = re.compile(
    r"P(?:([0-9]+)W)?(?:([0-9]+)D)?(?:T(?=[0-9])(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)S)?)?"
)
_LONGEST_DURATION = timedelta(days=3660)
_NO_ZONE = "a time without a zone (end it with Z or an offset such as +02:00)"
# Identifiers whose form Braze documents, each with what it is: (pattern, description).
# `check` judges a spec's constants and defaults by these same rules.
_IDENTIFIERS = {
    # API identifier types page: "all ASCII characters and at most 64 characters long".
    "send_id": (r"[\x00-\x7f]{1,64}", "a send_id: at most 64 ASCII characters"),
    # Transactional email page: ^[a-zA-Z0-9-_+/=]+$ (Base64 characters).
    "external_send_id": (
        r"[a-zA-Z0-9\-_+/=]+",
        "an external_send_id: letters, digits and - _ + / = only",
    ),
    # Create catalog page: invalid-catalog-name, catalog-name-too-large (250).
    "catalog_name": (
        r"[A-Za-z0-9_\-]{1,250}",
        "a catalog name: at most 250 letters, digits, - and _",
    ),
}
_DIRECTIVES = {
    "%Y": "YYYY",
    "%y": "YY",
    "%m": "MM",
    "%d": "DD",
    "%H": "hh",
    "%I": "hh",
    "%M": "mm",
    "%S": "ss",
    "%f": "ffffff",
    "%p": "AM",
    "%b": "Jan",
    "%B": "January",
    "%a": "Mon",
    "%A": "Monday",
    "%j": "DDD",
    "%z": "+0000",
    "%Z": "UTC",
    "%%": "%",
}
_GENDERS = {
    "m": "M",
    "male": "M",
    "man": "M",
    "f": "F",
    "w": "F",
    "female": "F",
    "woman": "F",
    "o": "O",
    "other": "O",
    "non-binary": "O",
    "nonbinary": "O",
    "n": "N",
    "not applicable": "N",
    "p": "P",
    "prefer not to say": "P",
}
_BOOLEANS = {
    "true": True,
    "yes": True,
    "y": True,
    "1": True,
    "on": True,
    "false": False,
    "no": False,
    "n": False,
    "0": False,
    "off": False,
}
# A number: digits with at most one kind of decimal mark, or marks that group by three.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_GROUPED_NUMBERS = (  # (thousands mark, decimal mark, pattern)
    (",", ".", re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")),
    (".", ",", re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")),
    (" ", ".", re.compile(r"[+-]?[0-9]{1,3}(?: [0-9]{3})+(?:\.[0-9]+)?")),
    (" ", ",", re.compile(r"[+-]?[0-9]{1,3}(?: [0-9]{3})+(?:,[0-9]+)?")),
)


def _text_of(value):
    """The answer as trimmed text; None when there is no answer: absent, empty, an
    unfilled {VAR}, or a word a flow writes for none ("None", "null", "undefined")."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    if not text or text.lower() in _NO_ANSWER or _UNFILLED.search(text):
        return None
    return text


def _string(text):
    return text


def _email(text):
    if len(text) > 254 or not _EMAIL_ADDRESS.fullmatch(text):
        raise ValueError("not an email address")
    return text


def _phone(text):
    """E.164: a + and the country code, then up to 14 digits."""
    digits = re.sub(r"[\s().-]", "", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if not _E164.fullmatch(digits):
        raise ValueError(_NOT_A_PHONE)
    return digits


def _date(text, pattern="%Y-%m-%d"):
    """Braze's YYYY-MM-DD, from the conversation's pattern (ISO is always accepted)."""
    for attempt in (pattern, "%Y-%m-%d"):
        try:
            return datetime.strptime(text, attempt).date().isoformat()
        except ValueError:
            continue
    raise ValueError("not a date in the form " + _form(pattern))


def _timestamp(text, pattern=None, zone=None):
    """ISO 8601 in UTC, such as 2024-05-01T10:30:00Z. A time without a zone is in zone (UTC
    or a fixed offset, as the spec says); without one either, it is refused, never guessed.
    """
    try:
        moment = datetime.strptime(text, pattern) if pattern else _moment(text)
    except (ValueError, OverflowError):
        form = _form(pattern) if pattern else "ISO 8601, such as 2024-05-01T10:30:00Z"
        raise ValueError("not a date and time in the form " + form) from None
    if moment.tzinfo is None and zone is None:
        raise ValueError(_NO_ZONE)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_zone(zone))
    try:
        return _iso(moment)
    except OverflowError:
        form = _form(pattern) if pattern else "ISO 8601, such as 2024-05-01T10:30:00Z"
        raise ValueError("not a date and time in the form " + form) from None


def _zone(text):
    """A fixed zone: UTC (or Z), or an offset such as +02:00, -0530 or +02."""
    found = _ZONE.fullmatch(text)
    if found is None:
        raise ValueError("not a time zone: write UTC or an offset such as +02:00")
    utc, sign, hours, minutes = found.groups()
    if utc:
        return timezone.utc
    offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if int(hours) > 23 or int(minutes or 0) > 59:
        raise ValueError("not a time zone offset")
    return timezone(-offset if sign == "-" else offset)


def _duration(text):
    """An ISO 8601 duration (P3D, PT2H, P1W, P1DT12H) as a timedelta."""
    found = _DURATION.fullmatch(text)
    if found is None or text in ("P", "PT"):
        if re.match(r"P[0-9YM]*[YM]", text):
            raise ValueError(
                "a duration in years or months, which have no fixed length; "
                "write it in weeks, days or hours, such as P90D"
            )
        raise ValueError("not an ISO 8601 duration such as P3D, PT2H or P1DT12H")
    weeks, days, hours, minutes, seconds = (int(part or 0) for part in found.groups())
    try:
        span = timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes)
        span += timedelta(seconds=seconds)
    except OverflowError:  # more days than a timedelta holds: longer still
        span = None
    if span is None or span > _LONGEST_DURATION:
        raise ValueError("a duration longer than ten years")
    return span


def _later(duration):
    """The moment of the call plus an ISO 8601 duration, in UTC: 2024-05-04T10:30:00Z."""
    return _iso(_moment(_now()) + _duration(duration))


def _identifier(text, kind):
    """text if it has the form Braze documents for the identifier kind, or ValueError."""
    pattern, description = _IDENTIFIERS[kind]
    if not re.fullmatch(pattern, text):
        raise ValueError("not " + description)
    return text


def _local_timestamp(text, pattern=None):
    """A date and time without a zone, such as 2024-05-01T10:30:00: what Braze takes
    when it sends in each user's own time zone. A zone the answer gives is left out, and
    its time kept."""
    try:
        moment = datetime.strptime(text, pattern) if pattern else _moment(text)
        return moment.replace(tzinfo=None).isoformat(timespec="seconds")
    except (ValueError, OverflowError):
        form = _form(pattern) if pattern else "ISO 8601, such as 2024-05-01T10:30:00"
        raise ValueError("not a date and time in the form " + form) from None


def _moment(text):
    """A datetime read by the grammar of _ISO_MOMENT, with the zone the text gives."""
    found = _ISO_MOMENT.fullmatch(text)
    if found is None:
        raise ValueError("not ISO 8601")
    year, month, day, hour, minute, second, fraction, zone = found.groups()
    zone_info = None
    if zone in ("Z", "z"):
        zone_info = timezone.utc
    elif zone:
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 23 or minutes > 59:
            raise ValueError("not a time zone offset")
        offset = timedelta(hours=hours, minutes=minutes)
        zone_info = timezone(-offset if zone.startswith("-") else offset)
    return datetime(
        int(year),
        int(month),
        int(day),
        int(hour or 0),
        int(minute or 0),
        int(second or 0),
        int((fraction or "")[:6].ljust(6, "0")),
        zone_info,
    )


def _iso(moment):
    text = moment.astimezone(timezone.utc).isoformat(timespec="seconds")
    return text.replace("+00:00", "Z")


def _form(pattern):
    """A strptime pattern as people write it: "%d/%m/%Y" -> "DD/MM/YYYY"."""
    return re.sub("%.", lambda found: _DIRECTIVES.get(found[0], found[0]), pattern)


def _gender(text):
    code = _GENDERS.get(text.lower())
    if code is None:
        raise ValueError("not a gender Braze knows (M, F, O, N or P)")
    return code


def _country(text):
    """ISO 3166-1 alpha-2, from a code (GB, GBR) or an English name or alias (UK)."""
    code = _countries().get(_folded(text))
    if code is None:
        raise ValueError("not a country Braze knows; give its ISO code, such as GB")
    return code


def _countries():
    if not _COUNTRY_CODES:
        for line in _COUNTRY_TABLE.strip().splitlines():
            alpha_2, alpha_3, names = line.split(" ", 2)
            for name in (alpha_2, alpha_3, *names.split("|")):
                _COUNTRY_CODES[_folded(name)] = alpha_2
    return _COUNTRY_CODES


def _folded(text):
    """text compared the way people mean it: no accents, case or punctuation."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _language(text):
    """ISO 639-1, also from a locale such as en-US or en_US."""
    code = re.split(r"[-_]", text)[0].lower()
    if code not in _LANGUAGE_CODES.split():
        raise ValueError("not an ISO 639-1 language code, such as en")
    return code


def _integer(text):
    number = _number(text)
    if number != int(number):
        raise ValueError("not a whole number")
    return int(number)


def _decimal(text):
    return _number(text)


def _number(text):
    """A number read without guessing. One mark (. or ,) is the decimal mark, unless
    exactly three digits follow it (1.000 and 1,500 could be thousands): that is
    ambiguous and left out. Marks that group digits by three are thousands: 1,299.50,
    1.299,50 and 1 299,50 are 1299.5."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    number = None
    if _PLAIN_NUMBER.fullmatch(text):
        if re.search(r"[.,][0-9]{3}$", text):
            raise ValueError(_AMBIGUOUS)
        number = float(text.replace(",", "."))
    for thousands, decimal, pattern in _GROUPED_NUMBERS:
        if number is None and pattern.fullmatch(text):
            number = float(text.replace(thousands, "").replace(decimal, "."))
    if number is None or not math.isfinite(number):
        raise ValueError("not a number")
    return number


def _boolean(text):
    flag = _BOOLEANS.get(text.lower())
    if flag is None:
        raise ValueError("not yes or no")
    return flag


def _within(
    value,
    max_length=None,
    max_bytes=None,
    minimum=None,
    maximum=None,
    identifier=None,
):
    """value if it is within Braze's documented limits for its field, or ValueError."""
    if identifier is not None:
        _identifier(str(value), identifier)
    if max_length is not None and len(value) > max_length:
        raise ValueError(f"longer than the {max_length} characters Braze accepts")
    if max_bytes is not None and len(value.encode("utf-8")) > max_bytes:
        raise ValueError(f"longer than the {max_bytes} bytes Braze accepts")
    if minimum is not None and value < minimum:
        raise ValueError(f"less than the {minimum:g} Braze accepts at least")
    if maximum is not None and value > maximum:
        raise ValueError(f"more than the {maximum:g} Braze accepts at most")
    return value


def _value(answer, name, convert, args, default, limits, problems):
    """An answer converted for Braze and within its limits; default when there is no
    usable answer (None: left out). problems[name] says why an answer was unusable."""
    text = _text_of(answer)
    if text is None:
        return default
    try:
        return _within(convert(text, *args), **limits)
    except ValueError as err:
        problems[name] = str(err)
        return default


def _fill(template, names, payload, limits, problems):
    """template with every {NAME} replaced by its answer; None when one is missing."""
    answers = [_text_of(payload.get(name)) for name in names]
    if None in answers:
        return None
    for name, answer in zip(names, answers):
        template = template.replace("{" + name + "}", answer)
    try:
        return _within(template, **limits)
    except ValueError as err:
        problems[", ".join(names)] = str(err)
        return None


def _param(params, name):
    value = params.get(name)
    return None if value is None or value == "" else value


def _context(context, key):
    return _text_of(context.get(key))


def _now():
    return _iso(datetime.now(timezone.utc))


def _at(tree, path):
    """The value at path in tree (keys and list indexes), None where there is none. The
    step "*" is the first entry of an object or a list: the one user a chat asked about.
    """
    for step in path:
        if step == "*" and isinstance(tree, (dict, list)):
            tree = list(tree.values() if isinstance(tree, dict) else tree)[:1]
            step = 0
        try:
            tree = tree[step]
        except (KeyError, IndexError, TypeError):
            return None
    return tree


def _output_text(value):
    """A value of Braze's answer as an output variable: text as it is, anything else as
    JSON, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _url_path(template, values):
    """template ("catalogs/{catalog_name}/items/{item_id}") with each {name} replaced by
    its value, URL-encoded whole, so a "/", "?", "#" or "%" in an answer stays inside
    its own segment. A value that is "." or ".." would change which URL is called
    (clients resolve such segments), so it raises ValueError instead."""
    for name, value in values.items():
        text = str(value)
        if text in (".", ".."):
            raise ValueError(f"{name}: {text!r} cannot be sent in a URL")
        template = template.replace("{" + name + "}", urllib.parse.quote(text, safe=""))
    return template


def _query_string(query):
    """A GET's query: key=value, a list as key[]=item for each item (how Braze takes
    several users), true and false in lower case; every key and value URL-encoded (the
    brackets too, as HTTP clients send them)."""
    pairs = []
    for key, value in query.items():
        name = key + "[]" if isinstance(value, list) else key
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, bool):
                item = "true" if item else "false"
            text = urllib.parse.quote(str(item), safe="")
            pairs.append(urllib.parse.quote(name, safe="") + "=" + text)
    return "&".join(pairs)


def _prune(tree):
    """tree without missing values; a dict or list left with nothing is missing too."""
    if isinstance(tree, dict):
        kept = {key: _prune(value) for key, value in tree.items()}
        kept = {key: value for key, value in kept.items() if value is not None}
        return kept if kept or not tree else None
    if isinstance(tree, list):
        kept = [item for item in map(_prune, tree) if item is not None]
        return kept if kept or not tree else None
    return tree


def _is_missing(tree):
    """Whether _prune(tree) is None, found without building anything."""
    if isinstance(tree, dict):
        return bool(tree) and all(_is_missing(value) for value in tree.values())
    if isinstance(tree, list):
        return bool(tree) and all(_is_missing(item) for item in tree)
    return tree is None


def _settle(body, rules):
    """The body as sent, and the rules it broke: each rule (kind, path, keys, label) is
    applied deepest first, turning what it judges incomplete into a missing value, then
    every missing value is left out. A broken "must" rule: Braze must not be called."""
    broken = []
    for rule in rules:
        kind, path, keys, _ = rule
        value = _at(body, path)
        if kind == "each" and isinstance(value, list):
            whole = not any(_is_missing(item) for item in value)
        elif isinstance(value, dict):
            present = [not _is_missing(value.get(key)) for key in keys]
            whole = all(present) if kind == "all" else any(present)
        else:
            continue
        if not whole:
            broken.append(rule)
            if kind != "must":
                _put(body, path, None)
    return _prune(body), broken


def _put(tree, path, value):
    parent = _at(tree, path[:-1])
    if isinstance(parent, (dict, list)):
        parent[path[-1]] = value


def _below(path, other):
    """Whether path is deeper than other, inside it."""
    return len(path) > len(other) and path[: len(other)] == other


def _absent(payload, name):
    return _text_of(payload.get(name)) is None


def _skipped(problems):
    """What BRAZE_SKIPPED says: each answer left out because it could not be used, and why."""
    return "; ".join(f"{name}: {why}" for name, why in problems.items())


def _unusable(payload, problems, required, strict):
    """Why Braze must not be called because of the answers themselves ("" when it may be): a
    required answer that is missing or unusable, or an unusable one for an identifier whose
    form Braze documents (strict), which Braze would refuse."""
    missing = [n for n in required if n not in problems and _absent(payload, n)]
    stopping = [n for n in problems if n in required or n in strict]
    reasons = [f"{name}: {problems[name]}" for name in stopping]
    if missing:
        reasons.insert(0, "missing " + ", ".join(missing))
    return "; ".join(reasons)


def _why_missing(broken, payload, problems):
    """What BRAZE_ERROR says when rules broke: the answers behind the deepest ones."""
    paths = [rule[1] for rule in broken]
    deepest = [rule for rule in broken if not any(_below(p, rule[1]) for p in paths)]
    labels = list(dict.fromkeys(name for rule in deepest for name in rule[3]))
    unusable = [name for name in labels if name in problems]
    missing = [n for n in labels if n not in problems and _absent(payload, n)]
    reasons = [f"{name}: {problems[name]}" for name in unusable]
    if missing or not reasons:
        reasons.insert(0, "missing " + ", ".join(missing or labels))
    return "; ".join(reasons)


# -- The call: what a node does with Braze's answer ------------------------------------

MAX_ATTEMPTS = 4
CONNECT_TIMEOUT = 3.0
SHORTEST_ATTEMPT = 0.25  # no new attempt when less than this would be left for it
LARGEST_ANSWER = 4 * 1024 * 1024  # bytes of Braze's answer read at most
MIN_KEY = 8  # characters of the shortest API key sent, so of every key masked
_EMAIL = re.compile(r"([A-Za-z0-9])[^@\s\"']*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_PHONE = re.compile(r"\+?\d[\d ().-]{6,}\d")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_REDIRECTED = "the Braze URL redirects elsewhere; check braze_url"
_KEY_REFUSED = "Braze refused the API key (401): check the key"


def _execute(node, log, payload, context):
    """The node's execute(): the answer whose success routes the flow. It never raises:
    a node must never break the conversation, so anything unforeseen routes to error."""
    started = time.monotonic()
    try:
        return _run(node, log, _mapping(payload), _mapping(context), started)
    except Exception as err:  # noqa: BLE001
        failure = type(err).__name__
        log(f"{NODE}: unexpected {failure}: {_clean(str(err), _api_keys())}")
        return _answer("error", error=f"unexpected {failure}")


def _run(node, log, payload, context, started):
    """Check the configuration of the conversation's environment, then call Braze."""
    env = context.get("env")
    params = app.PARAMS.get(env)
    if not isinstance(params, dict):
        known = ", ".join(map(repr, sorted(app.PARAMS)))
        log(f"{NODE}: app.PARAMS has no environment {env!r}, only {known}")
        return _answer("error", error=f"unknown environment {env!r}")
    api_key = params.get("braze_api_key")
    if not api_key or not isinstance(api_key, str):
        where = params.get("braze_api_key_env") or "braze_api_key in app.PARAMS"
        log(
            f"{NODE}: no Braze API key for {env!r}: set {where} where the solution "
            "runs, or bundle it into app.py (pypestream-braze bundle --embed-key)"
        )
        return _answer("error", error="Braze API key not configured")
    if len(api_key.split()) != 1 or api_key.strip() != api_key:
        log(f"{NODE}: the Braze API key for {env!r} has spaces or line breaks")
        return _answer("error", error="Braze API key malformed")
    # Braze's keys are UUIDs; one too short to be masked in the logs is never sent.
    if len(api_key) < MIN_KEY:
        log(f"{NODE}: the Braze API key for {env!r} is too short to be one")
        return _answer("error", error="Braze API key malformed")
    unset = [key for key in ("braze_url", PATH_KEY) if not params.get(key)]
    if unset:
        log(f"{NODE}: app.PARAMS[{env!r}] has no {' and no '.join(unset)}")
        return _answer("error", error=f"{', '.join(unset)} not configured")
    say = functools.partial(_say, log, api_key)
    request, why = node.prepare(payload, context, params, say)
    if request is None:
        say(f"{NODE}: not calling Braze: {why}")
        return _answer("false", error=why)
    if "{" in request["url"] or "}" in request["url"]:
        log(f"{NODE}: app.PARAMS[{env!r}][{PATH_KEY!r}] has a parameter not filled")
        return _answer("error", error=f"{PATH_KEY} not as the node expects")
    result = _call(say, request, api_key, started + TIME_BUDGET)
    # The answers that could not be used and were left out of what Braze received, so the
    # flow can ask again for them: "DATE_OF_BIRTH: not a date in the form DD/MM/YYYY".
    result["BRAZE_SKIPPED"] = request.get("skipped", "")
    return result


def _mapping(value):
    """payload and context as Pypestream should give them: a dict, else nothing."""
    return value if isinstance(value, dict) else {}


def _answer(success, status=None, error="", braze_answer=None):
    """The node's result: strings only, every output present so none is left stale."""
    result = {
        "success": success,
        "BRAZE_STATUS": "" if status is None else str(status),
        "BRAZE_ERROR": error,
        "BRAZE_SKIPPED": "",
    }
    for variable, path in OUTPUTS.items():
        value = _at(braze_answer, path) if success == "true" else None
        result[variable] = _output_text(value)
    return result


def _where(path):
    """A place in the body as people read it: attributes[0].current_location."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    return text.lstrip(".") or "the body"


def _clean(text, api_keys=(), limit=300):
    """Log-safe text: no API key; emails, phone numbers, dates masked; at most limit."""
    text = text[: limit * 2]  # masking reads a bounded text, whatever the server sent
    for api_key in api_keys:
        if api_key and len(api_key) >= MIN_KEY:  # shorter ones are refused, never sent
            text = text.replace(api_key, "***")
    text = _EMAIL.sub(r"\1***@\2", text)
    text = _PHONE.sub(lambda match: "***" + match.group()[-2:], text)
    text = _DATE.sub("****-**-**", text)
    return text if len(text) <= limit else text[:limit] + "…"


def _say(log, api_key, text):
    """log() that never shows the API key, or a customer's email, phone or birthday."""
    log(_clean(text, (api_key,)))


def _api_keys():
    return [p.get("braze_api_key") for p in app.PARAMS.values() if isinstance(p, dict)]


def _bearer(api_key, request):
    """Braze's Authorization header. Given as auth, it is never replaced by a ~/.netrc
    entry for the host, which requests would otherwise apply over a plain header."""
    request.headers["Authorization"] = f"Bearer {api_key}"
    return request


def _call(say, request, api_key, deadline):
    """Send the request until Braze answers or the budget is spent, retrying if safe."""
    shared = _shared()
    headers = {"Accept": "application/json"}
    if request["json"] is not None:
        headers["Content-Type"] = "application/json"
    attempt = 0
    while True:
        attempt += 1
        sent = time.monotonic()
        remaining = max(deadline - sent, 0.01)
        if REPEAT_SAFE and attempt == 1:
            remaining /= 2  # leave time to repeat a request that timed out
        try:
            status, answer_headers, content = _send(
                shared,
                sent + remaining,
                LARGEST_ANSWER,
                method=request["method"],
                url=request["url"],
                json=request["json"],
                headers=headers,
                auth=functools.partial(_bearer, api_key),
                timeout=(min(CONNECT_TIMEOUT, remaining), remaining),
            )
        except shared.failures as err:
            failure, unsent, timeout = _failure(err)
            say(f"{NODE}: {METHOD} {ENDPOINT} failed after {_ms(sent)} ms: {failure}")
            if (unsent or REPEAT_SAFE) and _pause(_backoff(attempt), deadline, attempt):
                continue
            if timeout:
                return _answer("error", error="Braze did not answer in time")
            return _answer("error", error="network failure")
        braze_answer = _json(content)
        message = _message(braze_answer, api_key)
        if braze_answer is None:  # not JSON: show the start of the text instead
            shown = _clean(content[:400].decode("utf-8", "replace"), (api_key,), 200)
        else:
            shown = message
        say(f"{NODE}: {METHOD} {ENDPOINT} -> {status} in {_ms(sent)} ms {shown}")
        if status == 429:
            wait = _retry_after(answer_headers)
            if _pause(_backoff(attempt) if wait is None else wait, deadline, attempt):
                continue
            return _answer("error", 429, "rate limited by Braze")
        if status >= 500 or status == 408:
            if REPEAT_SAFE and _pause(_backoff(attempt), deadline, attempt):
                continue
            return _answer("error", status, message or "Braze failed to answer")
        return _outcome(say, status, braze_answer, message, api_key)


def _outcome(say, status, braze_answer, message, api_key):
    """Route Braze's answer: true it did what was asked, false it refused this request's
    data or found nothing, error the integration is broken (key, permission, URL)."""
    if 300 <= status < 400:
        # Never followed: a redirected POST would arrive as a GET, without the body, and
        # the key would go wherever the redirect points.
        return _answer("error", status, _REDIRECTED)
    if status == 401:
        return _answer("error", status, _KEY_REFUSED)
    if status == 403:
        lacks = f"the API key lacks the {PERMISSION} permission (403)"
        return _answer("error", status, lacks)
    if status == 404 and _names_an_error(braze_answer, NOT_FOUND_ERRORS):
        return _answer("false", status, NOTHING_FOUND)
    if status == 404:
        return _answer("error", status, f"Braze has no {ENDPOINT} at braze_url (404)")
    if message and message.lower().startswith(BROKEN):
        return _answer("error", status, message)
    if not 200 <= status < 300:
        # Braze refused this request's data: repeating it would not help.
        refused = message or f"Braze refused the request ({status})"
        return _answer("false", status, refused)
    notice = (braze_answer or {}).get("notice")
    if notice:  # a paused or archived Canvas: Braze accepted the request, sent nothing
        nothing = "Braze sent nothing: " + _clean(str(notice), (api_key,))
        return _answer("error", status, nothing)
    if message not in ("", "success", "queued"):
        return _answer("false", status, message)
    if _found_nothing(braze_answer):
        return _answer("false", status, NOTHING_FOUND)
    refused = _at(braze_answer, (REFUSED,)) if REFUSED else None
    if refused:
        refused = _clean(json.dumps(refused, ensure_ascii=False), (api_key,), 500)
        return _answer("false", status, f"Braze refused: {refused}")
    minor = _minor_errors(braze_answer)
    if minor:
        minor = _clean(minor, (api_key,), 500)
        say(f"{NODE}: Braze accepted with errors: {minor}")
        success = "false" if MINOR_ERRORS_FAIL else "true"
        return _answer(success, status, minor, braze_answer)
    return _answer("true", status, "", braze_answer)


def _found_nothing(braze_answer):
    """A lookup found nothing: FOUND keys are in the answer, and none holds anything."""
    if not isinstance(braze_answer, dict):
        return False
    present = [key for key in FOUND if key in braze_answer]
    return bool(present) and not any(braze_answer[key] for key in present)


def _names_an_error(braze_answer, ids):
    """Whether the answer's errors name one of ids: {"errors": [{"id": ...}]}."""
    errors = (braze_answer or {}).get("errors") if ids else None
    if not isinstance(errors, list):
        return False
    return any(isinstance(error, dict) and error.get("id") in ids for error in errors)


def _json(content):
    """Braze's answer as a dict; None if not a JSON object (then the status decides)."""
    if len(content) > LARGEST_ANSWER:
        return None
    try:
        answer = json.loads(content)
    except (ValueError, RecursionError):
        return None
    return answer if isinstance(answer, dict) else None


def _message(braze_answer, api_key):
    message = braze_answer.get("message") if braze_answer else None
    return _clean(str(message), (api_key,), 200) if message is not None else ""


def _minor_errors(braze_answer):
    errors = (braze_answer or {}).get("errors") or []
    if not isinstance(errors, list):
        errors = [errors]
    summary = []
    for error in errors[:20]:
        if isinstance(error, dict):
            where = f"{error.get('input_array', '')}[{error.get('index', '?')}]"
            summary.append(f"{error.get('type', 'error')} ({where})")
        else:
            summary.append(str(error))
    return "; ".join(summary)


def _retry_after(headers):
    """Seconds Braze asks to wait: Retry-After, or the rate limit's reset (as an epoch
    time or in seconds)."""
    for name in ("X-Ratelimit-Retry-After", "Retry-After", "X-RateLimit-Reset"):
        value = headers.get(name)  # requests' headers ignore case
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            continue
        if not math.isfinite(seconds):
            continue
        if seconds > 1e9:  # an epoch time, not a delay
            seconds -= time.time()
        return max(seconds, 0.0)
    return None


def _backoff(attempt):
    ceiling = min(2.0, 0.2 * 2 ** (attempt - 1))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def _pause(seconds, deadline, attempt):
    """Sleep before another attempt if one is allowed and would still fit the budget."""
    if attempt >= MAX_ATTEMPTS:
        return False
    if time.monotonic() + seconds + SHORTEST_ATTEMPT > deadline:
        return False
    time.sleep(seconds)
    return True


def _ms(since):
    return round((time.monotonic() - since) * 1000)


# -- The transport: one per process, shared by every node that carries this runtime ---
#
# requests' read timeout counts per read, so a server that trickles its headers or its
# body could hold a conversation far past its budget. Each attempt runs on the caller's
# thread while a watchdog thread sleeps towards the nearest deadline; at an attempt's
# deadline it shuts down the socket of the connection that attempt holds, below any TLS
# layer, which ends the read under way at once: requests raises, the node answers error.
#
# No conversation is ever cut at another's deadline. A connection is held by the attempt
# on whose thread it connects or sends (_claim) until its pool takes it back (_release);
# both are recorded, and every cut is made, under one lock, and the watchdog cuts only a
# connection that the attempt past its deadline still holds. urllib3 takes a connection
# back as soon as the last byte of an answer is read, so from then on that attempt holds
# nothing, whatever it still has to do. A connection cut while its attempt held it goes
# back shut: urllib3 finds it dropped when it next hands it out and connects afresh, and
# _claim refuses to send on a socket the watchdog shut down in any case.
#
# The hooks are extension points both libraries document, on requests 2.25 and later
# with urllib3 1.26 or 2: HTTPAdapter.init_poolmanager and proxy_manager_for (for
# subclasses), a pool manager's pool classes by scheme, and each pool's ConnectionCls
# and QueueCls, subclassed. Nothing private of either is touched. The subclasses are
# made with type(): a node file holds one class statement, the node's.


def _shared():
    """This process's runtime: one requests session (a connection pool per Braze host)
    and one watchdog thread for every node module that carries this text below the same
    RUNTIME line, kept in sys.modules under a name that holds the runtime's hash. The
    first call makes it; every other copy (another node, the same node imported again)
    finds it there, so nothing is shared with the nodes of another runtime. Any copy's
    functions may work on it: they are the same text."""
    name = "pypestream_braze_runtime_" + RUNTIME.rpartition(":")[2]
    shared = sys.modules.get(name)
    if shared is None:
        made = types.ModuleType(name, "What the nodes of " + RUNTIME + " share.")
        _reset(made)
        shared = sys.modules.setdefault(name, made)
        if shared is made and hasattr(os, "register_at_fork"):
            # A forked process starts afresh: threads do not survive a fork, and two
            # processes must never share a connection.
            os.register_at_fork(after_in_child=functools.partial(_reset, made))
    return shared


def _reset(shared):
    """Start afresh: when made, and in a forked process, which uses nothing of its
    parent's (the connections are the parent's; a lock may have been held)."""
    # Guards the attempts and who holds each connection; wakes the watchdog.
    shared.lock = threading.Condition()
    shared.session = None  # made by the first call: _open
    shared.failures = ()  # requests' exceptions, once _open has imported it
    shared.settings = {}  # Braze host -> its proxies and CA bundle
    shared.pools = {}  # urllib3 pool class -> its watched subclass
    shared.attempts = {}  # thread id -> the attempt under way on that thread
    shared.watchdog = None  # the thread, started with the first attempt
    shared.asleep_until = 0.0  # when the watchdog wakes next by itself


def _open(shared):
    """The session, made by the first call. requests is imported here rather than with
    the node, so that the generator, which runs the value rules above, does without."""
    import requests
    from requests.adapters import HTTPAdapter

    with shared.lock:
        if shared.session is None:
            adapter = _watched_adapter(shared, HTTPAdapter)
            session = requests.Session()
            session.trust_env = False  # read once per host instead, by _settings
            for prefix in ("https://", "http://"):
                session.mount(prefix, adapter())
            shared.failures = requests.RequestException
            shared.session = session
    return shared.session


def _settings(shared, url):
    """The proxies and CA bundle requests would take from the environment for url's
    host, read once per process and host: requests reads all of it on every call."""
    host = "/".join(url.split("/", 3)[:3])
    found = shared.settings.get(host)
    if found is None:
        import requests

        with requests.Session() as trusting:  # trust_env, requests' default
            merged = trusting.merge_environment_settings(host, {}, None, None, None)
        found = {"proxies": merged["proxies"], "verify": merged["verify"]}
        shared.settings[host] = found
    return found


def _send(shared, deadline, limit, url, **request):
    """Send a request (requests' keywords) on the caller's thread and read at most limit
    bytes of the answer, giving up at the deadline whatever the server does: (status,
    headers, content). Raises what requests raises, ReadTimeout when cut off. Redirects
    are never followed."""
    session = shared.session or _open(shared)
    request.update(_settings(shared, url), allow_redirects=False, stream=True)
    attempt = types.SimpleNamespace(deadline=deadline, connection=None, cut=False)
    _watch(shared, attempt)
    try:
        with session.request(url=url, **request) as response:
            chunks, size = [], 0
            for chunk in response.iter_content(64 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    break  # the connection is closed rather than read to its end
    except Exception:
        if _unwatch(shared, attempt):
            raise
    else:
        if _unwatch(shared, attempt):
            return response.status_code, response.headers, b"".join(chunks)
    import requests

    raise requests.ReadTimeout("no complete answer within the time budget")


def _failure(err):
    """What requests raised, as (its name, unsent, timeout). Unsent: the request never
    left (refused, a connect timeout), so nothing can have reached Braze and a retry is
    safe."""
    import requests
    from urllib3.exceptions import ConnectTimeoutError

    reason = getattr(err.args[0], "reason", None) if err.args else None
    unsent = isinstance(err, requests.ConnectTimeout)
    unsent = unsent or isinstance(reason, ConnectTimeoutError)
    timeout = isinstance(err, requests.Timeout) or "timed out" in str(err).lower()
    return type(err).__name__, unsent, timeout


def _watch(shared, attempt):
    """Put the attempt on this thread under the watchdog's eye until _unwatch."""
    with shared.lock:
        shared.attempts[threading.get_ident()] = attempt
        if shared.watchdog is None or not shared.watchdog.is_alive():
            watchdog = threading.Thread(target=_watch_over, args=(shared,))
            watchdog.name = "pypestream-braze watchdog"
            watchdog.daemon = True
            watchdog.start()
            shared.watchdog = watchdog
        elif attempt.deadline < shared.asleep_until:
            shared.lock.notify()


def _unwatch(shared, attempt):
    """End the watch; True when the attempt ended before the watchdog cut it off."""
    with shared.lock:
        del shared.attempts[threading.get_ident()]
        connection = attempt.connection  # one the pool did not take back (discarded)
        if connection is not None and connection.holder is attempt:
            connection.holder = None
        return not attempt.cut


def _claim(shared, connection, sending=False):
    """connection is held, from now until its pool takes it back, by the attempt on this
    thread (by none, outside an attempt)."""
    with shared.lock:
        shut = connection.shut is not None and connection.shut is connection.sock
        if not (sending and shut):
            attempt = shared.attempts.get(threading.get_ident())
            connection.holder = attempt
            if attempt is not None:
                attempt.connection = connection
            return
    # Shut at a deadline and handed out before urllib3 found it dropped (which it
    # checks): nothing is sent on it, and the attempt fails as one that never left.
    from urllib3.exceptions import NewConnectionError

    raise NewConnectionError(connection, "the connection was cut at a deadline")


def _release(shared, connection):
    """connection is back in its pool: no attempt holds it."""
    with shared.lock:
        attempt = connection.holder
        connection.holder = None
        if attempt is not None and attempt.connection is connection:
            attempt.connection = None


def _watch_over(shared):
    """The watchdog: sleep until the nearest deadline, then cut off every attempt past
    its own. It is woken early only for a deadline nearer than the one it sleeps towards,
    so a call in time costs it nothing."""
    with shared.lock:
        while True:
            now = time.monotonic()
            shared.asleep_until = _cut_off(shared, now)
            if shared.asleep_until == math.inf:
                shared.lock.wait()
            else:
                shared.lock.wait(shared.asleep_until - now)


def _cut_off(shared, now):
    """With shared.lock held: shut down the connection of every attempt past its deadline
    at now, only while that attempt still holds it. Returns when to look again."""
    look_again = math.inf
    for attempt in shared.attempts.values():
        if attempt.cut:
            continue
        connection = attempt.connection
        held = connection is not None and connection.holder is attempt
        sock = (connection.sock or connection.opened) if held else None
        if attempt.deadline > now or sock is None:  # not due, or no socket to shut yet
            look_again = min(look_again, max(attempt.deadline, now + 0.05))
            continue
        _shut_down(sock)
        connection.shut = sock
        attempt.cut = True
    return look_again


def _shut_down(sock):
    """Shut a socket down both ways, below any TLS layer, so that a read under way on
    another thread ends at once (closing it would not wake that read)."""
    raw = sock if isinstance(sock, socket.socket) else getattr(sock, "socket", None)
    with contextlib.suppress(OSError, TypeError):
        socket.socket.shutdown(raw, socket.SHUT_RDWR)


def _watched_adapter(shared, base):
    """requests' HTTPAdapter, subclassed through the two methods it documents for
    subclasses, with watched pools for direct connections and those through a proxy."""

    def init_poolmanager(self, *args, **kwargs):
        base.init_poolmanager(self, *args, **kwargs)
        _watch_pools(shared, self.poolmanager)

    def proxy_manager_for(self, *args, **kwargs):
        manager = base.proxy_manager_for(self, *args, **kwargs)
        _watch_pools(shared, manager)
        return manager

    members = {
        "init_poolmanager": init_poolmanager,
        "proxy_manager_for": proxy_manager_for,
    }
    return type("WatchedAdapter", (base,), members)


def _watch_pools(shared, manager):
    """Have a urllib3 pool manager make watched pools (see _watched_pool)."""
    manager.pool_classes_by_scheme = {
        scheme: _watched_pool(shared, pool)
        for scheme, pool in manager.pool_classes_by_scheme.items()
    }


def _watched_pool(shared, pool):
    """A subclass of a urllib3 pool class whose connections record which attempt holds
    them: the one that connects or sends on it, until the pool's queue has it back."""
    if pool in shared.pools.values():
        return pool
    if pool not in shared.pools:
        connection_base, queue_base = pool.ConnectionCls, pool.QueueCls

        def connect(self):
            _claim(shared, self)
            connection_base.connect(self)
            # Kept: http.client lets go of the socket of an answer that ends the connection
            # (Connection: close, HTTP/1.0) while that answer is still being read from it.
            self.opened = self.sock

        def request(self, *args, **kwargs):
            _claim(shared, self, sending=True)
            return connection_base.request(self, *args, **kwargs)

        def request_chunked(self, *args, **kwargs):  # urllib3 1.26's other way to send
            _claim(shared, self, sending=True)
            return connection_base.request_chunked(self, *args, **kwargs)

        def put(self, connection, *args, **kwargs):
            if connection is not None:
                _release(shared, connection)
            return queue_base.put(self, connection, *args, **kwargs)

        members = {
            "connect": connect,
            "request": request,
            "request_chunked": request_chunked,
            "holder": None,  # the attempt that holds the connection, if any
            "opened": None,  # the socket its last connect() opened
            "shut": None,  # the socket of it that the watchdog shut down
        }
        watched = {
            "ConnectionCls": type("WatchedConnection", (connection_base,), members),
            "QueueCls": type("WatchedQueue", (queue_base,), {"put": put}),
        }
        shared.pools[pool] = type("WatchedPool", (pool,), watched)
    return shared.pools[pool]


_COUNTRY_CODES = {}  # type: dict[str, str]
# ISO 3166-1 (from pycountry): alpha-2, alpha-3, then English names and aliases.
_COUNTRY_TABLE = """
AD AND Andorra
AE ARE United Arab Emirates|UAE
AF AFG Afghanistan
AG ATG Antigua and Barbuda
AI AIA Anguilla
AL ALB Albania
AM ARM Armenia
AO AGO Angola
AQ ATA Antarctica
AR ARG Argentina
AS ASM American Samoa
AT AUT Austria
AU AUS Australia
AW ABW Aruba
AX ALA Åland Islands
AZ AZE Azerbaijan
BA BIH Bosnia and Herzegovina
BB BRB Barbados
BD BGD Bangladesh
BE BEL Belgium
BF BFA Burkina Faso
BG BGR Bulgaria
BH BHR Bahrain
BI BDI Burundi
BJ BEN Benin
BL BLM Saint Barthélemy
BM BMU Bermuda
BN BRN Brunei Darussalam|Brunei
BO BOL Bolivia, Plurinational State of|Bolivia
BQ BES Bonaire, Sint Eustatius and Saba
BR BRA Brazil
BS BHS Bahamas
BT BTN Bhutan
BV BVT Bouvet Island
BW BWA Botswana
BY BLR Belarus
BZ BLZ Belize
CA CAN Canada
CC CCK Cocos (Keeling) Islands
CD COD Congo, The Democratic Republic of the|DR Congo|Democratic Republic of the Congo
CF CAF Central African Republic
CG COG Congo|Republic of the Congo
CH CHE Switzerland
CI CIV Côte d'Ivoire|Ivory Coast
CK COK Cook Islands
CL CHL Chile
CM CMR Cameroon
CN CHN China
CO COL Colombia
CR CRI Costa Rica
CU CUB Cuba
CV CPV Cabo Verde|Cape Verde
CW CUW Curaçao
CX CXR Christmas Island
CY CYP Cyprus
CZ CZE Czechia|Czech Republic
DE DEU Germany
DJ DJI Djibouti
DK DNK Denmark
DM DMA Dominica
DO DOM Dominican Republic
DZ DZA Algeria
EC ECU Ecuador
EE EST Estonia
EG EGY Egypt
EH ESH Western Sahara
ER ERI Eritrea
ES ESP Spain
ET ETH Ethiopia
FI FIN Finland
FJ FJI Fiji
FK FLK Falkland Islands (Malvinas)
FM FSM Micronesia, Federated States of|Micronesia
FO FRO Faroe Islands
FR FRA France
GA GAB Gabon
GB GBR United Kingdom|UK|U.K.|Great Britain|Britain|England|Scotland|Wales|Northern Ireland
GD GRD Grenada
GE GEO Georgia
GF GUF French Guiana
GG GGY Guernsey
GH GHA Ghana
GI GIB Gibraltar
GL GRL Greenland
GM GMB Gambia
GN GIN Guinea
GP GLP Guadeloupe
GQ GNQ Equatorial Guinea
GR GRC Greece
GS SGS South Georgia and the South Sandwich Islands
GT GTM Guatemala
GU GUM Guam
GW GNB Guinea-Bissau
GY GUY Guyana
HK HKG Hong Kong
HM HMD Heard Island and McDonald Islands
HN HND Honduras
HR HRV Croatia
HT HTI Haiti
HU HUN Hungary
ID IDN Indonesia
IE IRL Ireland
IL ISR Israel
IM IMN Isle of Man
IN IND India
IO IOT British Indian Ocean Territory
IQ IRQ Iraq
IR IRN Iran, Islamic Republic of|Iran
IS ISL Iceland
IT ITA Italy
JE JEY Jersey
JM JAM Jamaica
JO JOR Jordan
JP JPN Japan
KE KEN Kenya
KG KGZ Kyrgyzstan
KH KHM Cambodia
KI KIR Kiribati
KM COM Comoros
KN KNA Saint Kitts and Nevis
KP PRK Korea, Democratic People's Republic of|North Korea
KR KOR Korea, Republic of|South Korea|Korea
KW KWT Kuwait
KY CYM Cayman Islands
KZ KAZ Kazakhstan
LA LAO Lao People's Democratic Republic|Laos
LB LBN Lebanon
LC LCA Saint Lucia
LI LIE Liechtenstein
LK LKA Sri Lanka
LR LBR Liberia
LS LSO Lesotho
LT LTU Lithuania
LU LUX Luxembourg
LV LVA Latvia
LY LBY Libya
MA MAR Morocco
MC MCO Monaco
MD MDA Moldova, Republic of|Moldova
ME MNE Montenegro
MF MAF Saint Martin (French part)
MG MDG Madagascar
MH MHL Marshall Islands
MK MKD North Macedonia|Macedonia
ML MLI Mali
MM MMR Myanmar|Burma
MN MNG Mongolia
MO MAC Macao
MP MNP Northern Mariana Islands
MQ MTQ Martinique
MR MRT Mauritania
MS MSR Montserrat
MT MLT Malta
MU MUS Mauritius
MV MDV Maldives
MW MWI Malawi
MX MEX Mexico
MY MYS Malaysia
MZ MOZ Mozambique
NA NAM Namibia
NC NCL New Caledonia
NE NER Niger
NF NFK Norfolk Island
NG NGA Nigeria
NI NIC Nicaragua
NL NLD Netherlands|Holland|The Netherlands
NO NOR Norway
NP NPL Nepal
NR NRU Nauru
NU NIU Niue
NZ NZL New Zealand
OM OMN Oman
PA PAN Panama
PE PER Peru
PF PYF French Polynesia
PG PNG Papua New Guinea
PH PHL Philippines
PK PAK Pakistan
PL POL Poland
PM SPM Saint Pierre and Miquelon
PN PCN Pitcairn
PR PRI Puerto Rico
PS PSE Palestine, State of|Palestine
PT PRT Portugal
PW PLW Palau
PY PRY Paraguay
QA QAT Qatar
RE REU Réunion
RO ROU Romania
RS SRB Serbia
RU RUS Russian Federation|Russia
RW RWA Rwanda
SA SAU Saudi Arabia
SB SLB Solomon Islands
SC SYC Seychelles
SD SDN Sudan
SE SWE Sweden
SG SGP Singapore
SH SHN Saint Helena, Ascension and Tristan da Cunha
SI SVN Slovenia
SJ SJM Svalbard and Jan Mayen
SK SVK Slovakia
SL SLE Sierra Leone
SM SMR San Marino
SN SEN Senegal
SO SOM Somalia
SR SUR Suriname
SS SSD South Sudan
ST STP Sao Tome and Principe
SV SLV El Salvador
SX SXM Sint Maarten (Dutch part)
SY SYR Syrian Arab Republic|Syria
SZ SWZ Eswatini|Swaziland
TC TCA Turks and Caicos Islands
TD TCD Chad
TF ATF French Southern Territories
TG TGO Togo
TH THA Thailand
TJ TJK Tajikistan
TK TKL Tokelau
TL TLS Timor-Leste
TM TKM Turkmenistan
TN TUN Tunisia
TO TON Tonga
TR TUR Türkiye|Turkey
TT TTO Trinidad and Tobago
TV TUV Tuvalu
TW TWN Taiwan, Province of China|Taiwan
TZ TZA Tanzania, United Republic of|Tanzania
UA UKR Ukraine
UG UGA Uganda
UM UMI United States Minor Outlying Islands
US USA United States|USA|U.S.|U.S.A.|United States of America|America
UY URY Uruguay
UZ UZB Uzbekistan
VA VAT Holy See (Vatican City State)|Vatican|Vatican City
VC VCT Saint Vincent and the Grenadines
VE VEN Venezuela, Bolivarian Republic of|Venezuela
VG VGB Virgin Islands, British
VI VIR Virgin Islands, U.S.
VN VNM Viet Nam|Vietnam
VU VUT Vanuatu
WF WLF Wallis and Futuna
WS WSM Samoa
YE YEM Yemen
YT MYT Mayotte
ZA ZAF South Africa
ZM ZMB Zambia
ZW ZWE Zimbabwe
"""
# ISO 639-1 (from pycountry).
_LANGUAGE_CODES = (
    "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv "
    "cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho "
    "hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku "
    "kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn "
    "no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl "
    "sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve "
    "vi vo wa wo xh yi yo za zh zu "
)
