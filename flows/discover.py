"""Find input files, give each an issue date, and plan which partition units a run rewrites.

The plan is a list of `UnitJob`s, one per month touched. Each job carries everything its worker
needs to rewrite that month's units alone: the files to read, the `files` rows decided without
reading (duplicates, unreadable files, files gone missing) and which stored rows they replace.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import fsspec
import pyarrow as pa

from flows.warehouse import is_local, month_of
from transforms.filenames import issue_date_from_path
from transforms.pipeline import document_date

HASH_CHUNK = 1 << 20
UNREADABLE = "unreadable:"  # quarantine reason of a file that could not be read
DOCUMENT_BYTES = 64 * 1024 * 1024  # read to date a file by its content (larger files: by mtime)


@dataclass(frozen=True)
class Discovered:
    """A file found under an input root."""

    path: str
    size: int
    mtime: dt.datetime | None
    issue_date: dt.date
    issue_date_source: str
    error: str | None = None
    file_id: str | None = None


@dataclass
class UnitJob:
    """All the work for one month's partition units."""

    month: str
    process: list[Discovered] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)
    drop_paths: set[str] = field(default_factory=set)
    drop_file_ids: set[str] = field(default_factory=set)

    @property
    def size(self) -> int:
        return sum(f.size for f in self.process)


@dataclass
class Plan:
    jobs: list[UnitJob]
    discovered: int
    unchanged: int

    @property
    def files_to_process(self) -> int:
        return sum(len(j.process) for j in self.jobs)


# --- listing ------------------------------------------------------------------------------


def list_inputs(roots: Sequence[str], cli_date: dt.date | None) -> list[Discovered]:
    """Every file under the roots (hidden files skipped), sorted by path, with its issue date."""
    found: dict[str, Discovered] = {}
    for root in roots:
        fs, base = fsspec.core.url_to_fs(root)
        if not fs.exists(base):
            continue
        for path, info in _walk(fs, base):
            full = _url(fs, path)
            found.setdefault(full, _describe(full, info, cli_date))
    return [found[p] for p in sorted(found)]


def _walk(fs: fsspec.AbstractFileSystem, base: str) -> Iterable[tuple[str, dict]]:
    if is_local(fs):
        yield from _walk_local(os.path.abspath(base))
        return
    if fs.isfile(base):
        yield base, fs.info(base)
        return
    for path, info in sorted(fs.find(base, detail=True).items()):
        if not any(part.startswith(".") for part in path[len(base) :].split("/")):
            yield path, info


def _walk_local(base: str) -> Iterable[tuple[str, dict]]:
    """Local files, symlinks not followed: a link out of the root is reported, never read."""
    if os.path.isfile(base):
        yield base, _stat(base)
        return
    for folder, dirs, files in os.walk(base, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            dirs.remove(name)
            path = os.path.join(folder, name)
            yield path, {**_stat(path), "error": _link_error(path, base, "the folder ")}
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            info = _stat(path)
            if not os.path.islink(path) and not stat.S_ISREG(os.lstat(path).st_mode):
                info["error"] = "not a regular file (pipe, socket or device): not read"
            elif os.path.islink(path):
                info["error"] = _link_error(path, base, "")
            yield path, info


def _link_error(path: str, base: str, kind: str) -> str:
    """Why a symlink is not followed: links are recorded, never read through."""
    target, root = os.path.realpath(path), os.path.realpath(base)
    where = (
        "outside the input root" if os.path.commonpath([target, root]) != root else "inside the input root"
    )
    return f"symlink to {kind}{target}, {where}: not followed"


def _stat(path: str) -> dict:
    st = os.lstat(path)
    return {"size": st.st_size, "mtime": st.st_mtime}


def _describe(path: str, info: dict, cli_date: dt.date | None) -> Discovered:
    mtime = _mtime(info)
    from_path = issue_date_from_path(path)
    from_document = None if from_path or info.get("error") else _document_date(path)
    if from_path:
        issue_date, source = from_path, "path"
    elif from_document:
        issue_date, source = from_document, "document"
    elif cli_date:
        issue_date, source = cli_date, "cli"
    else:
        issue_date, source = (mtime or dt.datetime.now(dt.UTC)).date(), "mtime"
    return Discovered(path, int(info.get("size") or 0), mtime, issue_date, source, info.get("error"))


def _document_date(path: str) -> dt.date | None:
    """The date a file without a date in its path states about itself (read up to DOCUMENT_BYTES)."""
    try:
        return document_date(read_bytes(path, DOCUMENT_BYTES), path)
    except OSError:
        return None


def _mtime(info: dict) -> dt.datetime | None:
    value = info.get("mtime") or info.get("LastModified") or info.get("last_modified")
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(microsecond=value.microsecond)
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    return None


def _url(fs: fsspec.AbstractFileSystem, path: str) -> str:
    if is_local(fs):
        return path
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return f"{protocol}://{path}"


def read_bytes(path: str, limit: int = -1) -> bytes:
    """The bytes of a file, at most `limit` of them (all with the default)."""
    with fsspec.open(path, "rb") as handle:
        return handle.read(limit)


def fingerprint(path: str) -> str:
    """sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with fsspec.open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- planning -----------------------------------------------------------------------------


def plan(
    discovered: Sequence[Discovered],
    manifest: pa.Table,
    roots: Sequence[str],
    force: tuple[dt.date, dt.date] | None = None,
    done_months: Iterable[str] = (),
    max_file_bytes: int | None = None,
) -> Plan:
    """Decide what a run does: which files to process, which rows to replace, which are missing.

    `force` (a backfill's date range) reprocesses every file of those dates whatever the
    manifest says and leaves every other date alone; `done_months` are months a resumed
    backfill already finished. A file over `max_file_bytes` is quarantined without being read.
    """
    stored = _by_path(manifest)
    if force is not None:
        discovered = [f for f in discovered if force[0] <= f.issue_date <= force[1]]
        stored_in_range = {
            p for p, rows in stored.items() if force[0] <= _day(rows[0]["issue_date"]) <= force[1]
        }
    else:
        stored_in_range = set(stored)
    done = set(done_months)
    jobs: dict[str, UnitJob] = defaultdict(lambda: UnitJob(month=""))

    def job(month: str) -> UnitJob:
        jobs[month].month = month
        return jobs[month]

    unchanged_paths, candidates = set(), []
    for f in discovered:
        old = stored.get(f.path, [])
        keep = month_of(f.issue_date) in done if force else bool(old) and _same_stat(f, old)
        if keep:
            unchanged_paths.add(f.path)
        else:
            candidates.append(f)

    # Content stays owned by every stored file not reprocessed now, including missing ones.
    reprocessed = {f.path for f in candidates}
    owners = {
        r["file_id"]
        for p, rows in stored.items()
        if p not in reprocessed
        for r in rows
        if r["status"] == "ok"
    }
    # A duplicate whose original is being replaced must stand on its own again.
    for path in sorted(unchanged_paths):
        rows = stored[path]
        if any(r["status"] == "duplicate" and r["duplicate_of"] not in owners for r in rows):
            unchanged_paths.discard(path)
            candidates.append(next(f for f in discovered if f.path == path))

    for f in sorted(candidates, key=lambda f: (f.issue_date, f.path)):
        unit = job(month_of(f.issue_date))
        for row in stored.get(f.path, []):
            old_unit = job(month_of(row["issue_date"]))
            old_unit.drop_paths.add(f.path)
            if row["status"] == "ok":
                old_unit.drop_file_ids.add(row["file_id"])
        unit.drop_paths.add(f.path)
        error = f.error or too_large(f.size, max_file_bytes)
        file_id = None
        if error is None:
            try:
                file_id = fingerprint(f.path)
            except OSError as exc:
                error = f"{UNREADABLE} {exc.__class__.__name__}: {exc.strerror or exc}"
        if error is not None:
            unit.records.append(file_record(f, "quarantined", error=error))
        elif file_id in owners:
            unit.records.append(file_record(f, "duplicate", file_id=file_id, duplicate_of=file_id))
        else:
            owners.add(file_id)
            unit.process.append(_with_id(f, file_id))

    seen = {f.path for f in discovered}
    for path, rows in sorted(stored.items()):
        if path in seen or path not in stored_in_range or not _under(path, roots):
            continue
        if all(r["status"] == "missing" for r in rows):
            continue
        unit = job(month_of(rows[0]["issue_date"]))
        unit.drop_paths.add(path)
        unit.records.extend({**r, "status": "missing"} for r in rows)

    ordered = [jobs[m] for m in sorted(jobs)]
    return Plan(ordered, discovered=len(discovered), unchanged=len(unchanged_paths))


def too_large(size: int, max_file_bytes: int | None) -> str | None:
    """The quarantine reason of a file over the size limit, None within it.

    >>> too_large(3_000_000, 2_000_000)
    'file is 3.0 MB, over the 2 MB limit'
    """
    if max_file_bytes is None or size <= max_file_bytes:
        return None
    return f"file is {size / 1e6:.1f} MB, over the {max_file_bytes / 1e6:.0f} MB limit"


def batches(jobs: Sequence[UnitJob], target_bytes: int) -> list[list[UnitJob]]:
    """Pack whole months into batches of about `target_bytes` of raw input, in month order.

    >>> [[j.month for j in b] for b in batches([UnitJob("2024-01"), UnitJob("2024-02")], 1)]
    [['2024-01'], ['2024-02']]
    """
    packed: list[list[UnitJob]] = []
    size = 0
    for unit in jobs:
        weight = max(unit.size, 1)
        if not packed or size + weight > target_bytes:
            packed.append([])
            size = 0
        packed[-1].append(unit)
        size += weight
    return packed


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _by_path(manifest: pa.Table) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in manifest.to_pylist():
        grouped[row["path"]].append(row)
    return grouped


def _same_stat(f: Discovered, rows: list[dict]) -> bool:
    """Unchanged since stored: same mtime (archive members carry their archive's) and size, and not
    quarantined as unreadable (fixing permissions does not change the mtime, so such a file is
    tried again every run)."""
    return (
        all(r["mtime"] == f.mtime and (r["member"] or r["size"] == f.size) for r in rows)
        and any(r["status"] != "missing" for r in rows)
        and not any(r["status"] == "quarantined" and (r["error"] or "").startswith(UNREADABLE) for r in rows)
    )


def _under(path: str, roots: Sequence[str]) -> bool:
    for root in roots:
        fs, base = fsspec.core.url_to_fs(root)
        prefix = _url(fs, os.path.abspath(base) if is_local(fs) else base.rstrip("/"))
        if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
            return True
    return False


def _with_id(f: Discovered, file_id: str) -> Discovered:
    return Discovered(f.path, f.size, f.mtime, f.issue_date, f.issue_date_source, f.error, file_id)


def file_record(
    f: Discovered,
    status: str,
    *,
    error: str | None = None,
    file_id: str | None = None,
    duplicate_of: str | None = None,
) -> dict:
    """A `files` row decided without the transforms (duplicate, unreadable, over the size limit).

    A file whose bytes could not be read is identified by the sha256 of its path instead.
    """
    return {
        "file_id": file_id or hashlib.sha256(f.path.encode()).hexdigest(),
        "path": f.path,
        "member": "",
        "size": f.size,
        "mtime": f.mtime,
        "issue_date": f.issue_date,
        "issue_date_source": f.issue_date_source,
        "status": status,
        "error": error,
        "duplicate_of": duplicate_of,
        "articles": 0,
        "repairs": [],
    }
