"""Absolute links to an activity, for mails, jobs and the calendar feed."""

from werkzeug.routing import BuildError

from buurthulp.activities.models import Activity
from buurthulp.mail.links import absolute_link


def activity_link(activity: Activity) -> str:
    """The activity's own page (activities.detail) when the app has it, else its agenda."""
    try:
        return absolute_link("activities.detail", activity_id=activity.id)
    except BuildError:
        return absolute_link("activities.agenda", slug=activity.initiative.slug)
