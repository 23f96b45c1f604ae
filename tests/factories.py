"""Test data built straight on the models, so tests of one service do not depend on another."""

import itertools
import socket
from datetime import date, time, timedelta

from buurthulp.accounts.login_sessions import session_start
from buurthulp.accounts.models import User
from buurthulp.accounts.passwords import hash_password
from buurthulp.extensions import db
from buurthulp.geo.grid import cell_of
from buurthulp.geo.postcodes import locate
from buurthulp.initiatives.models import (
    Domain,
    Initiative,
    InitiativeDomain,
    InitiativeKind,
    InitiativePostcode,
    LegalForm,
    Membership,
    Phase,
    Role,
    Street,
)
from buurthulp.listings.models import (
    Category,
    HelpOffer,
    HelpOfferCategory,
    HelpRequest,
    HelpResponse,
)

PASSWORD = "Lange-wandeling-42"
_counter = itertools.count(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Factories:
    def __init__(self, app):
        self.app = app

    def _save(self, obj):
        with self.app.app_context():
            db.session.add(obj)
            db.session.commit()
            db.session.refresh(obj)
            db.session.expunge(obj)
        return obj

    def initiative(self, *, name: str | None = None, pc4s=("8011", "8012"), **fields):
        n = next(_counter)
        name = name or f"Burenhulp Test {n}"
        first = locate(pc4s[0] + "AA")[1]
        initiative = Initiative(
            name=name,
            slug=fields.pop("slug", f"burenhulp-test-{n}"),
            kind=fields.pop("kind", InitiativeKind.NEIGHBOUR_HELP),
            municipality=fields.pop("municipality", first.municipality),
            province=fields.pop("province", first.province),
            legal_form=fields.pop("legal_form", LegalForm.ASSOCIATION),
            phase=fields.pop("phase", Phase.ACTIVE),
            founding_year=fields.pop("founding_year", 2019),
            **fields,
        )
        initiative.postcodes = [InitiativePostcode(pc4=pc4) for pc4 in pc4s]
        initiative.domains = [
            InitiativeDomain(domain=Domain.CARE),
            InitiativeDomain(domain=Domain.WELFARE),
        ]
        return self._save(initiative)

    def user(
        self,
        *,
        email: str | None = None,
        password: str = PASSWORD,
        postcode: str = "8011AB",
        house_number: str = "12",
        street_name: str = "Diezerstraat",
        initiative: Initiative | None = None,
        role: Role = Role.RESIDENT,
        first_name: str = "Anna",
        last_name: str = "de Vries",
        **fields,
    ) -> User:
        n = next(_counter)
        postcode, area = locate(postcode)
        user = User(
            email=email or f"bewoner{n}@example.nl",
            password_hash=hash_password(password, self.app.config["PASSWORD_HASH_METHOD"]),
            first_name=first_name,
            last_name=last_name,
            street_name=street_name,
            house_number=house_number,
            postcode=postcode,
            place=area.place,
            latitude=area.latitude,
            longitude=area.longitude,
            **fields,
        )
        if initiative is not None:
            with self.app.app_context():
                street = db.session.execute(
                    db.select(Street).filter_by(initiative_id=initiative.id, name=street_name)
                ).scalar_one_or_none() or Street(
                    initiative_id=initiative.id, name=street_name, pc4=postcode[:4]
                )
                user.memberships = [
                    Membership(initiative_id=initiative.id, role=role, street=street)
                ]
                db.session.add(user)
                db.session.commit()
                db.session.refresh(user)
                db.session.expunge(user)
            return user
        return self._save(user)

    def help_request(self, *, requester: User, initiative: Initiative, **fields) -> HelpRequest:
        flexible = fields.pop("flexible_days", None)
        on_date = fields.pop("on_date", None if flexible else date.today() + timedelta(days=2))
        request = HelpRequest(
            initiative_id=initiative.id,
            requester_id=requester.id,
            category=fields.pop("category", Category.GROCERIES),
            title=fields.pop("title", "Boodschappen doen"),
            description=fields.pop("description", "Ik kan niet goed lopen."),
            on_date=on_date,
            time_from=fields.pop("time_from", time(10, 0) if on_date else None),
            time_until=fields.pop("time_until", time(12, 0) if on_date else None),
            flexible_days=flexible,
            street_name=requester.street_name,
            place=requester.place,
            latitude=fields.pop("latitude", requester.latitude),
            longitude=fields.pop("longitude", requester.longitude),
            **fields,
        )
        return self._save(request)

    def help_offer(
        self, *, volunteer: User, initiative: Initiative, categories=(Category.GROCERIES,), **fields
    ) -> HelpOffer:
        offer = HelpOffer(
            initiative_id=initiative.id,
            volunteer_id=volunteer.id,
            title=fields.pop("title", "Ik doe graag boodschappen"),
            description=fields.pop("description", ""),
            availability=fields.pop("availability", 0b111),
            max_distance_km=fields.pop("max_distance_km", 3.0),
            street_name=volunteer.street_name,
            place=volunteer.place,
            latitude=fields.pop("latitude", volunteer.latitude),
            longitude=fields.pop("longitude", volunteer.longitude),
            **fields,
        )
        offer.grid_cell = cell_of(offer.latitude, offer.longitude)
        offer.categories = [HelpOfferCategory(category=c) for c in categories]
        return self._save(offer)

    def help_response(self, *, request: HelpRequest, volunteer: User, message: str = ""):
        return self._save(
            HelpResponse(request_id=request.id, volunteer_id=volunteer.id, message=message)
        )

    def membership(self, *, user: User, initiative: Initiative, role: Role = Role.RESIDENT):
        """Add a user to one more initiative."""
        return self._save(Membership(user_id=user.id, initiative_id=initiative.id, role=role))


class Auth:
    """Logs the test client in and out through the real forms."""

    def __init__(self, client, make: Factories):
        self.client = client
        self.make = make

    def login(self, email: str, password: str = PASSWORD, remember: bool = False):
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self.client.post("/inloggen", data=data)

    def login_as(self, user: User):
        response = self.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    def logout(self):
        return self.client.post("/uitloggen")

    def login_direct(self, user: User):
        """Log in without the login form: a server-side session, its token in the cookie."""
        with self.make.app.app_context():
            token = session_start(user=db.session.get(User, user.id), remember=False)
            db.session.commit()
        with self.client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
        return user
