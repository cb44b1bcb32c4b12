"""The `anchor` command: build geography, build the demo, load data and undo loads, write
reports."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anchor import config


class _Bar:
    """A one-line progress bar for the terminal."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr  # looked up now: in the app, the command line's
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


class _Exit(Exception):
    """Ends a command early: its exit code, and the message for standard error."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


# -- running in the app ---------------------------------------------------------------------
# While the app serves, it holds the warehouse: `load`, `undo`, `report` and `imd` then hand
# their command to it (anchor/channel.py), which runs the same command functions below with
# its own warehouse, the user who asked, and their output and files sent back. Each names
# the arguments that are files to read, sent along as bytes.
_FORWARDED = {"load": ("file",), "undo": (), "report": (), "imd": ("file",)}


@dataclass(frozen=True)
class _InApp:
    warehouse: Any  # anchor.db.Warehouse, the app's
    user: Any  # anchor.auth.User: who ran the command line, with their ANCHOR_ROLE
    send: Callable[[dict], None]  # a message to the command line


_in_app: ContextVar[_InApp | None] = ContextVar("anchor_in_app", default=None)


class _Busy(Exception):
    """Another process holds the warehouse: hand the command to the app, if it is that."""


class _Lent:
    """The app's warehouse lent to one command: the command's `close()` leaves it open."""

    def __init__(self, wh) -> None:
        self._wh = wh

    def __getattr__(self, name: str):
        return getattr(self._wh, name)

    def close(self) -> None:
        pass


def _warehouse(read_only: bool = False):
    """The warehouse: the app's when the app runs this command; else opened here (exit 2
    when it cannot be, `_Busy` when another process has it)."""
    from anchor.db import WarehouseBusy, WarehouseError, open_warehouse

    in_app = _in_app.get()
    if in_app is not None:
        return _Lent(in_app.warehouse)
    try:
        return open_warehouse(read_only=read_only)
    except WarehouseBusy as exc:
        raise _Busy(str(exc)) from exc
    except WarehouseError as exc:
        raise _Exit(2, str(exc)) from exc


def _user():
    """Who runs the command: ANCHOR_ROLE and ANCHOR_USER here, or as sent to the app."""
    from anchor.auth import local_user

    in_app = _in_app.get()
    return in_app.user if in_app is not None else local_user(mode="command line")


def _write_file(path: Path, data: bytes) -> None:
    """Write a file the command makes; in the app, the command line writes it."""
    from anchor.channel import encode

    in_app = _in_app.get()
    if in_app is not None:
        in_app.send({"write": str(path), "data": encode(data)})
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _hand_to_app(args: argparse.Namespace, argv: list[str], busy: str) -> int:
    from anchor import channel

    if args.command not in _FORWARDED:
        print(f"{busy} `anchor {args.command}` needs the warehouse to itself: run it while "
              "the app is stopped.", file=sys.stderr)
        return 2
    try:
        user = _user()
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    from anchor.loading.readers import files_in

    files: dict = {}
    for attr in _FORWARDED[args.command]:
        value = getattr(args, attr)
        if isinstance(value, list):  # `anchor load`'s files, folders expanded here
            try:
                paths = files_in(value)
            except FileNotFoundError as exc:
                print(exc, file=sys.stderr)
                return 1
            files[attr] = [{"name": p.name, "data": channel.encode(p.read_bytes())}
                           for p in paths]
            continue
        path = Path(value)
        files[attr] = {"name": path.name, "data": channel.encode(path.read_bytes())}
    request = {"argv": argv, "user": user.name, "role": user.role.label,
               "tty": sys.stderr.isatty(), "files": files}
    try:
        return channel.forward(config.warehouse_path(), request)
    except channel.NoChannel as exc:
        reason = exc
    # An app that has just stopped (its socket left behind) has also let the warehouse go.
    try:
        return _run(args)
    except _Busy:
        print(f"{busy} It is not a running Anchor app that could take the command "
              f"({reason}); try again when that process has finished.", file=sys.stderr)
        return 2


def run_forwarded(wh, request: dict, out, err) -> int:
    """Run a command the command line handed to the app (anchor/channel.py), on the app's
    warehouse `wh`, as the user it names; what it prints goes to `out` and `err`."""
    from anchor import channel
    from anchor.auth import User, parse_role

    try:
        args = build_parser().parse_args([str(a) for a in request["argv"]])
        if args.command not in _FORWARDED:
            raise ValueError(f"The app does not run `anchor {args.command}`.")
        user = User(name=str(request.get("user") or "unknown"),
                    role=parse_role(request.get("role")), mode="command line")
    except SystemExit as exc:  # argparse has written its message to err
        return int(exc.code or 2)
    except (ValueError, KeyError, TypeError) as exc:
        err.write(f"{exc}\n")
        return 2
    with tempfile.TemporaryDirectory(prefix="anchor-channel-") as folder:
        try:
            for attr in _FORWARDED[args.command]:
                sent = request["files"][attr]
                if isinstance(sent, list):  # several files: each in a folder of its own
                    paths = []
                    for i, one in enumerate(sent):
                        here = Path(folder) / str(i)
                        here.mkdir()
                        paths.append(_sent_file(here, one, channel))
                    setattr(args, attr, paths)
                else:
                    setattr(args, attr, _sent_file(Path(folder), sent, channel))
        except (KeyError, TypeError, ValueError):
            err.write("The request did not carry the file to read.\n")
            return 2
        token = _in_app.set(_InApp(warehouse=wh, user=user, send=out.send))
        try:
            return _run(args)
        except Exception as exc:  # the app keeps serving; the command line hears why
            err.write(f"anchor: the app could not finish the command: {exc}\n")
            return 1
        finally:
            _in_app.reset(token)


def _sent_file(folder: Path, sent: dict, channel) -> str:
    name = Path(str(sent["name"])).name
    path = folder / (name if name not in ("", ".", "..") else "file")
    path.write_bytes(channel.decode(sent["data"]))
    return str(path)


def _analyst(action: str):
    """The command line's user, who must be an analyst (else exit 3, before anything is
    opened or written)."""
    from anchor.auth import PermissionDenied, Role, require

    try:
        user = _user()
        require(user, Role.ANALYST, action)
    except PermissionDenied as exc:
        raise _Exit(3, str(exc)) from exc
    except ValueError as exc:
        raise _Exit(1, str(exc)) from exc
    return user


def _analyst_and_file(action: str, file: str):
    """The command line's user, who must be an analyst (else exit 3), and the file to read
    (exit 1 when it is not there)."""
    user = _analyst(action)
    path = Path(file)
    if not path.is_file():
        raise _Exit(1, f"There is no file {path}.")
    return user, path


def _writable_warehouse():
    """The warehouse, open for writing."""
    return _warehouse()


def _cmd_geo_build(args: argparse.Namespace) -> int:
    """Exit 0 when the cache is built or current (and installed); 1 when the areas are not
    understood or a region build would replace the whole-GB cache."""
    from anchor.db import open_warehouse
    from anchor.geography.build import (
        GB_SCOPE,
        build_geography,
        cache_scope,
        describe_scope,
        region_cache_path,
        scope_of,
    )
    from anchor.geography.install import install_geography

    try:
        scope = scope_of(args.areas.split(",") if args.areas else None)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    gb_cache = config.geography_cache_path()
    if args.cache:
        cache = Path(args.cache)
    else:
        # a region build never lands on the GB cache the app uses
        cache = gb_cache if scope == GB_SCOPE else region_cache_path(gb_cache, scope)
    user = None if args.cache_only else _analyst("install the geography")
    held = cache_scope(cache)
    what = describe_scope(scope)
    if scope != GB_SCOPE and held == GB_SCOPE and not args.force:
        print(f"{cache} holds the geography of the whole of Great Britain, which the app "
              f"needs; a build of {what} would replace it. Leave out --cache (a region build "
              f"goes to {region_cache_path(gb_cache, scope)}), choose another file, or add "
              "--force.", file=sys.stderr)
        return 1
    if args.force or held != scope:
        if held is not None:
            print(f"Geography cache {cache} holds {describe_scope(held)}; building {what}.")
        try:
            report = build_geography(cache, areas=scope.split(",") if scope != GB_SCOPE
                                     else None, progress=_Bar())
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"Built geography of {what}: {report.postcodes:,} postcodes, {report.lsoas:,} "
              f"LSOAs, {report.lads} LADs in {report.seconds:.1f}s -> {cache}")
    else:
        print(f"Geography cache {cache} is current ({what}).")
    if not args.cache_only:
        wh = open_warehouse()
        try:
            install_geography(wh, cache, user)
        finally:
            wh.close()
        print(f"Geography of {what} installed in {config.warehouse_path()}")
        if scope != GB_SCOPE:
            print("The app, `anchor setup` and `anchor demo` need the whole of Great Britain: "
                  f"they will install it again from {gb_cache}, building it first if need be.")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    """Exit 0 when built or removed; 3 when the role may not change the demo."""
    from anchor.demo import build_demo
    from anchor.geography.install import ensure_geography
    from anchor.loading import remove_demo_data

    user = _analyst("remove the demo data" if args.remove else "build the demo footprint")
    wh = _warehouse()
    try:
        if args.remove:
            n = remove_demo_data(wh, user)
            print(f"Removed the demo data ({n:,} invoice lines).")
            return 0
        ensure_geography(wh, user, progress=_Bar())
        report = build_demo(wh, user, progress=_Bar())
    finally:
        wh.close()
    print(f"Demo footprint built in {report.seconds:.1f}s: {report.spend_lines:,} invoice lines, "
          f"{report.suppliers:,} suppliers, {report.workforce_rows:,} workforce rows, "
          f"{report.estate_rows:,} estate rows -> {config.warehouse_path()}")
    return 0


def _cmd_setup(args: argparse.Namespace) -> int:
    """What `make run` needs: current geography, and the demo when there is no data at all.
    Both are first-time setup, done as `setup_user` whatever ANCHOR_ROLE says: the
    geography is the one Anchor ships, and the demo goes only into an empty warehouse."""
    from anchor.auth import setup_user
    from anchor.demo import build_demo
    from anchor.geography.install import ensure_geography

    wh = _warehouse()
    try:
        if ensure_geography(wh, setup_user(), progress=_Bar()) is None:
            print("Geography is current.")
        if wh.value("select count(*) from organisation"):
            print(f"The warehouse {config.warehouse_path()} has data; leaving it as it is.")
            return 0
        report = build_demo(wh, setup_user(), progress=_Bar())
    finally:
        wh.close()
    print(f"Built the demo footprint in {report.seconds:.1f}s ({report.spend_lines:,} invoice lines).")
    return 0


def _cmd_imd(args: argparse.Namespace) -> int:
    """Exit 0 when imported; 1 when the file is refused; 2 when the warehouse cannot be
    opened; 3 when the role may not import."""
    from anchor import loading
    from anchor.auth import PermissionDenied
    from anchor.geography.imd import IMD_TABLE, ImdFileError, read_imd, save_imd
    from anchor.geography.sources import file_sha256

    user, path = _analyst_and_file("import deprivation deciles", args.file)
    wh = _writable_warehouse()
    try:
        lsoa = wh.df("select lsoa_code, lsoa_name from geo_lsoa")
        try:
            imported = read_imd(path, lsoa, file_name=path.name)
        except ImdFileError as exc:
            print(f"Refused: {exc}", file=sys.stderr)
            loading.record_rejection(wh, None, user, IMD_TABLE, path.name, str(exc),
                                     file_sha256(path))
            return 1
        load_id = save_imd(wh, imported, user)
    except PermissionDenied as exc:
        print(exc, file=sys.stderr)
        return 3
    finally:
        wh.close()
    print(f"Imported {imported.source} as load {load_id}: {imported.lsoas:,} LSOAs "
          f"({imported.matched:,} by code, {imported.mapped:,} through their MSOA, "
          f"{imported.missing:,} without a decile).")
    return 0


def _cmd_companies(args: argparse.Namespace) -> int:
    """Exit 0 when imported (or nothing to import) and suppliers placed; 1 when a file is
    refused; 2 when the warehouse cannot be opened; 3 when the role may not import."""
    from anchor.auth import PermissionDenied
    from anchor.loading.companies import (
        CompaniesFileError,
        import_companies,
        place_suppliers,
    )

    user = _analyst("import the Companies House register")
    paths = [Path(f) for f in args.files]
    for path in paths:
        if not path.is_file():
            raise _Exit(1, f"There is no file {path}.")
    wh = _writable_warehouse()
    try:
        if paths:
            held = import_companies(wh, paths, user)
            print(f"Imported {held:,} companies from {', '.join(p.name for p in paths)}.")
        placed = place_suppliers(wh, user)
    except CompaniesFileError as exc:
        print(f"Refused: {exc} Nothing was changed.", file=sys.stderr)
        return 1
    except PermissionDenied as exc:
        print(exc, file=sys.stderr)
        return 3
    finally:
        wh.close()
    if placed.load_id is None:
        print(f"No supplier could be placed from what is held; {placed.still_unplaced:,} "
              "have no location.")
        return 0
    for method, n in sorted(placed.by_method.items()):
        print(f"  {method}: {n:,} supplier{'s' if n != 1 else ''}")
    print(f"Placed as load {placed.load_id}; {placed.still_unplaced:,} suppliers still have "
          f"no location (listed on the Data page). Undo it with: anchor undo {placed.load_id}")
    return 0


def _quiet(_fraction: float, _message: str) -> None:
    """No progress bar when the output is a log file (a scheduled load)."""


_RELATED_NAMES = {"footprint": "footprints", "footprint_lad": "home local authorities"}


def _slice_lines(slices, table: str, related=None) -> list[str]:
    from anchor.loading.validation import plural
    from anchor.periods import quarter_label

    if table == "supplier":
        return [f"  suppliers: {int(r.rows_added):,} from the file, {int(r.rows_replaced):,} "
                "replaced" for r in slices.itertuples()]
    if table in ("organisation", "site"):
        if table == "organisation":
            lines = [f"  organisations: {int(slices['rows_added'].sum()):,} from the file, "
                     f"{int(slices['rows_replaced'].sum()):,} replaced"]
        else:
            lines = [f"  {r.org_code}: {plural(int(r.rows_added), 'site')}, replacing "
                     f"{int(r.rows_replaced):,}" for r in slices.itertuples()]
        if related is not None:
            lines += [f"  {_RELATED_NAMES[r.table_name]}: {int(r.rows_added):,} from the file,"
                      f" {int(r.rows_replaced):,} replaced" for r in related.itertuples()]
        return lines
    if table == "spend":
        from anchor.loading.report import month_changes

        return [f"  {line}" for line in month_changes(slices)]
    return [f"  {r.org_code} {quarter_label(r.quarter_start.date())}: "
            f"{plural(int(r.rows_added), 'row')}, replacing {int(r.rows_replaced):,}"
            for r in slices.itertuples()]


def _load_files(args: argparse.Namespace) -> list[Path]:
    """The files `anchor load` was given: each file, and each folder's files."""
    from anchor.loading.readers import files_in

    try:
        files = files_in(args.file)
    except FileNotFoundError as exc:
        raise _Exit(1, str(exc)) from exc
    if len(files) > 1 and args.table != "spend":
        raise _Exit(1, f"`anchor load {args.table}` takes one file; several files at once "
                       "are for spend (a year of monthly files).")
    return files


def _read_files(paths: list[Path], known: set[str], split_sheets: bool):
    """Each file read (a zip's files each as its own), refusing one over the size limit
    before reading it."""
    from anchor import loading
    from anchor.loading.readers import max_upload_bytes, read_many, size_message

    limit = max_upload_bytes()
    files = []
    for path in paths:
        size = path.stat().st_size
        if size > limit:
            raise loading.UnreadableFile(f"{path.name}: {size_message(size, limit)}")
        files.append((path.name, path.read_bytes()))
    return read_many(files, known_columns=known, split_sheets=split_sheets)


def _cmd_load(args: argparse.Namespace) -> int:
    """Exit 0 when loaded (or, with --dry-run, when the files are valid); 1 when refused; 2
    when the warehouse cannot be opened; 3 when the role may not load."""
    from anchor import loading
    from anchor.auth import PermissionDenied
    from anchor.loading import layouts
    from anchor.loading.readers import sha256_of
    from anchor.loading.report import changes_table, month_change, report_csv, report_text
    from anchor.loading.transaction import shrinking
    from anchor.loading.validation import check_many, plural
    from anchor.periods import parse_quarter_label

    user = _analyst("load data")
    paths = _load_files(args)
    if args.table == "commitment":
        return _load_commitments(args, user, paths[0])
    try:
        spec = loading.spec(args.table)
        quarter = parse_quarter_label(args.quarter) if args.quarter else None
    except ValueError as exc:
        raise _Exit(1, str(exc)) from exc
    wh = _writable_warehouse()
    try:
        _geography_for_a_new_warehouse(wh, user)
        try:
            # A mapping remembered from the sidebar helps find the header, as it does there.
            raws = _read_files(paths, layouts.remembered_columns(wh), spec.key == "spend")
        except loading.UnreadableFile as exc:
            print(f"Refused: {exc}", file=sys.stderr)
            if not args.dry_run:
                name = ", ".join(p.name for p in paths)
                sha = sha256_of(b"".join(p.read_bytes() for p in paths))
                loading.record_rejection(wh, None, user, spec.table, name, str(exc), sha)
            return 1
        bar = _Bar() if sys.stderr.isatty() else None
        checked = check_many(wh, raws, spec, quarter=quarter, stray_rows=args.stray_rows,
                             org=args.org, skip_bad_rows=args.skip_bad_rows,
                             progress=bar or _quiet)
        if args.report:
            _write_file(Path(args.report), report_csv(checked.issues))
        if not checked.issues.empty:
            print(report_text(checked), file=sys.stderr)
        if not checked.ok:
            print(f"Refused: nothing was loaded. {checked.summary()}", file=sys.stderr)
            if not args.dry_run:
                loading.record_rejection(wh, checked, user, spec.table, checked.file_name,
                                         checked.summary())
            return 1
        pv = loading.preview(wh, checked, user) if args.dry_run or spec.key == "spend" else None
        shrinks = shrinking(pv.slices) if spec.key == "spend" else None
        if args.dry_run:
            print(f"Valid: {checked.summary()}. Nothing was written (--dry-run).")
            print("\n".join(_slice_lines(pv.slices, spec.key)))
            for r in changes_table(pv.changes).itertuples():
                print(f"  {r.Change:9} {r.Data} {r.Code}: {r.After}"
                      + (f" (now {r.Now})" if r.Change == "replaced" else ""))
            if shrinks is not None and not shrinks.empty:
                print("Loading it needs --yes: it replaces months with far fewer lines than "
                      "they hold.")
            return 0
        if shrinks is not None and not shrinks.empty and not args.yes:
            months = "; ".join(month_change(r.org_code, r.month_start, r.rows_added,
                                            r.rows_replaced, r.gbp_replaced)
                               for r in shrinks.itertuples())
            print(f"Refused: nothing was loaded. This file would replace months with fewer "
                  f"than half the lines they hold ({months}). Check the file's dates; if it "
                  "is meant, load it again with --yes.", file=sys.stderr)
            return 1
        result = loading.load(wh, checked, user, progress=bar or _quiet,
                              expected=pv.slices if pv is not None else None)
    except PermissionDenied as exc:
        print(exc, file=sys.stderr)
        return 3
    except loading.LoadError as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 1
    finally:
        wh.close()
    print(f"Loaded load {result.load_id}: {checked.summary()}.")
    print("\n".join(_slice_lines(result.slices, spec.key, result.related)))
    if result.new_suppliers:
        print(f"  {plural(result.new_suppliers, 'supplier')} added to the register with no "
              "postcode.")
    print(f"Undo it with: anchor undo {result.load_id}")
    return 0


def _load_commitments(args: argparse.Namespace, user, path: Path) -> int:
    """`anchor load commitment FILE`: check the file, then enter its commitments in one
    transaction, audited and undone like any load."""
    from anchor import commitments, loading
    from anchor.auth import PermissionDenied
    from anchor.geography.sources import file_sha256
    from anchor.loading.report import report_csv, report_text

    wh = _writable_warehouse()
    try:
        try:
            raw = loading.read_path(path, known_columns=commitments.known_columns())
        except loading.UnreadableFile as exc:
            print(f"Refused: {exc}", file=sys.stderr)
            if not args.dry_run:
                loading.record_rejection(wh, None, user, "commitment", path.name, str(exc),
                                         file_sha256(path))
            return 1
        checked = commitments.check_commitments(wh, raw)
        if args.report:
            _write_file(Path(args.report), report_csv(checked.issues))
        if not checked.issues.empty:
            print(report_text(checked), file=sys.stderr)
        if not checked.ok:
            print(f"Refused: {checked.summary()}", file=sys.stderr)
            if not args.dry_run:
                loading.record_rejection(wh, None, user, "commitment", raw.name,
                                         checked.summary(), raw.sha256)
            return 1
        if args.dry_run:
            print(f"Valid: {checked.summary()}. Nothing was written (--dry-run).")
            return 0
        load_id = commitments.save_commitments(wh, checked, user)
    except PermissionDenied as exc:
        print(exc, file=sys.stderr)
        return 3
    finally:
        wh.close()
    print(f"Loaded load {load_id}: {checked.summary()}.")
    print("\n".join(checked.lines()))
    print(f"Undo it with: anchor undo {load_id}")
    return 0


def _geography_for_a_new_warehouse(wh, user) -> None:
    """A warehouse with no geography at all (new, never set up) gets it before its first
    load, as `anchor setup` would give it: postcodes and home local authorities are checked
    against it, and an ICB's local authorities come from it."""
    from anchor.geography.install import ensure_geography

    if wh.value("select count(*) from geo_lad"):
        return
    print("The warehouse has no geography yet: installing it first.", file=sys.stderr)
    ensure_geography(wh, user, progress=_Bar() if sys.stderr.isatty() else _quiet)


def _cmd_undo(args: argparse.Namespace) -> int:
    from anchor import loading
    from anchor.auth import PermissionDenied

    try:
        user = _user()
    except ValueError as exc:
        raise _Exit(1, str(exc)) from exc
    wh = _writable_warehouse()
    try:
        result = loading.undo(wh, args.load_id, user)
    except PermissionDenied as exc:
        print(exc, file=sys.stderr)
        return 3
    except loading.LoadError as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 1
    finally:
        wh.close()
    print(f"Undid load {result.load_id} ({result.table}): removed {result.rows_removed:,} rows, "
          f"put back {result.rows_restored:,}.")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    """Exit 0 when written; 1 when the place, period or organisations are not understood;
    2 when the warehouse cannot be opened; 3 when the charts cannot be drawn."""
    from anchor.measures import WarehouseSource
    from anchor.periods import Period
    from anchor.queries import places, reference
    from anchor.reports import exports, place_spec
    from anchor.reports.images import ChartExportError
    from anchor.reports.story import build_story

    try:
        period = Period.parse(args.period)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    wh = _warehouse(read_only=True)
    try:
        fps = reference.footprints(wh)
        codes = list(fps["footprint_code"])
        holding = list(fps.loc[fps["has_data"], "footprint_code"])
        # the one footprint (or the one of many) whose organisations hold data
        fp = args.footprint or (codes[0] if len(codes) == 1 else
                                holding[0] if len(holding) == 1 else None)
        if fp not in codes:
            print(f"Choose a footprint with --footprint: {', '.join(codes) or 'none loaded'}.",
                  file=sys.stderr)
            return 1
        fp_name = fps.set_index("footprint_code").at[fp, "name"]
        known = list(reference.organisations(wh, fp)["org_code"])
        orgs = ([o.strip().upper() for o in args.orgs.split(",")] if args.orgs
                else reference.organisations_with_data(wh, fp) or known)
        unknown = sorted(set(orgs) - set(known))
        if unknown:
            print(f"Not organisations of {fp_name}: {', '.join(unknown)}.", file=sys.stderr)
            return 1
        try:
            place = place_spec.resolve_place(
                args.place, footprint_name=fp_name,
                footprint_lads=reference.footprint_lads(wh, fp),
                named=places.named_places(wh), lads=reference.lads(wh))
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
        quarters = reference.data_quarters(wh, orgs)
        if not quarters or period.first > quarters[-1]:
            print(f"There is no data for {period.label}.", file=sys.stderr)
            return 1
        period = period.clipped_to(quarters[-1])
        story = build_story(WarehouseSource(wh), footprint_code=fp, footprint_name=fp_name,
                            orgs=tuple(orgs), period=period, place=place,
                            influenceable=not args.all_spend)
    finally:
        wh.close()
    try:
        data = exports.build(story, args.format)
    except ChartExportError as exc:
        print(exc, file=sys.stderr)
        return 3
    what = "slides" if args.format == "pptx" else "board paper"
    out = Path(args.out) if args.out else Path(exports.file_name(story, what, args.format))
    _write_file(out, data)
    print(f"Wrote {out} ({len(data) / 1024:,.0f} KB): {story.title}, {story.period.label}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="anchor", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    geo = sub.add_parser("geo", help="geography from the open data packages")
    geo_sub = geo.add_subparsers(dest="geo_command", required=True)
    build = geo_sub.add_parser("build", help="build the geography cache and install it")
    build.add_argument("--areas", help="only these postcode areas, e.g. B,DY,WS,WV (for tests); "
                                       "written beside the GB cache, e.g. geography-B-WS.duckdb")
    build.add_argument("--cache", help="where to write the cache (default: ANCHOR_GEO_CACHE, "
                                       "else data/geography.duckdb)")
    build.add_argument("--force", action="store_true",
                       help="rebuild even if current (and let --areas replace a GB cache)")
    build.add_argument("--cache-only", action="store_true", help="do not touch the warehouse")
    build.set_defaults(func=_cmd_geo_build)

    demo = sub.add_parser("demo", help="build (or remove) the demo footprint")
    demo.add_argument("--remove", action="store_true", help="delete every demo row")
    demo.set_defaults(func=_cmd_demo)

    imd = sub.add_parser(
        "imd", help="import the English Indices of Deprivation (File 7 CSV)",
        description="Replace every deprivation decile with File 7 of the English Indices of "
                    "Deprivation. Acts with the role in ANCHOR_ROLE (analyst by default) and "
                    "records ANCHOR_USER or your account in the audit trail. Exit 1 when the "
                    "file is refused, 2 when the warehouse is busy, 3 when the role may not "
                    "import.")
    imd.add_argument("file")
    imd.set_defaults(func=_cmd_imd)

    companies = sub.add_parser(
        "companies", help="import Companies House's Basic Company Data and place suppliers",
        description="Import Companies House's free Basic Company Data as published (the one "
                    "CSV, or its zipped parts), replacing the companies held, then give every "
                    "supplier with no postcode one where the register or NHS Digital's "
                    "organisations can say: by company number, by an NHS body's name, then "
                    "by company name. With no file, place suppliers from the companies "
                    "already held (after loading new spend). Each supplier records how it "
                    "was placed; `anchor undo` puts them back. Exit 1 when a file is refused, "
                    "2 when the warehouse is busy, 3 when the role may not import.")
    companies.add_argument("files", nargs="*", metavar="FILE")
    companies.set_defaults(func=_cmd_companies)

    load = sub.add_parser(
        "load", help="check and load a file (spend, supplier, workforce, estate, organisation, "
                     "site or commitment)",
        description="Check a CSV, XLSX or XLS file (for spend, several files, a folder of "
                    "them or a zip, as one load) and load it in one transaction, replacing the "
                    "organisation-months of spend (organisation-quarters of workforce and "
                    "estates, or the suppliers, organisations or sites) it holds. "
                    "From an empty warehouse, load organisations (with their footprint), then "
                    "sites, the supplier register, then spend, workforce and estates. NHS "
                    "Digital's ODS files (eccg.csv, then etr.csv; ets.csv as sites) and ERIC's "
                    "site data load as published. Acts with the role in ANCHOR_ROLE (analyst "
                    "by default) and records ANCHOR_USER "
                    "or your account in the audit trail. While the app is running, the app "
                    "runs the load (README, Command line). Exit 1 when the file is refused, 2 "
                    "when the warehouse is busy, 3 when the role may not load.")
    load.add_argument("table", choices=["spend", "supplier", "workforce", "estate",
                                        "organisation", "site", "commitment"])
    load.add_argument("file", nargs="+",
                      help="the file; for spend, several files, a folder of them or a zip, "
                           "checked together and loaded as one (one load, undone as one)")
    load.add_argument("--org", metavar="CODE",
                      help="spend: the organisation the file is for, by ODS code (or a "
                           "council's local authority code, e.g. E08000035): for a file with "
                           "no Entity column, or to confirm the organisation the check "
                           "proposes for its spelling (then remembered)")
    load.add_argument("--skip-bad-rows", action="store_true",
                      help="spend: leave out the rows with a fault of their own (a blank "
                           "amount, a date that is not one), listed in the report, and load "
                           "the rest")
    load.add_argument("--quarter", help="the quarter the file is for, e.g. '2025/26 Q3'; "
                                        "every row must fall in it")
    load.add_argument("--dry-run", action="store_true", help="check and preview; write nothing")
    load.add_argument("--stray-rows", choices=["leave-out", "own-months"], default="leave-out",
                      help="spend lines paid outside the months the file is for: leave them "
                           "out (the default), or add them to their own months alongside what "
                           "those months hold (they replace nothing)")
    load.add_argument("--yes", action="store_true",
                      help="go ahead when a spend file would replace a month with fewer than "
                           "half the lines it holds")
    load.add_argument("--report", help="write the validation report to this CSV file")
    load.set_defaults(func=_cmd_load)

    undo = sub.add_parser("undo", help="undo a load: put back exactly what it replaced")
    undo.add_argument("load_id", type=int)
    undo.set_defaults(func=_cmd_undo)

    report = sub.add_parser(
        "report", help="write a place's slide pack (PPTX) or board paper (PDF)",
        description="The Place page's story of one place as a slide pack or a board paper, "
                    "with the same figures as the app. Opens the warehouse read-only (while "
                    "the app is running, the app builds the report); charts "
                    "are drawn by Debian's Chromium (ANCHOR_CHROMIUM to use another).")
    report.add_argument("--place", required=True,
                        help="footprint; a local authority's code or name (E08000028, "
                             "Sandwell); a named place's code (WMCA); or radius:KM")
    report.add_argument("--period", required=True, help="a year (2024/25) or a quarter "
                                                        "('2024/25 Q2')")
    report.add_argument("--format", choices=["pptx", "pdf"], default="pptx")
    report.add_argument("--out", help="the file to write (default: a name saying what, where "
                                      "and when, in this folder)")
    report.add_argument("--footprint", help="footprint code (needed when there are several)")
    report.add_argument("--orgs", help="only these organisations, e.g. RXK,RNA (default: the "
                                       "footprint's that hold data)")
    report.add_argument("--all-spend", action="store_true",
                        help="all in-scope spend rather than influenceable spend")
    report.set_defaults(func=_cmd_report)

    setup = sub.add_parser("setup", help="build what the app needs and is missing")
    setup.set_defaults(func=_cmd_setup)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except _Busy as busy:
        return _hand_to_app(args, argv, str(busy))


def _run(args: argparse.Namespace) -> int:
    """A parsed command, with its refusals as messages and exit codes."""
    from anchor.db import WarehouseError
    from anchor.demo import DemoError
    from anchor.geography.sources import SourceError

    try:
        return args.func(args)
    except _Exit as exc:
        print(exc, file=sys.stderr)
        return exc.code
    except (WarehouseError, SourceError, DemoError) as exc:
        print(f"anchor: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
