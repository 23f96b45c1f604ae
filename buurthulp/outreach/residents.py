"""The resident an outreach page is about: a member or a phone-intake resident of the URL's
initiative, within the user's streets (else 404)."""

from dataclasses import dataclass

from flask import abort, url_for

from buurthulp.outreach.services import ResidentRef
from buurthulp.residents.scope import member_in_scope, proxy_in_scope


@dataclass(frozen=True)
class Subject:
    ref: ResidentRef
    name: str
    street: str
    # URL values of this resident's outreach pages (user_id= or resident_id=).
    url_values: dict
    kind: str  # "member" or "proxy"

    def url(self, endpoint_stem: str) -> str:
        return url_for(f"outreach.{self.kind}_{endpoint_stem}", **self.url_values)

    @property
    def detail_url(self) -> str:
        endpoint = "residents.member_detail" if self.kind == "member" else "residents.proxy_detail"
        return url_for(endpoint, **self.url_values)


def subject_or_404(initiative_id: int, street_ids, *, user_id=None, resident_id=None) -> Subject:
    if user_id is not None:
        found = member_in_scope(user_id, initiative_id, street_ids)
        if found is None:
            abort(404)
        member, membership = found
        return Subject(
            ResidentRef(initiative_id, user_id=member.id),
            member.full_name,
            membership.street.name if membership.street else "",
            {"initiative_id": initiative_id, "user_id": member.id},
            "member",
        )
    proxy = proxy_in_scope(resident_id, initiative_id, street_ids)
    # A phone-intake resident who got an account is a member now: their history moved along.
    if proxy is None or proxy.user_id is not None:
        abort(404)
    return Subject(
        ResidentRef(initiative_id, proxy_resident_id=proxy.id),
        proxy.full_name,
        proxy.street_name,
        {"initiative_id": initiative_id, "resident_id": proxy.id},
        "proxy",
    )
