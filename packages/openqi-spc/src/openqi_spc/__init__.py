"""OpenQI's SPC engine: run charts, Shewhart control charts and NHS "Making Data Count", NumPy only.

    from openqi_spc import qic, mdc
    qic(y, chart="i")                     # qicharts2's qic(), snake_case
    mdc(y, improvement="decrease")        # NHS Making Data Count XmR with icons
    mdc_from_qic(qic(y, n, chart="p"))    # Making Data Count rules and icons on any qic() chart
    suggest_rebase(result, changes=[20])  # where to recalculate the limits after a sustained shift
    qic(data=df, x="week", y="done", n="started", chart="p", facets="team")  # DataFrames in and out
    check_rules(qic(y, chart="i"), "nelson")  # Western Electric / Nelson rule sets
    np_chart(y, n); xbar_r(values, x=subgroup); cusum(y, 10, 1); ewma(y, 10, 1, lam=0.1, L=2.7)
    funnel(observed, expected, kind="ratio", overdispersion=True)
    result.plot(); result.to_svg()         # matplotlib (MDC or qicharts2 style); the web app's SVG

No Django import anywhere in this package: the web app, reports and notebooks share it.
"""

from openqi_spc.anhoej import RunsAnalysis, longest_run_max, n_crossings_min, runs_analysis
from openqi_spc.batch import MDCBatchResult, QicBatchResult, mdc_batch, qic_batch
from openqi_spc.charts import qic
from openqi_spc.errors import (
    ColumnError,
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
from openqi_spc.frames import MDCFrames, QicFrames
from openqi_spc.funnel import FunnelResult, funnel
from openqi_spc.icons import AssuranceIcon, Improvement, PointType, SpecialCauseRule, VariationIcon
from openqi_spc.mdc import MDCGroupSummary, MDCPoints, MDCResult, mdc
from openqi_spc.mdc_qic import mdc_from_qic
from openqi_spc.pareto import ParetoBar, ParetoResult, pareto
from openqi_spc.presets import PRESETS, REFERENCES, Preset
from openqi_spc.rebase import RebaseSuggestion, suggest_rebase
from openqi_spc.results import PartSummary, QicPoints, QicResult, QicSummary
from openqi_spc.rulesets import RuleCheck, check_rules, zone_rules
from openqi_spc.shewhart import XbarRResult, np_chart, xbar_r
from openqi_spc.timeweighted import CusumResult, EWMAResult, cusum, ewma

__all__ = [
    "PRESETS",
    "REFERENCES",
    "AssuranceIcon",
    "ColumnError",
    "CusumResult",
    "DenominatorError",
    "DuplicateXError",
    "EWMAResult",
    "FewPointsWarning",
    "FunnelResult",
    "Improvement",
    "InputLengthError",
    "InsufficientDataError",
    "MDCBatchResult",
    "MDCFrames",
    "MDCGroupSummary",
    "MDCPoints",
    "MDCResult",
    "NegativeValueError",
    "NonFiniteValueError",
    "NonPositiveValueError",
    "NumeratorError",
    "OptionError",
    "ParetoBar",
    "ParetoResult",
    "PartSummary",
    "PointType",
    "Preset",
    "QicBatchResult",
    "QicFrames",
    "QicPoints",
    "QicResult",
    "QicSummary",
    "RebaseSuggestion",
    "RuleCheck",
    "RunsAnalysis",
    "SPCError",
    "SPCWarning",
    "SpecialCauseRule",
    "VariationIcon",
    "XbarRResult",
    "check_rules",
    "cusum",
    "ewma",
    "funnel",
    "longest_run_max",
    "mdc",
    "mdc_batch",
    "mdc_from_qic",
    "n_crossings_min",
    "np_chart",
    "pareto",
    "qic",
    "qic_batch",
    "runs_analysis",
    "suggest_rebase",
    "xbar_r",
    "zone_rules",
]
