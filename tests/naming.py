"""The shipped words of the metrics, for tests that call the sentence builders of `bot.compose`
and `bot.commands` directly: the service and the command line pass the rulebook's
(`Rulebook.naming`), which is this one when TALLYWIRE_CONFIG has no metrics.toml. Read once per
test session, as the rulebook reads it."""

from __future__ import annotations

from bot.extract import Naming
from bot.reconcile import Rulebook
from bot.settings import Settings

SHIPPED_NAMING: Naming = Rulebook.from_settings(Settings.from_env({})).naming
