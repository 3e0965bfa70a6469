"""Full-text search over fact text: SQLite FTS5, or a tsvector with a GIN index on PostgreSQL.

`!search` at a million facts cannot scan every text in Python; the store's own
full-text index answers it (bot/store/fulltext.py). What this adds, on each engine:

SQLite
  fact_fts                 contentless FTS5 index of fact text; rowid = day number of
                           fact.happened (0 when undated) * 2**32 + fact.id, so the index's
                           rowid order is "most recent first"
  fact_fts_term            every word ever indexed, for typo candidates by range scan
  fact_fts_scratch(_terms) where a trigger tokenizes one text to learn its words
  triggers fact_fts_insert / fact_fts_update / fact_fts_delete on fact

PostgreSQL
  fact_fts_fold(text)      the same case and accent folding as SQLite's unicode61
                           tokenizer (remove_diacritics 2), plus ё → е, as translate()
  fact.fts_document        tsvector GENERATED ALWAYS AS (to_tsvector('simple',
                           fact_fts_fold(text))) STORED, with GIN index ix_fact_fts_document
  ix_fact_fts_recency      (happened DESC NULLS LAST, id DESC): a very common word is
                           answered by walking this index until enough facts match
  fact_fts_term            every word ever indexed (COLLATE "C", for range scans), kept by
                           statement-level triggers fact_fts_terms_insert / _update

Both fill the index from the facts already stored. The models do not describe these
objects; `bot.store.fulltext_schema.include_name` leaves them out of schema comparisons.

A later migration that rebuilds the fact table on SQLite (a batch "move and copy")
drops the triggers with it and must create them again.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# SQLite.

_TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"


def _position(row: str) -> str:
    return f"coalesce(CAST(julianday({row}.happened) AS INTEGER), 0) * 4294967296 + {row}.id"


def _document(row: str) -> str:
    return f"replace(replace({row}.text, 'ё', 'е'), 'Ё', 'Е')"


def _remember_terms(row: str) -> str:
    return (
        f"INSERT INTO fact_fts_scratch (rowid, text) VALUES (1, {_document(row)});\n"
        "    INSERT OR IGNORE INTO fact_fts_term (term) SELECT term FROM fact_fts_scratch_terms;\n"
        "    INSERT INTO fact_fts_scratch (fact_fts_scratch) VALUES ('delete-all');"
    )


SQLITE_UPGRADE = (
    f"CREATE VIRTUAL TABLE fact_fts USING fts5(text, content='', columnsize=0, "
    f'tokenize="{_TOKENIZER}")',
    "CREATE TABLE fact_fts_term (term TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID",
    f"CREATE VIRTUAL TABLE fact_fts_scratch USING fts5(text, content='', columnsize=0, "
    f'detail=none, tokenize="{_TOKENIZER}")',
    "CREATE VIRTUAL TABLE fact_fts_scratch_terms USING fts5vocab(fact_fts_scratch, 'row')",
    f"INSERT INTO fact_fts (rowid, text) SELECT {_position('fact')}, {_document('fact')} FROM fact",
    "CREATE VIRTUAL TABLE temp.fact_fts_vocab USING fts5vocab(main, fact_fts, 'row')",
    "INSERT INTO fact_fts_term (term) SELECT term FROM temp.fact_fts_vocab",
    "DROP TABLE temp.fact_fts_vocab",
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

SQLITE_DOWNGRADE = (
    "DROP TRIGGER fact_fts_delete",
    "DROP TRIGGER fact_fts_update",
    "DROP TRIGGER fact_fts_insert",
    "DROP TABLE fact_fts_scratch_terms",
    "DROP TABLE fact_fts_scratch",
    "DROP TABLE fact_fts_term",
    "DROP TABLE fact_fts",
)

# PostgreSQL.

# What SQLite's unicode61 tokenizer (remove_diacritics 2) folds each Latin, Greek and
# Cyrillic letter to where it changes it, plus ё → е (read from SQLite 3.40). Capitals
# are in the table too, so the folding does not depend on the database's locale.
_FOLD_FROM = (
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
_FOLD_TO = (
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

POSTGRESQL_UPGRADE = (
    "CREATE FUNCTION fact_fts_fold(text) RETURNS text"
    " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
    f" AS $$ SELECT translate($1, '{_FOLD_FROM}', '{_FOLD_TO}') $$",
    "ALTER TABLE fact ADD COLUMN fts_document tsvector GENERATED ALWAYS AS"
    " (to_tsvector('simple'::regconfig, fact_fts_fold(text))) STORED",
    "CREATE INDEX ix_fact_fts_document ON fact USING gin (fts_document)",
    "CREATE INDEX ix_fact_fts_recency ON fact (happened DESC NULLS LAST, id DESC)",
    'CREATE TABLE fact_fts_term (term text COLLATE "C" NOT NULL)',
    "CREATE INDEX ix_fact_fts_term ON fact_fts_term (term)",
    "INSERT INTO fact_fts_term (term)"
    " SELECT DISTINCT lexeme FROM fact, unnest(tsvector_to_array(fts_document)) AS lexeme",
    # New words only, without a unique constraint: writers adding the same new word at
    # once may both add it (harmless) rather than wait on or deadlock with each other.
    """CREATE FUNCTION fact_fts_remember_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO fact_fts_term (term)
    SELECT DISTINCT lexeme
    FROM fact_fts_changed, unnest(tsvector_to_array(fact_fts_changed.fts_document)) AS lexeme
    WHERE NOT EXISTS (SELECT 1 FROM fact_fts_term AS known WHERE known.term = lexeme);
    RETURN NULL;
END
$$""",
    "CREATE TRIGGER fact_fts_terms_insert AFTER INSERT ON fact"
    " REFERENCING NEW TABLE AS fact_fts_changed FOR EACH STATEMENT"
    " EXECUTE FUNCTION fact_fts_remember_terms()",
    "CREATE TRIGGER fact_fts_terms_update AFTER UPDATE ON fact"
    " REFERENCING NEW TABLE AS fact_fts_changed FOR EACH STATEMENT"
    " EXECUTE FUNCTION fact_fts_remember_terms()",
)

POSTGRESQL_DOWNGRADE = (
    "DROP TRIGGER fact_fts_terms_update ON fact",
    "DROP TRIGGER fact_fts_terms_insert ON fact",
    "DROP FUNCTION fact_fts_remember_terms()",
    "DROP TABLE fact_fts_term",
    "DROP INDEX ix_fact_fts_recency",
    "DROP INDEX ix_fact_fts_document",
    "ALTER TABLE fact DROP COLUMN fts_document",
    "DROP FUNCTION fact_fts_fold(text)",
)


def _run(statements: tuple[str, ...]) -> None:
    connection = op.get_bind()
    for statement in statements:
        connection.exec_driver_sql(statement)


def _engine() -> str:
    name = op.get_bind().dialect.name
    if name not in ("sqlite", "postgresql"):
        raise NotImplementedError(
            f"full-text search is built for SQLite and PostgreSQL, not {name}"
        )
    return name


def upgrade() -> None:
    _run(SQLITE_UPGRADE if _engine() == "sqlite" else POSTGRESQL_UPGRADE)


def downgrade() -> None:
    _run(SQLITE_DOWNGRADE if _engine() == "sqlite" else POSTGRESQL_DOWNGRADE)
