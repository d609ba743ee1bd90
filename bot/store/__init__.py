"""Storage of Korte Lijnen: candidates, consent, intake answers, preconditions, partners.

Free of Rasa imports, so the slim action-server image can use it.
"""

from bot.store.store import ConsentRequired, Store, UnknownCandidate, UnknownPartner

__all__ = ["Store", "ConsentRequired", "UnknownCandidate", "UnknownPartner"]
