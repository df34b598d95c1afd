"""A synthetic archive for benchmarks: plausible wire stories, deterministic for a seed.

Every story is marked as synthetic where a reader sees it: its agency is SYN (the
dateline reads "WASHINGTON (SYN) —") and its address starts with "syn-".
"""

import functools
import itertools
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from articles.publishing import Dispatch
from articles.text import PARAGRAPH_BREAK, Kind

AGENCY = "SYN"
SLUG_PREFIX = "syn-"
BREAKING_NOTE = "THIS IS A BREAKING NEWS UPDATE. SYN’s earlier story follows below."

PLACES = [
    "WASHINGTON", "NEW YORK", "UNITED NATIONS", "LONDON", "PARIS", "BERLIN", "TOKYO",
    "SEOUL, South Korea", "KYIV, Ukraine", "MOSCOW", "BEIJING", "NEW DELHI", "SÃO PAULO",
    "MEXICO CITY", "NAIROBI, Kenya", "LAGOS, Nigeria", "CAIRO", "JERUSALEM", "ISTANBUL",
    "SYDNEY", "TORONTO", "CHICAGO", "LOS ANGELES", "MIAMI", "HOUSTON", "ATLANTA",
    "ST. PAUL, Minn.", "DENVER", "SEATTLE", "BOSTON", "PHOENIX", "MADRID", "ROME",
    "BRUSSELS", "GENEVA", "MANILA, Philippines", "JAKARTA, Indonesia", "BANGKOK",
    "HANOI, Vietnam", "JOHANNESBURG",
]  # fmt: skip
NAMES = [
    "JANE DOE", "JOHN ROE", "MARIA GARCIA", "KIM TONG-HYUNG", "AHMED HASSAN", "LI WEI",
    "OLGA PETROVA", "SAM OKAFOR", "EMMA JOHANSSON", "RAVI KUMAR", "ANA SOUZA",
    "TOM BRADY", "LUCIA ROSSI", "YUKI TANAKA", "DAVID COHEN",
]  # fmt: skip
# The most frequent words of wire copy, roughly in order: function words first, then the
# news vocabulary. The rest of the vocabulary is made up (made_up_words()), so that text
# has the long tail of a real language: a search for a rare word finds a few stories,
# one for a common word most of them.
COMMON_WORDS = """
the of and to a in that is for on said was with as by at it from he his has be have are
were will an but not this they who been after had would their its more about than year
new people two one first government officials police president state city last over
country three minister percent million told also week when into time other could since
some years before day people during under police court election vote market prices
oil storm flood fire rain border troops war peace talks deal agreement report reported
according today tuesday wednesday thursday friday monday saturday sunday month against
between most less many few several workers companies bank central interest rates
inflation jobs economy growth trade tariffs exports imports health hospital vaccine
virus doctors patients school students teachers university climate energy power grid
solar wind coal gas water drought heat wildfire hurricane earthquake rescue crews
residents evacuated damage roads bridges airport flights train protest protesters crowd
rally leader party opposition parliament congress senate law bill budget tax spending
military navy army missile drone attack ceasefire aid refugees spokesperson statement
interview news agency data study researchers scientists space launch satellite mission
team game season coach players fans championship final billion
""".split()
COMMON_WORDS = list(dict.fromkeys(COMMON_WORDS))  # first place wins
VOCABULARY_SIZE = 40_000
ZIPF_EXPONENT = 1.0  # word frequency falls as 1 / rank ** s, as in natural language


def made_up_words(count, taken):
    """`count` pronounceable words, the same every time, none of them in `taken`.

    One to three syllables of consonants and a vowel (no z: "zebra" stays a word the
    archive lacks), drawn from a generator of its own, so the vocabulary never changes.
    """
    onsets = "b c d f g h j k l m n p r s t v w".split() + ["br", "ch", "st", "tr", "pl"]
    nuclei = ["a", "e", "i", "o", "u", "ai", "ou"]
    codas = ["", "", "n", "r", "s", "l", "t"]
    syllables = [o + n + c for o in onsets for n in nuclei for c in codas]
    shuffler = random.Random(2026)
    words, seen = [], set(taken)
    while len(words) < count:
        word = "".join(shuffler.choices(syllables, k=shuffler.choice((1, 2, 2, 3))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _zipf_weights(size):
    return list(itertools.accumulate(1 / rank**ZIPF_EXPONENT for rank in range(1, size + 1)))


@functools.cache
def vocabulary():
    """The words, commonest first, and the headlines' words (made once, when first
    asked for: importing this module costs nothing), each with its Zipf weights."""
    words = COMMON_WORDS + made_up_words(VOCABULARY_SIZE - len(COMMON_WORDS), COMMON_WORDS)
    headline_words = [word for word in words if len(word) > 3]
    return Vocabulary(
        words, _zipf_weights(len(words)), headline_words, _zipf_weights(len(headline_words))
    )


class Vocabulary(NamedTuple):
    words: list
    weights: list
    headline_words: list
    headline_weights: list


def generate(
    count: int, seed: int = 0, until: datetime | None = None, revisions: int | None = None
) -> Iterator:
    """Yield `count` stories as (slug, dispatches oldest first), the same for a seed.

    Stories have 1 to 4 revisions (or exactly `revisions`): an original, then breaking
    updates stacked over it, write-thru updates and the odd correction, with wire times
    in the 3 years to `until`.
    """
    rng = random.Random(seed)
    until = until or datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    for index in range(count):
        place = rng.choice(PLACES)
        byline = f"By {rng.choice(NAMES)}"
        headline = " ".join(
            rng.choices(
                vocabulary().headline_words,
                cum_weights=vocabulary().headline_weights,
                k=rng.randint(6, 11),
            )
        ).capitalize()
        when = until - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        dispatches = [_dispatch(rng, headline, place, byline, when, Kind.ORIGINAL)]
        updates = rng.choices([0, 1, 2, 3], weights=[30, 35, 20, 15])[0]
        for _ in range(updates if revisions is None else revisions - 1):
            when += timedelta(minutes=rng.randint(1, 600))
            kind = rng.choices(
                [Kind.BREAKING_UPDATE, Kind.UPDATE, Kind.CORRECTION], weights=[6, 3, 1]
            )[0]
            dispatches.append(_dispatch(rng, headline, place, byline, when, kind))
        yield f"{SLUG_PREFIX}{seed}-{index}", dispatches


def _dispatch(rng, headline, place, byline, when, kind):
    size = rng.randint(1, 3) if kind == Kind.BREAKING_UPDATE else rng.randint(4, 8)
    paragraphs = [_sentence(rng) + " " + _sentence(rng) for _ in range(size)]
    note = {
        Kind.BREAKING_UPDATE: BREAKING_NOTE,
        Kind.CORRECTION: "This story has been corrected to fix a name.",
    }.get(kind, "")
    return Dispatch(
        headline=headline,
        body=PARAGRAPH_BREAK.join(paragraphs),
        kind=kind,
        dateline_place=place,
        agency=AGENCY,
        byline=byline,
        wire_time=when,
        editors_note=note,
    )


def _sentence(rng):
    words = rng.choices(vocabulary().words, cum_weights=vocabulary().weights, k=rng.randint(12, 28))
    return " ".join(words).capitalize() + "."


def write_wire_files(folder, count: int, seed: int = 0) -> int:
    """Write synthetic stories as wire files instead of archiving them, for import runs.

    Each story's breaking stack becomes one file per version (the original, then each
    update over it), so importing the folder creates stories and threads updates onto
    them. Returns how many files were written, at most `count`.
    """
    from articles.wire import plaintext as wire

    written = 0
    for index, (_, dispatches) in enumerate(generate(count, seed=seed)):
        stack = [dispatches[0]]
        for dispatch in dispatches[1:]:
            if dispatch.kind != Kind.BREAKING_UPDATE:
                break
            stack.append(dispatch)
        for size in range(1, len(stack) + 1):
            versions = tuple(
                wire.WireVersion(
                    tuple(d.body.split(PARAGRAPH_BREAK)),
                    d.dateline_place,
                    d.agency,
                    d.editors_note if position else "",
                )
                for position, d in enumerate(stack[:size])
            )
            story = wire.WireStory(
                headline=stack[size - 1].headline,
                wire_time=stack[size - 1].wire_time,
                versions=versions,
                byline=stack[0].byline,
                updated=size > 1,
            )
            path = folder / f"{seed}-{index:06d}-{size}.txt"
            path.write_text(wire.format_story(story), encoding="utf-8")
            written += 1
            if written >= count:
                return written
    return written
