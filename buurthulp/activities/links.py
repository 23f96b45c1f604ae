"""Absolute links to an activity, for mails, jobs and the calendar feed."""

from buurthulp.activities.models import Activity
from buurthulp.mail.links import absolute_link


def activity_link(activity: Activity) -> str:
    return absolute_link("activities.activity_detail", activity_id=activity.id)
