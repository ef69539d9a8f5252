"""The editorial rules, loaded once from config: vocabulary, tolls, checks, what alerts."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import ConfigError
from bot.extract import Naming, Vocabulary, load_vocabulary
from bot.reconcile.changes import AlertPolicy, load_policy
from bot.reconcile.checks import load_checks
from bot.reconcile.engine import Rules
from bot.settings import Settings


@dataclass(frozen=True)
class Rulebook:
    """Everything the pure steps need from config/."""

    vocabulary: Vocabulary
    rules: Rules
    policy: AlertPolicy

    @classmethod
    def from_settings(cls, settings: Settings) -> Rulebook:
        """Load metrics.toml, checks.toml and alerts.toml (the user's first). Raises ConfigError."""
        metrics = settings.config_file("metrics.toml")
        if metrics is None:
            raise ConfigError("no metrics.toml in the config folders")
        vocabulary = load_vocabulary(metrics)
        checks = load_checks(settings.config_file("checks.toml"))
        policy = load_policy(settings.config_file("alerts.toml"))
        return cls(vocabulary, Rules(vocabulary.tolls, checks), policy)

    def headline_order(self, topic: str) -> tuple[str, ...]:
        """The metrics a summary of this topic lists first."""
        return self.policy.headline.get(topic, ())

    @property
    def naming(self) -> Naming:
        """How replies say each metric and how questions name it (metrics.toml)."""
        return self.vocabulary.naming
