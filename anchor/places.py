"""Places: what counts as "local". A set of local authorities, or a radius around sites.

Every metric takes a `Place` and every figure states it (`Place.describe`). The
SQL a place contributes is built here, with its values bound as parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """`kind` is 'lads' (a set of local authority districts) or 'radius' (km around the
    sites of whichever organisation is being measured)."""

    kind: str
    name: str
    lad_codes: tuple[str, ...] = ()
    radius_km: float = 0.0
    lad_names: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if self.kind == "lads" and not self.lad_codes:
            raise ValueError("A place needs at least one local authority.")
        if self.kind == "radius" and not (0 < self.radius_km <= 200):
            raise ValueError("A radius must be between 0 and 200 km.")
        if self.kind not in ("lads", "radius"):
            raise ValueError(f"Unknown kind of place {self.kind!r}.")

    @classmethod
    def of_lads(cls, name: str, codes: list[str] | tuple[str, ...],
                names: list[str] | tuple[str, ...] = ()) -> Place:
        return cls("lads", name, tuple(sorted(codes)), lad_names=tuple(names))

    @classmethod
    def within_km(cls, km: float) -> Place:
        return cls("radius", f"Within {km:g} km of each organisation's sites", radius_km=float(km))

    def to_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name, "lad_codes": list(self.lad_codes),
                "radius_km": self.radius_km, "lad_names": list(self.lad_names)}

    @classmethod
    def from_dict(cls, d: dict) -> Place:
        return cls(d["kind"], d["name"], tuple(d.get("lad_codes", ())),
                   float(d.get("radius_km", 0.0)), tuple(d.get("lad_names", ())))

    @property
    def phrase(self) -> str:
        """Where, as the end of a sentence: 'in Sandwell', 'within 10 km of its sites'."""
        if self.kind == "radius":
            return f"within {self.radius_km:g} km of its sites"
        return f"in {self.name}"

    def describe(self) -> str:
        """The sentence every figure carries about where 'local' is."""
        if self.kind == "radius":
            return (f"Local means within {self.radius_km:g} km (straight line) of any site of "
                    "the organisation concerned.")
        names = ", ".join(self.lad_names) if self.lad_names else ", ".join(self.lad_codes)
        if len(self.lad_codes) == 1:
            return f"Local means in {names} local authority."
        return f"Local means in {self.name}: the local authorities of {names}."


def local_predicate(place: Place, *, point: str, org: str) -> tuple[str, dict]:
    """A SQL boolean: is the point `point` (columns lad_code, easting, northing) local to
    organisation `org` (column org_code)? Needs a relation `site_point(org_code, easting,
    northing)` in scope. `point` and `org` are aliases written in this package, never input.
    Binds `$lads` (a place of local authorities) or `$radius_sq_m` (a radius), returned as
    the parameters."""
    if place.kind == "lads":
        return f"coalesce({point}.lad_code = any($lads), false)", {"lads": list(place.lad_codes)}
    radius_m = place.radius_km * 1000.0
    sql = (
        "exists (select 1 from site_point as sp"
        f" where sp.org_code = {org}.org_code"
        f" and power(sp.easting - {point}.easting, 2) + power(sp.northing - {point}.northing, 2)"
        " <= $radius_sq_m)"
    )
    return sql, {"radius_sq_m": radius_m * radius_m}
