"""`tallywire chart attacks|swaps [--days N] --out FILE.png` (issue 17): the chart /chart sends,
as a file, from the seeds replayed into a store; its caption printed; bad usage exit 2, nothing
to chart exit 1."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from bot.charts import height_of, read_plotted
from bot.cli.main import main


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A store with the five seeds replayed; its --db."""
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "TALLYWIRE_FEEDS", "TALLYWIRE_SEEDS", "TALLYWIRE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    db = f"sqlite:///{tmp_path / 'seeds.db'}"
    assert main(["replay", "--db", db]) == 0
    return db


def test_chart_attacks_writes_the_png_of_the_seeds_nights(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    out = tmp_path / "attacks.png"
    assert main(["chart", "attacks", "--db", seeded, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Air attacks, April 27 to May 26, 2025\n")
    assert "Drones launched: 175 on May 23, 250 on May 24, 298 on May 25." in printed
    assert f"chart written to {out}" in printed
    png = out.read_bytes()
    with Image.open(io.BytesIO(png)) as image:
        assert (image.format, image.size) == ("PNG", (1000, height_of(2)))
    plotted = read_plotted(png)
    drones = {
        (panel["title"], series["metric"]): [(p["day"], p["low"]) for p in series["points"]]
        for panel in plotted["panels"]
        for series in panel["series"]
    }
    assert drones[("Attacks on Ukraine", "attack.drones_launched")] == [
        ("2025-05-23", 175), ("2025-05-24", 250), ("2025-05-25", 298),
    ]  # fmt: skip
    assert drones[("Attacks on Russia", "attack.drones_downed")] == [
        ("2025-05-23", 788), ("2025-05-24", 94), ("2025-05-25", 110),
    ]  # fmt: skip


def test_chart_days_narrows_the_nights_and_swaps_draws_the_exchange(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "two.png"
    assert main(["chart", "attacks", "--days", "2", "--db", seeded, "--out", str(out)]) == 0
    days = {
        p["day"]
        for panel in read_plotted(out.read_bytes())["panels"]
        for series in panel["series"]
        for p in series["points"]
    }
    assert days == {"2025-05-25"}  # the two days up to the day after the newest news
    swaps = tmp_path / "swaps.png"
    assert main(["chart", "swaps", "--db", seeded, "--out", str(swaps)]) == 0
    assert "390 + 307 + 303 = 1,000 of 1,000 agreed" in capsys.readouterr().out
    (side,) = read_plotted(swaps.read_bytes())["panels"][0]["sides"]
    assert [r["value"] for r in side["running"]] == [390, 697, 1000]


@pytest.mark.parametrize(
    "args",
    [
        ["chart", "frobs", "--out", "x.png"],
        ["chart", "attacks", "--days", "0", "--out", "x.png"],
        ["chart", "attacks", "--days", "99999", "--out", "x.png"],
        ["chart", "attacks"],
    ],
)
def test_bad_usage_exits_2_and_writes_nothing(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    assert not (tmp_path / "x.png").exists()


def test_nothing_to_chart_exits_1_saying_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "none.png"
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    assert main(["chart", "swaps", "--db", db, "--out", str(out)]) == 1
    assert "Nothing to chart yet" in capsys.readouterr().err
    assert not out.exists()


def test_chart_help_does_not_load_matplotlib() -> None:
    probe = "import sys, bot.cli.main; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "False\n")
