"""Tools: tools for understanding the system: process map, fishbone, Pareto, 5 whys, stakeholder analysis,
affinity diagram."""
