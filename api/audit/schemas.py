"""Schemas of the audit log's published anchors."""

from pydantic import Field

from api.schemas import Schema


class HeadOut(Schema):
    entry_id: int | None = Field(description="The last entry of the chain (null: none yet)")
    entry_hash: str


class CheckpointOut(Schema):
    entry_id: int
    entry_hash: str = Field(description="The hash of that entry when the checkpoint was made")
    at: str = Field(description="When the checkpoint was made (UTC, ISO 8601)")
    seal: str = Field(description="HMAC-SHA256 over the checkpoint with the audit key")


class AnchorsOut(Schema):
    head: HeadOut
    checkpoints: list[CheckpointOut] = Field(description="Newest first")
