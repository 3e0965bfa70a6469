"""Full-text search over the text of facts, by the store's own index.

`FactSearch` is what the lookup catalog asks for: the keys of the facts whose text
matches a query, best first. Two things answer it, with the same SQL where they can:

- the store (`for_store`): SQLite FTS5 in an SQLite file, a ``tsvector`` column with a
  GIN index on PostgreSQL, which the database keeps current itself whoever writes
  (migration 0003);
- an in-memory SQLite database built from a list of facts (`in_memory`), for a catalog
  made without a store. It has an SQLite store's full-text tables, triggers and all,
  and is searched by the same SQL.

**Ranking.** Facts whose text contains every word of the query come first, then facts
containing some of them. Within each group, the most recent first: by the fact's date
(undated facts last), then the fact stored last first.

**Words** are matched whole, after folding case and accents the way SQLite's
``unicode61 remove_diacritics 2`` tokenizer does, and ё as е: ``Été`` finds ``ete``,
``ноздрев`` finds ``Ноздрёв``. A word in another script also finds its Latin
transliteration. Only the first `MAX_WORDS` distinct words of a query are searched.

**Typos.** A word that no stored fact contains is replaced by the closest stored words:
those that begin with the same `TYPO_PREFIX` letters and differ in length by at most
`TYPO_LENGTH_SLACK`, scoring at least `TYPO_MIN_SCORE` with rapidfuzz's ``fuzz.ratio``;
the best `TYPO_CHOICES` of them. Candidates come from a table of stored words
(``fact_fts_term``) by a range scan on its primary key, so the cost is bounded by the
number of stored words with those first letters, never by the number of facts.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa
from anyascii import anyascii
from rapidfuzz import fuzz, process
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from bot.errors import StoreError

MAX_QUERY = 2000
"""Only the first this many characters of a query are read."""
MAX_WORDS = 16
"""At most this many distinct words of a query are searched for; later ones are ignored."""
MAX_WORD = 100
"""Longer words are ignored: no word is that long, and PostgreSQL refuses some."""
TYPO_MIN_LENGTH = 4
"""Shorter words are taken as typed: too many stored words are one letter away from them."""
TYPO_PREFIX = 2
"""A mistyped word's replacements begin with the same this many letters."""
TYPO_LENGTH_SLACK = 2
TYPO_MIN_SCORE = 80.0
TYPO_CHOICES = 3
TYPO_CANDIDATES = 5000
"""At most this many stored words are compared with one mistyped word."""

_DAY = 1 << 32
"""In the SQLite index a fact's rowid is its day number times this, plus its id: so the
index's own rowid order is "most recent first" (undated facts have day 0)."""

# What SQLite's unicode61 tokenizer (remove_diacritics 2) folds each Latin, Greek and
# Cyrillic letter to, where it changes it, plus ё → е: read from SQLite itself and kept
# here so that a query's words are folded the same way outside SQLite (and PostgreSQL's
# fact_fts_fold() in migration 0003 folds with the same table; a test holds them equal).
FOLD_FROM = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÆÇÈÉÊËÌÍ"
    "ÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞàáâãäåçèéêëìíîïñòóôõöùúû"
    "üýÿĀāĂăĄąĆćĈĉĊċČčĎďĐĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥ"
    "ĦĨĩĪīĬĭĮįİĲĴĵĶķĹĺĻļĽľĿŁŃńŅņŇňŊŌōŎŏŐőŒŔŕŖ"
    "ŗŘřŚśŜŝŞşŠšŢţŤťŦŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſ"
    "ƁƂƄƆƇƉƊƋƎƏƐƑƓƔƖƗƘƜƝƟƠơƢƤƦƧƩƬƮƯưƱƲƳƵƷƸƼǄǅ"
    "ǇǈǊǋǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǢǤǦǧǨǩǪǫǬǭǮǰǱǲǴǵǶ"
    "ǷǸǹǺǻǼǾȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȜȞȟȠȢ"
    "ȤȦȧȨȩȪȫȬȭȮȯȰȱȲȳȺȻȽȾɁɃɄɅɆɈɊɌɎͰͲͶΆΈΉΊΌΎΏΑΒ"
    "ΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩΪΫςϏϐϑϕϖϘϚϜϞϠϢϤϦϨϪ"
    "ϬϮϰϱϴϵϷϹϺϽϾϿЀЁЂЃЄЅІЇЈЉЊЋЌЍЎЏАБВГДЕЖЗИЙКЛ"
    "МНОПРСТУФХЦЧШЩЪЫЬЭЮЯёѠѢѤѦѨѪѬѮѰѲѴѶѸѺѼѾҀҊҌ"
    "ҎҐҒҔҖҘҚҜҞҠҢҤҦҨҪҬҮҰҲҴҶҸҺҼҾӀӁӃӅӇӉӋӍӐӒӔӖӘӚӜ"
    "ӞӠӢӤӦӨӪӬӮӰӲӴӶӸӺӼӾԀԂԄԆԈԊԌԎԐԒԔԖԘԚԜԞԠԢԤԦḀḁḂ"
    "ḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪ"
    "ḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒ"
    "ṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺ"
    "ṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẛẞẠạẢảẤấẦ"
    "ầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎ"
    "ỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶ"
    "ỷỸỹỺỼỾἈἉἊἋἌἍἎἏἘἙἚἛἜἝἨἩἪἫἬἭἮἯἸἹἺἻἼἽἾἿὈὉὊὋ"
    "ὌὍὙὛὝὟὨὩὪὫὬὭὮὯᾈᾉᾊᾋᾌᾍᾎᾏᾘᾙᾚᾛᾜᾝᾞᾟᾨᾩᾪᾫᾬᾭᾮᾯᾸᾹ"
    "ᾺΆᾼιῈΈῊΉῌῘῙῚΊῨῩῪΎῬῸΌῺΏῼ"
)
FOLD_TO = (
    "abcdefghijklmnopqrstuvwxyzaaaaaaæceeeeii"
    "iiðnoooooøuuuuyþaaaaaaceeeeiiiinooooouuu"
    "uyyaaaaaaccccccccddđeeeeeeeeeegggggggghh"
    "ħiiiiiiiiiĳjjkkllllllŀłnnnnnnŋooooooœrrr"
    "rrrssssssssttttŧuuuuuuuuuuuuwwyyyzzzzzzs"
    "ɓƃƅɔƈɖɗƌǝəɛƒɠɣɩɨƙɯɲɵooƣƥʀƨʃƭʈuuʊʋƴƶʒƹƽǆǆ"
    "ǉǉǌǌaaiioouuuuuuuuuuaaǡǣǥggkkooooǯjǳǳggƕ"
    "ƿnnaaǽǿaaaaeeeeiiiioooorrrruuuussttȝhhƞȣ"
    "ȥaaeeooooooooyyⱥȼƚⱦɂƀʉʌɇɉɋɍɏͱͳͷάέήίόύώαβ"
    "γδεζηθικλμνξοπρστυφχψωϊϋσϗβθφπϙϛϝϟϡϣϥϧϩϫ"
    "ϭϯκρθεϸϲϻͻͼͽѐеђѓєѕіїјљњћќѝўџабвгдежзийкл"
    "мнопрстуфхцчшщъыьэюяеѡѣѥѧѩѫѭѯѱѳѵѷѹѻѽѿҁҋҍ"
    "ҏґғҕҗҙқҝҟҡңҥҧҩҫҭүұҳҵҷҹһҽҿӏӂӄӆӈӊӌӎӑӓӕӗәӛӝ"
    "ӟӡӣӥӧөӫӭӯӱӳӵӷӹӻӽӿԁԃԅԇԉԋԍԏԑԓԕԗԙԛԝԟԡԣԥԧaab"
    "bbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhh"
    "hiiiikkkkkkllllllllmmmmmmnnnnnnnnooooooo"
    "opppprrrrrrrrssssssssssttttttttuuuuuuuuu"
    "uvvvvwwwwwwwwwwxxxxyyzzzzzzhtwysßaaaaaaa"
    "aaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiiooo"
    "ooooooooooooooooooooouuuuuuuuuuuuuuyyyyy"
    "yyyỻỽỿἀἁἂἃἄἅἆἇἐἑἒἓἔἕἠἡἢἣἤἥἦἧἰἱἲἳἴἵἶἷὀὁὂὃ"
    "ὄὅὑὓὕὗὠὡὢὣὤὥὦὧᾀᾁᾂᾃᾄᾅᾆᾇᾐᾑᾒᾓᾔᾕᾖᾗᾠᾡᾢᾣᾤᾥᾦᾧᾰᾱ"
    "ὰάᾳιὲέὴήῃῐῑὶίῠῡὺύῥὸόὼώῳ"
)
_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)

_TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
"""Letters, digits, private-use characters and combining marks make words; accents on
Latin letters are dropped, marks of other scripts (Cyrillic й, Devanagari vowel signs)
are spelling and kept."""


def _position(row: str) -> str:
    return f"coalesce(CAST(julianday({row}.happened) AS INTEGER), 0) * {_DAY} + {row}.id"


def _document(row: str) -> str:
    return f"replace(replace({row}.text, 'ё', 'е'), 'Ё', 'Е')"


def _remember_terms(row: str) -> str:
    return (
        f"INSERT INTO fact_fts_scratch (rowid, text) VALUES (1, {_document(row)});\n"
        "    INSERT OR IGNORE INTO fact_fts_term (term) SELECT term FROM fact_fts_scratch_terms;\n"
        "    INSERT INTO fact_fts_scratch (fact_fts_scratch) VALUES ('delete-all');"
    )


SQLITE_TABLES = (
    f"CREATE VIRTUAL TABLE fact_fts USING fts5(text, content='', columnsize=0, "
    f'tokenize="{_TOKENIZER}")',
    "CREATE TABLE fact_fts_term (term TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID",
    f"CREATE VIRTUAL TABLE fact_fts_scratch USING fts5(text, content='', columnsize=0, "
    f'detail=none, tokenize="{_TOKENIZER}")',
    "CREATE VIRTUAL TABLE fact_fts_scratch_terms USING fts5vocab(fact_fts_scratch, 'row')",
)
"""The SQLite full-text tables, as migration 0003 creates them:

- ``fact_fts``: a contentless FTS5 index of every fact's text, rowid as `_DAY` says;
- ``fact_fts_term``: every word ever indexed, for typo candidates by a range scan (FTS5's
  own vocabulary table counts each word's documents as it goes, which costs tens of
  milliseconds for a word in most facts);
- ``fact_fts_scratch`` and its vocabulary: where a trigger tokenizes one fact's text to
  learn its words (SQL has no other way to call the tokenizer)."""

SQLITE_FILL = (
    f"INSERT INTO fact_fts (rowid, text) SELECT {_position('fact')}, {_document('fact')} FROM fact",
    "CREATE VIRTUAL TABLE temp.fact_fts_vocab USING fts5vocab(main, fact_fts, 'row')",
    "INSERT INTO fact_fts_term (term) SELECT term FROM temp.fact_fts_vocab",
    "DROP TABLE temp.fact_fts_vocab",
)
"""Index the facts already in the table (migration 0003's upgrade)."""

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER fact_fts_insert AFTER INSERT ON fact BEGIN
    INSERT INTO fact_fts (rowid, text) VALUES ({_position("NEW")}, {_document("NEW")});
    {_remember_terms("NEW")}
END""",
    f"""CREATE TRIGGER fact_fts_update AFTER UPDATE OF text, happened ON fact
WHEN OLD.text IS NOT NEW.text OR OLD.happened IS NOT NEW.happened BEGIN
    INSERT INTO fact_fts (fact_fts, rowid, text)
        VALUES ('delete', {_position("OLD")}, {_document("OLD")});
    INSERT INTO fact_fts (rowid, text) VALUES ({_position("NEW")}, {_document("NEW")});
    {_remember_terms("NEW")}
END""",
    f"""CREATE TRIGGER fact_fts_delete AFTER DELETE ON fact BEGIN
    INSERT INTO fact_fts (fact_fts, rowid, text)
        VALUES ('delete', {_position("OLD")}, {_document("OLD")});
END""",
)
"""Keep the index in step with the fact table, whoever writes to it. A contentless index
forgets a row only when told its old text, which the delete and update triggers give.
Words of deleted facts stay in ``fact_fts_term``; a search checks each candidate."""


def include_name(name: str | None, type_: str, parent_names: Mapping[Any, str | None]) -> bool:
    """Alembic's ``include_name`` hook: False for the full-text objects of migration 0003,
    which the models do not describe (the SQLite virtual tables and what FTS5 makes for
    them, the PostgreSQL generated column, its indexes and the word table)."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith("fact_fts")
    if type_ == "column":
        return not (parent_names.get("table_name") == "fact" and name == "fts_document")
    if type_ == "index":
        return not name.startswith("ix_fact_fts")
    return True


@dataclass(frozen=True, slots=True)
class FactMatch:
    """A fact whose text matches a search, and whether it holds every word searched for."""

    key: str
    every_word: bool


class FactSearch(Protocol):
    """Finds facts by the words of their text."""

    def search(self, query: str, limit: int) -> list[FactMatch]:
        """At most limit facts matching query, best first (see the module's ranking).

        Raises `StoreError` when the store cannot be searched.
        """
        ...


def fold_word(word: str) -> str:
    """word as the SQLite index stores it: accents on Latin letters dropped, ё as е, and
    lower case."""
    return unicodedata.normalize("NFC", word).translate(_FOLD).lower()


def words(text: str) -> list[str]:
    """The distinct words of text, folded, in order, split as the SQLite index splits:
    runs of letters, digits, private-use characters and combining marks. A run of marks
    alone, which the index keeps nothing of, is no word."""
    found: dict[str, None] = {}
    start = None
    for index, char in enumerate(f"{text} "):
        if _in_words(char):
            if start is None:
                start = index
            continue
        if start is not None:
            word = fold_word(text[start:index])
            if any(c.isalnum() for c in word):
                found[word] = None
            start = None
    return list(found)


def _in_words(char: str) -> bool:
    """Whether the tokenizer keeps char in a word (Unicode categories L*, N*, Co, M*)."""
    if char.isalnum():
        return True
    category = unicodedata.category(char)
    return category[0] == "M" or category == "Co"


_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _latin(word: str) -> str | None:
    """word's Latin transliteration when it is another script's and makes one word."""
    if word.isascii():
        return None
    latin = anyascii(word).lower()
    return latin if 0 < len(latin) <= MAX_WORD and set(latin) <= _ASCII_WORD else None


class _Dialect:
    """The SQL of one database's full-text search."""

    def prepare(self, connection: Connection) -> None:
        """Set up the connection for one search."""

    def words(self, connection: Connection, query: str) -> list[str]:
        """The distinct words of query as the index stores them, in order."""
        raise NotImplementedError

    def term_query(self, term: str) -> str:
        """A query for the one stored word term, safe whatever it holds."""
        raise NotImplementedError

    def all_of(self, groups: Sequence[Sequence[str]], *, every: bool) -> str:
        """A query for facts holding a word of every group (every) or of any group."""
        raise NotImplementedError

    def exists_sql(self, parameter: str) -> str:
        """An SQL expression: whether a fact matches the query bound to parameter."""
        raise NotImplementedError

    def matching(self, connection: Connection, query: str, limit: int) -> list[str]:
        """The keys of at most limit facts matching query, most recent first."""
        raise NotImplementedError


class _Sqlite(_Dialect):
    def words(self, connection: Connection, query: str) -> list[str]:
        return words(query)

    def term_query(self, term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    def all_of(self, groups: Sequence[Sequence[str]], *, every: bool) -> str:
        alternatives = [" OR ".join(self.term_query(term) for term in group) for group in groups]
        return (" AND " if every else " OR ").join(f"({either})" for either in alternatives)

    def exists_sql(self, parameter: str) -> str:
        return f"EXISTS (SELECT 1 FROM fact_fts WHERE fact_fts MATCH :{parameter})"

    def matching(self, connection: Connection, query: str, limit: int) -> list[str]:
        # The index's rowid order is most recent first: the first limit rowids are the answer.
        rows = connection.execute(_SQLITE_MATCHING, {"query": query, "limit": limit})
        return [key for (key,) in rows]


class _Postgres(_Dialect):
    def prepare(self, connection: Connection) -> None:
        # Plan each search for its own words: a plan made for "some word" would walk the
        # recency index for a rare word, or sort every fact holding a common one.
        connection.execute(sa.text("SET LOCAL plan_cache_mode = force_custom_plan"))

    def words(self, connection: Connection, query: str) -> list[str]:
        rows = connection.execute(
            sa.text(
                "SELECT lexeme FROM unnest(to_tsvector('simple', fact_fts_fold(:query)))"
                " ORDER BY positions[1]"
            ),
            {"query": query},
        )
        return [lexeme for (lexeme,) in rows]

    def term_query(self, term: str) -> str:
        return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"

    def all_of(self, groups: Sequence[Sequence[str]], *, every: bool) -> str:
        alternatives = [" | ".join(self.term_query(term) for term in group) for group in groups]
        return (" & " if every else " | ").join(f"( {either} )" for either in alternatives)

    def exists_sql(self, parameter: str) -> str:
        return f"EXISTS (SELECT 1 FROM fact WHERE fts_document @@ CAST(:{parameter} AS tsquery))"

    def matching(self, connection: Connection, query: str, limit: int) -> list[str]:
        # Two ways to the most recent matches: walk the recency index until limit rows
        # match, reading about limit * facts / matches rows, or collect every match by the
        # GIN index and sort them, reading matches rows (in the table's order, about half
        # as costly each). PostgreSQL's planner walks far sooner than that balance (at
        # 0.2% of a million facts it read 27,000 rows, 60 ms, where collecting read 1,800),
        # so the choice is made here, on the planner's own estimate of the matches.
        values = {"query": query, "limit": limit}
        plan = connection.execute(_POSTGRES_ESTIMATE, {"query": query}).scalar_one()
        matches = float(plan[0]["Plan"]["Plan Rows"])
        facts = max(float(connection.execute(_POSTGRES_FACTS).scalar_one() or 0), 0.0)
        walk = matches * matches > _WALK_COST * limit * facts
        rows = connection.execute(_POSTGRES_WALK if walk else _POSTGRES_COLLECT, values)
        return [key for (key,) in rows]


_SQLITE_MATCHING = sa.text(
    "SELECT fact.key FROM ("
    " SELECT rowid AS position FROM fact_fts WHERE fact_fts MATCH :query"
    " ORDER BY rowid DESC LIMIT :limit"
    f") AS hit JOIN fact ON fact.id = hit.position & {_DAY - 1}"
    " ORDER BY hit.position DESC"
)
_WALK_COST = 2.0
"""What a row read walking PostgreSQL's recency index costs, in rows read collecting
matches by the GIN index (random order against the table's; measured at 1,000,000 facts)."""
_POSTGRES_ESTIMATE = sa.text(
    "EXPLAIN (FORMAT JSON) SELECT 1 FROM fact WHERE fts_document @@ CAST(:query AS tsquery)"
)
_POSTGRES_FACTS = sa.text("SELECT reltuples FROM pg_class WHERE oid = CAST('fact' AS regclass)")
_POSTGRES_WALK = sa.text(
    "SELECT key FROM fact WHERE fts_document @@ CAST(:query AS tsquery)"
    " ORDER BY happened DESC NULLS LAST, id DESC LIMIT :limit"
)
_POSTGRES_COLLECT = sa.text(
    # OFFSET 0 keeps the planner from walking the recency index for the inner query.
    "SELECT key FROM ("
    " SELECT key, happened, id FROM fact WHERE fts_document @@ CAST(:query AS tsquery)"
    " OFFSET 0"
    ") AS matched ORDER BY happened DESC NULLS LAST, id DESC LIMIT :limit"
)

SQLITE: _Dialect = _Sqlite()
POSTGRESQL: _Dialect = _Postgres()

_NEAR = sa.text(
    "SELECT term FROM fact_fts_term WHERE term >= :low AND term < :high"
    " AND length(term) BETWEEN :shortest AND :longest LIMIT :most"
)


class FullTextSearch:
    """A `FactSearch` answered by a database's full-text index (see the module)."""

    def __init__(
        self, engine: Engine, dialect: _Dialect, *, lock: threading.Lock | None = None
    ) -> None:
        self.engine = engine
        self.dialect = dialect
        self._lock: AbstractContextManager[object] = lock if lock is not None else nullcontext()

    def search(self, query: str, limit: int) -> list[FactMatch]:
        """At most limit facts matching query, best first (see the module's ranking).

        Raises `StoreError` when the store cannot be searched.
        """
        if limit <= 0:
            return []
        try:
            with self._connection() as connection:
                return self._search(connection, query[:MAX_QUERY], limit)
        except SQLAlchemyError as error:
            reason = str(getattr(error, "orig", None) or error).strip()
            line = reason.splitlines()[0] if reason else type(error).__name__
            raise StoreError(f"could not search the facts: {line}") from error

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        with self._lock, self.engine.connect() as connection:
            self.dialect.prepare(connection)
            yield connection

    def _search(self, connection: Connection, query: str, limit: int) -> list[FactMatch]:
        typed = [word for word in self.dialect.words(connection, query) if len(word) <= MAX_WORD]
        typed = typed[:MAX_WORDS]
        if not typed:
            return []
        groups = self._groups(connection, typed)
        found: dict[str, bool] = {}
        if all(groups):
            for key in self._matching(connection, groups, every=True, limit=limit):
                found.setdefault(key, True)
        known = [group for group in groups if group]
        if len(groups) > 1 and known and len(found) < limit:
            for key in self._matching(connection, known, every=False, limit=limit + len(found)):
                found.setdefault(key, False)
        return [FactMatch(key, every) for key, every in list(found.items())[:limit]]

    def _groups(self, connection: Connection, typed: Sequence[str]) -> list[list[str]]:
        """For each word, the stored words that stand for it: itself and its Latin
        transliteration where stored, else the closest stored words (maybe none)."""
        choices = [list(dict.fromkeys(w for w in (word, _latin(word)) if w)) for word in typed]
        stored = self._present(connection, list(dict.fromkeys(w for ws in choices for w in ws)))
        groups = []
        for word, alternatives in zip(typed, choices, strict=True):
            kept = [term for term in alternatives if term in stored]
            if not kept and len(word) >= TYPO_MIN_LENGTH and not word.isdigit():
                kept = self._closest(connection, word)
            groups.append(kept)
        return groups

    def _present(self, connection: Connection, terms: Sequence[str]) -> set[str]:
        """Which of terms some fact's text holds."""
        if not terms:
            return set()
        columns = ", ".join(self.dialect.exists_sql(f"t{i}") for i in range(len(terms)))
        values = {f"t{i}": self.dialect.term_query(term) for i, term in enumerate(terms)}
        row = connection.execute(sa.text(f"SELECT {columns}"), values).one()
        return {term for term, stored in zip(terms, row, strict=True) if stored}

    def _closest(self, connection: Connection, word: str) -> list[str]:
        """The stored words closest to word, best first, as the module's typo rule says."""
        prefix = word[:TYPO_PREFIX]
        candidates = connection.execute(
            _NEAR,
            {
                "low": prefix,
                "high": prefix + "\U0010ffff",
                "shortest": len(word) - TYPO_LENGTH_SLACK,
                "longest": len(word) + TYPO_LENGTH_SLACK,
                "most": TYPO_CANDIDATES,
            },
        ).scalars()
        ranked = process.extract(
            word,
            list(dict.fromkeys(candidates)),
            scorer=fuzz.ratio,
            score_cutoff=TYPO_MIN_SCORE,
            limit=TYPO_CHOICES * 2,
        )
        close = [term for term, _, _ in ranked]
        stored = self._present(connection, close)
        return [term for term in close if term in stored][:TYPO_CHOICES]

    def _matching(
        self, connection: Connection, groups: Sequence[Sequence[str]], *, every: bool, limit: int
    ) -> list[str]:
        return self.dialect.matching(connection, self.dialect.all_of(groups, every=every), limit)


def for_store(engine: Engine) -> FullTextSearch:
    """The search the store's own full-text index answers, on the engine's database."""
    name = engine.dialect.name
    if name == "sqlite":
        return FullTextSearch(engine, SQLITE)
    if name == "postgresql":
        return FullTextSearch(engine, POSTGRESQL)
    raise StoreError(f"full-text search needs SQLite or PostgreSQL, not {name}")


def in_memory(facts: Iterable[tuple[str, str, str | None]]) -> FullTextSearch:
    """A search over facts given as (key, text, date), the date as files write it
    (``2023``, ``2023-12``, ``2023-12-31`` or None), in an in-memory SQLite database with
    an SQLite store's full-text tables and triggers."""
    engine = sa.create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE fact (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
            " text TEXT NOT NULL, happened DATE)"
        )
        rows = [(key, text, _day(date)) for key, text, date in facts]
        if rows:
            connection.exec_driver_sql(
                "INSERT INTO fact (key, text, happened) VALUES (?, ?, ?)", rows
            )
        for statement in (*SQLITE_TABLES, *SQLITE_FILL, *SQLITE_TRIGGERS):
            connection.exec_driver_sql(statement)
    return FullTextSearch(engine, SQLITE, lock=threading.Lock())


def _day(date: str | None) -> str | None:
    """The first day of a date written to its precision: ``2023-12`` → ``2023-12-01``."""
    if date is None:
        return None
    return date + "-01" * (2 - date.count("-"))


__all__ = [
    "MAX_WORDS",
    "POSTGRESQL",
    "SQLITE",
    "FactMatch",
    "FactSearch",
    "FullTextSearch",
    "fold_word",
    "for_store",
    "in_memory",
    "include_name",
    "words",
]
