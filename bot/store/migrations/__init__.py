"""Alembic migrations, run from code: `Store.upgrade()` or `python -m bot db upgrade`.

A new release adds a file in versions/ (`alembic revision --autogenerate` with
`script_location` pointing here), so a live database is upgraded without losing data.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

HERE = Path(__file__).resolve().parent


def config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(config(engine), revision)
