"""The country table a node converts answers with (runtime.py) is ISO 3166-1 as pycountry has
it: every country, its codes and its English name, plus the common names people type. The few
names the table adds of its own are listed here, so that adding one is a deliberate change."""

from __future__ import annotations

import pycountry
import pytest

from pypestream_braze import runtime as values

ROWS = [line.split(" ", 2) for line in values._COUNTRY_TABLE.strip().splitlines()]
TABLE = {alpha_2: (alpha_3, names.split("|")) for alpha_2, alpha_3, names in ROWS}
ISO = {country.alpha_2: country for country in pycountry.countries}

# Names people use that pycountry does not carry (it has official and common names only).
OWN_ALIASES = {
    "AE": {"UAE"},
    "BN": {"Brunei"},
    "CD": {"DR Congo", "Democratic Republic of the Congo"},
    "CI": {"Ivory Coast"},
    "CV": {"Cape Verde"},
    "FM": {"Micronesia"},
    "GB": {
        "UK",
        "U.K.",
        "Great Britain",
        "Britain",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
    },
    "KR": {"Korea"},
    "MK": {"Macedonia"},
    "MM": {"Burma"},
    "NL": {"Holland", "The Netherlands"},
    "PS": {"Palestine"},
    "RU": {"Russia"},
    "SZ": {"Swaziland"},
    "TR": {"Turkey"},
    "US": {"USA", "U.S.", "U.S.A.", "America"},
    "VA": {"Vatican", "Vatican City"},
}


def test_every_country_and_no_other():
    assert len(ROWS) == len(TABLE), "one row per country"
    assert set(TABLE) == set(ISO)


@pytest.mark.parametrize("alpha_2", sorted(ISO))
def test_codes_and_names_are_pycountrys(alpha_2):
    country = ISO[alpha_2]
    alpha_3, (name, *aliases) = TABLE[alpha_2]
    assert (alpha_3, name) == (country.alpha_3, country.name)
    common = getattr(country, "common_name", None)
    official = getattr(country, "official_name", None)
    if common:  # the name people use is always there
        assert common in aliases
    own = OWN_ALIASES.get(alpha_2, set())
    assert own <= set(aliases)
    assert set(aliases) - own <= {common, official}, "every other name is pycountry's"


def test_every_code_name_and_alias_converts_to_its_country():
    for alpha_2, (alpha_3, names) in TABLE.items():
        for written in (alpha_2, alpha_3.lower(), *names, *(n.upper() for n in names)):
            assert values._country(written) == alpha_2, written
    # Each name belongs to one country only: no row shadows another's name.
    owners: dict[str, set[str]] = {}
    for alpha_2, (alpha_3, names) in TABLE.items():
        for name in (alpha_2, alpha_3, *names):
            owners.setdefault(values._folded(name), set()).add(alpha_2)
    assert [name for name, codes in owners.items() if len(codes) > 1] == []
