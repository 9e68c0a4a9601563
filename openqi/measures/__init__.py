"""Measures: the organisation's measure library, each project's family of measures, data entry and
import, and SPC charts computed by `openqi_spc` and drawn by `openqi_spc.render`."""
