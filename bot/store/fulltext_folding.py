"""Words as the full-text index keeps them: split and folded the way SQLite's
``unicode61 remove_diacritics 2`` tokenizer does (plus ё as е), and transliterated to
Latin for words of other scripts."""

from __future__ import annotations

import unicodedata

from anyascii import anyascii

MAX_WORD = 100
"""Longer words are ignored: no word is that long, and PostgreSQL refuses some."""

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


def latin(word: str) -> str | None:
    """word's Latin transliteration when it is another script's and makes one word."""
    if word.isascii():
        return None
    latin = anyascii(word).lower()
    return latin if 0 < len(latin) <= MAX_WORD and set(latin) <= _ASCII_WORD else None


__all__ = ["FOLD_FROM", "FOLD_TO", "MAX_WORD", "fold_word", "latin", "words"]
