"""A program's success criteria, as written: a metric of the report, a comparison
and a threshold, with the words people read (measured in :mod:`bot.report.verdicts`)."""

from __future__ import annotations

import difflib
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.program.problems import QUOTED, brief
from bot.report.metrics import METRICS

Line = Annotated[str, Field(min_length=1, max_length=300)]


class Criterion(BaseModel):
    """A success criterion: a metric of the report, a comparison and a threshold,
    with the words people read. A criterion written as plain text (as before
    criteria were measured) has no metric: it is shown, marked "not measured"."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: Line
    metric: str | None = None
    at_least: float | None = None
    at_most: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, data: Any) -> Any:
        return {"label": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _measurable(self) -> Self:
        bounds = [b for b in (self.at_least, self.at_most) if b is not None]
        if self.metric is None:
            if bounds:
                raise ValueError("a criterion with a threshold needs a metric: to measure")
            return self
        if self.metric not in METRICS:
            raise ValueError(_unknown_metric(self.metric))
        if len(bounds) != 1:
            raise ValueError(
                f"the criterion on {self.metric} needs one threshold: at_least: N or at_most: N"
            )
        return self

    @property
    def measured(self) -> bool:
        return self.metric is not None


def _unknown_metric(name: str) -> str:
    close = difflib.get_close_matches(name, METRICS, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"unknown metric '{brief(name, QUOTED)}'{hint}; the metrics are: " + ", ".join(METRICS)
