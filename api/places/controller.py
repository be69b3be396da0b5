"""JSON endpoints of municipalities under /api/v1/municipalities: read by all; added and renamed by the
platform administrator, their contact kept by their own administrators."""

from litestar import Controller, get, patch, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED

from api.dependencies import CurrentActor
from api.guards import PUBLIC, requires_signed_in
from api.places.schemas import (
    MunicipalityIn,
    MunicipalityOut,
    MunicipalityPatch,
)
from api.providers import Places
from api.schemas import PathId
from buurtbudget.places.admin import MunicipalityChanges


class MunicipalityController(Controller):
    path = "/api/v1/municipalities"
    tags = ["municipalities"]
    guards = [requires_signed_in]

    @get("/", operation_id="listMunicipalities", summary="All municipalities", opt=PUBLIC)
    async def list_municipalities(self, places: Places) -> list[MunicipalityOut]:
        return [MunicipalityOut.model_validate(m) for m in await places.municipalities()]

    @get("/{municipality_id:int}", operation_id="getMunicipality", summary="One municipality", opt=PUBLIC)
    async def get_municipality(self, places: Places, municipality_id: PathId) -> MunicipalityOut:
        return MunicipalityOut.model_validate(await places.municipality(municipality_id))

    @post(
        "/",
        operation_id="createMunicipality",
        summary="Add a municipality (platform administrators)",
        status_code=HTTP_201_CREATED,
    )
    async def create(
        self, places: Places, actor: CurrentActor, data: JSONBody[MunicipalityIn]
    ) -> MunicipalityOut:
        municipality = await places.create_municipality(
            actor, name=data.name, cbs_code=data.cbs_code, slug=data.slug
        )
        return MunicipalityOut.model_validate(municipality)

    @patch(
        "/{municipality_id:int}",
        operation_id="updateMunicipality",
        summary="Rename (platform administrators) or change the contact (its administrators)",
    )
    async def update(
        self, places: Places, actor: CurrentActor, municipality_id: PathId, data: JSONBody[MunicipalityPatch]
    ) -> MunicipalityOut:
        changes = MunicipalityChanges(
            name=data.name,
            contact_email=data.contact_email,
            contact_phone=data.contact_phone,
            contact_url=data.contact_url,
        )
        return MunicipalityOut.model_validate(
            await places.update_municipality(actor, municipality_id, changes)
        )
