"""The shared vocabulary of Korte Lijnen (see DESIGN.md): names used in code, data and the CLI.

Kept free of Rasa imports so the action server and the CLI can use it.
"""

# ISO 639-1 codes of the curated languages, in the order the language menu shows them.
LANGUAGES = ("nl", "en", "ar", "ti", "fa", "tr", "so")
# Right-to-left scripts, curated or served by machine translation (Pashto, Urdu, Sorani).
RTL_LANGUAGES = frozenset({"ar", "fa", "ps", "ur", "ckb"})
SOURCE_LANGUAGE = "nl"
FALLBACK_LANGUAGES = ("nl", "en")

# Life-phase intake topics (Bijlage C), in the order they are asked.
INTAKE_TOPICS = (
    "identity",
    "motivation",
    "capabilities",
    "work_experience",
    "talents",
    "diplomas",
    "learning_style",
    "social_network",
    "home_situation",
    "income",
)

# Preconditions (Bijlage D), in the order they are asked.
PRECONDITIONS = (
    "driving_licence",
    "bicycle",
    "transport",
    "childcare",
    "digital_skills",
    "other",
)

# How an open intake question was answered.
ANSWER_STATUSES = ("answered", "skipped", "dont_know")
# The state of one precondition.
PRECONDITION_STATUSES = ("met", "not_met", "unknown")

PROBLEM_TYPES = (
    "childcare",
    "transport",
    "health",
    "family",
    "money",
    "workplace",
    "housing",
    "safety",
    "other",
)

ROLES = (
    "regisseur",
    "intermediair",
    "werkgever",
    "expertise_partner",
    "verbinder",
    "opleider",
    "taalopleider",
    "mentor",
    "jobcoach",
)

PHASES = (
    "werving_selectie",
    "voortraject",
    "leerwerk",
    "matching_plaatsing",
    "uitstroom_nazorg",
)
STATES = ("geparkeerd", "gestopt")

# Channels a candidate or partner can be reached on. `rest` is Rasa's REST channel
# (tests, the terminal chat); a partner registered as `local` talks over it too.
CHANNELS = ("rest", "local", "telegram", "whatsapp")

# Alerts: what a candidate signalled, and where an alert is in its life.
ALERT_KINDS = ("problem", "park", "human", "media")
ALERT_STATUSES = ("pending", "delivered", "acknowledged", "escalated", "closed")
# How a regisseur hears of alerts that are not urgent: at once, or in a daily digest.
NOTIFY_MODES = ("immediate", "digest")
