"""Schemas of the sign-in endpoints."""

from pydantic import EmailStr, Field

from api.schemas import Input, Schema


class SignInRequest(Input):
    email: EmailStr = Field(max_length=254)


class SignInConfirmation(Input):
    token: str = Field(min_length=20, max_length=200)


class Accepted(Schema):
    detail: str
