"""Dutch names of audit actions, for the audit log page (an unknown action shows as is)."""

from buurthulp.i18n import translated_msgid
from buurthulp.translatable import N_

ACTION_LABELS = {
    "moderation_mode_set": N_("manier van modereren veranderd"),
    "post_approve": N_("bericht goedgekeurd"),
    "post_reject": N_("bericht afgewezen"),
    "post_edit": N_("bericht gewijzigd door moderator"),
    "post_hidden_by_reports": N_("bericht verborgen na meldingen"),
    "flags_kept": N_("meldingen afgehandeld: laten staan"),
    "flags_removed": N_("meldingen afgehandeld: weggehaald"),
    "user_suspend": N_("lid geschorst"),
    "user_block": N_("lid geblokkeerd"),
    "suspension_lift": N_("schorsing opgeheven"),
    "street_create": N_("straat toegevoegd"),
    "street_assign": N_("straat toegewezen"),
    "street_unassign": N_("straat weggehaald bij contactpersoon"),
    "role_set": N_("rol veranderd"),
    "role_revoke": N_("rol ingetrokken"),
    "role_invite": N_("uitgenodigd voor een rol"),
    "role_invitation_accept": N_("rol aangenomen via uitnodiging"),
    "matching_settings_set": N_("instellingen van het koppelen veranderd"),
}


def action_label(action: str) -> str:
    """The action in the reader's language; other domains may add to ACTION_LABELS."""
    msgid = ACTION_LABELS.get(action)
    return translated_msgid(msgid) if msgid else action
