"""OpenQI's SPC engine: run charts, Shewhart control charts and NHS "Making Data Count", NumPy only."""

from openqi.spc.charts import qic
from openqi.spc.results import PartSummary, QicPoints, QicResult, QicSummary

__all__ = ["PartSummary", "QicPoints", "QicResult", "QicSummary", "qic"]
