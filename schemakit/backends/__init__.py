"""Filters translated to the engines where the data lives, each as a :class:`Plan`.

Every target keeps one guarantee: the records the engine returns for
``plan``, kept where ``plan.residual`` is None or ``plan.residual.matches(record)``,
are exactly the records ``f.matches`` accepts. See ``docs/backends.md``.
"""

from schemakit.backends._columns import COLUMNS_TABLE, duckdb_columns
from schemakit.backends._mongo import MONGO_TABLE, to_mongo
from schemakit.backends._plan import PLAN_CODES, Part, Plan
from schemakit.backends._polars import POLARS_TABLE, polars_frame, polars_schema, to_polars
from schemakit.backends._qdrant import QDRANT_TABLE, to_qdrant
from schemakit.backends._sql import DIALECTS, SQL_TABLE, to_sql
from schemakit.backends._sqlite import register_sqlite

__all__ = [
    "COLUMNS_TABLE",
    "DIALECTS",
    "MONGO_TABLE",
    "PLAN_CODES",
    "POLARS_TABLE",
    "QDRANT_TABLE",
    "SQL_TABLE",
    "Part",
    "Plan",
    "duckdb_columns",
    "polars_frame",
    "polars_schema",
    "register_sqlite",
    "to_mongo",
    "to_polars",
    "to_qdrant",
    "to_sql",
]
