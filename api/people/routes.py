"""The handlers of people administration: the JSON API, the people pages and the staff landing page."""

from api.pages.staff import StaffHomePage
from api.people.admin_controller import MunicipalityPeopleController, RoleAssignmentController
from api.people.admin_pages import PeopleAdminPages

ROUTE_HANDLERS = [MunicipalityPeopleController, RoleAssignmentController, PeopleAdminPages, StaffHomePage]
