"""Word lists the name and speaker rules read: titles, organisation words, speech verbs.

They describe English news prose in general, not any one article.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TITLE_WORDS = _words(
    """minister ministers president presidents ambassador ambassadors envoy envoys spokesman
    spokeswoman spokesperson secretary secretary-general chancellor king queen prince
    princess sheikh emir senator sen. rep. representative governor mayor chairman
    chairwoman chair director director-general chief commander gen. general lt. col.
    colonel admiral adm. judge justice pope cardinal archbishop bishop rabbi imam dr. mr.
    mrs. ms. prof. professor adviser advisor counsellor councillor commissioner premier
    speaker leader lord sir dame deputy vice acting former foreign defence defense finance
    interior trade economy energy health culture prime state national security special
    high crown supreme consul diplomat negotiator lawmaker mp minister-president
    president-elect head officer official spokespeople ceo executive founder counterpart
    mr mrs ms dr sen rep gen prof"""
)
"""Words of a person's title ("Foreign Minister", "Chinese Ambassador", "Mr.")."""

PORTFOLIO_WORDS = _words(
    """affairs relations development cooperation co-operation commerce industry justice
    environment education transport agriculture fisheries integration planning"""
)
"""Words that end a portfolio in a title ("Minister for Europe and Foreign Affairs",
"Commissioner for International Development"), never the first word of the name after it."""

HONORIFICS = _words("mr mr. mrs mrs. ms ms. dr dr. prof. sir dame")

ROLE_NOUNS = _words(
    """minister ambassador envoy spokesman spokeswoman spokesperson secretary president
    chancellor official diplomat lawmaker senator governor mayor chairman chairwoman chair
    director chief head leader adviser advisor commander negotiator premier representative
    deputy member analyst professor researcher founder executive king queen prince general
    counterpart
    consul counsellor commissioner officer judge speaker emir sheikh"""
)
"""Nouns that say a phrase in apposition describes a person's role."""

ORG_ROLE_NOUNS = _words(
    """agency watchdog body organisation organization group alliance bloc party ministry
    union council committee commission bank company firm institute broadcaster newspaper
    network coalition movement authority court"""
)
"""Nouns that say a phrase in apposition describes an organisation."""

ORG_WORDS = _words(
    """ministry ministries agency agencies council party union organization organisation
    committee commission bank office department institute institution association
    federation fund group corporation corp company co inc ltd llc plc forces army navy
    parliament assembly congress senate court university foundation news press times
    post service services authority bureau coalition alliance front movement league
    secretariat cabinet government administration police guard corps network center
    centre board tribunal programme program reserve exchange airlines airways council
    society church brigade brigades command embassy consulate mission delegation
    television radio broadcasting telegraph herald journal tribune gazette"""
)
"""Words that make a capitalised name an organisation ("Ministry of …", "… Party")."""

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|declared|declares|announced|"
    "announces|warned|warns|stressed|stresses|emphasized|emphasised|emphasizes|"
    "emphasises|noted|notes|insisted|insists|argued|argues|claimed|claims|urged|urges|"
    "asserted|asserts|explained|explains|wrote|writes|tweeted|posted|remarked|replied|"
    "responded|commented|acknowledged|acknowledges|confirmed|confirms|denied|denies|"
    "accused|accuses|reiterated|reiterates|highlighted|highlights|underlined|underscored|"
    "vowed|vows|pledged|pledges|promised|promises|threatened|threatens|cautioned|"
    "suggested|suggests|predicted|recalled|complained|admitted|admits|maintained|"
    "maintains|contended|countered|observed|asked|asks|called|calls|questioned|"
    "welcomed|welcomes|condemned|condemns|criticized|criticised|criticizes|criticises|"
    "demanded|demands|proposed|proposes|expressed|expresses|reported|reports|"
    "indicated|indicates|discussed|discusses|described|describes|pointed|hinted|"
    "rejected|rejects|dismissed|dismisses"
)
SPEECH = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
"""A verb of saying, as attribution uses it."""

SPEECH_TYPES = {
    "accused": "accuse",
    "accuses": "accuse",
    "threatened": "threaten",
    "threatens": "threaten",
    "urged": "request",
    "urges": "request",
    "demanded": "request",
    "demands": "request",
}
"""Speech verbs that say more than "statement", when they are the attribution."""

STOP_STARTS = _words(
    """the a an in on at but and as after before he she it they we i you this that these
    those his her its their our my your if when while since for from with without by
    during under over despite following last next both some many most all such other one
    two three several any no not yet still also then there here where what who why how
    asked speaking according earlier later meanwhile however instead besides although
    though because so thus officials sources analysts critics experts residents it's
    among about against between into through until unless upon whether which whose
    another each every either neither only even just now today yesterday tomorrow
    mr mrs ms dr"""
)
"""Capitalised only because they start a sentence: never the first word of a name."""

MONTHS = _words(
    """january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec"""
)
WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")

CONNECTORS = _words("of for the and de da di del van von der den bin ibn al el la le du")
"""Lower-case words allowed inside a name ("Ministry of Foreign Affairs", "Ursula von der
Leyen")."""

PRONOUNS = {"he": "person", "she": "person", "it": "organization"}
