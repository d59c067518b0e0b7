"""From a conversation's answers to the body of a Braze request: the code every generated node
runs, and that `check` and the generator run too, so there is one implementation of each rule.

- A converter takes an answer as trimmed text and returns the value Braze gets, or raises
  ValueError saying what the text is not. `check` runs the same converters on a spec's constants
  and defaults; the generator runs them to know the request a node's tests must see.
- `_value` reads one answer: missing, converted, or unusable (the reason kept for the log).
- `_settle` applies a node's rules (model.Rule) to the body it built and leaves out what is
  missing; it says which rules broke, so a node that must not call Braze knows why.

Generated nodes carry the source of the definitions they use, copied from this module by
render/inline.py, so everything here is written for the nodes: Python 3.8, the standard library
only, no `match`, no `X | Y` types, names with a leading underscore.
"""

import json
import math
import re
import unicodedata
import urllib.parse
from datetime import datetime, timezone

# A flow that has no answer may still fill a placeholder with one of these words.
_NO_ANSWER = ("none", "null", "undefined")
_UNFILLED = re.compile(r"\{[A-Z][A-Z0-9_]*\}")
_EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
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
    """The answer as trimmed text; None when there is no answer: absent, empty, an unfilled
    {VAR}, or a word a flow writes for no answer ("None", "null", "undefined")."""
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
        raise ValueError("not a phone number with its country code, such as +14155552671")
    return digits


def _date(text, pattern="%Y-%m-%d"):
    """Braze's YYYY-MM-DD, from the pattern the conversation uses (ISO is always accepted)."""
    for attempt in (pattern, "%Y-%m-%d"):
        try:
            return datetime.strptime(text, attempt).date().isoformat()
        except ValueError:
            continue
    raise ValueError("not a date in the form " + _form(pattern))


def _timestamp(text, pattern=None):
    """ISO 8601 in UTC, such as 2024-05-01T10:30:00Z; a time without a zone is taken as UTC."""
    try:
        if pattern:
            moment = datetime.strptime(text, pattern)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return _iso(moment)
    except (ValueError, OverflowError):
        form = _form(pattern) if pattern else "ISO 8601, such as 2024-05-01T10:30:00Z"
        raise ValueError("not a date and time in the form " + form) from None


def _local_timestamp(text, pattern=None):
    """A date and time without a zone, such as 2024-05-01T10:30:00: what Braze takes when it
    sends in each user's own time zone. A zone the answer gives is left out, its time kept."""
    try:
        if pattern:
            moment = datetime.strptime(text, pattern)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment.replace(tzinfo=None).isoformat(timespec="seconds")
    except (ValueError, OverflowError):
        form = _form(pattern) if pattern else "ISO 8601, such as 2024-05-01T10:30:00"
        raise ValueError("not a date and time in the form " + form) from None


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
    """ISO 3166-1 alpha-2, from a code (GB, GBR) or an English name or alias (UK, England)."""
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
    """A number read without guessing. One mark (. or ,) is the decimal mark, unless exactly three
    digits follow it (1.000 and 1,500 could be thousands): that is ambiguous and left out. Marks
    that group digits by three are thousands: 1,299.50, 1.299,50 and 1 299,50 are 1299.5."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    number = None
    if _PLAIN_NUMBER.fullmatch(text):
        if re.search(r"[.,][0-9]{3}$", text):
            raise ValueError("an ambiguous number: write 1000 or 1.5, not 1.000 or 1,500")
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


def _within(value, max_length=None, max_bytes=None, minimum=None, maximum=None):
    """value if it is within Braze's documented limits for its field, else ValueError."""
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
    """An answer converted for Braze and within its limits; default when there is no usable
    answer (None: left out). problems[name] says why an answer could not be used."""
    text = _text_of(answer)
    if text is None:
        return default
    try:
        return _within(convert(text, *args), **limits)
    except ValueError as err:
        problems[name] = str(err)
        return default


def _fill(template, names, payload, limits, problems):
    """template with every {NAME} replaced by its answer; None when any answer is missing."""
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
    """The value at path in tree (keys and list indexes), None where there is none. The step "*"
    is the first entry of an object or a list: the one user a chat asked about."""
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
    """A value of Braze's answer as an output variable: text as it is, anything else as JSON,
    nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _url_path(template, values):
    """template ("catalogs/{catalog_name}/items/{item_id}") with each {name} replaced by its value,
    URL-encoded whole, so a "/", "?", "#" or "%" in an answer stays inside its own segment.
    A value that is "." or ".." would change which URL is called (clients resolve such
    segments), so it raises ValueError instead."""
    for name, value in values.items():
        text = str(value)
        if text in (".", ".."):
            raise ValueError(f"{name}: {text!r} cannot be sent in a URL")
        template = template.replace("{" + name + "}", urllib.parse.quote(text, safe=""))
    return template


def _query_string(query):
    """A GET's query: key=value, a list as key[]=item for each item (how Braze takes several
    users), true and false in lower case; every key and value URL-encoded (the brackets too,
    as HTTP clients send them)."""
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
    """tree without missing values; a dict or list left with nothing in it is missing too."""
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
    """The body as sent, and the rules it broke: each rule (kind, path, keys, label) is applied
    deepest first, turning what it judges incomplete into a missing value, then every missing
    value is left out. A broken "must" rule means Braze must not be called."""
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


def _why_missing(broken, payload, problems):
    """What BRAZE_ERROR says when rules broke: the answers behind the deepest broken rules."""
    paths = [rule[1] for rule in broken]
    deepest = [
        rule
        for rule in broken
        if not any(
            len(other) > len(rule[1]) and other[: len(rule[1])] == rule[1] for other in paths
        )
    ]
    labels = list(dict.fromkeys(name for rule in deepest for name in rule[3]))
    unusable = [name for name in labels if name in problems]
    missing = [
        name for name in labels if name not in problems and _text_of(payload.get(name)) is None
    ]
    reasons = [f"{name}: {problems[name]}" for name in unusable]
    if missing or not reasons:
        reasons.insert(0, "missing " + ", ".join(missing or labels))
    return "; ".join(reasons)


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


# For the generator: the converter of each `as` type of a spec (nodes call them by name).
CONVERTERS = {
    "string": _string,
    "email": _email,
    "phone": _phone,
    "date": _date,
    "datetime": _timestamp,
    "local_datetime": _local_timestamp,
    "gender": _gender,
    "country": _country,
    "language": _language,
    "integer": _integer,
    "float": _decimal,
    "boolean": _boolean,
}
