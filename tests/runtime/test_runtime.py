"""The runtime every node carries (runtime.py), on its own: what it reads from the node above
it, that it touches nothing private of requests or urllib3, how it sits below its marker, and
its ISO 8601 grammar. Its transport: tests/runtime/test_transport.py."""

from __future__ import annotations

import ast
import builtins
import re
import symtable
from datetime import UTC, datetime, timedelta, timezone

import black
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pypestream_braze import node_runtime, runtime
from pypestream_braze.render.format import MODE

SOURCE = node_runtime.text()
# What a node defines above its marker line for the runtime (runtime.py's docstring says so).
NODE_INTERFACE = {
    "app",
    "NODE",
    "METHOD",
    "ENDPOINT",
    "PATH_KEY",
    "PERMISSION",
    "TIME_BUDGET",
    "REPEAT_SAFE",
    "MINOR_ERRORS_FAIL",
    "FOUND",
    "NOT_FOUND_ERRORS",
    "NOTHING_FOUND",
    "REFUSED",
    "BROKEN",
    "OUTPUTS",
    "RUNTIME",
}


# -- the module as nodes carry it ------------------------------------------------------------


def free_names(source: str) -> set[str]:
    """Names the module reads that it neither defines nor gets from Python itself."""
    top = symtable.symtable(source, "runtime.py", "exec")
    defined = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    used = {s.get_name() for s in top.get_symbols() if s.is_referenced()}
    pending = list(top.get_children())
    while pending:
        table = pending.pop()
        used |= {s.get_name() for s in table.get_symbols() if s.is_global()}
        pending.extend(table.get_children())
    return used - defined - set(dir(builtins))


def test_the_runtime_reads_only_what_every_node_defines():
    # ruff's undefined-name check is off for runtime.py (pyproject.toml): this is it instead.
    assert free_names(SOURCE) == NODE_INTERFACE
    for name in NODE_INTERFACE:
        assert name in runtime.__doc__, f"the docstring lists what a node defines: {name}"


def test_nothing_private_of_another_object_is_touched():
    tree = ast.parse(SOURCE)
    private = [
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not (node.attr.startswith("__") and node.attr.endswith("__"))
    ]
    by_name = [
        f"line {node.lineno}: {node.func.id}(..., {node.args[1].value!r})"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
        and len(node.args) > 1
        and isinstance(node.args[1], ast.Constant)
        and str(node.args[1].value).startswith("_")
    ]
    assert private + by_name == []


def test_a_node_keeps_one_class_statement():
    # Pypestream names a script after its one class, and its script editor renames a script
    # by rewriting every "class X:" in it: the runtime makes its classes with type().
    assert not [node for node in ast.walk(ast.parse(SOURCE)) if isinstance(node, ast.ClassDef)]
    assert not re.search(r"class\s+\w+:", SOURCE)


def test_black_leaves_it_as_it_is_in_a_node():
    assert black.format_str(SOURCE, mode=MODE) == SOURCE


def test_the_marker_holds_the_hash_of_everything_below_it():
    node = node_runtime.attach("class Node:\n    pass\n")
    cut = node_runtime.split(node)
    assert cut.runtime == SOURCE
    assert cut.marker.endswith(
        f'sha256:{node_runtime.sha256(SOURCE)}"  # do not edit below this line'
    )
    assert node_runtime.problem(node) is None


@pytest.mark.parametrize(
    "change, why",
    [
        (lambda text: text.replace("MAX_ATTEMPTS = 4", "MAX_ATTEMPTS = 9"), "was edited"),
        (lambda text: text + "\n# one more line\n", "was edited"),
        (lambda text: text.replace("sha256:", "sha256:0"), "not as generated"),
        (lambda text: text.replace('RUNTIME = "pypestream-braze runtime ', "X = "), "has no"),
        (lambda text: text + text[text.index("RUNTIME = ") :], "has 2 runtime marker"),
    ],
    ids=["a constant", "a line added", "the marker", "no marker", "two markers"],
)
def test_a_runtime_that_is_not_its_markers_is_named(change, why):
    node = node_runtime.attach("class Node:\n    pass\n")
    assert why in node_runtime.problem(change(node))


# -- ISO 8601, the same on every Python ------------------------------------------------------


@pytest.mark.parametrize(
    "text, sent",
    [
        ("2024-05-01", "2024-05-01T00:00:00Z"),
        ("2024-05-01T10", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:30", "2024-05-01T10:30:00Z"),
        ("2024-05-01 10:30:00", "2024-05-01T10:30:00Z"),
        ("2024-05-01t10:30:00z", "2024-05-01T10:30:00Z"),
        ("2024-05-01T10:30:00+0000", "2024-05-01T10:30:00Z"),
        ("2024-05-01T12:30:00+02:00", "2024-05-01T10:30:00Z"),
        ("2024-05-01T12:30:00+02", "2024-05-01T10:30:00Z"),
        ("2024-05-01T10:30:00.123456789Z", "2024-05-01T10:30:00Z"),
        ("2024-05-01T10:30:00,5-01:00", "2024-05-01T11:30:00Z"),
        ("2024-12-31T23:30:00-01:00", "2025-01-01T00:30:00Z"),
    ],
)
def test_iso_forms_read_as_one_moment(text, sent):
    # A zone the spec gives (here UTC) is for answers without one only.
    assert runtime._timestamp(text, None, "UTC") == sent


@pytest.mark.parametrize(
    "text, sent",
    [
        ("2024-05-01", "2024-04-30T22:00:00Z"),
        ("2024-05-01T10:30", "2024-05-01T08:30:00Z"),
        ("2024-05-01 10:30:00", "2024-05-01T08:30:00Z"),
    ],
)
def test_a_time_without_a_zone_is_refused_unless_the_spec_gives_one(text, sent):
    with pytest.raises(ValueError, match="a time without a zone"):
        runtime._timestamp(text)
    assert runtime._timestamp(text, None, "+02:00") == sent
    assert runtime._timestamp("01/05/2024 12:30", "%d/%m/%Y %H:%M", "-05:30") == (
        "2024-05-01T18:00:00Z"
    )


@pytest.mark.parametrize(
    "zone, offset",
    [("UTC", 0), ("Z", 0), ("+02:00", 120), ("-0530", -330), ("+02", 120), ("-00:00", 0)],
)
def test_a_zone_is_utc_or_a_fixed_offset(zone, offset):
    assert runtime._zone(zone) == timezone(timedelta(minutes=offset))


@pytest.mark.parametrize("zone", ["Europe/Paris", "CET", "+2", "+24:00", "+02:60", "02:00", ""])
def test_a_zone_name_or_a_malformed_offset_is_refused(zone):
    with pytest.raises(ValueError):
        runtime._zone(zone)


@pytest.mark.parametrize(
    "duration, span",
    [
        ("P3D", timedelta(days=3)),
        ("PT2H", timedelta(hours=2)),
        ("P1W", timedelta(weeks=1)),
        ("P1DT12H30M15S", timedelta(days=1, hours=12, minutes=30, seconds=15)),
        ("PT90M", timedelta(minutes=90)),
        ("P0D", timedelta(0)),
    ],
)
def test_durations_read_as_iso_8601_writes_them(duration, span):
    assert runtime._duration(duration) == span


@pytest.mark.parametrize(
    "duration, why",
    [
        ("P1M", "years or months"),
        ("P1Y2D", "years or months"),
        ("P", "not an ISO 8601 duration"),
        ("PT", "not an ISO 8601 duration"),
        ("P1DT", "not an ISO 8601 duration"),
        ("-P1D", "not an ISO 8601 duration"),
        ("p3d", "not an ISO 8601 duration"),
        ("P1.5D", "not an ISO 8601 duration"),
        ("P3660DT1S", "longer than ten years"),
    ],
)
def test_other_durations_are_refused(duration, why):
    with pytest.raises(ValueError, match=why):
        runtime._duration(duration)


def test_later_is_the_moment_of_the_call_plus_the_duration(monkeypatch):
    monkeypatch.setattr(runtime, "_now", lambda: "2024-12-30T10:30:00Z")
    assert runtime._later("P3D") == "2025-01-02T10:30:00Z"
    assert runtime._later("PT36H") == "2024-12-31T22:30:00Z"


@pytest.mark.parametrize(
    "kind, good, bad",
    [
        ("send_id", ["claim-42", "x" * 64, "a b/c?"], ["claim-Zürich-7", "x" * 65, ""]),
        ("external_send_id", ["b3JkZXItNDI=", "A-1001_7+/="], ["A-1001 #7", "ü", ""]),
        ("catalog_name", ["restaurants", "menu_2-b"], ["my catalog", "menu.v2", "x" * 251]),
    ],
)
def test_identifier_rules_take_braze_s_forms_only(kind, good, bad):
    for text in good:
        assert runtime._identifier(text, kind) == text
    for text in bad:
        with pytest.raises(ValueError, match=r"not an? "):
            runtime._identifier(text, kind)


@pytest.mark.parametrize(
    "text",
    [
        "2024-5-1",
        "20240501T103000Z",  # the basic format: Python 3.11 reads it, 3.8 does not
        "2024-W18-3",
        "2024-122",
        "2024-05-01T25:00",
        "2024-05-01T10:60",
        "2024-02-30",
        "2024-05-01T10:30:00+24:00",
        "2024-05-01T10:30:00+05:60",
        "2024-05-01T10:30:00 +02:00",
        "2024-05-01Z",
        "2024-05-01T10:30:00.Z",
        "\u0662\u0660\u0662\u0664-05-01",  # Arabic-Indic digits
        "0001-01-01T00:00:00+05:00",  # before year 1 in UTC
    ],
)
def test_other_forms_are_refused_on_every_python(text):
    with pytest.raises(ValueError, match="not a date and time in the form ISO 8601"):
        runtime._timestamp(text, None, "UTC")


def test_a_local_time_keeps_its_clock_and_drops_the_zone():
    assert runtime._local_timestamp("2024-05-01T09:00:00+02:00") == "2024-05-01T09:00:00"
    assert runtime._local_timestamp("2024-05-01 09:00") == "2024-05-01T09:00:00"


moments = st.datetimes(
    min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.just(None)
)
offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59)


@given(
    moment=moments,
    offset=offsets,
    separator=st.sampled_from("Tt "),
    zone_form=st.sampled_from(["+hh:mm", "+hhmm", "+hh", "Z"]),
    fraction=st.sampled_from(["", ".", ","]),
)
def test_any_written_form_of_a_moment_reads_as_that_moment(
    moment, offset, separator, zone_form, fraction
):
    if zone_form == "+hh":
        offset -= offset % 60 if offset >= 0 else -(-offset % 60)
    if zone_form == "Z":
        offset = 0
    zone = timezone(timedelta(minutes=offset))
    sign, minutes = ("-" if offset < 0 else "+"), abs(offset)
    written = {
        "+hh:mm": f"{sign}{minutes // 60:02}:{minutes % 60:02}",
        "+hhmm": f"{sign}{minutes // 60:02}{minutes % 60:02}",
        "+hh": f"{sign}{minutes // 60:02}",
        "Z": "Z",
    }[zone_form]
    if not fraction:
        moment = moment.replace(microsecond=0)
    text = f"{moment.year:04}-{moment:%m-%d}{separator}{moment:%H:%M:%S}"
    if fraction:
        text += f"{fraction}{moment.microsecond:06}"
    text += written
    in_utc = moment.replace(microsecond=0, tzinfo=zone).astimezone(UTC)
    assert runtime._moment(text) == moment.replace(tzinfo=zone)
    assert runtime._timestamp(text) == in_utc.replace(tzinfo=None).isoformat() + "Z"


@given(moment=moments, offset=offsets, precision=st.sampled_from(["hours", "minutes", "seconds"]))
def test_what_python_3_8_reads_is_read_the_same(moment, offset, precision):
    """datetime.fromisoformat reads Python 3.8's forms alike on every version: the grammar
    agrees with it there, and reads more (+hhmm, +hh, Z, any fraction) on every Python."""
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=offset)))
    text = aware.isoformat(timespec=precision if precision != "hours" else "minutes")
    if precision == "hours":
        text = text[:13] + text[16:]
    assert runtime._moment(text) == datetime.fromisoformat(text)


@given(
    parts=st.fixed_dictionaries(
        {},
        optional={unit: st.integers(min_value=0, max_value=99) for unit in "WDHMS"},
    ).filter(bool)
)
def test_any_written_duration_reads_as_its_span(parts):
    date_part = "".join(f"{parts[u]}{u}" for u in "WD" if u in parts)
    time_part = "".join(f"{parts[u]}{u}" for u in "HMS" if u in parts)
    text = "P" + date_part + ("T" + time_part if time_part else "")
    units = {"W": "weeks", "D": "days", "H": "hours", "M": "minutes", "S": "seconds"}
    assert runtime._duration(text) == timedelta(**{units[u]: n for u, n in parts.items()})
