from openqi.projects.views.project import detail

team = invite = leave = detail
