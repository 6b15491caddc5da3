"""Who is logged in and what they may see: the helpers every page of the back office uses.

Use them like this in a route::

    from office.web.access import current_user, require_admin, require_store

    async def sales(request: Request) -> Response:
        user = current_user(request)           # WebUser: login, role, stores
        code = require_store(request, request.query_params.get("store", ""))
        ...                                     # read figures of ``code`` only
        # or, for "all the stores I may see": user.stores

- :func:`current_user` gives the :class:`WebUser` the gate (:mod:`office.web.gate`) loaded
  from the database for this request (so a disabled user is out at their next click). Every
  route behind the gate has one; outside it (a bug) it raises 401.
- ``WebUser.stores`` is the set of store codes the user may see: an admin gets every store the
  office knows, an owner the ones given to them (``user_stores``).
- :func:`require_store` turns "store X is not yours" into **404**, the same answer as a store
  that does not exist: an owner learns neither the figures nor that the store exists.
- :func:`require_admin` answers 403 to anyone but an admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection

from office.store import OfficeStore
from office.store import users as users_repo

USER_KEY = "kspos.user"  # where the gate puts the WebUser in the ASGI scope


@dataclass(frozen=True)
class WebUser:
    """The logged-in user of one request."""

    login: str
    role: str
    stores: frozenset[str]

    @property
    def is_admin(self) -> bool:
        """Whether this user sees every store and the administration pages."""
        return self.role == "admin"

    def may_see(self, store_code: str) -> bool:
        """Whether this user may see ``store_code``'s figures."""
        return store_code in self.stores


def load_user(store: OfficeStore, login: str) -> WebUser | None:
    """``login`` as a :class:`WebUser`, or None when unknown or disabled (blocking: run it in
    the thread pool)."""
    with store.transaction() as conn:
        record = users_repo.get(conn, login)
        if record is None or record.disabled:
            return None
        codes = users_repo.store_list(conn) if record.role == "admin" else record.stores
    return WebUser(record.login, record.role, frozenset(codes))


def current_user(request: HTTPConnection) -> WebUser:
    """The logged-in user of ``request`` (401 if none: the route is not behind the gate)."""
    user = request.scope.get(USER_KEY)
    if not isinstance(user, WebUser):
        raise HTTPException(401, "log in first")
    return user


def require_store(request: HTTPConnection, store_code: str) -> str:
    """``store_code`` if the user may see it; 404 otherwise (never "forbidden": that would
    tell an owner the store exists)."""
    if not current_user(request).may_see(store_code):
        raise HTTPException(404, "no such store")
    return store_code


def require_admin(request: HTTPConnection) -> WebUser:
    """The user if they are an admin; 403 otherwise."""
    user = current_user(request)
    if not user.is_admin:
        raise HTTPException(403, "for admins only")
    return user
