"""The sandbox's routes, one module per Qlik Cloud API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qvupload.sandbox.routes.apps import AppRoutes
from qvupload.sandbox.routes.control import ControlRoutes
from qvupload.sandbox.routes.hub import HubRoutes
from qvupload.sandbox.routes.items import ItemRoutes
from qvupload.sandbox.routes.links import LinkRoutes
from qvupload.sandbox.routes.oauth import OAuthRoutes
from qvupload.sandbox.routes.people import PeopleRoutes
from qvupload.sandbox.routes.spaces import SpaceRoutes
from qvupload.sandbox.routes.tus import TusRoutes
from qvupload.sandbox.web import Router

if TYPE_CHECKING:
    from qvupload.sandbox.server import Sandbox


def build_router(sandbox: Sandbox) -> Router:
    router = Router()
    groups = (TusRoutes, AppRoutes, ItemRoutes, LinkRoutes, SpaceRoutes, PeopleRoutes, OAuthRoutes, ControlRoutes)
    for group in (*groups, HubRoutes):
        group(sandbox).register(router)
    return router
