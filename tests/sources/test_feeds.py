"""Which feeds are polled: config/feeds.toml and TALLYWIRE_FEEDS."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import Settings
from bot.sources.feeds import feed_id_for, load_feeds


def settings_with(tmp_path: Path, feeds_toml: str, env_feeds: str = "") -> Settings:
    (tmp_path / "feeds.toml").write_text(feeds_toml)
    return Settings.from_env({"TALLYWIRE_CONFIG": str(tmp_path), "TALLYWIRE_FEEDS": env_feeds})


def test_the_shipped_config_polls_no_feed_by_default() -> None:
    assert load_feeds(Settings.from_env({})) == []


def test_file_feeds_then_environment_feeds(tmp_path: Path) -> None:
    settings = settings_with(
        tmp_path,
        '[[feeds]]\nid = "ki"\nurl = "https://kyiv.example/rss"\nlabel = "Kyiv"\ninterval = 900\n',
        "http://127.0.0.1:8000/feed.xml,https://kyiv.example/rss",
    )
    feeds = load_feeds(settings)
    assert [(f.id, f.url, f.label, f.interval_seconds, f.origin) for f in feeds] == [
        ("ki", "https://kyiv.example/rss", "Kyiv", 900, "config"),
        (
            feed_id_for("http://127.0.0.1:8000/feed.xml"),
            "http://127.0.0.1:8000/feed.xml",
            "127.0.0.1:8000",
            None,
            "env",
        ),
    ]


def test_feed_ids_from_urls_are_readable_and_stable() -> None:
    feed_id = feed_id_for("https://www.Ukrinform.net/rss/block-lastnews")
    assert feed_id.startswith("www-ukrinform-net-")
    assert feed_id == feed_id_for("https://www.Ukrinform.net/rss/block-lastnews")
    assert feed_id != feed_id_for("https://www.Ukrinform.net/rss/other")


@pytest.mark.parametrize(
    ("toml", "env", "message"),
    [
        ('[[feeds]]\nid = "a b"\nurl = "https://x.example"\n', "", "id must be"),
        ('[[feeds]]\nid = "a"\n', "", "url is missing"),
        ('[[feeds]]\nid = "a"\nurl = "ftp://x.example/f"\n', "", "not an http"),
        ('[[feeds]]\nid = "a"\nurl = "https://x.example"\ninterval = 0\n', "", "interval"),
        (
            '[[feeds]]\nid = "a"\nurl = "https://x.example/1"\n[[feeds]]\nid = "a"\nurl = "https://x.example/2"\n',
            "",
            "used twice",
        ),
        ("feeds = [", "", "feeds.toml"),
        ("", "file:///etc/passwd", "TALLYWIRE_FEEDS"),
    ],
)
def test_malformed_feeds_are_config_errors(
    tmp_path: Path, toml: str, env: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_feeds(settings_with(tmp_path, toml, env))


def test_the_shipped_examples_parse_once_uncommented_as_their_comment_says(
    tmp_path: Path,
) -> None:
    """Issue 16: the examples sat below `feeds = []`, and following the comment broke TOML."""
    shipped = (Path(__file__).resolve().parents[2] / "config" / "feeds.toml").read_text()
    assert 'remove the "# " in front of each of its lines' in shipped
    examples = shipped.split("\n\n", 1)[1]  # the blocks after the header comment
    uncommented = shipped.replace(examples, examples.replace("# ", ""))
    feeds = load_feeds(settings_with(tmp_path, uncommented))
    assert [(f.id, f.origin) for f in feeds] == [
        ("kyiv-independent", "config"),
        ("ukrinform-war", "config"),
    ]
    assert feeds[1].interval_seconds == 900
