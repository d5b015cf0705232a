"""`guidance new PARTNERSHIP`: a first spec with the right shape and nothing borrowed from another partnership.

Every required field is present, and every one that only the partnership's own document can fill holds a
placeholder beginning `FILL IN`, which the loader reports (file, line, field, what to write) until it is
replaced: a new partnership starts from a valid shape, never from a copy of another partnership's words.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from . import load, resources
from .load import PLACEHOLDER  # noqa: F401  (one marker for writer and checker)

_ID = re.compile(r"[a-z0-9][a-z0-9-]*")  # fullmatch: "$" would also let a trailing newline through
_VERSION_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")  # the schema's version id: never "..", "/" or a space

TEMPLATE = """\
# yaml-language-server: $schema=../schema.json
# {partnership}: first draft made by `guidance new`. Replace every "FILL IN" with the protocol's own
# words; `guidance check` lists the ones left. Wording in quotes should be the document's own.
partnership:
  id: {partnership}
  name: "FILL IN: the partnership's full name, as on its protocol"
  short_name: "FILL IN: a short name for menus"
  nation: "FILL IN: england, wales, scotland or northern-ireland"
  covers: ["FILL IN: children and/or adults"]
version:
  id: "{version}"
  issued: "FILL IN: the date the protocol was issued, as YYYY-MM-DD, YYYY-MM or unknown"
  review_due: "FILL IN: its review date, as YYYY-MM-DD, YYYY-MM or unknown"
  source_title: "FILL IN: the document's title"
risk:
  immediate_danger:
    - "FILL IN: what the protocol says to do when someone is in immediate danger"
routes:
  - id: standard
    title: "FILL IN: the route's name, e.g. Resolution process"
    question: "FILL IN: when this route applies"
    stages:
      - number: 1
        title: "FILL IN: the first stage's name"
        role: "FILL IN: who acts at this stage"
        timescale:
          kind: "FILL IN: working_days, same_working_day, calendar_months, without_delay, agreed or none"
          wording: "FILL IN: the protocol's own words for this stage's timescale"
"""


class ScaffoldError(Exception):
    """The spec cannot be made; the message says why (exit 2: the command's input)."""


def new_spec(protocols: Path, partnership: str, version: str | None = None) -> Path:
    if not _ID.fullmatch(partnership) or len(partnership) > load.MAX_ID:
        raise ScaffoldError(f"'{partnership}' is not a partnership id: use lower-case letters, digits and "
                            f"hyphens, starting with a letter or digit, at most {load.MAX_ID} characters "
                            "(e.g. north-yorkshire)")
    if partnership in load.RESERVED_PARTNERSHIP_IDS:
        raise ScaffoldError(f"'{partnership}' is the name of a page or folder of the site; choose another "
                            "partnership id (for example the area's name)")
    version = version or dt.date.today().strftime("%Y-%m")
    # The version id names the file: checked as the loader checks it, before anything is written (a
    # version of '../../x' wrote x.yaml two folders up, outside protocols/).
    if not _VERSION_ID.fullmatch(version) or len(version) > load.MAX_ID:
        raise ScaffoldError(f"'{version}' is not a version id: use the text's date as YYYY-MM or YYYY-MM-DD, or "
                            f"lower-case letters, digits, dots and hyphens (e.g. v2), at most {load.MAX_ID} "
                            "characters")
    problem = load.version_id_problem(version)
    if problem:
        raise ScaffoldError(f"--version: {problem}")
    path = protocols / partnership / f"{version}.yaml"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; edit it, or name another version with --version")
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = protocols / "schema.json"
    if not schema.exists():  # the editor support named on line 1 of every spec
        shutil.copyfile(resources.schema_path(), schema)
    path.write_text(TEMPLATE.format(partnership=partnership, version=version), encoding="utf-8")
    return path
