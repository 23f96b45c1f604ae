"""Imports every model module so the metadata (and Alembic) sees all tables."""

from buurthulp.accounts import models as accounts_models  # noqa: F401
from buurthulp.initiatives import models as initiatives_models  # noqa: F401
from buurthulp.listings import models as listings_models  # noqa: F401
from buurthulp.matching import models as matching_models  # noqa: F401
from buurthulp.monitor import models as monitor_models  # noqa: F401
