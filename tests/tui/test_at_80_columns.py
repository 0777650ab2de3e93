"""What the last real-terminal trials (tmux, 80×24) found wrong, each held by a test:
the finding's actions cut off in the footer, a home table scrolling sideways, a Tab lost
when the login keys come in one burst, and the readline keys in every input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input
from textual.widgets._footer import FooterKey

from rectify.domain.identity import Role
from rectify.tui.actions import FORMS, forms_for
from rectify.tui.screens.evaluations import EvaluationsScreen
from rectify.tui.screens.finding import FindingScreen
from tests.tui.conftest import (
    PASSWORDS,
    PRINCIPALS,
    R1,
    R2,
    R3,
    TODAY,
    World,
    open_weibin_evaluation,
    record_r3,
    settle,
    sync,
    weibin_scored_leaf,
)

ROOM = (80, 24)


def visible_footer_keys(app: Any) -> set[str]:
    """The keys whose footer entry is drawn whole inside the terminal and not under the
    command palette's entry, docked at the right end of the footer."""
    keys = list(app.screen.query(FooterKey))
    palette = [k.region.x for k in keys if k.has_class("-command-palette")]
    limit = min([app.size.width, *palette])
    return {
        k.key
        for k in keys
        if not k.has_class("-command-palette") and k.region.width and k.region.right <= limit
    }


def events_recorded(world: World) -> int:
    return world.house.store.app.recorder.max_notification_id() or 0


def request_closure(world: World, tmp_path: Path, ref: str) -> None:
    proof = tmp_path / f"proof-{ref.replace('/', '-')}.txt"
    proof.write_text(f"制度文件 {ref}")
    with world.house.acting(PRINCIPALS["department"]):
        evidence_id = world.house.evidence.submit_evidence(
            proof, effective_date=TODAY, finding_ref=ref
        )
        world.house.findings.request_closure(ref, [evidence_id], note="请审核")


@sync
async def test_every_action_the_role_may_take_is_visible_in_the_footer(
    world: World, tmp_path: Path
) -> None:
    """A bureau user on a finding waiting for review has seven actions; at 80 columns
    the footer once stopped after the fifth (and a department's after the fourth)."""
    request_closure(world, tmp_path, R1)
    for role, status in (("bureau", "closure_requested"), ("department", "issued")):
        app = world.app(role, finding=R1 if role == "bureau" else "WB-GXJ/2024/02")
        async with app.run_test(size=ROOM) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, FindingScreen)
            wanted = {f.key for f in forms_for(status, Role(role))}
            assert len(wanted) >= 5
            missing = wanted - visible_footer_keys(app)
            assert not missing, (role, missing)
            # `?` lists them too.
            await pilot.press("question_mark")
            await pilot.pause()
            help_text = app.screen.query_one("Markdown").source  # type: ignore[attr-defined]
            for form in forms_for(status, Role(role)):
                assert f"`{form.key}`" in help_text and form.title in help_text, form


@sync
async def test_no_home_table_scrolls_sideways_at_80_columns(world: World, tmp_path: Path) -> None:
    """The evaluator's and the bureau's evaluation titles, and a department's long
    reason for a return, once pushed a table past 80 columns."""
    request_closure(world, tmp_path, R2)
    with world.house.acting(PRINCIPALS["bureau"]):
        world.house.findings.return_finding(
            R2, "佐证材料不足：缺少整改后的预算测算表和会议纪要原件"
        )
    for role in ("bureau", "department", "evaluator", "auditor"):
        app = world.app(role)
        async with app.run_test(size=ROOM) as pilot:
            await settle(pilot)
            for table in app.screen.query(DataTable):
                if table.display and table.row_count:
                    # Room for two vertical scrollbars: the page's and its own (with
                    # a province's data both scroll, as the demo store's do).
                    room = app.size.width - 2 * table.styles.scrollbar_size_vertical
                    assert table.virtual_size.width <= room, (role, table.id, table.virtual_size)


@sync
async def test_login_keys_in_one_burst(world: World) -> None:
    """tmux send-keys 'user' Tab 'password' Enter: the keys reach the app before the
    first is handled; the Tab must still move to the password field."""
    app = world.app(None)
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        keys = [*"wb", "tab", *PASSWORDS["wb"], "enter"]
        for key in keys:  # queued all at once, as a terminal burst is
            app.post_message(_key(key))
        await settle(pilot)
        await settle(pilot)
        assert app.backend.principal is not None
        assert app.backend.principal.name == "wb"


@sync
async def test_readline_keys_in_an_input(world: World) -> None:
    """Textual's Input gives the readline keys terminal users expect (docs/tui.md)."""
    app = world.app(None)
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        user = app.screen.query_one("#user", Input)
        await pilot.press(*"old words")
        await pilot.press("ctrl+w")
        assert user.value == "old "
        await pilot.press("ctrl+a", "x", "ctrl+e", "y")
        assert user.value == "xold y"
        await pilot.press("left", "ctrl+k")
        assert user.value == "xold "
        await pilot.press("ctrl+u")
        assert user.value == ""
        # Back into a field that holds text (all of it selected on focus): Ctrl+U clears it.
        await pilot.press(*"wb", "tab", *"secret", "shift+tab")
        assert app.focused is user
        await pilot.press("ctrl+u")
        assert user.value == ""


def _key(name: str) -> Any:
    from textual import events

    character = name if len(name) == 1 else {"tab": "\t", "enter": "\r"}.get(name)
    return events.Key(name, character)


@sync
async def test_an_oversized_file_is_marked_on_its_field_and_nothing_recorded(
    world: World, tmp_path: Path
) -> None:
    big = tmp_path / "扫描件.pdf"
    big.write_bytes(b"%PDF" + b"x" * 60)
    world.house.evidence.evidence_max_size = 32  # the store's limit, as configured
    before = events_recorded(world)
    app = world.app("department", finding=R1)
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        path = app.screen.query_one("#in-path", Input)
        path.value = str(big)
        path.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "过大" in str(app.screen.query_one("#err-path").render())
        assert path.has_class("-invalid")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FindingScreen)
        assert app.screen.evidence == []
    assert events_recorded(world) == before


async def burst(pilot: Any, *keys: str) -> None:
    """Keys queued all at once, as a terminal delivers a fast typist's or tmux's."""
    for key in keys:
        pilot.app.post_message(_key(key))
    await settle(pilot)
    await settle(pilot)


@sync
async def test_score_form_takes_a_burst_of_keys(world: World) -> None:
    """The form opened on the stage choice, which let the burst's keys fall into it:
    the value and the reason stayed empty ("理由不能为空" in the tmux trial)."""
    app = world.app("evaluator", screen="evaluations")
    async with app.run_test(size=ROOM) as pilot:
        await open_weibin_evaluation(pilot)
        screen = app.screen
        assert isinstance(screen, EvaluationsScreen) and screen.card is not None
        card = screen.card
        leaf = next(n for n in card.nodes if n.is_leaf and n.score is not None and n.score > 1)
        codes = [n.code for n in card.nodes]
        screen.query_one("#tree", DataTable).move_cursor(row=codes.index(leaf.code))
        await pilot.press("e")
        await pilot.pause()
        assert leaf.score is not None
        await burst(pilot, *f"{leaf.score - 1:f}", "tab", *"复核意见", "enter")
        assert app.screen is screen, "the form is still open"
        assert screen.card is not None and screen.card.total == card.total - 1


@sync
async def test_the_home_counts_stay_in_view_when_its_first_table_takes_the_focus(
    world: World,
) -> None:
    """tmux, department at 80×24 on the demo store: its long to-do list took the focus on
    load and scrolled the home past the counts (逾期 … 未销号) above it."""
    app = world.app("department")
    async with app.run_test(size=(80, 6)) as pilot:  # a screen shorter than the home
        await settle(pilot)
        home = app.screen.query_one("#home")
        assert isinstance(app.screen.focused, DataTable)
        assert home.scroll_y == 0
        assert "逾期" in str(app.screen.query_one("#home-counts").render())


@sync
async def test_issue_form_takes_a_burst_of_keys(world: World) -> None:
    """The issue form opened on the class choice, where a burst's keys were lost: it
    opens on the first text field now, and the burst lands there in order."""
    record_r3(world)
    app = world.app("bureau", finding=R3)
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        await burst(pilot, *"细化测算", "tab", *"2026-01-10")
        assert app.screen.query_one("#in-requirements", Input).value == "细化测算"
        assert app.screen.query_one("#in-issued_on", Input).value == "2026-01-10"


@sync
async def test_editing_keys_in_a_burst_act_in_order(world: World) -> None:
    """tmux `send-keys C-u 2026-11-27`: Ctrl+U is a binding, run only once the key had
    bubbled up to the app, after the keys behind it were typed — it cleared the `2`."""
    app = world.app(None)
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        user = app.screen.query_one("#user", Input)
        await burst(pilot, *"old", "ctrl+u", *"wb")
        assert user.value == "wb"
        await burst(pilot, "backspace", *"x", "ctrl+w", *"eva")
        assert user.value == "eva"


@sync
async def test_the_key_that_opens_a_form_and_the_keys_behind_it_in_one_burst(
    world: World,
) -> None:
    """tmux `send-keys i 细化测算`: the form's first field had no focus yet when the
    burst's keys came; they were lost."""
    record_r3(world)
    app = world.app("bureau", finding=R3)
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        await burst(pilot, "i", *"细化测算", "tab", *"2026-01-10")
        assert app.screen.query_one("#in-requirements", Input).value == "细化测算"
        assert app.screen.query_one("#in-issued_on", Input).value == "2026-01-10"


@sync
async def test_help_keeps_each_key_beside_its_meaning_at_80_columns(world: World) -> None:
    """`?` at 80×24: each key on the same row as what it does (lines wrapped a key to one
    line's end and its meaning to the next), every action with its roles, j/J and k."""
    from rich.cells import cell_len
    from textual.widgets._markdown import MarkdownTableContent

    app = world.app("bureau")
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        tables = list(app.screen.query(MarkdownTableContent))
        assert len(tables) >= 8  # a table per screen, and the actions'
        keys: list[str] = []
        for table in tables:
            assert table.size.width <= ROOM[0]
            columns = len(table.headers)
            cells = list(table.children)[columns:]
            for start in range(0, len(cells), columns):
                row = cells[start : start + columns]
                key, rest = row[0], row[1:]
                text = str(key.render())
                assert cell_len(text) <= key.content_size.width, text  # a key never wraps
                assert all(c.virtual_region.y == key.virtual_region.y for c in rest)
                assert all(c.virtual_region.right <= table.size.width for c in row)
                keys.append(text)
        for wanted in ("j", "J", "k", "t", "?"):
            assert wanted in keys, wanted
        source = app.screen.query_one("Markdown").source  # type: ignore[attr-defined]
        for form in FORMS.values():
            assert f"| `{form.key}` |" in source and form.title in source
        assert "| `r` | 申请销号（部门） |" in source


@sync
async def test_e_and_a_score_in_one_burst_and_an_e_typed_in_the_date_field(
    world: World,
) -> None:
    """tmux `send-keys e 2.5 Tab 复核意见 Enter` on a leaf: the score went to the tree,
    not to the form `e` opens. An `e` typed in the as-of date field stays there."""
    app = world.app("evaluator", screen="evaluations")
    async with app.run_test(size=ROOM) as pilot:
        screen, card, leaf = await weibin_scored_leaf(pilot)
        codes = [n.code for n in card.nodes]
        screen.query_one("#tree", DataTable).move_cursor(row=codes.index(leaf.code))
        await burst(pilot, "e", *f"{leaf.score - 1:f}", "tab", *"复核意见", "enter")
        assert app.screen is screen, "the form is still open"
        assert isinstance(screen, EvaluationsScreen) and screen.card is not None
        assert screen.card.total == card.total - 1
        await burst(pilot, "t", *"2026-e")
        assert app.screen is screen, "e in the date field opened the score form"
        assert screen.query_one("#as-of", Input).value == "2026-e"


@sync
async def test_slash_and_t_and_the_text_behind_them_in_one_burst(world: World) -> None:
    """tmux `send-keys t 2025-06-01 Enter` on the problem list: the date's keys reached
    the list before `t` had moved to the field, and its `1` went home."""
    app = world.app("bureau", screen="problems")
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        screen = app.screen
        await burst(pilot, "t", *"2020-01-01", "enter")
        assert app.screen is screen
        assert "截至 2020-01-01" in str(screen.query_one("#problems-status").render())
        screen.query_one("#findings").focus()
        await burst(pilot, "slash", *"预算t/")
        assert screen.query_one("#f-text", Input).value == "预算t/"  # t and / typed there
        screen.query_one("#findings").focus()
        await pilot.press("5")
        await settle(pilot)
        await burst(pilot, "slash", *"下发")
        assert app.screen.query_one("#log-topic", Input).value == "下发"
