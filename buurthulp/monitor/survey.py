"""The yearly questionnaire (enquête): its options, saving the answers, and reading them back
next to the live figures. Based on the 2020 survey of the Monitor Zorgzame Gemeenschappen."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative, LegalForm
from buurthulp.monitor.models import SurveyResponse
from buurthulp.translatable import N_

OPTIONS = {
    "target_groups": {
        "elderly": N_("ouderen"),
        "disabled": N_("mensen met een beperking"),
        "carers": N_("mantelzorgers"),
        "lonely": N_("mensen die eenzaam zijn"),
        "low_income": N_("mensen met weinig geld"),
        "everyone": N_("alle bewoners"),
    },
    "themes": {
        "care": N_("zorg"),
        "welfare": N_("welzijn"),
        "housing": N_("wonen"),
        "meeting": N_("ontmoeting"),
        "mobility": N_("vervoer"),
        "health": N_("gezond leven"),
    },
    "activities": {
        "neighbour_help": N_("burenhulp"),
        "meeting": N_("ontmoeting"),
        "day_care": N_("dagbesteding"),
        "transport": N_("vervoer"),
        "meals": N_("maaltijden"),
        "information": N_("informatie en advies"),
    },
    "funding": {
        "municipality": N_("gemeente"),
        "members": N_("contributie van leden"),
        "funds": N_("fondsen"),
        "insurer": N_("zorgverzekeraar"),
        "gifts": N_("giften"),
        "none": N_("geen geld"),
    },
}
COUNTS = ("volunteers", "members", "participants")


@dataclass(frozen=True)
class SurveyAnswers:
    volunteers: int
    members: int
    participants: int
    choices: dict[str, list[str]]
    legal_form: str
    needs: str


def survey_get(initiative_id: int, year: int) -> SurveyResponse | None:
    return db.session.execute(
        select(SurveyResponse).where(
            SurveyResponse.initiative_id == initiative_id, SurveyResponse.year == year
        )
    ).scalar_one_or_none()


def survey_save(
    *, initiative_id: int, year: int, answers: SurveyAnswers, now: datetime
) -> SurveyResponse:
    """Store (or replace) the initiative's answers for the year. Unknown options are dropped."""
    response = survey_get(initiative_id, year) or SurveyResponse(
        initiative_id=initiative_id, year=year
    )
    for name in COUNTS:
        setattr(response, name, max(0, int(getattr(answers, name) or 0)))
    for name, options in OPTIONS.items():
        chosen = [key for key in options if key in answers.choices.get(name, [])]
        setattr(response, name, ",".join(chosen))
    legal = answers.legal_form
    response.legal_form = legal if legal in {f.value for f in LegalForm} else ""
    response.needs = (answers.needs or "")[:2000]
    response.submitted_at = now
    db.session.add(response)
    db.session.commit()
    return response


def survey_totals_by_province(year: int) -> dict[str, dict[str, int]]:
    """Per province: how many initiatives answered and the volunteers and participants they
    reported (raw counts; the monitor puts them through disclosure control)."""
    rows = db.session.execute(
        select(
            Initiative.province,
            func.count(),
            func.sum(SurveyResponse.volunteers),
            func.sum(SurveyResponse.participants),
        )
        .join(Initiative, Initiative.id == SurveyResponse.initiative_id)
        .where(SurveyResponse.year == year)
        .group_by(Initiative.province)
    )
    return {
        province: {"answered": n, "volunteers": int(v or 0), "participants": int(p or 0)}
        for province, n, v, p in rows
    }
