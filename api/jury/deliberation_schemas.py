"""Schemas of the deliberation: messages, advice and minutes."""

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from api.schemas import Day, Input, Schema


class MessageIn(Input):
    body: str = Field(min_length=1, max_length=4000)


class MessageOut(Schema):
    id: int
    initiative_id: int
    author_id: int
    author_name: str
    author_role: Literal["juror", "reserve", "advisor"]
    body: str
    posted_at: datetime


class AdviceIn(Input):
    body: str = Field(min_length=1, max_length=8000)


class AdviceOut(Schema):
    id: int
    initiative_id: int
    advisor_id: int
    advisor_name: str
    body: str
    written_at: datetime
    updated_at: datetime


class MinutesIn(Input):
    held_on: Day = Field(description="The day of the jury meeting (not in the future)")
    body: str = Field(min_length=1, max_length=20000)


class MinutesOut(Schema):
    id: int
    held_on: date
    body: str
    written_by_name: str
    written_at: datetime


class ThreadOut(Schema):
    initiative_id: int
    messages: list[MessageOut]
    advice: list[AdviceOut]


class DeliberationOut(Schema):
    round_id: int
    threads: list[ThreadOut]
    minutes: list[MinutesOut]
