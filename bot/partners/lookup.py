"""Finding a candidate by what a partner types: an id, a sender id, or a name with typos,
always among the candidates this partner may see."""

import difflib
import unicodedata
from typing import List

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.partners import access
from bot.store.models import Candidate, Partner

CLOSE_ENOUGH = 0.75  # "Amnia" finds "Amina"; "Anna" does not


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").casefold()
    return "".join(char for char in text if not unicodedata.combining(char)).strip()


def _score(matcher: difflib.SequenceMatcher, name: str) -> float:
    """How well the query (the matcher's second sequence) fits a name: the full name, or
    one of its words ("Amina"). The quick upper bound skips most names cheaply."""
    name = _plain(name)
    best = 0.0
    for option in [name] + name.split():
        matcher.set_seq1(option)
        if matcher.real_quick_ratio() >= CLOSE_ENOUGH and matcher.quick_ratio() >= CLOSE_ENOUGH:
            best = max(best, matcher.ratio())
    return best


def _fragments(query: str) -> List[str]:
    """Pieces of the query a misspelt name most likely still contains (for SQL to narrow
    thousands of names down before the fuzzy match): each word's first and last three letters."""
    pieces = set()
    for word in query.split():
        if len(word) >= 3:
            pieces.update({word[:3], word[-3:]})
    return sorted(pieces)


def find(session: Session, partner: Partner, query: str) -> List[Candidate]:
    """The candidates the query means: one, several (ambiguous), or none."""
    query = query.strip().strip("?!.,").strip()
    if not query:
        return []
    visible = access.visible(partner)
    if query.isdigit():
        exact = session.execute(visible.where(Candidate.id == int(query))).scalars().all()
        if exact:
            return exact
    exact = session.execute(visible.where(or_(
        Candidate.sender_id == query, func.lower(Candidate.display_name) == query.lower()))).scalars().all()
    if exact:
        return exact
    wanted = _plain(query)
    names = visible.where(Candidate.display_name.isnot(None)).with_only_columns(Candidate.id, Candidate.display_name)
    fragments = _fragments(wanted)
    rows = session.execute(names.where(or_(*(func.lower(Candidate.display_name).contains(piece)
                                              for piece in fragments)))).all() if fragments else []
    rows = rows or session.execute(names).all()  # accents or a typo everywhere: look at every name
    matcher = difflib.SequenceMatcher(None)
    matcher.set_seq2(wanted)
    scored = [(_score(matcher, name), candidate_id) for candidate_id, name in rows]
    good = [(score, candidate_id) for score, candidate_id in scored if score >= CLOSE_ENOUGH]
    if not good:
        return []
    best = max(score for score, _ in good)
    # Clearly better than the rest: that one; close together: let the partner choose.
    chosen = [candidate_id for score, candidate_id in good if score >= best - 0.05]
    return session.execute(select(Candidate).where(Candidate.id.in_(chosen)).order_by(Candidate.id)).scalars().all()


def find_anywhere(session: Session, query: str) -> List[Candidate]:
    """Exact matches among all candidates: only for the audit log of a refused request."""
    query = query.strip().strip("?!.,").strip()
    conditions = [Candidate.sender_id == query, func.lower(Candidate.display_name) == query.lower()]
    if query.isdigit():
        conditions.append(Candidate.id == int(query))
    return session.execute(select(Candidate).where(or_(*conditions))).scalars().all()
