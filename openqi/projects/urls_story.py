"""Story log, timeline and audit trail URLs (included into projects.urls)."""

from django.urls import URLPattern, path

from openqi.projects.views import audit, story, timeline

urlpatterns: list[URLPattern] = [
    path("<int:pk>/story/", story.story, name="story"),
    path("<int:pk>/story/new/", story.add, name="story_add"),
    path("<int:pk>/story/<int:entry_pk>/edit/", story.edit, name="story_edit"),
    path("<int:pk>/story/<int:entry_pk>/delete/", story.delete, name="story_delete"),
    path("<int:pk>/story/attachments/<int:attachment_pk>/", story.attachment, name="story_attachment"),
    path("<int:pk>/timeline/", timeline.timeline, name="timeline"),
    path("<int:pk>/audit/", audit.audit_trail, name="audit"),
]
