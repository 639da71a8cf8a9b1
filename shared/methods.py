"""Which methods an address takes, said and kept the same way by every service
(`shared.service.create_app` puts `MethodGate` first among its routes):

- ``OPTIONS`` answers 204 with ``Allow`` naming every method of every route of the path (HEAD
  where GET is: `shared.pages.HeadAsGet` answers it; OPTIONS itself). Starlette's router let
  it fall to the first route that matched the path only by address and answered 405 with
  that one route's methods ("Allow: GET" where PATCH and PUT were there too);
- a 405's ``Allow`` says the same (`shared.http` writes it, whoever refused the method);
- a method a literal path does not take is a 405 with that ``Allow``, also where a route
  with a parameter in the literal's place takes the method: ``DELETE
  /venues/{id}/exceptions/public-holidays`` is no removal of a day named "public-holidays"
  (a 422 naming ``day``) but a method that address does not take. Only where that parameter
  fails its validation: a value the parameter does take still reaches its route;
- an address with a trailing slash that only its slash keeps from a route is redirected
  (307) to it with a *relative* ``Location`` (the path and query): Starlette's own redirect
  wrote the request's ``Host`` into it, and no answer takes its address from ``Host``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import request_params_to_args
from fastapi.routing import iter_route_contexts

# The address as the routes match it (without the root path): the router's own function.
from starlette._utils import get_route_path
from starlette.convertors import Convertor, PathConvertor
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

#: The order `Allow` names methods in: reads first, then writes, as RFC 9110's examples do.
_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)}")


@dataclass(frozen=True)
class _Entry:
    """One route as the router matches it: its address's regex, its methods, and per segment
    of its template either the literal text or the names of the parameters in it."""

    route: BaseRoute
    regex: re.Pattern[str]
    methods: frozenset[str]
    segments: tuple[str | tuple[str, ...], ...]
    convertors: dict[str, Convertor[Any]]
    fields: dict[str, Any] = field(default_factory=dict)
    #: A parameter that may hold a "/" (`{x:path}`): its segments cannot be compared.
    spans: bool = False

    def literal(self, i: int) -> bool:
        return isinstance(self.segments[i], str)

    def aligned(self, other: _Entry) -> bool:
        """Whether one address may match both by segment: as many of them, and the same text
        wherever both have a literal."""
        if self.spans or other.spans or len(self.segments) != len(other.segments):
            return False
        return all(a == b for a, b in zip(self.segments, other.segments, strict=True)
                   if isinstance(a, str) and isinstance(b, str))

    def fails(self, name: str, raw: str) -> bool:
        """Whether the parameter's value is one its route's validation refuses."""
        checked = self.fields.get(name)
        if checked is None:
            return False  # not declared by the endpoint: any text the address has is taken
        _, errors = request_params_to_args([checked], {name: self.convertors[name].convert(raw)})
        return bool(errors)


def dependants(root: Dependant | None) -> Iterator[Dependant]:
    """A route's dependant and every dependency under it (none for a route without one):
    the one walk of FastAPI's dependency tree, for the methods' table and the refusals that
    ask who is calling (`shared.http`)."""
    pending = [root] if root is not None else []
    while pending:
        current = pending.pop()
        yield current
        pending.extend(current.dependencies)


def _path_fields(dependant: Dependant | None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for current in dependants(dependant):
        for param in current.path_params:
            found.setdefault(param.alias, param)
    return found


def _entries(routes: Sequence[BaseRoute]) -> Iterator[_Entry]:
    for context in iter_route_contexts(routes):
        methods = context.methods
        regex = getattr(context, "path_regex", None)
        template = context.path_format
        if not methods or regex is None or template is None:
            continue  # a mount (the docs' assets) or this gate: no methods of its own
        convertors: dict[str, Convertor[Any]] = dict(getattr(context, "param_convertors", {}))
        segments = tuple(tuple(_PARAM.findall(s)) if "{" in s else s
                         for s in template.split("/"))
        yield _Entry(route=context.original_route, regex=regex, methods=frozenset(methods),
                     segments=segments, convertors=convertors,
                     fields=_path_fields(getattr(context, "dependant", None)),
                     spans=any(isinstance(c, PathConvertor) for c in convertors.values()))


class MethodTable:
    """Every route of an application by the methods it takes."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.entries = tuple(_entries(routes))
        # Each literal route a parameter's route overlaps with the methods only the latter
        # takes: only such a method at an address one of these matches can be refused for a
        # literal (`MethodGate`'s quick look).
        guards: list[tuple[_Entry, frozenset[str]]] = []
        for a in self.entries:
            others = frozenset().union(*(
                b.methods - a.methods for b in self.entries
                if b is not a and a.aligned(b)
                and any(a.literal(i) and not b.literal(i) for i in range(len(a.segments)))))
            if others:
                guards.append((a, others))
        self.guards = tuple(guards)

    def _matching(self, path: str) -> list[tuple[_Entry, dict[str, str]]]:
        return [(e, m.groupdict()) for e in self.entries if (m := e.regex.match(path))]

    @staticmethod
    def _refused(entry: _Entry, raw: dict[str, str],
                 matching: list[tuple[_Entry, dict[str, str]]]) -> bool:
        """Whether `entry` matches only through a parameter that fails validation where
        another route of the same address has a literal."""
        return any(
            not isinstance(segment, str)
            and any(other is not entry and other.aligned(entry) and other.literal(i)
                    for other, _ in matching)
            and any(entry.fails(name, raw[name]) for name in segment)
            for i, segment in enumerate(entry.segments))

    def taking(self, path: str) -> list[_Entry] | None:
        """The routes that take the address `path` (None: no route has it)."""
        matching = self._matching(path)
        if not matching:
            return None
        kept = [e for e, raw in matching if not self._refused(e, raw, matching)]
        return kept or [e for e, _ in matching]

    def allowed(self, path: str) -> str | None:
        """`Allow` of the address: every method its routes take, HEAD with GET, and
        OPTIONS; None where no route has the address."""
        taking = self.taking(path)
        if taking is None:
            return None
        methods = {m for e in taking for m in e.methods} | {"OPTIONS"}
        if "GET" in methods:
            methods.add("HEAD")
        ranked = sorted(methods, key=lambda m: (_ORDER.index(m) if m in _ORDER
                                                else len(_ORDER), m))
        return ", ".join(ranked)

    def refuses(self, path: str, method: str) -> bool:
        """Whether `method` reaches a route of `path` only through a parameter that fails
        validation where another route has a literal: a 405, not that parameter's 422."""
        if not any(method in others and literal.regex.match(path)
                   for literal, others in self.guards):
            return False  # the quick look: most requests end here
        taking = self.taking(path) or []
        return (not any(method in e.methods for e in taking)
                and any(method in e.methods for e, _ in self._matching(path)))


def method_table(app: Any) -> MethodTable:
    """The application's table, made at its first request (every route is there by then)
    and again if routes were added since."""
    routes: list[BaseRoute] = app.router.routes
    kept: tuple[int, MethodTable] | None = getattr(app.state, "method_table", None)
    if kept is None or kept[0] != len(routes):
        kept = (len(routes), MethodTable(routes))
        app.state.method_table = kept
    return kept[1]


def allowed_methods(connection: HTTPConnection) -> str | None:
    """`Allow` for the request's address in its application, None where no route has it."""
    return method_table(connection.app).allowed(get_route_path(connection.scope))


class MethodGate(BaseRoute):
    """The first route of a service: answers ``OPTIONS``, and refuses with 405 a method that
    reaches a parameter's route only where a literal route has the address (the module's
    text). Anything else it leaves to the routes after it; a quick look at a few literal
    routes' addresses is all most requests cost it."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        table = method_table(scope["app"])
        path = get_route_path(scope)
        method = scope["method"]
        # Only a slash sent as one: an encoded one ("%2f") would still end the address the
        # redirect names, which would lead to itself for ever.
        raw = scope.get("raw_path")
        if path != "/" and path.endswith("/") and (raw is None or raw.endswith(b"/")) \
                and table.taking(path) is None and table.taking(path.rstrip("/")) is not None:
            return Match.FULL, {"slash_redirect": True}
        if method == "OPTIONS":
            taking = table.taking(path)
            if taking and not any("OPTIONS" in e.methods for e in taking):
                return Match.FULL, {"route": taking[0].route}
        elif table.refuses(path, method):
            literal = next(e for e, _ in table.guards if e.regex.match(path))
            return Match.FULL, {"route": literal.route}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("slash_redirect"):
            query = scope.get("query_string", b"").decode("latin-1")
            # The address as sent (still percent-encoded: nothing decoded reaches a header),
            # without its slash; "//host" would be another site to a browser, so one
            # leading slash, always.
            raw = scope.get("raw_path")
            sent = raw.decode("latin-1") if raw else quote(
                scope.get("root_path", "") + get_route_path(scope))
            target = "/" + sent.rstrip("/").lstrip("/") + (f"?{query}" if query else "")
            await Response(status_code=307, headers={"Location": target})(scope, receive, send)
            return
        allow = method_table(scope["app"]).allowed(get_route_path(scope)) or "OPTIONS"
        if scope["method"] != "OPTIONS":
            raise HTTPException(status_code=405, headers={"Allow": allow})
        await Response(status_code=204, headers={"Allow": allow})(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)  # it names no address of its own


def install_method_gate(app: Any) -> None:
    """`MethodGate` before every other route of `app`, which also redirects a trailing
    slash (Starlette's redirect, which took the address from `Host`, is off)."""
    app.router.redirect_slashes = False
    app.router.routes.insert(0, MethodGate())
