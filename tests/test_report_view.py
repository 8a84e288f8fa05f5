"""Segmentation of overlapping spans: the pieces tile the text and each lists exactly the spans covering it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spinscope.report._view import Mark, segment

N = 40


@st.composite
def marks(draw: st.DrawFn) -> list[Mark]:
    out = []
    for i in range(draw(st.integers(0, 8))):
        a = draw(st.integers(0, N))
        b = draw(st.integers(a, N))
        out.append(Mark(f"f{i}", a, b, "finding", key=1))
    return out


@settings(max_examples=200, deadline=None)
@given(marks(), st.integers(0, N // 2), st.integers(N // 2, N))
def test_segments_tile_the_block(ms: list[Mark], start: int, end: int) -> None:
    segs = segment(start, end, ms)
    text = [s for s in segs if not s.gap]
    if start < end:
        assert [s.start for s in text] == [start] + [s.end for s in text[:-1]]
        assert text[-1].end == end
    else:
        assert not text
    opened: dict[str, int] = {}
    for s in segs:
        if s.gap:
            assert all(m.length == 0 and m.start == s.start for m in s.marks)
            continue
        assert s.start < s.end
        expected = {m.id for m in ms if m.length and m.start <= s.start and m.end >= s.end}
        assert {m.id for m in s.marks} == expected
        assert [m.length for m in s.marks] == sorted(m.length for m in s.marks)
        for m in s.opens:
            opened[m.id] = opened.get(m.id, 0) + 1
        for m in s.closes:
            opened[m.id] -= 1
    # Every mark drawn in the block opens once and closes once: brackets balance.
    assert all(v == 0 for v in opened.values())
    inside = {m.id for m in ms if m.length and m.start < end and m.end > start and start < end}
    assert set(opened) == inside
    gaps = [m.id for s in segs if s.gap for m in s.marks]
    assert sorted(gaps) == sorted(m.id for m in ms if m.length == 0 and start <= m.start <= end)
