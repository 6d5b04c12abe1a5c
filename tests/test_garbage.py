"""A parse leaves no reference cycles behind: everything it made is freed when the Notice goes.

A cycle (a nested recursive function holding the tree in its closure, a parent link) keeps a
whole document's blocks, readings and fields alive until the cyclic collector runs, and every
full collection in a long batch walks them again.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest

from noticeparse import parse, parse_data

from .conftest import SEED

OUTLINE = "\n".join([
    "关于开展读书月活动的通知",
    "一、活动安排",
    "（一）启动仪式",
    "1.开幕式",
    "活动时间：2024年4月1日",
    "活动地点：学校报告厅",
    "牵头部门：教务处、团委",
    "（1）读书分享",
    "活动时间：4月8日",
    "配合部门：各年级组",
    "（二）闭幕式（牵头单位：校办；配合单位：后勤处）",
    "二、工作要求",
    "各部门要高度重视。",
])

PAGE = (
    "<html><head><title>关于开展读书月活动的通知</title></head><body><div class='nav'>首页 | 通知</div>"
    "<div class='content'><h1>关于开展读书月活动的通知</h1>"
    + "".join(f"<p>{line}</p>" for line in OUTLINE.splitlines()[1:])
    + "<table><tr><td>序号</td><td>工作任务</td><td>牵头单位</td><td>完成时限</td></tr>"
    "<tr><td>1</td><td>图书整理</td><td>图书馆</td><td>4月底</td></tr></table></div></body></html>"
)


def _ours(obj: object) -> bool:
    module = getattr(obj, "__module__", None) if callable(obj) else type(obj).__module__
    return isinstance(module, str) and module.startswith("noticeparse")


def _cycles_left(run: Callable[[], object]) -> list[str]:
    """What `run()` left in unreachable cycles (the collector held off meanwhile) that noticeparse
    made: its objects and functions. Another thread's garbage (a test before this one may leave
    a Dask event loop running) is not counted."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        run()
        gc.collect()
        return sorted({type(o).__qualname__ for o in gc.garbage if _ours(o)})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


@pytest.mark.parametrize(
    ("name", "data"),
    [("outline.txt", OUTLINE.encode()), ("page.html", PAGE.encode())],
)
def test_a_parse_frees_everything_without_the_cyclic_collector(name: str, data: bytes) -> None:
    parse_data(name, data)  # warm: rules and patterns are built once, for the process
    assert parse_data(name, data).activities
    assert _cycles_left(lambda: parse_data(name, data)) == []


def test_the_seed_parse_frees_everything_without_the_cyclic_collector() -> None:
    parse(SEED)
    assert _cycles_left(lambda: parse(SEED)) == []
