"""The I/O sequencing around the pure steps: a poll's documents stored, folded into the ledger
and the outbox; the service loop."""

from bot.pipeline.flow import Ingested, Pipeline, SourceReport
from bot.pipeline.recipients import subscribers
from bot.pipeline.service import Service, worker_name

__all__ = ["Ingested", "Pipeline", "Service", "SourceReport", "subscribers", "worker_name"]
