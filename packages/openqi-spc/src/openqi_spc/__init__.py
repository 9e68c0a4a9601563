"""OpenQI's SPC engine: run charts, Shewhart control charts and NHS "Making Data Count", NumPy only.

    from openqi_spc import qic, mdc
    qic(y, chart="i")                     # qicharts2's qic(), snake_case
    mdc(y, improvement="decrease")        # NHS Making Data Count XmR with icons
    mdc_from_qic(qic(y, n, chart="p"))    # Making Data Count rules and icons on any qic() chart
    suggest_rebase(result, changes=[20])  # where to recalculate the limits after a sustained shift

No Django import anywhere in this package: the web app, reports and notebooks share it.
"""

from openqi_spc.anhoej import RunsAnalysis, longest_run_max, n_crossings_min, runs_analysis
from openqi_spc.batch import MDCBatchResult, QicBatchResult, mdc_batch, qic_batch
from openqi_spc.charts import qic
from openqi_spc.errors import (
    DenominatorError,
    DuplicateXError,
    FewPointsWarning,
    InputLengthError,
    InsufficientDataError,
    NegativeValueError,
    NonFiniteValueError,
    NonPositiveValueError,
    NumeratorError,
    OptionError,
    SPCError,
    SPCWarning,
)
from openqi_spc.icons import AssuranceIcon, Improvement, PointType, SpecialCauseRule, VariationIcon
from openqi_spc.mdc import MDCGroupSummary, MDCPoints, MDCResult, mdc
from openqi_spc.mdc_qic import mdc_from_qic
from openqi_spc.presets import PRESETS, REFERENCES, Preset
from openqi_spc.rebase import RebaseSuggestion, suggest_rebase
from openqi_spc.results import PartSummary, QicPoints, QicResult, QicSummary

__all__ = [
    "PRESETS",
    "REFERENCES",
    "AssuranceIcon",
    "DenominatorError",
    "DuplicateXError",
    "FewPointsWarning",
    "Improvement",
    "InputLengthError",
    "InsufficientDataError",
    "MDCBatchResult",
    "MDCGroupSummary",
    "MDCPoints",
    "MDCResult",
    "NegativeValueError",
    "NonFiniteValueError",
    "NonPositiveValueError",
    "NumeratorError",
    "OptionError",
    "PartSummary",
    "PointType",
    "Preset",
    "QicBatchResult",
    "QicPoints",
    "QicResult",
    "QicSummary",
    "RebaseSuggestion",
    "RunsAnalysis",
    "SPCError",
    "SPCWarning",
    "SpecialCauseRule",
    "VariationIcon",
    "longest_run_max",
    "mdc",
    "mdc_batch",
    "mdc_from_qic",
    "n_crossings_min",
    "qic",
    "qic_batch",
    "runs_analysis",
    "suggest_rebase",
]
