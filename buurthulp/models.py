"""Imports every model module so the metadata (and Alembic) sees all tables."""

from buurthulp.accounts import models as accounts_models  # noqa: F401
from buurthulp.activities import models as activities_models  # noqa: F401
from buurthulp.audit import models as audit_models  # noqa: F401
from buurthulp.initiatives import models as initiatives_models  # noqa: F401
from buurthulp.listings import models as listings_models  # noqa: F401
from buurthulp.listings import versions as listings_versions  # noqa: F401  (session events)
from buurthulp.matching import models as matching_models  # noqa: F401
from buurthulp.matching import offer_search as matching_offer_search  # noqa: F401
from buurthulp.moderation import models as moderation_models  # noqa: F401
from buurthulp.monitor import models as monitor_models  # noqa: F401
from buurthulp.outreach import models as outreach_models  # noqa: F401
from buurthulp.panel import models as panel_models  # noqa: F401
from buurthulp.realtime import models as realtime_models  # noqa: F401
from buurthulp.residents import models as residents_models  # noqa: F401
from buurthulp.scheduler import models as scheduler_models  # noqa: F401
