"""The sandbox's wire format: what crosses is rebuilt exactly, and nothing else crosses."""
from __future__ import annotations

import base64
import io

import numpy as np
import pytest
import sympy as sp

from course.grading.sandbox.wire import codec, value_cache
from course.grading.sandbox.grader.remote import mirror, rebuild_exception


def roundtrip(value, buffers=None):
    frames = [] if buffers else None
    data = codec.Encoder(lambda obj: {"$handle": 1, "type": type(obj).__name__}, frames).encode(value)
    return codec.Decoder(lambda ref: ("handle", ref["type"]), frames).decode(codec.loads(codec.dumps(data)))


@pytest.mark.parametrize("buffers", [False, True])
def test_plain_values_roundtrip_exactly(buffers):
    rng = np.random.default_rng(0)
    value = {"a": [1, 2.5, None, True, "x"], (1, "k"): (np.float32(1.5), np.int64(-3)), 2: {frozenset({1})},
             "arr": rng.normal(size=(3, 4)), "int": np.arange(5, dtype=np.int16), "s": np.array(["ab", "c"]),
             "big": 2**80, "nan": float("nan"), "inf": -float("inf"), "z": 1 + 2j, "0d": np.array(3.0)}
    back = roundtrip(value, buffers)
    assert back.keys() == value.keys()
    assert np.array_equal(back["arr"], value["arr"]) and back["arr"].dtype == np.float64
    assert back["int"].dtype == np.int16 and back["s"].dtype.kind == "U"
    assert type(back[(1, "k")][0]) is np.float32 and type(back[(1, "k")][1]) is np.int64
    assert back["0d"].shape == () and back["big"] == 2**80 and np.isnan(back["nan"]) and back["z"] == 1 + 2j
    assert back[2] == {frozenset({1})}


def test_generators_cross_with_their_state():
    rng = np.random.default_rng(7)
    rng.normal()
    copy = roundtrip(rng)
    assert copy.normal() == rng.normal()


def test_unknown_objects_become_references_not_data():
    class Lying:
        def __eq__(self, other):
            return True
    assert roundtrip([Lying()]) == [("handle", "Lying")]
    assert roundtrip(np.array([object()], dtype=object)) == ("handle", "ndarray")


def test_pickled_arrays_are_refused():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    evil = {"$ndarray": base64.b64encode(buffer.getvalue()).decode()}
    with pytest.raises(codec.WireError):
        codec.Decoder(lambda ref: None).decode(evil)


@pytest.mark.parametrize("bad", [{"$nope": 1}, {"$int": "1" * 6000}, {"$ndarray": {"frame": 3}},
                                 {"$rng": {"$dict": [["bit_generator", "Evil"]]}},
                                 {"$sympy": "Function", "args": []}, {"$sympy": "Symbol", "name": 3}])
def test_malformed_or_hostile_data_is_a_wire_error(bad):
    with pytest.raises(codec.WireError):
        codec.Decoder(lambda ref: None).decode(bad)


def test_sympy_trees_rebuild_without_evaluating_strings():
    x, y = sp.symbols("x y", real=True)
    expr = sp.exp(x) * sp.sin(y) + sp.Rational(1, 3) * x**2 - sp.pi + sp.Float("0.1", 30)
    back = roundtrip(expr)
    assert sp.simplify(back - expr) == 0 and back.free_symbols == {x, y}
    matrix = roundtrip(sp.Matrix([[x, 1], [2, y**2]]))
    assert isinstance(matrix, sp.MatrixBase) and matrix.shape == (2, 2) and matrix[1, 1] == y**2


def test_student_exceptions_come_back_as_fresh_safe_classes():
    exc = rebuild_exception({"type": "MyError", "chain": ["MyError", "ValueError", "Exception"], "message": "m"})
    assert isinstance(exc, ValueError) and type(exc).__name__ == "MyError" and str(exc) == "m"
    exit_ = rebuild_exception({"type": "SystemExit", "chain": ["SystemExit", "BaseException"], "message": ""})
    assert isinstance(exit_, RuntimeError)


def test_in_place_changes_are_mirrored_onto_the_callers_objects():
    a, items, table = np.zeros(3), [1, [2, 3]], {"k": np.ones(2)}
    mirror([a, items, table], [np.array([1.0, 2.0, 3.0]), [1, [2, 4]], {"k": np.zeros(2), "new": 1}])
    assert a.tolist() == [1.0, 2.0, 3.0] and items == [1, [2, 4]] and table["k"].tolist() == [0, 0] and table["new"] == 1


def test_student_objects_are_read_only_for_the_grader():
    from course.grading.sandbox.grader.remote import RemoteObject
    student_function = RemoteObject(None, {"$handle": 1, "callable": True})
    with pytest.raises(TypeError, match="read-only"):
        student_function.cache = {}


def _send_twice(value, limit=value_cache.LIMIT):
    """Encode ``value`` twice for one receiver; the messages as sent and the values it rebuilt."""
    sent, held = value_cache.SentValues(limit), value_cache.HeldValues(limit)
    messages, values = [], []
    for _ in range(2):
        frames: list = []
        data = codec.dumps(codec.Encoder(lambda obj: {}, frames, sent=sent).encode(value))
        messages.append(data)
        values.append(codec.Decoder(lambda ref: None, frames, cache=held).decode(codec.loads(data)))
    return messages, values


def test_a_large_list_of_strings_crosses_once_and_is_rebuilt_as_a_new_list_each_time():
    words = [f"w{i}é" for i in range(50_000)]
    messages, values = _send_twice(words)
    assert len(messages[1]) < 200 < len(messages[0])
    assert values[0] == words and values[1] == words and values[0] is not values[1]


def test_a_large_array_crosses_once_and_is_rebuilt_as_a_new_array_each_time():
    E = np.random.default_rng(0).normal(size=(500, 50))
    messages, values = _send_twice(E)
    assert len(messages[1]) < 200
    assert np.array_equal(values[1], E) and values[1] is not values[0] and values[1].flags.writeable


def test_values_past_the_cache_limit_are_sent_whole_every_time():
    messages, values = _send_twice([str(i) for i in range(5000)], limit=1000)
    assert len(messages[1]) == len(messages[0]) and values[1] == values[0]


@pytest.mark.parametrize("bad", [{"$strings": {"cached": "0" * 64}}, {"$ndarray": {"cached": "0" * 64}},
                                 {"$strings": {"items": ["a"] * 3000, "cache": "0" * 64}},
                                 {"$strings": {"items": [1] * 3000, "cache": "0" * 64}}])
def test_unknown_or_mismatched_kept_values_are_a_wire_error(bad):
    with pytest.raises(codec.WireError):
        codec.Decoder(lambda ref: None, cache=value_cache.HeldValues()).decode(bad)


def test_a_receiver_keeps_no_more_than_its_limit():
    held = value_cache.HeldValues(limit=100)
    raw = b"x" * 101
    with pytest.raises(codec.WireError):
        held.keep(value_cache.digest(raw), raw)
