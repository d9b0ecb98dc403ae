"""A lecture file: its shape, read and checked (``load``), and where the shipped ones live (``LECTURE_DIR``).

    {"name": "default", "title": {"en": ..., "vi": ...},
     "sections": [{"outline": "I.B.3", "title": {"en": ..., "vi": ...},
                   "moments": [{"link": "tab=gan&gan.preset=mode_collapse", "figure": "gan-plane",
                                "says": {"en": ..., "vi": ...}, "shows": {"en": ..., "vi": ...}}]}]}

``link`` is an address of the app without its host (what the "Link to this setup" box gives, with or without
``http://host/?``); ``figure`` is the element id of the figure the moment lands on; ``says`` is the one sentence the
moment shows, ``shows`` the figure's short text alternative. Every message names the place in the file it is about.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from playground.lecture.outline import OUTLINE

LECTURE_DIR = Path(__file__).resolve().parents[2] / "assets" / "lectures"
LANGS = ("en", "vi")
MAX_BYTES = 200_000  # a lecture is a page of text, not a data set
MAX_MOMENTS = 3  # per section: a lecture moves on
LIMITS = {"says": 200, "shows": 200, "title": 120}  # characters, in either language
RESERVED = ("lang", "present", "lecture", "moment")  # the page's own keys: the viewer's, not the moment's
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
ELEMENT = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")


class LectureError(ValueError):
    """A lecture file that cannot be used, and where (``sections[2].moments[0].says.vi: missing``)."""


@dataclass(frozen=True)
class Moment:
    number: int  # 1-based, over the whole lecture: ``?moment=<number>``
    section: str  # the outline id of its section
    link: dict[str, str]  # the address's settings, ``tab`` among them
    figure: str
    says: dict[str, str]
    shows: dict[str, str]

    @property
    def tab(self) -> str:
        return self.link["tab"]


@dataclass(frozen=True)
class Section:
    outline: str
    title: dict[str, str]
    moments: tuple[Moment, ...]


@dataclass(frozen=True)
class Lecture:
    name: str
    title: dict[str, str]
    sections: tuple[Section, ...]
    path: str = ""

    @property
    def moments(self) -> list[Moment]:
        return [m for s in self.sections for m in s.moments]

    def moment(self, number: int) -> Moment:
        """Moment ``number`` (1-based); ``LectureError`` outside 1..len."""
        moments = self.moments
        if not 1 <= number <= len(moments):
            raise LectureError(f"moment {number}: the lecture {self.name!r} has moments 1 to {len(moments)}")
        return moments[number - 1]

    def section_of(self, moment: Moment) -> Section:
        return next(s for s in self.sections if moment in s.moments)

    def uncovered(self) -> list[str]:
        """The outline's sections this lecture has no moment for."""
        covered = {s.outline for s in self.sections if s.moments}
        return [key for key in OUTLINE if key not in covered]


def parse_link(text: str) -> dict[str, str]:
    """The settings of an address (``tab=gan&gan.steps=400``, ``?tab=...`` or a whole URL); each key once."""
    if not isinstance(text, str) or not text.strip():
        raise LectureError("an empty link")
    text = text.strip()
    query = urlsplit(text).query if "://" in text or text.startswith("/") else text.lstrip("?")
    pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=False)
    out: dict[str, str] = {}
    for key, value in pairs:
        if key in out:
            raise LectureError(f"{key!r} is given twice")
        if key in RESERVED:
            raise LectureError(f"{key!r} belongs to the viewer's address, not to a moment")
        out[key] = value
    if not out.get("tab"):
        raise LectureError("no tab= (which tab the moment opens)")
    return out


def _texts(raw, where: str, limit: int) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise LectureError(f"{where}: expected {{\"en\": ..., \"vi\": ...}}")
    out = {}
    for lang in LANGS:
        value = raw.get(lang)
        if not isinstance(value, str) or not value.strip():
            raise LectureError(f"{where}.{lang}: missing")
        if len(value) > limit:
            raise LectureError(f"{where}.{lang}: {len(value)} characters, at most {limit}")
        out[lang] = value.strip()
    extra = set(raw) - set(LANGS)
    if extra:
        raise LectureError(f"{where}: unknown language {sorted(extra)[0]!r} (the page speaks {', '.join(LANGS)})")
    return out


def _fields(raw, where: str, required: set[str], optional: set[str] = frozenset()) -> dict:
    if not isinstance(raw, dict):
        raise LectureError(f"{where}: expected an object")
    missing = required - set(raw)
    if missing:
        raise LectureError(f"{where}: missing {sorted(missing)[0]!r}")
    unknown = set(raw) - required - set(optional)
    if unknown:
        raise LectureError(f"{where}: unknown field {sorted(unknown)[0]!r}")
    return raw


def parse(raw, path: str = "") -> Lecture:
    """A lecture from its JSON value, checked (``LectureError`` says where)."""
    top = _fields(raw, "lecture", {"name", "title", "sections"})
    name = top["name"]
    if not isinstance(name, str) or not NAME.match(name):
        raise LectureError("name: lower-case letters, digits, - and _ (it goes into ?lecture=)")
    title = _texts(top["title"], "title", LIMITS["title"])
    if not isinstance(top["sections"], list) or not top["sections"]:
        raise LectureError("sections: expected a non-empty list")
    sections, number, seen = [], 0, set()
    for i, raw_section in enumerate(top["sections"]):
        where = f"sections[{i}]"
        s = _fields(raw_section, where, {"outline", "title", "moments"})
        outline = s["outline"]
        if outline not in OUTLINE:
            raise LectureError(f"{where}.outline: {outline!r} is not a section of the outline ({', '.join(OUTLINE)})")
        if outline in seen:
            raise LectureError(f"{where}.outline: {outline!r} has a section already")
        seen.add(outline)
        if not isinstance(s["moments"], list) or not 1 <= len(s["moments"]) <= MAX_MOMENTS:
            raise LectureError(f"{where}.moments: one to {MAX_MOMENTS} moments")
        moments = []
        for j, raw_moment in enumerate(s["moments"]):
            at = f"{where}.moments[{j}]"
            m = _fields(raw_moment, at, {"link", "figure", "says", "shows"})
            try:
                link = parse_link(m["link"])
            except LectureError as e:
                raise LectureError(f"{at}.link: {e}") from None
            if not isinstance(m["figure"], str) or not ELEMENT.match(m["figure"]):
                raise LectureError(f"{at}.figure: an element id (letters, digits, - and _)")
            number += 1
            moments.append(Moment(number, outline, link, m["figure"], _texts(m["says"], f"{at}.says", LIMITS["says"]),
                                  _texts(m["shows"], f"{at}.shows", LIMITS["shows"])))
        sections.append(Section(outline, _texts(s["title"], f"{where}.title", LIMITS["title"]), tuple(moments)))
    return Lecture(name, title, tuple(sections), path)


def load(path: str | Path) -> Lecture:
    """Read and check a lecture file."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise LectureError(f"{path}: {e.strerror or e}") from None
    if size > MAX_BYTES:
        raise LectureError(f"{path}: {size:,} bytes, a lecture is at most {MAX_BYTES:,}")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise LectureError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise LectureError(f"{path}: line {e.lineno}, column {e.colno}: {e.msg}") from None
    try:
        lecture = parse(raw, str(path))
    except LectureError as e:
        raise LectureError(f"{path}: {e}") from None
    if lecture.name != path.name[: -len(".json")]:
        raise LectureError(f"{path}: its name is {lecture.name!r}: a lecture's name is its file's name "
                           "(?lecture=<name> opens <name>.json)")
    return lecture


def names(folder: Path | None = None) -> list[str]:
    """The lectures in ``folder`` (the shipped ones by default), by name."""
    return sorted(p.name[: -len(".json")] for p in Path(folder or LECTURE_DIR).glob("*.json") if NAME.match(p.stem))


def find(name: str, folder: Path | None = None) -> Path:
    """The file of the lecture ``name`` (a name, never a path: ``?lecture=`` comes from an address)."""
    if not isinstance(name, str) or not NAME.match(name):
        raise LectureError(f"{str(name)[:40]!r} is not a lecture's name")
    path = Path(folder or LECTURE_DIR) / f"{name}.json"
    if not path.is_file():
        raise LectureError(f"no lecture named {name!r} (there are: {', '.join(names(folder)) or 'none'})")
    return path
