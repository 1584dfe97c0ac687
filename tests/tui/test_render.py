"""The hanging indent of choice rows draws what a two-column grid table drew, line for line and style
for style, whenever each word fits on a line (it replaced the table because tables were slow to paint);
a longer word is folded onto the next line where the table cut it short."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from quizengine.tui.render import hang


def grid(prefix: Text, body: Text) -> Table:
    table = Table.grid()
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    table.add_row(prefix, body)
    return table


def drawn(renderable: RenderableType, width: int) -> list[list[tuple[str, str]]]:
    """Each line as (text, style) runs, trailing blanks dropped (a widget pads its lines anyway)."""
    console = Console(width=width, color_system=None, legacy_windows=False)
    lines = console.render_lines(renderable, console.options, pad=False)
    out = []
    for line in lines:
        runs = [(seg.text, str(seg.style or "")) for seg in line if seg.text]
        while runs and not runs[-1][0].strip():
            runs.pop()
        if runs:
            text, style = runs[-1]
            runs[-1] = (text.rstrip(), style)
        out.append(runs)
    while out and not out[-1]:
        out.pop()
    return out


def flat(lines: list[list[tuple[str, str]]]) -> list[str]:
    return ["".join(text for text, _ in line) for line in lines]


def test_a_long_option_wraps_under_its_first_line() -> None:
    body = Text("Use a managed endpoint with autoscaling on GPU utilisation and a warm pool of two instances")
    lines = flat(drawn(hang(Text(" [ ] 1/A  ", style="bold"), body), 40))
    assert lines[0].startswith(" [ ] 1/A  Use a managed")
    assert len(lines) > 2
    assert all(line.startswith(" " * 10) and line[10] != " " for line in lines[1:])
    assert flat(drawn(grid(Text(" [ ] 1/A  ", style="bold"), body), 40)) == lines


words = st.text(alphabet="abcdefghij", min_size=1, max_size=14)


@settings(max_examples=150, deadline=None)
@given(
    prefix=st.sampled_from([" [ ] 1/A  ", " [x] 9/I  ", " 3.  C  ", " D.  "]),
    body=st.lists(words, min_size=1, max_size=40).map(" ".join),
    room=st.integers(min_value=14, max_value=110),  # every word fits beside the prefix
    bold=st.booleans(),
)
def test_it_draws_what_the_table_drew(prefix: str, body: str, room: int, bold: bool) -> None:
    style = "bold" if bold else ""
    width = len(prefix) + room
    new = drawn(hang(Text(prefix, style=style), Text(body, style=style)), width)
    old = drawn(grid(Text(prefix, style=style), Text(body, style=style)), width)
    assert flat(new) == flat(old)
    assert [{s for t, s in line if t.strip()} for line in new] == [
        {s for t, s in line if t.strip()} for line in old
    ]


def test_a_word_longer_than_the_line_is_folded_not_cut() -> None:
    """Where the table cut a too-long word with an ellipsis, the whole word stays readable."""
    name = "sagemaker.workflow.pipeline_context.PipelineSession"
    lines = flat(drawn(hang(Text(" [ ] 2/B  "), Text(f"Use {name} here")), 40))
    assert "".join(line[10:] for line in lines).replace(" ", "") == f"Use{name}here"
    assert "…" not in "".join(lines)
