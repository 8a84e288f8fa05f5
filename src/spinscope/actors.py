"""Actors: named-entity mentions grouped into entities, pronouns and metonyms, and mention features.

Pure functions over text and spans, shared by the actors component (run time) and by the portrayal and
role trainers, so that a head sees the same features in training as in use.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

import numpy as np

from .document import Entity, Label
from .encoder import Encoded
from .heads import KernelHead, LinearHead, load_head

# spaCy NER label -> our kind. FAC/LOC are kept only when the metonym table knows them.
KINDS: dict[str, str] = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "NORP": "group"}

# Canonical names of countries and blocs, keyed by normalised alias; a GPE with one of these is a country.
_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "United States": ("us", "u s", "usa", "u s a", "united states", "united states of america", "america"),
    "United Kingdom": ("uk", "u k", "britain", "great britain", "united kingdom"),
    "Russia": ("russia", "russian federation"),
    "China": ("china", "prc", "people s republic of china"),
    "Ukraine": ("ukraine",),
    "Germany": ("germany",),
    "France": ("france",),
    "Italy": ("italy",),
    "Spain": ("spain",),
    "Poland": ("poland",),
    "Hungary": ("hungary",),
    "Turkey": ("turkey", "turkiye", "türkiye"),
    "Iran": ("iran",),
    "Israel": ("israel",),
    "India": ("india",),
    "Japan": ("japan",),
    "North Korea": ("north korea", "dprk"),
    "South Korea": ("south korea",),
    "Canada": ("canada",),
    "Australia": ("australia",),
    "Brazil": ("brazil",),
    "Mexico": ("mexico",),
    "Belarus": ("belarus",),
    "Syria": ("syria",),
    "Saudi Arabia": ("saudi arabia",),
    "European Union": ("eu", "e u", "european union"),
}
COUNTRIES: dict[str, str] = {alias: name for name, aliases in _COUNTRY_ALIASES.items() for alias in aliases}
# The table the kind head's country cue was trained with (``spinscope train actors``); the table itself
# grows below with every other country, which the cue keeps out of until the head is trained again.
_CUE_COUNTRIES = frozenset(COUNTRIES)
# Regions that act in news as political actors ("Europe has done enough"); NER calls them LOC.
REGIONS: dict[str, str] = {"europe": "Europe", "west": "the West", "the west": "the West", "africa": "Africa", "asia": "Asia"}
# A nationality adjective before a common noun stands for its country ("Russian strikes" -> Russia).
DEMONYMS: dict[str, str] = {
    "russian": "Russia", "ukrainian": "Ukraine", "chinese": "China", "american": "United States",
    "british": "United Kingdom", "german": "Germany", "french": "France", "israeli": "Israel",
    "iranian": "Iran", "turkish": "Turkey", "polish": "Poland", "hungarian": "Hungary", "indian": "India",
    "japanese": "Japan", "north korean": "North Korea", "syrian": "Syria", "belarusian": "Belarus",
    # Regions act the same way ("Western countries", "European leaders"): the REGIONS' actors.
    "western": "the West", "european": "Europe",
}  # fmt: skip
# Web-page interface labels copied with an article's text ("Email *", "Privacy Policy"): never actors.
# The kind head read "Email" in a form's "Email *" as a person in 69 of the 446 English SemEval-2023
# train articles, and "Privacy Policy" as an organisation in 113.
INTERFACE_LABELS = frozenset({
    "email", "email this", "e mail", "privacy policy", "privacy notice", "cookie policy", "cookies",
    "terms of service", "terms of use", "terms and conditions", "newsletter", "subscribe", "sign up",
    "log in", "login", "comments", "related articles", "read more", "advertisement",
})  # fmt: skip
# A US lawmaker's party and state after the name ("Rep. Matt Gaetz, R-Fla.", "D-CA", "D-N.Y."): about 60
# in the English train pages of both SemEval tasks, each of which had become an actor (a place).
PARTY_AND_STATE = re.compile(r"^[RDI]-[A-Z][A-Za-z.]{0,5}$")
# Things and ideas written like names, which the kind head took for organisations in the English train
# pages of both SemEval tasks ("EV" 8 times, "GDP", "ESG", "Covid", "LGBT", "DUI", "They"): never actors.
NOT_ACTORS = frozenset({
    "ev", "evs", "suv", "suvs", "gdp", "esg", "covid", "covid 19", "coronavirus", "lgbt", "lgbtq", "dui", "pv",
    "gps", "iso", "pdf", "tv", "lng", "llc", "co2", "ai", "gmo", "gmos", "dna", "hiv", "aids", "nft", "nfts",
    "edt", "est", "gmt", "utc", "pst", "he", "she", "they", "we", "it", "i",
    # Scriptures, rites and laws, which the head also took for organisations ("Gospel" 9, "Sharia" 7).
    "gospel", "gospels", "eucharist", "communion", "quran", "koran", "bible", "scripture", "sharia", "shariah",
    "constitution",
})  # fmt: skip
# A name right before one of these is a weapon ("Leopard tanks", "Taurus missiles", "Patriot
# batteries"), not an actor: the kind head, trained on spaCy's labels, read them as people. Not for
# countries, blocs and nationalities ("Russian tanks", "NATO jets" stay Russia's and NATO's), nor for
# "fighters", which are people ("Wagner fighters").
WEAPON_AFTER = re.compile(
    r"[\s-]+(?:(?:air[\s-]defen[cs]e|anti[\s-]tank|cruise|ballistic|hypersonic|battle|main[\s-]battle|fighter|"
    r"attack|combat|kamikaze|suicide)\s+)?(?:missiles?|rockets?|tanks?|drones?|jets?|launchers?|howitzers?|"
    r"interceptors?|batter(?:y|ies)|systems?|helicopters?|warships?|frigates?|submarines?|"
    r"rifles?|munitions|shells|bombers?)\b"
)
# Organisations known by their initials, so "NATO" and "the North Atlantic Treaty Organization" meet.
_ORG_ALIASES: dict[str, str] = {
    "nato": "NATO",
    "north atlantic treaty organization": "NATO",
    "north atlantic treaty organisation": "NATO",
    "un": "United Nations",
    "u n": "United Nations",
    "united nations": "United Nations",
    "who": "World Health Organization",
    "world health organization": "World Health Organization",
    "imf": "International Monetary Fund",
    "international monetary fund": "International Monetary Fund",
    # Platforms: "said on Twitter" made the kind head call Twitter a person in 32 of the 446 English
    # SemEval-2023 train articles.
    "twitter": "Twitter",
    "facebook": "Facebook",
    "youtube": "YouTube",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "telegram": "Telegram",
}
# News agencies and broadcasters, which the kind head read as people or places in their datelines
# ("BERLIN, July 14 (Xinhua) --": Xinhua a person in 3 and a place in 3 SemEval-2025 train docs).
# The kind head's cue reads the table as it was trained (``_CUE_ORGS``); these join the table after it.
_CUE_ORGS = frozenset(_ORG_ALIASES)
_ORG_ALIASES.update({
    "xinhua": "Xinhua",
    "tass": "TASS",
    "ria novosti": "RIA Novosti",
    "sputnik": "Sputnik",
    "interfax": "Interfax",
    "ukrinform": "Ukrinform",
    "unian": "UNIAN",
    "anadolu": "Anadolu",
    "anadolu agency": "Anadolu",
    "al jazeera": "Al Jazeera",
    "afp": "AFP",
    "agence france presse": "AFP",
    "associated press": "Associated Press",
    "yonhap": "Yonhap",
    "kyodo": "Kyodo",
})

# Metonyms: a place or building that stands for a government. Linked (attrs.refers_to), not merged.
METONYMS: dict[str, str] = {
    "Downing Street": "UK government",
    "Number 10": "UK government",
    "No 10": "UK government",
    "Whitehall": "UK government",
    "Westminster": "UK Parliament",
    "White House": "US government",
    "Washington": "US government",
    "Capitol Hill": "US Congress",
    "Pentagon": "US Department of Defense",
    "Kremlin": "Russia's government",
    "Moscow": "Russia's government",
    "Beijing": "China's government",
    "Zhongnanhai": "China's government",
    "Kyiv": "Ukraine's government",
    "Kiev": "Ukraine's government",
    "Brussels": "European Union institutions",
    "Berlin": "Germany's government",
    "Élysée": "France's government",
    "Elysee": "France's government",
    "Paris": "France's government",
    "Tehran": "Iran's government",
    "Pyongyang": "North Korea's government",
    "Ankara": "Turkey's government",
    "Tokyo": "Japan's government",
    "New Delhi": "India's government",
    "Warsaw": "Poland's government",
    "Budapest": "Hungary's government",
    "Minsk": "Belarus's government",
}
# Names that only ever occur as metonyms get a span of their own even when NER misses them.
_METONYM_PATTERN = re.compile(r"\b(?:Downing Street|Number 10|Whitehall|White House|Kremlin|Pentagon|Élysée|Zhongnanhai)\b")
_METONYM_KEYS = {unicodedata.normalize("NFKC", k).casefold(): v for k, v in METONYMS.items()}
# Seats of government named for their building always mean the government ("the Kremlin line").
_BUILDINGS = frozenset({"Downing Street", "Number 10", "No 10", "Whitehall", "Westminster", "White House",
                        "Capitol Hill", "Pentagon", "Kremlin", "Zhongnanhai", "Élysée", "Elysee"})  # fmt: skip
# A capital used as a modifier still means the government before these ("the Moscow regime").
_GOVERNMENT_NOUNS = frozenset(
    "regime regimes government governments leadership leaders authorities administration elite elites "
    "officials establishment line propaganda".split()
)
_MODIFIED_NOUN = re.compile(r"[ \u00a0]+([a-z]+)\b")
# A place named right after one of these is a place, not a government ("talks in Beijing").
_LOCATIVE = frozenset("in at to from into near via across around outside inside toward towards through".split())

# Words before a name that say who it is, dropped from grouping keys ("German Chancellor Olaf Scholz").
_TITLES = frozenset(
    """mr mrs ms miss dr prof sir dame lord lady president vice chancellor prime minister premier
    secretary senator sen rep representative governor gov mayor king queen prince princess pope general
    gen colonel col commander chief judge justice ambassador minister foreign defence defense finance
    interior state deputy former late leader chairman chairwoman chair ceo founder spokesman spokeswoman
    spokesperson speaker opposition party head director the envoy adviser advisor mp mep congressman
    congresswoman""".split()
)
_MALE = frozenset("mr sir lord king prince".split())
_FEMALE = frozenset("mrs ms miss dame lady queen princess".split())
_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lord|Lady|King|Queen|Prince|Princess)\.?\s+$")
# A job title right before a name says the name is a person's ("Chancellor Olaf Scholz").
_PERSON_TITLE = re.compile(
    r"\b(?:President|Chancellor|Minister|Secretary|Senator|Sen|Rep|Governor|Gov|Mayor|Pope|General|Gen|Judge|"
    r"Justice|Ambassador|Premier|CEO|Dr|Prof|Professor|Spokesman|Spokeswoman|Spokesperson|Commissioner|Colonel|"
    r"Chairman|Chairwoman|Leader|Speaker|leader|president|chancellor|minister|secretary|senator|governor|mayor|spokesman|"
    r"spokeswoman|spokesperson|commissioner|chief|ambassador|MP|MEP|Congressman|Congresswoman)\.?\s+$"
)
_POSSESSIVE = re.compile(r"(?:['’‘`´]\s?[sS]?)$")
_INNER_POSSESSIVE = re.compile(r"['’][sS]\s+[a-z]")
_PRONOUN = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)
_PRONOUN_GENDER = {p: "m" for p in ("he", "him", "his", "himself")} | {p: "f" for p in ("she", "her", "hers", "herself")}
_UPPER = re.compile(r"[^\W\d_a-zß-ÿ]")
_LOWER = re.compile(r"[a-zß-ÿ]")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


# --- names ----------------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """A name reduced for comparison: NFKC, no diacritics or invisible characters, casefolded, words only."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).translate(_INVISIBLE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.findall(r"[^\W_]+", text))


# Territories that are no country (Antarctica, the EU and eurozone, the UN, CLDR's placeholders, Diego
# Garcia, which is also a name) or whose English name is mostly something else in news: "Georgia" the
# US state, "Jordan" and "Chad" people, "Jersey" New Jersey. The kind head decides those as before.
_NOT_COUNTRIES = frozenset({"AQ", "EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "DG", "GE", "JO", "TD", "JE"})
# CLDR's names that news writes otherwise, and the other names news uses.
_CLDR_NAMES = {"CD": "DR Congo", "CG": "Republic of the Congo", "MM": "Myanmar", "HK": "Hong Kong", "MO": "Macao",
               "PS": "Palestine", "CI": "Ivory Coast"}  # fmt: skip
_CLDR_ALIASES = {"Czechia": ("czech republic",), "Myanmar": ("burma",), "Palestine": ("palestinian territories",),
                 "Ivory Coast": ("cote d ivoire",), "Timor-Leste": ("east timor",), "Eswatini": ("swaziland",),
                 "DR Congo": ("democratic republic of the congo", "drc"), "North Macedonia": ("macedonia",)}  # fmt: skip


def _cldr_countries() -> dict[str, tuple[str, ...]]:
    """Every other country by its English name in the Unicode CLDR (Babel), with the aliases above.

    The hand table above held 27 countries, so "Finland", "Moldova" or "Pakistan" were places, and
    "President of Finland" no actor at all.
    """
    from babel import Locale

    known = set(COUNTRIES)
    out: dict[str, tuple[str, ...]] = {}
    for code, name in Locale("en").territories.items():
        if len(code) != 2 or not code.isalpha() or code in _NOT_COUNTRIES:
            continue
        name = _CLDR_NAMES.get(code, name.replace(" & ", " and "))
        aliases = tuple(a for a in dict.fromkeys((fold(name), *_CLDR_ALIASES.get(name, ()))) if a not in known)
        if aliases and fold(name) not in known:
            out[name] = aliases
    return out


_COUNTRY_ALIASES.update(_cldr_countries())
COUNTRIES.update({alias: name for name, aliases in _COUNTRY_ALIASES.items() for alias in aliases})


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A mention span without a leading "the", trailing possessive or punctuation, or surrounding space."""
    s, e = start, end
    while s < e and not (text[s].isalnum()):
        s += 1
    m = re.match(r"(?:the|The|THE)\s+", text[s:e])
    if m and e - s > m.end():
        s += m.end()
    piece = text[s:e]
    p = _POSSESSIVE.search(piece)
    if p and p.start() > 0:
        e = s + p.start()
    while e > s and not (text[e - 1].isalnum() or text[e - 1] in ".)"):
        e -= 1
    # "U.S." keeps its final stop; "Scholz." does not.
    if e > s and text[e - 1] == "." and not re.search(r"(?:\b\w\.){2,}$", text[s:e]):
        e -= 1
    return s, e


def name_words(name: str) -> list[str]:
    """The folded words of a name without leading titles ("German Chancellor Olaf Scholz" -> olaf, scholz)."""
    return list(_name_words(name))


# Titles that lead a name but are not in _TITLES (which also steers how candidates are cut): left out of
# the grouping key only, so "VP Frans Timmermans" and "Commissioner Johannes Hahn" key as the names
# after them and their surnames stay unambiguous.
_KEY_TITLES = _TITLES | {"commissioner", "vp"}
_PORTFOLIOS = frozenset(("budget",))  # with _MODIFIERS: "Budget Commissioner Johannes Hahn"


@lru_cache(maxsize=1 << 16)
def _name_words(name: str) -> tuple[str, ...]:
    words = fold(name).split()
    while len(words) > 1 and (
        words[0] in _KEY_TITLES
        or _before_office(words)
        or (len(words) > 2 and (words[0] in _MODIFIERS or words[0] in _PORTFOLIOS) and words[1] in _KEY_TITLES)
    ):
        words = words[1:]
    # A middle initial does not tell two names apart: "Donald J. Trump" is "Donald Trump".
    return tuple(w for k, w in enumerate(words) if not (0 < k < len(words) - 1 and len(w) == 1))


def _before_office(words: list[str]) -> bool:
    """Whether ``words`` start with a nationality that qualifies an office ("German Chancellor …").

    Before anything else a nationality is part of the name: the Russian and the Ukrainian Defence
    Ministry are two actors.
    """
    k = 1
    while k < len(words) and words[k] in _MODIFIERS:
        k += 1
    return words[0] in NATIONALITIES and k < len(words) and words[k] in _JOB_TITLES


def _is_demonym(word: str) -> bool:
    # "german", "russian", "british", "french": a nationality adjective before a title or name. A
    # suffix test: it also passes first names ("Friedrich", "Sergei", "Julian"), so the candidate
    # rules that drop words before a name use the list below instead; this stays the kind head's cue.
    return word.endswith(("an", "ish", "ese", "ch", "i")) and word not in {"ivan", "joan", "dan", "jan", "li", "xi"} and len(word) > 4


# Nationality and regional adjectives that stand before an office and a name ("Russian Foreign Minister
# Sergei Lavrov"): a list, since the suffix test above cannot tell "Sergei" from "Israeli".
NATIONALITIES = frozenset(
    """afghan albanian algerian american argentine argentinian armenian australian austrian azerbaijani
    azeri belarusian belgian bolivian bosnian brazilian british bulgarian cambodian canadian chilean
    chinese colombian croatian cuban cypriot czech danish dutch egyptian emirati english estonian
    ethiopian european filipino finnish french georgian german ghanaian greek hungarian icelandic indian
    indonesian iranian iraqi irish israeli italian japanese jordanian kazakh kenyan korean kosovar
    kurdish kuwaiti kyrgyz latvian lebanese libyan lithuanian luxembourgish macedonian malaysian maltese
    mexican moldovan mongolian montenegrin moroccan nigerian norwegian pakistani palestinian peruvian
    polish portuguese qatari romanian russian rwandan saudi scottish serbian singaporean slovak slovakian
    slovenian somali spanish sudanese swedish swiss syrian taiwanese tajik thai tunisian turkish turkmen
    ugandan ukrainian uzbek venezuelan vietnamese welsh yemeni zimbabwean soviet western eastern
    northern southern""".split()
)


def is_plural_group(surface: str) -> bool:
    """Whether a nationality or group name is a plural noun ("Ukrainians", "Democrats"), not an adjective
    ("Ukrainian", "Swiss", "Chinese"): one capitalised word ending in "s" that is not a nationality itself."""
    word = fold(surface)
    return re.fullmatch(r"[^\W\d_]{3,}s", word) is not None and word not in NATIONALITIES


def canonical(name: str) -> str | None:
    """The canonical name of a country, bloc, region or well-known organisation, if a table knows it."""
    folded = fold(name)
    key = folded if folded in COUNTRIES or folded in _ORG_ALIASES or folded in REGIONS else " ".join(name_words(name))
    return COUNTRIES.get(key) or _ORG_ALIASES.get(key) or REGIONS.get(key)


def acronym(words: list[str]) -> str:
    """Initials of a multi-word name, skipping small words ("european union" -> "eu")."""
    return "".join(w[0] for w in words if w not in {"of", "the", "and", "for", "de", "du"}) if len(words) > 1 else ""


def display_name(surfaces: Sequence[str], fixed: str | None = None) -> str:
    """The name to show: ``fixed`` (the table's name, or one the grouping chose), else the longest
    mention not in capitals (else title-cased)."""
    if fixed:
        return fixed
    cleaned = [" ".join(s.split()) for s in surfaces if s.strip()]
    mixed = [s for s in cleaned if not (s.isupper() and len(s) > 4)]
    pool = mixed or [s.title() for s in cleaned]
    counts = Counter(pool)
    return max(pool, key=lambda s: (len(name_words(s)), counts[s], len(s)))


# --- grouping -------------------------------------------------------------------------------------------


@dataclass
class RawMention:
    """One named mention found by NER (or the metonym table), before grouping."""

    start: int
    end: int
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, NORP, FAC, LOC
    honorific: str | None = None  # "mr", "mrs" … right before the name ("title" for a job title)
    stands_for: str | None = None  # the country a nationality adjective stands for ("Russian" -> Russia)
    title: str | None = None  # a person named by office only ("the foreign minister"): that office, folded


@dataclass
class Group:
    """An entity being built: its named mentions, pronoun mentions and what the text says about it."""

    mentions: list[RawMention] = field(default_factory=list)
    pronouns: list[tuple[int, int]] = field(default_factory=list)
    canonical: str | None = None
    shown_as: str | None = None  # the name to show where its mentions would pick another ("Houthis", not "Houthi")

    @property
    def words(self) -> tuple[str, ...]:
        """The folded words of its fullest name."""
        return max((_name_words(m.text) for m in self.mentions), key=len)

    @property
    def kind(self) -> str:
        """person, organisation, country, place or group, by what its mentions and the tables say."""
        if self.canonical in _COUNTRY_ALIASES and self.canonical != "European Union":
            return "country"
        if self.canonical in REGIONS.values():
            return "place"
        if self.canonical:
            return "organisation"
        if any(m.honorific for m in self.mentions):
            return "person"
        if metonym_of(self.mentions[0].text):
            return "organisation" if all(m.label in ("ORG", "FAC") for m in self.mentions) else "place"
        votes = Counter(m.label for m in self.mentions if m.label in KINDS)
        if not votes:
            return "organisation"
        # spaCy's small model often calls a person's surname alone an ORG or GPE; a multi-word
        # PERSON mention settles it.
        if votes.get("PERSON") and any(m.label == "PERSON" and len(name_words(m.text)) > 1 for m in self.mentions):
            return "person"
        return KINDS[votes.most_common(1)[0][0]]

    @property
    def office_only(self) -> bool:
        """Named by office alone in this text ("the foreign minister"): no name to cast in a role."""
        return all(m.title for m in self.mentions)

    @property
    def gender(self) -> str | None:
        """m or f when an honorific says so, else None."""
        for m in self.mentions:
            if m.honorific in _MALE:
                return "m"
            if m.honorific in _FEMALE:
                return "f"
        return None


def metonym_of(text: str) -> str | None:
    """What a metonym stands for ("Downing Street" -> "UK government"), or None."""
    return _METONYM_KEYS.get(" ".join(unicodedata.normalize("NFKC", text).casefold().split()))


# Lowercase particles a surname can start with ("von der Leyen", "van Rompuy", "bin Salman").
_PARTICLES = frozenset("von van de der den da di du del della la le al el bin ibn ter ten".split())
_TRANSLITERATED_ENDING = re.compile(r"(?<=\w\w)(?:yy|iy|yi)$")


def group_mentions(mentions: list[RawMention]) -> list[Group]:
    """Group mentions that name the same actor: full names with surnames, aliases, acronyms, case and possessives.

    Multi-word names are placed first so that a lone surname ("Scholz") joins the full name
    ("Olaf Scholz") wherever in the text either occurs; a surname shared by two people is left alone.
    """
    groups: list[Group] = []
    by_key: dict[str, Group] = {}
    order = sorted(range(len(mentions)), key=lambda i: (-len(name_words(mentions[i].text)), mentions[i].start))
    pending: list[RawMention] = []
    for i in order:
        m = mentions[i]
        # An office is its own key ("foreign minister" and "defence minister" are two people).
        words = m.title.split() if m.title else name_words(m.text)
        if not words:
            continue
        key = _spelling_key(words)
        canon = m.stands_for or canonical(m.text)
        target = by_key.get(f"canon:{canon}") if canon else None
        target = target or by_key.get(key)
        # (Two multi-word names are never joined by their initials: "Donald Tusk" is not "Donald
        # Trump". An acronym joins its full name below, as a one-word mention.)
        if target is None and len(words) == 1 and not m.title:
            pending.append(m)
            continue
        if target is None and not m.title and words[0] in _PARTICLES:
            # A surname that starts with a particle ("Ms von der Leyen"): the one person whose full name
            # ends with it. Longer names come first, so the full name is already a group.
            ends = [g for g in groups if g.kind == "person" and len(g.words) > len(words) and g.words[-len(words) :] == tuple(words)]
            target = ends[0] if len(ends) == 1 else None
        if target is None:
            target = Group(canonical=canon)
            groups.append(target)
        _add(by_key, target, m, words, canon)
    # Only one-word mentions join from here on, so each group's fullest name is fixed now.
    # Indexed by last word, first word and acronym: scanning every group per mention was quadratic.
    by_last: dict[str, list[Group]] = {}
    by_first: dict[str, list[Group]] = {}
    by_acronym: dict[str, Group] = {}
    for g in groups:
        w = g.words
        # Only a person's name is cut to its surname or first name: "Washington" is not the Washington Post.
        if len(w) > 1 and g.kind == "person":
            by_last.setdefault(_variant(w[-1]), []).append(g)
            by_first.setdefault(_variant(w[0]), []).append(g)
        by_acronym.setdefault(acronym(list(w)), g)
    for m in pending:
        words = name_words(m.text)
        key = _variant(words[0])
        canon = m.stands_for or canonical(m.text)
        target = by_key.get(f"canon:{canon}") if canon else None
        target = target or by_key.get(key)
        if target is None and not m.stands_for:
            # A surname (or, failing that, a first name) of exactly one multi-word person. Not a
            # nationality standing for its country: "Russian" is not the "Russian Defence Ministry".
            last = [g for g in by_last.get(key, ()) if not g.canonical]
            first = [g for g in by_first.get(key, ()) if not g.canonical]
            matches = last or first
            target = matches[0] if len(matches) == 1 else None
        if target is None:
            target = by_acronym.get(key)
        if target is None:
            target = Group(canonical=canon)
            groups.append(target)
        _add(by_key, target, m, words, canon)
    for g in groups:
        g.mentions.sort(key=lambda m: m.start)
    groups.sort(key=lambda g: g.mentions[0].start)
    return groups


def join_defined_acronyms(text: str, groups: list[Group]) -> list[Group]:
    """``groups`` with each short form the text defines in parentheses joined to its long form's group:
    "the Eurasian Economic Union (EAEU)", "the Department of Defense (DoD)", "Armed Forces of Ukraine (APU)".

    Initials join their name in :func:`group_mentions` already; these are the short forms that are not
    plain initials. The short form must be one word of 2-10 letters and digits, at least two of them
    capitals, and its letters must appear in the long form in order, the first starting a word (as
    Schwartz and Hearst's abbreviation test asks), so a country or an affiliation in parentheses ("Der
    Spiegel (Germany)", "(D-NY)") joins nothing. Two groups the tables name differently stay apart.
    """
    owner: dict[int, tuple[int, str]] = {}  # end of a multi-word named mention -> (its group, its text)
    for gi, g in enumerate(groups):
        for m in g.mentions:
            if not m.title and len(name_words(m.text)) > 1:
                owner[m.end] = (gi, m.text)
    merged: dict[int, int] = {}  # short form's group -> long form's group
    for gi, g in enumerate(groups):
        for m in g.mentions:
            short = m.text.strip()
            if not _SHORT_FORM.fullmatch(short) or sum(c.isupper() for c in short) < 2:
                continue
            before = re.search(r"\s*\(\s*$", text[max(0, m.start - 4) : m.start])
            if before is None or not re.match(r"\s*\)", text[m.end : m.end + 3]):
                continue
            target, long_form = owner.get(m.start - len(before.group()), (None, ""))
            if target is None or target == gi or not _abbreviates(short, long_form):
                continue
            a, b = groups[target].canonical, g.canonical
            if a and b and a != b:
                continue
            merged.setdefault(gi, target)
    if not merged:
        return groups
    for gi, target in merged.items():
        seen = {gi}
        while target in merged and target not in seen:  # a chain of definitions ends at a group that is no short form
            seen.add(target)
            target = merged[target]
        if target in seen:  # two groups each defining the other's short form: a loop, left as it is
            continue
        g, into = groups[gi], groups[target]
        into.mentions = sorted(into.mentions + g.mentions, key=lambda m: m.start)
        into.pronouns = sorted(into.pronouns + g.pronouns)
        into.canonical = into.canonical or g.canonical
        g.mentions = []
    return [g for g in groups if g.mentions]


def join_head_nouns(text: str, groups: list[Group]) -> list[Group]:
    """``groups`` with each "the Commission", "the Ministry", "the Court" joined to the organisation it
    shortens: the nearest one named before it whose head word it is ("The European Commission proposed
    … The Commission said", "the Supreme Court of Ukraine … the Court").

    Only a capitalised organisation word right after "the" counts, and only a name of two or more
    words ending in it, or in it before "of", can take it; each mention goes to its own nearest long
    form, so two courts in one article keep their own "the Court"s. A mention with no long form before
    it stays where it was.
    """
    long_forms: list[tuple[int, str, int]] = []  # (start, head word, group) of multi-word names
    for gi, g in enumerate(groups):
        for m in g.mentions:
            words = name_words(m.text)
            head = words[words.index("of", 1) - 1] if "of" in words[1:] else words[-1] if words else ""
            if len(words) > 1 and head in _ORG_WORDS:
                long_forms.append((m.start, head, gi))
    if not long_forms:
        return groups
    long_forms.sort()
    moves: list[tuple[int, RawMention, int]] = []
    for gi, g in enumerate(groups):
        for m in g.mentions:
            word = fold(m.text.strip())
            if word not in _ORG_WORDS or not m.text[:1].isupper() or text[max(0, m.start - 4) : m.start].lower() != "the ":
                continue
            target = next((t for start, head, t in reversed(long_forms) if start < m.start and head == word), None)
            if target is None or target == gi:
                continue
            a, b = groups[target].canonical, g.canonical
            if not (a and b and a != b):  # two organisations the tables name differently stay apart
                moves.append((gi, m, target))
    for gi, m, target in moves:
        groups[gi].mentions.remove(m)
        groups[target].mentions = sorted([*groups[target].mentions, m], key=lambda x: x.start)
    return [g for g in groups if g.mentions]


def join_plural_groups(text: str, groups: list[Group]) -> list[Group]:
    """``groups`` with a one-word name joined to its plural where the text calls the plural "the …s":
    "Houthi rebels … The Houthis said … a Houthi spokesman" is one group, the Houthis.

    The NER and kind head often take such a singular for a surname; "the" before the plural is what
    says the name is a group's, since a surname seldom takes it ("Williams said … William" stays two
    people; "the Williams sisters" beside a "William" would still be joined, a case no sample has
    shown). The joined mentions are relabelled NORP, so the entity's kind is group. Nationalities
    are not touched: their singular stands for the country ("Ukrainian" -> Ukraine), the plural for
    its people.
    """
    plurals: dict[str, int] = {}
    for gi, g in enumerate(groups):
        if g.canonical or len(g.words) != 1 or not g.words[0].endswith("s"):
            continue
        if any(text[max(0, m.start - 4) : m.start].lower() == "the " and is_plural_group(m.text) for m in g.mentions):
            plurals[g.words[0]] = gi
    moves = {
        gi: plurals[g.words[0] + "s"]
        for gi, g in enumerate(groups)
        if len(g.words) == 1 and g.words[0] + "s" in plurals and not g.canonical
        and not any(m.honorific or m.stands_for or m.title for m in g.mentions)
    }  # fmt: skip
    for gi, target in moves.items():
        groups[target].mentions = sorted([*groups[target].mentions, *groups[gi].mentions], key=lambda x: x.start)
        groups[target].pronouns.extend(groups[gi].pronouns)
        groups[target].shown_as = next(m.text for m in groups[target].mentions if is_plural_group(m.text))
        for m in groups[target].mentions:
            m.label = "NORP"
    return [g for gi, g in enumerate(groups) if gi not in moves]


_SHORT_FORM = re.compile(r"[^\W_]{2,10}")


def _abbreviates(short: str, long_form: str) -> bool:
    """Whether ``short``'s letters occur in ``long_form`` in order, its first at the start of a word."""
    letters = [c for c in short.casefold() if c.isalnum()]
    words = re.findall(r"[^\W_]+", long_form.casefold())
    if not letters or not any(w.startswith(letters[0]) for w in words):
        return False
    start = next(k for k, w in enumerate(words) if w.startswith(letters[0]))
    rest = iter("".join(words[start:]))
    return all(c in rest for c in letters)


def _variant(word: str) -> str:
    """One spelling for the transliterations of a Slavic name's ending: Zelenskyy, Zelenskiy, Zelenskyi
    and Zelensky (Dmitriy and Dmitry) key alike."""
    return _TRANSLITERATED_ENDING.sub("y", word)


def _spelling_key(words: list[str]) -> str:
    return " ".join(_variant(w) for w in words)


def _add(by_key: dict[str, Group], group: Group, m: RawMention, words: list[str], canon: str | None) -> None:
    group.mentions.append(m)
    by_key.setdefault(_spelling_key(words), group)
    if canon:
        group.canonical = group.canonical or canon
        by_key.setdefault(f"canon:{canon}", group)
    if len(words) > 1 and acronym(words):
        by_key.setdefault(acronym(words), group)


PRONOUN_REACH = 3  # sentences before a pronoun's own that may hold its antecedent


def resolve_pronouns(text: str, groups: list[Group], sentences: list[tuple[int, int]]) -> None:
    """Attach he/she-family pronouns to the one compatible person named nearest before them.

    "Clear" means exactly one person entity of compatible gender (known from an honorific, or unknown) is
    named in the sentence before the pronoun or, if none is, in the nearest of the PRONOUN_REACH
    sentences before it that names one, and the pronoun is outside quotation marks (inside a quote "he"
    often means someone the speaker talks about). Where that sentence names several, a person named
    there only in the possessive ("Sullivan echoed Biden's defense. … he said") is passed over: a
    possessor is seldom the next sentence's subject. Otherwise the pronoun stays unlinked.
    """
    people = [g for g in groups if g.kind == "person"]
    if not people or not sentences:
        return
    starts = [s for s, _ in sentences]
    # Every test below is a bisect over sorted starts: a long text has tens of thousands of
    # pronouns and mentions, and scanning all mentions per pronoun took minutes on a 2.5 MB input.
    taken = sorted({(m.start, m.end) for g in groups for m in g.mentions})
    taken_starts = [s for s, _ in taken]
    reach = list(accumulate((e for _, e in taken), max))  # the furthest end among the first k + 1
    named = sorted((m.start, i, bool(_POSSESSIVE.search(text[m.start : m.end + 2]))) for i, g in enumerate(people) for m in g.mentions)
    named_starts = [s for s, _, _ in named]
    genders = [g.gender for g in people]

    def named_in(lo: int, hi: int, gender: str) -> set[int]:
        """The compatible people with a mention starting in [lo, hi); possessors only if no one else."""
        i, j = bisect_left(named_starts, lo), bisect_left(named_starts, hi)
        found = {p for _, p, _ in named[i:j] if genders[p] in (None, gender)}
        if len(found) > 1:
            subjects = {p for _, p, possessive in named[i:j] if not possessive and p in found}
            found = subjects or found
        return found

    for match in _PRONOUN.finditer(text):
        a, b = match.span()
        t = bisect_right(taken_starts, a) - 1
        if t >= 0 and reach[t] > a:
            continue  # inside a mention
        k = bisect_right(starts, a) - 1
        if k < 0 or a >= sentences[k][1]:
            continue
        sent_start = sentences[k][0]
        if _inside_quote(text[sent_start:a]):
            continue
        gender = _PRONOUN_GENDER[match.group(1).lower()]
        # The sentence so far first; only if it names nobody, the sentences before, nearest first: a
        # run of quoted paragraphs ends in "…,” he added" well after the speaker was named.
        near = named_in(sent_start, a, gender)
        back = k - 1
        while not near and back >= max(0, k - PRONOUN_REACH):
            near = named_in(sentences[back][0], sentences[back + 1][0], gender)
            back -= 1
        if len(near) == 1:
            people[near.pop()].pronouns.append((a, b))


def _word_before(text: str, i: int) -> str:
    """The word right before position ``i`` (within 20 characters), "" if none."""
    before = re.findall(r"[^\W\d_]+", text[max(0, i - 20) : i])
    return before[-1] if before else ""


def _last_before(text: str, i: int, skip: str | None = None) -> str:
    """The last character of ``text[:i]`` once trailing ``skip`` characters (default: whitespace) are
    dropped, "" if none is left: ``text[:i].rstrip(skip)[-1:]`` without copying the prefix, which made
    candidate and case checks quadratic on long texts."""
    while i > 0 and (text[i - 1].isspace() if skip is None else text[i - 1] in skip):
        i -= 1
    return text[i - 1] if i > 0 else ""


def _inside_quote(before: str) -> bool:
    depth = before.count("“") - before.count("”")
    return depth > 0 or before.count('"') % 2 == 1


def honorific_before(text: str, start: int) -> str | None:
    """The honorific right before a name ("mr", "mrs" …), "title" after a job title, else None."""
    before = text[max(0, start - 16) : start]
    m = _HONORIFIC.search(before)
    if m:
        return m.group(1).lower()
    return "title" if _PERSON_TITLE.search(before) else None


def is_weapon_name(text: str, start: int, end: int) -> bool:
    """Whether the name at ``[start, end)`` names a weapon by the noun after it (see ``WEAPON_AFTER``)."""
    surface = text[start:end]
    if canonical(surface) or _is_demonym(fold(surface)) or fold(surface) in DEMONYMS or metonym_of(surface):
        return False
    return WEAPON_AFTER.match(text, end) is not None


def is_metonymic_use(text: str, start: int, end: int | None = None) -> bool:
    """False when the place is named after a locative preposition ("talks in Beijing"), or, given the
    name's ``end``, when "the" makes it a modifier of a noun other than a government's ("the Minsk
    agreements", "the Moscow metro"; but "the Moscow regime")."""
    before = _word_before(text, start).lower()
    if before in _LOCATIVE:
        return False
    if end is not None and before == "the" and text[start:end] not in _BUILDINGS:
        after = _MODIFIED_NOUN.match(text, end)
        if after is not None and after.group(1) not in _GOVERNMENT_NOUNS:
            return False
    return True


# A person named by office alone: "the foreign minister", "the German chancellor", "the president of
# France". Not when a name follows ("the foreign minister Annalena Baerbock" is NER's mention).
_OFFICES = (
    "prime minister|minister|president|chancellor|premier|secretary|ambassador|governor|mayor|senator|"
    "spokesman|spokeswoman|spokesperson|commissioner"
)
_OFFICE = re.compile(
    rf"\b(?:the|The|THE)\s+((?:(?:[a-z]+|[A-Z][a-z]+)\s+){{0,2}}?(?:{_OFFICES}))\b"
    r"(\s+of\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)?"
)


def office_mentions(text: str) -> list[RawMention]:
    """People named by their office only ("the foreign minister"), each keyed by that office.

    The words before the office must be modifiers or a nationality ("foreign", "German", "deputy"):
    "the new minister" counts, "the sanctions minister" does not. A capitalised word right after
    means the office is a title before a name ("the foreign minister Annalena Baerbock"): skipped.
    """
    out = []
    for m in _OFFICE.finditer(text):
        words = fold(m.group(1)).split()
        if not all(w in _MODIFIERS or _is_demonym(w) or w in _TITLES or w == "prime" for w in words[:-1]):
            continue
        end = m.end()
        if not m.group(2) and re.match(r"\s+[A-Z]", text[end : end + 2]):
            continue
        start = m.start(1)
        out.append(RawMention(start, end, text[start:end], "PERSON", "title", title=" ".join(fold(text[start:end]).split())))
    return out


def title_before(text: str, start: int) -> str | None:
    """The office right before a name with its modifiers, folded ("German Chancellor Olaf Scholz" ->
    "german chancellor", "President Joe Biden" -> "president"), else None."""
    before = text[max(0, start - 48) : start]
    m = re.search(rf"\b({_OFFICES})\.?\s+$", before, re.IGNORECASE)
    if not m:
        return None
    words = fold(before[: m.start()]).split()
    lead: list[str] = []
    while words and len(lead) < 2 and (words[-1] in _MODIFIERS or _is_demonym(words[-1])):
        lead.insert(0, words.pop())
    return " ".join([*lead, m.group(1).lower()])


def attach_offices(text: str, groups: list[Group], offices: list[RawMention]) -> list[Group]:
    """``groups`` with the office mentions added: each joins the one person the text names with that
    office ("Chancellor Olaf Scholz … the chancellor"), or else the other mentions of the same office.

    Two people named with the same office ("President Biden", "President Macron"): the office mention
    stays its own actor, since the text alone does not say which one it is.
    """
    taken = sorted((m.start, m.end) for g in groups for m in g.mentions)
    starts = [a for a, _ in taken]
    # Each person by the offices the text names them with, in full ("russian president") and by the
    # office word alone ("president").
    by_office: dict[str, set[int]] = {}
    for i, g in enumerate(groups):
        if g.kind != "person":
            continue
        for phrase in {title_before(text, m.start) for m in g.mentions} - {None}:
            for key in {phrase, _office_word(phrase)}:  # type: ignore[arg-type]
                by_office.setdefault(key, set()).add(i)
    own: dict[str, Group] = {}
    for m in offices:
        k = bisect_right(starts, m.start) - 1
        if k >= 0 and taken[k][1] > m.start or k + 1 < len(taken) and taken[k + 1][0] < m.end:
            continue  # inside or across a named mention
        title = m.title or ""
        # "the Russian president": the one person named "Russian President …", else the one "President …".
        named = by_office.get(title, set())
        if len(named) != 1:
            named = by_office.get(_office_word(title), set()) if len(named) == 0 else set()
        target = groups[next(iter(named))] if len(named) == 1 else own.get(title)
        if target is None:
            target = own[m.title or ""] = Group()
            groups.append(target)
        target.mentions.append(m)
    for g in groups:
        g.mentions.sort(key=lambda x: x.start)
    groups.sort(key=lambda g: g.mentions[0].start)
    return groups


def _office_word(title: str) -> str:
    m = re.search(rf"(?:{_OFFICES})", title)
    return m.group(0) if m else title


def extra_metonyms(text: str) -> list[RawMention]:
    """Mentions of names that only occur as metonyms ("Downing Street"), which NER often misses."""
    return [RawMention(m.start(), m.end(), m.group(0), "ORG") for m in _METONYM_PATTERN.finditer(text)]


def repeated_mentions(text: str, mentions: Sequence[RawMention]) -> list[RawMention]:
    """Other occurrences of names already found, which the per-candidate head or NER missed.

    A name an article has used once names the same actor wherever it recurs ("Biden is …" at the start
    of a sentence, "Gates" after "Bill Gates"): its exact surface, case and all, and the surname of a
    full person name (unless two people share it) become mentions where no mention is yet. Skipped: an
    occurrence inside a longer name (a capitalised word right after it, or right before it that is not a
    title or honorific), nationality adjectives, offices and names under two letters.
    """
    taken = sorted((m.start, m.end) for m in mentions)
    labels: dict[str, str] = {}
    surnames: dict[str, set[str]] = {}
    for m in mentions:
        if m.title or m.stands_for or m.label not in KINDS or len("".join(name_words(m.text))) < 2:
            continue
        labels.setdefault(m.text, m.label)
        words = m.text.split()
        if m.label == "PERSON" and len(words) > 1 and re.fullmatch(r"[A-Z][^\W\d_]{2,}", words[-1]):
            surnames.setdefault(words[-1], set()).add(_spelling_key(name_words(m.text)))
    for surname, people in surnames.items():
        if len(people) == 1:
            labels.setdefault(surname, "PERSON")
    # One pass over the text's words, each looked up by its first word (longest name first): a search
    # per name was quadratic on a long text with thousands of names.
    by_first: dict[str, list[tuple[str, str]]] = {}
    for surface, label in sorted(labels.items(), key=lambda item: -len(item[0])):
        if (first := _FIRST_WORD.match(surface)) is not None:
            by_first.setdefault(first.group(0), []).append((surface, label))
    out: list[RawMention] = []
    for word in _WORD_START.finditer(text):
        for surface, label in by_first.get(word.group(0), ()):
            a, b = word.start(), word.start() + len(surface)
            if not text.startswith(surface, a) or _NAME_GOES_ON.match(text, b):
                continue
            i = bisect_left(taken, (b, b))
            if (i > 0 and taken[i - 1][1] > a) or (i < len(taken) and taken[i][0] < b):
                break  # overlaps a mention already found
            if re.match(r"[ \t]+[A-Z]", text[b : b + 2]) or _inside_longer_name(text, a):
                break
            out.append(RawMention(a, b, surface, label, honorific_before(text, a)))
            insort(taken, (a, b))
            break
    return out


_FIRST_WORD = re.compile(r"[^\W\d_]+")
_WORD_START = re.compile(r"(?<![\w’'.-])[^\W\d_]+")
_NAME_GOES_ON = re.compile(r"[\w-]|[’']\w\w")  # "Gates-connected", "Bidens", but not "Biden's"


def _inside_longer_name(text: str, start: int) -> bool:
    """Whether a capitalised word that is not a title or honorific ends right before ``start`` (same line)."""
    before = text[max(0, start - 40) : start]
    return re.search(r"[A-Z][\w’'-]*[ \t]+$", before) is not None and honorific_before(text, start) is None


def split_inner_possessive(text: str, start: int, end: int) -> tuple[int, int]:
    """ "Erdoğan’s party" -> the span of "Erdoğan": a possessor inside a span is the actor."""
    m = _INNER_POSSESSIVE.search(text[start:end])
    return (start, start + m.start()) if m else (start, end)


def case_restored(text: str, names: frozenset[str] | set[str] = frozenset()) -> str:
    """A shouted (all-capitals) paragraph in ordinary case, same length, so NER can read it.

    A word keeps a capital only when it starts a sentence, is a known country or organisation, or is
    in ``names`` (folded words the rest of the article writes capitalised); known acronyms stay in
    capitals. "MACRON'S PLAN" becomes "Macron's plan" when the article names Macron elsewhere.
    """

    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        key = fold(w)
        if (key in COUNTRIES or key in _ORG_ALIASES) and len(w) <= 4:
            return w
        before = _last_before(text, m.start())
        initial = not before or before in ".!?:;\n\"“"
        if initial or key in names or key in COUNTRIES:
            return w[0] + w[1:].lower()
        return w.lower()

    out = re.sub(r"(?<![\'’])[^\W\d_]+|(?<=[\'’])[^\W\d_]{2,}", word, text)
    out = re.sub(r"(?<=['’])S\b", "s", out)
    return out if len(out) == len(text) else text


def capitalised_words(text: str) -> set[str]:
    """Folded words the text only ever writes with a capital: the names a shouted paragraph may hold."""
    caps = {fold(w) for w in set(re.findall(r"\b[^\W\d_a-z][^\W\d_A-Z]+", text))}
    lower = lowercase_vocabulary(text)
    return caps - lower


def shouting(text: str) -> bool:
    """True when most letters of a paragraph are capitals (a headline or a shouted post)."""
    upper = len(_UPPER.findall(text))
    lower = len(_LOWER.findall(text))
    return upper + lower >= 12 and upper > 0.8 * (upper + lower)


# --- features --------------------------------------------------------------------------------------------

WINDOW = 6  # word pieces either side of a mention that make its immediate context
# The kind head leaves the running sums it built (``Encoded.span_sum``) for the role head to reuse, up to
# this many tokens (about 200 MB of float64); past it, as on a book-length text, each paragraph's are freed.
RUNNING_SUMS_TOKENS = 1 << 16


def mention_features(enc: Encoded, start: int, end: int, sent_start: int, sent_end: int) -> np.ndarray | None:
    """Features of one mention from the encoder's token states (no second encoder pass).

    [mention mean | sentence mean | sentence-without-mention mean | left window | right window |
    relative position, log sentence length, mention length]. None when no token covers the mention.
    """
    i, j = enc.token_range(start, end)
    if j <= i:
        return None
    si, sj = enc.token_range(sent_start, sent_end)
    si, sj = min(si, i), max(sj, j)
    mean = enc.span_mean
    ctx_n = (i - si) + (sj - j)
    # The sentence without the mention: its sum less the mention's, over the tokens left.
    ctx = ((enc.span_sum(si, sj) - enc.span_sum(i, j)) / max(1, ctx_n)).astype(np.float32)
    extra = np.array([(i - si) / max(1, sj - si), np.log1p(sj - si), np.log1p(j - i)], dtype=np.float32)
    return np.concatenate(
        [mean(i, j), mean(si, sj), ctx, mean(max(si, i - WINDOW), i), mean(j, min(sj, j + WINDOW)), extra]
    ).astype(np.float32)


def role_features(row: np.ndarray, article: np.ndarray) -> np.ndarray:
    """A role head's features: the mention's features and the article vector (the story it is cast in)."""
    return np.concatenate([row, np.asarray(article, dtype=np.float32)])


def sentence_of(sentences: list[tuple[int, int]], start: int, fallback: tuple[int, int]) -> tuple[int, int]:
    """The sentence span holding ``start`` (``fallback``, e.g. the paragraph, if none does)."""
    k = bisect_right(sentences, start, key=lambda s: s[0]) - 1
    if k >= 0 and start < sentences[k][1]:
        return sentences[k]
    return fallback


# --- heads -----------------------------------------------------------------------------------------------


@dataclass
class RoleModel:
    """Main-role and fine-role heads plus the decision rule chosen in cross-validation on train."""

    main: LinearHead | KernelHead
    fine: LinearHead | KernelHead
    taxonomy: dict[str, list[str]]  # main role -> its fine roles
    second: float  # a second fine role is added when its probability is at least this
    restrict: bool  # fine roles are taken from the predicted main role's children only
    independent: bool = False  # main role from the main head, fine roles from the fine head, each on its own
    joint: float = 0.0  # weight of the main head in choosing the best fine role (see decide_roles)
    offsets: dict[str, float] = field(default_factory=dict)  # main role -> log-probability offset (see decide_roles)

    @classmethod
    def load(cls, folder: Path) -> RoleModel:
        """Read ``main.npz``, ``fine.npz`` and ``meta.json`` from ``folder``."""
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        return cls(
            load_head(folder / "main.npz"),
            load_head(folder / "fine.npz"),
            {k: list(v) for k, v in meta["taxonomy"].items()},
            float(meta["second"]),
            bool(meta["restrict"]),
            bool(meta.get("independent", False)),
            float(meta.get("joint", 0.0)),
            {k: float(v) for k, v in meta.get("offsets", {}).items()},
        )

    def probabilities(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(main-role probabilities, fine-role probabilities) for feature rows ``x``."""
        return self.main.scores(x), self.fine.scores(x)

    def decide(self, main_p: np.ndarray, fine_p: np.ndarray) -> tuple[Label, list[Label]]:
        """The main role and the fine roles for one row of probabilities."""
        return decide_roles(
            main_p, fine_p, self.main.labels, self.fine.labels, self.taxonomy,
            second=self.second, restrict=self.restrict, independent=self.independent, joint=self.joint,
            offsets=self.offsets,
        )  # fmt: skip


def decide_roles(
    main_p: np.ndarray,
    fine_p: np.ndarray,
    main_labels: list[str],
    fine_labels: list[str],
    taxonomy: dict[str, list[str]],
    *,
    second: float,
    restrict: bool,
    independent: bool = False,
    joint: float = 0.0,
    offsets: dict[str, float] | None = None,
) -> tuple[Label, list[Label]]:
    """Main role = argmax; fine roles = the best (within the main role's children when ``restrict``), plus
    the runner-up when its probability passes ``second``. Without ``restrict`` the main role follows the
    best fine role's parent, so the two always agree — unless ``independent``, where each head decides
    its own output (the task scores them separately).

    ``joint`` (without ``restrict``) lets the main head vote: fine roles are ranked by
    ``joint * log p_main(parent) + (1 - joint) * log p_fine``, so a fine head unsure between a
    Guardian and a Conspirator defers to a main head sure of Antagonist; 0 is the fine head alone.

    ``offsets`` (main role -> a number added to log-probabilities) shifts every choice toward a main
    role: the main head's argmax, and the ranking of that role's fine roles. Scores stay the heads' own."""
    parent = {f: m for m, children in taxonomy.items() for f in children}
    offsets = offsets or {}
    main_shift = np.array([offsets.get(m, 0.0) for m in main_labels])
    best_main = main_labels[int(np.argmax(np.log(np.asarray(main_p, dtype=np.float64) + 1e-9) + main_shift))]
    if restrict:
        main = best_main
        allowed = [k for k, f in enumerate(fine_labels) if parent.get(f) == main]
    else:
        allowed = list(range(len(fine_labels)))
    rank_by = np.log(np.asarray(fine_p, dtype=np.float64) + 1e-9)
    if joint and not restrict:
        main_of = np.array([main_p[main_labels.index(parent[f])] for f in fine_labels])
        rank_by = joint * np.log(main_of + 1e-9) + (1.0 - joint) * rank_by
    if offsets:
        rank_by = rank_by + np.array([offsets.get(parent.get(f, ""), 0.0) for f in fine_labels])
    ranked = sorted(allowed, key=lambda k: -rank_by[k])
    if not ranked:
        return Label(best_main, round(float(main_p[main_labels.index(best_main)]), 4)), []
    if independent:
        main = best_main
    elif not restrict:
        main = parent[fine_labels[ranked[0]]]
    fine = [Label(fine_labels[ranked[0]], round(float(fine_p[ranked[0]]), 4))]
    if len(ranked) > 1 and fine_p[ranked[1]] >= second:
        fine.append(Label(fine_labels[ranked[1]], round(float(fine_p[ranked[1]]), 4)))
    return Label(main, round(float(main_p[main_labels.index(main)]), 4)), fine


# --- casting: which actors the story casts in a role ------------------------------------------------------

ENTITY_KINDS = ("person", "organisation", "country", "group", "place")
CAST_FEATURE_NAMES = (
    "mention_share", "mention_rank", "most_mentioned", "paragraph_share", "first_position", "in_title", "in_lead",
    *(f"kind_{k}" for k in ENTITY_KINDS),
    "role_score", "role_antagonist", "role_protagonist", "best_fine_score",
    "portrayal_negative", "portrayal_positive", "log_name_chars", "has_aliases", "pronoun_share",
)  # fmt: skip


def cast_features(entities: Sequence[Entity], paragraph_starts: Sequence[int], text_length: int) -> np.ndarray:
    """The :data:`CAST_FEATURE_NAMES` of each of an article's entities (roles and portrayal already set).

    SemEval-2025 annotators give roles to the few actors a story is about (2.7 per English train
    article, of the 15.7 our actors component finds). Every count is relative to the article (share of
    its actor mentions, rank), so a 300-word op-ed and a 3,000-word report are read alike.
    """
    counts = [len(e.mentions) for e in entities]
    total = max(1, sum(counts))
    rank = {i: r for r, i in enumerate(sorted(range(len(entities)), key=lambda i: -counts[i]), 1)}
    rows = []
    for i, entity in enumerate(entities):
        paragraphs = {bisect_right(paragraph_starts, m.start) - 1 for m in entity.mentions}
        role, mix = entity.role, entity.attrs.get("portrayal_mix", {})
        rows.append([
            counts[i] / total, 1.0 / rank[i], float(counts[i] == max(counts)), len(paragraphs) / max(1, len(paragraph_starts)),
            min((m.start for m in entity.mentions), default=0) / max(1, text_length), float(0 in paragraphs), float(1 in paragraphs),
            *(float(entity.kind == k) for k in ENTITY_KINDS),
            role.score if role else 0.0, float(role is not None and role.main == "Antagonist"),
            float(role is not None and role.main == "Protagonist"), max((f.score for f in role.fine), default=0.0) if role else 0.0,
            mix.get("negative", 0.0), mix.get("positive", 0.0),
            np.log1p(len(entity.name)), float(len(entity.attrs.get("aliases", ())) > 1),
            entity.attrs.get("pronouns", 0) / max(1, counts[i]),
        ])  # fmt: skip
    return np.array(rows, dtype=np.float32).reshape(len(entities), len(CAST_FEATURE_NAMES))


def decide_cast(scores: np.ndarray, threshold: float, groups: np.ndarray | None = None) -> np.ndarray:
    """Which actors are cast: those scoring at least ``threshold``, and always each article's best one.

    ``scores`` are one article's actors, or several articles' with ``groups`` giving each row's article.
    Every annotated article casts at least one actor, and a short op-ed, where no actor's mentions
    stand out, would otherwise show no role at all (on train CV the rule changes F1 by -0.002).
    """
    scores = np.asarray(scores)
    cast = scores >= threshold
    for article in np.unique(groups) if groups is not None else [None]:
        rows = np.flatnonzero(groups == article) if groups is not None else np.arange(len(scores))
        if len(rows):
            cast[rows[int(np.argmax(scores[rows]))]] = True
    return cast


# --- candidate names (the cheap NER) ---------------------------------------------------------------------

# Words that may join capitalised words inside one name ("Bank of England", "Charles de Gaulle").
_CONNECTORS = frozenset("of for the de du da dos von van der den bin al la le y".split())
_DAYS_AND_MONTHS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december""".split()
)
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_](?:[\w’'\-.&]*\w)?")
_COMPOUND_HYPHEN = re.compile(r"-(?=[a-z])")
# Abbreviations a name runs on through: middle initials and saints' places ("St. Louis").
_NAME_ABBREVIATIONS = frozenset([*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "St", "Ste", "Mt", "Ft"])
_SENTENCE_END = frozenset(".!?:;“\"(—–\n")
# Leading words dropped from a candidate when a job title follows them ("German Chancellor", "Foreign Minister").
_MODIFIERS = frozenset(
    """foreign defence defense finance interior deputy former late vice prime chief state general acting then new
    energy health education transport trade home homeland environment agriculture treasury economy labour labor
    climate digital commerce housing industry culture immigration veterans""".split()
)  # A portfolio before an office ("Energy Secretary Jennifer Granholm") is the office's, no actor of its own.
# Words that lead a job title but are part of an organisation's name too ("National Security Advisor",
# "Homeland Security"): dropped before a title at the start of a run, never cut off an organisation.
# A party's adjective before an office is the office's too ("Tory MP Karl McCartney", "Republican Senator
# Lindsey Graham", "Lib Dem MP Layla Moran"); a party named as a noun is cut off as a candidate of its own
# ("Labour Party MP Diane Abbott", "SNP MP …"), which the kind head then keeps or rejects.
_PARTY_ADJECTIVES = frozenset("tory conservative republican democratic democrat liberal lib dem green".split())
_TITLE_LEADS = _MODIFIERS | _PARTY_ADJECTIVES | {"national", "security"}
_JOB_TITLES = _TITLES - _MODIFIERS - {"the", "party", "head", "director", "opposition", "leader", "chair", "justice"}
# Modifiers of an office that are never part of a name.
_TIME_MODIFIERS = frozenset("former acting then late".split())
# Offices that can stand inside a run of capitals between an organisation and a name (not forms of
# address, which are part of a name: "Martin Luther King", "Prince Harry").
_OFFICE_TITLES = _JOB_TITLES - _MALE - _FEMALE - {"mr", "mrs", "ms", "miss", "dr", "prof", "dame", "pope", "judge", "speaker"}
_ORG_WORDS = frozenset(
    """party union council ministry department agency commission committee bank fund group inc corp corporation
    company ltd llc university institute association federation organization organisation court parliament
    congress senate army forces force police office service services network times news post press foundation
    coalition alliance movement front league club board authority administration government""".split()
)
_COMMON_INITIALS = frozenset(
    """a an the but and or so yet if when while after before as at in on of for to from by with without this that
    these those there here it its he she they we i you his her their our my your yesterday today tomorrow now
    then however meanwhile still also even last next some many most all both each every one two three no not
    what why how who where which according despite since until""".split()
)


@dataclass
class Candidate:
    """A capitalised run that may name an actor, with the cues the kind classifier reads."""

    start: int
    end: int
    initial: bool  # starts a sentence (its capital says nothing)
    honorific: str | None  # "mr" …, "title" after a job title, or None


def candidates(
    text: str,
    start: int,
    end: int,
    *,
    lowercase_words: set[str] | frozenset[str] = frozenset(),
    capitalised: Counter[str] | None = None,
) -> list[Candidate]:
    """Runs of capitalised words in ``text[start:end]`` (a paragraph), cleaned of sentence-initial function
    words, job titles and possessives; each is a span the kind classifier labels or rejects.

    ``capitalised`` (:func:`capitalised_counts` of the whole text), when given, lets a title-case
    headline keep only the words the article also capitalises outside it (see ``plain`` below).
    """
    tokens = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]  # offsets into ``text``
    # A name joined by a hyphen to a lower-case word ("Bill Gates-connected", "Forum-aligned",
    # "Arizona-based") ends there: the name is the actor, the compound a modifier.
    compounds = set()
    for n, (a, b) in enumerate(tokens):
        hyphen = _COMPOUND_HYPHEN.search(text, a, b) if text[a].isupper() else None
        if hyphen is not None:
            tokens[n] = (a, hyphen.start())
            compounds.add(n)
    # In a headline written in title case every word has a capital; there a word the article also
    # writes in lower case ("Cannot", "Winter") is not part of a name.
    capitals = sum(text[a].isupper() for a, _ in tokens)
    headline = len(tokens) >= 3 and capitals >= 0.6 * len(tokens) and not text[start:end].rstrip().endswith(".")

    # Nor is a word the article capitalises only in the headline: its verbs and nouns ("Jamie Dimon
    # Slams Biden For Begging Saudis For Oil" holds the names "Jamie Dimon" and "Biden", which the
    # article's body capitalises, not one name of four words).
    elsewhere: set[str] | None = None
    if headline and capitalised is not None:
        own = capitalised_counts(text[start:end])
        elsewhere = {w for w, n in capitalised.items() if n > own[w]}

    def plain(k: int) -> bool:
        if not headline:
            return False
        word = fold(text[tokens[k][0] : tokens[k][1]])
        if word in lowercase_words:
            return True
        # A plural or singular elsewhere counts ("Saudis" in the headline, "Saudi" in the body).
        return elsewhere is not None and not ({word, word + "s", word.removesuffix("s")} & elsewhere)
    out: list[Candidate] = []
    i = 0
    while i < len(tokens):
        a, b = tokens[i]
        if not text[a].isupper() or plain(i):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens):
            nxt = j + 1
            gap = text[tokens[j][1] : tokens[nxt][0]]
            word = text[tokens[nxt][0] : tokens[nxt][1]]
            # An initial or "St." inside a name ("Donald J. Trump", "St. Louis"), unless the next word is
            # one the article also writes in lower case, which starts a sentence ("World War I. Then …").
            abbreviated = (
                gap in (". ", ".\u00a0")
                and text[tokens[j][0] : tokens[j][1]] in _NAME_ABBREVIATIONS
                and word[0].isupper()
                and fold(word) not in lowercase_words
                and fold(word) not in _COMMON_INITIALS
            )
            # A possessive ends a name: "Hungary's Viktor Orbán" is two actors, not one candidate.
            # (Not before an organisation's word: "the Clark County Sheriff's Office" is one actor.)
            possessive = _POSSESSIVE.search(text[tokens[j][0] : tokens[j][1]]) and fold(word) not in _ORG_WORDS
            if (gap not in (" ", "\u00a0") and not abbreviated) or j in compounds or possessive:
                break
            if word[0].isupper():
                if plain(nxt):
                    break
                j = nxt
                continue
            # In a title-case headline every word has a capital, so "of" joins nothing: "Proxy War Is
            # a Betrayal of Ukrainians" has no actor "Betrayal of Ukrainians".
            if headline:
                break
            # "on" joins only after an organisation's word ("the Committee on Foreign Investment"): "Trump on
            # Tuesday" is no name.
            joins = word in _CONNECTORS or (word == "on" and fold(text[tokens[j][0] : tokens[j][1]]) in _ORG_WORDS)
            # Nor does a connector join a day or a month: "the Defence Ministry's Press Service on Tuesday".
            if joins and nxt + 1 < len(tokens) and fold(text[tokens[nxt + 1][0] : tokens[nxt + 1][1]]) in _DAYS_AND_MONTHS:
                break
            if joins and nxt + 1 < len(tokens) and text[tokens[nxt][1] : tokens[nxt + 1][0]] == " " and text[tokens[nxt + 1][0]].isupper():
                j = nxt + 1
                continue
            # Two particles in a row ("Ursula von der Leyen", "Mohammed bin al-..."), then a capital.
            if (
                word in _CONNECTORS
                and nxt + 2 < len(tokens)
                and text[tokens[nxt + 1][0] : tokens[nxt + 1][1]] in _CONNECTORS
                and text[tokens[nxt][1] : tokens[nxt + 1][0]] == " "
                and text[tokens[nxt + 1][1] : tokens[nxt + 2][0]] == " "
                and text[tokens[nxt + 2][0]].isupper()
            ):
                j = nxt + 2
                continue
            break
        run = tokens[i : j + 1]
        i = j + 1
        before = _last_before(text, a, " \u00a0\t")
        initial = not before or before in _SENTENCE_END or text[start:a].strip() == "" or before == "\n"
        words = [fold(text[x:y]) for x, y in run]
        k = 0
        # A capitalised first word before a people ("Ordinary Ukrainians", "Many Russians") is not a name.
        nationals = len(run) == 2 and words[1].endswith("s") and words[1][:-1] in NATIONALITIES
        # Nor is a capitalised "Former", "Acting" … ("Former U.S. ambassador …").
        stale = len(run) > 1 and words[0] in _TIME_MODIFIERS
        if initial and (words[0] in _COMMON_INITIALS or words[0] in lowercase_words or nationals or stale):
            k = 1
            initial = False
        # A job title (after nationality adjectives and modifiers) before the name: drop it, remember it.
        honorific = None
        t = k
        while t < len(run) - 1 and (words[t] in _TITLE_LEADS or words[t] in NATIONALITIES or words[t] in _JOB_TITLES or words[t] in {"of"}):
            t += 1
        # Nothing but an office ("Democratic Rep." cut off from "Adam Schiff" by its full stop): no name.
        if len(run) - k > 1 and all(w in _TITLE_LEADS or w in NATIONALITIES or w in _JOB_TITLES for w in words[k:]) and any(
            w in _JOB_TITLES for w in words[k:]
        ):
            continue
        if t > k and any(w in _JOB_TITLES for w in words[k:t]) and t < len(run):
            # An office's own domain ("Secretary of State", "Minister of Finance") is no actor; a country
            # after "of" is ("President of France").
            if words[t - 1] == "of" and len(run) - t == 1 and not canonical(text[run[t][0] : run[t][1]]):
                continue
            honorific = next((w for w in words[k:t] if w in _MALE or w in _FEMALE), "title")
            k, initial = t, False
        if k >= len(run):
            continue
        # A place right after "to", "in" … and then a name ("ambassador to Moscow William Burns"), or an
        # organisation known by its initials ("ambassador to the UN Samantha Power"): two actors, unless
        # the words after it name an institution ("at Moscow State University", "to the UN General Assembly").
        lead = [w.lower() for w in re.findall(r"[^\W\d_]+", text[max(0, run[k][0] - 24) : run[k][0]])[-2:]]
        if lead[-1:] == ["the"]:
            lead = lead[:-1]
        if (
            len(run) - k >= 3
            and lead[-1:] and lead[-1] in _LOCATIVE
            and (
                words[k] in COUNTRIES
                or metonym_of(text[run[k][0] : run[k][1]])
                or (words[k] in _ORG_ALIASES and not {words[k + 1]} & (_ORG_WORDS | _TITLES | _MODIFIERS))
            )
            and words[-1] not in _ORG_WORDS
        ):
            out.append(Candidate(run[k][0], run[k][1], False, None))
            k, initial = k + 1, False
        # An office inside the run ("NATO Secretary General Mark Rutte", "Bank of England Governor
        # Andrew Bailey"): the words before it are an actor of their own, the name after it a person's.
        # (A hyphenated office is one word piece here: "Secretary-General" folds to "secretary general".)
        p = next((q for q in range(k + 1, len(run) - 1) if words[q].split()[:1] and words[q].split()[0] in _OFFICE_TITLES), None)
        # An office the organisation is named after ("the Office of the President of Ukraine") is no title
        # before a name: after "the" and before "of", it stays in the organisation's name.
        if p is not None and words[p - 1] in {"the", "of"} and words[p + 1] == "of":
            p = None
        if p is not None:
            t = p
            while t < len(run) - 1 and all(w in _MODIFIERS or w in _JOB_TITLES or w == "of" for w in words[t].split()):
                t += 1
            org_end = p
            # Nor do the words that joined it to the office ("Head of the Office of the President …").
            while org_end > k and (words[org_end - 1] in _MODIFIERS or words[org_end - 1] in NATIONALITIES or words[org_end - 1] in {"of", "the"}):
                org_end -= 1
            if org_end > k:
                s, e = trim_span(text, run[k][0], run[org_end - 1][1])
                if e > s:
                    out.append(Candidate(s, e, initial and k == 0, honorific_before(text, s)))
            k, initial, honorific = t, False, "title"
        s, e = trim_span(text, run[k][0], run[-1][1])
        if e <= s:
            continue
        if honorific is None:
            honorific = honorific_before(text, s)
        out.append(Candidate(s, e, initial and k == 0, honorific))
    return out


def candidate_cues(text: str, c: Candidate) -> np.ndarray:
    """Hand-made cues for the kind classifier: position, shape, tables, titles, suffixes, context words."""
    surface = text[c.start : c.end]
    words = fold(surface).split()
    before = re.findall(r"[^\W\d_]+", text[max(0, c.start - 16) : c.start])
    after = text[c.end : c.end + 3]
    return np.array(
        [
            c.initial,
            np.log1p(len(words)),
            surface.isupper() and len(surface) > 1,
            c.honorific == "title",
            c.honorific in _MALE or c.honorific in _FEMALE,
            fold(surface) in _CUE_COUNTRIES,
            fold(surface) in _CUE_ORGS,
            metonym_of(surface) is not None,
            bool(words) and _is_demonym(words[-1].rstrip("s")),
            bool(words) and words[-1].endswith("s"),
            any(w in _ORG_WORDS for w in words),
            bool(before) and before[-1] == "the",
            bool(re.match(r"['’][sS]?\b", after)),
            any(ch.isdigit() for ch in surface),
            "." in surface,
            "-" in surface,
        ],
        dtype=np.float32,
    )


def candidate_features(enc: Encoded, text: str, c: Candidate) -> np.ndarray | None:
    """Pooled encoder states of a candidate and 3 pieces either side, plus its cues; None if no token covers it."""
    i, j = enc.token_range(c.start, c.end)
    if j <= i:
        return None
    a, b = max(0, i - 3), min(enc.n_tokens, j + 3)
    return np.concatenate(
        [enc.span_mean(i, j), enc.span_mean(a, i), enc.span_mean(j, b), candidate_cues(text, c)]
    ).astype(np.float32)


def capitalised_counts(text: str) -> Counter[str]:
    """How often the text writes each (folded) word with a capital, as :func:`candidates` reads words."""
    return Counter(fold(m.group()) for m in _WORD.finditer(text) if m.group()[0].isupper())


def lowercase_vocabulary(text: str) -> set[str]:
    """Folded words the text writes in lower case somewhere (a capital on them starts a sentence, no more)."""
    return {fold(w) for w in set(re.findall(r"\b[a-zß-ÿ][^\W\d_]*", text))}


NER_LABELS = ("PERSON", "ORG", "GPE", "NORP", "NONE")


def head_mentions(text: str, paragraphs: Sequence[tuple[int, int]], encoded: Sequence[Encoded], head: LinearHead) -> list[RawMention]:
    """Named mentions found by the candidate rules and the kind head over the encoder's states.

    ``text`` is the document text, ``paragraphs`` its paragraph spans and ``encoded`` their encoder output.
    Shouted paragraphs are read case-restored (same length), like the spaCy path does.
    """
    shouted = [shouting(text[a:b]) for a, b in paragraphs]
    calm = " ".join(text[a:b] for (a, b), s in zip(paragraphs, shouted, strict=True) if not s)
    lower = lowercase_vocabulary(calm)
    names = capitalised_words(calm) if any(shouted) else set()
    capitalised = capitalised_counts(calm)
    # Shouted paragraphs are read case-restored in one copy of the text (the restoring keeps every
    # length, so offsets hold); a copy per shouted paragraph was quadratic on long inputs.
    restored = text
    if any(shouted):
        pieces, pos = [], 0
        for (a, b), shout in zip(paragraphs, shouted, strict=True):
            if shout:
                pieces += [text[pos:a], case_restored(text[a:b], names)]
                pos = b
        restored = "".join(pieces) + text[pos:]
    rows, found = [], []
    held = 0  # tokens whose running sums stay built for the role head, which pools the same pass next
    for (a, b), enc, shout in zip(paragraphs, encoded, shouted, strict=True):
        view = restored if shout else text
        # A shouted paragraph is not in ``calm``, so its own capitals cannot be counted out of it.
        for c in candidates(view, a, b, lowercase_words=lower, capitalised=None if shout else capitalised):
            row = candidate_features(enc, view, c)
            if row is not None:
                rows.append(row)
                found.append(c)
        if enc.prefix_ is not None:
            held += len(enc.states)
            if held > RUNNING_SUMS_TOKENS:
                enc.prefix_ = None  # a long text must not keep them all (float64: twice its states)
    if not rows:
        return []
    scores = head.scores(np.stack(rows))
    out = []
    for c, p in zip(found, scores, strict=True):
        label = head.labels[int(np.argmax(p))]
        surface = text[c.start : c.end]
        if label != "NONE" or fold(surface) in DEMONYMS or fold(surface) in REGIONS or metonym_of(surface):
            out.append(RawMention(c.start, c.end, surface, label, c.honorific))
    return out
