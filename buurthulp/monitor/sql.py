"""Date arithmetic that SQLite and PostgreSQL spell differently, as SQL expressions.

All of it in UTC: SQLite stores UTC timestamps without a zone, PostgreSQL with one.
"""

from sqlalchemy import Date, Float, Integer, cast, func, literal_column


def day_of(ts, dialect: str):
    """The UTC day of a timestamp, as a date."""
    if dialect == "postgresql":
        return cast(func.timezone("UTC", ts), Date)
    return func.date(ts)


def month_of_day(day, dialect: str):
    """'YYYY-MM' of a date."""
    if dialect == "postgresql":
        return func.to_char(day, "YYYY-MM")
    return func.substr(day, 1, 7)


def year_of_day(day, dialect: str):
    """'YYYY' of a date."""
    if dialect == "postgresql":
        return func.to_char(day, "YYYY")
    return func.substr(day, 1, 4)


def hours_between(later, earlier, dialect: str):
    if dialect == "postgresql":
        return func.extract("epoch", later - earlier) / 3600.0
    return (func.julianday(later) - func.julianday(earlier)) * 24.0


def zero():
    return cast(literal_column("0"), Integer)


def zero_float():
    return cast(literal_column("0.0"), Float)
