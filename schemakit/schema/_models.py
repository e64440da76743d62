"""pydantic models of the request bodies, mirroring the API contract's components.

They describe shapes for typed callers and documentation; the compiled
validator is what enforces a bucket's rules. Extra keys are allowed wherever
the contract allows them (``additionalProperties: true``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

BucketSchemaFieldType = Literal[
    "string",
    "number",
    "integer",
    "float",
    "boolean",
    "object",
    "array",
    "date",
    "datetime",
    "text",
    "image",
    "audio",
    "video",
    "pdf",
    "excel",
]


class BucketSchemaField(BaseModel):
    """One field definition (``BucketSchemaField-Input``); ``type`` is normalized to lower case."""

    model_config = ConfigDict(extra="allow")

    type: BucketSchemaFieldType
    default: Any = None
    items: BucketSchemaField | None = None
    properties: dict[str, BucketSchemaField] | None = None
    examples: list[Any] | None = None
    description: str | None = None
    enum: list[Any] | None = None
    required: bool | None = False

    def __init__(self, **data: Any) -> None:
        t = data.get("type")
        if isinstance(t, str):
            data["type"] = t.strip().lower()
        super().__init__(**data)


class BucketSchema(BaseModel):
    """A bucket_schema (``BucketSchema-Input``): field definitions under ``properties``."""

    model_config = ConfigDict(extra="allow")

    properties: dict[str, BucketSchemaField]


class UniqueKeyConfig(BaseModel):
    """The fields whose values identify an object in a bucket."""

    fields: list[str] = Field(min_length=1)
    default_policy: Literal["insert", "update", "upsert"] | None = None


class BucketCreateRequest(BaseModel):
    """The body of a create-bucket call."""

    bucket_name: str
    description: str | None = None
    bucket_schema: BucketSchema
    unique_key: UniqueKeyConfig | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


class CreateBlobRequest(BaseModel):
    """One blob of an object: a file for a file-type property, from ``data`` or ``upload_id``."""

    model_config = ConfigDict(extra="allow")

    property: str = Field(min_length=1, max_length=100)
    type: str | None = None
    key_prefix: str | None = None
    data: Any = None
    upload_id: str | None = Field(default=None, pattern=r"^upl_[a-zA-Z0-9_-]+$")
    metadata: dict[str, Any] | None = None
    canonicalize_source: bool | None = None
    force_remirror: bool | None = None


class CreateObjectRequest(BaseModel):
    """One object: blobs for file fields, schema metadata fields as extra top-level keys."""

    model_config = ConfigDict(extra="allow")

    key_prefix: str | None = None
    blobs: list[CreateBlobRequest] = Field(default_factory=list)
    skip_duplicates: bool = False
    canonicalize_source: bool = True
    force_remirror: bool = False


class CreateObjectsBatchRequest(BaseModel):
    """Up to 100 objects created in one call."""

    objects: list[CreateObjectRequest] = Field(max_length=100)
