"""Portfolio: the programme as a whole: dashboards, the signal scan, forum packs, board reports, storyboards
and the public showcase."""
